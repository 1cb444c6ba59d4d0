// acnn.grid_sample → a linalg.generic over the result [N, C, Ho, Wo]: each
// point's (x, y) read from the grid, the input read at the pixels around it
// (tensor.extract at indices clamped into the input; a pixel outside counts
// as 0 with "zeros" padding).
#include "compiler/lowering/AcnnToLinalgPatterns.h"
#include "compiler/lowering/LinalgBuilders.h"
#include "dialects/acnn/AcnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace acnn {

namespace {

struct GridSampleToLinalg : OpConversionPattern<GridSampleOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(GridSampleOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = llvm::cast<RankedTensorType>(op.getType());
    Value input = adaptor.getInput();
    const double h = static_cast<double>(shapeOf(input)[2]),
                 w = static_cast<double>(shapeOf(input)[3]);
    const bool corners = op.getAlignCorners(), border = op.getPaddingMode() == "border",
               nearest = op.getMode() == "nearest";
    MLIRContext *ctx = getContext();
    auto coordinate = [&](int64_t k) {
      AffineExpr n = getAffineDimExpr(0, ctx), i = getAffineDimExpr(2, ctx),
                 j = getAffineDimExpr(3, ctx);
      return AffineMap::get(4, 0, {n, i, j, getAffineConstantExpr(k, ctx)}, ctx);
    };
    Value grid = adaptor.getGrid();
    Value result = buildParallel(
        rewriter, op.getLoc(), type, ValueRange{grid, grid}, {coordinate(0), coordinate(1)},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          ScalarBuilder s{b, l};
          // -1..1 to pixels: the outer pixels' centres with align_corners,
          // their outer edges without; "border" clamps to the edge.
          auto unnormalize = [&](Value g, double size) {
            Value p = corners ? s.mul(s.add(g, s.constant(1)), s.constant((size - 1) / 2))
                              : s.sub(s.mul(s.add(g, s.constant(1)), s.constant(size / 2)),
                                      s.constant(0.5));
            return border ? s.clamp(p, 0, size - 1) : p;
          };
          Value px = unnormalize(a[0], w), py = unnormalize(a[1], h);
          Value n = linalg::IndexOp::create(b, l, 0), c = linalg::IndexOp::create(b, l, 1);
          // The pixel at integral (fy, fx), 0 outside the input (and at a NaN
          // point). The index is clamped with NaN-ignoring min and max, so
          // any point reads inside the input.
          auto pixel = [&](Value fy, Value fx) -> Value {
            auto index = [&](Value f, double size) {
              Value clamped = arith::MinNumFOp::create(
                  b, l, arith::MaxNumFOp::create(b, l, f, s.constant(0)), s.constant(size - 1));
              Value i64 = arith::FPToSIOp::create(b, l, b.getI64Type(), clamped);
              return arith::IndexCastOp::create(b, l, b.getIndexType(), i64).getResult();
            };
            Value v = tensor::ExtractOp::create(b, l, input,
                                                ValueRange{n, c, index(fy, h), index(fx, w)});
            auto within = [&](Value f, double size) {
              Value lo = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, f, s.constant(0));
              Value hi =
                  arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLE, f, s.constant(size - 1));
              return arith::AndIOp::create(b, l, lo, hi).getResult();
            };
            Value inside = arith::AndIOp::create(b, l, within(fy, h), within(fx, w));
            return arith::SelectOp::create(b, l, inside, v, s.constant(0));
          };
          if (nearest)
            return pixel(math::RoundEvenOp::create(b, l, py), math::RoundEvenOp::create(b, l, px));
          Value x0 = math::FloorOp::create(b, l, px), y0 = math::FloorOp::create(b, l, py);
          Value x1 = s.add(x0, s.constant(1)), y1 = s.add(y0, s.constant(1));
          Value ax = s.sub(px, x0), ay = s.sub(py, y0);
          Value bx = s.sub(s.constant(1), ax), by = s.sub(s.constant(1), ay);
          Value top = s.add(s.mul(bx, pixel(y0, x0)), s.mul(ax, pixel(y0, x1)));
          Value bottom = s.add(s.mul(bx, pixel(y1, x0)), s.mul(ax, pixel(y1, x1)));
          return s.add(s.mul(by, top), s.mul(ay, bottom));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateSamplingToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<GridSampleToLinalg>(patterns.getContext());
}

} // namespace acnn
