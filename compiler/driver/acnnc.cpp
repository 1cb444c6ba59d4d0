// acnnc: the acnn compiler driver.
#include "compiler/driver/Commands.h"
#include "compiler/codegen/TargetDescription.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/Support/WithColor.h"

using namespace acnn;

void ModelArgs::addTo(CLI::App &command) {
  command.add_option("model", path, "Model file (.onnx, .acnn or .mlir)")
      ->required()
      ->check(CLI::ExistingFile);
  command.add_option("--input-shape", inputShapes,
                     "Pin an ONNX input's shape, e.g. input=1x3x224x224 (repeatable)");
  command.add_option("--weights", weights, "Weights for a .acnn model (.safetensors)");
}

llvm::Expected<LoadOptions> ModelArgs::loadOptions() const {
  LoadOptions options;
  options.weightsPath = weights;
  for (llvm::StringRef spec : inputShapes) {
    auto [name, shape] = spec.split('=');
    if (name.empty() || shape.empty())
      return llvm::createStringError("--input-shape '%s': expected NAME=SHAPE", spec.data());
    auto dims = parseShape(shape);
    if (!dims)
      return dims.takeError();
    options.inputShapes[name] = *dims;
  }
  return options;
}

llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>> ModelArgs::load(mlir::MLIRContext &ctx) const {
  llvm::Expected<LoadOptions> options = loadOptions();
  if (!options)
    return options.takeError();
  return loadModel(ctx, path, *options);
}

void TargetArgs::addTo(CLI::App &command) {
  command.add_option("--cpu", cpu.cpu,
                     "native (default), or an LLVM CPU name: x86-64-v3, x86-64-v4, znver3, ...");
  command.add_option("--schedule-target", scheduleTarget,
                     "Schedule kernels for this vector ISA (avx2, avx512 or sse) instead of "
                     "--cpu's; code for --cpu still runs them, e.g. to test AVX-512 schedules on "
                     "an AVX2 machine");
  command
      .add_option("--threads", threads,
                  "Threads the parallel loops are cut for, and the library's default thread "
                  "count (default: the CPUs acnnc may run on)")
      ->check(CLI::Range(1, 1024));
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>> TargetArgs::apply(mlir::ModuleOp model) const {
  auto machine = createTargetMachine(cpu);
  if (!machine)
    return machine.takeError();
  TargetAttr target = describeTarget(model.getContext(), **machine, cpu.cpu == "native", threads);
  if (!scheduleTarget.empty()) {
    auto other = withIsa(target, scheduleTarget);
    if (!other)
      return other.takeError();
    target = *other;
  }
  model->setAttr(kTargetAttr, target);
  return machine;
}

int main(int argc, char **argv) {
  CLI::App app{"acnnc: compile attention-CNN image models to native code"};
  app.set_version_flag("--version", std::string("acnnc ") + ACNN_VERSION +
                                        " (MLIR and LLVM " LLVM_VERSION_STRING ")");
  app.require_subcommand(1);
  Command commands[] = {addCompileCommand(app), addInspectCommand(app), addTuneCommand(app),
                        addRunCommand(app), addOnnxOpsCommand(app)};
  CLI11_PARSE(app, argc, argv);
  for (Command &command : commands) {
    if (!command.cli->parsed())
      continue;
    if (llvm::Error err = command.run()) {
      llvm::WithColor::error(llvm::errs(), "acnnc") << llvm::toString(std::move(err)) << "\n";
      return 1;
    }
  }
  return 0;
}
