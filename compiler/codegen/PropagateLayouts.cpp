// acnn-propagate-layouts: choose the layout of every element-wise kernel from
// its neighbours, so the transposes acnn-kernel-layouts puts around each
// NHWC convolution cancel along a conv chain instead of costing two passes
// over every feature map.
//  - A generic reading a transposed tensor reads the tensor itself through a
//    permuted indexing map (no transpose is materialised).
//  - An element-wise generic whose result is transposed for an op that needs
//    the materialised layout (a convolution, a named op, the return) writes
//    that layout directly; its other readers, generics, read it permuted.
//    Its loops are then reordered so the result is written contiguously.
// Contractions keep the operand layouts acnn-kernel-layouts chose.
// With both, conv -> epilogue/SE/residual generics -> conv runs NHWC end to
// end; transposes remain only at the edges (the NCHW model input and
// output, and ops the schedules take in NCHW only).
#include "compiler/codegen/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace acnn {

#define GEN_PASS_DEF_PROPAGATELAYOUTS
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

/// `map` (loops -> axes of transpose(x, perm)) as a map to the axes of x:
/// the transpose's axis k is x's axis perm[k].
AffineMap throughTranspose(AffineMap map, ArrayRef<int64_t> perm) {
  SmallVector<AffineExpr> results(map.getNumResults());
  for (auto [k, p] : llvm::enumerate(perm))
    results[p] = map.getResult(k);
  return AffineMap::get(map.getNumDims(), 0, results, map.getContext());
}

struct ReadThroughTranspose : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op, PatternRewriter &rewriter) const override {
    // A contraction's schedule wants its operands laid out as
    // acnn-kernel-layouts made them.
    if (!op.hasPureTensorSemantics() || linalg::isaContractionOpInterface(op))
      return failure();
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    bool changed = false;
    for (OpOperand *input : op.getDpsInputOperands()) {
      auto transpose = input->get().getDefiningOp<linalg::TransposeOp>();
      // A copy made outside a loop is cheaper than a strided read every
      // iteration.
      if (!transpose || transpose->getBlock() != op->getBlock())
        continue;
      unsigned i = input->getOperandNumber();
      maps[i] = throughTranspose(maps[i], transpose.getPermutation());
      rewriter.modifyOpInPlace(op, [&] { input->set(transpose.getInput()); });
      changed = true;
    }
    if (!changed)
      return failure();
    rewriter.modifyOpInPlace(
        op, [&] { op.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps)); });
    return success();
  }
};

bool allParallel(linalg::GenericOp op) {
  return llvm::all_of(op.getIteratorTypesArray(), [](utils::IteratorType it) {
    return it == utils::IteratorType::parallel;
  });
}

struct WriteTransposedLayout : OpRewritePattern<linalg::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::TransposeOp transpose,
                                PatternRewriter &rewriter) const override {
    auto producer = transpose.getInput().getDefiningOp<linalg::GenericOp>();
    if (!producer || !producer.hasPureTensorSemantics() || producer.getNumResults() != 1 ||
        !allParallel(producer))
      return failure();
    OpOperand *init = producer.getDpsInitOperand(0);
    AffineMap outMap = producer.getMatchingIndexingMap(init);
    if (!outMap.isPermutation() || producer.payloadUsesValueFromOperand(init))
      return failure();
    // Transposes that only generics read fold into them instead; the
    // producer's other readers must read a permuted map as cheaply.
    auto isGeneric = [](Operation *user) { return isa<linalg::GenericOp>(user); };
    if (llvm::all_of(transpose->getUsers(), isGeneric))
      return failure();
    for (Operation *user : producer->getUsers())
      if (user != transpose && !isa<linalg::GenericOp, linalg::TransposeOp>(user))
        return failure();

    ArrayRef<int64_t> perm = transpose.getPermutation();
    SmallVector<AffineExpr> results;
    for (int64_t p : perm)
      results.push_back(outMap.getResult(p));
    SmallVector<AffineMap> maps = producer.getIndexingMapsArray();
    maps.back() = AffineMap::get(outMap.getNumDims(), 0, results, getContext());

    // At the producer: its other readers may come before the transpose.
    rewriter.setInsertionPoint(producer);
    Location loc = producer.getLoc();
    auto type = cast<RankedTensorType>(transpose.getResult()[0].getType());
    Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(), type.getElementType());
    auto written = linalg::GenericOp::create(rewriter, loc, TypeRange{type},
                                             producer.getDpsInputs(), ValueRange{empty}, maps,
                                             producer.getIteratorTypesArray());
    rewriter.inlineRegionBefore(producer.getRegion(), written.getRegion(),
                                written.getRegion().begin());
    // Loops in the order of the written layout: its innermost axis innermost.
    // `order` is a permutation of the loops (the output map is one), which
    // is all the interchange requires.
    SmallVector<unsigned> order;
    for (AffineExpr e : results)
      order.push_back(cast<AffineDimExpr>(e).getPosition());
    Value result = (*linalg::interchangeGenericOp(rewriter, written, order)).getResult(0);

    SmallVector<int64_t> inverse(perm.size());
    for (auto [k, p] : llvm::enumerate(perm))
      inverse[p] = k;
    rewriter.replaceOp(transpose, result);
    if (!producer->use_empty()) {
      auto oldType = cast<RankedTensorType>(producer.getResult(0).getType());
      Value back = linalg::TransposeOp::create(
                       rewriter, loc, result,
                       tensor::EmptyOp::create(rewriter, loc, oldType.getShape(),
                                               oldType.getElementType()),
                       inverse)
                       .getResult()[0];
      rewriter.replaceAllUsesWith(producer.getResult(0), back);
    }
    rewriter.eraseOp(producer);
    return success();
  }
};

/// transpose(pad(x)) -> pad(transpose(x)) for a constant pad: the transpose
/// moves up to the producer, where the patterns above cancel it.
struct TransposeBeforePad : OpRewritePattern<linalg::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::TransposeOp transpose,
                                PatternRewriter &rewriter) const override {
    auto pad = transpose.getInput().getDefiningOp<tensor::PadOp>();
    Value padValue = pad ? pad.getConstantPaddingValue() : Value();
    if (!padValue || !pad->hasOneUse() || !pad.getLow().empty() || !pad.getHigh().empty())
      return failure();
    ArrayRef<int64_t> perm = transpose.getPermutation();
    auto sourceType = cast<RankedTensorType>(pad.getSourceType());
    SmallVector<int64_t> shape, low, high;
    for (int64_t p : perm) {
      shape.push_back(sourceType.getDimSize(p));
      low.push_back(pad.getStaticLow()[p]);
      high.push_back(pad.getStaticHigh()[p]);
    }
    Location loc = transpose.getLoc();
    Value empty = tensor::EmptyOp::create(rewriter, loc, shape, sourceType.getElementType());
    Value moved =
        linalg::TransposeOp::create(rewriter, loc, pad.getSource(), empty, perm).getResult()[0];
    rewriter.replaceOpWithNewOp<tensor::PadOp>(
        transpose, transpose.getResult()[0].getType(), moved,
        getAsIndexOpFoldResult(getContext(), low), getAsIndexOpFoldResult(getContext(), high),
        padValue);
    return success();
  }
};

struct PropagateLayouts : impl::PropagateLayoutsBase<PropagateLayouts> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    patterns.add<ReadThroughTranspose>(ctx, /*benefit=*/2);
    patterns.add<WriteTransposedLayout, TransposeBeforePad>(ctx);
    linalg::TransposeOp::getCanonicalizationPatterns(patterns, ctx);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace acnn
