#ifndef ACNN_COMPILER_CODEGEN_RELOCATABLEWRITER_H
#define ACNN_COMPILER_CODEGEN_RELOCATABLEWRITER_H
// A kernel that may write its result wherever it is told: the destination
// passes (acnn-concat-in-producers, acnn-pad-in-producer) point its output
// at a slice of a larger buffer instead of copying the result there.
#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace acnn {

/// The element-wise generic or transpose defining `value`, if every loop is
/// parallel and it never reads its output (so a different destination does
/// not change what it computes); null otherwise.
inline mlir::linalg::LinalgOp relocatableWriter(mlir::Value value) {
  auto op = value.getDefiningOp<mlir::linalg::LinalgOp>();
  if (!op || !mlir::isa<mlir::linalg::GenericOp, mlir::linalg::TransposeOp>(op) ||
      !op.hasPureTensorSemantics() || op->getNumResults() != 1 ||
      op.getNumParallelLoops() != op.getNumLoops() ||
      op.payloadUsesValueFromOperand(op.getDpsInitOperand(0)))
    return nullptr;
  return op;
}

} // namespace acnn

#endif
