#ifndef ACNN_FRONTENDS_ONNX_SHAPEFOLDING_H
#define ACNN_FRONTENDS_ONNX_SHAPEFOLDING_H

// Tensors whose values are known while importing (weights, Constant nodes and
// the shape arithmetic exporters emit around Reshape and Expand), and the
// operations evaluated on them so that such subgraphs leave no ops behind:
// data movement, element-wise arithmetic, comparisons and ScatterND.

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

// Element-wise evaluation with NumPy broadcasting. Integers stay integers
// (int64, so shape values keep their precision); a float operand makes the
// computation float, in double, rounded once to f32 as the interpreter does.

/// `ints` returns nullopt where the result is undefined (integer division by zero).
using IntBinaryFn = llvm::function_ref<std::optional<int64_t>(int64_t, int64_t)>;
using FloatBinaryFn = llvm::function_ref<double(double, double)>;
llvm::Expected<KnownTensor> binaryKnown(const KnownTensor &a, const KnownTensor &b,
                                        IntBinaryFn ints, FloatBinaryFn floats);
/// `ints` may be null for ops defined on floats only: integers then compute
/// as floats.
using IntUnaryFn = int64_t (*)(int64_t);
using FloatUnaryFn = llvm::function_ref<double(double)>;
KnownTensor unaryKnown(const KnownTensor &t, IntUnaryFn ints, FloatUnaryFn floats);
/// cond ? a : b, element-wise; a and b of the same kind.
llvm::Expected<KnownTensor> whereKnown(const KnownTensor &cond, const KnownTensor &a,
                                       const KnownTensor &b);

/// ONNX ScatterND: each index tuple along the last axis of `indices` picks a
/// slice of `data` that the matching slice of `updates` replaces, or is
/// combined into with `combine` (ScatterND's reduction) when given.
llvm::Expected<KnownTensor> scatterNDKnown(const KnownTensor &data, const KnownTensor &indices,
                                           const KnownTensor &updates,
                                           std::optional<FloatBinaryFn> combine);

} // namespace acnn

#endif
