// acnnc: the acnn compiler driver.
#include "compiler/driver/Commands.h"

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

int main(int argc, char **argv) {
  CLI::App app{"acnnc: compile attention-CNN image models to native code"};
  app.require_subcommand(1);
  Command commands[] = {addCompileCommand(app), addInspectCommand(app), addRunCommand(app),
                        addOnnxOpsCommand(app)};
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
