// matmul and linear → linalg.matmul / linalg.batch_matmul on operands
// reshaped to 2-D / 3-D, or a contraction generic when batch axes broadcast.
#include "compiler/lowering/AcnnToLinalgPatterns.h"
#include "compiler/lowering/LinalgBuilders.h"
#include "dialects/acnn/AcnnOps.h"
#include "dialects/acnn/ShapeUtils.h"

#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace acnn {

namespace {

/// out[b..., m, n] += lhs[b..., m, k] * rhs[b..., k, n], each operand's batch
/// axes read NumPy-style (missing or 1 means shared along that batch axis).
Value broadcastContraction(OpBuilder &b, Location loc, Value lhs, Value rhs,
                           ArrayRef<int64_t> outShape) {
  const unsigned batchRank = outShape.size() - 2, loops = outShape.size() + 1;
  AffineExpr m = b.getAffineDimExpr(batchRank), n = b.getAffineDimExpr(batchRank + 1),
             k = b.getAffineDimExpr(batchRank + 2);
  // Broadcast an operand over [batch..., its own two axes], then move those
  // two axes onto the loops they take in the contraction.
  auto operand = [&](Value v, AffineExpr rowLoop, AffineExpr colLoop) {
    SmallVector<int64_t> space(outShape.drop_back(2));
    llvm::append_range(space, shapeOf(v).take_back(2));
    BroadcastOperand broadcast = broadcastOperand(b, loc, v, space);
    SmallVector<AffineExpr> loopOf;
    for (unsigned d = 0; d < batchRank; ++d)
      loopOf.push_back(b.getAffineDimExpr(d));
    loopOf.append({rowLoop, colLoop});
    broadcast.map = broadcast.map.replaceDimsAndSymbols(loopOf, {}, loops, 0);
    return broadcast;
  };
  BroadcastOperand a = operand(lhs, m, k), c = operand(rhs, k, n);
  SmallVector<int64_t> loopShape(outShape);
  loopShape.push_back(shapeOf(lhs).back());
  SmallVector<bool> reduced(loops, false);
  reduced.back() = true;
  return buildReduction(b, loc, loopShape, reduced, ValueRange{a.value, c.value}, {a.map, c.map},
                        0.0, [](OpBuilder &nb, Location l, ValueRange x) {
                          ScalarBuilder s{nb, l};
                          return s.add(x[2], s.mul(x[0], x[1]));
                        });
}

/// The epilogue of a matmul computed on its [rows, n] result, then the
/// result reshaped to `shape`: the element-wise consumer then reads the matmul
/// itself, so acnn-group-epilogues puts both in one kernel. A residual of
/// another shape (broadcast) is added after the reshape.
Value epilogueOnRows(OpBuilder &b, Location loc, Value rows, ArrayRef<int64_t> shape,
                     Value residual, StringRef activation) {
  if (!residual || shapeOf(residual) == shape) {
    if (residual)
      residual = reshapeTo(b, loc, residual, shapeOf(rows));
    return reshapeTo(b, loc, buildEpilogue(b, loc, rows, residual, activation), shape);
  }
  return buildEpilogue(b, loc, reshapeTo(b, loc, rows, shape), residual, activation);
}

struct MatmulToLinalg : OpConversionPattern<MatmulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(MatmulOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    ArrayRef<int64_t> out = op.getType().getShape();
    ArrayRef<int64_t> batch = out.drop_back(2);
    const int64_t m = out[out.size() - 2], n = out.back(), k = shapeOf(lhs).back();
    ArrayRef<int64_t> lhsBatch = shapeOf(lhs).drop_back(2), rhsBatch = shapeOf(rhs).drop_back(2);

    Value result;
    if (product(rhsBatch) == 1) {
      // One rhs matrix for the whole batch: stack the lhs rows into one matmul.
      const int64_t rows = product(batch) * m;
      Value init = filledTensor(rewriter, loc, {rows, n}, 0.0);
      result = linalg::MatmulOp::create(rewriter, loc, TypeRange{init.getType()},
                                        ValueRange{reshapeTo(rewriter, loc, lhs, {rows, k}),
                                                   reshapeTo(rewriter, loc, rhs, {k, n})},
                                        ValueRange{init})
                   .getResult(0);
      rewriter.replaceOp(op, epilogueOnRows(rewriter, loc, result, out, adaptor.getResidual(),
                                            op.getActivation()));
      return success();
    } else if (lhsBatch == batch && rhsBatch == batch) {
      const int64_t count = product(batch);
      Value init = filledTensor(rewriter, loc, {count, m, n}, 0.0);
      result =
          linalg::BatchMatmulOp::create(rewriter, loc, TypeRange{init.getType()},
                                        ValueRange{reshapeTo(rewriter, loc, lhs, {count, m, k}),
                                                   reshapeTo(rewriter, loc, rhs, {count, k, n})},
                                        ValueRange{init})
              .getResult(0);
    } else {
      result = broadcastContraction(rewriter, loc, lhs, rhs, out);
    }
    rewriter.replaceOp(op, buildEpilogue(rewriter, loc, reshapeTo(rewriter, loc, result, out),
                                         adaptor.getResidual(), op.getActivation()));
    return success();
  }
};

/// x[..., K] * weight[N, K]^T + bias: a matmul with a transposed rhs map on
/// the rows of x, accumulating onto the broadcast bias.
struct LinearToLinalg : OpConversionPattern<LinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(LinearOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ArrayRef<int64_t> x = shapeOf(adaptor.getInput()), w = shapeOf(adaptor.getWeight());
    const int64_t rows = product(x.drop_back());
    Value init = accumulatorInit(rewriter, loc, adaptor.getBias(), {rows, w[0]}, {0});
    Value matmul = linalg::MatmulTransposeBOp::create(
                       rewriter, loc, TypeRange{init.getType()},
                       ValueRange{reshapeTo(rewriter, loc, adaptor.getInput(), {rows, w[1]}),
                                  adaptor.getWeight()},
                       ValueRange{init})
                       .getResult(0);
    rewriter.replaceOp(op, epilogueOnRows(rewriter, loc, matmul, op.getType().getShape(),
                                          adaptor.getResidual(), op.getActivation()));
    return success();
  }
};

} // namespace

void populateMatmulToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<MatmulToLinalg, LinearToLinalg>(patterns.getContext());
}

} // namespace acnn
