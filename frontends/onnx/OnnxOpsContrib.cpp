// ONNX Runtime's contrib ops (domain com.microsoft) that its graph optimizer
// writes into the models it saves, and Hugging Face Optimum's optimized
// exports (O2 and up) with it: a conv or Gemm with its residual sum and
// activation, the GELU spellings with their bias adds, a scaled transposing
// matmul, and the residual add before a LayerNorm. Each becomes the acnn ops
// it stands for, which graph fusion then fuses as it fuses the standard
// spellings. (Gelu and QuickGelu are with the activations they are.)
#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OnnxOpTable.h"

using namespace mlir;
using llvm::Expected;
using llvm::SmallVector;

namespace acnn {

namespace {

/// FusedConv's `activation` (with `activation_params`, as ONNX Runtime's
/// MLAS takes them) of `y`; `y` itself without one; null for another name.
Value activation(OpChain &chain, Value y, llvm::StringRef name, llvm::ArrayRef<float> params) {
  auto param = [&](size_t i, float dflt) {
    return llvm::APFloat(i < params.size() ? params[i] : dflt);
  };
  if (name.empty())
    return y;
  if (name == "Relu")
    return chain.op<ReluOp>(y);
  if (name == "Tanh")
    return chain.op<TanhOp>(y);
  if (name == "Sigmoid")
    return chain.op<SigmoidOp>(y);
  if (name == "LeakyRelu")
    return chain.op<LeakyReluOp>(y, param(0, 0.01f));
  if (name == "HardSigmoid")
    return chain.op<HardSigmoidOp>(y, param(0, 0.2f), param(1, 0.5f));
  if (name == "Clip")
    return chain.op<ClipOp>(y, param(0, std::numeric_limits<float>::lowest()),
                            param(1, std::numeric_limits<float>::max()));
  return {};
}

/// `op`'s standard converter on this node (FusedConv's attributes are Conv's,
/// FusedGemm's Gemm's), then + input 3 (FusedConv's Z) where present, then
/// `activation` with its `params`.
llvm::Error withActivation(NodeContext &ctx, llvm::StringRef op, llvm::ArrayRef<float> params) {
  constexpr unsigned sum = 3;
  Expected<std::string> name = ctx.attrString("activation", "");
  if (!name)
    return name.takeError();
  if (ctx.hasInput(sum) && ctx.shape(0).size() != 4)
    return ctx.fail("a sum input (Z) is supported for 2-D convolutions only");
  if (llvm::Error e = onnxOpTable().find(op)->second.convert(ctx))
    return e;
  OpChain chain(ctx);
  Value y = ctx.output(0);
  if (ctx.hasInput(sum))
    y = chain.op<AddOp>(y, ctx.value(sum));
  Value activated = activation(chain, y, *name, params);
  if (!activated) {
    if (llvm::Error e = chain.done())
      return e;
    return ctx.fail("activation '" + *name + "' is not supported");
  }
  return chain.emit(activated);
}

// activation(Conv(X, W, B) + Z), the activation's parameters a list.
llvm::Error fusedConv(NodeContext &ctx) {
  Expected<std::vector<float>> params = ctx.attrFloats("activation_params");
  if (!params)
    return params.takeError();
  return withActivation(ctx, "Conv", *params);
}

// activation(Gemm(A, B, C)), the activation's parameters attributes of their own.
llvm::Error fusedGemm(NodeContext &ctx) {
  SmallVector<float> params;
  for (const char *name : {"activation_alpha", "activation_beta"}) {
    if (!ctx.hasAttr(name))
      break;
    Expected<float> v = ctx.attrFloat(name, 0.0f);
    if (!v)
      return v.takeError();
    params.push_back(*v);
  }
  return withActivation(ctx, "Gemm", params);
}

// alpha * op(A) @ op(B). op moves the first axis in front of the last two
// where transBatchA / transBatchB say so (the operand's rows are its first
// axis: a transpose of heads folded in), then swaps the last two where transA
// / transB do (ONNX Runtime's fused transposes, checked against it).
llvm::Error fusedMatMul(NodeContext &ctx) {
  Expected<float> alpha = ctx.attrFloat("alpha", 1.0f);
  if (!alpha)
    return alpha.takeError();
  OpChain chain(ctx);
  Value operands[2];
  for (unsigned i = 0; i < 2; ++i) {
    Expected<int64_t> trans = ctx.attrInt(i ? "transB" : "transA", 0);
    if (!trans)
      return trans.takeError();
    Expected<int64_t> batch = ctx.attrInt(i ? "transBatchB" : "transBatchA", 0);
    if (!batch)
      return batch.takeError();
    int64_t rank = ctx.shape(i).size();
    if (rank < 2 || (*batch && (rank < 3 || ctx.shape(1 - i).size() != size_t(rank))))
      return ctx.fail("operands of rank 2 or more only, of one rank of 3 or more with "
                      "transBatchA or transBatchB, got ranks " +
                      llvm::Twine(ctx.shape(0).size()) + " and " +
                      llvm::Twine(ctx.shape(1).size()));
    SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    if (*batch)
      std::rotate(perm.begin(), perm.begin() + 1, perm.end() - 1);
    if (*trans)
      std::swap(perm[rank - 2], perm[rank - 1]);
    operands[i] = ctx.value(i);
    if (!llvm::equal(perm, llvm::seq<int64_t>(0, rank)))
      operands[i] = chain.op<TransposeOp>(operands[i], perm);
  }
  Value y = chain.op<MatmulOp>(operands[0], operands[1]);
  if (*alpha != 1.0f)
    y = chain.op<MulOp>(y, chain.scalar(*alpha));
  return chain.emit(y);
}

// Gelu(X + bias): FastGelu its tanh form (bias optional), BiasGelu the exact one.
template <bool Tanh> llvm::Error biasGelu(NodeContext &ctx) {
  OpChain chain(ctx);
  Value x = ctx.value(0);
  if (ctx.hasInput(1))
    x = chain.op<AddOp>(x, ctx.value(1));
  return chain.emit(chain.op<GeluOp>(x, Tanh));
}

// LayerNorm over the last axis of input + skip (+ bias); output 3 is that sum.
llvm::Error skipLayerNorm(NodeContext &ctx) {
  if (ctx.hasOutput(1) || ctx.hasOutput(2))
    return ctx.fail("outputs 1 and 2 (mean, inv_std_var) are not supported");
  Expected<float> eps = ctx.attrFloat("epsilon", 1e-12f);
  if (!eps)
    return eps.takeError();
  OpChain chain(ctx);
  Value sum = chain.op<AddOp>(ctx.value(0), ctx.value(1));
  if (ctx.hasInput(4))
    sum = chain.op<AddOp>(sum, ctx.value(4));
  Value beta = ctx.hasInput(3) ? ctx.value(3) : Value();
  int64_t axis = int64_t(ctx.shape(0).size()) - 1;
  Value y = chain.op<LayerNormOp>(sum, ctx.value(2), beta, axis, llvm::APFloat(*eps));
  if (llvm::Error e = chain.emit(y))
    return e;
  ctx.setOutput(3, sum);
  return llvm::Error::success();
}

} // namespace

void registerContribOps(OpTable &table) {
  addOp(table, "com.microsoft.FusedConv", fusedConv, 2, 4)
      .note("activation Relu, Tanh, Sigmoid, LeakyRelu, HardSigmoid or Clip; a sum input (Z) "
            "for 2-D convolutions only");
  addOp(table, "com.microsoft.FusedGemm", fusedGemm, 2, 3)
      .note("activation Relu, Tanh, Sigmoid, LeakyRelu, HardSigmoid or Clip");
  addOp(table, "com.microsoft.FusedMatMul", fusedMatMul, 2, 2)
      .note("operands of rank 2 or more (of one rank with transBatchA / transBatchB)");
  addOp(table, "com.microsoft.FastGelu", biasGelu<true>, 1, 2);
  addOp(table, "com.microsoft.BiasGelu", biasGelu<false>, 2, 2);
  addOp(table, "com.microsoft.SkipLayerNormalization", skipLayerNorm, 3, 5, 4)
      .note("no mean and inv_std_var outputs");
}

} // namespace acnn
