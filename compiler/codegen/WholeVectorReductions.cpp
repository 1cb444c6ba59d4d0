#include "compiler/codegen/WholeVectorReductions.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace acnn {

using namespace mlir;

namespace {

/// multi_reduction(source, acc) with one result element ->
/// broadcast(reduction(shape_cast(source), extract(acc)) reassoc).
struct WholeVectorReductionToTree : OpRewritePattern<vector::MultiDimReductionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::MultiDimReductionOp op,
                                PatternRewriter &rewriter) const override {
    VectorType source = op.getSourceVectorType();
    auto result = dyn_cast<VectorType>(op.getDestType());
    // A masked reduction keeps its mask's lowering; 2 or 3 elements gain
    // nothing from a tree.
    if (source.isScalable() || source.getNumElements() < 4 ||
        !isa<FloatType>(source.getElementType()) || (result && result.getNumElements() != 1) ||
        isa<vector::MaskOp>(op->getParentOp()))
      return failure();
    Location loc = op.getLoc();
    Value flat = vector::ShapeCastOp::create(
        rewriter, loc, VectorType::get({source.getNumElements()}, source.getElementType()),
        op.getSource());
    Value acc = op.getAcc();
    if (result)
      acc = vector::ExtractOp::create(rewriter, loc, acc,
                                      SmallVector<int64_t>(result.getRank(), 0));
    Value reduced = vector::ReductionOp::create(rewriter, loc, op.getKind(), flat, acc,
                                                arith::FastMathFlags::reassoc);
    if (result)
      reduced = vector::BroadcastOp::create(rewriter, loc, result, reduced);
    rewriter.replaceOp(op, reduced);
    return success();
  }
};

} // namespace

void populateWholeVectorReductionPatterns(RewritePatternSet &patterns) {
  patterns.add<WholeVectorReductionToTree>(patterns.getContext());
}

} // namespace acnn
