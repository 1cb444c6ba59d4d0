#include "compiler/driver/Pipeline.h"
#include "compiler/codegen/Lowering.h"
#include "compiler/driver/Progress.h"
#include "compiler/passes/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

using namespace mlir;

namespace acnn {

namespace {

struct Stage {
  llvm::StringRef name;
  void (*addPasses)(OpPassManager &pm, const PipelineOptions &options);
  /// A graph fusion stage, skipped without PipelineOptions::fusion.
  bool fusion = false;
};

// Each stage is one pass or a small fixed group; "import" adds nothing.
const Stage kStages[] = {
    {"import", [](OpPassManager &, const PipelineOptions &) {}},
    {"fold-batch-norm",
     [](OpPassManager &pm, const PipelineOptions &) {
       pm.addNestedPass<func::FuncOp>(createFoldBatchNorm());
     },
     /*fusion=*/true},
    // Taps that read only padding are sliced off the weights first, and
    // convs whose taps read mostly padding split into their taps, so the
    // slices fold with the rest.
    {"fold-constants",
     [](OpPassManager &pm, const PipelineOptions &) {
       pm.addNestedPass<func::FuncOp>(createTrimConvTaps());
       pm.addNestedPass<func::FuncOp>(createSplitConvTaps());
       pm.addNestedPass<func::FuncOp>(createFoldConstants());
     }},
    // Fusion: attention blocks are recognised first, while their element-wise
    // ops are still separate, then epilogues take what is left. A stage that
    // rewrites weights as acnn ops folds them again.
    {"recognize-activations",
     [](OpPassManager &pm, const PipelineOptions &) {
       pm.addNestedPass<func::FuncOp>(createRecognizeActivations());
     },
     /*fusion=*/true},
    {"recognize-layer-norm",
     [](OpPassManager &pm, const PipelineOptions &) {
       pm.addNestedPass<func::FuncOp>(createRecognizeLayerNorm());
     },
     /*fusion=*/true},
    {"fuse-attention",
     [](OpPassManager &pm, const PipelineOptions &) {
       pm.addNestedPass<func::FuncOp>(createFuseAttention());
     },
     /*fusion=*/true},
    {"fuse-cbam",
     [](OpPassManager &pm, const PipelineOptions &) {
       pm.addNestedPass<func::FuncOp>(createFuseCbam());
       pm.addNestedPass<func::FuncOp>(createFoldConstants());
     },
     /*fusion=*/true},
    {"fuse-squeeze-excite",
     [](OpPassManager &pm, const PipelineOptions &) {
       pm.addNestedPass<func::FuncOp>(createFuseSqueezeExcite());
       pm.addNestedPass<func::FuncOp>(createFoldConstants());
     },
     /*fusion=*/true},
    {"fuse-epilogues",
     [](OpPassManager &pm, const PipelineOptions &) {
       pm.addNestedPass<func::FuncOp>(createFuseEpilogues());
       pm.addNestedPass<func::FuncOp>(createFoldConstants());
     },
     /*fusion=*/true},
    {kLastGraphStage,
     [](OpPassManager &pm, const PipelineOptions &) {
       pm.addPass(createCanonicalizerPass());
       pm.addPass(createCSEPass());
     }},
    {"linalg", [](OpPassManager &pm, const PipelineOptions &) { addToLinalgPasses(pm); }},
    {kScheduleStage,
     [](OpPassManager &pm, const PipelineOptions &options) {
       addKernelPasses(pm, options.fusion, options.schedulesFile, options.tuningDatabase,
                       options.harnessKeys, options.profileEachKernel);
     }},
    {"schedule", [](OpPassManager &pm, const PipelineOptions &) { addSchedulePasses(pm); }},
    {"bufferize", [](OpPassManager &pm, const PipelineOptions &) { addBufferizePasses(pm); }},
    {"llvm", [](OpPassManager &pm,
                const PipelineOptions &options) { addToLLVMPasses(pm, options.sharedLibrary); }},
};

llvm::SmallVector<llvm::StringRef> stageNames() {
  return llvm::to_vector(llvm::map_range(kStages, [](const Stage &s) { return s.name; }));
}

} // namespace

llvm::ArrayRef<llvm::StringRef> pipelineStages() {
  static const llvm::SmallVector<llvm::StringRef> names = stageNames();
  return names;
}

bool isGraphStage(llvm::StringRef stage) {
  auto names = pipelineStages();
  auto it = llvm::find(names, stage);
  return it != names.end() && it <= llvm::find(names, kLastGraphStage);
}

void addPipelineStages(OpPassManager &pm, const PipelineOptions &options,
                       llvm::DenseMap<const Pass *, llvm::StringRef> *stageOf) {
  bool skipping = options.resumeAfter.has_value();
  for (const Stage &stage : kStages) {
    if (!skipping && (options.fusion || !stage.fusion)) {
      stage.addPasses(pm, options);
      if (stageOf)
        for (Pass &pass : pm.getPasses())
          stageOf->try_emplace(&pass, stage.name);
    } else if (stage.name == *options.resumeAfter)
      skipping = false;
    if (options.stopAfter && stage.name == *options.stopAfter)
      break;
  }
}

static llvm::Error checkStages(const PipelineOptions &options) {
  for (const std::optional<std::string> &stage : {options.stopAfter, options.resumeAfter})
    if (stage && !llvm::is_contained(pipelineStages(), *stage))
      return llvm::createStringError("unknown stage '%s' (stages: %s)", stage->c_str(),
                                     llvm::join(pipelineStages(), ", ").c_str());
  return llvm::Error::success();
}

llvm::Error runPipeline(ModuleOp model, const PipelineOptions &options) {
  if (llvm::Error err = checkStages(options))
    return err;
  if (options.printAfterAll) {
    *options.printAfterAll << "// -----// IR after import //----- //\n";
    model->print(*options.printAfterAll, options.printing);
    *options.printAfterAll << "\n";
  }
  // The codegen stages' dialects are loaded before any pass runs, so a
  // pipeline that starts at them parses (reproducers, --stage).
  DialectRegistry registry;
  registerCodegenDialects(registry);
  model->getContext()->appendDialectRegistry(registry);
  PassManager pm(model->getContext());
  llvm::DenseMap<const Pass *, llvm::StringRef> stageOf;
  addPipelineStages(pm, options, &stageOf);
  if (options.progress) {
    pm.addInstrumentation(makeStageReporter(*options.progress, std::move(stageOf)));
    model->getContext()->registerActionHandler(makeKernelCounter(*options.progress));
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
  llvm::Error result = runPasses(pm, model, options.reproducer);
  if (options.progress)
    model->getContext()->registerActionHandler(nullptr);
  return result;
}

llvm::Error runPasses(PassManager &pm, ModuleOp model, llvm::StringRef reproducer) {
  if (!reproducer.empty())
    pm.enableCrashReproducerGeneration(reproducer);
  // An error names its op by location; the op itself (the whole module, for
  // a module pass) would bury the message.
  model->getContext()->printOpOnDiagnostic(false);
  std::string diagnostics;
  llvm::raw_string_ostream os(diagnostics);
  ScopedDiagnosticHandler handler(model->getContext(), [&](Diagnostic &d) {
    // Warnings (e.g. a kernel the schedule left scalar) do not stop the
    // pipeline, so they are shown now; errors go into the failure's message
    // with their notes (the failing pass and the reproducer).
    // Remarks (e.g. which kernels share a schedule's result) are for
    // acnn-opt's readers.
    if (d.getSeverity() == DiagnosticSeverity::Remark)
      return success();
    if (d.getSeverity() == DiagnosticSeverity::Warning) {
      llvm::errs() << "warning: " << d.getLocation() << ": " << d << "\n";
      return success();
    }
    os << d.getLocation() << ": " << d << "\n";
    for (Diagnostic &note : d.getNotes())
      os << "  note: " << note << "\n";
    return success();
  });
  if (failed(pm.run(model)))
    return llvm::createStringError("pipeline failed:\n%s", diagnostics.c_str());
  return llvm::Error::success();
}

std::string defaultReproducerPath(llvm::StringRef modelName) {
  llvm::SmallString<128> path;
  llvm::sys::path::system_temp_directory(/*ErasedOnReboot=*/true, path);
  llvm::sys::path::append(path, "acnn-" + modelName + "-reproducer.mlir");
  return path.str().str();
}

namespace {

struct PipelineRegistrationOptions : PassPipelineOptions<PipelineRegistrationOptions> {
  Option<std::string> from{*this, "from",
                           llvm::cl::desc("Start after this stage (default: the first)")};
  Option<std::string> to{*this, "to", llvm::cl::desc("Stop after this stage (default: the last)")};
  Option<bool> fusion{*this, "fusion", llvm::cl::desc("Run the fusion stages"),
                      llvm::cl::init(true)};
  Option<bool> sharedLibrary{*this, "shared-library",
                             llvm::cl::desc("Export the shared library's entry names"),
                             llvm::cl::init(false)};
};

} // namespace

void registerPipelines() {
  static bool once = [] {
    registerPassPipeline(
        "acnn-pipeline",
        "acnnc's pipeline from the imported graph to the LLVM dialect, or its stages after "
        "`from` up to `to`",
        [](OpPassManager &pm, llvm::StringRef text,
           llvm::function_ref<LogicalResult(const llvm::Twine &)> errorHandler) {
          PipelineRegistrationOptions o;
          if (failed(o.parseFromString(text)))
            return failure();
          PipelineOptions options;
          if (!o.from.empty())
            options.resumeAfter = o.from;
          if (!o.to.empty())
            options.stopAfter = o.to;
          options.fusion = o.fusion;
          options.sharedLibrary = o.sharedLibrary;
          if (llvm::Error err = checkStages(options))
            return errorHandler(llvm::toString(std::move(err)));
          addPipelineStages(pm, options);
          return success();
        },
        [](llvm::function_ref<void(const detail::PassOptions &)> describe) {
          describe(PipelineRegistrationOptions());
        });
    return true;
  }();
  (void)once;
}

} // namespace acnn
