// The ONNX importer on bad input: unreadable files, unknown ops and domains,
// attributes of the wrong type or value, shape mismatches, missing inputs and
// outputs. Each error names the file or the node, its op and the reason.
#include "frontends/onnx/OnnxOpTable.h"
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

TEST_F(OnnxImporterTest, GridSampleRefusesModesItDoesNotImplement) {
  for (auto [attr, value, message] :
       {std::tuple("padding_mode", "reflection",
                   "node 'gs' (GridSample): padding_mode 'reflection' is not supported: only "
                   "zeros and border are"),
        std::tuple("mode", "bicubic",
                   "node 'gs' (GridSample): mode 'bicubic' is not supported: only linear and "
                   "nearest are")}) {
    Model m;
    m.input("x", {1, 3, 8, 8}).input("g", {1, 4, 5, 2}).output("y");
    stringAttr(m.node("GridSample", {"x", "g"}, {"y"}, "gs"), attr, value);
    EXPECT_NE(importError(m).find(message), std::string::npos) << importError(m);
  }
}

TEST_F(OnnxImporterTest, ArgMaxIndicesFeedOnlyOutputsAndCasts) {
  Model m;
  m.input("x", {1, 4, 3}).output("y");
  intAttr(m.node("ArgMax", {"x"}, {"i"}, "am"), "axis", 1);
  m.node("Add", {"i", "i"}, {"y"}, "add");
  EXPECT_NE(importError(m).find("node 'add' (Add): input 0 ('i') holds ArgMax's INT64 indices, "
                                "which acnn takes only as a model output or through a Cast to "
                                "FLOAT"),
            std::string::npos)
      << importError(m);
  Model axis;
  axis.input("x", {1, 4, 3}).output("y");
  intAttr(axis.node("ArgMax", {"x"}, {"y"}, "am"), "axis", 3);
  EXPECT_NE(importError(axis).find("node 'am' (ArgMax): axis 3 is out of range for rank 3"),
            std::string::npos)
      << importError(axis);
  Model narrow;
  narrow.input("x", {1, 4, 3}).output("y");
  intAttr(narrow.node("ArgMax", {"x"}, {"i"}, "am"), "axis", 1);
  intAttr(narrow.node("Cast", {"i"}, {"y"}, "c"), "to", onnx::TensorProto::INT32);
  EXPECT_NE(importError(narrow).find("node 'c' (Cast): cast of a computed tensor to INT32"),
            std::string::npos)
      << importError(narrow);
}

// ONNX Runtime's contrib ops, where they go beyond what acnn takes.
TEST_F(OnnxImporterTest, ContribOpsOutsideWhatAcnnTakesAreErrors) {
  Model conv;
  conv.proto.add_opset_import()->set_domain("com.microsoft");
  conv.input("x", {1, 2, 4, 4}).weight("w", {2, 2, 1, 1}).output("y");
  onnx::NodeProto &fused = conv.node("FusedConv", {"x", "w"}, {"y"}, "fc");
  fused.set_domain("com.microsoft");
  stringAttr(fused, "activation", "Elu");
  EXPECT_NE(importError(conv).find("node 'fc' (FusedConv): activation 'Elu' is not supported"),
            std::string::npos)
      << importError(conv);
  Model mm;
  mm.proto.add_opset_import()->set_domain("com.microsoft");
  mm.input("a", {2, 3, 4}).input("b", {4, 5}).output("y");
  onnx::NodeProto &matmul = mm.node("FusedMatMul", {"a", "b"}, {"y"}, "fm");
  matmul.set_domain("com.microsoft");
  intAttr(matmul, "transBatchA", 1);
  EXPECT_NE(importError(mm).find("node 'fm' (FusedMatMul): operands of rank 2 or more only, of "
                                 "one rank of 3 or more with transBatchA or transBatchB, got "
                                 "ranks 3 and 2"),
            std::string::npos)
      << importError(mm);
  Model ln;
  ln.proto.add_opset_import()->set_domain("com.microsoft");
  ln.input("x", {1, 3, 4}).input("s", {1, 3, 4}).weight("g", {4}).output("y").output("mean");
  onnx::NodeProto &skip = ln.node("SkipLayerNormalization", {"x", "s", "g"}, {"y", "mean"}, "sln");
  skip.set_domain("com.microsoft");
  EXPECT_NE(importError(ln).find("node 'sln' (SkipLayerNormalization): outputs 1 and 2 (mean, "
                                 "inv_std_var) are not supported"),
            std::string::npos)
      << importError(ln);
}

// Convolutions of up to three spatial axes import (3-D ones as 2-D convs);
// a 3-D kernel deeper than the padded input is an error, not a negative extent.
TEST_F(OnnxImporterTest, ConvolutionRankAndDepthAreChecked) {
  Model fourD;
  fourD.input("x", {1, 1, 2, 2, 2, 2}).weight("w", {1, 1, 1, 1, 1, 1}).output("y");
  fourD.node("Conv", {"x", "w"}, {"y"}, "c4");
  EXPECT_NE(importError(fourD).find("node 'c4' (Conv): only 1-D, 2-D and 3-D convolution is "
                                    "supported, got a weight of rank 6"),
            std::string::npos)
      << importError(fourD);
  Model deep;
  deep.input("x", {1, 1, 2, 4, 4}).weight("w", {1, 1, 3, 1, 2}).output("y");
  deep.node("Conv", {"x", "w"}, {"y"}, "c3");
  EXPECT_NE(importError(deep).find("node 'c3' (Conv): the kernel spans 3 planes of a depth of 2 "
                                   "(padded)"),
            std::string::npos)
      << importError(deep);
}

// Pad's pads came from an attribute before opset 11 and from input 1 since; an
// opset-11 Pad without that input (a fuzzed model found it read past the
// node's inputs) is an error naming the node.
TEST_F(OnnxImporterTest, PadWithoutPadsInputIsAnError) {
  Model m(13);
  m.input("x", {1, 2, 4, 4}).output("y");
  m.node("Pad", {"x"}, {"y"}, "p");
  EXPECT_NE(importError(m).find("node 'p' (Pad): pads (input 1) is missing"), std::string::npos)
      << importError(m);
}

// EyeLike (torch.eye) reads only its input's shape, which must be a matrix's.
TEST_F(OnnxImporterTest, EyeLikeOfAnythingButAMatrixIsAnError) {
  Model m;
  m.input("x", {2, 3, 4}).output("y");
  m.node("EyeLike", {"x"}, {"y"}, "eye");
  EXPECT_NE(importError(m).find("node 'eye' (EyeLike): input must be a matrix of a known shape, "
                                "not [2, 3, 4]"),
            std::string::npos)
      << importError(m);
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

// Resource limits: a tensor over kMaxTensorElements, a shape whose element
// count overflows int64, attributes that would overflow the shape arithmetic,
// and a graph 100k nodes deep.

/// An initializer of `type` with `dims` and raw `bytes`, built by hand:
/// Model::weight would count the elements.
onnx::TensorProto &rawWeight(Model &m, const std::string &name, int32_t type, const Ints &dims,
                             const std::string &bytes) {
  onnx::TensorProto *t = m.proto.mutable_graph()->add_initializer();
  t->set_name(name);
  t->set_data_type(type);
  for (int64_t d : dims)
    t->add_dims(d);
  t->set_raw_data(bytes);
  return *t;
}

std::string int64Bytes(const Ints &v) {
  return std::string(reinterpret_cast<const char *>(v.data()), v.size() * sizeof(int64_t));
}

TEST_F(OnnxImporterTest, InputOverTheSizeLimitIsAnError) {
  Model m;
  m.input("x", {1000000, 1000000}).output("y");
  m.node("Relu", {"x"}, {"y"}, "r");
  std::string error = importError(m);
  EXPECT_NE(error.find("input 'x': shape [1000000, 1000000] has 1000000000000 elements, more "
                       "than the 2^31 (8 GiB of f32) acnn allows in one tensor"),
            std::string::npos)
      << error;
  // A shape pinned on the command line is checked too.
  Model symbolic;
  symbolic.input("x", {-1, 65536, 65536}).output("y");
  symbolic.node("Relu", {"x"}, {"y"}, "r");
  OnnxImportOptions options;
  options.inputShapes["x"] = {2, 65536, 65536};
  auto module = import(symbolic, options);
  ASSERT_FALSE(bool(module));
  error = llvm::toString(module.takeError());
  EXPECT_NE(error.find("input 'x': shape [2, 65536, 65536] has 8589934592 elements"),
            std::string::npos)
      << error;
}

TEST_F(OnnxImporterTest, InputShapeOverflowingInt64IsAnError) {
  Model m;
  m.input("x", {int64_t(1) << 62, 4}).output("y");
  m.node("Relu", {"x"}, {"y"}, "r");
  std::string error = importError(m);
  EXPECT_NE(error.find("input 'x': shape [4611686018427387904, 4] has more elements than an "
                       "int64 can count"),
            std::string::npos)
      << error;
}

TEST_F(OnnxImporterTest, ResultOverTheSizeLimitNamesTheNode) {
  Model m;
  m.input("x", {1, 1}).ints("shape", {1000000, 1000000}).output("y");
  m.node("Expand", {"x", "shape"}, {"y"}, "e");
  std::string error = importError(m);
  EXPECT_NE(error.find("node 'e' (Expand): result shape [1000000, 1000000] has 1000000000000 "
                       "elements, more than the 2^31"),
            std::string::npos)
      << error;
}

// (2^62 + 1) * 4 wraps to 4: a count that wraps must not pass for the right one.
TEST_F(OnnxImporterTest, ShapeWhoseCountWrapsIsAnError) {
  const int64_t big = (int64_t(1) << 62) + 1;
  Model reshape;
  reshape.input("x", {1, 4}).ints("shape", {big, 4}).output("y");
  reshape.node("Reshape", {"x", "shape"}, {"y"}, "rs");
  std::string error = importError(reshape);
  EXPECT_NE(error.find("node 'rs' (Reshape): cannot reshape [1, 4] to [4611686018427387905, 4]"),
            std::string::npos)
      << error;
  Model inferred;
  inferred.input("x", {1, 4}).ints("shape", {big, 4, -1}).output("y");
  inferred.node("Reshape", {"x", "shape"}, {"y"}, "rs");
  error = importError(inferred);
  EXPECT_NE(error.find("node 'rs' (Reshape): cannot reshape"), std::string::npos) << error;
  Model weight;
  weight.input("x", {1, 4}).output("y");
  rawWeight(weight, "w", onnx::TensorProto::FLOAT, {big, 4}, std::string(16, '\0'));
  weight.node("Add", {"x", "w"}, {"y"}, "add");
  error = importError(weight);
  EXPECT_NE(error.find("tensor 'w': shape [4611686018427387905, 4] has more elements than an "
                       "int64 can count"),
            std::string::npos)
      << error;
}

TEST_F(OnnxImporterTest, AttributesThatWouldOverflowAreErrors) {
  Model tile;
  tile.input("x", {1, 4}).ints("repeats", {1, int64_t(1) << 62}).output("y");
  tile.node("Tile", {"x", "repeats"}, {"y"}, "t");
  std::string error = importError(tile);
  EXPECT_NE(error.find("node 't' (Tile): repeats [1, 4611686018427387904] of [1, 4] overflow "
                       "int64"),
            std::string::npos)
      << error;
  // A blocksize whose square wraps to 0 once divided the channels by it.
  Model d2s;
  d2s.input("x", {1, 8, 4, 4}).output("y");
  intAttr(d2s.node("DepthToSpace", {"x"}, {"y"}, "d2s"), "blocksize", int64_t(1) << 32);
  error = importError(d2s);
  EXPECT_NE(error.find("node 'd2s' (DepthToSpace): blocksize 4294967296 is more than 2^31"),
            std::string::npos)
      << error;
  Model pool;
  pool.input("x", {1, 1, 4, 4}).output("y");
  onnx::NodeProto &p = pool.node("MaxPool", {"x"}, {"y"}, "pool");
  intsAttr(p, "kernel_shape", {2, 2});
  intsAttr(p, "pads", {0, 0, INT64_MAX, 0});
  error = importError(pool);
  EXPECT_NE(error.find("node 'pool' (MaxPool): kernel_shape, strides, dilations and pads must be "
                       "at most 2^31"),
            std::string::npos)
      << error;
  Model pad;
  pad.input("x", {1, 4}).ints("pads", {0, 0, 0, INT64_MAX}).output("y");
  pad.node("Pad", {"x", "pads"}, {"y"}, "pad");
  error = importError(pad);
  EXPECT_NE(error.find("node 'pad' (Pad): pads [0, 0, 0, 9223372036854775807] reach past 2^31"),
            std::string::npos)
      << error;
  Model resize;
  resize.input("x", {1, 1, 2, 2}).output("y");
  onnx::TensorProto &scales = rawWeight(resize, "scales", onnx::TensorProto::FLOAT, {4}, "");
  for (float f : {1.0f, 1.0f, 1e30f, 1.0f})
    scales.add_float_data(f);
  scales.clear_raw_data();
  resize.node("Resize", {"x", "", "scales"}, {"y"}, "up");
  error = importError(resize);
  EXPECT_NE(error.find("node 'up' (Resize): scales make axis 2 longer than the 2^31"),
            std::string::npos)
      << error;
}

// Shape arithmetic evaluated at import makes no result past kMaxKnownElements.
TEST_F(OnnxImporterTest, KnownBroadcastOverTheLimitIsAnError) {
  Model m;
  m.input("x", {1, 1}).output("y");
  rawWeight(m, "a", onnx::TensorProto::INT64, {20000, 1}, int64Bytes(Ints(20000, 1)));
  rawWeight(m, "b", onnx::TensorProto::INT64, {1, 20000}, int64Bytes(Ints(20000, 1)));
  m.node("Add", {"a", "b"}, {"s"}, "sum");
  m.node("Reshape", {"x", "s"}, {"y"}, "rs");
  std::string error = importError(m);
  EXPECT_NE(error.find("node 'sum' (Add): a result of shape [20000, 20000] is too large to "
                       "evaluate at import"),
            std::string::npos)
      << error;
}

// A step near INT64_MAX once overflowed the slice's extent.
TEST_F(OnnxImporterTest, SliceWithAHugeStepTakesOneElement) {
  Model m;
  m.input("x", {1, 8}).output("y");
  m.ints("starts", {0}).ints("ends", {8}).ints("axes", {1}).ints("steps", {INT64_MAX});
  m.node("Slice", {"x", "starts", "ends", "axes", "steps"}, {"y"}, "s");
  auto module = import(m);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  EXPECT_EQ(shapeOf(first<SliceOp>(**module).getResult()), ArrayRef<int64_t>({1, 1}));
}

// Each node is converted in turn and nothing recurses along the graph: a
// chain 100k nodes deep imports, with neither a stack overflow nor quadratic
// time.
TEST_F(OnnxImporterTest, GraphOneHundredThousandNodesDeepImports) {
  const int n = 100000;
  Model m;
  m.input("t0", {1, 4}).output("t" + std::to_string(n));
  for (int i = 0; i < n; ++i)
    m.node("Relu", {"t" + std::to_string(i)}, {"t" + std::to_string(i + 1)});
  auto module = import(m);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  EXPECT_EQ(histogram(**module)["acnn.relu"], n);
}

// Opset 23's Attention without what image models never use: a key/value
// cache, grouped heads that do not divide the query heads, outputs past Y.
TEST_F(OnnxImporterTest, AttentionBeyondImageModelsIsAnError) {
  auto attention = [](int64_t kvHeads, bool cache, bool present) {
    Model m(23);
    m.input("q", {1, 4, 6, 8}).input("kv", {1, kvHeads, 6, 8}).output("y");
    std::vector<std::string> inputs = {"q", "kv", "kv"};
    if (cache)
      inputs.insert(inputs.end(), {"", "kv", "kv"});
    std::vector<std::string> outputs = {"y"};
    if (present)
      outputs.push_back("present_key");
    m.node("Attention", inputs, outputs, "att");
    return m;
  };
  EXPECT_NE(importError(attention(3, false, false))
                .find("node 'att' (Attention): query heads (4) must be a multiple of the key and "
                      "value heads (3, 3)"),
            std::string::npos)
      << importError(attention(3, false, false));
  EXPECT_NE(importError(attention(2, true, false))
                .find("node 'att' (Attention): input 4 (past key/value or padding lengths) is not "
                      "supported"),
            std::string::npos)
      << importError(attention(2, true, false));
  EXPECT_NE(importError(attention(2, false, true))
                .find("node 'att' (Attention): output 1 ('present_key') is not supported"),
            std::string::npos)
      << importError(attention(2, false, true));
  auto module = import(attention(2, false, false));
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  EXPECT_EQ(histogram(**module)["acnn.attention"], 1);
}

// An opset newer than the table was checked against is refused by name.
TEST_F(OnnxImporterTest, NewerOpsetIsRefusedPerNode) {
  Model m(kNewestOpset + 1);
  m.input("x", {1, 4}).output("y");
  m.node("Relu", {"x"}, {"y"}, "r");
  std::string error = importError(m);
  EXPECT_NE(error.find("node 'r' (Relu): opset " + std::to_string(kNewestOpset + 1) +
                       " is outside the opsets 1-" + std::to_string(kNewestOpset)),
            std::string::npos)
      << error;
}

} // namespace
