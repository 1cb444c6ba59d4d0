#include "compiler/codegen/KernelKey.h"
#include "compiler/codegen/KernelLocation.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace acnn {

static void writeBody(llvm::raw_ostream &os, linalg::LinalgOp op) {
  os << '(';
  llvm::interleave(
      op.getBlock()->without_terminator(), os,
      [&](Operation &inner) { os << inner.getName().getStringRef(); }, ",");
  os << ')';
}

std::string kernelKey(linalg::LinalgOp loops, linalg::LinalgOp epilogue, bool withStart) {
  std::string key;
  llvm::raw_string_ostream os(key);
  os << loops->getName().getStringRef() << ' ';
  llvm::interleave(
      loops.getStaticLoopRanges(), os,
      [&](int64_t e) { ShapedType::isDynamic(e) ? os << '?' : os << e; }, "x");
  os << ' ';
  for (utils::IteratorType it : loops.getIteratorTypesArray())
    os << (it == utils::IteratorType::reduction ? 'r' : 'p');
  llvm::SetVector<Type> elements;
  for (Type type : loops->getOperandTypes())
    elements.insert(getElementTypeOrSelf(type));
  for (Type element : elements)
    os << ' ' << element;
  // A named conv's or pool's loop extents do not say how it walks its input:
  // a stride-2 3x3 conv over a 14x14 map has the loops of a stride-1 one over
  // 7x7, and a schedule of several output rows, fine for the stride-1 one,
  // left the stride-2 one scalar. Unit strides and dilations go unwritten.
  for (llvm::StringRef name : {"strides", "dilations"}) {
    auto values = loops->getAttrOfType<DenseIntElementsAttr>(name);
    if (!values || llvm::all_of(values.getValues<int64_t>(), [](int64_t v) { return v == 1; }))
      continue;
    os << ' ' << name << '(';
    llvm::interleave(values.getValues<int64_t>(), os, ",");
    os << ')';
  }
  if (isa<linalg::GenericOp>(loops)) {
    os << " maps";
    for (AffineMap map : loops.getIndexingMapsArray()) {
      os << '(';
      llvm::interleave(map.getResults(), os, ",");
      os << ')';
    }
    os << " body";
    writeBody(os, loops);
  }
  if (epilogue) {
    os << " epilogue";
    writeBody(os, epilogue);
  }
  if (withStart)
    os << " start";
  // Inside acnn-fuse-pool-into-conv's row blocks: no threads of its own.
  if (loops->getParentOfType<scf::ForallOp>())
    os << " in-row-block";
  return key;
}

std::vector<std::string> kernelEntryNames(llvm::ArrayRef<Operation *> kernels) {
  std::vector<std::string> names;
  llvm::StringMap<int> seen;
  for (Operation *op : kernels) {
    StringAttr kernel = kernelNameOf(op);
    std::string name = kernel ? kernel.str() : "kernel";
    int n = ++seen[name];
    names.push_back(n == 1 ? name : name + "#" + std::to_string(n));
  }
  return names;
}

} // namespace acnn
