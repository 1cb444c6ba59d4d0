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

} // namespace acnn
