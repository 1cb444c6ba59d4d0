#ifndef ACNN_TESTS_UNIT_RUNTIMETESTUTILS_H
#define ACNN_TESTS_UNIT_RUNTIMETESTUTILS_H

// What the runtime tests share: FakeModel.c (a hand-written stand-in for
// generated code) bound in process, its tensors, and message checks.

#include "acnn/acnnrt.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

extern "C" {
extern const char acnn_fake_meta[];
void acnn_fake_entry(void **args);
extern const char acnn_fake_argmax_meta[];
void acnn_fake_argmax_entry(void **args);
}

namespace acnn::testing {

// Whether `text` contains `part`; on failure, says what it was.
inline ::testing::AssertionResult contains(const std::string &text, const std::string &part) {
  if (text.find(part) != std::string::npos)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << text << "' does not contain '" << part << "'";
}

// The fake model's tensors: x [2, 4, 3] and "bias term" [3] in, y [2, 4, 3] out.
struct FakeTensors {
  int64_t xShape[3] = {2, 4, 3}, biasShape[1] = {3}, yShape[3] = {2, 4, 3};
  std::vector<float> x = std::vector<float>(24), bias = {10, 20, 30},
                     y = std::vector<float>(24, -1);
  acnn_tensor inputs[2], outputs[1];

  FakeTensors() {
    for (int i = 0; i < 24; ++i)
      x[i] = float(i);
    inputs[0] = {ACNN_F32, 3, xShape, x.data()};
    inputs[1] = {ACNN_F32, 1, biasShape, bias.data()};
    outputs[0] = {ACNN_F32, 3, yShape, y.data()};
  }

  acnn_status run(acnn_model *model) { return acnn_model_run(model, inputs, 2, outputs, 1); }

  void expectComputed() const {
    for (int i = 0; i < 24; ++i)
      ASSERT_EQ(y[i], x[i] + 1 + bias[i % 3]) << "at " << i;
  }
};

// The fake_argmax model's tensors: x [2, 4, 3] f32 and offset [1] i64 in;
// max [2, 4] f32 and index [2, 4] i64 out. Row r of x peaks at column r % 3.
struct ArgmaxTensors {
  int64_t xShape[3] = {2, 4, 3}, offsetShape[1] = {1}, outShape[2] = {2, 4};
  std::vector<float> x = std::vector<float>(24), max = std::vector<float>(8, -1);
  std::vector<int64_t> offset = {1000}, index = std::vector<int64_t>(8, -1);
  acnn_tensor inputs[2], outputs[2];

  ArgmaxTensors() {
    for (int row = 0; row < 8; ++row)
      for (int col = 0; col < 3; ++col)
        x[row * 3 + col] = col == row % 3 ? float(10 + row) : float(row - col);
    inputs[0] = {ACNN_F32, 3, xShape, x.data()};
    inputs[1] = {ACNN_I64, 1, offsetShape, offset.data()};
    outputs[0] = {ACNN_F32, 2, outShape, max.data()};
    outputs[1] = {ACNN_I64, 2, outShape, index.data()};
  }

  acnn_status run(acnn_model *model) { return acnn_model_run(model, inputs, 2, outputs, 2); }

  void expectComputed() const {
    for (int row = 0; row < 8; ++row) {
      ASSERT_EQ(max[row], float(10 + row)) << "at " << row;
      ASSERT_EQ(index[row], offset[0] + row % 3) << "at " << row;
    }
  }
};

// Owns a model bound to a fake entry.
struct FakeModel {
  acnn_model *model = nullptr;
  FakeModel(const char *meta = acnn_fake_meta, acnn_entry_fn entry = acnn_fake_entry) {
    EXPECT_EQ(acnn_model_bind(meta, entry, &model), ACNN_OK);
  }
  ~FakeModel() { acnn_model_free(model); }
};

// Owns a model bound to the fake_argmax entry.
struct ArgmaxModel : FakeModel {
  ArgmaxModel() : FakeModel(acnn_fake_argmax_meta, acnn_fake_argmax_entry) {}
};

inline std::string lastError() { return acnn_last_error(); }

} // namespace acnn::testing

#endif
