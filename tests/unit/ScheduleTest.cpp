// The schedule generator's choices for AVX2 and AVX-512 targets: register
// tiles sized from the vector width and register count, remainders split
// off, the parallel loop, and the rendered transform script.
#include "tests/unit/ScheduleFixture.h"

#include "llvm/Support/FormatVariadic.h"

namespace acnn::test {
namespace {

TEST_F(ScheduleTest, TargetsFromNamesAndCpus) {
  EXPECT_EQ(avx2().lanes(), 8);
  EXPECT_EQ(avx2().vectorRegisters, 16);
  EXPECT_EQ(avx512().lanes(), 16);
  EXPECT_EQ(avx512().vectorRegisters, 32);
  EXPECT_FALSE(acnn::ScheduleTarget::parse("avx1024"));
}

TEST_F(ScheduleTest, TargetsFromLlvmCpus) {
  ctx.loadDialect<acnn::AcnnDialect>();
  EXPECT_EQ(describe(ctx, "x86-64-v4").getVectorBits(), 512);
  EXPECT_EQ(describe(ctx, "x86-64-v4").getVectorRegisters(), 32);
  EXPECT_EQ(describe(ctx, "x86-64-v3").getIsa(), "avx2");
  EXPECT_EQ(describe(ctx, "x86-64").getVectorBits(), 128);
  acnn::TargetAttr zen3 = describe(ctx, "znver3");
  EXPECT_EQ(zen3.getVectorBits(), 256);
  EXPECT_EQ(zen3.getL2Bytes(), 512 * 1024);
  EXPECT_EQ(zen3.getThreads(), 4);
  acnn::TargetAttr spr = describe(ctx, "sapphirerapids");
  EXPECT_EQ(spr.getIsa(), "avx512");
  EXPECT_EQ(spr.getL1Bytes(), 48 * 1024);
  // A schedule target is the attribute's numbers.
  acnn::ScheduleTarget t = acnn::ScheduleTarget::fromAttr(spr);
  EXPECT_EQ(t.lanes(), 16);
  EXPECT_EQ(t.l2Bytes, 2 * 1024 * 1024);
  EXPECT_EQ(t.threads, 4);
  auto avx2OnSpr = acnn::withIsa(spr, "avx2");
  ASSERT_TRUE(bool(avx2OnSpr));
  EXPECT_EQ(avx2OnSpr->getVectorBits(), 256);
  EXPECT_EQ(avx2OnSpr->getL1Bytes(), 48 * 1024);
  auto bad = acnn::withIsa(spr, "neon");
  EXPECT_FALSE(bool(bad));
  llvm::consumeError(bad.takeError());
}

// 6 rows x 2 vectors of 8: 12 accumulators + 2 filter vectors + 1 broadcast
// fit AVX2's 16 registers; the width 56 splits into 54 + 2.
TEST_F(ScheduleTest, ConvAvx2) {
  acnn::Schedule s = schedule(kConv, avx2());
  EXPECT_EQ(s.kind, acnn::KernelKind::Conv);
  EXPECT_EQ(s.registerTile, (Tile{1, 1, 6, 16, 1, 1, 4}));
  ASSERT_EQ(s.splits.size(), 1u);
  EXPECT_EQ(s.splits[0].dim, 2);
  EXPECT_EQ(s.splits[0].at, 54);
  EXPECT_EQ(s.parallelDims.front(), 1); // output rows
  EXPECT_TRUE(s.decompose && s.vectorize && s.hoistAccumulators);
  EXPECT_EQ(s.vectorWidth, 8);
  // Its filter block (3 x 3 x 64 x 16 floats, 36 KiB) stays whole.
  EXPECT_TRUE(s.cacheTile.empty());
}

// A filter block well past L1 is not cut into blocks of input channels
// (acnn-kernel-layouts stores its rows apart by an odd number of cache
// lines, so the block streams from L2 without evicting itself); the widest
// filter makes threads split the output channels.
TEST_F(ScheduleTest, WideConvKeepsInputChannelsWhole) {
  acnn::Schedule s = schedule(kWideConv, avx2());
  EXPECT_TRUE(s.cacheTile.empty());
  EXPECT_EQ(s.parallelDims.front(), 3);
}

// A filter block past L2 (3 x 3 x 2048 input channels x the tile's 32
// columns: 2.3 MiB; FCN's head) is cut into blocks of input channels that
// fill at most half of it, a divisor of the channels; one that fits L2
// (kWideConv above) stays whole.
TEST_F(ScheduleTest, ConvPastL2BlocksInputChannels) {
  acnn::Schedule s = schedule(kConvPastL2, avx512());
  ASSERT_EQ(s.cacheTile.size(), 7u);
  const int64_t kc = s.cacheTile[6];
  EXPECT_EQ(s.cacheTile, (Tile{0, 0, 0, 0, 0, 0, kc}));
  EXPECT_GT(kc, 0);
  EXPECT_LT(kc, 2048);
  EXPECT_EQ(2048 % kc, 0);
  EXPECT_LE(3 * 3 * kc * s.registerTile[3] * 4, avx512().l2Bytes / 2);
  // Twice that block would not fit: the blocks are as large as they may be.
  EXPECT_GT(3 * 3 * 2 * kc * s.registerTile[3] * 4, avx512().l2Bytes / 2);
  EXPECT_TRUE(s.decompose && s.vectorize && s.hoistAccumulators);
}

// A filter past L2 that one register tile reads once (the output map is one
// pixel) is not cut into blocks of input channels: no tile reads a block
// again, and the blocks' partial sums would only add passes.
TEST_F(ScheduleTest, ConvOverTheWholeMapKeepsInputChannelsWhole) {
  for (const acnn::ScheduleTarget &t : {avx2(), avx512()})
    EXPECT_TRUE(schedule(kConvOverWholeMap, t).cacheTile.empty());
}

// Two output columns take 4 vectors of output channels (8 accumulators, not
// 4) on AVX2: 2 x 4 + 4 filter vectors + 1 input fit 16 registers. AVX-512
// has room for 4 vectors of 16 too.
TEST_F(ScheduleTest, NarrowConvWidensChannelTile) {
  acnn::Schedule s = schedule(kNarrowConv, avx2());
  EXPECT_EQ(s.registerTile, (Tile{1, 1, 2, 32, 1, 1, 4}));
  EXPECT_EQ(s.unroll, 4);
  EXPECT_TRUE(s.splits.empty());
  acnn::Schedule wide = schedule(kNarrowConv, avx512());
  EXPECT_EQ(wide.registerTile, (Tile{1, 1, 2, 64, 1, 1, 4}));
}

// A 1x1 conv whose map is 3 columns wide (the rest of AVX2's 7 = 4 + 3) has
// 3 x 2 vectors of accumulators, fewer than the FMA latency needs: its tile
// takes 2 output rows too (12 accumulators, the most that fit), the 7 rows
// split 6 + 1, and it is vectorised as a contraction rather than
// decomposed. A strided conv, whose rows a contraction cannot read in
// place, and AVX-512's 3 x 4 vectors keep one row.
TEST_F(ScheduleTest, NarrowMapTakesOutputRows) {
  auto conv = [](int64_t stride) {
    const int64_t in = 6 * stride + 1, inW = 2 * stride + 1;
    return llvm::formatv(R"mlir(
func.func @f(%x: tensor<1x{0}x{1}x512xf32>, %w: tensor<1x1x512x1024xf32>, %o: tensor<1x7x3x1024xf32>) -> tensor<1x7x3x1024xf32> {{
  %r = linalg.conv_2d_nhwc_hwcf {{dilations = dense<1> : tensor<2xi64>, strides = dense<{2}> : tensor<2xi64>}
    ins(%x, %w : tensor<1x{0}x{1}x512xf32>, tensor<1x1x512x1024xf32>) outs(%o : tensor<1x7x3x1024xf32>) -> tensor<1x7x3x1024xf32>
  return %r : tensor<1x7x3x1024xf32>
})mlir",
                         in, inW, stride)
        .str();
  };
  acnn::Schedule s = schedule(conv(1).c_str(), avx2());
  EXPECT_EQ(s.registerTile, (Tile{1, 2, 3, 16, 1, 1, 4}));
  ASSERT_EQ(s.splits.size(), 1u);
  EXPECT_EQ(s.splits[0].dim, 1);
  EXPECT_EQ(s.splits[0].at, 6);
  EXPECT_FALSE(s.decompose);
  EXPECT_TRUE(s.vectorize && s.hoistAccumulators);
  acnn::Schedule strided = schedule(conv(2).c_str(), avx2());
  EXPECT_EQ(strided.registerTile, (Tile{1, 1, 3, 16, 1, 1, 4}));
  EXPECT_TRUE(strided.splits.empty());
  EXPECT_TRUE(strided.decompose);
  acnn::Schedule wide = schedule(conv(1).c_str(), avx512());
  EXPECT_EQ(wide.registerTile, (Tile{1, 1, 3, 64, 1, 1, 4}));
  EXPECT_TRUE(wide.decompose);
  // One column, or columns narrower than a vector: no accumulator rows to
  // gain (their contractions kept the accumulators in memory).
  auto narrow = [](int64_t width, int64_t channels) {
    return llvm::formatv(R"mlir(
func.func @f(%x: tensor<1x7x{0}x64xf32>, %w: tensor<1x1x64x{1}xf32>, %o: tensor<1x7x{0}x{1}xf32>) -> tensor<1x7x{0}x{1}xf32> {{
  %r = linalg.conv_2d_nhwc_hwcf {{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x7x{0}x64xf32>, tensor<1x1x64x{1}xf32>) outs(%o : tensor<1x7x{0}x{1}xf32>) -> tensor<1x7x{0}x{1}xf32>
  return %r : tensor<1x7x{0}x{1}xf32>
})mlir",
                         width, channels)
        .str();
  };
  for (auto [width, channels] : {std::pair<int64_t, int64_t>{1, 16}, {3, 4}}) {
    acnn::Schedule s = schedule(narrow(width, channels).c_str(), avx2());
    EXPECT_EQ(s.registerTile[1], 1) << width << " x " << channels;
    EXPECT_TRUE(s.decompose) << width << " x " << channels;
  }
  // Rows up to 12 accumulators: 2 x 6 one-vector columns, but 7 columns
  // keep one row (2 x 7 spilled beside a step's 4 filter vectors).
  acnn::Schedule six = schedule(narrow(6, 8).c_str(), avx2());
  EXPECT_EQ(six.registerTile, (Tile{1, 2, 6, 8, 1, 1, 4}));
  acnn::Schedule seven = schedule(narrow(7, 8).c_str(), avx2());
  EXPECT_EQ(seven.registerTile, (Tile{1, 1, 7, 8, 1, 1, 4}));
  EXPECT_TRUE(seven.decompose);
}

// 8 rows x 2 vectors of 16 with AVX-512's 32 registers (16 accumulators, the
// cap; 14 rows would fit); 56 = 7 x 8.
TEST_F(ScheduleTest, ConvAvx512) {
  acnn::Schedule s = schedule(kConv, avx512());
  EXPECT_EQ(s.registerTile, (Tile{1, 1, 8, 32, 1, 1, 4}));
  EXPECT_TRUE(s.splits.empty());
  EXPECT_EQ(s.vectorWidth, 16);
}

// Rows the register tile does not divide are cut as evenly as the fewest
// tiles allow: 17 output columns as 2 x 6 + 5 (not 2 x 8 + a 1-row
// remainder), 35 as 5 x 7.
TEST_F(ScheduleTest, UnevenRowsSplitEvenly) {
  auto conv = [](int64_t width) {
    return llvm::formatv(R"mlir(
func.func @f(%x: tensor<1x{0}x{0}x64xf32>, %w: tensor<3x3x64x64xf32>, %o: tensor<1x{1}x{1}x64xf32>) -> tensor<1x{1}x{1}x64xf32> {{
  %r = linalg.conv_2d_nhwc_hwcf {{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x{0}x{0}x64xf32>, tensor<3x3x64x64xf32>) outs(%o : tensor<1x{1}x{1}x64xf32>) -> tensor<1x{1}x{1}x64xf32>
  return %r : tensor<1x{1}x{1}x64xf32>
})mlir",
                         width + 2, width)
        .str();
  };
  acnn::Schedule s17 = schedule(conv(17).c_str(), avx512());
  EXPECT_EQ(s17.registerTile[2], 6);
  ASSERT_EQ(s17.splits.size(), 1u);
  EXPECT_EQ(s17.splits[0].dim, 2);
  EXPECT_EQ(s17.splits[0].at, 12);
  acnn::Schedule s35 = schedule(conv(35).c_str(), avx512());
  EXPECT_EQ(s35.registerTile[2], 7);
  EXPECT_TRUE(s35.splits.empty());
}

// A row reduction vectorises along the reduced row, one row a step.
TEST_F(ScheduleTest, RowReduction) {
  acnn::Schedule s = schedule(kRowMax, avx2());
  EXPECT_EQ(s.kind, acnn::KernelKind::Reduction);
  EXPECT_EQ(s.registerTile, (Tile{1, 1, 197}));
  EXPECT_TRUE(s.splits.empty());
}

// Also when a small input (the row means) walks the rows: the row itself is
// the big operand, and reading it across rows would be strided.
TEST_F(ScheduleTest, RowReductionReadingRowMeans) {
  acnn::Schedule s = schedule(kVariance, avx2());
  EXPECT_EQ(s.kind, acnn::KernelKind::Reduction);
  EXPECT_EQ(s.registerTile, (Tile{1, 192}));
}

// Elementwise: the contiguous dim (56) in steps of a power of two of vectors,
// up to 4, whose remainder is a power of two of lanes too: 16 + 8 on AVX2 and
// AVX-512 alike (not 7 steps of one AVX2 vector, nor 3.5 AVX-512 vectors).
TEST_F(ScheduleTest, ElementwiseAvx2AndAvx512) {
  acnn::Schedule s = schedule(kAdd, avx2());
  EXPECT_EQ(s.kind, acnn::KernelKind::Elementwise);
  EXPECT_EQ(s.registerTile, (Tile{1, 1, 1, 16}));
  ASSERT_EQ(s.splits.size(), 1u);
  EXPECT_EQ(s.splits[0].dim, 3);
  EXPECT_EQ(s.splits[0].at, 48);
  EXPECT_EQ(s.parallelDims.front(), 1);
  s = schedule(kAdd, avx512());
  EXPECT_EQ(s.registerTile, (Tile{1, 1, 1, 16}));
  ASSERT_EQ(s.splits.size(), 1u);
  EXPECT_EQ(s.splits[0].at, 48);
}

// An operand read transposed gets a vector tile along its innermost loop, so
// a step is a 2-D transpose of vectors: 8 x 32 beside the output's 4
// vectors. Two operands transposed along two other loops (CCNet's sum of
// its column and row attention) take one vector along the output's loop,
// 8 x 8 x 8 a step, not 8 x 8 x 32. AVX-512 transposes the same 8 x 32 (2
// vectors), not lanes x 4 vectors (16 x 64), and 8 x 8 x 16.
TEST_F(ScheduleTest, TransposedOperandsTileTheirInnermostLoops) {
  constexpr const char *kOneTransposed = R"mlir(
#in = affine_map<(d0, d1, d2) -> (d0, d2, d1)>
#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @f(%x: tensor<4x64x64xf32>, %o: tensor<4x64x64xf32>) -> tensor<4x64x64xf32> {
  %r = linalg.generic {indexing_maps = [#in, #id], iterator_types = ["parallel", "parallel", "parallel"]}
    ins(%x : tensor<4x64x64xf32>) outs(%o : tensor<4x64x64xf32>) {
  ^bb0(%a: f32, %b: f32):
    %e = math.exp %a : f32
    linalg.yield %e : f32
  } -> tensor<4x64x64xf32>
  return %r : tensor<4x64x64xf32>
})mlir";
  constexpr const char *kTwoTransposed = R"mlir(
#cols = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3, d1)>
#rows = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3, d2)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @f(%x: tensor<1x32x32x32xf32>, %y: tensor<1x32x32x32xf32>, %o: tensor<1x32x32x32xf32>) -> tensor<1x32x32x32xf32> {
  %r = linalg.generic {indexing_maps = [#cols, #rows, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%x, %y : tensor<1x32x32x32xf32>, tensor<1x32x32x32xf32>) outs(%o : tensor<1x32x32x32xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<1x32x32x32xf32>
  return %r : tensor<1x32x32x32xf32>
})mlir";
  EXPECT_EQ(schedule(kOneTransposed, avx2()).registerTile, (Tile{1, 8, 32}));
  EXPECT_EQ(schedule(kTwoTransposed, avx2()).registerTile, (Tile{1, 8, 8, 8}));
  EXPECT_EQ(schedule(kOneTransposed, avx512()).registerTile, (Tile{1, 8, 32}));
  EXPECT_EQ(schedule(kTwoTransposed, avx512()).registerTile, (Tile{1, 8, 8, 16}));
}

// A fill (a padded buffer's border) steps one vector at a time, an
// element-wise op of its shape four: LLVM unrolls constant-trip loops of
// whole steps, and a border unrolled whole (YOLO's SPPF: 2 x 24 x 128 at 4
// vectors a step) was thousands of stores in one block.
TEST_F(ScheduleTest, FillsStepOneVector) {
  constexpr const char *kFill = R"mlir(
func.func @f(%o: tensor<1x2x24x128xf32>) -> tensor<1x2x24x128xf32> {
  %c = arith.constant 0xFF800000 : f32
  %r = linalg.fill ins(%c : f32) outs(%o : tensor<1x2x24x128xf32>) -> tensor<1x2x24x128xf32>
  return %r : tensor<1x2x24x128xf32>
})mlir";
  constexpr const char *kNegate = R"mlir(
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @f(%x: tensor<1x2x24x128xf32>, %o: tensor<1x2x24x128xf32>) -> tensor<1x2x24x128xf32> {
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%x : tensor<1x2x24x128xf32>) outs(%o : tensor<1x2x24x128xf32>) {
  ^bb0(%a: f32, %b: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<1x2x24x128xf32>
  return %r : tensor<1x2x24x128xf32>
})mlir";
  EXPECT_EQ(schedule(kFill, avx2()).registerTile, (Tile{1, 1, 1, 8}));
  EXPECT_EQ(schedule(kNegate, avx2()).registerTile, (Tile{1, 1, 1, 32}));
}

// Depthwise: an ow x c tile like pooling (loops n, oh, ow, c, kh, kw),
// vectorised along the channels: 144 = 4 x 32 + 16 on AVX-512, 18 x 8 on
// AVX2. The 3 filter taps stay in registers beside the accumulators, and
// the row count divides the 56 columns: 8 rows of 2 vectors on AVX-512, 8 of one vector on AVX2.
TEST_F(ScheduleTest, DepthwiseIsVectorisedAlongChannels) {
  acnn::Schedule s = schedule(kDepthwise, avx512());
  EXPECT_EQ(s.kind, acnn::KernelKind::Depthwise);
  EXPECT_EQ(s.registerTile, (Tile{1, 1, 8, 32, 1, 1}));
  ASSERT_EQ(s.splits.size(), 1u);
  EXPECT_EQ(s.splits[0].dim, 3);
  EXPECT_EQ(s.splits[0].at, 128);
  EXPECT_TRUE(s.decompose && s.vectorize && s.hoistAccumulators);
  s = schedule(kDepthwise, avx2());
  EXPECT_EQ(s.registerTile, (Tile{1, 1, 8, 8, 1, 1}));
  EXPECT_TRUE(s.splits.empty());
}

// A window over a map past L2 sweeps it once, its channel blocks innermost,
// where its taps fit half of L1: MobileNetV2's 58x58x144 input (1.9 MB) on
// a 512 KiB L2, a 3x3 max pool over 113x113x64 (3.3 MB). On a 2 MiB L2, and
// for a 31x31 conv's 984 KB of taps, each channel block sweeps the map,
// keeping its taps in L1.
TEST_F(ScheduleTest, WindowsOverMapsPastL2SweepThemOnce) {
  const Tile rowsOutermost{0, 1, 2, 3, 4, 5}, channelsOutermost{3, 0, 1, 2, 4, 5};
  EXPECT_EQ(schedule(kDepthwise, avx2()).interchange, rowsOutermost);
  EXPECT_EQ(schedule(kPoolNhwc, avx512()).interchange, rowsOutermost);
  acnn::ScheduleTarget largeL2 = avx512();
  largeL2.l2Bytes = 2 * 1024 * 1024;
  EXPECT_EQ(schedule(kDepthwise, largeL2).interchange, channelsOutermost);
  EXPECT_EQ(schedule(kDepthwise31, avx512()).interchange, channelsOutermost);
}

// A depthwise conv's tile holds one filter tap and one input vector beside
// its accumulators, whatever its window: 31x31 taps get 7 rows (which
// divide the 28 columns) of 2 vectors on AVX-512 and of one on AVX2, not a
// single row.
TEST_F(ScheduleTest, LargeDepthwiseKernelsKeepRows) {
  acnn::Schedule s = schedule(kDepthwise31, avx512());
  EXPECT_EQ(s.kind, acnn::KernelKind::Depthwise);
  EXPECT_EQ(s.registerTile, (Tile{1, 1, 7, 32, 1, 1}));
  EXPECT_TRUE(s.splits.empty());
  s = schedule(kDepthwise31, avx2());
  EXPECT_EQ(s.registerTile, (Tile{1, 1, 7, 8, 1, 1}));
  EXPECT_TRUE(s.splits.empty());
}

// Channel tiles are a power of two of lanes, and so is the remainder split
// off: 24 channels are 16 + 8 on AVX-512, not one vector<24xf32>; 1152
// channels on a 7-wide map take 2 vectors, not 3.
TEST_F(ScheduleTest, ChannelTilesArePowersOfTwo) {
  acnn::Schedule s = schedule(kConvTo24, avx512());
  EXPECT_EQ(s.registerTile[3], 16);
  ASSERT_FALSE(s.splits.empty());
  EXPECT_EQ(s.splits.back().dim, 3);
  EXPECT_EQ(s.splits.back().at, 16);
  s = schedule(kConv7x7To1152, avx512());
  EXPECT_EQ(s.registerTile, (Tile{1, 1, 7, 32, 1, 1, 4}));
  EXPECT_EQ(s.unroll, 2);
}

/// A 1x1 conv from 32 channels to `f` on a 28x28 map.
static std::string convTo(int64_t f) {
  return llvm::formatv(R"mlir(
func.func @f(%x: tensor<1x28x28x32xf32>, %w: tensor<1x1x32x{0}xf32>, %o: tensor<1x28x28x{0}xf32>) -> tensor<1x28x28x{0}xf32> {{
  %r = linalg.conv_2d_nhwc_hwcf {{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x28x28x32xf32>, tensor<1x1x32x{0}xf32>) outs(%o : tensor<1x28x28x{0}xf32>) -> tensor<1x28x28x{0}xf32>
  return %r : tensor<1x28x28x{0}xf32>
})mlir",
                       f)
      .str();
}

// Channel counts with no power-of-two remainder (ShuffleNet's 58) are cut
// into powers of two piece by piece, each piece scheduled again as its own
// group: 58 = 32 + 26, 26 = 16 + 10, 10 = 8 + 2. A vector<26xf32> column
// tile is 16 + 8 + 2 registers a row and spilled.
TEST_F(ScheduleTest, RemainderChannelsArePowersOfTwo) {
  for (auto [f, tile, at] : {std::tuple{58, 32, 32}, {26, 16, 16}, {10, 8, 8}}) {
    SCOPED_TRACE(f);
    acnn::Schedule s = schedule(convTo(f).c_str(), avx512());
    EXPECT_EQ(s.registerTile[3], tile);
    ASSERT_FALSE(s.splits.empty());
    EXPECT_EQ(s.splits.back().dim, 3);
    EXPECT_EQ(s.splits.back().at, at);
  }
  acnn::Schedule s = schedule(convTo(2).c_str(), avx512());
  EXPECT_EQ(s.registerTile[3], 2);
  EXPECT_TRUE(s.splits.empty());
}

// Rows of the register tile whose inputs lie a multiple of 4 KiB apart share
// one L1 set (a way is 4 KiB): at most two thirds of the ways' worth of them
// (8 on a 48 KiB, 12-way L1; 5 on 32 KiB, 8-way), as evenly as the rows
// allow. 1024 channels of 4 bytes are 4 KiB a pixel; 768 are 3 KiB (rows
// spread over 4 sets), 512 are 2 KiB (2 sets: 10 rows on 32 KiB), and a
// stride of 2 over 512 channels is 4 KiB again; these last three leave the
// 8-row cap (28 columns as 4 x 7) binding. A matmul's lhs rows of 3072
// floats likewise.
TEST_F(ScheduleTest, RowsSharingAnL1SetAreFew) {
  auto conv = [](int64_t c, int64_t stride) {
    const int64_t in = 28 * stride;
    return llvm::formatv(R"mlir(
func.func @f(%x: tensor<1x{1}x{1}x{0}xf32>, %w: tensor<1x1x{0}x64xf32>, %o: tensor<1x28x28x64xf32>) -> tensor<1x28x28x64xf32> {{
  %r = linalg.conv_2d_nhwc_hwcf {{dilations = dense<1> : tensor<2xi64>, strides = dense<{2}> : tensor<2xi64>}
    ins(%x, %w : tensor<1x{1}x{1}x{0}xf32>, tensor<1x1x{0}x64xf32>) outs(%o : tensor<1x28x28x64xf32>) -> tensor<1x28x28x64xf32>
  return %r : tensor<1x28x28x64xf32>
})mlir",
                         c, in, stride)
        .str();
  };
  acnn::ScheduleTarget zen4 = avx512(), zen3 = avx512();
  zen4.l1Bytes = 48 * 1024;
  zen3.l1Bytes = 32 * 1024;
  for (auto [c, stride, rows48, rows32] : {std::tuple{1024, 1, 7, 5},
                                           {2048, 1, 7, 5},
                                           {512, 2, 7, 5},
                                           {768, 1, 7, 7},
                                           {512, 1, 7, 7},
                                           {256, 1, 7, 7}}) {
    SCOPED_TRACE(llvm::formatv("{0} channels, stride {1}", c, stride).str());
    EXPECT_EQ(schedule(conv(c, stride).c_str(), zen4).registerTile[2], rows48);
    EXPECT_EQ(schedule(conv(c, stride).c_str(), zen3).registerTile[2], rows32);
  }
  constexpr const char *kLongRows = R"mlir(
func.func @f(%a: tensor<197x3072xf32>, %b: tensor<3072x768xf32>, %c: tensor<197x768xf32>) -> tensor<197x768xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<197x3072xf32>, tensor<3072x768xf32>) outs(%c : tensor<197x768xf32>) -> tensor<197x768xf32>
  return %r : tensor<197x768xf32>
})mlir";
  EXPECT_EQ(schedule(kLongRows, zen4).registerTile[0], 8);
}

// An epilogue with an exp keeps its approximation's constants in registers
// beside the accumulators on AVX-512 (32 registers): 7 rows of 2 vectors,
// not 14 (which spilled). AVX2's 16 registers cannot hold them anyway: its
// tile stays 6 x 2.
TEST_F(ScheduleTest, TranscendentalEpilogueShrinksTheTile) {
  EXPECT_EQ(scheduleWithEpilogue(kConvSilu, avx512()).registerTile, (Tile{1, 1, 7, 32, 1, 1, 4}));
  EXPECT_EQ(scheduleWithEpilogue(kConvSilu, avx2()).registerTile, (Tile{1, 1, 6, 16, 1, 1, 4}));
}

// Pooling windows are not vectorised: threads only.
TEST_F(ScheduleTest, NchwPoolingIsParallelOnly) {
  acnn::Schedule s = schedule(kPool, avx2());
  EXPECT_EQ(s.kind, acnn::KernelKind::ParallelOnly);
  EXPECT_FALSE(s.vectorize);
}

// NHWC pooling: like a conv, an ow x c tile (6 x 2 vectors of 8 on AVX2)
// decomposed to 1-D and vectorised along the channels.
TEST_F(ScheduleTest, NhwcPoolingIsVectorised) {
  acnn::Schedule s = schedule(kPoolNhwc, avx2());
  EXPECT_EQ(s.kind, acnn::KernelKind::Pooling);
  EXPECT_EQ(s.registerTile, (Tile{1, 1, 6, 16, 1, 1}));
  EXPECT_TRUE(s.decompose && s.vectorize);
  EXPECT_EQ(s.parallelDims.front(), 1);
}

TEST_F(ScheduleTest, RenderedScript) {
  acnn::Schedule s = schedule(kConv, avx2());
  std::string script = acnn::renderTransformScript(s, 7);
  EXPECT_NE(script.find("match attributes{acnn.kernel = 7 : i64}"), std::string::npos);
  // Threads over rows, then each block of 16 output channels; the columns
  // split 54 + 2 inside it, each piece tiled for registers.
  size_t at = 0;
  for (const char *step : {"tile_using_forall %op tile_sizes [0, 1, 0, 0, 0, 0, 0]",
                           "tile_sizes [0, 0, 0, 16, 0, 0, 0] interchange = [3, 0, 1, 2, 4, 5, 6]",
                           "transform.structured.split %tiled2 after 54 {dimension = 2}",
                           "tile_sizes [0, 0, 6, 0, 1, 1, 4] interchange = [3, 0, 1, 2, 4, 5, 6]",
                           "transform.structured.decompose", "transform.structured.vectorize",
                           "tile_sizes [0, 0, 0, 0, 1, 1, 4] interchange = [3, 0, 1, 2, 4, 5, 6]",
                           "transform.structured.decompose", "transform.structured.vectorize"}) {
    at = script.find(step, at);
    ASSERT_NE(at, std::string::npos) << step << "\n" << script;
  }
}

} // namespace
} // namespace acnn::test
