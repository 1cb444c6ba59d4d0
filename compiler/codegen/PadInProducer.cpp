// acnn-pad-in-producer: a convolution's zero-padded input is written in
// place by the element-wise kernel (or transpose: a model input going NHWC)
// that produces it, inside a buffer filled
// with the padding value, instead of being copied into a padded buffer
// afterwards (a full read and write of every padded feature map).
//
//   y = generic(...) ; p = tensor.pad y
// becomes
//   f = pad value on the border of a new buffer ; y = generic(...) outs(f's
//   interior) ; p = tensor.insert_slice y into f's interior
// which bufferises to one buffer that the generic writes into.
#include "compiler/codegen/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"

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
    // Only the border is filled (whole feature maps were memset before, 3%
    // of MHSA): the producer writes the rest. An alloc_tensor, not an
    // empty tensor, so that neither CSE merges two padded buffers nor slices
    // of it fold into buffers of their own.
    Value filled = bufferization::AllocTensorOp::create(rewriter, loc, paddedType, ValueRange{});
    ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
    ArrayRef<int64_t> shape = paddedType.getShape();
    for (size_t d = 0; d < shape.size(); ++d) {
      const int64_t bands[2][2] = {{0, low[d]}, {shape[d] - high[d], high[d]}};
      for (auto [start, size] : bands) {
        if (size == 0)
          continue;
        SmallVector<OpFoldResult> at(shape.size(), rewriter.getIndexAttr(0)), extent, unit;
        for (int64_t e : shape) {
          extent.push_back(rewriter.getIndexAttr(e));
          unit.push_back(rewriter.getIndexAttr(1));
        }
        at[d] = rewriter.getIndexAttr(start);
        extent[d] = rewriter.getIndexAttr(size);
        Value band = tensor::ExtractSliceOp::create(rewriter, loc, filled, at, extent, unit);
        Value zeros = linalg::FillOp::create(rewriter, loc, value, band).getResult(0);
        filled = tensor::InsertSliceOp::create(rewriter, loc, zeros, filled, at, extent, unit);
      }
    }
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
