// Verifiers and folders of acnn ops; result-type inference is in ShapeInference.cpp.
#include "dialects/acnn/AcnnOps.h"
#include "dialects/acnn/ShapeUtils.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace acnn;

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

/// Whether `operand` (a constant's value, else null) has every element equal
/// to `value`.
static bool isSplat(Attribute operand, double value) {
  auto dense = dyn_cast_if_present<DenseFPElementsAttr>(operand);
  return dense && dense.isSplat() && dense.getSplatValue<APFloat>().convertToDouble() == value;
}

/// `x` of `x op identity` (`identity` on either side where `commutes`), if the
/// op's result has `x`'s type: the identity broadcasts nothing into it. (x + 0
/// turns -0 into +0, which only a division by it or its sign tells apart.)
static OpFoldResult foldIdentity(Value result, Value lhs, Value rhs, Attribute lhsValue,
                                 Attribute rhsValue, double identity, bool commutes) {
  if (isSplat(rhsValue, identity) && lhs.getType() == result.getType())
    return lhs;
  if (commutes && isSplat(lhsValue, identity) && rhs.getType() == result.getType())
    return rhs;
  return {};
}

OpFoldResult AddOp::fold(FoldAdaptor a) {
  return foldIdentity(getResult(), getLhs(), getRhs(), a.getLhs(), a.getRhs(), 0.0, true);
}
OpFoldResult SubOp::fold(FoldAdaptor a) {
  return foldIdentity(getResult(), getLhs(), getRhs(), a.getLhs(), a.getRhs(), 0.0, false);
}
OpFoldResult MulOp::fold(FoldAdaptor a) {
  return foldIdentity(getResult(), getLhs(), getRhs(), a.getLhs(), a.getRhs(), 1.0, true);
}
OpFoldResult DivOp::fold(FoldAdaptor a) {
  return foldIdentity(getResult(), getLhs(), getRhs(), a.getLhs(), a.getRhs(), 1.0, false);
}

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

LogicalResult ArgMaxOp::verify() {
  ArrayRef<int64_t> in = getInput().getType().getShape();
  std::optional<SmallVector<int64_t>> want = argMaxShape(in, getAxis(), getKeepdims());
  if (!want)
    return emitOpError("axis ") << getAxis() << " is out of range for rank " << in.size();
  // Indices held as f32 are exact up to 2^24.
  auto type = cast<RankedTensorType>(getOutput().getType());
  const int64_t n = in[*normalizeAxis(getAxis(), in.size())];
  if (type.getElementType().isF32() && n > (int64_t(1) << 24))
    return emitOpError("f32 indices along an axis of ") << n << " would round";
  if (type.getShape() != ArrayRef<int64_t>(*want))
    return emitOpError("result shape ")
           << formatShape(type.getShape()) << " should be " << formatShape(*want);
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

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  return {};
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  ArrayRef<int64_t> perm = getPerm();
  if (auto inner = getInput().getDefiningOp<TransposeOp>()) {
    // Result axis i is the inner input's axis innerPerm[perm[i]].
    SmallVector<int64_t> composed;
    for (int64_t p : perm)
      composed.push_back(inner.getPerm()[p]);
    setPermAttr(DenseI64ArrayAttr::get(getContext(), composed));
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  for (auto [i, p] : llvm::enumerate(perm))
    if (p != int64_t(i))
      return {};
  return getInput();
}

#define GET_OP_CLASSES
#include "dialects/acnn/AcnnOps.cpp.inc"
