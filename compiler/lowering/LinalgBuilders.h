#ifndef ACNN_COMPILER_LOWERING_LINALGBUILDERS_H
#define ACNN_COMPILER_LOWERING_LINALGBUILDERS_H

// Builders shared by the acnn → linalg patterns. Everything here works on
// statically shaped f32 tensors, the kind of every acnn value but argmax's
// indices (reshapeTo takes those too).

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <limits>

namespace acnn {

/// Terse f32 arithmetic for the bodies of linalg.generic ops.
struct ScalarBuilder {
  mlir::OpBuilder &b;
  mlir::Location loc;

  mlir::Value constant(double value) const;
  mlir::Value add(mlir::Value x, mlir::Value y) const;
  mlir::Value sub(mlir::Value x, mlir::Value y) const;
  mlir::Value mul(mlir::Value x, mlir::Value y) const;
  mlir::Value div(mlir::Value x, mlir::Value y) const;
  /// max and min propagate NaN, as the reference interpreter's do.
  mlir::Value max(mlir::Value x, mlir::Value y) const;
  /// max ignoring a NaN operand (arith.maxnumf): where a NaN input makes the
  /// result NaN anyway, this max reduces over a vector in a few shuffles,
  /// where IEEE maximum's NaN and signed-zero rules make x86 go scalar.
  mlir::Value maxNum(mlir::Value x, mlir::Value y) const;
  mlir::Value min(mlir::Value x, mlir::Value y) const;
  mlir::Value exp(mlir::Value x) const;
  mlir::Value sqrt(mlir::Value x) const;
  /// numerator / (1 + e^-x): the logistic sigmoid (numerator 1) or SiLU
  /// (numerator x), with e^-x inlined (see the definition).
  mlir::Value logistic(mlir::Value numerator, mlir::Value x) const;
  /// min(max(x, lo), hi).
  mlir::Value clamp(mlir::Value x, double lo, double hi) const;
};

/// The scalar of an epilogue activation ("relu", "gelu", ...) applied to `x`;
/// `x` itself for "none".
mlir::Value activationScalar(const ScalarBuilder &s, llvm::StringRef activation, mlir::Value x);

/// Scalar body of a linalg.generic: given the block arguments (one element
/// of each input, then the output's current value), returns what to yield.
using ScalarBody =
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// The static shape of a ranked tensor value.
inline llvm::ArrayRef<int64_t> shapeOf(mlir::Value v) {
  return llvm::cast<mlir::RankedTensorType>(v.getType()).getShape();
}

/// The identity of a max: every value beats it.
inline constexpr double kLowest = -std::numeric_limits<double>::infinity();

mlir::RankedTensorType f32TensorType(mlir::MLIRContext *ctx, llvm::ArrayRef<int64_t> shape);

/// An f32 arith.constant.
mlir::Value f32Constant(mlir::OpBuilder &b, mlir::Location loc, double value);

/// A tensor of `shape` with every element `value` (tensor.empty + linalg.fill).
mlir::Value filledTensor(mlir::OpBuilder &b, mlir::Location loc, llvm::ArrayRef<int64_t> shape,
                         double value);

/// The accumulator a convolution or matrix product starts from: `bias`
/// broadcast to `shape` along `broadcastDims`, or zeros when there is no bias.
mlir::Value accumulatorInit(mlir::OpBuilder &b, mlir::Location loc, mlir::Value bias,
                            llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<int64_t> broadcastDims);

/// An operand read at each index of an iteration space of `loopShape` under
/// NumPy broadcasting (shapes align at the end; an axis of extent 1 repeats).
/// The broadcast unit axes are collapsed away, so the map is a projected
/// permutation, as fusion and vectorisation expect.
struct BroadcastOperand {
  mlir::Value value;
  mlir::AffineMap map;
};
BroadcastOperand broadcastOperand(mlir::OpBuilder &b, mlir::Location loc, mlir::Value operand,
                                  llvm::ArrayRef<int64_t> loopShape);

/// The loops not marked in `dropped`: how a reduction's result is indexed.
mlir::AffineMap keptDimsMap(mlir::MLIRContext *ctx, llvm::ArrayRef<bool> dropped);

/// A linalg.generic with all loops parallel writing a new tensor of
/// `resultType`, reading input i through `maps[i]`.
mlir::Value buildParallel(mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType resultType,
                          mlir::ValueRange inputs, llvm::ArrayRef<mlir::AffineMap> maps,
                          ScalarBody body);

/// buildParallel with NumPy broadcasting of every input to `resultType`.
mlir::Value buildBroadcastParallel(mlir::OpBuilder &b, mlir::Location loc,
                                   mlir::RankedTensorType resultType, mlir::ValueRange inputs,
                                   ScalarBody body);

/// A linalg.generic over the loops `loopShape` that reduces the loops marked
/// in `reduced`: the result has those axes dropped and starts at `init`; the
/// body combines the inputs' elements with the running value (last argument).
mlir::Value buildReduction(mlir::OpBuilder &b, mlir::Location loc,
                           llvm::ArrayRef<int64_t> loopShape, llvm::ArrayRef<bool> reduced,
                           mlir::ValueRange inputs, llvm::ArrayRef<mlir::AffineMap> maps,
                           double init, ScalarBody body);

/// The epilogue of conv2d, linear and matmul: activation(result + residual)
/// as one parallel generic reading `result` (and the broadcast `residual`),
/// or `result` unchanged when there is neither. Codegen fuses this generic
/// into the loops that produce `result`.
mlir::Value buildEpilogue(mlir::OpBuilder &b, mlir::Location loc, mlir::Value result,
                          mlir::Value residual, llvm::StringRef activation);

/// `x` reduced along its last axis into `init` (x's shape without that axis,
/// the running values): `step(element, rowInputs..., running)` combines each
/// element, `rowInputs` having init's shape. Most rows are reduced in two
/// steps: into partial results, starting at `neutral`, that accumulate whole
/// vectors, then those merged into init by `merge(partial, running)`. There
/// are 16 or 8 partial results where that divides the row (and is less);
/// else 16, once the row holds 32 or more, the elements past its last whole
/// 16 added into the first of them; else 4 where 4 divides the row. In one
/// step the vectoriser makes a reduction along the innermost axis one chain
/// of scalar operations as long as the row (768 dependent adds for a ViT-B
/// token).
mlir::Value reduceInnermost(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                            mlir::ValueRange rowInputs, mlir::Value init, double neutral,
                            ScalarBody step, ScalarBody merge);

/// `value` divided element-wise by the constant `divisor`.
mlir::Value divideBy(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value, double divisor);

/// A map from `loops` loop dims to the listed ones.
mlir::AffineMap loopsMap(mlir::MLIRContext *ctx, unsigned loops, llvm::ArrayRef<unsigned> which);

/// Iterator kinds: reduction where `reduced`, else parallel.
llvm::SmallVector<mlir::utils::IteratorType> iteratorKinds(llvm::ArrayRef<bool> reduced);

/// A generic writing into `init` (its current value is the body's last
/// argument), with explicit maps and iterator kinds.
mlir::Value buildGeneric(mlir::OpBuilder &b, mlir::Location loc, mlir::ValueRange inputs,
                         mlir::Value init, llvm::ArrayRef<mlir::AffineMap> maps,
                         llvm::ArrayRef<mlir::utils::IteratorType> iterators, ScalarBody body);

/// The same elements in row-major order with `shape`: one collapse_shape or
/// expand_shape when the shapes are related by grouping axes, else a
/// collapse to 1-D followed by an expansion.
mlir::Value reshapeTo(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value,
                      llvm::ArrayRef<int64_t> shape);

} // namespace acnn

#endif
