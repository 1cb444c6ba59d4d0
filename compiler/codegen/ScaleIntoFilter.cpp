// acnn-scale-into-filter: a per-channel scale of a conv's input (the gate of
// squeeze-excite, or a CBAM channel gate, before the block's projection)
// moves into the conv's filter:
//
//   s[0, h, w, c] = x[0, h, w, c] * g[0, c] ; y = conv(s, W)
// becomes
//   W'[kh, kw, c, f] = W[kh, kw, c, f] * g[c] ; y = conv(x, W')
//
// The scaled map was written once and read back by the conv; scaling the
// filter instead touches KH x KW x C x F floats rather than H x W x C, so it
// is done where the filter is the smaller (KH x KW x F < H x W: EfficientNet's
// and MobileNetV3's 1x1 projections on 56x56 to 14x14 maps, not those of
// 1152 channels on 7x7). Only at batch 1, where the gate is one row.
#include "compiler/codegen/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"

namespace acnn {

#define GEN_PASS_DEF_SCALEINTOFILTER
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

/// The map and gate of `scale` if it is s[n, h, w, c] = x[n, h, w, c] *
/// g[n, c] (in either order), with N = 1.
struct ChannelScale {
  Value map, gate;
};

std::optional<ChannelScale> asChannelScale(linalg::GenericOp scale) {
  if (!scale || !scale.hasPureTensorSemantics() || scale.getNumDpsInputs() != 2 ||
      scale.getNumResults() != 1 || scale.getNumLoops() != 4 || scale.getNumParallelLoops() != 4 ||
      !scale.getIndexingMapsArray().back().isIdentity())
    return std::nullopt;
  Block &body = scale.getRegion().front();
  auto mul = dyn_cast<arith::MulFOp>(body.front());
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (body.getOperations().size() != 2 || !mul || yield.getValues()[0] != mul.getResult() ||
      !llvm::is_contained(mul.getOperands(), body.getArgument(0)) ||
      !llvm::is_contained(mul.getOperands(), body.getArgument(1)))
    return std::nullopt;
  MLIRContext *ctx = scale.getContext();
  const AffineMap perChannel =
      AffineMap::get(4, 0, {getAffineDimExpr(0, ctx), getAffineDimExpr(3, ctx)}, ctx);
  for (int map = 0; map < 2; ++map) {
    OpOperand *x = scale.getDpsInputOperand(map), *g = scale.getDpsInputOperand(1 - map);
    auto gateType = dyn_cast<RankedTensorType>(g->get().getType());
    if (scale.getMatchingIndexingMap(x).isIdentity() &&
        scale.getMatchingIndexingMap(g) == perChannel && gateType && gateType.hasStaticShape() &&
        gateType.getDimSize(0) == 1)
      return ChannelScale{x->get(), g->get()};
  }
  return std::nullopt;
}

struct ScaleIntoFilter : impl::ScaleIntoFilterBase<ScaleIntoFilter> {
  void runOnOperation() override {
    SmallVector<linalg::Conv2DNhwcHwcfOp> convs;
    getOperation().walk([&](linalg::Conv2DNhwcHwcfOp conv) { convs.push_back(conv); });
    for (linalg::Conv2DNhwcHwcfOp conv : convs)
      fold(conv);
  }

  void fold(linalg::Conv2DNhwcHwcfOp conv) {
    Value input = conv.getInputs()[0], filter = conv.getInputs()[1];
    auto scale = input.getDefiningOp<linalg::GenericOp>();
    std::optional<ChannelScale> s = asChannelScale(scale);
    auto mapType = dyn_cast<RankedTensorType>(input.getType());
    auto filterType = dyn_cast<RankedTensorType>(filter.getType());
    if (!s || !input.hasOneUse() || !conv.hasPureTensorSemantics() || !mapType ||
        !mapType.hasStaticShape() || !filterType || !filterType.hasStaticShape())
      return;
    ArrayRef<int64_t> map = mapType.getShape(), w = filterType.getShape();
    if (w[0] * w[1] * w[3] >= map[1] * map[2])
      return;

    OpBuilder b(conv);
    Location loc = scale.getLoc();
    MLIRContext *ctx = &getContext();
    // The gate as one row [C], read along the filter's input channels.
    Value row =
        tensor::CollapseShapeOp::create(b, loc, s->gate, ArrayRef<ReassociationIndices>{{0, 1}});
    AffineMap identity = AffineMap::getMultiDimIdentityMap(4, ctx);
    AffineMap channels = AffineMap::get(4, 0, {getAffineDimExpr(2, ctx)}, ctx);
    Value empty = tensor::EmptyOp::create(b, loc, w, filterType.getElementType());
    auto scaled = linalg::GenericOp::create(
        b, loc, TypeRange{filterType}, ValueRange{filter, row}, ValueRange{empty},
        ArrayRef<AffineMap>{identity, channels, identity},
        SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
        [](OpBuilder &nb, Location l, ValueRange args) {
          Value product = arith::MulFOp::create(nb, l, args[0], args[1]);
          linalg::YieldOp::create(nb, l, product);
        });
    conv->setOperand(0, s->map);
    conv->setOperand(1, scaled.getResult(0));
    scale.erase();
  }
};

} // namespace
} // namespace acnn
