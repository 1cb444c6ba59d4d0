// acnnc inspect: the IR after any stage, the graph as a picture, its fused
// kernels, or which nodes of an ONNX model acnn cannot import.
#include "compiler/codegen/ScheduleFile.h"
#include "compiler/driver/Commands.h"
#include "compiler/driver/FusionReport.h"
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
  bool fusion = false;
  bool noFusion = false;
  bool coverage = false;
  bool schedules = false;
  std::string tuningDatabase;
  TargetArgs machine;
};
} // namespace

// Lists every node the importer refuses, one a line, and fails if any.
static llvm::Error reportCoverage(const ModelArgs &model) {
  auto options = model.loadOptions();
  if (!options)
    return options.takeError();
  mlir::MLIRContext ctx;
  auto report = checkCoverage(ctx, model.path, *options);
  if (!report)
    return report.takeError();
  if (report->unsupported.empty()) {
    llvm::outs() << model.path << ": all " << report->numNodes << " nodes can be imported\n";
    return llvm::Error::success();
  }
  for (const UnsupportedNode &n : report->unsupported)
    llvm::outs() << "node '" << n.node << "' (" << n.op << "): " << n.reason << "\n";
  return llvm::createStringError("%s: %zu of %lld nodes cannot be imported", model.path.c_str(),
                                 report->unsupported.size(), (long long)report->numNodes);
}

static llvm::Error inspect(const InspectArgs &args) {
  if (args.coverage)
    return reportCoverage(args.model);
  mlir::MLIRContext ctx;
  auto model = args.model.load(ctx);
  if (!model)
    return model.takeError();
  if (auto machine = args.machine.apply(**model); !machine)
    return machine.takeError();
  PipelineOptions options;
  options.stopAfter = args.stage.empty() ? kLastGraphStage.str() : args.stage;
  if (args.schedules) {
    if (!args.stage.empty() && args.stage != kScheduleStage)
      return llvm::createStringError("--schedules prints the schedules the '%s' stage chose: "
                                     "--stage %s is another",
                                     kScheduleStage.data(), args.stage.c_str());
    options.stopAfter = kScheduleStage.str();
  }
  options.fusion = !args.noFusion;
  options.tuningDatabase = args.tuningDatabase;
  if (args.fusion && !isGraphStage(*options.stopAfter))
    return llvm::createStringError("--fusion lists the kernels of the acnn graph: --stage %s is "
                                   "past the graph stages (the last is %s)",
                                   options.stopAfter->c_str(), kLastGraphStage.data());
  if (!args.printWeights)
    options.printing.elideLargeElementsAttrs(8);
  if (args.printAfterAll)
    options.printAfterAll = &llvm::outs();
  options.reproducer = defaultReproducerPath((*model)->getSymName().value_or("model"));
  if (llvm::Error err = runPipeline(**model, options))
    return err;
  if (!args.dot.empty()) {
    std::error_code ec;
    llvm::raw_fd_ostream os(args.dot, ec);
    if (ec)
      return llvm::createStringError("%s: %s", args.dot.c_str(), ec.message().c_str());
    writeDot(**model, os);
  }
  if (args.fusion)
    return writeFusionReport(**model, llvm::outs());
  if (args.schedules) {
    std::string header;
    llvm::raw_string_ostream os(header);
    os << "acnn schedules of " << (*model)->getSymName().value_or("model") << " for "
       << targetOf(**model);
    writeScheduleFile(llvm::outs(), scheduleEntries(**model), header);
    return llvm::Error::success();
  }
  if (args.dot.empty() && !args.printAfterAll) {
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
  cmd->add_option("--stage", args->stage, "Stop after this stage (default: " + kLastGraphStage.str() +
                                         "): " + stages)
      ->check(CLI::IsMember(std::vector<std::string>(pipelineStages().begin(),
                                                     pipelineStages().end())));
  cmd->add_flag("--print-ir-after-all", args->printAfterAll,
                "Print the IR after import and after every pass");
  cmd->add_flag("--print-weights", args->printWeights, "Print weights in full");
  cmd->add_flag("--coverage", args->coverage,
                "List every node of an ONNX model acnn cannot import, with the reason");
  cmd->add_option("--dot", args->dot,
                  "Write the graph as Graphviz DOT to this file ('-': stdout); fused kernels "
                  "are coloured by op");
  cmd->add_flag("--no-fusion", args->noFusion,
                "Skip the fusion stages (as `acnnc compile --no-fusion` does)");
  cmd->add_flag("--fusion", args->fusion,
                "List each kernel with the ops it fused, its shapes, FLOPs and bytes moved");
  cmd->add_flag("--schedules", args->schedules,
                "Print each kernel's entry name, key and schedule, as `acnnc compile "
                "--schedules` reads them back");
  cmd->add_option("--tuning-db", args->tuningDatabase,
                  "A tuning database (as `acnnc tune` writes it) whose records give the kernels "
                  "they match their schedule; --schedules marks their entries")
      ->check(CLI::ExistingFile);
  args->machine.addTo(*cmd);
  return {cmd, [args] { return inspect(*args); }};
}

} // namespace acnn
