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
#include "compiler/codegen/ChannelPools.h"
#include "compiler/codegen/KernelLocation.h"
#include "compiler/codegen/Passes.h"
#include "compiler/codegen/ResultTiles.h"
#include "dialects/acnn/AcnnAttrs.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/SetVector.h"

namespace acnn {

#define GEN_PASS_DEF_FUSEPOOLINTOCONV
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

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
      // Not one another pass already put in a loop of blocks.
      if (!isa<linalg::Conv2DNhwcHwcfOp, linalg::DepthwiseConv2DNhwcHwcOp>(conv) ||
          !isa<func::FuncOp>(conv->getParentOp()))
        return;
      candidates.insert(convChainEnd(conv));
    });
    for (Value z : candidates)
      if (failed(fuse(z, t)))
        return signalPassFailure();
  }

  LogicalResult fuse(Value z, int64_t threads) {
    std::optional<ConvChain> producer = convChainProducing(z);
    auto type = dyn_cast<RankedTensorType>(z.getType());
    if (!producer || !type || !type.hasStaticShape() || type.getRank() != 4)
      return success();
    SmallVector<ChannelPool> pools = channelPoolsOf(z);
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
    linalg::LinalgOp start = producer->start;
    if (!start)
      return success();

    Operation *root = producer->epilogue ? producer->epilogue.getOperation() : conv;
    OpBuilder b(root);
    Location loc = conv.getLoc();
    SmallVector<Value> outputs = {tensor::EmptyOp::create(b, loc, shape, type.getElementType())};
    for (const ChannelPool &pool : pools)
      outputs.push_back(partialPools(b, loc, pool, blocks));
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
      partials.push_back(poolBlock(b, pool, *block, init));
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
    for (auto [i, pool] : llvm::enumerate(pools))
      mergePartialPools(pool, forall.getResult(i + 1));
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
