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

#endif // ACNN_PASSES_TD
