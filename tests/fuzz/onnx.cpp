// Fuzzes the ONNX importer and the graph pipeline behind it. Byte-level
// mutations test the reader (protobuf, external data references); with
// libFuzzer a structure-aware mutator also edits parsed models the way broken
// exports are broken — wrong shapes and attributes, dangling names, cycles,
// huge dims, empty or mistyped initializers, other opsets — so that most
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
    switch (below(9)) {
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
