#ifndef ACNN_NPY_H
#define ACNN_NPY_H

/* Reading NumPy .npy files as f32 tensors and writing f32 or int64 ones: how
 * users hand inputs to `acnnc run` and compiled models, and get outputs back. */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ACNN_NPY_MAX_RANK 8

typedef struct acnn_npy_array {
  int rank;
  int64_t shape[ACNN_NPY_MAX_RANK];
  float *data; /* row-major, owned: release with acnn_npy_free */
} acnn_npy_array;

/* Reads `path`; f4, f8, i4 and i8 data (either byte order) are converted to
 * f32. Returns 0, or non-zero with a message naming the file in `err`. */
int acnn_npy_read(const char *path, acnn_npy_array *out, char *err, size_t err_size);

/* Writes a little-endian f32 .npy file. Returns 0, or non-zero with a message. */
int acnn_npy_write(const char *path, const float *data, const int64_t *shape, int rank, char *err,
                   size_t err_size);

/* Writes a little-endian int64 ('<i8') .npy file, as for an i64 model output. */
int acnn_npy_write_i64(const char *path, const int64_t *data, const int64_t *shape, int rank,
                       char *err, size_t err_size);

void acnn_npy_free(acnn_npy_array *array);

#ifdef __cplusplus
}
#endif

#endif
