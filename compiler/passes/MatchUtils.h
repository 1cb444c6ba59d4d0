#ifndef ACNN_COMPILER_PASSES_MATCHUTILS_H
#define ACNN_COMPILER_PASSES_MATCHUTILS_H

// Small predicates the recognition passes share: what a value is, whatever
// spelling (attribute kind, reshape or flatten around it) the exporter chose.

#include "dialects/acnn/AcnnOps.h"

#include "mlir/IR/PatternMatch.h"

#include <cmath>
#include <optional>

namespace acnn {

/// The static shape of a ranked tensor value.
inline llvm::ArrayRef<int64_t> shapeOf(mlir::Value v) {
  return llvm::cast<mlir::RankedTensorType>(v.getType()).getShape();
}

/// The value of a one-element constant (any rank, dense or resource-backed).
std::optional<double> scalarConstant(mlir::Value v);

/// The value of a constant whose elements are all equal.
std::optional<double> uniformConstant(mlir::Value v);

/// True if `v` is a one-element constant within `tolerance` (relative) of `want`.
bool isScalar(mlir::Value v, double want, double tolerance = 1e-5);

/// True if `v` is an acnn.constant.
bool isConstant(mlir::Value v);

/// `v` with reshapes and flattens that only add or drop unit axes looked
/// through (the exporter's [N, C, 1, 1] <-> [N, C] spellings).
mlir::Value skipUnitReshapes(mlir::Value v);

/// The normalised axes of a reduction op (`axes` attribute, rank of input).
llvm::SmallVector<int64_t> normalizedAxes(llvm::ArrayRef<int64_t> axes, int64_t rank);

/// A fully connected layer on channels however it was exported: linear,
/// a 1x1 conv on [N, C, 1, 1], or matmul by a matrix (+ a bias add).
struct DenseLayer {
  mlir::Value input;       // [N, C] or [N, C, 1, 1], as the layer reads it
  mlir::Value weight;      // as stored: [out, in], [out, in, 1, 1] or [in, out]
  mlir::Value bias;        // [out] (or broadcastable to [1, out]), may be null
  llvm::StringRef activation = "none"; // an activation already in its epilogue
  enum Layout { OutIn, OutIn11, InOut } layout = OutIn;

  /// [out, in] of the weight.
  std::pair<int64_t, int64_t> outIn() const;

  /// The weight as [out, in] and the bias as [out] (zeros if there was none),
  /// created at the rewriter's insertion point.
  std::pair<mlir::Value, mlir::Value> weightAndBias(mlir::PatternRewriter &rw,
                                                    mlir::Location loc) const;
};

/// `v` as a dense layer over channels, or nullopt.
std::optional<DenseLayer> matchDenseLayer(mlir::Value v);

/// The epilogue name of an activation op (relu, relu6 for a clip to [0, 6],
/// silu, ...), or "" if `op` is none.
llvm::StringRef activationName(mlir::Operation *op);

/// An activation op applied to `v`: its epilogue name and its input; or
/// "none" and `v` itself.
std::pair<llvm::StringRef, mlir::Value> peelActivation(mlir::Value v);

/// `v` pooled over all axes after N and C of `x` (global_*_pool, reduce_*
/// over those axes, or a max_pool2d whose single window covers the map):
/// returns x; `max` picks the max pool, else the mean.
mlir::Value globalPoolSource(mlir::Value v, bool max);

/// clamp(scale * z + shift, lo, hi) of the value z it is applied to.
struct ClampedAffine {
  double scale = 1, shift = 0, lo = -INFINITY, hi = INFINITY;

  /// This function followed by y -> a * y + b.
  ClampedAffine then(double a, double b) const;
  /// This function followed by clamping to [low, high].
  ClampedAffine clamped(double low, double high) const;
};

/// Follows `v` up through element-wise ops that take a scalar constant (add,
/// sub, mul, div by one; max, min, clip, relu, hard-sigmoid) for as long as
/// they compose into one clamped affine function of their source: any
/// exporter's spelling of a hard sigmoid (HardSigmoid of any alpha and beta,
/// Clip(x + 3, 0, 6) / 6, relu6(x + 3) * (1/6), ...).
std::pair<ClampedAffine, mlir::Value> clampedAffineSource(mlir::Value v);

/// A [rows, cols] f32 tensor type.
mlir::RankedTensorType f32Tensor(mlir::MLIRContext *ctx, llvm::ArrayRef<int64_t> shape);

} // namespace acnn

#endif
