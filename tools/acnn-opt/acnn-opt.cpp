// mlir-opt with the acnn dialect and passes, for lit tests and experiments.
#include "compiler/passes/Passes.h"
#include "dialects/acnn/AcnnDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registry.insert<acnn::AcnnDialect, mlir::func::FuncDialect>();
  mlir::registerTransformsPasses();
  acnn::registerAcnnPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "acnn optimizer driver\n", registry));
}
