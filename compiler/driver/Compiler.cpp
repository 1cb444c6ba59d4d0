#include "compiler/driver/Compiler.h"
#include "compiler/codegen/Artifact.h"
#include "compiler/codegen/ObjectEmitter.h"
#include "compiler/driver/Pipeline.h"

namespace acnn {

llvm::Expected<std::string> lowerModel(mlir::ModuleOp model, bool sharedLibrary,
                                       std::optional<std::string> stopAfter, bool fusion,
                                       std::string reproducer) {
  if (stopAfter && isGraphStage(*stopAfter))
    return llvm::createStringError("stage '%s' is a graph stage; codegen starts after '%s'",
                                   stopAfter->c_str(), kLastGraphStage.data());
  PipelineOptions graph;
  graph.stopAfter = kLastGraphStage.str();
  graph.fusion = fusion;
  graph.reproducer = reproducer;
  if (llvm::Error err = runPipeline(model, graph))
    return std::move(err);
  std::string header = modelHeader(model);
  PipelineOptions codegen;
  codegen.resumeAfter = kLastGraphStage.str();
  codegen.stopAfter = stopAfter;
  codegen.sharedLibrary = sharedLibrary;
  codegen.fusion = fusion;
  codegen.reproducer = reproducer;
  if (llvm::Error err = runPipeline(model, codegen))
    return std::move(err);
  return header;
}

llvm::Expected<std::string> compileToObject(mlir::ModuleOp model, llvm::TargetMachine &machine) {
  llvm::LLVMContext context;
  auto module = translateToLLVMIR(model, context, machine);
  if (!module)
    return module.takeError();
  return emitObject(**module, machine);
}

} // namespace acnn
