// acnn-trim-conv-taps: a conv's kernel taps that read only padding, at every
// output position, are dropped with the padding they read. An atrous conv
// whose dilation reaches past the feature map (DeepLab's ASPP: 3x3 taps 12, 24
// and 36 apart on an 8x8 map) is then the 1x1 conv it computes, not 9x the
// work on a padded copy of the map 10x its size.
#include "compiler/passes/Passes.h"
#include "dialects/acnn/AcnnOps.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace acnn {

#define GEN_PASS_DEF_TRIMCONVTAPS
#include "compiler/passes/Passes.h.inc"

namespace {

using namespace mlir;

/// The taps [first, last] along one axis that read some input at some output
/// position; none if every tap reads only padding. Tap t of output o reads
/// input o * stride + t * dilation - padLow.
std::optional<std::pair<int64_t, int64_t>> liveTaps(int64_t input, int64_t output, int64_t taps,
                                                    int64_t stride, int64_t dilation,
                                                    int64_t padLow) {
  std::optional<std::pair<int64_t, int64_t>> live;
  for (int64_t t = 0; t < taps; ++t) {
    const int64_t first = t * dilation - padLow, last = first + (output - 1) * stride;
    if (last < 0 || first >= input)
      continue;
    live = live ? std::make_pair(live->first, t) : std::make_pair(t, t);
  }
  return live;
}

struct TrimConvTaps : OpRewritePattern<Conv2dOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(Conv2dOp conv, PatternRewriter &rewriter) const override {
    auto inputType = dyn_cast<RankedTensorType>(conv.getInput().getType());
    auto weightType = dyn_cast<RankedTensorType>(conv.getWeight().getType());
    auto outputType = dyn_cast<RankedTensorType>(conv.getOutput().getType());
    if (!inputType || !weightType || !outputType || inputType.getRank() != 4 ||
        !weightType.hasStaticShape() || outputType.getRank() != 4)
      return failure();
    ArrayRef<int64_t> in = inputType.getShape(), w = weightType.getShape(),
                      out = outputType.getShape();
    ArrayRef<int64_t> strides = conv.getStrides(), pads = conv.getPads(),
                      dilations = conv.getDilations();
    SmallVector<int64_t> starts = {0, 0, 0, 0}, ends(w), newPads(pads);
    bool trimmed = false;
    for (int axis = 0; axis < 2; ++axis) {
      const int64_t inputExtent = in[2 + axis], outputExtent = out[2 + axis], taps = w[2 + axis];
      if (ShapedType::isDynamic(inputExtent) || ShapedType::isDynamic(outputExtent))
        return failure();
      const int64_t dilation = dilations[axis], low = pads[axis], high = pads[2 + axis];
      auto live = liveTaps(inputExtent, outputExtent, taps, strides[axis], dilation, low);
      // No live tap: the output is the bias alone, left to the general path.
      if (!live)
        return failure();
      auto [first, last] = *live;
      // The padding the dropped taps read goes with them; the output extent
      // stays (in + low + high - dilation * (taps - 1) is unchanged).
      const int64_t newLow = low - first * dilation, newHigh = high - (taps - 1 - last) * dilation;
      if (newLow < 0 || newHigh < 0)
        return failure();
      trimmed |= first > 0 || last < taps - 1;
      starts[2 + axis] = first;
      ends[2 + axis] = last + 1;
      newPads[axis] = newLow;
      newPads[2 + axis] = newHigh;
    }
    if (!trimmed)
      return failure();
    Value weight = SliceOp::create(rewriter, conv.getLoc(), conv.getWeight(), starts, ends,
                                   SmallVector<int64_t>(4, 1));
    rewriter.modifyOpInPlace(conv, [&] {
      conv.getWeightMutable().assign(weight);
      conv.setPads(newPads);
    });
    return success();
  }
};

struct TrimConvTapsPass : impl::TrimConvTapsBase<TrimConvTapsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<TrimConvTaps>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace acnn
