#ifndef ACNN_TESTS_ONNX_CONFORMANCE_NODETESTCASE_H
#define ACNN_TESTS_ONNX_CONFORMANCE_NODETESTCASE_H

// One of ONNX's backend node tests: a directory with model.onnx and
// test_data_set_*/{input,output}_*.pb, the inputs in the order of the
// model's graph inputs.

#include "compiler/interpreter/Tensor.h"
#include "frontends/onnx/ShapeFolding.h"

#include "onnx/onnx_pb.h"

#include <optional>
#include <string>
#include <vector>

namespace acnn::conformance {

struct DataSet {
  std::vector<onnx::TensorProto> inputs, outputs;
};

struct NodeTestCase {
  onnx::ModelProto model;
  std::vector<DataSet> dataSets;
};

/// Reads the case in `dir`; errors name the file.
llvm::Expected<NodeTestCase> readCase(const std::string &dir);

/// The op types (domain-qualified outside ai.onnx) the importer has no
/// converter for, comma-separated; empty when it has one for every node.
std::string unsupportedOps(const onnx::ModelProto &model);

/// `model` with each graph input that feeds an input the op table marks as
/// known (shapes, axes, indices, bounds...) bound to the data set's value as
/// an initializer: acnn takes such inputs as constants. `fedInputs` gets the
/// remaining graph inputs' values, in order. Returns why the case cannot run
/// (a remaining input that is not a FLOAT tensor) as an error.
llvm::Expected<onnx::ModelProto> bindConstantInputs(const onnx::ModelProto &model,
                                                    const DataSet &data,
                                                    std::vector<Tensor> &fedInputs);

/// A mismatch between `got` and `want` (numpy.testing.assert_allclose with
/// rtol and atol, NaN equal to NaN), or nullopt.
std::optional<std::string> compare(const Tensor &got, const KnownTensor &want, double rtol,
                                   double atol);

} // namespace acnn::conformance

#endif
