// The fused ops of the recognition passes → linalg on tensors.
//
// squeeze_excite and channel_attention: a pooling reduction, two small
// matmuls with the activation and gate, and one parallel generic that scales
// the map. Codegen then computes the pool in the producing conv's loop
// (acnn-fuse-pool-into-conv) and fuses the scale into the element-wise
// consumer (acnn-fuse-elementwise) or the consuming conv's filter
// (acnn-scale-into-filter), so the map is not re-read for either.
//
// spatial_attention: channel mean and max, a 2-to-1 channel conv, and the
// gating generic.
//
// attention: AttentionToLinalg.cpp.
#include "compiler/lowering/AcnnToLinalgPatterns.h"
#include "compiler/lowering/LinalgBuilders.h"
#include "dialects/acnn/AcnnOps.h"
#include "dialects/acnn/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace acnn {

namespace {

/// Mean (or max) over the trailing axes of [N, C, ...]: an [N, C] tensor.
Value poolChannels(OpBuilder &b, Location loc, Value x, bool max) {
  ArrayRef<int64_t> shape = shapeOf(x);
  SmallVector<bool> reduced(shape.size(), true);
  reduced[0] = reduced[1] = false;
  AffineMap identity = AffineMap::getMultiDimIdentityMap(shape.size(), b.getContext());
  Value acc = buildReduction(b, loc, shape, reduced, x, identity, max ? kLowest : 0.0,
                             [&](OpBuilder &nb, Location l, ValueRange a) {
                               ScalarBuilder s{nb, l};
                               return max ? s.max(a[1], a[0]) : s.add(a[1], a[0]);
                             });
  return max ? acc : divideBy(b, loc, acc, double(product(shape.drop_front(2))));
}

/// x [rows, K] * w[N, K]^T + bias, then `activation`: [rows, N].
Value denseLayer(OpBuilder &b, Location loc, Value x, Value w, Value bias,
                 StringRef activation) {
  const int64_t rows = shapeOf(x)[0], n = shapeOf(w)[0];
  Value init = accumulatorInit(b, loc, bias, {rows, n}, {0});
  Value y = linalg::MatmulTransposeBOp::create(b, loc, TypeRange{init.getType()},
                                               ValueRange{x, w}, ValueRange{init})
                .getResult(0);
  return buildEpilogue(b, loc, y, Value(), activation);
}

/// out[n, c, ...] = x[n, c, ...] * gate[n, c].
Value scaleChannels(OpBuilder &b, Location loc, Value x, Value gate) {
  auto type = llvm::cast<RankedTensorType>(x.getType());
  unsigned rank = type.getRank();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, b.getContext());
  return buildParallel(b, loc, type, ValueRange{x, gate},
                       {identity, loopsMap(b.getContext(), rank, {0, 1})},
                       [](OpBuilder &nb, Location l, ValueRange a) {
                         return ScalarBuilder{nb, l}.mul(a[0], a[1]);
                       });
}

Value sigmoidScalar(const ScalarBuilder &s, Value x) { return activationScalar(s, "sigmoid", x); }

/// Applies `f` to every element of `value`.
Value mapElements(OpBuilder &b, Location loc, Value value,
                  llvm::function_ref<Value(const ScalarBuilder &, Value)> f) {
  auto type = llvm::cast<RankedTensorType>(value.getType());
  return buildBroadcastParallel(b, loc, type, value, [&](OpBuilder &nb, Location l, ValueRange a) {
    return f(ScalarBuilder{nb, l}, a[0]);
  });
}

struct SqueezeExciteToLinalg : OpConversionPattern<SqueezeExciteOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(SqueezeExciteOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value pooled = poolChannels(rewriter, loc, adaptor.getInput(), /*max=*/false);
    Value hidden = denseLayer(rewriter, loc, pooled, adaptor.getFc1Weight(), adaptor.getFc1Bias(),
                              op.getActivation());
    Value logits =
        denseLayer(rewriter, loc, hidden, adaptor.getFc2Weight(), adaptor.getFc2Bias(), "none");
    const bool hard = op.getGate() == "hard_sigmoid";
    Value gate = mapElements(rewriter, loc, logits, [&](const ScalarBuilder &s, Value x) {
      return hard ? s.clamp(s.add(s.div(x, s.constant(6.0)), s.constant(0.5)), 0.0, 1.0)
                  : sigmoidScalar(s, x);
    });
    rewriter.replaceOp(op, scaleChannels(rewriter, loc, adaptor.getInput(), gate));
    return success();
  }
};

struct ChannelAttentionToLinalg : OpConversionPattern<ChannelAttentionOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(ChannelAttentionOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto mlp = [&](Value pooled) {
      Value hidden = denseLayer(rewriter, loc, pooled, adaptor.getFc1Weight(),
                                adaptor.getFc1Bias(), op.getActivation());
      return denseLayer(rewriter, loc, hidden, adaptor.getFc2Weight(), adaptor.getFc2Bias(),
                        "none");
    };
    Value avg = mlp(poolChannels(rewriter, loc, adaptor.getInput(), false));
    Value max = mlp(poolChannels(rewriter, loc, adaptor.getInput(), true));
    auto type = llvm::cast<RankedTensorType>(avg.getType());
    Value gate = buildBroadcastParallel(rewriter, loc, type, ValueRange{avg, max},
                                        [](OpBuilder &nb, Location l, ValueRange a) {
                                          ScalarBuilder s{nb, l};
                                          return sigmoidScalar(s, s.add(a[0], a[1]));
                                        });
    rewriter.replaceOp(op, scaleChannels(rewriter, loc, adaptor.getInput(), gate));
    return success();
  }
};

struct SpatialAttentionToLinalg : OpConversionPattern<SpatialAttentionOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(SpatialAttentionOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Value x = adaptor.getInput();
    ArrayRef<int64_t> shape = shapeOf(x);
    const int64_t n = shape[0], c = shape[1], h = shape[2], w = shape[3];
    // Mean and max over C, each [N, 1, H, W], side by side on axis 1.
    AffineMap identity = AffineMap::getMultiDimIdentityMap(4, ctx);
    SmallVector<bool> overC = {false, true, false, false};
    auto channelStat = [&](bool max) {
      Value acc = buildReduction(rewriter, loc, shape, overC, x, identity, max ? kLowest : 0.0,
                                 [&](OpBuilder &nb, Location l, ValueRange a) {
                                   ScalarBuilder s{nb, l};
                                   return max ? s.max(a[1], a[0]) : s.add(a[1], a[0]);
                                 });
      if (!max)
        acc = divideBy(rewriter, loc, acc, double(c));
      return reshapeTo(rewriter, loc, acc, {n, 1, h, w});
    };
    Value stats = tensor::ConcatOp::create(rewriter, loc, 1,
                                           ValueRange{channelStat(false), channelStat(true)});
    ArrayRef<int64_t> pads = op.getPads();
    SmallVector<int64_t> low = {0, 0, pads[0], pads[1]}, high = {0, 0, pads[2], pads[3]};
    Value padded = tensor::PadOp::create(
        rewriter, loc, f32TensorType(ctx, {n, 2, h + pads[0] + pads[2], w + pads[1] + pads[3]}),
        stats, getAsIndexOpFoldResult(ctx, low), getAsIndexOpFoldResult(ctx, high),
        f32Constant(rewriter, loc, 0.0));
    Value init = accumulatorInit(rewriter, loc, adaptor.getBias(), {n, 1, h, w}, {0, 2, 3});
    Value logits = linalg::Conv2DNchwFchwOp::create(
                       rewriter, loc, TypeRange{init.getType()},
                       ValueRange{padded, adaptor.getWeight()}, ValueRange{init},
                       rewriter.getI64TensorAttr({1, 1}), rewriter.getI64TensorAttr({1, 1}))
                       .getResult(0);
    Value plane = reshapeTo(rewriter, loc, logits, {n, h, w});
    auto type = llvm::cast<RankedTensorType>(op.getType());
    rewriter.replaceOp(op, buildParallel(rewriter, loc, type, ValueRange{x, plane},
                                         {identity, loopsMap(ctx, 4, {0, 2, 3})},
                                         [](OpBuilder &nb, Location l, ValueRange a) {
                                           ScalarBuilder s{nb, l};
                                           return s.mul(a[0], sigmoidScalar(s, a[1]));
                                         }));
    return success();
  }
};

} // namespace

void populateFusedToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<SqueezeExciteToLinalg, ChannelAttentionToLinalg, SpatialAttentionToLinalg>(
      patterns.getContext());
}

} // namespace acnn
