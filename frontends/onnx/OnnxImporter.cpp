// The graph walk: read the protobuf, define weights and inputs, check each
// node against the op table and convert it, return the outputs. For a
// coverage report the walk goes on past refused nodes.
#include "frontends/onnx/OnnxImporter.h"
#include "dialects/acnn/ShapeUtils.h"
#include "frontends/onnx/LocalFunctions.h"
#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OnnxTensors.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <climits>
#include <functional>
#include <vector>

using namespace mlir;
using llvm::Expected;
using llvm::SmallVector;
using llvm::StringRef;

namespace acnn {

namespace {

llvm::Error error(const llvm::Twine &why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), why);
}

bool isDefaultDomain(StringRef domain) { return domain.empty() || domain == "ai.onnx"; }

/// True for a computed value that is not f32: ArgMax's indices.
bool holdsIndices(const OnnxValue &v) {
  return !v.known && v.value && !cast<RankedTensorType>(v.value.getType()).getElementType().isF32();
}

Expected<onnx::ModelProto> readModel(StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buffer)
    return error(path + ": cannot read (" + buffer.getError().message() + ")");
  auto invalid = [&](const llvm::Twine &why) {
    return error(path + ": not a valid ONNX model (" + why + ")");
  };
  StringRef bytes = (*buffer)->getBuffer();
  if (bytes.size() > size_t(INT_MAX))
    return invalid("larger than the 2 GiB protobuf limit");
  onnx::ModelProto model;
  if (!model.ParseFromArray(bytes.data(), int(bytes.size())))
    return invalid("protobuf parsing failed");
  if (llvm::Error e = loadExternalData(model, path))
    return error(path + ": " + llvm::toString(std::move(e)));
  return model;
}

// An attribute's value as FixedAttr::only spells it.
std::string attrText(const onnx::AttributeProto &a) {
  switch (a.type()) {
  case onnx::AttributeProto::INT:
    return std::to_string(a.i());
  case onnx::AttributeProto::STRING:
    return a.s();
  case onnx::AttributeProto::INTS:
    return llvm::join(llvm::map_range(a.ints(), [](int64_t i) { return std::to_string(i); }), ",");
  default:
    return "a " + onnx::AttributeProto::AttributeType_Name(a.type());
  }
}

// What a node is checked for before any value is looked at: a converter for
// its op, its opset, input and output counts, and fixed attributes.
Expected<const OpSpec *> checkSpec(NodeContext &ctx, const onnx::NodeProto &node, int64_t opset) {
  bool standard = isDefaultDomain(node.domain());
  std::string key = standard ? node.op_type() : node.domain() + "." + node.op_type();
  auto found = onnxOpTable().find(key);
  if (found == onnxOpTable().end())
    return ctx.fail(standard ? "unsupported op"
                             : "unsupported op (domain '" + node.domain() + "')");
  const OpSpec &op = found->second;
  if (standard && (opset < op.since || opset > op.until))
    return ctx.fail("opset " + llvm::Twine(opset) + " is outside the opsets " +
                    llvm::Twine(op.since) + "-" + llvm::Twine(op.until) +
                    " acnn supports for this op");
  unsigned n = node.input_size();
  if (n < op.minInputs || n > op.maxInputs) {
    std::string count = op.maxInputs == kVariadic ? "at least " + std::to_string(op.minInputs)
                        : op.minInputs == op.maxInputs
                            ? std::to_string(op.minInputs)
                            : std::to_string(op.minInputs) + " to " + std::to_string(op.maxInputs);
    return ctx.fail("expects " + count + " inputs, got " + llvm::Twine(n));
  }
  for (int i = 0; i < node.output_size(); ++i)
    if (!node.output(i).empty() && unsigned(i) >= op.maxOutputs)
      return ctx.fail("output " + llvm::Twine(i) + " ('" + node.output(i) + "') is not supported");
  for (const FixedAttr &fixed : op.fixedAttrs)
    for (const onnx::AttributeProto &a : node.attribute()) {
      if (a.name() != fixed.name || (*fixed.only && attrText(a) == fixed.only))
        continue;
      if (!*fixed.only)
        return ctx.fail("attribute '" + a.name() + "' is not supported");
      return ctx.fail("attribute '" + a.name() + "' is '" + attrText(a) + "'; acnn takes only '" +
                      fixed.only + "'");
    }
  return &op;
}

using Nodes = google::protobuf::RepeatedPtrField<onnx::NodeProto>;
using NodeList = std::vector<std::reference_wrapper<const onnx::NodeProto>>;

// Where a walk over one model keeps its state.
class GraphImporter {
public:
  /// With `coverage`, refused nodes are noted there and the walk goes on.
  /// `nodes` are the graph's, or those with its local functions inlined.
  GraphImporter(GraphBuilder &g, const onnx::GraphProto &graph, const NodeList &nodes,
                int64_t opset, CoverageReport *coverage)
      : graph(graph), nodes(nodes), state{g, opset, {}}, coverage(coverage) {}

  llvm::Error run(const OnnxImportOptions &options) {
    if (llvm::Error e = defineWeights())
      return e;
    if (llvm::Error e = defineInputs(options))
      return e;
    for (size_t i = 0; i < nodes.size(); ++i)
      if (llvm::Error e = convert(nodes[i], int(i)))
        return e;
    return defineOutputs();
  }

private:
  llvm::Error defineWeights() {
    for (const onnx::TensorProto &t : graph.initializer()) {
      Expected<KnownTensor> data = decodeTensor(t);
      if (!data)
        return data.takeError();
      state.values[t.name()].known = std::move(*data);
    }
    if (graph.sparse_initializer_size())
      return error("sparse initializers are not supported");
    return llvm::Error::success();
  }

  // Graph inputs that are initializers are weights with a default, not inputs.
  llvm::Error defineInputs(const OnnxImportOptions &options) {
    llvm::StringSet<> seen;
    for (const onnx::ValueInfoProto &in : graph.input()) {
      if (seen.contains(in.name()))
        return error("input '" + in.name() + "' is declared twice");
      if (state.values.count(in.name()))
        continue;
      seen.insert(in.name());
      if (!in.type().has_tensor_type())
        return error("input '" + in.name() + "' is not a tensor");
      const onnx::TypeProto::Tensor &type = in.type().tensor_type();
      if (type.elem_type() != onnx::TensorProto::FLOAT)
        return error("input '" + in.name() + "' has element type " +
                     dataTypeName(type.elem_type()) + "; acnn models take FLOAT inputs");
      Expected<SmallVector<int64_t>> shape = inputShape(in.name(), type, options);
      if (!shape)
        return shape.takeError();
      if (std::optional<std::string> why = oversizeReason(*shape))
        return error("input '" + in.name() + "': " + *why);
      state.values[in.name()].value = state.graph.addInput(in.name(), *shape);
    }
    for (const auto &entry : options.inputShapes)
      if (!seen.contains(entry.getKey()))
        return error("a shape is given for '" + entry.getKey() +
                     "', which is not an input of the model");
    return llvm::Error::success();
  }

  Expected<SmallVector<int64_t>> inputShape(StringRef name, const onnx::TypeProto::Tensor &type,
                                            const OnnxImportOptions &options) {
    auto given = options.inputShapes.find(name);
    if (given != options.inputShapes.end() &&
        llvm::any_of(given->second, [](int64_t d) { return d < 0; }))
      return error("input '" + name + "': given shape " + formatShape(given->second) +
                   " has a negative dim");
    if (!type.has_shape()) {
      if (given == options.inputShapes.end())
        return error("input '" + name + "' has no shape in the model; give one");
      return given->second;
    }
    SmallVector<int64_t> shape;
    for (const onnx::TensorShapeProto::Dimension &d : type.shape().dim()) {
      if (d.has_dim_value() && d.dim_value() < 0)
        return error("input '" + name + "' has a negative dim");
      shape.push_back(d.has_dim_value() ? d.dim_value() : -1);
    }
    if (given != options.inputShapes.end()) {
      // A given shape pins the symbolic dims; the static ones must agree.
      bool ok = given->second.size() == shape.size();
      for (size_t i = 0; ok && i < shape.size(); ++i)
        ok = shape[i] < 0 || shape[i] == given->second[i];
      if (!ok)
        return error("input '" + name + "': given shape " + formatShape(given->second) +
                     " does not match the model's " + formatShape(shape) + " (-1: symbolic)");
      return given->second;
    }
    // A symbolic batch is 1; any other symbolic dim (an image's height) has
    // no default that would make sense.
    SmallVector<std::string> unknown;
    for (size_t i = 1; i < shape.size(); ++i)
      if (shape[i] < 0) {
        const std::string &param = type.shape().dim(i).dim_param();
        unknown.push_back("axis " + std::to_string(i) +
                          (param.empty() ? "" : " ('" + param + "')"));
      }
    if (!unknown.empty()) {
      SmallVector<std::string> dims;
      for (size_t i = 0; i < shape.size(); ++i)
        dims.push_back(shape[i] >= 0 ? std::to_string(shape[i]) : i ? "?" : "1");
      return error("input '" + name + "' has symbolic dims beyond the batch (" +
                   llvm::join(unknown, ", ") + "); give its shape with --input-shape " + name +
                   "=" + llvm::join(dims, "x") + ", each ? a size");
    }
    if (!shape.empty() && shape[0] < 0)
      shape[0] = 1;
    return shape;
  }

  llvm::Error convert(const onnx::NodeProto &node, int index) {
    NodeContext ctx(state, node, index);
    llvm::Error e = checkAndConvert(ctx, node);
    if (!e || !coverage)
      return e;
    return llvm::handleErrors(std::move(e), [&](const NodeError &refusal) {
      coverage->unsupported.push_back({refusal.node, refusal.op, refusal.reason});
      refuseOutputs(node);
    });
  }

  // Readers of a refused node's outputs get only the checks of checkSpec.
  void refuseOutputs(const onnx::NodeProto &node) {
    for (const std::string &out : node.output())
      refused.insert(out);
  }

  llvm::Error checkAndConvert(NodeContext &ctx, const onnx::NodeProto &node) {
    Expected<const OpSpec *> op = checkSpec(ctx, node, state.opset);
    if (!op)
      return op.takeError();
    bool readsRefused = false;
    for (int i = 0; i < node.input_size(); ++i) {
      const std::string &in = node.input(i);
      // An empty name leaves an optional input out; required ones must be there.
      if (in.empty() && (unsigned(i) < (*op)->minInputs || (*op)->maxInputs == kVariadic))
        return ctx.fail("input " + llvm::Twine(i) + " is required");
      if (refused.contains(in))
        readsRefused = true;
      else if (!in.empty() && !state.values.count(in))
        return ctx.fail("input '" + in +
                        "' is not produced by any earlier node, initializer or graph input");
    }
    for (const std::string &out : node.output())
      if (!out.empty() && state.values.count(out))
        return ctx.fail("output '" + out + "' is already defined");
    if (readsRefused) {
      refuseOutputs(node);
      return llvm::Error::success();
    }
    for (int i = 0; i < node.input_size(); ++i) {
      if (!ctx.hasInput(i) || !(*op)->mustBeKnown(i) || ctx.known(i))
        continue;
      std::string input = "input " + std::to_string(i) + " ('" + node.input(i) + "')";
      if ((*op)->knownInputs == ~0u)
        return ctx.fail("is evaluated at import only (acnn has no graph op for it), but " + input +
                        " is computed by the graph");
      return ctx.fail(input + " must be a constant; acnn needs it at compile time");
    }
    if (node.op_type() != "Cast" && node.op_type() != "Identity")
      for (int i = 0; i < node.input_size(); ++i)
        if (ctx.hasInput(i) && holdsIndices(state.values.find(node.input(i))->second))
          return ctx.fail("input " + llvm::Twine(i) + " ('" + node.input(i) +
                          "') holds ArgMax's INT64 indices, which acnn takes only as a model "
                          "output or through a Cast to FLOAT");
    if (llvm::Error e = (*op)->convert(ctx))
      return e;
    for (const std::string &out : node.output())
      if (!out.empty() && !state.values.count(out))
        return ctx.fail("produced no value for output '" + out + "'");
    return llvm::Error::success();
  }

  llvm::Error defineOutputs() {
    for (const onnx::ValueInfoProto &out : graph.output()) {
      if (refused.contains(out.name()))
        continue;
      if (!state.values.count(out.name()))
        return error("graph output '" + out.name() + "' is not produced by any node");
      // The output's type is what the graph computes for the pinned inputs;
      // a shape the model declares is not consulted (exporters often leave
      // the batch of an output static while the input's is symbolic).
      state.graph.addOutput(out.name(), state.materialize(out.name()));
    }
    return llvm::Error::success();
  }

  const onnx::GraphProto &graph;
  const NodeList &nodes;
  ImportState state;
  CoverageReport *coverage;
  llvm::StringSet<> refused;
};

Expected<int64_t> defaultOpset(const onnx::ModelProto &model, StringRef name) {
  std::optional<int64_t> opset;
  for (const onnx::OperatorSetIdProto &id : model.opset_import())
    if (isDefaultDomain(id.domain()))
      opset = id.version();
  if (!opset)
    return error(name + ": not a valid ONNX model (no opset for the default domain)");
  if (!model.has_graph())
    return error(name + ": not a valid ONNX model (no graph)");
  return *opset;
}

// The nodes the import walks: the graph's own, or, where the model has local
// functions, the graph's with their calls expanded, held in `storage`.
Expected<NodeList> graphNodes(const onnx::ModelProto &model, int64_t opset, Nodes &storage) {
  const Nodes *nodes = &model.graph().node();
  if (model.functions_size()) {
    Expected<Nodes> inlined = inlineLocalFunctions(model, opset);
    if (!inlined)
      return inlined.takeError();
    storage = std::move(*inlined);
    nodes = &storage;
  }
  return NodeList(nodes->begin(), nodes->end());
}

llvm::Error prefixed(StringRef name, llvm::Error e) {
  return error(name + ": " + llvm::toString(std::move(e)));
}

} // namespace

Expected<OwningOpRef<ModuleOp>> importOnnxModel(MLIRContext &ctx, const onnx::ModelProto &model,
                                                StringRef name, const OnnxImportOptions &options) {
  Expected<int64_t> opset = defaultOpset(model, name);
  if (!opset)
    return opset.takeError();
  Nodes storage;
  Expected<NodeList> nodes = graphNodes(model, *opset, storage);
  if (!nodes)
    return prefixed(name, nodes.takeError());
  const onnx::GraphProto &graph = model.graph();
  GraphBuilder g(ctx, graph.name().empty() ? llvm::sys::path::stem(name).str() : graph.name());
  if (llvm::Error e = GraphImporter(g, graph, *nodes, *opset, nullptr).run(options))
    return prefixed(name, std::move(e));
  Expected<OwningOpRef<ModuleOp>> module = g.finish();
  if (!module)
    return prefixed(name, module.takeError());
  return module;
}

Expected<OwningOpRef<ModuleOp>> importOnnx(MLIRContext &ctx, StringRef path,
                                           const OnnxImportOptions &options) {
  Expected<onnx::ModelProto> model = readModel(path);
  if (!model)
    return model.takeError();
  return importOnnxModel(ctx, *model, path, options);
}

Expected<CoverageReport> checkOnnxCoverage(MLIRContext &ctx, StringRef path,
                                           const OnnxImportOptions &options) {
  Expected<onnx::ModelProto> model = readModel(path);
  if (!model)
    return model.takeError();
  Expected<int64_t> opset = defaultOpset(*model, path);
  if (!opset)
    return opset.takeError();
  Nodes storage;
  Expected<NodeList> nodes = graphNodes(*model, *opset, storage);
  if (!nodes)
    return prefixed(path, nodes.takeError());
  CoverageReport report;
  report.numNodes = nodes->size();
  GraphBuilder g(ctx, "coverage");
  if (llvm::Error e = GraphImporter(g, model->graph(), *nodes, *opset, &report).run(options))
    return prefixed(path, std::move(e));
  return report;
}

} // namespace acnn
