#include "compiler/codegen/KernelLocation.h"
#include "compiler/codegen/Schedule.h"
#include "compiler/codegen/ScheduleFile.h"

#include "mlir/IR/AttrTypeSubElements.h"
#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;

namespace acnn {

static constexpr llvm::StringLiteral kKernelNameKey = "acnn.kernel_name";

static StringAttr nameInMetadata(FusedLoc loc) {
  auto metadata = dyn_cast_or_null<DictionaryAttr>(loc.getMetadata());
  return metadata ? metadata.getAs<StringAttr>(kKernelNameKey) : StringAttr();
}

static Location fusedWithName(ArrayRef<Location> locs, StringAttr name) {
  MLIRContext *ctx = name.getContext();
  auto metadata = DictionaryAttr::get(ctx, {NamedAttribute(kKernelNameKey, name)});
  return FusedLoc::get(locs, metadata, ctx);
}

Location withKernelName(Location loc, StringAttr name) { return fusedWithName({loc}, name); }

StringAttr kernelNameOf(Location loc) {
  StringAttr name;
  loc->walk([&](Location inner) {
    if (auto fused = dyn_cast<FusedLoc>(inner))
      name = nameInMetadata(fused);
    return name ? WalkResult::interrupt() : WalkResult::advance();
  });
  return name;
}

StringAttr kernelNameOf(Operation *op) {
  StringAttr name;
  op->walk<WalkOrder::PreOrder>([&](Operation *inner) {
    name = kernelNameOf(inner->getLoc());
    return name ? WalkResult::interrupt() : WalkResult::advance();
  });
  return name;
}

StringAttr firstKernelEntry(Operation *top) {
  StringAttr entry;
  top->walk<WalkOrder::PreOrder>([&](Operation *op) {
    if (op->hasAttr(kKernelAttr))
      entry = op->getAttrOfType<StringAttr>(kKernelEntryAttr);
    return entry ? WalkResult::interrupt() : WalkResult::advance();
  });
  return entry;
}

void renameKernels(Operation *root, llvm::function_ref<StringAttr(StringAttr)> rename) {
  AttrTypeReplacer replacer;
  replacer.addReplacement([&](FusedLoc loc) -> std::optional<Attribute> {
    StringAttr name = nameInMetadata(loc);
    if (!name)
      return std::nullopt;
    return fusedWithName(loc.getLocations(), rename(name));
  });
  replacer.recursivelyReplaceElementsIn(root, /*replaceAttrs=*/false, /*replaceLocs=*/true);
}

} // namespace acnn
