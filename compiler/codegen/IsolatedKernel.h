#ifndef ACNN_COMPILER_CODEGEN_ISOLATEDKERNEL_H
#define ACNN_COMPILER_CODEGEN_ISOLATEDKERNEL_H

// A kernel's ops in a function of their own while its schedule's script
// runs (acnn-apply-schedules). The transform interpreter prints the ops it
// fuses into remarks it then drops, and printing an op numbers every value of
// the isolated-from-above op around it: in the model's one function, every
// fusion cost time in the size of the model (40% of the pass on ViT-B). On
// its own, a kernel is also comparable: identical kernels with the same
// schedule (a ViT's twelve blocks) are transformed once and copied.

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/DenseMap.h"

#include <string>

namespace acnn {

struct IsolatedKernel {
  /// Private, at the end of the module: the ops, with the small constants
  /// they read; what else they read are its arguments.
  mlir::func::FuncOp func;
  /// Where the ops were: a call of `func`, whose results replaced theirs.
  mlir::func::CallOp call;
};

/// Moves `ops` (ops of one block of a function) into a function called in
/// their place, named `name`. Fails, moving nothing, where one call cannot
/// stand for them: ops in different blocks, or a result used before the last
/// of them.
mlir::FailureOr<IsolatedKernel> isolateKernel(llvm::ArrayRef<mlir::Operation *> ops,
                                              llvm::StringRef name);

/// What `func` computes, as text: equal for kernels that compute the same.
std::string kernelText(mlir::func::FuncOp func);

/// Replaces `call` by a copy of the body of `body` (a function of the same
/// type), with the kernel names of its locations renamed by `names`; returns
/// the copied ops.
llvm::SmallVector<mlir::Operation *>
inlineKernel(mlir::func::CallOp call, mlir::func::FuncOp body,
             const llvm::DenseMap<mlir::StringAttr, mlir::StringAttr> &names);

/// The kernel names of the ops of `func` in order (KernelLocation.h): two
/// identical kernels' lists pair their names.
llvm::SmallVector<mlir::StringAttr> kernelNamesOf(mlir::func::FuncOp func);

} // namespace acnn

#endif
