#ifndef ACNN_COMPILER_CODEGEN_KERNELHARNESS_H
#define ACNN_COMPILER_CODEGEN_KERNELHARNESS_H

// A model of a few of another model's kernels, one of each key, with their
// inputs as its arguments (acnn-kernel-harness): `acnnc tune` times candidate
// schedules in it, compiling those kernels rather than the whole model.

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace acnn {

/// Rebuilds @main of `model`, whose kernels acnn-select-schedules formed,
/// from the first kernel of each of `keys` (see acnn-kernel-harness). Fails
/// with an error on the kernel at fault, leaving `model` as it was.
mlir::LogicalResult buildKernelHarness(mlir::ModuleOp model, llvm::ArrayRef<std::string> keys);

} // namespace acnn

#endif
