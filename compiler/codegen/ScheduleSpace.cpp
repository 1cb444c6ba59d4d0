#include "compiler/codegen/ScheduleSpace.h"
#include "compiler/codegen/ThreadLoops.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/DenseSet.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

namespace acnn {

namespace {

/// The choices tried for a template: register tiles of fewer or more rows
/// (up to the cap the registers allow) and of 1, 2 or 4 vectors, a conv's
/// of one output row or of two; element-wise steps of 1 to 8 vectors; a
/// matmul past L2 with k blocks or none, a conv with cache blocks of input
/// channels or none, a depthwise conv's or pool's channel blocks outermost or
/// innermost.
std::vector<TemplateChoices> choicesFor(KernelKind kind) {
  std::vector<TemplateChoices> choices{{}};
  switch (kind) {
  case KernelKind::Conv:
    for (int64_t rows : {0, 4, 6, 8, 12, 16})
      for (int64_t vectors : {0, 1, 2, 4})
        for (int64_t outputRows : {0, 1, 2})
          if (rows || vectors || outputRows)
            choices.push_back({rows, vectors, 0, outputRows});
    for (int64_t block : {-1, 64, 128, 256}) {
      TemplateChoices blocked;
      blocked.convChannelBlock = block;
      choices.push_back(blocked);
    }
    break;
  case KernelKind::Depthwise:
  case KernelKind::Pooling:
  case KernelKind::Matmul:
    for (int64_t rows : {0, 4, 6, 8, 12, 16})
      for (int64_t vectors : {0, 1, 2, 4})
        if (rows || vectors)
          choices.push_back({rows, vectors, 0});
    if (kind == KernelKind::Matmul)
      for (int64_t k : {-1, 128, 256, 512})
        choices.push_back({0, 0, k});
    else
      for (int64_t outermost : {1, -1}) {
        TemplateChoices order;
        order.windowChannelsOutermost = outermost;
        choices.push_back(order);
      }
    break;
  case KernelKind::Elementwise:
  case KernelKind::Reduction:
    for (int64_t vectors : {1, 2, 8})
      choices.push_back({0, vectors, 0});
    break;
  case KernelKind::ParallelOnly:
    break;
  }
  return choices;
}

/// `s` with other parallel loops and chunk counts: the second preferred loop
/// first, and a few steps per thread rather than one register tile a step.
std::vector<Schedule> parallelVariants(const Schedule &s, const ScheduleTarget &t) {
  std::vector<Schedule> out{s};
  if (s.parallelDims.empty())
    return out;
  if (s.parallelDims.size() > 1) {
    Schedule swapped = s;
    std::swap(swapped.parallelDims[0], swapped.parallelDims[1]);
    out.push_back(swapped);
  }
  for (size_t i = 0, n = out.size(); i < n; ++i)
    for (int64_t chunks : {t.threads, 4 * t.threads})
      if (chunks != out[i].parallelChunks) {
        Schedule c = out[i];
        c.parallelChunks = chunks;
        out.push_back(c);
      }
  return out;
}

int64_t tileOf(const Schedule &s, int64_t d) {
  int64_t t = d < static_cast<int64_t>(s.registerTile.size()) ? s.registerTile[d] : 0;
  return t > 0 ? std::min(t, s.loopExtents[d]) : s.loopExtents[d];
}

} // namespace

double estimateSeconds(const Schedule &s, linalg::LinalgOp loops, const ScheduleTarget &t) {
  constexpr double kHz = 3e9, kBytesPerSecond = 20e9;
  const int64_t n = s.loopExtents.size();
  double work = 1;
  for (int64_t e : s.loopExtents)
    work *= static_cast<double>(e);
  const int64_t lanes = std::max<int64_t>(s.vectorWidth, 1);
  auto vectorsOf = [&](int64_t extent) { return (extent + lanes - 1) / lanes; };
  double cycles = work; // scalar: an iteration a cycle
  if (s.vectorize && !s.registerTile.empty()) {
    int64_t rowDim = -1, colDim = -1, operandRows = 1;
    switch (s.kind) {
    case KernelKind::Conv:
    case KernelKind::Pooling:
      rowDim = 2, colDim = 3;
      break;
    case KernelKind::Depthwise:
      rowDim = 2, colDim = 3, operandRows = s.loopExtents[5] + 1;
      break;
    case KernelKind::Matmul:
      if (FailureOr<linalg::ContractionDimensions> dims = linalg::inferContractionDims(loops);
          succeeded(dims) && dims->m.size() == 1 && dims->n.size() == 1)
        rowDim = dims->m[0], colDim = dims->n[0];
      break;
    default:
      break;
    }
    if (rowDim >= 0) {
      // Register tile: rows x vecs accumulators, `other` steps of the
      // remaining tiled loops (a conv's input channels) each. A conv's tile
      // of several output rows (loop 1) has as many rows of accumulators.
      const bool conv = s.kind == KernelKind::Conv;
      const int64_t rows = tileOf(s, rowDim) * (conv ? tileOf(s, 1) : 1), cols = tileOf(s, colDim),
                    vecs = vectorsOf(cols);
      double other = 1;
      for (int64_t d = 0; d < n; ++d)
        if (d != rowDim && d != colDim && !(conv && d == 1) && !s.registerTile.empty() &&
            s.registerTile[d] > 0)
          other *= static_cast<double>(tileOf(s, d));
      const double accumulators = static_cast<double>(rows * vecs);
      const double steps = work / (static_cast<double>(rows * cols) * other);
      double step = std::max({accumulators * other / 2, (rows + vecs) * other / 2, 4 * other});
      if (rows * vecs + operandRows * vecs + 1 > t.vectorRegisters)
        step *= 2;
      cycles = steps * step;
    } else {
      // Element-wise and reductions: a vector op a cycle, a few cycles of
      // loop overhead a step.
      int64_t vdim = 0;
      for (int64_t d = 1; d < n; ++d)
        if (tileOf(s, d) > tileOf(s, vdim))
          vdim = d;
      double stepIterations = 1;
      for (int64_t d = 0; d < n; ++d)
        stepIterations *= static_cast<double>(tileOf(s, d));
      const double steps = work / stepIterations;
      cycles = steps * (stepIterations / tileOf(s, vdim) * vectorsOf(tileOf(s, vdim)) + 3);
    }
  }
  // Threads: the first parallel loop with two register tiles, in its chunks.
  double busy = 1;
  for (int64_t d : s.parallelDims) {
    const double trips = std::ceil(static_cast<double>(s.loopExtents[d]) / tileOf(s, d));
    if (trips < 2)
      continue;
    const double units = s.parallelChunks > 0 ? std::min<double>(trips, s.parallelChunks) : trips;
    busy = units / std::ceil(units / t.threads);
    break;
  }
  double bytes = 0;
  for (Value operand : loops->getOperands())
    if (auto type = dyn_cast<ShapedType>(operand.getType()); type && type.hasStaticShape())
      bytes += 4.0 * type.getNumElements();
  return std::max(cycles / kHz / busy, bytes / (kBytesPerSecond * busy));
}

std::vector<ScheduleCandidate> scheduleCandidates(linalg::LinalgOp loops, linalg::LinalgOp epilogue,
                                                  ScheduleAttr current,
                                                  const ScheduleTarget &target) {
  MLIRContext *ctx = loops->getContext();
  // Invalid candidates are dropped, not reported.
  ScopedDiagnosticHandler quiet(ctx, [](Diagnostic &) { return success(); });
  const Schedule base = generateSchedule(loops, target, epilogue);
  llvm::DenseSet<Attribute> seen{current};
  std::vector<ScheduleCandidate> out;
  for (const TemplateChoices &choice : choicesFor(base.kind)) {
    Schedule templated = generateSchedule(loops, target, epilogue, choice);
    for (Schedule &s : parallelVariants(templated, target)) {
      if (epilogue && !s.splits.empty() && !groupMaySplit(s))
        continue;
      ScheduleAttr attr = toAttr(s, ctx);
      if (!seen.insert(attr).second ||
          failed(fromAttr(attr, loops, [&] { return loops->emitError(); })))
        continue;
      out.push_back({attr, estimateSeconds(s, loops, target)});
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const ScheduleCandidate &a, const ScheduleCandidate &b) {
                     return a.estimate < b.estimate;
                   });
  return out;
}

} // namespace acnn
