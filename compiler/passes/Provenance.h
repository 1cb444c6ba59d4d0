#ifndef ACNN_COMPILER_PASSES_PROVENANCE_H
#define ACNN_COMPILER_PASSES_PROVENANCE_H

// Which original ops a fused op stands for, kept in its location because a
// location survives every later rewrite: fused[part, part, ...], one part
// per absorbed op, fused<"acnn.batch_norm">[its location]. The op whose
// location the fused op would otherwise take comes first, so the first
// NameLoc in it, the kernel's name (MarkKernels), stays the same. An op no
// pass fused keeps its own location and stands for itself.

#include "mlir/IR/Operation.h"

namespace acnn {

/// One original op a kernel absorbed: its location and its op name.
struct AbsorbedOp {
  mlir::Location loc;
  llvm::StringRef opName; // e.g. "acnn.batch_norm"

  /// "node (op)", the op without its dialect: "bn1 (batch_norm)".
  std::string str() const;
};

/// The ops `root` computes from `inputs`, in program order: what a pattern
/// rooted at `root` matched (constants, the weights, left out).
llvm::SmallVector<mlir::Operation *> opsBetween(mlir::Operation *root,
                                                llvm::ArrayRef<mlir::Value> inputs);

/// The location of an op that replaces `named` and `others`: the ops they
/// absorbed, named's first.
mlir::Location fusedLoc(mlir::Operation *named, llvm::ArrayRef<mlir::Operation *> others);

/// The original ops `op` stands for, the one it is named after first.
llvm::SmallVector<AbsorbedOp> absorbedOps(mlir::Operation *op);

/// The graph node `loc` names (its first NameLoc), or "".
llvm::StringRef nodeName(mlir::Location loc);

} // namespace acnn

#endif
