#include "compiler/codegen/ThreadLoops.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

#include <algorithm>

namespace acnn {

using namespace mlir;

namespace {

/// Loop iterations below which forking threads costs more than it saves.
/// Inside attention's sequential loop over key blocks too: its element-wise
/// steps (e.g. 784 rows x 56 keys) left one core idle when they ran on one
/// thread (non-local block 10.9 -> 9.7 ms with them parallel).
constexpr int64_t kMinParallelWork = 1 << 14;

/// The share of `threads` busy over `steps` equal steps: 0.75 for 3 on 2.
double threadBalance(int64_t steps, int64_t threads) {
  return double(steps) / double((steps + threads - 1) / threads * threads);
}

} // namespace

ParallelSteps parallelSteps(const Schedule &s, int64_t d, llvm::ArrayRef<int64_t> extents) {
  const int64_t unit = s.registerTile[d] > 0 ? s.registerTile[d] : extents[d];
  if (unit <= 0 || extents[d] % unit != 0 || extents[d] / unit < 2)
    return {};
  const int64_t units = extents[d] / unit;
  int64_t group = 1;
  if (s.parallelChunks > 0)
    for (int64_t g = units / s.parallelChunks; g >= 1; --g)
      if (units % g == 0) {
        group = g;
        break;
      }
  return {units / group, unit * group};
}

std::optional<int64_t> threadLoop(const Schedule &s, llvm::ArrayRef<int64_t> extents) {
  for (int64_t d : s.parallelDims)
    if (parallelSteps(s, d, extents).count)
      return d;
  return std::nullopt;
}

SmallVector<int64_t> loopOrder(llvm::ArrayRef<int64_t> interchange, size_t loops) {
  SmallVector<int64_t> order(interchange);
  if (order.empty())
    for (size_t d = 0; d < loops; ++d)
      order.push_back(d);
  return order;
}

std::optional<size_t> splitDepth(const Schedule &s) {
  if (s.splits.empty() || !s.vectorize)
    return std::nullopt;
  // The thread loop of the whole op must be the first piece's (each piece's,
  // as the loop is not split), as up front.
  SmallVector<int64_t> first(s.loopExtents);
  for (const Schedule::Split &split : s.splits)
    first[split.dim] = std::min(first[split.dim], split.at);
  std::optional<int64_t> threads = threadLoop(s, s.loopExtents);
  if (threads != threadLoop(s, first))
    return std::nullopt;
  SmallVector<int64_t> order = loopOrder(s.interchange, s.loopExtents.size());
  auto at = [&](int64_t d) { return static_cast<size_t>(llvm::find(order, d) - order.begin()); };
  size_t depth = order.size();
  for (const Schedule::Split &split : s.splits) {
    if (threads == split.dim || (!s.cacheTile.empty() && s.cacheTile[split.dim] > 0 &&
                                 s.cacheTile[split.dim] < s.loopExtents[split.dim]))
      return std::nullopt;
    depth = std::min(depth, at(split.dim));
  }
  for (int64_t d : s.peel)
    depth = std::min(depth, at(d));
  return depth;
}

bool groupMaySplit(const Schedule &s) {
  return s.splits.size() == 1 && s.peel.empty() && splitDepth(s);
}

// Tuned on Zen 5 (acnnc tune): threads on channels rather than a 7x7 map's 7
// rows made depthwise convs 1.5-1.7x faster, and on rows rather than 3 column
// blocks made 3136 x 96 matmuls 1.5x faster.
Schedule withBalancedThreads(Schedule s, int64_t threads) {
  constexpr double kBusy = 0.9;
  // The first piece's extents: a split's first part takes whole tiles.
  SmallVector<int64_t> extents(s.loopExtents);
  for (const Schedule::Split &split : s.splits)
    extents[split.dim] = std::min(extents[split.dim], split.at);
  double first = -1, best = -1;
  size_t bestAt = 0;
  for (size_t i = 0; i < s.parallelDims.size(); ++i) {
    ParallelSteps steps = parallelSteps(s, s.parallelDims[i], extents);
    if (!steps.count)
      continue;
    const double balance = threadBalance(steps.count, threads);
    if (first < 0)
      first = balance;
    if (balance > best) {
      best = balance;
      bestAt = i;
    }
  }
  if (first >= 0 && first < kBusy && best > first) {
    const int64_t d = s.parallelDims[bestAt];
    s.parallelDims.erase(s.parallelDims.begin() + bestAt);
    s.parallelDims.insert(s.parallelDims.begin(), d);
  }
  return s;
}

Schedule withoutSmallParallelLoops(Schedule s, linalg::LinalgOp op) {
  // Already inside a parallel loop (acnn-fuse-pool-into-conv's row blocks).
  if (op->getParentOfType<scf::ForallOp>()) {
    s.parallelDims.clear();
    return s;
  }
  int64_t work = 1;
  for (int64_t e : s.loopExtents)
    work *= e;
  if (work < kMinParallelWork)
    s.parallelDims.clear();
  return s;
}

} // namespace acnn
