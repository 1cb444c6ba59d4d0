#include "compiler/codegen/ChannelPools.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"

namespace acnn {

using namespace mlir;

std::optional<ChannelPool> asChannelPool(linalg::GenericOp op, Value z) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      op.getDpsInputs()[0] != z || op.getNumLoops() != 4)
    return std::nullopt;
  AffineMap in = op.getIndexingMapsArray()[0], out = op.getIndexingMapsArray()[1];
  if (!in.isPermutation() || out.getNumResults() != 2)
    return std::nullopt;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  auto loopOf = [&](unsigned axis) { return in.getDimPosition(axis); };
  auto reduced = [&](unsigned loop) { return iterators[loop] == utils::IteratorType::reduction; };
  if (reduced(loopOf(0)) || !reduced(loopOf(1)) || !reduced(loopOf(2)) || reduced(loopOf(3)) ||
      out.getResult(0) != getAffineDimExpr(loopOf(0), op.getContext()) ||
      out.getResult(1) != getAffineDimExpr(loopOf(3), op.getContext()))
    return std::nullopt;
  // The body: yield combine(in, acc) for one op that may be split and merged.
  Block &body = op.getRegion().front();
  if (body.getOperations().size() != 2)
    return std::nullopt;
  Operation &combine = body.front();
  if (!isa<arith::AddFOp, arith::MaximumFOp, arith::MaxNumFOp, arith::MinimumFOp, arith::MinNumFOp>(
          combine) ||
      !llvm::is_contained(combine.getOperands(), body.getArgument(0)) ||
      !llvm::is_contained(combine.getOperands(), body.getArgument(1)))
    return std::nullopt;
  auto fill = op.getDpsInits()[0].getDefiningOp<linalg::FillOp>();
  if (!fill)
    return std::nullopt;
  return ChannelPool{op, fill.getInputs()[0]};
}

SmallVector<ChannelPool> channelPoolsOf(Value z) {
  SmallVector<ChannelPool> pools;
  for (Operation *user : z.getUsers())
    if (auto generic = dyn_cast<linalg::GenericOp>(user))
      if (std::optional<ChannelPool> pool = asChannelPool(generic, z))
        pools.push_back(*pool);
  llvm::sort(pools, [](const ChannelPool &a, const ChannelPool &b) {
    return a.op->isBeforeInBlock(b.op);
  });
  return pools;
}

namespace {

/// A generic with `pool`'s body and iterator kinds of `maps`, reducing `input`
/// into `init`.
Value poolLike(OpBuilder &b, Location loc, linalg::GenericOp pool, Value input, Value init,
               ArrayRef<AffineMap> maps, ArrayRef<utils::IteratorType> iterators) {
  auto op = linalg::GenericOp::create(b, loc, TypeRange{init.getType()}, ValueRange{input},
                                      ValueRange{init}, maps, iterators);
  IRMapping mapping;
  pool.getRegion().cloneInto(&op.getRegion(), mapping);
  return op.getResult(0);
}

} // namespace

Value partialPools(OpBuilder &b, Location loc, ChannelPool pool, int64_t blocks) {
  auto type = cast<RankedTensorType>(pool.op.getResult(0).getType());
  Value empty = tensor::EmptyOp::create(b, loc, {type.getDimSize(0), blocks, type.getDimSize(1)},
                                        type.getElementType());
  return linalg::FillOp::create(b, loc, pool.identity, empty).getResult(0);
}

Value poolBlock(OpBuilder &b, ChannelPool pool, Value block, Value init) {
  return poolLike(b, pool.op.getLoc(), pool.op, block, init, pool.op.getIndexingMapsArray(),
                  pool.op.getIteratorTypesArray());
}

void mergePartialPools(ChannelPool pool, Value partials) {
  MLIRContext *ctx = pool.op.getContext();
  AffineExpr dn, dc, dk;
  bindDims(ctx, dn, dc, dk);
  OpBuilder after(pool.op);
  Value merged =
      poolLike(after, pool.op.getLoc(), pool.op, partials, pool.op.getDpsInits()[0],
               {AffineMap::get(3, 0, {dn, dk, dc}, ctx), AffineMap::get(3, 0, {dn, dc}, ctx)},
               {utils::IteratorType::parallel, utils::IteratorType::parallel,
                utils::IteratorType::reduction});
  pool.op.getResult(0).replaceAllUsesWith(merged);
  pool.op.erase();
}

} // namespace acnn
