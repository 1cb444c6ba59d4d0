// Models exported the way users export them (tests/models/generate_exports.py:
// a dynamic batch axis, shape arithmetic left in the graph, opsets 11, 13 and
// 17), imported with the batch pinned to the reference input's, run by the
// reference interpreter after the graph pipeline: each matches PyTorch within
// 1e-4 relative L2 error. Shape arithmetic must be gone after import: no op
// but a constant may have only constant operands.
#include "compiler/driver/ModelLoader.h"
#include "compiler/driver/Pipeline.h"
#include "compiler/interpreter/Interpreter.h"
#include "frontends/text/GraphBuilder.h"

#include "TestUtils.h"

#include "onnx/onnx_pb.h"

#include <fstream>
#include <gtest/gtest.h>

using namespace acnn;

namespace {

constexpr double kTolerance = 1e-4;

// "N nodes (C constants)" of the ONNX graph at `path`.
std::string onnxNodeCount(const std::string &path) {
  onnx::ModelProto model;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(model.ParseFromIstream(&in)) << path;
  int64_t constants = llvm::count_if(
      model.graph().node(), [](const onnx::NodeProto &n) { return n.op_type() == "Constant"; });
  return std::to_string(model.graph().node_size()) + " ONNX nodes (" + std::to_string(constants) +
         " Constant)";
}

// "N acnn ops (C constants)" of `module`.
std::string opCount(mlir::ModuleOp module) {
  int64_t ops = 0, constants = 0;
  module.walk([&](mlir::Operation *op) {
    ops += llvm::isa<AcnnDialect>(op->getDialect());
    constants += llvm::isa<ConstantOp>(op);
  });
  return std::to_string(ops) + " acnn ops (" + std::to_string(constants) + " constants)";
}

// The ops left with only constant operands: unevaluated shape arithmetic.
std::vector<std::string> foldableOps(mlir::ModuleOp module) {
  std::vector<std::string> found;
  module.walk([&](mlir::Operation *op) {
    if (llvm::isa<ConstantOp>(op) || !llvm::isa<AcnnDialect>(op->getDialect()) ||
        op->getNumOperands() == 0)
      return;
    if (llvm::all_of(op->getOperands(),
                     [](mlir::Value v) { return v.getDefiningOp<ConstantOp>(); }))
      found.push_back(op->getName().getStringRef().str());
  });
  return found;
}

class OnnxExportsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(OnnxExportsTest, MatchesPyTorchWithTheBatchPinned) {
  std::string base = std::string(ACNN_SOURCE_DIR) + "/tests/models/exports/" + GetParam();
  Tensor input = acnn::testing::readNpy(base + ".input.npy");
  LoadOptions options;
  options.inputShapes["input"] = llvm::SmallVector<int64_t>(input.shape.begin(), input.shape.end());
  mlir::MLIRContext ctx;
  auto model = loadModel(ctx, base + ".onnx", options);
  ASSERT_TRUE(bool(model)) << llvm::toString(model.takeError());
  EXPECT_EQ(foldableOps(**model), std::vector<std::string>());

  std::string imported = opCount(**model);
  PipelineOptions pipeline;
  pipeline.stopAfter = kLastGraphStage.str();
  ASSERT_FALSE(bool(runPipeline(**model, pipeline)));
  std::cout << GetParam() << ": " << onnxNodeCount(base + ".onnx") << " -> " << imported
            << " after import -> " << opCount(**model) << " after the graph pipeline\n";

  auto results = interpret(**model, {input});
  ASSERT_TRUE(bool(results)) << llvm::toString(results.takeError());
  ASSERT_EQ(results->size(), 1u);
  Tensor want = acnn::testing::readNpy(base + ".output.npy");
  ASSERT_EQ((*results)[0].shape, want.shape);
  EXPECT_LE(acnn::testing::relativeL2((*results)[0].data, want.data), kTolerance);
}

INSTANTIATE_TEST_SUITE_P(Exports, OnnxExportsTest,
                         ::testing::Values("mobile_opset11", "mobile_opset13", "vit_opset13",
                                           "vit_opset17", "swin_opset13", "regnety_opset13",
                                           "attention_unet_opset13", "se_detector_opset11",
                                           "se_detector_opset13", "attention_modules_opset13",
                                           "aspp_opset13", "same_padding_opset13",
                                           "slice_assignment_opset17"),
                         [](const auto &info) { return info.param; });

} // namespace
