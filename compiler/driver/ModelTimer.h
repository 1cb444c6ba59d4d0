#ifndef ACNN_COMPILER_DRIVER_MODELTIMER_H
#define ACNN_COMPILER_DRIVER_MODELTIMER_H

// Compiles a model with a schedules file and times it, kernel by kernel,
// each in a child process (acnnc compile, acnn-run --profile), for `acnnc
// tune`: a candidate that crashes the compiler or the model, hangs or gives
// another output fails its measurement and nothing else.

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace acnn {

/// How one compiled model ran: its median latency and the median time of one
/// call of each kernel of the runtime's profile (its acnn kernels, named as
/// schedules files name them without the "#N" of their linalg kernels).
struct ModelTiming {
  double latencyMs = 0;
  llvm::StringMap<double> kernelMs;
};

/// The median of `v` (0 if empty).
double median(std::vector<double> v);

class ModelTimer {
public:
  /// `compileArgs`: what follows `acnnc compile` besides -o and --schedules
  /// (the model, --cpu, --threads, ...); `inputs`: its .npy inputs in order;
  /// `outputs`: how many outputs it has; `dir`: where the children's files go.
  ModelTimer(std::vector<std::string> compileArgs, std::vector<std::string> inputs,
             unsigned outputs, int64_t threads, std::string dir);

  /// Compiles the model with `schedules` (a schedules file; empty: none) to
  /// `name`.so in the work directory. The error says how the child failed.
  llvm::Error compile(llvm::StringRef name, llvm::StringRef schedules);
  /// Runs `name`.so `repeats` times in a child, `runs` timed runs after
  /// `warmup` each, and returns the medians over the repeats. The outputs of
  /// the first repeat must match `reference`'s (a name timed before) within a
  /// relative L2 error of 1e-4; without one, they become the reference.
  llvm::Expected<ModelTiming> time(llvm::StringRef name, llvm::StringRef reference, int repeats,
                                   int runs, int warmup);

  /// Seconds the last compile took.
  double lastCompileSeconds() const { return compileSeconds; }
  /// Fault injection for tests: the next time() runs a child that crashes.
  void crashNextRun() { crashNext = true; }

private:
  std::string path(llvm::StringRef name, llvm::StringRef suffix) const;
  llvm::Error checkOutputs(llvm::StringRef name, llvm::StringRef reference) const;

  std::vector<std::string> compileArgs, inputs;
  unsigned outputs;
  int64_t threads;
  std::string dir, acnnc, acnnRun;
  double compileSeconds = 0;
  bool crashNext = false;
};

} // namespace acnn

#endif
