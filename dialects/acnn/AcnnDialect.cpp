#include "dialects/acnn/AcnnDialect.h"
#include "dialects/acnn/AcnnAttrs.h"
#include "dialects/acnn/AcnnOps.h"

using namespace mlir;

#include "dialects/acnn/AcnnDialect.cpp.inc"

void acnn::AcnnDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/acnn/AcnnOps.cpp.inc"
      >();
  registerAttributes();
}

Operation *acnn::AcnnDialect::materializeConstant(OpBuilder &builder,
                                                  Attribute value, Type type,
                                                  Location loc) {
  auto elements = llvm::dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}
