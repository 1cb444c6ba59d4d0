// acnn-fuse-expand-into-depthwise: an inverted-residual block's widened map
// (MobileNetV2's, MNASNet's: a 1x1 conv from C to E channels and its
// epilogue, zero-padded for the depthwise conv reading it) is computed band
// by band inside the depthwise conv's loop, while the band is in cache,
// instead of being written out whole and read back: at 56x56x144 that map is
// 1.9 MB, past the cores' L2, and the expand and depthwise convs spent more
// time moving it than computing.
//
//   y = epilogue(conv1x1(x) from start) ; p = pad y ; z = epilogue(dw(p) from start)
// becomes
//   xp = x with p's rows of padding (zeros) above and below
//   scf.forall k in [0, K): rows [k R, (k + 1) R) of z
//     scf.for c in blocks of Ec channels:
//       band = the B = (R - 1) s + KH rows of p's channels c the rows need:
//         the conv and epilogue of xp's rows [k R s, k R s + B) between
//         p's zero columns, and zeros on rows of p's padding (k first, last);
//       z's rows and channels c = epilogue(dw(band) from start), and the
//         pools of z over H and W (squeeze-excite's) of them into the row
//         block's partial results, merged after the loop.
//
// K is a multiple of the threads (the forall keeps the dw conv's
// parallelism) and the fewest blocks whose overlapping rows, computed by both
// neighbours, stay under 1/8 of the map; the band fits half of L2. Only where
// the widened map outgrows the threads' L2 together (below that it stays in
// cache anyway, and the overlap would be pure cost), and where both
// epilogues take a few ops an element (kCheapEpilogueOps).
#include "compiler/codegen/ChannelPools.h"
#include "compiler/codegen/KernelLocation.h"
#include "compiler/codegen/Passes.h"
#include "compiler/codegen/ResultTiles.h"
#include "dialects/acnn/AcnnAttrs.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/Matchers.h"

namespace acnn {

#define GEN_PASS_DEF_FUSEEXPANDINTODEPTHWISE
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

/// Overlap allowed: rows computed twice over the padded map's rows.
constexpr int64_t kOverlapDenominator = 8;

/// Ops an element an epilogue may take. Past a few (SiLU's exponential and
/// division: 21) the two convs are bound by computing it, not by moving the
/// map, and the fused loop gained nothing: a 56x56 block of 24 -> 144
/// channels on Zen 3 ran in 0.65 -> 0.52 ms fused with ReLU6, 1.04 -> 1.02
/// with SiLU.
constexpr size_t kCheapEpilogueOps = 8;

bool isCheap(linalg::GenericOp epilogue) {
  return !epilogue || epilogue.getRegion().front().getOperations().size() <= kCheapEpilogueOps + 1;
}

/// The zero padding of rows and columns only, static, that only `dw` reads.
tensor::PadOp zeroPadding(Value v, Operation *dw) {
  auto pad = v.getDefiningOp<tensor::PadOp>();
  if (!pad || !pad->hasOneUse() || *pad->getUsers().begin() != dw ||
      !pad.getResultType().hasStaticShape() || !pad.getConstantPaddingValue() ||
      !matchPattern(pad.getConstantPaddingValue(), m_AnyZeroFloat()))
    return {};
  ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
  if (ShapedType::isDynamicShape(low) || ShapedType::isDynamicShape(high) || low[0] || low[3] ||
      high[0] || high[3])
    return {};
  return pad;
}

/// The block of rows and channels: K row blocks of R output rows, channel
/// blocks of Ec; none where no K keeps the overlap and band small enough.
struct Blocking {
  int64_t blocks = 0, rows = 0, bandRows = 0, channels = 0;
};

Blocking blocking(int64_t outRows, int64_t stride, int64_t taps, int64_t paddedRows,
                  int64_t bandRowBytes, int64_t channels, int64_t lanes, int64_t threads,
                  int64_t bandBytes) {
  // Channel blocks of whole vectors, two where they fit (the conv's tile).
  for (int64_t unit : {2 * lanes, lanes})
    for (int64_t k = threads; k <= outRows; k += threads) {
      if (outRows % k)
        continue;
      const int64_t r = outRows / k, band = (r - 1) * stride + taps;
      if (kOverlapDenominator * (k * band - paddedRows) > paddedRows)
        break;
      for (int64_t c = channels / unit * unit; c >= unit; c -= unit)
        if (channels % c == 0 && band * bandRowBytes * c <= bandBytes)
          return {k, r, band, c};
    }
  return {};
}

struct FuseExpandIntoDepthwise : impl::FuseExpandIntoDepthwiseBase<FuseExpandIntoDepthwise> {
  using FuseExpandIntoDepthwiseBase::FuseExpandIntoDepthwiseBase;

  void runOnOperation() override {
    TargetAttr target = targetOf(getOperation());
    threadCount = threads > 0 ? threads : target.getThreads();
    l2Bytes = target.getL2Bytes();
    lanes = std::max<int64_t>(target.getVectorBits() / 32, 1);
    SmallVector<linalg::DepthwiseConv2DNhwcHwcOp> convs;
    getOperation().walk([&](linalg::DepthwiseConv2DNhwcHwcOp dw) {
      if (isa<func::FuncOp>(dw->getParentOp()))
        convs.push_back(dw);
    });
    for (linalg::DepthwiseConv2DNhwcHwcOp dw : convs)
      if (failed(fuse(dw)))
        return signalPassFailure();
  }

  LogicalResult fuse(linalg::DepthwiseConv2DNhwcHwcOp dw) {
    // The depthwise chain: its start and the epilogue alone reading it.
    Value dwOut = dw->getResult(0), z = convChainEnd(dw);
    std::optional<ConvChain> depthwise = convChainProducing(z);
    if (!depthwise || depthwise->conv != dw || !depthwise->start || !dw.hasPureTensorSemantics() ||
        !llvm::all_of(dw.getDilations().getValues<int64_t>(), [](int64_t d) { return d == 1; }))
      return success();
    tensor::PadOp pad = zeroPadding(dw.getDpsInputs()[0], dw);
    if (!pad)
      return success();
    // The expand chain: a 1x1 stride-1 conv and its epilogue, read by the pad alone.
    Value y = pad.getSource();
    std::optional<ConvChain> expand = convChainProducing(y);
    if (!expand || !expand->start || !y.hasOneUse() || !isa<linalg::Conv2DNhwcHwcfOp>(expand->conv))
      return success();
    auto expandConv = cast<linalg::Conv2DNhwcHwcfOp>(expand->conv.getOperation());
    auto filterType = cast<RankedTensorType>(expandConv.getDpsInputs()[1].getType());
    auto xType = cast<RankedTensorType>(expandConv.getDpsInputs()[0].getType());
    if (!xType.hasStaticShape() || !filterType.hasStaticShape() || filterType.getDimSize(0) != 1 ||
        filterType.getDimSize(1) != 1 ||
        !llvm::all_of(expandConv.getStrides().getValues<int64_t>(),
                      [](int64_t d) { return d == 1; }) ||
        (expand->epilogue && expand->epilogue.getNumDpsInputs() != 1) ||
        !isCheap(expand->epilogue) || !isCheap(depthwise->epilogue))
      return success();

    auto zType = cast<RankedTensorType>(z.getType());
    auto pType = pad.getResultType();
    auto tapsType = cast<RankedTensorType>(dw.getDpsInputs()[1].getType());
    if (!zType.hasStaticShape() || !tapsType.hasStaticShape())
      return success();
    const int64_t n = zType.getDimSize(0), outRows = zType.getDimSize(1),
                  outCols = zType.getDimSize(2), e = zType.getDimSize(3);
    const int64_t h = xType.getDimSize(1), w = xType.getDimSize(2);
    const int64_t top = pad.getStaticLow()[1], left = pad.getStaticLow()[2];
    const int64_t strideH = *dw.getStrides().getValues<int64_t>().begin();
    const int64_t strideW = *std::next(dw.getStrides().getValues<int64_t>().begin());
    const int64_t tapsH = tapsType.getDimSize(0), tapsW = tapsType.getDimSize(1);
    // The padded columns the output columns read, and the map's among them.
    const int64_t bandCols = (outCols - 1) * strideW + tapsW;
    const int64_t mapCols = std::min(w, bandCols - left);
    if (mapCols <= 0 || bandCols > pType.getDimSize(2))
      return success();
    const int64_t paddedBytes = pType.getNumElements() * 4;
    if (paddedBytes <= threadCount * l2Bytes)
      return success();
    const Blocking blocks = blocking(outRows, strideH, tapsH, pType.getDimSize(1), n * bandCols * 4,
                                     e, lanes, threadCount, l2Bytes / 2);
    if (blocks.blocks == 0)
      return success();
    // Rows of xp each block's band starts at; only the first block may read
    // padding above the map, only the last below it.
    const int64_t lastStart = (blocks.blocks - 1) * blocks.rows * strideH;
    const int64_t below = std::max<int64_t>(0, lastStart + blocks.bandRows - top - h);
    if (blocks.rows * strideH < top ||
        (blocks.blocks > 1 && lastStart - blocks.rows * strideH + blocks.bandRows > top + h))
      return success();

    OpBuilder b(z.getDefiningOp());
    Location loc = expandConv.getLoc();
    Type f32 = zType.getElementType();
    Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(f32));
    auto index = [&](int64_t v) -> OpFoldResult { return b.getIndexAttr(v); };
    auto unit = [&](size_t rank) { return SmallVector<OpFoldResult>(rank, index(1)); };

    // xp: x between the zero rows the bands read above and below the map.
    Value x = expandConv.getDpsInputs()[0];
    Value xp = x;
    if (top || below) {
      SmallVector<OpFoldResult> low = {index(0), index(top), index(0), index(0)},
                                high = {index(0), index(below), index(0), index(0)};
      xp = tensor::PadOp::create(b, loc, RankedTensorType(), x, low, high, zero);
    }
    // The expand chain over all of xp's rows, as templates the loop takes
    // tiles of; erased after.
    auto xpType = cast<RankedTensorType>(xp.getType());
    auto wideType = RankedTensorType::get({n, xpType.getDimSize(1), w, e}, f32);
    SmallVector<Operation *> templates; // each after the ops it reads
    auto copyWithInit = [&](linalg::LinalgOp op, ValueRange inputs) {
      Value empty = tensor::EmptyOp::create(b, loc, wideType.getShape(), f32);
      templates.push_back(empty.getDefiningOp());
      SmallVector<Value> operands(inputs);
      operands.push_back(empty);
      templates.push_back(mlir::clone(b, op, {wideType}, operands));
      return cast<linalg::LinalgOp>(templates.back());
    };
    linalg::LinalgOp start = copyWithInit(expand->start, expand->start.getDpsInputs());
    templates.push_back(mlir::clone(b, expandConv, {wideType},
                                    {xp, expandConv.getDpsInputs()[1], start->getResult(0)}));
    auto conv = cast<linalg::LinalgOp>(templates.back());
    linalg::LinalgOp epilogue = expand->epilogue
                                    ? copyWithInit(expand->epilogue, {conv->getResult(0)})
                                    : linalg::LinalgOp();

    // The pools of z (squeeze-excite's) pool each step's block into the
    // row of partial results of its row block, merged after the loop.
    SmallVector<ChannelPool> pools = channelPoolsOf(z);
    SmallVector<Value> outputs = {tensor::EmptyOp::create(b, loc, zType.getShape(), f32)};
    for (const ChannelPool &pool : pools)
      outputs.push_back(partialPools(b, loc, pool, blocks.blocks));
    auto forall = scf::ForallOp::create(b, loc, ArrayRef<OpFoldResult>{index(blocks.blocks)},
                                        outputs, std::nullopt);
    b.setInsertionPointToStart(forall.getBody());
    Value k = forall.getInductionVars()[0];
    Value outRow =
        arith::MulIOp::create(b, loc, k, arith::ConstantIndexOp::create(b, loc, blocks.rows));
    Value inRow = arith::MulIOp::create(
        b, loc, k, arith::ConstantIndexOp::create(b, loc, blocks.rows * strideH));
    SmallVector<OpFoldResult> rowsOffsets = {index(0), outRow, index(0), index(0)};
    SmallVector<OpFoldResult> rowsSizes = {index(n), index(blocks.rows), index(outCols), index(e)};
    Value zRows = tensor::ExtractSliceOp::create(b, loc, forall.getRegionIterArgs()[0], rowsOffsets,
                                                 rowsSizes, unit(4));
    SmallVector<Value> loopInits = {zRows};
    SmallVector<OpFoldResult> rowOfPartials = {index(0), k, index(0)},
                              partialsSizes = {index(n), index(1), index(e)};
    for (auto [i, pool] : llvm::enumerate(pools))
      loopInits.push_back(tensor::ExtractSliceOp::create(b, loc, RankedTensorType::get({n, e}, f32),
                                                         forall.getRegionIterArgs()[i + 1],
                                                         rowOfPartials, partialsSizes, unit(3)));
    Value c0 = arith::ConstantIndexOp::create(b, loc, 0);
    auto channelLoop =
        scf::ForOp::create(b, loc, c0, arith::ConstantIndexOp::create(b, loc, e),
                           arith::ConstantIndexOp::create(b, loc, blocks.channels), loopInits);
    b.setInsertionPointToStart(channelLoop.getBody());
    Value c = channelLoop.getInductionVar();
    Value acc = channelLoop.getRegionIterArgs()[0];
    const int64_t ec = blocks.channels, bandRows = blocks.bandRows;
    auto untiled = [&](Operation *op) {
      return op->emitError("acnn-fuse-expand-into-depthwise: no band of this op for kernel '")
             << kernelNameOf(dw.getOperation()) << "'";
    };

    // The band: zero columns, the expand chain's rows between them.
    auto zeroFill = [&](Value into, ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes) {
      SmallVector<OpFoldResult> o = llvm::map_to_vector(offsets, index),
                                s = llvm::map_to_vector(sizes, index);
      Value slice = tensor::ExtractSliceOp::create(b, loc, into, o, s, unit(4));
      Value filled = linalg::FillOp::create(b, loc, zero, slice).getResult(0);
      return tensor::InsertSliceOp::create(b, loc, filled, into, o, s, unit(4)).getResult();
    };
    Value band = tensor::EmptyOp::create(b, loc, {n, bandRows, bandCols, ec}, f32);
    if (left > 0)
      band = zeroFill(band, {0, 0, 0, 0}, {n, bandRows, left, ec});
    if (const int64_t right = bandCols - left - mapCols; right > 0)
      band = zeroFill(band, {0, 0, left + mapCols, 0}, {n, bandRows, right, ec});
    SmallVector<OpFoldResult> mapOffsets = {index(0), inRow, index(0), c};
    SmallVector<OpFoldResult> mapSizes = {index(n), index(bandRows), index(mapCols), index(ec)};
    SmallVector<OpFoldResult> inBand = {index(0), index(0), index(left), index(0)};
    Value place = tensor::ExtractSliceOp::create(b, loc, band, inBand, mapSizes, unit(4));
    FailureOr<Value> tile =
        tileOfResult(b, start, mapOffsets, mapSizes, {{start.getDpsInits()[0], place}});
    if (failed(tile))
      return untiled(expand->start);
    tile = tileOfResult(b, conv, mapOffsets, mapSizes, {{start->getResult(0), *tile}});
    if (failed(tile))
      return untiled(expandConv);
    if (epilogue) {
      tile = tileOfResult(b, epilogue, mapOffsets, mapSizes,
                          {{conv->getResult(0), *tile}, {epilogue.getDpsInits()[0], *tile}});
      if (failed(tile))
        return untiled(expand->epilogue);
    }
    band = tensor::InsertSliceOp::create(b, loc, *tile, band, inBand, mapSizes, unit(4));
    // Rows of padding: zeros, not the chain's value of a zero input.
    auto zeroRowsIf = [&](Value condition, int64_t first, int64_t count) {
      auto branch = scf::IfOp::create(b, loc, TypeRange{band.getType()}, condition, true);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(branch.thenBlock());
      scf::YieldOp::create(b, loc, zeroFill(band, {0, first, 0, 0}, {n, count, bandCols, ec}));
      b.setInsertionPointToStart(branch.elseBlock());
      scf::YieldOp::create(b, loc, band);
      return branch.getResult(0);
    };
    if (top > 0)
      band = zeroRowsIf(arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, k, c0), 0, top);
    if (const int64_t mapEnd = top + h - lastStart; mapEnd < bandRows)
      band = zeroRowsIf(
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, k,
                                arith::ConstantIndexOp::create(b, loc, blocks.blocks - 1)),
          mapEnd, bandRows - mapEnd);

    // The depthwise chain on the band, in its place in z's rows.
    SmallVector<OpFoldResult> outOffsets = {index(0), outRow, index(0), c};
    SmallVector<OpFoldResult> outSizes = {index(n), index(blocks.rows), index(outCols), index(ec)};
    SmallVector<OpFoldResult> inRows = {index(0), index(0), index(0), c};
    Value zPlace = tensor::ExtractSliceOp::create(b, loc, acc, inRows, outSizes, unit(4));
    linalg::LinalgOp dwStart = depthwise->start;
    tile = tileOfResult(b, dwStart, outOffsets, outSizes, {{dwStart.getDpsInits()[0], zPlace}});
    if (failed(tile))
      return untiled(dwStart);
    tile = tileOfResult(b, dw, outOffsets, outSizes,
                        {{dwStart->getResult(0), *tile}, {pad.getResult(), band}});
    if (failed(tile))
      return untiled(dw);
    if (llvm::any_of(tile->getDefiningOp()->getOperands(), [&](Value v) {
          auto slice = v.getDefiningOp<tensor::ExtractSliceOp>();
          return slice && slice.getSource() == pad.getResult();
        }))
      return dw.emitError("acnn-fuse-expand-into-depthwise: the band of kernel '")
             << kernelNameOf(dw.getOperation()) << "' is not the rows its depthwise conv reads";
    if (depthwise->epilogue) {
      tile = tileOfResult(b, depthwise->epilogue, outOffsets, outSizes,
                          {{dwOut, *tile}, {depthwise->epilogue.getDpsInits()[0], *tile}});
      if (failed(tile))
        return untiled(depthwise->epilogue);
    }
    SmallVector<Value> next = {
        tensor::InsertSliceOp::create(b, loc, *tile, acc, inRows, outSizes, unit(4))};
    for (auto [i, pool] : llvm::enumerate(pools)) {
      Value row = channelLoop.getRegionIterArgs()[i + 1];
      SmallVector<OpFoldResult> offsets = {index(0), c}, sizes = {index(n), index(ec)};
      Value init = tensor::ExtractSliceOp::create(b, loc, row, offsets, sizes, unit(2));
      next.push_back(tensor::InsertSliceOp::create(b, loc, poolBlock(b, pool, *tile, init), row,
                                                   offsets, sizes, unit(2)));
    }
    scf::YieldOp::create(b, loc, next);

    b.setInsertionPointToStart(forall.getTerminator().getBody());
    tensor::ParallelInsertSliceOp::create(b, loc, channelLoop.getResult(0),
                                          forall.getRegionIterArgs()[0], rowsOffsets, rowsSizes,
                                          unit(4));
    for (size_t i = 0; i < pools.size(); ++i)
      tensor::ParallelInsertSliceOp::create(b, loc, channelLoop.getResult(i + 1),
                                            forall.getRegionIterArgs()[i + 1], rowOfPartials,
                                            partialsSizes, unit(3));
    for (auto [i, pool] : llvm::enumerate(pools))
      mergePartialPools(pool, forall.getResult(i + 1));
    z.replaceAllUsesWith(forall.getResult(0));
    for (Operation *op :
         {depthwise->epilogue.getOperation(), dw.getOperation(), dwStart.getOperation(),
          pad.getOperation(), expand->epilogue.getOperation(), expandConv.getOperation(),
          expand->start.getOperation()})
      if (op)
        op->erase();
    for (Operation *op : llvm::reverse(templates)) {
      if (!op->use_empty())
        return untiled(op);
      op->erase();
    }
    return success();
  }

  int64_t threadCount = 0, l2Bytes = 0, lanes = 0;
};

} // namespace
} // namespace acnn
