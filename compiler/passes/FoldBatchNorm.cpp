// acnn-fold-batch-norm: batch norm disappears into the conv next to it.
#include "compiler/passes/Passes.h"
#include "compiler/passes/Provenance.h"
#include "dialects/acnn/AcnnOps.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace acnn {

#define GEN_PASS_DEF_FOLDBATCHNORM
#include "compiler/passes/Passes.h.inc"

namespace {

using namespace mlir;

/// A [C] vector reshaped to broadcast along axis `axis` of a rank-`rank` tensor.
Value alongAxis(PatternRewriter &rw, Location loc, Value v, int64_t axis, int64_t rank) {
  SmallVector<int64_t> shape(rank, 1);
  shape[axis] = cast<RankedTensorType>(v.getType()).getDimSize(0);
  return ReshapeOp::create(rw, loc, RankedTensorType::get(shape, rw.getF32Type()), v);
}

/// The affine form of an inference batch norm: y = x * scale + shift per channel.
struct Affine {
  Value scale, shift;
};

Affine affineOf(PatternRewriter &rw, BatchNormOp bn) {
  Location loc = bn.getLoc();
  auto eps = ConstantOp::create(
      rw, loc, DenseElementsAttr::get(RankedTensorType::get({}, rw.getF32Type()),
                                      bn.getEpsilon().convertToFloat()));
  Value stddev = SqrtOp::create(rw, loc, AddOp::create(rw, loc, bn.getVariance(), eps));
  Value scale = DivOp::create(rw, loc, bn.getScale(), stddev);
  Value shift = SubOp::create(rw, loc, bn.getBias(), MulOp::create(rw, loc, bn.getMean(), scale));
  return {scale, shift};
}

/// batch_norm(conv(x)) -> conv(x) with scaled filters and a shifted bias.
struct FoldIntoProducer : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp bn, PatternRewriter &rw) const override {
    auto conv = bn.getInput().getDefiningOp<Conv2dOp>();
    if (!conv || !conv->hasOneUse())
      return rw.notifyMatchFailure(bn, "input is not a conv used only here");
    Location loc = bn.getLoc();
    Affine a = affineOf(rw, bn);
    Value weight = MulOp::create(rw, loc, conv.getWeight(), alongAxis(rw, loc, a.scale, 0, 4));
    Value bias = a.shift;
    if (Value old = conv.getBias())
      bias = AddOp::create(rw, loc, MulOp::create(rw, loc, old, a.scale), a.shift);
    rw.replaceOp(bn, Conv2dOp::create(rw, fusedLoc(bn, {conv}), conv.getInput(), weight, bias,
                                      conv.getStrides(), conv.getPads(), conv.getDilations(),
                                      conv.getGroups()));
    rw.eraseOp(conv);
    return success();
  }
};

/// conv(batch_norm(x)) -> conv(x) when no padding would see the un-normalised
/// zeros and every filter reads every channel (groups = 1).
struct FoldIntoConsumer : OpRewritePattern<Conv2dOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Conv2dOp conv, PatternRewriter &rw) const override {
    auto bn = conv.getInput().getDefiningOp<BatchNormOp>();
    if (!bn || !bn->hasOneUse() || conv.getGroups() != 1 ||
        llvm::any_of(conv.getPads(), [](int64_t p) { return p != 0; }))
      return rw.notifyMatchFailure(conv, "input is not a foldable batch norm");
    Location loc = conv.getLoc();
    Affine a = affineOf(rw, bn);
    Value weight = MulOp::create(rw, loc, conv.getWeight(), alongAxis(rw, loc, a.scale, 1, 4));
    // Each filter adds sum over (c, kh, kw) of w * shift[c] to its output.
    Value shifted = MulOp::create(rw, loc, conv.getWeight(), alongAxis(rw, loc, a.shift, 1, 4));
    Value bias = ReduceSumOp::create(rw, loc, shifted, {1, 2, 3}, /*keepdims=*/false);
    if (Value old = conv.getBias())
      bias = AddOp::create(rw, loc, old, bias);
    rw.replaceOp(conv, Conv2dOp::create(rw, fusedLoc(conv, {bn}), bn.getInput(), weight, bias,
                                        conv.getStrides(), conv.getPads(), conv.getDilations(),
                                        conv.getGroups()));
    rw.eraseOp(bn);
    return success();
  }
};

/// Any other batch norm: x * scale + shift, broadcast along the channel axis.
struct Decompose : OpRewritePattern<BatchNormOp> {
  Decompose(MLIRContext *ctx) : OpRewritePattern(ctx, /*benefit=*/0) {}
  LogicalResult matchAndRewrite(BatchNormOp bn, PatternRewriter &rw) const override {
    Location loc = bn.getLoc();
    int64_t rank = bn.getInput().getType().getRank();
    Affine a = affineOf(rw, bn);
    Value scaled = MulOp::create(rw, loc, bn.getInput(), alongAxis(rw, loc, a.scale, 1, rank));
    rw.replaceOpWithNewOp<AddOp>(bn, scaled, alongAxis(rw, loc, a.shift, 1, rank));
    return success();
  }
};

struct FoldBatchNorm : impl::FoldBatchNormBase<FoldBatchNorm> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldIntoProducer, FoldIntoConsumer, Decompose>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace acnn
