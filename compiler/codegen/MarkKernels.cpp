// acnn-mark-kernels: name each kernel after its graph node, op and shapes.
#include "compiler/codegen/KernelLocation.h"
#include "compiler/codegen/Passes.h"
#include "dialects/acnn/AcnnDialect.h"

#include "llvm/ADT/StringSet.h"

namespace acnn {

#define GEN_PASS_DEF_MARKKERNELS
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

/// The runtime's profile prints names as they are: keep to a safe alphabet.
std::string sanitize(std::string name) {
  for (char &c : name)
    if (!llvm::isAlnum(c) && !llvm::StringRef("_./-").contains(c))
      c = '_';
  return name;
}

void writeShape(llvm::raw_ostream &os, RankedTensorType type) {
  os << '_';
  llvm::interleave(type.getShape(), os, "x");
}

/// "[node/]op_shapes": the operands of rank >= 2 (biases and scalars add
/// nothing), else the result.
std::string describe(Operation *op) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (auto node = op->getLoc()->findInstanceOf<NameLoc>())
    os << node.getName().getValue() << '/';
  os << op->getName().stripDialect();
  bool any = false;
  for (Type type : op->getOperandTypes())
    if (auto tensor = dyn_cast<RankedTensorType>(type); tensor && tensor.getRank() >= 2) {
      writeShape(os, tensor);
      any = true;
    }
  if (!any && op->getNumResults() == 1)
    if (auto tensor = dyn_cast<RankedTensorType>(op->getResult(0).getType());
        tensor && tensor.getRank() > 0)
      writeShape(os, tensor);
  return sanitize(text);
}

struct MarkKernels : impl::MarkKernelsBase<MarkKernels> {
  void runOnOperation() override {
    llvm::StringSet<> taken;
    getOperation().walk([&](Operation *op) {
      // Weights cost nothing at run time.
      if (!isa_and_nonnull<AcnnDialect>(op->getDialect()) || op->hasTrait<OpTrait::ConstantLike>())
        return;
      std::string base = describe(op), name = base;
      // Names identify kernels: the second of two alike gets a suffix.
      for (int n = 2; !taken.insert(name).second; ++n)
        name = base + "." + std::to_string(n);
      op->setLoc(withKernelName(op->getLoc(), StringAttr::get(op->getContext(), name)));
    });
  }
};

} // namespace
} // namespace acnn
