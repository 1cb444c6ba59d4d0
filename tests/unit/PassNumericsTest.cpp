// Graph passes must not change what a model computes: each graph here is run
// by the interpreter before and after the whole graph pipeline, and the
// outputs must agree within 1e-5 relative L2 error.
#include "compiler/driver/Pipeline.h"
#include "compiler/interpreter/Interpreter.h"
#include "dialects/acnn/ShapeUtils.h"
#include "frontends/text/GraphBuilder.h"

#include "TestUtils.h"

#include <gtest/gtest.h>
#include <random>

using namespace acnn;
using namespace mlir;

namespace {

constexpr double kTolerance = 1e-5;

std::vector<float> randomData(int64_t n, unsigned seed, float lo, float hi) {
  std::mt19937 gen(seed);
  std::vector<float> v(n);
  for (float &x : v)
    x = lo + (hi - lo) * float(gen() >> 8) / float(1 << 24);
  return v;
}

/// A batch norm over `c` channels with distinct, valid parameters.
Value batchNorm(GraphBuilder &g, Value x, int64_t c, unsigned seed) {
  Location l = g.loc("bn" + std::to_string(seed));
  auto param = [&](unsigned s, float lo, float hi) {
    return g.constant({c}, randomData(c, seed * 7 + s, lo, hi), l);
  };
  return BatchNormOp::create(g.builder(), l, x, param(1, 0.5f, 2.0f), param(2, -1.0f, 1.0f),
                             param(3, -1.0f, 1.0f), param(4, 0.1f, 3.0f),
                             g.builder().getF32FloatAttr(1e-5f));
}

Value conv(GraphBuilder &g, Value x, int64_t out, int64_t k, int64_t pad, unsigned seed,
           bool bias = true) {
  int64_t in = cast<RankedTensorType>(x.getType()).getDimSize(1);
  Location l = g.loc("conv" + std::to_string(seed));
  Value w = g.constant({out, in, k, k}, randomData(out * in * k * k, seed, -0.5f, 0.5f), l);
  Value b = bias ? g.constant({out}, randomData(out, seed + 100, -0.5f, 0.5f), l) : Value();
  return Conv2dOp::create(g.builder(), l, x, w, b, {1, 1}, {pad, pad, pad, pad}, {1, 1}, 1);
}

size_t countOps(ModuleOp m, StringRef name) {
  size_t n = 0;
  m.walk([&](Operation *op) { n += op->getName().getStringRef() == name; });
  return n;
}

/// Runs the graph pipeline on `g`'s model and checks that the outputs did not
/// change, that no op in `gone` is left and that each op in `fused` is there.
void expectPipelinePreservesOutputs(GraphBuilder &g, ArrayRef<int64_t> inputShape,
                                    ArrayRef<StringRef> fused = {}, ArrayRef<StringRef> gone = {}) {
  auto model = g.finish();
  ASSERT_TRUE(bool(model)) << llvm::toString(model.takeError());
  Tensor input{std::vector<int64_t>(inputShape.begin(), inputShape.end()), {}};
  input.data = randomData(input.numel(), 42, -1.0f, 1.0f);

  auto before = interpret(**model, {input});
  ASSERT_TRUE(bool(before)) << llvm::toString(before.takeError());
  PipelineOptions graphOnly;
  graphOnly.stopAfter = kLastGraphStage.str();
  ASSERT_FALSE(bool(runPipeline(**model, graphOnly)));
  EXPECT_EQ(countOps(**model, "acnn.batch_norm"), 0u);
  for (StringRef name : fused)
    EXPECT_GE(countOps(**model, name), 1u) << name.str() << " was not formed";
  for (StringRef name : gone)
    EXPECT_EQ(countOps(**model, name), 0u) << name.str() << " was not fused away";
  auto after = interpret(**model, {input});
  ASSERT_TRUE(bool(after)) << llvm::toString(after.takeError());

  ASSERT_EQ(before->size(), after->size());
  for (size_t i = 0; i < before->size(); ++i) {
    const Tensor &want = (*before)[i], &got = (*after)[i];
    ASSERT_EQ(got.shape, want.shape);
    EXPECT_LE(acnn::testing::relativeL2(got.data, want.data), kTolerance) << "output " << i;
  }
}

TEST(PassNumerics, BatchNormAfterPaddedConv) {
  MLIRContext ctx;
  GraphBuilder g(ctx, "conv_bn");
  Value x = g.addInput("x", {1, 3, 9, 9});
  Value y = batchNorm(g, conv(g, x, 8, 3, 1, 1), 8, 2);
  g.addOutput("y", ReluOp::create(g.builder(), g.loc("relu"), y));
  expectPipelinePreservesOutputs(g, {1, 3, 9, 9});
}

// ASPP's atrous branches on a map smaller than their reach: dilation 5 on a
// 7x6 map is split into its taps (acnn-split-conv-taps), dilation 12 keeps
// only its centre (acnn-trim-conv-taps); batch norms fold into both.
TEST(PassNumerics, AtrousConvsSplitAndTrimmed) {
  MLIRContext ctx;
  GraphBuilder g(ctx, "aspp");
  Value x = g.addInput("x", {1, 3, 7, 6});
  auto atrous = [&](int64_t dilation, unsigned seed) {
    Location l = g.loc("atrous" + std::to_string(seed));
    Value w = g.constant({4, 3, 3, 3}, randomData(4 * 3 * 9, seed, -0.5f, 0.5f), l);
    Value y = Conv2dOp::create(g.builder(), l, x, w, Value(), {1, 1},
                               {dilation, dilation, dilation, dilation}, {dilation, dilation}, 1);
    return ReluOp::create(g.builder(), l, batchNorm(g, y, 4, seed + 1));
  };
  Value branches[] = {atrous(5, 11), atrous(12, 21)};
  g.addOutput("y", ConcatOp::create(g.builder(), g.loc("cat"), ValueRange(branches), 1));
  expectPipelinePreservesOutputs(g, {1, 3, 7, 6}, {"acnn.pad"});
}

TEST(PassNumerics, BatchNormAfterConvWithoutBias) {
  MLIRContext ctx;
  GraphBuilder g(ctx, "conv_bn");
  Value x = g.addInput("x", {1, 4, 6, 6});
  g.addOutput("y", batchNorm(g, conv(g, x, 5, 3, 0, 3, /*bias=*/false), 5, 4));
  expectPipelinePreservesOutputs(g, {1, 4, 6, 6});
}

TEST(PassNumerics, BatchNormBeforeUnpaddedConv) {
  MLIRContext ctx;
  GraphBuilder g(ctx, "bn_conv");
  Value x = g.addInput("x", {1, 4, 7, 7});
  g.addOutput("y", conv(g, batchNorm(g, x, 4, 5), 6, 3, 0, 6));
  expectPipelinePreservesOutputs(g, {1, 4, 7, 7});
}

TEST(PassNumerics, BatchNormBeforePaddedConvAndOnSharedValues) {
  MLIRContext ctx;
  GraphBuilder g(ctx, "bn_shared");
  Value x = g.addInput("x", {1, 4, 7, 7});
  Value c = conv(g, batchNorm(g, x, 4, 7), 4, 3, 1, 8);
  g.addOutput("normed", batchNorm(g, c, 4, 9));
  g.addOutput("raw", SigmoidOp::create(g.builder(), g.loc("sig"), c));
  expectPipelinePreservesOutputs(g, {1, 4, 7, 7});
}

//===----------------------------------------------------------------------===//
// Fusion passes: each fused graph computes what the unfused one did.
//===----------------------------------------------------------------------===//

Value constantOf(GraphBuilder &g, ArrayRef<int64_t> shape, unsigned seed, float lo = -0.5f,
                 float hi = 0.5f) {
  return g.constant(shape, randomData(acnn::product(shape), seed, lo, hi),
                    g.loc("c" + std::to_string(seed)));
}

Value scalarOf(GraphBuilder &g, float v) { return g.scalar(v, g.loc("scalar")); }

Value linear(GraphBuilder &g, Value x, int64_t out, unsigned seed, bool bias = true) {
  int64_t in = cast<RankedTensorType>(x.getType()).getShape().back();
  Value w = constantOf(g, {out, in}, seed);
  Value b = bias ? constantOf(g, {out}, seed + 100) : Value();
  return LinearOp::create(g.builder(), g.loc("fc" + std::to_string(seed)), x, w, b);
}

TEST(PassNumerics, EpiloguesOfConvAndMatmul) {
  MLIRContext ctx;
  GraphBuilder g(ctx, "epilogues");
  OpBuilder &b = g.builder();
  Location l = g.loc("epilogue");
  Value x = g.addInput("x", {1, 4, 6, 6});
  Value c = conv(g, x, 4, 3, 1, 11);
  c = MulOp::create(b, l, c, constantOf(g, {1, 4, 1, 1}, 12, 0.5f, 2.0f));
  c = AddOp::create(b, l, constantOf(g, {4, 1, 1}, 13), c);
  c = AddOp::create(b, l, c, x);
  c = ReluOp::create(b, l, c);
  // A transformer MLP on the rows of the map: matmul by weights, bias, GELU
  // spelled out, matmul, bias, residual.
  Value rows = ReshapeOp::create(b, l, RankedTensorType::get({1, 4, 36}, b.getF32Type()), c);
  Value h = MatmulOp::create(b, l, rows, constantOf(g, {36, 16}, 14));
  h = AddOp::create(b, l, constantOf(g, {16}, 15), h);
  Value erf = ErfOp::create(b, l, DivOp::create(b, l, h, scalarOf(g, 1.41421356f)));
  Value gelu = MulOp::create(
      b, l, MulOp::create(b, l, h, AddOp::create(b, l, erf, scalarOf(g, 1.0f))), scalarOf(g, 0.5f));
  Value y = MatmulOp::create(b, l, gelu, constantOf(g, {16, 36}, 16));
  y = AddOp::create(b, l, rows, AddOp::create(b, l, y, constantOf(g, {36}, 17)));
  g.addOutput("y", y);
  expectPipelinePreservesOutputs(
      g, {1, 4, 6, 6}, {"acnn.conv2d", "acnn.linear"},
      {"acnn.add", "acnn.mul", "acnn.relu", "acnn.erf", "acnn.gelu", "acnn.matmul"});
}

TEST(PassNumerics, SiluAndDecomposedLayerNorm) {
  MLIRContext ctx;
  GraphBuilder g(ctx, "silu_ln");
  OpBuilder &b = g.builder();
  Location l = g.loc("ln");
  Value x = g.addInput("x", {2, 5, 8});
  Value mean = ReduceMeanOp::create(b, l, x, ArrayRef<int64_t>{-1}, true);
  Value d = SubOp::create(b, l, x, mean);
  Value var = ReduceMeanOp::create(b, l, PowOp::create(b, l, d, scalarOf(g, 2.0f)),
                                   ArrayRef<int64_t>{-1}, true);
  Value n =
      DivOp::create(b, l, d, SqrtOp::create(b, l, AddOp::create(b, l, var, scalarOf(g, 1e-5f))));
  n = AddOp::create(b, l, MulOp::create(b, l, n, constantOf(g, {8}, 21, 0.5f, 1.5f)),
                    constantOf(g, {8}, 22));
  Value h = linear(g, n, 8, 23);
  Value s = MulOp::create(b, l, h, SigmoidOp::create(b, l, h));
  g.addOutput("y", s);
  expectPipelinePreservesOutputs(g, {2, 5, 8}, {"acnn.layer_norm"},
                                 {"acnn.sigmoid", "acnn.silu", "acnn.reduce_mean", "acnn.div"});
}

// GroupNorm(2 groups of 4 channels) as torch.onnx writes it: reshaped to
// [N, groups, rest], normalised per row (spelled out, as before opset 17),
// reshaped back, then scaled and shifted per channel. After a conv, so the
// statistics are not those of the random input.
TEST(PassNumerics, GroupNormFromReshapedLayerNorm) {
  MLIRContext ctx;
  GraphBuilder g(ctx, "group_norm");
  OpBuilder &b = g.builder();
  Location l = g.loc("gn");
  Value x = g.addInput("x", {2, 3, 5, 5});
  Value c = conv(g, x, 8, 3, 1, 41);
  Value rows = ReshapeOp::create(b, l, RankedTensorType::get({2, 2, 100}, b.getF32Type()), c);
  Value mean = ReduceMeanOp::create(b, l, rows, ArrayRef<int64_t>{2}, true);
  Value d = SubOp::create(b, l, rows, mean);
  Value var = ReduceMeanOp::create(b, l, MulOp::create(b, l, d, d), ArrayRef<int64_t>{2}, true);
  Value n =
      DivOp::create(b, l, d, SqrtOp::create(b, l, AddOp::create(b, l, var, scalarOf(g, 1e-5f))));
  Value back = ReshapeOp::create(b, l, c.getType(), n);
  Value y = AddOp::create(b, l, MulOp::create(b, l, back, constantOf(g, {8, 1, 1}, 42, 0.5f, 1.5f)),
                          constantOf(g, {8, 1, 1}, 43));
  g.addOutput("y", ReluOp::create(b, l, y));
  expectPipelinePreservesOutputs(g, {2, 3, 5, 5}, {"acnn.group_norm"},
                                 {"acnn.layer_norm", "acnn.reduce_mean", "acnn.reshape"});
}

TEST(PassNumerics, SqueezeExcite) {
  MLIRContext ctx;
  GraphBuilder g(ctx, "se");
  OpBuilder &b = g.builder();
  Location l = g.loc("se");
  Value x = g.addInput("x", {2, 8, 5, 5});
  Value c = conv(g, x, 8, 3, 1, 31);
  Value p = ReshapeOp::create(b, l, RankedTensorType::get({2, 8}, b.getF32Type()),
                              GlobalAvgPoolOp::create(b, l, c));
  Value gate = SigmoidOp::create(b, l, linear(g, ReluOp::create(b, l, linear(g, p, 2, 32)), 8, 33));
  gate = ReshapeOp::create(b, l, RankedTensorType::get({2, 8, 1, 1}, b.getF32Type()), gate);
  Value y = ReluOp::create(b, l, AddOp::create(b, l, MulOp::create(b, l, c, gate), x));
  g.addOutput("y", y);
  expectPipelinePreservesOutputs(g, {2, 8, 5, 5}, {"acnn.squeeze_excite"},
                                 {"acnn.global_avg_pool", "acnn.linear", "acnn.sigmoid"});
}

TEST(PassNumerics, ChannelAndSpatialAttention) {
  MLIRContext ctx;
  GraphBuilder g(ctx, "cbam");
  OpBuilder &b = g.builder();
  Location l = g.loc("cbam");
  Value x = g.addInput("x", {1, 8, 6, 6});
  Value w1 = constantOf(g, {2, 8, 1, 1}, 41), w2 = constantOf(g, {8, 2, 1, 1}, 42);
  auto mlp = [&](Value pooled) {
    Value h = Conv2dOp::create(b, l, pooled, w1, Value(), {1, 1}, {0, 0, 0, 0}, {1, 1}, 1);
    return Conv2dOp::create(b, l, ReluOp::create(b, l, h), w2, Value(), {1, 1}, {0, 0, 0, 0},
                            {1, 1}, 1);
  };
  Value avg = mlp(GlobalAvgPoolOp::create(b, l, x));
  Value max =
      mlp(MaxPool2dOp::create(b, l, x, ArrayRef<int64_t>{6, 6}, ArrayRef<int64_t>{6, 6},
                              ArrayRef<int64_t>{0, 0, 0, 0}, ArrayRef<int64_t>{1, 1}, false));
  Value ca = MulOp::create(b, l, x, SigmoidOp::create(b, l, AddOp::create(b, l, avg, max)));
  Value stats =
      ConcatOp::create(b, l,
                       ValueRange{ReduceMeanOp::create(b, l, ca, ArrayRef<int64_t>{1}, true),
                                  ReduceMaxOp::create(b, l, ca, ArrayRef<int64_t>{1}, true)},
                       1);
  Value s = Conv2dOp::create(b, l, stats, constantOf(g, {1, 2, 7, 7}, 43), Value(), {1, 1},
                             {3, 3, 3, 3}, {1, 1}, 1);
  g.addOutput("y", MulOp::create(b, l, ca, SigmoidOp::create(b, l, s)));
  expectPipelinePreservesOutputs(g, {1, 8, 6, 6},
                                 {"acnn.channel_attention", "acnn.spatial_attention"},
                                 {"acnn.conv2d", "acnn.sigmoid", "acnn.concat"});
}

TEST(PassNumerics, ScaledDotProductAttentionWithMask) {
  MLIRContext ctx;
  GraphBuilder g(ctx, "attention");
  OpBuilder &b = g.builder();
  Location l = g.loc("attn");
  Value x = g.addInput("x", {2, 12, 16});
  Value q = linear(g, x, 16, 51), k = linear(g, x, 16, 52), v = linear(g, x, 16, 53);
  Value kt = TransposeOp::create(b, l, k, ArrayRef<int64_t>{0, 2, 1});
  Value scores = DivOp::create(b, l, MatmulOp::create(b, l, q, kt), scalarOf(g, 4.0f));
  scores = AddOp::create(b, l, scores, constantOf(g, {12, 12}, 54, -2.0f, 0.0f));
  Value y = MatmulOp::create(b, l, SoftmaxOp::create(b, l, scores, -1), v);
  g.addOutput("y", y);
  expectPipelinePreservesOutputs(g, {2, 12, 16}, {"acnn.attention"},
                                 {"acnn.softmax", "acnn.matmul"});
}

} // namespace
