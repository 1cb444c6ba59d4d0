#include "compiler/interpreter/Tensor.h"
#include "dialects/acnn/ShapeUtils.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Support/DebugStringHelper.h"

using namespace mlir;

namespace acnn {

Tensor Tensor::filled(llvm::ArrayRef<int64_t> shape, float value) {
  return Tensor{std::vector<int64_t>(shape.begin(), shape.end()),
                std::vector<float>(product(shape), value)};
}

int64_t Tensor::numel() const { return product(shape); }

llvm::Expected<Tensor> tensorFromAttr(ElementsAttr attr) {
  ShapedType type = attr.getShapedType();
  if (!type.getElementType().isF32() || !type.hasStaticShape())
    return llvm::createStringError("constant of type %s is not a static f32 tensor",
                                   debugString(type).c_str());
  Tensor t{std::vector<int64_t>(type.getShape().begin(), type.getShape().end()), {}};
  // Resource blobs (weights kept out of the IR text) do not offer the
  // element iterators that dense and splat attributes do.
  if (auto resource = llvm::dyn_cast<DenseF32ResourceElementsAttr>(attr)) {
    std::optional<llvm::ArrayRef<float>> blob = resource.tryGetAsArrayRef();
    if (!blob || int64_t(blob->size()) != type.getNumElements())
      return llvm::createStringError("constant of type %s has no readable resource blob",
                                     debugString(type).c_str());
    t.data.assign(blob->begin(), blob->end());
    return t;
  }
  auto values = attr.tryGetValues<float>();
  if (!values)
    return llvm::createStringError("constant of type %s cannot be read as f32 values",
                                   debugString(type).c_str());
  t.data.assign(values->begin(), values->end());
  return t;
}

DenseElementsAttr tensorToAttr(const Tensor &t, MLIRContext *ctx) {
  auto type = RankedTensorType::get(t.shape, Float32Type::get(ctx));
  return DenseElementsAttr::get(type, llvm::ArrayRef<float>(t.data));
}

} // namespace acnn
