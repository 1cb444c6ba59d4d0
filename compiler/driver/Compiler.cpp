#include "compiler/driver/Compiler.h"
#include "compiler/codegen/Artifact.h"
#include "compiler/codegen/ObjectEmitter.h"
#include "compiler/driver/Pipeline.h"
#include "compiler/driver/Progress.h"

namespace acnn {

llvm::Expected<std::string> lowerModel(mlir::ModuleOp model, const PipelineOptions &options,
                                       std::vector<ScheduleEntry> *schedules) {
  if (options.stopAfter && isGraphStage(*options.stopAfter))
    return llvm::createStringError("stage '%s' is a graph stage; codegen starts after '%s'",
                                   options.stopAfter->c_str(), kLastGraphStage.data());
  PipelineOptions graph = options;
  graph.resumeAfter.reset();
  graph.stopAfter = kLastGraphStage.str();
  if (llvm::Error err = runPipeline(model, graph))
    return std::move(err);
  std::string header = modelHeader(model);
  PipelineOptions codegen = options;
  codegen.resumeAfter = kLastGraphStage.str();
  llvm::ArrayRef<llvm::StringRef> stages = pipelineStages();
  if (schedules && (!options.stopAfter ||
                    llvm::find(stages, *options.stopAfter) >= llvm::find(stages, kScheduleStage))) {
    // The schedules are attributes only from the kernels stage to the next.
    PipelineOptions kernels = codegen;
    kernels.stopAfter = kScheduleStage.str();
    if (llvm::Error err = runPipeline(model, kernels))
      return std::move(err);
    *schedules = scheduleEntries(model);
    if (kernels.stopAfter == options.stopAfter)
      return header;
    codegen.resumeAfter = kScheduleStage.str();
  }
  if (llvm::Error err = runPipeline(model, codegen))
    return std::move(err);
  return header;
}

llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
compileToObject(mlir::ModuleOp model, llvm::TargetMachine &machine, Progress *progress) {
  llvm::LLVMContext context;
  // Names of values are for reading IR; an object needs none, and in one
  // large function the optimiser spends much of its time keeping them unique.
  context.setDiscardValueNames(true);
  if (progress)
    progress->stage("llvm-optimize");
  auto module = translateToLLVMIR(model, context, machine);
  if (!module)
    return module.takeError();
  if (progress)
    progress->stage("llvm-codegen");
  return emitObject(**module, machine);
}

} // namespace acnn
