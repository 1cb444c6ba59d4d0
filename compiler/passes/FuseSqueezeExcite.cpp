// acnn-fuse-squeeze-excite: a squeeze-and-excitation block, in whichever of
// its exported spellings, becomes one acnn.squeeze_excite.
//
//   mul(x, reshape?(gate(fc2(act(fc1(reshape?(pool(x))))))))
//
// pool: global_avg_pool, reduce_mean over the spatial axes or an average
// pool whose window is the map; fc: linear (Gemm), 1x1 conv, or matmul by a
// matrix plus a bias; act: relu, silu, ... (separate or already in fc1's
// epilogue); gate: sigmoid or PyTorch's hard sigmoid.
#include "compiler/passes/MatchUtils.h"
#include "compiler/passes/Passes.h"
#include "compiler/passes/Provenance.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace acnn {

#define GEN_PASS_DEF_FUSESQUEEZEEXCITE
#include "compiler/passes/Passes.h.inc"

namespace {

using namespace mlir;

/// The gate function applied to `v`: "sigmoid" or "hard_sigmoid", its input,
/// and, for a hard sigmoid clamp(alpha * z + beta, 0, 1), alpha and beta.
struct Gate {
  StringRef name;
  Value input;
  double alpha = 1.0 / 6.0, beta = 0.5;
};

std::optional<Gate> matchGate(Value v) {
  if (auto sigmoid = v.getDefiningOp<SigmoidOp>())
    return Gate{"sigmoid", sigmoid.getInput()};
  auto [f, source] = clampedAffineSource(v);
  if (source != v && f.scale > 0 && std::abs(f.lo) < 1e-6 && std::abs(f.hi - 1) < 1e-6)
    return Gate{"hard_sigmoid", source, f.scale, f.shift};
  return std::nullopt;
}

struct SqueezeExcitePattern : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp mul, PatternRewriter &rw) const override {
    for (auto [x, g] : {std::pair(mul.getLhs(), mul.getRhs()),
                        std::pair(mul.getRhs(), mul.getLhs())}) {
      // Some exporters broadcast the gate to the map's shape explicitly.
      if (auto expand = g.getDefiningOp<ExpandOp>())
        g = expand.getInput();
      ArrayRef<int64_t> map = shapeOf(x), gateShape = shapeOf(g);
      // x is the map [N, C, ...]; g is [N, C, 1, ...].
      if (map.size() < 3 || x.getType() != mul.getType() || gateShape.size() != map.size() ||
          gateShape.take_front(2) != map.take_front(2) ||
          llvm::any_of(gateShape.drop_front(2), [](int64_t d) { return d != 1; }))
        continue;
      std::optional<Gate> gate = matchGate(skipUnitReshapes(g));
      if (!gate)
        continue;
      std::optional<DenseLayer> fc2 = matchDenseLayer(skipUnitReshapes(gate->input));
      if (!fc2 || fc2->activation != "none")
        continue;
      auto [activation, hidden] = peelActivation(skipUnitReshapes(fc2->input));
      std::optional<DenseLayer> fc1 = matchDenseLayer(skipUnitReshapes(hidden));
      if (!fc1)
        continue;
      if (activation == "none")
        activation = fc1->activation;
      else if (fc1->activation != "none")
        continue;
      if (globalPoolSource(skipUnitReshapes(fc1->input), /*max=*/false) != x)
        continue;

      auto [reduced, channels] = fc1->outIn();
      if (channels != map[1] || fc2->outIn() != std::pair(map[1], reduced))
        continue;
      Location loc = mul.getLoc();
      auto [w1, b1] = fc1->weightAndBias(rw, loc);
      auto [w2, b2] = fc2->weightAndBias(rw, loc);
      if (gate->name == "hard_sigmoid" && (std::abs(gate->alpha - 1.0 / 6.0) > 1e-7 ||
                                           std::abs(gate->beta - 0.5) > 1e-7)) {
        // clamp(alpha z + beta, 0, 1) = clamp(z' / 6 + 1/2, 0, 1) for
        // z' = 6 alpha z + 6 (beta - 1/2): fc2 scaled, as the op's gate takes.
        auto scalar = [&](double c) -> Value {
          return ConstantOp::create(
              rw, loc, DenseElementsAttr::get(f32Tensor(rw.getContext(), {1}), float(c)));
        };
        w2 = MulOp::create(rw, loc, w2, scalar(6 * gate->alpha));
        b2 = AddOp::create(rw, loc, MulOp::create(rw, loc, b2, scalar(6 * gate->alpha)),
                           scalar(6 * (gate->beta - 0.5)));
      }
      rw.replaceOp(mul, SqueezeExciteOp::create(rw, fusedLoc(mul, opsBetween(mul, x)), x, w1, b1,
                                                w2, b2, activation, gate->name));
      return success();
    }
    return rw.notifyMatchFailure(mul, "not a squeeze-and-excitation gate");
  }
};

struct FuseSqueezeExcite : impl::FuseSqueezeExciteBase<FuseSqueezeExcite> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<SqueezeExcitePattern>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace acnn
