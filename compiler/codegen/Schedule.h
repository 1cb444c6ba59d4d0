#ifndef ACNN_COMPILER_CODEGEN_SCHEDULE_H
#define ACNN_COMPILER_CODEGEN_SCHEDULE_H

// A Schedule: how one kernel (one linalg op on tensors) is tiled, split,
// parallelised and vectorised, as plain data. The generator
// (ScheduleGenerator.cpp) derives it from the op's kind, its static loop
// extents and the target's vector ISA; the renderer (ScheduleRenderer.cpp)
// writes it as a transform-dialect script that acnn-apply-schedules applies.
// In the IR between the two passes a kernel's schedule is its #acnn.schedule
// attribute (AcnnAttrs.td), which a schedules file can replace.

#include "dialects/acnn/AcnnAttrs.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace acnn {

/// What the schedules need to know about the CPU, read from the module's
/// #acnn.target (TargetDescription.h makes it; no pass probes the host).
/// Its defaults are targetOf's generic machine.
struct ScheduleTarget {
  int64_t vectorBits = 256;     // 128 SSE, 256 AVX2, 512 AVX-512
  int64_t vectorRegisters = 16; // 16 up to AVX2, 32 with AVX-512
  int64_t l1Bytes = 32 * 1024, l2Bytes = 512 * 1024, l3Bytes = 32 * 1024 * 1024;
  int64_t threads = 2; // cores the parallel loops are cut for

  /// f32 lanes of one vector register.
  int64_t lanes() const { return vectorBits / 32; }

  static ScheduleTarget fromAttr(TargetAttr attr);
  /// A generic target of the ISA an "avx2" / "avx512" / "sse" shorthand (as
  /// pass options take it) names; nullopt for anything else.
  static std::optional<ScheduleTarget> parse(llvm::StringRef text);
  /// The target a pass option names (a shorthand), else targetOf(op). Fails with a diagnostic at
  /// `op` on an option that is no shorthand.
  static mlir::FailureOr<ScheduleTarget> of(mlir::Operation *op, llvm::StringRef option);
  std::string str() const;
};

enum class KernelKind {
  Conv,        // direct convolution, NHWC/HWCF: ow x f register tile
  Depthwise,   // depthwise conv, NHWC/HWC: ow x c register tile, like pooling
  Pooling,     // NHWC max/sum pooling: ow x c register tile, like a conv
  Matmul,      // matmul / batch_matmul: m x n register tile, k innermost
  Elementwise, // generic, fill, broadcast, transpose: vectorised along the innermost dim
  Reduction,   // generic with reduction loops, vectorised along the innermost dim
  ParallelOnly // not vectorisable here (grouped conv): tiled for threads only
};

llvm::StringRef kernelKindName(KernelKind kind);

struct Schedule {
  KernelKind kind = KernelKind::ParallelOnly;
  /// The op's name, e.g. "linalg.conv_2d_nhwc_hwcf".
  std::string opName;
  /// Static extent of every loop of the op, in its iteration order.
  llvm::SmallVector<int64_t> loopExtents;
  /// Which loops are reductions.
  llvm::SmallVector<bool> reductionLoops;
  /// f32 lanes of the target's vectors.
  int64_t vectorWidth = 8;
  /// Splits, in order: dimension and position. Each cuts every piece so far
  /// in two along `dim` (at a multiple of the register tile), so the register
  /// tiles below divide every piece evenly and vector shapes stay static.
  /// The renderer splits inside the thread loop, the cache tiles and the
  /// register tile's loops ordered before the split ones (splitDepth in
  /// ScheduleRenderer.cpp), or up front where the threads cut a split loop.
  struct Split {
    int64_t dim, at;
  };
  llvm::SmallVector<Split> splits;
  /// Loops whose register tile does not divide them and whose last, partial
  /// step is peeled off inside the loops around it instead: a loop of its
  /// own there, reusing what their step brought into cache (a matmul's last
  /// rows, split off up front, read all of b again from memory).
  llvm::SmallVector<int64_t> peel;
  /// Loops that may go to threads (scf.forall), in order of preference: a
  /// piece uses the first whose trip count (extent / register tile) is at
  /// least 2.
  llvm::SmallVector<int64_t> parallelDims;
  /// Steps of the parallel loop: about this many (0: one register tile a step).
  int64_t parallelChunks = 0;
  /// Cache tile per loop, applied inside the parallel loop (empty: none; 0:
  /// the whole extent), and the order of its loops.
  llvm::SmallVector<int64_t> cacheTile, cacheInterchange;
  /// Register tile per loop: the sizes of one vectorised step (0: the whole
  /// extent). A piece narrower than a tile along a split dim uses its extent.
  llvm::SmallVector<int64_t> registerTile;
  /// Order of the tiled loops, outermost first (empty: loop order).
  llvm::SmallVector<int64_t> interchange;
  /// Conv: rewrite the tiled 2-D conv into a 1-D one before vectorising (a
  /// tile of one output row). A conv tile of several output rows is
  /// generalised instead, its unit loops dropped, and vectorised as a contraction.
  bool decompose = false;
  /// Vectorise the tiled op (false for ParallelOnly).
  bool vectorize = false;
  /// Keep the accumulator in registers across the reduction loops (subsets
  /// hoisted out of each loop, innermost first, after the kernel scripts).
  bool hoistAccumulators = false;
  /// Unroll factor of the innermost vector dim (its tile / vectorWidth).
  int64_t unroll = 1;
  /// A conv or matmul grouped with its element-wise consumer
  /// (acnn-group-epilogues): the script tiles the consumer, the kernel's
  /// root, over this op's parallel loops and computes this op in each of
  /// the consumer's register tiles; its accumulator start too, `withStart`.
  bool inEpilogue = false, withStart = false;
  /// In a group: the consumer's operand that is the body's result, and the
  /// body's operand that is its start's. A piece of a split group reaches
  /// the body, and the body its start, through them.
  int64_t bodyResultOperand = 0, accumulatorOperand = 0;
  /// Operand packing (not generated yet: every kernel reads its operands in place).
  enum class Packing { None } packing = Packing::None;
};

/// The decisions of `schedule` as the IR holds them (ScheduleAttribute.cpp).
ScheduleAttr toAttr(const Schedule &schedule, mlir::MLIRContext *ctx);

/// The schedule `attr` describes for the kernel whose loops are `op`'s (a
/// group's conv or matmul), checked against those loops: a tile or cache
/// tile of another rank, a split or parallel loop outside them, a
/// decomposition of something else than a 2-D conv or pooling fail with a
/// diagnostic.
/// inEpilogue and withStart are left for the caller, who knows the group.
mlir::FailureOr<Schedule> fromAttr(ScheduleAttr attr, mlir::linalg::LinalgOp op,
                                   llvm::function_ref<mlir::InFlightDiagnostic()> emitError);

/// The choices inside the templates that `acnnc tune` varies
/// (ScheduleSpace.h); zero takes the template's own rule, which is what the
/// generator gives every kernel.
struct TemplateChoices {
  /// At most this many rows in a register tile (a conv's or window's output
  /// columns, a matmul's m); the registers and the L1 may allow fewer.
  int64_t rows = 0;
  /// Vectors across a register tile's columns, or in an element-wise step
  /// (a power of two).
  int64_t vectors = 0;
  /// The k block of a matmul whose lhs is past L2 (-1: no cache blocks).
  int64_t matmulKBlock = 0;
  /// Output rows in a stride-1 conv's register tile, as many as the
  /// registers allow up to this (1: one row); 0: the template's choice, rows
  /// only where a row's accumulators are too few for the FMA latency.
  int64_t outputRows = 0;
  /// Input channels a cache block of a conv sums (rounded down to a divisor
  /// of its channels; -1: no cache blocks); 0: blocks only where the filter
  /// block past L2 asks for them.
  int64_t convChannelBlock = 0;
  /// A depthwise conv's or pool's channel blocks: 1 outermost, each block
  /// sweeping the map; -1 innermost, the map swept once; 0: the template's
  /// choice (innermost for a map past L2).
  int64_t windowChannelsOutermost = 0;
};

/// The schedule of `op` for `target`. Ops with dynamic shapes or of an
/// unknown kind get a ParallelOnly schedule without parallel dims, i.e. none.
/// `epilogue`: the element-wise op of its group (acnn-group-epilogues),
/// computed on each register tile; the constants of its exp / tanh / erf
/// approximations take registers from the tile.
Schedule generateSchedule(mlir::linalg::LinalgOp op, const ScheduleTarget &target,
                          mlir::linalg::LinalgOp epilogue = {},
                          const TemplateChoices &choices = {});

/// Whether `op` reads a tensor at indices it computes (tensor.extract: a
/// resize's taps, a gather), which the vectoriser does not take: such ops get
/// a ParallelOnly schedule and are no conv's epilogue.
bool gathers(mlir::Operation *op);

/// The transform-dialect script applying `schedule` to the op carrying the
/// attribute `acnn.kernel = <kernel>`: a module with the named sequence
/// @__transform_main taking the function as its argument.
std::string renderTransformScript(const Schedule &schedule, int64_t kernel);

/// The scripts run once after every kernel is scheduled: first products
/// into vector contractions and transfers into plain form (then accumulators
/// are hoisted out of reduction loops), then contractions to FMAs and
/// multi-reductions and transposes to 1-D vector ops.
std::string renderVectorPrepareScript();
std::string renderVectorLoweringScript();

/// Attribute naming the kernel an op belongs to while schedules are applied.
inline constexpr llvm::StringLiteral kKernelAttr = "acnn.kernel";
/// Attributes of a group made by acnn-group-epilogues, one number per group:
/// the element-wise consumer, the conv or matmul, its accumulator start.
inline constexpr llvm::StringLiteral kGroupEpilogueAttr = "acnn.group_epilogue";
inline constexpr llvm::StringLiteral kGroupBodyAttr = "acnn.group_body";
inline constexpr llvm::StringLiteral kGroupStartAttr = "acnn.group_start";
/// The tensor.empty a group's consumer writes (one per group, not merged).
inline constexpr llvm::StringLiteral kGroupDestinationAttr = "acnn.group_destination";

} // namespace acnn

#endif
