// acnn-group-epilogues: make a conv (or depthwise conv), matmul or contraction generic, the
// element-wise op that is the only reader of its result (its epilogue: bias, activation, residual)
// and the op that starts its accumulator (a bias broadcast or a fill) one
// kernel, which acnn-select-schedules schedules and acnn-apply-schedules
// tiles as one: every register tile of the epilogue computes its tile of the conv there and then,
// from the accumulator's start in registers, instead of three passes over memory.
//
// A conv with a start but no such reader gets one: a copy of its result
// that its readers read instead (the copy is then each tile's one store).
//
// An op is in one group at most. An element-wise op reading two convs'
// results (a residual add of a block's last conv and of its projection
// shortcut's conv) is the epilogue of the first conv only; the second, like
// a conv without such a reader, is given a copy of its result (splitting a
// group erases its ops, which another group must not hold).
//
// The group is cut first where the conv's schedule would split its loops
// (a remainder of output columns or channels that the register tile does
// not divide), each piece a group of its own computing its part of the
// epilogue's result: the script then has one op of each role to fuse.
// Where the pieces would each read a large filter again (splitsInside), the
// group stays whole and its script splits it inside its thread loop.
#include "compiler/codegen/KernelLocation.h"
#include "compiler/codegen/Passes.h"
#include "compiler/codegen/ResultTiles.h"
#include "compiler/codegen/Schedule.h"
#include "compiler/codegen/ThreadLoops.h"

namespace acnn {

#define GEN_PASS_DEF_GROUPEPILOGUES
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

struct Group {
  linalg::LinalgOp start; // may be null
  linalg::LinalgOp body;
  linalg::GenericOp epilogue;
};

bool allParallel(linalg::LinalgOp op) { return op.getNumParallelLoops() == op.getNumLoops(); }

/// The op that may start `body`'s accumulator (a bias broadcast, a fill): it
/// reads nothing of its destination; other ops may read it too.
linalg::LinalgOp sharedStartOf(linalg::LinalgOp body) {
  auto start = body.getDpsInits()[0].getDefiningOp<linalg::LinalgOp>();
  if (start && start->getBlock() == body->getBlock() && start.hasPureTensorSemantics() &&
      start->getNumResults() == 1 && allParallel(start) &&
      !start.payloadUsesValueFromOperand(start.getDpsInitOperand(0)))
    return start;
  return {};
}

/// The op starting `body`'s accumulator, if only `body` reads it.
linalg::LinalgOp startOf(linalg::LinalgOp body) {
  linalg::LinalgOp start = sharedStartOf(body);
  return start && start->hasOneUse() ? start : linalg::LinalgOp();
}

/// Gives `body` a start of its own where others read it too: CSE merges equal
/// fills, so GoogLeNet's max pools of one shape shared their -inf and
/// DenseNet's bias-free 3x3 convs their zeros, and none was grouped (each
/// pass accumulating in memory, 0.12 ms for a 28x28x192 pool, 0.02 in a group).
void unshareStart(OpBuilder &b, linalg::LinalgOp body) {
  linalg::LinalgOp start = sharedStartOf(body);
  if (!start || start->hasOneUse())
    return;
  b.setInsertionPoint(body);
  body.getDpsInitsMutable()[0].set(b.clone(*start)->getResult(0));
}

/// `body`'s epilogue, if its only reader qualifies (possibly reading it as its
/// destination too, updating it in place): an element-wise generic
/// iterating exactly the body's parallel loops, reading the body's result
/// and writing its own through identity maps, and gathering nothing.
linalg::GenericOp epilogueOf(linalg::LinalgOp body) {
  Value y = body->getResult(0);
  if (y.use_empty())
    return {};
  auto epilogue = dyn_cast<linalg::GenericOp>(*y.getUsers().begin());
  if (!llvm::all_of(y.getUsers(), [&](Operation *user) { return user == epilogue; }))
    return {};
  if (!epilogue || epilogue->getBlock() != body->getBlock() || !epilogue.hasPureTensorSemantics() ||
      epilogue.getNumResults() != 1 || !allParallel(epilogue) ||
      epilogue.getNumLoops() != body.getNumParallelLoops() ||
      !epilogue.getIndexingMapsArray().back().isIdentity() ||
      epilogue.payloadUsesValueFromOperand(epilogue.getDpsInitOperand(0)))
    return {};
  for (OpOperand *input : epilogue.getDpsInputOperands())
    if (input->get() == body->getResult(0) && !epilogue.getMatchingIndexingMap(input).isIdentity())
      return {};
  // A gather (a resize's taps, fused into the residual add of an FPN's
  // lateral conv) is not vectorised; in the group it left the conv scalar too.
  if (gathers(epilogue))
    return {};
  return epilogue;
}

/// A copy of `body`'s result that its readers read instead: the epilogue of
/// a body without one, so that its start is still computed in registers
/// (the copy is the one store of each tile). It writes where the start
/// did.
linalg::GenericOp copyForReaders(OpBuilder &b, linalg::LinalgOp body, linalg::LinalgOp start) {
  b.setInsertionPointAfter(body);
  Value y = body->getResult(0);
  auto type = cast<RankedTensorType>(y.getType());
  Location loc = body.getLoc();
  Value empty = start.getDpsInits()[0];
  AffineMap id = b.getMultiDimIdentityMap(type.getRank());
  auto copy = linalg::GenericOp::create(
      b, loc, TypeRange{type}, ValueRange{y}, ValueRange{empty}, ArrayRef<AffineMap>{id, id},
      SmallVector<utils::IteratorType>(type.getRank(), utils::IteratorType::parallel),
      [](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, args[0]);
      });
  y.replaceAllUsesExcept(copy.getResult(0), copy);
  return copy;
}

/// Gives `g`'s epilogue a tensor.empty destination of its own, tagged with
/// `group` so that CSE does not merge it with another group's: two groups
/// writing slices of one empty tensor would make bufferisation copy one of
/// them.
void ownDestination(OpBuilder &b, Group g, int64_t group) {
  OpOperand *init = g.epilogue.getDpsInitOperand(0);
  auto empty = init->get().getDefiningOp<tensor::EmptyOp>();
  if (!empty)
    return;
  // Before the group's first op: the start may write there too.
  b.setInsertionPoint(g.start ? g.start : g.body);
  auto own = tensor::EmptyOp::create(b, empty.getLoc(), empty.getType().getShape(),
                                     empty.getType().getElementType());
  own->setAttr(kGroupDestinationAttr, b.getI64IntegerAttr(group));
  init->set(own);
}

/// Whether `body` may head a group: a conv, depthwise conv, pooling, (batched) matmul
/// or contraction generic (attention's scores) on static tensors whose
/// parallel loops come first. (A max pool's start is its -inf fill: in the
/// group it is a register splat, not a pass writing the output and another
/// reading it back.)
bool isBody(linalg::LinalgOp body) {
  const bool contraction = isa<linalg::GenericOp>(body) && linalg::isaContractionOpInterface(body);
  if (!(isa<linalg::Conv2DNhwcHwcfOp, linalg::DepthwiseConv2DNhwcHwcOp, linalg::PoolingNhwcMaxOp,
            linalg::PoolingNhwcSumOp, linalg::MatmulOp, linalg::BatchMatmulOp>(body) ||
        contraction) ||
      !body.hasPureTensorSemantics() || body.hasDynamicShape())
    return false;
  SmallVector<utils::IteratorType> iterators = body.getIteratorTypesArray();
  for (unsigned d = 0; d < body.getNumParallelLoops(); ++d)
    if (iterators[d] != utils::IteratorType::parallel)
      return false;
  return true;
}

/// Cuts `g` along the body's parallel loop `dim` at `at`: two groups computing
/// the two parts of the epilogue's result, inserted into its destination.
FailureOr<std::pair<Group, Group>> split(OpBuilder &b, Group g, int64_t dim, int64_t at) {
  b.setInsertionPoint(g.epilogue);
  Location loc = g.epilogue.getLoc();
  ArrayRef<int64_t> shape = cast<RankedTensorType>(g.epilogue->getResult(0).getType()).getShape();
  Value result = g.epilogue.getDpsInits()[0];
  Group parts[2];
  for (int part = 0; part < 2; ++part) {
    SmallVector<OpFoldResult> offsets(shape.size(), b.getIndexAttr(0)), sizes, unit;
    for (int64_t e : shape) {
      sizes.push_back(b.getIndexAttr(e));
      unit.push_back(b.getIndexAttr(1));
    }
    offsets[dim] = b.getIndexAttr(part ? at : 0);
    sizes[dim] = b.getIndexAttr(part ? shape[dim] - at : at);
    // Each part writes its place in what the parts before it wrote.
    Value place = tensor::ExtractSliceOp::create(b, loc, result, offsets, sizes, unit);
    Value start;
    if (g.start) {
      SmallVector<std::pair<Value, Value>> inPlace;
      if (g.start.getDpsInits()[0] == g.epilogue.getDpsInits()[0])
        inPlace.push_back({g.start.getDpsInits()[0], place});
      FailureOr<Value> tile = tileOfResult(b, g.start, offsets, sizes, inPlace);
      if (failed(tile))
        return failure();
      start = *tile;
    }
    SmallVector<std::pair<Value, Value>> replaced;
    if (g.start)
      replaced.push_back({g.start->getResult(0), start});
    FailureOr<Value> body = tileOfResult(b, g.body, offsets, sizes, replaced);
    if (failed(body))
      return failure();
    FailureOr<Value> epilogue =
        tileOfResult(b, g.epilogue, offsets, sizes,
                     {{g.body->getResult(0), *body}, {g.epilogue.getDpsInits()[0], place}});
    if (failed(epilogue))
      return failure();
    result = tensor::InsertSliceOp::create(b, loc, *epilogue, result, offsets, sizes, unit);
    parts[part] = {start ? start.getDefiningOp<linalg::LinalgOp>() : linalg::LinalgOp(),
                   body->getDefiningOp<linalg::LinalgOp>(),
                   epilogue->getDefiningOp<linalg::GenericOp>()};
  }
  g.epilogue->getResult(0).replaceAllUsesWith(result);
  g.epilogue->erase();
  g.body->erase();
  if (g.start)
    g.start->erase();
  return std::make_pair(parts[0], parts[1]);
}

/// Whether `body`'s group keeps its schedule's split, made inside its
/// thread loop (splitDepth), instead of becoming two groups: where each
/// group of its own would read the operands the split loop does not index (a
/// conv's filter, a matmul's b) again from far past L2, and start threads of
/// its own. Inside, the remainder takes the whole group's register tile,
/// clamped (3 x 16 where a group of its own takes 2 x 3 x 16), which costs
/// more than the second read below 8 times L2 (Zen 3, three convs in a row
/// on a 7x7 map, inside / apart: 1x1 over 2048 channels, 16 MB, 0.71; 3x3
/// over 512, 9.4 MB, 0.85; 1x1 over 1024, 4 MB, 0.95 by medians but 1.01 by
/// fastest runs; 1x1 over 512 on 14x14, 1 MB, 1.02).
bool splitsInside(const Schedule &s, linalg::LinalgOp body, const ScheduleTarget &t) {
  if (!groupMaySplit(s))
    return false;
  int64_t bytes = 0;
  for (OpOperand *input : body.getDpsInputOperands())
    if (auto type = dyn_cast<ShapedType>(input->get().getType());
        type && type.hasStaticShape() &&
        !body.getMatchingIndexingMap(input).isFunctionOfDim(s.splits.front().dim))
      bytes += type.getNumElements() * type.getElementTypeBitWidth() / 8;
  return bytes > 8 * t.l2Bytes;
}

struct GroupEpilogues : impl::GroupEpiloguesBase<GroupEpilogues> {
  using GroupEpiloguesBase::GroupEpiloguesBase;

  void runOnOperation() override {
    FailureOr<ScheduleTarget> parsed = ScheduleTarget::of(getOperation(), target);
    if (failed(parsed))
      return signalPassFailure();
    const ScheduleTarget &t = *parsed;
    SmallVector<linalg::LinalgOp> bodies;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isBody(op))
        bodies.push_back(op);
    });
    OpBuilder b(&getContext());
    SmallVector<Group> pending;
    // The ops of the groups made so far. A group must hold no op of another:
    // cutting a group erases its ops, and tagging one twice leaves the
    // first group without it.
    llvm::SmallPtrSet<Operation *, 32> grouped;
    // A group is one kernel: the kernels its ops came from become one.
    SmallVector<std::pair<StringAttr, StringAttr>> merged;
    for (linalg::LinalgOp body : bodies) {
      Schedule s = generateSchedule(body, t);
      // Blocked reductions (a matmul's k in cache blocks) finish a tile
      // only after the last block: nothing to fuse a tile at a time.
      if (!s.vectorize || !s.cacheTile.empty())
        continue;
      unshareStart(b, body);
      Group g{startOf(body), body, epilogueOf(body)};
      // An epilogue reading two bodies' results (a residual add of two
      // convs) is the first one's; this one gets a copy as below. (Likewise
      // a start that is an earlier group's epilogue stays that group's.)
      if (g.start && grouped.contains(g.start))
        g.start = {};
      if (g.epilogue && grouped.contains(g.epilogue))
        g.epilogue = {};
      if (!g.epilogue && g.start)
        g.epilogue = copyForReaders(b, body, g.start);
      if (!g.epilogue)
        continue;
      // An epilogue updating the conv's result in place (acnn-fuse-pool-into-
      // conv's blocks) writes where the accumulator started instead: the
      // same buffer, and not the conv's result, which tiles do not make.
      OpOperand *dest = g.epilogue.getDpsInitOperand(0);
      if (dest->get() == body->getResult(0))
        dest->set(g.start ? g.start.getDpsInits()[0] : body.getDpsInits()[0]);
      ownDestination(b, g, pending.size());
      // The start writes where the epilogue will: the conv accumulates in
      // that place too, so a tile the vectoriser does not keep in registers
      // still needs no buffer of its own.
      // (Only into the group's own destination, made before the start.)
      auto own = g.epilogue.getDpsInits()[0].getDefiningOp<tensor::EmptyOp>();
      if (g.start && own && own->hasAttr(kGroupDestinationAttr) &&
          g.start.getDpsInits()[0].getDefiningOp<tensor::EmptyOp>())
        g.start.getDpsInitsMutable()[0].set(own);
      grouped.insert(g.body);
      grouped.insert(g.epilogue);
      StringAttr kernel = kernelNameOf(g.body->getLoc());
      merged.push_back({kernel, kernelNameOf(g.epilogue->getLoc())});
      if (g.start) {
        grouped.insert(g.start);
        // A fill or a broadcast computes nothing of its own node's: it joins
        // the body's kernel under the body's name. (CSE shares one zero fill
        // among equal convs; merging its name would merge all of theirs, as
        // DenseNet's 3x3 convs were profiled as one kernel.)
        if (g.start.getBlock()->getOperations().size() == 1)
          g.start->setLoc(g.body->getLoc());
        else
          merged.push_back({kernel, kernelNameOf(g.start->getLoc())});
      }
      pending.push_back(g);
    }
    mergeKernelNames(getOperation(), merged);
    MLIRContext *ctx = &getContext();
    int64_t id = 0;
    while (!pending.empty()) {
      Group g = pending.pop_back_val();
      Schedule s = generateSchedule(g.body, t, g.epilogue);
      if (!s.splits.empty() && !splitsInside(s, g.body, t)) {
        FailureOr<std::pair<Group, Group>> parts =
            split(b, g, s.splits.front().dim, s.splits.front().at);
        if (failed(parts))
          return signalPassFailure();
        pending.push_back(parts->first);
        pending.push_back(parts->second);
        continue;
      }
      auto tag = IntegerAttr::get(IntegerType::get(ctx, 64), id++);
      g.epilogue->setAttr(kGroupEpilogueAttr, tag);
      g.body->setAttr(kGroupBodyAttr, tag);
      if (g.start)
        g.start->setAttr(kGroupStartAttr, tag);
    }
  }
};

} // namespace
} // namespace acnn
