#include "compiler/driver/GraphDot.h"
#include "dialects/acnn/AcnnOps.h"
#include "dialects/acnn/ShapeUtils.h"
#include "dialects/acnn/AcnnDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"

using namespace mlir;

namespace acnn {

static std::string nodeName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (std::string n = nodeName(inner); !n.empty())
        return n;
  return "";
}

static std::string escape(llvm::StringRef s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out;
}

static std::string shapeText(Type type) {
  return formatShape(cast<RankedTensorType>(type).getShape());
}

void writeDot(ModuleOp model, llvm::raw_ostream &os) {
  os << "digraph \"" << escape(model.getSymName().value_or("model")) << "\" {\n"
     << "  rankdir=TB;\n  node [fontname=\"Helvetica\", fontsize=10];\n";
  auto entry = model.lookupSymbol<func::FuncOp>(kEntryName);
  if (!entry) {
    os << "}\n";
    return;
  }
  llvm::DenseMap<Value, std::string> source;
  for (BlockArgument arg : entry.getArguments()) {
    std::string id = "in" + std::to_string(arg.getArgNumber());
    auto name = entry.getArgAttrOfType<StringAttr>(arg.getArgNumber(), kNameAttr);
    os << "  " << id << " [shape=ellipse, label=\"" << escape(name ? name.getValue() : id)
       << "\\n" << shapeText(arg.getType()) << "\"];\n";
    source[arg] = id;
  }
  unsigned counter = 0;
  for (Operation &op : entry.getBody().front()) {
    if (isa<ConstantOp>(op))
      continue;
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
        auto name = entry.getResultAttrOfType<StringAttr>(i, kNameAttr);
        std::string id = "out" + std::to_string(i);
        os << "  " << id << " [shape=ellipse, label=\""
           << escape(name ? name.getValue() : id) << "\"];\n";
        if (source.count(v))
          os << "  " << source[v] << " -> " << id << ";\n";
      }
      continue;
    }
    std::string id = "op" + std::to_string(counter++);
    unsigned weights = 0;
    for (Value operand : op.getOperands())
      weights += isa_and_nonnull<ConstantOp>(operand.getDefiningOp());
    os << "  " << id << " [shape=box, style=rounded, label=\""
       << escape(op.getName().stripDialect());
    if (std::string name = nodeName(op.getLoc()); !name.empty())
      os << "\\n" << escape(name);
    for (Type t : op.getResultTypes())
      os << "\\n" << shapeText(t);
    if (weights)
      os << "\\n(" << weights << (weights == 1 ? " weight)" : " weights)");
    os << "\"];\n";
    for (Value operand : op.getOperands())
      if (source.count(operand))
        os << "  " << source[operand] << " -> " << id << ";\n";
    for (Value result : op.getResults())
      source[result] = id;
  }
  os << "}\n";
}

} // namespace acnn
