#include "compiler/driver/Progress.h"
#include "compiler/codegen/ModelMeta.h"
#include "compiler/codegen/ScheduleKernelAction.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Interfaces/DataLayoutInterfaces.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"

using namespace mlir;

namespace acnn {

Progress::Progress(llvm::raw_ostream &os, bool live) : os(os), live(live) {}

double Progress::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void Progress::stage(llvm::StringRef name) {
  if (!live || name == current)
    return;
  current = name.str();
  show("");
}

void Progress::kernel(int64_t index, int64_t total) {
  if (live)
    show((llvm::Twine(", kernel ") + llvm::Twine(index + 1) + "/" + llvm::Twine(total)).str());
}

void Progress::show(llvm::StringRef detail) {
  // Carriage return and erase-line: the line is rewritten, not appended.
  os << "\r\x1b[Kacnnc: " << current << detail << " (" << llvm::format("%.1f", seconds()) << " s)";
  os.flush();
  shown = true;
}

void Progress::clear() {
  if (!shown)
    return;
  os << "\r\x1b[K";
  os.flush();
  shown = false;
  current.clear();
}

namespace {

struct StageReporter : PassInstrumentation {
  StageReporter(Progress &progress, llvm::DenseMap<const Pass *, llvm::StringRef> stageOf)
      : progress(progress), stageOf(std::move(stageOf)) {}
  // Only the pipeline's own top-level passes are in the map: nested passes,
  // which may run on other threads, are not reported.
  void runBeforePass(Pass *pass, Operation *) override {
    auto it = stageOf.find(pass);
    if (it != stageOf.end())
      progress.stage(it->second);
  }
  Progress &progress;
  llvm::DenseMap<const Pass *, llvm::StringRef> stageOf;
};

std::string bytes(uint64_t n) {
  std::string s;
  llvm::raw_string_ostream os(s);
  if (n >= (1u << 20))
    os << llvm::format("%.1f MiB", n / double(1u << 20));
  else if (n >= (1u << 10))
    os << llvm::format("%.1f KiB", n / double(1u << 10));
  else
    os << n << " B";
  return s;
}

} // namespace

std::unique_ptr<PassInstrumentation>
makeStageReporter(Progress &progress, llvm::DenseMap<const Pass *, llvm::StringRef> stageOf) {
  return std::make_unique<StageReporter>(progress, std::move(stageOf));
}

MLIRContext::HandlerTy makeKernelCounter(Progress &progress) {
  return [&progress](llvm::function_ref<void()> transform, const tracing::Action &action) {
    if (auto *kernel = llvm::dyn_cast<ScheduleKernelAction>(&action))
      progress.kernel(kernel->index, kernel->total);
    transform();
  };
}

std::string summarize(ModuleOp model, std::optional<uint64_t> artifactBytes) {
  int64_t kernels = 0;
  std::optional<uint64_t> arena;
  llvm::SmallVector<llvm::StringRef> records;
  llvm::SplitString(modelMeta(model), records, "\n");
  for (llvm::StringRef record : records) {
    auto [kind, rest] = record.split(' ');
    kernels += kind == "kernel";
    uint64_t n;
    if (kind == "arena" && !rest.getAsInteger(10, n))
      arena = n;
  }
  uint64_t constants = 0;
  model.walk([&](LLVM::GlobalOp global) {
    if (global.getConstant() && global.getValueOrNull())
      constants += DataLayout::closest(global).getTypeSize(global.getGlobalType());
  });
  std::string line;
  llvm::raw_string_ostream os(line);
  os << kernels << " kernels";
  if (arena)
    os << ", arena " << bytes(*arena);
  os << ", constants " << bytes(constants);
  if (artifactBytes)
    os << ", " << bytes(*artifactBytes) << " written";
  return line;
}

} // namespace acnn
