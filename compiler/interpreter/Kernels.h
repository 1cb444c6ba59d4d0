#ifndef ACNN_COMPILER_INTERPRETER_KERNELS_H
#define ACNN_COMPILER_INTERPRETER_KERNELS_H

// Reference semantics of every acnn op: the golden model backends are tested
// against, and the evaluator constant folding reuses.

#include "compiler/interpreter/Tensor.h"

#include "mlir/IR/Operation.h"

namespace acnn {

/// Computes the results of the verified op `op` from `operands` (one per
/// operand, shaped as the operand types) and appends them to `results`. An
/// error names the op and its location: an op that is not acnn's, or operands
/// that do not match the op.
llvm::Error evaluate(mlir::Operation *op, llvm::ArrayRef<const Tensor *> operands,
                     llvm::SmallVectorImpl<Tensor> &results);

} // namespace acnn

#endif
