// Resize and Upsample. The output shape is static, so each resized axis's
// source indices and weights are known at import: a nearest resize is a
// constant-index acnn.gather per axis, a linear (cubic) one two (four)
// gathers weighted by constants per axis, since the interpolation is
// separable. The backends compile those ops like any others; no resize op of
// its own is needed.
#include "dialects/acnn/ShapeUtils.h"
#include "frontends/onnx/NodeContext.h"

#include "mlir/IR/BuiltinAttributes.h"

#include <array>
#include <cmath>

using namespace mlir;
using llvm::ArrayRef;
using llvm::Expected;
using llvm::SmallVector;

namespace acnn {

namespace {

// The attributes that say how output coordinates map onto the input.
struct Interpolation {
  std::string mode;        // nearest, linear
  std::string coordinates; // ONNX's coordinate_transformation_mode
  std::string rounding;    // ONNX's nearest_mode
  double cubicA = -0.75;   // ONNX's cubic_coeff_a
  bool excludeOutside = false;
};

// The input coordinate of output index x along an axis of `in` -> `out`
// elements scaled by `scale` (ONNX Resize's coordinate_transformation_mode).
double sourceCoordinate(const std::string &coordinates, double x, double scale, int64_t in,
                        int64_t out) {
  if (coordinates == "align_corners")
    return out == 1 ? 0.0 : x * double(in - 1) / double(out - 1);
  if (coordinates == "asymmetric")
    return x / scale;
  if (coordinates == "tf_half_pixel_for_nn")
    return (x + 0.5) / scale;
  if (coordinates == "pytorch_half_pixel" && out == 1)
    return 0.0;
  return (x + 0.5) / scale - 0.5; // half_pixel, pytorch_half_pixel
}

int64_t roundNearest(const std::string &rounding, double x) {
  if (rounding == "floor")
    return int64_t(std::floor(x));
  if (rounding == "ceil")
    return int64_t(std::ceil(x));
  double whole = std::floor(x);
  if (x - whole == 0.5)
    return int64_t(rounding == "round_prefer_ceil" ? whole + 1 : whole);
  return int64_t(std::round(x));
}

int64_t clampIndex(int64_t i, int64_t in) { return std::min(std::max<int64_t>(i, 0), in - 1); }

// `x` gathered along `axis` at `indices`.
Value gatherAlong(OpChain &chain, Value x, int64_t axis, ArrayRef<int64_t> indices,
                  MLIRContext *ctx) {
  auto type = RankedTensorType::get({int64_t(indices.size())}, IntegerType::get(ctx, 64));
  return chain.op<GatherOp>(x, DenseIntElementsAttr::get(type, indices), axis);
}

// ONNX's cubic convolution weights of the taps at floor(x) - 1 .. floor(x) + 2
// for x at `ratio` past floor(x), with coefficient `a`.
std::array<double, 4> cubicWeights(double ratio, double a) {
  auto near = [&](double d) { return ((a + 2) * d - (a + 3)) * d * d + 1; };      // |d| <= 1
  auto far = [&](double d) { return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a; }; // 1 < |d| < 2
  return {far(ratio + 1), near(ratio), near(1 - ratio), far(2 - ratio)};
}

// The taps of each output element along one axis: tap k of output i reads
// input index[k][i] with weight[k][i].
struct Taps {
  std::vector<SmallVector<int64_t>> index;
  std::vector<std::vector<float>> weight;
};

Taps tapsOf(int64_t in, int64_t out, double scale, const Interpolation &how) {
  int64_t count = how.mode == "nearest" ? 1 : how.mode == "linear" ? 2 : 4;
  Taps taps{std::vector<SmallVector<int64_t>>(count), std::vector<std::vector<float>>(count)};
  for (int64_t i = 0; i < out; ++i) {
    double source = sourceCoordinate(how.coordinates, double(i), scale, in, out);
    if (count == 1) {
      taps.index[0].push_back(clampIndex(roundNearest(how.rounding, source), in));
      taps.weight[0].push_back(1.0f);
      continue;
    }
    // The neighbours from floor(x) - (count / 2 - 1) on, clamped to the edge
    // (ONNX's reference pads with edge values).
    double whole = std::floor(source), ratio = source - whole;
    int64_t first = int64_t(whole) - (count / 2 - 1);
    std::array<double, 4> w = {1 - ratio, ratio};
    if (count == 4)
      w = cubicWeights(ratio, how.cubicA);
    double sum = 0;
    for (int64_t k = 0; k < count; ++k) {
      bool outside = first + k < 0 || first + k >= in;
      if (outside && how.excludeOutside)
        w[k] = 0;
      sum += w[k];
    }
    for (int64_t k = 0; k < count; ++k) {
      taps.index[k].push_back(clampIndex(first + k, in));
      taps.weight[k].push_back(float(how.excludeOutside ? w[k] / sum : w[k]));
    }
  }
  return taps;
}

// One axis of `x` resized from `in` to `out` elements: the sum over taps of
// the input gathered at the tap's indices times its weights.
Value resizeAxis(NodeContext &ctx, OpChain &chain, Value x, int64_t axis, int64_t in, int64_t out,
                 double scale, const Interpolation &how) {
  Taps taps = tapsOf(in, out, scale, how);
  // Weights [out, 1, ...] broadcast over the axes after `axis`.
  SmallVector<int64_t> weightShape(cast<RankedTensorType>(x.getType()).getRank() - axis, 1);
  weightShape[0] = out;
  Value sum;
  for (size_t k = 0; k < taps.index.size(); ++k) {
    const std::vector<float> &w = taps.weight[k];
    if (llvm::all_of(w, [](float v) { return v == 0.0f; }))
      continue;
    Value tap = gatherAlong(chain, x, axis, taps.index[k], ctx.graph().context());
    if (llvm::any_of(w, [](float v) { return v != 1.0f; }))
      tap = chain.op<MulOp>(tap, ctx.graph().constant(weightShape, w, ctx.loc()));
    sum = sum ? chain.op<AddOp>(sum, tap) : tap;
  }
  return sum;
}

// Input 0 resized to `sizes`, each axis scaled by `scales` in the coordinate
// mapping.
llvm::Error resizeTo(NodeContext &ctx, ArrayRef<int64_t> sizes, ArrayRef<double> scales,
                     const Interpolation &how) {
  if (how.mode != "nearest" && how.mode != "linear" && how.mode != "cubic")
    return ctx.fail("mode '" + how.mode + "' is not nearest, linear or cubic");
  static const char *const coordinateModes[] = {"half_pixel", "pytorch_half_pixel", "align_corners",
                                                "asymmetric", "tf_half_pixel_for_nn"};
  if (!llvm::is_contained(coordinateModes, how.coordinates))
    return ctx.fail("coordinate_transformation_mode '" + how.coordinates + "' is not supported");
  static const char *const roundingModes[] = {"round_prefer_floor", "round_prefer_ceil", "floor",
                                              "ceil"};
  if (!llvm::is_contained(roundingModes, how.rounding))
    return ctx.fail("nearest_mode '" + how.rounding + "' is not supported");
  ArrayRef<int64_t> in = ctx.shape(0);
  OpChain chain(ctx);
  Value y = ctx.value(0);
  for (size_t axis = 0; axis < in.size(); ++axis)
    if (sizes[axis] <= 0)
      return ctx.fail("output size " + llvm::Twine(sizes[axis]) + " of axis " + llvm::Twine(axis) +
                      " is not positive");
  // Before any axis's index table is built: each is as long as its axis.
  if (std::optional<std::string> why = oversizeReason(sizes))
    return ctx.fail("output " + *why);
  for (size_t axis = 0; axis < in.size(); ++axis) {
    if (sizes[axis] == in[axis] && scales[axis] == 1.0)
      continue;
    y = resizeAxis(ctx, chain, y, axis, in[axis], sizes[axis], scales[axis], how);
  }
  return chain.emit(y);
}

// Per-axis scales from `given` (one per entry of `axes`, the others 1).
Expected<SmallVector<double>> scalesOf(NodeContext &ctx, ArrayRef<float> given,
                                       ArrayRef<int64_t> axes) {
  SmallVector<double> scales(ctx.shape(0).size(), 1.0);
  if (given.size() != axes.size())
    return ctx.fail("scales has " + llvm::Twine(given.size()) + " values for " +
                    llvm::Twine(axes.size()) + " axes");
  for (size_t i = 0; i < axes.size(); ++i) {
    if (!(given[i] > 0))
      return ctx.fail("scales must be positive");
    scales[axes[i]] = given[i];
  }
  return scales;
}

// Opset 18's `axes` (negative from the end), or every axis.
Expected<SmallVector<int64_t>> resizedAxes(NodeContext &ctx) {
  int64_t rank = ctx.shape(0).size();
  Expected<SmallVector<int64_t>> axes = ctx.attrInts("axes");
  if (!axes)
    return axes.takeError();
  if (axes->empty())
    for (int64_t a = 0; a < rank; ++a)
      axes->push_back(a);
  for (int64_t &a : *axes) {
    std::optional<int64_t> normal = normalizeAxis(a, rank);
    if (!normal)
      return ctx.fail("axis " + llvm::Twine(a) + " is out of range for rank " + llvm::Twine(rank));
    a = *normal;
  }
  return axes;
}

// A known float input, or an empty list when it is absent or has no elements
// (exporters write an empty `scales` when they give `sizes`).
std::vector<float> knownFloats(NodeContext &ctx, unsigned i) {
  const KnownTensor *t = ctx.hasInput(i) ? ctx.known(i) : nullptr;
  return t ? t->asFloats().floats : std::vector<float>();
}

llvm::Error resizeWithScales(NodeContext &ctx, ArrayRef<float> given, ArrayRef<int64_t> axes,
                             const Interpolation &how) {
  Expected<SmallVector<double>> scales = scalesOf(ctx, given, axes);
  if (!scales)
    return scales.takeError();
  ArrayRef<int64_t> in = ctx.shape(0);
  SmallVector<int64_t> sizes;
  // In f32, as ONNX Runtime computes it: 10 * 0.7f is 7 there, 6.99.. in double.
  for (size_t a = 0; a < in.size(); ++a) {
    float size = std::floor(float(in[a]) * float((*scales)[a]));
    // Checked before the conversion, which would be undefined past int64.
    if (!(size <= float(kMaxTensorElements)))
      return ctx.fail("scales make axis " + llvm::Twine(a) +
                      " longer than the 2^31 elements acnn allows in one tensor");
    sizes.push_back(int64_t(size));
  }
  return resizeTo(ctx, sizes, *scales, how);
}

// Opset 11 on: X, roi, scales, sizes (exactly one of scales and sizes).
llvm::Error resize(NodeContext &ctx) {
  Interpolation how;
  for (auto [field, name, dflt] :
       {std::tuple(&how.mode, "mode", "nearest"),
        std::tuple(&how.coordinates, "coordinate_transformation_mode", "half_pixel"),
        std::tuple(&how.rounding, "nearest_mode", "round_prefer_floor")}) {
    Expected<std::string> v = ctx.attrString(name, dflt);
    if (!v)
      return v.takeError();
    *field = *v;
  }
  Expected<float> cubicA = ctx.attrFloat("cubic_coeff_a", -0.75f);
  if (!cubicA)
    return cubicA.takeError();
  Expected<int64_t> excludeOutside = ctx.attrInt("exclude_outside", 0);
  if (!excludeOutside)
    return excludeOutside.takeError();
  how.cubicA = *cubicA;
  how.excludeOutside = *excludeOutside != 0;
  if (ctx.opset() < 11) {
    // Resize-10 maps coordinates as Upsample does: x / scale, rounded down.
    how.coordinates = "asymmetric";
    how.rounding = "floor";
    std::vector<float> scales = knownFloats(ctx, 1);
    SmallVector<int64_t> all;
    for (size_t a = 0; a < ctx.shape(0).size(); ++a)
      all.push_back(a);
    return resizeWithScales(ctx, scales, all, how);
  }
  Expected<SmallVector<int64_t>> axes = resizedAxes(ctx);
  if (!axes)
    return axes.takeError();
  std::vector<float> scales = knownFloats(ctx, 2);
  if (!scales.empty())
    return resizeWithScales(ctx, scales, *axes, how);
  if (!ctx.hasInput(3))
    return ctx.fail("neither scales nor sizes is given");
  Expected<SmallVector<int64_t>> given = ctx.knownInts(3, "sizes");
  if (!given)
    return given.takeError();
  if (given->size() != axes->size())
    return ctx.fail("sizes has " + llvm::Twine(given->size()) + " values for " +
                    llvm::Twine(axes->size()) + " axes");
  ArrayRef<int64_t> in = ctx.shape(0);
  SmallVector<int64_t> sizes(in);
  SmallVector<double> factors(in.size(), 1.0);
  for (size_t i = 0; i < axes->size(); ++i) {
    int64_t a = (*axes)[i];
    sizes[a] = (*given)[i];
    factors[a] = double(sizes[a]) / double(in[a]);
  }
  return resizeTo(ctx, sizes, factors, how);
}

// Upsample (opsets 7-9; scales an attribute before 9): Resize-10's mapping.
llvm::Error upsample(NodeContext &ctx) {
  Expected<std::string> mode = ctx.attrString("mode", "nearest");
  if (!mode)
    return mode.takeError();
  if (*mode != "nearest" && *mode != "linear")
    return ctx.fail("mode '" + *mode + "' is not nearest or linear");
  Interpolation how{*mode, "asymmetric", "floor"};
  std::vector<float> scales;
  if (ctx.opset() < 9) {
    Expected<std::vector<float>> attr = ctx.attrFloats("scales");
    if (!attr)
      return attr.takeError();
    scales = *attr;
  } else {
    scales = knownFloats(ctx, 1);
  }
  SmallVector<int64_t> all;
  for (size_t a = 0; a < ctx.shape(0).size(); ++a)
    all.push_back(a);
  return resizeWithScales(ctx, scales, all, how);
}

} // namespace

void registerResizeOps(OpTable &table) {
  addOp(table, "Resize", resize, 1, 4)
      .opsets(10)
      .known({1, 2, 3})
      .fixed("antialias", "0")
      .fixed("keep_aspect_ratio_policy", "stretch")
      .note("coordinate_transformation_mode `tf_crop_and_resize`");
  addOp(table, "Upsample", upsample, 1, 2).opsets(7, 9).known({1});
}

} // namespace acnn
