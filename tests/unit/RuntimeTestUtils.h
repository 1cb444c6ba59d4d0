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

// Owns a model bound to the fake entry.
struct FakeModel {
  acnn_model *model = nullptr;
  FakeModel() { EXPECT_EQ(acnn_model_bind(acnn_fake_meta, acnn_fake_entry, &model), ACNN_OK); }
  ~FakeModel() { acnn_model_free(model); }
};

inline std::string lastError() { return acnn_last_error(); }

} // namespace acnn::testing

#endif
