// The schedule generator: one Schedule per linalg op, from its kind, its
// static loop extents and the target's vector ISA. The recipes are the ones
// measured in shared/mlir-cpu-codegen.md:
//  - direct conv (NHWC/HWCF): register tile ow x f with f a multiple of the
//    vector width, sized so accumulators + one input row + one filter vector
//    fit the register file (6 x 16 on AVX2, 14 x 32 on AVX-512), reductions
//    innermost, 2-D -> 1-D decomposition, accumulators hoisted;
//  - matmul: the same m x n register tile, k innermost, n-blocks outermost;
//  - elementwise and reductions: vectorised along the innermost contiguous
//    dim, up to 4 vectors a step;
//  - everything: a parallel outer loop (scf.forall) where there is one.
// Remainders are split off (a matmul's rows peeled off inside its strips of b
// instead) so every vector shape stays static.
#include "compiler/codegen/RegisterTiles.h"
#include "compiler/codegen/Schedule.h"
#include "compiler/codegen/ThreadLoops.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineExpr.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace mlir;

namespace acnn {

llvm::StringRef kernelKindName(KernelKind kind) {
  switch (kind) {
  case KernelKind::Conv:
    return "conv";
  case KernelKind::Depthwise:
    return "depthwise";
  case KernelKind::Pooling:
    return "pooling";
  case KernelKind::Matmul:
    return "matmul";
  case KernelKind::Elementwise:
    return "elementwise";
  case KernelKind::Reduction:
    return "reduction";
  case KernelKind::ParallelOnly:
    return "parallel_only";
  }
  return "?";
}

//===----------------------------------------------------------------------===//
// Generator
//===----------------------------------------------------------------------===//

namespace {

/// out[n, oh, ow, f] += in[n, oh*s + kh, ow*s + kw, c] * w[kh, kw, c, f].
Schedule convSchedule(Schedule s, const ScheduleTarget &t, const TemplateChoices &choices,
                      int64_t rowBytes, bool unitStrides) {
  enum { N, OH, OW, F, KH, KW, C };
  ArrayRef<int64_t> e = s.loopExtents;
  RegisterTile tile = registerTile(s, t, choices, OW, F, 1, rowBytes);
  const VectorTile &ow = tile.rows, &f = tile.cols;
  // Input channels a step: an image's 3 in one step kept 18 strided input
  // values live beside the 12 accumulators and spilled (stem conv 0.59 ->
  // 0.51 ms one at a time).
  int64_t c = e[C] % 4 == 0 ? 4 : e[C] % 2 == 0 ? 2 : 1;
  s.kind = KernelKind::Conv;
  s.registerTile = {1, 1, ow.tile, f.tile, 1, 1, c};
  s.decompose = true;
  // A map too narrow for the FMA latency's accumulators (AVX2's 7-wide
  // maps leave a 3-column piece: 3 x 2 vectors) takes output rows too, as
  // many as the registers allow: 2 x 3 columns ran the 3-column piece of a
  // 512 -> 1536 1x1 conv on 6x3 at 190 GFLOP/s, one row at a time at 140.
  // The tile no longer decomposes to 1-D; it is vectorised as a
  // contraction, which reads the input's rows in place at unit strides only.
  // Columns of whole vectors and at least 2 of them only: a column narrower
  // than a vector (CBAM's one-channel spatial conv) is not an accumulator
  // register of its own, and a one-column tile (SqueezeNet's 55 = 54 + 1)
  // leaves the rows strided in the vectors' shape; the contraction of
  // either kept its accumulators in memory. At most 12 accumulators, so that
  // the filter vectors of a step's input channels fit beside them: 2 x 7
  // one-vector columns spilled (RegNetY's grouped 3x3 convs, 8 channels a
  // group: 0.115 ms, 0.100 ms with one row).
  // The tuner asks for rows (choices.outputRows) wherever the registers fit
  // them, beside 4 for the filter vectors and the broadcast: 2 x 7 one-vector
  // columns ran RegNetX-400MF's grouped 3x3 convs (16 channels a group)
  // 12-15% faster than one row on AVX-512 (Emerald Rapids), but ShuffleNet's
  // 16-channel pieces of its 58-channel 1x1 convs 20-35% slower.
  const int64_t accumulators = ow.tile * tile.vectors;
  if (unitStrides && ow.splitAt == 0 && ow.tile > 1 && f.tile % t.lanes() == 0) {
    const int64_t want = choices.outputRows > 0 ? choices.outputRows
                         : choices.rows || accumulators >= kLatencyAccumulators
                             ? 1
                             : llvm::divideCeil(kLatencyAccumulators, accumulators);
    const int64_t cap = choices.outputRows > 0 ? (t.vectorRegisters - 4) / tile.vectors : 12;
    const int64_t fit = rowsFor(t, tile.vectors, cap) / ow.tile;
    const int64_t rows = std::min({want, fit, e[OH]});
    if (rows > 1) {
      addSplit(s, OH, {rows, e[OH] % rows ? e[OH] - e[OH] % rows : 0});
      s.registerTile[OH] = rows;
      s.decompose = false;
    }
  }
  s.interchange = {F, N, OH, OW, KH, KW, C};
  // Threads take output rows, unless the filter outweighs the input: then
  // blocks of output channels, so each thread keeps its filter block cached
  // while it sweeps the image.
  const int64_t filterBytes = e[KH] * e[KW] * e[C] * e[F] * 4;
  const int64_t inputBytes = e[N] * e[OH] * e[OW] * e[C] * 4;
  s.parallelDims =
      filterBytes > inputBytes ? SmallVector<int64_t>{F, OH, OW} : SmallVector<int64_t>{OH, F, OW};
  s.vectorize = s.hoistAccumulators = true;
  s.unroll = tile.vectors;
  // The filter block a register tile sweeps (KH x KW x C x its columns) is
  // read again by every tile of the block's columns: past L2 it came from
  // L3 each time (FCN's 3x3 head conv over 2048 channels: 2.4 MB a block).
  // The input channels go in cache blocks of the most that fill half of L2
  // instead, each block's partial sums added to the output. (Blocks that
  // fit L2 already stay whole: 512 channels in two blocks slowed VGG-11 by
  // 9%, its epilogue a pass of its own.)
  // The tuner asks for other blocks (choices.convChannelBlock): a 1x1 conv
  // whose block of 2048 channels fits L2 but not L1 may still gain.
  // A map that is one register tile (a classifier as a conv over the whole
  // 7x7 map: VGG's pre-logits in timm) reads each filter block once: blocks
  // would only add passes (21.8 ms for its 411 MB filter, 18.8 GB/s).
  const int64_t half = t.l2Bytes / 2, tapBytes = e[KH] * e[KW] * f.tile * 4;
  const bool reread = e[N] * e[OH] * llvm::divideCeil(e[OW], ow.tile) > 1;
  const int64_t wantBlock = choices.convChannelBlock > 0 ? choices.convChannelBlock
                            : choices.convChannelBlock == 0 && reread && e[C] * tapBytes > t.l2Bytes
                                ? half / tapBytes
                                : 0;
  if (wantBlock > 0)
    for (int64_t kc = std::min(wantBlock, e[C] - 1) / c * c; kc >= c; kc -= c)
      if (e[C] % kc == 0) {
        s.cacheTile.assign(e.size(), 0);
        s.cacheTile[C] = kc;
        s.cacheInterchange = {N, OH, OW, F, KH, KW, C};
        break;
      }
  return s;
}

/// out[n, oh, ow, c] = max (or sum) over kh, kw of in[n, oh*s + kh, ow*s + kw, c]
/// (pooling), or the sum of in[...] * w[kh, kw, c] (a depthwise conv): as a
/// conv without the channel reduction, an ow x c register tile, the 2-D
/// window decomposed to 1-D and vectorised along c.
Schedule windowSchedule(Schedule s, const ScheduleTarget &t, const TemplateChoices &choices,
                        KernelKind kind, int64_t rowBytes, int64_t inputBytes) {
  enum { N, OH, OW, C, KH, KW };
  // A depthwise conv's register tile steps through the window's taps one at
  // a time: beside its accumulators it holds one filter tap and one input
  // vector, and the accumulators take the rest of the registers (14 x 2
  // accumulators spilled: 32x112x112 3x3 took 0.29 ms, 0.11 ms with 7 or 8
  // rows). Sizing it as if all KW taps of a row stayed in registers left
  // large windows a few rows: a 31x31 conv over 28x28x256 ran in 1 x 32
  // tiles at 47 GFLOP/s, in 7 x 32 at 290; 9x9 in 4 x 16 tiles 1.4x slower
  // than in 8 x 32.
  const int64_t operandRows = kind == KernelKind::Depthwise ? 2 : 1;
  RegisterTile tile = registerTile(s, t, choices, OW, C, operandRows, rowBytes);
  s.kind = kind;
  s.registerTile = {1, 1, tile.rows.tile, tile.cols.tile, 1, 1};
  // Channel blocks outermost, each sweeping the map, keep a block's taps
  // in L1. An input past L2 then comes from L3 once per block, a few lines
  // of every pixel at a time: there the blocks go innermost, so the map
  // streams once, where all the taps stay in L1 anyway (Emerald Rapids, 2
  // MiB L2: EfficientNet-B0's stride-2 3x3 over 112x112x96, 4.8 MB, 0.45 ->
  // 0.32 ms on one thread, 0.25 -> 0.21 on two; ResNet's 3x3 max pool over
  // 112x112x64 0.099 -> 0.087 ms; over maps L2 holds, 28x28x240 and
  // 14x14x672 (67 KB of 5x5 taps), 11-19% slower). The tuner may choose
  // either (choices.windowChannelsOutermost).
  ArrayRef<int64_t> e = s.loopExtents;
  const int64_t tapBytes = kind == KernelKind::Depthwise ? e[KH] * e[KW] * e[C] * 4 : 0;
  const bool channelsOutermost = choices.windowChannelsOutermost != 0
                                     ? choices.windowChannelsOutermost > 0
                                     : !(inputBytes > t.l2Bytes && tapBytes <= t.l1Bytes / 2);
  s.interchange = channelsOutermost ? SmallVector<int64_t>{C, N, OH, OW, KH, KW}
                                    : SmallVector<int64_t>{N, OH, OW, C, KH, KW};
  s.parallelDims = {OH, C, OW};
  s.decompose = s.vectorize = s.hoistAccumulators = true;
  s.unroll = tile.vectors;
  return s;
}

/// out[batch..., m, n] += a[batch..., m, k] * b[batch..., k, n], with the
/// loops at any positions (named matmuls and contraction generics).
struct MatmulDims {
  llvm::SmallVector<int64_t> batch;
  int64_t m, n, k;
};

Schedule matmulSchedule(Schedule s, const ScheduleTarget &t, const TemplateChoices &choices,
                        const MatmulDims &dims, int64_t rowBytes) {
  const int64_t m = dims.m, n = dims.n, k = dims.k;
  const bool batched = !dims.batch.empty();
  ArrayRef<int64_t> e = s.loopExtents;
  // An a past L2 may get its k blocked below (kc rows of b a strip). The
  // template blocks only where a k-deep strip of b as wide as its widest
  // tile (4 vectors where the registers allow them, as below, else 2)
  // outgrows half of L2: a strip that stays in L2 is read from there by
  // every row tile anyway, and an unblocked k keeps the tile's epilogue
  // (bias, GELU, residual) in its registers. ViT-B's q/k/v, MLP input and
  // MLP output matmuls (k 768 and 3072, a 0.6 and 2.4 MB) ran 5%, 13% and 4%
  // faster unblocked on Zen 3 (512 KiB L2), before their epilogues joined.
  const int64_t kc = choices.matmulKBlock ? choices.matmulKBlock : 256;
  const int64_t stripVectors = rowsFor(t, 4, 4) >= 3 ? 4 : 2;
  const bool deepStrip =
      choices.matmulKBlock > 0 || e[k] * stripVectors * t.lanes() * 4 > t.l2Bytes / 2;
  const bool blockK =
      !batched && kc > 0 && deepStrip && e[m] * e[k] * 4 > t.l2Bytes && e[k] % kc == 0 && e[k] > kc;
  // A strip of b two vectors wide that outgrows L1 is streamed from L2 by
  // every row tile: 4 vectors and at most 4 rows instead (ViT-B's 768-deep
  // q/k/v and projection matmuls 9% faster, its MLP input 5%, on Zen 5;
  // 1x1 convs, with the same strips, gained nothing).
  TemplateChoices tileChoices = choices;
  const int64_t stripBytes = (blockK ? kc : e[k]) * 2 * t.lanes() * 4;
  if (!choices.rows && !choices.vectors && stripBytes > t.l1Bytes && e[n] % (4 * t.lanes()) == 0 &&
      rowsFor(t, 4, 4) >= 3) {
    tileChoices.vectors = 4;
    tileChoices.rows = 4;
  }
  RegisterTile tile = registerTile(s, t, tileChoices, m, n, 1, rowBytes);
  const VectorTile &mt = tile.rows, &nt = tile.cols;
  // Rows the register tile leaves over are peeled off the m loop inside each
  // strip of b rather than split off up front, where threads share the
  // strips: as a kernel of their own they read all of b from memory again
  // (ViT-B's 197 tokens in 6-row tiles: 5 rows, 0.8 ms a layer on Zen 3).
  // Not where k is blocked (the rows are blocked too) nor where the threads
  // need the rows.
  const int64_t strips = (nt.splitAt ? nt.splitAt : e[n]) / nt.tile;
  if (mt.splitAt && !blockK && !batched && strips >= t.threads) {
    llvm::erase_if(s.splits, [&](const Schedule::Split &split) { return split.dim == m; });
    s.peel = {m};
  }
  s.kind = KernelKind::Matmul;
  s.registerTile.assign(e.size(), 1);
  s.registerTile[m] = mt.tile;
  s.registerTile[n] = nt.tile;
  s.registerTile[k] = 1;
  // n-blocks outermost: a k x n strip of b stays in cache while the rows of a
  // stream past it.
  s.interchange.assign(dims.batch.begin(), dims.batch.end());
  s.interchange.append({n, m, k});
  // Threads take whole batches where they share them evenly (or nearly: at
  // least 4 a thread): each then reads only its batches' operands, where
  // strips of n or m had every thread read all of one operand of every
  // batch. CCNet's criss-cross attention (112 batches of 32 x 112 x 112
  // and 112 x 112 x 4) ran 13.5 ms with threads on m, 10.6 ms on batches.
  s.parallelDims.clear();
  for (int64_t d : dims.batch)
    if (e[d] % t.threads == 0 || e[d] >= 4 * t.threads)
      s.parallelDims.push_back(d);
  s.parallelDims.append({n, m});
  for (int64_t d : dims.batch)
    if (!llvm::is_contained(s.parallelDims, d))
      s.parallelDims.push_back(d);
  s.vectorize = s.hoistAccumulators = true;
  s.unroll = tile.vectors;
  // Blocked: k in blocks whose kc x nr strip of b fits L1, m in blocks whose
  // mc x kc block of a fits L2, and each thread one wide slab of n. Blocking
  // leaves the epilogue a pass of its own (an a that fits L2 kept whole:
  // ViT-B -5%, ConvNeXt-T -4% on Zen 5).
  const int64_t l2Bytes = t.l2Bytes / 2;
  if (blockK) {
    const int64_t mainRows = mt.splitAt ? mt.splitAt : e[m];
    int64_t mc = mt.tile;
    for (int64_t g = mainRows / mt.tile; g >= 1; --g)
      if ((mainRows / mt.tile) % g == 0 && g * mt.tile * kc * 4 <= l2Bytes / 2) {
        mc = g * mt.tile;
        break;
      }
    s.cacheTile.assign(e.size(), 0);
    s.cacheTile[m] = mc;
    s.cacheTile[k] = kc;
    s.cacheInterchange = {k, m, n};
    s.parallelChunks = t.threads;
  }
  return s;
}

/// The loop an operand's innermost (contiguous) axis walks, if it is a plain loop.
std::optional<int64_t> innermostLoop(AffineMap map) {
  if (map.getNumResults() == 0)
    return std::nullopt;
  if (auto dim = dyn_cast<AffineDimExpr>(map.getResults().back()))
    return dim.getPosition();
  return std::nullopt;
}

int64_t elements(Value v) {
  auto type = dyn_cast<ShapedType>(v.getType());
  return type && type.hasStaticShape() ? type.getNumElements() : 0;
}

/// The most of a transposed operand's rows and of its columns a generic's
/// step transposes.
constexpr int64_t kTransposeRows = 8, kTransposeLanes = 32;

Schedule genericSchedule(Schedule s, linalg::LinalgOp op, const ScheduleTarget &t,
                         const TemplateChoices &choices) {
  ArrayRef<int64_t> e = s.loopExtents;
  const int64_t loops = e.size(), lanes = t.lanes();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  auto isReduction = [&](int64_t d) { return iterators[d] == utils::IteratorType::reduction; };

  // The vector dim: the output's innermost loop when an input also walks it
  // contiguously (elementwise, broadcasts, contractions like p * v); but the
  // reduced innermost loop of the biggest input when no input that big walks
  // the output's (row reductions, dot products, a variance reading its row
  // means too); else the output's (a transpose: its input's innermost loop
  // gets a vector tile too, below).
  std::optional<int64_t> vdim;
  std::optional<int64_t> out = innermostLoop(op.getMatchingIndexingMap(op.getDpsInitOperand(0)));
  std::optional<int64_t> reduced;
  int64_t biggestReduced = -1, biggestContiguous = -1;
  for (OpOperand *input : op.getDpsInputOperands()) {
    std::optional<int64_t> d = innermostLoop(op.getMatchingIndexingMap(input));
    if (!d)
      continue;
    if (d == out)
      biggestContiguous = std::max(biggestContiguous, elements(input->get()));
    if (isReduction(*d) && elements(input->get()) > biggestReduced) {
      reduced = d;
      biggestReduced = elements(input->get());
    }
  }
  vdim = out && (!reduced || biggestContiguous >= biggestReduced) ? out : reduced;
  if (!vdim)
    vdim = loops - 1;

  s.kind = llvm::any_of(llvm::seq<int64_t>(0, loops), isReduction) ? KernelKind::Reduction
                                                                   : KernelKind::Elementwise;
  // Operands read transposed: their innermost loops get a vector tile too,
  // so the step is a vector-sized 2-D transpose. (Not beside a whole-row
  // reduction: the rows of the result are separate reductions anyway.)
  SmallVector<int64_t> transposed;
  for (OpOperand &operand : op->getOpOperands()) {
    std::optional<int64_t> d = innermostLoop(op.getMatchingIndexingMap(&operand));
    if (!isReduction(*vdim) && d && *d != *vdim && !isReduction(*d) &&
        !llvm::is_contained(transposed, *d))
      transposed.push_back(*d);
  }
  s.registerTile.assign(loops, 1);
  VectorTile v{e[*vdim], 0};
  if (isReduction(*vdim)) {
    // A whole row a step (one multi-reduction), in chunks when very long.
    if (e[*vdim] > 1024)
      v = vectorTile(e[*vdim], lanes, 8);
  } else {
    // Operands transposed along two loops make the step a cube: 4 vectors
    // along this one gave CCNet's sum of a column and a row attention's
    // outputs 8 x 8 x 32 lanes a step, 256 vector registers' worth, which
    // LLVM took 10 s to compile into spills.
    // A fill (a padded buffer's border) too: its loops have constant trip
    // counts, and at 4 vectors a step LLVM unrolled SPPF's 2 x 24 x 128
    // borders of -inf whole, 3072 stores in one block that its schedulers
    // took 5 s over (quadratic in the stores); one vector a step keeps loops.
    // A transposing step at most kTransposeLanes along this dim (below).
    const int64_t vectors = choices.vectors                                    ? choices.vectors
                            : transposed.size() > 1 || isa<linalg::FillOp>(op) ? 1
                            : transposed.empty()
                                ? 4
                                : std::clamp<int64_t>(kTransposeLanes / lanes, 1, 4);
    v = vectorTile(e[*vdim], lanes, vectors);
  }
  addSplit(s, *vdim, v);
  s.registerTile[*vdim] = v.tile;
  s.unroll = std::max<int64_t>(1, v.tile / lanes);

  // A transposing step is at most kTransposeRows x kTransposeLanes, AVX2's
  // 8 x 32: AVX-512's lanes x 4 vectors (16 x 64) shuffled an NCHW -> NHWC
  // transpose of 147x147x64 in 0.37 ms, 8 x 32 steps in 0.13-0.15 (Zen 4).
  for (int64_t d : transposed) {
    VectorTile tt = vectorTile(e[d], std::min(lanes, kTransposeRows), 1);
    addSplit(s, d, tt);
    s.registerTile[d] = tt.tile;
  }

  for (int64_t d = 0; d < loops; ++d)
    if (!isReduction(d) && d != *vdim && e[d] > 1)
      s.parallelDims.push_back(d);
  if (!isReduction(*vdim))
    s.parallelDims.push_back(*vdim);
  s.vectorize = true;
  s.hoistAccumulators = s.kind == KernelKind::Reduction;
  return s;
}

/// Bytes between the elements the first input walking loop `dim` reads at
/// consecutive steps of it, from its indexing map and static shape, its
/// other loops fixed (a conv's input: stride x channels x 4); 0 if unknown.
int64_t rowBytes(linalg::LinalgOp op, int64_t dim) {
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    auto type = dyn_cast<RankedTensorType>(input->get().getType());
    if (!map.isFunctionOfDim(dim) || !type || !type.hasStaticShape() ||
        !type.getElementType().isIntOrFloat())
      continue;
    SmallVector<int64_t> at(map.getNumDims(), 0);
    SmallVector<int64_t> origin = map.compose(at);
    at[dim] = 1;
    SmallVector<int64_t> next = map.compose(at);
    int64_t stride = 1, elements = 0;
    for (int64_t r = map.getNumResults() - 1; r >= 0; --r) {
      elements += (next[r] - origin[r]) * stride;
      stride *= type.getDimSize(r);
    }
    return elements * type.getElementTypeBitWidth() / 8;
  }
  return 0;
}

/// Bytes of the first input (a window's map), 0 if its shape is not static.
int64_t firstInputBytes(linalg::LinalgOp op) {
  auto type = dyn_cast<RankedTensorType>(op.getDpsInputOperand(0)->get().getType());
  if (!type || !type.hasStaticShape() || !type.getElementType().isIntOrFloat())
    return 0;
  return type.getNumElements() * type.getElementTypeBitWidth() / 8;
}

/// Tiled for threads only, along the outermost parallel loops.
Schedule parallelOnlySchedule(Schedule s, linalg::LinalgOp op) {
  s.kind = KernelKind::ParallelOnly;
  s.registerTile.assign(s.loopExtents.size(), 0);
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (int64_t d = 0, e = s.loopExtents.size(); d < e; ++d)
    if (iterators[d] == utils::IteratorType::parallel && s.loopExtents[d] > 1) {
      s.parallelDims.push_back(d);
      s.registerTile[d] = 1;
    }
  return s;
}

/// The loops of a contraction that reads its rhs contiguously along n (the
/// layout pass gives transposed rhs operands a transposed copy): one m, one
/// n, one k, any batch loops, n the innermost axis of the rhs and the output.
std::optional<MatmulDims> matmulDims(linalg::LinalgOp op) {
  if (!linalg::isaContractionOpInterface(op) || op.getNumDpsInputs() != 2)
    return std::nullopt;
  FailureOr<linalg::ContractionDimensions> dims = linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 || dims->k.size() != 1)
    return std::nullopt;
  MatmulDims out{{}, dims->m[0], dims->n[0], dims->k[0]};
  for (unsigned b : dims->batch)
    out.batch.push_back(b);
  // The rhs is the input that walks n.
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    if (map.isFunctionOfDim(out.n) && innermostLoop(map) != out.n)
      return std::nullopt;
  }
  if (innermostLoop(op.getMatchingIndexingMap(op.getDpsInitOperand(0))) != out.n)
    return std::nullopt;
  return out;
}

} // namespace

static Schedule generate(linalg::LinalgOp op, const ScheduleTarget &target,
                         const TemplateChoices &choices);

bool gathers(Operation *op) {
  return op->walk([](tensor::ExtractOp) { return WalkResult::interrupt(); }).wasInterrupted();
}

/// Vector registers an epilogue holds beside the accumulators: the
/// coefficients and bounds of its exp / tanh / erf / log approximations
/// (14 for exp), when that leaves the tile half of the register file; else
/// they come from memory. 28 accumulators beside exp's constants spilled in
/// EfficientNet's SiLU convs (16 -> 96 channels on 112x112: 0.57 -> 0.52 ms
/// with 14).
static int64_t epilogueRegisters(linalg::LinalgOp epilogue, const ScheduleTarget &t) {
  constexpr int64_t kApproximationConstants = 14;
  bool transcendental = false;
  if (epilogue)
    epilogue->walk([&](Operation *op) {
      transcendental |=
          isa<math::ExpOp, math::ExpM1Op, math::TanhOp, math::ErfOp, math::LogOp, math::Log1pOp>(
              op);
    });
  return transcendental && 2 * kApproximationConstants <= t.vectorRegisters
             ? kApproximationConstants
             : 0;
}

Schedule generateSchedule(linalg::LinalgOp op, const ScheduleTarget &target,
                          linalg::LinalgOp epilogue, const TemplateChoices &choices) {
  ScheduleTarget tile = target;
  tile.vectorRegisters -= epilogueRegisters(epilogue, target);
  Schedule s = generate(op, tile, choices);
  // The renderer canonicalises the loops it peels, which erases a copy: the
  // tiles then wrote where the loop's own result was not, and bufferisation
  // copied each column strip (Swin-T's q/k/v matmuls, 3136 rows a strip, ran
  // 1.2x slower). A group whose epilogue only copies (a bias started the
  // accumulator and nothing follows) splits its rows off.
  if (!s.peel.empty() && epilogue && linalg::isaCopyOpInterface(epilogue)) {
    for (int64_t d : s.peel)
      s.splits.push_back({d, s.loopExtents[d] - s.loopExtents[d] % s.registerTile[d]});
    s.peel.clear();
  }
  return withoutSmallParallelLoops(withBalancedThreads(s, target.threads), op);
}

static Schedule generate(linalg::LinalgOp op, const ScheduleTarget &target,
                         const TemplateChoices &choices) {
  Schedule s;
  s.opName = op->getName().getStringRef().str();
  s.vectorWidth = target.lanes();
  if (op.hasDynamicShape() || !op.hasPureTensorSemantics())
    return s;
  s.loopExtents = op.getStaticLoopRanges();
  for (utils::IteratorType it : op.getIteratorTypesArray())
    s.reductionLoops.push_back(it == utils::IteratorType::reduction);
  bool f32 = llvm::all_of(op->getOperandTypes(), [](Type type) {
    auto shaped = dyn_cast<ShapedType>(type);
    return !shaped || shaped.getElementType().isF32();
  });
  if (!f32)
    return parallelOnlySchedule(s, op);
  // The register tile's rows are output columns (ow) of convs and windows.
  if (auto conv = dyn_cast<linalg::Conv2DNhwcHwcfOp>(op.getOperation())) {
    auto ones = [](DenseIntElementsAttr a) {
      return llvm::all_of(a.getValues<int64_t>(), [](int64_t v) { return v == 1; });
    };
    return convSchedule(s, target, choices, rowBytes(op, 2),
                        ones(conv.getStrides()) && ones(conv.getDilations()));
  }
  if (isa<linalg::DepthwiseConv2DNhwcHwcOp>(op))
    return windowSchedule(s, target, choices, KernelKind::Depthwise, rowBytes(op, 2),
                          firstInputBytes(op));
  if (isa<linalg::PoolingNhwcMaxOp, linalg::PoolingNhwcSumOp>(op))
    return windowSchedule(s, target, choices, KernelKind::Pooling, rowBytes(op, 2),
                          firstInputBytes(op));
  if (std::optional<MatmulDims> dims = matmulDims(op))
    return matmulSchedule(s, target, choices, *dims, rowBytes(op, dims->m));
  // Other convolutions (grouped ones: window maps the vectoriser does not
  // take) run as scalar loops, split over threads.
  if (linalg::isaConvolutionOpInterface(op) || op.getNumLoops() == 0)
    return parallelOnlySchedule(s, op);
  bool plainMaps = llvm::all_of(op.getIndexingMapsArray(),
                                [](AffineMap m) { return m.isProjectedPermutation(); });
  // Maps with strides or offsets (strided or reversed slices): tiling
  // computes wrong slice sizes for negative steps, and these are cheap data
  // movement; they stay whole loops.
  if (!plainMaps)
    return s;
  if (gathers(op))
    return parallelOnlySchedule(s, op);
  return genericSchedule(s, op, target, choices);
}

} // namespace acnn
