// acnn-recognize-layer-norm: layer norm spelled out by exporters before
// opset 17 (ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add)
// becomes one acnn.layer_norm, its affine tail folded into scale and bias.
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

/// layer_norm(x) * gamma → layer_norm with scale * gamma (and bias * gamma).
struct ScaleIntoLayerNorm : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp mul, PatternRewriter &rw) const override {
    for (auto [value, other] : {std::pair(mul.getLhs(), mul.getRhs()),
                                std::pair(mul.getRhs(), mul.getLhs())}) {
      auto ln = value.getDefiningOp<LayerNormOp>();
      if (!ln || !value.hasOneUse() || value.getType() != mul.getType())
        continue;
      rw.setInsertionPoint(mul);
      Value gamma = alongNormalized(rw, ln, other);
      if (!gamma)
        continue;
      Location loc = mul.getLoc();
      Value scale = MulOp::create(rw, loc, ln.getScale(), gamma);
      Value bias = ln.getBias() ? Value(MulOp::create(rw, loc, ln.getBias(), gamma)) : Value();
      rw.replaceOp(mul, LayerNormOp::create(rw, fusedLoc(mul, {ln}), ln.getInput(), scale, bias,
                                            ln.getAxisAttr(), ln.getEpsilonAttr()));
      rw.eraseOp(ln);
      return success();
    }
    return rw.notifyMatchFailure(mul, "not a layer norm times a constant");
  }
};

/// layer_norm(x) + beta → layer_norm with bias + beta.
struct ShiftIntoLayerNorm : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp add, PatternRewriter &rw) const override {
    for (auto [value, other] : {std::pair(add.getLhs(), add.getRhs()),
                                std::pair(add.getRhs(), add.getLhs())}) {
      auto ln = value.getDefiningOp<LayerNormOp>();
      if (!ln || !value.hasOneUse() || value.getType() != add.getType())
        continue;
      rw.setInsertionPoint(add);
      Value beta = alongNormalized(rw, ln, other);
      if (!beta)
        continue;
      Value bias = ln.getBias() ? Value(AddOp::create(rw, add.getLoc(), ln.getBias(), beta)) : beta;
      rw.replaceOp(add, LayerNormOp::create(rw, fusedLoc(add, {ln}), ln.getInput(), ln.getScale(),
                                            bias, ln.getAxisAttr(), ln.getEpsilonAttr()));
      rw.eraseOp(ln);
      return success();
    }
    return rw.notifyMatchFailure(add, "not a layer norm plus a constant");
  }
};

struct RecognizeLayerNorm : impl::RecognizeLayerNormBase<RecognizeLayerNorm> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<RecognizeNormalization, ScaleIntoLayerNorm, ShiftIntoLayerNorm>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace acnn
