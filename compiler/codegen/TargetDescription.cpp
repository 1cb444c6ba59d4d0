#include "compiler/codegen/TargetDescription.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/MC/MCSubtargetInfo.h"

#include <algorithm>
#include <fstream>
#include <sched.h>
#include <unistd.h>

namespace acnn {

int64_t availableCpus() {
  cpu_set_t set;
  long cpus =
      sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : sysconf(_SC_NPROCESSORS_ONLN);
  return std::clamp<int64_t>(cpus, 1, 1024);
}

namespace {

struct Caches {
  int64_t l1, l2, l3;
};

/// Per-core L1d and L2 and the L3 a core shares, of the families acnn is
/// run on; other CPUs get the smallest of these.
Caches familyCaches(llvm::StringRef cpu) {
  constexpr int64_t K = 1024, M = 1024 * 1024;
  if (cpu.starts_with("znver5"))
    return {48 * K, 1 * M, 32 * M};
  if (cpu.starts_with("znver4"))
    return {32 * K, 1 * M, 32 * M};
  if (cpu.starts_with("znver"))
    return {32 * K, 512 * K, 32 * M};
  if (cpu == "sapphirerapids" || cpu == "emeraldrapids" || cpu == "graniterapids")
    return {48 * K, 2 * M, 60 * M};
  if (cpu == "icelake-server")
    return {48 * K, 1280 * K, 48 * M};
  if (cpu == "skylake-avx512" || cpu == "cascadelake" || cpu == "cooperlake")
    return {32 * K, 1 * M, 32 * M};
  return {32 * K, 256 * K, 8 * M};
}

/// The size of the level-3 cache CPU 0 shares, as Linux's sysfs gives it
/// ("32768K"), or 0.
int64_t sharedL3Bytes() {
  std::ifstream file("/sys/devices/system/cpu/cpu0/cache/index3/size");
  int64_t size = 0;
  char unit = 0;
  if (!(file >> size) || size <= 0)
    return 0;
  file >> unit;
  return unit == 'K' ? size * 1024 : unit == 'M' ? size * 1024 * 1024 : size;
}

/// This machine's caches as the C library reports them; the family's sizes
/// where it reports none. The L3 is the one a core shares, from sysfs: glibc
/// sums every L3 of the host (a VM on a 10-CCD EPYC reported 320 MiB).
Caches hostCaches(llvm::StringRef cpu) {
  Caches c = familyCaches(cpu);
  auto read = [](int name, int64_t fallback) {
    long bytes = sysconf(name);
    return bytes > 0 ? int64_t(bytes) : fallback;
  };
  const int64_t l3 = sharedL3Bytes();
  return {read(_SC_LEVEL1_DCACHE_SIZE, c.l1), read(_SC_LEVEL2_CACHE_SIZE, c.l2),
          l3 > 0 ? l3 : read(_SC_LEVEL3_CACHE_SIZE, c.l3)};
}

} // namespace

TargetAttr describeTarget(mlir::MLIRContext *ctx, llvm::TargetMachine &machine, bool host,
                          int64_t threads) {
  const llvm::MCSubtargetInfo *info = machine.getMCSubtargetInfo();
  llvm::StringRef cpu = machine.getTargetCPU();
  // The subtarget has the CPU's features and the host's feature string.
  llvm::StringRef isa = info->checkFeatures("+avx512f") ? "avx512"
                        : info->checkFeatures("+avx")   ? "avx2"
                                                        : "sse";
  Caches caches = host ? hostCaches(cpu) : familyCaches(cpu);
  return TargetAttr::get(ctx, cpu, isa, isa == "avx512" ? 512 : isa == "avx2" ? 256 : 128,
                         isa == "avx512" ? 32 : 16, caches.l1, std::max(caches.l2, caches.l1),
                         caches.l3 && caches.l3 < caches.l2 ? caches.l2 : caches.l3,
                         threads > 0 ? threads : availableCpus());
}

llvm::Expected<TargetAttr> withIsa(TargetAttr target, llvm::StringRef isa) {
  int64_t bits = llvm::StringSwitch<int64_t>(isa)
                     .Case("sse", 128)
                     .Case("avx2", 256)
                     .Case("avx512", 512)
                     .Default(0);
  if (!bits)
    return llvm::createStringError("unknown --schedule-target '%s' (sse, avx2 or avx512)",
                                   isa.str().c_str());
  return TargetAttr::get(target.getContext(), target.getCpu(), isa, bits, bits == 512 ? 32 : 16,
                         target.getL1Bytes(), target.getL2Bytes(), target.getL3Bytes(),
                         target.getThreads());
}

} // namespace acnn
