#ifndef ACNN_COMPILER_DRIVER_PIPELINE_H
#define ACNN_COMPILER_DRIVER_PIPELINE_H

// The graph pipeline as named stages; `acnnc inspect --stage` stops after one.

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OperationSupport.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>

namespace acnn {

/// Stage names in order; the first, "import", is the frontend's output.
llvm::ArrayRef<llvm::StringRef> pipelineStages();

struct PipelineOptions {
  /// Run the stages up to and including this one (default: all).
  std::optional<std::string> stopAfter;
  /// Print the IR after import and after every pass to this stream.
  llvm::raw_ostream *printAfterAll = nullptr;
  mlir::OpPrintingFlags printing;
};

/// Runs the graph pipeline on `model` in place; errors name the failing pass.
llvm::Error runPipeline(mlir::ModuleOp model, const PipelineOptions &options);

} // namespace acnn

#endif
