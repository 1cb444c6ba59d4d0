#ifndef ACNN_COMPILER_DRIVER_COMMANDS_H
#define ACNN_COMPILER_DRIVER_COMMANDS_H

// The verbs of acnnc. Each registers its options on a CLI11 subcommand and
// runs when that subcommand was given; errors are returned, main prints them.

#include "compiler/codegen/ObjectEmitter.h"
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

/// Options of the machine a model is compiled for (compile, inspect).
struct TargetArgs {
  CpuTarget cpu;
  std::string scheduleTarget; // default: --cpu's
  int64_t threads = 0;        // default: the CPUs acnnc may run on

  void addTo(CLI::App &command);
  /// Sets `model`'s #acnn.target, which every codegen pass reads, and
  /// returns the LLVM target machine of --cpu.
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> apply(mlir::ModuleOp model) const;
};

struct Command {
  CLI::App *cli;
  std::function<llvm::Error()> run;
};

Command addInspectCommand(CLI::App &app);
Command addRunCommand(CLI::App &app);
Command addCompileCommand(CLI::App &app);
Command addTuneCommand(CLI::App &app);
/// Hidden: writes docs/onnx-ops.md from the ONNX importer's op table.
Command addOnnxOpsCommand(CLI::App &app);

} // namespace acnn

#endif
