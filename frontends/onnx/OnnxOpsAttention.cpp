// ONNX Attention (opset 23): scaled dot-product attention as one node, which
// newer exporters write for torch's scaled_dot_product_attention. It becomes
// acnn.attention directly, with the heads of 3-D inputs split by reshapes and
// transposes around it, grouped key/value heads repeated, and the boolean or
// additive mask and the causal mask folded into its bias.
#include "dialects/acnn/ShapeUtils.h"
#include "frontends/onnx/NodeContext.h"

#include <cmath>
#include <limits>

using namespace mlir;
using llvm::ArrayRef;
using llvm::Expected;
using llvm::SmallVector;

namespace acnn {

namespace {

/// Input i as [batch, heads, sequence, head size]: 4-D inputs already are;
/// 3-D ones are [batch, sequence, heads * head size] and are split into
/// `heads` (the node's q_num_heads or kv_num_heads).
Expected<ChainValue> headsFirst(NodeContext &ctx, OpChain &chain, unsigned i, int64_t heads,
                                const char *headsAttr) {
  ArrayRef<int64_t> shape = ctx.shape(i);
  if (shape.size() == 4)
    return chain.input(i);
  if (heads <= 0)
    return ctx.fail("3-D inputs need the attribute '" + llvm::Twine(headsAttr) + "'");
  if (shape[2] % heads)
    return ctx.fail("input " + llvm::Twine(i) + "'s hidden size " + llvm::Twine(shape[2]) +
                    " is not a multiple of " + headsAttr + " " + llvm::Twine(heads));
  ChainValue split = chain.reshape(chain.input(i), {shape[0], shape[1], heads, shape[2] / heads});
  return chain.transpose(split, {0, 2, 1, 3});
}

/// `v` [B, kvHeads, N, D] with each head repeated for the `group` query heads
/// that share it: query head h reads key/value head h / group.
ChainValue repeatHeads(OpChain &chain, const ChainValue &v, ArrayRef<int64_t> shape,
                       int64_t group) {
  if (group == 1)
    return v;
  ChainValue one = chain.reshape(v, {shape[0], shape[1], 1, shape[2], shape[3]});
  ChainValue many = chain.expand(one, {shape[0], shape[1], group, shape[2], shape[3]});
  return chain.reshape(many, {shape[0], shape[1] * group, shape[2], shape[3]});
}

// A position masked out gets the lowest finite float, not -inf: the scores
// stay finite, and a row masked everywhere averages its values, not NaN.
constexpr float kMasked = std::numeric_limits<float>::lowest();

/// The additive bias of the mask input (a boolean mask: true takes part) and
/// of is_causal (key j is hidden from query i when j > i, as PyTorch's
/// is_causal), or a null value when there is neither.
Expected<Value> attentionBias(NodeContext &ctx, OpChain &chain, bool causal, int64_t m, int64_t n) {
  std::optional<KnownTensor> known;
  Value computed;
  if (ctx.hasInput(3)) {
    if (ctx.shape(3).empty() || ctx.shape(3).back() != n)
      return ctx.fail("attn_mask's last axis must be the key length " + llvm::Twine(n) +
                      ", got shape " + formatShape(ctx.shape(3)));
    if (const KnownTensor *mask = ctx.known(3)) {
      known = mask->asFloats();
      if (!mask->isFloat)
        for (float &f : known->floats)
          f = f != 0 ? 0.0f : kMasked;
    } else {
      computed = ctx.value(3);
    }
  }
  if (causal) {
    std::vector<float> lower(m * n, 0.0f);
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = i + 1; j < n; ++j)
        lower[i * n + j] = kMasked;
    KnownTensor mask = KnownTensor::ofFloats({m, n}, std::move(lower));
    if (known) {
      Expected<KnownTensor> both = binaryKnown(*known, mask, nullptr, [](double a, double b) {
        return std::max(a + b, double(kMasked));
      });
      if (!both)
        return ctx.fail(both.takeError());
      known = std::move(*both);
    } else {
      known = std::move(mask);
    }
  }
  Value bias = known ? chain.value(ChainValue(std::move(*known))) : Value();
  if (computed)
    bias = bias ? chain.op<AddOp>(computed, bias) : computed;
  return bias;
}

llvm::Error attention(NodeContext &ctx) {
  for (unsigned i : {4u, 5u, 6u})
    if (ctx.hasInput(i))
      return ctx.fail("input " + llvm::Twine(i) +
                      " (past key/value or padding lengths) is not supported: acnn compiles "
                      "models without a key/value cache");
  Expected<float> softcap = ctx.attrFloat("softcap", 0.0f);
  if (!softcap)
    return softcap.takeError();
  if (*softcap != 0.0f)
    return ctx.fail("softcap is not supported");
  Expected<int64_t> causal = ctx.attrInt("is_causal", 0);
  if (!causal)
    return causal.takeError();
  Expected<int64_t> qHeads = ctx.attrInt("q_num_heads", 0);
  if (!qHeads)
    return qHeads.takeError();
  Expected<int64_t> kvHeads = ctx.attrInt("kv_num_heads", 0);
  if (!kvHeads)
    return kvHeads.takeError();

  const size_t rank = ctx.shape(0).size();
  if ((rank != 3 && rank != 4) || ctx.shape(1).size() != rank || ctx.shape(2).size() != rank)
    return ctx.fail("query, key and value must all be 3-D or all 4-D");
  OpChain chain(ctx);
  Expected<ChainValue> q = headsFirst(ctx, chain, 0, *qHeads, "q_num_heads");
  if (!q)
    return q.takeError();
  Expected<ChainValue> k = headsFirst(ctx, chain, 1, *kvHeads, "kv_num_heads");
  if (!k)
    return k.takeError();
  Expected<ChainValue> v = headsFirst(ctx, chain, 2, *kvHeads, "kv_num_heads");
  if (!v)
    return v.takeError();
  if (llvm::Error e = chain.done())
    return e;
  SmallVector<int64_t> qShape(cast<RankedTensorType>(chain.value(*q).getType()).getShape());
  SmallVector<int64_t> kShape(cast<RankedTensorType>(chain.value(*k).getType()).getShape());
  SmallVector<int64_t> vShape(cast<RankedTensorType>(chain.value(*v).getType()).getShape());
  if (kShape[1] != vShape[1] || kShape[1] <= 0 || qShape[1] % kShape[1])
    return ctx.fail("query heads (" + llvm::Twine(qShape[1]) +
                    ") must be a multiple of the key and value heads (" + llvm::Twine(kShape[1]) +
                    ", " + llvm::Twine(vShape[1]) + ")");
  int64_t group = qShape[1] / kShape[1];
  ChainValue key = repeatHeads(chain, *k, kShape, group);
  ChainValue value = repeatHeads(chain, *v, vShape, group);

  Expected<float> scale = ctx.attrFloat("scale", 1.0f / std::sqrt(float(qShape[3])));
  if (!scale)
    return scale.takeError();
  Expected<Value> bias = attentionBias(ctx, chain, *causal != 0, qShape[2], kShape[2]);
  if (!bias)
    return bias.takeError();
  Value y = chain.op<AttentionOp>(chain.value(*q), chain.value(key), chain.value(value), *bias,
                                  llvm::APFloat(*scale));
  if (rank == 3 && y) // back to [batch, sequence, heads * value head size]
    y = chain.reshape(chain.op<TransposeOp>(y, ArrayRef<int64_t>{0, 2, 1, 3}),
                      {qShape[0], qShape[2], qShape[1] * vShape[3]});
  return chain.emit(y);
}

} // namespace

void registerAttention(OpTable &table) {
  addOp(table, "Attention", attention, 3, 7)
      .opsets(23)
      .note("no key/value cache (past_key, past_value, nonpad_kv_seqlen); softcap 0; only "
            "output 0; a boolean attn_mask must be known");
}

} // namespace acnn
