// Renders a Schedule as a transform-dialect script (text), in the shape of
// the hand-written studies in shared/studies/: tile_using_forall (threads),
// tile_using_for (cache blocks, then the register tile's loops in the
// schedule's order), remainders split off inside those loops (or up front,
// where the threads need the split loop), decompose, vectorize. The
// function-wide steps that follow every kernel (vector patterns, hoisting
// accumulators, lowering contractions to FMAs) are the two scripts at the end.
#include "compiler/codegen/ThreadLoops.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

namespace acnn {

namespace {

std::string list(llvm::ArrayRef<int64_t> values) {
  return "[" +
         llvm::join(llvm::map_range(values, [](int64_t v) { return std::to_string(v); }), ", ") +
         "]";
}

std::string anyOps(size_t n) {
  std::string text = "(";
  for (size_t i = 0; i < n; ++i)
    text += i ? ", !transform.any_op" : "!transform.any_op";
  return text + ")";
}

/// What a peeled loop's ops are marked with: those of its full steps, and
/// those of its partial last step.
constexpr llvm::StringLiteral kFullSteps = "acnn.full_steps", kPartialStep = "acnn.partial_step";
const llvm::StringRef kSteps[] = {kFullSteps, kPartialStep};

/// One piece of the split iteration space.
struct Piece {
  std::string handle;
  llvm::SmallVector<int64_t> extents;
};

class Renderer {
public:
  Renderer(const Schedule &s, int64_t kernel) : s(s), kernel(kernel), os(text) {}

  std::string render() {
    os << "module attributes {transform.with_named_sequence} {\n"
       << "  // kernel " << kernel << ": " << s.opName << "\n"
       << "  transform.named_sequence @__transform_main(%root: !transform.any_op "
          "{transform.readonly}) {\n";
    line("%op = transform.structured.match attributes{" + std::string(kKernelAttr) + " = " +
         std::to_string(kernel) + " : i64} in %root : (!transform.any_op) -> !transform.any_op");
    if (s.inEpilogue) {
      scheduleGroup();
      os << "    transform.yield\n  }\n}\n";
      return text;
    }
    if (std::optional<size_t> depth = splitDepth(s))
      scheduleSplitInside(*depth);
    else
      for (const Piece &p : splitPieces({{"%op", s.loopExtents}}))
        schedulePiece(p);
    os << "    transform.yield\n  }\n}\n";
    return text;
  }

private:
  void line(const std::string &l) { os << "    " << l << "\n"; }
  std::string fresh(llvm::StringRef base) { return "%" + base.str() + std::to_string(counter++); }

  /// The pieces of the schedule's splits.
  std::vector<Piece> splitPieces(std::vector<Piece> pieces) {
    for (const Schedule::Split &split : s.splits)
      pieces = splitPieces(pieces, split);
    return pieces;
  }

  std::vector<Piece> splitPieces(const std::vector<Piece> &pieces, const Schedule::Split &split) {
    std::vector<Piece> out;
    for (const Piece &p : pieces) {
      int64_t extent = p.extents[split.dim];
      if (split.at <= 0 || split.at >= extent) {
        out.push_back(p);
        continue;
      }
      std::string both = fresh("split"), a = fresh("main"), b = fresh("rest");
      line(llvm::formatv("{0} = transform.structured.split {1} after {2} {{dimension = {3}} : "
                         "!transform.any_op",
                         both, p.handle, split.at, split.dim)
               .str());
      line(llvm::formatv("{0}, {1} = transform.split_handle {2} : (!transform.any_op) -> "
                         "(!transform.any_op, !transform.any_op)",
                         a, b, both)
               .str());
      Piece first{a, p.extents}, second{b, p.extents};
      first.extents[split.dim] = split.at;
      second.extents[split.dim] = extent - split.at;
      out.push_back(first);
      out.push_back(second);
    }
    return out;
  }

  /// `tile` clamped to `extents`: a tile as wide as the extent (or wider, in
  /// a remainder piece) leaves the loop untiled, and so does one that does
  /// not divide it, unless its loop is in `peel`.
  static llvm::SmallVector<int64_t> clampTile(llvm::ArrayRef<int64_t> tile,
                                              llvm::ArrayRef<int64_t> extents,
                                              llvm::ArrayRef<int64_t> peel = {}) {
    llvm::SmallVector<int64_t> out(tile);
    for (size_t d = 0; d < out.size(); ++d)
      if (out[d] >= extents[d] ||
          (out[d] > 0 && extents[d] % out[d] != 0 && !llvm::is_contained(peel, d)))
        out[d] = 0;
    return out;
  }

  /// Emits tile_using_for (one loop per nonzero tile size) and moves `op` to
  /// the tiled op. Returns the innermost loop's handle ("" when no loop).
  /// `loopOf`, if given, maps each tiled loop to its loop's handle.
  std::string tileUsingFor(std::string &op, llvm::ArrayRef<int64_t> tile,
                           llvm::ArrayRef<int64_t> interchange,
                           llvm::DenseMap<int64_t, std::string> *loopOf = nullptr) {
    llvm::SmallVector<int64_t> loopDims;
    for (int64_t d : loopOrder(interchange, tile.size()))
      if (tile[d] != 0)
        loopDims.push_back(d);
    if (loopDims.empty())
      return "";
    std::string tiled = fresh("tiled"), loops = fresh("loops");
    std::string results =
        loopDims.size() == 1 ? loops : loops + ":" + std::to_string(loopDims.size());
    std::string inter = interchange.empty() ? "" : " interchange = " + list(interchange);
    line(llvm::formatv("{0}, {1} = transform.structured.tile_using_for {2} tile_sizes {3}{4} : "
                       "(!transform.any_op) -> {5}",
                       tiled, results, op, list(tile), inter, anyOps(loopDims.size() + 1))
             .str());
    op = tiled;
    auto handle = [&](size_t i) {
      return loopDims.size() == 1 ? loops : loops + "#" + std::to_string(i);
    };
    if (loopOf)
      for (auto [i, d] : llvm::enumerate(loopDims))
        (*loopOf)[d] = handle(i);
    return handle(loopDims.size() - 1);
  }

  /// Peels the partial last step off the loop of the schedule's peeled loop,
  /// if `tile` leaves one of `extents`. The ops of the full steps' loop are
  /// marked kFullSteps, the partial step's kPartialStep; one-trip loops (the
  /// partial step's, a single full step's) are promoted and the tiles' sizes
  /// folded to constants, as the vectoriser needs them. Returns the handle of
  /// the op around the loops (matchStep finds each step's ops there), or ""
  /// when nothing was peeled.
  std::string peelLoop(llvm::ArrayRef<int64_t> tile, llvm::ArrayRef<int64_t> extents,
                       const llvm::DenseMap<int64_t, std::string> &loopOf) {
    for (int64_t d : s.peel) {
      auto it = loopOf.find(d);
      if (tile[d] <= 0 || extents[d] % tile[d] == 0 || it == loopOf.end())
        continue;
      std::string loop = fresh("for"), full = fresh("full"), partial = fresh("partial");
      line(loop + " = transform.cast " + it->second +
           " : !transform.any_op to !transform.op<\"scf.for\">");
      line(llvm::formatv("{0}, {1} = transform.loop.peel {2} : (!transform.op<\"scf.for\">) -> "
                         "(!transform.any_op, !transform.any_op)",
                         full, partial, loop)
               .str());
      for (auto [steps, mark] : {std::pair(full, kFullSteps), std::pair(partial, kPartialStep)}) {
        std::string ops = fresh("ops");
        line(ops + " = transform.structured.match interface{LinalgOp} in " + steps +
             " : (!transform.any_op) -> !transform.any_op");
        line("transform.annotate " + ops + " \"" + mark.str() + "\" : !transform.any_op");
      }
      std::string around = fresh("around");
      line(around + " = transform.get_parent_op " + full +
           " : (!transform.any_op) -> !transform.any_op");
      for (const std::string &steps : {full, partial})
        line("transform.loop.promote_if_one_iteration " + steps + " : !transform.any_op");
      line("transform.apply_patterns to " + around +
           " {\n      transform.apply_patterns.linalg.tiling_canonicalization\n    } : "
           "!transform.any_op");
      return around;
    }
    return "";
  }

  /// The op tagged `attr` = this kernel among `step`'s ops (kFullSteps or
  /// kPartialStep) in `around`.
  std::string matchStep(llvm::StringRef attr, llvm::StringRef step, const std::string &around) {
    std::string op = fresh("step");
    line(op + " = transform.structured.match attributes{" + attr.str() + " = " +
         std::to_string(kernel) + " : i64, " + step.str() + "} in " + around +
         " : (!transform.any_op) -> !transform.any_op");
    return op;
  }

  /// Threads: the first preferred loop that parallelSteps() cuts. Moves `op`
  /// to the tiled op and returns the forall's handle ("" when no loop qualifies).
  std::string tileForThreads(std::string &op, llvm::SmallVectorImpl<int64_t> &extents) {
    std::optional<int64_t> loop = threadLoop(s, extents);
    if (!loop)
      return "";
    const int64_t d = *loop;
    ParallelSteps steps = parallelSteps(s, d, extents);
    llvm::SmallVector<int64_t> sizes(extents.size(), 0);
    sizes[d] = steps.size;
    std::string tiled = fresh("par"), forall = fresh("forall");
    line(llvm::formatv("{0}, {1} = transform.structured.tile_using_forall {2} tile_sizes {3} : "
                       "(!transform.any_op) -> (!transform.any_op, !transform.any_op)",
                       tiled, forall, op, list(sizes))
             .str());
    op = tiled;
    extents[d] = steps.size;
    return forall;
  }

  /// Fuses the op of `producer` into the loop `loop`, moving both handles.
  void fuseInto(std::string &producer, std::string &loop) {
    std::string fused = fresh("fused"), into = fresh("into");
    line(llvm::formatv("{0}, {1} = transform.structured.fuse_into_containing_op {2} into {3} : "
                       "(!transform.any_op, !transform.any_op) -> (!transform.any_op, "
                       "!transform.any_op)",
                       fused, into, producer, loop)
             .str());
    producer = fused;
    loop = into;
  }

  /// Vectorises the tiled op (a conv decomposed to 1-D first, when the
  /// schedule says so). A conv whose register tile spans several output
  /// rows does not decompose: it is generalised and its unit loops (the
  /// tile's one filter tap, n) dropped inside `loop`, its innermost, which
  /// leaves a contraction over the tile's rows, columns and channels.
  void vectorize(std::string op, const std::string &loop) {
    if (s.decompose) {
      std::string d = fresh("conv1d");
      line(llvm::formatv("{0} = transform.structured.decompose {1} : (!transform.any_op) -> "
                         "!transform.any_op",
                         d, op)
               .str());
      op = d;
    } else if (s.kind == KernelKind::Conv && !loop.empty()) {
      line(fresh("generic") + " = transform.structured.generalize " + op +
           " : (!transform.any_op) -> !transform.any_op");
      line("transform.apply_patterns to " + loop +
           " {\n      transform.apply_patterns.linalg.fold_unit_extent_dims_via_slices\n    } "
           ": !transform.any_op");
      op = fresh("contraction");
      line(op + " = transform.structured.match ops{[\"linalg.generic\"]} in " + loop +
           " : (!transform.any_op) -> !transform.any_op");
    }
    line("transform.structured.vectorize " + op + " : !transform.any_op");
  }

  /// A group of acnn-group-epilogues: the element-wise consumer (%op, the
  /// root) tiled over the body's parallel loops, for threads then for
  /// registers, the body and its start fused into each level's loops; then
  /// the body's reduction loops tiled inside the register tile. A split
  /// (at most one, where splitDepth allows it) cuts the consumer inside the
  /// thread loop and the register tile's outer loops: each piece is tiled
  /// and the body and start fused into its loops, the second piece's found
  /// from its consumer (the first fusion clones them and consumes their handles).
  void scheduleGroup() {
    std::string body = "%body", start = s.withStart ? "%start" : "";
    line("%body = transform.structured.match attributes{" + std::string(kGroupBodyAttr) + " = " +
         std::to_string(kernel) + " : i64} in %root : (!transform.any_op) -> !transform.any_op");
    if (s.withStart)
      line("%start = transform.structured.match attributes{" + std::string(kGroupStartAttr) +
           " = " + std::to_string(kernel) +
           " : i64} in %root : (!transform.any_op) -> !transform.any_op");
    const size_t parallel = llvm::count(s.reductionLoops, false);
    llvm::SmallVector<int64_t> extents(s.loopExtents.begin(), s.loopExtents.begin() + parallel);
    llvm::SmallVector<int64_t> order;
    for (int64_t d : s.interchange)
      if (d < static_cast<int64_t>(parallel))
        order.push_back(d);
    std::string op = "%op";
    fuseGroup(tileForThreads(op, extents), body, start);
    std::optional<size_t> depth = splitDepth(s);
    if (!depth)
      return finishGroup(tileGroupLoops(op, extents, order, std::nullopt), extents, body, start);

    fuseGroup(tileOuterLoops(op, extents, *depth, order), body, start);
    std::string around = fresh("around");
    line(around + " = transform.get_parent_op " + op +
         " : (!transform.any_op) -> !transform.any_op");
    std::vector<Piece> pieces = splitPieces({{op, extents}});
    // Each piece tiled before any fusion, and each piece's slices of the
    // body's result and of its start merged with the split's, so that the
    // producers feed each piece's loop directly.
    std::vector<Tiled> tiled;
    for (const Piece &p : pieces)
      tiled.push_back(tileGroupLoops(p.handle, p.extents, order, s.splits.front().dim));
    line(
        "transform.apply_patterns to " + around +
        " {\n      transform.apply_patterns.tensor.merge_consecutive_insert_extract_slice\n    } : "
        "!transform.any_op");
    for (auto [i, t] : llvm::enumerate(tiled)) {
      if (i > 0) {
        body = producerOf(producerOf(t.op, s.bodyResultOperand), 0);
        start = "";
      }
      finishGroup(t, pieces[i].extents, body, start);
    }
  }

  /// A piece of a group's consumer tiled for registers: the tiled op, its
  /// loops by dim and its innermost loop.
  struct Tiled {
    std::string op, innermost;
    llvm::SmallVector<int64_t> tile;
    llvm::DenseMap<int64_t, std::string> loopOf;
  };

  /// The producer of operand `index` of the ops of `handle`.
  std::string producerOf(const std::string &handle, int64_t index) {
    std::string producer = fresh("producer");
    line(llvm::formatv("{0} = transform.get_producer_of_operand {1}[{2}] : (!transform.any_op) "
                       "-> !transform.any_op",
                       producer, handle, index)
             .str());
    return producer;
  }

  /// Fuses the body, then its start (if any), into `loop` (none when "").
  void fuseGroup(std::string loop, std::string &body, std::string &start) {
    if (loop.empty())
      return;
    fuseInto(body, loop);
    if (!start.empty())
      fuseInto(start, loop);
  }

  /// The consumer's register tile (a piece's: its loop `forced`, the split
  /// loop, is made even where one step covers the piece, so that the body
  /// has a loop of the piece's to be fused into).
  Tiled tileGroupLoops(std::string op, llvm::ArrayRef<int64_t> extents,
                       llvm::ArrayRef<int64_t> order, std::optional<int64_t> forced) {
    Tiled t;
    const size_t parallel = extents.size();
    t.tile =
        clampTile(llvm::ArrayRef<int64_t>(s.registerTile).take_front(parallel), extents, s.peel);
    if (forced && t.tile[*forced] == 0)
      t.tile[*forced] = extents[*forced];
    t.innermost = tileUsingFor(op, t.tile, order, &t.loopOf);
    t.op = op;
    return t;
  }

  /// Fuses the body and its start into a piece's register-tile loops (the
  /// start found from the fused body when `start` is "" in a group with
  /// one), peels and vectorises.
  void finishGroup(Tiled t, llvm::ArrayRef<int64_t> extents, std::string body, std::string start) {
    if (s.withStart && start.empty() && !t.innermost.empty()) {
      fuseInto(body, t.innermost);
      start = producerOf(producerOf(body, s.accumulatorOperand), 0);
      fuseInto(start, t.innermost);
    } else {
      fuseGroup(t.innermost, body, start);
    }
    std::string around = peelLoop(t.tile, extents, t.loopOf);
    if (around.empty())
      return vectorizeGroup(t.op, body, start);
    for (llvm::StringRef step : kSteps)
      vectorizeGroup(matchStep(kKernelAttr, step, around), matchStep(kGroupBodyAttr, step, around),
                     s.withStart ? matchStep(kGroupStartAttr, step, around) : "");
  }

  /// The body's reduction loops tiled inside the register tile, then the
  /// group's ops vectorised.
  void vectorizeGroup(const std::string &op, std::string body, const std::string &start) {
    const size_t parallel = llvm::count(s.reductionLoops, false);
    llvm::SmallVector<int64_t> reduction = clampTile(s.registerTile, s.loopExtents);
    std::fill(reduction.begin(), reduction.begin() + parallel, 0);
    vectorize(body, tileUsingFor(body, reduction, {}));
    line("transform.structured.vectorize " + op + " : !transform.any_op");
    if (s.withStart)
      line("transform.structured.vectorize " + start + " : !transform.any_op");
  }

  /// Tiles `op` by the register tile in those of the first `depth` loops of
  /// the schedule's order that `extents` has (a group's consumer has the
  /// body's parallel loops only), in `interchange`'s order: the loops a split
  /// made inside goes in. `extents` become the tile's; returns the innermost
  /// loop's handle.
  std::string tileOuterLoops(std::string &op, llvm::SmallVectorImpl<int64_t> &extents, size_t depth,
                             llvm::ArrayRef<int64_t> interchange) {
    const int64_t loops = extents.size();
    llvm::SmallVector<int64_t> tile =
        clampTile(llvm::ArrayRef<int64_t>(s.registerTile).take_front(loops), extents);
    llvm::SmallVector<int64_t> outer(loops, 0);
    llvm::SmallVector<int64_t> order = loopOrder(s.interchange, s.loopExtents.size());
    for (int64_t d : llvm::ArrayRef(order).take_front(depth))
      if (d < loops)
        outer[d] = tile[d];
    std::string innermost = tileUsingFor(op, outer, interchange);
    for (int64_t d = 0; d < loops; ++d)
      if (outer[d] != 0)
        extents[d] = outer[d];
    return innermost;
  }

  /// Threads, cache blocks and the first `depth` register-tile loops for the
  /// whole op; the splits inside them, each piece's remaining loops tiled.
  void scheduleSplitInside(size_t depth) {
    llvm::SmallVector<int64_t> extents(s.loopExtents);
    std::string op = "%op";
    tileForThreads(op, extents);
    tileForCache(op, extents);
    tileOuterLoops(op, extents, depth, s.interchange);
    for (const Piece &p : splitPieces({{op, extents}}))
      tileRegisters(p.handle, p.extents);
  }

  void schedulePiece(const Piece &p) {
    llvm::SmallVector<int64_t> extents(p.extents);
    std::string op = p.handle;
    tileForThreads(op, extents);
    if (!s.vectorize)
      return;
    tileForCache(op, extents);
    tileRegisters(op, extents);
  }

  /// Cache tiles: blocks of the operands that stay in L1/L2 while the
  /// register tiles sweep them.
  void tileForCache(std::string &op, llvm::SmallVectorImpl<int64_t> &extents) {
    if (s.cacheTile.empty())
      return;
    llvm::SmallVector<int64_t> cache = clampTile(s.cacheTile, extents);
    tileUsingFor(op, cache, s.cacheInterchange);
    for (size_t d = 0; d < cache.size(); ++d)
      if (cache[d] != 0)
        extents[d] = cache[d];
  }

  /// Register tile: the tiled loops in the schedule's order, the peeled
  /// loop's steps, each vectorised.
  void tileRegisters(std::string op, llvm::ArrayRef<int64_t> extents) {
    llvm::SmallVector<int64_t> tile = clampTile(s.registerTile, extents, s.peel);
    llvm::DenseMap<int64_t, std::string> loopOf;
    std::string innermost = tileUsingFor(op, tile, s.interchange, &loopOf);
    // Accumulators (hoistAccumulators) are hoisted out of the reduction
    // loops for all kernels at once, after the vector patterns of
    // renderVectorPrepareScript (the hoisting needs them to run on the whole
    // function; per kernel that would cost time quadratic in the model).
    std::string around = peelLoop(tile, extents, loopOf);
    if (around.empty())
      return vectorize(op, innermost);
    for (llvm::StringRef step : kSteps)
      vectorize(matchStep(kKernelAttr, step, around), around);
  }

  const Schedule &s;
  int64_t kernel;
  std::string text;
  llvm::raw_string_ostream os;
  int counter = 0;
};

} // namespace

std::string renderTransformScript(const Schedule &schedule, int64_t kernel) {
  Renderer r(schedule, kernel);
  return r.render();
}

std::string renderVectorPrepareScript() {
  return R"mlir(module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    transform.apply_patterns to %root {
      transform.apply_patterns.vector.reduction_to_contract
      transform.apply_patterns.vector.transfer_permutation_patterns
      transform.apply_patterns.tensor.fold_tensor_subset_ops
    } : !transform.any_op
    transform.apply_cse to %root : !transform.any_op
    transform.yield
  }
}
)mlir";
}

std::string renderVectorLoweringScript() {
  return R"mlir(module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    transform.apply_patterns to %root {
      transform.apply_patterns.vector.cast_away_vector_leading_one_dim
      transform.apply_patterns.canonicalization
    } : !transform.any_op
    transform.apply_patterns to %root {
      transform.apply_patterns.vector.lower_contraction lowering_strategy = outerproduct
      transform.apply_patterns.vector.lower_multi_reduction lowering_strategy = innerparallel
      transform.apply_patterns.vector.transfer_permutation_patterns
      transform.apply_patterns.vector.lower_transpose lowering_strategy = shuffle_1d
      transform.apply_patterns.vector.lower_shape_cast
    } : !transform.any_op
    transform.apply_patterns to %root {
      transform.apply_patterns.vector.lower_outerproduct
      transform.apply_patterns.vector.lower_broadcast
    } : !transform.any_op
    transform.yield
  }
}
)mlir";
}

} // namespace acnn
