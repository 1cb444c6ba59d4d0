// Result-type inference for every acnn op with InferTypeOpAdaptor. The
// verifier re-runs these, so each failure here is the diagnostic a user sees
// for a shape mismatch: it names the op and the reason.
#include "dialects/acnn/AcnnOps.h"
#include "dialects/acnn/ShapeUtils.h"

#include "mlir/Dialect/Traits.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace acnn;

namespace {

RankedTensorType tensorOf(ArrayRef<int64_t> shape, MLIRContext *ctx) {
  return RankedTensorType::get(shape, Float32Type::get(ctx));
}

ArrayRef<int64_t> shapeOf(Value v) {
  return llvm::cast<RankedTensorType>(v.getType()).getShape();
}

LogicalResult fail(std::optional<Location> loc, StringRef op, const Twine &why) {
  return emitOptionalError(loc, "'acnn.", op, "' ", why);
}

// Output extent of a sliding window, as ONNX and PyTorch define it; nullopt
// if the window does not fit or its attributes overflow int64.
std::optional<int64_t> windowExtent(int64_t in, int64_t kernel, int64_t stride,
                                    int64_t padBegin, int64_t padEnd,
                                    int64_t dilation, bool ceilMode) {
  if (stride <= 0 || kernel <= 0 || dilation <= 0)
    return std::nullopt;
  int64_t span, padded, room, start, lastStart;
  if (llvm::MulOverflow(dilation, kernel - 1, span) || llvm::AddOverflow(span, int64_t(1), span) ||
      llvm::AddOverflow(in, padBegin, start) || llvm::AddOverflow(start, padEnd, padded) ||
      llvm::SubOverflow(padded, span, room) || room < 0)
    return std::nullopt;
  int64_t out = room / stride + (ceilMode && room % stride ? 1 : 0) + 1;
  // With ceil_mode the last window must still start inside input or left pad.
  if (ceilMode && (llvm::MulOverflow(out - 1, stride, lastStart) || lastStart >= start))
    --out;
  return out;
}

struct WindowAttrs {
  ArrayRef<int64_t> kernel, strides, pads, dilations;
  bool ceilMode;
};

LogicalResult inferWindowed(std::optional<Location> loc, StringRef op,
                            ArrayRef<int64_t> in, int64_t channels,
                            const WindowAttrs &w, MLIRContext *ctx,
                            SmallVectorImpl<Type> &out) {
  if (in.size() != 4)
    return fail(loc, op, "expects a 4-D NCHW input, got rank " + Twine(in.size()));
  if (w.kernel.size() != 2 || w.strides.size() != 2 || w.dilations.size() != 2 ||
      w.pads.size() != 4)
    return fail(loc, op, "expects 2 kernel, stride and dilation values and 4 pads");
  // A pooling window lying wholly in padding has no defined value.
  if (op != "conv2d")
    for (int i = 0; i < 4; ++i)
      if (w.pads[i] >= w.kernel[i % 2])
        return fail(loc, op, "padding " + Twine(w.pads[i]) + " must be smaller than the kernel " +
                                 Twine(w.kernel[i % 2]));
  int64_t hw[2];
  for (int i = 0; i < 2; ++i) {
    std::optional<int64_t> e =
        windowExtent(in[2 + i], w.kernel[i], w.strides[i], w.pads[i],
                     w.pads[i + 2], w.dilations[i], w.ceilMode);
    if (!e)
      return fail(loc, op, "window of " + Twine(w.kernel[i]) + " (stride " +
                               Twine(w.strides[i]) + ", dilation " +
                               Twine(w.dilations[i]) + ") does not fit input extent " +
                               Twine(in[2 + i]) + " with its padding");
    hw[i] = *e;
  }
  out.push_back(tensorOf({in[0], channels, hw[0], hw[1]}, ctx));
  return success();
}

/// The epilogue of conv2d, linear and matmul: a known activation, and a
/// residual that broadcasts to the result without changing its shape.
LogicalResult checkEpilogue(std::optional<Location> loc, StringRef op, StringRef activation,
                            Value residual, SmallVectorImpl<Type> &out) {
  if (!isActivation(activation))
    return fail(loc, op, "unknown activation '" + activation + "'");
  if (!residual)
    return success();
  ArrayRef<int64_t> result = llvm::cast<RankedTensorType>(out.back()).getShape();
  SmallVector<int64_t> shape;
  if (!OpTrait::util::getBroadcastedShape(result, shapeOf(residual), shape) ||
      ArrayRef<int64_t>(shape) != result)
    return fail(loc, op, "residual " + formatShape(shapeOf(residual)) +
                             " does not broadcast to the result " + formatShape(result));
  return success();
}

} // namespace

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &out) {
  out.push_back(adaptor.getValue().getType());
  return success();
}

LogicalResult Conv2dOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                         Adaptor adaptor, SmallVectorImpl<Type> &out) {
  ArrayRef<int64_t> in = shapeOf(adaptor.getInput());
  ArrayRef<int64_t> w = shapeOf(adaptor.getWeight());
  int64_t groups = adaptor.getGroups();
  if (in.size() != 4 || w.size() != 4)
    return fail(loc, "conv2d", "expects 4-D NCHW input and OIHW weight");
  if (groups <= 0 || in[1] % groups != 0 || w[0] % groups != 0)
    return fail(loc, "conv2d", "groups " + Twine(groups) +
                                   " must divide input channels " + Twine(in[1]) +
                                   " and filters " + Twine(w[0]));
  if (in[1] / groups != w[1])
    return fail(loc, "conv2d", "input has " + Twine(in[1]) + " channels but weight expects " +
                                   Twine(w[1]) + " per group x " + Twine(groups) + " groups");
  if (Value bias = adaptor.getBias()) {
    ArrayRef<int64_t> b = shapeOf(bias);
    if (b.size() != 1 || b[0] != w[0])
      return fail(loc, "conv2d", "bias must have shape [" + Twine(w[0]) + "]");
  }
  int64_t kernel[2] = {w[2], w[3]};
  WindowAttrs attrs{kernel, adaptor.getStrides(), adaptor.getPads(), adaptor.getDilations(),
                    false};
  if (failed(inferWindowed(loc, "conv2d", in, w[0], attrs, ctx, out)))
    return failure();
  return checkEpilogue(loc, "conv2d", adaptor.getActivation(), adaptor.getResidual(), out);
}

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                            Adaptor adaptor, SmallVectorImpl<Type> &out) {
  ArrayRef<int64_t> in = shapeOf(adaptor.getInput());
  if (in.size() < 2)
    return fail(loc, "batch_norm", "expects a rank >= 2 input");
  for (Value p : {adaptor.getScale(), adaptor.getBias(), adaptor.getMean(),
                  adaptor.getVariance()})
    if (shapeOf(p) != ArrayRef<int64_t>{in[1]})
      return fail(loc, "batch_norm", "parameters must have shape [" + Twine(in[1]) + "]");
  out.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult MaxPool2dOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                            Adaptor adaptor, SmallVectorImpl<Type> &out) {
  ArrayRef<int64_t> in = shapeOf(adaptor.getInput());
  WindowAttrs attrs{adaptor.getKernel(), adaptor.getStrides(), adaptor.getPads(),
                    adaptor.getDilations(), adaptor.getCeilMode()};
  return inferWindowed(loc, "max_pool2d", in, in.size() > 1 ? in[1] : 0, attrs, ctx, out);
}

LogicalResult AvgPool2dOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                            Adaptor adaptor, SmallVectorImpl<Type> &out) {
  ArrayRef<int64_t> in = shapeOf(adaptor.getInput());
  int64_t unit[2] = {1, 1};
  WindowAttrs attrs{adaptor.getKernel(), adaptor.getStrides(), adaptor.getPads(), unit,
                    adaptor.getCeilMode()};
  return inferWindowed(loc, "avg_pool2d", in, in.size() > 1 ? in[1] : 0, attrs, ctx, out);
}

static LogicalResult inferGlobalPool(std::optional<Location> loc, StringRef op, Value input,
                                     SmallVectorImpl<Type> &out) {
  ArrayRef<int64_t> in = shapeOf(input);
  if (in.size() < 3)
    return fail(loc, op, "expects a rank >= 3 input [N, C, ...], got rank " + Twine(in.size()));
  SmallVector<int64_t> shape(in.begin(), in.end());
  std::fill(shape.begin() + 2, shape.end(), 1);
  out.push_back(tensorOf(shape, input.getContext()));
  return success();
}

LogicalResult GlobalAvgPoolOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                                Adaptor adaptor, SmallVectorImpl<Type> &out) {
  return inferGlobalPool(loc, "global_avg_pool", adaptor.getInput(), out);
}

LogicalResult GlobalMaxPoolOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                                Adaptor adaptor, SmallVectorImpl<Type> &out) {
  return inferGlobalPool(loc, "global_max_pool", adaptor.getInput(), out);
}

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                            Adaptor adaptor, SmallVectorImpl<Type> &out) {
  ArrayRef<int64_t> in = shapeOf(adaptor.getInput());
  std::optional<int64_t> axis = normalizeAxis(adaptor.getAxis(), in.size());
  if (!axis)
    return fail(loc, "layer_norm", "axis " + Twine(adaptor.getAxis()) +
                                       " is out of range for rank " + Twine(in.size()));
  ArrayRef<int64_t> normalized = in.drop_front(*axis);
  for (Value p : {adaptor.getScale(), adaptor.getBias()})
    if (p && shapeOf(p) != normalized)
      return fail(loc, "layer_norm",
                  "scale and bias must have the normalised shape (the input's trailing " +
                      Twine(normalized.size()) + " dims)");
  out.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult GroupNormOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                            Adaptor adaptor, SmallVectorImpl<Type> &out) {
  ArrayRef<int64_t> in = shapeOf(adaptor.getInput());
  if (in.size() < 3)
    return fail(loc, "group_norm", "expects [N, C, spatial...], got rank " + Twine(in.size()));
  const int64_t groups = adaptor.getGroups();
  if (groups < 1 || in[1] % groups)
    return fail(loc, "group_norm",
                Twine(in[1]) + " channels do not split into " + Twine(groups) + " groups");
  for (Value p : {adaptor.getScale(), adaptor.getBias()})
    if (p && shapeOf(p) != ArrayRef<int64_t>(in[1]))
      return fail(loc, "group_norm",
                  "scale and bias must have one value per channel ([" + Twine(in[1]) + "])");
  out.push_back(adaptor.getInput().getType());
  return success();
}

static LogicalResult inferBroadcast(std::optional<Location> loc, StringRef op, Value lhs,
                                    Value rhs, SmallVectorImpl<Type> &out) {
  SmallVector<int64_t> shape;
  if (!OpTrait::util::getBroadcastedShape(shapeOf(lhs), shapeOf(rhs), shape))
    return fail(loc, op, "operand shapes " + formatShape(shapeOf(lhs)) + " and " +
                             formatShape(shapeOf(rhs)) + " do not broadcast");
  out.push_back(tensorOf(shape, lhs.getContext()));
  return success();
}

#define ACNN_BINARY_INFER(OP, NAME)                                                \
  LogicalResult OP::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc, \
                                     Adaptor adaptor, SmallVectorImpl<Type> &out) {   \
    return inferBroadcast(loc, NAME, adaptor.getLhs(), adaptor.getRhs(), out);       \
  }
ACNN_BINARY_INFER(AddOp, "add")
ACNN_BINARY_INFER(SubOp, "sub")
ACNN_BINARY_INFER(MulOp, "mul")
ACNN_BINARY_INFER(DivOp, "div")
ACNN_BINARY_INFER(PowOp, "pow")
ACNN_BINARY_INFER(MaxOp, "max")
ACNN_BINARY_INFER(MinOp, "min")
ACNN_BINARY_INFER(PReluOp, "prelu")
#undef ACNN_BINARY_INFER

LogicalResult WhereOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                        Adaptor adaptor, SmallVectorImpl<Type> &out) {
  SmallVector<int64_t> values, shape;
  ArrayRef<int64_t> cond = shapeOf(adaptor.getCondition());
  if (!OpTrait::util::getBroadcastedShape(shapeOf(adaptor.getOnTrue()),
                                          shapeOf(adaptor.getOnFalse()), values) ||
      !OpTrait::util::getBroadcastedShape(cond, values, shape))
    return fail(loc, "where", "condition " + formatShape(cond) + " and values " +
                                  formatShape(shapeOf(adaptor.getOnTrue())) + ", " +
                                  formatShape(shapeOf(adaptor.getOnFalse())) +
                                  " do not broadcast");
  out.push_back(tensorOf(shape, ctx));
  return success();
}

static LogicalResult inferReduce(std::optional<Location> loc, StringRef op, Value input,
                                 ArrayRef<int64_t> axes, bool keepdims,
                                 SmallVectorImpl<Type> &out) {
  ArrayRef<int64_t> in = shapeOf(input);
  SmallVector<bool> reduced(in.size(), false);
  for (int64_t a : axes) {
    std::optional<int64_t> axis = normalizeAxis(a, in.size());
    if (!axis)
      return fail(loc, op, "axis " + Twine(a) + " is out of range for rank " + Twine(in.size()));
    if (reduced[*axis])
      return fail(loc, op, "axis " + Twine(a) + " is repeated");
    reduced[*axis] = true;
  }
  out.push_back(tensorOf(reducedShape(in, reduced, keepdims), input.getContext()));
  return success();
}

#define ACNN_REDUCE_INFER(OP, NAME)                                                 \
  LogicalResult OP::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc, \
                                     Adaptor adaptor, SmallVectorImpl<Type> &out) {   \
    return inferReduce(loc, NAME, adaptor.getInput(), adaptor.getAxes(),             \
                       adaptor.getKeepdims(), out);                                  \
  }
ACNN_REDUCE_INFER(ReduceMeanOp, "reduce_mean")
ACNN_REDUCE_INFER(ReduceMaxOp, "reduce_max")
ACNN_REDUCE_INFER(ReduceSumOp, "reduce_sum")
#undef ACNN_REDUCE_INFER

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                         Adaptor adaptor, SmallVectorImpl<Type> &out) {
  ArrayRef<int64_t> a = shapeOf(adaptor.getLhs()), b = shapeOf(adaptor.getRhs());
  if (a.size() < 2 || b.size() < 2)
    return fail(loc, "matmul", "expects operands of rank >= 2, got " + formatShape(a) +
                                   " and " + formatShape(b));
  if (a.back() != b[b.size() - 2])
    return fail(loc, "matmul", "contraction mismatch: " + formatShape(a) + " x " +
                                   formatShape(b));
  SmallVector<int64_t> batch;
  if (!OpTrait::util::getBroadcastedShape(a.drop_back(2), b.drop_back(2), batch))
    return fail(loc, "matmul", "batch dims of " + formatShape(a) + " and " + formatShape(b) +
                                   " do not broadcast");
  batch.push_back(a[a.size() - 2]);
  batch.push_back(b.back());
  out.push_back(tensorOf(batch, ctx));
  return checkEpilogue(loc, "matmul", adaptor.getActivation(), adaptor.getResidual(), out);
}

LogicalResult LinearOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                         Adaptor adaptor, SmallVectorImpl<Type> &out) {
  ArrayRef<int64_t> x = shapeOf(adaptor.getInput()), w = shapeOf(adaptor.getWeight());
  if (x.empty() || w.size() != 2 || x.back() != w[1])
    return fail(loc, "linear", "input " + formatShape(x) + " does not match weight " +
                                   formatShape(w) + " ([out, in])");
  if (Value bias = adaptor.getBias())
    if (shapeOf(bias) != ArrayRef<int64_t>{w[0]})
      return fail(loc, "linear", "bias must have shape [" + Twine(w[0]) + "]");
  SmallVector<int64_t> shape(x.begin(), x.end());
  shape.back() = w[0];
  out.push_back(tensorOf(shape, ctx));
  return checkEpilogue(loc, "linear", adaptor.getActivation(), adaptor.getResidual(), out);
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                         Adaptor adaptor, SmallVectorImpl<Type> &out) {
  if (adaptor.getInputs().empty())
    return fail(loc, "concat", "needs at least one input");
  ArrayRef<int64_t> first = shapeOf(adaptor.getInputs().front());
  std::optional<int64_t> axis = normalizeAxis(adaptor.getAxis(), first.size());
  if (!axis)
    return fail(loc, "concat", "axis " + Twine(adaptor.getAxis()) + " is out of range");
  SmallVector<int64_t> shape(first.begin(), first.end());
  shape[*axis] = 0;
  for (Value v : adaptor.getInputs()) {
    ArrayRef<int64_t> s = shapeOf(v);
    bool ok = s.size() == first.size();
    for (size_t i = 0; ok && i < s.size(); ++i)
      ok = i == size_t(*axis) || s[i] == first[i];
    if (!ok)
      return fail(loc, "concat", "input " + formatShape(s) + " does not match " +
                                     formatShape(first) + " outside axis " + Twine(*axis));
    shape[*axis] += s[*axis];
  }
  out.push_back(tensorOf(shape, ctx));
  return success();
}

LogicalResult SplitOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                        Adaptor adaptor, SmallVectorImpl<Type> &out) {
  ArrayRef<int64_t> in = shapeOf(adaptor.getInput());
  std::optional<int64_t> axis = normalizeAxis(adaptor.getAxis(), in.size());
  if (!axis)
    return fail(loc, "split", "axis " + Twine(adaptor.getAxis()) + " is out of range");
  int64_t total = 0;
  for (int64_t s : adaptor.getSizes()) {
    if (s < 0)
      return fail(loc, "split", "sizes must be non-negative");
    if (llvm::AddOverflow(total, s, total))
      return fail(loc, "split", "sizes overflow int64");
  }
  if (total != in[*axis])
    return fail(loc, "split", "sizes add up to " + Twine(total) + " but axis " +
                                  Twine(*axis) + " has " + Twine(in[*axis]));
  for (int64_t s : adaptor.getSizes()) {
    SmallVector<int64_t> shape(in.begin(), in.end());
    shape[*axis] = s;
    out.push_back(tensorOf(shape, ctx));
  }
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                        Adaptor adaptor, SmallVectorImpl<Type> &out) {
  ArrayRef<int64_t> in = shapeOf(adaptor.getInput());
  ArrayRef<int64_t> starts = adaptor.getStarts(), ends = adaptor.getEnds(),
                    steps = adaptor.getSteps();
  if (starts.size() != in.size() || ends.size() != in.size() || steps.size() != in.size())
    return fail(loc, "slice", "needs one start, end and step per input axis");
  SmallVector<int64_t> shape;
  for (size_t i = 0; i < in.size(); ++i) {
    std::optional<int64_t> n = sliceExtent(in[i], starts[i], ends[i], steps[i]);
    if (!n)
      return fail(loc, "slice", "axis " + Twine(i) + ": start " + Twine(starts[i]) +
                                    ", end " + Twine(ends[i]) + ", step " + Twine(steps[i]) +
                                    " is not a valid slice of extent " + Twine(in[i]));
    shape.push_back(*n);
  }
  out.push_back(tensorOf(shape, ctx));
  return success();
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                         Adaptor adaptor, SmallVectorImpl<Type> &out) {
  ArrayRef<int64_t> in = shapeOf(adaptor.getInput());
  std::optional<int64_t> axis = normalizeAxis(adaptor.getAxis(), in.size());
  if (!axis)
    return fail(loc, "gather", "axis " + Twine(adaptor.getAxis()) + " is out of range");
  for (const APInt &index : adaptor.getIndices().getValues<APInt>()) {
    int64_t i = index.getSExtValue();
    if (i < -in[*axis] || i >= in[*axis])
      return fail(loc, "gather", "index " + Twine(i) + " is out of range for extent " +
                                     Twine(in[*axis]));
  }
  SmallVector<int64_t> shape(in.begin(), in.begin() + *axis);
  llvm::append_range(shape, adaptor.getIndices().getType().getShape());
  shape.append(in.begin() + *axis + 1, in.end());
  out.push_back(tensorOf(shape, ctx));
  return success();
}

LogicalResult FlattenOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                          Adaptor adaptor, SmallVectorImpl<Type> &out) {
  ArrayRef<int64_t> in = shapeOf(adaptor.getInput());
  int64_t axis = adaptor.getAxis();
  if (axis < 0)
    axis += in.size();
  if (axis < 0 || axis > int64_t(in.size()))
    return fail(loc, "flatten", "axis " + Twine(adaptor.getAxis()) + " is out of range");
  int64_t outer = product(in.take_front(axis)), inner = product(in.drop_front(axis));
  out.push_back(tensorOf({outer, inner}, ctx));
  return success();
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                            Adaptor adaptor, SmallVectorImpl<Type> &out) {
  ArrayRef<int64_t> in = shapeOf(adaptor.getInput());
  ArrayRef<int64_t> perm = adaptor.getPerm();
  if (!isPermutation(perm, in.size()))
    return fail(loc, "transpose", "perm is not a permutation of " + Twine(in.size()) + " axes");
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(in[p]);
  out.push_back(tensorOf(shape, ctx));
  return success();
}

LogicalResult ExpandOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                         Adaptor adaptor, SmallVectorImpl<Type> &out) {
  ArrayRef<int64_t> in = shapeOf(adaptor.getInput()), shape = adaptor.getShape();
  bool ok = in.size() <= shape.size() && llvm::all_of(shape, [](int64_t d) { return d >= 0; });
  for (size_t i = 0; ok && i < in.size(); ++i)
    ok = in[i] == 1 || in[i] == shape[shape.size() - in.size() + i];
  if (!ok)
    return fail(loc, "expand", "input " + formatShape(in) + " does not broadcast to " +
                                   formatShape(shape));
  out.push_back(tensorOf(shape, ctx));
  return success();
}

LogicalResult GridSampleOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                             Adaptor adaptor, SmallVectorImpl<Type> &out) {
  ArrayRef<int64_t> in = shapeOf(adaptor.getInput()), grid = shapeOf(adaptor.getGrid());
  if (in.size() != 4 || grid.size() != 4 || grid[0] != in[0] || grid[3] != 2)
    return fail(loc, "grid_sample",
                "needs an input [N, C, H, W] and a grid [N, Ho, Wo, 2], got " + formatShape(in) +
                    " and " + formatShape(grid));
  if (adaptor.getMode() != "bilinear" && adaptor.getMode() != "nearest")
    return fail(loc, "grid_sample",
                "mode must be bilinear or nearest, got '" + adaptor.getMode() + "'");
  if (adaptor.getPaddingMode() != "zeros" && adaptor.getPaddingMode() != "border")
    return fail(loc, "grid_sample",
                "padding mode must be zeros or border, got '" + adaptor.getPaddingMode() + "'");
  out.push_back(tensorOf({in[0], in[1], grid[1], grid[2]}, ctx));
  return success();
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                      Adaptor adaptor, SmallVectorImpl<Type> &out) {
  ArrayRef<int64_t> in = shapeOf(adaptor.getInput()), pads = adaptor.getPads();
  if (pads.size() != 2 * in.size())
    return fail(loc, "pad", "needs " + Twine(2 * in.size()) + " pads for rank " +
                                Twine(in.size()) + ", got " + Twine(pads.size()));
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return fail(loc, "pad", "pads must be non-negative");
  SmallVector<int64_t> shape(in.begin(), in.end());
  for (size_t i = 0; i < in.size(); ++i)
    if (llvm::AddOverflow(shape[i], pads[i], shape[i]) ||
        llvm::AddOverflow(shape[i], pads[i + in.size()], shape[i]))
      return fail(loc, "pad", "pads " + formatShape(pads) + " overflow int64 on axis " + Twine(i));
  out.push_back(tensorOf(shape, ctx));
  return success();
}

/// The shared two-layer MLP of squeeze-excite and CBAM channel attention:
/// fc1 [R, C] + [R], fc2 [C, R] + [C], over the channels of an [N, C, ...] input.
static LogicalResult checkChannelMlp(std::optional<Location> loc, StringRef op, Value input,
                                     Value w1, Value b1, Value w2, Value b2,
                                     StringRef activation, SmallVectorImpl<Type> &out) {
  ArrayRef<int64_t> in = shapeOf(input);
  if (in.size() < 3)
    return fail(loc, op, "expects a rank >= 3 input [N, C, ...], got rank " + Twine(in.size()));
  ArrayRef<int64_t> fc1 = shapeOf(w1), fc2 = shapeOf(w2);
  if (fc1.size() != 2 || fc1[1] != in[1] || fc2.size() != 2 || fc2[0] != in[1] ||
      fc2[1] != fc1[0])
    return fail(loc, op, "fc1_weight " + formatShape(fc1) + " and fc2_weight " +
                             formatShape(fc2) + " must be [R, " + Twine(in[1]) + "] and [" +
                             Twine(in[1]) + ", R]");
  if (shapeOf(b1) != ArrayRef<int64_t>{fc1[0]} || shapeOf(b2) != ArrayRef<int64_t>{in[1]})
    return fail(loc, op, "fc1_bias and fc2_bias must be [" + Twine(fc1[0]) + "] and [" +
                             Twine(in[1]) + "]");
  if (!isActivation(activation))
    return fail(loc, op, "unknown activation '" + activation + "'");
  out.push_back(input.getType());
  return success();
}

LogicalResult SqueezeExciteOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                                Adaptor adaptor, SmallVectorImpl<Type> &out) {
  if (adaptor.getGate() != "sigmoid" && adaptor.getGate() != "hard_sigmoid")
    return fail(loc, "squeeze_excite",
                "gate must be sigmoid or hard_sigmoid, got '" + adaptor.getGate() + "'");
  return checkChannelMlp(loc, "squeeze_excite", adaptor.getInput(), adaptor.getFc1Weight(),
                         adaptor.getFc1Bias(), adaptor.getFc2Weight(), adaptor.getFc2Bias(),
                         adaptor.getActivation(), out);
}

LogicalResult ChannelAttentionOp::inferReturnTypes(MLIRContext *ctx,
                                                   std::optional<Location> loc, Adaptor adaptor,
                                                   SmallVectorImpl<Type> &out) {
  return checkChannelMlp(loc, "channel_attention", adaptor.getInput(), adaptor.getFc1Weight(),
                         adaptor.getFc1Bias(), adaptor.getFc2Weight(), adaptor.getFc2Bias(),
                         adaptor.getActivation(), out);
}

LogicalResult SpatialAttentionOp::inferReturnTypes(MLIRContext *ctx,
                                                   std::optional<Location> loc, Adaptor adaptor,
                                                   SmallVectorImpl<Type> &out) {
  ArrayRef<int64_t> in = shapeOf(adaptor.getInput()), w = shapeOf(adaptor.getWeight());
  if (in.size() != 4)
    return fail(loc, "spatial_attention", "expects a 4-D NCHW input");
  if (w.size() != 4 || w[0] != 1 || w[1] != 2 || shapeOf(adaptor.getBias()) != ArrayRef<int64_t>{1})
    return fail(loc, "spatial_attention", "weight must be [1, 2, KH, KW] and bias [1]");
  ArrayRef<int64_t> pads = adaptor.getPads();
  if (pads.size() != 4 || pads[0] + pads[2] != w[2] - 1 || pads[1] + pads[3] != w[3] - 1)
    return fail(loc, "spatial_attention", "pads must keep H and W (sum to the kernel - 1)");
  out.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult AttentionOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                            Adaptor adaptor, SmallVectorImpl<Type> &out) {
  ArrayRef<int64_t> q = shapeOf(adaptor.getQuery()), k = shapeOf(adaptor.getKey()),
                    v = shapeOf(adaptor.getValue());
  if (q.size() < 2 || k.size() != q.size() || v.size() != q.size() ||
      q.drop_back(2) != k.drop_back(2) || q.drop_back(2) != v.drop_back(2))
    return fail(loc, "attention", "query " + formatShape(q) + ", key " + formatShape(k) +
                                      " and value " + formatShape(v) +
                                      " must have the same rank and batch axes");
  if (q.back() != k.back() || k[k.size() - 2] != v[v.size() - 2])
    return fail(loc, "attention", "query " + formatShape(q) + ", key " + formatShape(k) +
                                      " and value " + formatShape(v) +
                                      " must be [..., M, D], [..., N, D], [..., N, E]");
  SmallVector<int64_t> scores(q.drop_back());
  scores.push_back(k[k.size() - 2]);
  if (Value bias = adaptor.getBias()) {
    SmallVector<int64_t> shape;
    if (!OpTrait::util::getBroadcastedShape(scores, shapeOf(bias), shape) ||
        ArrayRef<int64_t>(shape) != ArrayRef<int64_t>(scores))
      return fail(loc, "attention", "bias " + formatShape(shapeOf(bias)) +
                                        " does not broadcast to the scores " +
                                        formatShape(scores));
  }
  SmallVector<int64_t> shape(q.drop_back());
  shape.push_back(v.back());
  out.push_back(tensorOf(shape, ctx));
  return success();
}
