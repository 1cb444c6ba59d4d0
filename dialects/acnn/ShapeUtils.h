#ifndef ACNN_DIALECT_SHAPEUTILS_H
#define ACNN_DIALECT_SHAPEUTILS_H

// Small shape helpers shared by the dialect, the frontends and the interpreter.

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <optional>
#include <string>

namespace acnn {

/// Maps a possibly negative axis into [0, rank), or nullopt if out of range.
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank);

/// Number of elements of a static shape.
int64_t product(llvm::ArrayRef<int64_t> shape);

/// The most elements one tensor of a model may have: 2^31 f32 values are
/// 8 GiB, beyond any image model's activations (a 64-channel 1024x2048
/// feature map has 2^27). A larger tensor is a malformed model, and would
/// otherwise be allocated by the interpreter or the compiled model's arena.
inline constexpr int64_t kMaxTensorElements = int64_t(1) << 31;

/// Number of elements of a static shape, or nullopt if it overflows int64
/// (a dimension is negative or dynamic: nullopt too).
std::optional<int64_t> checkedProduct(llvm::ArrayRef<int64_t> shape);

/// Why a tensor of static `shape` is too large for acnn ("shape [...] has N
/// elements, more than ..."), or nullopt if it is not. Dynamic dimensions are
/// not this check's concern: nullopt.
std::optional<std::string> oversizeReason(llvm::ArrayRef<int64_t> shape);

/// `in` without the axes `reduced` marks, or with them as 1 under `keepdims`.
llvm::SmallVector<int64_t> reducedShape(llvm::ArrayRef<int64_t> in, llvm::ArrayRef<bool> reduced,
                                        bool keepdims);

/// The shape of argmax over `axis` of `in` (reducedShape of that axis), or
/// nullopt if the axis is out of range.
std::optional<llvm::SmallVector<int64_t>> argMaxShape(llvm::ArrayRef<int64_t> in, int64_t axis,
                                                      bool keepdims);

/// True if `perm` holds each of 0..rank-1 exactly once.
bool isPermutation(llvm::ArrayRef<int64_t> perm, int64_t rank);

/// Element count of a clamped strided slice of one axis, nullopt if invalid.
std::optional<int64_t> sliceExtent(int64_t extent, int64_t start, int64_t end, int64_t step);

/// "[1, 3, 224, 224]".
std::string formatShape(llvm::ArrayRef<int64_t> shape);

/// True for the activation names an op's epilogue may apply ("none",
/// "relu", "relu6", "sigmoid", "tanh", "silu", "gelu", "gelu_tanh",
/// "hard_swish").
bool isActivation(llvm::StringRef name);

/// Row-major strides of a static shape.
llvm::SmallVector<int64_t> rowMajorStrides(llvm::ArrayRef<int64_t> shape);

} // namespace acnn

#endif
