// acnnc onnx-ops (hidden): prints docs/onnx-ops.md from the ONNX importer's
// op table; tests/lit/acnnc/onnx-ops-doc.test checks the committed copy.
#include "compiler/driver/Commands.h"
#include "frontends/onnx/OnnxOpTable.h"

namespace acnn {

Command addOnnxOpsCommand(CLI::App &app) {
  CLI::App *cmd = app.add_subcommand("onnx-ops", "Print the ONNX operator table as Markdown");
  cmd->group(""); // hidden from --help: a maintainer's tool
  return {cmd, [] {
            writeOnnxOpsDoc(llvm::outs());
            return llvm::Error::success();
          }};
}

} // namespace acnn
