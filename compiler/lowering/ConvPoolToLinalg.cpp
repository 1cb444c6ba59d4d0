// conv2d, max_pool2d and avg_pool2d → tensor.pad + linalg's NCHW convolution
// and pooling ops. Output extents come from the verified result type, which
// already applied ceil_mode; padding supplies whatever the last window needs.
#include "compiler/lowering/AcnnToLinalgPatterns.h"
#include "compiler/lowering/LinalgBuilders.h"
#include "dialects/acnn/AcnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace acnn {

namespace {

/// Window geometry over H and W; pads are [top, left, bottom, right].
struct Window {
  ArrayRef<int64_t> kernel, strides, dilations, pads;
};

/// Pads H and W of an NCHW tensor with `value`: `pads` before, and after as
/// much as the windows of `outShape` reach past the input (none if they stop
/// short of it, as they may without ceil_mode; more than `pads` with it).
Value padForWindows(OpBuilder &b, Location loc, Value input, const Window &w,
                    ArrayRef<int64_t> outShape, double value) {
  SmallVector<int64_t> shape(llvm::cast<RankedTensorType>(input.getType()).getShape());
  SmallVector<int64_t> low(4, 0), high(4, 0);
  for (int i = 0; i < 2; ++i) {
    int64_t reach = (outShape[2 + i] - 1) * w.strides[i] + w.dilations[i] * (w.kernel[i] - 1) + 1;
    low[2 + i] = w.pads[i];
    high[2 + i] = std::max<int64_t>(0, reach - shape[2 + i] - w.pads[i]);
    shape[2 + i] += low[2 + i] + high[2 + i];
  }
  if (llvm::all_of(low, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(high, [](int64_t p) { return p == 0; }))
    return input;
  MLIRContext *ctx = b.getContext();
  return tensor::PadOp::create(b, loc, f32TensorType(ctx, shape), input,
                               getAsIndexOpFoldResult(ctx, low), getAsIndexOpFoldResult(ctx, high),
                               f32Constant(b, loc, value));
}

struct ConvToLinalg : OpConversionPattern<Conv2dOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(Conv2dOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = llvm::cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> out = type.getShape();
    Value weight = adaptor.getWeight();
    ArrayRef<int64_t> w = llvm::cast<RankedTensorType>(weight.getType()).getShape();
    const int64_t kernel[2] = {w[2], w[3]};
    Window window{kernel, op.getStrides(), op.getDilations(), op.getPads()};
    Value input = padForWindows(rewriter, loc, adaptor.getInput(), window, out, 0.0);

    // The accumulator starts at the bias, so no separate add is needed.
    Value init = accumulatorInit(rewriter, loc, adaptor.getBias(), out, {0, 2, 3});

    Attribute strides = rewriter.getI64TensorAttr(op.getStrides());
    Attribute dilations = rewriter.getI64TensorAttr(op.getDilations());
    const int64_t groups = op.getGroups(), channels = op.getInput().getType().getShape()[1];
    Value result;
    if (groups == 1) {
      result = linalg::Conv2DNchwFchwOp::create(rewriter, loc, TypeRange{type},
                                                ValueRange{input, weight}, ValueRange{init},
                                                strides, dilations)
                   .getResult(0);
    } else if (groups == channels && w[0] == channels) {
      // Depthwise: one [KH, KW] filter per channel.
      Value filter = reshapeTo(rewriter, loc, weight, {w[0], w[2], w[3]});
      result = linalg::DepthwiseConv2DNchwChwOp::create(rewriter, loc, TypeRange{type},
                                                        ValueRange{input, filter}, ValueRange{init},
                                                        strides, dilations)
                   .getResult(0);
    } else {
      // Grouped: split the channel axes into [groups, per group].
      ArrayRef<int64_t> in = llvm::cast<RankedTensorType>(input.getType()).getShape();
      Value grouped =
          reshapeTo(rewriter, loc, input, {in[0], groups, in[1] / groups, in[2], in[3]});
      Value filter = reshapeTo(rewriter, loc, weight, {groups, w[0] / groups, w[1], w[2], w[3]});
      SmallVector<int64_t> groupedOut = {out[0], groups, out[1] / groups, out[2], out[3]};
      Value groupedInit = reshapeTo(rewriter, loc, init, groupedOut);
      Value conv = linalg::Conv2DNgchwGfchwOp::create(
                       rewriter, loc, TypeRange{groupedInit.getType()}, ValueRange{grouped, filter},
                       ValueRange{groupedInit}, strides, dilations)
                       .getResult(0);
      result = reshapeTo(rewriter, loc, conv, out);
    }
    rewriter.replaceOp(op, buildEpilogue(rewriter, loc, result, adaptor.getResidual(),
                                         op.getActivation()));
    return success();
  }
};

struct MaxPoolToLinalg : OpConversionPattern<MaxPool2dOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(MaxPool2dOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = llvm::cast<RankedTensorType>(op.getType());
    // -inf padding never wins a window.
    Window window{op.getKernel(), op.getStrides(), op.getDilations(), op.getPads()};
    Value input = padForWindows(rewriter, loc, adaptor.getInput(), window, type.getShape(), kLowest);
    // linalg's pooling ops take the window's shape as an operand's.
    Value windowShape =
        tensor::EmptyOp::create(rewriter, loc, op.getKernel(), rewriter.getF32Type());
    Value init = filledTensor(rewriter, loc, type.getShape(), kLowest);
    rewriter.replaceOp(op, linalg::PoolingNchwMaxOp::create(
                               rewriter, loc, TypeRange{type}, ValueRange{input, windowShape},
                               ValueRange{init}, rewriter.getI64TensorAttr(op.getStrides()),
                               rewriter.getI64TensorAttr(op.getDilations()))
                               .getResult(0));
    return success();
  }
};

/// How many elements the window at each output index covers along one axis:
/// the window is cut at the far padding edge (the part ceil_mode adds past it
/// never counts) and, without count_include_pad, to the input itself.
SmallVector<int64_t> windowCounts(int64_t in, int64_t out, int64_t kernel, int64_t stride,
                                  int64_t padBegin, int64_t padEnd, bool includePad) {
  SmallVector<int64_t> counts;
  for (int64_t o = 0; o < out; ++o) {
    int64_t begin = o * stride - padBegin, end = std::min(begin + kernel, in + padEnd);
    if (!includePad) {
      begin = std::max<int64_t>(begin, 0);
      end = std::min(end, in);
    }
    counts.push_back(end - begin);
  }
  return counts;
}

struct AvgPoolToLinalg : OpConversionPattern<AvgPool2dOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(AvgPool2dOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = llvm::cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> out = type.getShape(), k = op.getKernel(), s = op.getStrides(),
                      p = op.getPads();
    const int64_t unit[2] = {1, 1};
    Window window{k, s, unit, p};
    Value input = padForWindows(rewriter, loc, adaptor.getInput(), window, out, 0.0);
    Value windowShape = tensor::EmptyOp::create(rewriter, loc, k, rewriter.getF32Type());
    Value sum = linalg::PoolingNchwSumOp::create(
                    rewriter, loc, TypeRange{type}, ValueRange{input, windowShape},
                    ValueRange{filledTensor(rewriter, loc, out, 0.0)}, rewriter.getI64TensorAttr(s),
                    rewriter.getI64TensorAttr(unit))
                    .getResult(0);

    ArrayRef<int64_t> in = op.getInput().getType().getShape();
    const bool includePad = op.getCountIncludePad();
    SmallVector<int64_t> rows = windowCounts(in[2], out[2], k[0], s[0], p[0], p[2], includePad);
    SmallVector<int64_t> cols = windowCounts(in[3], out[3], k[1], s[1], p[1], p[3], includePad);
    SmallVector<float> divisors;
    for (int64_t r : rows)
      for (int64_t c : cols)
        divisors.push_back(float(r * c));
    if (llvm::all_equal(divisors)) {
      rewriter.replaceOp(op, divideBy(rewriter, loc, sum, divisors.front()));
      return success();
    }
    // Edge windows cover fewer elements: divide by a table over [OH, OW].
    auto tableType = f32TensorType(getContext(), {out[2], out[3]});
    Value table = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(tableType, ArrayRef<float>(divisors)));
    rewriter.replaceOp(op, buildBroadcastParallel(rewriter, loc, type, ValueRange{sum, table},
                                                  [](OpBuilder &b, Location l, ValueRange x) {
                                                    return ScalarBuilder{b, l}.div(x[0], x[1]);
                                                  }));
    return success();
  }
};

} // namespace

void populateConvPoolToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ConvToLinalg, MaxPoolToLinalg, AvgPoolToLinalg>(patterns.getContext());
}

} // namespace acnn
