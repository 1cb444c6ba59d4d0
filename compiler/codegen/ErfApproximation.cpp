#include "compiler/codegen/ErfApproximation.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;

namespace acnn {
namespace {

// The coefficients of the minimax rational approximation that Eigen and XLA
// use for f32 erf: erf(x) ~ x * P(x^2) / Q(x^2), lowest degree first.
constexpr double kNumerator[] = {
    -1.60960333262415e-02, -2.95459980854025e-03, -7.34990630326855e-04, -5.69250639462346e-05,
    -2.10102402082508e-06, 2.77068142495902e-08,  -2.72614225801306e-10};
constexpr double kDenominator[] = {-1.42647390514189e-02, -7.37332916720468e-03,
                                   -1.68282697438203e-03, -2.13374055278905e-04,
                                   -1.45660718464996e-05};

struct ErfAsRational : OpRewritePattern<math::ErfOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(math::ErfOp op, PatternRewriter &rewriter) const override {
    Type type = op.getType();
    if (!getElementTypeOrSelf(type).isF32())
      return rewriter.notifyMatchFailure(op, "not f32");
    Location loc = op.getLoc();
    auto constant = [&](double value) -> Value {
      TypedAttr attr = rewriter.getF32FloatAttr(static_cast<float>(value));
      if (auto vector = dyn_cast<VectorType>(type))
        attr = DenseElementsAttr::get(vector, attr);
      return arith::ConstantOp::create(rewriter, loc, attr);
    };
    // Clamped as compare and select, unordered: a NaN stays NaN, and x86
    // takes the pair as one max (or min) instruction.
    auto bound = [&](arith::CmpFPredicate keep, Value x, double limit) -> Value {
      Value b = constant(limit);
      Value inside = arith::CmpFOp::create(rewriter, loc, keep, x, b);
      return arith::SelectOp::create(rewriter, loc, inside, x, b);
    };
    Value x = bound(arith::CmpFPredicate::UGE, op.getOperand(), -4.0);
    x = bound(arith::CmpFPredicate::ULE, x, 4.0);
    Value x2 = arith::MulFOp::create(rewriter, loc, x, x);
    // Horner's rule in x^2, highest coefficient first.
    auto polynomial = [&](ArrayRef<double> coefficients) {
      Value p = constant(coefficients.back());
      for (double c : llvm::reverse(coefficients.drop_back()))
        p = math::FmaOp::create(rewriter, loc, p, x2, constant(c));
      return p;
    };
    Value numerator = arith::MulFOp::create(rewriter, loc, x, polynomial(kNumerator));
    Value denominator = polynomial(kDenominator);
    rewriter.replaceOpWithNewOp<arith::DivFOp>(op, numerator, denominator);
    return success();
  }
};

} // namespace

void populateErfApproximationPatterns(RewritePatternSet &patterns) {
  patterns.add<ErfAsRational>(patterns.getContext());
}

} // namespace acnn
