// acnn-name-kernels-by-entry: the runtime's profile, kernel by linalg kernel.
#include "compiler/codegen/KernelLocation.h"
#include "compiler/codegen/Passes.h"
#include "dialects/acnn/AcnnDialect.h"

namespace acnn {

#define GEN_PASS_DEF_NAMEKERNELSBYENTRY
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

struct NameKernelsByEntry : impl::NameKernelsByEntryBase<NameKernelsByEntry> {
  void runOnOperation() override {
    auto main = getOperation().lookupSymbol<func::FuncOp>(kEntryName);
    if (!main || main.isExternal())
      return;
    for (Operation &top : main.getBody().front())
      if (StringAttr entry = firstKernelEntry(&top))
        renameKernels(&top, [&](StringAttr) { return entry; });
  }
};

} // namespace
} // namespace acnn
