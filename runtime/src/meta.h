#ifndef ACNN_RUNTIME_META_H
#define ACNN_RUNTIME_META_H

/* The parsed form of a compiled model's metadata text (format: acnnrt.h). */

#include "acnn/acnnrt.h"

#include <stddef.h>

/* Runtime-internal: kept out of the symbols a program with -rdynamic exports. */
#pragma GCC visibility push(hidden)

typedef struct acnn_tensor_info {
  char *name; /* percent-decoded */
  acnn_dtype dtype;
  int32_t rank;
  int64_t shape[ACNN_MAX_RANK];
  size_t bytes; /* of the data: elements * acnn_dtype_size(dtype) */
} acnn_tensor_info;

typedef struct acnn_meta {
  char *name;
  int32_t num_inputs, num_outputs, num_kernels;
  acnn_tensor_info *inputs, *outputs;
  char **kernels; /* percent-decoded */
  size_t arena_bytes;
  int32_t threads; /* the threads it was compiled for; 0: not said */
} acnn_meta;

/* Fills `out` from `text`, or fails with ACNN_ERROR_INVALID_MODEL and a
 * message naming the line, leaving `out` empty. */
acnn_status acnn_meta_parse(const char *text, acnn_meta *out);

void acnn_meta_free(acnn_meta *meta);

#pragma GCC visibility pop

#endif
