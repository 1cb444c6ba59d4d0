// The search of `acnnc tune` (Tuner.h).
#include "compiler/driver/Tuner.h"

#include "compiler/codegen/ScheduleFile.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <csignal>
#include <deque>
#include <numeric>

using namespace mlir;

namespace acnn {

namespace {

/// Set by the first Ctrl-C: the search stops, what it measured is checked
/// and written, so a second tune with the same database goes on from there.
/// A second Ctrl-C kills as usual.
volatile std::sig_atomic_t interrupted = 0;

extern "C" void onInterrupt(int) {
  interrupted = 1;
  std::signal(SIGINT, SIG_DFL);
}

/// A timer, and how its children run: the model's or the harness's. Their
/// profiles name each linalg kernel by its entry (--profile-each-kernel).
struct Bench {
  ModelTimer *timer = nullptr;
  /// A harness: it holds each key's first kernel only.
  bool alone = false;
  int runs = 10, warmup = 2;
  double compileSeconds = 0, measureSeconds = 0;
  /// A round's time: a compilation and twice the default's measurement.
  double roundSeconds() const { return compileSeconds + 2 * measureSeconds; }
};

/// The profile kernels timing key `t` in a run of `bench`.
llvm::StringSet<> profiledIn(const Tuned &t, const Bench &bench) {
  llvm::StringSet<> names;
  for (const std::string &name : t.profiled) {
    names.insert(name);
    if (bench.alone)
      break;
  }
  return names;
}

/// Key `t`'s time in `timing`, a run of `bench`.
double keyMs(const Tuned &t, const ModelTiming &timing, const Bench &bench) {
  double ms = 0;
  for (const auto &name : profiledIn(t, bench))
    ms += timing.kernelMs.lookup(name.first());
  return ms;
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

class Tuner {
public:
  Tuner(const TunerOptions &args, std::vector<Tuned> &keys, ModelTimer &timer, std::string dir,
        Clock::time_point deadline)
      : args(args), keys(keys), dir(std::move(dir)), deadline(deadline) {
    model.timer = &timer;
  }

  /// Times the model without tuning; sets each key's share and candidate limit.
  llvm::Error measureDefault() {
    auto timing = measure(model, 100);
    if (!timing)
      return llvm::createStringError("the model with its generated schedules: " +
                                     llvm::toString(timing.takeError()));
    baseline = *timing;
    for (Tuned &t : keys) {
      t.defaultMs = keyMs(t, baseline, model);
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

  /// Builds the harness the rounds time: the kernels of the keys with
  /// candidates. Without one, the rounds time the model.
  void setUpHarness(const HarnessMaker &makeHarness) {
    std::vector<std::string> wanted;
    for (const Tuned &t : keys)
      if (t.limit)
        wanted.push_back(t.key);
    if (makeHarness && !wanted.empty())
      ownedHarness = makeHarness(wanted);
    if (!ownedHarness) {
      llvm::errs() << llvm::format("acnnc tune: candidates are timed in the model (compiled in "
                                   "%.1f s)\n",
                                   model.compileSeconds);
      return;
    }
    harness.timer = ownedHarness.get();
    harness.alone = true;
    // A harness is a few kernels: more runs a child than the model's.
    auto timing = measure(harness, 300);
    if (!timing) {
      llvm::errs() << "acnnc tune: the harness failed: " << llvm::toString(timing.takeError())
                   << "\n";
      harness = Bench();
      ownedHarness.reset();
      return setUpHarness(nullptr);
    }
    llvm::errs() << llvm::format("acnnc tune: candidates are timed in a harness of %zu kernels "
                                 "(compiled in %.1f s; the model in %.1f s)\n",
                                 wanted.size(), harness.compileSeconds, model.compileSeconds);
  }

  /// Measures candidates round by round until they or the budget run out.
  void explore() {
    std::deque<std::vector<std::pair<size_t, size_t>>> retries;
    int round = 0;
    while (!interrupted) {
      // Time for this round, the winners' second measurement and their check.
      const double left = std::chrono::duration<double>(deadline - Clock::now()).count();
      if (left < 2 * rounds().roundSeconds() + model.roundSeconds())
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
      } else if (llvm::Error err = rounds().timer->compile(name, schedules)) {
        timing = std::move(err);
      } else {
        if (round == args.crashRound)
          rounds().timer->crashNextRun();
        timing = againstDefault(rounds(), name);
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
        for (auto [k, c] : batch) {
          Tuned &t = keys[k];
          const double ms = pairedMs(t, *timing, rounds());
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
      size_t total = 0, tuning = 0, done = 0;
      for (const Tuned &t : keys) {
        total += t.limit;
        tuning += t.limit > 0;
        done += t.limit > 0 && t.next >= t.limit;
      }
      for (const Tuned &t : keys)
        if (t.best && beats(t.bestMs, t.defaultMs)) {
          ++faster;
          bestSpeedup = std::max(bestSpeedup, t.defaultMs / t.bestMs);
        }
      // A round measures a candidate of many keys at once, so keys finish
      // together rather than one after another: the line counts both.
      llvm::errs() << llvm::format("acnnc tune: round %d: %zu of %zu candidates measured, %d "
                                   "failed; %zu of %zu kernel keys done; %d kernels faster so far "
                                   "(best %.2fx); %.0f s left\n",
                                   round, measured, total, failures, done, tuning, faster,
                                   bestSpeedup,
                                   std::chrono::duration<double>(deadline - Clock::now()).count());
    }
  }

  /// Measures each key's winner again in the harness: the fastest of many
  /// noisy measurements reads low, so a winner stays one only if it is
  /// faster by the margin again.
  void confirm() {
    if (!harness.timer || interrupted)
      return;
    std::vector<std::pair<size_t, ScheduleAttr>> changes;
    for (auto [k, t] : llvm::enumerate(keys))
      if (t.best && beats(t.bestMs, t.defaultMs))
        changes.push_back({k, t.best});
    if (changes.empty())
      return;
    std::string schedules = dir + "/confirm.schedules";
    llvm::Expected<Paired> timing = llvm::createStringError("not run");
    if (llvm::Error err = writeSchedules(schedules, keys, changes))
      timing = std::move(err);
    else if (llvm::Error err = harness.timer->compile("confirm", schedules))
      timing = std::move(err);
    else
      timing = againstDefault(harness, "confirm");
    if (!timing) {
      // The check in the model still decides.
      llvm::errs() << "acnnc tune: the winners' second measurement failed: "
                   << llvm::toString(timing.takeError()) << "\n";
      return;
    }
    size_t confirmed = 0;
    for (auto [k, schedule] : changes) {
      Tuned &t = keys[k];
      const double ms = pairedMs(t, *timing, harness);
      if (beats(ms, t.defaultMs)) {
        ++confirmed;
        t.bestMs = std::max(t.bestMs, ms);
      } else {
        t.bestMs = ms;
      }
    }
    llvm::errs() << "acnnc tune: measured again, " << confirmed << " of " << changes.size()
                 << " faster kernels are faster\n";
  }

  /// Compiles the winners together and runs them interleaved with the
  /// default: keys not faster there by the margin keep their default; if
  /// the model is not faster by the margin as a whole, every key does.
  void verify() {
    for (Tuned &t : keys) {
      t.verifiedDefaultMs = t.verifiedTunedMs = t.defaultMs;
      t.accepted = t.best && beats(t.bestMs, t.defaultMs);
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
      if (llvm::Error err = model.timer->compile(name, schedules)) {
        llvm::errs() << "acnnc tune: the tuned model does not compile, keeping the defaults: "
                     << llvm::toString(std::move(err)) << "\n";
        return rejectAll();
      }
      llvm::Expected<Paired> timing = againstDefault(model, name);
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
          dk.push_back(keyMs(t, defaults[i], model));
          tk.push_back(keyMs(t, tuned[i], model));
        }
        t.verifiedDefaultMs = median(dk);
        t.verifiedTunedMs = median(tk);
        if (!beats(t.verifiedTunedMs, t.verifiedDefaultMs)) {
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
      // core's cache, a neighbour's prefetch): what counts is the model,
      // and it must gain by the margin too: on a shared machine two runs
      // of one library differ by a few percent (0.94-1.03 between
      // identical libraries in bench/tune_bench.py), so a smaller gain is
      // no evidence.
      if (!beats(tunedLatency, defaultLatency)) {
        llvm::errs() << llvm::format("acnnc tune: the tuned model is not faster by the margin "
                                     "(%.1f%%); keeping the defaults\n",
                                     100 * args.margin);
        return rejectAll();
      }
      // Keys that were not faster are dropped; the rest are checked again
      // without them while time and attempts last. The last check's model,
      // with them, was faster, and they were not, so the set without them
      // is kept either way.
      if (!rejected ||
          std::chrono::duration<double>(deadline - Clock::now()).count() < model.roundSeconds())
        return;
    }
  }

  double untunedMs() const { return defaultLatency ? defaultLatency : baseline.latencyMs; }
  double tunedMs() const { return tunedLatency ? tunedLatency : untunedMs(); }

private:
  static constexpr int kRepeats = 7;

  /// Whether `ms` beats `defaultMs` by the margin.
  bool beats(double ms, double defaultMs) const { return ms < defaultMs * (1 - args.margin); }

  /// Compiles `bench`'s "default" and times it, with as many runs a child
  /// as fill a tenth of a second, up to `maxRuns`.
  llvm::Expected<ModelTiming> measure(Bench &bench, int maxRuns) {
    if (llvm::Error err = bench.timer->compile("default", ""))
      return std::move(err);
    bench.compileSeconds = bench.timer->lastCompileSeconds();
    auto probe = bench.timer->time("default", "", 1, 3, 1);
    if (!probe)
      return probe.takeError();
    // A child's profile gives each kernel's median time in its runs, which
    // one slow run (the machine is shared) does not move; a slow stretch
    // does: many short children, about a tenth of a second of runs each, and
    // the median of their medians.
    bench.runs = std::clamp(static_cast<int>(100 / std::max(probe->latencyMs, 1e-3)), 3, maxRuns);
    bench.warmup = std::max(2, bench.runs / 5);
    auto start = Clock::now();
    auto timing = bench.timer->time("default", "default", kRepeats, bench.runs, bench.warmup);
    bench.measureSeconds = secondsSince(start);
    return timing;
  }

  /// The rounds' bench: the harness if there is one.
  Bench &rounds() { return harness.timer ? harness : model; }

  /// Timings of `bench`'s default and of `name`, run alternately.
  struct Paired {
    std::vector<ModelTiming> defaults, tuned;
  };
  llvm::Expected<Paired> againstDefault(const Bench &bench, llvm::StringRef name) {
    Paired paired;
    for (int i = 0; i < kRepeats; ++i) {
      auto d = bench.timer->time("default", "default", 1, bench.runs, bench.warmup);
      if (!d)
        return d.takeError();
      auto t = bench.timer->time(name, "default", 1, bench.runs, bench.warmup);
      if (!t)
        return t.takeError();
      paired.defaults.push_back(std::move(*d));
      paired.tuned.push_back(std::move(*t));
    }
    return paired;
  }
  /// Key `t`'s time with the candidate of `timing`, a paired run in `bench`:
  /// the load of a shared machine drifts from round to round more than
  /// schedules differ, so its default time scaled by the median ratio of
  /// each candidate run to the default run beside it.
  double pairedMs(const Tuned &t, const Paired &timing, const Bench &bench) const {
    std::vector<double> ratios;
    for (int i = 0; i < kRepeats; ++i)
      ratios.push_back(keyMs(t, timing.tuned[i], bench) /
                       std::max(keyMs(t, timing.defaults[i], bench), 1e-9));
    return t.defaultMs * median(ratios);
  }
  /// Keys under this share of the run are not tuned: their time is noise.
  static constexpr double kMinShare = 0.002;
  static constexpr size_t kFirstPass = 8;

  /// The next candidate of as many keys as can share a round, larger
  /// shares first: a profile kernel holds one changed key a round (most
  /// hold one key; those of a loop shared by kernels hold several).
  std::vector<std::pair<size_t, size_t>> nextBatch() {
    std::vector<size_t> order(keys.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return keys[a].share > keys[b].share; });
    llvm::StringSet<> taken;
    std::vector<std::pair<size_t, size_t>> batch;
    for (size_t k : order) {
      Tuned &t = keys[k];
      llvm::StringSet<> names = profiledIn(t, rounds());
      if (t.next >= t.limit ||
          llvm::any_of(names, [&](const auto &name) { return taken.contains(name.first()); }))
        continue;
      for (const auto &name : names)
        taken.insert(name.first());
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
      if (!args.candidates && t.limit > 0 && t.limit < t.candidates.size()) {
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

  const TunerOptions &args;
  std::vector<Tuned> &keys;
  std::string dir;
  Clock::time_point deadline;
  Bench model, harness; // harness.timer null: the rounds time the model
  std::unique_ptr<ModelTimer> ownedHarness;
  ModelTiming baseline;
  size_t measured = 0;
  int failures = 0;
  double defaultLatency = 0, tunedLatency = 0;
};

} // namespace

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

TuneResult searchSchedules(const TunerOptions &options, std::vector<Tuned> &keys, ModelTimer &timer,
                           const HarnessMaker &makeHarness, llvm::StringRef dir,
                           Clock::time_point deadline, llvm::Error &error) {
  Tuner tuner(options, keys, timer, dir.str(), deadline);
  if ((error = tuner.measureDefault()))
    return {};
  tuner.setUpHarness(makeHarness);
  std::signal(SIGINT, onInterrupt);
  tuner.explore();
  tuner.confirm();
  tuner.verify();
  std::signal(SIGINT, SIG_DFL);
  return {tuner.untunedMs(), tuner.tunedMs()};
}

} // namespace acnn
