// Every test model (tests/models/, and the user-style exports of
// tests/models/exports/) compiled by `acnnc compile` to a shared library,
// loaded through libacnnrt and run: outputs within 1e-4 relative L2 error of
// PyTorch's (ONNX models) and of the reference interpreter (all models but
// the exports).
#include "compiler/driver/ModelLoader.h"
#include "compiler/driver/Pipeline.h"
#include "compiler/interpreter/Interpreter.h"
#include "dialects/acnn/AcnnDialect.h"

#include "TestUtils.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <gtest/gtest.h>
#include <regex>
#include <sstream>

using namespace acnn;
using acnn::testing::readNpy;
using acnn::testing::relativeL2;
using acnn::testing::runSharedLibraryModel;

namespace {

constexpr double kTolerance = 1e-4;

/// Compiles `model` with the acnnc binary, as a user would, with `extra`
/// arguments (--input-shape ...).
std::string compileToSharedLibrary(const std::string &model, const std::string &name,
                                   bool fusion = true, const std::vector<std::string> &extra = {}) {
  std::string dir = std::string(ACNN_BINARY_DIR) + "/tests/compiled";
  llvm::sys::fs::create_directories(dir);
  std::string out = dir + "/" + name + ".so";
  std::string acnnc = std::string(ACNN_BINARY_DIR) + "/bin/acnnc";
  std::vector<llvm::StringRef> args = {acnnc, "compile", model, "-o", out};
  if (!fusion)
    args.push_back("--no-fusion");
  for (const std::string &arg : extra)
    args.push_back(arg);
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(acnnc, args, std::nullopt, {}, 0, 0, &message);
  EXPECT_EQ(rc, 0) << "acnnc compile " << model << " failed " << message;
  return out;
}

std::vector<Tensor> interpretModel(const std::string &path, const std::vector<Tensor> &inputs) {
  mlir::MLIRContext ctx;
  auto model = loadModel(ctx, path, {});
  if (!model) {
    ADD_FAILURE() << llvm::toString(model.takeError());
    return {};
  }
  PipelineOptions graphOnly;
  graphOnly.stopAfter = kLastGraphStage.str();
  EXPECT_FALSE(bool(runPipeline(**model, graphOnly)));
  auto results = interpret(**model, inputs);
  if (!results) {
    ADD_FAILURE() << llvm::toString(results.takeError());
    return {};
  }
  return std::move(*results);
}

class OnnxModel : public ::testing::TestWithParam<const char *> {};

TEST_P(OnnxModel, CompiledMatchesPyTorchAndInterpreter) {
  std::string base = std::string(ACNN_SOURCE_DIR) + "/tests/models/" + GetParam();
  std::vector<Tensor> inputs = {readNpy(base + ".input.npy")};
  std::vector<Tensor> got =
      runSharedLibraryModel(compileToSharedLibrary(base + ".onnx", GetParam()), inputs);
  ASSERT_EQ(got.size(), 1u);
  Tensor want = readNpy(base + ".output.npy");
  ASSERT_EQ(got[0].shape, want.shape);
  EXPECT_LE(relativeL2(got[0].data, want.data), kTolerance) << "vs PyTorch";
  std::vector<Tensor> reference = interpretModel(base + ".onnx", inputs);
  ASSERT_EQ(reference.size(), 1u);
  EXPECT_LE(relativeL2(got[0].data, reference[0].data), kTolerance) << "vs interpreter";
}

INSTANTIATE_TEST_SUITE_P(Models, OnnxModel,
                         ::testing::Values("se_resnet", "cbam_resnet", "nonlocal", "mhsa",
                                           "vit_tiny"));

/// Without fusion every imported op is lowered on its own (batch norm, the
/// decomposed SE gate, softmax attention, layer norm, GELU): the baseline
/// the benchmark measures fusion against must compute the same function.
class UnfusedOnnxModel : public ::testing::TestWithParam<const char *> {};

TEST_P(UnfusedOnnxModel, CompiledMatchesPyTorch) {
  std::string base = std::string(ACNN_SOURCE_DIR) + "/tests/models/" + GetParam();
  std::vector<Tensor> inputs = {readNpy(base + ".input.npy")};
  std::vector<Tensor> got = runSharedLibraryModel(
      compileToSharedLibrary(base + ".onnx", std::string(GetParam()) + "_unfused", false), inputs);
  ASSERT_EQ(got.size(), 1u);
  Tensor want = readNpy(base + ".output.npy");
  ASSERT_EQ(got[0].shape, want.shape);
  EXPECT_LE(relativeL2(got[0].data, want.data), kTolerance);
}

INSTANTIATE_TEST_SUITE_P(Models, UnfusedOnnxModel,
                         ::testing::Values("se_resnet", "cbam_resnet", "nonlocal", "vit_tiny"));

/// Models exported the way users export them (tests/models/exports/) and
/// spelled the way other exporters write them (tests/models/spellings/): the
/// batch pinned to the saved input's (2) with --input-shape.
class ExportedOnnxModel : public ::testing::TestWithParam<const char *> {};

TEST_P(ExportedOnnxModel, CompiledMatchesPyTorch) {
  std::string base = std::string(ACNN_SOURCE_DIR) + "/tests/models/" + GetParam();
  std::vector<Tensor> inputs = {readNpy(base + ".input.npy")};
  std::string shape = "input=";
  for (size_t i = 0; i < inputs[0].shape.size(); ++i)
    shape += (i ? "x" : "") + std::to_string(inputs[0].shape[i]);
  std::string name = GetParam();
  std::replace(name.begin(), name.end(), '/', '_');
  std::vector<Tensor> got = runSharedLibraryModel(
      compileToSharedLibrary(base + ".onnx", name, true, {"--input-shape", shape}), inputs);
  ASSERT_EQ(got.size(), 1u);
  Tensor want = readNpy(base + ".output.npy");
  ASSERT_EQ(got[0].shape, want.shape);
  EXPECT_LE(relativeL2(got[0].data, want.data), kTolerance);
}

// regnety_opset13: a residual add of two convs (acnn-group-epilogues crashed).
// attention_unet_argmax_opset13: a class map (ArgMax's INT64 indices), which
// must match exactly: one pixel of another class is far over the tolerance.
// slice_assignment_opset17: ScatterND into computed tensors (MViTv2).
INSTANTIATE_TEST_SUITE_P(
    Exports, ExportedOnnxModel,
    ::testing::Values("exports/mobile_opset11", "exports/mobile_opset13", "exports/vit_opset13",
                      "exports/vit_opset17", "exports/swin_opset13", "exports/regnety_opset13",
                      "exports/attention_unet_opset13", "exports/se_detector_opset11",
                      "exports/se_detector_opset13", "exports/attention_modules_opset13",
                      "exports/aspp_opset13", "exports/attention_unet_argmax_opset13",
                      "exports/slice_assignment_opset17", "spellings/paddle_se",
                      "spellings/paddle_se_external", "spellings/tf_se", "spellings/reductions",
                      "spellings/group_norm", "spellings/conv_transpose", "spellings/attention_op",
                      "spellings/local_functions", "spellings/ort_contrib",
                      "spellings/grid_sample"));

/// A schedules file edited by hand changes how kernels run, never what they
/// compute: every kernel made serial and its accumulators left in memory
/// (parallel loops, chunks and hoisting taken out of each entry) still
/// matches PyTorch.
class EditedSchedules : public ::testing::TestWithParam<const char *> {};

TEST_P(EditedSchedules, CompiledMatchesPyTorch) {
  std::string base = std::string(ACNN_SOURCE_DIR) + "/tests/models/" + GetParam();
  std::string dir = std::string(ACNN_BINARY_DIR) + "/tests/compiled";
  llvm::sys::fs::create_directories(dir);
  std::string printed = dir + "/" + GetParam() + ".schedules", edited = printed + ".edited";
  std::string acnnc = std::string(ACNN_BINARY_DIR) + "/bin/acnnc", model = base + ".onnx";
  std::string message;
  // The redirection below does not truncate: a longer file from an earlier
  // build would leave its tail behind.
  llvm::sys::fs::remove(printed);
  llvm::StringRef args[] = {acnnc, "inspect", model, "--schedules"};
  ASSERT_EQ(llvm::sys::ExecuteAndWait(acnnc, args, std::nullopt,
                                      {std::nullopt, llvm::StringRef(printed), std::nullopt}, 0, 0,
                                      &message),
            0)
      << message;
  std::ifstream in(printed);
  std::stringstream text;
  text << in.rdbuf();
  std::string serial = std::regex_replace(
      text.str(), std::regex(", (parallel = \\[[0-9, ]*\\]|chunks = [0-9]+|hoist)"), "");
  ASSERT_NE(serial, text.str()) << "nothing to edit in " << printed;
  std::ofstream(edited) << serial;

  std::vector<Tensor> inputs = {readNpy(base + ".input.npy")};
  std::vector<Tensor> got =
      runSharedLibraryModel(compileToSharedLibrary(model, std::string(GetParam()) + "_serial", true,
                                                   {"--schedules", edited}),
                            inputs);
  ASSERT_EQ(got.size(), 1u);
  Tensor want = readNpy(base + ".output.npy");
  ASSERT_EQ(got[0].shape, want.shape);
  EXPECT_LE(relativeL2(got[0].data, want.data), kTolerance);
}

INSTANTIATE_TEST_SUITE_P(Models, EditedSchedules, ::testing::Values("se_resnet", "vit_tiny"));

class AcnnExample : public ::testing::TestWithParam<const char *> {};

TEST_P(AcnnExample, CompiledMatchesInterpreter) {
  std::string path = std::string(ACNN_SOURCE_DIR) + "/examples/" + GetParam() + ".acnn";
  std::vector<Tensor> reference;
  std::vector<Tensor> inputs;
  {
    // The input's shape comes from the model itself.
    mlir::MLIRContext ctx;
    auto model = loadModel(ctx, path, {});
    ASSERT_TRUE(bool(model)) << llvm::toString(model.takeError());
    auto entry = (*model)->lookupSymbol<mlir::func::FuncOp>(kEntryName);
    for (mlir::Type type : entry.getArgumentTypes()) {
      auto shape = llvm::cast<mlir::RankedTensorType>(type).getShape();
      Tensor t{std::vector<int64_t>(shape.begin(), shape.end()), {}};
      t.data.resize(t.numel());
      for (size_t i = 0; i < t.data.size(); ++i)
        t.data[i] = std::sin(0.37 * double(i));
      inputs.push_back(std::move(t));
    }
  }
  reference = interpretModel(path, inputs);
  std::vector<Tensor> got = runSharedLibraryModel(compileToSharedLibrary(path, GetParam()), inputs);
  ASSERT_EQ(got.size(), reference.size());
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_LE(relativeL2(got[i].data, reference[i].data), kTolerance) << "output " << i;
}

INSTANTIATE_TEST_SUITE_P(Examples, AcnnExample,
                         ::testing::Values("se_block", "cbam_block", "self_attention"));

} // namespace
