#ifndef ACNN_COMPILER_DRIVER_FUSIONREPORT_H
#define ACNN_COMPILER_DRIVER_FUSIONREPORT_H

// acnnc inspect --fusion: what each kernel of a graph fused and what it costs.

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace acnn {

/// Writes one row per kernel of the acnn graph `model` (every op of @main but
/// constants, in program order): its node, op, the original ops it absorbed,
/// shapes, FLOPs (as codegen counts them) and bytes read and written; then
/// the totals.
llvm::Error writeFusionReport(mlir::ModuleOp model, llvm::raw_ostream &os);

} // namespace acnn

#endif
