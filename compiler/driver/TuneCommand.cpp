// acnnc tune: measures other schedules of a model's kernels on this machine
// and writes the faster ones to a tuning database (TuningDatabase.h), which
// `acnnc compile --tuning-db` reuses.
//
// Kernels are tuned by key: the kernels of a ViT's twelve blocks that compute
// the same thing are one, and share a schedule. Each key's candidates come
// from its template (ScheduleSpace.h), best estimated first. A round compiles
// the whole model in a child acnnc with a schedules file giving one candidate
// to many keys at once, and times it in a child acnn-run with the runtime's
// per-kernel profile: a kernel is timed where it runs, beside its real
// neighbours, and one compilation measures as many keys as the model has. A
// profile kernel (an acnn kernel, which may hold several linalg kernels)
// holds one changed key a round, so its change in time is that key's. A
// round that fails (the compiler or the model crashes, hangs, or computes
// another output) is retried in halves until the culprit is alone and
// dropped. Last, the winners are compiled together and run interleaved with
// the generator's schedules; a key keeps its tuned schedule only if it is
// faster there by the margin, and the model as a whole must be faster.
#include "compiler/codegen/Schedule.h"
#include "compiler/codegen/ScheduleFile.h"
#include "compiler/codegen/ScheduleSpace.h"
#include "compiler/codegen/TargetDescription.h"
#include "compiler/codegen/TuningDatabase.h"
#include "compiler/driver/Commands.h"
#include "compiler/driver/ModelTimer.h"
#include "compiler/driver/Pipeline.h"

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
#include <csignal>
#include <deque>
#include <limits>
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
};

/// One key being tuned: every kernel of the model computing it.
struct Tuned {
  std::string key, kind;
  std::vector<std::string> entries; // the kernels' schedules-file names
  llvm::StringSet<> functions;      // the profile's kernels holding them
  ScheduleAttr current;             // what the model has without tuning
  std::vector<ScheduleCandidate> candidates;
  size_t next = 0, limit = 0; // candidates[next] is measured next, up to limit
  double defaultMs = 0, share = 0;
  ScheduleAttr best;
  double bestMs = std::numeric_limits<double>::infinity();
  int measured = 0, failed = 0;
  bool accepted = false;
  double verifiedDefaultMs = 0, verifiedTunedMs = 0;
};

using Clock = std::chrono::steady_clock;

/// Set by the first Ctrl-C: the search stops, what it measured is checked
/// and written, so a second tune with the same database goes on from there.
/// A second Ctrl-C kills as usual.
volatile std::sig_atomic_t interrupted = 0;

extern "C" void onInterrupt(int) {
  interrupted = 1;
  std::signal(SIGINT, SIG_DFL);
}

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

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

/// The profile's name of an entry: the acnn kernel it belongs to.
llvm::StringRef functionOf(llvm::StringRef entry) { return entry.split('#').first; }

double keyMs(const Tuned &t, const ModelTiming &timing) {
  double ms = 0;
  for (const auto &f : t.functions)
    ms += timing.kernelMs.lookup(f.first());
  return ms;
}

/// Random inputs of `entry`'s static f32 shapes, written as .npy in `dir`.
llvm::Expected<std::vector<std::string>> writeInputs(func::FuncOp entry, llvm::StringRef dir) {
  std::vector<std::string> files;
  std::mt19937 rng(0);
  std::uniform_real_distribution<float> uniform(-1, 1);
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
    t.functions.insert(functionOf(name.getValue()));
  });
  return keys;
}

/// A schedules file giving each (key, schedule) of `changes` to the key's kernels.
llvm::Error writeSchedules(llvm::StringRef path, llvm::ArrayRef<Tuned> keys,
                           llvm::ArrayRef<std::pair<size_t, ScheduleAttr>> changes) {
  std::vector<ScheduleEntry> entries;
  for (auto [k, schedule] : changes)
    for (const std::string &name : keys[k].entries)
      entries.push_back({name, keys[k].key, schedule});
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return llvm::createStringError("%s: %s", path.str().c_str(), ec.message().c_str());
  writeScheduleFile(os, entries, "candidates of acnnc tune");
  return llvm::Error::success();
}

std::string printed(Attribute attr) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << attr;
  return s;
}

class Tuner {
public:
  Tuner(const TuneArgs &args, std::vector<Tuned> &keys, ModelTimer &timer, std::string dir,
        Clock::time_point deadline)
      : args(args), keys(keys), timer(timer), dir(std::move(dir)), deadline(deadline) {}

  /// Times the model without tuning; sets each key's share and candidate limit.
  llvm::Error measureDefault() {
    if (llvm::Error err = timer.compile("default", ""))
      return llvm::createStringError("the model does not compile with its generated schedules: " +
                                     llvm::toString(std::move(err)));
    compileSeconds = timer.lastCompileSeconds();
    auto probe = timer.time("default", "", 1, 3, 1);
    if (!probe)
      return probe.takeError();
    // The profile sums each kernel's time over a child's runs, so one slow
    // run (the machine is shared) moves the sum: many short children, about
    // a tenth of a second of runs each, and the median of their means.
    runs = std::clamp(static_cast<int>(100 / std::max(probe->latencyMs, 1e-3)), 3, 100);
    warmup = std::max(2, runs / 5);
    auto start = Clock::now();
    auto timing = timer.time("default", "default", kRepeats, runs, warmup);
    if (!timing)
      return timing.takeError();
    measureSeconds = secondsSince(start);
    baseline = *timing;
    for (Tuned &t : keys) {
      t.defaultMs = keyMs(t, baseline);
      t.share = t.defaultMs / std::max(baseline.latencyMs, 1e-9);
      // The budget goes to the kernels that take the time: a key under 0.2%
      // of the run is not tuned, one under 2% gets half the candidates.
      size_t limit = t.share < kMinShare ? 0
                     : t.share < 0.02    ? std::max<size_t>(2, firstPass() / 2)
                                         : firstPass();
      t.limit = std::min(limit, t.candidates.size());
    }
    return llvm::Error::success();
  }

  /// Measures candidates round by round until they or the budget run out.
  void explore() {
    std::deque<std::vector<std::pair<size_t, size_t>>> retries;
    int round = 0;
    while (!interrupted) {
      // Time for this round and then the check of the winners: each a
      // compilation and twice the default's measurement.
      const double left = std::chrono::duration<double>(deadline - Clock::now()).count();
      if (left < 2 * (compileSeconds + 2 * measureSeconds))
        break;
      std::vector<std::pair<size_t, size_t>> batch;
      if (!retries.empty()) {
        batch = std::move(retries.front());
        retries.pop_front();
      } else {
        batch = nextBatch();
        // Every key's share measured with time left: go deeper into each list.
        if (batch.empty() && widen())
          batch = nextBatch();
      }
      if (batch.empty())
        break;
      ++round;
      std::string name = "round" + std::to_string(round);
      std::vector<std::pair<size_t, ScheduleAttr>> changes;
      for (auto [k, c] : batch)
        changes.push_back({k, keys[k].candidates[c].schedule});
      std::string schedules = dir + "/" + name + ".schedules";
      llvm::Expected<Paired> timing = llvm::createStringError("not run");
      if (llvm::Error err = writeSchedules(schedules, keys, changes)) {
        timing = std::move(err);
      } else if (llvm::Error err = timer.compile(name, schedules)) {
        timing = std::move(err);
      } else {
        if (round == args.crashRound)
          timer.crashNextRun();
        timing = againstDefault(name);
      }
      if (interrupted) {
        // The children got the Ctrl-C too: this round measured nothing.
        llvm::consumeError(timing.takeError());
        llvm::errs() << "acnnc tune: interrupted; checking and writing what was measured\n";
        break;
      }
      if (!timing) {
        std::string why = llvm::toString(timing.takeError());
        if (batch.size() == 1) {
          Tuned &t = keys[batch[0].first];
          ++t.failed;
          ++failures;
          llvm::errs() << "acnnc tune: kernel '" << t.entries.front() << "' candidate "
                       << batch[0].second + 1 << " dropped: " << why << "\n";
        } else {
          // Halves, until the candidate that fails is alone.
          size_t half = batch.size() / 2;
          retries.emplace_front(batch.begin() + half, batch.end());
          retries.emplace_front(batch.begin(), batch.begin() + half);
        }
      } else {
        // The load of a shared machine drifts from round to round more than
        // schedules differ: each candidate is timed against the default run
        // beside it, as the median of their ratios.
        for (auto [k, c] : batch) {
          Tuned &t = keys[k];
          std::vector<double> ratios;
          for (int i = 0; i < kRepeats; ++i)
            ratios.push_back(keyMs(t, timing->tuned[i]) /
                             std::max(keyMs(t, timing->defaults[i]), 1e-9));
          const double ms = t.defaultMs * median(ratios);
          ++t.measured;
          ++measured;
          if (ms < t.bestMs) {
            t.bestMs = ms;
            t.best = t.candidates[c].schedule;
          }
        }
      }
      int faster = 0;
      double bestSpeedup = 1;
      size_t total = 0;
      for (const Tuned &t : keys)
        total += t.limit;
      for (const Tuned &t : keys)
        if (t.best && t.bestMs < t.defaultMs * (1 - args.margin)) {
          ++faster;
          bestSpeedup = std::max(bestSpeedup, t.defaultMs / t.bestMs);
        }
      llvm::errs() << llvm::format("acnnc tune: round %d: %zu of %zu candidates measured, %d "
                                   "failed; %d kernels faster so far (best %.2fx); %.0f s left\n",
                                   round, measured, total, failures, faster, bestSpeedup,
                                   std::chrono::duration<double>(deadline - Clock::now()).count());
    }
  }

  /// Compiles the winners together and runs them interleaved with the
  /// default: keys not faster there by the margin keep their default; if
  /// the model is not faster as a whole, every key does.
  void verify() {
    for (Tuned &t : keys) {
      t.verifiedDefaultMs = t.verifiedTunedMs = t.defaultMs;
      t.accepted = t.best && t.bestMs < t.defaultMs * (1 - args.margin);
    }
    for (int attempt = 1; attempt <= 3; ++attempt) {
      std::vector<std::pair<size_t, ScheduleAttr>> changes;
      for (auto [k, t] : llvm::enumerate(keys))
        if (t.accepted)
          changes.push_back({k, t.best});
      if (changes.empty())
        return;
      std::string name = "tuned" + std::to_string(attempt);
      std::string schedules = dir + "/" + name + ".schedules";
      if (llvm::Error err = writeSchedules(schedules, keys, changes)) {
        llvm::errs() << "acnnc tune: " << llvm::toString(std::move(err)) << "\n";
        return rejectAll();
      }
      if (llvm::Error err = timer.compile(name, schedules)) {
        llvm::errs() << "acnnc tune: the tuned model does not compile, keeping the defaults: "
                     << llvm::toString(std::move(err)) << "\n";
        return rejectAll();
      }
      llvm::Expected<Paired> timing = againstDefault(name);
      if (!timing) {
        llvm::errs() << "acnnc tune: the tuned model failed, keeping the defaults: "
                     << llvm::toString(timing.takeError()) << "\n";
        return rejectAll();
      }
      const std::vector<ModelTiming> &defaults = timing->defaults, &tuned = timing->tuned;
      std::vector<double> dl, tl;
      for (int i = 0; i < kRepeats; ++i) {
        dl.push_back(defaults[i].latencyMs);
        tl.push_back(tuned[i].latencyMs);
      }
      defaultLatency = median(dl);
      tunedLatency = median(tl);
      bool rejected = false;
      for (Tuned &t : keys) {
        if (!t.accepted)
          continue;
        std::vector<double> dk, tk;
        for (int i = 0; i < kRepeats; ++i) {
          dk.push_back(keyMs(t, defaults[i]));
          tk.push_back(keyMs(t, tuned[i]));
        }
        t.verifiedDefaultMs = median(dk);
        t.verifiedTunedMs = median(tk);
        if (!(t.verifiedTunedMs < t.verifiedDefaultMs * (1 - args.margin))) {
          llvm::errs() << llvm::format("acnnc tune: check %d: '%s' %.4f ms -> %.4f ms "
                                       "(explored %.4f): not faster, default kept\n",
                                       attempt, t.entries.front().c_str(), t.verifiedDefaultMs,
                                       t.verifiedTunedMs, t.bestMs);
          t.accepted = false;
          t.verifiedTunedMs = t.verifiedDefaultMs;
          rejected = true;
        }
      }
      llvm::errs() << llvm::format("acnnc tune: check %d: the model with %zu tuned keys: %.3f ms "
                                   "-> %.3f ms\n",
                                   attempt, changes.size(), defaultLatency, tunedLatency);
      // A kernel's gain can be another's loss (data left in the other
      // core's cache, a neighbour's prefetch): what counts is the model.
      if (!(tunedLatency < defaultLatency)) {
        llvm::errs() << "acnnc tune: the tuned model is not faster; keeping the defaults\n";
        return rejectAll();
      }
      // Keys that were not faster are dropped; the rest are checked again
      // without them while time and attempts last. The last check's model,
      // with them, was faster, and they were not, so the set without them
      // is kept either way.
      if (!rejected || std::chrono::duration<double>(deadline - Clock::now()).count() <
                           compileSeconds + 2 * measureSeconds)
        return;
    }
  }

  double untunedMs() const { return defaultLatency ? defaultLatency : baseline.latencyMs; }
  double tunedMs() const { return tunedLatency ? tunedLatency : untunedMs(); }

private:
  static constexpr int kRepeats = 7;

  /// Timings of the default model and of `name`, run alternately.
  struct Paired {
    std::vector<ModelTiming> defaults, tuned;
  };
  llvm::Expected<Paired> againstDefault(llvm::StringRef name) {
    Paired paired;
    for (int i = 0; i < kRepeats; ++i) {
      auto d = timer.time("default", "default", 1, runs, warmup);
      if (!d)
        return d.takeError();
      auto t = timer.time(name, "default", 1, runs, warmup);
      if (!t)
        return t.takeError();
      paired.defaults.push_back(std::move(*d));
      paired.tuned.push_back(std::move(*t));
    }
    return paired;
  }
  /// Keys under this share of the run are not tuned: their time is noise.
  static constexpr double kMinShare = 0.002;
  static constexpr size_t kFirstPass = 8;

  /// The next candidate of as many keys as can share a round, larger
  /// shares first: a profile kernel holds one changed key a round.
  std::vector<std::pair<size_t, size_t>> nextBatch() {
    std::vector<size_t> order(keys.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return keys[a].share > keys[b].share; });
    llvm::StringSet<> taken;
    std::vector<std::pair<size_t, size_t>> batch;
    for (size_t k : order) {
      Tuned &t = keys[k];
      if (t.next >= t.limit ||
          llvm::any_of(t.functions, [&](const auto &f) { return taken.contains(f.first()); }))
        continue;
      for (const auto &f : t.functions)
        taken.insert(f.first());
      batch.push_back({k, t.next++});
    }
    return batch;
  }

  /// Candidates of a key measured before any key gets more.
  size_t firstPass() const {
    return args.candidates ? static_cast<size_t>(args.candidates) : kFirstPass;
  }

  /// Without a --candidates cap, raises each tuned key's limit by half a
  /// first pass; false when there is nothing more to measure.
  bool widen() {
    bool wider = false;
    for (Tuned &t : keys)
      if (!args.candidates && t.share >= kMinShare && t.limit < t.candidates.size()) {
        t.limit = std::min(t.candidates.size(), t.limit + kFirstPass / 2);
        wider = true;
      }
    return wider;
  }

  void rejectAll() {
    for (Tuned &t : keys) {
      t.accepted = false;
      t.verifiedTunedMs = t.verifiedDefaultMs;
    }
    tunedLatency = defaultLatency;
  }

  const TuneArgs &args;
  std::vector<Tuned> &keys;
  ModelTimer &timer;
  std::string dir;
  Clock::time_point deadline;
  ModelTiming baseline;
  int runs = 10, warmup = 2;
  double compileSeconds = 0, measureSeconds = 0;
  size_t measured = 0;
  int failures = 0;
  double defaultLatency = 0, tunedLatency = 0;
};

void printSummary(llvm::raw_ostream &os, llvm::ArrayRef<Tuned> keys, const Tuner &tuner,
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
                     tuner.untunedMs(), tuner.tunedMs(),
                     tuner.untunedMs() / std::max(tuner.tunedMs(), 1e-9), accepted, order.size(),
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
  auto inputs = writeInputs(entry, dir);
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
  compileArgs.insert(compileArgs.end(), {"--cpu", args.machine.cpu.cpu, "--threads",
                                         std::to_string(targetAttr.getThreads())});
  if (!args.machine.scheduleTarget.empty())
    compileArgs.insert(compileArgs.end(), {"--schedule-target", args.machine.scheduleTarget});
  if (known.size())
    compileArgs.insert(compileArgs.end(), {"--tuning-db", knownPath});
  ModelTimer timer(compileArgs, *inputs, outputs, targetAttr.getThreads(), dir.str().str());
  Tuner tuner(args, keys, timer, dir.str().str(),
              start + std::chrono::milliseconds(static_cast<int64_t>(*budget * 1000)));
  if (llvm::Error err = tuner.measureDefault())
    return err;
  std::signal(SIGINT, onInterrupt);
  tuner.explore();
  tuner.verify();

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
  printSummary(llvm::outs(), keys, tuner, reusedKeys.size(), secondsSince(start));
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
  cmd->add_flag("--keep-files", args->keepFiles, "Keep the work directory");
  cmd->add_option("--crash-round", args->crashRound, "Testing: make the model of this round crash")
      ->group("");
  args->machine.addTo(*cmd);
  return {cmd, [args] { return tune(*args); }};
}

} // namespace acnn
