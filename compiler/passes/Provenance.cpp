#include "compiler/passes/Provenance.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpDefinition.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;

namespace acnn {

/// A part: one absorbed op, its op name as the metadata.
static bool isPart(Location loc) {
  auto fused = dyn_cast<FusedLoc>(loc);
  return fused && isa_and_nonnull<StringAttr>(fused.getMetadata());
}

/// The parts `op` stands for: those already in its location, or itself.
static SmallVector<Location> partsOf(Operation *op) {
  Location loc = op->getLoc();
  if (isPart(loc))
    return {loc};
  if (auto fused = dyn_cast<FusedLoc>(loc);
      fused && !fused.getMetadata() && llvm::all_of(fused.getLocations(), isPart))
    return llvm::to_vector(fused.getLocations());
  MLIRContext *ctx = op->getContext();
  return {FusedLoc::get({loc}, StringAttr::get(ctx, op->getName().getStringRef()), ctx)};
}

SmallVector<Operation *> opsBetween(Operation *root, ArrayRef<Value> inputs) {
  llvm::SetVector<Operation *> ops;
  ops.insert(root);
  for (size_t i = 0; i < ops.size(); ++i)
    for (Value v : ops[i]->getOperands())
      if (Operation *def = v.getDefiningOp();
          def && !llvm::is_contained(inputs, v) && !def->hasTrait<OpTrait::ConstantLike>())
        ops.insert(def);
  SmallVector<Operation *> sorted = ops.takeVector();
  llvm::sort(sorted, [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  return sorted;
}

Location fusedLoc(Operation *named, ArrayRef<Operation *> others) {
  // FusedLoc::get drops repeated parts, so `others` may contain `named`.
  SmallVector<Location> parts = partsOf(named);
  for (Operation *op : others)
    llvm::append_range(parts, partsOf(op));
  return FusedLoc::get(named->getContext(), parts);
}

SmallVector<AbsorbedOp> absorbedOps(Operation *op) {
  return llvm::map_to_vector(partsOf(op), [](Location part) {
    auto fused = cast<FusedLoc>(part);
    return AbsorbedOp{fused.getLocations().front(),
                      cast<StringAttr>(fused.getMetadata()).getValue()};
  });
}

std::string AbsorbedOp::str() const {
  return (nodeName(loc) + " (" + opName.split('.').second + ")").str();
}

StringRef nodeName(Location loc) {
  if (auto name = loc->findInstanceOf<NameLoc>())
    return name.getName().getValue();
  return "";
}

} // namespace acnn
