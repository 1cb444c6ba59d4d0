#ifndef ACNN_TESTS_UNIT_TESTUTILS_H
#define ACNN_TESTS_UNIT_TESTUTILS_H

// Shared by the numeric tests: reading reference tensors and comparing.

#include "compiler/interpreter/Tensor.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace acnn::testing {

/// The .npy file at `path` as a tensor; a read failure fails the test.
Tensor readNpy(const std::string &path);

/// ||got - want|| / ||want||, in double.
double relativeL2(const std::vector<float> &got, const std::vector<float> &want);

/// Runs a model compiled to a shared library on `inputs` through libacnnrt;
/// runtime errors fail the test. i64 outputs come back as floats.
std::vector<Tensor> runSharedLibraryModel(const std::string &library,
                                          const std::vector<Tensor> &inputs);

/// Compiles `model` (graph IR) for the host into the shared library `path`,
/// in process; errors fail the test and return false.
bool compileSharedLibrary(mlir::ModuleOp model, const std::string &path);

} // namespace acnn::testing

#endif
