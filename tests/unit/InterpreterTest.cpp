// The reference interpreter against values worked out by hand (or with
// Python's math module for transcendental functions), one small graph per
// semantic corner: padding order, ceil_mode, count_include_pad, broadcasting,
// negative indices and steps. Tolerance: 1e-5 relative (1e-6 absolute near 0).
#include "compiler/interpreter/Interpreter.h"
#include "compiler/interpreter/Kernels.h"
#include "frontends/text/GraphBuilder.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace acnn;
using namespace mlir;

namespace {

void expectTensor(const Tensor &t, ArrayRef<int64_t> shape, ArrayRef<float> expected) {
  ASSERT_EQ(ArrayRef<int64_t>(t.shape), shape);
  ASSERT_EQ(t.data.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(t.data[i], expected[i], 1e-5 * std::abs(expected[i]) + 1e-6) << "element " << i;
}

std::vector<float> iota(int64_t n, float start = 0) {
  std::vector<float> v(n);
  for (int64_t i = 0; i < n; ++i)
    v[i] = start + float(i);
  return v;
}

class InterpreterTest : public ::testing::Test {
protected:
  MLIRContext ctx;
  GraphBuilder g{ctx, "test"};
  std::vector<Tensor> feeds;
  OwningOpRef<ModuleOp> model;

  OpBuilder &b() { return g.builder(); }
  Location loc(StringRef name = "node") { return g.loc(name); }

  /// A model input that `run` feeds with `shape` and `data`.
  Value input(ArrayRef<int64_t> shape, std::vector<float> data) {
    feeds.push_back(Tensor{std::vector<int64_t>(shape.begin(), shape.end()), std::move(data)});
    return g.addInput("in" + std::to_string(feeds.size() - 1), shape);
  }
  Value constant(ArrayRef<int64_t> shape, ArrayRef<float> data) {
    return g.constant(shape, data, loc("const"));
  }

  /// Finishes the model with `outputs` and interprets it on the feeds.
  std::vector<Tensor> run(ArrayRef<Value> outputs) {
    for (auto [i, v] : llvm::enumerate(outputs))
      g.addOutput("out" + std::to_string(i), v);
    auto finished = g.finish();
    if (!finished) {
      ADD_FAILURE() << llvm::toString(finished.takeError());
      return {};
    }
    model = std::move(*finished);
    auto results = interpret(*model, feeds);
    if (!results) {
      ADD_FAILURE() << llvm::toString(results.takeError());
      return {};
    }
    EXPECT_EQ(results->size(), outputs.size());
    return std::move(*results);
  }
};

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

TEST_F(InterpreterTest, ConvWithPaddingStrideAndBias) {
  // x = 1..9 in 3x3, zero padded by 1, 2x2 filter [[1,2],[3,4]] at stride 2.
  Value x = input({1, 1, 3, 3}, iota(9, 1));
  Value w = constant({1, 1, 2, 2}, {1, 2, 3, 4});
  Value bias = constant({1}, {0.5f});
  Value y = Conv2dOp::create(b(), loc(), x, w, bias, {2, 2}, {1, 1, 1, 1}, {1, 1}, 1);
  auto r = run({y});
  ASSERT_EQ(r.size(), 1u);
  // Windows: [0 0;0 1] -> 4, [0 0;2 3] -> 18, [0 4;0 7] -> 36, [5 6;8 9] -> 77.
  expectTensor(r[0], {1, 1, 2, 2}, {4.5f, 18.5f, 36.5f, 77.5f});
}

TEST_F(InterpreterTest, ConvPadsAreTopLeftBottomRight) {
  Value x = input({1, 1, 2, 2}, {1, 2, 3, 4});
  Value w = constant({1, 1, 1, 1}, {1});
  Value y = Conv2dOp::create(b(), loc(), x, w, nullptr, {1, 1}, {1, 0, 0, 2}, {1, 1}, 1);
  auto r = run({y});
  ASSERT_EQ(r.size(), 1u);
  expectTensor(r[0], {1, 1, 3, 4}, {0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0});
}

TEST_F(InterpreterTest, ConvWithGroupsAndDilation) {
  // Channel 0 = 1..9, channel 1 = 10..90; each group sees only its channel.
  std::vector<float> data = iota(9, 1);
  for (int i = 1; i <= 9; ++i)
    data.push_back(10.0f * i);
  Value x = input({1, 2, 3, 3}, data);
  // Dilation 2 spreads each 2x2 filter over the 3x3 corners.
  Value w = constant({2, 1, 2, 2}, {1, 0, 0, 1, 1, 1, 1, 1});
  Value y = Conv2dOp::create(b(), loc(), x, w, nullptr, {1, 1}, {0, 0, 0, 0}, {2, 2}, 2);
  auto r = run({y});
  ASSERT_EQ(r.size(), 1u);
  expectTensor(r[0], {1, 2, 1, 1}, {1 + 9, 10 + 30 + 70 + 90});
}

TEST_F(InterpreterTest, ConvMatchesDirectSumOnAnOddShape) {
  // 2 images, 4 -> 6 channels in 2 groups, 3x2 kernel, strides 2x1, uneven
  // pads, dilation 1x2: checked against the textbook six-fold sum.
  const int64_t n = 2, c = 4, h = 7, wd = 6, o = 6, g = 2, kh = 3, kw = 2;
  std::vector<float> xd(n * c * h * wd), wdata(o * (c / g) * kh * kw), bd(o);
  for (size_t i = 0; i < xd.size(); ++i)
    xd[i] = std::sin(0.37f * i);
  for (size_t i = 0; i < wdata.size(); ++i)
    wdata[i] = std::cos(0.11f * i);
  for (size_t i = 0; i < bd.size(); ++i)
    bd[i] = 0.1f * i;
  const int64_t s[2] = {2, 1}, p[4] = {1, 0, 2, 1}, d[2] = {1, 2};
  Value x = input({n, c, h, wd}, xd);
  Value w = constant({o, c / g, kh, kw}, wdata);
  Value bias = constant({o}, bd);
  Value y = Conv2dOp::create(b(), loc(), x, w, bias, {s[0], s[1]}, {p[0], p[1], p[2], p[3]},
                             {d[0], d[1]}, g);
  auto r = run({y});
  ASSERT_EQ(r.size(), 1u);
  const int64_t oh = (h + p[0] + p[2] - d[0] * (kh - 1) - 1) / s[0] + 1;
  const int64_t ow = (wd + p[1] + p[3] - d[1] * (kw - 1) - 1) / s[1] + 1;
  std::vector<float> expected;
  for (int64_t b = 0; b < n; ++b)
    for (int64_t oc = 0; oc < o; ++oc)
      for (int64_t y = 0; y < oh; ++y)
        for (int64_t xo = 0; xo < ow; ++xo) {
          double acc = bd[oc];
          for (int64_t ic = 0; ic < c / g; ++ic)
            for (int64_t i = 0; i < kh; ++i)
              for (int64_t j = 0; j < kw; ++j) {
                int64_t iy = y * s[0] - p[0] + i * d[0], ix = xo * s[1] - p[1] + j * d[1];
                if (iy < 0 || iy >= h || ix < 0 || ix >= wd)
                  continue;
                int64_t chan = (oc / (o / g)) * (c / g) + ic;
                acc += double(xd[((b * c + chan) * h + iy) * wd + ix]) *
                       wdata[((oc * (c / g) + ic) * kh + i) * kw + j];
              }
          expected.push_back(float(acc));
        }
  expectTensor(r[0], {n, o, oh, ow}, expected);
}

TEST_F(InterpreterTest, MaxPoolCeilModeKeepsThePartialWindow) {
  Value x = input({1, 1, 4, 4}, iota(16, 1));
  Value y = MaxPool2dOp::create(b(), loc(), x, {3, 3}, {2, 2}, {0, 0, 0, 0}, {1, 1}, true);
  auto r = run({y});
  ASSERT_EQ(r.size(), 1u);
  expectTensor(r[0], {1, 1, 2, 2}, {11, 12, 15, 16});
}

TEST_F(InterpreterTest, MaxPoolPaddingIsMinusInfinity) {
  Value x = input({1, 1, 2, 2}, {-1, -2, -3, -4});
  Value y = MaxPool2dOp::create(b(), loc(), x, {2, 2}, {1, 1}, {1, 1, 1, 1});
  auto r = run({y});
  ASSERT_EQ(r.size(), 1u);
  expectTensor(r[0], {1, 1, 3, 3}, {-1, -1, -2, -1, -1, -2, -3, -3, -4});
}

TEST_F(InterpreterTest, AvgPoolCountIncludePad) {
  Value x = input({1, 1, 2, 2}, {1, 2, 3, 4});
  Value excl = AvgPool2dOp::create(b(), loc(), x, {2, 2}, {1, 1}, {1, 1, 1, 1}, false, false);
  Value incl = AvgPool2dOp::create(b(), loc(), x, {2, 2}, {1, 1}, {1, 1, 1, 1}, false, true);
  auto r = run({excl, incl});
  ASSERT_EQ(r.size(), 2u);
  expectTensor(r[0], {1, 1, 3, 3}, {1, 1.5f, 2, 2, 2.5f, 3, 3, 3.5f, 4});
  expectTensor(r[1], {1, 1, 3, 3}, {0.25f, 0.75f, 0.5f, 1, 2.5f, 1.5f, 0.75f, 1.75f, 1});
}

TEST_F(InterpreterTest, AvgPoolCeilModeOverhangNeverCounts) {
  // The windows ceil_mode adds hang past the input; even with
  // count_include_pad only explicit padding counts (PyTorch: [[3, 4.5], [7.5, 9]]).
  Value x = input({1, 1, 3, 3}, iota(9, 1));
  Value y = AvgPool2dOp::create(b(), loc(), x, {2, 2}, {2, 2}, {0, 0, 0, 0}, true, true);
  auto r = run({y});
  ASSERT_EQ(r.size(), 1u);
  expectTensor(r[0], {1, 1, 2, 2}, {3, 4.5f, 7.5f, 9});
}

TEST_F(InterpreterTest, GlobalPools) {
  Value x = input({1, 2, 2, 2}, {1, 2, 3, 6, -1, -5, -2, -4});
  auto r = run({GlobalAvgPoolOp::create(b(), loc(), x), GlobalMaxPoolOp::create(b(), loc(), x)});
  ASSERT_EQ(r.size(), 2u);
  expectTensor(r[0], {1, 2, 1, 1}, {3, -3});
  expectTensor(r[1], {1, 2, 1, 1}, {6, -1});
}

//===----------------------------------------------------------------------===//
// Normalisation
//===----------------------------------------------------------------------===//

TEST_F(InterpreterTest, BatchNorm) {
  Value x = input({1, 2, 1, 2}, {1, 3, 2, 5});
  Value y = BatchNormOp::create(b(), loc(), x, constant({2}, {2, 3}), constant({2}, {0.5f, -1}),
                                constant({2}, {0, 1}), constant({2}, {1, 4}), llvm::APFloat(0.0f));
  auto r = run({y});
  ASSERT_EQ(r.size(), 1u);
  // Channel 0: x * 2 + 0.5; channel 1: (x - 1) / 2 * 3 - 1.
  expectTensor(r[0], {1, 2, 1, 2}, {2.5f, 6.5f, 0.5f, 5});
}

TEST_F(InterpreterTest, LayerNormOverTrailingAxes) {
  // axis 1 of [2, 2, 2]: each row of 4 is normalised; rows 1..4 and 10..40
  // normalise to the same values.
  Value x = input({2, 2, 2}, {1, 2, 3, 4, 10, 20, 30, 40});
  Value scale = constant({2, 2}, {1, 2, 1, 2});
  Value bias = constant({2, 2}, {0, 0, 1, 1});
  Value y = LayerNormOp::create(b(), loc(), x, scale, bias, 1, llvm::APFloat(1e-5f));
  auto r = run({y});
  ASSERT_EQ(r.size(), 1u);
  // (x - 2.5) / sqrt(1.25 + 1e-5) for row 1; row 2 has variance 125.
  const float n0 = -1.3416354199689269f, n1 = -0.447211806656309f;
  const double k = std::sqrt(1.25 + 1e-5) / std::sqrt(125 + 1e-5) * 10;
  expectTensor(r[0], {2, 2, 2},
               {n0, 2 * n1, -n1 + 1, -2 * n0 + 1, float(n0 * k), float(2 * n1 * k),
                float(-n1 * k + 1), float(-2 * n0 * k + 1)});
}

TEST_F(InterpreterTest, SoftmaxIsStableAndFollowsTheAxis) {
  Value big = input({3}, {1000, 1001, 1002});
  Value cols = input({2, 2}, {1, 2, 3, 4});
  auto r = run({SoftmaxOp::create(b(), loc(), big), SoftmaxOp::create(b(), loc(), cols, 0)});
  ASSERT_EQ(r.size(), 2u);
  expectTensor(r[0], {3}, {0.09003057317038046f, 0.24472847105479767f, 0.6652409557748219f});
  const float lo = 0.11920292202211755f;
  expectTensor(r[1], {2, 2}, {lo, lo, 1 - lo, 1 - lo});
}

//===----------------------------------------------------------------------===//
// Element-wise
//===----------------------------------------------------------------------===//

TEST_F(InterpreterTest, UnaryOps) {
  Value x = input({6}, {-4, -1, 0, 0.5f, 1, 4});
  auto r = run({
      GeluOp::create(b(), loc(), x, false),
      GeluOp::create(b(), loc(), x, true),
      SigmoidOp::create(b(), loc(), x),
      SiluOp::create(b(), loc(), x),
      HardSwishOp::create(b(), loc(), x),
      HardSigmoidOp::create(b(), loc(), x, llvm::APFloat(0.2f), llvm::APFloat(0.5f)),
      ClipOp::create(b(), loc(), x, llvm::APFloat(-0.5f), llvm::APFloat(2.0f)),
      ReluOp::create(b(), loc(), x),
      TanhOp::create(b(), loc(), x),
      ErfOp::create(b(), loc(), x),
      ExpOp::create(b(), loc(), x),
      NegOp::create(b(), loc(), x),
  });
  ASSERT_EQ(r.size(), 12u);
  expectTensor(r[0], {6}, {-0.00012668496733247991f, -0.15865525393145707f, 0,
                           0.34573123063700656f, 0.8413447460685429f, 3.9998733150326675f});
  expectTensor(r[1], {6}, {-7.024594819227126e-05f, -0.15880800939172324f, 0,
                           0.34571400982514394f, 0.8411919906082768f, 3.9999297540518075f});
  expectTensor(r[2], {6}, {0.01798620996209156f, 0.2689414213699951f, 0.5f,
                           0.6224593312018546f, 0.7310585786300049f, 0.9820137900379085f});
  expectTensor(r[3], {6}, {-0.07194483984836623f, -0.2689414213699951f, 0,
                           0.3112296656009273f, 0.7310585786300049f, 3.928055160151634f});
  expectTensor(r[4], {6}, {0, -1.0f / 3, 0, 0.5f * 3.5f / 6, 4.0f / 6, 4});
  expectTensor(r[5], {6}, {0, 0.3f, 0.5f, 0.6f, 0.7f, 1});
  expectTensor(r[6], {6}, {-0.5f, -0.5f, 0, 0.5f, 1, 2});
  expectTensor(r[7], {6}, {0, 0, 0, 0.5f, 1, 4});
  expectTensor(r[8], {6}, {-0.999329299739067f, -0.7615941559557649f, 0, 0.46211715726000974f,
                           0.7615941559557649f, 0.999329299739067f});
  expectTensor(r[9], {6}, {-0.9999999845827421f, -0.8427007929497149f, 0, 0.5204998778130465f,
                           0.8427007929497149f, 0.9999999845827421f});
  expectTensor(r[10], {6}, {0.01831563888873418f, 0.36787944117144233f, 1, 1.6487212707001282f,
                            2.718281828459045f, 54.598150033144236f});
  expectTensor(r[11], {6}, {4, 1, 0, -0.5f, -1, -4});
}

TEST_F(InterpreterTest, SqrtAndReciprocal) {
  Value x = input({3}, {4, 0.25f, 16});
  auto r = run({SqrtOp::create(b(), loc(), x), ReciprocalOp::create(b(), loc(), x)});
  ASSERT_EQ(r.size(), 2u);
  expectTensor(r[0], {3}, {2, 0.5f, 4});
  expectTensor(r[1], {3}, {0.25f, 4, 0.0625f});
}

TEST_F(InterpreterTest, BinaryOpsBroadcastLikeNumPy) {
  // [2, 1, 3] against [4, 1] broadcasts to [2, 4, 3].
  Value a = input({2, 1, 3}, {0, 1, 2, 10, 11, 12});
  Value c = input({4, 1}, {100, 200, 300, 400});
  auto r = run({AddOp::create(b(), loc(), a, c), SubOp::create(b(), loc(), c, a)});
  ASSERT_EQ(r.size(), 2u);
  std::vector<float> sum, diff;
  for (float i : {0.0f, 10.0f})
    for (float j : {100.0f, 200.0f, 300.0f, 400.0f})
      for (float k : {0.0f, 1.0f, 2.0f}) {
        sum.push_back(i + k + j);
        diff.push_back(j - (i + k));
      }
  expectTensor(r[0], {2, 4, 3}, sum);
  expectTensor(r[1], {2, 4, 3}, diff);
}

TEST_F(InterpreterTest, BinaryOpsWithAScalar) {
  Value x = input({2, 2}, {1, 2, 4, 8});
  Value two = g.scalar(2, loc("two"));
  auto r = run({
      MulOp::create(b(), loc(), x, two),
      DivOp::create(b(), loc(), two, x),
      PowOp::create(b(), loc(), x, two),
      MaxOp::create(b(), loc(), x, two),
      MinOp::create(b(), loc(), two, x),
  });
  ASSERT_EQ(r.size(), 5u);
  expectTensor(r[0], {2, 2}, {2, 4, 8, 16});
  expectTensor(r[1], {2, 2}, {2, 1, 0.5f, 0.25f});
  expectTensor(r[2], {2, 2}, {1, 4, 16, 64});
  expectTensor(r[3], {2, 2}, {2, 2, 4, 8});
  expectTensor(r[4], {2, 2}, {1, 2, 2, 2});
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

TEST_F(InterpreterTest, Reductions) {
  Value x = input({2, 3}, {1, 2, 3, 4, 5, 9});
  auto r = run({
      ReduceMeanOp::create(b(), loc(), x, {1}, false),
      ReduceSumOp::create(b(), loc(), x, {0}, true),
      ReduceMaxOp::create(b(), loc(), x, {-1, 0}, true),
  });
  ASSERT_EQ(r.size(), 3u);
  expectTensor(r[0], {2}, {2, 6});
  expectTensor(r[1], {1, 3}, {5, 7, 12});
  expectTensor(r[2], {1, 1}, {9});
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

TEST_F(InterpreterTest, Matmul) {
  Value a = input({2, 3}, {1, 2, 3, 4, 5, 6});
  Value c = constant({3, 2}, {7, 8, 9, 10, 11, 12});
  auto r = run({MatmulOp::create(b(), loc(), a, c)});
  ASSERT_EQ(r.size(), 1u);
  expectTensor(r[0], {2, 2}, {58, 64, 139, 154});
}

TEST_F(InterpreterTest, MatmulBroadcastsBatchDims) {
  // Batch dims [2, 1] and [3] broadcast to [2, 3].
  std::vector<float> ad = iota(2 * 2 * 3, -5), bd = iota(3 * 3 * 2, 1);
  Value a = input({2, 1, 2, 3}, ad);
  Value c = input({3, 3, 2}, bd);
  auto r = run({MatmulOp::create(b(), loc(), a, c)});
  ASSERT_EQ(r.size(), 1u);
  std::vector<float> expected;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int m = 0; m < 2; ++m)
        for (int n = 0; n < 2; ++n) {
          float acc = 0;
          for (int k = 0; k < 3; ++k)
            acc += ad[i * 6 + m * 3 + k] * bd[j * 6 + k * 2 + n];
          expected.push_back(acc);
        }
  expectTensor(r[0], {2, 3, 2, 2}, expected);
}

TEST_F(InterpreterTest, LinearIsXTimesWTransposedPlusBias) {
  Value x = input({1, 2, 3}, {1, 2, 3, -1, 0, 1});
  Value w = constant({2, 3}, {1, 0, 0, 1, 1, 1});
  Value bias = constant({2}, {0.5f, -0.5f});
  auto r = run({LinearOp::create(b(), loc(), x, w, bias), LinearOp::create(b(), loc(), x, w, {})});
  ASSERT_EQ(r.size(), 2u);
  expectTensor(r[0], {1, 2, 2}, {1.5f, 5.5f, -0.5f, -0.5f});
  expectTensor(r[1], {1, 2, 2}, {1, 6, -1, 0});
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

TEST_F(InterpreterTest, ConcatAndSplit) {
  Value a = input({2, 1}, {1, 2});
  Value c = input({2, 2}, {3, 4, 5, 6});
  Value cat = ConcatOp::create(b(), loc(), ValueRange{a, c}, 1);
  auto split = SplitOp::create(b(), loc(), cat, 1, {2, 1});
  auto r = run({cat, split.getResult(0), split.getResult(1)});
  ASSERT_EQ(r.size(), 3u);
  expectTensor(r[0], {2, 3}, {1, 3, 4, 2, 5, 6});
  expectTensor(r[1], {2, 2}, {1, 3, 2, 5});
  expectTensor(r[2], {2, 1}, {4, 6});
}

TEST_F(InterpreterTest, SliceWithNegativeSteps) {
  Value v = input({5}, iota(5));
  Value m = input({2, 3}, iota(6));
  auto r = run({
      SliceOp::create(b(), loc(), v, {4}, {-1}, {-2}),
      SliceOp::create(b(), loc(), m, {1, 2}, {-1, 0}, {-1, -1}),
      SliceOp::create(b(), loc(), m, {0, 1}, {2, 3}, {1, 1}),
  });
  ASSERT_EQ(r.size(), 3u);
  expectTensor(r[0], {3}, {4, 2, 0});
  expectTensor(r[1], {2, 2}, {5, 4, 2, 1});
  expectTensor(r[2], {2, 2}, {1, 2, 4, 5});
}

TEST_F(InterpreterTest, GatherWithNegativeIndices) {
  Value x = input({3, 2}, {1, 2, 3, 4, 5, 6});
  auto indices = [&](ArrayRef<int64_t> shape, ArrayRef<int64_t> values) {
    return DenseIntElementsAttr::get(RankedTensorType::get(shape, b().getI64Type()), values);
  };
  auto r = run({
      GatherOp::create(b(), loc(), x, indices({2}, {-1, 0}), 0),
      GatherOp::create(b(), loc(), x, indices({2, 1}, {1, -2}), 1),
  });
  ASSERT_EQ(r.size(), 2u);
  expectTensor(r[0], {2, 2}, {5, 6, 1, 2});
  expectTensor(r[1], {3, 2, 1}, {2, 1, 4, 3, 6, 5});
}

TEST_F(InterpreterTest, TransposeReshapeFlatten) {
  std::vector<float> data = iota(24);
  Value x = input({2, 3, 4}, data);
  Value t = TransposeOp::create(b(), loc(), x, {2, 0, 1});
  Value reshaped =
      ReshapeOp::create(b(), loc(), RankedTensorType::get({4, 6}, b().getF32Type()), x);
  auto r = run({t, reshaped, FlattenOp::create(b(), loc(), x, 2)});
  ASSERT_EQ(r.size(), 3u);
  std::vector<float> expected;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 2; ++j)
      for (int k = 0; k < 3; ++k)
        expected.push_back(data[j * 12 + k * 4 + i]);
  expectTensor(r[0], {4, 2, 3}, expected);
  expectTensor(r[1], {4, 6}, data);
  expectTensor(r[2], {6, 4}, data);
}

TEST_F(InterpreterTest, ExpandBroadcastsUnitAndMissingAxes) {
  Value x = input({2, 1}, {1, 2});
  auto r = run({ExpandOp::create(b(), loc(), x, {2, 2, 3})});
  ASSERT_EQ(r.size(), 1u);
  expectTensor(r[0], {2, 2, 3}, {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2});
}

TEST_F(InterpreterTest, PadsLeadingThenTrailingCountsPerAxis) {
  Value x = input({2, 2}, {1, 2, 3, 4});
  auto r = run({PadOp::create(b(), loc(), x, {1, 0, 0, 2}, llvm::APFloat(9.0f))});
  ASSERT_EQ(r.size(), 1u);
  expectTensor(r[0], {3, 4}, {9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9});
}

TEST_F(InterpreterTest, WhereBroadcastsConditionAndValues) {
  Value cond = constant({2}, {1, 0});
  Value a = input({2, 2}, {1, 2, 3, 4});
  Value c = constant({}, {-1});
  auto r = run({WhereOp::create(b(), loc(), cond, a, c)});
  ASSERT_EQ(r.size(), 1u);
  expectTensor(r[0], {2, 2}, {1, -1, 3, -1});
}

TEST_F(InterpreterTest, ReturnsInputsAndRepeatedValues) {
  Value x = input({2}, {1, 2});
  Value y = NegOp::create(b(), loc(), x);
  auto r = run({x, y, y});
  ASSERT_EQ(r.size(), 3u);
  expectTensor(r[0], {2}, {1, 2});
  expectTensor(r[1], {2}, {-1, -2});
  expectTensor(r[2], {2}, {-1, -2});
}

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

class InterpreterErrorTest : public InterpreterTest {
protected:
  /// A one-input model ("x" : [1, 3]) run on `inputs`; returns the error.
  std::string errorFor(std::vector<Tensor> inputs) {
    g.addOutput("y", ReluOp::create(b(), loc(), g.addInput("x", {1, 3})));
    auto finished = g.finish();
    if (!finished)
      return "model did not build: " + llvm::toString(finished.takeError());
    model = std::move(*finished);
    auto results = interpret(*model, inputs);
    return results ? "no error" : llvm::toString(results.takeError());
  }
};

TEST_F(InterpreterErrorTest, WrongInputCount) {
  std::string e = errorFor({});
  EXPECT_NE(e.find("expects 1 inputs, got 0"), std::string::npos) << e;
}

TEST_F(InterpreterErrorTest, WrongInputShapeNamesTheInputAndBothShapes) {
  std::string e = errorFor({Tensor{{3, 1}, {1, 2, 3}}});
  EXPECT_NE(e.find("'x'"), std::string::npos) << e;
  EXPECT_NE(e.find("[3, 1]"), std::string::npos) << e;
  EXPECT_NE(e.find("[1, 3]"), std::string::npos) << e;
}

TEST_F(InterpreterErrorTest, TooFewValuesForTheShape) {
  std::string e = errorFor({Tensor{{1, 3}, {1, 2}}});
  EXPECT_NE(e.find("'x' holds 2 values"), std::string::npos) << e;
}

TEST_F(InterpreterTest, EvaluateRejectsOperandsThatDoNotMatchTheOp) {
  Value x = input({2}, {1, 2});
  auto relu = ReluOp::create(b(), loc("the_relu"), x);
  Tensor wrong{{3}, {1, 2, 3}};
  llvm::SmallVector<Tensor> results;
  std::string e = llvm::toString(evaluate(relu, {&wrong}, results));
  EXPECT_NE(e.find("'acnn.relu'"), std::string::npos) << e;
  EXPECT_NE(e.find("the_relu"), std::string::npos) << e;
  EXPECT_NE(e.find("operand 0 is [3]"), std::string::npos) << e;
  e = llvm::toString(evaluate(relu, {}, results));
  EXPECT_NE(e.find("expects 1 operands, got 0"), std::string::npos) << e;
}

TEST_F(InterpreterTest, EvaluateRejectsOpsOfOtherDialects) {
  Value x = input({2}, {1, 2});
  ASSERT_EQ(run({x}).size(), 1u);
  Operation *ret = model->lookupSymbol<func::FuncOp>(kEntryName).getBody().front().getTerminator();
  llvm::SmallVector<Tensor> results;
  std::string e = llvm::toString(evaluate(ret, {&feeds[0]}, results));
  EXPECT_NE(e.find("'func.return'"), std::string::npos) << e;
  EXPECT_NE(e.find("not an acnn op"), std::string::npos) << e;
}

} // namespace
