#include "TestUtils.h"

#include "acnn/npy.h"

#include <cmath>
#include <gtest/gtest.h>

namespace acnn::testing {

Tensor readNpy(const std::string &path) {
  acnn_npy_array array;
  char err[512];
  if (acnn_npy_read(path.c_str(), &array, err, sizeof err)) {
    ADD_FAILURE() << err;
    return {};
  }
  Tensor t;
  t.shape.assign(array.shape, array.shape + array.rank);
  t.data.assign(array.data, array.data + t.numel());
  acnn_npy_free(&array);
  return t;
}

double relativeL2(const std::vector<float> &got, const std::vector<float> &want) {
  double diff = 0, norm = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    diff += std::pow(double(got[i]) - want[i], 2);
    norm += std::pow(double(want[i]), 2);
  }
  return std::sqrt(diff / norm);
}

} // namespace acnn::testing
