// Fuzzes the ONNX importer and the graph pipeline behind it. Byte-level
// mutations test the reader (protobuf, external data references); with
// libFuzzer a structure-aware mutator also edits parsed models the way broken
// exports are broken — wrong shapes and attributes, dangling names, cycles,
// huge dims, empty or mistyped initializers, other opsets, broken local
// functions (recursive, wrong arity, missing attributes) — so that most
// inputs get past the protobuf parser into the converters and passes.
#include "FuzzUtils.h"

#include "compiler/driver/ModelLoader.h"
#include "compiler/driver/Pipeline.h"

#include "onnx/onnx_pb.h"

#include <random>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static acnn::fuzz::InputFile file("onnx");
  mlir::MLIRContext ctx;
  acnn::fuzz::quietContext(ctx);
  auto module = acnn::loadModel(ctx, file.write(data, size), {});
  if (!module) {
    llvm::consumeError(module.takeError());
    return 0;
  }
  // What `acnnc inspect` runs: every graph pass, not codegen (seconds an input).
  acnn::PipelineOptions options;
  options.stopAfter = std::string(acnn::kLastGraphStage);
  llvm::consumeError(acnn::runPipeline(**module, options));
  return 0;
}

#ifdef ACNN_LIBFUZZER
namespace {

// Values that break shape arithmetic: empty, negative, one, overflowing.
constexpr int64_t kInteresting[] = {
    0, -1, 1, 2, 3, 7, 64, 1 << 20, 1LL << 31, 1000000000000LL, 1LL << 62, INT64_MIN};

struct Mutator {
  std::mt19937_64 rng;
  explicit Mutator(unsigned seed) : rng(seed) {}
  size_t below(size_t n) { return n ? rng() % n : 0; }
  int64_t interesting() { return kInteresting[below(std::size(kInteresting))]; }

  // A value name of the graph: an input, an initializer, a node output, or one nobody defines.
  std::string name(const onnx::GraphProto &g) {
    switch (below(4)) {
    case 0:
      if (g.input_size())
        return g.input(below(g.input_size())).name();
      break;
    case 1:
      if (g.initializer_size())
        return g.initializer(below(g.initializer_size())).name();
      break;
    case 2:
      if (g.node_size()) {
        const onnx::NodeProto &n = g.node(below(g.node_size()));
        if (n.output_size())
          return n.output(below(n.output_size()));
      }
      break;
    }
    return below(2) ? "" : "dangling";
  }

  void attribute(onnx::NodeProto &n) {
    if (!n.attribute_size())
      return;
    onnx::AttributeProto &a = *n.mutable_attribute(below(n.attribute_size()));
    switch (below(5)) {
    case 0:
      a.set_i(interesting());
      break;
    case 1:
      if (a.ints_size())
        a.set_ints(below(a.ints_size()), interesting());
      else
        a.add_ints(interesting());
      break;
    case 2:
      a.set_f(below(2) ? -1e30f : 0.0f);
      break;
    case 3: // the value of another type than the one declared
      a.set_type(onnx::AttributeProto::AttributeType(below(14)));
      break;
    case 4:
      n.mutable_attribute()->DeleteSubrange(int(below(n.attribute_size())), 1);
      break;
    }
  }

  void tensorShape(onnx::TypeProto &type) {
    onnx::TensorShapeProto *shape = type.mutable_tensor_type()->mutable_shape();
    if (!shape->dim_size() || below(4) == 0) {
      shape->add_dim()->set_dim_value(interesting());
      return;
    }
    onnx::TensorShapeProto::Dimension &d = *shape->mutable_dim(below(shape->dim_size()));
    if (below(3))
      d.set_dim_value(interesting());
    else
      d.set_dim_param("N");
  }

  void initializer(onnx::TensorProto &t) {
    switch (below(5)) {
    case 0:
      if (t.dims_size())
        t.set_dims(below(t.dims_size()), interesting());
      else
        t.add_dims(interesting());
      break;
    case 1:
      t.clear_raw_data();
      t.clear_float_data();
      t.clear_int64_data();
      break;
    case 2:
      t.set_data_type(int32_t(below(17)));
      break;
    case 3:
      if (!t.raw_data().empty())
        t.mutable_raw_data()->resize(below(t.raw_data().size()));
      break;
    case 4:
      t.add_dims(interesting());
      break;
    }
  }

  void mutate(onnx::ModelProto &m) {
    onnx::GraphProto &g = *m.mutable_graph();
    switch (below(10)) {
    case 0:
      if (g.node_size())
        attribute(*g.mutable_node(below(g.node_size())));
      break;
    case 1: // rewire an input: dangling, to a later node's output (cycles), or empty
      if (g.node_size()) {
        onnx::NodeProto &n = *g.mutable_node(below(g.node_size()));
        if (n.input_size())
          n.set_input(below(n.input_size()), name(g));
        else
          n.add_input(name(g));
      }
      break;
    case 2: // another op at the same place
      if (g.node_size() > 1)
        g.mutable_node(below(g.node_size()))->set_op_type(g.node(below(g.node_size())).op_type());
      break;
    case 3:
      if (g.node_size())
        g.mutable_node()->DeleteSubrange(int(below(g.node_size())), 1);
      break;
    case 4:
      if (g.node_size())
        *g.add_node() = g.node(below(g.node_size()));
      break;
    case 5:
      if (g.input_size())
        tensorShape(*g.mutable_input(below(g.input_size()))->mutable_type());
      break;
    case 6:
      if (g.initializer_size())
        initializer(*g.mutable_initializer(below(g.initializer_size())));
      break;
    case 7:
      if (m.opset_import_size())
        m.mutable_opset_import(0)->set_version(int64_t(below(25)));
      break;
    case 8: // an output that is some other value, or none at all
      if (g.output_size() && below(2))
        g.mutable_output(below(g.output_size()))->set_name(name(g));
      else
        g.add_output()->set_name(name(g));
      break;
    case 9:
      if (m.functions_size())
        function(m, *m.mutable_functions(below(m.functions_size())));
      break;
    }
  }

  // A name a function body may read: a formal input, a body node's output, or one nobody defines.
  std::string name(const onnx::FunctionProto &f) {
    if (f.input_size() && below(2))
      return f.input(below(f.input_size()));
    if (f.node_size()) {
      const onnx::NodeProto &n = f.node(below(f.node_size()));
      if (n.output_size() && below(2))
        return n.output(below(n.output_size()));
    }
    return below(2) ? "" : "dangling";
  }

  // The local function inliner's inputs: bodies that read what nobody
  // defines, call themselves or each other, leave outputs unset, refer to
  // attributes the call does not pass, and calls of the wrong arity.
  void function(onnx::ModelProto &m, onnx::FunctionProto &f) {
    onnx::NodeProto *body = f.node_size() ? f.mutable_node(below(f.node_size())) : nullptr;
    switch (below(8)) {
    case 0:
      if (body)
        attribute(*body);
      break;
    case 1:
      if (body && body->input_size())
        body->set_input(below(body->input_size()), name(f));
      break;
    case 2: // a call of this function or another one from its body: recursion
      if (body) {
        const onnx::FunctionProto &callee = m.functions(below(m.functions_size()));
        body->set_op_type(callee.name());
        body->set_domain(callee.domain());
      }
      break;
    case 3:
      if (body)
        f.mutable_node()->DeleteSubrange(int(below(f.node_size())), 1);
      break;
    case 4: // a formal input or output more or less than the calls pass
      if (below(2))
        f.add_input(below(2) ? "extra" : name(f));
      else if (f.output_size())
        f.mutable_output()->DeleteSubrange(int(below(f.output_size())), 1);
      break;
    case 5: // an attribute taken from the call, which may not pass it
      if (body) {
        onnx::AttributeProto &a = *body->add_attribute();
        a.set_name(below(2) ? "alpha" : "axis");
        a.set_ref_attr_name(below(2) ? "missing" : (f.attribute_size() ? f.attribute(0) : "x"));
        a.set_type(onnx::AttributeProto::AttributeType(below(14)));
      }
      break;
    case 6: // the function moved to another domain (or the calls' domain dropped)
      f.set_domain(below(2) ? "" : "other");
      break;
    case 7: // the same function twice
      *m.add_functions() = f;
      break;
    }
  }
};

} // namespace

extern "C" size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t maxSize);

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t maxSize,
                                          unsigned int seed) {
  onnx::ModelProto model;
  Mutator mutator(seed);
  if (mutator.below(3) == 0 || !model.ParseFromArray(data, int(size)))
    return LLVMFuzzerMutate(data, size, maxSize);
  for (size_t i = 0, n = 1 + mutator.below(3); i < n; ++i)
    mutator.mutate(model);
  std::string bytes;
  if (!model.SerializeToString(&bytes) || bytes.size() > maxSize)
    return LLVMFuzzerMutate(data, size, maxSize);
  memcpy(data, bytes.data(), bytes.size());
  return bytes.size();
}
#endif
