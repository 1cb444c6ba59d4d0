// Graph passes must not change what a model computes: each graph here is run
// by the interpreter before and after the whole graph pipeline, and the
// outputs must agree within 1e-5 relative L2 error.
#include "compiler/driver/Pipeline.h"
#include "compiler/interpreter/Interpreter.h"
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

void expectPipelinePreservesOutputs(GraphBuilder &g, ArrayRef<int64_t> inputShape) {
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

} // namespace
