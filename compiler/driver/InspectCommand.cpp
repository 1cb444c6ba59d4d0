// acnnc inspect: the IR after any stage, or the graph as a picture.
#include "compiler/driver/Commands.h"
#include "compiler/driver/GraphDot.h"
#include "compiler/driver/Pipeline.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

namespace acnn {

namespace {
struct InspectArgs {
  ModelArgs model;
  std::string stage;
  bool printAfterAll = false;
  bool printWeights = false;
  std::string dot;
};
} // namespace

static llvm::Error inspect(const InspectArgs &args) {
  mlir::MLIRContext ctx;
  auto model = args.model.load(ctx);
  if (!model)
    return model.takeError();
  PipelineOptions options;
  if (!args.stage.empty())
    options.stopAfter = args.stage;
  if (!args.printWeights)
    options.printing.elideLargeElementsAttrs(8);
  if (args.printAfterAll)
    options.printAfterAll = &llvm::outs();
  if (llvm::Error err = runPipeline(**model, options))
    return err;
  if (!args.dot.empty()) {
    std::error_code ec;
    llvm::raw_fd_ostream os(args.dot, ec);
    if (ec)
      return llvm::createStringError("%s: %s", args.dot.c_str(), ec.message().c_str());
    writeDot(**model, os);
    return llvm::Error::success();
  }
  if (!args.printAfterAll) {
    (*model)->print(llvm::outs(), options.printing);
    llvm::outs() << "\n";
  }
  return llvm::Error::success();
}

Command addInspectCommand(CLI::App &app) {
  auto args = std::make_shared<InspectArgs>();
  CLI::App *cmd = app.add_subcommand("inspect", "Print the IR after a pipeline stage");
  args->model.addTo(*cmd);
  std::string stages = llvm::join(pipelineStages(), ", ");
  cmd->add_option("--stage", args->stage, "Stop after this stage: " + stages)
      ->check(CLI::IsMember(std::vector<std::string>(pipelineStages().begin(),
                                                     pipelineStages().end())));
  cmd->add_flag("--print-ir-after-all", args->printAfterAll,
                "Print the IR after import and after every pass");
  cmd->add_flag("--print-weights", args->printWeights, "Print weights in full");
  cmd->add_option("--dot", args->dot, "Write the graph as Graphviz DOT to this file ('-': stdout)");
  return {cmd, [args] { return inspect(*args); }};
}

} // namespace acnn
