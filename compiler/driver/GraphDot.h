#ifndef ACNN_COMPILER_DRIVER_GRAPHDOT_H
#define ACNN_COMPILER_DRIVER_GRAPHDOT_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

namespace acnn {

/// Writes the model's dataflow graph in Graphviz DOT: one box per op (with its
/// node name and result shape), inputs and outputs as ellipses; weights are
/// counted in the label of the op that uses them rather than drawn. A kernel
/// that fused several ops is filled in a colour per op kind, its tooltip
/// listing the nodes it absorbed.
void writeDot(mlir::ModuleOp model, llvm::raw_ostream &os);

} // namespace acnn

#endif
