// Models whose graph calls local functions (FunctionProto), as torch.onnx's
// dynamo exporter writes each module: the calls import as the functions'
// ops, attribute references bound per call; the errors name the call.
#include "frontends/onnx/LocalFunctions.h"
#include "tests/unit/OnnxTestModel.h"

namespace acnn::testing {
namespace {

onnx::FunctionProto &function(Model &m, const std::string &name, const Ints &opset,
                              const std::vector<std::string> &inputs,
                              const std::vector<std::string> &outputs) {
  onnx::FunctionProto *f = m.proto.add_functions();
  f->set_domain("pkg.test");
  f->set_name(name);
  for (int64_t v : opset)
    f->add_opset_import()->set_version(v);
  for (const std::string &i : inputs)
    f->add_input(i);
  for (const std::string &o : outputs)
    f->add_output(o);
  return *f;
}

onnx::NodeProto &node(onnx::FunctionProto &f, const std::string &op,
                      const std::vector<std::string> &inputs,
                      const std::vector<std::string> &outputs, const std::string &domain = "") {
  onnx::NodeProto *n = f.add_node();
  n->set_op_type(op);
  n->set_domain(domain);
  for (const std::string &i : inputs)
    n->add_input(i);
  for (const std::string &o : outputs)
    n->add_output(o);
  return *n;
}

onnx::NodeProto &call(Model &m, const std::string &function, const std::vector<std::string> &inputs,
                      const std::vector<std::string> &outputs, const std::string &name) {
  onnx::NodeProto &n = m.node(function, inputs, outputs, name);
  n.set_domain("pkg.test");
  return n;
}

void refAttr(onnx::NodeProto &n, const std::string &name, const std::string &ref) {
  onnx::AttributeProto *a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_ref_attr_name(ref);
}

// Block(x, w) = Act(Conv(x, w)) with Act(t) = LeakyRelu(t, alpha = @slope),
// called twice: with slope 0.1, and without (LeakyRelu's default 0.01).
// Block also returns its conv, which the second call leaves out, and its
// input, passed through.
Model twoBlocks() {
  Model m;
  m.proto.add_opset_import()->set_domain("pkg.test");
  m.input("x", {1, 2, 5, 5}).output("y").output("c").output("same");
  m.weight("w", {2, 2, 3, 3});
  onnx::FunctionProto &act = function(m, "Act", {17}, {"t"}, {"u"});
  act.add_attribute("slope");
  refAttr(node(act, "LeakyRelu", {"t"}, {"u"}), "alpha", "slope");
  onnx::FunctionProto &block = function(m, "Block", {17}, {"x", "w"}, {"y", "conv", "x"});
  block.add_attribute("slope");
  intsAttr(node(block, "Conv", {"x", "w"}, {"conv"}), "pads", {1, 1, 1, 1});
  refAttr(node(block, "Act", {"conv"}, {"y"}, "pkg.test"), "slope", "slope");
  floatAttr(call(m, "Block", {"x", "w"}, {"h", "c", "same"}, "b1"), "slope", 0.1f);
  call(m, "Block", {"h", "w"}, {"y"}, "b2");
  return m;
}

TEST_F(OnnxImporterTest, LocalFunctionCallsImportAsTheirOps) {
  auto module = import(twoBlocks());
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  EXPECT_EQ(format(histogram(**module)), "acnn.constant 1, acnn.conv2d 2, acnn.leaky_relu 2");
  std::vector<float> alphas;
  module->get().walk([&](LeakyReluOp op) { alphas.push_back(op.getAlpha().convertToFloat()); });
  EXPECT_EQ(alphas, (std::vector<float>{0.1f, 0.01f}));
  func::FuncOp main = entry(**module);
  auto ret = cast<func::ReturnOp>(main.front().getTerminator());
  ASSERT_EQ(ret.getNumOperands(), 3u);
  EXPECT_TRUE(isa<LeakyReluOp>(ret.getOperand(0).getDefiningOp()));
  EXPECT_TRUE(isa<Conv2dOp>(ret.getOperand(1).getDefiningOp()));
  EXPECT_EQ(ret.getOperand(2), main.getArgument(0));
}

// onnxscript writes the defaults of a function's attributes in
// FunctionProto.attribute_proto (field 11, ONNX 1.15), which onnx 1.12's
// classes keep as an unknown field: a call that leaves an attribute out takes
// the default, one that gives it, its own.
TEST_F(OnnxImporterTest, LocalFunctionAttributeDefaultsApply) {
  Model m;
  m.proto.add_opset_import()->set_domain("pkg.test");
  m.input("x", {1, 4}).output("y");
  onnx::FunctionProto &act = function(m, "Act", {17}, {"t"}, {"u"});
  act.add_attribute("slope");
  refAttr(node(act, "LeakyRelu", {"t"}, {"u"}), "alpha", "slope");
  onnx::AttributeProto slope;
  slope.set_name("slope");
  slope.set_type(onnx::AttributeProto::FLOAT);
  slope.set_f(0.25f);
  act.mutable_unknown_fields()->AddLengthDelimited(11, slope.SerializeAsString());
  call(m, "Act", {"x"}, {"h"}, "a1");
  floatAttr(call(m, "Act", {"h"}, {"y"}, "a2"), "slope", 0.5f);
  auto module = import(m);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  std::vector<float> alphas;
  module->get().walk([&](LeakyReluOp op) { alphas.push_back(op.getAlpha().convertToFloat()); });
  EXPECT_EQ(alphas, (std::vector<float>{0.25f, 0.5f}));

  // A default that is not an AttributeProto is an error naming the call.
  act.mutable_unknown_fields()->AddLengthDelimited(11, "\xff\xff");
  std::string error = importError(m);
  EXPECT_NE(error.find("node 'a1' (a call of local function 'pkg.test::Act'): an attribute "
                       "default of the function is not a valid AttributeProto"),
            std::string::npos)
      << error;
}

TEST_F(OnnxImporterTest, ErrorsInAFunctionNameItsCall) {
  Model m = twoBlocks();
  // Block's conv takes a weight of the wrong rank at the second call.
  m.weight("v", {2, 2});
  m.proto.mutable_graph()->mutable_node(1)->set_input(1, "v");
  std::string error = importError(m);
  EXPECT_NE(error.find("node 'b2/Conv'"), std::string::npos) << error;
}

TEST_F(OnnxImporterTest, RecursiveLocalFunctionIsAnError) {
  Model m;
  m.proto.add_opset_import()->set_domain("pkg.test");
  m.input("x", {1, 4}).output("y");
  onnx::FunctionProto &f = function(m, "Loop", {17}, {"a"}, {"b"});
  node(f, "Loop", {"a"}, {"b"}, "pkg.test");
  call(m, "Loop", {"x"}, {"y"}, "l");
  std::string error = importError(m);
  EXPECT_NE(error.find("node 'l/Loop' (a call of local function 'pkg.test::Loop'): the "
                       "function calls itself"),
            std::string::npos)
      << error;
}

TEST_F(OnnxImporterTest, LocalFunctionOfAnotherOpsetIsAnError) {
  Model m;
  m.proto.add_opset_import()->set_domain("pkg.test");
  m.input("x", {1, 4}).output("y");
  node(function(m, "F", {13}, {"a"}, {"b"}), "Relu", {"a"}, {"b"});
  call(m, "F", {"x"}, {"y"}, "f");
  std::string error = importError(m);
  EXPECT_NE(error.find("node 'f' (a call of local function 'pkg.test::F'): the function "
                       "imports opset 13 of the default domain, the model opset 17"),
            std::string::npos)
      << error;
}

TEST_F(OnnxImporterTest, CallWithMoreInputsThanTheFunctionIsAnError) {
  Model m;
  m.proto.add_opset_import()->set_domain("pkg.test");
  m.input("x", {1, 4}).output("y");
  node(function(m, "F", {17}, {"a"}, {"b"}), "Relu", {"a"}, {"b"});
  call(m, "F", {"x", "x"}, {"y"}, "f");
  std::string error = importError(m);
  EXPECT_NE(error.find("node 'f' (a call of local function 'pkg.test::F'): 2 inputs and 1 "
                       "outputs for the function's 1 and 1"),
            std::string::npos)
      << error;
}

TEST_F(OnnxImporterTest, ExponentialExpansionIsRefused) {
  // F0 calls F1 twice, ..., F40 calls Relu: 2^40 Relus, refused before any
  // is copied.
  Model m;
  m.proto.add_opset_import()->set_domain("pkg.test");
  m.input("x", {1, 4}).output("y");
  const int depth = 40;
  for (int i = 0; i < depth; ++i) {
    onnx::FunctionProto &f = function(m, "F" + std::to_string(i), {17}, {"a"}, {"c"});
    std::string inner = "F" + std::to_string(i + 1);
    node(f, inner, {"a"}, {"b"}, "pkg.test");
    node(f, inner, {"b"}, {"c"}, "pkg.test");
  }
  node(function(m, "F" + std::to_string(depth), {17}, {"a"}, {"b"}), "Relu", {"a"}, {"b"});
  call(m, "F0", {"x"}, {"y"}, "f");
  std::string error = importError(m);
  EXPECT_NE(error.find("the local functions expand to more than " +
                       std::to_string(kMaxInlinedNodes) + " nodes"),
            std::string::npos)
      << error;
}

TEST_F(OnnxImporterTest, DeeplyNestedCallsAreRefused) {
  // F0 calls F1, ..., F100000 calls Relu: refused at kMaxCallDepth, not by
  // running out of stack.
  Model m;
  m.proto.add_opset_import()->set_domain("pkg.test");
  m.input("x", {1, 4}).output("y");
  const int depth = 100000;
  for (int i = 0; i < depth; ++i)
    node(function(m, "F" + std::to_string(i), {17}, {"a"}, {"b"}), "F" + std::to_string(i + 1),
         {"a"}, {"b"}, "pkg.test");
  node(function(m, "F" + std::to_string(depth), {17}, {"a"}, {"b"}), "Relu", {"a"}, {"b"});
  call(m, "F0", {"x"}, {"y"}, "f");
  std::string error = importError(m);
  EXPECT_NE(error.find("calls nest more than " + std::to_string(kMaxCallDepth) + " deep"),
            std::string::npos)
      << error;
}

} // namespace
} // namespace acnn::testing
