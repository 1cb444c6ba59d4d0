#ifndef ACNN_COMPILER_CODEGEN_PASSES_H
#define ACNN_COMPILER_CODEGEN_PASSES_H

#include "dialects/acnn/AcnnDialect.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Transform/IR/TransformDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace acnn {

#define GEN_PASS_DECL
#include "compiler/codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "compiler/codegen/Passes.h.inc"

/// Each kernel's floating-point work, by the kernel names in the locations of
/// the linalg ops in `root` (what acnn-count-kernel-flops appends to them).
llvm::DenseMap<mlir::StringAttr, int64_t> countKernelFlops(mlir::Operation *root);

/// Kernels that became one kernel (element-wise loops fused, an epilogue
/// grouped with its conv), as pairs of their names: renames each set of
/// merged kernels in `root` after its member with the most FLOPs, its
/// `_flops<N>` suffix their sum, so that the profile times the merged code
/// under what it mostly computes (a 3x3 conv, not the relu after it).
void mergeKernelNames(mlir::Operation *root,
                      llvm::ArrayRef<std::pair<mlir::StringAttr, mlir::StringAttr>> merged);

/// The C identifier every exported symbol of `model` starts with: acnn_<name>_.
std::string modelSymbolPrefix(mlir::ModuleOp model);

} // namespace acnn

#endif
