// The ONNX importer: models are built with the protobuf API, written to a
// temporary file and imported; the IR is checked by op counts and attributes.
// Bad input and its errors: OnnxImporterErrorsTest.cpp.
#include "tests/unit/OnnxTestModel.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <cmath>
#include <limits>

using namespace acnn;
using namespace mlir;

namespace {

using namespace acnn::testing;

TEST_F(OnnxImporterTest, ConvBatchNormRelu) {
  auto module = import(convBnRelu());
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  EXPECT_EQ(
      histogram(**module),
      (std::map<std::string, int>{
          {"acnn.constant", 6}, {"acnn.conv2d", 1}, {"acnn.batch_norm", 1}, {"acnn.relu", 1}}));
  Conv2dOp conv = first<Conv2dOp>(**module);
  EXPECT_EQ(conv.getPads(), (ArrayRef<int64_t>{1, 1, 1, 1}));
  EXPECT_TRUE(conv.getBias());
  EXPECT_FLOAT_EQ(first<BatchNormOp>(**module).getEpsilon().convertToFloat(), 1e-3f);
  func::FuncOp main = entry(**module);
  EXPECT_EQ((**module).getSymName(), "test");
  ASSERT_EQ(main.getNumArguments(), 1u);
  EXPECT_EQ(main.getArgAttrOfType<StringAttr>(0, kNameAttr).getValue(), "x");
  EXPECT_EQ(main.getResultAttrOfType<StringAttr>(0, kNameAttr).getValue(), "y");
  EXPECT_EQ(main.getFunctionType().getResult(0),
            RankedTensorType::get({1, 4, 8, 8}, Float32Type::get(&ctx)));
}

TEST_F(OnnxImporterTest, ConvAutoPadSameUpperPutsTheOddPadAtTheEnd) {
  Model m;
  m.input("x", {1, 3, 8, 8}).output("y").weight("w", {4, 3, 3, 3});
  onnx::NodeProto &conv = m.node("Conv", {"x", "w"}, {"y"}, "conv");
  stringAttr(conv, "auto_pad", "SAME_UPPER");
  intsAttr(conv, "strides", {2, 2});
  auto module = import(m);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  Conv2dOp op = first<Conv2dOp>(**module);
  EXPECT_EQ(op.getPads(), (ArrayRef<int64_t>{0, 0, 1, 1}));
  EXPECT_EQ(shapeOf(op.getResult()), (ArrayRef<int64_t>{1, 4, 4, 4}));
}

TEST_F(OnnxImporterTest, ConvTransposeWithAKernelNotAMultipleOfTheStrideRunsByPhases) {
  // 3x3 at stride 2 (pads 1, output padding 1): the filter gets zero taps to
  // 4x4, and one conv of the input itself computes the 2 x 2 phases of 2x2
  // taps as its 4 x 2 output channels; the input is never spread with zeros.
  Model m;
  m.input("x", {1, 4, 8, 8}).output("y").weight("w", {4, 2, 3, 3});
  onnx::NodeProto &t = m.node("ConvTranspose", {"x", "w"}, {"y"}, "up");
  intsAttr(t, "strides", {2, 2});
  intsAttr(t, "pads", {1, 1, 1, 1});
  intsAttr(t, "output_padding", {1, 1});
  auto module = import(m);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  EXPECT_EQ(histogram(**module).count("acnn.conv2d"), 1u);
  Conv2dOp conv = first<Conv2dOp>(**module);
  EXPECT_EQ(conv.getInput(), entry(**module).getArgument(0));
  EXPECT_EQ(conv.getPads(), (ArrayRef<int64_t>{1, 1, 1, 1}));
  EXPECT_EQ(shapeOf(conv.getResult()), (ArrayRef<int64_t>{1, 8, 9, 9}));
  EXPECT_EQ(entry(**module).getFunctionType().getResult(0),
            RankedTensorType::get({1, 2, 16, 16}, Float32Type::get(&ctx)));
}

TEST_F(OnnxImporterTest, InitializerListedAsInputIsAWeight) {
  Model m = convBnRelu();
  m.input("w", {4, 3, 3, 3});
  auto module = import(m);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  EXPECT_EQ(entry(**module).getNumArguments(), 1u);
}

TEST_F(OnnxImporterTest, SymbolicBatchDefaultsToOneOrTakesTheGivenShape) {
  Model m;
  m.input("x", {-1, 3}).output("y");
  m.node("Relu", {"x"}, {"y"});
  auto module = import(m);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  EXPECT_EQ(entry(**module).getFunctionType().getInput(0),
            RankedTensorType::get({1, 3}, Float32Type::get(&ctx)));
  OnnxImportOptions options;
  options.inputShapes["x"] = {8, 3};
  module = import(m, options);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  EXPECT_EQ(entry(**module).getFunctionType().getInput(0),
            RankedTensorType::get({8, 3}, Float32Type::get(&ctx)));
  options.inputShapes["x"] = {8, 4};
  module = import(m, options);
  ASSERT_FALSE(bool(module));
  EXPECT_NE(llvm::toString(module.takeError()).find("does not match"), std::string::npos);

  // Only the batch has a default: a symbolic height must be given.
  Model image;
  image.input("x", {-1, 3, -1, 8}).output("y");
  image.node("Relu", {"x"}, {"y"});
  std::string error = importError(image);
  EXPECT_NE(error.find("input 'x' has symbolic dims beyond the batch (axis 2 ('N')); give its "
                       "shape with --input-shape x=1x3x?x8, each ? a size"),
            std::string::npos)
      << error;
}

TEST_F(OnnxImporterTest, WeightsDecodeFromRawDataOrTypedFields) {
  Model m;
  m.input("x", {2}).output("y").output("z");
  onnx::TensorProto *half = m.proto.mutable_graph()->add_initializer();
  half->set_name("half");
  half->set_data_type(onnx::TensorProto::FLOAT16);
  half->add_dims(2);
  half->set_raw_data(std::string("\x00\x3c\x00\xc1", 4)); // 0x3c00 = 1.0, 0xc100 = -2.5
  onnx::TensorProto *dbl = m.proto.mutable_graph()->add_initializer();
  dbl->set_name("double");
  dbl->set_data_type(onnx::TensorProto::DOUBLE);
  dbl->add_dims(2);
  dbl->add_double_data(0.5);
  dbl->add_double_data(4.0);
  m.node("Add", {"x", "half"}, {"y"}, "a");
  m.node("Mul", {"x", "double"}, {"z"}, "b");
  auto module = import(m);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  std::vector<llvm::SmallVector<float>> constants;
  (**module).walk([&](ConstantOp c) {
    constants.push_back(llvm::to_vector(cast<DenseElementsAttr>(c.getValue()).getValues<float>()));
  });
  EXPECT_EQ(constants, (std::vector<llvm::SmallVector<float>>{{1.0f, -2.5f}, {0.5f, 4.0f}}));
}

// x.view(x.shape[0], -1) as exporters write it: only the reshape is left.
TEST_F(OnnxImporterTest, ShapeArithmeticCollapsesIntoOneReshape) {
  Model m(13);
  m.input("x", {2, 4, 3}).output("y");
  m.ints("zero", {0}).ints("minus1", {-1});
  onnx::TensorProto index;
  index.set_data_type(onnx::TensorProto::INT64);
  index.add_int64_data(0); // a scalar
  onnx::NodeProto &c = m.node("Constant", {}, {"i"});
  c.add_attribute()->set_name("value");
  c.mutable_attribute(0)->set_type(onnx::AttributeProto::TENSOR);
  *c.mutable_attribute(0)->mutable_t() = index;
  m.node("Shape", {"x"}, {"s"});
  m.node("Gather", {"s", "i"}, {"n"});
  m.node("Unsqueeze", {"n", "zero"}, {"n1"});
  intAttr(m.node("Concat", {"n1", "minus1"}, {"shape"}), "axis", 0);
  m.node("Reshape", {"x", "shape"}, {"y"});
  auto module = import(m);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  EXPECT_EQ(histogram(**module), (std::map<std::string, int>{{"acnn.reshape", 1}}));
  EXPECT_EQ(shapeOf(first<ReshapeOp>(**module).getResult()), (ArrayRef<int64_t>{2, 12}));
}

// CastLike as torch.onnx's dynamo exporter writes it: a constant cast like
// the computed input it scales (FLOAT), a shape cast like an integer.
TEST_F(OnnxImporterTest, CastLikeTakesItsTargetsKind) {
  Model m(17);
  m.input("x", {2, 4, 3}).output("y");
  m.weight("two", {1}, {2.0f}).weight("shape", {2}, {2.7f, -1.2f}).ints("like", {0});
  m.node("CastLike", {"two", "x"}, {"c"});
  m.node("Mul", {"x", "c"}, {"x2"});
  m.node("CastLike", {"shape", "like"}, {"s"});
  m.node("Reshape", {"x2", "s"}, {"y"});
  auto module = import(m);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  EXPECT_EQ(format(histogram(**module)), "acnn.constant 1, acnn.mul 1, acnn.reshape 1");
  // 2.7 and -1.2 toward zero: 2 and -1.
  EXPECT_EQ(shapeOf(first<ReshapeOp>(**module).getResult()), (ArrayRef<int64_t>{2, 12}));
}

TEST_F(OnnxImporterTest, ArgMaxGivesInt64IndicesOrFloatsThroughACast) {
  Model m;
  m.input("x", {1, 21, 8, 8}).output("classes").output("y");
  intAttr(m.node("ArgMax", {"x"}, {"classes"}), "axis", 1);
  onnx::NodeProto &last = m.node("ArgMax", {"x"}, {"i"});
  intAttr(last, "axis", -1);
  intAttr(last, "keepdims", 0);
  intAttr(last, "select_last_index", 1);
  intAttr(m.node("Cast", {"i"}, {"f"}), "to", onnx::TensorProto::FLOAT);
  m.node("Add", {"f", "f"}, {"y"});
  auto module = import(m);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  // The Cast's f32 argmax replaces the i64 one it read, left dead for the
  // pipeline's clean-up.
  EXPECT_EQ(format(histogram(**module)), "acnn.add 1, acnn.argmax 3");
  auto entry = (*module)->lookupSymbol<func::FuncOp>("main");
  EXPECT_EQ(entry.getResultTypes()[0],
            RankedTensorType::get({1, 1, 8, 8}, IntegerType::get(&ctx, 64)));
  ArgMaxOp cast = first<AddOp>(**module).getLhs().getDefiningOp<ArgMaxOp>();
  ASSERT_TRUE(cast);
  EXPECT_EQ(cast.getType(), RankedTensorType::get({1, 21, 8}, Float32Type::get(&ctx)));
  EXPECT_EQ(cast.getAxis(), -1);
  EXPECT_FALSE(cast.getKeepdims());
  EXPECT_TRUE(cast.getSelectLastIndex());
}

TEST_F(OnnxImporterTest, GemmWithConstantWeightIsLinear) {
  Model m;
  m.input("x", {2, 3}).output("y").weight("w", {4, 3}).weight("c", {4});
  intAttr(m.node("Gemm", {"x", "w", "c"}, {"y"}, "fc"), "transB", 1);
  auto module = import(m);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  EXPECT_EQ(histogram(**module),
            (std::map<std::string, int>{{"acnn.constant", 2}, {"acnn.linear", 1}}));
  LinearOp linear = first<LinearOp>(**module);
  EXPECT_EQ(shapeOf(linear.getWeight()), (ArrayRef<int64_t>{4, 3}));
  EXPECT_TRUE(linear.getBias());
  EXPECT_EQ(shapeOf(linear.getResult()), (ArrayRef<int64_t>{2, 4}));
}

TEST_F(OnnxImporterTest, GemmWithoutTransBTransposesAndScalesTheWeight) {
  Model m;
  m.input("x", {2, 3}).output("y").weight("w", {3, 2}, {1, 2, 3, 4, 5, 6});
  floatAttr(m.node("Gemm", {"x", "w"}, {"y"}, "fc"), "alpha", 2.0f);
  auto module = import(m);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  LinearOp linear = first<LinearOp>(**module);
  auto weight = linear.getWeight().getDefiningOp<ConstantOp>();
  ASSERT_TRUE(weight);
  auto values = llvm::to_vector(cast<DenseElementsAttr>(weight.getValue()).getValues<float>());
  EXPECT_EQ(values, (llvm::SmallVector<float>{2, 6, 10, 4, 8, 12}));
}

TEST_F(OnnxImporterTest, GemmOfTwoComputedOperandsIsMatmul) {
  Model m;
  m.input("a", {3, 2}).input("b", {4, 3}).input("c", {1, 4}).output("y");
  onnx::NodeProto &gemm = m.node("Gemm", {"a", "b", "c"}, {"y"}, "gemm");
  intAttr(gemm, "transA", 1);
  intAttr(gemm, "transB", 1);
  floatAttr(gemm, "beta", 0.5f);
  auto module = import(m);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  EXPECT_EQ(histogram(**module), (std::map<std::string, int>{{"acnn.transpose", 2},
                                                             {"acnn.matmul", 1},
                                                             {"acnn.constant", 1},
                                                             {"acnn.mul", 1},
                                                             {"acnn.add", 1}}));
}

TEST_F(OnnxImporterTest, SoftmaxBeforeOpset13FlattensAtAxis) {
  for (int64_t opset : {11, 13}) {
    Model m(opset);
    m.input("x", {2, 3, 4}).output("y");
    intAttr(m.node("Softmax", {"x"}, {"y"}, "sm"), "axis", 1);
    auto module = import(m);
    ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
    if (opset == 11) {
      EXPECT_EQ(histogram(**module),
                (std::map<std::string, int>{
                    {"acnn.flatten", 1}, {"acnn.softmax", 1}, {"acnn.reshape", 1}}));
      EXPECT_EQ(first<FlattenOp>(**module).getAxis(), 1);
      EXPECT_EQ(first<SoftmaxOp>(**module).getAxis(), 1);
    } else {
      EXPECT_EQ(histogram(**module), (std::map<std::string, int>{{"acnn.softmax", 1}}));
      EXPECT_EQ(first<SoftmaxOp>(**module).getAxis(), 1);
    }
  }
}

// Opsets before 7: Add/Mul broadcast B only with broadcast = 1, B's axes
// lined up with A's from `axis`; Reshape's shape and Concat's default axis 1
// are attributes, as the old model zoo's exports write them.
TEST_F(OnnxImporterTest, LegacyOpsetSpellings) {
  Model m(3);
  m.input("x", {1, 3, 4, 4}).output("y").weight("b", {3}).weight("s", {3, 4});
  onnx::NodeProto &add = m.node("Add", {"x", "b"}, {"a"}, "add");
  intAttr(add, "broadcast", 1);
  intAttr(add, "axis", 1);
  onnx::NodeProto &mul = m.node("Mul", {"a", "s"}, {"m"}, "mul");
  intAttr(mul, "broadcast", 1);
  intAttr(mul, "axis", 1);
  m.node("Concat", {"m", "x"}, {"c"}, "concat");
  intsAttr(m.node("Reshape", {"c"}, {"y"}, "reshape"), "shape", {1, 6, -1});
  auto module = import(m);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  EXPECT_EQ(shapeOf(first<AddOp>(**module).getRhs()), (ArrayRef<int64_t>{3, 1, 1}));
  EXPECT_EQ(shapeOf(first<MulOp>(**module).getRhs()), (ArrayRef<int64_t>{3, 4, 1}));
  EXPECT_EQ(first<ConcatOp>(**module).getAxis(), 1);
  EXPECT_EQ(shapeOf(entry(**module).front().getTerminator()->getOperand(0)),
            (ArrayRef<int64_t>{1, 6, 16}));

  Model strict(6);
  strict.input("x", {1, 3, 4, 4}).output("y").weight("b", {3});
  strict.node("Add", {"x", "b"}, {"y"}, "add");
  EXPECT_NE(importError(strict).find(
                "node 'add' (Add): shapes [1, 3, 4, 4] and [3] differ and broadcast is 0"),
            std::string::npos)
      << importError(strict);
}

TEST_F(OnnxImporterTest, SliceClampsNegativeAndOutOfRangeBounds) {
  const int64_t max = std::numeric_limits<int64_t>::max();
  const int64_t min = std::numeric_limits<int64_t>::min();
  Model m;
  m.input("x", {1, 3, 8, 8}).output("tail").output("flipped");
  m.ints("s1", {-3}).ints("e1", {max}).ints("a1", {-1});
  m.ints("s2", {-1}).ints("e2", {min}).ints("a2", {2}).ints("st2", {-1});
  m.node("Slice", {"x", "s1", "e1", "a1"}, {"tail"}, "tail");
  m.node("Slice", {"x", "s2", "e2", "a2", "st2"}, {"flipped"}, "flip");
  auto module = import(m);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  std::vector<SliceOp> slices;
  (**module).walk([&](SliceOp op) { slices.push_back(op); });
  ASSERT_EQ(slices.size(), 2u);
  EXPECT_EQ(slices[0].getStarts(), (ArrayRef<int64_t>{0, 0, 0, 5}));
  EXPECT_EQ(slices[0].getEnds(), (ArrayRef<int64_t>{1, 3, 8, 8}));
  EXPECT_EQ(shapeOf(slices[0].getResult()), (ArrayRef<int64_t>{1, 3, 8, 3}));
  EXPECT_EQ(slices[1].getStarts(), (ArrayRef<int64_t>{0, 0, 7, 0}));
  EXPECT_EQ(slices[1].getEnds(), (ArrayRef<int64_t>{1, 3, -1, 8}));
  EXPECT_EQ(slices[1].getSteps(), (ArrayRef<int64_t>{1, 1, -1, 1}));
  EXPECT_EQ(shapeOf(slices[1].getResult()), (ArrayRef<int64_t>{1, 3, 8, 8}));
}

TEST_F(OnnxImporterTest, SplitBySizesOrIntoEqualParts) {
  Model m13(13);
  m13.input("x", {1, 6, 4}).output("a").output("b").ints("sizes", {2, 4});
  intAttr(m13.node("Split", {"x", "sizes"}, {"a", "b"}, "split"), "axis", 1);
  auto module = import(m13);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  SplitOp split = first<SplitOp>(**module);
  EXPECT_EQ(split.getSizes(), (ArrayRef<int64_t>{2, 4}));
  EXPECT_EQ(entry(**module).getNumResults(), 2u);

  Model m11(11);
  m11.input("x", {1, 6, 4}).output("a").output("b").output("c");
  intAttr(m11.node("Split", {"x"}, {"a", "b", "c"}, "split"), "axis", 1);
  module = import(m11);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  EXPECT_EQ(first<SplitOp>(**module).getSizes(), (ArrayRef<int64_t>{2, 2, 2}));
}

TEST_F(OnnxImporterTest, GeluFromMicrosoftDomainOrOpset20) {
  Model ms;
  ms.proto.add_opset_import()->set_domain("com.microsoft");
  ms.input("x", {1, 8}).output("y");
  ms.node("Gelu", {"x"}, {"y"}, "gelu").set_domain("com.microsoft");
  auto module = import(ms);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  EXPECT_FALSE(first<GeluOp>(**module).getApproximateTanh());

  Model m20(20);
  m20.input("x", {1, 8}).output("y");
  stringAttr(m20.node("Gelu", {"x"}, {"y"}, "gelu"), "approximate", "tanh");
  module = import(m20);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  EXPECT_TRUE(first<GeluOp>(**module).getApproximateTanh());
}

TEST_F(OnnxImporterTest, ClipBoundsComeFromAttributesOrConstantInputs) {
  Model old(6);
  old.input("x", {1, 3}).output("y");
  onnx::NodeProto &clip = old.node("Clip", {"x"}, {"y"}, "clip7");
  floatAttr(clip, "min", 1.0f);
  floatAttr(clip, "max", 0.0f);
  std::string error = importError(old);
  EXPECT_NE(error.find("node 'clip7' (Clip): min 1"), std::string::npos) << error;

  Model m(13);
  m.input("x", {1, 3}).output("y").weight("lo", {}, {0.0f}).weight("hi", {}, {6.0f});
  m.node("Clip", {"x", "lo", "hi"}, {"y"}, "relu6");
  auto module = import(m);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  ClipOp op = first<ClipOp>(**module);
  EXPECT_EQ(op.getMin().convertToFloat(), 0.0f);
  EXPECT_EQ(op.getMax().convertToFloat(), 6.0f);
  EXPECT_EQ(histogram(**module), (std::map<std::string, int>{{"acnn.clip", 1}}));
}

// Pads clamped at zero (TF "same" padding) and positional tables computed
// from a grid of ones (XCiT, EdgeNeXt) leave nothing but constants: Clip,
// CumSum, Sin and Cos of known tensors are evaluated at import.
TEST_F(OnnxImporterTest, ClipCumSumSinCosOfKnownTensorsAreEvaluated) {
  Model m(13);
  m.input("x", {6}).input("t", {2, 3}).output("y").output("z");
  m.ints("shape", {-4, 3}).ints("two", {2}).ints("axis1", {1}).ints("axis0", {0});
  m.weight("ones", {2, 3}, std::vector<float>(6, 1.0f));
  m.node("Clip", {"shape", "two"}, {"clamped"});
  m.node("Reshape", {"x", "clamped"}, {"y"});
  m.node("CumSum", {"ones", "axis1"}, {"grid"});
  onnx::NodeProto &back = m.node("CumSum", {"ones", "axis0"}, {"rows"});
  intAttr(back, "exclusive", 1);
  intAttr(back, "reverse", 1);
  m.node("Sin", {"grid"}, {"sin"});
  m.node("Cos", {"rows"}, {"cos"});
  m.node("Add", {"sin", "cos"}, {"table"});
  m.node("Add", {"t", "table"}, {"z"});
  auto module = import(m);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  EXPECT_EQ(format(histogram(**module)), "acnn.add 1, acnn.constant 1, acnn.reshape 1");
  EXPECT_EQ(shapeOf(first<ReshapeOp>(**module).getResult()), (ArrayRef<int64_t>{2, 3}));
  // grid = [[1, 2, 3], [1, 2, 3]]; rows, summed from the end leaving each
  // element out = [[1, 1, 1], [0, 0, 0]].
  std::vector<double> want;
  for (double r : {1.0, 0.0})
    for (double g : {1.0, 2.0, 3.0})
      want.push_back(std::sin(g) + std::cos(r));
  auto table = cast<DenseElementsAttr>(first<ConstantOp>(**module).getValue());
  ASSERT_EQ(table.getNumElements(), 6);
  for (auto [got, expected] : llvm::zip(table.getValues<float>(), want))
    EXPECT_NEAR(got, expected, 1e-6);
}

// A slice assignment into a computed tensor (x[:, 1:3, 2:] = u), as PyTorch
// exports it: ScatterND with known indices enumerating a box. It becomes the
// data's slices around the updates, concatenated along the box's axes from
// the last: along axis 2 the part before the box; along axis 1 the parts
// before and after; axis 0 is whole.
TEST_F(OnnxImporterTest, ScatterIntoAComputedTensorIsSlicesAndConcats) {
  Model m;
  m.input("x", {1, 4, 5}).input("u", {1, 2, 3}).output("y");
  Ints tuples;
  for (int64_t r = 1; r < 3; ++r)
    for (int64_t c = 2; c < 5; ++c)
      tuples.insert(tuples.end(), {0, r, c});
  m.ints("flat", tuples).ints("shape", {1, 2, 3, 3});
  m.node("Reshape", {"flat", "shape"}, {"indices"});
  m.node("ScatterND", {"x", "indices", "u"}, {"y"}, "assign");
  auto module = import(m);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  EXPECT_EQ(format(histogram(**module)), "acnn.concat 2, acnn.slice 3");
  SmallVector<ConcatOp> concats;
  (**module).walk([&](ConcatOp op) { concats.push_back(op); });
  ASSERT_EQ(concats.size(), 2u);
  EXPECT_EQ(concats[0].getAxis(), 2);
  EXPECT_EQ(shapeOf(concats[0].getResult()), (ArrayRef<int64_t>{1, 2, 5}));
  EXPECT_EQ(concats[1].getAxis(), 1);
  EXPECT_EQ(concats[1].getNumOperands(), 3u);
  EXPECT_EQ(shapeOf(concats[1].getResult()), (ArrayRef<int64_t>{1, 4, 5}));
}

// Other indices into a computed tensor (rows 2 and 0, out of order): a
// gather of the updates into the data's shape, selected where they write.
TEST_F(OnnxImporterTest, ScatterIntoAComputedTensorAtOtherIndicesIsGatherAndWhere) {
  Model m;
  m.input("x", {3, 4}).input("u", {2, 4}).output("y");
  m.ints("rows", {2, 0}).ints("shape", {2, 1});
  m.node("Reshape", {"rows", "shape"}, {"indices"});
  m.node("ScatterND", {"x", "indices", "u"}, {"y"}, "assign");
  auto module = import(m);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  EXPECT_EQ(format(histogram(**module)), "acnn.constant 1, acnn.gather 1, acnn.reshape 1, "
                                         "acnn.where 1");
  // Row 0 of the result takes update row 1, row 2 update row 0; row 1 is the data's.
  auto taken = first<GatherOp>(**module).getIndices().getValues<int64_t>();
  std::vector<int64_t> rows(taken.begin(), taken.end());
  EXPECT_EQ(rows, (std::vector<int64_t>{4, 5, 6, 7, 0, 0, 0, 0, 0, 1, 2, 3}));
}

TEST_F(OnnxImporterTest, CommittedModelsImportAndVerify) {
  std::string dir = ACNN_SOURCE_DIR "/tests/models";
  std::vector<std::string> paths;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec))
    if (llvm::sys::path::extension(it->path()) == ".onnx")
      paths.push_back(it->path());
  if (paths.empty())
    GTEST_SKIP() << "no models in " << dir;
  llvm::sort(paths);
  for (const std::string &path : paths) {
    auto module = importOnnx(ctx, path);
    ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
    std::map<std::string, int> counts = histogram(**module);
    llvm::outs() << llvm::sys::path::filename(path) << ": " << format(counts) << "\n";
    EXPECT_EQ(entry(**module).getNumArguments(), 1u) << path;
    EXPECT_EQ(entry(**module).getNumResults(), 1u) << path;
  }
}

} // namespace
