// acnn-fuse-into-group-loops: a grouped conv is a loop over its groups, or
// over groups and blocks of output rows (acnn-kernel-layouts), one NHWC conv
// a step. Its accumulator start (a bias broadcast) and its element-wise
// epilogue (activation, residual add) were ops of their own before and after
// the loop: three parallel regions over the whole map for one kernel, where
// each fork and join cost more than the group's FLOPs on small maps (RegNetX's
// 14x14 grouped convs ran slower on two threads than on one). Both move into
// the loop, a group's tile a step:
//
//   s = start(); y = forall g { conv_g(s[g]) }; e = epilogue(y, ...)
// becomes
//   e = forall g { s_g = start tile; y_g = conv_g(s_g); epilogue tile of y_g }
//
// where each step writes its group's place in the epilogue's destination,
// the epilogue in place over the conv's tile (acnn-group-epilogues then
// makes the three one group, computed in the conv's registers).
#include "compiler/codegen/Passes.h"
#include "compiler/codegen/ResultTiles.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dominance.h"

namespace acnn {

#define GEN_PASS_DEF_FUSEINTOGROUPLOOPS
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

/// The parts of a group loop: a forall with one shared output whose body
/// takes a slice of it (`place`) as the accumulator of one conv and inserts
/// the conv's result back at the same place.
struct GroupLoop {
  scf::ForallOp loop;
  tensor::ExtractSliceOp place;
  linalg::Conv2DNhwcHwcfOp conv;
  tensor::ParallelInsertSliceOp insert;
};

std::optional<GroupLoop> asGroupLoop(scf::ForallOp loop) {
  if (loop.getNumResults() != 1)
    return std::nullopt;
  BlockArgument out = loop.getRegionIterArgs()[0];
  if (!out.hasNUses(2))
    return std::nullopt;
  GroupLoop g{loop, {}, {}, {}};
  for (Operation *user : out.getUsers()) {
    if (auto slice = dyn_cast<tensor::ExtractSliceOp>(user))
      g.place = slice;
    else if (auto insert = dyn_cast<tensor::ParallelInsertSliceOp>(user))
      g.insert = insert;
  }
  if (!g.place || !g.insert || !g.place->hasOneUse() || g.insert.getDest() != out)
    return std::nullopt;
  g.conv = dyn_cast<linalg::Conv2DNhwcHwcfOp>(*g.place->getUsers().begin());
  if (!g.conv || g.conv.getDpsInits()[0] != g.place.getResult() ||
      g.insert.getSource() != g.conv.getResult(0) || !g.conv->hasOneUse() ||
      g.place.getMixedOffsets() != g.insert.getMixedOffsets() ||
      g.place.getMixedSizes() != g.insert.getMixedSizes() ||
      g.place.getResultType().getRank() != g.place.getSourceType().getRank())
    return std::nullopt;
  return g;
}

bool allParallel(linalg::LinalgOp op) { return op.getNumParallelLoops() == op.getNumLoops(); }

/// The loop's start: the op writing its shared output, if it reads nothing
/// of its own destination and only the loop reads it.
linalg::LinalgOp startOf(GroupLoop g) {
  auto start = g.loop.getOutputs()[0].getDefiningOp<linalg::LinalgOp>();
  if (start && start->hasOneUse() && start.hasPureTensorSemantics() &&
      start->getNumResults() == 1 && allParallel(start) &&
      !start.payloadUsesValueFromOperand(start.getDpsInitOperand(0)))
    return start;
  return {};
}

/// The loop's epilogue: the only reader of its result, element-wise over it
/// and its own result (identity maps), not reading its destination.
linalg::GenericOp epilogueOf(GroupLoop g) {
  Value y = g.loop.getResult(0);
  if (!y.hasOneUse())
    return {};
  auto epilogue = dyn_cast<linalg::GenericOp>(*y.getUsers().begin());
  if (!epilogue || !epilogue.hasPureTensorSemantics() || epilogue.getNumResults() != 1 ||
      !allParallel(epilogue) || epilogue.getResult(0).getType() != y.getType() ||
      !epilogue.getIndexingMapsArray().back().isIdentity() ||
      epilogue.payloadUsesValueFromOperand(epilogue.getDpsInitOperand(0)))
    return {};
  for (OpOperand *input : epilogue.getDpsInputOperands())
    if (input->get() == y && !epilogue.getMatchingIndexingMap(input).isIdentity())
      return {};
  return epilogue;
}

struct FuseIntoGroupLoops : impl::FuseIntoGroupLoopsBase<FuseIntoGroupLoops> {
  void runOnOperation() override {
    SmallVector<GroupLoop> loops;
    getOperation().walk([&](scf::ForallOp loop) {
      if (std::optional<GroupLoop> g = asGroupLoop(loop))
        loops.push_back(*g);
    });
    // Moving ops into a loop adds no blocks: one dominance analysis holds.
    DominanceInfo dominance(getOperation());
    for (GroupLoop g : loops)
      if (failed(fuse(g, dominance)))
        return signalPassFailure();
  }

  LogicalResult fuse(GroupLoop g, DominanceInfo &dominance) {
    // Each step's start makes its accumulator anew, so the loop may write
    // another tensor; without one, the loop's output holds values the steps
    // read, and nothing moves.
    linalg::LinalgOp start = startOf(g);
    if (!start)
      return success();
    linalg::GenericOp epilogue = epilogueOf(g);
    // The loop writes the epilogue's destination, which must exist before
    // it, as must everything else the epilogue reads.
    if (epilogue && llvm::any_of(epilogue.getDpsInputs(), [&](Value v) {
          return v != g.loop.getResult(0) && !dominance.properlyDominates(v, g.loop);
        }))
      epilogue = {};
    if (epilogue) {
      Value dest = epilogue.getDpsInits()[0];
      if (!dominance.properlyDominates(dest, g.loop)) {
        auto empty = dest.getDefiningOp<tensor::EmptyOp>();
        if (!empty || !empty.getDynamicSizes().empty())
          return success();
        OpBuilder b(g.loop);
        dest = tensor::EmptyOp::create(b, empty.getLoc(), empty.getType().getShape(),
                                       empty.getType().getElementType());
      }
      g.loop.getOutputsMutable()[0].set(dest);
    } else {
      g.loop.getOutputsMutable()[0].set(start.getDpsInits()[0]);
    }

    OpBuilder b(g.conv);
    SmallVector<OpFoldResult> offsets = g.place.getMixedOffsets(), sizes = g.place.getMixedSizes();
    FailureOr<Value> acc =
        tileOfResult(b, start, offsets, sizes, {{start.getDpsInits()[0], g.place.getResult()}});
    if (failed(acc))
      return failure();
    g.conv.getDpsInitsMutable()[0].set(*acc);
    Value result = g.conv.getResult(0);
    if (epilogue) {
      b.setInsertionPointAfter(g.conv);
      // Element-wise, in place: it reads the conv's tile and overwrites it.
      FailureOr<Value> tile =
          tileOfResult(b, epilogue, offsets, sizes,
                       {{g.loop.getResult(0), result}, {epilogue.getDpsInits()[0], result}});
      if (failed(tile))
        return failure();
      g.insert.getSourceMutable().set(*tile);
      epilogue.getResult(0).replaceAllUsesWith(g.loop.getResult(0));
      epilogue.erase();
    }
    start.erase();
    return success();
  }
};

} // namespace
} // namespace acnn
