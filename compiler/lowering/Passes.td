#ifndef ACNN_LOWERING_PASSES_TD
#define ACNN_LOWERING_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertAcnnToLinalg : Pass<"acnn-convert-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower every acnn op to linalg, tensor, arith and math on tensors";
  let description = [{
    Convolutions, pooling, matrix products and transposes become linalg named
    ops; element-wise ops (with NumPy broadcasting), reductions and
    normalisations become `linalg.generic`; reshapes, slices, concatenation
    and padding become tensor ops; weights become `arith.constant`. The result
    stays in tensor SSA form for one-shot bufferisation. An op that cannot be
    lowered fails the pass with a diagnostic naming it.
  }];
  let options = [
    Option<"threads", "threads", "int64_t", /*default=*/"0",
           "Threads attention's blocks of query rows are shared by (0: the module's #acnn.target's)">
  ];
  let dependentDialects = [
    "mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
    "mlir::arith::ArithDialect", "mlir::math::MathDialect",
    "mlir::func::FuncDialect", "mlir::scf::SCFDialect"
  ];
}

#endif // ACNN_LOWERING_PASSES_TD
