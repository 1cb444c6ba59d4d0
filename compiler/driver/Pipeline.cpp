#include "compiler/driver/Pipeline.h"
#include "compiler/passes/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;

namespace acnn {

namespace {

struct Stage {
  llvm::StringRef name;
  void (*addPasses)(OpPassManager &pm);
};

// Each stage is one pass or a small fixed group; "import" adds nothing.
const Stage kStages[] = {
    {"import", [](OpPassManager &) {}},
    {"fold-batch-norm",
     [](OpPassManager &pm) { pm.addNestedPass<func::FuncOp>(createFoldBatchNorm()); }},
    {"fold-constants",
     [](OpPassManager &pm) { pm.addNestedPass<func::FuncOp>(createFoldConstants()); }},
    {"canonicalize",
     [](OpPassManager &pm) {
       pm.addPass(createCanonicalizerPass());
       pm.addPass(createCSEPass());
     }},
};

llvm::SmallVector<llvm::StringRef> stageNames() {
  return llvm::to_vector(llvm::map_range(kStages, [](const Stage &s) { return s.name; }));
}

} // namespace

llvm::ArrayRef<llvm::StringRef> pipelineStages() {
  static const llvm::SmallVector<llvm::StringRef> names = stageNames();
  return names;
}

llvm::Error runPipeline(ModuleOp model, const PipelineOptions &options) {
  if (options.stopAfter && !llvm::is_contained(pipelineStages(), *options.stopAfter))
    return llvm::createStringError("unknown stage '%s' (stages: %s)", options.stopAfter->c_str(),
                                   llvm::join(pipelineStages(), ", ").c_str());
  if (options.printAfterAll) {
    *options.printAfterAll << "// -----// IR after import //----- //\n";
    model->print(*options.printAfterAll, options.printing);
    *options.printAfterAll << "\n";
  }
  PassManager pm(model->getContext());
  for (const Stage &stage : kStages) {
    stage.addPasses(pm);
    if (options.stopAfter && stage.name == *options.stopAfter)
      break;
  }
  if (options.printAfterAll) {
    // Single-threaded so the dumps come out in pass order.
    model->getContext()->disableMultithreading();
    pm.enableIRPrinting(
        /*shouldPrintBeforePass=*/[](Pass *, Operation *) { return false; },
        /*shouldPrintAfterPass=*/[](Pass *, Operation *) { return true; },
        /*printModuleScope=*/true, /*printAfterOnlyOnChange=*/false,
        /*printAfterOnlyOnFailure=*/false, *options.printAfterAll, options.printing);
  }
  std::string diagnostics;
  llvm::raw_string_ostream os(diagnostics);
  ScopedDiagnosticHandler handler(model->getContext(), [&](Diagnostic &d) {
    os << d.getLocation() << ": " << d << "\n";
    return success();
  });
  if (failed(pm.run(model)))
    return llvm::createStringError("graph pipeline failed:\n%s", diagnostics.c_str());
  return llvm::Error::success();
}

} // namespace acnn
