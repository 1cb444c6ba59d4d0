// Element-wise ONNX ops. Arithmetic whose inputs are all known (weights,
// constants, shape arithmetic) is evaluated at import, so `x.shape[-1] ** -0.5`
// leaves a single constant; otherwise each op becomes its acnn op (the graph
// passes recognise the activations spelled out in several).
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

template <typename OpT> llvm::Error binary(NodeContext &ctx) {
  return ctx.emit<OpT>(ctx.value(0), ctx.value(1));
}

// Unary ops that occur in shape arithmetic are evaluated on a known input.
template <typename OpT, IntUnaryFn Ints, double (*Floats)(double)>
llvm::Error foldableUnary(NodeContext &ctx) {
  if (const KnownTensor *t = ctx.known(0)) {
    ctx.setOutput(0, unaryKnown(*t, Ints, Floats));
    return llvm::Error::success();
  }
  return unaryOp<OpT>(ctx);
}

int64_t negInt(int64_t a) { return -a; }
double negFloat(double a) { return -a; }
double sqrtFloat(double a) { return std::sqrt(a); }
double reciprocalFloat(double a) { return 1.0 / a; }
int64_t absInt(int64_t a) { return a < 0 ? -a : a; }
double absFloat(double a) { return std::fabs(a); }
double logFloat(double a) { return std::log(a); }

std::optional<int64_t> addInts(int64_t a, int64_t b) { return a + b; }
std::optional<int64_t> subInts(int64_t a, int64_t b) { return a - b; }
std::optional<int64_t> mulInts(int64_t a, int64_t b) { return a * b; }
std::optional<int64_t> divInts(int64_t a, int64_t b) {
  if (b == 0 || (a == std::numeric_limits<int64_t>::min() && b == -1))
    return std::nullopt;
  return a / b; // truncates, as ONNX's integer Div
}
std::optional<int64_t> powInts(int64_t a, int64_t b) {
  if (b < 0)
    return std::nullopt;
  int64_t r = 1;
  for (int64_t i = 0; i < b; ++i)
    r *= a;
  return r;
}
std::optional<int64_t> maxInts(int64_t a, int64_t b) { return std::max(a, b); }
std::optional<int64_t> minInts(int64_t a, int64_t b) { return std::min(a, b); }

double addFloats(double a, double b) { return a + b; }
double subFloats(double a, double b) { return a - b; }
double mulFloats(double a, double b) { return a * b; }
double divFloats(double a, double b) { return a / b; }
double powFloats(double a, double b) { return std::pow(a, b); }
// NaN propagates, as in acnn.max / acnn.min.
double maxFloats(double a, double b) { return (a > b || std::isnan(a)) ? a : b; }
double minFloats(double a, double b) { return (a < b || std::isnan(a)) ? a : b; }

// Before opset 7, Add, Sub, Mul and Div broadcast only with broadcast = 1,
// B's axes lined up with A's from `axis` (by default, with the last ones):
// B's shape with the unit axes after it that NumPy broadcasting needs.
Expected<SmallVector<int64_t>> legacyBroadcastShape(NodeContext &ctx) {
  ArrayRef<int64_t> a = ctx.shape(0), b = ctx.shape(1);
  SmallVector<int64_t> shape(b);
  if (ctx.opset() >= 7)
    return shape;
  Expected<int64_t> broadcast = ctx.attrInt("broadcast", 0);
  if (!broadcast)
    return broadcast.takeError();
  if (!*broadcast) {
    if (a != b)
      return ctx.fail("shapes " + formatShape(a) + " and " + formatShape(b) +
                      " differ and broadcast is 0");
    return shape;
  }
  Expected<int64_t> axis = ctx.attrInt("axis", int64_t(a.size() - b.size()));
  if (!axis)
    return axis.takeError();
  if (*axis < 0 || *axis + b.size() > a.size())
    return ctx.fail("B " + formatShape(b) + " does not fit A " + formatShape(a) + " at axis " +
                    llvm::Twine(*axis));
  shape.append(a.size() - *axis - b.size(), 1);
  return shape;
}

template <typename OpT, std::optional<int64_t> (*Ints)(int64_t, int64_t),
          double (*Floats)(double, double)>
llvm::Error arithmetic(NodeContext &ctx) {
  Expected<SmallVector<int64_t>> rhsShape = legacyBroadcastShape(ctx);
  if (!rhsShape)
    return rhsShape.takeError();
  if (*rhsShape == ctx.shape(1)) {
    if (ctx.allKnown())
      return ctx.emitKnown(0, binaryKnown(*ctx.known(0), *ctx.known(1), Ints, Floats));
    return binary<OpT>(ctx);
  }
  OpChain chain(ctx);
  Value rhs = chain.value(chain.reshape(chain.input(1), *rhsShape));
  return chain.emit(chain.op<OpT>(ctx.value(0), rhs));
}

// Max, Min and Sum take any number of inputs; acnn's ops take two.
template <typename OpT, std::optional<int64_t> (*Ints)(int64_t, int64_t),
          double (*Floats)(double, double)>
llvm::Error variadic(NodeContext &ctx) {
  if (ctx.numInputs() == 1) {
    ctx.forwardInput(0);
    return llvm::Error::success();
  }
  if (ctx.allKnown()) {
    KnownTensor acc = *ctx.known(0);
    for (unsigned i = 1; i < ctx.numInputs(); ++i) {
      llvm::Expected<KnownTensor> next = binaryKnown(acc, *ctx.known(i), Ints, Floats);
      if (!next)
        return ctx.fail(next.takeError());
      acc = std::move(*next);
    }
    ctx.setOutput(0, std::move(acc));
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

// Mean of any number of inputs: their sum over their count.
llvm::Error mean(NodeContext &ctx) {
  if (ctx.numInputs() == 1) {
    ctx.forwardInput(0);
    return llvm::Error::success();
  }
  OpChain chain(ctx);
  Value sum = ctx.value(0);
  for (unsigned i = 1; i < ctx.numInputs(); ++i)
    sum = chain.op<AddOp>(sum, ctx.value(i));
  return chain.emit(chain.op<DivOp>(sum, chain.scalar(float(ctx.numInputs()))));
}

// Bounds are attributes before opset 11 and optional known inputs since. A
// known input is clipped at import: exporters clamp shape arithmetic (timm's
// "same" padding computes its pads as max(..., 0)), and integer bounds stay
// exact.
llvm::Error clip(NodeContext &ctx) {
  float bound[2] = {std::numeric_limits<float>::lowest(), std::numeric_limits<float>::max()};
  int64_t intBound[2] = {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()};
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
    const KnownTensor *t = ctx.known(i + 1);
    if (t->size() != 1)
      return ctx.fail(llvm::Twine(names[i]) + " must be a scalar");
    bound[i] = t->asFloats().floats[0];
    intBound[i] = t->asInts().ints[0];
  }
  if (bound[0] > bound[1])
    return ctx.fail("min " + std::to_string(bound[0]) + " exceeds max " + std::to_string(bound[1]));
  if (const KnownTensor *t = ctx.known(0)) {
    KnownTensor r = *t;
    for (float &v : r.floats)
      v = std::min(std::max(v, bound[0]), bound[1]);
    for (int64_t &v : r.ints)
      v = std::min(std::max(v, intBound[0]), intBound[1]);
    ctx.setOutput(0, std::move(r));
    return llvm::Error::success();
  }
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

// An op whose one attribute `name` (default `dflt`) is its acnn op's only attribute.
template <typename OpT> llvm::Error withAlpha(NodeContext &ctx, float dflt) {
  llvm::Expected<float> alpha = ctx.attrFloat("alpha", dflt);
  if (!alpha)
    return alpha.takeError();
  return ctx.emit<OpT>(ctx.value(0), llvm::APFloat(*alpha));
}

llvm::Error leakyRelu(NodeContext &ctx) { return withAlpha<LeakyReluOp>(ctx, 0.01f); }
llvm::Error elu(NodeContext &ctx) { return withAlpha<EluOp>(ctx, 1.0f); }

// gamma * elu(x, alpha).
llvm::Error selu(NodeContext &ctx) {
  llvm::Expected<float> alpha = ctx.attrFloat("alpha", 1.67326319217681884765625f);
  if (!alpha)
    return alpha.takeError();
  llvm::Expected<float> gamma = ctx.attrFloat("gamma", 1.05070102214813232421875f);
  if (!gamma)
    return gamma.takeError();
  OpChain chain(ctx);
  Value elu = chain.op<EluOp>(ctx.value(0), llvm::APFloat(*alpha));
  return chain.emit(chain.op<MulOp>(elu, chain.scalar(*gamma)));
}

// alpha * elu(x / alpha, 1).
llvm::Error celu(NodeContext &ctx) {
  llvm::Expected<float> alpha = ctx.attrFloat("alpha", 1.0f);
  if (!alpha)
    return alpha.takeError();
  if (*alpha == 0)
    return ctx.fail("alpha must not be 0");
  OpChain chain(ctx);
  Value scaled = chain.op<DivOp>(ctx.value(0), chain.scalar(*alpha));
  Value elu = chain.op<EluOp>(scaled, llvm::APFloat(1.0f));
  return chain.emit(chain.op<MulOp>(elu, chain.scalar(*alpha)));
}

// x / (1 + |x|).
llvm::Error softsign(NodeContext &ctx) {
  OpChain chain(ctx);
  Value x = ctx.value(0);
  Value denominator = chain.op<AddOp>(chain.op<AbsOp>(x), chain.scalar(1.0f));
  return chain.emit(chain.op<DivOp>(x, denominator));
}

// Opset 18's Mish: x * tanh(softplus(x)), as torch.onnx writes it before.
llvm::Error mish(NodeContext &ctx) {
  OpChain chain(ctx);
  Value x = ctx.value(0);
  Value t = chain.op<TanhOp>(chain.op<SoftplusOp>(x));
  return chain.emit(chain.op<MulOp>(x, t));
}

// x * sigmoid(alpha * x), SiLU when alpha is 1: opset 24's Swish (alpha 1
// unless given) and ONNX Runtime's QuickGelu (1.702).
template <int AlphaThousandths> llvm::Error swish(NodeContext &ctx) {
  llvm::Expected<float> alpha = ctx.attrFloat("alpha", AlphaThousandths / 1000.0f);
  if (!alpha)
    return alpha.takeError();
  Value x = ctx.value(0);
  if (*alpha == 1.0f)
    return ctx.emit<SiluOp>(x);
  OpChain chain(ctx);
  Value gate = chain.op<SigmoidOp>(chain.op<MulOp>(x, chain.scalar(*alpha)));
  return chain.emit(chain.op<MulOp>(x, gate));
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

// The condition is known (acnn has no comparison ops); the values may be
// computed.
llvm::Error where(NodeContext &ctx) {
  if (ctx.allKnown())
    return ctx.emitKnown(0, whereKnown(*ctx.known(0), *ctx.known(1), *ctx.known(2)));
  return ctx.emit<WhereOp>(ctx.value(0), ctx.value(1), ctx.value(2));
}

} // namespace

void registerElementwiseOps(OpTable &table) {
  addOp(table, "Relu", unaryOp<ReluOp>);
  addOp(table, "Sigmoid", unaryOp<SigmoidOp>);
  addOp(table, "Tanh", unaryOp<TanhOp>);
  addOp(table, "Erf", unaryOp<ErfOp>).opsets(9);
  addOp(table, "Exp", unaryOp<ExpOp>);
  addOp(table, "Sqrt", foldableUnary<SqrtOp, nullptr, sqrtFloat>);
  addOp(table, "Neg", foldableUnary<NegOp, negInt, negFloat>);
  addOp(table, "Reciprocal", foldableUnary<ReciprocalOp, nullptr, reciprocalFloat>);
  addOp(table, "Abs", foldableUnary<AbsOp, absInt, absFloat>);
  addOp(table, "Log", foldableUnary<LogOp, nullptr, logFloat>);
  addOp(table, "Softplus", unaryOp<SoftplusOp>);
  addOp(table, "Softsign", softsign);
  addOp(table, "Mish", mish).opsets(18);
  addOp(table, "Swish", swish<1000>).opsets(24);
  addOp(table, "com.microsoft.QuickGelu", swish<1702>);
  addOp(table, "LeakyRelu", leakyRelu);
  addOp(table, "PRelu", binary<PReluOp>, 2, 2).opsets(7);
  addOp(table, "Elu", elu);
  addOp(table, "Selu", selu);
  addOp(table, "Celu", celu).opsets(12);
  addOp(table, "HardSwish", unaryOp<HardSwishOp>).opsets(14);
  addOp(table, "HardSigmoid", hardSigmoid);
  addOp(table, "Gelu", gelu).opsets(20);
  addOp(table, "com.microsoft.Gelu", gelu);
  addOp(table, "Clip", clip, 1, 3).known({1, 2});
  addOp(table, "Add", arithmetic<AddOp, addInts, addFloats>, 2, 2);
  addOp(table, "Sub", arithmetic<SubOp, subInts, subFloats>, 2, 2);
  addOp(table, "Mul", arithmetic<MulOp, mulInts, mulFloats>, 2, 2);
  addOp(table, "Div", arithmetic<DivOp, divInts, divFloats>, 2, 2);
  addOp(table, "Pow", arithmetic<PowOp, powInts, powFloats>, 2, 2).opsets(7);
  addOp(table, "Max", variadic<MaxOp, maxInts, maxFloats>, 1, kVariadic);
  addOp(table, "Min", variadic<MinOp, minInts, minFloats>, 1, kVariadic);
  addOp(table, "Sum", variadic<AddOp, addInts, addFloats>, 1, kVariadic);
  addOp(table, "Mean", mean, 1, kVariadic);
  addOp(table, "Where", where, 3, 3).opsets(9).known({0});
}

} // namespace acnn
