#include "compiler/passes/MatchUtils.h"
#include "compiler/interpreter/Tensor.h"
#include "dialects/acnn/ShapeUtils.h"

#include <cmath>

using namespace mlir;

namespace acnn {

std::optional<double> scalarConstant(Value v) {
  auto c = v.getDefiningOp<ConstantOp>();
  if (!c || llvm::cast<ShapedType>(c.getType()).getNumElements() != 1)
    return std::nullopt;
  llvm::Expected<Tensor> t = tensorFromAttr(c.getValue());
  if (!t) {
    llvm::consumeError(t.takeError());
    return std::nullopt;
  }
  return double(t->data[0]);
}

std::optional<double> uniformConstant(Value v) {
  auto c = v.getDefiningOp<ConstantOp>();
  if (!c)
    return std::nullopt;
  llvm::Expected<Tensor> t = tensorFromAttr(c.getValue());
  if (!t) {
    llvm::consumeError(t.takeError());
    return std::nullopt;
  }
  if (t->data.empty() || llvm::any_of(t->data, [&](float x) { return x != t->data[0]; }))
    return std::nullopt;
  return double(t->data[0]);
}

bool isScalar(Value v, double want, double tolerance) {
  std::optional<double> got = scalarConstant(v);
  return got && std::abs(*got - want) <= tolerance * std::max(1.0, std::abs(want));
}

bool isConstant(Value v) { return bool(v.getDefiningOp<ConstantOp>()); }

Value skipUnitReshapes(Value v) {
  while (Operation *op = v.getDefiningOp()) {
    if (!isa<ReshapeOp, FlattenOp>(op))
      break;
    auto shapeWithoutOnes = [](Value x) {
      SmallVector<int64_t> kept;
      for (int64_t d : llvm::cast<RankedTensorType>(x.getType()).getShape())
        if (d != 1)
          kept.push_back(d);
      return kept;
    };
    if (shapeWithoutOnes(op->getOperand(0)) != shapeWithoutOnes(op->getResult(0)))
      break;
    v = op->getOperand(0);
  }
  return v;
}

SmallVector<int64_t> normalizedAxes(ArrayRef<int64_t> axes, int64_t rank) {
  SmallVector<int64_t> out;
  for (int64_t a : axes)
    out.push_back(normalizeAxis(a, rank).value_or(-1));
  llvm::sort(out);
  return out;
}

RankedTensorType f32Tensor(MLIRContext *ctx, ArrayRef<int64_t> shape) {
  return RankedTensorType::get(shape, Float32Type::get(ctx));
}

std::optional<DenseLayer> matchDenseLayer(Value v) {
  Operation *op = v.getDefiningOp();
  if (!op)
    return std::nullopt;
  if (auto linear = dyn_cast<LinearOp>(op)) {
    if (linear.getResidual() || shapeOf(linear.getInput()).size() != 2)
      return std::nullopt;
    return DenseLayer{linear.getInput(), linear.getWeight(), linear.getBias(),
                      linear.getActivation(), DenseLayer::OutIn};
  }
  if (auto conv = dyn_cast<Conv2dOp>(op)) {
    ArrayRef<int64_t> in = shapeOf(conv.getInput()), w = shapeOf(conv.getWeight());
    if (conv.getResidual() || conv.getGroups() != 1 || in[2] != 1 || in[3] != 1 || w[2] != 1 ||
        w[3] != 1 || llvm::any_of(conv.getPads(), [](int64_t p) { return p != 0; }))
      return std::nullopt;
    return DenseLayer{conv.getInput(), conv.getWeight(), conv.getBias(), conv.getActivation(),
                      DenseLayer::OutIn11};
  }
  Value bias;
  MatmulOp matmul;
  if (auto add = dyn_cast<AddOp>(op)) {
    for (auto [product, other] : {std::pair(add.getLhs(), add.getRhs()),
                                  std::pair(add.getRhs(), add.getLhs())})
      if (auto m = product.getDefiningOp<MatmulOp>(); m && isConstant(other)) {
        matmul = m;
        bias = other;
        break;
      }
  } else {
    matmul = dyn_cast<MatmulOp>(op);
  }
  if (!matmul || matmul.getResidual() || shapeOf(matmul.getLhs()).size() != 2 ||
      shapeOf(matmul.getRhs()).size() != 2)
    return std::nullopt;
  if (bias) {
    ArrayRef<int64_t> b = shapeOf(bias);
    int64_t out = shapeOf(matmul.getRhs())[1];
    if (!(b == ArrayRef<int64_t>{out} || b == ArrayRef<int64_t>{1, out}))
      return std::nullopt;
  }
  return DenseLayer{matmul.getLhs(), matmul.getRhs(), bias,
                    bias ? StringRef("none") : matmul.getActivation(), DenseLayer::InOut};
}

std::pair<int64_t, int64_t> DenseLayer::outIn() const {
  ArrayRef<int64_t> w = shapeOf(weight);
  return layout == InOut ? std::pair(w[1], w[0]) : std::pair(w[0], w[1]);
}

std::pair<Value, Value> DenseLayer::weightAndBias(PatternRewriter &rw, Location loc) const {
  ArrayRef<int64_t> w = shapeOf(weight);
  Value outIn = weight;
  if (layout == OutIn11)
    outIn = ReshapeOp::create(rw, loc, f32Tensor(rw.getContext(), {w[0], w[1]}), weight);
  else if (layout == InOut)
    outIn = TransposeOp::create(rw, loc, weight, ArrayRef<int64_t>{1, 0});
  const int64_t out = shapeOf(outIn)[0];
  RankedTensorType vector = f32Tensor(rw.getContext(), {out});
  Value b;
  if (!bias)
    b = ConstantOp::create(rw, loc, DenseElementsAttr::get(vector, 0.0f));
  else if (shapeOf(bias).size() == 1)
    b = bias;
  else
    b = ReshapeOp::create(rw, loc, vector, bias);
  return {outIn, b};
}

StringRef activationName(Operation *op) {
  if (isa<ReluOp>(op))
    return "relu";
  if (auto clip = dyn_cast<ClipOp>(op))
    return clip.getMin().isZero() && clip.getMax().convertToDouble() == 6.0 ? "relu6" : "";
  if (isa<SiluOp>(op))
    return "silu";
  if (isa<SigmoidOp>(op))
    return "sigmoid";
  if (isa<TanhOp>(op))
    return "tanh";
  if (isa<HardSwishOp>(op))
    return "hard_swish";
  if (auto gelu = dyn_cast<GeluOp>(op))
    return gelu.getApproximateTanh() ? "gelu_tanh" : "gelu";
  return "";
}

std::pair<StringRef, Value> peelActivation(Value v) {
  Operation *op = v.getDefiningOp();
  if (!op)
    return {"none", v};
  StringRef name = activationName(op);
  if (name.empty())
    return {"none", v};
  return {name, op->getOperand(0)};
}

Value globalPoolSource(Value v, bool max) {
  Operation *op = v.getDefiningOp();
  if (!op)
    return nullptr;
  if (max ? isa<GlobalMaxPoolOp>(op) : isa<GlobalAvgPoolOp>(op))
    return op->getOperand(0);
  auto overTrailing = [](Value x, ArrayRef<int64_t> axes) {
    int64_t rank = shapeOf(x).size();
    SmallVector<int64_t> want = llvm::to_vector(llvm::seq<int64_t>(2, rank));
    return rank >= 3 && normalizedAxes(axes, rank) == want;
  };
  if (auto mean = dyn_cast<ReduceMeanOp>(op); mean && !max)
    return overTrailing(mean.getInput(), mean.getAxes()) ? mean.getInput() : nullptr;
  if (auto rmax = dyn_cast<ReduceMaxOp>(op); rmax && max)
    return overTrailing(rmax.getInput(), rmax.getAxes()) ? rmax.getInput() : nullptr;
  if (auto pool = dyn_cast<MaxPool2dOp>(op); pool && max) {
    ArrayRef<int64_t> in = shapeOf(pool.getInput());
    bool whole = pool.getKernel() == in.drop_front(2) &&
                 llvm::all_of(pool.getPads(), [](int64_t p) { return p == 0; }) &&
                 llvm::all_of(pool.getDilations(), [](int64_t d) { return d == 1; });
    return whole ? pool.getInput() : nullptr;
  }
  if (auto pool = dyn_cast<AvgPool2dOp>(op); pool && !max) {
    ArrayRef<int64_t> in = shapeOf(pool.getInput());
    bool whole = pool.getKernel() == in.drop_front(2) &&
                 llvm::all_of(pool.getPads(), [](int64_t p) { return p == 0; });
    return whole ? pool.getInput() : nullptr;
  }
  return nullptr;
}

ClampedAffine ClampedAffine::then(double a, double b) const {
  ClampedAffine r{scale * a, shift * a + b, lo * a + b, hi * a + b};
  if (a < 0)
    std::swap(r.lo, r.hi);
  return r;
}

ClampedAffine ClampedAffine::clamped(double low, double high) const {
  return {scale, shift, std::min(std::max(lo, low), high), std::max(std::min(hi, high), low)};
}

std::pair<ClampedAffine, Value> clampedAffineSource(Value v) {
  ClampedAffine outer; // the function applied after `v`
  while (Operation *op = v.getDefiningOp()) {
    // The scalar operand and the other one, for a binary op with one.
    auto scalarAndOther = [&]() -> std::optional<std::pair<double, Value>> {
      if (op->getNumOperands() != 2)
        return std::nullopt;
      Type result = op->getResult(0).getType();
      if (op->getOperand(0).getType() == result)
        if (std::optional<double> c = scalarConstant(op->getOperand(1)))
          return std::pair(*c, op->getOperand(0));
      if (!isa<SubOp, DivOp>(op) && op->getOperand(1).getType() == result)
        if (std::optional<double> c = scalarConstant(op->getOperand(0)))
          return std::pair(*c, op->getOperand(1));
      return std::nullopt;
    };
    // `inner` is what `op` applies to its source; outer ∘ inner is kept.
    std::optional<ClampedAffine> inner;
    Value source;
    if (auto clip = dyn_cast<ClipOp>(op)) {
      inner = ClampedAffine().clamped(clip.getMin().convertToFloat(), clip.getMax().convertToFloat());
      source = clip.getInput();
    } else if (auto relu = dyn_cast<ReluOp>(op)) {
      inner = ClampedAffine().clamped(0, INFINITY);
      source = relu.getInput();
    } else if (auto hard = dyn_cast<HardSigmoidOp>(op)) {
      inner = ClampedAffine()
                  .then(hard.getAlpha().convertToFloat(), hard.getBeta().convertToFloat())
                  .clamped(0, 1);
      source = hard.getInput();
    } else if (auto operands = scalarAndOther()) {
      auto [c, other] = *operands;
      source = other;
      if (isa<AddOp>(op))
        inner = ClampedAffine().then(1, c);
      else if (isa<SubOp>(op))
        inner = ClampedAffine().then(1, -c);
      else if (isa<MulOp>(op))
        inner = ClampedAffine().then(c, 0);
      else if (isa<DivOp>(op) && c != 0)
        inner = ClampedAffine().then(1 / c, 0);
      else if (isa<MaxOp>(op))
        inner = ClampedAffine().clamped(c, INFINITY);
      else if (isa<MinOp>(op))
        inner = ClampedAffine().clamped(-INFINITY, c);
    }
    if (!inner)
      break;
    // outer(inner(z)): inner's clamp, then outer's affine part and clamp.
    outer = inner->then(outer.scale, outer.shift).clamped(outer.lo, outer.hi);
    v = source;
  }
  return {outer, v};
}

} // namespace acnn
