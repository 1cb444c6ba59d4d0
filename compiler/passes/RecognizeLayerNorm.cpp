// acnn-recognize-layer-norm: layer norm spelled out by exporters before
// opset 17 (ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add)
// becomes one acnn.layer_norm, its affine tail folded into scale and bias; a
// layer norm over channel groups reshaped out of [N, C, H, W] and back, or
// over H and W alone (instance norm), becomes one acnn.group_norm.
#include "compiler/passes/MatchUtils.h"
#include "compiler/passes/Passes.h"
#include "compiler/passes/Provenance.h"
#include "dialects/acnn/ShapeUtils.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace acnn {

#define GEN_PASS_DEF_RECOGNIZELAYERNORM
#include "compiler/passes/Passes.h.inc"

namespace {

using namespace mlir;

/// reduce_mean over trailing axes with keepdims: the first reduced axis.
std::optional<int64_t> trailingMean(ReduceMeanOp mean) {
  if (!mean || !mean.getKeepdims())
    return std::nullopt;
  const int64_t rank = shapeOf(mean.getInput()).size();
  SmallVector<int64_t> axes = normalizedAxes(mean.getAxes(), rank);
  if (axes.empty() || axes.back() != rank - 1)
    return std::nullopt;
  for (size_t i = 1; i < axes.size(); ++i)
    if (axes[i] != axes[i - 1] + 1)
      return std::nullopt;
  return axes.front();
}

/// d * d or d ^ 2: returns d.
Value squareOf(Value v) {
  if (auto pow = v.getDefiningOp<PowOp>())
    if (isScalar(pow.getRhs(), 2.0))
      return pow.getLhs();
  if (auto mul = v.getDefiningOp<MulOp>())
    if (mul.getLhs() == mul.getRhs())
      return mul.getLhs();
  return nullptr;
}

/// (x - mean(x)) / sqrt(mean((x - mean(x))^2) + eps) → layer_norm(x, 1).
struct RecognizeNormalization : OpRewritePattern<DivOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DivOp div, PatternRewriter &rw) const override {
    auto centred = div.getLhs().getDefiningOp<SubOp>();
    auto sqrt = div.getRhs().getDefiningOp<SqrtOp>();
    if (!centred || !sqrt)
      return rw.notifyMatchFailure(div, "not a centred value over a square root");
    Value x = centred.getLhs();
    auto mean = centred.getRhs().getDefiningOp<ReduceMeanOp>();
    std::optional<int64_t> axis = trailingMean(mean);
    if (!axis || mean.getInput() != x || shapeOf(x) != shapeOf(div))
      return rw.notifyMatchFailure(div, "not x minus its mean over trailing axes");
    auto plusEps = sqrt.getInput().getDefiningOp<AddOp>();
    if (!plusEps)
      return rw.notifyMatchFailure(div, "no epsilon under the square root");
    Value varianceValue = plusEps.getLhs(), eps = plusEps.getRhs();
    if (!scalarConstant(eps))
      std::swap(varianceValue, eps);
    std::optional<double> epsilon = scalarConstant(eps);
    auto variance = varianceValue.getDefiningOp<ReduceMeanOp>();
    if (!epsilon || trailingMean(variance) != axis ||
        squareOf(variance.getInput()) != centred.getResult())
      return rw.notifyMatchFailure(div, "not the biased variance of the centred value");
    Location loc = div.getLoc();
    SmallVector<int64_t> normalized(shapeOf(x).drop_front(*axis));
    Value ones = ConstantOp::create(
        rw, loc, DenseElementsAttr::get(f32Tensor(rw.getContext(), normalized), 1.0f));
    rw.replaceOp(div, LayerNormOp::create(rw, fusedLoc(div, opsBetween(div, x)), x, ones, Value(),
                                          rw.getI64IntegerAttr(*axis),
                                          rw.getF32FloatAttr(float(*epsilon))));
    return success();
  }
};

/// group_norm(x) with `groups` groups and the scale and bias of `ln`, one
/// value each repeated for every channel; null if they vary.
GroupNormOp asGroupNorm(PatternRewriter &rw, Location loc, LayerNormOp ln, Value x,
                        int64_t groups) {
  std::optional<double> scale = uniformConstant(ln.getScale());
  std::optional<double> bias = ln.getBias() ? uniformConstant(ln.getBias()) : 0.0;
  if (!scale || !bias)
    return nullptr;
  const int64_t channels = shapeOf(x)[1];
  auto perChannel = [&](double v) {
    return ConstantOp::create(
        rw, loc, DenseElementsAttr::get(f32Tensor(rw.getContext(), {channels}), float(v)));
  };
  return GroupNormOp::create(rw, loc, x, perChannel(*scale),
                             ln.getBias() ? Value(perChannel(*bias)) : Value(),
                             rw.getI64IntegerAttr(groups), ln.getEpsilonAttr());
}

/// reshape(layer_norm(reshape(x, [N, G, R]), s, b), x's shape), x [N, C,
/// spatial...] and R its C / G channels by the spatial size, s and b uniform
/// → group_norm(x) with G groups. torch.onnx writes GroupNorm so (Reshape,
/// InstanceNormalization, Reshape) and acnn imports GroupNormalization so;
/// as a group norm it needs no NCHW order of x, so it runs in the layout of
/// the convolutions around it.
struct GroupNormFromLayerNorm : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp back, PatternRewriter &rw) const override {
    auto ln = back.getInput().getDefiningOp<LayerNormOp>();
    auto grouped = ln ? ln.getInput().getDefiningOp<ReshapeOp>() : ReshapeOp();
    if (!grouped || !ln->hasOneUse())
      return rw.notifyMatchFailure(back, "not a reshaped layer norm of a reshape");
    Value x = grouped.getInput();
    ArrayRef<int64_t> shape = shapeOf(x), rows = shapeOf(ln);
    if (shape != shapeOf(back) || shape.size() < 3 || rows.size() != 3 ||
        *normalizeAxis(ln.getAxis(), 3) != 2 || rows[0] != shape[0] || shape[1] % rows[1])
      return rw.notifyMatchFailure(back, "not [N, C, ...] normalised as [N, groups, rest]");
    GroupNormOp gn = asGroupNorm(rw, fusedLoc(back, {ln, grouped}), ln, x, rows[1]);
    if (!gn)
      return rw.notifyMatchFailure(back, "scale or bias differs along a group");
    rw.replaceOp(back, gn);
    return success();
  }
};

/// layer_norm(x) over H and W of x [N, C, H, W] with a uniform scale (and
/// bias), as InstanceNormalization imports → group_norm(x) with C groups, so
/// it too runs in the layout of the convolutions around it.
struct GroupNormFromInstanceNorm : OpRewritePattern<LayerNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LayerNormOp ln, PatternRewriter &rw) const override {
    ArrayRef<int64_t> shape = shapeOf(ln);
    if (shape.size() != 4 || *normalizeAxis(ln.getAxis(), 4) != 2)
      return rw.notifyMatchFailure(ln, "not a norm over H and W of [N, C, H, W]");
    GroupNormOp gn = asGroupNorm(rw, ln.getLoc(), ln, ln.getInput(), shape[1]);
    if (!gn)
      return rw.notifyMatchFailure(ln, "scale or bias differs along H and W");
    rw.replaceOp(ln, gn);
    return success();
  }
};

/// A constant that broadcasts onto a layer norm's result along its
/// normalised axes only, reshaped to their shape.
Value alongNormalized(PatternRewriter &rw, LayerNormOp ln, Value c) {
  if (!isConstant(c))
    return nullptr;
  ArrayRef<int64_t> result = shapeOf(ln), shape = shapeOf(c);
  const int64_t axis = *normalizeAxis(ln.getAxis(), result.size());
  ArrayRef<int64_t> normalized = result.drop_front(axis);
  if (shape.size() > result.size())
    return nullptr;
  // Leading axes (outside the normalised ones) must be 1; the rest match.
  const size_t lead = result.size() - shape.size();
  for (auto [i, d] : llvm::enumerate(shape))
    if (int64_t(lead + i) < axis ? d != 1 : d != result[lead + i])
      return nullptr;
  if (shape.size() < normalized.size())
    return nullptr;
  if (shape == normalized)
    return c;
  return ReshapeOp::create(rw, c.getLoc(), f32Tensor(rw.getContext(), normalized), c);
}

/// A constant that broadcasts onto a group norm's result along its channels
/// only ([C, 1, ...] or [1, C, 1, ...]), reshaped to [C].
Value alongNormalized(PatternRewriter &rw, GroupNormOp gn, Value c) {
  if (!isConstant(c))
    return nullptr;
  ArrayRef<int64_t> result = shapeOf(gn), shape = shapeOf(c);
  if (shape.size() > result.size() || shape.size() + 1 < result.size())
    return nullptr;
  const size_t lead = result.size() - shape.size();
  for (auto [i, d] : llvm::enumerate(shape))
    if (d != (lead + i == 1 ? result[1] : 1))
      return nullptr;
  return ReshapeOp::create(rw, c.getLoc(), f32Tensor(rw.getContext(), {result[1]}), c);
}

LayerNormOp withAffine(PatternRewriter &rw, Location loc, LayerNormOp ln, Value scale, Value bias) {
  return LayerNormOp::create(rw, loc, ln.getInput(), scale, bias, ln.getAxisAttr(),
                             ln.getEpsilonAttr());
}

GroupNormOp withAffine(PatternRewriter &rw, Location loc, GroupNormOp gn, Value scale, Value bias) {
  return GroupNormOp::create(rw, loc, gn.getInput(), scale, bias, gn.getGroupsAttr(),
                             gn.getEpsilonAttr());
}

/// norm(x) * gamma → norm with scale * gamma (and bias * gamma).
template <typename NormOp> struct ScaleIntoNorm : OpRewritePattern<MulOp> {
  using OpRewritePattern<MulOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp mul, PatternRewriter &rw) const override {
    for (auto [value, other] : {std::pair(mul.getLhs(), mul.getRhs()),
                                std::pair(mul.getRhs(), mul.getLhs())}) {
      auto norm = value.template getDefiningOp<NormOp>();
      if (!norm || !value.hasOneUse() || value.getType() != mul.getType())
        continue;
      rw.setInsertionPoint(mul);
      Value gamma = alongNormalized(rw, norm, other);
      if (!gamma)
        continue;
      Location loc = mul.getLoc();
      Value scale = MulOp::create(rw, loc, norm.getScale(), gamma);
      Value bias = norm.getBias() ? Value(MulOp::create(rw, loc, norm.getBias(), gamma)) : Value();
      rw.replaceOp(mul, withAffine(rw, fusedLoc(mul, {norm}), norm, scale, bias));
      rw.eraseOp(norm);
      return success();
    }
    return rw.notifyMatchFailure(mul, "not a norm times a constant");
  }
};

/// norm(x) + beta → norm with bias + beta.
template <typename NormOp> struct ShiftIntoNorm : OpRewritePattern<AddOp> {
  using OpRewritePattern<AddOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp add, PatternRewriter &rw) const override {
    for (auto [value, other] : {std::pair(add.getLhs(), add.getRhs()),
                                std::pair(add.getRhs(), add.getLhs())}) {
      auto norm = value.template getDefiningOp<NormOp>();
      if (!norm || !value.hasOneUse() || value.getType() != add.getType())
        continue;
      rw.setInsertionPoint(add);
      Value beta = alongNormalized(rw, norm, other);
      if (!beta)
        continue;
      Value bias =
          norm.getBias() ? Value(AddOp::create(rw, add.getLoc(), norm.getBias(), beta)) : beta;
      rw.replaceOp(add, withAffine(rw, fusedLoc(add, {norm}), norm, norm.getScale(), bias));
      rw.eraseOp(norm);
      return success();
    }
    return rw.notifyMatchFailure(add, "not a norm plus a constant");
  }
};

struct RecognizeLayerNorm : impl::RecognizeLayerNormBase<RecognizeLayerNorm> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<RecognizeNormalization, GroupNormFromLayerNorm, GroupNormFromInstanceNorm,
                 ScaleIntoNorm<LayerNormOp>, ShiftIntoNorm<LayerNormOp>, ScaleIntoNorm<GroupNormOp>,
                 ShiftIntoNorm<GroupNormOp>>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace acnn
