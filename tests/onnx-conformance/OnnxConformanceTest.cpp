// ONNX's backend node tests (Debian's libonnx-testdata), each a gtest case:
// the model goes through the ONNX importer, then both the reference
// interpreter and the code `acnnc compile` generates (as a shared library run
// through libacnnrt), and every output of both must match the reference at
// the ONNX backend's default tolerance (rtol 1e-3, atol 1e-7). Cases with an
// empty (zero-element) input or output run on the interpreter only: the
// runtime's ABI has no empty tensors. A case is skipped, with the reason, when
// an op has no converter, when a graph input is not a FLOAT tensor (acnn's
// graph values are f32), or when it is on the skip list below; any other
// failure is a test failure.
#include "compiler/interpreter/Interpreter.h"
#include "frontends/onnx/OnnxImporter.h"
#include "frontends/onnx/OnnxTensors.h"
#include "tests/onnx-conformance/NodeTestCase.h"
#include "tests/unit/TestUtils.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <map>

using namespace acnn;
using namespace acnn::conformance;

namespace {

const char *const kDataDir = "/usr/share/libonnx-testdata/data/node";
constexpr double kRtol = 1e-3, kAtol = 1e-7;

// Cases of supported ops that test what acnn leaves out on purpose: it
// compiles inference graphs of 2-D image models, computing in f32.
const std::map<std::string, std::string> &skipList() {
  const char *pool3d = "3-D pooling: acnn pools 1-D and 2-D windows";
  const char *transposed1d3d =
      "1-D and 3-D transposed convolution: acnn convolves 2-D windows over NCHW tensors";
  const char *trainingDropout = "training-mode Dropout with a non-zero ratio: random output";
  const char *half = "rounding a computed tensor to 16-bit floats: acnn computes in f32";
  const char *argmax = "MaxPool's Indices output";
  const char *cropAndResize = "Resize's tf_crop_and_resize (TensorFlow's crop boxes)";
  const char *unroundedLength =
      "align_corners with a fractional output length: ONNX's reference maps coordinates with "
      "in * scale (2.4 here), PyTorch and ONNX Runtime with the output's size (2), as acnn does";
  const char *gridSample = "GridSample's bicubic mode and reflection padding: acnn samples "
                           "linearly or nearest, with zero or border padding";
  static const std::map<std::string, std::string> skips = {
      {"test_gridsample_bicubic", gridSample},
      {"test_gridsample_reflection_padding", gridSample},
      {"test_averagepool_3d_default", pool3d},
      {"test_convtranspose_1d", transposed1d3d},
      {"test_convtranspose_3d", transposed1d3d},
      {"test_maxpool_3d_default", pool3d},
      {"test_maxpool_with_argmax_2d_precomputed_pads", argmax},
      {"test_maxpool_with_argmax_2d_precomputed_strides", argmax},
      {"test_training_dropout", trainingDropout},
      {"test_training_dropout_default", trainingDropout},
      {"test_training_dropout_default_mask", trainingDropout},
      {"test_training_dropout_mask", trainingDropout},
      {"test_cast_FLOAT_to_BFLOAT16", half},
      {"test_cast_FLOAT_to_FLOAT16", half},
      {"test_cast_FLOAT_to_STRING", "string tensors"},
      {"test_resize_tf_crop_and_resize", cropAndResize},
      {"test_resize_downsample_scales_linear_align_corners", unroundedLength},
      {"test_resize_downsample_scales_cubic_align_corners", unroundedLength},
  };
  return skips;
}

std::vector<std::string> caseNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(kDataDir, ec), end; it != end && !ec; it.increment(ec))
    names.push_back(llvm::sys::path::filename(it->path()).str());
  llvm::sort(names);
  return names;
}

class NodeTest : public ::testing::TestWithParam<std::string> {};

TEST_P(NodeTest, MatchesReference) {
  const std::string &name = GetParam();
  auto skip = skipList().find(name);
  if (skip != skipList().end())
    GTEST_SKIP() << skip->second;
  std::string dir = std::string(kDataDir) + "/" + name;
  llvm::Expected<NodeTestCase> testCase = readCase(dir);
  ASSERT_TRUE(bool(testCase)) << llvm::toString(testCase.takeError());
  std::string missing = unsupportedOps(testCase->model);
  if (!missing.empty())
    GTEST_SKIP() << "no converter for " << missing;

  for (size_t set = 0; set < testCase->dataSets.size(); ++set) {
    SCOPED_TRACE("test_data_set_" + std::to_string(set));
    const DataSet &data = testCase->dataSets[set];
    std::vector<Tensor> inputs;
    llvm::Expected<onnx::ModelProto> bound = bindConstantInputs(testCase->model, data, inputs);
    if (!bound)
      GTEST_SKIP() << llvm::toString(bound.takeError());

    mlir::MLIRContext ctx;
    auto module = importOnnxModel(ctx, *bound, dir + "/model.onnx");
    ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
    auto interpreted = interpret(**module, inputs);
    ASSERT_TRUE(bool(interpreted)) << llvm::toString(interpreted.takeError());

    std::vector<std::pair<const char *, const std::vector<Tensor> *>> engines = {
        {"interpreter", &*interpreted}};
    std::vector<Tensor> compiled;
    auto empty = [](const Tensor &t) { return t.numel() == 0; };
    if (llvm::none_of(inputs, empty) && llvm::none_of(*interpreted, empty)) {
      std::string library = std::string(ACNN_BINARY_DIR) + "/tests/onnx-conformance/" + name +
                            "_" + std::to_string(set) + ".so";
      ASSERT_TRUE(acnn::testing::compileSharedLibrary(**module, library));
      compiled = acnn::testing::runSharedLibraryModel(library, inputs);
      llvm::sys::fs::remove(library);
      engines.push_back({"compiled", &compiled});
    }

    for (auto [engine, results] : engines) {
      ASSERT_EQ(results->size(), data.outputs.size()) << engine;
      for (size_t i = 0; i < data.outputs.size(); ++i) {
        llvm::Expected<KnownTensor> want = decodeTensor(data.outputs[i]);
        ASSERT_TRUE(bool(want)) << llvm::toString(want.takeError());
        std::optional<std::string> mismatch = compare((*results)[i], *want, kRtol, kAtol);
        EXPECT_FALSE(mismatch) << engine << " output " << i << ": " << *mismatch;
      }
    }
  }
}

// Without the test data there are no cases; TestDataIsInstalled says so.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(NodeTest);
INSTANTIATE_TEST_SUITE_P(Onnx, NodeTest, ::testing::ValuesIn(caseNames()),
                         [](const auto &info) { return info.param; });

TEST(OnnxConformance, TestDataIsInstalled) {
  if (!llvm::sys::fs::is_directory(kDataDir))
    GTEST_SKIP() << kDataDir << " is missing: scripts/install-deps.sh installs libonnx-testdata";
}

} // namespace
