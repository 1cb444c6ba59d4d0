// acnn-split-conv-taps: an atrous conv whose taps read mostly padding becomes
// the sum of its taps, each a 1x1 conv over the part of the map it reads.
// DeepLabV3's ASPP at output stride 8 (3x3 taps 12 and 24 apart on a 28x28
// map) spent 49% and 82% of its arithmetic on padding; acnn-trim-conv-taps
// drops only taps that read padding everywhere.
#include "compiler/passes/Passes.h"
#include "dialects/acnn/AcnnOps.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace acnn {

#define GEN_PASS_DEF_SPLITCONVTAPS
#include "compiler/passes/Passes.h.inc"

namespace {

using namespace mlir;

/// A conv is split when less than this share of its tap-positions reads the
/// map. The split pays for a kernel, a pad and an add per tap: with its ASPP's
/// 51% and 18% useful convs split, DeepLabV3-ResNet50 ran 21% faster; its
/// backbone's convs dilated 2 and 4 (91% and 82% useful) stay whole.
constexpr double kSplitBelow = 0.6;

/// The output positions [first, last) along one axis whose tap `t` reads the
/// map (stride 1: output o reads input o + t * dilation - padLow).
std::pair<int64_t, int64_t> readsMap(int64_t input, int64_t output, int64_t t, int64_t dilation,
                                     int64_t padLow) {
  const int64_t shift = t * dilation - padLow;
  return {std::clamp<int64_t>(-shift, 0, output), std::clamp<int64_t>(input - shift, 0, output)};
}

struct SplitConvTaps : OpRewritePattern<Conv2dOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(Conv2dOp conv, PatternRewriter &rw) const override {
    auto inputType = dyn_cast<RankedTensorType>(conv.getInput().getType());
    auto weightType = dyn_cast<RankedTensorType>(conv.getWeight().getType());
    auto outputType = dyn_cast<RankedTensorType>(conv.getOutput().getType());
    if (!inputType || !weightType || !outputType || !inputType.hasStaticShape() ||
        !weightType.hasStaticShape() || !outputType.hasStaticShape() || inputType.getRank() != 4 ||
        conv.getGroups() != 1 || conv.getResidual() || conv.getActivation() != "none" ||
        conv.getStrides() != ArrayRef<int64_t>{1, 1})
      return rw.notifyMatchFailure(conv, "not a plain stride-1 conv of static shapes");
    ArrayRef<int64_t> in = inputType.getShape(), w = weightType.getShape(),
                      out = outputType.getShape(), pads = conv.getPads(),
                      dilations = conv.getDilations();
    // Atrous convs only, of at most 9 taps: a dense 7x7 on a small map (CBAM's
    // spatial gate) would become 49 kernels, and its fusion would not see it.
    if ((dilations[0] == 1 && dilations[1] == 1) || w[2] * w[3] > 9 || w[2] * w[3] == 1)
      return rw.notifyMatchFailure(conv, "not an atrous conv of 2 to 9 taps");
    // Per axis, the output range each tap reads the map over.
    SmallVector<std::pair<int64_t, int64_t>> ranges[2];
    for (int axis = 0; axis < 2; ++axis)
      for (int64_t t = 0; t < w[2 + axis]; ++t)
        ranges[axis].push_back(
            readsMap(in[2 + axis], out[2 + axis], t, dilations[axis], pads[axis]));
    int64_t useful = 0;
    bool whole = false; // a tap reads the map at every output position
    for (auto [r0, r1] : ranges[0])
      for (auto [c0, c1] : ranges[1]) {
        useful += (r1 - r0) * (c1 - c0);
        whole |= r0 == 0 && r1 == out[2] && c0 == 0 && c1 == out[3];
      }
    const int64_t all = out[2] * out[3] * w[2] * w[3];
    if (!whole || double(useful) >= kSplitBelow * double(all))
      return rw.notifyMatchFailure(conv, "its taps read the map at most positions");

    Location loc = conv.getLoc();
    Value sum;
    SmallVector<Value> parts;
    for (int64_t kh = 0; kh < w[2]; ++kh)
      for (int64_t kw = 0; kw < w[3]; ++kw) {
        auto [r0, r1] = ranges[0][kh];
        auto [c0, c1] = ranges[1][kw];
        if (r0 >= r1 || c0 >= c1)
          continue;
        const int64_t dy = kh * dilations[0] - pads[0], dx = kw * dilations[1] - pads[1];
        const bool full = r0 == 0 && r1 == out[2] && c0 == 0 && c1 == out[3];
        // The input region the tap reads (the whole input for the centre).
        Value x = conv.getInput();
        if (r1 - r0 != in[2] || c1 - c0 != in[3])
          x = SliceOp::create(rw, loc, x, SmallVector<int64_t>{0, 0, r0 + dy, c0 + dx},
                              SmallVector<int64_t>{in[0], in[1], r1 + dy, c1 + dx},
                              SmallVector<int64_t>(4, 1));
        Value tap = SliceOp::create(rw, loc, conv.getWeight(), SmallVector<int64_t>{0, 0, kh, kw},
                                    SmallVector<int64_t>{w[0], w[1], kh + 1, kw + 1},
                                    SmallVector<int64_t>(4, 1));
        // The bias goes with the first tap that covers the whole map.
        Value bias = full && !sum ? conv.getBias() : Value();
        Value y = Conv2dOp::create(rw, loc, x, tap, bias, SmallVector<int64_t>{1, 1},
                                   SmallVector<int64_t>(4, 0), SmallVector<int64_t>{1, 1}, 1);
        if (full && !sum) {
          sum = y;
          continue;
        }
        if (!full)
          y = PadOp::create(rw, loc, y,
                            SmallVector<int64_t>{0, 0, r0, c0, 0, 0, out[2] - r1, out[3] - c1},
                            llvm::APFloat(0.0f));
        parts.push_back(y);
      }
    for (Value part : parts)
      sum = AddOp::create(rw, loc, sum, part);
    rw.replaceOp(conv, sum);
    return success();
  }
};

struct SplitConvTapsPass : impl::SplitConvTapsBase<SplitConvTapsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<SplitConvTaps>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace acnn
