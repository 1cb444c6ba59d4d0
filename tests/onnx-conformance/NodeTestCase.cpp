#include "tests/onnx-conformance/NodeTestCase.h"
#include "dialects/acnn/ShapeUtils.h"
#include "frontends/onnx/OnnxOpTable.h"
#include "frontends/onnx/OnnxTensors.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"

#include <cmath>
#include <fstream>

namespace acnn::conformance {

namespace {

llvm::Error error(const llvm::Twine &why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), why);
}

template <typename Proto> llvm::Error readProto(const std::string &path, Proto &proto) {
  std::ifstream in(path, std::ios::binary);
  if (!in || !proto.ParseFromIstream(&in))
    return error(path + ": cannot be read");
  return llvm::Error::success();
}

// The .pb files `prefix`_0, _1, ... in `dir`.
llvm::Expected<std::vector<onnx::TensorProto>> readTensors(const std::string &dir,
                                                           const std::string &prefix) {
  std::vector<onnx::TensorProto> tensors;
  for (int i = 0;; ++i) {
    std::string path = dir + "/" + prefix + "_" + std::to_string(i) + ".pb";
    if (!llvm::sys::fs::exists(path))
      return tensors;
    if (llvm::Error e = readProto(path, tensors.emplace_back()))
      return std::move(e);
  }
}

std::string opKey(const onnx::NodeProto &node) {
  bool standard = node.domain().empty() || node.domain() == "ai.onnx";
  return standard ? node.op_type() : node.domain() + "." + node.op_type();
}

const OpSpec *specOf(const onnx::NodeProto &node) {
  auto it = onnxOpTable().find(opKey(node));
  return it == onnxOpTable().end() ? nullptr : &it->second;
}

// True when some node reads `name` at an input its op needs known.
bool feedsKnownInput(const onnx::GraphProto &graph, const std::string &name) {
  for (const onnx::NodeProto &node : graph.node()) {
    const OpSpec *spec = specOf(node);
    for (int i = 0; spec && i < node.input_size(); ++i)
      if (node.input(i) == name && spec->mustBeKnown(i))
        return true;
  }
  return false;
}

} // namespace

llvm::Expected<NodeTestCase> readCase(const std::string &dir) {
  NodeTestCase c;
  if (llvm::Error e = readProto(dir + "/model.onnx", c.model))
    return std::move(e);
  std::vector<std::string> sets;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec))
    if (llvm::StringRef(it->path()).contains("/test_data_set_"))
      sets.push_back(it->path());
  llvm::sort(sets);
  for (const std::string &set : sets) {
    DataSet &data = c.dataSets.emplace_back();
    for (auto [prefix, tensors] : {std::pair{"input", &data.inputs}, {"output", &data.outputs}}) {
      auto read = readTensors(set, prefix);
      if (!read)
        return read.takeError();
      *tensors = std::move(*read);
    }
  }
  return c;
}

std::string unsupportedOps(const onnx::ModelProto &model) {
  std::vector<std::string> missing;
  for (const onnx::NodeProto &node : model.graph().node())
    if (!specOf(node) && !llvm::is_contained(missing, opKey(node)))
      missing.push_back(opKey(node));
  return llvm::join(missing, ", ");
}

llvm::Expected<onnx::ModelProto> bindConstantInputs(const onnx::ModelProto &model,
                                                    const DataSet &data,
                                                    std::vector<Tensor> &fedInputs) {
  onnx::ModelProto bound = model;
  onnx::GraphProto &graph = *bound.mutable_graph();
  llvm::StringSet<> weights;
  for (const onnx::TensorProto &t : graph.initializer())
    weights.insert(t.name());
  size_t next = 0; // the data set lists the inputs that are not weights
  for (const onnx::ValueInfoProto &in : model.graph().input()) {
    if (weights.contains(in.name()))
      continue;
    if (next == data.inputs.size())
      return error("the data set has no value for input '" + in.name() + "'");
    const onnx::TensorProto &value = data.inputs[next++];
    if (feedsKnownInput(graph, in.name())) {
      onnx::TensorProto *weight = graph.add_initializer();
      *weight = value;
      weight->set_name(in.name());
      continue;
    }
    int32_t type = in.type().has_tensor_type() ? in.type().tensor_type().elem_type() : 0;
    if (type != onnx::TensorProto::FLOAT)
      return error("graph input '" + in.name() + "' is " +
                   (in.type().has_tensor_type() ? dataTypeName(type) : "not a tensor") +
                   "; acnn's graph values are FLOAT tensors");
    llvm::Expected<KnownTensor> t = decodeTensor(value);
    if (!t)
      return t.takeError();
    fedInputs.push_back(
        Tensor{std::vector<int64_t>(t->shape.begin(), t->shape.end()), std::move(t->floats)});
  }
  return bound;
}

std::optional<std::string> compare(const Tensor &got, const KnownTensor &want, double rtol,
                                   double atol) {
  if (llvm::ArrayRef<int64_t>(got.shape) != llvm::ArrayRef<int64_t>(want.shape))
    return "shape " + formatShape(got.shape) + ", expected " + formatShape(want.shape);
  KnownTensor expected = want.asFloats();
  size_t bad = 0;
  std::string first;
  for (size_t i = 0; i < got.data.size(); ++i) {
    double g = got.data[i], w = expected.floats[i];
    bool ok =
        (std::isnan(g) && std::isnan(w)) || g == w || std::abs(g - w) <= atol + rtol * std::abs(w);
    if (ok)
      continue;
    if (bad++ == 0)
      first = "element " + std::to_string(i) + " is " + std::to_string(g) + ", expected " +
              std::to_string(w);
  }
  if (!bad)
    return std::nullopt;
  return std::to_string(bad) + " of " + std::to_string(got.data.size()) + " elements differ; " +
         first;
}

} // namespace acnn::conformance
