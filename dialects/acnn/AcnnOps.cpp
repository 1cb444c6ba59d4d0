// Verifiers and folders of acnn ops; result-type inference is in ShapeInference.cpp.
#include "dialects/acnn/AcnnOps.h"
#include "dialects/acnn/ShapeUtils.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace acnn;

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

LogicalResult ClipOp::verify() {
  if (getMin().convertToFloat() > getMax().convertToFloat())
    return emitOpError("min ") << getMin().convertToFloat() << " exceeds max "
                               << getMax().convertToFloat();
  return success();
}

LogicalResult SoftmaxOp::verify() {
  if (!normalizeAxis(getAxis(), getInput().getType().getRank()))
    return emitOpError("axis ") << getAxis() << " is out of range for rank "
                                << getInput().getType().getRank();
  return success();
}

LogicalResult ReshapeOp::verify() {
  ArrayRef<int64_t> in = getInput().getType().getShape();
  ArrayRef<int64_t> out = getOutput().getType().getShape();
  if (product(in) != product(out))
    return emitOpError("cannot reshape ") << formatShape(in) << " (" << product(in)
                                          << " elements) to " << formatShape(out) << " ("
                                          << product(out) << " elements)";
  return success();
}

#define GET_OP_CLASSES
#include "dialects/acnn/AcnnOps.cpp.inc"
