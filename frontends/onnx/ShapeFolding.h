#ifndef ACNN_FRONTENDS_ONNX_SHAPEFOLDING_H
#define ACNN_FRONTENDS_ONNX_SHAPEFOLDING_H

// Tensors whose values are known while importing (weights, Constant nodes and
// the shape arithmetic exporters emit around Reshape and Expand), and the few
// operations evaluated on them so that such subgraphs leave no ops behind.
// Only data movement and int64 arithmetic live here: float math on weights is
// left to the graph and the compiler's constant folding.

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace acnn {

/// The most elements an evaluated tensor may have: shape arithmetic is small,
/// and a larger request is a malformed model rather than a reason to run out
/// of memory.
inline constexpr int64_t kMaxKnownElements = int64_t(1) << 27;

/// Integers (ONNX int and bool types) and floats (any ONNX float type, kept as
/// f32, the type acnn computes in) are held apart so int64 shape values keep
/// their precision. Exactly one of `ints` / `floats` holds the data.
struct KnownTensor {
  llvm::SmallVector<int64_t> shape;
  bool isFloat = false;
  std::vector<int64_t> ints;
  std::vector<float> floats;

  static KnownTensor ofInts(llvm::ArrayRef<int64_t> shape, std::vector<int64_t> data);
  static KnownTensor ofFloats(llvm::ArrayRef<int64_t> shape, std::vector<float> data);

  size_t size() const { return isFloat ? floats.size() : ints.size(); }
  /// The same values as the other kind; floats convert toward zero.
  KnownTensor asInts() const;
  KnownTensor asFloats() const;
  /// The same data under another shape with as many elements.
  llvm::Expected<KnownTensor> reshaped(llvm::ArrayRef<int64_t> newShape) const;
};

// Data movement, for either kind. Each checks its arguments and reports what
// is wrong; the caller adds the node.

/// Result axis i is input axis perm[i].
llvm::Expected<KnownTensor> transposeKnown(const KnownTensor &t, llvm::ArrayRef<int64_t> perm);
/// One start, end and step per axis, clamped as acnn.slice takes them.
llvm::Expected<KnownTensor> sliceKnown(const KnownTensor &t, llvm::ArrayRef<int64_t> starts,
                                       llvm::ArrayRef<int64_t> ends, llvm::ArrayRef<int64_t> steps);
/// All parts of the same kind.
llvm::Expected<KnownTensor> concatKnown(llvm::ArrayRef<const KnownTensor *> parts, int64_t axis);
/// ONNX Gather: integer `indices` (negative counts from the end) along `axis`.
llvm::Expected<KnownTensor> gatherKnown(const KnownTensor &t, const KnownTensor &indices,
                                        int64_t axis);
/// NumPy broadcast of `t` to the broadcast of its shape and `shape` (ONNX Expand).
llvm::Expected<KnownTensor> expandKnown(const KnownTensor &t, llvm::ArrayRef<int64_t> shape);

// Integer arithmetic with NumPy broadcasting.

/// `fn` returns nullopt where the result is undefined (division by zero).
using IntBinaryFn = llvm::function_ref<std::optional<int64_t>(int64_t, int64_t)>;
llvm::Expected<KnownTensor> intBinary(const KnownTensor &a, const KnownTensor &b, IntBinaryFn fn);
/// cond ? a : b, element-wise; a and b of the same kind.
llvm::Expected<KnownTensor> whereKnown(const KnownTensor &cond, const KnownTensor &a,
                                       const KnownTensor &b);

} // namespace acnn

#endif
