#ifndef ACNN_COMPILER_CODEGEN_SCHEDULESPACE_H
#define ACNN_COMPILER_CODEGEN_SCHEDULESPACE_H

// The search space of `acnnc tune` for one kernel: the schedules its
// template gives under other choices (register tile rows and vectors within
// the register file, a matmul's cache blocks: TemplateChoices), each with
// other parallel loops and chunk counts, every one checked as a schedules
// file's entry is, ranked by an analytical estimate of its time.

#include "compiler/codegen/Schedule.h"

#include <vector>

namespace acnn {

struct ScheduleCandidate {
  ScheduleAttr schedule;
  /// Estimated seconds of one run (estimateSeconds); only the order matters.
  double estimate;
};

/// Schedules other than `current` for the kernel whose loops are `loops`
/// (with `epilogue`, the element-wise op of its group, when it is grouped),
/// best estimated first. Each passes fromAttr's checks; a grouped kernel's
/// never split (its pieces are kernels of their own).
std::vector<ScheduleCandidate> scheduleCandidates(mlir::linalg::LinalgOp loops,
                                                  mlir::linalg::LinalgOp epilogue,
                                                  ScheduleAttr current,
                                                  const ScheduleTarget &target);

/// An estimate of the seconds `schedule` takes for `loops` on `target`, from
/// a roofline: vector FMA steps of its register tile (two FMA and two load
/// ports, four cycles of FMA latency to hide, lanes lost to a tile that is
/// not a multiple of the vector, twice the time when the tile spills),
/// spread over the threads its parallel loop keeps busy, against the bytes
/// its operands move at the memory's rate. 3 GHz and 20 GB/s a core: only
/// the ranking of one kernel's schedules uses it.
double estimateSeconds(const Schedule &schedule, mlir::linalg::LinalgOp loops,
                       const ScheduleTarget &target);

} // namespace acnn

#endif
