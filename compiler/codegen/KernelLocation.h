#ifndef ACNN_COMPILER_CODEGEN_KERNELLOCATION_H
#define ACNN_COMPILER_CODEGEN_KERNELLOCATION_H

// A kernel, as the runtime profiles it, is the code lowered from one acnn op
// (after graph fusion: one fused op). Its ops carry the kernel's name in their
// location, fused<{acnn.kernel_name = "NAME"}>[loc]: unlike an attribute, a
// location is inherited by whatever conversion, tiling, vectorisation and
// bufferisation make of an op, down to its loops and copies.

#include "mlir/IR/Location.h"
#include "mlir/IR/Operation.h"

namespace acnn {

/// Marks a function acnn-outline-kernels made of one kernel (or of several
/// identical ones): the object emitter keeps LLVM from inlining it back.
inline constexpr llvm::StringLiteral kKernelFunctionAttr = "acnn.kernel_function";

/// `loc`, marked as belonging to the kernel `name`.
mlir::Location withKernelName(mlir::Location loc, mlir::StringAttr name);

/// The name of the kernel `loc` belongs to, or null.
mlir::StringAttr kernelNameOf(mlir::Location loc);

/// The kernel of `op`, else of the first op nested in it that has one.
mlir::StringAttr kernelNameOf(mlir::Operation *op);

/// The entry name (acnn.kernel_entry) of the first kernel root in `top`, a
/// top-level op of a function whose kernels acnn-select-schedules formed, or
/// null: what acnn-name-kernels-by-entry names `top`'s kernels, so the name
/// the runtime's profile times them under.
mlir::StringAttr firstKernelEntry(mlir::Operation *top);

/// Renames kernels in the locations of `root` and everything in it.
void renameKernels(mlir::Operation *root,
                   llvm::function_ref<mlir::StringAttr(mlir::StringAttr)> rename);

} // namespace acnn

#endif
