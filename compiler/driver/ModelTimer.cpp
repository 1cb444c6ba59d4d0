#include "compiler/driver/ModelTimer.h"

#include "acnn/npy.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace acnn {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty()      ? 0
         : v.size() % 2 ? v[v.size() / 2]
                        : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

namespace {

/// This executable's directory's `name`, else `name` on PATH.
std::string sibling(llvm::StringRef name) {
  static int anchor;
  llvm::SmallString<256> path(
      llvm::sys::path::parent_path(llvm::sys::fs::getMainExecutable("acnnc", &anchor)));
  llvm::sys::path::append(path, name);
  if (llvm::sys::fs::can_execute(path))
    return path.str().str();
  llvm::ErrorOr<std::string> found = llvm::sys::findProgramByName(name);
  return found ? *found : name.str();
}

/// The last lines of `path` (a child's stderr), for an error message.
std::string tail(llvm::StringRef path) {
  auto file = llvm::MemoryBuffer::getFile(path);
  if (!file)
    return "";
  llvm::StringRef text = (*file)->getBuffer().rtrim();
  if (text.size() > 600)
    text = text.take_back(600);
  return text.str();
}

/// Runs `program` with `args`, stdout and stderr to files; fails on a
/// non-zero exit, a crash or `seconds` passing.
llvm::Error execute(llvm::StringRef program, llvm::ArrayRef<std::string> args, llvm::StringRef out,
                    llvm::StringRef err, unsigned seconds) {
  std::vector<llvm::StringRef> argv{program};
  for (const std::string &a : args)
    argv.push_back(a);
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(program, argv, std::nullopt, {std::nullopt, out, err}, seconds,
                                     0, &message);
  if (rc == 0)
    return llvm::Error::success();
  std::string why = rc == -2   ? "crashed or ran past " + std::to_string(seconds) + " s"
                    : rc == -1 ? "could not run: " + message
                               : "exited with " + std::to_string(rc);
  return llvm::createStringError("%s %s: %s", program.str().c_str(), why.c_str(),
                                 tail(err).c_str());
}

} // namespace

ModelTimer::ModelTimer(std::vector<std::string> compileArgs, std::vector<std::string> inputs,
                       unsigned outputs, int64_t threads, std::string dir)
    : compileArgs(std::move(compileArgs)), inputs(std::move(inputs)), outputs(outputs),
      threads(threads), dir(std::move(dir)), acnnc(sibling("acnnc")), acnnRun(sibling("acnn-run")) {
}

std::string ModelTimer::path(llvm::StringRef name, llvm::StringRef suffix) const {
  llvm::SmallString<256> p(dir);
  llvm::sys::path::append(p, name + suffix);
  return p.str().str();
}

llvm::Error ModelTimer::compile(llvm::StringRef name, llvm::StringRef schedules) {
  std::vector<std::string> args{"compile"};
  llvm::append_range(args, compileArgs);
  args.insert(args.end(), {"-q", "-o", path(name, ".so")});
  if (!schedules.empty())
    args.insert(args.end(), {"--schedules", schedules.str()});
  auto start = std::chrono::steady_clock::now();
  // A compilation that takes ten times the first one's hangs.
  unsigned limit = compileSeconds > 0 ? static_cast<unsigned>(10 * compileSeconds + 60) : 0;
  llvm::Error err = execute(acnnc, args, "", path(name, ".compile.txt"), limit);
  compileSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return err;
}

llvm::Expected<ModelTiming> ModelTimer::time(llvm::StringRef name, llvm::StringRef reference,
                                             int repeats, int runs, int warmup) {
  std::vector<double> latencies;
  llvm::StringMap<std::vector<double>> kernels;
  for (int r = 0; r < repeats; ++r) {
    std::vector<std::string> args{path(name, ".so")};
    for (const std::string &input : inputs)
      args.insert(args.end(), {"--input", input});
    if (r == 0)
      for (unsigned o = 0; o < outputs; ++o)
        args.insert(args.end(), {"--output", path(name, ".out" + std::to_string(o) + ".npy")});
    args.insert(args.end(), {"--runs", std::to_string(runs), "--warmup", std::to_string(warmup),
                             "--threads", std::to_string(threads), "--profile"});
    std::string out = path(name, ".run.txt"), err = path(name, ".run.err");
    llvm::Error ran = llvm::Error::success();
    if (crashNext) {
      crashNext = false;
      ran = execute("/bin/sh", {"-c", "kill -SEGV $$"}, out, err, 60);
    } else {
      // A model that takes ten times its first runs' time hangs.
      unsigned limit =
          latencies.empty()
              ? 600
              : static_cast<unsigned>(10 * latencies.front() * (runs + warmup) / 1000 + 30);
      ran = execute(acnnRun, args, out, err, limit);
    }
    if (ran)
      return std::move(ran);
    if (r == 0)
      if (llvm::Error wrong = checkOutputs(name, reference))
        return std::move(wrong);
    auto text = llvm::MemoryBuffer::getFile(out);
    if (!text)
      return llvm::createStringError("cannot read %s", out.c_str());
    llvm::SmallVector<llvm::StringRef> lines;
    (*text)->getBuffer().split(lines, '\n');
    bool table = false;
    for (llvm::StringRef line : lines) {
      double ms;
      if (line.consume_front("latency over ")) {
        auto [_, rest] = line.split("median ");
        if (!rest.split(' ').first.getAsDouble(ms))
          latencies.push_back(ms);
      } else if (line.starts_with("kernel ") && line.contains("total ms")) {
        table = true;
      } else if (table) {
        // NAME CALLS TOTAL MEDIAN PERCENT: names may hold spaces, numbers do
        // not. The median of a kernel's times in the runs, not their mean:
        // one run the machine slowed moves the mean.
        llvm::SmallVector<llvm::StringRef> fields;
        line.rtrim().split(fields, ' ', -1, false);
        long long calls;
        if (fields.size() < 5 || fields[fields.size() - 2].getAsDouble(ms) ||
            fields[fields.size() - 4].getAsInteger(10, calls) || calls <= 0)
          continue;
        llvm::StringRef kernel = line.rtrim();
        for (int i = 0; i < 4; ++i)
          kernel = kernel.take_front(kernel.find_last_of(' ')).rtrim();
        kernels[kernel].push_back(ms);
      }
    }
  }
  if (latencies.empty())
    return llvm::createStringError("acnn-run printed no latency for %s", name.str().c_str());
  ModelTiming timing;
  timing.latencyMs = median(latencies);
  for (auto &k : kernels)
    timing.kernelMs[k.first()] = median(k.second);
  return timing;
}

llvm::Error ModelTimer::checkOutputs(llvm::StringRef name, llvm::StringRef reference) const {
  if (reference.empty())
    return llvm::Error::success();
  for (unsigned o = 0; o < outputs; ++o) {
    std::string suffix = ".out" + std::to_string(o) + ".npy";
    std::string got = path(name, suffix), want = path(reference, suffix);
    acnn_npy_array a, b;
    char err[512];
    if (acnn_npy_read(got.c_str(), &a, err, sizeof err))
      return llvm::createStringError("%s", err);
    if (acnn_npy_read(want.c_str(), &b, err, sizeof err)) {
      acnn_npy_free(&a);
      return llvm::createStringError("%s", err);
    }
    int64_t n = 1;
    for (int i = 0; i < a.rank; ++i)
      n *= a.shape[i];
    double diff = 0, norm = 0;
    bool same = a.rank == b.rank && std::equal(a.shape, a.shape + a.rank, b.shape);
    for (int64_t i = 0; same && i < n; ++i) {
      diff += (double(a.data[i]) - b.data[i]) * (double(a.data[i]) - b.data[i]);
      norm += double(b.data[i]) * b.data[i];
    }
    acnn_npy_free(&a);
    acnn_npy_free(&b);
    const double error = norm > 0 ? std::sqrt(diff / norm) : std::sqrt(diff);
    if (!same || !(error <= 1e-4))
      return llvm::createStringError(
          "output %u differs from the generator's schedules' (relative L2 error %g > 1e-4)", o,
          same ? error : INFINITY);
  }
  return llvm::Error::success();
}

} // namespace acnn
