// The schedule generator's matmul template (matmuls, batched matmuls,
// contraction generics) for AVX2 and AVX-512 targets: register tiles, rows
// peeled or split off, cache blocks of k, and the threads' loop.
#include "tests/unit/ScheduleFixture.h"

namespace acnn::test {
namespace {

TEST_F(ScheduleTest, MatmulAvx2) {
  acnn::Schedule s = schedule(kMatmul, avx2());
  EXPECT_EQ(s.kind, acnn::KernelKind::Matmul);
  EXPECT_EQ(s.registerTile, (Tile{6, 16, 1}));
  EXPECT_EQ(s.interchange, (Tile{1, 0, 2})); // n-blocks outermost, k innermost
  // 197 rows = 32 x 6 + 5: the 5 peeled inside each n-block, not split off.
  EXPECT_TRUE(s.splits.empty());
  EXPECT_EQ(s.peel, (Tile{0}));
  EXPECT_EQ(s.parallelDims.front(), 1);
}

TEST_F(ScheduleTest, MatmulAvx512) {
  acnn::Schedule s = schedule(kMatmul, avx512());
  EXPECT_EQ(s.registerTile, (Tile{8, 32, 1}));
  EXPECT_TRUE(s.splits.empty());
  EXPECT_EQ(s.peel, (Tile{0})); // 24 x 8 + 5
}

// A group whose epilogue computes something peels the rows; one whose
// epilogue only copies (a bias started the accumulator) splits them off: the
// renderer's canonicalisation of the peeled loops would erase the copy.
TEST_F(ScheduleTest, MatmulPeelsRowsUnlessItsEpilogueOnlyCopies) {
  auto group = [](const std::string &body) {
    std::string text = R"mlir(
func.func @f(%a: tensor<197x768xf32>, %b: tensor<768x768xf32>, %c: tensor<197x768xf32>, %o: tensor<197x768xf32>) -> tensor<197x768xf32> {
  %m = linalg.matmul ins(%a, %b : tensor<197x768xf32>, tensor<768x768xf32>) outs(%c : tensor<197x768xf32>) -> tensor<197x768xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
    ins(%m : tensor<197x768xf32>) outs(%o : tensor<197x768xf32>) {
  ^bb0(%in: f32, %out: f32):
    BODY
  } -> tensor<197x768xf32>
  return %r : tensor<197x768xf32>
})mlir";
    return text.replace(text.find("BODY"), 4, body);
  };
  acnn::Schedule gelu = scheduleWithEpilogue(
      group("%t = math.tanh %in : f32\n    linalg.yield %t : f32").c_str(), avx2());
  EXPECT_EQ(gelu.peel, (Tile{0}));
  EXPECT_TRUE(gelu.splits.empty());
  acnn::Schedule copy = scheduleWithEpilogue(group("linalg.yield %in : f32").c_str(), avx2());
  EXPECT_TRUE(copy.peel.empty());
  ASSERT_EQ(copy.splits.size(), 1u);
  EXPECT_EQ(copy.splits[0].dim, 0);
  EXPECT_EQ(copy.splits[0].at, 197 - 197 % copy.registerTile[0]);
}

// Rows the tile leaves are split off up front where the threads need the
// rows (one n-block: the split's full rows go to threads, a peeled loop's
// could not).
TEST_F(ScheduleTest, MatmulSplitsRowsWhereThreadsNeedThem) {
  constexpr const char *kNarrow = R"mlir(
func.func @f(%a: tensor<197x64xf32>, %b: tensor<64x16xf32>, %c: tensor<197x16xf32>) -> tensor<197x16xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<197x64xf32>, tensor<64x16xf32>) outs(%c : tensor<197x16xf32>) -> tensor<197x16xf32>
  return %r : tensor<197x16xf32>
})mlir";
  acnn::Schedule s = schedule(kNarrow, avx2());
  EXPECT_TRUE(s.peel.empty());
  ASSERT_EQ(s.splits.size(), 1u);
  EXPECT_EQ(s.splits[0].at, 192);
  // The threads cut the rows, so the rows split up front: each piece's
  // threads take its own rows.
  std::string script = acnn::renderTransformScript(s, 0);
  size_t split = script.find("transform.structured.split %op after 192 {dimension = 0}");
  ASSERT_NE(split, std::string::npos);
  EXPECT_LT(split, script.find("tile_using_forall"));
}

// A k x 2-vector strip of b past L1 (768 deep: 96 KiB of AVX-512 vectors)
// takes tiles of 4 vectors and 4 rows (196 = 49 x 4) where the registers
// leave at least 3 rows of them; AVX2's 16 registers leave 2, so its tile
// stays 6 x 2 vectors.
TEST_F(ScheduleTest, DeepMatmulTakesWideTiles) {
  constexpr const char *kDeep = R"mlir(
func.func @f(%a: tensor<196x768xf32>, %b: tensor<768x2304xf32>, %c: tensor<196x2304xf32>) -> tensor<196x2304xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<196x768xf32>, tensor<768x2304xf32>) outs(%c : tensor<196x2304xf32>) -> tensor<196x2304xf32>
  return %r : tensor<196x2304xf32>
})mlir";
  // L2 caches of 1 MiB hold all of a (588 KiB): k is not cache-blocked.
  acnn::ScheduleTarget zen4 = avx512(), zen3 = avx2();
  zen4.l1Bytes = 48 * 1024;
  zen4.l2Bytes = zen3.l2Bytes = 1024 * 1024;
  acnn::Schedule s = schedule(kDeep, zen4);
  EXPECT_EQ(s.registerTile, (Tile{4, 64, 1}));
  EXPECT_EQ(s.unroll, 4);
  EXPECT_TRUE(s.splits.empty());
  EXPECT_EQ(schedule(kDeep, zen3).registerTile, (Tile{6, 16, 1}));
}

// An lhs past L2 (ViT-B's MLP output: 197 x 3072 floats, 2.4 MB) keeps k
// whole while a 3072-deep strip of b as wide as the widest tile stays in
// half of L2: AVX2's 2 vectors (192 KiB of 512), so the epilogue can run in
// the register tile; Zen 4's 4 AVX-512 vectors (768 KiB of 1 MiB) do not,
// and k goes in blocks of 256.
TEST_F(ScheduleTest, MatmulBlocksKOnlyForStripsPastL2) {
  constexpr const char *kDeepLhs = R"mlir(
func.func @f(%a: tensor<197x3072xf32>, %b: tensor<3072x768xf32>, %c: tensor<197x768xf32>) -> tensor<197x768xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<197x3072xf32>, tensor<3072x768xf32>) outs(%c : tensor<197x768xf32>) -> tensor<197x768xf32>
  return %r : tensor<197x768xf32>
})mlir";
  EXPECT_TRUE(schedule(kDeepLhs, avx2()).cacheTile.empty());
  acnn::ScheduleTarget zen4 = avx512();
  zen4.l2Bytes = 1024 * 1024;
  acnn::Schedule s = schedule(kDeepLhs, zen4);
  ASSERT_EQ(s.cacheTile.size(), 3u);
  EXPECT_EQ(s.cacheTile[2], 256);
}

// A contraction generic gets the matmul register tile on its own loops.
TEST_F(ScheduleTest, ContractionGenericAsMatmul) {
  acnn::Schedule s = schedule(kContraction, avx2());
  EXPECT_EQ(s.kind, acnn::KernelKind::Matmul);
  EXPECT_EQ(s.registerTile, (Tile{1, 6, 16, 1}));
  EXPECT_EQ(s.interchange, (Tile{0, 2, 1, 3}));
}

// Threads take whole batches where they share them evenly, or at least 4
// a thread (CCNet's 112 row attentions), so each reads only its batches'
// operands; 3 batches on 2 threads would leave one thread idle a third of
// the time, and there the threads take a plain matmul's loops (m: 4 row
// tiles, where 112 columns make 3 strips and a remainder).
TEST_F(ScheduleTest, BatchedMatmulThreadsTakeBatches) {
  auto batched = [](int64_t batches) {
    std::string b = std::to_string(batches);
    return "func.func @f(%a: tensor<" + b + "x32x112xf32>, %b: tensor<" + b +
           "x112x112xf32>, %c: tensor<" + b + "x32x112xf32>) -> tensor<" + b +
           "x32x112xf32> {\n  %r = linalg.batch_matmul ins(%a, %b : tensor<" + b +
           "x32x112xf32>, tensor<" + b + "x112x112xf32>) outs(%c : tensor<" + b +
           "x32x112xf32>) -> tensor<" + b + "x32x112xf32>\n  return %r : tensor<" + b +
           "x32x112xf32>\n}";
  };
  acnn::ScheduleTarget t = avx512();
  t.threads = 2;
  EXPECT_EQ(schedule(batched(112).c_str(), t).parallelDims.front(), 0);
  EXPECT_EQ(schedule(batched(9).c_str(), t).parallelDims.front(), 0);
  EXPECT_EQ(schedule(batched(3).c_str(), t).parallelDims.front(), 1);
  // The contraction's 4 batches: even on 2 threads.
  EXPECT_EQ(schedule(kContraction, t).parallelDims.front(), 0);
}

} // namespace
} // namespace acnn::test
