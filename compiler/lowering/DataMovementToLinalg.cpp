// Ops that produce or move elements without arithmetic → arith.constant,
// tensor slices, reshapes and concatenation, linalg.transpose, and copy
// generics where no tensor op expresses the indexing (reversed slices,
// irregular gathers).
#include "compiler/lowering/AcnnToLinalgPatterns.h"
#include "compiler/lowering/LinalgBuilders.h"
#include "dialects/acnn/AcnnOps.h"
#include "dialects/acnn/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace acnn {

namespace {

/// Weights keep their attribute (dense or resource) as they are.
struct ConstantToArith : OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(ConstantOp op, OpAdaptor,
                                ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, llvm::cast<TypedAttr>(op.getValue()));
    return success();
  }
};

struct ConcatToTensor : OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    int64_t axis = *normalizeAxis(op.getAxis(), op.getType().getRank());
    rewriter.replaceOpWithNewOp<tensor::ConcatOp>(op, axis, adaptor.getInputs());
    return success();
  }
};

/// A slice of `source` starting at `offsets` with `shape` and `strides`.
Value extractSlice(OpBuilder &b, Location loc, Value source, ArrayRef<int64_t> offsets,
                   ArrayRef<int64_t> shape, ArrayRef<int64_t> strides) {
  MLIRContext *ctx = b.getContext();
  return tensor::ExtractSliceOp::create(b, loc, source, getAsIndexOpFoldResult(ctx, offsets),
                                        getAsIndexOpFoldResult(ctx, shape),
                                        getAsIndexOpFoldResult(ctx, strides));
}

struct SplitToSlices : OpConversionPattern<SplitOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(SplitOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    ArrayRef<int64_t> in = op.getInput().getType().getShape();
    const int64_t axis = *normalizeAxis(op.getAxis(), in.size());
    SmallVector<int64_t> offsets(in.size(), 0), strides(in.size(), 1);
    SmallVector<Value> pieces;
    for (Value result : op.getResults()) {
      ArrayRef<int64_t> shape = llvm::cast<RankedTensorType>(result.getType()).getShape();
      pieces.push_back(
          extractSlice(rewriter, op.getLoc(), adaptor.getInput(), offsets, shape, strides));
      offsets[axis] += shape[axis];
    }
    rewriter.replaceOp(op, pieces);
    return success();
  }
};

/// Forward slices are strided views; a negative step reads backwards, which
/// no tensor op expresses, so those become a copy through the map
/// i -> start + step * i.
struct SliceToTensor : OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = llvm::cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> starts = op.getStarts(), steps = op.getSteps();
    if (llvm::all_of(steps, [](int64_t s) { return s > 0; })) {
      rewriter.replaceOp(op, extractSlice(rewriter, op.getLoc(), adaptor.getInput(), starts,
                                          type.getShape(), steps));
      return success();
    }
    MLIRContext *ctx = getContext();
    SmallVector<AffineExpr> indices;
    for (auto [i, start, step] : llvm::enumerate(starts, steps))
      indices.push_back(getAffineConstantExpr(start, ctx) + getAffineDimExpr(i, ctx) * step);
    AffineMap map = AffineMap::get(type.getRank(), 0, indices, ctx);
    rewriter.replaceOp(op, buildParallel(rewriter, op.getLoc(), type, adaptor.getInput(), map,
                                         [](OpBuilder &, Location, ValueRange a) { return a[0]; }));
    return success();
  }
};

/// Indices that step evenly (a single index, a range, a strided range) are a
/// strided slice along the axis, reshaped to the indices' shape. Any other
/// list becomes a generic that looks each index up in a constant table.
struct GatherToTensor : OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = llvm::cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> in = op.getInput().getType().getShape();
    const int64_t axis = *normalizeAxis(op.getAxis(), in.size());
    SmallVector<int64_t> indices;
    for (int64_t index : op.getIndices().getValues<int64_t>())
      indices.push_back(index < 0 ? index + in[axis] : index); // from the end, as in ONNX

    const int64_t step = indices.size() > 1 ? indices[1] - indices[0] : 1;
    bool evenSteps = step > 0;
    for (size_t i = 1; evenSteps && i < indices.size(); ++i)
      evenSteps = indices[i] - indices[i - 1] == step;
    if (evenSteps) {
      SmallVector<int64_t> offsets(in.size(), 0), shape(in), strides(in.size(), 1);
      offsets[axis] = indices.empty() ? 0 : indices.front();
      shape[axis] = indices.size();
      strides[axis] = step;
      Value slice = extractSlice(rewriter, loc, adaptor.getInput(), offsets, shape, strides);
      rewriter.replaceOp(op, reshapeTo(rewriter, loc, slice, type.getShape()));
      return success();
    }

    // out[pre..., idx..., post...] = input[pre..., table[idx...], post...]
    ArrayRef<int64_t> indexShape = op.getIndices().getType().getShape();
    const int64_t indexRank = indexShape.size();
    auto tableType = RankedTensorType::get(indexShape, rewriter.getI64Type());
    Value table = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(tableType, ArrayRef<int64_t>(indices)));
    SmallVector<AffineExpr> tableDims;
    for (int64_t i = 0; i < indexRank; ++i)
      tableDims.push_back(rewriter.getAffineDimExpr(axis + i));
    AffineMap tableMap = AffineMap::get(type.getRank(), 0, tableDims, getContext());
    Value input = adaptor.getInput();
    rewriter.replaceOp(
        op, buildParallel(
                rewriter, loc, type, table, tableMap,
                [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                  SmallVector<Value> at;
                  for (int64_t d = 0; d < int64_t(in.size()); ++d) {
                    if (d == axis)
                      at.push_back(arith::IndexCastOp::create(b, l, b.getIndexType(), a[0]));
                    else
                      at.push_back(linalg::IndexOp::create(b, l, d < axis ? d : d + indexRank - 1));
                  }
                  return tensor::ExtractOp::create(b, l, input, at);
                }));
    return success();
  }
};

/// ONNX's [begin..., end...] pads.
struct PadToTensor : OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(PadOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ArrayRef<int64_t> pads = op.getPads();
    const size_t rank = pads.size() / 2;
    rewriter.replaceOpWithNewOp<tensor::PadOp>(
        op, op.getType(), adaptor.getInput(),
        getAsIndexOpFoldResult(getContext(), pads.take_front(rank)),
        getAsIndexOpFoldResult(getContext(), pads.drop_front(rank)),
        f32Constant(rewriter, loc, op.getValue().convertToFloat()));
    return success();
  }
};

/// A broadcasting copy.
struct ExpandToGeneric : OpConversionPattern<ExpandOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(ExpandOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, buildBroadcastParallel(rewriter, op.getLoc(),
                                   llvm::cast<RankedTensorType>(op.getType()), adaptor.getInput(),
                                   [](OpBuilder &, Location, ValueRange a) { return a[0]; }));
    return success();
  }
};

/// reshape and flatten keep the row-major order: only the shape changes.
template <typename OpTy> struct ReshapeToTensor : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, reshapeTo(rewriter, op.getLoc(), adaptor.getInput(), op.getType().getShape()));
    return success();
  }
};

struct TransposeToLinalg : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    // Moving only axes of extent 1 (ViT's [1, 197, 768] -> [197, 1, 768])
    // keeps the elements in order: a reshape, no copy.
    ArrayRef<int64_t> in = shapeOf(adaptor.getInput());
    int64_t last = -1;
    bool ordered = true;
    for (int64_t p : op.getPerm()) {
      if (in[p] == 1)
        continue;
      ordered &= p > last;
      last = p;
    }
    if (ordered) {
      rewriter.replaceOp(
          op, reshapeTo(rewriter, op.getLoc(), adaptor.getInput(), op.getType().getShape()));
      return success();
    }
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(), op.getType().getShape(),
                                         rewriter.getF32Type());
    rewriter.replaceOp(op, linalg::TransposeOp::create(rewriter, op.getLoc(), adaptor.getInput(),
                                                       init, op.getPerm())
                               .getResult()[0]);
    return success();
  }
};

} // namespace

void populateDataMovementToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ConstantToArith, ConcatToTensor, SplitToSlices, SliceToTensor, GatherToTensor,
               PadToTensor, ExpandToGeneric, ReshapeToTensor<ReshapeOp>, ReshapeToTensor<FlattenOp>,
               TransposeToLinalg>(patterns.getContext());
}

} // namespace acnn
