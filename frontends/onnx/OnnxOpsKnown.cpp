// Values known at import: constants, the shapes of graph values, and the ops
// that only occur in shape arithmetic or in tables computed from constants
// (comparisons, logic, Mod, rounding, CumSum, Sin, Cos, EyeLike), which acnn
// evaluates at import and has no graph ops for. The table marks the latter's
// inputs as all known, so the graph walk has checked them before a converter
// runs.
#include "dialects/acnn/ShapeUtils.h"
#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OnnxTensors.h"

#include "llvm/ADT/APFloat.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

using llvm::ArrayRef;
using llvm::Expected;
using llvm::SmallVector;

namespace acnn {

namespace {

llvm::Error shape(NodeContext &ctx) {
  ArrayRef<int64_t> s = ctx.shape(0);
  int64_t rank = s.size();
  Expected<int64_t> start = ctx.attrInt("start", 0);
  if (!start)
    return start.takeError();
  Expected<int64_t> end = ctx.attrInt("end", rank);
  if (!end)
    return end.takeError();
  auto clamp = [&](int64_t i) { return std::clamp<int64_t>(i < 0 ? i + rank : i, 0, rank); };
  int64_t b = clamp(*start), e = std::max(b, clamp(*end));
  ctx.setOutput(0,
                KnownTensor::ofInts({e - b}, std::vector<int64_t>(s.begin() + b, s.begin() + e)));
  return llvm::Error::success();
}

llvm::Error size(NodeContext &ctx) {
  ctx.setOutput(0, KnownTensor::ofInts({}, {product(ctx.shape(0))}));
  return llvm::Error::success();
}

// A 16-bit float rounds each value; acnn keeps it in f32.
float roundTo16Bits(float v, bool bfloat) {
  llvm::APFloat f(v);
  bool lost;
  f.convert(bfloat ? llvm::APFloat::BFloat() : llvm::APFloat::IEEEhalf(),
            llvm::APFloat::rmNearestTiesToEven, &lost);
  f.convert(llvm::APFloat::IEEEsingle(), llvm::APFloat::rmNearestTiesToEven, &lost);
  return f.convertToFloat();
}

llvm::Error castTo(NodeContext &ctx, Expected<int64_t> to) {
  if (!to)
    return to.takeError();
  bool half = *to == onnx::TensorProto::FLOAT16 || *to == onnx::TensorProto::BFLOAT16;
  const KnownTensor *t = ctx.known(0);
  if (!t && (*to == onnx::TensorProto::INT64 || (isFloatDataType(*to) && !half)))
    if (auto indices = ctx.value(0).getDefiningOp<ArgMaxOp>();
        indices && !indices.getType().getElementType().isF32()) {
      if (*to == onnx::TensorProto::INT64) {
        ctx.forwardInput(0);
        return llvm::Error::success();
      }
      // The same argmax with f32 indices (its verifier checks they are exact).
      return ctx.emit<ArgMaxOp>(indices.getType().clone(ctx.builder().getF32Type()),
                                indices.getInput(), indices.getAxis(), indices.getKeepdims(),
                                indices.getSelectLastIndex());
    }
  if (!t) {
    // acnn computes every float in f32, so a cast to f32 or f64 keeps the value.
    if (!isFloatDataType(*to) || half)
      return ctx.fail("cast of a computed tensor to " + dataTypeName(*to) +
                      " is not supported; acnn computes in FLOAT");
    ctx.forwardInput(0);
    return llvm::Error::success();
  }
  if (isFloatDataType(*to)) {
    KnownTensor f = t->asFloats();
    if (half)
      for (float &v : f.floats)
        v = roundTo16Bits(v, *to == onnx::TensorProto::BFLOAT16);
    ctx.setOutput(0, std::move(f));
  } else if (*to == onnx::TensorProto::BOOL) {
    KnownTensor b = t->asInts();
    for (size_t i = 0; i < b.ints.size(); ++i)
      b.ints[i] = t->isFloat ? t->floats[i] != 0.0f : b.ints[i] != 0;
    ctx.setOutput(0, std::move(b));
  } else if (*to == onnx::TensorProto::STRING || !onnx::TensorProto::DataType_IsValid(*to) ||
             *to == onnx::TensorProto::UNDEFINED) {
    return ctx.fail("cast to " + dataTypeName(*to) + " is not supported");
  } else {
    ctx.setOutput(0, t->asInts());
  }
  return llvm::Error::success();
}

llvm::Error castOp(NodeContext &ctx) {
  if (!ctx.hasAttr("to"))
    return ctx.fail("attribute 'to' is required");
  return castTo(ctx, ctx.attrInt("to", 0));
}

// CastLike (torch.onnx's dynamo exporter writes it around every constant): a
// computed target is FLOAT, as everything acnn computes; a known one holds
// integers or floats, which is all the kind a known tensor keeps.
llvm::Error castLike(NodeContext &ctx) {
  const KnownTensor *target = ctx.known(1);
  bool ints = target && !target->isFloat;
  return castTo(ctx, ints ? onnx::TensorProto::INT64 : onnx::TensorProto::FLOAT);
}

llvm::Error constant(NodeContext &ctx) {
  if (ctx.hasAttr("value")) {
    Expected<const onnx::TensorProto *> t = ctx.attrTensor("value");
    if (!t)
      return t.takeError();
    return ctx.emitKnown(0, decodeTensor(**t));
  }
  if (ctx.hasAttr("value_float")) {
    Expected<float> v = ctx.attrFloat("value_float", 0);
    if (!v)
      return v.takeError();
    ctx.setOutput(0, KnownTensor::ofFloats({}, {*v}));
  } else if (ctx.hasAttr("value_int")) {
    Expected<int64_t> v = ctx.attrInt("value_int", 0);
    if (!v)
      return v.takeError();
    ctx.setOutput(0, KnownTensor::ofInts({}, {*v}));
  } else if (ctx.hasAttr("value_ints")) {
    Expected<SmallVector<int64_t>> v = ctx.attrInts("value_ints");
    if (!v)
      return v.takeError();
    ctx.setOutput(
        0, KnownTensor::ofInts({int64_t(v->size())}, std::vector<int64_t>(v->begin(), v->end())));
  } else if (ctx.hasAttr("value_floats")) {
    Expected<std::vector<float>> v = ctx.attrFloats("value_floats");
    if (!v)
      return v.takeError();
    int64_t n = v->size();
    ctx.setOutput(0, KnownTensor::ofFloats({n}, std::move(*v)));
  } else {
    return ctx.fail("needs one of the attributes value, value_float(s) or value_int(s)");
  }
  return llvm::Error::success();
}

llvm::Error constantOfShape(NodeContext &ctx) {
  Expected<SmallVector<int64_t>> shape = ctx.knownInts(0, "shape");
  if (!shape)
    return shape.takeError();
  if (llvm::any_of(*shape, [](int64_t d) { return d < 0; }))
    return ctx.fail("shape " + formatShape(*shape) + " has a negative dim");
  KnownTensor fill = KnownTensor::ofFloats({1}, {0.0f});
  Expected<const onnx::TensorProto *> value = ctx.attrTensor("value");
  if (!value)
    return value.takeError();
  if (*value) {
    Expected<KnownTensor> v = decodeTensor(**value);
    if (!v)
      return ctx.fail(v.takeError());
    if (v->size() != 1)
      return ctx.fail("value must hold one element");
    fill = std::move(*v);
  }
  fill.shape.clear();
  return ctx.emitKnown(0, expandKnown(fill, *shape));
}

// Ones on the k-th diagonal of a matrix the input's shape (torch.eye; CCNet's
// criss-cross attention masks a row's own pixel with it): only the shape is read.
llvm::Error eyeLike(NodeContext &ctx) {
  ArrayRef<int64_t> s = ctx.shape(0);
  if (s.size() != 2 || s[0] < 0 || s[1] < 0)
    return ctx.fail("input must be a matrix of a known shape, not " + formatShape(s));
  if (s[0] * s[1] > kMaxKnownElements)
    return ctx.fail("a " + formatShape(s) + " identity is too large");
  Expected<int64_t> k = ctx.attrInt("k", 0);
  if (!k)
    return k.takeError();
  const KnownTensor *in = ctx.known(0);
  bool isFloat = in ? in->isFloat : true;
  if (ctx.hasAttr("dtype")) {
    Expected<int64_t> dtype = ctx.attrInt("dtype", 0);
    if (!dtype)
      return dtype.takeError();
    isFloat = isFloatDataType(*dtype);
  }
  std::vector<int64_t> ones(s[0] * s[1], 0);
  for (int64_t r = std::max<int64_t>(0, -*k); r < s[0] && r + *k < s[1]; ++r)
    ones[r * s[1] + r + *k] = 1;
  if (!isFloat) {
    ctx.setOutput(0, KnownTensor::ofInts({s[0], s[1]}, std::move(ones)));
    return llvm::Error::success();
  }
  ctx.setOutput(0,
                KnownTensor::ofFloats({s[0], s[1]}, std::vector<float>(ones.begin(), ones.end())));
  return llvm::Error::success();
}

llvm::Error range(NodeContext &ctx) {
  const KnownTensor *bounds[3];
  for (unsigned i = 0; i < 3; ++i) {
    bounds[i] = ctx.known(i);
    if (bounds[i]->size() != 1 || bounds[i]->isFloat != bounds[0]->isFloat)
      return ctx.fail("start, limit and delta must be scalars of one type");
  }
  bool isFloat = bounds[0]->isFloat;
  double start = bounds[0]->asFloats().floats[0], limit = bounds[1]->asFloats().floats[0];
  double delta = bounds[2]->asFloats().floats[0];
  if (delta == 0)
    return ctx.fail("delta must not be 0");
  double count = std::max(0.0, std::ceil((limit - start) / delta));
  if (count > double(kMaxKnownElements))
    return ctx.fail("range of " + llvm::Twine(int64_t(count)) + " elements is too large");
  int64_t n = count;
  if (isFloat) {
    std::vector<float> data;
    for (int64_t i = 0; i < n; ++i)
      data.push_back(float(start + i * delta));
    ctx.setOutput(0, KnownTensor::ofFloats({n}, std::move(data)));
  } else {
    std::vector<int64_t> data;
    for (int64_t i = 0; i < n; ++i)
      data.push_back(bounds[0]->ints[0] + i * bounds[2]->ints[0]);
    ctx.setOutput(0, KnownTensor::ofInts({n}, std::move(data)));
  }
  return llvm::Error::success();
}

// Comparisons and logic give booleans (integers 0 / 1).
template <typename Fn> llvm::Error boolean(NodeContext &ctx) {
  auto ints = [](int64_t a, int64_t b) -> std::optional<int64_t> { return Fn()(a, b); };
  auto floats = [](double a, double b) -> double { return Fn()(a, b); };
  Expected<KnownTensor> r = binaryKnown(*ctx.known(0), *ctx.known(1), ints, floats);
  if (!r)
    return ctx.fail(r.takeError());
  ctx.setOutput(0, r->asInts());
  return llvm::Error::success();
}

struct LogicalXor {
  template <typename T> bool operator()(T a, T b) const { return (a != 0) != (b != 0); }
};

llvm::Error logicalNot(NodeContext &ctx) {
  ctx.setOutput(0,
                unaryKnown(
                    ctx.known(0)->asInts(), [](int64_t a) -> int64_t { return a == 0; }, nullptr));
  return llvm::Error::success();
}

template <int64_t (*Ints)(int64_t), double (*Floats)(double)>
llvm::Error knownUnary(NodeContext &ctx) {
  ctx.setOutput(0, unaryKnown(*ctx.known(0), Ints, Floats));
  return llvm::Error::success();
}

int64_t sameInt(int64_t a) { return a; }
double floorFloat(double a) { return std::floor(a); }
double ceilFloat(double a) { return std::ceil(a); }

// Sine and cosine occur in positional encodings computed from a constant grid
// (XCiT's, EdgeNeXt's Fourier features); ONNX defines them on floats only.
double sinFloat(double a) { return std::sin(a); }
double cosFloat(double a) { return std::cos(a); }

// Running sums along a known axis (EdgeNeXt's coordinate grid is the cumulative
// sum of a mask of ones). `exclusive` leaves element i out of its own sum,
// `reverse` sums from the end.
template <typename T>
void cumulativeSum(std::vector<T> &data, ArrayRef<int64_t> shape, int64_t axis, bool exclusive,
                   bool reverse) {
  int64_t n = shape[axis], inner = product(shape.drop_front(axis + 1));
  int64_t outer = product(shape.take_front(axis));
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      T sum = 0;
      for (int64_t k = 0; k < n; ++k) {
        T &v = data[(o * n + (reverse ? n - 1 - k : k)) * inner + i];
        T x = v;
        v = exclusive ? sum : sum + x;
        sum += x;
      }
    }
}

llvm::Error cumSum(NodeContext &ctx) {
  Expected<int64_t> exclusive = ctx.attrInt("exclusive", 0);
  if (!exclusive)
    return exclusive.takeError();
  Expected<int64_t> reverse = ctx.attrInt("reverse", 0);
  if (!reverse)
    return reverse.takeError();
  KnownTensor r = *ctx.known(0);
  const KnownTensor &axisT = *ctx.known(1);
  int64_t rank = r.shape.size();
  if (axisT.isFloat || axisT.size() != 1)
    return ctx.fail("axis must be one integer");
  std::optional<int64_t> axis = normalizeAxis(axisT.ints[0], rank);
  if (!axis)
    return ctx.fail("axis " + llvm::Twine(axisT.ints[0]) + " is out of range for rank " +
                    llvm::Twine(rank));
  if (r.isFloat)
    cumulativeSum(r.floats, r.shape, *axis, *exclusive, *reverse);
  else
    cumulativeSum(r.ints, r.shape, *axis, *exclusive, *reverse);
  ctx.setOutput(0, std::move(r));
  return llvm::Error::success();
}

// fmod = 0: the result takes the divisor's sign (Python's %); fmod = 1: the
// dividend's (C's fmod).
llvm::Error mod(NodeContext &ctx) {
  Expected<int64_t> fmod = ctx.attrInt("fmod", 0);
  if (!fmod)
    return fmod.takeError();
  bool c = *fmod != 0;
  auto ints = [c](int64_t a, int64_t b) -> std::optional<int64_t> {
    if (b == 0 || (a == std::numeric_limits<int64_t>::min() && b == -1))
      return std::nullopt;
    int64_t r = a % b;
    return !c && r != 0 && (r < 0) != (b < 0) ? r + b : r;
  };
  auto floats = [c](double a, double b) { return c ? std::fmod(a, b) : a - std::floor(a / b) * b; };
  return ctx.emitKnown(0, binaryKnown(*ctx.known(0), *ctx.known(1), ints, floats));
}

} // namespace

void registerKnownOps(OpTable &table) {
  addOp(table, "Constant", constant, 0, 0)
      .fixed("sparse_value")
      .fixed("value_string")
      .fixed("value_strings");
  addOp(table, "ConstantOfShape", constantOfShape).opsets(9).allKnown();
  addOp(table, "Shape", shape);
  addOp(table, "Size", size);
  addOp(table, "Cast", castOp)
      .opsets(6)
      .note("on a computed tensor, only to FLOAT or DOUBLE (acnn computes in FLOAT)");
  addOp(table, "CastLike", castLike, 2, 2)
      .opsets(15)
      .note("a known integer or bool target casts to INT64, any other to FLOAT");
  addOp(table, "Range", range, 3, 3).opsets(11).allKnown();
  addOp(table, "EyeLike", eyeLike).opsets(9);
  addOp(table, "Equal", boolean<std::equal_to<>>, 2, 2).opsets(7).allKnown();
  addOp(table, "Less", boolean<std::less<>>, 2, 2).opsets(7).allKnown();
  addOp(table, "Greater", boolean<std::greater<>>, 2, 2).opsets(7).allKnown();
  addOp(table, "LessOrEqual", boolean<std::less_equal<>>, 2, 2).opsets(12).allKnown();
  addOp(table, "GreaterOrEqual", boolean<std::greater_equal<>>, 2, 2).opsets(12).allKnown();
  addOp(table, "And", boolean<std::logical_and<>>, 2, 2).opsets(7).allKnown();
  addOp(table, "Or", boolean<std::logical_or<>>, 2, 2).opsets(7).allKnown();
  addOp(table, "Xor", boolean<LogicalXor>, 2, 2).opsets(7).allKnown();
  addOp(table, "Not", logicalNot).allKnown();
  addOp(table, "Floor", knownUnary<sameInt, floorFloat>).opsets(6).allKnown();
  addOp(table, "Ceil", knownUnary<sameInt, ceilFloat>).opsets(6).allKnown();
  addOp(table, "Mod", mod, 2, 2).opsets(10).allKnown();
  addOp(table, "Sin", knownUnary<nullptr, sinFloat>).opsets(7).allKnown();
  addOp(table, "Cos", knownUnary<nullptr, cosFloat>).opsets(7).allKnown();
  addOp(table, "CumSum", cumSum, 2, 2).opsets(11).allKnown();
}

} // namespace acnn
