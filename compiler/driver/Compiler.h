#ifndef ACNN_COMPILER_DRIVER_COMPILER_H
#define ACNN_COMPILER_DRIVER_COMPILER_H

// The compile path shared by `acnnc compile` and the tests that run
// generated code: the pipeline down to the LLVM dialect, then machine code.

#include "compiler/codegen/ScheduleFile.h"
#include "compiler/driver/Pipeline.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Target/TargetMachine.h"

#include <optional>
#include <string>
#include <vector>

namespace acnn {

/// Runs the graph stages, then the codegen stages up to options.stopAfter
/// (default: all, ending in the LLVM dialect), with the rest of `options`
/// (resumeAfter is ignored). Returns the model's C header, written from its
/// tensor-level signature before codegen changes it. With `schedules`, and
/// a pipeline that goes as far as kScheduleStage, sets it to the kernels'
/// schedules as that stage chose them (scheduleEntries), which later stages
/// drop.
llvm::Expected<std::string> lowerModel(mlir::ModuleOp model, const PipelineOptions &options,
                                       std::vector<ScheduleEntry> *schedules = nullptr);

/// A model lowered by lowerModel as a relocatable object for `machine`;
/// `progress`, if given, is told its two steps.
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
compileToObject(mlir::ModuleOp model, llvm::TargetMachine &machine, Progress *progress = nullptr);

} // namespace acnn

#endif
