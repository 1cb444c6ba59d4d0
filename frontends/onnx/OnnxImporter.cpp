// The graph walk: read the protobuf, define weights and inputs, convert each
// node in order through the op table, return the outputs.
#include "frontends/onnx/OnnxImporter.h"
#include "dialects/acnn/ShapeUtils.h"
#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OnnxTensors.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <climits>

using namespace mlir;
using llvm::Expected;
using llvm::SmallVector;
using llvm::StringRef;

namespace acnn {

namespace {

llvm::Error error(const llvm::Twine &why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), why);
}

const OpTable &opTable() {
  static const OpTable table = [] {
    OpTable t;
    registerNNOps(t);
    registerElementwiseOps(t);
    registerShapeOps(t);
    return t;
  }();
  return table;
}

bool isDefaultDomain(StringRef domain) { return domain.empty() || domain == "ai.onnx"; }

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
  if (!model.has_graph())
    return invalid("no graph");
  return model;
}

// Where a walk over one model keeps its state.
class GraphImporter {
public:
  GraphImporter(GraphBuilder &g, const onnx::GraphProto &graph, int64_t opset)
      : graph(graph), state{g, opset, {}} {}

  llvm::Error run(const OnnxImportOptions &options) {
    if (llvm::Error e = defineWeights())
      return e;
    if (llvm::Error e = defineInputs(options))
      return e;
    for (int i = 0; i < graph.node_size(); ++i)
      if (llvm::Error e = convert(graph.node(i), i))
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
    for (int64_t &d : shape)
      if (d < 0)
        d = 1;
    return shape;
  }

  llvm::Error convert(const onnx::NodeProto &node, int index) {
    NodeContext ctx(state, node, index);
    bool standard = isDefaultDomain(node.domain());
    std::string key = standard ? node.op_type() : node.domain() + "." + node.op_type();
    auto spec = opTable().find(key);
    if (spec == opTable().end())
      return ctx.fail(standard ? "unsupported op"
                               : "unsupported op (domain '" + node.domain() + "')");
    const OpSpec &op = spec->second;
    unsigned n = node.input_size();
    if (n < op.minInputs || n > op.maxInputs) {
      std::string count = op.maxInputs == kVariadic ? "at least " + std::to_string(op.minInputs)
                          : op.minInputs == op.maxInputs ? std::to_string(op.minInputs)
                                                         : std::to_string(op.minInputs) + " to " +
                                                               std::to_string(op.maxInputs);
      return ctx.fail("expects " + count + " inputs, got " + llvm::Twine(n));
    }
    for (unsigned i = 0; i < n; ++i) {
      const std::string &in = node.input(i);
      // An empty name leaves an optional input out; required ones must be there.
      if (in.empty() && (i < op.minInputs || op.maxInputs == kVariadic))
        return ctx.fail("input " + llvm::Twine(i) + " is required");
      if (!in.empty() && !state.values.count(in))
        return ctx.fail("input '" + in +
                        "' is not produced by any earlier node, initializer or graph input");
    }
    for (int i = 0; i < node.output_size(); ++i) {
      const std::string &out = node.output(i);
      if (out.empty())
        continue;
      if (unsigned(i) >= op.maxOutputs)
        return ctx.fail("output " + llvm::Twine(i) + " ('" + out + "') is not supported");
      if (state.values.count(out))
        return ctx.fail("output '" + out + "' is already defined");
    }
    if (llvm::Error e = op.convert(ctx))
      return e;
    for (const std::string &out : node.output())
      if (!out.empty() && !state.values.count(out))
        return ctx.fail("produced no value for output '" + out + "'");
    return llvm::Error::success();
  }

  llvm::Error defineOutputs() {
    for (const onnx::ValueInfoProto &out : graph.output()) {
      if (!state.values.count(out.name()))
        return error("graph output '" + out.name() + "' is not produced by any node");
      state.graph.addOutput(out.name(), state.materialize(out.name()));
    }
    return llvm::Error::success();
  }

  const onnx::GraphProto &graph;
  ImportState state;
};

} // namespace

Expected<OwningOpRef<ModuleOp>> importOnnx(MLIRContext &ctx, StringRef path,
                                           const OnnxImportOptions &options) {
  Expected<onnx::ModelProto> model = readModel(path);
  if (!model)
    return model.takeError();
  std::optional<int64_t> opset;
  for (const onnx::OperatorSetIdProto &id : model->opset_import())
    if (isDefaultDomain(id.domain()))
      opset = id.version();
  if (!opset)
    return error(path + ": not a valid ONNX model (no opset for the default domain)");

  const onnx::GraphProto &graph = model->graph();
  std::string name = graph.name().empty() ? llvm::sys::path::stem(path).str() : graph.name();
  GraphBuilder g(ctx, name);
  auto withPath = [&](llvm::Error e) { return error(path + ": " + llvm::toString(std::move(e))); };
  if (llvm::Error e = GraphImporter(g, graph, *opset).run(options))
    return withPath(std::move(e));
  Expected<OwningOpRef<ModuleOp>> module = g.finish();
  if (!module)
    return withPath(module.takeError());
  return module;
}

} // namespace acnn
