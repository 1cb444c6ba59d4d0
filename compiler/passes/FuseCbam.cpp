// acnn-fuse-cbam: CBAM's channel attention and spatial attention become
// acnn.channel_attention and acnn.spatial_attention.
//
//   channel: mul(x, sigmoid(mlp(avg_pool(x)) + mlp(max_pool(x))))   one shared MLP
//   spatial: mul(x, sigmoid(conv(concat(mean_c(x), max_c(x)))))     a 2 -> 1 conv
#include "compiler/passes/MatchUtils.h"
#include "compiler/passes/Passes.h"
#include "compiler/passes/Provenance.h"
#include "dialects/acnn/ShapeUtils.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace acnn {

#define GEN_PASS_DEF_FUSECBAM
#include "compiler/passes/Passes.h.inc"

namespace {

using namespace mlir;

/// fc2(act(fc1(pool(x)))): the layers, the activation and x.
struct ChannelMlp {
  DenseLayer fc1, fc2;
  StringRef activation;
  Value source;
};

std::optional<ChannelMlp> matchMlp(Value v, bool maxPool) {
  std::optional<DenseLayer> fc2 = matchDenseLayer(skipUnitReshapes(v));
  if (!fc2 || fc2->activation != "none")
    return std::nullopt;
  auto [activation, hidden] = peelActivation(skipUnitReshapes(fc2->input));
  std::optional<DenseLayer> fc1 = matchDenseLayer(skipUnitReshapes(hidden));
  if (!fc1 || (activation != "none" && fc1->activation != "none"))
    return std::nullopt;
  if (activation == "none")
    activation = fc1->activation;
  Value source = globalPoolSource(skipUnitReshapes(fc1->input), maxPool);
  if (!source)
    return std::nullopt;
  return ChannelMlp{*fc1, *fc2, activation, source};
}

bool sameLayer(const DenseLayer &a, const DenseLayer &b) {
  return a.weight == b.weight && a.bias == b.bias && a.layout == b.layout;
}

/// The gate [N, C, 1, ...] (or [N, 1, H, W]) of a mul by x, and x.
template <typename Check>
std::optional<std::pair<Value, Value>> gatedBy(MulOp mul, Check check) {
  for (auto [x, g] : {std::pair(mul.getLhs(), mul.getRhs()),
                      std::pair(mul.getRhs(), mul.getLhs())})
    if (x.getType() == mul.getType() && check(shapeOf(x), shapeOf(g)))
      if (auto sigmoid = dyn_cast_if_present<SigmoidOp>(skipUnitReshapes(g).getDefiningOp()))
        return std::pair(x, sigmoid.getInput());
  return std::nullopt;
}

struct ChannelAttentionPattern : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp mul, PatternRewriter &rw) const override {
    auto perChannel = [](ArrayRef<int64_t> x, ArrayRef<int64_t> g) {
      return x.size() >= 3 && g.size() == x.size() && g.take_front(2) == x.take_front(2) &&
             llvm::all_of(g.drop_front(2), [](int64_t d) { return d == 1; });
    };
    std::optional<std::pair<Value, Value>> gated = gatedBy(mul, perChannel);
    if (!gated)
      return rw.notifyMatchFailure(mul, "not a per-channel sigmoid gate");
    auto [x, logits] = *gated;
    auto add = skipUnitReshapes(logits).getDefiningOp<AddOp>();
    if (!add)
      return rw.notifyMatchFailure(mul, "gate is not a sum of two MLP outputs");
    for (auto [avgBranch, maxBranch] : {std::pair(add.getLhs(), add.getRhs()),
                                        std::pair(add.getRhs(), add.getLhs())}) {
      std::optional<ChannelMlp> avg = matchMlp(avgBranch, /*maxPool=*/false);
      std::optional<ChannelMlp> max = matchMlp(maxBranch, /*maxPool=*/true);
      if (!avg || !max || avg->source != x || max->source != x ||
          !sameLayer(avg->fc1, max->fc1) || !sameLayer(avg->fc2, max->fc2) ||
          avg->activation != max->activation)
        continue;
      auto [reduced, channels] = avg->fc1.outIn();
      if (channels != shapeOf(x)[1] || avg->fc2.outIn() != std::pair(channels, reduced))
        continue;
      Location loc = mul.getLoc();
      auto [w1, b1] = avg->fc1.weightAndBias(rw, loc);
      auto [w2, b2] = avg->fc2.weightAndBias(rw, loc);
      rw.replaceOp(mul, ChannelAttentionOp::create(rw, fusedLoc(mul, opsBetween(mul, x)), x, w1,
                                                   b1, w2, b2, avg->activation));
      return success();
    }
    return rw.notifyMatchFailure(mul, "not avg- and max-pooled branches of one MLP");
  }
};

/// reduce_mean or reduce_max of x over its channel axis, kept as size 1.
Value channelStatSource(Value v, bool max) {
  auto isChannelAxis = [](Value x, ArrayRef<int64_t> axes) {
    return normalizedAxes(axes, shapeOf(x).size()) == SmallVector<int64_t>{1};
  };
  if (auto mean = v.getDefiningOp<ReduceMeanOp>(); mean && !max && mean.getKeepdims())
    return isChannelAxis(mean.getInput(), mean.getAxes()) ? mean.getInput() : nullptr;
  if (auto rmax = v.getDefiningOp<ReduceMaxOp>(); rmax && max && rmax.getKeepdims())
    return isChannelAxis(rmax.getInput(), rmax.getAxes()) ? rmax.getInput() : nullptr;
  return nullptr;
}

struct SpatialAttentionPattern : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp mul, PatternRewriter &rw) const override {
    auto perPixel = [](ArrayRef<int64_t> x, ArrayRef<int64_t> g) {
      return x.size() == 4 && g.size() == 4 && g[0] == x[0] && g[1] == 1 && g[2] == x[2] &&
             g[3] == x[3];
    };
    std::optional<std::pair<Value, Value>> gated = gatedBy(mul, perPixel);
    if (!gated)
      return rw.notifyMatchFailure(mul, "not a per-pixel sigmoid gate");
    auto [x, logits] = *gated;
    auto conv = logits.getDefiningOp<Conv2dOp>();
    if (!conv || conv.getResidual() || conv.getActivation() != "none" || conv.getGroups() != 1 ||
        llvm::any_of(conv.getStrides(), [](int64_t s) { return s != 1; }) ||
        llvm::any_of(conv.getDilations(), [](int64_t d) { return d != 1; }) ||
        shapeOf(conv.getWeight())[0] != 1 || shapeOf(conv.getWeight())[1] != 2 ||
        shapeOf(conv) != ArrayRef<int64_t>{shapeOf(x)[0], 1, shapeOf(x)[2], shapeOf(x)[3]})
      return rw.notifyMatchFailure(mul, "gate is not a size-keeping 2 -> 1 conv");
    auto concat = conv.getInput().getDefiningOp<ConcatOp>();
    if (!concat || concat.getInputs().size() != 2 ||
        normalizeAxis(concat.getAxis(), 4) != std::optional<int64_t>(1))
      return rw.notifyMatchFailure(mul, "conv input is not two maps side by side");
    Value first = concat.getInputs()[0], second = concat.getInputs()[1];
    bool meanFirst = channelStatSource(first, false) == x && channelStatSource(second, true) == x;
    bool maxFirst = channelStatSource(first, true) == x && channelStatSource(second, false) == x;
    if (!meanFirst && !maxFirst)
      return rw.notifyMatchFailure(mul, "conv input is not the channel mean and max of x");
    Location loc = mul.getLoc();
    Value weight = conv.getWeight();
    if (maxFirst) // the op reads the mean as channel 0
      weight = GatherOp::create(rw, loc, weight, rw.getI64TensorAttr({1, 0}), int64_t(1));
    Value bias = conv.getBias();
    if (!bias)
      bias = ConstantOp::create(rw, loc, DenseElementsAttr::get(f32Tensor(rw.getContext(), {1}),
                                                                0.0f));
    rw.replaceOp(mul, SpatialAttentionOp::create(rw, fusedLoc(mul, opsBetween(mul, x)), x, weight,
                                                 bias, conv.getPads()));
    return success();
  }
};

struct FuseCbam : impl::FuseCbamBase<FuseCbam> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ChannelAttentionPattern, SpatialAttentionPattern>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace acnn
