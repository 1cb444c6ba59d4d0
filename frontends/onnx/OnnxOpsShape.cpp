// Data movement, shapes and constants. Each op on known inputs is evaluated
// (ShapeFolding), so the shape arithmetic exporters emit around Reshape and
// Expand disappears; on computed inputs it becomes an acnn op. Ops acnn has no
// counterpart for (Equal, Where, Expand, Range, ...) are evaluated only.
#include "dialects/acnn/ShapeUtils.h"
#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OnnxTensors.h"

#include "mlir/IR/BuiltinAttributes.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using llvm::ArrayRef;
using llvm::Expected;
using llvm::SmallVector;

namespace acnn {

namespace {

llvm::Error setKnown(NodeContext &ctx, unsigned i, Expected<KnownTensor> t) {
  if (!t)
    return ctx.fail(t.takeError());
  ctx.setOutput(i, std::move(*t));
  return llvm::Error::success();
}

// Output 0 is input 0 under `shape`.
llvm::Error reshapeTo(NodeContext &ctx, ArrayRef<int64_t> shape) {
  if (const KnownTensor *t = ctx.known(0))
    return setKnown(ctx, 0, t->reshaped(shape));
  Expected<Value> v = ctx.reshape(ctx.value(0), shape);
  if (!v)
    return v.takeError();
  ctx.setOutput(0, *v);
  return llvm::Error::success();
}

llvm::Error identity(NodeContext &ctx) {
  ctx.forwardInput(0);
  return llvm::Error::success();
}

llvm::Error dropout(NodeContext &ctx) {
  if (ctx.hasInput(2)) {
    Expected<SmallVector<int64_t>> training = ctx.knownInts(2, "training_mode");
    if (!training)
      return training.takeError();
    if (llvm::any_of(*training, [](int64_t t) { return t != 0; }))
      return ctx.fail("training_mode is not supported");
  }
  // In inference every element is kept: the mask is all true.
  if (ctx.numOutputs() > 1) {
    ArrayRef<int64_t> dims = ctx.shape(0);
    ctx.setOutput(1, KnownTensor::ofInts(dims, std::vector<int64_t>(product(dims), 1)));
  }
  return identity(ctx);
}

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

llvm::Error reshape(NodeContext &ctx) {
  Expected<SmallVector<int64_t>> target = ctx.knownInts(1, "shape");
  if (!target)
    return target.takeError();
  Expected<int64_t> allowZero = ctx.attrInt("allowzero", 0);
  if (!allowZero)
    return allowZero.takeError();
  ArrayRef<int64_t> in = ctx.shape(0);
  SmallVector<int64_t> out = *target;
  std::optional<size_t> inferred;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == 0 && !*allowZero) {
      if (i >= in.size())
        return ctx.fail("shape " + formatShape(*target) + " copies dim " + llvm::Twine(i) +
                        " of a rank " + llvm::Twine(in.size()) + " input");
      out[i] = in[i];
    } else if (out[i] == -1) {
      if (inferred)
        return ctx.fail("shape " + formatShape(*target) + " has more than one -1");
      inferred = i;
    } else if (out[i] < 0) {
      return ctx.fail("shape " + formatShape(*target) + " has a negative dim");
    }
  }
  if (inferred) {
    out[*inferred] = 1;
    int64_t rest = product(out);
    if (rest == 0 || product(in) % rest != 0)
      return ctx.fail("cannot reshape " + formatShape(in) + " to " + formatShape(*target));
    out[*inferred] = product(in) / rest;
  }
  return reshapeTo(ctx, out);
}

llvm::Error flatten(NodeContext &ctx) {
  Expected<int64_t> axis = ctx.attrInt("axis", 1);
  if (!axis)
    return axis.takeError();
  ArrayRef<int64_t> in = ctx.shape(0);
  int64_t a = *axis < 0 ? *axis + int64_t(in.size()) : *axis;
  if (a < 0 || a > int64_t(in.size()))
    return ctx.fail("axis " + llvm::Twine(*axis) + " is out of range for rank " +
                    llvm::Twine(in.size()));
  if (const KnownTensor *t = ctx.known(0))
    return setKnown(ctx, 0, t->reshaped({product(in.take_front(a)), product(in.drop_front(a))}));
  return ctx.emit<FlattenOp>(ctx.value(0), a);
}

llvm::Error unsqueeze(NodeContext &ctx) {
  Expected<SmallVector<int64_t>> axes = ctx.intsFromAttrOrInput("axes", 1, 13);
  if (!axes)
    return axes.takeError();
  if (axes->empty())
    return ctx.fail("axes are required");
  ArrayRef<int64_t> in = ctx.shape(0);
  int64_t rank = in.size() + axes->size();
  SmallVector<bool> inserted(rank, false);
  for (int64_t axis : *axes) {
    std::optional<int64_t> a = normalizeAxis(axis, rank);
    if (!a || inserted[*a])
      return ctx.fail("axis " + llvm::Twine(axis) + " is out of range or repeated");
    inserted[*a] = true;
  }
  SmallVector<int64_t> out;
  const int64_t *next = in.begin();
  for (bool unit : inserted)
    out.push_back(unit ? 1 : *next++);
  return reshapeTo(ctx, out);
}

llvm::Error squeeze(NodeContext &ctx) {
  Expected<SmallVector<int64_t>> axes = ctx.intsFromAttrOrInput("axes", 1, 13);
  if (!axes)
    return axes.takeError();
  ArrayRef<int64_t> in = ctx.shape(0);
  SmallVector<bool> removed(in.size(), false);
  for (int64_t axis : *axes) {
    std::optional<int64_t> a = normalizeAxis(axis, in.size());
    if (!a)
      return ctx.fail("axis " + llvm::Twine(axis) + " is out of range");
    if (in[*a] != 1)
      return ctx.fail("cannot squeeze axis " + llvm::Twine(axis) + " of extent " +
                      llvm::Twine(in[*a]));
    removed[*a] = true;
  }
  SmallVector<int64_t> out;
  for (size_t i = 0; i < in.size(); ++i)
    if (!(axes->empty() ? in[i] == 1 : removed[i]))
      out.push_back(in[i]);
  return reshapeTo(ctx, out);
}

llvm::Error transpose(NodeContext &ctx) {
  int64_t rank = ctx.shape(0).size();
  SmallVector<int64_t> reversed;
  for (int64_t i = rank - 1; i >= 0; --i)
    reversed.push_back(i);
  Expected<SmallVector<int64_t>> perm = ctx.attrInts("perm", reversed);
  if (!perm)
    return perm.takeError();
  if (const KnownTensor *t = ctx.known(0))
    return setKnown(ctx, 0, transposeKnown(*t, *perm));
  return ctx.emit<TransposeOp>(ctx.value(0), *perm);
}

llvm::Error concat(NodeContext &ctx) {
  if (!ctx.hasAttr("axis"))
    return ctx.fail("axis is required");
  Expected<int64_t> axis = ctx.attrInt("axis", 0);
  if (!axis)
    return axis.takeError();
  SmallVector<const KnownTensor *> parts;
  for (unsigned i = 0; i < ctx.numInputs(); ++i)
    if (const KnownTensor *t = ctx.known(i))
      parts.push_back(t);
  if (parts.size() == ctx.numInputs())
    return setKnown(ctx, 0, concatKnown(parts, *axis));
  SmallVector<Value> values;
  for (unsigned i = 0; i < ctx.numInputs(); ++i)
    values.push_back(ctx.value(i));
  return ctx.emit<ConcatOp>(ValueRange(values), *axis);
}

llvm::Error gather(NodeContext &ctx) {
  Expected<const KnownTensor *> indices = ctx.requireKnown(1, "indices");
  if (!indices)
    return indices.takeError();
  if ((*indices)->isFloat)
    return ctx.fail("indices must be integers");
  Expected<int64_t> axis = ctx.attrInt("axis", 0);
  if (!axis)
    return axis.takeError();
  if (const KnownTensor *t = ctx.known(0))
    return setKnown(ctx, 0, gatherKnown(*t, **indices, *axis));
  auto type = RankedTensorType::get((*indices)->shape, ctx.builder().getI64Type());
  auto attr = DenseIntElementsAttr::get(type, ArrayRef<int64_t>((*indices)->ints));
  return ctx.emit<GatherOp>(ctx.value(0), attr, *axis);
}

// ONNX Slice bounds, per axis listed, clamped into the form acnn.slice takes.
llvm::Error slice(NodeContext &ctx) {
  // Attributes before opset 10, optional inputs 1-4 since.
  SmallVector<int64_t> starts, ends, axes, steps;
  const char *names[] = {"starts", "ends", "axes", "steps"};
  SmallVector<int64_t> *lists[] = {&starts, &ends, &axes, &steps};
  if (ctx.opset() >= 10 && (!ctx.hasInput(1) || !ctx.hasInput(2)))
    return ctx.fail("starts and ends are required");
  for (unsigned i = 0; i < 4; ++i) {
    if (ctx.opset() >= 10 && !ctx.hasInput(i + 1))
      continue;
    Expected<SmallVector<int64_t>> v =
        ctx.opset() < 10 ? ctx.attrInts(names[i]) : ctx.knownInts(i + 1, names[i]);
    if (!v)
      return v.takeError();
    *lists[i] = std::move(*v);
  }
  ArrayRef<int64_t> in = ctx.shape(0);
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i)
      axes.push_back(i);
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
    return ctx.fail("starts, ends, axes and steps differ in length");

  SmallVector<int64_t> begin(in.size(), 0), end(in), step(in.size(), 1);
  SmallVector<bool> seen(in.size(), false);
  for (size_t k = 0; k < axes.size(); ++k) {
    std::optional<int64_t> a = normalizeAxis(axes[k], in.size());
    if (!a || seen[*a])
      return ctx.fail("axis " + llvm::Twine(axes[k]) + " is out of range or repeated");
    if (steps[k] == 0)
      return ctx.fail("step must not be 0");
    seen[*a] = true;
    int64_t dim = in[*a];
    int64_t s = starts[k] < 0 ? starts[k] + dim : starts[k];
    int64_t e = ends[k] < 0 ? ends[k] + dim : ends[k];
    // Forward: both in [0, dim]. Backward: start in [0, dim-1], end in [-1, dim-1].
    int64_t lo = steps[k] > 0 ? 0 : -1, hi = steps[k] > 0 ? dim : dim - 1;
    begin[*a] = std::max<int64_t>(0, std::min(s, hi));
    end[*a] = std::max(lo, std::min(e, hi));
    step[*a] = steps[k];
  }
  if (const KnownTensor *t = ctx.known(0))
    return setKnown(ctx, 0, sliceKnown(*t, begin, end, step));
  return ctx.emit<SliceOp>(ctx.value(0), begin, end, step);
}

llvm::Error split(NodeContext &ctx) {
  Expected<int64_t> axis = ctx.attrInt("axis", 0);
  if (!axis)
    return axis.takeError();
  ArrayRef<int64_t> in = ctx.shape(0);
  std::optional<int64_t> a = normalizeAxis(*axis, in.size());
  if (!a)
    return ctx.fail("axis " + llvm::Twine(*axis) + " is out of range");
  Expected<SmallVector<int64_t>> sizes = ctx.intsFromAttrOrInput("split", 1, 13);
  if (!sizes)
    return sizes.takeError();
  int64_t parts = ctx.numOutputs();
  if (sizes->empty()) {
    // Equal parts; from opset 18 the last may be smaller.
    Expected<int64_t> n = ctx.attrInt("num_outputs", parts);
    if (!n)
      return n.takeError();
    if (*n != parts)
      return ctx.fail("num_outputs " + llvm::Twine(*n) + " for " + llvm::Twine(parts) + " outputs");
    int64_t dim = in[*a];
    if (ctx.opset() < 18 && dim % parts != 0)
      return ctx.fail("cannot split extent " + llvm::Twine(dim) + " into " + llvm::Twine(parts) +
                      " equal parts");
    int64_t chunk = (dim + parts - 1) / parts;
    sizes->assign(parts, chunk);
    sizes->back() = dim - chunk * (parts - 1);
  }
  if (int64_t(sizes->size()) != parts)
    return ctx.fail(llvm::Twine(sizes->size()) + " split sizes for " + llvm::Twine(parts) +
                    " outputs");
  if (const KnownTensor *t = ctx.known(0)) {
    SmallVector<int64_t> begin(in.size(), 0), end(in), step(in.size(), 1);
    for (int64_t i = 0; i < parts; ++i) {
      end[*a] = begin[*a] + (*sizes)[i];
      if (llvm::Error e = setKnown(ctx, i, sliceKnown(*t, begin, end, step)))
        return e;
      begin[*a] = end[*a];
    }
    return llvm::Error::success();
  }
  Expected<SplitOp> op = ctx.create<SplitOp>(ctx.value(0), *a, *sizes);
  if (!op)
    return op.takeError();
  for (int64_t i = 0; i < parts; ++i)
    ctx.setOutput(i, op->getResult(i));
  return llvm::Error::success();
}

llvm::Error castOp(NodeContext &ctx) {
  if (!ctx.hasAttr("to"))
    return ctx.fail("attribute 'to' is required");
  Expected<int64_t> to = ctx.attrInt("to", 0);
  if (!to)
    return to.takeError();
  const KnownTensor *t = ctx.known(0);
  if (!t) {
    // acnn computes in f32, so only a cast to f32 has a meaning on graph values.
    if (*to != onnx::TensorProto::FLOAT)
      return ctx.fail("cast of a computed tensor to " + dataTypeName(*to) +
                      " is not supported; acnn computes in FLOAT");
    return identity(ctx);
  }
  if (isFloatDataType(*to)) {
    ctx.setOutput(0, t->asFloats());
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

llvm::Error constant(NodeContext &ctx) {
  if (ctx.hasAttr("value")) {
    Expected<const onnx::TensorProto *> t = ctx.attrTensor("value");
    if (!t)
      return t.takeError();
    return setKnown(ctx, 0, decodeTensor(**t));
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
  } else {
    return ctx.fail("only the value, value_float, value_int and value_ints forms are supported");
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
  return setKnown(ctx, 0, expandKnown(fill, *shape));
}

llvm::Error range(NodeContext &ctx) {
  const KnownTensor *bounds[3];
  const char *names[] = {"start", "limit", "delta"};
  for (unsigned i = 0; i < 3; ++i) {
    Expected<const KnownTensor *> t = ctx.requireKnown(i, names[i]);
    if (!t)
      return t.takeError();
    if ((*t)->size() != 1 || (i > 0 && (*t)->isFloat != bounds[0]->isFloat))
      return ctx.fail("start, limit and delta must be scalars of one type");
    bounds[i] = *t;
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

// Ops that only appear in shape arithmetic: every input must be known.
llvm::Error requireAllKnown(NodeContext &ctx) {
  for (unsigned i = 0; i < ctx.numInputs(); ++i)
    if (!ctx.known(i))
      return ctx.fail("is supported only on constants (shape arithmetic); acnn has no " +
                      ctx.opType() + " op");
  return llvm::Error::success();
}

llvm::Error equal(NodeContext &ctx) {
  if (llvm::Error e = requireAllKnown(ctx))
    return e;
  return setKnown(ctx, 0,
                  intBinary(*ctx.known(0), *ctx.known(1),
                            [](int64_t a, int64_t b) -> std::optional<int64_t> { return a == b; }));
}

llvm::Error where(NodeContext &ctx) {
  if (llvm::Error e = requireAllKnown(ctx))
    return e;
  return setKnown(ctx, 0, whereKnown(*ctx.known(0), *ctx.known(1), *ctx.known(2)));
}

llvm::Error expand(NodeContext &ctx) {
  if (llvm::Error e = requireAllKnown(ctx))
    return e;
  Expected<SmallVector<int64_t>> shape = ctx.knownInts(1, "shape");
  if (!shape)
    return shape.takeError();
  return setKnown(ctx, 0, expandKnown(*ctx.known(0), *shape));
}

} // namespace

void registerShapeOps(OpTable &table) {
  table["Identity"] = {identity, 1, 1, 1};
  table["Dropout"] = {dropout, 1, 3, 2};
  table["Shape"] = {shape, 1, 1, 1};
  table["Reshape"] = {reshape, 2, 2, 1};
  table["Flatten"] = {flatten, 1, 1, 1};
  table["Unsqueeze"] = {unsqueeze, 1, 2, 1};
  table["Squeeze"] = {squeeze, 1, 2, 1};
  table["Transpose"] = {transpose, 1, 1, 1};
  table["Concat"] = {concat, 1, kVariadic, 1};
  table["Gather"] = {gather, 2, 2, 1};
  table["Slice"] = {slice, 1, 5, 1};
  table["Split"] = {split, 1, 2, kVariadic};
  table["Cast"] = {castOp, 1, 1, 1};
  table["Constant"] = {constant, 0, 0, 1};
  table["ConstantOfShape"] = {constantOfShape, 1, 1, 1};
  table["Range"] = {range, 3, 3, 1};
  table["Equal"] = {equal, 2, 2, 1};
  table["Where"] = {where, 3, 3, 1};
  table["Expand"] = {expand, 2, 2, 1};
}

} // namespace acnn
