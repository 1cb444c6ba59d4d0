// Element-wise ONNX ops. Add/Sub/Mul/Div of two known integer tensors are
// shape arithmetic and are evaluated; everything else becomes an acnn op.
#include "frontends/onnx/NodeContext.h"

#include <limits>

using namespace mlir;

namespace acnn {

namespace {

template <typename OpT> llvm::Error unary(NodeContext &ctx) { return ctx.emit<OpT>(ctx.value(0)); }

template <typename OpT> llvm::Error binary(NodeContext &ctx) {
  return ctx.emit<OpT>(ctx.value(0), ctx.value(1));
}

std::optional<int64_t> addInts(int64_t a, int64_t b) { return a + b; }
std::optional<int64_t> subInts(int64_t a, int64_t b) { return a - b; }
std::optional<int64_t> mulInts(int64_t a, int64_t b) { return a * b; }
std::optional<int64_t> divInts(int64_t a, int64_t b) {
  if (b == 0 || (a == std::numeric_limits<int64_t>::min() && b == -1))
    return std::nullopt;
  return a / b; // truncates, as ONNX's integer Div
}

template <typename OpT, std::optional<int64_t> (*Fold)(int64_t, int64_t)>
llvm::Error arithmetic(NodeContext &ctx) {
  const KnownTensor *a = ctx.known(0), *b = ctx.known(1);
  if (!a || !b || a->isFloat || b->isFloat)
    return binary<OpT>(ctx);
  llvm::Expected<KnownTensor> r = intBinary(*a, *b, Fold);
  if (!r)
    return ctx.fail(r.takeError());
  ctx.setOutput(0, std::move(*r));
  return llvm::Error::success();
}

// Max and Min take any number of inputs; acnn's take two.
template <typename OpT> llvm::Error variadic(NodeContext &ctx) {
  if (ctx.numInputs() == 1) {
    ctx.forwardInput(0);
    return llvm::Error::success();
  }
  Value acc = ctx.value(0);
  for (unsigned i = 1; i < ctx.numInputs(); ++i) {
    llvm::Expected<OpT> op = ctx.create<OpT>(acc, ctx.value(i));
    if (!op)
      return op.takeError();
    acc = *op;
  }
  ctx.setOutput(0, acc);
  return llvm::Error::success();
}

llvm::Error clip(NodeContext &ctx) {
  float bound[2] = {std::numeric_limits<float>::lowest(), std::numeric_limits<float>::max()};
  const char *names[2] = {"min", "max"};
  for (int i = 0; i < 2; ++i) {
    if (ctx.opset() < 11) {
      llvm::Expected<float> v = ctx.attrFloat(names[i], bound[i]);
      if (!v)
        return v.takeError();
      bound[i] = *v;
      continue;
    }
    if (!ctx.hasInput(i + 1))
      continue;
    llvm::Expected<const KnownTensor *> t = ctx.requireKnown(i + 1, names[i]);
    if (!t)
      return t.takeError();
    if ((*t)->size() != 1)
      return ctx.fail(llvm::Twine(names[i]) + " must be a scalar");
    bound[i] = (*t)->asFloats().floats[0];
  }
  if (bound[0] > bound[1])
    return ctx.fail("min " + std::to_string(bound[0]) + " exceeds max " + std::to_string(bound[1]));
  return ctx.emit<ClipOp>(ctx.value(0), llvm::APFloat(bound[0]), llvm::APFloat(bound[1]));
}

llvm::Error hardSigmoid(NodeContext &ctx) {
  llvm::Expected<float> alpha = ctx.attrFloat("alpha", 0.2f);
  if (!alpha)
    return alpha.takeError();
  llvm::Expected<float> beta = ctx.attrFloat("beta", 0.5f);
  if (!beta)
    return beta.takeError();
  return ctx.emit<HardSigmoidOp>(ctx.value(0), llvm::APFloat(*alpha), llvm::APFloat(*beta));
}

// Opset 20's Gelu; com.microsoft's Gelu is the exact form (no attribute).
llvm::Error gelu(NodeContext &ctx) {
  llvm::Expected<std::string> approximate = ctx.attrString("approximate", "none");
  if (!approximate)
    return approximate.takeError();
  if (*approximate != "none" && *approximate != "tanh")
    return ctx.fail("approximate '" + *approximate + "' is not supported");
  return ctx.emit<GeluOp>(ctx.value(0), *approximate == "tanh");
}

} // namespace

void registerElementwiseOps(OpTable &table) {
  table["Relu"] = {unary<ReluOp>, 1, 1, 1};
  table["Sigmoid"] = {unary<SigmoidOp>, 1, 1, 1};
  table["Tanh"] = {unary<TanhOp>, 1, 1, 1};
  table["Sqrt"] = {unary<SqrtOp>, 1, 1, 1};
  table["Erf"] = {unary<ErfOp>, 1, 1, 1};
  table["Exp"] = {unary<ExpOp>, 1, 1, 1};
  table["Neg"] = {unary<NegOp>, 1, 1, 1};
  table["Reciprocal"] = {unary<ReciprocalOp>, 1, 1, 1};
  table["HardSwish"] = {unary<HardSwishOp>, 1, 1, 1};
  table["HardSigmoid"] = {hardSigmoid, 1, 1, 1};
  table["Gelu"] = {gelu, 1, 1, 1};
  table["com.microsoft.Gelu"] = {gelu, 1, 1, 1};
  table["Clip"] = {clip, 1, 3, 1};
  table["Add"] = {arithmetic<AddOp, addInts>, 2, 2, 1};
  table["Sub"] = {arithmetic<SubOp, subInts>, 2, 2, 1};
  table["Mul"] = {arithmetic<MulOp, mulInts>, 2, 2, 1};
  table["Div"] = {arithmetic<DivOp, divInts>, 2, 2, 1};
  table["Pow"] = {binary<PowOp>, 2, 2, 1};
  table["Max"] = {variadic<MaxOp>, 1, kVariadic, 1};
  table["Min"] = {variadic<MinOp>, 1, kVariadic, 1};
}

} // namespace acnn
