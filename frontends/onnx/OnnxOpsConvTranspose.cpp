// ConvTranspose as acnn convolutions. A transposed convolution is the
// convolution of the input spread `stride` apart (zeros between its
// elements) with the filter flipped and its in/out channels swapped, padded
// by dilation * (kernel - 1) less ONNX's pads. Where the kernel equals the
// stride (U-Net's and FPN's 2x2 stride-2 upsampling), the output windows do
// not overlap: each input pixel writes its own kernel-sized block, so the op
// is a 1x1 convolution to out-channels x kernel values and a pixel shuffle,
// without the zeros' work.
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

// Kernel == stride, no pads, no dilation, one group: a 1x1 convolution to
// [C_out, kh, kw] channels per pixel, shuffled into kh x kw blocks.
Value nonOverlapping(NodeContext &ctx, OpChain &chain, const Transposed &t) {
  ArrayRef<int64_t> in = ctx.shape(0), weight = ctx.shape(1);
  int64_t n = in[0], cin = in[1], h = in[2], w = in[3];
  int64_t cout = weight[1], kh = t.kernel[0], kw = t.kernel[1];
  ChainValue flat = chain.reshape(chain.input(1), {cin, cout * kh * kw});
  Value filter =
      chain.value(chain.reshape(chain.transpose(flat, {1, 0}), {cout * kh * kw, cin, 1, 1}));
  Value bias;
  if (ctx.hasInput(2)) {
    ChainValue perChannel = chain.reshape(chain.input(2), {cout, 1});
    bias = chain.value(chain.reshape(chain.expand(perChannel, {cout, kh * kw}), {cout * kh * kw}));
  }
  Value y =
      chain.op<Conv2dOp>(ctx.value(0), filter, bias, SmallVector<int64_t>{1, 1},
                         SmallVector<int64_t>{0, 0, 0, 0}, SmallVector<int64_t>{1, 1}, int64_t(1));
  Value blocks = chain.reshape(y, {n, cout, kh, kw, h, w});
  Value shuffled = chain.op<TransposeOp>(blocks, SmallVector<int64_t>{0, 1, 4, 2, 5, 3});
  return chain.reshape(shuffled, {n, cout, h * kh, w * kw});
}

llvm::Error convTranspose(NodeContext &ctx) {
  Expected<Transposed> t = transposedOf(ctx);
  if (!t)
    return t.takeError();
  OpChain chain(ctx);
  if (t->kernel == t->strides && llvm::all_of(t->pads, [](int64_t p) { return p == 0; }) &&
      t->dilations == SmallVector<int64_t>{1, 1} &&
      t->outputPadding == SmallVector<int64_t>{0, 0} && t->group == 1)
    return chain.emit(nonOverlapping(ctx, chain, *t));

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
