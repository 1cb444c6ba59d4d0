// The weight sources of the .acnn language and the C++ builder: safetensors
// files (every float dtype, malformed files, paths relative to the model) and
// seeded weights (deterministic, scaled by fan-in, pinned golden values).
#include "dialects/acnn/AcnnOps.h"
#include "frontends/text/TextParser.h"
#include "frontends/text/WeightSource.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

using namespace acnn;
using namespace mlir;

namespace {

std::vector<float> dataOf(Value v) {
  auto attr = cast<DenseElementsAttr>(v.getDefiningOp<ConstantOp>().getValue());
  return {attr.getValues<float>().begin(), attr.getValues<float>().end()};
}

//===----------------------------------------------------------------------===//
// Safetensors
//===----------------------------------------------------------------------===//

struct StTensor {
  std::string name, dtype;
  std::vector<int64_t> shape;
  std::string bytes;
};

std::string f32Bytes(ArrayRef<float> values) {
  std::string bytes(values.size() * 4, '\0');
  for (size_t i = 0; i < values.size(); ++i)
    llvm::support::endian::write32le(&bytes[i * 4], llvm::bit_cast<uint32_t>(values[i]));
  return bytes;
}

// A file with an explicit header: the 8-byte length, the JSON, then `data`.
std::string withHeader(const std::string &header, const std::string &data) {
  std::string out(8, '\0');
  llvm::support::endian::write64le(out.data(), header.size());
  return out + header + data;
}

// A well-formed file holding `tensors`, back to back.
std::string safetensors(ArrayRef<StTensor> tensors) {
  llvm::json::Object header;
  header["__metadata__"] = llvm::json::Object{{"format", "pt"}};
  std::string data;
  for (const StTensor &t : tensors) {
    llvm::json::Array offsets{int64_t(data.size()), int64_t(data.size() + t.bytes.size())};
    header[t.name] = llvm::json::Object{{"dtype", t.dtype},
                                        {"shape", llvm::json::Array(t.shape)},
                                        {"data_offsets", std::move(offsets)}};
    data += t.bytes;
  }
  std::string json;
  llvm::raw_string_ostream(json) << llvm::json::Value(std::move(header));
  return withHeader(json, data);
}

class Safetensors : public ::testing::Test {
protected:
  llvm::SmallString<128> dir;

  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("acnn-text-test", dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  std::string write(llvm::StringRef name, const std::string &bytes) {
    llvm::SmallString<128> path(dir);
    llvm::sys::path::append(path, name);
    std::ofstream(path.str().str(), std::ios::binary) << bytes;
    return path.str().str();
  }

  // The error of opening `bytes` as a file, or of asking it for `w` as [2, 2].
  std::string errorOf(const std::string &bytes) {
    auto source = openSafetensors(write("bad.safetensors", bytes));
    if (!source)
      return llvm::toString(source.takeError());
    auto values = (*source)->get("w", {2, 2});
    return values ? "" : llvm::toString(values.takeError());
  }
};

TEST_F(Safetensors, ReadsAndConvertsEachFloatDtype) {
  std::string f16("\x00\x3c\x00\xc0", 4);  // 1.0, -2.0
  std::string bf16("\x80\x3f\x40\xc0", 4); // 1.0, -3.0
  std::string f64(16, '\0');
  llvm::support::endian::write64le(&f64[0], llvm::bit_cast<uint64_t>(0.25));
  llvm::support::endian::write64le(&f64[8], llvm::bit_cast<uint64_t>(-8.0));
  std::string path = write("w.safetensors", safetensors({
                                                {"a", "F32", {2, 2}, f32Bytes({1, 2, 3, 4})},
                                                {"h", "F16", {2}, f16},
                                                {"b", "BF16", {2}, bf16},
                                                {"d", "F64", {2}, f64},
                                                {"steps", "I64", {}, std::string(8, '\0')},
                                            }));
  auto source = openSafetensors(path);
  ASSERT_TRUE(bool(source)) << llvm::toString(source.takeError());
  WeightSource &w = **source;
  EXPECT_EQ(*w.get("a", {2, 2}), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(*w.get("h", {2}), (std::vector<float>{1, -2}));
  EXPECT_EQ(*w.get("b", {2}), (std::vector<float>{1, -3}));
  EXPECT_EQ(*w.get("d", {2}), (std::vector<float>{0.25, -8}));

  auto shape = w.get("a", {4});
  ASSERT_FALSE(bool(shape));
  EXPECT_EQ(llvm::toString(shape.takeError()),
            path + ": tensor 'a' has shape [2, 2] but the model expects [4]");
  auto missing = w.get("nope", {1});
  ASSERT_FALSE(bool(missing));
  EXPECT_EQ(llvm::toString(missing.takeError()), path + ": no tensor named 'nope'");
  auto integer = w.get("steps", {});
  ASSERT_FALSE(bool(integer));
  EXPECT_NE(llvm::toString(integer.takeError()).find("tensor 'steps' has dtype I64"),
            std::string::npos);
}

TEST_F(Safetensors, RejectsMalformedFiles) {
  std::string good = safetensors({{"w", "F32", {2, 2}, f32Bytes({1, 2, 3, 4})}});
  EXPECT_EQ(errorOf(good), "");

  struct Case {
    std::string bytes;
    const char *reason;
  } cases[] = {
      {"abc", "truncated: 3 bytes is too short"},
      {good.substr(0, 20), "truncated: the header needs"},
      {std::string("\xff\xff\xff\xff\xff\xff\xff\x7f", 8), "exceeds the format's limit"},
      {withHeader("{\"w\": [", ""), "header is not valid JSON"},
      {withHeader("[1, 2]", ""), "header is not a JSON object"},
      {withHeader(R"({"w": {"dtype": "F32", "shape": [2, 2]}})", ""),
       "tensor 'w' needs a string 'dtype', an array 'shape' and an array 'data_offsets'"},
      {withHeader(R"({"w": {"dtype": "Q4", "shape": [2, 2], "data_offsets": [0, 16]}})",
                  std::string(16, '\0')),
       "tensor 'w' has unknown dtype 'Q4'"},
      {withHeader(R"({"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}})",
                  std::string(8, '\0')),
       "tensor 'w' has data_offsets [0, 16] past the end of the data (8 bytes)"},
      {withHeader(R"({"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [8, 4]}})",
                  std::string(16, '\0')),
       "needs data_offsets [begin, end] with 0 <= begin <= end"},
      {withHeader(R"({"w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 16]}})",
                  std::string(16, '\0')),
       "tensor 'w' has 16 bytes of data but its shape [2, 3] of F32 needs 6 x 4"},
      {withHeader(R"({"w": {"dtype": "F32", "shape": [2, -2], "data_offsets": [0, 16]}})",
                  std::string(16, '\0')),
       "has a shape entry that is not a non-negative integer"},
      {withHeader(R"({"w": {"dtype": "F32", "shape": [4294967296, 4294967296, 16],
                           "data_offsets": [0, 16]}})",
                  std::string(16, '\0')),
       "has 16 bytes of data"},
  };
  for (const Case &c : cases) {
    std::string error = errorOf(c.bytes);
    EXPECT_NE(error, "") << c.reason;
    EXPECT_NE(error.find("bad.safetensors: "), std::string::npos) << error;
    EXPECT_NE(error.find(c.reason), std::string::npos) << error;
  }
}

TEST_F(Safetensors, ModelReadsWeightsRelativeToItsFile) {
  write("tiny.safetensors", safetensors({{"fc.weight", "F32", {1, 2}, f32Bytes({2, -1})}}));
  std::string model = write("tiny.acnn", "weights \"tiny.safetensors\"\n"
                                         "input x : [1, 2]\n"
                                         "param fc.weight : [1, 2]\n"
                                         "y = linear(x, fc.weight)\n"
                                         "output y\n");
  MLIRContext ctx;
  auto m = parseAcnnFile(ctx, model);
  ASSERT_TRUE(bool(m)) << llvm::toString(m.takeError());
  LinearOp linear;
  (**m).walk([&](LinearOp op) { linear = op; });
  EXPECT_EQ(dataOf(linear.getWeight()), (std::vector<float>{2, -1}));

  std::string wrong = write("wrong.acnn", "weights \"tiny.safetensors\"\n"
                                          "input x : [1, 2]\n"
                                          "param fc.weight : [2, 2]\n");
  auto bad = parseAcnnFile(ctx, wrong);
  ASSERT_FALSE(bool(bad));
  std::string weightsPath = (dir + "/tiny.safetensors").str();
  EXPECT_EQ(llvm::toString(bad.takeError()),
            wrong + ":3:7: " + weightsPath +
                ": tensor 'fc.weight' has shape [1, 2] but the model expects [2, 2]");
}

//===----------------------------------------------------------------------===//
// Seeded weights
//===----------------------------------------------------------------------===//

TEST(SeededWeights, DeterministicAndIndependentOfOrder) {
  auto a = seededWeights(7), b = seededWeights(7);
  std::vector<float> aConv = *a->get("conv.weight", {8, 4, 3, 3});
  std::vector<float> aBias = *a->get("conv.bias", {8});
  std::vector<float> bBias = *b->get("conv.bias", {8});
  std::vector<float> bConv = *b->get("conv.weight", {8, 4, 3, 3});
  EXPECT_EQ(aConv, bConv);
  EXPECT_EQ(aBias, bBias);
  EXPECT_EQ(aConv, *a->get("conv.weight", {8, 4, 3, 3})); // asking twice
  EXPECT_NE(aConv, *seededWeights(8)->get("conv.weight", {8, 4, 3, 3}));
  EXPECT_NE(*a->get("fc1.weight", {8}), *a->get("fc2.weight", {8}));
}

TEST(SeededWeights, UniformWithinInverseSqrtFanIn) {
  std::vector<float> w = *seededWeights(1)->get("w", {64, 16, 3, 3}); // fan_in 144
  float bound = 1.0f / 12.0f, lo = 0, hi = 0;
  double sum = 0;
  for (float v : w) {
    EXPECT_LE(std::fabs(v), bound);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    sum += v;
  }
  EXPECT_LT(lo, -0.9f * bound);
  EXPECT_GT(hi, 0.9f * bound);
  EXPECT_LT(std::fabs(sum / w.size()), 0.05 * bound);
  std::vector<float> bias = *seededWeights(1)->get("b", {100}); // fan_in of a vector is 1
  EXPECT_GT(*std::max_element(bias.begin(), bias.end()), 0.5f);
  for (float v : bias)
    EXPECT_LE(std::fabs(v), 1.0f);
  EXPECT_EQ(seededWeights(1)->get("s", {})->size(), 1u);
}

// Pins the generator: the same seed gives the same model on every platform
// and standard library, and a change to the algorithm shows up here.
TEST(SeededWeights, GoldenValues) {
  std::vector<float> v = *seededWeights(7)->get("conv1.weight", {4});
  std::vector<float> golden = {0x1.b908dep-1f, -0x1.7cda74p-1f, 0x1.fe3c78p-1f, -0x1.f2ed7cp-2f};
  EXPECT_EQ(v, golden);
}

} // namespace
