#ifndef ACNN_COMPILER_CODEGEN_LOWERING_H
#define ACNN_COMPILER_CODEGEN_LOWERING_H

// The codegen half of the pipeline: acnn graph -> linalg on tensors ->
// buffers -> LLVM dialect with the runtime's entry point.

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"

namespace acnn {

/// Dialects, interfaces (bufferization, LLVM translation) and passes the
/// codegen pipeline needs; call on every context that runs it.
void registerCodegenDialects(mlir::DialectRegistry &registry);
void registerCodegenPasses();

/// acnn ops to linalg, tensor, arith and math on tensors.
void addToLinalgPasses(mlir::OpPassManager &pm);
/// Layouts for the schedules (with `fuse`, element-wise chains fused into one
/// loop nest, channel pools into their conv's loop over rows, epilogues
/// grouped with their conv or matmul), then the kernels, each with its
/// #acnn.schedule: the entry of `schedulesFile`, else the record of
/// `tuningDatabase`, else the generator's. With `harnessKeys` (a file of
/// kernel keys), @main then keeps one kernel of each (acnn-kernel-harness).
/// With `profileEachKernel`, the runtime's profile times each linalg kernel
/// apart (acnn-name-kernels-by-entry).
void addKernelPasses(mlir::OpPassManager &pm, bool fuse = true, llvm::StringRef schedulesFile = "",
                     llvm::StringRef tuningDatabase = "", llvm::StringRef harnessKeys = "",
                     bool profileEachKernel = false);
/// Each kernel tiled, parallelised and vectorised by its schedule, applied
/// with the transform interpreter.
void addSchedulePasses(mlir::OpPassManager &pm);
/// One-shot bufferisation; outputs become out-parameters of @main.
void addBufferizePasses(mlir::OpPassManager &pm);
/// Loops, then the LLVM dialect with bare-pointer arguments, then the entry.
void addToLLVMPasses(mlir::OpPassManager &pm, bool sharedLibrary);

} // namespace acnn

#endif
