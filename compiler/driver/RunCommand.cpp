// acnnc run: execute a model on .npy inputs with the reference interpreter.
#include "compiler/driver/Commands.h"
#include "compiler/driver/Pipeline.h"
#include "compiler/interpreter/Interpreter.h"
#include "dialects/acnn/ShapeUtils.h"
#include "frontends/text/GraphBuilder.h"

#include "acnn/npy.h"

#include "llvm/Support/raw_ostream.h"
#include <chrono>

using namespace mlir;

namespace acnn {

namespace {
struct RunArgs {
  ModelArgs model;
  std::vector<std::string> inputs;  // [NAME=]FILE.npy
  std::vector<std::string> outputs; // [NAME=]FILE.npy
  std::string stage;
};

/// Binds "[NAME=]FILE" specs to the names in `names`, in order when unnamed.
llvm::Expected<std::vector<std::string>> bindFiles(llvm::ArrayRef<std::string> specs,
                                                   llvm::ArrayRef<std::string> names,
                                                   llvm::StringRef what) {
  std::vector<std::string> files(names.size());
  for (auto [i, spec] : llvm::enumerate(specs)) {
    auto [name, file] = llvm::StringRef(spec).split('=');
    size_t slot = i;
    if (!file.empty()) {
      auto it = llvm::find(names, name.str());
      if (it == names.end())
        return llvm::createStringError("the model has no %s named '%s' (it has: %s)",
                                       what.data(), name.str().c_str(),
                                       llvm::join(names, ", ").c_str());
      slot = it - names.begin();
    } else {
      file = name;
    }
    if (slot >= names.size())
      return llvm::createStringError("%zu %s files given, the model has %zu %ss",
                                     specs.size(), what.data(), names.size(), what.data());
    files[slot] = file.str();
  }
  return files;
}

std::vector<std::string> argNames(func::FuncOp entry) {
  std::vector<std::string> names;
  for (unsigned i = 0; i < entry.getNumArguments(); ++i) {
    auto name = entry.getArgAttrOfType<StringAttr>(i, kNameAttr);
    names.push_back(name ? name.str() : "input" + std::to_string(i));
  }
  return names;
}

std::vector<std::string> resultNames(func::FuncOp entry) {
  std::vector<std::string> names;
  for (unsigned i = 0; i < entry.getNumResults(); ++i) {
    auto name = entry.getResultAttrOfType<StringAttr>(i, kNameAttr);
    names.push_back(name ? name.str() : "output" + std::to_string(i));
  }
  return names;
}

llvm::Expected<Tensor> readNpy(const std::string &path) {
  acnn_npy_array array;
  char err[512];
  if (acnn_npy_read(path.c_str(), &array, err, sizeof err))
    return llvm::createStringError("%s", err);
  Tensor t;
  t.shape.assign(array.shape, array.shape + array.rank);
  t.data.assign(array.data, array.data + product(t.shape));
  acnn_npy_free(&array);
  return t;
}

/// Writes `t` as the model's result type says: i64 results (argmax indices,
/// which the interpreter holds as exact floats) as int64.
llvm::Error writeNpy(const std::string &path, const Tensor &t, Type type) {
  char err[512];
  int failed;
  if (cast<ShapedType>(type).getElementType().isInteger(64)) {
    std::vector<int64_t> ints(t.data.begin(), t.data.end());
    failed = acnn_npy_write_i64(path.c_str(), ints.data(), t.shape.data(), int(t.shape.size()),
                                err, sizeof err);
  } else {
    failed = acnn_npy_write(path.c_str(), t.data.data(), t.shape.data(), int(t.shape.size()), err,
                            sizeof err);
  }
  if (failed)
    return llvm::createStringError("%s", err);
  return llvm::Error::success();
}
} // namespace

static llvm::Error run(const RunArgs &args) {
  MLIRContext ctx;
  auto model = args.model.load(ctx);
  if (!model)
    return model.takeError();
  if (!args.stage.empty() && !isGraphStage(args.stage))
    return llvm::createStringError("--stage=%s: the interpreter runs graph stages only (up to %s)",
                                   args.stage.c_str(), kLastGraphStage.data());
  PipelineOptions options;
  options.stopAfter = args.stage.empty() ? kLastGraphStage.str() : args.stage;
  if (llvm::Error err = runPipeline(**model, options))
    return err;
  auto entry = (*model)->lookupSymbol<func::FuncOp>(kEntryName);

  std::vector<std::string> inNames = argNames(entry), outNames = resultNames(entry);
  auto inFiles = bindFiles(args.inputs, inNames, "input");
  if (!inFiles)
    return inFiles.takeError();
  auto outFiles = bindFiles(args.outputs, outNames, "output");
  if (!outFiles)
    return outFiles.takeError();
  std::vector<Tensor> inputs;
  for (auto [name, file] : llvm::zip(inNames, *inFiles)) {
    if (file.empty())
      return llvm::createStringError("no .npy file given for input '%s'", name.c_str());
    auto t = readNpy(file);
    if (!t)
      return t.takeError();
    inputs.push_back(std::move(*t));
  }

  auto start = std::chrono::steady_clock::now();
  auto results = interpret(entry, inputs);
  if (!results)
    return results.takeError();
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                  .count();
  for (auto [name, file, t, type] :
       llvm::zip(outNames, *outFiles, *results, entry.getResultTypes())) {
    llvm::outs() << name << ": " << formatShape(t.shape);
    if (!file.empty()) {
      if (llvm::Error err = writeNpy(file, t, type))
        return err;
      llvm::outs() << " -> " << file;
    }
    llvm::outs() << "\n";
  }
  llvm::outs() << llvm::format("interpreter: %.2f ms\n", ms);
  return llvm::Error::success();
}

Command addRunCommand(CLI::App &app) {
  auto args = std::make_shared<RunArgs>();
  CLI::App *cmd = app.add_subcommand("run", "Run a model on .npy inputs (reference interpreter)");
  args->model.addTo(*cmd);
  cmd->add_option("-i,--input", args->inputs, "Input .npy, as FILE or NAME=FILE (repeatable)");
  cmd->add_option("-o,--output", args->outputs, "Where to write an output, FILE or NAME=FILE");
  cmd->add_option("--stage", args->stage, "Interpret the IR after this stage (default: last)");
  return {cmd, [args] { return run(*args); }};
}

} // namespace acnn
