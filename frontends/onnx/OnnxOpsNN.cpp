// Convolution, pooling, reductions, softmax and the matrix products. Composite ONNX spellings
// (Gemm's alpha/beta, Softmax's opset < 13 2-D coercion) become several acnn ops rather than new
// fused forms; the fusion passes recognise those later.
#include "dialects/acnn/ShapeUtils.h"
#include "frontends/onnx/NodeContext.h"

using namespace mlir;
using llvm::ArrayRef;
using llvm::Expected;
using llvm::SmallVector;

namespace acnn {

namespace {

// ONNX's window attributes of a 1-D or 2-D Conv or pool (or of a 3-D Conv
// when `volumes`), with auto_pad resolved into explicit [begins..., ends...]
// pads ([top, left, bottom, right] in 2-D). A 1-D window (ECA's conv across
// channels) is computed as the 2-D window of a 1 x L image, so its attributes
// come back as 2-D ones with a unit first axis.
struct Window {
  SmallVector<int64_t> strides, pads, dilations;
};

Expected<Window> windowOf(NodeContext &ctx, ArrayRef<int64_t> kernel, bool volumes = false) {
  ArrayRef<int64_t> in = ctx.shape(0);
  const size_t rank = kernel.size();
  if ((rank != 1 && rank != 2 && (!volumes || rank != 3)) || in.size() != rank + 2)
    return ctx.fail("only 1-D and 2-D windows over NCL or NCHW inputs are supported, got input "
                    "rank " +
                    llvm::Twine(in.size()) + " and a window of rank " + llvm::Twine(rank));
  Window w;
  Expected<SmallVector<int64_t>> strides = ctx.attrInts("strides", SmallVector<int64_t>(rank, 1));
  if (!strides)
    return strides.takeError();
  Expected<SmallVector<int64_t>> dilations =
      ctx.attrInts("dilations", SmallVector<int64_t>(rank, 1));
  if (!dilations)
    return dilations.takeError();
  Expected<SmallVector<int64_t>> pads = ctx.attrInts("pads", SmallVector<int64_t>(2 * rank, 0));
  if (!pads)
    return pads.takeError();
  Expected<std::string> autoPad = ctx.attrString("auto_pad", "NOTSET");
  if (!autoPad)
    return autoPad.takeError();
  if (strides->size() != rank || dilations->size() != rank || pads->size() != 2 * rank)
    return ctx.fail("strides and dilations need " + llvm::Twine(rank) + " values and pads " +
                    llvm::Twine(2 * rank));
  if (llvm::any_of(*strides, [](int64_t s) { return s <= 0; }))
    return ctx.fail("strides must be positive");
  // Bounded like an extent, the window arithmetic cannot overflow int64.
  auto tooLarge = [](int64_t v) { return v > kMaxTensorElements; };
  if (llvm::any_of(kernel, tooLarge) || llvm::any_of(*strides, tooLarge) ||
      llvm::any_of(*dilations, tooLarge) || llvm::any_of(*pads, tooLarge))
    return ctx.fail("kernel_shape, strides, dilations and pads must be at most 2^31");
  w.strides = *strides;
  w.dilations = *dilations;
  w.pads = *pads;
  if (*autoPad == "VALID") {
    w.pads.assign(2 * rank, 0);
  } else if (*autoPad == "SAME_UPPER" || *autoPad == "SAME_LOWER") {
    // Output extent ceil(in / stride); the odd pad goes at the end (UPPER) or start.
    for (size_t i = 0; i < rank; ++i) {
      int64_t out = (in[2 + i] + w.strides[i] - 1) / w.strides[i];
      int64_t span = (kernel[i] - 1) * w.dilations[i] + 1;
      int64_t total = std::max<int64_t>(0, (out - 1) * w.strides[i] + span - in[2 + i]);
      int64_t begin = *autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
      w.pads[i] = begin;
      w.pads[i + rank] = total - begin;
    }
  } else if (*autoPad != "NOTSET") {
    return ctx.fail("auto_pad '" + *autoPad + "' is not supported");
  }
  if (rank == 1) {
    w.strides.insert(w.strides.begin(), 1);
    w.dilations.insert(w.dilations.begin(), 1);
    w.pads = {0, w.pads[0], 0, w.pads[1]};
  }
  return w;
}

/// `shape` with a unit axis inserted before its last: N x C x L as N x C x 1 x L.
SmallVector<int64_t> asImage(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> image(shape);
  image.insert(image.end() - 1, 1);
  return image;
}

/// The 2-D window op `make` builds from `input` (NCHW), with a 1-D node's
/// input reshaped to N x C x 1 x L before it and its result back after it.
template <typename Make> llvm::Error emitWindowed(NodeContext &ctx, OpChain &chain, Make make) {
  ArrayRef<int64_t> in = ctx.shape(0);
  if (in.size() == 4)
    return chain.emit(make(ctx.value(0)));
  Value image = make(chain.reshape(ctx.value(0), asImage(in)));
  if (!image)
    return chain.done();
  SmallVector<int64_t> out(cast<RankedTensorType>(image.getType()).getShape());
  out.erase(out.begin() + 2);
  return chain.emit(chain.reshape(image, out));
}

/// A 3-D convolution (LambdaNetworks' position lambdas: a (r, r, 1) kernel
/// over a [B, 1, H, W, V] volume) as 2-D ones. An innermost axis the kernel
/// spans by one at unit stride without padding (V there) joins the batch: one
/// 2-D conv over the other two. Otherwise each tap along the depth is a 2-D
/// conv over the planes the output's depths read at it, those depths in the
/// batch, and the taps' results are summed.
llvm::Error conv3d(NodeContext &ctx, ArrayRef<int64_t> kernel, const Window &w, int64_t group) {
  ArrayRef<int64_t> in = ctx.shape(0), weight = ctx.shape(1);
  const int64_t n = in[0], c = in[1], f = weight[0], perGroup = weight[1];
  OpChain chain(ctx);
  ChainValue filter = chain.input(1);
  Value bias = ctx.hasInput(2) ? ctx.value(2) : Value();
  auto conv2d = [&](Value x, ChainValue taps, Value b, int64_t first) {
    SmallVector<int64_t> strides = {w.strides[first], w.strides[first + 1]},
                         pads = {w.pads[first], w.pads[first + 1], w.pads[first + 3],
                                 w.pads[first + 4]},
                         dilations = {w.dilations[first], w.dilations[first + 1]};
    return chain.op<Conv2dOp>(x, chain.value(taps), b, strides, pads, dilations, group);
  };
  // `y` ([N * B, F, P, Q], B the axis folded into the batch) back to the
  // output's [N, F, ...] with B at `axis`.
  auto unfold = [&](Value y, int64_t b, int64_t axis) -> llvm::Error {
    if (!y)
      return chain.done();
    ArrayRef<int64_t> out = cast<RankedTensorType>(y.getType()).getShape();
    ChainValue split = chain.reshape(y, {n, b, f, out[2], out[3]});
    SmallVector<int64_t> perm = {0, 2, 3, 4};
    perm.insert(perm.begin() + axis, 1);
    return chain.emit(chain.value(chain.transpose(split, perm)));
  };
  if (kernel[2] == 1 && w.strides[2] == 1 && w.pads[2] == 0 && w.pads[5] == 0) {
    Value x = chain.value(chain.transpose(ctx.value(0), {0, 4, 1, 2, 3}));
    ChainValue taps = chain.reshape(filter, {f, perGroup, kernel[0], kernel[1]});
    return unfold(conv2d(chain.reshape(x, {n * in[4], c, in[2], in[3]}), taps, bias, 0), in[4], 4);
  }
  // The depth is padded here; the other axes' pads are the 2-D convs'.
  Value x = ctx.value(0);
  if (w.pads[0] || w.pads[3])
    x = chain.op<PadOp>(x, SmallVector<int64_t>{0, 0, w.pads[0], 0, 0, 0, 0, w.pads[3], 0, 0},
                        llvm::APFloat(0.0f));
  const int64_t depth = in[2] + w.pads[0] + w.pads[3], span = (kernel[0] - 1) * w.dilations[0] + 1;
  if (depth < span)
    return ctx.fail("the kernel spans " + llvm::Twine(span) + " planes of a depth of " +
                    llvm::Twine(depth) + " (padded)");
  const int64_t depths = (depth - span) / w.strides[0] + 1;
  Value sum;
  for (int64_t kd = 0; kd < kernel[0]; ++kd) {
    const int64_t start = kd * w.dilations[0];
    ChainValue planes = chain.slice(x, {0, 0, start, 0, 0},
                                    {n, c, start + (depths - 1) * w.strides[0] + 1, in[3], in[4]},
                                    {1, 1, w.strides[0], 1, 1});
    Value batch = chain.reshape(chain.value(chain.transpose(planes, {0, 2, 1, 3, 4})),
                                {n * depths, c, in[3], in[4]});
    ChainValue taps =
        chain.reshape(chain.slice(filter, {0, 0, kd, 0, 0},
                                  {f, perGroup, kd + 1, kernel[1], kernel[2]}, {1, 1, 1, 1, 1}),
                      {f, perGroup, kernel[1], kernel[2]});
    Value y = conv2d(batch, taps, kd == 0 ? bias : Value(), 1);
    sum = sum ? chain.op<AddOp>(sum, y) : y;
  }
  return unfold(sum, depths, 2);
}

llvm::Error conv(NodeContext &ctx) {
  ArrayRef<int64_t> weight = ctx.shape(1);
  if (weight.size() < 3 || weight.size() > 5)
    return ctx.fail("only 1-D, 2-D and 3-D convolution is supported, got a weight of rank " +
                    llvm::Twine(weight.size()));
  SmallVector<int64_t> kernel(weight.drop_front(2));
  Expected<SmallVector<int64_t>> declared = ctx.attrInts("kernel_shape", kernel);
  if (!declared)
    return declared.takeError();
  if (*declared != kernel)
    return ctx.fail("kernel_shape " + formatShape(*declared) + " does not match weight " +
                    formatShape(weight));
  Expected<int64_t> group = ctx.attrInt("group", 1);
  if (!group)
    return group.takeError();
  Expected<Window> w = windowOf(ctx, kernel, /*volumes=*/true);
  if (!w)
    return w.takeError();
  if (weight.size() == 5)
    return conv3d(ctx, kernel, *w, *group);
  OpChain chain(ctx);
  Value filter = weight.size() == 4 ? ctx.value(1)
                                    : chain.value(chain.reshape(chain.input(1), asImage(weight)));
  Value bias = ctx.hasInput(2) ? ctx.value(2) : Value();
  return emitWindowed(ctx, chain, [&](Value input) {
    return chain.op<Conv2dOp>(input, filter, bias, w->strides, w->pads, w->dilations, *group);
  });
}

// The window attributes every pool shares, and its flags.
struct Pool {
  SmallVector<int64_t> kernel;
  Window window;
  bool ceilMode;
};

Expected<Pool> poolOf(NodeContext &ctx) {
  if (!ctx.hasAttr("kernel_shape"))
    return ctx.fail("kernel_shape is required");
  Expected<SmallVector<int64_t>> kernel = ctx.attrInts("kernel_shape");
  if (!kernel)
    return kernel.takeError();
  Expected<Window> w = windowOf(ctx, *kernel);
  if (!w)
    return w.takeError();
  if (kernel->size() == 1)
    kernel->insert(kernel->begin(), 1);
  Expected<int64_t> ceilMode = ctx.attrInt("ceil_mode", 0);
  if (!ceilMode)
    return ceilMode.takeError();
  return Pool{*kernel, *w, *ceilMode != 0};
}

llvm::Error maxPool(NodeContext &ctx) {
  Expected<Pool> p = poolOf(ctx);
  if (!p)
    return p.takeError();
  OpChain chain(ctx);
  return emitWindowed(ctx, chain, [&](Value input) {
    return chain.op<MaxPool2dOp>(input, p->kernel, p->window.strides, p->window.pads,
                                 p->window.dilations, p->ceilMode);
  });
}

llvm::Error averagePool(NodeContext &ctx) {
  Expected<Pool> p = poolOf(ctx);
  if (!p)
    return p.takeError();
  Expected<int64_t> countPad = ctx.attrInt("count_include_pad", 0);
  if (!countPad)
    return countPad.takeError();
  OpChain chain(ctx);
  return emitWindowed(ctx, chain, [&](Value input) {
    return chain.op<AvgPool2dOp>(input, p->kernel, p->window.strides, p->window.pads, p->ceilMode,
                                 *countPad != 0);
  });
}

// A reduction's axes (all when empty) and keepdims; `reduce` false when
// noop_with_empty_axes leaves the input unreduced. Opsets before
// AxesInputSince give axes as an attribute, later ones as input 1.
struct Reduction {
  SmallVector<int64_t> axes;
  bool keepdims, reduce;
};

Expected<Reduction> reductionOf(NodeContext &ctx, int64_t axesInputSince) {
  Expected<SmallVector<int64_t>> axes = ctx.intsFromAttrOrInput("axes", 1, axesInputSince);
  if (!axes)
    return axes.takeError();
  Expected<int64_t> keepdims = ctx.attrInt("keepdims", 1);
  if (!keepdims)
    return keepdims.takeError();
  Expected<int64_t> noop = ctx.attrInt("noop_with_empty_axes", 0);
  if (!noop)
    return noop.takeError();
  Reduction r{*axes, *keepdims != 0, !(axes->empty() && *noop)};
  if (r.axes.empty())
    for (size_t i = 0; i < ctx.shape(0).size(); ++i)
      r.axes.push_back(i);
  return r;
}

// ReduceMin is -max(-x) (Negated), exactly: negation only flips the sign bit.
template <typename OpT, int64_t AxesInputSince, bool Negated = false>
llvm::Error reduce(NodeContext &ctx) {
  Expected<Reduction> r = reductionOf(ctx, AxesInputSince);
  if (!r)
    return r.takeError();
  if (!r->reduce) {
    ctx.forwardInput(0);
    return llvm::Error::success();
  }
  if (!Negated)
    return ctx.emit<OpT>(ctx.value(0), r->axes, r->keepdims);
  OpChain chain(ctx);
  Value reduced = chain.op<OpT>(chain.op<NegOp>(ctx.value(0)), r->axes, r->keepdims);
  return chain.emit(chain.op<NegOp>(reduced));
}

// ArgMax's indices are INT64, the one computed value that is not FLOAT: the
// graph walk lets only model outputs and Casts read them (castTo turns a Cast
// to FLOAT into an argmax of f32 indices). ArgMin is the argmax of -x: the
// same ties, so select_last_index picks the same one.
template <bool Min> llvm::Error argExtreme(NodeContext &ctx) {
  Expected<int64_t> axis = ctx.attrInt("axis", 0);
  if (!axis)
    return axis.takeError();
  Expected<int64_t> keepdims = ctx.attrInt("keepdims", 1);
  if (!keepdims)
    return keepdims.takeError();
  Expected<int64_t> last = ctx.attrInt("select_last_index", 0);
  if (!last)
    return last.takeError();
  std::optional<SmallVector<int64_t>> shape = argMaxShape(ctx.shape(0), *axis, *keepdims != 0);
  if (!shape)
    return ctx.fail("axis " + llvm::Twine(*axis) + " is out of range for rank " +
                    llvm::Twine(ctx.shape(0).size()));
  auto type = RankedTensorType::get(*shape, ctx.builder().getI64Type());
  Value x = ctx.value(0);
  if (Min) {
    Expected<NegOp> negated = ctx.create<NegOp>(x);
    if (!negated)
      return negated.takeError();
    x = negated->getResult();
  }
  return ctx.emit<ArgMaxOp>(type, x, *axis, *keepdims != 0, *last != 0);
}

// The reductions ONNX defines over a sum: an element-wise step, the sum (none
// when noop_with_empty_axes leaves the input unreduced, as in ONNX's
// reference), then a step on the sum.
enum class SumReduction { L1, L2, SumSquare, LogSum, LogSumExp };

template <SumReduction Kind, int64_t AxesInputSince> llvm::Error sumReduction(NodeContext &ctx) {
  using K = SumReduction;
  Expected<Reduction> r = reductionOf(ctx, AxesInputSince);
  if (!r)
    return r.takeError();
  OpChain chain(ctx);
  Value x = ctx.value(0), y, shift;
  if (Kind == K::LogSumExp && r->reduce) {
    // log(sum(e^x)) = m + log(sum(e^(x - m))) with m the maximum: no overflow.
    shift = chain.op<ReduceMaxOp>(x, r->axes, true);
    x = chain.op<SubOp>(x, shift);
  }
  if (Kind == K::L1)
    y = chain.op<AbsOp>(x);
  else if (Kind == K::L2 || Kind == K::SumSquare)
    y = chain.op<MulOp>(x, x);
  else if (Kind == K::LogSumExp)
    y = chain.op<ExpOp>(x);
  else
    y = x;
  if (r->reduce)
    y = chain.op<ReduceSumOp>(y, r->axes, r->keepdims);
  if (Kind == K::L2)
    y = chain.op<SqrtOp>(y);
  if (Kind == K::LogSum || Kind == K::LogSumExp)
    y = chain.op<LogOp>(y);
  if (Kind == K::LogSumExp && r->reduce) {
    if (!r->keepdims && y)
      shift = chain.reshape(shift, cast<RankedTensorType>(y.getType()).getShape());
    y = chain.op<AddOp>(y, shift);
  }
  return chain.emit(y);
}

// x - log(sum(e^x)) along `axis`, as x - m - log(sum(e^(x - m))) with m the
// maximum, so large values do not overflow.
Value logSoftmaxOf(OpChain &chain, Value x, int64_t axis) {
  Value shifted = chain.op<SubOp>(x, chain.op<ReduceMaxOp>(x, SmallVector<int64_t>{axis}, true));
  Value sum = chain.op<ReduceSumOp>(chain.op<ExpOp>(shifted), SmallVector<int64_t>{axis}, true);
  return chain.op<SubOp>(shifted, chain.op<LogOp>(sum));
}

// Softmax and LogSoftmax. Before opset 13 they ran over the input flattened to
// 2-D at `axis`; that is the plain one when axis is the last.
template <bool Log> llvm::Error softmax(NodeContext &ctx) {
  bool coerce2d = ctx.opset() < 13;
  Expected<int64_t> axis = ctx.attrInt("axis", coerce2d ? 1 : -1);
  if (!axis)
    return axis.takeError();
  int64_t rank = ctx.shape(0).size();
  std::optional<int64_t> a = normalizeAxis(*axis, rank);
  if (!a)
    return ctx.fail("axis " + llvm::Twine(*axis) + " is out of range for rank " +
                    llvm::Twine(rank));
  OpChain chain(ctx);
  Value x = ctx.value(0);
  bool flatten = coerce2d && *a != rank - 1;
  if (flatten) {
    x = chain.op<FlattenOp>(x, *a);
    a = 1;
  }
  Value y = Log ? logSoftmaxOf(chain, x, *a) : chain.op<SoftmaxOp>(x, *a);
  if (flatten)
    y = chain.reshape(y, ctx.shape(0));
  return chain.emit(y);
}

llvm::Error matmul(NodeContext &ctx) {
  // NumPy semantics: a 1-D operand is a row (lhs) or column (rhs) vector
  // whose unit dim is dropped from the result.
  ArrayRef<int64_t> a = ctx.shape(0), b = ctx.shape(1);
  if (a.empty() || b.empty())
    return ctx.fail("operands must have rank >= 1");
  Value lhs = ctx.value(0), rhs = ctx.value(1);
  if (a.size() == 1) {
    Expected<Value> row = ctx.reshape(lhs, {1, a[0]});
    if (!row)
      return row.takeError();
    lhs = *row;
  }
  if (b.size() == 1) {
    Expected<Value> column = ctx.reshape(rhs, {b[0], 1});
    if (!column)
      return column.takeError();
    rhs = *column;
  }
  Expected<MatmulOp> product = ctx.create<MatmulOp>(lhs, rhs);
  if (!product)
    return product.takeError();
  Value y = product->getResult();
  if (a.size() == 1 || b.size() == 1) {
    SmallVector<int64_t> shape(cast<RankedTensorType>(y.getType()).getShape());
    if (b.size() == 1)
      shape.pop_back();
    if (a.size() == 1)
      shape.erase(shape.end() - (b.size() == 1 ? 1 : 2));
    Expected<Value> squeezed = ctx.reshape(y, shape);
    if (!squeezed)
      return squeezed.takeError();
    y = *squeezed;
  }
  ctx.setOutput(0, y);
  return llvm::Error::success();
}

// y += beta * C, as graph ops.
Expected<Value> addScaledC(NodeContext &ctx, Value y, float beta) {
  Value c = ctx.value(2);
  if (beta != 1.0f) {
    Expected<MulOp> scaled = ctx.create<MulOp>(c, ctx.graph().scalar(beta, ctx.loc()));
    if (!scaled)
      return scaled.takeError();
    c = *scaled;
  }
  Expected<AddOp> sum = ctx.create<AddOp>(y, c);
  if (!sum)
    return sum.takeError();
  return sum->getResult();
}

// Gemm with a constant B is a linear layer: B (times alpha) is laid out as
// acnn's [N, K] weight at import, and a C that varies only along N (times
// beta) is its bias. Otherwise: transposes, matmul and mul/add.
llvm::Error gemm(NodeContext &ctx) {
  Expected<float> alpha = ctx.attrFloat("alpha", 1.0f);
  if (!alpha)
    return alpha.takeError();
  Expected<float> beta = ctx.attrFloat("beta", 1.0f);
  if (!beta)
    return beta.takeError();
  Expected<int64_t> transA = ctx.attrInt("transA", 0);
  if (!transA)
    return transA.takeError();
  Expected<int64_t> transB = ctx.attrInt("transB", 0);
  if (!transB)
    return transB.takeError();
  if (ctx.shape(0).size() != 2 || ctx.shape(1).size() != 2)
    return ctx.fail("A and B must be 2-D, got " + formatShape(ctx.shape(0)) + " and " +
                    formatShape(ctx.shape(1)));
  const int64_t swap[] = {1, 0};
  Value a = ctx.value(0);
  if (*transA) {
    Expected<TransposeOp> t = ctx.create<TransposeOp>(a, swap);
    if (!t)
      return t.takeError();
    a = *t;
  }

  Value y;
  bool cDone = !ctx.hasInput(2);
  if (const KnownTensor *knownB = ctx.known(1)) {
    Value weight;
    if (*transB && *alpha == 1.0f) {
      weight = ctx.value(1);
    } else {
      KnownTensor w = knownB->asFloats();
      if (!*transB) {
        Expected<KnownTensor> t = transposeKnown(w, swap);
        if (!t)
          return ctx.fail(t.takeError());
        w = std::move(*t);
      }
      for (float &v : w.floats)
        v *= *alpha;
      weight = ctx.graph().constant(w.shape, w.floats, ctx.loc());
    }
    int64_t n = cast<RankedTensorType>(weight.getType()).getDimSize(0);
    Value bias;
    const KnownTensor *c = ctx.known(2);
    if (c && (c->size() == 1 || (int64_t(c->size()) == n && c->shape.back() == n))) {
      std::vector<float> data = c->asFloats().floats;
      float first = data[0];
      data.resize(n, first); // a single value repeats
      for (float &v : data)
        v *= *beta;
      bias = ctx.graph().constant({n}, data, ctx.loc());
      cDone = true;
    }
    Expected<LinearOp> linear = ctx.create<LinearOp>(a, weight, bias);
    if (!linear)
      return linear.takeError();
    y = *linear;
  } else {
    Value b = ctx.value(1);
    if (*transB) {
      Expected<TransposeOp> t = ctx.create<TransposeOp>(b, swap);
      if (!t)
        return t.takeError();
      b = *t;
    }
    Expected<MatmulOp> product = ctx.create<MatmulOp>(a, b);
    if (!product)
      return product.takeError();
    y = *product;
    if (*alpha != 1.0f) {
      Expected<MulOp> scaled = ctx.create<MulOp>(y, ctx.graph().scalar(*alpha, ctx.loc()));
      if (!scaled)
        return scaled.takeError();
      y = *scaled;
    }
  }
  if (!cDone) {
    Expected<Value> sum = addScaledC(ctx, y, *beta);
    if (!sum)
      return sum.takeError();
    y = *sum;
  }
  ctx.setOutput(0, y);
  return llvm::Error::success();
}

} // namespace

void registerNNOps(OpTable &table) {
  const char *window = "1-D and 2-D windows over NCL and NCHW inputs only";
  addOp(table, "Conv", conv, 2, 3)
      .note("1-D, 2-D and 3-D windows over NCL, NCHW and NCDHW inputs only (3-D as 2-D convs)");
  addOp(table, "MaxPool", maxPool).fixed("storage_order", "0").note(window);
  addOp(table, "AveragePool", averagePool).fixed("dilations", "1,1").note(window);
  addOp(table, "GlobalAveragePool", unaryOp<GlobalAvgPoolOp>);
  addOp(table, "GlobalMaxPool", unaryOp<GlobalMaxPoolOp>);
  addOp(table, "ReduceMean", reduce<ReduceMeanOp, 18>, 1, 2).known({1});
  addOp(table, "ReduceMax", reduce<ReduceMaxOp, 18>, 1, 2).known({1});
  addOp(table, "ReduceSum", reduce<ReduceSumOp, 13>, 1, 2).known({1});
  addOp(table, "ReduceL1", sumReduction<SumReduction::L1, 18>, 1, 2).known({1});
  addOp(table, "ReduceL2", sumReduction<SumReduction::L2, 18>, 1, 2).known({1});
  addOp(table, "ReduceSumSquare", sumReduction<SumReduction::SumSquare, 18>, 1, 2).known({1});
  addOp(table, "ReduceLogSum", sumReduction<SumReduction::LogSum, 18>, 1, 2).known({1});
  addOp(table, "ReduceLogSumExp", sumReduction<SumReduction::LogSumExp, 18>, 1, 2).known({1});
  addOp(table, "ReduceMin", reduce<ReduceMaxOp, 18, true>, 1, 2).known({1});
  const char *indices = "INT64 indices, read only as a model output or through a Cast to FLOAT";
  addOp(table, "ArgMax", argExtreme<false>).note(indices);
  addOp(table, "ArgMin", argExtreme<true>).note(indices);
  addOp(table, "Softmax", softmax<false>);
  addOp(table, "LogSoftmax", softmax<true>);
  addOp(table, "MatMul", matmul, 2, 2);
  addOp(table, "Gemm", gemm, 2, 3);
}

} // namespace acnn
