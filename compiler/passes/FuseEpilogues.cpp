// acnn-fuse-epilogues: the element-wise ops after a conv, linear or matmul
// become that op's epilogue, so the result is written once instead of once
// per element-wise op.
#include "compiler/passes/MatchUtils.h"
#include "compiler/passes/Passes.h"
#include "compiler/passes/Provenance.h"
#include "dialects/acnn/AcnnOps.h"
#include "dialects/acnn/ShapeUtils.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace acnn {

#define GEN_PASS_DEF_FUSEEPILOGUES
#include "compiler/passes/Passes.h.inc"

namespace {

using namespace mlir;

RankedTensorType f32(PatternRewriter &rw, ArrayRef<int64_t> shape) {
  return RankedTensorType::get(shape, rw.getF32Type());
}

/// A conv2d, linear or matmul whose epilogue is still empty and whose result
/// only `user` reads, so its epilogue can take `user` in.
Operation *producerWithEmptyEpilogue(Value v, Operation *user) {
  Operation *op = v.getDefiningOp();
  if (!op || !v.hasOneUse())
    return nullptr;
  auto empty = [](auto p) { return !p.getResidual() && p.getActivation() == "none"; };
  if (auto conv = dyn_cast<Conv2dOp>(op))
    return empty(conv) ? op : nullptr;
  if (auto linear = dyn_cast<LinearOp>(op))
    return empty(linear) ? op : nullptr;
  if (auto matmul = dyn_cast<MatmulOp>(op))
    return empty(matmul) ? op : nullptr;
  return nullptr;
}

/// The axis a per-channel operand of `op`'s result varies along: C of a
/// conv's NCHW result, the last axis of a linear's.
int64_t channelAxis(Operation *op) {
  return isa<Conv2dOp>(op) ? 1 : cast<RankedTensorType>(op->getResult(0).getType()).getRank() - 1;
}

/// A constant that broadcasts onto `op`'s result with at most the channel
/// axis not 1, as a [channels] vector (expanded if it was a scalar).
Value perChannelConstant(PatternRewriter &rw, Operation *op, Value c) {
  if (!matchPattern(c, m_Constant()) || isa<MatmulOp>(op))
    return nullptr;
  ArrayRef<int64_t> result = shapeOf(op->getResult(0)), shape = shapeOf(c);
  if (shape.size() > result.size())
    return nullptr;
  const int64_t axis = channelAxis(op), channels = result[axis];
  const size_t lead = result.size() - shape.size();
  int64_t extent = 1;
  for (auto [i, d] : llvm::enumerate(shape)) {
    if (d == 1)
      continue;
    if (int64_t(lead + i) != axis || d != channels)
      return nullptr;
    extent = d;
  }
  Location loc = c.getLoc();
  Value flat = shape == ArrayRef<int64_t>{extent}
                   ? c
                   : Value(ReshapeOp::create(rw, loc, f32(rw, {extent}), c));
  if (extent == channels)
    return flat;
  return ExpandOp::create(rw, loc, flat, ArrayRef<int64_t>{channels});
}

Value biasOf(Operation *op) {
  if (auto conv = dyn_cast<Conv2dOp>(op))
    return conv.getBias();
  return cast<LinearOp>(op).getBias();
}

/// add(p, c) with a per-channel constant c: c joins p's bias.
struct AddIntoBias : OpRewritePattern<AddOp> {
  AddIntoBias(MLIRContext *ctx) : OpRewritePattern(ctx, /*benefit=*/2) {}
  LogicalResult matchAndRewrite(AddOp add, PatternRewriter &rw) const override {
    for (auto [value, other] : {std::pair(add.getLhs(), add.getRhs()),
                                std::pair(add.getRhs(), add.getLhs())}) {
      Operation *p = producerWithEmptyEpilogue(value, add);
      if (!p || isa<MatmulOp>(p) || shapeOf(add) != shapeOf(value))
        continue;
      rw.setInsertionPoint(add);
      Value shift = perChannelConstant(rw, p, other);
      if (!shift)
        continue;
      Value bias = biasOf(p);
      Value combined = bias ? Value(AddOp::create(rw, add.getLoc(), bias, shift)) : shift;
      rw.modifyOpInPlace(p, [&] {
        p->moveBefore(add);
        p->setLoc(fusedLoc(p, {add}));
        if (auto conv = dyn_cast<Conv2dOp>(p))
          conv.getBiasMutable().assign(combined);
        else
          cast<LinearOp>(p).getBiasMutable().assign(combined);
      });
      rw.replaceOp(add, p->getResult(0));
      return success();
    }
    return rw.notifyMatchFailure(add, "no conv or linear adding a per-channel constant");
  }
};

/// mul(p, c) with a per-channel constant c: c scales p's filters and bias.
struct MulIntoWeights : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp mul, PatternRewriter &rw) const override {
    for (auto [value, other] : {std::pair(mul.getLhs(), mul.getRhs()),
                                std::pair(mul.getRhs(), mul.getLhs())}) {
      Operation *p = producerWithEmptyEpilogue(value, mul);
      if (!p || isa<MatmulOp>(p) || shapeOf(mul) != shapeOf(value))
        continue;
      rw.setInsertionPoint(mul);
      Value scale = perChannelConstant(rw, p, other);
      if (!scale)
        continue;
      Location loc = mul.getLoc();
      Value weight = p->getOperand(1);
      SmallVector<int64_t> along(shapeOf(weight).size(), 1);
      along[0] = shapeOf(scale)[0];
      Value scaledWeight =
          MulOp::create(rw, loc, weight, ReshapeOp::create(rw, loc, f32(rw, along), scale));
      Value bias = biasOf(p);
      Value scaledBias = bias ? Value(MulOp::create(rw, loc, bias, scale)) : Value();
      rw.modifyOpInPlace(p, [&] {
        p->moveBefore(mul);
        p->setLoc(fusedLoc(p, {mul}));
        p->setOperand(1, scaledWeight);
        if (scaledBias)
          p->setOperand(2, scaledBias);
      });
      rw.replaceOp(mul, p->getResult(0));
      return success();
    }
    return rw.notifyMatchFailure(mul, "no conv or linear scaled by a per-channel constant");
  }
};

/// add(p, r) with any r that broadcasts to p's result: r is p's residual.
struct AddAsResidual : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp add, PatternRewriter &rw) const override {
    for (auto [value, other] : {std::pair(add.getLhs(), add.getRhs()),
                                std::pair(add.getRhs(), add.getLhs())}) {
      Operation *p = producerWithEmptyEpilogue(value, add);
      if (!p || shapeOf(add) != shapeOf(value))
        continue;
      Value residual = other;
      rw.modifyOpInPlace(p, [&] {
        p->moveBefore(add);
        p->setLoc(fusedLoc(p, {add}));
        if (auto conv = dyn_cast<Conv2dOp>(p))
          conv.getResidualMutable().assign(residual);
        else if (auto linear = dyn_cast<LinearOp>(p))
          linear.getResidualMutable().assign(residual);
        else
          cast<MatmulOp>(p).getResidualMutable().assign(residual);
      });
      rw.replaceOp(add, p->getResult(0));
      return success();
    }
    return rw.notifyMatchFailure(add, "no conv, linear or matmul operand to take the add");
  }
};

/// act(p), or act(reshape(p)): the activation ends p's epilogue. Element-wise,
/// it commutes with the reshape (ONNX Runtime's optimizer makes a MatMul and
/// its bias a 2-D Gemm between reshapes, and the GELU follows the reshape).
struct ActivationIntoEpilogue : RewritePattern {
  ActivationIntoEpilogue(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}
  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rw) const override {
    StringRef activation = activationName(op);
    if (activation.empty())
      return failure();
    Value result = op->getOperand(0), input = result;
    if (auto reshape = input.getDefiningOp<ReshapeOp>(); reshape && input.hasOneUse())
      input = reshape.getInput();
    Operation *p = input.getDefiningOp();
    if (!p || !input.hasOneUse())
      return failure();
    auto setIfNone = [&](auto producer) -> LogicalResult {
      if (producer.getActivation() != "none")
        return failure();
      rw.modifyOpInPlace(producer, [&] {
        producer->setLoc(fusedLoc(producer, {op}));
        producer.setActivation(activation);
      });
      rw.replaceOp(op, result);
      return success();
    };
    if (auto conv = dyn_cast<Conv2dOp>(p))
      return setIfNone(conv);
    if (auto linear = dyn_cast<LinearOp>(p))
      return setIfNone(linear);
    if (auto matmul = dyn_cast<MatmulOp>(p))
      return setIfNone(matmul);
    return failure();
  }
};

/// matmul(x, W) with a constant 2-D W is linear(x, W^T): the form whose
/// bias and per-channel scale fold into weights.
struct ConstantMatmulToLinear : OpRewritePattern<MatmulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MatmulOp matmul, PatternRewriter &rw) const override {
    Value w = matmul.getRhs();
    if (!matchPattern(w, m_Constant()) || shapeOf(w).size() != 2 || matmul.getResidual() ||
        matmul.getActivation() != "none")
      return rw.notifyMatchFailure(matmul, "rhs is not a constant matrix");
    Location loc = matmul.getLoc();
    Value wt = TransposeOp::create(rw, loc, w, ArrayRef<int64_t>{1, 0});
    // Its location records that it was a matmul (Provenance.h).
    rw.replaceOp(matmul, LinearOp::create(rw, fusedLoc(matmul, {}), matmul.getLhs(), wt, Value()));
    return success();
  }
};

struct FuseEpilogues : impl::FuseEpiloguesBase<FuseEpilogues> {
  void runOnOperation() override {
    // Matmuls by weights become linear first, so that their bias folds
    // into the bias operand rather than taking the residual slot.
    RewritePatternSet toLinear(&getContext());
    toLinear.add<ConstantMatmulToLinear>(&getContext());
    RewritePatternSet patterns(&getContext());
    patterns.add<AddIntoBias, MulIntoWeights, AddAsResidual, ActivationIntoEpilogue>(
        &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(toLinear))) ||
        failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace acnn
