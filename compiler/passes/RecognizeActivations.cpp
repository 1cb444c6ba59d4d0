// acnn-recognize-activations: GELU, SiLU and hard-swish as exporters spell
// them out in element-wise ops become one acnn.gelu / acnn.silu /
// acnn.hard_swish, which then fuse into the producing op's epilogue.
#include "compiler/passes/MatchUtils.h"
#include "compiler/passes/Passes.h"
#include "compiler/passes/Provenance.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace acnn {

#define GEN_PASS_DEF_RECOGNIZEACTIVATIONS
#include "compiler/passes/Passes.h.inc"

namespace {

using namespace mlir;

/// The most factors of a product the patterns below look for (0.044715 * x *
/// x * x).
constexpr size_t kMaxFactors = 4;

/// The leaves of a product tree rooted at `v`, left to right: a mul's
/// operands, through muls nothing else reads. False if there are more than
/// kMaxFactors: no pattern matches such a product, and a chain of 100k muls is
/// then not walked from each of its muls (quadratic, and deep).
bool productFactors(Value v, SmallVectorImpl<Value> &factors) {
  // Each pending value is at least one factor.
  SmallVector<Value> pending = {v};
  while (!pending.empty()) {
    Value f = pending.pop_back_val();
    auto mul = f.getDefiningOp<MulOp>();
    if (mul && (f == v || f.hasOneUse())) {
      pending.append({mul.getRhs(), mul.getLhs()});
      if (factors.size() + pending.size() > kMaxFactors)
        return false;
      continue;
    }
    factors.push_back(f);
  }
  return true;
}

/// x / sqrt(2) or x * (1 / sqrt(2)), as erf's argument: returns x.
Value erfArgumentSource(Value v) {
  if (auto div = v.getDefiningOp<DivOp>())
    if (isScalar(div.getRhs(), M_SQRT2, 1e-4))
      return div.getLhs();
  if (auto mul = v.getDefiningOp<MulOp>()) {
    if (isScalar(mul.getRhs(), M_SQRT1_2, 1e-4))
      return mul.getLhs();
    if (isScalar(mul.getLhs(), M_SQRT1_2, 1e-4))
      return mul.getRhs();
  }
  return nullptr;
}

/// 1 + erf(x / sqrt(2)) in either order: returns x.
Value onePlusErfSource(Value v) {
  auto add = v.getDefiningOp<AddOp>();
  if (!add)
    return nullptr;
  for (auto [one, other] : {std::pair(add.getLhs(), add.getRhs()),
                            std::pair(add.getRhs(), add.getLhs())})
    if (isScalar(one, 1.0))
      if (auto erf = other.getDefiningOp<ErfOp>())
        return erfArgumentSource(erf.getInput());
  return nullptr;
}

/// x + 0.044715 * x^3 (x^3 as x * x * x or x ^ 3): returns x.
Value cubicSource(Value v) {
  auto add = v.getDefiningOp<AddOp>();
  if (!add)
    return nullptr;
  for (auto [x, term] : {std::pair(add.getLhs(), add.getRhs()),
                         std::pair(add.getRhs(), add.getLhs())}) {
    SmallVector<Value> factors;
    if (!productFactors(term, factors))
      continue;
    auto coefficient = llvm::find_if(factors, [](Value f) { return isScalar(f, 0.044715, 1e-4); });
    if (coefficient == factors.end())
      continue;
    factors.erase(coefficient);
    bool cube = llvm::count(factors, x) == 3 && factors.size() == 3;
    if (factors.size() == 1)
      if (auto pow = factors[0].getDefiningOp<PowOp>())
        cube = pow.getLhs() == x && isScalar(pow.getRhs(), 3.0);
    if (cube)
      return x;
  }
  return nullptr;
}

/// 1 + tanh(sqrt(2 / pi) * (x + 0.044715 x^3)) in either order: returns x.
Value onePlusTanhSource(Value v) {
  auto add = v.getDefiningOp<AddOp>();
  if (!add)
    return nullptr;
  for (auto [one, other] : {std::pair(add.getLhs(), add.getRhs()),
                            std::pair(add.getRhs(), add.getLhs())}) {
    auto tanh = other.getDefiningOp<TanhOp>();
    if (!isScalar(one, 1.0) || !tanh)
      continue;
    SmallVector<Value> factors;
    if (!productFactors(tanh.getInput(), factors) || factors.size() != 2)
      continue;
    for (int i = 0; i < 2; ++i)
      if (isScalar(factors[i], std::sqrt(2.0 / M_PI), 1e-4))
        return cubicSource(factors[1 - i]);
  }
  return nullptr;
}

/// x * 0.5 * (1 + erf(x / sqrt(2))), the three factors multiplied in any
/// order and grouping, → gelu(x); with 1 + tanh(sqrt(2 / pi) * (x +
/// 0.044715 x^3)) instead, → gelu(x, approximate_tanh).
struct RecognizeGelu : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp mul, PatternRewriter &rw) const override {
    SmallVector<Value> factors;
    if (!productFactors(mul, factors) || factors.size() != 3)
      return rw.notifyMatchFailure(mul, "not a product of three factors");
    Value half, phiTerm, x, source;
    bool approximate = false;
    for (Value f : factors) {
      if (!half && isScalar(f, 0.5)) {
        half = f;
      } else if (Value erfOf = phiTerm ? Value() : onePlusErfSource(f)) {
        phiTerm = f;
        source = erfOf;
      } else if (Value tanhOf = phiTerm ? Value() : onePlusTanhSource(f)) {
        phiTerm = f;
        source = tanhOf;
        approximate = true;
      } else {
        x = f;
      }
    }
    if (!half || !phiTerm || !x || source != x || x.getType() != mul.getType())
      return rw.notifyMatchFailure(mul, "not x * 0.5 * (1 + erf(x / sqrt(2))) or its tanh form");
    rw.replaceOp(mul, GeluOp::create(rw, fusedLoc(mul, opsBetween(mul, x)), x, approximate));
    return success();
  }
};

/// x * sigmoid(x) in either order → silu(x).
struct RecognizeSilu : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp mul, PatternRewriter &rw) const override {
    for (auto [x, gate] : {std::pair(mul.getLhs(), mul.getRhs()),
                           std::pair(mul.getRhs(), mul.getLhs())}) {
      auto sigmoid = gate.getDefiningOp<SigmoidOp>();
      if (sigmoid && sigmoid.getInput() == x && x.getType() == mul.getType()) {
        rw.replaceOp(mul, SiluOp::create(rw, fusedLoc(mul, {sigmoid}), x));
        return success();
      }
    }
    return rw.notifyMatchFailure(mul, "not x * sigmoid(x)");
  }
};

/// The most scalings RecognizeHardSwish looks through.
constexpr int kMaxScalings = 8;

/// x * g(x), with g any spelling of PyTorch's hard sigmoid clamp(x / 6 +
/// 1/2, 0, 1) (HardSigmoid, Clip(x + 3, 0, 6) / 6, relu6(x + 3) * (1/6), the
/// scaling before or after the product) → hard_swish(x).
struct RecognizeHardSwish : RewritePattern {
  RecognizeHardSwish(MLIRContext *ctx) : RewritePattern(MatchAnyOpTypeTag(), 1, ctx) {}
  LogicalResult matchAndRewrite(Operation *root, PatternRewriter &rw) const override {
    if (!isa<MulOp, DivOp>(root))
      return failure();
    // Scalings applied after the product: x * g(x) * k. Exporters write one;
    // a chain of 100k scalings is not walked from each of its ops.
    double k = 1;
    Operation *product = root;
    for (int scalings = 0; isa<MulOp, DivOp>(product); ++scalings) {
      if (scalings > kMaxScalings)
        return failure();
      Value lhs = product->getOperand(0), rhs = product->getOperand(1);
      std::optional<double> c = scalarConstant(rhs);
      if (!c && isa<MulOp>(product))
        if ((c = scalarConstant(lhs)))
          std::swap(lhs, rhs);
      if (!c)
        break;
      if (isa<DivOp>(product) && *c == 0)
        return failure();
      k *= isa<DivOp>(product) ? 1 / *c : *c;
      product = lhs.getDefiningOp();
      if (!product || (product != root && !lhs.hasOneUse()))
        return failure();
    }
    auto mul = dyn_cast<MulOp>(product);
    if (!mul)
      return failure();
    for (auto [x, gate] : {std::pair(mul.getLhs(), mul.getRhs()),
                           std::pair(mul.getRhs(), mul.getLhs())}) {
      auto [f, source] = clampedAffineSource(gate);
      ClampedAffine g = f.then(k, 0);
      if (source != x || gate == x || x.getType() != root->getResult(0).getType() ||
          std::abs(g.scale - 1.0 / 6.0) > 1e-6 || std::abs(g.shift - 0.5) > 1e-6 ||
          std::abs(g.lo) > 1e-6 || std::abs(g.hi - 1) > 1e-6)
        continue;
      rw.replaceOp(root, HardSwishOp::create(rw, fusedLoc(root, opsBetween(root, x)), x));
      return success();
    }
    return rw.notifyMatchFailure(root, "not x * hard_sigmoid(x)");
  }
};

struct RecognizeActivations : impl::RecognizeActivationsBase<RecognizeActivations> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<RecognizeGelu, RecognizeSilu, RecognizeHardSwish>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace acnn
