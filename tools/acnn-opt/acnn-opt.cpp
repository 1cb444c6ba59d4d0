// mlir-opt with the acnn dialect and passes, for lit tests and experiments;
// `--acnn-pipeline` runs exactly what acnnc runs, and `--run-reproducer`
// replays a reproducer acnnc left after a failing or crashing pass.
// Every upstream dialect, extension and pass is registered too, so lit tests
// can run any stage of the lowering (bufferisation, transform scripts, LLVM).
#include "compiler/codegen/Passes.h"
#include "compiler/driver/Pipeline.h"
#include "compiler/lowering/Passes.h"
#include "compiler/passes/Passes.h"
#include "dialects/acnn/AcnnDialect.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registry.insert<acnn::AcnnDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllPasses();
  acnn::registerAcnnPasses();
  acnn::registerAcnnLoweringPasses();
  acnn::registerAcnnCodegenPasses();
  acnn::registerPipelines();
  return mlir::asMainReturnCode(mlir::MlirOptMain(argc, argv, "acnn optimizer driver\n", registry));
}
