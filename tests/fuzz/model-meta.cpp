// Fuzzes the runtime's parser of a compiled model's metadata
// (acnn_model_bind), which acnn_model_open reads from any library it is given.
#include "acnn/acnnrt.h"

#include <cstdint>
#include <cstdlib>
#include <string>

static void entry(void **) {}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string meta(reinterpret_cast<const char *>(data), size); // NUL-terminated copy
  // Binding allocates the declared arena: a real allocation, which fails
  // cleanly (ACNN_ERROR_OUT_OF_MEMORY) or succeeds; inputs declaring more than
  // 1 GiB only tell libFuzzer's malloc limit about the machine.
  for (size_t at = meta.find("\narena "); at != std::string::npos;
       at = meta.find("\narena ", at + 1))
    if (strtoull(meta.c_str() + at + 7, nullptr, 10) > (1ull << 30))
      return 0;
  acnn_model *model = nullptr;
  if (acnn_model_bind(meta.c_str(), entry, &model) != ACNN_OK)
    return 0;
  // Everything the metadata declared must read back consistently.
  for (int32_t i = 0; i < acnn_model_num_inputs(model); ++i) {
    const char *name;
    int32_t rank;
    const int64_t *shape;
    acnn_dtype dtype;
    if (acnn_model_input(model, i, &name, &rank, &shape) != ACNN_OK ||
        acnn_model_input_dtype(model, i, &dtype) != ACNN_OK || acnn_dtype_size(dtype) == 0)
      __builtin_trap();
    for (int32_t d = 0; d < rank; ++d)
      if (shape[d] <= 0)
        __builtin_trap();
  }
  for (int32_t i = 0; i < acnn_model_num_outputs(model); ++i) {
    acnn_dtype dtype;
    if (acnn_model_output(model, i, nullptr, nullptr, nullptr) != ACNN_OK ||
        acnn_model_output_dtype(model, i, &dtype) != ACNN_OK || acnn_dtype_size(dtype) == 0)
      __builtin_trap();
  }
  for (int32_t k = 0; k < acnn_model_num_kernels(model); ++k) {
    const char *name;
    double ms;
    int64_t calls;
    if (acnn_model_profile(model, k, &name, &ms, &calls) != ACNN_OK)
      __builtin_trap();
  }
  acnn_model_free(model);
  return 0;
}
