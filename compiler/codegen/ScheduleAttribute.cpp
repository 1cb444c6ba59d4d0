// A Schedule and its #acnn.schedule attribute, each way. The attribute holds
// the decisions; the loops they apply to (the op's name, extents and
// reductions) and whether the kernel is a group come from the kernel's ops,
// so an attribute is checked against them here before it is rendered.
#include "compiler/codegen/Schedule.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;

namespace acnn {

ScheduleAttr toAttr(const Schedule &s, MLIRContext *ctx) {
  SmallVector<int64_t> splits;
  for (const Schedule::Split &split : s.splits)
    splits.append({split.dim, split.at});
  return ScheduleAttr::get(ctx, kernelKindName(s.kind), s.vectorWidth, s.unroll, splits, s.peel,
                           s.parallelDims, s.parallelChunks, s.cacheTile, s.cacheInterchange,
                           s.registerTile, s.interchange, s.decompose, s.vectorize,
                           s.hoistAccumulators);
}

FailureOr<Schedule> fromAttr(ScheduleAttr attr, linalg::LinalgOp op,
                             llvm::function_ref<InFlightDiagnostic()> emitError) {
  Schedule s;
  s.opName = op->getName().getStringRef().str();
  std::optional<KernelKind> kind;
  for (KernelKind k : {KernelKind::Conv, KernelKind::Depthwise, KernelKind::Pooling,
                       KernelKind::Matmul, KernelKind::Elementwise, KernelKind::Reduction,
                       KernelKind::ParallelOnly})
    if (kernelKindName(k) == attr.getKind())
      kind = k;
  if (!kind)
    return emitError() << "unknown schedule kind '" << attr.getKind() << "'";
  s.kind = *kind;
  bool tiled = !attr.getTile().empty() || !attr.getParallelDims().empty() ||
               !attr.getSplits().empty() || !attr.getPeel().empty() ||
               !attr.getCacheTile().empty() || attr.getVectorize();
  if (tiled && (op.hasDynamicShape() || !op.hasPureTensorSemantics()))
    return emitError() << "a schedule that tiles needs static shapes on tensors; " << s.opName
                       << " has none";
  if (!op.hasDynamicShape()) {
    s.loopExtents = op.getStaticLoopRanges();
    for (utils::IteratorType it : op.getIteratorTypesArray())
      s.reductionLoops.push_back(it == utils::IteratorType::reduction);
  }
  const int64_t loops = op.getNumLoops();
  auto sized = [&](ArrayRef<int64_t> sizes, StringRef what) -> LogicalResult {
    if (sizes.empty() || static_cast<int64_t>(sizes.size()) == loops)
      return success();
    return emitError() << "schedule " << what << " has " << sizes.size() << " sizes; "
                       << s.opName << " has " << loops << " loops";
  };
  if (failed(sized(attr.getTile(), "tile")) || failed(sized(attr.getCacheTile(), "cache")))
    return failure();
  if (attr.getVectorize() && attr.getTile().empty())
    return emitError() << "a vectorised schedule needs a register tile";
  ArrayRef<int64_t> splits = attr.getSplits();
  for (size_t i = 0; i < splits.size(); i += 2) {
    if (splits[i] >= loops || splits[i + 1] >= s.loopExtents[splits[i]])
      return emitError() << "schedule split [" << splits[i] << ", " << splits[i + 1]
                         << "] is outside " << s.opName << "'s loops ["
                         << llvm::join(llvm::map_range(s.loopExtents,
                                                       [](int64_t e) { return std::to_string(e); }),
                                       ", ")
                         << "]";
    s.splits.push_back({splits[i], splits[i + 1]});
  }
  // A peeled loop is a parallel one with a register tile that leaves a
  // remainder: the tile loop the remainder is peeled from.
  for (int64_t d : attr.getPeel())
    if (d >= loops || s.reductionLoops[d] || attr.getTile()[d] <= 0 ||
        attr.getTile()[d] >= s.loopExtents[d] || s.loopExtents[d] % attr.getTile()[d] == 0 ||
        llvm::any_of(s.splits, [&](const Schedule::Split &split) { return split.dim == d; }))
      return emitError() << "schedule peels loop " << d << ", which is not a parallel loop of "
                         << s.opName << " that its register tile leaves a remainder of (and "
                         << "that no split cuts)";
  // One loop, of a matmul: the peel the templates make and the renderer was
  // checked on (a conv tile of several rows is generalised inside its loop,
  // which promoting the partial step's one-trip loop removes).
  if (attr.getPeel().size() > 1 || (!attr.getPeel().empty() && *kind != KernelKind::Matmul))
    return emitError() << "a schedule peels at most one loop, of a matmul";
  s.peel.assign(attr.getPeel().begin(), attr.getPeel().end());
  for (int64_t d : attr.getParallelDims())
    if (d >= loops || s.reductionLoops[d])
      return emitError() << "schedule parallel loop " << d << " is not a parallel loop of "
                         << s.opName;
  // What transform.structured.decompose rewrites to 1-D.
  if (attr.getDecompose() &&
      !isa<linalg::Conv2DNhwcHwcfOp, linalg::DepthwiseConv2DNhwcHwcOp, linalg::PoolingNhwcMaxOp,
           linalg::PoolingNhwcSumOp>(op))
    return emitError() << "only a 2-D NHWC conv, depthwise conv or pooling decomposes; the kernel is "
                       << s.opName;
  // It rewrites a tile of one output row (loop 1 of each) and one filter row
  // (loop 4); a tile of more rows vectorises as a contraction, undecomposed.
  if (attr.getDecompose() && !attr.getTile().empty())
    for (int64_t d : {1, 4})
      if (attr.getTile()[d] > 1 || (attr.getTile()[d] == 0 && s.loopExtents[d] > 1))
        return emitError() << "a schedule that decomposes tiles loop " << d << " of " << s.opName
                           << " by 1, not " << attr.getTile()[d]
                           << " (a tile of several output rows vectorises without decompose)";
  s.vectorWidth = attr.getVectorWidth();
  s.unroll = attr.getUnroll();
  s.parallelDims.assign(attr.getParallelDims().begin(), attr.getParallelDims().end());
  s.parallelChunks = attr.getParallelChunks();
  s.cacheTile.assign(attr.getCacheTile().begin(), attr.getCacheTile().end());
  s.cacheInterchange.assign(attr.getCacheOrder().begin(), attr.getCacheOrder().end());
  s.registerTile.assign(attr.getTile().begin(), attr.getTile().end());
  s.interchange.assign(attr.getOrder().begin(), attr.getOrder().end());
  s.decompose = attr.getDecompose();
  s.vectorize = attr.getVectorize();
  s.hoistAccumulators = attr.getHoist();
  return s;
}

} // namespace acnn
