#!/usr/bin/env bash
# From a fresh Debian 12 machine: installs dependencies, builds everything, runs every test.
#   scripts/test.sh              the build in build/ (gcc), all tests: what CI runs
#   scripts/test.sh --sanitize   a clang build with AddressSanitizer + UndefinedBehaviorSanitizer
#                                and libFuzzer in build-sanitize/, all tests under them
#   scripts/test.sh --fuzz [S]   that build, then each fuzz target (tests/fuzz) for S seconds
#                                (default 60) from its seeds; crashes land in build-sanitize/fuzz/
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
if [ -z "$mode" ]; then
  scripts/install-deps.sh
  scripts/build.sh
  cd build
  exec ctest --output-on-failure -j "$(nproc)"
fi
case "$mode" in
  --sanitize | --fuzz) ;;
  *) echo "usage: $0 [--sanitize | --fuzz [SECONDS]]" >&2; exit 2 ;;
esac
scripts/install-deps.sh --sanitizers
if [ ! -f build-sanitize/build.ninja ]; then
  CC=clang-22 CXX=clang++-22 cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DACNN_FUZZ=ON
fi
# LLVM's allocators poison their free space in instrumented code (acnn's, which
# inlines them) but not in Debian's uninstrumented libLLVM/libMLIR, which then
# write to it: that is no bug, so manual poisoning is off. The build runs
# acnnc too (examples/), hence before it.
export ASAN_OPTIONS="allow_user_poisoning=0:allocator_may_return_null=1"
# Debian's MLIR/LLVM keep some allocations until exit on purpose; see the file.
export LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ninja -C build-sanitize
if [ "$mode" = --sanitize ]; then
  cd build-sanitize
  exec ctest --output-on-failure -j "$(nproc)"
fi
seconds=${2:-60}
mkdir -p build-sanitize/fuzz
while read -r target seeds; do
  corpus=build-sanitize/fuzz/$target.corpus
  mkdir -p "$corpus"
  echo "== fuzz-$target, $seconds s"
  # -rss_limit_mb: an input may not make a reader allocate what its file does not hold.
  build-sanitize/tests/fuzz/fuzz-$target "$corpus" $seeds -max_total_time="$seconds" \
    -rss_limit_mb=4096 -malloc_limit_mb=4096 -artifact_prefix=build-sanitize/fuzz/$target- \
    -print_final_stats=1 2>&1 | grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|==[0-9]+==|SUMMARY|artifact_prefix|Test unit written)" || true
done < build-sanitize/tests/fuzz/targets.txt
if ls build-sanitize/fuzz/*-crash-* build-sanitize/fuzz/*-leak-* build-sanitize/fuzz/*-oom-* \
     build-sanitize/fuzz/*-timeout-* 2> /dev/null; then
  echo "fuzzing found the inputs above: add each to tests/fuzz/regressions/<target>/ with its fix" >&2
  exit 1
fi
