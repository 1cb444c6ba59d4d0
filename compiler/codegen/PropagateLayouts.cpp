// acnn-propagate-layouts: choose the layout of every element-wise kernel from
// its neighbours, so the transposes acnn-kernel-layouts puts around each
// NHWC convolution cancel along a conv chain instead of costing two passes
// over every feature map.
//  - A generic reading a transposed tensor reads the tensor itself through a
//    permuted indexing map (no transpose is materialised).
//  - An element-wise generic whose result is transposed for an op that needs
//    the materialised layout (a convolution, a named op, the return) writes
//    that layout directly; its other readers, generics, read it permuted.
//    Its loops are then reordered so the result is written contiguously.
//  - An element-wise generic reading a tensor through a permuted map, whose
//    readers are all generics, writes that tensor's layout.
//  - Transposes of a pad move above it, to its input; a concat whose readers
//    all want another layout (transposes, generics reading it permuted) is
//    made in that layout from transposed inputs.
// Contractions keep the operand layouts acnn-kernel-layouts chose.
// With both, conv -> epilogue/SE/residual generics -> conv runs NHWC end to
// end; transposes remain only at the edges (the NCHW model input and
// output, and ops the schedules take in NCHW only).
#include "compiler/codegen/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace acnn {

#define GEN_PASS_DEF_PROPAGATELAYOUTS
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

/// `map` (loops -> axes of transpose(x, perm)) as a map to the axes of x:
/// the transpose's axis k is x's axis perm[k].
AffineMap throughTranspose(AffineMap map, ArrayRef<int64_t> perm) {
  SmallVector<AffineExpr> results(map.getNumResults());
  for (auto [k, p] : llvm::enumerate(perm))
    results[p] = map.getResult(k);
  return AffineMap::get(map.getNumDims(), 0, results, map.getContext());
}

struct ReadThroughTranspose : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op, PatternRewriter &rewriter) const override {
    // A contraction's schedule wants its operands laid out as
    // acnn-kernel-layouts made them.
    if (!op.hasPureTensorSemantics() || linalg::isaContractionOpInterface(op))
      return failure();
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    bool changed = false;
    for (OpOperand *input : op.getDpsInputOperands()) {
      auto transpose = input->get().getDefiningOp<linalg::TransposeOp>();
      // A copy made outside a loop is cheaper than a strided read every
      // iteration.
      if (!transpose || transpose->getBlock() != op->getBlock())
        continue;
      unsigned i = input->getOperandNumber();
      maps[i] = throughTranspose(maps[i], transpose.getPermutation());
      rewriter.modifyOpInPlace(op, [&] { input->set(transpose.getInput()); });
      changed = true;
    }
    if (!changed)
      return failure();
    rewriter.modifyOpInPlace(
        op, [&] { op.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps)); });
    return success();
  }
};

bool allParallel(linalg::GenericOp op) {
  return llvm::all_of(op.getIteratorTypesArray(), [](utils::IteratorType it) {
    return it == utils::IteratorType::parallel;
  });
}

/// `values` in the order `perm` takes them.
template <typename T> SmallVector<T> permuted(ArrayRef<T> values, ArrayRef<int64_t> perm) {
  SmallVector<T> out;
  for (int64_t p : perm)
    out.push_back(values[p]);
  return out;
}

/// `producer` (element-wise, its result written through a permutation of its
/// loops) rewritten to write transpose(result, perm), its loops reordered so
/// the new layout is written contiguously. The producer itself is left for
/// the caller.
Value writePermuted(PatternRewriter &rewriter, linalg::GenericOp producer,
                    ArrayRef<int64_t> perm) {
  AffineMap outMap = producer.getMatchingIndexingMap(producer.getDpsInitOperand(0));
  SmallVector<AffineExpr> results = permuted(outMap.getResults(), perm);
  SmallVector<AffineMap> maps = producer.getIndexingMapsArray();
  maps.back() = AffineMap::get(outMap.getNumDims(), 0, results, producer.getContext());

  // At the producer: its other readers may come before the transpose.
  rewriter.setInsertionPoint(producer);
  Location loc = producer.getLoc();
  auto oldType = cast<RankedTensorType>(producer.getResult(0).getType());
  SmallVector<int64_t> shape = permuted(oldType.getShape(), perm);
  auto type = RankedTensorType::get(shape, oldType.getElementType());
  Value empty = tensor::EmptyOp::create(rewriter, loc, shape, type.getElementType());
  auto written = linalg::GenericOp::create(rewriter, loc, TypeRange{type},
                                           producer.getDpsInputs(), ValueRange{empty}, maps,
                                           producer.getIteratorTypesArray());
  rewriter.inlineRegionBefore(producer.getRegion(), written.getRegion(),
                              written.getRegion().begin());
  // Loops in the order of the written layout: its innermost axis innermost.
  // `order` is a permutation of the loops (the output map is one), which
  // is all the interchange requires.
  SmallVector<unsigned> order;
  for (AffineExpr e : results)
    order.push_back(cast<AffineDimExpr>(e).getPosition());
  return (*linalg::interchangeGenericOp(rewriter, written, order)).getResult(0);
}

/// linalg.transpose of `v` (result axis k is v's axis perm[k]).
Value transposed(PatternRewriter &rewriter, Location loc, Value v, ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape = permuted(type.getShape(), perm);
  Value empty = tensor::EmptyOp::create(rewriter, loc, shape, type.getElementType());
  return linalg::TransposeOp::create(rewriter, loc, v, empty, perm).getResult()[0];
}

/// `v` (written by writePermuted with `perm`) transposed back to the layout
/// the producer wrote.
Value transposeBack(PatternRewriter &rewriter, Location loc, Value v, ArrayRef<int64_t> perm) {
  SmallVector<int64_t> inverse(perm.size());
  for (auto [k, p] : llvm::enumerate(perm))
    inverse[p] = k;
  return transposed(rewriter, loc, v, inverse);
}

/// An element-wise generic with one result, written through a permutation
/// of its loops, that does not read its own output.
bool rewritableProducer(linalg::GenericOp op) {
  if (!op || !op.hasPureTensorSemantics() || op.getNumResults() != 1 || !allParallel(op))
    return false;
  OpOperand *init = op.getDpsInitOperand(0);
  return op.getMatchingIndexingMap(init).isPermutation() && !op.payloadUsesValueFromOperand(init);
}

/// `user` is a transpose by `perm`.
bool transposesBy(Operation *user, ArrayRef<int64_t> perm) {
  auto t = dyn_cast<linalg::TransposeOp>(user);
  return t && t.getPermutation() == perm;
}

bool readsThroughTransposes(Operation *user) {
  auto generic = dyn_cast<linalg::GenericOp>(user);
  return generic && !linalg::isaContractionOpInterface(generic);
}

struct WriteTransposedLayout : OpRewritePattern<linalg::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::TransposeOp transpose,
                                PatternRewriter &rewriter) const override {
    auto producer = transpose.getInput().getDefiningOp<linalg::GenericOp>();
    if (!rewritableProducer(producer))
      return failure();
    // Transposes that only generics read fold into them instead; the
    // producer's other readers must read a permuted map as cheaply.
    auto isGeneric = [](Operation *user) { return isa<linalg::GenericOp>(user); };
    if (llvm::all_of(transpose->getUsers(), isGeneric))
      return failure();
    for (Operation *user : producer->getUsers())
      if (user != transpose && !isa<linalg::GenericOp, linalg::TransposeOp>(user))
        return failure();

    ArrayRef<int64_t> perm = transpose.getPermutation();
    Value result = writePermuted(rewriter, producer, perm);
    rewriter.replaceOp(transpose, result);
    if (!producer->use_empty())
      rewriter.replaceAllUsesWith(
          producer.getResult(0),
          transposeBack(rewriter, producer.getLoc(), result, perm));
    rewriter.eraseOp(producer);
    return success();
  }
};

/// An element-wise generic that reads a tensor through a permuted map (an
/// NHWC conv's result, in an NCHW model) and whose readers are all generics
/// writes that tensor's layout too, so the layout flows on: a depthwise
/// conv's activation, the squeeze-excite pooling and scaling after it all
/// read and write NHWC (reading NHWC and writing NCHW, then reading NCHW
/// and writing NHWC for the next conv, made each a strided pass).
struct WriteInputLayout : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op, PatternRewriter &rewriter) const override {
    if (!rewritableProducer(op) || op->use_empty() ||
        !llvm::all_of(op->getUsers(), readsThroughTransposes))
      return failure();
    // The layout of the first of the biggest inputs (the first, so that the
    // rewritten op, which writes it, matches no other).
    AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
    AffineMap layout;
    int64_t biggest = 0;
    for (OpOperand *input : op.getDpsInputOperands()) {
      AffineMap map = op.getMatchingIndexingMap(input);
      auto type = dyn_cast<RankedTensorType>(input->get().getType());
      if (type && type.hasStaticShape() && map.isPermutation() &&
          type.getNumElements() > biggest) {
        layout = map;
        biggest = type.getNumElements();
      }
    }
    if (!layout || layout == outMap)
      return failure();
    // Output axis k is loop outMap[k]; the input's axis k is loop layout[k].
    SmallVector<int64_t> perm;
    for (AffineExpr e : layout.getResults())
      perm.push_back(*outMap.getResultPosition(e));
    Value result = writePermuted(rewriter, op, perm);
    rewriter.replaceOp(op, transposeBack(rewriter, op.getLoc(), result, perm));
    return success();
  }
};

/// transpose(pad(x)) -> pad(transpose(x)) for a constant pad: the transpose
/// moves up to the producer, where the patterns above cancel it. A pad that
/// several convs read (MobileOne's parallel 3x3 branches share one) moves
/// when all its readers transpose it alike.
struct TransposeBeforePad : OpRewritePattern<linalg::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::TransposeOp transpose,
                                PatternRewriter &rewriter) const override {
    auto pad = transpose.getInput().getDefiningOp<tensor::PadOp>();
    Value padValue = pad ? pad.getConstantPaddingValue() : Value();
    if (!padValue || !pad.getLow().empty() || !pad.getHigh().empty())
      return failure();
    ArrayRef<int64_t> perm = transpose.getPermutation();
    if (!llvm::all_of(pad->getUsers(), [&](Operation *user) { return transposesBy(user, perm); }))
      return failure();
    SmallVector<int64_t> low = permuted(pad.getStaticLow(), perm),
                         high = permuted(pad.getStaticHigh(), perm);
    // Before the first of the readers.
    rewriter.setInsertionPointAfter(pad);
    Value moved = transposed(rewriter, transpose.getLoc(), pad.getSource(), perm);
    Value padded =
        tensor::PadOp::create(rewriter, transpose.getLoc(), transpose.getResult()[0].getType(),
                              moved, getAsIndexOpFoldResult(getContext(), low),
                              getAsIndexOpFoldResult(getContext(), high), padValue);
    for (Operation *user : llvm::to_vector(pad->getUsers()))
      rewriter.replaceOp(user, padded);
    return success();
  }
};

/// A concat all of whose readers want it in one other layout is made in that
/// layout: concat(x, y, ...) -> concat(transpose(x), transpose(y), ...), the
/// transposes moving up to the branches, where the patterns above cancel
/// them. Readers that want it so: transposes by one permutation (inception
/// and fire modules: NHWC branch convs concatenated for NHWC convs and
/// pools), and generics reading it through that permutation (DenseNet: every
/// layer concatenates the NHWC outputs of the earlier ones for its batch
/// norm and relu); these then read the new concat through their loops'
/// order. With a generic reader, at least one input must cancel (else the
/// strided read only moves into the new transposes).
struct ConcatInReadersLayout : OpRewritePattern<tensor::ConcatOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::ConcatOp concat,
                                PatternRewriter &rewriter) const override {
    std::optional<SmallVector<int64_t>> perm;
    bool genericReader = false;
    for (OpOperand &use : concat->getUses()) {
      SmallVector<int64_t> wanted;
      if (auto transpose = dyn_cast<linalg::TransposeOp>(use.getOwner())) {
        wanted.assign(transpose.getPermutation().begin(), transpose.getPermutation().end());
      } else {
        auto generic = dyn_cast<linalg::GenericOp>(use.getOwner());
        if (!generic || !generic.hasPureTensorSemantics() ||
            linalg::isaContractionOpInterface(generic) || generic.isDpsInit(&use))
          return failure();
        AffineMap map = generic.getMatchingIndexingMap(&use);
        if (!map.isPermutation())
          return failure();
        // The layout whose axis k loop k walks: the concat's axis wanted[k].
        wanted.resize(map.getNumResults());
        for (auto [axis, expr] : llvm::enumerate(map.getResults()))
          wanted[cast<AffineDimExpr>(expr).getPosition()] = axis;
        genericReader = true;
      }
      if (perm && *perm != wanted)
        return failure();
      perm = wanted;
    }
    if (!perm || llvm::equal(*perm, llvm::seq<int64_t>(0, perm->size())))
      return failure();
    // An input that transposes back what a producer wrote in this layout.
    auto cancels = [&](Value input) {
      auto transpose = input.getDefiningOp<linalg::TransposeOp>();
      if (!transpose)
        return false;
      ArrayRef<int64_t> back = transpose.getPermutation();
      for (auto [k, p] : llvm::enumerate(*perm))
        if (back[p] != static_cast<int64_t>(k))
          return false;
      return true;
    };
    if (genericReader && llvm::none_of(concat.getInputs(), cancels))
      return failure();
    // The moved concat's axis k is the concat's axis perm[k].
    int64_t axis = llvm::find(*perm, static_cast<int64_t>(concat.getDim())) - perm->begin();
    rewriter.setInsertionPoint(concat);
    SmallVector<Value> inputs;
    for (Value input : concat.getInputs())
      inputs.push_back(transposed(rewriter, concat.getLoc(), input, *perm));
    Value moved = tensor::ConcatOp::create(rewriter, concat.getLoc(), axis, inputs);
    for (OpOperand *use : llvm::to_vector(llvm::make_pointer_range(concat->getUses()))) {
      Operation *user = use->getOwner();
      if (isa<linalg::TransposeOp>(user)) {
        rewriter.replaceOp(user, moved);
        continue;
      }
      auto generic = cast<linalg::GenericOp>(user);
      SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
      AffineMap map = maps[use->getOperandNumber()];
      SmallVector<AffineExpr> results = permuted(map.getResults(), *perm);
      maps[use->getOperandNumber()] =
          AffineMap::get(map.getNumDims(), 0, results, map.getContext());
      rewriter.modifyOpInPlace(generic, [&] {
        use->set(moved);
        generic.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
      });
    }
    return success();
  }
};

/// transpose(v, perm), shared by every reader of `v` that wants it: the one
/// already made, moved up to just after `v`'s definition (where a new one is
/// made), so it dominates them all.
Value sharedTranspose(PatternRewriter &rewriter, Value v, ArrayRef<int64_t> perm) {
  Operation *def = v.getDefiningOp();
  Block *block = def ? def->getBlock() : cast<BlockArgument>(v).getOwner();
  auto placeAfterDef = [&](Operation *op) {
    if (def)
      rewriter.moveOpAfter(op, def);
    else
      rewriter.moveOpBefore(op, block, block->begin());
  };
  for (Operation *user : v.getUsers()) {
    auto t = dyn_cast<linalg::TransposeOp>(user);
    auto init = t ? t.getInit().getDefiningOp<tensor::EmptyOp>() : tensor::EmptyOp();
    if (!t || t.getInput() != v || t.getPermutation() != perm || t->getBlock() != block || !init ||
        !init->hasOneUse())
      continue;
    rewriter.modifyOpInPlace(t, [&] { placeAfterDef(t); });
    rewriter.moveOpBefore(init, t);
    return t.getResult()[0];
  }
  if (def)
    rewriter.setInsertionPointAfter(def);
  else
    rewriter.setInsertionPointToStart(block);
  return transposed(rewriter, v.getLoc(), v, perm);
}

/// transpose(extract_slice(x)) -> extract_slice(transpose(x)), when every
/// reader of x wants it transposed that way (through its slices or
/// directly), or is a generic, which reads either layout: one transpose of x
/// replaces theirs, and moves on up to x's producer. ShuffleNet's two halves
/// of a shuffled tensor (one for the branch conv, one for the next concat)
/// take this way to the shuffle; so does DeepLabV3's last residual block,
/// read by the atrous convs' pieces (slices), a 1x1 conv and the image pool
/// (a generic), which otherwise wrote it NCHW and transposed it back twice.
struct TransposeBeforeSlices : OpRewritePattern<linalg::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::TransposeOp transpose,
                                PatternRewriter &rewriter) const override {
    auto slice = transpose.getInput().getDefiningOp<tensor::ExtractSliceOp>();
    if (!slice || slice.getSourceType().getRank() != slice.getResultType().getRank())
      return failure();
    ArrayRef<int64_t> perm = transpose.getPermutation();
    Value x = slice.getSource();
    auto wantsPerm = [&](Operation *user) { return transposesBy(user, perm); };
    SmallVector<tensor::ExtractSliceOp> slices;
    for (Operation *user : x.getUsers()) {
      auto s = dyn_cast<tensor::ExtractSliceOp>(user);
      if (s && s.getSource() == x && s.getSourceType().getRank() == s.getResultType().getRank() &&
          !s->use_empty() && llvm::all_of(s->getUsers(), wantsPerm))
        slices.push_back(s);
      else if (!wantsPerm(user) && !readsThroughTransposes(user))
        return failure();
    }
    Value moved = sharedTranspose(rewriter, x, perm);
    for (tensor::ExtractSliceOp s : slices) {
      rewriter.setInsertionPoint(s);
      auto sliced = tensor::ExtractSliceOp::create(
          rewriter, s.getLoc(), moved, permuted<OpFoldResult>(s.getMixedOffsets(), perm),
          permuted<OpFoldResult>(s.getMixedSizes(), perm),
          permuted<OpFoldResult>(s.getMixedStrides(), perm));
      for (Operation *user : llvm::to_vector(s->getUsers()))
        rewriter.replaceOp(user, sliced.getResult());
    }
    return success();
  }
};

/// transpose(collapse_shape(y)) -> collapse_shape(transpose(y)) for a
/// permutation of whole collapsed groups (an NCHW -> NHWC transpose of
/// channels collapsed from [groups, channels]).
struct TransposeBeforeCollapse : OpRewritePattern<linalg::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::TransposeOp transpose,
                                PatternRewriter &rewriter) const override {
    auto collapse = transpose.getInput().getDefiningOp<tensor::CollapseShapeOp>();
    if (!collapse)
      return failure();
    SmallVector<ReassociationIndices> groups = collapse.getReassociationIndices();
    SmallVector<int64_t> inner;
    SmallVector<ReassociationIndices> regrouped;
    for (int64_t p : transpose.getPermutation()) {
      ReassociationIndices group;
      for (int64_t d : groups[p]) {
        group.push_back(inner.size());
        inner.push_back(d);
      }
      regrouped.push_back(group);
    }
    Value moved = sharedTranspose(rewriter, collapse.getSrc(), inner);
    rewriter.setInsertionPoint(transpose);
    rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(
        transpose, transpose.getResult()[0].getType(), moved, regrouped);
    return success();
  }
};

/// transpose(expand_shape(concat), perm) -> transpose(expand_shape(
/// transpose(concat, q)), r): q orders the concat's axes as perm orders
/// their first expanded axes, r is what perm leaves to do within that
/// order. q then moves into the concat's branches, where it cancels; r is
/// the cheaper rest. A channel shuffle of NHWC branches (concat, reshape to
/// [2, C], swap, reshape) so becomes an interleave of two channel vectors
/// per pixel instead of two NCHW <-> NHWC transposes and a strided shuffle.
/// A transposed source takes q the same way, the two transposes composing
/// into one: PVT's and SegFormer's MLPs turn tokens [1, HW, C] into an image
/// for a depthwise conv as transpose, reshape to NCHW, transpose to NHWC,
/// which is a reshape of the tokens.
struct TransposeBeforeExpand : OpRewritePattern<linalg::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::TransposeOp transpose,
                                PatternRewriter &rewriter) const override {
    auto expand = transpose.getInput().getDefiningOp<tensor::ExpandShapeOp>();
    if (!expand ||
        !isa_and_present<tensor::ConcatOp, linalg::TransposeOp>(expand.getSrc().getDefiningOp()) ||
        !expand.getResultType().hasStaticShape())
      return failure();
    ArrayRef<int64_t> perm = transpose.getPermutation();
    // Its readers (the shuffled tensor's several readers, each transposing
    // it the same way) all take the new form.
    if (!llvm::all_of(expand->getUsers(),
                      [&](Operation *user) { return transposesBy(user, perm); }))
      return failure();
    SmallVector<ReassociationIndices> groups = expand.getReassociationIndices();
    SmallVector<int64_t> position(perm.size());
    for (auto [k, p] : llvm::enumerate(perm))
      position[p] = k;
    SmallVector<int64_t> q = llvm::to_vector(llvm::seq<int64_t>(0, groups.size()));
    auto first = [&](int64_t g) {
      return llvm::min_element(groups[g],
                               [&](int64_t a, int64_t b) { return position[a] < position[b]; });
    };
    llvm::stable_sort(
        q, [&](int64_t a, int64_t b) { return position[*first(a)] < position[*first(b)]; });
    if (llvm::equal(q, llvm::seq<int64_t>(0, q.size())))
      return failure();
    // The expanded axes in q's order, and the expand of the moved concat.
    SmallVector<int64_t> order, shape;
    SmallVector<ReassociationIndices> regrouped;
    for (int64_t g : q) {
      ReassociationIndices group;
      for (int64_t d : groups[g]) {
        group.push_back(order.size());
        order.push_back(d);
        shape.push_back(expand.getResultType().getDimSize(d));
      }
      regrouped.push_back(group);
    }
    SmallVector<int64_t> rest;
    for (int64_t p : perm)
      rest.push_back(llvm::find(order, p) - order.begin());
    Value moved = sharedTranspose(rewriter, expand.getSrc(), q);
    auto type = RankedTensorType::get(shape, expand.getResultType().getElementType());
    Value result = tensor::ExpandShapeOp::create(rewriter, expand.getLoc(), type, moved, regrouped);
    if (!llvm::equal(rest, llvm::seq<int64_t>(0, rest.size())))
      result = transposed(rewriter, transpose.getLoc(), result, rest);
    for (Operation *user : llvm::to_vector(expand->getUsers()))
      rewriter.replaceOp(user, result);
    return success();
  }
};

struct PropagateLayouts : impl::PropagateLayoutsBase<PropagateLayouts> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    patterns.add<ReadThroughTranspose>(ctx, /*benefit=*/2);
    patterns.add<WriteTransposedLayout, WriteInputLayout, TransposeBeforePad, ConcatInReadersLayout,
                 TransposeBeforeSlices, TransposeBeforeCollapse, TransposeBeforeExpand>(ctx);
    linalg::TransposeOp::getCanonicalizationPatterns(patterns, ctx);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace acnn
