// docs/onnx-ops.md, written from the op table (`acnnc onnx-ops`), so the
// doc says exactly what the graph walk checks.
#include "frontends/onnx/OnnxOpTable.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>

namespace acnn {

namespace {

std::string range(int64_t lo, int64_t hi) {
  if (hi == int64_t(kVariadic))
    return std::to_string(lo) + "+";
  return lo == hi ? std::to_string(lo) : std::to_string(lo) + "-" + std::to_string(hi);
}

std::string knownInputs(const OpSpec &spec) {
  if (spec.knownInputs == ~0u)
    return "all (evaluated at import)";
  std::string r;
  for (unsigned i = 0; i < 32; ++i)
    if (spec.mustBeKnown(i))
      r += (r.empty() ? "" : ", ") + std::to_string(i);
  return r;
}

std::string limits(const OpSpec &spec) {
  std::vector<std::string> parts;
  for (const FixedAttr &a : spec.fixedAttrs)
    parts.push_back(*a.only ? "`" + std::string(a.name) + "` other than `" + a.only + "`"
                            : "`" + std::string(a.name) + "`");
  if (!spec.notes.empty())
    parts.push_back(spec.notes);
  return llvm::join(parts, "; ");
}

} // namespace

void writeOnnxOpsDoc(llvm::raw_ostream &os) {
  std::vector<std::pair<std::string, const OpSpec *>> ops;
  for (const auto &entry : onnxOpTable())
    ops.push_back({entry.getKey().str(), &entry.getValue()});
  llvm::sort(ops);
  os << "# ONNX operators acnn imports\n\n"
     << "Generated from the importer's op table by `acnnc onnx-ops > docs/onnx-ops.md`; a lit\n"
     << "test checks it is current. `acnnc inspect MODEL --coverage` checks a model against it.\n\n"
     << "- *opsets*: the model opsets (of `ai.onnx`) whose version of the op is implemented.\n"
     << "- *inputs*, *outputs*: how many the op takes and produces.\n"
     << "- *constant inputs*: inputs (numbered from 0) that must be known when importing:\n"
     << "  initializers, `Constant` nodes, or shape arithmetic on them and on static shapes.\n"
     << "  \"all\": acnn evaluates the op at import only; it has no graph op for it.\n"
     << "- *not taken*: attributes taken only at their default value (or not at all), and\n"
     << "  other limits, each refused with an error naming the node.\n\n"
     << "A call of one of the model's local functions (as torch.onnx's dynamo exporter writes\n"
     << "modules) is replaced by the function's nodes before import; those are ops of this "
        "table.\n\n"
     << ops.size() << " ops.\n\n"
     << "| op | opsets | inputs | outputs | constant inputs | not taken |\n"
     << "|---|---|---|---|---|---|\n";
  for (const auto &[name, spec] : ops) {
    // Ops of other domains are not checked against the ai.onnx opset.
    bool standard = llvm::StringRef(name).count('.') == 0;
    std::string opsets = standard ? range(spec->since, spec->until) : "-";
    os << "| " << name << " | " << opsets << " | " << range(spec->minInputs, spec->maxInputs)
       << " | " << (spec->maxOutputs == kVariadic ? "any" : std::to_string(spec->maxOutputs))
       << " | " << knownInputs(*spec) << " | " << limits(*spec) << " |\n";
  }
}

} // namespace acnn
