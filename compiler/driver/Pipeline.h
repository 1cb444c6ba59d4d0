#ifndef ACNN_COMPILER_DRIVER_PIPELINE_H
#define ACNN_COMPILER_DRIVER_PIPELINE_H

// The graph pipeline as named stages; `acnnc inspect --stage` stops after one.

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>

namespace acnn {

class Progress;

/// Stage names in order; the first, "import", is the frontend's output. The
/// graph stages (acnn dialect, which the interpreter runs) end with
/// kLastGraphStage; the codegen stages lower to the LLVM dialect.
llvm::ArrayRef<llvm::StringRef> pipelineStages();
inline constexpr llvm::StringLiteral kLastGraphStage = "canonicalize";
/// The codegen stage after which every kernel holds its #acnn.schedule.
inline constexpr llvm::StringLiteral kScheduleStage = "kernels";
bool isGraphStage(llvm::StringRef stage);

struct PipelineOptions {
  /// Run the stages up to and including this one (default: all).
  std::optional<std::string> stopAfter;
  /// Skip the stages up to and including this one: the model already went through them.
  std::optional<std::string> resumeAfter;
  /// Export the entry under the generic names a shared library needs.
  bool sharedLibrary = false;
  /// Run the fusion stages (fold-batch-norm, recognize-*, fuse-*) and the
  /// codegen's loop fusion. Off, every op of the imported graph is a kernel
  /// of its own: what `--no-fusion` measures fusion against.
  bool fusion = true;
  /// Print the IR after import and after every pass to this stream.
  llvm::raw_ostream *printAfterAll = nullptr;
  mlir::OpPrintingFlags printing;
  /// Where a pass that fails or crashes leaves a reproducer: the module
  /// before the pipeline and the pipeline, for `acnn-opt --run-reproducer`
  /// (empty: none).
  std::string reproducer;
  /// A schedules file (ScheduleFile.h) whose entries replace the generated
  /// schedules of the kernels they name (empty: none).
  std::string schedulesFile;
  /// A tuning database (TuningDatabase.h) whose records give the kernels
  /// without such an entry their schedule (empty: none).
  std::string tuningDatabase;
  /// A file of kernel keys (one a line): @main keeps one kernel of each,
  /// its inputs as arguments (KernelHarness.h; empty: the whole model).
  std::string harnessKeys;
  /// The runtime's profile times each linalg kernel apart, under its entry
  /// name, rather than each acnn kernel.
  bool profileEachKernel = false;
  /// Told the stage each top-level pass belongs to as it starts (null: none).
  Progress *progress = nullptr;
};

/// Adds the stages `options` selects to `pm`: what runPipeline runs, and
/// what `acnn-opt --acnn-pipeline` runs.
/// With `stageOf`, records the stage of each top-level pass added.
void addPipelineStages(mlir::OpPassManager &pm, const PipelineOptions &options,
                       llvm::DenseMap<const mlir::Pass *, llvm::StringRef> *stageOf = nullptr);

/// Runs the stages on `model` in place; errors name the failing pass.
llvm::Error runPipeline(mlir::ModuleOp model, const PipelineOptions &options);

/// Runs `pm` on `model`. Warnings are printed; errors, and a pass that
/// crashes (a signal caught on the thread running it), become the returned
/// error, which names the pass, the op it ran on and the reproducer.
llvm::Error runPasses(mlir::PassManager &pm, mlir::ModuleOp model, llvm::StringRef reproducer);

/// Registers `acnn-pipeline{from=STAGE to=STAGE fusion shared-library}`
/// with MLIR's pass registry (acnn-opt).
void registerPipelines();

/// The default reproducer path of a model: `acnn-<name>-reproducer.mlir` in
/// the system's temporary directory.
std::string defaultReproducerPath(llvm::StringRef modelName);

} // namespace acnn

#endif
