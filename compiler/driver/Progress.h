#ifndef ACNN_COMPILER_DRIVER_PROGRESS_H
#define ACNN_COMPILER_DRIVER_PROGRESS_H

// What acnnc says while it compiles: on a terminal, one line it rewrites
// with the stage it is in (a large model takes a minute); at the end, one
// summary line.

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <optional>

namespace acnn {

class Progress {
public:
  /// `live`: show the stage line (a terminal, not quiet).
  Progress(llvm::raw_ostream &os, bool live);
  ~Progress() { clear(); }

  /// Shows `name` as the stage now running, with the time since the start.
  void stage(llvm::StringRef name);
  /// Adds "kernel `index + 1`/`total`" to the stage line.
  void kernel(int64_t index, int64_t total);
  /// Erases the stage line.
  void clear();
  double seconds() const;
  llvm::raw_ostream &stream() { return os; }

private:
  llvm::raw_ostream &os;
  bool live;
  bool shown = false;
  std::string current;
  void show(llvm::StringRef detail);
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
};

/// Reports to `progress` the stage of each top-level pass of a pipeline as it
/// starts (`stageOf` maps those passes to their stage names).
std::unique_ptr<mlir::PassInstrumentation>
makeStageReporter(Progress &progress, llvm::DenseMap<const mlir::Pass *, llvm::StringRef> stageOf);

/// An MLIR action handler that shows on `progress` the kernels
/// acnn-apply-schedules schedules, one by one (ScheduleKernelAction).
mlir::MLIRContext::HandlerTy makeKernelCounter(Progress &progress);

/// What the compiled `model` (lowered to the LLVM dialect) holds, as one line:
/// kernels, arena bytes, constant bytes, and `artifactBytes` when known.
std::string summarize(mlir::ModuleOp model, std::optional<uint64_t> artifactBytes);

} // namespace acnn

#endif
