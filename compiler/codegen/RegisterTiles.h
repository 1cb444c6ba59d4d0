#ifndef ACNN_COMPILER_CODEGEN_REGISTERTILES_H
#define ACNN_COMPILER_CODEGEN_REGISTERTILES_H
// Register tiles of the schedule templates (ScheduleGenerator.cpp): how many
// accumulator rows and vector columns a step holds, from the target's vector
// registers and L1, and the remainders split off so every vector shape stays
// static.
#include "compiler/codegen/Schedule.h"

namespace acnn {

/// A tile for a dim vectorised with `lanes`-wide vectors, at most
/// `maxVectors` of them a step: the whole extent when it is short, else the
/// most vectors that divide the extent or leave a remainder, split off at
/// `splitAt` (0: no split), that is a power of two too. Steps and remainders
/// of a power of two of lanes only: vector<48xf32> and vector<24xf32> on
/// AVX-512 (3 and 1.5 vectors) ran 1x1 convs 4-5x slower than 32 and 16 + 8.
struct VectorTile {
  int64_t tile, splitAt;
};
VectorTile vectorTile(int64_t extent, int64_t lanes, int64_t maxVectors);

/// vectorTile for a register tile's columns, which only ever holds a power of
/// two of lanes or fewer: its accumulators stay in registers only so (14 x
/// vector<26xf32> became 14 x (16 + 8 + 2) registers, spilled, and ShuffleNet's
/// 58-channel 1x1 convs ran at a fifth of the 64-channel ones' speed). The
/// remainder split off is cut the same way again when it is scheduled (58:
/// 32 + 16 + 8 + 2).
VectorTile registerColumns(int64_t extent, int64_t lanes, int64_t maxVectors);

/// A register tile of at most `rows` along a dim: the whole extent if it is
/// smaller, else as few tiles as `rows` allow, as even as they can be, with
/// the remainder split off (17 as 9 + 8, 35 as 2 x 12 + 11, not 14 + 3 and
/// 2 x 14 + 7: the remainder piece is a loop of its own, and a 3-row one ran
/// at half a full tile's speed in Inception's 17x17 convs). With `divisor`,
/// the largest tile of more than rows / 2 that divides the extent comes
/// first (112 in 8s rather than 10 x 11 + 2).
VectorTile rowTile(int64_t extent, int64_t rows, bool divisor = false);

/// Accumulator rows that fit beside `vectors` accumulator columns, one input
/// broadcast and `operandRows` rows of the other operand (a conv's or
/// matmul's one filter vector; a depthwise conv's filter tap and input).
int64_t rowsFor(const ScheduleTarget &t, int64_t vectors, int64_t cap, int64_t operandRows = 1);

/// Adds `tile`'s split, if it has one, along `dim` to `s`.
void addSplit(Schedule &s, int64_t dim, const VectorTile &tile);

/// Rows of a register tile whose broadcast operand's rows lie `rowBytes`
/// apart (0: unknown) that its L1 holds at once. An L1 way is 4 KiB on x86
/// (64 sets of 64-byte lines, indexed by the page offset), so rows a
/// multiple of 4 KiB apart share one set: 14 of them (a conv over 1024 or
/// 2048 channels, NHWC) evicted each other on 12 ways every step (FCN's
/// 2048-channel 3x3 conv ran at 80% of its speed with 7; Inception's 8-row
/// tiles over 2048 channels were as fast as 4-row ones). A set may hold two
/// thirds of its ways of them, beside the other operand's lines.
int64_t rowsInL1(const ScheduleTarget &t, int64_t rowBytes);

/// A register tile of accumulators: `cols` a multiple of the vector (up to 2
/// vectors), `rows` as many as the registers left and the L1 (rowsInL1 of
/// `rowBytes`) allow, and at most 8; remainders along both are split off.
/// (16 accumulators already hide the FMA latency: 14-row tiles of 28 left
/// AVX-512's register file one short, and at 2 threads ResNet-50's 1x1 convs
/// of 256 -> 1024 channels on 14x14 ran 0.32 ms with them, 0.25 ms with 7
/// rows; the zoo 2.3% faster in geomean. AVX2's 16 registers allow 6.) Fewer rows than
/// that (a narrow map, a remainder piece, rows the L1 limits) take 4
/// vectors of columns where they divide the columns, so as many
/// accumulators hide the FMA latency (2 output columns x 32 channels
/// instead of 2 x 16). `operandRows` as rowsFor's; with more than one, the
/// rows divide the extent where they can (rowTile's `divisor`).
struct RegisterTile {
  VectorTile rows, cols;
  int64_t vectors;
};
RegisterTile registerTile(Schedule &s, const ScheduleTarget &t, const TemplateChoices &choices,
                          int64_t rowDim, int64_t colDim, int64_t operandRows = 1,
                          int64_t rowBytes = 0);

/// Accumulators that keep both FMA pipes of a core busy through an FMA's 4
/// cycles of latency (Zen 3 and 4, Sapphire Rapids).
inline constexpr int64_t kLatencyAccumulators = 8;

} // namespace acnn

#endif
