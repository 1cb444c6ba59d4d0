// acnnc compile: a model to a native object, library, LLVM IR or MLIR.
#include "compiler/codegen/Artifact.h"
#include "compiler/codegen/ObjectEmitter.h"
#include "compiler/codegen/ScheduleFile.h"
#include "compiler/driver/Commands.h"
#include "compiler/driver/Compiler.h"
#include "compiler/driver/Pipeline.h"
#include "compiler/driver/Progress.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace acnn {

namespace {
struct CompileArgs {
  ModelArgs model;
  std::string output;
  std::string emit; // obj, static, shared, llvm, mlir; default from the output's extension
  std::string stage;
  std::string target = "cpu";
  TargetArgs machine;
  std::string name;
  std::string schedules;
  std::string tuningDatabase;
  std::string harness;
  bool profileEachKernel = false;
  bool noFusion = false;
  bool quiet = false;
};

std::string emitKindFromExtension(llvm::StringRef path) {
  llvm::StringRef ext = llvm::sys::path::extension(path);
  if (ext == ".a")
    return "static";
  if (ext == ".so")
    return "shared";
  if (ext == ".ll")
    return "llvm";
  if (ext == ".mlir")
    return "mlir";
  return "obj";
}

/// The model's C name: --name, else the file name without extension.
std::string modelName(const CompileArgs &args) {
  std::string name =
      args.name.empty() ? llvm::sys::path::stem(args.model.path).str() : args.name;
  for (char &c : name)
    if (!llvm::isAlnum(c))
      c = '_';
  return name;
}
} // namespace

static llvm::Error write(const CompileArgs &args, llvm::StringRef emit, ModuleOp model,
                         llvm::TargetMachine &machine, llvm::StringRef header,
                         Progress &progress);

static llvm::Error compile(const CompileArgs &args) {
  std::string emit = args.emit.empty() ? emitKindFromExtension(args.output) : args.emit;
  if (args.target != "cpu")
    return llvm::createStringError("--target=%s is not supported yet (supported: cpu)",
                                   args.target.c_str());
  if (emit != "mlir" && !args.stage.empty())
    return llvm::createStringError("--stage applies to --emit=mlir only");
  Progress progress(llvm::errs(), !args.quiet && llvm::errs().is_displayed());
  progress.stage("import");
  MLIRContext ctx;
  auto model = args.model.load(ctx);
  if (!model)
    return model.takeError();
  (*model)->setSymName(modelName(args));
  auto machine = args.machine.apply(**model);
  if (!machine)
    return machine.takeError();
  PipelineOptions options;
  if (!args.stage.empty())
    options.stopAfter = args.stage;
  options.sharedLibrary = emit == "shared";
  options.fusion = !args.noFusion;
  options.reproducer = defaultReproducerPath(modelName(args));
  options.schedulesFile = args.schedules;
  options.tuningDatabase = args.tuningDatabase;
  options.harnessKeys = args.harness;
  options.profileEachKernel = args.profileEachKernel;
  options.progress = &progress;
  bool reportHits = !args.tuningDatabase.empty() && !args.quiet;
  std::vector<ScheduleEntry> schedules;
  auto header = lowerModel(**model, options, reportHits ? &schedules : nullptr);
  if (!header)
    return header.takeError();
  llvm::Error written = write(args, emit, **model, **machine, *header, progress);
  progress.clear();
  if (written || args.quiet)
    return written;
  if (reportHits) {
    auto hits = llvm::count_if(
        schedules, [](const ScheduleEntry &e) { return e.source == ScheduleSource::Database; });
    llvm::errs() << "acnnc: tuning database " << args.tuningDatabase << ": " << hits << " of "
                 << schedules.size() << " kernels hit\n";
  }
  std::optional<uint64_t> size;
  uint64_t n;
  if (args.output != "-" && !llvm::sys::fs::file_size(args.output, n))
    size = n;
  // Before the last stage the metadata lacks the kernels and the arena.
  llvm::errs() << "acnnc: " << args.output << ": "
               << (args.stage.empty() ? summarize(**model, size) : "stage " + args.stage)
               << ", " << llvm::format("%.1f s", progress.seconds()) << "\n";
  return llvm::Error::success();
}

/// Writes the lowered `model` as `emit` says, with its header next to a
/// native artifact.
static llvm::Error write(const CompileArgs &args, llvm::StringRef emit, ModuleOp model,
                         llvm::TargetMachine &machine, llvm::StringRef header,
                         Progress &progress) {
  if (emit == "mlir") {
    std::string text;
    llvm::raw_string_ostream os(text);
    model->print(os, OpPrintingFlags().elideLargeElementsAttrs(8));
    return writeFile(args.output, text);
  }
  if (emit == "llvm") {
    llvm::LLVMContext llvmContext;
    auto module = translateToLLVMIR(model, llvmContext, machine);
    if (!module)
      return module.takeError();
    std::string text;
    llvm::raw_string_ostream os(text);
    (*module)->print(os, nullptr);
    return writeFile(args.output, text);
  }
  auto object = compileToObject(model, machine, &progress);
  if (!object)
    return object.takeError();
  progress.stage(emit == "shared" ? "link" : "write");
  llvm::StringRef bytes = (*object)->getBuffer();
  llvm::Error written = emit == "obj"    ? writeFile(args.output, bytes)
                        : emit == "static" ? writeStaticLibrary(args.output, bytes,
                                                                modelName(args) + ".o")
                                           : writeSharedLibrary(args.output, bytes);
  if (written)
    return written;
  llvm::SmallString<128> headerPath(args.output);
  llvm::sys::path::replace_extension(headerPath, ".h");
  return writeFile(headerPath, header);
}

Command addCompileCommand(CLI::App &app) {
  auto args = std::make_shared<CompileArgs>();
  CLI::App *cmd = app.add_subcommand("compile", "Compile a model to native code");
  args->model.addTo(*cmd);
  cmd->add_option("-o,--output", args->output,
                  "Output file; its extension picks the kind unless --emit is given "
                  "(.o object, .a static library, .so shared library, .ll LLVM IR, .mlir)")
      ->required();
  cmd->add_option("--emit", args->emit, "obj, static, shared, llvm or mlir")
      ->check(CLI::IsMember({"obj", "static", "shared", "llvm", "mlir"}));
  cmd->add_option("--stage", args->stage,
                  "With --emit=mlir: stop after this codegen stage (linalg, kernels, schedule, "
                  "bufferize, llvm)");
  cmd->add_option("--target", args->target, "cpu (cuda: not yet)");
  args->machine.addTo(*cmd);
  cmd->add_option("--schedules", args->schedules,
                  "A schedules file (as `acnnc inspect --schedules` writes it) whose entries "
                  "replace the generated schedules of the kernels they name")
      ->check(CLI::ExistingFile);
  cmd->add_option("--tuning-db", args->tuningDatabase,
                  "A tuning database (as `acnnc tune` writes it) whose records for this target "
                  "give the kernels they match their schedule, unless --schedules names them")
      ->check(CLI::ExistingFile);
  cmd->add_option("--harness", args->harness,
                  "Compile one kernel of each key this file lists (one a line, as `acnnc inspect "
                  "--schedules` prints them), its inputs the library's: what `acnnc tune` times "
                  "candidate schedules in")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--profile-each-kernel", args->profileEachKernel,
                "Time each linalg kernel apart in the runtime's profile (acnn-run --profile), "
                "named as schedules files name it, rather than each fused graph op");
  cmd->add_flag("--no-fusion", args->noFusion,
                "Run no fusion pass: every op of the imported graph is a kernel of its own "
                "(to measure what fusion gains)");
  cmd->add_flag("-q,--quiet", args->quiet,
                "Print nothing but errors and warnings (no stage line, no summary)");
  cmd->add_option("--name", args->name,
                  "C name of the model (symbols acnn_<name>_*); default: the file name");
  return {cmd, [args] { return compile(*args); }};
}

} // namespace acnn
