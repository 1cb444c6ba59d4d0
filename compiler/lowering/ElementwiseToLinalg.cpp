// Element-wise acnn ops → one linalg.generic each, with NumPy broadcasting
// maps for the operands. Only the scalar formula differs from op to op.
#include "compiler/lowering/AcnnToLinalgPatterns.h"
#include "compiler/lowering/LinalgBuilders.h"
#include "dialects/acnn/AcnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>

using namespace mlir;

namespace acnn {

namespace {

// `x < 0 ? negative : x`; a NaN x is not below 0, so it passes through.
Value belowZero(const ScalarBuilder &s, Value x, Value negative) {
  Value below = arith::CmpFOp::create(s.b, s.loc, arith::CmpFPredicate::OLT, x, s.constant(0.0));
  return arith::SelectOp::create(s.b, s.loc, below, negative, x);
}

// The scalar formula of each op, given one element of each operand.

Value scalarOf(ReluOp, const ScalarBuilder &s, ValueRange x) {
  return s.max(x[0], s.constant(0.0));
}
Value scalarOf(SigmoidOp, const ScalarBuilder &s, ValueRange x) {
  return activationScalar(s, "sigmoid", x[0]);
}
Value scalarOf(TanhOp, const ScalarBuilder &s, ValueRange x) {
  return math::TanhOp::create(s.b, s.loc, x[0]);
}
Value scalarOf(SiluOp, const ScalarBuilder &s, ValueRange x) {
  return activationScalar(s, "silu", x[0]);
}
Value scalarOf(HardSwishOp, const ScalarBuilder &s, ValueRange x) {
  return activationScalar(s, "hard_swish", x[0]);
}
Value scalarOf(ErfOp, const ScalarBuilder &s, ValueRange x) {
  return math::ErfOp::create(s.b, s.loc, x[0]);
}
Value scalarOf(SqrtOp, const ScalarBuilder &s, ValueRange x) { return s.sqrt(x[0]); }
Value scalarOf(ExpOp, const ScalarBuilder &s, ValueRange x) { return s.exp(x[0]); }
Value scalarOf(NegOp, const ScalarBuilder &s, ValueRange x) {
  return arith::NegFOp::create(s.b, s.loc, x[0]);
}
Value scalarOf(ReciprocalOp, const ScalarBuilder &s, ValueRange x) {
  return s.div(s.constant(1.0), x[0]);
}
Value scalarOf(AbsOp, const ScalarBuilder &s, ValueRange x) {
  return math::AbsFOp::create(s.b, s.loc, x[0]);
}
Value scalarOf(LogOp, const ScalarBuilder &s, ValueRange x) {
  return math::LogOp::create(s.b, s.loc, x[0]);
}
Value scalarOf(SoftplusOp, const ScalarBuilder &s, ValueRange x) {
  // PyTorch's threshold: above 20, log(1 + e^x) is x in f32 (and e^x would overflow sooner).
  Value soft = math::LogOp::create(s.b, s.loc, s.add(s.constant(1.0), s.exp(x[0])));
  Value large = arith::CmpFOp::create(s.b, s.loc, arith::CmpFPredicate::OGT, x[0], s.constant(20.0));
  return arith::SelectOp::create(s.b, s.loc, large, x[0], soft);
}
Value scalarOf(LeakyReluOp op, const ScalarBuilder &s, ValueRange x) {
  return belowZero(s, x[0], s.mul(s.constant(op.getAlpha().convertToFloat()), x[0]));
}
Value scalarOf(EluOp op, const ScalarBuilder &s, ValueRange x) {
  Value expm1 = s.sub(s.exp(x[0]), s.constant(1.0));
  return belowZero(s, x[0], s.mul(s.constant(op.getAlpha().convertToFloat()), expm1));
}
Value scalarOf(GeluOp op, const ScalarBuilder &s, ValueRange x) {
  return activationScalar(s, op.getApproximateTanh() ? "gelu_tanh" : "gelu", x[0]);
}
Value scalarOf(HardSigmoidOp op, const ScalarBuilder &s, ValueRange x) {
  Value affine = s.add(s.mul(s.constant(op.getAlpha().convertToFloat()), x[0]),
                       s.constant(op.getBeta().convertToFloat()));
  return s.clamp(affine, 0.0, 1.0);
}
Value scalarOf(ClipOp op, const ScalarBuilder &s, ValueRange x) {
  return s.clamp(x[0], op.getMin().convertToFloat(), op.getMax().convertToFloat());
}
Value scalarOf(AddOp, const ScalarBuilder &s, ValueRange x) { return s.add(x[0], x[1]); }
Value scalarOf(SubOp, const ScalarBuilder &s, ValueRange x) { return s.sub(x[0], x[1]); }
Value scalarOf(MulOp, const ScalarBuilder &s, ValueRange x) { return s.mul(x[0], x[1]); }
Value scalarOf(DivOp, const ScalarBuilder &s, ValueRange x) { return s.div(x[0], x[1]); }
Value scalarOf(PowOp, const ScalarBuilder &s, ValueRange x) {
  return math::PowFOp::create(s.b, s.loc, x[0], x[1]);
}
Value scalarOf(MaxOp, const ScalarBuilder &s, ValueRange x) { return s.max(x[0], x[1]); }
Value scalarOf(MinOp, const ScalarBuilder &s, ValueRange x) { return s.min(x[0], x[1]); }
Value scalarOf(PReluOp, const ScalarBuilder &s, ValueRange x) {
  return belowZero(s, x[0], s.mul(x[1], x[0]));
}
Value scalarOf(WhereOp, const ScalarBuilder &s, ValueRange x) {
  // Unordered: a NaN condition is non-zero, so it picks on_true.
  Value nonZero =
      arith::CmpFOp::create(s.b, s.loc, arith::CmpFPredicate::UNE, x[0], s.constant(0.0));
  return arith::SelectOp::create(s.b, s.loc, nonZero, x[1], x[2]);
}

template <typename OpTy> struct ElementwiseToGeneric : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = llvm::cast<RankedTensorType>(op.getType());
    Value result = buildBroadcastParallel(rewriter, op.getLoc(), type, adaptor.getOperands(),
                                          [&](OpBuilder &b, Location loc, ValueRange args) {
                                            return scalarOf(op, ScalarBuilder{b, loc}, args);
                                          });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateElementwiseToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<
      ElementwiseToGeneric<ReluOp>, ElementwiseToGeneric<SigmoidOp>, ElementwiseToGeneric<TanhOp>,
      ElementwiseToGeneric<SiluOp>, ElementwiseToGeneric<HardSwishOp>, ElementwiseToGeneric<ErfOp>,
      ElementwiseToGeneric<SqrtOp>, ElementwiseToGeneric<ExpOp>, ElementwiseToGeneric<NegOp>,
      ElementwiseToGeneric<ReciprocalOp>, ElementwiseToGeneric<GeluOp>,
      ElementwiseToGeneric<HardSigmoidOp>, ElementwiseToGeneric<ClipOp>,
      ElementwiseToGeneric<AddOp>, ElementwiseToGeneric<SubOp>, ElementwiseToGeneric<MulOp>,
      ElementwiseToGeneric<DivOp>, ElementwiseToGeneric<PowOp>, ElementwiseToGeneric<MaxOp>,
      ElementwiseToGeneric<MinOp>, ElementwiseToGeneric<WhereOp>, ElementwiseToGeneric<AbsOp>,
      ElementwiseToGeneric<LogOp>, ElementwiseToGeneric<SoftplusOp>,
      ElementwiseToGeneric<LeakyReluOp>, ElementwiseToGeneric<EluOp>,
      ElementwiseToGeneric<PReluOp>>(patterns.getContext());
}

} // namespace acnn
