// The search space of `acnnc tune` (ScheduleSpace.h) around the generator's
// schedules: valid, distinct candidates in the order of their estimates.
#include "tests/unit/ScheduleFixture.h"

#include "compiler/codegen/ScheduleSpace.h"
#include "compiler/codegen/ThreadLoops.h"

#include "mlir/AsmParser/AsmParser.h"
#include "llvm/ADT/DenseSet.h"

namespace acnn::test {
namespace {

std::string printed(Attribute attr) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << attr;
  return text;
}

/// Whether `attr` reads back from its printed form, as a schedules file or a
/// tuning database holds it (the parser runs the attribute's verifier).
bool readsBack(Attribute attr) { return parseAttribute(printed(attr), attr.getContext()) == attr; }

// Tuning's search space: for every template, on both ISAs, other schedules
// than the generator's, each valid for the kernel's loops, none twice, in
// the order of their estimates; the generator's own choices are the
// default TemplateChoices. Each reads back from its printed form.
TEST_F(ScheduleTest, SearchSpaceYieldsValidDistinctSchedules) {
  for (const char *source :
       {kConv, kWideConv, kConvPastL2, kNarrowConv, kMatmul, kRowMax, kVariance, kAdd, kPoolNhwc,
        kDepthwise, kDepthwise31, kConvTo24, kConv7x7To1152, kContraction}) {
    for (const acnn::ScheduleTarget &target : {avx2(), avx512()}) {
      SmallVector<linalg::LinalgOp> ops = parse(source);
      ASSERT_FALSE(ops.empty());
      linalg::LinalgOp op = ops.back();
      acnn::Schedule generated = acnn::generateSchedule(op, target);
      EXPECT_EQ(acnn::toAttr(acnn::generateSchedule(op, target, {}, acnn::TemplateChoices{}), &ctx),
                acnn::toAttr(generated, &ctx));
      acnn::ScheduleAttr current = acnn::toAttr(generated, &ctx);
      EXPECT_TRUE(readsBack(current)) << printed(current);
      std::vector<acnn::ScheduleCandidate> candidates =
          acnn::scheduleCandidates(op, {}, current, target);
      EXPECT_FALSE(candidates.empty()) << source;
      llvm::DenseSet<Attribute> seen{current};
      for (size_t i = 0; i < candidates.size(); ++i) {
        const acnn::ScheduleCandidate &c = candidates[i];
        EXPECT_TRUE(seen.insert(c.schedule).second)
            << "given twice or the default: " << printed(c.schedule);
        EXPECT_TRUE(succeeded(acnn::fromAttr(c.schedule, op, [&] { return op->emitError(); })))
            << printed(c.schedule);
        EXPECT_TRUE(readsBack(c.schedule)) << printed(c.schedule);
        EXPECT_EQ(c.schedule.getKind(), current.getKind());
        EXPECT_GT(c.estimate, 0);
        if (i) {
          EXPECT_LE(candidates[i - 1].estimate, c.estimate);
        }
      }
    }
  }
}

// A conv with its epilogue is cut into pieces before it is scheduled, or
// split inside its thread loop: its candidates split only where its script
// can (groupMaySplit); a rows choice changes the register tile.
TEST_F(ScheduleTest, SearchSpaceOfAGroupSplitsOnlyInside) {
  SmallVector<linalg::LinalgOp> ops = parse(kConvSilu);
  ASSERT_EQ(ops.size(), 2u);
  acnn::ScheduleAttr current =
      acnn::toAttr(acnn::generateSchedule(ops.front(), avx512(), ops.back()), &ctx);
  std::vector<acnn::ScheduleCandidate> candidates =
      acnn::scheduleCandidates(ops.front(), ops.back(), current, avx512());
  EXPECT_FALSE(candidates.empty());
  for (const acnn::ScheduleCandidate &c : candidates) {
    FailureOr<acnn::Schedule> s =
        acnn::fromAttr(c.schedule, ops.front(), [&] { return ops.front()->emitError(); });
    ASSERT_TRUE(succeeded(s));
    EXPECT_TRUE(s->splits.empty() || acnn::groupMaySplit(*s)) << printed(c.schedule);
  }
  acnn::TemplateChoices fourRows;
  fourRows.rows = 4;
  EXPECT_EQ(acnn::generateSchedule(ops.front(), avx512(), ops.back(), fourRows).registerTile[2], 4);
}

// A stride-1 conv's candidates take one output row a tile and two: the
// generator's 56-wide 3x3 conv (6 columns x 2 vectors) has one, and a tile
// of 4 columns x 1 vector fits twice over in AVX2's registers.
TEST_F(ScheduleTest, SearchSpaceVariesConvOutputRows) {
  SmallVector<linalg::LinalgOp> ops = parse(kConv);
  ASSERT_FALSE(ops.empty());
  acnn::ScheduleAttr current = acnn::toAttr(acnn::generateSchedule(ops.back(), avx2()), &ctx);
  ASSERT_EQ(current.getTile()[1], 1);
  bool oneRow = false, twoRows = false;
  for (const acnn::ScheduleCandidate &c :
       acnn::scheduleCandidates(ops.back(), {}, current, avx2())) {
    oneRow |= c.schedule.getTile()[1] == 1;
    twoRows |= c.schedule.getTile()[1] == 2;
  }
  EXPECT_TRUE(oneRow);
  EXPECT_TRUE(twoRows);
  acnn::TemplateChoices two;
  two.rows = 4;
  two.vectors = 1;
  two.outputRows = 2;
  acnn::Schedule s = acnn::generateSchedule(ops.back(), avx2(), {}, two);
  EXPECT_EQ(s.registerTile, (Tile{1, 2, 4, 8, 1, 1, 4}));
  EXPECT_FALSE(s.decompose);
}

// A conv's candidates sum its input channels in cache blocks or not, either
// way from the generator's choice: 256 channels whose filter block fits L2
// get blocks of a divisor of them, 2048 past L2 also none.
TEST_F(ScheduleTest, SearchSpaceVariesConvChannelBlocks) {
  for (auto [source, blockedByDefault] : {std::pair{kWideConv, false}, {kConvPastL2, true}}) {
    SmallVector<linalg::LinalgOp> ops = parse(source);
    ASSERT_FALSE(ops.empty());
    acnn::Schedule generated = acnn::generateSchedule(ops.back(), avx2());
    EXPECT_EQ(!generated.cacheTile.empty(), blockedByDefault) << source;
    const int64_t channels = generated.loopExtents[6];
    bool blocked = false, whole = false;
    for (const acnn::ScheduleCandidate &c :
         acnn::scheduleCandidates(ops.back(), {}, acnn::toAttr(generated, &ctx), avx2())) {
      ArrayRef<int64_t> cache = c.schedule.getCacheTile();
      const int64_t block = cache.empty() ? 0 : cache[6];
      whole |= block == 0;
      blocked |= block > 0 && block < channels && channels % block == 0;
    }
    EXPECT_TRUE(blocked) << source;
    EXPECT_TRUE(whole) << source;
  }
  acnn::TemplateChoices none;
  none.convChannelBlock = -1;
  EXPECT_TRUE(
      acnn::generateSchedule(parse(kConvPastL2).back(), avx2(), {}, none).cacheTile.empty());
  acnn::TemplateChoices blocks;
  blocks.convChannelBlock = 100; // rounded down to a divisor of 256 in whole steps of 4
  EXPECT_EQ(acnn::generateSchedule(parse(kWideConv).back(), avx2(), {}, blocks).cacheTile[6], 64);
}

// A depthwise conv's or pool's candidates put its channel blocks outermost
// and innermost, whichever the generator chose (innermost for MobileNetV2's
// 1.9 MB map on AVX2's 512 KiB L2, outermost for the 31x31 conv's taps).
TEST_F(ScheduleTest, SearchSpaceVariesWindowOrder) {
  const SmallVector<int64_t> outermost{3, 0, 1, 2, 4, 5}, innermost{0, 1, 2, 3, 4, 5};
  for (const char *source : {kDepthwise, kDepthwise31, kPoolNhwc}) {
    SmallVector<linalg::LinalgOp> ops = parse(source);
    ASSERT_FALSE(ops.empty());
    acnn::Schedule generated = acnn::generateSchedule(ops.back(), avx2());
    bool sawOutermost = false, sawInnermost = false;
    for (const acnn::ScheduleCandidate &c :
         acnn::scheduleCandidates(ops.back(), {}, acnn::toAttr(generated, &ctx), avx2())) {
      sawOutermost |= c.schedule.getOrder() == ArrayRef<int64_t>(outermost);
      sawInnermost |= c.schedule.getOrder() == ArrayRef<int64_t>(innermost);
    }
    EXPECT_TRUE(sawOutermost && sawInnermost) << source;
  }
  acnn::TemplateChoices order;
  order.windowChannelsOutermost = 1;
  EXPECT_EQ(acnn::generateSchedule(parse(kDepthwise).back(), avx2(), {}, order).interchange,
            outermost);
  order.windowChannelsOutermost = -1;
  EXPECT_EQ(acnn::generateSchedule(parse(kDepthwise31).back(), avx2(), {}, order).interchange,
            innermost);
}

// The estimate prefers a register tile that hides the FMA latency and does
// not spill to one that does either.
TEST_F(ScheduleTest, EstimatePrefersFullRegisterTiles) {
  SmallVector<linalg::LinalgOp> ops = parse(kConv);
  ASSERT_FALSE(ops.empty());
  acnn::Schedule good = acnn::generateSchedule(ops.back(), avx2());
  acnn::Schedule small = good, spilling = good;
  small.registerTile[2] = 1;
  small.registerTile[3] = 8;
  spilling.registerTile[2] = 14;
  spilling.registerTile[3] = 32;
  const double g = acnn::estimateSeconds(good, ops.back(), avx2());
  EXPECT_LT(g, acnn::estimateSeconds(small, ops.back(), avx2()));
  EXPECT_LT(g, acnn::estimateSeconds(spilling, ops.back(), avx2()));
  // Output rows count as rows of accumulators: 2 x 3 columns hide the
  // latency that 1 x 3 do not.
  acnn::Schedule narrow = good;
  narrow.registerTile[2] = 3;
  acnn::Schedule twoRows = narrow;
  twoRows.registerTile[1] = 2;
  EXPECT_LT(acnn::estimateSeconds(twoRows, ops.back(), avx2()),
            acnn::estimateSeconds(narrow, ops.back(), avx2()));
}

} // namespace
} // namespace acnn::test
