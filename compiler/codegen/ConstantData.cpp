#include "compiler/codegen/ConstantData.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace acnn {

using namespace mlir;

std::optional<SmallVector<float>> constantData(Value v) {
  auto cst = v.getDefiningOp<arith::ConstantOp>();
  if (!cst)
    return std::nullopt;
  if (auto dense = dyn_cast<DenseElementsAttr>(cst.getValue())) {
    if (!dense.getElementType().isF32())
      return std::nullopt;
    return llvm::to_vector(dense.getValues<float>());
  }
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(cst.getValue()))
    if (std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef())
      return SmallVector<float>(*data);
  return std::nullopt;
}

} // namespace acnn
