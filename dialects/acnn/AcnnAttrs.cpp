#include "dialects/acnn/AcnnAttrs.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

#define GET_ATTRDEF_CLASSES
#include "dialects/acnn/AcnnAttrs.cpp.inc"

namespace acnn {

void AcnnDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/acnn/AcnnAttrs.cpp.inc"
      >();
}

TargetAttr targetOf(Operation *op) {
  auto module = isa<ModuleOp>(op) ? cast<ModuleOp>(op) : op->getParentOfType<ModuleOp>();
  if (module)
    if (auto target = module->getAttrOfType<TargetAttr>(kTargetAttr))
      return target;
  return TargetAttr::get(op->getContext(), "x86-64-v3", "avx2", 256, 16, 32 * 1024, 512 * 1024,
                         32 * 1024 * 1024, 2);
}

LogicalResult TargetAttr::verify(llvm::function_ref<InFlightDiagnostic()> emitError,
                                 StringRef cpu, StringRef isa, int64_t vectorBits,
                                 int64_t vectorRegisters, int64_t l1Bytes, int64_t l2Bytes,
                                 int64_t l3Bytes, int64_t threads) {
  int64_t bits = llvm::StringSwitch<int64_t>(isa).Case("sse", 128).Case("avx2", 256)
                     .Case("avx512", 512).Default(0);
  if (bits == 0)
    return emitError() << "target ISA '" << isa << "' is not sse, avx2 or avx512";
  if (vectorBits != bits)
    return emitError() << "target ISA " << isa << " has " << bits << "-bit vectors, not "
                       << vectorBits;
  if (vectorRegisters != 16 && vectorRegisters != 32)
    return emitError() << "target has " << vectorRegisters
                       << " vector registers; x86-64 has 16 (32 with AVX-512)";
  if (l1Bytes < 1024 || l2Bytes < l1Bytes || (l3Bytes != 0 && l3Bytes < l2Bytes))
    return emitError() << "target caches must grow: L1 " << l1Bytes << " (at least 1024), L2 "
                       << l2Bytes << ", L3 " << l3Bytes << " bytes (0: none)";
  if (threads < 1 || threads > 1024)
    return emitError() << "target threads " << threads << " is not in [1, 1024]";
  return success();
}

} // namespace acnn
