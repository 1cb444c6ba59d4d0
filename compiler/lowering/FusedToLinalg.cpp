// The fused ops of the recognition passes → linalg on tensors.
//
// squeeze_excite and channel_attention: a pooling reduction, two small
// matmuls with the activation and gate, and one parallel generic that scales
// the map. The pool still re-reads the map its producer just wrote; folding
// it into the producer's epilogue (and the scale into the consumer) is the
// codegen follow-up that removes that pass over memory (see
// ../shared/halide-codegen.md: the SE gate is bound by passes over the map).
//
// spatial_attention: channel mean and max, a 2-to-1 channel conv, and the
// gating generic.
//
// attention: a streaming (flash-style) loop nest. An scf.for walks blocks
// of keys; per block a contraction gives the block's scores, and running
// row maxima, row sums and the output accumulator are rescaled by
// exp(old max - new max) (online softmax), so only an M x block slice of the
// scores ever exists, never M x N.
#include "compiler/lowering/AcnnToLinalgPatterns.h"
#include "compiler/lowering/LinalgBuilders.h"
#include "dialects/acnn/AcnnOps.h"
#include "dialects/acnn/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

using namespace mlir;

namespace acnn {

namespace {

constexpr double kLowest = -std::numeric_limits<double>::infinity();

ArrayRef<int64_t> shapeOf(Value v) { return llvm::cast<RankedTensorType>(v.getType()).getShape(); }

/// A map from `loops` loop dims to the listed ones.
AffineMap dims(MLIRContext *ctx, unsigned loops, ArrayRef<unsigned> which) {
  SmallVector<AffineExpr> exprs;
  for (unsigned d : which)
    exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(loops, 0, exprs, ctx);
}

/// A generic writing into `init` (its current value is the body's last
/// argument), with explicit maps and iterator kinds.
Value generic(OpBuilder &b, Location loc, ValueRange inputs, Value init,
              ArrayRef<AffineMap> maps, ArrayRef<utils::IteratorType> iterators,
              ScalarBody body) {
  return linalg::GenericOp::create(
             b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps, iterators,
             [&](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(nb, l, body(nb, l, args));
             })
      .getResult(0);
}

SmallVector<utils::IteratorType> iterators(ArrayRef<bool> reduced) {
  return llvm::to_vector(llvm::map_range(reduced, [](bool r) {
    return r ? utils::IteratorType::reduction : utils::IteratorType::parallel;
  }));
}

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
                       {identity, dims(b.getContext(), rank, {0, 1})},
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
                                         {identity, dims(ctx, 4, {0, 2, 3})},
                                         [](OpBuilder &nb, Location l, ValueRange a) {
                                           ScalarBuilder s{nb, l};
                                           return s.mul(a[0], sigmoidScalar(s, a[1]));
                                         }));
    return success();
  }
};

/// The key block of the streaming loop: all keys when they fit one block,
/// else the largest divisor of `keys` from 16 to 64 (every block full), else
/// 64 with the remainder streamed as one smaller last block.
int64_t keyBlock(int64_t keys) {
  constexpr int64_t kMax = 64, kMin = 16;
  if (keys <= kMax)
    return keys;
  for (int64_t t = kMax; t >= kMin; --t)
    if (keys % t == 0)
      return t;
  return kMax;
}

struct AttentionToLinalg : OpConversionPattern<AttentionOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(AttentionOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    OpBuilder &b = rewriter;
    ArrayRef<int64_t> qs = shapeOf(adaptor.getQuery());
    const size_t rank = qs.size();
    const int64_t batch = product(qs.drop_back(2)), m = qs[rank - 2], d = qs[rank - 1];
    const int64_t n = shapeOf(adaptor.getKey())[rank - 2], e = shapeOf(adaptor.getValue()).back();
    const int64_t blockKeys = keyBlock(n), mainKeys = n - n % blockKeys;
    const double scale = op.getScale().convertToFloat();

    // Batch axes collapsed into one: [B, M, D], [B, N, D], [B, N, E].
    Value q = reshapeTo(b, loc, adaptor.getQuery(), {batch, m, d});
    Value k = reshapeTo(b, loc, adaptor.getKey(), {batch, n, d});
    Value v = reshapeTo(b, loc, adaptor.getValue(), {batch, n, e});
    // A bias is an input of the op, so reading it at full [B, M, N] adds no
    // score-sized intermediate that the unfused graph did not have.
    Value bias;
    if (Value given = adaptor.getBias()) {
      SmallVector<int64_t> scores(qs.drop_back());
      scores.push_back(n);
      Value full = buildBroadcastParallel(b, loc, f32TensorType(ctx, scores), given,
                                          [](OpBuilder &, Location, ValueRange a) { return a[0]; });
      bias = reshapeTo(b, loc, full, {batch, m, n});
    }

    Value rowMax = filledTensor(b, loc, {batch, m}, kLowest);
    Value rowSum = filledTensor(b, loc, {batch, m}, 0.0);
    Value acc = filledTensor(b, loc, {batch, m, e}, 0.0);
    // One step of the stream: keys [start, start + t) update the running
    // row maxima, row sums and accumulator.
    auto streamBlock = [&](OpBuilder &lb, Location l, Value start, int64_t t,
                           ValueRange carried) -> SmallVector<Value> {
      Value oldMax = carried[0], oldSum = carried[1], oldAcc = carried[2];
      auto block = [&](Value full, int64_t inner) -> Value {
        SmallVector<OpFoldResult> offsets = {lb.getIndexAttr(0), start, lb.getIndexAttr(0)};
        SmallVector<OpFoldResult> sizes = {lb.getIndexAttr(batch), lb.getIndexAttr(t),
                                           lb.getIndexAttr(inner)};
        SmallVector<OpFoldResult> strides(3, lb.getIndexAttr(1));
        return tensor::ExtractSliceOp::create(lb, l, f32TensorType(ctx, {batch, t, inner}), full,
                                              offsets, sizes, strides);
      };
      Value kb = block(k, d), vb = block(v, e);

      // s[b, i, j] = sum_c q[b, i, c] * k[b, j, c] * scale (+ bias[b, i, start + j]).
      Value zeros = filledTensor(lb, l, {batch, m, t}, 0.0);
      Value s = generic(lb, l, ValueRange{q, kb}, zeros,
                        {dims(ctx, 4, {0, 1, 3}), dims(ctx, 4, {0, 2, 3}), dims(ctx, 4, {0, 1, 2})},
                        iterators({false, false, false, true}),
                        [](OpBuilder &nb, Location nl, ValueRange a) {
                          ScalarBuilder sb{nb, nl};
                          return sb.add(a[2], sb.mul(a[0], a[1]));
                        });
      SmallVector<Value> scoreInputs = {s};
      SmallVector<AffineMap> scoreMaps = {dims(ctx, 3, {0, 1, 2})};
      if (bias) {
        SmallVector<OpFoldResult> offsets = {lb.getIndexAttr(0), lb.getIndexAttr(0), start};
        SmallVector<OpFoldResult> sizes = {lb.getIndexAttr(batch), lb.getIndexAttr(m),
                                           lb.getIndexAttr(t)};
        SmallVector<OpFoldResult> strides(3, lb.getIndexAttr(1));
        scoreInputs.push_back(tensor::ExtractSliceOp::create(
            lb, l, f32TensorType(ctx, {batch, m, t}), bias, offsets, sizes, strides));
        scoreMaps.push_back(scoreMaps.front());
      }
      const bool hasBias = bool(bias);
      s = buildParallel(lb, l, f32TensorType(ctx, {batch, m, t}), scoreInputs, scoreMaps,
                        [&](OpBuilder &nb, Location nl, ValueRange a) {
                          ScalarBuilder sb{nb, nl};
                          Value scaled = sb.mul(a[0], sb.constant(scale));
                          return hasBias ? sb.add(scaled, a[1]) : scaled;
                        });

      // Every carried tensor is updated in place (its generic writes into
      // the iter_arg after its last read), so bufferisation keeps one
      // buffer per carried value across iterations.
      auto rows2 = dims(ctx, 2, {0, 1}), rows3 = dims(ctx, 3, {0, 1}),
           full3 = dims(ctx, 3, {0, 1, 2});
      SmallVector<utils::IteratorType> parallel2 = iterators({false, false}),
                                       parallel3 = iterators({false, false, false});
      // This block's row maxima, then the factor exp(old - new) that
      // rescales what earlier blocks accumulated.
      Value blockMax =
          generic(lb, l, ValueRange{s}, filledTensor(lb, l, {batch, m}, kLowest), {full3, rows3},
                  iterators({false, false, true}), [](OpBuilder &nb, Location nl, ValueRange a) {
                    return ScalarBuilder{nb, nl}.max(a[1], a[0]);
                  });
      Value correction =
          buildParallel(lb, l, f32TensorType(ctx, {batch, m}), ValueRange{oldMax, blockMax},
                        {rows2, rows2}, [](OpBuilder &nb, Location nl, ValueRange a) {
                          ScalarBuilder sb{nb, nl};
                          return sb.exp(sb.sub(a[0], sb.max(a[0], a[1])));
                        });
      Value newMax = generic(lb, l, ValueRange{blockMax}, oldMax, {rows2, rows2}, parallel2,
                             [](OpBuilder &nb, Location nl, ValueRange a) {
                               return ScalarBuilder{nb, nl}.max(a[1], a[0]);
                             });
      // p = exp(s - newMax): this block's unnormalised probabilities.
      Value p = buildParallel(lb, l, f32TensorType(ctx, {batch, m, t}), ValueRange{s, newMax},
                              {full3, rows3}, [](OpBuilder &nb, Location nl, ValueRange a) {
                                ScalarBuilder sb{nb, nl};
                                return sb.exp(sb.sub(a[0], a[1]));
                              });
      // sum = sum * correction + rowsum(p).
      Value scaledSum = generic(lb, l, ValueRange{correction}, oldSum, {rows2, rows2}, parallel2,
                                [](OpBuilder &nb, Location nl, ValueRange a) {
                                  return ScalarBuilder{nb, nl}.mul(a[1], a[0]);
                                });
      Value newSum =
          generic(lb, l, ValueRange{p}, scaledSum, {full3, rows3}, iterators({false, false, true}),
                  [](OpBuilder &nb, Location nl, ValueRange a) {
                    return ScalarBuilder{nb, nl}.add(a[1], a[0]);
                  });
      // acc = acc * correction + p * v_block.
      Value scaledAcc = generic(lb, l, ValueRange{correction}, oldAcc, {rows3, full3}, parallel3,
                                [](OpBuilder &nb, Location nl, ValueRange a) {
                                  return ScalarBuilder{nb, nl}.mul(a[1], a[0]);
                                });
      Value newAcc = generic(
          lb, l, ValueRange{p, vb}, scaledAcc,
          {dims(ctx, 4, {0, 1, 3}), dims(ctx, 4, {0, 3, 2}), dims(ctx, 4, {0, 1, 2})},
          iterators({false, false, false, true}), [](OpBuilder &nb, Location nl, ValueRange a) {
            ScalarBuilder sb{nb, nl};
            return sb.add(a[2], sb.mul(a[0], a[1]));
          });
      return {newMax, newSum, newAcc};
    };

    SmallVector<Value> state = {rowMax, rowSum, acc};
    Value lower = arith::ConstantIndexOp::create(b, loc, 0);
    Value upper = arith::ConstantIndexOp::create(b, loc, mainKeys);
    Value step = arith::ConstantIndexOp::create(b, loc, blockKeys);
    auto loop = scf::ForOp::create(b, loc, lower, upper, step, state,
                                   [&](OpBuilder &lb, Location l, Value start, ValueRange carried) {
                                     scf::YieldOp::create(
                                         lb, l, streamBlock(lb, l, start, blockKeys, carried));
                                   });
    state = loop.getResults();
    // Keys past the last full block: one shorter block, straight-line.
    if (mainKeys < n)
      state = streamBlock(b, loc, upper, n - mainKeys, state);

    Value out =
        buildParallel(b, loc, f32TensorType(ctx, {batch, m, e}), ValueRange{state[2], state[1]},
                      {dims(ctx, 3, {0, 1, 2}), dims(ctx, 3, {0, 1})},
                      [](OpBuilder &nb, Location l, ValueRange a) {
                        return ScalarBuilder{nb, l}.div(a[0], a[1]);
                      });
    rewriter.replaceOp(op, reshapeTo(b, loc, out, op.getType().getShape()));
    return success();
  }
};

} // namespace

void populateFusedToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<SqueezeExciteToLinalg, ChannelAttentionToLinalg, SpatialAttentionToLinalg,
               AttentionToLinalg>(patterns.getContext());
}

} // namespace acnn
