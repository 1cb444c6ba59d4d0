// acnn-concat-in-producers: a concat's inputs are written into their places in
// its result by the kernels that produce them, instead of being copied there
// after they are written.
//
//   c = tensor.concat a, b
// becomes
//   d = new buffer ; a = generic(...) outs(d's slice for a) ;
//   d = tensor.insert_slice a into d ; b' = linalg.copy b into d's slice ...
// which bufferises to one buffer that the element-wise producers write into.
// An input that no element-wise kernel of its own produces (another kernel's
// slice, an input read by other ops too) gets a linalg.copy, which is
// scheduled and vectorised like any kernel: a concat along the channels of
// NHWC tensors otherwise became strided scalar copy loops (ShuffleNet's
// stride-1 blocks: 0.12 ms for 90 K floats).
#include "compiler/codegen/Passes.h"
#include "compiler/codegen/RelocatableWriter.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/DenseSet.h"

namespace acnn {

#define GEN_PASS_DEF_CONCATINPRODUCERS
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

/// An element-wise kernel (or transpose) beside `concat` that only it reads,
/// which may write its result wherever it is told.
linalg::LinalgOp ownProducer(Value input, tensor::ConcatOp concat) {
  linalg::LinalgOp producer = relocatableWriter(input);
  if (!producer || producer->getBlock() != concat->getBlock() || !input.hasOneUse())
    return nullptr;
  return producer;
}

/// An input of a concat, at its offset along the concat's axis, and its
/// writer: its own producer, or a copy made at the concat.
struct Part {
  Value input;
  int64_t offset;
  linalg::LinalgOp producer;
  Operation *writer; // the producer, or the concat where the copy goes
};

bool staticShapes(tensor::ConcatOp concat) {
  return concat.getResultType().hasStaticShape() &&
         llvm::all_of(concat.getInputs(), [](Value input) {
           return cast<RankedTensorType>(input.getType()).hasStaticShape();
         });
}

/// The parts of `concat` from input `first` on, in their writers' program
/// order.
SmallVector<Part> partsOf(tensor::ConcatOp concat, unsigned first) {
  SmallVector<Part> parts;
  int64_t offset = 0;
  for (auto [i, input] : llvm::enumerate(concat.getInputs())) {
    linalg::LinalgOp producer = i < first ? nullptr : ownProducer(input, concat);
    if (i >= first)
      parts.push_back({input, offset, producer, producer ? producer.getOperation() : concat});
    offset += cast<RankedTensorType>(input.getType()).getDimSize(concat.getDim());
  }
  // The buffer is threaded through its writers in program order (each
  // writes into a slice of the buffer as the writer before left it), so
  // that bufferisation writes them all in place: a slice of the buffer
  // as it was before an earlier write would need a copy of the buffer.
  llvm::stable_sort(parts, [](const Part &a, const Part &b) {
    return a.writer != b.writer && a.writer->isBeforeInBlock(b.writer);
  });
  return parts;
}

/// Writes `parts` of `concat` into their slices of `buffer` (a tensor whose
/// leading slices along the axis are `concat`'s shape; null: a new one of
/// `concat`'s type, made before the first writer) and returns the buffer
/// as the last writer leaves it.
Value writeParts(RewriterBase &rewriter, tensor::ConcatOp concat, ArrayRef<Part> parts,
                 Value buffer) {
  Location loc = concat.getLoc();
  const int64_t rank = concat.getResultType().getRank(), axis = concat.getDim();
  // An alloc_tensor, not an empty tensor, so that CSE does not merge two
  // concats' buffers.
  if (!buffer) {
    rewriter.setInsertionPoint(parts.front().writer);
    buffer =
        bufferization::AllocTensorOp::create(rewriter, loc, concat.getResultType(), ValueRange{});
  }
  SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0)),
      strides(rank, rewriter.getIndexAttr(1));
  for (const Part &part : parts) {
    auto inputType = cast<RankedTensorType>(part.input.getType());
    SmallVector<OpFoldResult> sizes =
        getAsIndexOpFoldResult(rewriter.getContext(), inputType.getShape());
    offsets[axis] = rewriter.getIndexAttr(part.offset);
    rewriter.setInsertionPoint(part.writer);
    Value place =
        tensor::ExtractSliceOp::create(rewriter, loc, inputType, buffer, offsets, sizes, strides);
    Value written = part.input;
    if (linalg::LinalgOp producer = part.producer) {
      rewriter.modifyOpInPlace(producer, [&] { producer.getDpsInitsMutable()[0].assign(place); });
      rewriter.setInsertionPointAfter(producer);
    } else {
      written = linalg::CopyOp::create(rewriter, loc, part.input, place).getResult(0);
    }
    buffer = tensor::InsertSliceOp::create(rewriter, loc, written, buffer, offsets, sizes, strides);
  }
  return buffer;
}

struct ConcatInProducers : OpRewritePattern<tensor::ConcatOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::ConcatOp concat, PatternRewriter &rewriter) const override {
    if (!staticShapes(concat))
      return failure();
    rewriter.replaceOp(concat, writeParts(rewriter, concat, partsOf(concat, 0), Value()));
    return success();
  }
};

/// DenseNet concatenates, at each layer, every feature map before it: L
/// concats of up to L inputs, one copy loop nest an input, so code that grows
/// as L^2 (DenseNet-169: 2 MB of straight-line copies in @main and over three
/// minutes of LLVM scheduling them). A concat whose leading inputs are an
/// earlier concat's takes that concat's result in their place, so that it
/// copies it as one input. The bytes copied stay the same.
void reuseLeadingConcats(func::FuncOp function) {
  struct Earlier {
    SmallVector<Value> inputs; // as the model wrote them
    Value result;
    int64_t dim;
    Block *block;
  };
  SmallVector<Earlier> earlier;
  SmallVector<tensor::ConcatOp> concats;
  function.walk([&](tensor::ConcatOp concat) { concats.push_back(concat); });
  for (tensor::ConcatOp concat : concats) {
    SmallVector<Value> inputs(concat.getInputs());
    const auto dim = static_cast<int64_t>(concat.getDim());
    const Earlier *longest = nullptr;
    for (const Earlier &e : earlier)
      if (e.dim == dim && e.inputs.size() >= 2 && e.inputs.size() < inputs.size() &&
          llvm::equal(e.inputs, ArrayRef<Value>(inputs).take_front(e.inputs.size())) &&
          e.block == concat->getBlock() && (!longest || e.inputs.size() > longest->inputs.size()))
        longest = &e;
    Value result = concat.getResult();
    Block *block = concat->getBlock();
    if (longest) {
      SmallVector<Value> shorter = {longest->result};
      llvm::append_range(shorter, ArrayRef<Value>(inputs).drop_front(longest->inputs.size()));
      OpBuilder b(concat);
      result = tensor::ConcatOp::create(b, concat.getLoc(), dim, shorter).getResult();
      concat.replaceAllUsesWith(result);
      concat.erase();
    }
    earlier.push_back({std::move(inputs), result, dim, block});
  }
}

/// After reuseLeadingConcats, DenseNet's concats form chains, each the one
/// before and the new layer's features: c2 = concat(c1, f1), c3 = concat(c2,
/// f2), ... Each would still copy the one before, so a block of L layers
/// copies L^2 / 2 feature maps (DenseNet-121: a tenth of its run; one buffer a
/// chain makes it 5% faster). A chain becomes one buffer of its last concat's
/// shape into which each concat writes only its new inputs; a concat is a
/// view of the buffer's leading slices. A link is made only where every other
/// reader of the earlier concat comes before the later one's first write, so
/// that bufferisation writes in place.
void growChains(func::FuncOp function) {
  llvm::DenseMap<Operation *, tensor::ConcatOp> next;
  llvm::DenseSet<Operation *> linked;
  function.walk([&](tensor::ConcatOp concat) {
    auto prev = concat.getInputs().front().getDefiningOp<tensor::ConcatOp>();
    if (!prev || concat.getInputs().size() < 2 || prev.getDim() != concat.getDim() ||
        prev->getBlock() != concat->getBlock() || !staticShapes(prev) || !staticShapes(concat))
      return;
    Operation *firstWrite = partsOf(concat, 1).front().writer;
    for (OpOperand &use : prev.getResult().getUses()) {
      if (use.getOwner() == concat && use.getOperandNumber() == 0)
        continue;
      Operation *reader = prev->getBlock()->findAncestorOpInBlock(*use.getOwner());
      if (isa<tensor::ConcatOp>(use.getOwner()) || !reader || !reader->isBeforeInBlock(firstWrite))
        return;
    }
    if (!prev->isBeforeInBlock(firstWrite))
      return;
    next[prev] = concat;
    linked.insert(concat);
  });
  IRRewriter rewriter(function.getContext());
  SmallVector<tensor::ConcatOp> heads;
  function.walk([&](tensor::ConcatOp concat) {
    if (next.count(concat) && !linked.contains(concat))
      heads.push_back(concat);
  });
  for (tensor::ConcatOp head : heads) {
    SmallVector<tensor::ConcatOp> chain = {head};
    while (next.count(chain.back()))
      chain.push_back(next.lookup(chain.back()));
    rewriter.setInsertionPoint(partsOf(head, 0).front().writer);
    Value buffer = bufferization::AllocTensorOp::create(rewriter, head.getLoc(),
                                                        chain.back().getResultType(), ValueRange{});
    for (auto [i, concat] : llvm::enumerate(chain)) {
      buffer = writeParts(rewriter, concat, partsOf(concat, i == 0 ? 0 : 1), buffer);
      Value view = buffer;
      if (concat != chain.back()) {
        RankedTensorType type = concat.getResultType();
        rewriter.setInsertionPointAfterValue(buffer);
        SmallVector<OpFoldResult> zeros(type.getRank(), rewriter.getIndexAttr(0)),
            ones(type.getRank(), rewriter.getIndexAttr(1));
        view = tensor::ExtractSliceOp::create(
            rewriter, concat.getLoc(), type, buffer, zeros,
            getAsIndexOpFoldResult(rewriter.getContext(), type.getShape()), ones);
      }
      rewriter.replaceAllUsesWith(concat.getResult(), view);
    }
    for (tensor::ConcatOp concat : llvm::reverse(chain))
      rewriter.eraseOp(concat);
  }
}

struct ConcatInProducersPass : impl::ConcatInProducersBase<ConcatInProducersPass> {
  void runOnOperation() override {
    reuseLeadingConcats(getOperation());
    growChains(getOperation());
    RewritePatternSet patterns(&getContext());
    patterns.add<ConcatInProducers>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace acnn
