#ifndef ACNN_COMPILER_CODEGEN_RUNTIMEARGUMENTS_H
#define ACNN_COMPILER_CODEGEN_RUNTIMEARGUMENTS_H

// @main's arguments past its inputs and outputs, in the order the entry
// passes them from the runtime's args[]: the arena (memref<BYTESxi8>), then
// the acnn_context * (!llvm.ptr). Both are added together, by whichever pass
// needs one first, so their order never depends on the pipeline's.

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

namespace acnn {

/// The argument attributes marking them.
inline constexpr llvm::StringLiteral kArenaAttr = "acnn.arena", kContextAttr = "acnn.context";

struct RuntimeArguments {
  mlir::BlockArgument arena, context;
};

/// The bufferised `@main` with its single block, which the passes that add
/// runtime arguments walk as straight-line code; null after an error.
mlir::func::FuncOp lookupStraightLineMain(mlir::ModuleOp model);

RuntimeArguments getOrAddRuntimeArguments(mlir::func::FuncOp main);

/// The runtime's profiling hooks, void(acnn_context *, int32_t kernel), which
/// acnn-profile-kernels calls around each kernel of @main.
inline constexpr llvm::StringLiteral kKernelBeginHook = "acnn_kernel_begin";
inline constexpr llvm::StringLiteral kKernelEndHook = "acnn_kernel_end";

/// int32_t acnn_context_num_threads(acnn_context *): the threads a run may
/// use, which acnn-runtime-thread-count calls first in a @main that forks.
inline constexpr llvm::StringLiteral kThreadCountQuery = "acnn_context_num_threads";

/// Whether `op` is a call of `callee` (a hook, the thread-count query).
inline bool isCallOf(mlir::Operation *op, llvm::StringRef callee) {
  auto call = llvm::dyn_cast<mlir::func::CallOp>(op);
  return call && call.getCallee() == callee;
}

/// Gives the arena argument its size (it is added with 0 bytes).
void setArenaBytes(mlir::func::FuncOp main, int64_t bytes);

} // namespace acnn

#endif
