// The ONNX importer on bad input: unreadable files, unknown ops and domains,
// attributes of the wrong type or value, shape mismatches, missing inputs and
// outputs. Each error names the file or the node, its op and the reason.
#include "tests/unit/OnnxTestModel.h"

using namespace acnn;
using namespace mlir;

namespace {

using namespace acnn::testing;

TEST_F(OnnxImporterTest, SizeAttributesMustBeGivenAndPositive) {
  Model zero;
  zero.input("x", {1, 8, 4, 4}).output("y");
  intAttr(zero.node("DepthToSpace", {"x"}, {"y"}, "d2s"), "blocksize", 0);
  EXPECT_NE(importError(zero).find("node 'd2s' (DepthToSpace): blocksize must be positive, got 0"),
            std::string::npos)
      << importError(zero);
  Model missing;
  missing.input("x", {1, 8, 4, 4}).output("y");
  missing.node("LRN", {"x"}, {"y"}, "lrn");
  EXPECT_NE(importError(missing).find("node 'lrn' (LRN): size is required"), std::string::npos)
      << importError(missing);
}

TEST_F(OnnxImporterTest, OpOfAnotherDomainIsUnsupported) {
  Model m;
  m.input("x", {1, 8}).output("y");
  m.node("Relu", {"x"}, {"y"}, "r").set_domain("com.example");
  std::string error = importError(m);
  EXPECT_NE(error.find("node 'r' (Relu): unsupported op (domain 'com.example')"), std::string::npos)
      << error;
}

TEST_F(OnnxImporterTest, TruncatedFileIsNotAValidModel) {
  std::string bytes = convBnRelu().bytes();
  std::string path = writeFile(bytes.substr(0, bytes.size() / 2));
  auto module = importOnnx(ctx, path);
  ASSERT_FALSE(bool(module));
  std::string error = llvm::toString(module.takeError());
  EXPECT_NE(error.find(path + ": not a valid ONNX model"), std::string::npos) << error;
}

TEST_F(OnnxImporterTest, GarbageIsNotAValidModel) {
  std::string path = writeFile("\xff\xff\xff\xff garbage \x01\x02\x03");
  auto module = importOnnx(ctx, path);
  ASSERT_FALSE(bool(module));
  std::string error = llvm::toString(module.takeError());
  EXPECT_NE(error.find("not a valid ONNX model"), std::string::npos) << error;
}

TEST_F(OnnxImporterTest, MissingFileIsNamed) {
  auto module = importOnnx(ctx, "/nonexistent/model.onnx");
  ASSERT_FALSE(bool(module));
  std::string error = llvm::toString(module.takeError());
  EXPECT_NE(error.find("/nonexistent/model.onnx"), std::string::npos) << error;
}

TEST_F(OnnxImporterTest, UnknownOpNamesTheNode) {
  Model m;
  m.input("x", {1, 3}).output("y");
  m.node("Foo", {"x"}, {"y"}, "n3");
  std::string error = importError(m);
  EXPECT_NE(error.find("node 'n3' (Foo): unsupported op"), std::string::npos) << error;
}

TEST_F(OnnxImporterTest, UnnamedNodeIsNamedByIndex) {
  Model m;
  m.input("x", {1, 3}).output("y");
  m.node("Relu", {"x"}, {"r"});
  m.node("Foo", {"r"}, {"y"});
  std::string error = importError(m);
  EXPECT_NE(error.find("node '#1' (Foo): unsupported op"), std::string::npos) << error;
}

TEST_F(OnnxImporterTest, UnsupportedAttributeValueNamesTheNode) {
  Model m = convBnRelu();
  stringAttr(*m.proto.mutable_graph()->mutable_node(0), "auto_pad", "FOO");
  m.proto.mutable_graph()->mutable_node(0)->set_name("Conv_12");
  std::string error = importError(m);
  EXPECT_NE(error.find("node 'Conv_12' (Conv): auto_pad 'FOO' is not supported"), std::string::npos)
      << error;
}

TEST_F(OnnxImporterTest, AttributeOfTheWrongTypeIsAnError) {
  Model m;
  m.input("x", {1, 3}).output("y");
  floatAttr(m.node("Softmax", {"x"}, {"y"}, "sm"), "axis", 1.0f);
  std::string error = importError(m);
  EXPECT_NE(error.find("node 'sm' (Softmax): attribute 'axis' must be INT"), std::string::npos)
      << error;
}

TEST_F(OnnxImporterTest, ShapeMismatchNamesTheNode) {
  Model m;
  m.input("a", {1, 3}).input("b", {1, 4}).output("y");
  m.node("Add", {"a", "b"}, {"y"}, "add0");
  std::string error = importError(m);
  EXPECT_NE(error.find("node 'add0' (Add): "), std::string::npos) << error;
  EXPECT_NE(error.find("[1, 3] and [1, 4] do not broadcast"), std::string::npos) << error;
}

TEST_F(OnnxImporterTest, UndefinedInputNamesTheValue) {
  Model m;
  m.input("x", {1, 3, 8, 8}).output("y");
  m.node("Conv", {"x", "conv.weight"}, {"y"}, "conv");
  std::string error = importError(m);
  EXPECT_NE(error.find("node 'conv' (Conv): input 'conv.weight' is not produced"),
            std::string::npos)
      << error;
}

TEST_F(OnnxImporterTest, RequiredInputLeftOutIsAnError) {
  Model m;
  m.input("x", {1, 3, 8, 8}).output("y");
  m.node("Conv", {"x", ""}, {"y"}, "conv");
  std::string error = importError(m);
  EXPECT_NE(error.find("node 'conv' (Conv): input 1 is required"), std::string::npos) << error;
}

TEST_F(OnnxImporterTest, WrongInputCountIsAnError) {
  Model m;
  m.input("x", {1, 3}).output("y");
  m.node("Relu", {"x", "x"}, {"y"}, "r");
  std::string error = importError(m);
  EXPECT_NE(error.find("node 'r' (Relu): expects 1 inputs, got 2"), std::string::npos) << error;
}

TEST_F(OnnxImporterTest, UndefinedGraphOutputIsAnError) {
  Model m;
  m.input("x", {1, 3}).output("nope");
  m.node("Relu", {"x"}, {"y"}, "r");
  std::string error = importError(m);
  EXPECT_NE(error.find("graph output 'nope'"), std::string::npos) << error;
}

// The models tests/models/generate.py exports from PyTorch.

} // namespace
