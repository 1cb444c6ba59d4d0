#ifndef ACNN_COMPILER_INTERPRETER_INTERPRETER_H
#define ACNN_COMPILER_INTERPRETER_INTERPRETER_H

// The reference interpreter: runs a model's entry function op by op with the
// kernels of Kernels.h. Slow and simple on purpose; every backend's output is
// compared with it.

#include "compiler/interpreter/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <vector>

namespace acnn {

/// Runs `entry` on `inputs` (one per argument, in order) and returns its
/// results. Errors name the offending input (by its `acnn.name`) or op.
llvm::Expected<std::vector<Tensor>> interpret(mlir::func::FuncOp entry,
                                              llvm::ArrayRef<Tensor> inputs);

/// Runs the model's `@main`.
llvm::Expected<std::vector<Tensor>> interpret(mlir::ModuleOp model,
                                              llvm::ArrayRef<Tensor> inputs);

} // namespace acnn

#endif
