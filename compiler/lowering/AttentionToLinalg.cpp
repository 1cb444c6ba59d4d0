// acnn.attention → linalg on tensors: a streaming (flash-style) loop nest.
//
// An scf.for walks blocks of keys; per block a contraction gives the block's
// scores, and running row maxima, row sums and the output accumulator are
// rescaled by exp(old max - new max) (online softmax), so only a block of
// the scores ever exists, never M x N.
//
// Around it, an scf.forall over (batch, block of query rows): each thread
// streams all keys for its own rows, so the steps of the key loop run on
// data that stays in cache and the threads fork once per attention, not
// once per step. Rows are padded with zero queries to a multiple of the row
// block when no block size divides them (ViT's 197); the padded rows' results
// are dropped.
#include "compiler/lowering/AcnnToLinalgPatterns.h"
#include "compiler/lowering/LinalgBuilders.h"
#include "dialects/acnn/AcnnOps.h"
#include "dialects/acnn/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

using namespace mlir;

namespace acnn {

namespace {

/// A block of 16 to 64 along an axis of `extent`: all of it when it fits,
/// else the largest divisor in range (every block full), else 0.
int64_t evenBlock(int64_t extent) {
  constexpr int64_t kMax = 64, kMin = 16;
  if (extent <= kMax)
    return extent;
  for (int64_t t = kMax; t >= kMin; --t)
    if (extent % t == 0)
      return t;
  return 0;
}

/// The key block of the streaming loop; without an even one, 64, and the
/// remainder streams as one smaller last block.
int64_t keyBlock(int64_t keys) {
  int64_t t = evenBlock(keys);
  return t ? t : 64;
}

/// The query rows one iteration of the forall over (`groups` = batch x
/// heads, blocks of rows), shared by `threads`, takes: 16 to 64 (all of them when fewer), the
/// rows padded to a multiple of it. The block that gives the busiest thread
/// the least work, each block counted with an overhead of 8 rows for its
/// trip through the key loop; of equals, the largest. ViT's 3 heads of 197
/// rows on 2 threads: blocks of 50 (6 a thread, 200 rows a head) instead of
/// 32 (11 a thread, 224 rows a head), 18% faster.
int64_t rowBlock(int64_t rows, int64_t groups, int64_t threads) {
  constexpr int64_t kMax = 64, kMin = 16, kOverhead = 8;
  if (rows <= kMax)
    return rows;
  int64_t best = kMax, bestCost = std::numeric_limits<int64_t>::max();
  for (int64_t t = kMax; t >= kMin; --t) {
    const int64_t steps = groups * ((rows + t - 1) / t);
    const int64_t cost = (steps + threads - 1) / threads * (t + kOverhead);
    if (cost < bestCost) {
      best = t;
      bestCost = cost;
    }
  }
  return best;
}

Value slice3(OpBuilder &b, Location loc, Value full, ArrayRef<OpFoldResult> offsets,
             ArrayRef<int64_t> sizes) {
  SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
  return tensor::ExtractSliceOp::create(b, loc, f32TensorType(b.getContext(), sizes), full, offsets,
                                        getAsIndexOpFoldResult(b.getContext(), sizes), strides);
}

/// init[b, i, j] + sum_c lhs[b, i, c] * rhs[rhsLoops] over loops (b, i, j, c):
/// the scores (rhs = keys, read [b, j, c]) and the accumulator update (rhs =
/// values, read [b, c, j]).
Value contract(OpBuilder &b, Location loc, Value lhs, Value rhs, ArrayRef<unsigned> rhsLoops,
               Value init) {
  MLIRContext *ctx = b.getContext();
  return buildGeneric(
      b, loc, ValueRange{lhs, rhs}, init,
      {loopsMap(ctx, 4, {0, 1, 3}), loopsMap(ctx, 4, rhsLoops), loopsMap(ctx, 4, {0, 1, 2})},
      iteratorKinds({false, false, false, true}), [](OpBuilder &nb, Location nl, ValueRange a) {
        ScalarBuilder sb{nb, nl};
        return sb.add(a[2], sb.mul(a[0], a[1]));
      });
}

/// Attention of q [B, M, D] over k [B, N, D], v [B, N, E], with scores
/// scaled by `scale` plus bias [B, M, N] if given, streamed over key blocks
/// and written into `dest` [B, M, E].
Value streamAttention(OpBuilder &b, Location loc, Value q, Value k, Value v, Value bias,
                      double scale, Value dest) {
  MLIRContext *ctx = b.getContext();
  const int64_t batch = shapeOf(q)[0], m = shapeOf(q)[1], d = shapeOf(q)[2];
  const int64_t n = shapeOf(k)[1], e = shapeOf(v)[2];
  const int64_t blockKeys = keyBlock(n), mainKeys = n - n % blockKeys;

  Value rowMax = filledTensor(b, loc, {batch, m}, kLowest);
  Value rowSum = filledTensor(b, loc, {batch, m}, 0.0);
  Value acc = linalg::FillOp::create(b, loc, f32Constant(b, loc, 0.0), dest).getResult(0);
  // One step of the stream: keys [start, start + t) update the running
  // row maxima, row sums and accumulator.
  auto streamBlock = [&](OpBuilder &lb, Location l, Value start, int64_t t,
                         ValueRange carried) -> SmallVector<Value> {
    auto block = [&](Value full, int64_t inner) {
      return slice3(lb, l, full, {lb.getIndexAttr(0), start, lb.getIndexAttr(0)},
                    {batch, t, inner});
    };
    Value oldMax = carried[0], oldSum = carried[1], oldAcc = carried[2];
    Value kb = block(k, d), vb = block(v, e);

    // s[b, i, j] = sum_c q[b, i, c] * k[b, j, c] * scale (+ bias[b, i, start + j]).
    Value zeros = filledTensor(lb, l, {batch, m, t}, 0.0);
    Value s = contract(lb, l, q, kb, {0, 2, 3}, zeros);
    SmallVector<Value> scoreInputs = {s};
    SmallVector<AffineMap> scoreMaps = {loopsMap(ctx, 3, {0, 1, 2})};
    if (bias) {
      scoreInputs.push_back(
          slice3(lb, l, bias, {lb.getIndexAttr(0), lb.getIndexAttr(0), start}, {batch, m, t}));
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
    auto rows2 = loopsMap(ctx, 2, {0, 1}), rows3 = loopsMap(ctx, 3, {0, 1}),
         full3 = loopsMap(ctx, 3, {0, 1, 2});
    SmallVector<utils::IteratorType> parallel2 = iteratorKinds({false, false}),
                                     parallel3 = iteratorKinds({false, false, false});
    // This block's row maxima, then the factor exp(old - new) that
    // rescales what earlier blocks accumulated.
    auto maxNum = [](OpBuilder &nb, Location nl, ValueRange a) {
      return ScalarBuilder{nb, nl}.maxNum(a[1], a[0]);
    };
    Value blockMax = reduceInnermost(lb, l, s, {}, filledTensor(lb, l, {batch, m}, kLowest),
                                     kLowest, maxNum, maxNum);
    Value correction =
        buildParallel(lb, l, f32TensorType(ctx, {batch, m}), ValueRange{oldMax, blockMax},
                      {rows2, rows2}, [](OpBuilder &nb, Location nl, ValueRange a) {
                        ScalarBuilder sb{nb, nl};
                        return sb.exp(sb.sub(a[0], sb.maxNum(a[0], a[1])));
                      });
    Value newMax = buildGeneric(lb, l, ValueRange{blockMax}, oldMax, {rows2, rows2}, parallel2,
                                [](OpBuilder &nb, Location nl, ValueRange a) {
                                  return ScalarBuilder{nb, nl}.maxNum(a[1], a[0]);
                                });
    // p = exp(s - newMax): this block's unnormalised probabilities.
    Value p = buildParallel(lb, l, f32TensorType(ctx, {batch, m, t}), ValueRange{s, newMax},
                            {full3, rows3}, [](OpBuilder &nb, Location nl, ValueRange a) {
                              ScalarBuilder sb{nb, nl};
                              return sb.exp(sb.sub(a[0], a[1]));
                            });
    // sum = sum * correction + rowsum(p).
    Value scaledSum = buildGeneric(lb, l, ValueRange{correction}, oldSum, {rows2, rows2}, parallel2,
                                   [](OpBuilder &nb, Location nl, ValueRange a) {
                                     return ScalarBuilder{nb, nl}.mul(a[1], a[0]);
                                   });
    auto add = [](OpBuilder &nb, Location nl, ValueRange a) {
      return ScalarBuilder{nb, nl}.add(a[1], a[0]);
    };
    Value newSum = reduceInnermost(lb, l, p, {}, scaledSum, 0.0, add, add);
    // acc = acc * correction + p * v_block.
    Value scaledAcc = buildGeneric(lb, l, ValueRange{correction}, oldAcc, {rows3, full3}, parallel3,
                                   [](OpBuilder &nb, Location nl, ValueRange a) {
                                     return ScalarBuilder{nb, nl}.mul(a[1], a[0]);
                                   });
    Value newAcc = contract(lb, l, p, vb, {0, 3, 2}, scaledAcc);
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

  // out = acc / sum, in the accumulator's place.
  return buildGeneric(b, loc, ValueRange{state[1]}, state[2],
                      {loopsMap(ctx, 3, {0, 1}), loopsMap(ctx, 3, {0, 1, 2})},
                      iteratorKinds({false, false, false}),
                      [](OpBuilder &nb, Location l, ValueRange a) {
                        return ScalarBuilder{nb, l}.div(a[1], a[0]);
                      });
}

/// `x` [B, M, ...] with zero rows appended up to `rows`.
Value padRows(OpBuilder &b, Location loc, Value x, int64_t rows) {
  ArrayRef<int64_t> shape = shapeOf(x);
  if (shape[1] == rows)
    return x;
  SmallVector<int64_t> low(shape.size(), 0), high(shape.size(), 0), padded(shape);
  high[1] = rows - shape[1];
  padded[1] = rows;
  MLIRContext *ctx = b.getContext();
  return tensor::PadOp::create(b, loc, f32TensorType(ctx, padded), x,
                               getAsIndexOpFoldResult(ctx, low), getAsIndexOpFoldResult(ctx, high),
                               f32Constant(b, loc, 0.0));
}

struct AttentionToLinalg : OpConversionPattern<AttentionOp> {
  AttentionToLinalg(MLIRContext *ctx, int64_t threads)
      : OpConversionPattern(ctx), threads(threads) {}

  LogicalResult matchAndRewrite(AttentionOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    OpBuilder &b = rewriter;
    ArrayRef<int64_t> qs = shapeOf(adaptor.getQuery());
    const size_t rank = qs.size();
    const int64_t batch = product(qs.drop_back(2)), m = qs[rank - 2], d = qs[rank - 1];
    const int64_t n = shapeOf(adaptor.getKey())[rank - 2], e = shapeOf(adaptor.getValue()).back();
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

    const int64_t rows = rowBlock(m, batch, threads), blocks = (m + rows - 1) / rows,
                  padded = blocks * rows;
    Value out;
    if (batch * blocks < 2) {
      Value dest = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{batch, m, e}, b.getF32Type());
      out = streamAttention(b, loc, q, k, v, bias, scale, dest);
    } else {
      q = padRows(b, loc, q, padded);
      if (bias)
        bias = padRows(b, loc, bias, padded);
      Value dest =
          tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{batch, padded, e}, b.getF32Type());
      auto forall = scf::ForallOp::create(
          b, loc, ArrayRef<OpFoldResult>{b.getIndexAttr(batch), b.getIndexAttr(blocks)},
          ValueRange{dest}, std::nullopt);
      OpFoldResult zero = b.getIndexAttr(0);
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(forall.getBody());
        Value bi = forall.getInductionVars()[0];
        Value first = arith::MulIOp::create(b, loc, forall.getInductionVars()[1],
                                            arith::ConstantIndexOp::create(b, loc, rows));
        SmallVector<OpFoldResult> at = {bi, first, zero};
        // Sliced one by one: slices built inside the call's arguments would
        // come out in the compiler's order of evaluation (gcc's differs from clang's).
        Value outRows = slice3(b, loc, forall.getRegionIterArgs()[0], at, {1, rows, e});
        Value biasRows = bias ? slice3(b, loc, bias, at, {1, rows, n}) : Value();
        Value values = slice3(b, loc, v, {bi, zero, zero}, {1, n, e});
        Value keys = slice3(b, loc, k, {bi, zero, zero}, {1, n, d});
        Value queries = slice3(b, loc, q, at, {1, rows, d});
        Value head = streamAttention(b, loc, queries, keys, values, biasRows, scale, outRows);
        b.setInsertionPointToStart(forall.getTerminator().getBody());
        tensor::ParallelInsertSliceOp::create(b, loc, head, forall.getRegionIterArgs()[0], at,
                                              getAsIndexOpFoldResult(ctx, {1, rows, e}),
                                              SmallVector<OpFoldResult>(3, b.getIndexAttr(1)));
      }
      out = forall.getResult(0);
      if (padded > m)
        out = slice3(b, loc, out, {zero, zero, zero}, {batch, m, e});
    }
    rewriter.replaceOp(op, reshapeTo(b, loc, out, op.getType().getShape()));
    return success();
  }

  int64_t threads;
};

} // namespace

void populateAttentionToLinalgPatterns(RewritePatternSet &patterns, int64_t threads) {
  patterns.add<AttentionToLinalg>(patterns.getContext(), threads);
}

} // namespace acnn
