// Normalisation: batch, layer, instance and group norm, LRN and ImageScaler.
// BatchNormalization and LayerNormalization become their acnn ops; the others
// are compositions of acnn ops (reductions and element-wise arithmetic) that
// the fusion passes recognise or fuse.
#include "dialects/acnn/ShapeUtils.h"
#include "frontends/onnx/NodeContext.h"

using namespace mlir;
using llvm::ArrayRef;
using llvm::Expected;
using llvm::SmallVector;

namespace acnn {

namespace {

// Every normalisation's epsilon: 1e-5 unless given.
Expected<float> epsilonOf(NodeContext &ctx) { return ctx.attrFloat("epsilon", 1e-5f); }

// The statistics of x over `axes` (kept as size 1): its mean, x - mean and
// sqrt(variance + eps).
struct Statistics {
  Value mean, centred, variance, deviation;
};

Statistics statisticsOf(OpChain &chain, Value x, ArrayRef<int64_t> axes, float eps) {
  Statistics s;
  s.mean = chain.op<ReduceMeanOp>(x, axes, true);
  s.centred = chain.op<SubOp>(x, s.mean);
  s.variance = chain.op<ReduceMeanOp>(chain.op<MulOp>(s.centred, s.centred), axes, true);
  s.deviation = chain.op<SqrtOp>(chain.op<AddOp>(s.variance, chain.scalar(eps)));
  return s;
}

// (x - mean) / sqrt(variance + eps), the statistics over `axes`.
Value normalized(OpChain &chain, Value x, ArrayRef<int64_t> axes, float eps) {
  Statistics s = statisticsOf(chain, x, axes, eps);
  return chain.op<DivOp>(s.centred, s.deviation);
}

// y * scale + bias, scale and bias per channel (axis 1 of a rank-`rank` y).
Value scaledPerChannel(OpChain &chain, Value y, ChainValue scale, ChainValue bias,
                       int64_t channels, size_t rank) {
  SmallVector<int64_t> perChannel(rank - 1, 1);
  perChannel[0] = channels;
  Value scaled = chain.op<MulOp>(y, chain.value(chain.reshape(scale, perChannel)));
  return chain.op<AddOp>(scaled, chain.value(chain.reshape(bias, perChannel)));
}


// ImageScaler (opsets before 10; old model zoo exports): x * scale + bias
// per channel.
llvm::Error imageScaler(NodeContext &ctx) {
  Expected<float> scale = ctx.attrFloat("scale", 1.0f);
  if (!scale)
    return scale.takeError();
  Expected<std::vector<float>> bias = ctx.attrFloats("bias");
  if (!bias)
    return bias.takeError();
  ArrayRef<int64_t> shape = ctx.shape(0);
  if (shape.size() < 2 || int64_t(bias->size()) != shape[1])
    return ctx.fail("bias has " + llvm::Twine(bias->size()) + " values for input " +
                    formatShape(shape));
  SmallVector<int64_t> perChannel(shape.size() - 1, 1);
  perChannel[0] = shape[1];
  OpChain chain(ctx);
  Value scaled = chain.op<MulOp>(ctx.value(0), chain.scalar(*scale));
  return chain.emit(
      chain.op<AddOp>(scaled, ctx.graph().constant(perChannel, *bias, ctx.loc())));
}

// BatchNormalization in training mode (PyTorch's F.batch_norm with
// training=True, which NFNets' weight standardisation exports): the input's
// own statistics over every axis but the channels. Outputs 1 and 2 are the
// running mean and variance moved towards them by `momentum`; before opset 14,
// outputs 3 and 4 are the batch's own mean and variance ("saved").
llvm::Error batchNormTraining(NodeContext &ctx, float eps) {
  Expected<float> momentum = ctx.attrFloat("momentum", 0.9f);
  if (!momentum)
    return momentum.takeError();
  ArrayRef<int64_t> shape = ctx.shape(0);
  if (shape.size() < 2)
    return ctx.fail("input must have rank >= 2, got " + llvm::Twine(shape.size()));
  const int64_t channels = shape[1];
  SmallVector<int64_t> axes = {0};
  for (size_t a = 2; a < shape.size(); ++a)
    axes.push_back(a);
  OpChain chain(ctx);
  Statistics s = statisticsOf(chain, ctx.value(0), axes, eps);
  Value y = scaledPerChannel(chain, chain.op<DivOp>(s.centred, s.deviation), chain.input(1),
                             chain.input(2), channels, shape.size());
  Value mean = chain.reshape(s.mean, {channels}), variance = chain.reshape(s.variance, {channels});
  // momentum * running + (1 - momentum) * current.
  auto running = [&](unsigned input, Value current) {
    Value kept = chain.op<MulOp>(chain.value(chain.input(input)), chain.scalar(*momentum));
    return chain.op<AddOp>(kept, chain.op<MulOp>(current, chain.scalar(1 - *momentum)));
  };
  Value runningMean = ctx.hasOutput(1) ? running(3, mean) : Value();
  Value runningVariance = ctx.hasOutput(2) ? running(4, variance) : Value();
  if (llvm::Error e = chain.emit(y))
    return e;
  Value statistics[] = {runningMean, runningVariance, mean, variance};
  for (unsigned i = 1; i < 5; ++i)
    if (ctx.hasOutput(i))
      ctx.setOutput(i, statistics[i - 1]);
  return llvm::Error::success();
}

// Inference mode becomes acnn.batch_norm. Before opset 14 the mode is not an
// attribute: the statistics outputs (1 to 4) exist in training mode only.
llvm::Error batchNorm(NodeContext &ctx) {
  Expected<float> eps = epsilonOf(ctx);
  if (!eps)
    return eps.takeError();
  Expected<int64_t> training = ctx.attrInt("training_mode", 0);
  if (!training)
    return training.takeError();
  const bool before14 = ctx.opset() < 14;
  for (unsigned i = before14 ? 5 : 3; i < ctx.numOutputs(); ++i)
    if (ctx.hasOutput(i))
      return ctx.fail("output " + llvm::Twine(i) + " exists only before opset 14");
  bool statistics = false;
  for (unsigned i = 1; i < ctx.numOutputs(); ++i)
    statistics |= ctx.hasOutput(i);
  if (before14 ? statistics : *training != 0)
    return batchNormTraining(ctx, *eps);
  if (statistics)
    return ctx.fail("outputs 1 and 2 (running statistics) exist only with training_mode 1");
  return ctx.emit<BatchNormOp>(ctx.value(0), ctx.value(1), ctx.value(2), ctx.value(3), ctx.value(4),
                               llvm::APFloat(*eps));
}

// InstanceNormalization: per sample and channel, the statistics over every
// axis after the first two.
llvm::Error instanceNorm(NodeContext &ctx) {
  Expected<float> eps = epsilonOf(ctx);
  if (!eps)
    return eps.takeError();
  ArrayRef<int64_t> shape = ctx.shape(0);
  if (shape.size() < 3)
    return ctx.fail("input must have rank >= 3, got " + llvm::Twine(shape.size()));
  for (unsigned i = 1; i <= 2; ++i)
    if (ctx.shape(i) != ArrayRef<int64_t>(shape[1]))
      return ctx.fail(llvm::Twine(i == 1 ? "scale" : "B") + " must have shape [" +
                      llvm::Twine(shape[1]) + "], got " + formatShape(ctx.shape(i)));
  SmallVector<int64_t> axes;
  for (size_t a = 2; a < shape.size(); ++a)
    axes.push_back(a);
  OpChain chain(ctx);
  Value y = normalized(chain, ctx.value(0), axes, *eps);
  return chain.emit(
      scaledPerChannel(chain, y, chain.input(1), chain.input(2), shape[1], shape.size()));
}

// GroupNormalization: per sample and group of channels. Opset 18 scales per
// group, opset 21 per channel.
llvm::Error groupNorm(NodeContext &ctx) {
  Expected<float> eps = epsilonOf(ctx);
  if (!eps)
    return eps.takeError();
  Expected<int64_t> groups = ctx.attrPositiveInt("num_groups");
  if (!groups)
    return groups.takeError();
  ArrayRef<int64_t> shape = ctx.shape(0);
  if (shape.size() < 3)
    return ctx.fail("input must have rank >= 3, got " + llvm::Twine(shape.size()));
  int64_t channels = shape[1], g = *groups;
  if (channels % g)
    return ctx.fail(llvm::Twine(channels) + " channels do not split into " + llvm::Twine(g) +
                    " groups");
  int64_t per = ctx.opset() < 21 ? g : channels;
  for (unsigned i = 1; i <= 2; ++i)
    if (ctx.shape(i) != ArrayRef<int64_t>(per))
      return ctx.fail(llvm::Twine(i == 1 ? "scale" : "bias") + " must have shape [" +
                      llvm::Twine(per) + "], got " + formatShape(ctx.shape(i)));
  OpChain chain(ctx);
  int64_t rest = product(shape.drop_front(2)) * (channels / g);
  Value grouped = chain.reshape(ctx.value(0), {shape[0], g, rest});
  Value y = chain.reshape(normalized(chain, grouped, {2}, *eps), shape);
  ChainValue scale = chain.input(1), bias = chain.input(2);
  if (per == g) {
    // One value per group, repeated for its channels.
    auto perChannel = [&](ChainValue v) {
      return chain.reshape(chain.expand(chain.reshape(v, {g, 1}), {g, channels / g}), {channels});
    };
    scale = perChannel(scale);
    bias = perChannel(bias);
  }
  return chain.emit(scaledPerChannel(chain, y, scale, bias, channels, shape.size()));
}

// LRN: x / (bias + alpha / size * (sum of x^2 over `size` neighbouring
// channels))^beta; the channel sum is an average pool over a [C, pixels] map
// that counts its padding.
llvm::Error localResponseNorm(NodeContext &ctx) {
  ArrayRef<int64_t> shape = ctx.shape(0);
  if (shape.size() < 3)
    return ctx.fail("input must have rank >= 3, got " + llvm::Twine(shape.size()));
  Expected<int64_t> size = ctx.attrPositiveInt("size");
  if (!size)
    return size.takeError();
  float attrs[3];
  const char *names[3] = {"alpha", "beta", "bias"};
  const float defaults[3] = {1e-4f, 0.75f, 1.0f};
  for (int i = 0; i < 3; ++i) {
    Expected<float> v = ctx.attrFloat(names[i], defaults[i]);
    if (!v)
      return v.takeError();
    attrs[i] = *v;
  }
  OpChain chain(ctx);
  Value x = ctx.value(0);
  int64_t pixels = product(shape.drop_front(2));
  Value squares = chain.reshape(chain.op<MulOp>(x, x), {shape[0], 1, shape[1], pixels});
  SmallVector<int64_t> pads{(*size - 1) / 2, 0, *size / 2, 0};
  Value mean = chain.op<AvgPool2dOp>(squares, SmallVector<int64_t>{*size, 1},
                                     SmallVector<int64_t>{1, 1}, pads, false, true);
  Value scaled = chain.op<MulOp>(chain.reshape(mean, shape), chain.scalar(attrs[0]));
  Value base = chain.op<AddOp>(scaled, chain.scalar(attrs[2]));
  return chain.emit(chain.op<DivOp>(x, chain.op<PowOp>(base, chain.scalar(attrs[1]))));
}

// Mean and 1 / sqrt(variance + epsilon) over the normalised axes, with the
// reduced axes kept: LayerNormalization's optional outputs 1 and 2.
llvm::Error layerNormStatistics(NodeContext &ctx, int64_t axis, float eps) {
  SmallVector<int64_t> axes;
  for (int64_t a = axis; a < int64_t(ctx.shape(0).size()); ++a)
    axes.push_back(a);
  OpChain chain(ctx);
  Statistics s = statisticsOf(chain, ctx.value(0), axes, eps);
  Value inverse = chain.op<ReciprocalOp>(s.deviation);
  if (llvm::Error e = chain.done())
    return e;
  ctx.setOutput(1, s.mean);
  ctx.setOutput(2, inverse);
  return llvm::Error::success();
}

// stash_type only sets the precision of the statistics; acnn computes in f32.
llvm::Error layerNorm(NodeContext &ctx) {
  Expected<int64_t> axis = ctx.attrInt("axis", -1);
  if (!axis)
    return axis.takeError();
  Expected<float> eps = epsilonOf(ctx);
  if (!eps)
    return eps.takeError();
  std::optional<int64_t> a = normalizeAxis(*axis, ctx.shape(0).size());
  if (!a)
    return ctx.fail("axis " + llvm::Twine(*axis) + " is out of range for rank " +
                    llvm::Twine(ctx.shape(0).size()));
  Value bias = ctx.hasInput(2) ? ctx.value(2) : Value();
  if (llvm::Error e =
          ctx.emit<LayerNormOp>(ctx.value(0), ctx.value(1), bias, *a, llvm::APFloat(*eps)))
    return e;
  if (ctx.numOutputs() > 1)
    return layerNormStatistics(ctx, *a, *eps);
  return llvm::Error::success();
}

} // namespace

void registerNormOps(OpTable &table) {
  addOp(table, "BatchNormalization", batchNorm, 5, 5, 5).fixed("spatial", "1");
  addOp(table, "LayerNormalization", layerNorm, 2, 3, 3).opsets(17);
  addOp(table, "InstanceNormalization", instanceNorm, 3, 3);
  addOp(table, "ImageScaler", imageScaler).opsets(1, 9);
  addOp(table, "GroupNormalization", groupNorm, 3, 3).opsets(18);
  addOp(table, "LRN", localResponseNorm);
}

} // namespace acnn
