// acnn-pad-in-producer: a convolution's zero-padded input is written in
// place by the element-wise kernel (or transpose: a model input going NHWC)
// that produces it, inside a buffer filled
// with the padding value, instead of being copied into a padded buffer
// afterwards (a full read and write of every padded feature map).
//
//   y = generic(...) ; p = tensor.pad y
// becomes
//   f = fill(pad value) ; y = generic(...) outs(f's interior) ;
//   p = tensor.insert_slice y into f's interior
// which bufferises to one buffer that the generic writes into.
#include "compiler/codegen/Passes.h"
#include "compiler/codegen/Schedule.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace acnn {

#define GEN_PASS_DEF_PADINPRODUCER
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

struct PadInProducer : OpRewritePattern<tensor::PadOp> {
  using OpRewritePattern::OpRewritePattern;

  /// Numbers of the padded buffers made so far.
  mutable int64_t nextBuffer = 0;

  LogicalResult matchAndRewrite(tensor::PadOp pad, PatternRewriter &rewriter) const override {
    Value padValue = pad.getConstantPaddingValue();
    auto producer = pad.getSource().getDefiningOp<linalg::LinalgOp>();
    if (!padValue || !pad.getLow().empty() || !pad.getHigh().empty() || !producer ||
        !isa<linalg::GenericOp, linalg::TransposeOp>(producer) ||
        !producer.hasPureTensorSemantics() || producer->getNumResults() != 1 ||
        producer.getNumParallelLoops() != producer.getNumLoops() ||
        producer.payloadUsesValueFromOperand(producer.getDpsInitOperand(0)) ||
        !pad.getResultType().hasStaticShape())
      return failure();
    // The fill comes before the producer: a constant value, cloned there.
    Operation *constant = padValue.getDefiningOp();
    if (!constant || !constant->hasTrait<OpTrait::ConstantLike>())
      return failure();

    // The padded buffer is the producer's output now: its kernel fills it.
    Location loc = producer.getLoc();
    RankedTensorType paddedType = pad.getResultType();
    auto sourceType = cast<RankedTensorType>(pad.getSourceType());
    rewriter.setInsertionPoint(producer);
    Value value = rewriter.clone(*constant)->getResult(0);
    // Tagged: CSE must not merge two padded buffers, whose producers would
    // then overwrite each other's maps (bufferisation copies them instead).
    auto empty =
        tensor::EmptyOp::create(rewriter, loc, paddedType.getShape(), paddedType.getElementType());
    empty->setAttr(kPaddedBufferAttr, rewriter.getI64IntegerAttr(nextBuffer++));
    Value filled = linalg::FillOp::create(rewriter, loc, value, empty.getResult()).getResult(0);
    SmallVector<OpFoldResult> offsets = getAsIndexOpFoldResult(getContext(), pad.getStaticLow());
    SmallVector<OpFoldResult> sizes = getAsIndexOpFoldResult(getContext(), sourceType.getShape());
    SmallVector<OpFoldResult> strides(sourceType.getRank(), rewriter.getIndexAttr(1));
    Value interior =
        tensor::ExtractSliceOp::create(rewriter, loc, sourceType, filled, offsets, sizes, strides);
    rewriter.modifyOpInPlace(producer, [&] { producer.getDpsInitsMutable()[0].assign(interior); });
    rewriter.setInsertionPoint(pad);
    rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(pad, producer->getResult(0), filled, offsets,
                                                       sizes, strides);
    return success();
  }
};

struct PadInProducerPass : impl::PadInProducerBase<PadInProducerPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<PadInProducer>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace acnn
