// acnn-constants-as-bytes: constant globals (the weights) hold their data as
// one array of bytes. LLVM makes a constant of nested arrays of floats one
// uniqued array per innermost row and writes it to the object one element at
// a time; an array of bytes it copies as one block.
#include "compiler/codegen/Passes.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace acnn {

#define GEN_PASS_DEF_CONSTANTSASBYTES
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

/// `value`'s data as a rank-one attribute of bytes; null where its bytes are
/// not its elements one after another (splats, packed booleans).
Attribute asBytes(Attribute value) {
  auto elements = dyn_cast_or_null<ElementsAttr>(value);
  if (!elements)
    return {};
  Type element = elements.getElementType();
  if (!element.isIntOrFloat() || element.getIntOrFloatBitWidth() % 8 != 0)
    return {};
  const int64_t bytes = elements.getNumElements() * element.getIntOrFloatBitWidth() / 8;
  auto type = RankedTensorType::get({bytes}, IntegerType::get(value.getContext(), 8));
  if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    if (dense.isSplat())
      return {};
    return DenseElementsAttr::getFromRawBuffer(type, dense.getRawData());
  }
  // The same blob, read as bytes: no copy.
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
    return DenseResourceElementsAttr::get(type, resource.getRawHandle());
  return {};
}

struct ConstantsAsBytes : impl::ConstantsAsBytesBase<ConstantsAsBytes> {
  void runOnOperation() override {
    getOperation().walk([](LLVM::GlobalOp global) {
      if (!global.getConstant() || !isa<LLVM::LLVMArrayType>(global.getGlobalType()))
        return;
      Attribute bytes = asBytes(global.getValueOrNull());
      if (!bytes)
        return;
      // An array of bytes is aligned to one byte; the data keeps its own.
      DataLayout layout = DataLayout::closest(global);
      uint64_t alignment = std::max<uint64_t>(global.getAlignment().value_or(0),
                                              layout.getTypeABIAlignment(global.getGlobalType()));
      auto type = LLVM::LLVMArrayType::get(
          IntegerType::get(global.getContext(), 8),
          cast<ShapedType>(cast<TypedAttr>(bytes).getType()).getNumElements());
      global.setGlobalType(type);
      global.setValueAttr(bytes);
      global.setAlignment(alignment);
    });
  }
};

} // namespace
} // namespace acnn
