#include "compiler/codegen/ResultTiles.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Interfaces/TilingInterface.h"

namespace acnn {

using namespace mlir;

FailureOr<Value> tileOfResult(OpBuilder &b, Operation *op, ArrayRef<OpFoldResult> offsets,
                              ArrayRef<OpFoldResult> sizes,
                              ArrayRef<std::pair<Value, Value>> replaced) {
  auto tileable = dyn_cast<TilingInterface>(op);
  if (!tileable)
    return op->emitError("cannot take a tile of this op");
  FailureOr<TilingResult> tile = tileable.generateResultTileValue(b, 0, offsets, sizes);
  if (failed(tile))
    return op->emitError("cannot take a tile of this op");
  for (Operation *slice : tile->generatedSlices)
    for (auto [from, to] : replaced)
      if (auto extract = dyn_cast<tensor::ExtractSliceOp>(slice);
          extract && extract.getSource() == from) {
        extract.getResult().replaceAllUsesWith(to);
        extract.erase();
        break;
      }
  return tile->tiledValues[0];
}

namespace {

/// The NHWC conv (depthwise or not) on tensors producing `v`, if any.
linalg::LinalgOp nhwcConv(Value v) {
  auto conv = v.getDefiningOp<linalg::LinalgOp>();
  return conv && isa<linalg::Conv2DNhwcHwcfOp, linalg::DepthwiseConv2DNhwcHwcOp>(conv) &&
                 conv.hasPureTensorSemantics()
             ? conv
             : linalg::LinalgOp();
}

linalg::LinalgOp startOf(linalg::LinalgOp conv) {
  auto start = conv.getDpsInits()[0].getDefiningOp<linalg::LinalgOp>();
  if (!start || !start.hasPureTensorSemantics() || start->getNumResults() != 1 ||
      !start->hasOneUse() || start.getNumParallelLoops() != start.getNumLoops() ||
      start.payloadUsesValueFromOperand(start.getDpsInitOperand(0)))
    return {};
  return start;
}

} // namespace

std::optional<ConvChain> convChainProducing(Value z) {
  if (linalg::LinalgOp conv = nhwcConv(z))
    return ConvChain{conv, startOf(conv), {}};
  auto epilogue = z.getDefiningOp<linalg::GenericOp>();
  if (!epilogue || !epilogue.hasPureTensorSemantics() || epilogue.getNumResults() != 1 ||
      epilogue.getNumParallelLoops() != epilogue.getNumLoops() ||
      !epilogue.getIndexingMapsArray().back().isIdentity() ||
      epilogue.payloadUsesValueFromOperand(epilogue.getDpsInitOperand(0)))
    return std::nullopt;
  for (OpOperand *input : epilogue.getDpsInputOperands()) {
    linalg::LinalgOp conv = nhwcConv(input->get());
    if (conv && conv->hasOneUse() && epilogue.getMatchingIndexingMap(input).isIdentity())
      return ConvChain{conv, startOf(conv), epilogue};
  }
  return std::nullopt;
}

Value convChainEnd(Operation *conv) {
  Value y = conv->getResult(0);
  auto epilogue =
      y.hasOneUse() ? dyn_cast<linalg::GenericOp>(*y.getUsers().begin()) : linalg::GenericOp();
  return epilogue && epilogue.getNumResults() == 1 ? epilogue.getResult(0) : y;
}

} // namespace acnn
