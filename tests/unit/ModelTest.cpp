// Each test model, imported from ONNX and run by the reference interpreter,
// matches PyTorch's output (saved by tests/models/generate.py) within 1e-4
// relative L2 error: after import alone and after the whole graph pipeline.
#include "compiler/driver/ModelLoader.h"
#include "compiler/driver/Pipeline.h"
#include "compiler/interpreter/Interpreter.h"
#include "frontends/text/GraphBuilder.h"

#include "TestUtils.h"

#include <cmath>
#include <gtest/gtest.h>

using namespace acnn;
using acnn::testing::readNpy;
using acnn::testing::relativeL2;

namespace {

constexpr double kTolerance = 1e-4;


struct Case {
  std::string model;
  std::string stopAfter;
};

class ModelTest : public ::testing::TestWithParam<Case> {};

TEST_P(ModelTest, MatchesPyTorch) {
  std::string base = std::string(ACNN_SOURCE_DIR) + "/tests/models/" + GetParam().model;
  mlir::MLIRContext ctx;
  auto model = loadModel(ctx, base + ".onnx", {});
  ASSERT_TRUE(bool(model)) << llvm::toString(model.takeError());
  PipelineOptions options;
  options.stopAfter = GetParam().stopAfter;
  ASSERT_FALSE(bool(runPipeline(**model, options)));

  auto results = interpret(**model, {readNpy(base + ".input.npy")});
  ASSERT_TRUE(bool(results)) << llvm::toString(results.takeError());
  ASSERT_EQ(results->size(), 1u);
  Tensor want = readNpy(base + ".output.npy");
  ASSERT_EQ((*results)[0].shape, want.shape);
  EXPECT_LE(relativeL2((*results)[0].data, want.data), kTolerance);
}

std::vector<Case> cases() {
  std::vector<Case> all;
  for (const char *model : {"se_resnet", "cbam_resnet", "nonlocal", "mhsa", "vit_tiny"})
    for (llvm::StringRef stage : {pipelineStages().front(), llvm::StringRef(kLastGraphStage)})
      all.push_back({model, stage.str()});
  return all;
}

INSTANTIATE_TEST_SUITE_P(Models, ModelTest, ::testing::ValuesIn(cases()),
                         [](const auto &info) {
                           std::string name = info.param.model + "_after_" + info.param.stopAfter;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

} // namespace
