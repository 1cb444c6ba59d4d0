#ifndef ACNN_COMPILER_CODEGEN_THREADLOOPS_H
#define ACNN_COMPILER_CODEGEN_THREADLOOPS_H
// Which loop of a kernel its threads take, and whether any does: the
// renderer's cut of a parallel loop into steps, and the generator's choices
// made on it after a template has ordered the loops.
#include "compiler/codegen/Schedule.h"

#include <optional>

namespace acnn {

/// The parallel loop the renderer makes over loop `d` of a piece of the op
/// with `extents`: `count` steps of `size`, each one register tile, or about
/// parallelChunks equal steps of whole tiles; no steps when `d` has fewer
/// than two tiles or its tile does not divide it.
struct ParallelSteps {
  int64_t count = 0, size = 0;
};
ParallelSteps parallelSteps(const Schedule &schedule, int64_t d, llvm::ArrayRef<int64_t> extents);

/// The loop the renderer's threads take in a piece of the op with
/// `extents`: the first of the schedule's parallel loops parallelSteps cuts.
std::optional<int64_t> threadLoop(const Schedule &s, llvm::ArrayRef<int64_t> extents);

/// The loops in `interchange`'s order; all `loops` in order if it is empty.
llvm::SmallVector<int64_t> loopOrder(llvm::ArrayRef<int64_t> interchange, size_t loops);

/// Where the renderer makes a schedule's splits: inside the thread loop, the
/// cache blocks and the first `depth` loops of the register tile in the
/// schedule's order (the depth returned), so that the pieces share one
/// fork/join and each block of an operand those loops hold (a conv's filter
/// strip) serves every piece while it is cached (a cache-blocked 3x3 conv
/// over 1024 channels of a 7x7 map, 38 MB of filter, 4 + 3 columns, ran 9%
/// faster than up front; FCN's 3x3 head over 2048 channels of 28x28 6-10%,
/// Zen 3); or up front (nullopt), each piece with threads of its own, where
/// the threads or a cache block cut a split loop, and where nothing splits.
/// Peeled loops stay inside.
std::optional<size_t> splitDepth(const Schedule &s);

/// Whether a group's script (acnn-group-epilogues) can make `s`'s splits:
/// one split, made inside (splitDepth), and no peeled loop.
bool groupMaySplit(const Schedule &s);

/// `s` with the template's first parallel loop, unless it keeps `threads`
/// under 90% busy and a later one keeps them busier: then that one first.
Schedule withBalancedThreads(Schedule s, int64_t threads);

/// `s` without parallel loops when `op` is already inside one or has too few
/// iterations for forking threads to pay.
Schedule withoutSmallParallelLoops(Schedule s, mlir::linalg::LinalgOp op);

} // namespace acnn

#endif
