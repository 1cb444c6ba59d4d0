// Data movement: ops that rearrange, select or pad elements. On a known input
// each is evaluated (ShapeFolding), so the shape arithmetic exporters emit
// around Reshape and Expand leaves no ops; on a computed input it becomes an
// acnn op. Index-like inputs (shapes, axes, starts, pads) must be known.
#include "dialects/acnn/ShapeUtils.h"
#include "frontends/onnx/NodeContext.h"

#include "mlir/Dialect/Traits.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <sstream>

using namespace mlir;
using llvm::ArrayRef;
using llvm::Expected;
using llvm::SmallVector;

namespace acnn {

namespace {

// Output 0 is input 0 under `shape`.
llvm::Error reshapeTo(NodeContext &ctx, ArrayRef<int64_t> shape) {
  if (const KnownTensor *t = ctx.known(0))
    return ctx.emitKnown(0, t->reshaped(shape));
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

// Inference keeps every element, so Dropout is the identity and its mask all
// true; only training mode with a non-zero ratio (random output) is refused.
llvm::Error dropout(NodeContext &ctx) {
  bool training = false;
  if (ctx.hasInput(2)) {
    Expected<SmallVector<int64_t>> mode = ctx.knownInts(2, "training_mode");
    if (!mode)
      return mode.takeError();
    training = llvm::any_of(*mode, [](int64_t t) { return t != 0; });
  }
  float ratio = 0.5f;
  if (training && ctx.hasInput(1)) {
    const KnownTensor *r = ctx.known(1);
    if (r->size() != 1)
      return ctx.fail("ratio must be a scalar");
    ratio = r->asFloats().floats[0];
  }
  if (training && ratio != 0.0f) {
    std::ostringstream text;
    text << ratio;
    return ctx.fail("training_mode with ratio " + text.str() +
                    " drops elements at random; acnn runs inference");
  }
  if (ctx.numOutputs() > 1) {
    ArrayRef<int64_t> dims = ctx.shape(0);
    ctx.setOutput(1, KnownTensor::ofInts(dims, std::vector<int64_t>(product(dims), 1)));
  }
  return identity(ctx);
}

// The target shape is an attribute before opset 5.
llvm::Error reshape(NodeContext &ctx) {
  if (ctx.opset() >= 5 && !ctx.hasInput(1))
    return ctx.fail("the shape input is required");
  Expected<SmallVector<int64_t>> target = ctx.intsFromAttrOrInput("shape", 1, 5);
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
    std::optional<int64_t> rest = checkedProduct(out);
    if (!rest || *rest == 0 || product(in) % *rest != 0)
      return ctx.fail("cannot reshape " + formatShape(in) + " to " + formatShape(*target));
    out[*inferred] = product(in) / *rest;
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
    return ctx.emitKnown(0, t->reshaped({product(in.take_front(a)), product(in.drop_front(a))}));
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
    return ctx.emitKnown(0, transposeKnown(*t, *perm));
  return ctx.emit<TransposeOp>(ctx.value(0), *perm);
}

// DepthToSpace and SpaceToDepth: a reshape that splits axes, a transpose and
// a reshape that merges them.
Expected<int64_t> blockSizeOf(NodeContext &ctx) {
  ArrayRef<int64_t> in = ctx.shape(0);
  if (in.size() != 4)
    return ctx.fail("input must be NCHW (rank 4), got rank " + llvm::Twine(in.size()));
  Expected<int64_t> b = ctx.attrPositiveInt("blocksize");
  // Bounded like an extent, its square cannot overflow (and wrap to 0).
  if (b && *b > kMaxTensorElements)
    return ctx.fail("blocksize " + llvm::Twine(*b) + " is more than 2^31");
  return b;
}

llvm::Error depthToSpace(NodeContext &ctx) {
  Expected<int64_t> b = blockSizeOf(ctx);
  if (!b)
    return b.takeError();
  Expected<std::string> mode = ctx.attrString("mode", "DCR");
  if (!mode)
    return mode.takeError();
  if (*mode != "DCR" && *mode != "CRD")
    return ctx.fail("mode '" + *mode + "' is not DCR or CRD");
  ArrayRef<int64_t> in = ctx.shape(0);
  int64_t n = in[0], c = in[1], h = in[2], w = in[3], bb = *b * *b;
  if (c % bb)
    return ctx.fail("channels " + llvm::Twine(c) + " are not a multiple of blocksize^2");
  // DCR: channels are (row offset, column offset, channel); CRD: (channel, row, column).
  bool dcr = *mode == "DCR";
  SmallVector<int64_t> split = dcr ? SmallVector<int64_t>{n, *b, *b, c / bb, h, w}
                                   : SmallVector<int64_t>{n, c / bb, *b, *b, h, w};
  SmallVector<int64_t> perm =
      dcr ? SmallVector<int64_t>{0, 3, 4, 1, 5, 2} : SmallVector<int64_t>{0, 1, 4, 2, 5, 3};
  OpChain chain(ctx);
  Value moved = chain.op<TransposeOp>(chain.reshape(ctx.value(0), split), perm);
  return chain.emit(chain.reshape(moved, {n, c / bb, h * *b, w * *b}));
}

llvm::Error spaceToDepth(NodeContext &ctx) {
  Expected<int64_t> b = blockSizeOf(ctx);
  if (!b)
    return b.takeError();
  ArrayRef<int64_t> in = ctx.shape(0);
  int64_t n = in[0], c = in[1], h = in[2], w = in[3];
  if (h % *b || w % *b)
    return ctx.fail("height and width must be multiples of blocksize " + llvm::Twine(*b));
  OpChain chain(ctx);
  Value split = chain.reshape(ctx.value(0), {n, c, h / *b, *b, w / *b, *b});
  Value moved = chain.op<TransposeOp>(split, SmallVector<int64_t>{0, 3, 5, 1, 2, 4});
  return chain.emit(chain.reshape(moved, {n, c * *b * *b, h / *b, w / *b}));
}

// Axis 1 by default before opset 4, required since.
llvm::Error concat(NodeContext &ctx) {
  if (ctx.opset() >= 4 && !ctx.hasAttr("axis"))
    return ctx.fail("axis is required");
  Expected<int64_t> axis = ctx.attrInt("axis", 1);
  if (!axis)
    return axis.takeError();
  SmallVector<const KnownTensor *> parts;
  for (unsigned i = 0; i < ctx.numInputs(); ++i)
    if (const KnownTensor *t = ctx.known(i))
      parts.push_back(t);
  if (parts.size() == ctx.numInputs())
    return ctx.emitKnown(0, concatKnown(parts, *axis));
  SmallVector<Value> values;
  for (unsigned i = 0; i < ctx.numInputs(); ++i)
    values.push_back(ctx.value(i));
  return ctx.emit<ConcatOp>(ValueRange(values), *axis);
}

llvm::Error gather(NodeContext &ctx) {
  const KnownTensor *indices = ctx.known(1);
  if (indices->isFloat)
    return ctx.fail("indices must be integers");
  Expected<int64_t> axis = ctx.attrInt("axis", 0);
  if (!axis)
    return axis.takeError();
  if (const KnownTensor *t = ctx.known(0))
    return ctx.emitKnown(0, gatherKnown(*t, *indices, *axis));
  auto type = RankedTensorType::get(indices->shape, ctx.builder().getI64Type());
  auto attr = DenseIntElementsAttr::get(type, ArrayRef<int64_t>(indices->ints));
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
    return ctx.emitKnown(0, sliceKnown(*t, begin, end, step));
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
      if (llvm::Error e = ctx.emitKnown(i, sliceKnown(*t, begin, end, step)))
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

llvm::Error expand(NodeContext &ctx) {
  Expected<SmallVector<int64_t>> shape = ctx.knownInts(1, "shape");
  if (!shape)
    return shape.takeError();
  if (const KnownTensor *t = ctx.known(0))
    return ctx.emitKnown(0, expandKnown(*t, *shape));
  ArrayRef<int64_t> in = ctx.shape(0);
  SmallVector<int64_t> to;
  if (llvm::any_of(*shape, [](int64_t d) { return d < 0; }) ||
      !OpTrait::util::getBroadcastedShape(in, *shape, to))
    return ctx.fail("input " + formatShape(in) + " does not broadcast with shape " +
                    formatShape(*shape));
  if (ArrayRef<int64_t>(to) == in)
    return identity(ctx);
  return ctx.emit<ExpandOp>(ctx.value(0), to);
}

// Tile is an expand between reshapes: [d0, d1] becomes [1, d0, 1, d1],
// broadcasts to [r0, d0, r1, d1] and collapses to [r0 * d0, r1 * d1].
llvm::Error tile(NodeContext &ctx) {
  Expected<SmallVector<int64_t>> repeats = ctx.knownInts(1, "repeats");
  if (!repeats)
    return repeats.takeError();
  ArrayRef<int64_t> in = ctx.shape(0);
  if (repeats->size() != in.size() || llvm::any_of(*repeats, [](int64_t r) { return r < 0; }))
    return ctx.fail("repeats " + formatShape(*repeats) + " must be " + llvm::Twine(in.size()) +
                    " non-negative counts");
  SmallVector<int64_t> spread, expanded, out;
  for (size_t i = 0; i < in.size(); ++i) {
    spread.append({1, in[i]});
    expanded.append({(*repeats)[i], in[i]});
    out.push_back(0);
    if (llvm::MulOverflow((*repeats)[i], in[i], out.back()))
      return ctx.fail("repeats " + formatShape(*repeats) + " of " + formatShape(in) +
                      " overflow int64");
  }
  if (const KnownTensor *t = ctx.known(0)) {
    Expected<KnownTensor> e = t->reshaped(spread);
    if (e)
      e = expandKnown(*e, expanded);
    if (e)
      e = e->reshaped(out);
    return ctx.emitKnown(0, std::move(e));
  }
  Expected<Value> v = ctx.reshape(ctx.value(0), spread);
  if (!v)
    return v.takeError();
  Expected<ExpandOp> e = ctx.create<ExpandOp>(*v, expanded);
  if (!e)
    return e.takeError();
  v = ctx.reshape(*e, out);
  if (!v)
    return v.takeError();
  ctx.setOutput(0, *v);
  return llvm::Error::success();
}

// Constant padding (the table refuses other modes). Pads are an attribute
// before opset 11 and an input since, optionally for some `axes` only (opset
// 18). Negative pads crop: the padding becomes acnn.pad, the cropping a slice.
// `v` grown along `axis` by `before` and `after` elements from its own
// border: mirrored without the edge (reflect), the edge repeated (edge), or
// the other end's elements (wrap).
Value padFromBorder(OpChain &chain, Value v, int64_t axis, int64_t before, int64_t after,
                    llvm::StringRef mode) {
  if (!v)
    return v;
  ArrayRef<int64_t> shape = cast<RankedTensorType>(v.getType()).getShape();
  int64_t length = shape[axis];
  auto slice = [&](int64_t start, int64_t end, int64_t step) {
    SmallVector<int64_t> starts(shape.size(), 0), ends(shape), steps(shape.size(), 1);
    starts[axis] = start;
    ends[axis] = end;
    steps[axis] = step;
    return chain.op<SliceOp>(v, starts, ends, steps);
  };
  auto repeated = [&](int64_t index, int64_t count) {
    SmallVector<int64_t> to(shape);
    to[axis] = count;
    return chain.op<ExpandOp>(slice(index, index + 1, 1), to);
  };
  SmallVector<Value> pieces;
  if (before > 0)
    pieces.push_back(mode == "reflect" ? slice(before, 0, -1)
                     : mode == "edge"  ? repeated(0, before)
                                       : slice(length - before, length, 1));
  pieces.push_back(v);
  if (after > 0)
    pieces.push_back(mode == "reflect" ? slice(length - 2, length - 2 - after, -1)
                     : mode == "edge"  ? repeated(length - 1, after)
                                       : slice(0, after, 1));
  return pieces.size() == 1 ? v : chain.op<ConcatOp>(ValueRange(pieces), axis);
}

llvm::Error pad(NodeContext &ctx) {
  ArrayRef<int64_t> in = ctx.shape(0);
  int64_t rank = in.size();
  Expected<std::string> mode = ctx.attrString("mode", "constant");
  if (!mode)
    return mode.takeError();
  if (*mode != "constant" && *mode != "reflect" && *mode != "edge" && *mode != "wrap")
    return ctx.fail("mode '" + *mode + "' is not constant, reflect, edge or wrap");
  Expected<SmallVector<int64_t>> pads =
      ctx.opset() < 11 ? ctx.attrInts("pads") : ctx.knownInts(1, "pads");
  if (!pads)
    return pads.takeError();
  float value = 0.0f;
  if (ctx.opset() < 11) {
    Expected<float> v = ctx.attrFloat("value", 0.0f);
    if (!v)
      return v.takeError();
    value = *v;
  } else if (ctx.hasInput(2)) {
    const KnownTensor *v = ctx.known(2);
    if (v->size() != 1)
      return ctx.fail("constant_value must be a scalar");
    value = v->asFloats().floats[0];
  }
  SmallVector<int64_t> axes;
  if (ctx.hasInput(3)) {
    Expected<SmallVector<int64_t>> given = ctx.knownInts(3, "axes");
    if (!given)
      return given.takeError();
    axes = std::move(*given);
  } else {
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  }
  if (pads->size() != 2 * axes.size())
    return ctx.fail(llvm::Twine(pads->size()) + " pads for " + llvm::Twine(axes.size()) +
                    " axes; expected twice as many");
  // Bounded like an extent, an axis's padded extent cannot overflow int64.
  if (llvm::any_of(*pads,
                   [](int64_t p) { return p < -kMaxTensorElements || p > kMaxTensorElements; }))
    return ctx.fail("pads " + formatShape(*pads) + " reach past 2^31");
  SmallVector<int64_t> grow(2 * rank, 0), starts(rank, 0), ends(in), steps(rank, 1);
  bool crops = false;
  for (size_t k = 0; k < axes.size(); ++k) {
    std::optional<int64_t> a = normalizeAxis(axes[k], rank);
    if (!a)
      return ctx.fail("axis " + llvm::Twine(axes[k]) + " is out of range");
    int64_t before = (*pads)[k], after = (*pads)[k + axes.size()];
    grow[*a] = std::max<int64_t>(before, 0);
    grow[*a + rank] = std::max<int64_t>(after, 0);
    starts[*a] = std::max<int64_t>(-before, 0);
    ends[*a] = in[*a] + grow[*a] + grow[*a + rank] - std::max<int64_t>(-after, 0);
    if (ends[*a] < starts[*a])
      return ctx.fail("pads crop more than axis " + llvm::Twine(*a) + " holds");
    crops |= before < 0 || after < 0;
  }
  OpChain chain(ctx);
  Value v = ctx.value(0);
  if (*mode != "constant") {
    for (int64_t a = 0; a < rank; ++a) {
      int64_t most = *mode == "reflect" ? in[a] - 1 : in[a];
      if (grow[a] > most || grow[a + rank] > most)
        return ctx.fail("pads of axis " + llvm::Twine(a) + " exceed the " +
                        llvm::Twine(most) + " elements " + *mode + " can repeat");
      v = padFromBorder(chain, v, a, grow[a], grow[a + rank], *mode);
    }
  } else if (llvm::any_of(grow, [](int64_t p) { return p > 0; })) {
    v = chain.op<PadOp>(v, grow, llvm::APFloat(value));
  }
  if (crops)
    v = chain.op<SliceOp>(v, starts, ends, steps);
  return chain.emit(v);
}

} // namespace

void registerMovementOps(OpTable &table) {
  addOp(table, "Identity", identity);
  addOp(table, "Dropout", dropout, 1, 3, 2).known({1, 2});
  addOp(table, "Reshape", reshape, 1, 2).known({1});
  addOp(table, "Flatten", flatten);
  addOp(table, "Unsqueeze", unsqueeze, 1, 2).known({1});
  addOp(table, "Squeeze", squeeze, 1, 2).known({1});
  addOp(table, "Transpose", transpose);
  addOp(table, "DepthToSpace", depthToSpace);
  addOp(table, "SpaceToDepth", spaceToDepth);
  addOp(table, "Concat", concat, 1, kVariadic);
  addOp(table, "Gather", gather, 2, 2).known({1});
  addOp(table, "Slice", slice, 1, 5).known({1, 2, 3, 4});
  addOp(table, "Split", split, 1, 2, kVariadic).opsets(2).known({1});
  addOp(table, "Expand", expand, 2, 2).opsets(8).known({1});
  addOp(table, "Tile", tile, 2, 2).opsets(6).known({1});
  addOp(table, "Pad", pad, 1, 4).opsets(2).known({1, 2, 3});
}

} // namespace acnn
