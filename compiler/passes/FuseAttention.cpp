// acnn-fuse-attention: scaled dot-product attention spelled out as matmul,
// scale, optional bias or mask, softmax and matmul becomes acnn.attention,
// which lowers to a streaming loop that never holds the M x N scores.
//
//   softmax(q k^T * scale + bias) v         (ViT, MHSA; also bias before scale;
//                                            Swin's window mask added to a view)
//   softmax(theta^T phi) g                  (non-local, embedded Gaussian)
//   v' softmax(q^T k)^T                     (BoTNet: values as [E, N], output as [E, M])
//
// The reshapes and transposes that split heads stay outside: heads are batch
// axes of the fused op.
#include "compiler/passes/MatchUtils.h"
#include "compiler/passes/Passes.h"
#include "compiler/passes/Provenance.h"
#include "dialects/acnn/ShapeUtils.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace acnn {

#define GEN_PASS_DEF_FUSEATTENTION
#include "compiler/passes/Passes.h.inc"

namespace {

using namespace mlir;

/// The permutation that swaps the last two of `rank` axes.
SmallVector<int64_t> swapLastTwo(int64_t rank) {
  SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  std::swap(perm[rank - 1], perm[rank - 2]);
  return perm;
}

/// If `v` is a transpose swapping its last two axes, its input.
Value untransposed(Value v) {
  auto t = v.getDefiningOp<TransposeOp>();
  if (t && t.getPerm() == ArrayRef<int64_t>(swapLastTwo(shapeOf(v).size())))
    return t.getInput();
  return nullptr;
}

/// `v` with its last two axes swapped: the transpose's input when `v` is
/// such a transpose, otherwise a new transpose.
Value swapped(PatternRewriter &rw, Location loc, Value v) {
  if (Value inner = untransposed(v))
    return inner;
  return TransposeOp::create(rw, loc, v, swapLastTwo(shapeOf(v).size()));
}

struct AttentionPattern : OpRewritePattern<SoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SoftmaxOp softmax, PatternRewriter &rw) const override {
    const int64_t rank = shapeOf(softmax).size();
    if (rank < 2 || normalizeAxis(softmax.getAxis(), rank) != std::optional<int64_t>(rank - 1) ||
        !softmax->hasOneUse())
      return rw.notifyMatchFailure(softmax, "not a softmax over the last axis, used once");

    // Walk up from the softmax: bias adds and a scalar scale, then q * k^T.
    // Reshapes that keep the last two axes may come between (Swin's shifted
    // windows add their mask to a [B / W, W, heads, M, N] view of the scores).
    struct Bias {
      Value value;
      SmallVector<int64_t> shape; // the scores' shape where it is added
      bool scaled;                // added before the scale
    };
    SmallVector<Bias> biases;
    Value scores = softmax.getInput();
    double scale = 1.0;
    bool scaled = false;
    MatmulOp qk;
    for (int step = 0; step < 6 && !qk; ++step) {
      if (!scores.hasOneUse())
        break;
      Operation *op = scores.getDefiningOp();
      if (auto matmul = dyn_cast_if_present<MatmulOp>(op)) {
        qk = matmul;
      } else if (auto mul = dyn_cast_if_present<MulOp>(op); mul && !scaled) {
        std::optional<double> s = scalarConstant(mul.getRhs());
        Value other = mul.getLhs();
        if (!s) {
          s = scalarConstant(mul.getLhs());
          other = mul.getRhs();
        }
        if (!s || shapeOf(other) != shapeOf(mul))
          break;
        scale = *s;
        scaled = true;
        scores = other;
      } else if (auto div = dyn_cast_if_present<DivOp>(op); div && !scaled) {
        std::optional<double> s = scalarConstant(div.getRhs());
        if (!s || *s == 0.0 || shapeOf(div.getLhs()) != shapeOf(div))
          break;
        scale = 1.0 / *s;
        scaled = true;
        scores = div.getLhs();
      } else if (auto add = dyn_cast_if_present<AddOp>(op); add && biases.size() < 2) {
        // Walking up, a bias met after the scale was added before it, so
        // the scale applies to it too (the fused op adds its bias after
        // scaling).
        Value s = add.getLhs(), b = add.getRhs();
        if (shapeOf(s) != shapeOf(add))
          std::swap(s, b);
        if (shapeOf(s) != shapeOf(add) || !s.getDefiningOp() ||
            (!isa<MatmulOp, MulOp, DivOp, AddOp, ReshapeOp>(s.getDefiningOp())))
          break;
        biases.push_back({b, llvm::to_vector(shapeOf(add)), scaled});
        scores = s;
      } else if (auto reshape = dyn_cast_if_present<ReshapeOp>(op)) {
        ArrayRef<int64_t> in = shapeOf(reshape.getInput()), out = shapeOf(reshape);
        if (in.size() < 2 || out.size() < 2 || in.take_back(2) != out.take_back(2))
          break;
        scores = reshape.getInput();
      } else {
        break;
      }
    }
    if (qk && shapeOf(qk) != shapeOf(softmax))
      return rw.notifyMatchFailure(softmax,
                                   "the reshapes between scores and softmax do not cancel");
    if (!qk || qk.getResidual() || qk.getActivation() != "none")
      return rw.notifyMatchFailure(softmax, "scores are not a plain matmul");

    // The consumer: p * v, or v' * p^T.
    Operation *user = *softmax->getUsers().begin();
    Value query = qk.getLhs(), keyT = qk.getRhs(), value;
    Operation *root = nullptr;
    bool outputTransposed = false;
    if (auto pv = dyn_cast<MatmulOp>(user); pv && pv.getLhs() == softmax.getResult()) {
      value = pv.getRhs();
      root = pv;
    } else if (auto t = dyn_cast<TransposeOp>(user);
               t && untransposed(t.getResult()) == softmax.getResult() && t->hasOneUse()) {
      auto vp = dyn_cast<MatmulOp>(*t->getUsers().begin());
      if (vp && vp.getRhs() == t.getResult()) {
        value = vp.getLhs(); // [..., E, N]
        root = vp;
        outputTransposed = true;
      }
    }
    if (!root || cast<MatmulOp>(root).getResidual() ||
        cast<MatmulOp>(root).getActivation() != "none")
      return rw.notifyMatchFailure(softmax, "softmax output is not multiplied by values");
    // q, k^T and v must share batch axes exactly (no broadcasting).
    ArrayRef<int64_t> q = shapeOf(query), kt = shapeOf(keyT), v = shapeOf(value);
    if (q.size() != size_t(rank) || kt.size() != size_t(rank) || v.size() != size_t(rank) ||
        q.drop_back(2) != kt.drop_back(2) || q.drop_back(2) != v.drop_back(2))
      return rw.notifyMatchFailure(softmax, "query, key and value batch axes differ");

    // The values may be computed after the softmax (DANet's position
    // attention): build at the root, which all of q, k, v and the bias dominate.
    rw.setInsertionPoint(root);
    Location loc = softmax.getLoc();
    // One bias in the scores' shape: each broadcast to the view it was added
    // to and reshaped back when that was another, scaled if added before the
    // scale, then summed.
    Value bias;
    for (const Bias &b : biases) {
      Value v = b.value;
      if (ArrayRef<int64_t>(b.shape) != shapeOf(softmax))
        v = ReshapeOp::create(rw, loc, softmax.getType(), ExpandOp::create(rw, loc, v, b.shape));
      if (b.scaled)
        v = MulOp::create(
            rw, loc, v,
            ConstantOp::create(
                rw, loc, DenseElementsAttr::get(f32Tensor(rw.getContext(), {}), float(scale))));
      bias = bias ? AddOp::create(rw, loc, bias, v).getResult() : v;
    }
    Value key = swapped(rw, loc, keyT);
    Value values = outputTransposed ? swapped(rw, loc, value) : value;
    SmallVector<Value> inputs = {query, keyT, value};
    for (const Bias &b : biases)
      inputs.push_back(b.value);
    Location fused = fusedLoc(softmax, opsBetween(root, inputs));
    Value attention =
        AttentionOp::create(rw, fused, query, key, values, bias, rw.getF32FloatAttr(float(scale)));
    Value result = outputTransposed ? swapped(rw, loc, attention) : attention;
    rw.replaceOp(root, result);
    return success();
  }
};

struct FuseAttention : impl::FuseAttentionBase<FuseAttention> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<AttentionPattern>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace acnn
