#include "compiler/driver/GraphDot.h"
#include "compiler/passes/Provenance.h"
#include "dialects/acnn/AcnnOps.h"
#include "dialects/acnn/ShapeUtils.h"
#include "dialects/acnn/AcnnDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"

using namespace mlir;

namespace acnn {

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

/// Fill colours for fused kernels, one per op kind in order of appearance.
static constexpr llvm::StringLiteral kPalette[] = {"#a6cee3", "#b2df8a", "#fdbf6f", "#cab2d6",
                                                   "#fb9a99", "#ffff99", "#8dd3c7", "#d9d9d9"};

/// The style of a kernel that fused several ops: filled in its kind's
/// colour, the absorbed nodes in its tooltip. Other ops stay plain.
static std::string fusionStyle(Operation &op, ArrayRef<AbsorbedOp> absorbed,
                               llvm::StringMap<size_t> &colours) {
  if (absorbed.size() < 2)
    return "style=rounded";
  size_t colour = colours.try_emplace(op.getName().getStringRef(), colours.size()).first->second;
  std::string style = "style=\"rounded,filled\", fillcolor=\"" +
                      kPalette[colour % std::size(kPalette)].str() + "\", tooltip=\"";
  for (const AbsorbedOp &a : absorbed)
    style += escape(a.str()) + "\\n";
  return style + "\"";
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
  llvm::StringMap<size_t> colours;
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
    SmallVector<AbsorbedOp> absorbed = absorbedOps(&op);
    os << "  " << id << " [shape=box, " << fusionStyle(op, absorbed, colours) << ", label=\""
       << escape(op.getName().stripDialect());
    if (StringRef name = nodeName(op.getLoc()); !name.empty())
      os << "\\n" << escape(name);
    for (Type t : op.getResultTypes())
      os << "\\n" << shapeText(t);
    if (weights)
      os << "\\n(" << weights << (weights == 1 ? " weight)" : " weights)");
    if (absorbed.size() > 1)
      os << "\\n(" << absorbed.size() << " ops fused)";
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
