#ifndef ACNN_COMPILER_DRIVER_COMMANDS_H
#define ACNN_COMPILER_DRIVER_COMMANDS_H

// The verbs of acnnc. Each registers its options on a CLI11 subcommand and
// runs when that subcommand was given; errors are returned, main prints them.

#include "compiler/driver/ModelLoader.h"

#include "llvm/ADT/StringExtras.h"

#include <CLI/CLI.hpp>
#include <functional>

namespace acnn {

/// Options every verb that reads a model takes.
struct ModelArgs {
  std::string path;
  std::vector<std::string> inputShapes; // NAME=1x3x224x224
  std::string weights;

  void addTo(CLI::App &command);
  llvm::Expected<LoadOptions> loadOptions() const;
  llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>> load(mlir::MLIRContext &ctx) const;
};

struct Command {
  CLI::App *cli;
  std::function<llvm::Error()> run;
};

Command addInspectCommand(CLI::App &app);
Command addRunCommand(CLI::App &app);
Command addCompileCommand(CLI::App &app);
/// Hidden: writes docs/onnx-ops.md from the ONNX importer's op table.
Command addOnnxOpsCommand(CLI::App &app);

} // namespace acnn

#endif
