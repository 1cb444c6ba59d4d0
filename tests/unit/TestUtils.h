#ifndef ACNN_TESTS_UNIT_TESTUTILS_H
#define ACNN_TESTS_UNIT_TESTUTILS_H

// Shared by the numeric tests: reading reference tensors and comparing.

#include "compiler/interpreter/Tensor.h"

#include <string>
#include <vector>

namespace acnn::testing {

/// The .npy file at `path` as a tensor; a read failure fails the test.
Tensor readNpy(const std::string &path);

/// ||got - want|| / ||want||, in double.
double relativeL2(const std::vector<float> &got, const std::vector<float> &want);

} // namespace acnn::testing

#endif
