// Fuzzes the runtime's .npy reader (acnn-run's and the tests' input files).
#include "FuzzUtils.h"

#include "acnn/npy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static acnn::fuzz::InputFile file("npy");
  acnn_npy_array array;
  char err[256];
  if (acnn_npy_read(file.write(data, size).c_str(), &array, err, sizeof err) == 0) {
    // Every element the header promises must be readable.
    int64_t count = 1;
    for (int i = 0; i < array.rank; ++i)
      count *= array.shape[i];
    volatile float sum = 0;
    for (int64_t i = 0; i < count; ++i)
      sum = sum + array.data[i];
    acnn_npy_free(&array);
  }
  return 0;
}
