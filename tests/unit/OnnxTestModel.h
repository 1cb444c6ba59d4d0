#ifndef ACNN_TESTS_UNIT_ONNXTESTMODEL_H
#define ACNN_TESTS_UNIT_ONNXTESTMODEL_H

// What the ONNX importer's tests share: ONNX models built with the protobuf
// API (Model and the attribute setters), a fixture that writes them to a
// temporary file and imports them, and readers of the imported IR.

#include "frontends/onnx/OnnxImporter.h"
#include "dialects/acnn/AcnnOps.h"
#include "frontends/text/GraphBuilder.h"

#include "onnx/onnx_pb.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

namespace acnn::testing {

using namespace mlir;

using Ints = std::vector<int64_t>;

inline void intAttr(onnx::NodeProto &n, const std::string &name, int64_t v) {
  onnx::AttributeProto *a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}

inline void intsAttr(onnx::NodeProto &n, const std::string &name, const Ints &v) {
  onnx::AttributeProto *a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t i : v)
    a->add_ints(i);
}

inline void floatAttr(onnx::NodeProto &n, const std::string &name, float v) {
  onnx::AttributeProto *a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(v);
}

inline void stringAttr(onnx::NodeProto &n, const std::string &name, const std::string &v) {
  onnx::AttributeProto *a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s(v);
}

// An ONNX model under construction.
class Model {
public:
  explicit Model(int64_t opset = 17) {
    proto.set_ir_version(8);
    proto.add_opset_import()->set_version(opset);
    proto.mutable_graph()->set_name("test");
  }

  /// A FLOAT graph input; a negative dim is symbolic ("N").
  Model &input(const std::string &name, const Ints &shape) {
    onnx::ValueInfoProto *in = proto.mutable_graph()->add_input();
    in->set_name(name);
    onnx::TypeProto::Tensor *t = in->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t d : shape) {
      onnx::TensorShapeProto::Dimension *dim = t->mutable_shape()->add_dim();
      if (d < 0)
        dim->set_dim_param("N");
      else
        dim->set_dim_value(d);
    }
    return *this;
  }

  Model &output(const std::string &name) {
    proto.mutable_graph()->add_output()->set_name(name);
    return *this;
  }

  /// A FLOAT initializer in float_data; values default to 0.1, 0.2, ...
  Model &weight(const std::string &name, const Ints &shape, std::vector<float> data = {}) {
    onnx::TensorProto *t = proto.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    int64_t n = 1;
    for (int64_t d : shape) {
      t->add_dims(d);
      n *= d;
    }
    if (data.empty())
      for (int64_t i = 0; i < n; ++i)
        data.push_back(0.1f * (i + 1));
    for (float f : data)
      t->add_float_data(f);
    return *this;
  }

  /// A 1-D INT64 initializer in raw_data.
  Model &ints(const std::string &name, const Ints &data) {
    onnx::TensorProto *t = proto.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    t->add_dims(data.size());
    t->set_raw_data(
        std::string(reinterpret_cast<const char *>(data.data()), data.size() * sizeof(int64_t)));
    return *this;
  }

  onnx::NodeProto &node(const std::string &op, const std::vector<std::string> &inputs,
                        const std::vector<std::string> &outputs, const std::string &name = "") {
    onnx::NodeProto *n = proto.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (const std::string &i : inputs)
      n->add_input(i);
    for (const std::string &o : outputs)
      n->add_output(o);
    return *n;
  }

  std::string bytes() const { return proto.SerializeAsString(); }

  onnx::ModelProto proto;
};

class OnnxImporterTest : public ::testing::Test {
protected:
  void TearDown() override {
    for (const std::string &f : files)
      llvm::sys::fs::remove(f);
  }

  std::string writeFile(const std::string &bytes) {
    llvm::SmallString<128> path;
    EXPECT_FALSE(llvm::sys::fs::createTemporaryFile("onnx-importer-test", "onnx", path));
    std::ofstream(path.c_str(), std::ios::binary) << bytes;
    files.push_back(path.str().str());
    return files.back();
  }

  llvm::Expected<OwningOpRef<ModuleOp>> import(const Model &m,
                                               const OnnxImportOptions &options = {}) {
    return importOnnx(ctx, writeFile(m.bytes()), options);
  }

  /// The error message of importing `m`, or "" if it imports.
  std::string importError(const Model &m) {
    auto module = import(m);
    return module ? "" : llvm::toString(module.takeError());
  }

  MLIRContext ctx;
  std::vector<std::string> files;
};

// Ops of the model by name, e.g. {"acnn.conv2d": 1}.
inline std::map<std::string, int> histogram(ModuleOp module) {
  std::map<std::string, int> counts;
  module.walk([&](Operation *op) {
    if (op->getDialect() && op->getDialect()->getNamespace() == "acnn")
      ++counts[op->getName().getStringRef().str()];
  });
  return counts;
}

inline std::string format(const std::map<std::string, int> &counts) {
  std::string s;
  for (auto &[name, n] : counts)
    s += (s.empty() ? "" : ", ") + name + " " + std::to_string(n);
  return s;
}

template <typename OpT> OpT first(ModuleOp module) {
  OpT found;
  module.walk([&](OpT op) {
    if (!found)
      found = op;
  });
  return found;
}

inline func::FuncOp entry(ModuleOp module) { return module.lookupSymbol<func::FuncOp>(kEntryName); }

inline ArrayRef<int64_t> shapeOf(Value v) { return cast<RankedTensorType>(v.getType()).getShape(); }

// Conv (3x3, pads 1) -> BatchNormalization (epsilon 1e-3) -> Relu on [1, 3, 8, 8].
inline Model convBnRelu() {
  Model m;
  m.input("x", {1, 3, 8, 8}).output("y");
  m.weight("w", {4, 3, 3, 3}).weight("b", {4});
  for (const char *p : {"scale", "bias", "mean", "var"})
    m.weight(p, {4});
  onnx::NodeProto &conv = m.node("Conv", {"x", "w", "b"}, {"c"}, "conv");
  intsAttr(conv, "pads", {1, 1, 1, 1});
  intsAttr(conv, "kernel_shape", {3, 3});
  floatAttr(m.node("BatchNormalization", {"c", "scale", "bias", "mean", "var"}, {"n"}, "bn"),
            "epsilon", 1e-3f);
  m.node("Relu", {"n"}, {"y"}, "relu");
  return m;
}

} // namespace acnn::testing

#endif
