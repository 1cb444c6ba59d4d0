#include "TestUtils.h"

#include "compiler/codegen/Artifact.h"
#include "compiler/codegen/ObjectEmitter.h"
#include "compiler/codegen/TargetDescription.h"
#include "compiler/driver/Compiler.h"

#include "acnn/acnnrt.h"
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

std::vector<Tensor> runSharedLibraryModel(const std::string &library,
                                          const std::vector<Tensor> &inputs) {
  acnn_model *model = nullptr;
  EXPECT_EQ(acnn_model_open(library.c_str(), &model), ACNN_OK) << acnn_last_error();
  if (!model)
    return {};
  std::vector<acnn_tensor> in;
  for (const Tensor &t : inputs)
    in.push_back({ACNN_F32, int32_t(t.shape.size()), t.shape.data(), (void *)t.data.data()});
  std::vector<Tensor> results(acnn_model_num_outputs(model));
  // i64 outputs (argmax indices) run into their own buffers and come back as
  // floats, as the interpreter holds them.
  std::vector<std::vector<int64_t>> ints(results.size());
  std::vector<acnn_tensor> out;
  for (int32_t i = 0; i < int32_t(results.size()); ++i) {
    const char *name;
    int32_t rank;
    const int64_t *shape;
    acnn_dtype dtype = ACNN_F32;
    EXPECT_EQ(acnn_model_output(model, i, &name, &rank, &shape), ACNN_OK);
    EXPECT_EQ(acnn_model_output_dtype(model, i, &dtype), ACNN_OK);
    results[i].shape.assign(shape, shape + rank);
    results[i].data.resize(results[i].numel());
    ints[i].resize(dtype == ACNN_I64 ? results[i].numel() : 0);
    void *data = dtype == ACNN_I64 ? (void *)ints[i].data() : results[i].data.data();
    out.push_back({dtype, rank, results[i].shape.data(), data});
  }
  EXPECT_EQ(acnn_model_run(model, in.data(), int32_t(in.size()), out.data(), int32_t(out.size())),
            ACNN_OK)
      << acnn_last_error();
  for (size_t i = 0; i < results.size(); ++i)
    if (out[i].dtype == ACNN_I64)
      results[i].data.assign(ints[i].begin(), ints[i].end());
  acnn_model_free(model);
  return results;
}

bool compileSharedLibrary(mlir::ModuleOp model, const std::string &path) {
  static auto machine = createTargetMachine(CpuTarget{});
  if (!machine) {
    ADD_FAILURE() << llvm::toString(machine.takeError());
    return false;
  }
  // As acnnc does: the passes read the machine from the module.
  model->setAttr(kTargetAttr, describeTarget(model.getContext(), **machine, /*host=*/true, 0));
  PipelineOptions options;
  options.sharedLibrary = true;
  auto header = lowerModel(model, options);
  if (!header) {
    ADD_FAILURE() << llvm::toString(header.takeError());
    return false;
  }
  auto object = compileToObject(model, **machine);
  if (!object) {
    ADD_FAILURE() << llvm::toString(object.takeError());
    return false;
  }
  if (llvm::Error err = writeSharedLibrary(path, (*object)->getBuffer())) {
    ADD_FAILURE() << llvm::toString(std::move(err));
    return false;
  }
  return true;
}

} // namespace acnn::testing
