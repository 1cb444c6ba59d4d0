#ifndef ACNN_COMPILER_INTERPRETER_OPKERNELS_H
#define ACNN_COMPILER_INTERPRETER_OPKERNELS_H

// The per-op kernels behind `evaluate` (Kernels.cpp dispatches to them).
// Each takes a verified op and operands whose shapes match its operand
// types, so none can fail; result shapes come from the op's result types.

#include "compiler/interpreter/Tensor.h"
#include "dialects/acnn/AcnnOps.h"

#include <cmath>
#include <functional>

namespace acnn {

/// max and min that propagate NaN, as PyTorch's maximum, minimum, max
/// pooling and amax do.
template <typename T> T nanMax(T a, T b) { return (a > b || std::isnan(a)) ? a : b; }
template <typename T> T nanMin(T a, T b) { return (a < b || std::isnan(a)) ? a : b; }

/// Shape of `op`'s result `i`.
inline llvm::ArrayRef<int64_t> resultShape(mlir::Operation *op, unsigned i = 0) {
  return llvm::cast<mlir::ShapedType>(op->getResult(i).getType()).getShape();
}

// ElementwiseKernels.cpp
using UnaryFn = std::function<double(double)>;
using BinaryFn = std::function<double(double, double)>;
/// The scalar function of a unary element-wise op; empty if `op` is not one.
UnaryFn unaryFunction(mlir::Operation *op);
/// The scalar function of a binary element-wise op; empty if `op` is not one.
BinaryFn binaryFunction(mlir::Operation *op);
Tensor mapUnary(const Tensor &x, const UnaryFn &f);
/// `f` over the NumPy broadcast of `a` and `b` to `shape`.
Tensor mapBinary(const Tensor &a, const Tensor &b, llvm::ArrayRef<int64_t> shape,
                 const BinaryFn &f);
Tensor where(WhereOp op, const Tensor &cond, const Tensor &onTrue, const Tensor &onFalse);

// ConvPoolKernels.cpp
Tensor conv2d(Conv2dOp op, const Tensor &x, const Tensor &w, const Tensor *bias);
Tensor maxPool2d(MaxPool2dOp op, const Tensor &x);
Tensor avgPool2d(AvgPool2dOp op, const Tensor &x);

// ReduceKernels.cpp
enum class Reduction { Sum, Mean, Max };
/// Reduces `x` over `axes` (normalised, distinct); the result takes `shape`.
Tensor reduce(const Tensor &x, llvm::ArrayRef<int64_t> axes, Reduction kind,
              llvm::ArrayRef<int64_t> shape);
/// The indices as floats; the result takes `shape`.
Tensor argMax(ArgMaxOp op, const Tensor &x, llvm::ArrayRef<int64_t> shape);

// NormKernels.cpp
Tensor batchNorm(BatchNormOp op, const Tensor &x, const Tensor &scale, const Tensor &bias,
                 const Tensor &mean, const Tensor &variance);
Tensor layerNorm(LayerNormOp op, const Tensor &x, const Tensor &scale, const Tensor *bias);
Tensor groupNorm(GroupNormOp op, const Tensor &x, const Tensor &scale, const Tensor *bias);
Tensor softmax(SoftmaxOp op, const Tensor &x);

// LinalgKernels.cpp
Tensor matmul(MatmulOp op, const Tensor &a, const Tensor &b);
Tensor linear(LinearOp op, const Tensor &x, const Tensor &w, const Tensor *bias);

// FusedKernels.cpp
/// The scalar function of an epilogue activation; empty for "none".
UnaryFn activationFunction(llvm::StringRef name);
/// result = activation(result + residual), the residual broadcast.
void applyEpilogue(Tensor &result, const Tensor *residual, llvm::StringRef activation);
Tensor squeezeExcite(SqueezeExciteOp op, const Tensor &x, const Tensor &w1, const Tensor &b1,
                     const Tensor &w2, const Tensor &b2);
Tensor channelAttention(ChannelAttentionOp op, const Tensor &x, const Tensor &w1,
                        const Tensor &b1, const Tensor &w2, const Tensor &b2);
Tensor spatialAttention(SpatialAttentionOp op, const Tensor &x, const Tensor &w,
                        const Tensor &bias);
Tensor attention(AttentionOp op, const Tensor &q, const Tensor &k, const Tensor &v,
                 const Tensor *bias);

// MovementKernels.cpp
Tensor concat(ConcatOp op, llvm::ArrayRef<const Tensor *> inputs);
std::vector<Tensor> split(SplitOp op, const Tensor &x);
Tensor slice(SliceOp op, const Tensor &x);
Tensor gather(GatherOp op, const Tensor &x);
Tensor transpose(TransposeOp op, const Tensor &x);
Tensor expand(ExpandOp op, const Tensor &x);
Tensor pad(PadOp op, const Tensor &x);
/// Same elements, the result's shape (reshape and flatten).
Tensor reinterpret(mlir::Operation *op, const Tensor &x);

// SamplingKernels.cpp
Tensor gridSample(GridSampleOp op, const Tensor &x, const Tensor &grid);

} // namespace acnn

#endif
