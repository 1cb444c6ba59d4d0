#ifndef ACNN_PASSES_TD
#define ACNN_PASSES_TD

include "mlir/Pass/PassBase.td"

def FoldConstants : Pass<"acnn-fold-constants", "mlir::func::FuncOp"> {
  let summary = "Evaluate every op whose operands are all constants";
  let description = [{
    Weight-only subgraphs (transposed or reshaped weights, shape arithmetic left
    by exporters) are computed at compile time with the reference interpreter's
    kernels and replaced by one `acnn.constant`.
  }];
  let dependentDialects = ["acnn::AcnnDialect"];
}

def FoldBatchNorm : Pass<"acnn-fold-batch-norm", "mlir::func::FuncOp"> {
  let summary = "Fold inference batch norm into the adjacent conv";
  let description = [{
    `batch_norm(conv(x, w, b))` becomes `conv(x, w * s, (b - mean) * s + beta)`
    with `s = gamma / sqrt(var + eps)` per output channel. A batch norm feeding
    an unpadded, ungrouped conv folds into it from the input side instead
    (`w * s` per input channel, the shift summed into the bias). Any other
    batch norm becomes a per-channel multiply and add. The new weights are
    expressed as acnn ops on the old ones, so `acnn-fold-constants` computes
    them: the numerics live in one place, the interpreter's kernels.
  }];
  let dependentDialects = ["acnn::AcnnDialect"];
}

#endif // ACNN_PASSES_TD
