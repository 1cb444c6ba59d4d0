// acnn-pad-in-producer: a padded input (a conv's zeros, a pool's -inf) is
// written in place, inside a buffer whose border alone is filled with the
// padding value, instead of being copied into a padded buffer afterwards (a
// full read and write of every padded feature map). Its writer is
//  - the element-wise kernel or transpose producing it:
//      y = generic(...) ; p = tensor.pad y
//    becomes
//      f = pad value on the border of a new buffer ; y = generic(...) outs(f's
//      interior) ; p = tensor.insert_slice y into f's interior
//  - or each kernel writing its slice of a buffer assembled in place (a
//    concat, after acnn-concat-in-producers): the buffer becomes f's interior;
//  - or else a linalg.copy into f's interior, a kernel scheduled and
//    vectorised like any other: bufferising the pad itself fills the whole
//    buffer and copies the interior in scalar loops on one thread (GoogLeNet's
//    max pools of concats: 16% of its time).
// Each bufferises to one buffer that its writers write into.
#include "compiler/codegen/Passes.h"
#include "compiler/codegen/RelocatableWriter.h"

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

/// The new buffer that `source` is assembled in by slices written in place,
/// as acnn-concat-in-producers leaves a concat.
bufferization::AllocTensorOp assembledIn(Value source) {
  Value buffer = source;
  while (auto insert = buffer.getDefiningOp<tensor::InsertSliceOp>())
    buffer = insert.getDest();
  auto alloc = buffer.getDefiningOp<bufferization::AllocTensorOp>();
  if (buffer == source || !alloc || alloc.getCopy() || !alloc.getDynamicSizes().empty())
    return nullptr;
  return alloc;
}

/// The op writing the first slice of `buffer`: the writer of the value
/// inserted into it, else the insert itself.
Operation *firstWriteInto(bufferization::AllocTensorOp buffer) {
  for (Operation *user : buffer->getUsers()) {
    auto insert = dyn_cast<tensor::InsertSliceOp>(user);
    if (!insert || insert.getDest() != buffer)
      continue;
    Operation *writer = insert.getSource().getDefiningOp();
    return writer ? writer : insert.getOperation();
  }
  return buffer;
}

struct PadInProducer : OpRewritePattern<tensor::PadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::PadOp pad, PatternRewriter &rewriter) const override {
    Value padValue = pad.getConstantPaddingValue();
    if (!padValue || !pad.getLow().empty() || !pad.getHigh().empty() ||
        !pad.getResultType().hasStaticShape())
      return failure();
    // The fill comes before the writers: a constant value, cloned there.
    Operation *constant = padValue.getDefiningOp();
    if (!constant || !constant->hasTrait<OpTrait::ConstantLike>())
      return failure();
    linalg::LinalgOp producer = relocatableWriter(pad.getSource());
    bufferization::AllocTensorOp assembled = producer ? nullptr : assembledIn(pad.getSource());

    // The border is filled where the first writer starts, as part of its
    // kernel: a kernel's ops stay together, as the profiler brackets them.
    Operation *firstWriter = producer ? producer.getOperation() : pad.getOperation();
    if (assembled)
      firstWriter = firstWriteInto(assembled);
    Location loc = firstWriter->getLoc();
    RankedTensorType paddedType = pad.getResultType();
    auto sourceType = cast<RankedTensorType>(pad.getSourceType());
    rewriter.setInsertionPoint(assembled ? assembled.getOperation() : firstWriter);
    Value value = rewriter.clone(*constant)->getResult(0);
    // Only the border is filled (whole feature maps were memset before, 3%
    // of MHSA): its writers write the rest. An alloc_tensor, not an
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
    Value written = pad.getSource();
    if (producer) {
      rewriter.modifyOpInPlace(producer,
                               [&] { producer.getDpsInitsMutable()[0].assign(interior); });
    } else if (assembled) {
      rewriter.replaceOp(assembled, interior);
    } else {
      written = linalg::CopyOp::create(rewriter, loc, written, interior).getResult(0);
    }
    rewriter.setInsertionPoint(pad);
    rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(pad, written, filled, offsets, sizes,
                                                       strides);
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
