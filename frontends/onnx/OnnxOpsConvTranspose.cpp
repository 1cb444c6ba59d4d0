// ConvTranspose as acnn convolutions. A transposed convolution is the
// convolution of the input spread `stride` apart (zeros between its
// elements) with the filter flipped and its in/out channels swapped, padded
// by dilation * (kernel - 1) less ONNX's pads. Where the kernel is a
// multiple of the stride (U-Net's 2x2 and DCGAN's or CenterNet's 4x4
// stride-2 upsampling), each output phase is a convolution of the input
// itself, without the zeros' work: see byPhases. Other kernels (a 3x3 at
// stride 2, as decoders and FPNs upsample) get zero taps up to a multiple.
#include "dialects/acnn/ShapeUtils.h"
#include "frontends/onnx/NodeContext.h"

using namespace mlir;
using llvm::ArrayRef;
using llvm::Expected;
using llvm::SmallVector;

namespace acnn {

namespace {

// The attributes of a 2-D ConvTranspose, with auto_pad and output_shape
// resolved into explicit pads.
struct Transposed {
  int64_t group;
  SmallVector<int64_t> kernel, strides, dilations, outputPadding;
  SmallVector<int64_t> pads; // top, left, bottom, right
};

Expected<SmallVector<int64_t>> twoInts(NodeContext &ctx, const char *name, ArrayRef<int64_t> dflt) {
  Expected<SmallVector<int64_t>> v = ctx.attrInts(name, dflt);
  if (v && v->size() != dflt.size())
    return ctx.fail(llvm::Twine(name) + " must have " + llvm::Twine(dflt.size()) + " values");
  return v;
}

Expected<Transposed> transposedOf(NodeContext &ctx) {
  ArrayRef<int64_t> in = ctx.shape(0), weight = ctx.shape(1);
  if (in.size() != 4 || weight.size() != 4)
    return ctx.fail("only 2-D transposed convolution over NCHW inputs is supported, got input "
                    "rank " +
                    llvm::Twine(in.size()) + " and weight rank " + llvm::Twine(weight.size()));
  Transposed t;
  t.kernel.assign(weight.begin() + 2, weight.end());
  Expected<int64_t> group = ctx.attrInt("group", 1);
  if (!group)
    return group.takeError();
  t.group = *group;
  if (t.group <= 0 || in[1] % t.group || weight[0] != in[1])
    return ctx.fail("weight " + formatShape(weight) + " does not suit input " + formatShape(in) +
                    " in " + llvm::Twine(t.group) + " groups");
  Expected<SmallVector<int64_t>> declared = twoInts(ctx, "kernel_shape", t.kernel);
  if (!declared)
    return declared.takeError();
  if (*declared != t.kernel)
    return ctx.fail("kernel_shape " + formatShape(*declared) + " does not match weight " +
                    formatShape(weight));
  for (auto [field, name] : {std::pair(&t.strides, "strides"), std::pair(&t.dilations, "dilations"),
                             std::pair(&t.outputPadding, "output_padding")}) {
    Expected<SmallVector<int64_t>> v =
        twoInts(ctx, name,
                name == llvm::StringRef("output_padding") ? ArrayRef<int64_t>{0, 0}
                                                          : ArrayRef<int64_t>{1, 1});
    if (!v)
      return v.takeError();
    *field = *v;
  }
  Expected<SmallVector<int64_t>> pads = twoInts(ctx, "pads", {0, 0, 0, 0});
  if (!pads)
    return pads.takeError();
  t.pads = *pads;
  Expected<SmallVector<int64_t>> outputShape = ctx.attrInts("output_shape");
  if (!outputShape)
    return outputShape.takeError();
  Expected<std::string> autoPad = ctx.attrString("auto_pad", "NOTSET");
  if (!autoPad)
    return autoPad.takeError();
  if (*autoPad != "NOTSET" && *autoPad != "VALID" && *autoPad != "SAME_UPPER" &&
      *autoPad != "SAME_LOWER")
    return ctx.fail("auto_pad '" + *autoPad + "' is not supported");
  for (int i = 0; i < 2; ++i) {
    if (t.strides[i] <= 0 || t.dilations[i] <= 0 || t.outputPadding[i] < 0 || t.pads[i] < 0 ||
        t.pads[i + 2] < 0)
      return ctx.fail("strides and dilations must be positive, pads and output_padding not "
                      "negative");
    // Bounded like a tensor's extent, the sums of products of them below
    // cannot overflow int64.
    if (llvm::any_of(std::initializer_list<int64_t>{t.strides[i], t.dilations[i],
                                                    t.outputPadding[i], t.pads[i], t.pads[i + 2]},
                     [](int64_t v) { return v > kMaxTensorElements; }))
      return ctx.fail("strides, dilations, pads and output_padding must be at most 2^31");
    int64_t full = t.strides[i] * (in[2 + i] - 1) + t.outputPadding[i] +
                   (t.kernel[i] - 1) * t.dilations[i] + 1;
    // output_shape (its last two values: some exporters write N and C too)
    // or SAME's in * stride fix the pads' total; SAME_UPPER puts the odd one
    // at the end.
    std::optional<int64_t> out;
    if (outputShape->size() >= 2)
      out = (*outputShape)[outputShape->size() - 2 + i];
    else if (*autoPad == "SAME_UPPER" || *autoPad == "SAME_LOWER")
      out = in[2 + i] * t.strides[i];
    if (outputShape->size() >= 2 && (*out <= 0 || *out > kMaxTensorElements))
      return ctx.fail("output_shape " + formatShape(*outputShape) +
                      " must hold extents from 1 to 2^31");
    if (*autoPad == "VALID") {
      t.pads[i] = t.pads[i + 2] = 0;
    } else if (out) {
      // An output past the full one (as ONNX Runtime reads output_shape)
      // only adds rows and columns that no input reaches: output padding.
      int64_t total = full - *out;
      if (total < 0) {
        t.outputPadding[i] -= total;
        full -= total;
        total = 0;
      }
      int64_t small = total / 2;
      t.pads[i] = *autoPad == "SAME_UPPER" ? small : total - small;
      t.pads[i + 2] = total - t.pads[i];
    }
    if (full - t.pads[i] - t.pads[i + 2] <= 0)
      return ctx.fail("pads leave no output");
  }
  return t;
}

// [C_in, C_out / group, kh, kw] as a convolution's [C_out, C_in / group, kh, kw],
// flipped along kh and kw.
Value convolutionFilter(NodeContext &ctx, OpChain &chain, int64_t group) {
  ArrayRef<int64_t> s = ctx.shape(1);
  int64_t inPerGroup = s[0] / group;
  ChainValue split = chain.reshape(chain.input(1), {group, inPerGroup, s[1], s[2], s[3]});
  ChainValue swapped = chain.transpose(split, {0, 2, 1, 3, 4});
  ChainValue filter = chain.reshape(swapped, {s[1] * group, inPerGroup, s[2], s[3]});
  return chain.value(chain.slice(filter, {0, 0, s[2] - 1, s[3] - 1},
                                 {s[1] * group, inPerGroup, -1, -1}, {1, 1, -1, -1}));
}

// Without dilation and with a kernel a multiple of the stride s, output u of
// the uncropped result (u = o + pad) takes the taps k = u mod s + j * s, so
// each of the s x s output phases is an ordinary convolution of the input
// with K / s taps of the filter (flipped), padded by K / s - 1. One
// convolution computes every phase as its own output channels, a pixel
// shuffle interleaves them, and a slice takes off the pads: the work of the
// transposed convolution itself, where the spread input does s^2 times as
// much (most of it on zeros). A kernel K that is not a multiple of s gets
// zero taps after its own up to the next multiple K': they add nothing, and
// the output ends where K's did, K' - K further from the uncropped end (a 3x3
// kernel at stride 2: 4 phases of 2x2 taps, 16 where the spread input does
// 36). Null when the output padding reaches past the uncropped result.
Value byPhases(NodeContext &ctx, OpChain &chain, const Transposed &t) {
  ArrayRef<int64_t> in = ctx.shape(0), weight = ctx.shape(1);
  int64_t n = in[0], cin = in[1], g = t.group, cg = weight[1], cout = cg * g;
  int64_t sh = t.strides[0], sw = t.strides[1];
  int64_t th = llvm::divideCeil(t.kernel[0], sh), tw = llvm::divideCeil(t.kernel[1], sw);
  int64_t zerosH = th * sh - t.kernel[0], zerosW = tw * sw - t.kernel[1];
  // Uncropped extent (in - 1) * s + K' = (in + taps - 1) * s, and the output.
  int64_t mh = in[2] + th - 1, mw = in[3] + tw - 1;
  int64_t oh = mh * sh - t.pads[0] - t.pads[2] - zerosH + t.outputPadding[0];
  int64_t ow = mw * sw - t.pads[1] - t.pads[3] - zerosW + t.outputPadding[1];
  if (t.pads[0] + oh > mh * sh || t.pads[1] + ow > mw * sw)
    return Value();
  ChainValue padded = chain.input(1);
  if (zerosH || zerosW)
    padded =
        chain.op<PadOp>(chain.value(padded), SmallVector<int64_t>{0, 0, 0, 0, 0, 0, zerosH, zerosW},
                        llvm::APFloat(0.0f));
  // Filter [g, Cin/g, cg, th, sh, tw, sw] (k = j * s + phase) to
  // [g, sh, sw, cg, Cin/g, th, tw], taps flipped.
  ChainValue w = chain.reshape(padded, {g, cin / g, cg, th, sh, tw, sw});
  w = chain.reshape(chain.transpose(w, {0, 4, 6, 2, 1, 3, 5}), {g * sh * sw * cg, cin / g, th, tw});
  Value filter = chain.value(
      chain.slice(w, {0, 0, th - 1, tw - 1}, {g * sh * sw * cg, cin / g, -1, -1}, {1, 1, -1, -1}));
  Value bias;
  if (ctx.hasInput(2)) {
    ChainValue b = chain.reshape(chain.input(2), {g, 1, 1, cg});
    bias = chain.value(chain.reshape(chain.expand(b, {g, sh, sw, cg}), {g * sh * sw * cg}));
  }
  Value phases = chain.op<Conv2dOp>(ctx.value(0), filter, bias, SmallVector<int64_t>{1, 1},
                                    SmallVector<int64_t>{th - 1, tw - 1, th - 1, tw - 1},
                                    SmallVector<int64_t>{1, 1}, g);
  // [N, g, sh, sw, cg, mh, mw] -> [N, g, cg, mh, sh, mw, sw]: phase (a, b) of
  // pixel (y, x) is output (y * sh + a, x * sw + b).
  Value split = chain.reshape(phases, {n, g, sh, sw, cg, mh, mw});
  Value shuffled = chain.op<TransposeOp>(split, SmallVector<int64_t>{0, 1, 4, 5, 2, 6, 3});
  Value full = chain.reshape(shuffled, {n, cout, mh * sh, mw * sw});
  if (oh == mh * sh && ow == mw * sw)
    return full;
  return chain.op<SliceOp>(full, SmallVector<int64_t>{0, 0, t.pads[0], t.pads[1]},
                           SmallVector<int64_t>{n, cout, t.pads[0] + oh, t.pads[1] + ow},
                           SmallVector<int64_t>{1, 1, 1, 1});
}

llvm::Error convTranspose(NodeContext &ctx) {
  Expected<Transposed> t = transposedOf(ctx);
  if (!t)
    return t.takeError();
  OpChain chain(ctx);
  if (t->dilations == SmallVector<int64_t>{1, 1} && (t->strides[0] > 1 || t->strides[1] > 1))
    if (Value y = byPhases(ctx, chain, *t))
      return chain.emit(y);

  ArrayRef<int64_t> in = ctx.shape(0);
  int64_t n = in[0], c = in[1], h = in[2], w = in[3], sh = t->strides[0], sw = t->strides[1];
  // The input spread out: each element followed by stride - 1 zeros per axis.
  Value x = ctx.value(0);
  if (sh > 1 || sw > 1) {
    Value unit = chain.reshape(x, {n, c, h, 1, w, 1});
    Value spread =
        chain.op<PadOp>(unit, SmallVector<int64_t>{0, 0, 0, 0, 0, 0, 0, 0, 0, sh - 1, 0, sw - 1},
                        llvm::APFloat(0.0f));
    x = chain.reshape(spread, {n, c, h * sh, w * sw});
  }
  // Each side's padding; the trailing zeros of the spread already pad the
  // end by stride - 1, and a negative pad crops.
  SmallVector<int64_t> pads(4), starts{0, 0, 0, 0}, ends{n, c, h * sh, w * sw};
  bool crop = false;
  for (int i = 0; i < 2; ++i) {
    int64_t reach = (t->kernel[i] - 1) * t->dilations[i];
    int64_t begin = reach - t->pads[i];
    int64_t end = reach - t->pads[i + 2] + t->outputPadding[i] - (t->strides[i] - 1);
    pads[i] = std::max<int64_t>(begin, 0);
    pads[i + 2] = std::max<int64_t>(end, 0);
    starts[2 + i] = std::max<int64_t>(-begin, 0);
    ends[2 + i] -= std::max<int64_t>(-end, 0);
    crop |= begin < 0 || end < 0;
  }
  if (crop)
    x = chain.op<SliceOp>(x, starts, ends, SmallVector<int64_t>{1, 1, 1, 1});
  Value filter = convolutionFilter(ctx, chain, t->group);
  Value bias = ctx.hasInput(2) ? ctx.value(2) : Value();
  return chain.emit(chain.op<Conv2dOp>(x, filter, bias, SmallVector<int64_t>{1, 1}, pads,
                                       t->dilations, t->group));
}

} // namespace

void registerConvTransposeOps(OpTable &table) {
  addOp(table, "ConvTranspose", convTranspose, 2, 3).note("2-D windows over NCHW inputs only");
}

} // namespace acnn
