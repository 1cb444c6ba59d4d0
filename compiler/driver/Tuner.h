#ifndef ACNN_COMPILER_DRIVER_TUNER_H
#define ACNN_COMPILER_DRIVER_TUNER_H

// The search of `acnnc tune`: other schedules of a model's kernels, measured
// on this machine.
//
// Kernels are tuned by key: the kernels of a ViT's twelve blocks that compute
// the same thing are one, and share a schedule. Each key's candidates come
// from its template (ScheduleSpace.h), best estimated first. A round gives
// one candidate to many keys at once in a schedules file, compiles them in a
// child acnnc and times them in a child acnn-run with the runtime's profile,
// which times each linalg kernel apart, or each loop several kernels share
// (--profile-each-kernel); such a profile kernel holds one changed key a
// round, so its change in time is that key's. The rounds compile a harness
// (KernelHarness.h): one kernel of each key, its inputs random, so a round
// costs a few kernels' compilation, not the model's (with --measure model,
// or where no harness can be built, the whole model). A round that fails
// (the compiler or the model crashes, hangs, or computes another output) is
// retried in halves until the culprit is alone and dropped. Each key's
// winner is measured again, then the winners are compiled together into the
// model and run interleaved with the generator's schedules: a kernel alone
// is not a kernel beside its real neighbours, so a key keeps its tuned
// schedule only if it is faster there by the margin, and the model as a
// whole must be faster by the margin too.
#include "compiler/codegen/ScheduleSpace.h"
#include "compiler/driver/ModelTimer.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Error.h"

#include <chrono>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace acnn {

/// One key being tuned: every kernel of the model computing it.
struct Tuned {
  std::string key, kind;
  std::vector<std::string> entries; // the kernels' schedules-file names
  // The profile kernel timing each (--profile-each-kernel): its own entry,
  // or that of the first kernel of a loop it shares (a pool in its conv's
  // loop over rows).
  std::vector<std::string> profiled;
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

double secondsSince(Clock::time_point start);

struct TunerOptions {
  double margin = 0.03; // a tuned schedule must be this much faster
  int candidates = 0;   // per key, at most (0: 8 first, more while time lasts)
  int crashRound = -1;  // fault injection: this round's model crashes
};

/// The model's latency without and with the schedules the search kept.
struct TuneResult {
  double untunedMs = 0, tunedMs = 0;
};

/// Makes the timer of a harness of the kernels of `keys`, or returns null
/// having said why there is none.
using HarnessMaker =
    std::function<std::unique_ptr<ModelTimer>(const std::vector<std::string> &keys)>;

/// Times the model (`timer`) with its generated schedules, measures `keys`'
/// candidates in a harness from `makeHarness` (else in the model) until they
/// or the time before `deadline` run out, and checks the winners in the
/// model: each key ends with `accepted`, `best` and its verified times. The
/// first Ctrl-C ends the search early. `timer`'s files go to `dir`; `error`
/// is set if the model cannot be timed at all.

TuneResult searchSchedules(const TunerOptions &options, std::vector<Tuned> &keys, ModelTimer &timer,
                           const HarnessMaker &makeHarness, llvm::StringRef dir,
                           Clock::time_point deadline, llvm::Error &error);

} // namespace acnn

#endif
