// acnn-fuse-pool-into-conv: compute a channel pool (squeeze-excite's and
// CBAM's mean and max over H, W) while the convolution that produces its
// input (depthwise too, as in MobileNetV3's and EfficientNet's blocks) still
// has each block of output rows in cache, instead of reading the whole
// feature map back from memory afterwards.
//
//   y = conv(x) [-> e = epilogue(y)] ; p = pool over H, W of y (or e)
// becomes
//   scf.forall k in [0, K): rows [k * R, (k + 1) * R) of y (and e), and the
//     pool of those rows alone into partial[n, k, c]; the rows go to the
//     full y (e) for its other readers;
//   p = the same pool over k of partial.
//
// A block of R rows is sized to stay in L2, and K is a multiple of the
// threads, so the forall keeps the conv's parallelism; the ops inside it get
// schedules without parallel loops of their own. Only where threads take
// the conv's output rows anyway (its filter no bigger than its input): a
// conv whose filter outweighs its input splits over output channels, and
// there every block of rows would re-read the whole filter.
#include "compiler/codegen/KernelLocation.h"
#include "compiler/codegen/Passes.h"
#include "compiler/codegen/ResultTiles.h"
#include "dialects/acnn/AcnnAttrs.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"

namespace acnn {

#define GEN_PASS_DEF_FUSEPOOLINTOCONV
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {


/// A generic reducing [N, H, W, C] `z` over H and W into [N, C] with one
/// associative, commutative op, from the neutral value `identity`.
struct ChannelPool {
  linalg::GenericOp op;
  Value identity;
};

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
  if (!isa<arith::AddFOp, arith::MaximumFOp, arith::MaxNumFOp, arith::MinimumFOp,
           arith::MinNumFOp>(combine) ||
      !llvm::is_contained(combine.getOperands(), body.getArgument(0)) ||
      !llvm::is_contained(combine.getOperands(), body.getArgument(1)))
    return std::nullopt;
  auto fill = op.getDpsInits()[0].getDefiningOp<linalg::FillOp>();
  if (!fill)
    return std::nullopt;
  return ChannelPool{op, fill.getInputs()[0]};
}

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

Value filled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape, Value value) {
  Value empty = tensor::EmptyOp::create(b, loc, shape, value.getType());
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

/// The convs whose pools this pass moves: NHWC, depthwise or not.
bool isNhwcConv(Operation *op) {
  return isa<linalg::Conv2DNhwcHwcfOp, linalg::DepthwiseConv2DNhwcHwcOp>(op);
}

/// The NHWC conv (depthwise or not) on tensors producing `v`, if any.
linalg::LinalgOp nhwcConv(Value v) {
  auto conv = v.getDefiningOp<linalg::LinalgOp>();
  return conv && isNhwcConv(conv) && conv.hasPureTensorSemantics() ? conv : linalg::LinalgOp();
}

/// The conv and epilogue producing `z`, if `z` is an NHWC conv's result or
/// that of an element-wise generic reading only it of all conv results.
struct Producer {
  linalg::LinalgOp conv;
  linalg::GenericOp epilogue; // may be null
};

std::optional<Producer> producerOf(Value z) {
  if (linalg::LinalgOp conv = nhwcConv(z))
    return Producer{conv, {}};
  auto epilogue = z.getDefiningOp<linalg::GenericOp>();
  if (!epilogue || !epilogue.hasPureTensorSemantics() || epilogue.getNumResults() != 1 ||
      epilogue.getNumParallelLoops() != epilogue.getNumLoops() ||
      !epilogue.getIndexingMapsArray().back().isIdentity() ||
      epilogue.payloadUsesValueFromOperand(epilogue.getDpsInitOperand(0)))
    return std::nullopt;
  for (OpOperand *input : epilogue.getDpsInputOperands()) {
    linalg::LinalgOp conv = nhwcConv(input->get());
    if (conv && conv->hasOneUse() && epilogue.getMatchingIndexingMap(input).isIdentity())
      return Producer{conv, epilogue};
  }
  return std::nullopt;
}

/// Blocks of output rows: the fewest, a multiple of `threads`, that divide
/// the rows evenly and each fit `blockBytes`; 0 when there is none.
int64_t rowBlocks(ArrayRef<int64_t> shape, int64_t threads, int64_t blockBytes) {
  const int64_t rows = shape[1], rowBytes = shape[0] * shape[2] * shape[3] * 4;
  for (int64_t k = threads; k <= rows; k += threads)
    if (rows % k == 0 && (rows / k) * rowBytes <= blockBytes)
      return k;
  return 0;
}

struct FusePoolIntoConv : impl::FusePoolIntoConvBase<FusePoolIntoConv> {
  using FusePoolIntoConvBase::FusePoolIntoConvBase;

  void runOnOperation() override {
    TargetAttr target = targetOf(getOperation());
    const int64_t t = threads > 0 ? threads : target.getThreads();
    blockBytes = target.getL2Bytes() / 2;
    // Per conv, the map the pools would read: its epilogue's, if it has one.
    // Once each: two convs summed in one epilogue (RepVGG-style branches,
    // RepViT's token mixer) name it twice, and fusing it erases it.
    llvm::SetVector<Value> candidates;
    getOperation().walk([&](linalg::LinalgOp conv) {
      if (!isNhwcConv(conv))
        return;
      Value y = conv->getResult(0);
      auto epilogue = y.hasOneUse() ? dyn_cast<linalg::GenericOp>(*y.getUsers().begin())
                                    : linalg::GenericOp();
      candidates.insert(epilogue && epilogue.getNumResults() == 1 ? epilogue.getResult(0) : y);
    });
    for (Value z : candidates)
      if (failed(fuse(z, t)))
        return signalPassFailure();
  }

  LogicalResult fuse(Value z, int64_t threads) {
    std::optional<Producer> producer = producerOf(z);
    auto type = dyn_cast<RankedTensorType>(z.getType());
    if (!producer || !type || !type.hasStaticShape() || type.getRank() != 4)
      return success();
    SmallVector<ChannelPool> pools;
    for (Operation *user : z.getUsers())
      if (auto generic = dyn_cast<linalg::GenericOp>(user))
        if (std::optional<ChannelPool> pool = asChannelPool(generic, z))
          pools.push_back(*pool);
    llvm::sort(pools, [](const ChannelPool &a, const ChannelPool &b) {
      return a.op->isBeforeInBlock(b.op);
    });
    linalg::LinalgOp conv = producer->conv;
    auto bytes = [](Value v) { return cast<RankedTensorType>(v.getType()).getNumElements() * 4; };
    if (pools.empty() || bytes(conv.getDpsInputs()[1]) > bytes(conv.getDpsInputs()[0]))
      return success();
    ArrayRef<int64_t> shape = type.getShape();
    const int64_t blocks = rowBlocks(shape, threads, blockBytes);
    if (blocks < 2)
      return success();
    const int64_t n = shape[0], rows = shape[1] / blocks, w = shape[2], c = shape[3];

    // The conv's accumulator starts as a fill or a bias broadcast, which is
    // also computed a block at a time, in the block's place in the result.
    auto start = conv.getDpsInits()[0].getDefiningOp<linalg::LinalgOp>();
    if (!start || !start.hasPureTensorSemantics() || start->getNumResults() != 1 ||
        !start->hasOneUse() || start.getNumParallelLoops() != start.getNumLoops() ||
        start.payloadUsesValueFromOperand(start.getDpsInitOperand(0)))
      return success();

    Operation *root = producer->epilogue ? producer->epilogue.getOperation() : conv;
    OpBuilder b(root);
    Location loc = conv.getLoc();
    SmallVector<Value> outputs = {tensor::EmptyOp::create(b, loc, shape, type.getElementType())};
    for (const ChannelPool &pool : pools)
      outputs.push_back(filled(b, loc, {n, blocks, c}, pool.identity));
    auto forall = scf::ForallOp::create(b, loc, ArrayRef<OpFoldResult>{b.getIndexAttr(blocks)},
                                        outputs, std::nullopt);

    // One block of rows, every step writing in the block's place in the
    // result (so bufferisation allocates nothing in the loop): the start,
    // the conv, the epilogue, then the pools into their partial results.
    b.setInsertionPointToStart(forall.getBody());
    Value k = forall.getInductionVars()[0];
    Value first = arith::MulIOp::create(b, loc, k, arith::ConstantIndexOp::create(b, loc, rows));
    SmallVector<OpFoldResult> offsets = {b.getIndexAttr(0), first, b.getIndexAttr(0),
                                         b.getIndexAttr(0)};
    SmallVector<OpFoldResult> sizes = {b.getIndexAttr(n), b.getIndexAttr(rows),
                                       b.getIndexAttr(w), b.getIndexAttr(c)};
    SmallVector<OpFoldResult> unit(4, b.getIndexAttr(1));
    Value place = tensor::ExtractSliceOp::create(b, loc, forall.getRegionIterArgs()[0], offsets,
                                                 sizes, unit);
    auto blockOf = [&](Operation *op, ArrayRef<std::pair<Value, Value>> replaced) {
      return tileOfResult(b, op, offsets, sizes, replaced);
    };
    auto untiled = [&](Operation *op) {
      return op->emitError("acnn-fuse-pool-into-conv: no block of rows of this op for the pool "
                           "of kernel '")
             << kernelNameOf(conv.getOperation()) << "'";
    };
    FailureOr<Value> startBlock = blockOf(start, {{start.getDpsInits()[0], place}});
    if (failed(startBlock))
      return untiled(start);
    FailureOr<Value> block = blockOf(conv, {{start->getResult(0), *startBlock}});
    if (failed(block))
      return untiled(conv);
    if (linalg::GenericOp epilogue = producer->epilogue) {
      // Element-wise, in place: it reads the conv's block and overwrites it.
      block =
          blockOf(epilogue, {{conv->getResult(0), *block}, {epilogue.getDpsInits()[0], *block}});
      if (failed(block))
        return untiled(epilogue);
    }
    SmallVector<Value> partials;
    for (auto [i, pool] : llvm::enumerate(pools)) {
      // The block's row of the partial results, already holding the identity.
      auto rowType = RankedTensorType::get({n, c}, type.getElementType());
      Value init = tensor::ExtractSliceOp::create(
          b, loc, rowType, forall.getRegionIterArgs()[i + 1],
          ArrayRef<OpFoldResult>{b.getIndexAttr(0), k, b.getIndexAttr(0)},
          ArrayRef<OpFoldResult>{b.getIndexAttr(n), b.getIndexAttr(1), b.getIndexAttr(c)},
          ArrayRef<OpFoldResult>(unit).take_front(3));
      partials.push_back(poolLike(b, pool.op.getLoc(), pool.op, *block, init,
                                  pool.op.getIndexingMapsArray(),
                                  pool.op.getIteratorTypesArray()));
    }

    b.setInsertionPointToStart(forall.getTerminator().getBody());
    tensor::ParallelInsertSliceOp::create(b, loc, *block, forall.getRegionIterArgs()[0], offsets,
                                          sizes, unit);
    for (auto [i, partial] : llvm::enumerate(partials))
      tensor::ParallelInsertSliceOp::create(
          b, loc, partial, forall.getRegionIterArgs()[i + 1],
          ArrayRef<OpFoldResult>{b.getIndexAttr(0), k, b.getIndexAttr(0)},
          ArrayRef<OpFoldResult>{b.getIndexAttr(n), b.getIndexAttr(1), b.getIndexAttr(c)},
          ArrayRef<OpFoldResult>(unit).take_front(3));

    // Each pool merges its blocks' partial results.
    MLIRContext *ctx = &getContext();
    AffineExpr dn, dc, dk;
    bindDims(ctx, dn, dc, dk);
    for (auto [i, pool] : llvm::enumerate(pools)) {
      OpBuilder after(pool.op);
      Value merged = poolLike(
          after, pool.op.getLoc(), pool.op, forall.getResult(i + 1), pool.op.getDpsInits()[0],
          {AffineMap::get(3, 0, {dn, dk, dc}, ctx), AffineMap::get(3, 0, {dn, dc}, ctx)},
          {utils::IteratorType::parallel, utils::IteratorType::parallel,
           utils::IteratorType::reduction});
      pool.op.getResult(0).replaceAllUsesWith(merged);
      pool.op.erase();
    }
    z.replaceAllUsesExcept(forall.getResult(0), forall);
    if (producer->epilogue)
      producer->epilogue.erase();
    conv->erase();
    start.erase();
    return success();
  }

  /// Bytes of output rows a block may hold: half the target's L2.
  int64_t blockBytes = 0;
};

} // namespace
} // namespace acnn
