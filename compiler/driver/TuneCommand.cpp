// acnnc tune: measures other schedules of a model's kernels on this machine
// and writes the faster ones to a tuning database (TuningDatabase.h), which
// `acnnc compile --tuning-db` reuses. This file is the command: its
// arguments, the model's kernel keys and random inputs, the database and the
// summary; the search itself is Tuner.h's.
#include "compiler/codegen/KernelHarness.h"
#include "compiler/codegen/KernelLocation.h"
#include "compiler/codegen/Schedule.h"
#include "compiler/codegen/ScheduleFile.h"
#include "compiler/codegen/ScheduleSpace.h"
#include "compiler/codegen/TargetDescription.h"
#include "compiler/codegen/TuningDatabase.h"
#include "compiler/driver/Commands.h"
#include "compiler/driver/ModelTimer.h"
#include "compiler/driver/Pipeline.h"
#include "compiler/driver/Tuner.h"

#include "acnn/npy.h"
#include "dialects/acnn/AcnnDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <random>

using namespace mlir;

namespace acnn {

namespace {

struct TuneArgs {
  ModelArgs model;
  TargetArgs machine;
  std::string output;
  std::string budget = "10m";
  std::vector<std::string> databases;
  std::string kernels;
  double margin = 0.03;
  int candidates = 0;  // per key, at most (0: 8 first, more while time lasts)
  int crashRound = -1; // fault injection (hidden)
  bool keepFiles = false;
  std::string measure = "harness";
};

/// "10m", "90s", "1h" or plain seconds.
llvm::Expected<double> parseBudget(llvm::StringRef text) {
  double scale = 1;
  llvm::StringRef number = text;
  if (number.consume_back("h"))
    scale = 3600;
  else if (number.consume_back("m"))
    scale = 60;
  else
    number.consume_back("s");
  double value;
  if (number.getAsDouble(value) || value <= 0)
    return llvm::createStringError("--budget '%s': expected a duration like 90s, 10m or 1h",
                                   text.str().c_str());
  return value * scale;
}

/// Random inputs of `entry`'s static f32 shapes, uniform in [low, high),
/// written as .npy in `dir`.
llvm::Expected<std::vector<std::string>> writeInputs(func::FuncOp entry, llvm::StringRef dir,
                                                     float low, float high) {
  std::vector<std::string> files;
  std::mt19937 rng(0);
  std::uniform_real_distribution<float> uniform(low, high);
  for (auto [i, type] : llvm::enumerate(entry.getArgumentTypes())) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.hasStaticShape() || !tensor.getElementType().isF32())
      return llvm::createStringError(
          "tune measures models with static f32 inputs; input %zu is %s (pin its shape with "
          "--input-shape)",
          i,
          [&] {
            std::string s;
            llvm::raw_string_ostream os(s);
            os << type;
            return s;
          }()
              .c_str());
    std::vector<float> data(tensor.getNumElements());
    for (float &v : data)
      v = uniform(rng);
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, "input" + std::to_string(i) + ".npy");
    char err[512];
    if (acnn_npy_write(path.c_str(), data.data(), tensor.getShape().data(),
                       static_cast<int>(tensor.getRank()), err, sizeof err))
      return llvm::createStringError("%s", err);
    files.push_back(path.str().str());
  }
  return files;
}

/// The timer of a harness of `keys`' kernels (KernelHarness.h), cut from
/// `scheduled` (the model after the schedule stage) and compiled from the
/// model with `compileArgs`, in `dir`/harness; null, having said why, if
/// there can be none.
std::unique_ptr<ModelTimer> harnessTimer(ModuleOp scheduled, const std::vector<std::string> &keys,
                                         const std::vector<std::string> &compileArgs,
                                         int64_t threads, llvm::StringRef dir) {
  auto fail = [](llvm::Twine why) {
    llvm::errs() << "acnnc tune: no harness: " << why << "\n";
    return nullptr;
  };
  OwningOpRef<ModuleOp> harness = scheduled.clone();
  std::string why;
  {
    ScopedDiagnosticHandler capture(scheduled.getContext(), [&](Diagnostic &d) {
      if (d.getSeverity() == DiagnosticSeverity::Error)
        why = d.str();
      return success();
    });
    if (failed(buildKernelHarness(*harness, keys)))
      return fail(why);
  }
  llvm::SmallString<128> harnessDir(dir);
  llvm::sys::path::append(harnessDir, "harness");
  std::string keysPath = (harnessDir + "/keys.txt").str();
  std::error_code ec = llvm::sys::fs::create_directory(harnessDir);
  if (!ec) {
    llvm::raw_fd_ostream os(keysPath, ec);
    for (const std::string &key : keys)
      os << key << "\n";
  }
  if (ec)
    return fail(keysPath + ": " + ec.message());
  // Each kernel reads what earlier kernels made, which is never, say, a
  // negative variance: positive inputs keep sqrt, log and division defined.
  auto entry = harness->lookupSymbol<func::FuncOp>(kEntryName);
  auto inputs = writeInputs(entry, harnessDir, 0.5f, 1.5f);
  if (!inputs)
    return fail(llvm::toString(inputs.takeError()));
  std::vector<std::string> args = compileArgs;
  args.insert(args.end(), {"--harness", keysPath});
  return std::make_unique<ModelTimer>(args, *inputs, entry.getNumResults(), threads,
                                      harnessDir.str().str());
}

/// The keys of `model` (after the schedule stage) to tune: those whose
/// schedule is not a database's, matching `pattern` if given.
std::vector<Tuned> collectKeys(ModuleOp model, const ScheduleTarget &target,
                               const llvm::Regex *pattern) {
  llvm::DenseMap<Attribute, linalg::LinalgOp> bodies;
  model.walk([&](linalg::LinalgOp op) {
    if (Attribute tag = op->getAttr(kGroupBodyAttr))
      bodies[tag] = op;
  });
  std::vector<Tuned> keys;
  llvm::StringMap<size_t> index;
  model.walk([&](linalg::LinalgOp root) {
    auto schedule = root->getAttrOfType<ScheduleAttr>(kScheduleAttr);
    auto name = root->getAttrOfType<StringAttr>(kKernelEntryAttr);
    auto key = root->getAttrOfType<StringAttr>(kKernelKeyAttr);
    if (!schedule || !name || !key || root->hasAttr(kScheduleSourceAttr))
      return;
    if (pattern && !pattern->match(name.getValue()) && !pattern->match(key.getValue()))
      return;
    auto [it, inserted] = index.try_emplace(key.getValue(), keys.size());
    if (inserted) {
      linalg::LinalgOp body = bodies.lookup(root->getAttr(kKernelAttr));
      Tuned t;
      t.key = key.str();
      t.kind = schedule.getKind().str();
      t.current = schedule;
      t.candidates = body ? scheduleCandidates(body, root, schedule, target)
                          : scheduleCandidates(root, {}, schedule, target);
      keys.push_back(std::move(t));
    }
    Tuned &t = keys[it->second];
    t.entries.push_back(name.str());
    auto main = root->getParentOfType<func::FuncOp>();
    t.profiled.push_back(
        firstKernelEntry(main.getBody().front().findAncestorOpInBlock(*root)).str());
  });
  return keys;
}

std::string printed(Attribute attr) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << attr;
  return s;
}

void printSummary(llvm::raw_ostream &os, llvm::ArrayRef<Tuned> keys, const TuneResult &result,
                  size_t reused, double seconds) {
  std::vector<const Tuned *> order;
  for (const Tuned &t : keys)
    if (t.limit)
      order.push_back(&t);
  std::stable_sort(order.begin(), order.end(), [](const Tuned *a, const Tuned *b) {
    return a->verifiedDefaultMs > b->verifiedDefaultMs;
  });
  os << llvm::format("%-60s %-13s %5s %11s %11s %8s\n", "kernel (first of its key)", "template",
                     "tried", "default ms", "tuned ms", "speedup");
  for (const Tuned *t : order) {
    llvm::StringRef name = t->entries.front();
    std::string shown = name.size() > 60 ? "..." + name.take_back(57).str() : name.str();
    os << llvm::format("%-60s %-13s %5d %11.4f %11.4f %7.2fx%s\n", shown.c_str(), t->kind.c_str(),
                       t->measured, t->verifiedDefaultMs, t->verifiedTunedMs,
                       t->verifiedDefaultMs / std::max(t->verifiedTunedMs, 1e-9),
                       t->accepted ? "" : " (default kept)");
  }
  int accepted = llvm::count_if(keys, [](const Tuned &t) { return t.accepted; });
  os << llvm::format("model: untuned %.3f ms, tuned %.3f ms (%.2fx); %d of %zu kernel keys "
                     "tuned, %zu reused from databases; %.0f s\n",
                     result.untunedMs, result.tunedMs,
                     result.untunedMs / std::max(result.tunedMs, 1e-9), accepted, order.size(),
                     reused, seconds);
}

llvm::Error tune(const TuneArgs &args) {
  const auto start = Clock::now();
  llvm::Expected<double> budget = parseBudget(args.budget);
  if (!budget)
    return budget.takeError();
  std::optional<llvm::Regex> pattern;
  if (!args.kernels.empty()) {
    pattern.emplace(args.kernels);
    std::string why;
    if (!pattern->isValid(why))
      return llvm::createStringError("--kernels '%s': %s", args.kernels.c_str(), why.c_str());
  }
  MLIRContext ctx;
  auto model = args.model.load(ctx);
  if (!model)
    return model.takeError();
  if (auto machine = args.machine.apply(**model); !machine)
    return machine.takeError();
  const TargetAttr targetAttr = targetOf(**model);
  const std::string target = targetKey(targetAttr);
  auto entry = (*model)->lookupSymbol<func::FuncOp>(kEntryName);
  if (!entry)
    return llvm::createStringError("%s has no entry function", args.model.path.c_str());
  const unsigned outputs = entry.getNumResults();

  // Databases: what they hold for this target is used, not tuned again; the
  // output's own records too, so an interrupted tune resumes.
  TuningDatabase known;
  std::vector<std::string> sources = args.databases;
  if (llvm::sys::fs::exists(args.output))
    sources.push_back(args.output);
  for (const std::string &path : sources) {
    auto db = TuningDatabase::read(path);
    if (!db)
      return db.takeError();
    known.merge(*db);
  }

  llvm::SmallString<128> dir;
  if (std::error_code ec = llvm::sys::fs::createUniqueDirectory("acnn-tune", dir))
    return llvm::createStringError("cannot make a work directory: %s", ec.message().c_str());
  std::string knownPath = (dir + "/known.jsonl").str();
  if (known.size())
    if (llvm::Error err = known.write(knownPath))
      return err;
  auto inputs = writeInputs(entry, dir, -1, 1);
  if (!inputs)
    return inputs.takeError();

  PipelineOptions options;
  options.stopAfter = kScheduleStage.str();
  options.reproducer = defaultReproducerPath((*model)->getSymName().value_or("model"));
  if (known.size())
    options.tuningDatabase = knownPath;
  if (llvm::Error err = runPipeline(**model, options))
    return err;
  std::vector<ScheduleEntry> entries = scheduleEntries(**model);
  llvm::StringSet<> reusedKeys;
  for (const ScheduleEntry &e : entries)
    if (e.source == ScheduleSource::Database)
      reusedKeys.insert(e.key);
  std::vector<Tuned> keys =
      collectKeys(**model, ScheduleTarget::fromAttr(targetAttr), pattern ? &*pattern : nullptr);
  llvm::errs() << "acnnc tune: " << entries.size() << " kernels, " << keys.size()
               << " distinct keys to tune, " << reusedKeys.size()
               << " reused from databases; budget " << args.budget << "\n";

  std::vector<std::string> compileArgs{args.model.path};
  for (const std::string &shape : args.model.inputShapes)
    compileArgs.insert(compileArgs.end(), {"--input-shape", shape});
  if (!args.model.weights.empty())
    compileArgs.insert(compileArgs.end(), {"--weights", args.model.weights});
  // Each linalg kernel is a kernel of the profile: a key's time is its own.
  compileArgs.insert(compileArgs.end(), {"--profile-each-kernel", "--cpu", args.machine.cpu.cpu,
                                         "--threads", std::to_string(targetAttr.getThreads())});
  if (!args.machine.scheduleTarget.empty())
    compileArgs.insert(compileArgs.end(), {"--schedule-target", args.machine.scheduleTarget});
  if (known.size())
    compileArgs.insert(compileArgs.end(), {"--tuning-db", knownPath});
  ModelTimer timer(compileArgs, *inputs, outputs, targetAttr.getThreads(), dir.str().str());
  HarnessMaker makeHarness = [&](const std::vector<std::string> &harnessKeys) {
    return harnessTimer(**model, harnessKeys, compileArgs, targetAttr.getThreads(), dir);
  };
  TunerOptions tunerOptions{args.margin, args.candidates, args.crashRound};
  llvm::Error failed = llvm::Error::success();
  TuneResult tuned = searchSchedules(
      tunerOptions, keys, timer, args.measure == "harness" ? makeHarness : nullptr, dir,
      start + std::chrono::milliseconds(static_cast<int64_t>(*budget * 1000)), failed);
  if (failed)
    return failed;

  // The output: every record it and the databases held, this model's
  // measured keys (tuned or not: a key tuned once is not tuned again).
  TuningDatabase result = known;
  std::string modelName = llvm::sys::path::stem(args.model.path).str();
  for (const Tuned &t : keys) {
    if (!t.limit || (!t.measured && !t.failed))
      continue;
    TuningRecord r;
    r.key = t.key;
    r.target = target;
    r.schedule = printed(t.accepted ? t.best : t.current);
    r.defaultMs = t.verifiedDefaultMs;
    r.tunedMs = t.verifiedTunedMs;
    r.model = modelName;
    result.insert(std::move(r));
  }
  if (llvm::Error err = result.write(args.output))
    return err;
  printSummary(llvm::outs(), keys, tuned, reusedKeys.size(), secondsSince(start));
  llvm::errs() << "acnnc tune: wrote " << args.output << " (" << result.size() << " records)\n";
  if (!args.keepFiles)
    llvm::sys::fs::remove_directories(dir);
  else
    llvm::errs() << "acnnc tune: work files kept in " << dir << "\n";
  return llvm::Error::success();
}

} // namespace

Command addTuneCommand(CLI::App &app) {
  auto args = std::make_shared<TuneArgs>();
  CLI::App *cmd = app.add_subcommand(
      "tune", "Measure other schedules of a model's kernels on this machine and write the faster "
              "ones to a tuning database (for compile --tuning-db)");
  args->model.addTo(*cmd);
  cmd->add_option("-o,--output", args->output,
                  "The tuning database to write (JSON lines); records it holds already are "
                  "kept and their kernels not tuned again")
      ->required();
  cmd->add_option("--budget", args->budget,
                  "Wall-clock time to spend, e.g. 90s, 10m, 1h (default 10m)");
  cmd->add_option("--db", args->databases,
                  "A tuning database whose records for this machine are reused (repeatable)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--kernels", args->kernels,
                  "Tune only the kernels whose entry name or key matches this regular expression");
  cmd->add_option("--candidates", args->candidates,
                  "Schedules measured per kernel key, at most (default: the 8 best estimated "
                  "first, half for keys under 2% of the run, then more while the budget lasts)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--margin", args->margin,
                  "A tuned schedule must be this much faster than the default (default 0.03)")
      ->check(CLI::Range(0.0, 0.9));
  cmd->add_option("--measure", args->measure,
                  "Where candidates are timed: harness (default: one kernel of each key in a "
                  "library of its own, quick to compile) or model (the whole model, each kernel "
                  "beside its real neighbours)")
      ->check(CLI::IsMember({"harness", "model"}));
  cmd->add_flag("--keep-files", args->keepFiles, "Keep the work directory");
  cmd->add_option("--crash-round", args->crashRound, "Testing: make the model of this round crash")
      ->group("");
  args->machine.addTo(*cmd);
  return {cmd, [args] { return tune(*args); }};
}

} // namespace acnn
