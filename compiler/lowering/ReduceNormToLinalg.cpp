// Reductions (reduce_*, global pooling) and normalisations (softmax, layer
// norm, batch norm) → reduction and parallel linalg.generic ops. Statistics
// are reduced into tensors without the reduced axes and read back through
// maps that skip them.
#include "compiler/lowering/AcnnToLinalgPatterns.h"
#include "compiler/lowering/LinalgBuilders.h"
#include "dialects/acnn/AcnnOps.h"
#include "dialects/acnn/ShapeUtils.h"

#include "mlir/Transforms/DialectConversion.h"

#include <type_traits>

using namespace mlir;

namespace acnn {

namespace {

enum class Reduction { Sum, Mean, Max };

/// Reduces `input` over the axes marked in `reduced` and reshapes the result
/// to `resultShape` (the kept axes, with or without the reduced ones as 1).
Value reduce(OpBuilder &b, Location loc, Value input, ArrayRef<bool> reduced, Reduction kind,
             ArrayRef<int64_t> resultShape) {
  ArrayRef<int64_t> shape = llvm::cast<RankedTensorType>(input.getType()).getShape();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(shape.size(), b.getContext());
  const bool isMax = kind == Reduction::Max;
  Value acc = buildReduction(b, loc, shape, reduced, input, identity, isMax ? kLowest : 0.0,
                             [&](OpBuilder &nb, Location l, ValueRange x) {
                               ScalarBuilder s{nb, l};
                               return isMax ? s.max(x[1], x[0]) : s.add(x[1], x[0]);
                             });
  if (kind == Reduction::Mean) {
    int64_t count = 1;
    for (auto [extent, isReduced] : llvm::zip_equal(shape, reduced))
      count *= isReduced ? extent : 1;
    acc = divideBy(b, loc, acc, double(count));
  }
  return reshapeTo(b, loc, acc, resultShape);
}

/// A mask over `rank` axes, set from `first` on.
SmallVector<bool> trailingAxes(int64_t rank, int64_t first) {
  SmallVector<bool> mask(rank, false);
  std::fill(mask.begin() + first, mask.end(), true);
  return mask;
}

/// The axes a reduction op reduces: its `axes`, or for global pooling every
/// axis after N and C.
template <typename OpTy> SmallVector<bool> reducedAxes(OpTy op) {
  const int64_t rank = op.getInput().getType().getRank();
  if constexpr (std::is_same_v<OpTy, GlobalAvgPoolOp> || std::is_same_v<OpTy, GlobalMaxPoolOp>) {
    return trailingAxes(rank, 2);
  } else {
    SmallVector<bool> mask(rank, false);
    for (int64_t axis : op.getAxes())
      mask[*normalizeAxis(axis, rank)] = true;
    return mask;
  }
}

template <typename OpTy, Reduction kind> struct ReductionToGeneric : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, reduce(rewriter, op.getLoc(), adaptor.getInput(), reducedAxes(op), kind,
                                  op.getType().getShape()));
    return success();
  }
};

/// exp(x - max) / sum(exp(x - max)) along the axis: the maximum, then the sum
/// of exponentials, then one parallel pass that normalises.
struct SoftmaxToGeneric : OpConversionPattern<SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(SoftmaxOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = llvm::cast<RankedTensorType>(op.getType());
    SmallVector<bool> reduced(type.getRank(), false);
    reduced[*normalizeAxis(op.getAxis(), type.getRank())] = true;
    AffineMap identity = AffineMap::getMultiDimIdentityMap(type.getRank(), getContext());
    AffineMap kept = keptDimsMap(getContext(), reduced);
    Value x = adaptor.getInput();

    Value max = buildReduction(rewriter, loc, type.getShape(), reduced, x, identity, kLowest,
                               [](OpBuilder &b, Location l, ValueRange a) {
                                 return ScalarBuilder{b, l}.max(a[1], a[0]);
                               });
    Value sum = buildReduction(rewriter, loc, type.getShape(), reduced, ValueRange{x, max},
                               {identity, kept}, 0.0, [](OpBuilder &b, Location l, ValueRange a) {
                                 ScalarBuilder s{b, l};
                                 return s.add(a[2], s.exp(s.sub(a[0], a[1])));
                               });
    rewriter.replaceOp(op, buildParallel(rewriter, loc, type, ValueRange{x, max, sum},
                                         {identity, kept, kept},
                                         [](OpBuilder &b, Location l, ValueRange a) {
                                           ScalarBuilder s{b, l};
                                           return s.div(s.exp(s.sub(a[0], a[1])), a[2]);
                                         }));
    return success();
  }
};

/// Mean, then the biased variance of centred values (two passes, as PyTorch),
/// then 1 / sqrt(var + eps) per row, then (x - mean) * that * scale + bias.
struct LayerNormToGeneric : OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = llvm::cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> shape = type.getShape();
    const int64_t axis = *normalizeAxis(op.getAxis(), type.getRank());
    const double count = double(product(shape.drop_front(axis)));
    const double epsilon = op.getEpsilon().convertToFloat();
    SmallVector<bool> reduced = trailingAxes(type.getRank(), axis);
    AffineMap identity = AffineMap::getMultiDimIdentityMap(type.getRank(), getContext());
    AffineMap kept = keptDimsMap(getContext(), reduced);
    Value x = adaptor.getInput();

    Value sum = buildReduction(rewriter, loc, shape, reduced, x, identity, 0.0,
                               [](OpBuilder &b, Location l, ValueRange a) {
                                 return ScalarBuilder{b, l}.add(a[1], a[0]);
                               });
    Value mean = divideBy(rewriter, loc, sum, count);
    Value squares =
        buildReduction(rewriter, loc, shape, reduced, ValueRange{x, mean}, {identity, kept}, 0.0,
                       [](OpBuilder &b, Location l, ValueRange a) {
                         ScalarBuilder s{b, l};
                         Value d = s.sub(a[0], a[1]);
                         return s.add(a[2], s.mul(d, d));
                       });
    auto rowsType = llvm::cast<RankedTensorType>(squares.getType());
    Value invStd = buildBroadcastParallel(
        rewriter, loc, rowsType, squares, [&](OpBuilder &b, Location l, ValueRange a) {
          ScalarBuilder s{b, l};
          Value variance = s.div(a[0], s.constant(count));
          return s.div(s.constant(1.0), s.sqrt(s.add(variance, s.constant(epsilon))));
        });

    SmallVector<Value> inputs = {x, mean, invStd};
    SmallVector<AffineMap> maps = {identity, kept, kept};
    for (Value param : {adaptor.getScale(), adaptor.getBias()}) {
      if (!param)
        continue;
      BroadcastOperand operand = broadcastOperand(rewriter, loc, param, shape);
      inputs.push_back(operand.value);
      maps.push_back(operand.map);
    }
    const bool hasBias = inputs.size() == 5;
    rewriter.replaceOp(op, buildParallel(rewriter, loc, type, inputs, maps,
                                         [&](OpBuilder &b, Location l, ValueRange a) {
                                           ScalarBuilder s{b, l};
                                           Value norm = s.mul(s.sub(a[0], a[1]), a[2]);
                                           Value scaled = s.mul(norm, a[3]);
                                           return hasBias ? s.add(scaled, a[4]) : scaled;
                                         }));
    return success();
  }
};

/// (x - mean) / sqrt(var + eps) * scale + bias, the parameters read along axis 1.
struct BatchNormToGeneric : OpConversionPattern<BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = llvm::cast<RankedTensorType>(op.getType());
    MLIRContext *ctx = getContext();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(type.getRank(), ctx);
    AffineMap channel = AffineMap::get(type.getRank(), 0, getAffineDimExpr(1, ctx));
    const double epsilon = op.getEpsilon().convertToFloat();
    SmallVector<Value> inputs = {adaptor.getInput(), adaptor.getScale(), adaptor.getBias(),
                                 adaptor.getMean(), adaptor.getVariance()};
    rewriter.replaceOp(op, buildParallel(rewriter, op.getLoc(), type, inputs,
                                         {identity, channel, channel, channel, channel},
                                         [&](OpBuilder &b, Location l, ValueRange a) {
                                           ScalarBuilder s{b, l};
                                           Value stddev = s.sqrt(s.add(a[4], s.constant(epsilon)));
                                           Value norm = s.div(s.sub(a[0], a[3]), stddev);
                                           return s.add(s.mul(norm, a[1]), a[2]);
                                         }));
    return success();
  }
};

} // namespace

void populateReduceNormToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ReductionToGeneric<ReduceSumOp, Reduction::Sum>,
               ReductionToGeneric<ReduceMeanOp, Reduction::Mean>,
               ReductionToGeneric<ReduceMaxOp, Reduction::Max>,
               ReductionToGeneric<GlobalAvgPoolOp, Reduction::Mean>,
               ReductionToGeneric<GlobalMaxPoolOp, Reduction::Max>, SoftmaxToGeneric,
               LayerNormToGeneric, BatchNormToGeneric>(patterns.getContext());
}

} // namespace acnn
