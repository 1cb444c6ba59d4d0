// acnn-kernel-layouts: put kernel operands in the layouts the schedules
// vectorise well (shared/mlir-cpu-codegen.md).
//  - NCHW/FCHW convolutions become NHWC/HWCF ones between transposes: the
//    output-channel axis is then contiguous in the filter and the output, so
//    a register tile of output pixels x output channels loads whole vectors.
//    Depthwise convs and pooling become NHWC ones the same way; a grouped
//    conv becomes one NHWC conv per group, in a loop over the groups, or a
//    depthwise conv over repeated channels when its groups have one input
//    channel each.
//    Constant filters are transposed here, at compile time.
//  - A matmul or contraction reading its rhs transposed ([n, k], a linear
//    layer's weight, attention's keys) reads a transposed copy instead: a
//    constant transposed at compile time, else a linalg.transpose.
//  - Constant filters and rhs matrices keep their rows an odd number of cache
//    lines apart (zeros after each row, read through a slice): the kernels
//    walk a strip of them row after row, and rows an even number of lines
//    apart evict each other from L1 and L2 (3x3 convs of 128 and 256
//    channels 5% and 15% faster, a 192 -> 768 linear 7%, on Zen 3). Those
//    the scheduled kernels read a column block at a time are later stored
//    block by block instead (acnn-block-constants).
#include "compiler/codegen/ConstantData.h"
#include "compiler/codegen/Passes.h"
#include "dialects/acnn/AcnnAttrs.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace acnn {

#define GEN_PASS_DEF_KERNELLAYOUTS
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

/// The row length (elements) a constant whose rows a kernel walks one after
/// another is stored with: `n` rounded up to whole 64-byte lines, and one line
/// more when that is an even number of lines. Rows an even number of lines
/// apart fall into a fraction of the L1 sets (a 16-column strip of a 768-wide
/// matrix, 3 KiB apart, into 4 of 64) and evict each other.
int64_t paddedRowLength(int64_t n) {
  const int64_t lines = (n + 15) / 16;
  return n < 64 ? n : 16 * (lines % 2 ? lines : lines + 1);
}

/// `v` transposed (result axis i is v's axis perm[i]): a new constant when
/// `v` is one, else a linalg.transpose. With `padRows`, a constant's rows are
/// stored paddedRowLength() apart and read through a slice.
Value transposed(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> perm,
                 bool padRows = false) {
  auto type = cast<RankedTensorType>(v.getType());
  ArrayRef<int64_t> in = type.getShape();
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(in[p]);
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  if (auto cst = v.getDefiningOp<arith::ConstantOp>())
    if (auto splat = dyn_cast<SplatElementsAttr>(cst.getValue()))
      return arith::ConstantOp::create(
          b, loc, resultType,
          DenseElementsAttr::get(resultType, splat.getSplatValue<Attribute>()));
  if (std::optional<SmallVector<float>> data = constantData(v)) {
    const int64_t rank = shape.size(), row = shape.back();
    const int64_t stored = padRows ? paddedRowLength(row) : row;
    SmallVector<int64_t> inStrides(rank, 1);
    for (int64_t d = rank - 2; d >= 0; --d)
      inStrides[d] = inStrides[d + 1] * in[d + 1];
    SmallVector<float> out(data->size() / row * stored, 0.0f);
    // The result's last two axes in 32 x 32 tiles: one of them reads the
    // source a whole row apart, and element by element a large weight missed
    // the cache at every read (1.6 s of a ViT-B compile).
    const int64_t rows = rank >= 2 ? shape[rank - 2] : 1;
    const int64_t rowStride = rank >= 2 ? inStrides[perm[rank - 2]] : 0;
    const int64_t colStride = inStrides[perm[rank - 1]];
    const int64_t outer = static_cast<int64_t>(data->size()) / (rows * row);
    SmallVector<int64_t> index(std::max<int64_t>(rank - 2, 0), 0); // over the outer axes
    constexpr int64_t kTile = 32;
    for (int64_t o = 0; o < outer; ++o) {
      int64_t base = 0;
      for (auto [d, i] : llvm::enumerate(index))
        base += i * inStrides[perm[d]];
      for (int64_t r0 = 0; r0 < rows; r0 += kTile)
        for (int64_t c0 = 0; c0 < row; c0 += kTile)
          for (int64_t r = r0; r < std::min(rows, r0 + kTile); ++r)
            for (int64_t c = c0; c < std::min(row, c0 + kTile); ++c)
              out[(o * rows + r) * stored + c] = (*data)[base + r * rowStride + c * colStride];
      for (int64_t d = static_cast<int64_t>(index.size()) - 1; d >= 0; --d) {
        if (++index[d] < shape[d])
          break;
        index[d] = 0;
      }
    }
    SmallVector<int64_t> storedShape(shape);
    storedShape.back() = stored;
    auto storedType = RankedTensorType::get(storedShape, type.getElementType());
    auto blob = HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef<float>(out));
    auto attr = DenseF32ResourceElementsAttr::get(storedType, "acnn_transposed", std::move(blob));
    Value cst = arith::ConstantOp::create(b, loc, storedType, cast<TypedAttr>(attr));
    if (stored == row)
      return cst;
    SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0)), sizes, strides(rank, b.getIndexAttr(1));
    for (int64_t e : shape)
      sizes.push_back(b.getIndexAttr(e));
    return tensor::ExtractSliceOp::create(b, loc, resultType, cst, offsets, sizes, strides);
  }
  Value init = tensor::EmptyOp::create(b, loc, shape, type.getElementType());
  return linalg::TransposeOp::create(b, loc, v, init, perm).getResult()[0];
}

/// The conv's accumulator in NHWC: a per-channel bias broadcast or a fill
/// is rebuilt in the new layout, anything else transposed.
Value nhwcInit(OpBuilder &b, Location loc, Value init) {
  auto type = cast<RankedTensorType>(init.getType());
  ArrayRef<int64_t> s = type.getShape();
  SmallVector<int64_t> shape = {s[0], s[2], s[3], s[1]};
  if (auto bcast = init.getDefiningOp<linalg::BroadcastOp>()) {
    if (bcast.getDimensions() == ArrayRef<int64_t>{0, 2, 3}) {
      Value empty = tensor::EmptyOp::create(b, loc, shape, type.getElementType());
      return linalg::BroadcastOp::create(b, loc, bcast.getInput(), empty,
                                         ArrayRef<int64_t>{0, 1, 2})
          .getResult()[0];
    }
  }
  if (auto fill = init.getDefiningOp<linalg::FillOp>()) {
    Value empty = tensor::EmptyOp::create(b, loc, shape, type.getElementType());
    return linalg::FillOp::create(b, loc, fill.getInputs()[0], empty).getResult(0);
  }
  return transposed(b, loc, init, {0, 2, 3, 1});
}

struct ConvToNhwc : OpRewritePattern<linalg::Conv2DNchwFchwOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::Conv2DNchwFchwOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return failure();
    Location loc = op.getLoc();
    Value input = transposed(rewriter, loc, op.getInputs()[0], {0, 2, 3, 1});
    Value filter = transposed(rewriter, loc, op.getInputs()[1], {2, 3, 1, 0}, /*padRows=*/true);
    Value init = nhwcInit(rewriter, loc, op.getOutputs()[0]);
    Value conv = linalg::Conv2DNhwcHwcfOp::create(rewriter, loc, TypeRange{init.getType()},
                                                  ValueRange{input, filter}, ValueRange{init},
                                                  op.getStrides(), op.getDilations())
                     .getResult(0);
    rewriter.replaceOp(op, transposed(rewriter, loc, conv, {0, 3, 1, 2}));
    return success();
  }
};

/// A depthwise conv too, with its [C, KH, KW] filter as [KH, KW, C]: it then
/// vectorises along the channels like pooling (scalar NCHW loops ran a 5x5
/// depthwise conv at about 1 GFLOP/s).
struct DepthwiseToNhwc : OpRewritePattern<linalg::DepthwiseConv2DNchwChwOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::DepthwiseConv2DNchwChwOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return failure();
    Location loc = op.getLoc();
    Value input = transposed(rewriter, loc, op.getInputs()[0], {0, 2, 3, 1});
    Value filter = transposed(rewriter, loc, op.getInputs()[1], {1, 2, 0});
    Value init = nhwcInit(rewriter, loc, op.getOutputs()[0]);
    Value conv = linalg::DepthwiseConv2DNhwcHwcOp::create(
                     rewriter, loc, TypeRange{init.getType()}, ValueRange{input, filter},
                     ValueRange{init}, op.getStrides(), op.getDilations())
                     .getResult(0);
    rewriter.replaceOp(op, transposed(rewriter, loc, conv, {0, 3, 1, 2}));
    return success();
  }
};

/// `v` as the 4-D tensor an expand_shape to [N, G, C, H, W] (a channel axis
/// split into groups) made it from, if it is one. Any such expand keeps the
/// element order; with one channel a group it groups the unit axis with H.
Value ungrouped(Value v) {
  auto expand = v.getDefiningOp<tensor::ExpandShapeOp>();
  if (!expand || expand.getSrcType().getRank() != 4 || expand.getResultType().getRank() != 5)
    return Value();
  ArrayRef<int64_t> s = expand.getSrcType().getShape(), r = expand.getResultType().getShape();
  if (r[0] != s[0] || r[1] * r[2] != s[1] || r[3] != s[2] || r[4] != s[3])
    return Value();
  return expand.getSrc();
}

/// A grouped conv's accumulator in NHWC: its ungrouped `init`, or else its
/// `fill` of the grouped shape [N, G, F, H, W] as a fill of [N, H, W, G * F].
Value groupedStart(OpBuilder &b, Location loc, Value init, linalg::FillOp fill) {
  if (init)
    return nhwcInit(b, loc, init);
  auto grouped = cast<RankedTensorType>(fill.getResult(0).getType());
  ArrayRef<int64_t> s = grouped.getShape();
  Value empty =
      tensor::EmptyOp::create(b, loc, {s[0], s[3], s[4], s[1] * s[2]}, grouped.getElementType());
  return linalg::FillOp::create(b, loc, fill.getInputs()[0], empty).getResult(0);
}

/// Blocks of output rows each group's conv is cut into, and whether the
/// loop over them is the outer one (only ever with 2 blocks or more).
struct RowBlocks {
  int64_t blocks = 1;
  bool outer = false;
};

/// Where a thread's share of the input (the channels of the run of groups it
/// takes) is past half of L2, the fewest blocks whose input rows fit that
/// half and make the steps, groups x blocks, a multiple of `threads`, the
/// outer loop: every group's conv then reads a block's rows while L2 holds
/// them. Group by group over the whole map, each group's few channels of
/// every row came from L3 again (ResNeXt-50's 32 groups of 4 channels on
/// 56x56: 25 GFLOP/s). Where even the input rows
/// of one output row are past that half (128 channels 224 wide: 3 rows of
/// 113 KiB), one output row a block: the whole map a group at a time ran at
/// 9 GFLOP/s, a row at a time at 34. A share that fits keeps the groups
/// outer: each thread then reads the channels a producer that cut its output
/// channels among the threads left in its own cache. In row blocks every
/// group's rows came from both threads: RegNetX-800MF's grouped convs (18
/// groups of 16 channels on 14x14, 295 KiB in all, and on 28x28 and 7x7)
/// took 5.6 ms, 4.9 group-outer; RegNetY-800MF's 5.8 and 4.3 (Zen 3).
/// Else where the groups leave threads idle more than a tenth of the time (3
/// groups on 2 threads: a third; RegNetY-3.2GF's first grouped convs): the
/// fewest that divide the rows into blocks of at least 2 and make the steps a
/// multiple of `threads`, inside the loop over the groups. Otherwise 1: each
/// block reads its group's filter again, and RegNetY-16GF's 11 groups of 112
/// channels on 14x14 ran 3% slower in 2 blocks than unbalanced.
/// `inRows(r)`: the input rows r output rows read; `rowBytes`: an input row's.
RowBlocks groupRowBlocks(int64_t groups, int64_t rows, int64_t threads, int64_t rowBytes,
                         int64_t l2Bytes, llvm::function_ref<int64_t(int64_t)> inRows) {
  const int64_t half = l2Bytes / 2;
  const int64_t rounds = (groups + threads - 1) / threads;
  if (groups > 1 && inRows(rows) * rowBytes / groups * rounds > half)
    for (int64_t blocks = 2; blocks <= rows; ++blocks)
      if (rows % blocks == 0 && (inRows(rows / blocks) * rowBytes <= half || blocks == rows) &&
          (groups * blocks) % threads == 0)
        return {blocks, true};
  if (threads <= 1 || 10 * groups >= 9 * rounds * threads)
    return {};
  for (int64_t blocks = 2; 2 * blocks <= rows; ++blocks)
    if (rows % blocks == 0 && (groups * blocks) % threads == 0)
      return {blocks, false};
  return {};
}

/// A grouped conv (NGCHW/GFCHW, the channel axes split into groups) becomes
/// one NHWC/HWCF conv per group, in a loop over the groups whose steps run
/// on threads: each reads its group's channels of the NHWC input and writes
/// its group's of the NHWC result, so it vectorises along its output
/// channels like any conv (a grouped conv otherwise runs as scalar loops,
/// 2-3 GFLOP/s on RegNet's group width 8). Where the input is past L2 or the
/// groups do not share evenly among the threads, the loop also runs over
/// blocks of output rows (groupRowBlocks), each step reading its block's
/// input rows. The constant filter is stored [G, KH, KW, C, F] at compile
/// time.
struct GroupedConvToNhwc : OpRewritePattern<linalg::Conv2DNgchwGfchwOp> {
  GroupedConvToNhwc(MLIRContext *ctx, TargetAttr target) : OpRewritePattern(ctx), target(target) {}
  TargetAttr target;

  LogicalResult matchAndRewrite(linalg::Conv2DNgchwGfchwOp op,
                                PatternRewriter &rewriter) const override {
    Value x = ungrouped(op.getInputs()[0]), init = ungrouped(op.getOutputs()[0]);
    // Without a bias the accumulator starts at zeros, a fill of the grouped
    // shape (the split of a fill folds into the fill): Visformer's 8 groups
    // of 24 channels ran as scalar loops at 7 GFLOP/s.
    auto fill = op.getOutputs()[0].getDefiningOp<linalg::FillOp>();
    auto filterType = cast<RankedTensorType>(op.getInputs()[1].getType());
    if (!op.hasPureTensorSemantics() || !x || (!init && !fill) ||
        !constantData(op.getInputs()[1]) || !filterType.hasStaticShape() ||
        !cast<ShapedType>(x.getType()).hasStaticShape() ||
        !cast<ShapedType>(op.getOutputs()[0].getType()).hasStaticShape())
      return failure();
    ArrayRef<int64_t> w = filterType.getShape(); // G, F, C, KH, KW
    const int64_t groups = w[0], f = w[1], c = w[2];
    Location loc = op.getLoc();
    Value input = transposed(rewriter, loc, x, {0, 2, 3, 1});
    Value filter = transposed(rewriter, loc, op.getInputs()[1], {0, 3, 4, 2, 1});
    Value start = groupedStart(rewriter, loc, init, fill);
    auto inType = cast<RankedTensorType>(input.getType());
    auto outType = cast<RankedTensorType>(start.getType());
    ArrayRef<int64_t> in = inType.getShape(), out = outType.getShape();

    const int64_t stride = op.getStrides().getValues<int64_t>()[0],
                  dilation = op.getDilations().getValues<int64_t>()[0];
    // The input rows r output rows read.
    auto rowsRead = [&](int64_t r) { return (r - 1) * stride + (w[3] - 1) * dilation + 1; };
    const RowBlocks cut = groupRowBlocks(groups, out[1], target.getThreads(), in[2] * in[3] * 4,
                                         target.getL2Bytes(), rowsRead);
    const int64_t blocks = cut.blocks, rows = out[1] / blocks;
    // (All of them in one block.)
    const int64_t inRows = blocks == 1 ? in[1] : rowsRead(rows);
    SmallVector<OpFoldResult> steps = {rewriter.getIndexAttr(groups)};
    if (blocks > 1)
      steps.insert(cut.outer ? steps.begin() : steps.end(), rewriter.getIndexAttr(blocks));
    auto forall = scf::ForallOp::create(rewriter, loc, steps, ValueRange{start}, std::nullopt);
    OpBuilder b = OpBuilder::atBlockBegin(forall.getBody());
    Value g = forall.getInductionVars()[cut.outer ? 1 : 0];
    auto times = [&](Value v, int64_t k) {
      return OpFoldResult(
          arith::MulIOp::create(b, loc, v, arith::ConstantIndexOp::create(b, loc, k)).getResult());
    };
    OpFoldResult zero = b.getIndexAttr(0);
    OpFoldResult inRow = zero, outRow = zero;
    if (blocks > 1) {
      Value block = forall.getInductionVars()[cut.outer ? 0 : 1];
      inRow = times(block, rows * stride);
      outRow = times(block, rows);
    }
    auto sizes = [&](ArrayRef<int64_t> extents) {
      return llvm::map_to_vector(extents, [&](int64_t e) { return OpFoldResult(b.getIndexAttr(e)); });
    };
    SmallVector<OpFoldResult> unit4(4, b.getIndexAttr(1)), unit5(5, b.getIndexAttr(1));
    Value groupIn = tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get({in[0], inRows, in[2], c}, inType.getElementType()), input,
        {zero, inRow, zero, times(g, c)}, sizes({in[0], inRows, in[2], c}), unit4);
    Value groupFilter = tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get({w[3], w[4], c, f}, filterType.getElementType()), filter,
        {OpFoldResult(g), zero, zero, zero, zero}, sizes({1, w[3], w[4], c, f}), unit5);
    SmallVector<OpFoldResult> outOffsets = {zero, outRow, zero, times(g, f)};
    SmallVector<OpFoldResult> outSizes = sizes({out[0], rows, out[2], f});
    auto groupOutType = RankedTensorType::get({out[0], rows, out[2], f}, outType.getElementType());
    Value groupStart = tensor::ExtractSliceOp::create(
        b, loc, groupOutType, forall.getRegionIterArgs()[0], outOffsets, outSizes, unit4);
    Value conv = linalg::Conv2DNhwcHwcfOp::create(b, loc, TypeRange{groupOutType},
                                                  ValueRange{groupIn, groupFilter},
                                                  ValueRange{groupStart}, op.getStrides(),
                                                  op.getDilations())
                     .getResult(0);
    b.setInsertionPointToStart(forall.getTerminator().getBody());
    tensor::ParallelInsertSliceOp::create(b, loc, conv, forall.getRegionIterArgs()[0], outOffsets,
                                          outSizes, unit4);

    rewriter.setInsertionPointAfter(forall);
    Value nchw = transposed(rewriter, loc, forall.getResult(0), {0, 3, 1, 2});
    auto resultType = cast<RankedTensorType>(op.getResult(0).getType());
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, resultType, nchw, SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
    return success();
  }
};

/// A grouped conv with one input channel a group and F > 1 filters (a
/// depthwise conv with a channel multiplier, as FastViT's and Keras's
/// depth_multiplier write it) becomes a depthwise conv over the NHWC input
/// with each channel repeated F times: output channel g * F + f reads input
/// channel g, as in the grouped conv, and the filter's [G, F, 1, KH, KW] is
/// the depthwise [G * F, KH, KW]. The depthwise schedule vectorises along the
/// output channels; one conv a group ran F-wide scalar loops (FastViT-T8's
/// 7x7 stride-2 48 -> 96 downsample at 7 GFLOP/s, 1.3 ms).
struct MultiplierDepthwiseToNhwc : OpRewritePattern<linalg::Conv2DNgchwGfchwOp> {
  MultiplierDepthwiseToNhwc(MLIRContext *ctx) : OpRewritePattern(ctx, /*benefit=*/2) {}

  LogicalResult matchAndRewrite(linalg::Conv2DNgchwGfchwOp op,
                                PatternRewriter &rewriter) const override {
    Value x = ungrouped(op.getInputs()[0]), init = ungrouped(op.getOutputs()[0]);
    auto fill = op.getOutputs()[0].getDefiningOp<linalg::FillOp>();
    std::optional<SmallVector<float>> data = constantData(op.getInputs()[1]);
    auto filterType = cast<RankedTensorType>(op.getInputs()[1].getType());
    if (!op.hasPureTensorSemantics() || !x || (!init && !fill) || !data ||
        !filterType.hasStaticShape() || !cast<ShapedType>(x.getType()).hasStaticShape())
      return failure();
    ArrayRef<int64_t> w = filterType.getShape(); // G, F, C, KH, KW
    const int64_t groups = w[0], f = w[1];
    if (w[2] != 1 || f < 2)
      return failure();
    Location loc = op.getLoc();
    Type f32 = filterType.getElementType();
    auto flatType = RankedTensorType::get({groups * f, w[3], w[4]}, f32);
    auto blob = HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef<float>(*data));
    Value flat = arith::ConstantOp::create(rewriter, loc, flatType,
                                           cast<TypedAttr>(DenseF32ResourceElementsAttr::get(
                                               flatType, "acnn_depthwise", std::move(blob))));
    Value filter = transposed(rewriter, loc, flat, {1, 2, 0});

    Value input = transposed(rewriter, loc, x, {0, 2, 3, 1});
    ArrayRef<int64_t> in = cast<RankedTensorType>(input.getType()).getShape();
    Value repeats = tensor::EmptyOp::create(rewriter, loc, {in[0], in[1], in[2], in[3], f}, f32);
    Value repeated =
        linalg::BroadcastOp::create(rewriter, loc, input, repeats, ArrayRef<int64_t>{4})
            .getResult()[0];
    Value wide = tensor::CollapseShapeOp::create(
        rewriter, loc, repeated, SmallVector<ReassociationIndices>{{0}, {1}, {2}, {3, 4}});

    Value start = groupedStart(rewriter, loc, init, fill);
    Value conv = linalg::DepthwiseConv2DNhwcHwcOp::create(
                     rewriter, loc, TypeRange{start.getType()}, ValueRange{wide, filter},
                     ValueRange{start}, op.getStrides(), op.getDilations())
                     .getResult(0);
    Value nchw = transposed(rewriter, loc, conv, {0, 3, 1, 2});
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, op.getResult(0).getType(), nchw,
        SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
    return success();
  }
};

/// NCHW max and sum pooling become NHWC pooling between transposes: the
/// channels are then contiguous, and the pool vectorises along them like a
/// conv (acnn-propagate-layouts cancels the transposes along the chain).
template <typename NchwOp, typename NhwcOp>
struct PoolToNhwc : OpRewritePattern<NchwOp> {
  using OpRewritePattern<NchwOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(NchwOp op, PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return failure();
    Location loc = op.getLoc();
    Value input = transposed(rewriter, loc, op.getInputs()[0], {0, 2, 3, 1});
    Value init = nhwcInit(rewriter, loc, op.getOutputs()[0]);
    Value pool = NhwcOp::create(rewriter, loc, TypeRange{init.getType()},
                                ValueRange{input, op.getInputs()[1]}, ValueRange{init},
                                op.getStrides(), op.getDilations())
                     .getResult(0);
    rewriter.replaceOp(op, transposed(rewriter, loc, pool, {0, 3, 1, 2}));
    return success();
  }
};

/// linalg.matmul with maps (m, k), (n, k), (m, n) and a constant rhs.
struct ConstantTransposedRhs : OpRewritePattern<linalg::MatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::MatmulOp op, PatternRewriter &rewriter) const override {
    // A runtime rhs is copied only when the copy is reused by 8 rows or more.
    if (!op.hasPureTensorSemantics() ||
        (!constantData(op.getInputs()[1]) && op.getStaticLoopRanges()[0] < 8))
      return failure();
    MLIRContext *ctx = op.getContext();
    AffineExpr m, n, k;
    bindDims(ctx, m, n, k);
    SmallVector<AffineMap> transposedB = {AffineMap::get(3, 0, {m, k}, ctx),
                                          AffineMap::get(3, 0, {n, k}, ctx),
                                          AffineMap::get(3, 0, {m, n}, ctx)};
    if (op.getIndexingMapsArray() != transposedB)
      return failure();
    Value rhs = transposed(rewriter, op.getLoc(), op.getInputs()[1], {1, 0}, /*padRows=*/true);
    rewriter.replaceOpWithNewOp<linalg::MatmulOp>(
        op, op.getResultTypes(), ValueRange{op.getInputs()[0], rhs}, op.getOutputs());
    return success();
  }
};

/// A contraction generic reading its rhs as [..., n, k] (attention's q * k^T):
/// the rhs is read through a [..., k, n] copy, so a register tile of n loads
/// whole vectors. Only when the copy is reused across at least 8 rows of m.
struct TransposedRhsContraction : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op, PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
        !linalg::isaContractionOpInterface(op))
      return failure();
    FailureOr<linalg::ContractionDimensions> dims = linalg::inferContractionDims(op);
    if (failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 || dims->k.size() != 1)
      return failure();
    const unsigned m = dims->m[0], n = dims->n[0], k = dims->k[0];
    if (op.getStaticLoopRanges()[m] < 8)
      return failure();
    MLIRContext *ctx = op.getContext();
    for (OpOperand *input : op.getDpsInputOperands()) {
      AffineMap map = op.getMatchingIndexingMap(input);
      const unsigned rank = map.getNumResults();
      if (rank < 2 || map.getResult(rank - 1) != getAffineDimExpr(k, ctx) ||
          map.getResult(rank - 2) != getAffineDimExpr(n, ctx))
        continue;
      SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, rank));
      std::swap(perm[rank - 1], perm[rank - 2]);
      Value copy = transposed(rewriter, op.getLoc(), input->get(), perm);
      SmallVector<AffineExpr> results(map.getResults());
      std::swap(results[rank - 1], results[rank - 2]);
      SmallVector<AffineMap> maps = op.getIndexingMapsArray();
      maps[input->getOperandNumber()] = AffineMap::get(map.getNumDims(), 0, results, ctx);
      rewriter.modifyOpInPlace(op, [&] {
        input->set(copy);
        op.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
      });
      return success();
    }
    return failure();
  }
};

struct KernelLayouts : impl::KernelLayoutsBase<KernelLayouts> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ConvToNhwc, DepthwiseToNhwc,
                 PoolToNhwc<linalg::PoolingNchwMaxOp, linalg::PoolingNhwcMaxOp>,
                 PoolToNhwc<linalg::PoolingNchwSumOp, linalg::PoolingNhwcSumOp>,
                 ConstantTransposedRhs, TransposedRhsContraction, MultiplierDepthwiseToNhwc>(
        &getContext());
    patterns.add<GroupedConvToNhwc>(&getContext(), targetOf(getOperation()));
    // Only the ops of the input: nothing the patterns create matches again.
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingOps);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
  }
};

} // namespace
} // namespace acnn
