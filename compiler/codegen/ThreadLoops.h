#ifndef ACNN_COMPILER_CODEGEN_THREADLOOPS_H
#define ACNN_COMPILER_CODEGEN_THREADLOOPS_H
// Which loop of a kernel its threads take, and whether any does: the
// renderer's cut of a parallel loop into steps, and the generator's choices
// made on it after a template has ordered the loops.
#include "compiler/codegen/Schedule.h"

namespace acnn {

/// The parallel loop the renderer makes over loop `d` of a piece of the op
/// with `extents`: `count` steps of `size`, each one register tile, or about
/// parallelChunks equal steps of whole tiles; no steps when `d` has fewer
/// than two tiles or its tile does not divide it.
struct ParallelSteps {
  int64_t count = 0, size = 0;
};
ParallelSteps parallelSteps(const Schedule &schedule, int64_t d, llvm::ArrayRef<int64_t> extents);

/// `s` with the template's first parallel loop, unless it keeps `threads`
/// under 90% busy and a later one keeps them busier: then that one first.
Schedule withBalancedThreads(Schedule s, int64_t threads);

/// `s` without parallel loops when `op` is already inside one or has too few
/// iterations for forking threads to pay.
Schedule withoutSmallParallelLoops(Schedule s, mlir::linalg::LinalgOp op);

} // namespace acnn

#endif
