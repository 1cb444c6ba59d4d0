// Reductions (reduce_*, global pooling, argmax) and normalisations (softmax, layer
// norm, group norm, batch norm) → reduction and parallel linalg.generic ops. Statistics
// are reduced into tensors without the reduced axes and read back through
// maps that skip them. Row-wise normalisations over the last axis run in an
// scf.forall over blocks of rows.
#include "compiler/lowering/AcnnToLinalgPatterns.h"
#include "compiler/lowering/LinalgBuilders.h"
#include "dialects/acnn/AcnnOps.h"
#include "dialects/acnn/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
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

/// `x` reduced over the axes marked in `reduced` from `init`, each element
/// combined with the running value by `step(element, rowInputs...,
/// running)`; `rowInputs` have x's shape without the reduced axes. A
/// reduction along the innermost axis only goes through reduceInnermost,
/// which merges its partial results with `merge`.
Value reduceAxes(OpBuilder &b, Location loc, Value x, ArrayRef<bool> reduced, ValueRange rowInputs,
                 double init, ScalarBody step, ScalarBody merge) {
  ArrayRef<int64_t> shape = shapeOf(x);
  MLIRContext *ctx = b.getContext();
  if (llvm::count(reduced, true) == 1 && reduced.back())
    return reduceInnermost(b, loc, x, rowInputs, filledTensor(b, loc, shape.drop_back(), init),
                           init, step, merge);
  SmallVector<Value> inputs = {x};
  SmallVector<AffineMap> maps = {AffineMap::getMultiDimIdentityMap(shape.size(), ctx)};
  for (Value row : rowInputs) {
    inputs.push_back(row);
    maps.push_back(keptDimsMap(ctx, reduced));
  }
  return buildReduction(b, loc, shape, reduced, inputs, maps, init, step);
}

auto addScalars() {
  return [](OpBuilder &b, Location l, ValueRange a) { return ScalarBuilder{b, l}.add(a[1], a[0]); };
}

/// running + (element - mean)^2: a variance's sum of squared deviations.
auto addSquaredDeviation() {
  return [](OpBuilder &b, Location l, ValueRange a) {
    ScalarBuilder s{b, l};
    Value d = s.sub(a[0], a[1]);
    return s.add(a[2], s.mul(d, d));
  };
}

/// 1 / sqrt(sum / count + epsilon) of a sum of `count` squared deviations.
auto inverseStd(double count, double epsilon) {
  return [count, epsilon](OpBuilder &b, Location l, ValueRange a) {
    ScalarBuilder s{b, l};
    Value variance = s.div(a[0], s.constant(count));
    return s.div(s.constant(1.0), s.sqrt(s.add(variance, s.constant(epsilon))));
  };
}

/// buildParallel writing `dest` when given (a row block's slice of the
/// result, so the block is normalised in place), else a new tensor.
Value parallelInto(OpBuilder &b, Location loc, Value dest, RankedTensorType type, ValueRange inputs,
                   ArrayRef<AffineMap> maps, ScalarBody body) {
  if (!dest)
    return buildParallel(b, loc, type, inputs, maps, body);
  SmallVector<AffineMap> all(maps);
  all.push_back(AffineMap::getMultiDimIdentityMap(type.getRank(), b.getContext()));
  return buildGeneric(
      b, loc, inputs, dest, all,
      SmallVector<utils::IteratorType>(type.getRank(), utils::IteratorType::parallel), body);
}

/// Rows of `width` elements a block of a row-wise normalisation takes: the
/// largest divisor of `rows` whose block holds at most 4096 elements (16 KiB,
/// a third of the smallest L1 data cache acnn targets) and leaves at least 8
/// blocks for the threads to share, else 1.
int64_t normalizationRowBlock(int64_t rows, int64_t width) {
  constexpr int64_t kBlockElements = 4096, kMinBlocks = 8;
  for (int64_t r = std::min(rows / kMinBlocks, kBlockElements / width); r > 1; --r)
    if (rows % r == 0)
      return r;
  return 1;
}

/// A row-wise normalisation of `x` over its axes from `axis` on, as
/// `normalize(rows, dest)` on x viewed as [rows, width] blocks, writing
/// `dest`, the block's slice of the result: in an scf.forall over
/// blocks of rows, so a block's statistics and its normalised rows are all
/// computed while it is in L1, and the threads fork once for the whole op,
/// not once per statistic. Null when `x` has fewer than two rows.
Value inRowBlocks(OpBuilder &b, Location loc, Value x, int64_t axis,
                  llvm::function_ref<Value(OpBuilder &, Location, Value, Value)> normalize) {
  ArrayRef<int64_t> shape = llvm::cast<RankedTensorType>(x.getType()).getShape();
  const int64_t rows = product(shape.take_front(axis)), width = product(shape.drop_front(axis));
  if (rows < 2)
    return {};
  const int64_t block = normalizationRowBlock(rows, width);
  MLIRContext *ctx = b.getContext();
  Value flat = reshapeTo(b, loc, x, {rows, width});
  Value dest = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{rows, width}, b.getF32Type());
  auto forall = scf::ForallOp::create(b, loc, ArrayRef<OpFoldResult>{b.getIndexAttr(rows / block)},
                                      ValueRange{dest}, std::nullopt);
  SmallVector<OpFoldResult> sizes = getAsIndexOpFoldResult(ctx, {block, width});
  SmallVector<OpFoldResult> unit(2, b.getIndexAttr(1));
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(forall.getBody());
    Value first = arith::MulIOp::create(b, loc, forall.getInductionVars()[0],
                                        arith::ConstantIndexOp::create(b, loc, block));
    SmallVector<OpFoldResult> at = {first, b.getIndexAttr(0)};
    RankedTensorType blockType = f32TensorType(ctx, {block, width});
    Value in = tensor::ExtractSliceOp::create(b, loc, blockType, flat, at, sizes, unit);
    Value into = tensor::ExtractSliceOp::create(b, loc, blockType, forall.getRegionIterArgs()[0],
                                                at, sizes, unit);
    Value out = normalize(b, loc, in, into);
    b.setInsertionPointToStart(forall.getTerminator().getBody());
    tensor::ParallelInsertSliceOp::create(b, loc, out, forall.getRegionIterArgs()[0], at, sizes,
                                          unit);
  }
  return reshapeTo(b, loc, forall.getResult(0), shape);
}

/// argmax as two reductions along the axis: the maximum, then the first (or
/// last) index whose element equals it or is a NaN. The maximum propagates
/// NaN, so where a row holds one, only NaNs match, as in the interpreter.
struct ArgMaxToGeneric : OpConversionPattern<ArgMaxOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(ArgMaxOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Value x = adaptor.getInput();
    ArrayRef<int64_t> shape = shapeOf(x);
    const int64_t rank = shape.size(), axis = *normalizeAxis(op.getAxis(), rank);
    SmallVector<bool> reduced(rank, false);
    reduced[axis] = true;
    auto max = [](OpBuilder &b, Location l, ValueRange a) {
      return ScalarBuilder{b, l}.max(a[1], a[0]);
    };
    Value rowMax = reduceAxes(rewriter, loc, x, reduced, {}, kLowest, max, max);

    // Indices accumulate in the result's element type: i64, or f32 (exact,
    // as the verifier bounds the axis).
    auto type = cast<RankedTensorType>(op.getType());
    Type element = type.getElementType();
    const bool last = op.getSelectLastIndex();
    auto scalar = [&](OpBuilder &b, Location l, int64_t v) -> Value {
      if (element.isF32())
        return f32Constant(b, l, double(v));
      return arith::ConstantOp::create(b, l, b.getI64IntegerAttr(v));
    };
    SmallVector<int64_t> kept = llvm::to_vector(shapeOf(rowMax));
    Value none = scalar(rewriter, loc, last ? -1 : shape[axis]);
    Value init =
        linalg::FillOp::create(rewriter, loc, ValueRange{none},
                               ValueRange{tensor::EmptyOp::create(rewriter, loc, kept, element)})
            .getResult(0);
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap keptMap = keptDimsMap(ctx, reduced);
    Value index = buildGeneric(
        rewriter, loc, {x, rowMax}, init, {identity, keptMap, keptMap}, iteratorKinds(reduced),
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value k =
              arith::IndexCastOp::create(b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
          if (element.isF32())
            k = arith::SIToFPOp::create(b, l, b.getF32Type(), k);
          Value equal = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, a[0], a[1]);
          Value nan = arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, a[0], a[0]);
          Value hit = arith::OrIOp::create(b, l, equal, nan);
          Value candidate =
              arith::SelectOp::create(b, l, hit, k, scalar(b, l, last ? -1 : shape[axis]));
          if (element.isF32())
            return last ? arith::MaximumFOp::create(b, l, a[2], candidate).getResult()
                        : arith::MinimumFOp::create(b, l, a[2], candidate).getResult();
          return last ? arith::MaxSIOp::create(b, l, a[2], candidate).getResult()
                      : arith::MinSIOp::create(b, l, a[2], candidate).getResult();
        });
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, index, type.getShape()));
    return success();
  }
};

/// exp(x - max) / sum(exp(x - max)) along the axis: the maximum, then the sum
/// of exponentials, then the normalised values. Over the last axis, block of
/// rows by block of rows (inRowBlocks), where the exponentials are written
/// once, into the block's result, summed, and scaled in place by 1 / sum: in
/// L1, an exp and a division an element cost more than two more passes.
/// Along an inner axis, the statistics are whole tensors and the values are
/// recomputed from x in one more pass instead.
struct SoftmaxToGeneric : OpConversionPattern<SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(SoftmaxOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    const int64_t rank = op.getType().getRank(), axis = *normalizeAxis(op.getAxis(), rank);
    Value x = adaptor.getInput();
    Value result;
    if (axis == rank - 1)
      result =
          inRowBlocks(rewriter, loc, x, axis, [](OpBuilder &b, Location l, Value rows, Value dest) {
            return softmax(b, l, rows, 1, dest);
          });
    rewriter.replaceOp(op, result ? result : softmax(rewriter, loc, x, axis, {}));
    return success();
  }

  /// The softmax of `x` along `axis`, written into `dest` if given.
  static Value softmax(OpBuilder &b, Location loc, Value x, int64_t axis, Value dest) {
    auto type = llvm::cast<RankedTensorType>(x.getType());
    SmallVector<bool> reduced(type.getRank(), false);
    reduced[axis] = true;
    AffineMap identity = AffineMap::getMultiDimIdentityMap(type.getRank(), b.getContext());
    AffineMap kept = keptDimsMap(b.getContext(), reduced);
    auto max = [](OpBuilder &nb, Location l, ValueRange a) {
      return ScalarBuilder{nb, l}.max(a[1], a[0]);
    };
    auto expOfDifference = [](OpBuilder &nb, Location l, ValueRange a) {
      ScalarBuilder s{nb, l};
      return s.exp(s.sub(a[0], a[1]));
    };
    Value rowMax = reduceAxes(b, loc, x, reduced, {}, kLowest, max, max);
    if (!dest) {
      Value sum = reduceAxes(
          b, loc, x, reduced, rowMax, 0.0,
          [&](OpBuilder &nb, Location l, ValueRange a) {
            return ScalarBuilder{nb, l}.add(a[2], expOfDifference(nb, l, a));
          },
          addScalars());
      return buildParallel(b, loc, type, ValueRange{x, rowMax, sum}, {identity, kept, kept},
                           [&](OpBuilder &nb, Location l, ValueRange a) {
                             return ScalarBuilder{nb, l}.div(expOfDifference(nb, l, a), a[2]);
                           });
    }
    Value exps =
        parallelInto(b, loc, dest, type, ValueRange{x, rowMax}, {identity, kept}, expOfDifference);
    Value sum = reduceAxes(b, loc, exps, reduced, {}, 0.0, addScalars(), addScalars());
    Value inverse =
        buildBroadcastParallel(b, loc, llvm::cast<RankedTensorType>(sum.getType()), ValueRange{sum},
                               [](OpBuilder &nb, Location l, ValueRange a) {
                                 ScalarBuilder s{nb, l};
                                 return s.div(s.constant(1.0), a[0]);
                               });
    return parallelInto(b, loc, exps, type, ValueRange{inverse}, {kept},
                        [](OpBuilder &nb, Location l, ValueRange a) {
                          return ScalarBuilder{nb, l}.mul(a[1], a[0]);
                        });
  }
};

/// Mean, then the biased variance of centred values (two passes, as PyTorch),
/// then 1 / sqrt(var + eps) per row, then (x - mean) * that * scale + bias;
/// block of rows by block of rows (inRowBlocks) when the parameters are rows.
struct LayerNormToGeneric : OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = llvm::cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> shape = type.getShape();
    const int64_t axis = *normalizeAxis(op.getAxis(), type.getRank());
    const int64_t width = product(shape.drop_front(axis));
    const double epsilon = op.getEpsilon().convertToFloat();
    Value scale = adaptor.getScale(), bias = adaptor.getBias();
    Value result;
    // In row blocks when the parameters are one value per element of a row
    // (as ONNX's LayerNormalization has them), read as a row.
    auto perElement = [&](Value param) { return !param || product(shapeOf(param)) == width; };
    if (perElement(scale) && perElement(bias))
      result = inRowBlocks(rewriter, loc, adaptor.getInput(), axis,
                           [&](OpBuilder &b, Location l, Value rows, Value dest) {
                             auto row = [&](Value param) {
                               return param ? reshapeTo(b, l, param, {width}) : Value();
                             };
                             return layerNorm(b, l, rows, 1, epsilon, row(scale), row(bias), dest);
                           });
    rewriter.replaceOp(
        op, result ? result
                   : layerNorm(rewriter, loc, adaptor.getInput(), axis, epsilon, scale, bias, {}));
    return success();
  }

  /// `x` normalised over its axes from `axis` on, times `scale` plus `bias`
  /// (if any), both broadcast to x's shape; written into `dest` if given.
  static Value layerNorm(OpBuilder &b, Location loc, Value x, int64_t axis, double epsilon,
                         Value scale, Value bias, Value dest) {
    auto type = llvm::cast<RankedTensorType>(x.getType());
    ArrayRef<int64_t> shape = type.getShape();
    const double count = double(product(shape.drop_front(axis)));
    SmallVector<bool> reduced = trailingAxes(type.getRank(), axis);
    AffineMap identity = AffineMap::getMultiDimIdentityMap(type.getRank(), b.getContext());
    AffineMap kept = keptDimsMap(b.getContext(), reduced);

    Value sum = reduceAxes(b, loc, x, reduced, {}, 0.0, addScalars(), addScalars());
    Value mean = divideBy(b, loc, sum, count);
    Value squares = reduceAxes(b, loc, x, reduced, mean, 0.0, addSquaredDeviation(), addScalars());
    auto rowsType = llvm::cast<RankedTensorType>(squares.getType());
    Value invStd = buildBroadcastParallel(b, loc, rowsType, squares, inverseStd(count, epsilon));

    SmallVector<Value> inputs = {x, mean, invStd};
    SmallVector<AffineMap> maps = {identity, kept, kept};
    for (Value param : {scale, bias}) {
      if (!param)
        break;
      BroadcastOperand operand = broadcastOperand(b, loc, param, shape);
      inputs.push_back(operand.value);
      maps.push_back(operand.map);
    }
    const bool hasBias = bool(bias);
    return parallelInto(b, loc, dest, type, inputs, maps,
                        [&](OpBuilder &nb, Location l, ValueRange a) {
                          ScalarBuilder s{nb, l};
                          Value scaled = s.mul(s.mul(s.sub(a[0], a[1]), a[2]), a[3]);
                          return hasBias ? s.add(scaled, a[4]) : scaled;
                        });
  }
};

/// Per sample and group of consecutive channels: the mean, then the biased
/// variance of centred values (two passes, as PyTorch), each reduced per
/// channel over the spatial axes first (a channel pool, which reads an NHWC
/// map along its channels) and then over the group's channels; then
/// (x - mean) * (1 / sqrt(var + eps) * scale) + bias with one mean and factor
/// per sample and channel: element-wise, so in any layout.
struct GroupNormToGeneric : OpConversionPattern<GroupNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(GroupNormOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto type = llvm::cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> shape = type.getShape();
    const int64_t rank = shape.size(), n = shape[0], c = shape[1], groups = op.getGroups();
    const int64_t per = c / groups;
    const double count = double(per * product(shape.drop_front(2)));
    const double epsilon = op.getEpsilon().convertToFloat();
    Value x = adaptor.getInput();
    SmallVector<bool> spatial = trailingAxes(rank, 2);
    AffineMap channel = keptDimsMap(ctx, spatial);
    AffineMap rows = AffineMap::getMultiDimIdentityMap(2, ctx);
    auto copy = [](OpBuilder &, Location, ValueRange a) { return a[0]; };
    // [N, C] values summed over each group's channels into [N, G], and [N, G]
    // values repeated for the group's channels as [N, C].
    auto groupSum = [&](Value perChannel) {
      return reduceAxes(rewriter, loc, reshapeTo(rewriter, loc, perChannel, {n, groups, per}),
                        {false, false, true}, {}, 0.0, addScalars(), addScalars());
    };
    auto toChannels = [&](Value perGroup) {
      Value v = buildParallel(rewriter, loc, f32TensorType(ctx, {n, groups, per}), {perGroup},
                              {loopsMap(ctx, 3, {0, 1})}, copy);
      return reshapeTo(rewriter, loc, v, {n, c});
    };

    Value sum = reduceAxes(rewriter, loc, x, spatial, {}, 0.0, addScalars(), addScalars());
    Value mean = toChannels(divideBy(rewriter, loc, groupSum(sum), count));
    Value squares =
        reduceAxes(rewriter, loc, x, spatial, mean, 0.0, addSquaredDeviation(), addScalars());
    Value invStd = buildParallel(rewriter, loc, f32TensorType(ctx, {n, groups}),
                                 {groupSum(squares)}, {rows}, inverseStd(count, epsilon));
    Value factor = buildParallel(
        rewriter, loc, f32TensorType(ctx, {n, c}), {toChannels(invStd), adaptor.getScale()},
        {rows, loopsMap(ctx, 2, {1})}, [](OpBuilder &nb, Location l, ValueRange a) {
          return ScalarBuilder{nb, l}.mul(a[0], a[1]);
        });

    SmallVector<Value> inputs = {x, mean, factor};
    SmallVector<AffineMap> maps = {AffineMap::getMultiDimIdentityMap(rank, ctx), channel, channel};
    if (Value bias = adaptor.getBias()) {
      inputs.push_back(bias);
      maps.push_back(loopsMap(ctx, rank, {1}));
    }
    const bool hasBias = bool(adaptor.getBias());
    rewriter.replaceOp(op, buildParallel(rewriter, loc, type, inputs, maps,
                                         [&](OpBuilder &nb, Location l, ValueRange a) {
                                           ScalarBuilder s{nb, l};
                                           Value y = s.mul(s.sub(a[0], a[1]), a[2]);
                                           return hasBias ? s.add(y, a[3]) : y;
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
               LayerNormToGeneric, GroupNormToGeneric, BatchNormToGeneric, ArgMaxToGeneric>(
      patterns.getContext());
}

} // namespace acnn
