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

struct ConcatInProducers : OpRewritePattern<tensor::ConcatOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::ConcatOp concat, PatternRewriter &rewriter) const override {
    RankedTensorType type = concat.getResultType();
    if (!type.hasStaticShape())
      return failure();
    for (Value input : concat.getInputs())
      if (!cast<RankedTensorType>(input.getType()).hasStaticShape())
        return failure();
    Location loc = concat.getLoc();
    const int64_t rank = type.getRank(), axis = concat.getDim();
    // Each input's offset along the axis, and its writer: its own producer,
    // or a copy made at the concat.
    struct Part {
      Value input;
      int64_t offset;
      linalg::LinalgOp producer;
      Operation *writer; // the producer, or the concat where the copy goes
    };
    SmallVector<Part> parts;
    int64_t offset = 0;
    for (Value input : concat.getInputs()) {
      linalg::LinalgOp producer = ownProducer(input, concat);
      parts.push_back({input, offset, producer, producer ? producer.getOperation() : concat});
      offset += cast<RankedTensorType>(input.getType()).getDimSize(axis);
    }
    // The buffer is threaded through its writers in program order (each
    // writes into a slice of the buffer as the writer before left it), so
    // that bufferisation writes them all in place: a slice of the buffer
    // as it was before an earlier write would need a copy of the buffer.
    llvm::stable_sort(parts, [](const Part &a, const Part &b) {
      return a.writer != b.writer && a.writer->isBeforeInBlock(b.writer);
    });
    // An alloc_tensor, not an empty tensor, so that CSE does not merge two
    // concats' buffers.
    rewriter.setInsertionPoint(parts.front().writer);
    Value result = bufferization::AllocTensorOp::create(rewriter, loc, type, ValueRange{});
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0)),
        strides(rank, rewriter.getIndexAttr(1));
    for (Part &part : parts) {
      auto inputType = cast<RankedTensorType>(part.input.getType());
      SmallVector<OpFoldResult> sizes = getAsIndexOpFoldResult(getContext(), inputType.getShape());
      offsets[axis] = rewriter.getIndexAttr(part.offset);
      rewriter.setInsertionPoint(part.writer);
      Value place =
          tensor::ExtractSliceOp::create(rewriter, loc, inputType, result, offsets, sizes, strides);
      Value written = part.input;
      if (part.producer) {
        rewriter.modifyOpInPlace(part.producer,
                                 [&] { part.producer.getDpsInitsMutable()[0].assign(place); });
        rewriter.setInsertionPointAfter(part.producer);
      } else {
        written = linalg::CopyOp::create(rewriter, loc, part.input, place).getResult(0);
      }
      result =
          tensor::InsertSliceOp::create(rewriter, loc, written, result, offsets, sizes, strides);
    }
    rewriter.replaceOp(concat, result);
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

struct ConcatInProducersPass : impl::ConcatInProducersBase<ConcatInProducersPass> {
  void runOnOperation() override {
    reuseLeadingConcats(getOperation());
    RewritePatternSet patterns(&getContext());
    patterns.add<ConcatInProducers>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace acnn
