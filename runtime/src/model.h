#ifndef ACNN_RUNTIME_MODEL_H
#define ACNN_RUNTIME_MODEL_H

/* A bound model and the context its generated code calls back with; shared
 * by the runtime's sources, never by generated code (it sees an opaque
 * acnn_context *). */

#include "meta.h"

#include <pthread.h>

typedef struct acnn_kernel_stats {
  int64_t total_ns;
  int64_t calls;
  int64_t started_ns; /* of the kernel running now */
} acnn_kernel_stats;

struct acnn_context {
  int32_t num_threads; /* what the generated code's parallel regions fork */
  int profiling;
  int32_t num_kernels;
  acnn_kernel_stats *kernels; /* one per metadata kernel record */
};

struct acnn_model {
  acnn_meta meta;
  acnn_entry_fn entry;
  void *library; /* the dlopen handle when opened from a file */
  void *arena;
  void **args; /* the entry's argument array, filled per run */
  /* Held by a run and by whatever changes the context, since runs share the
   * arena and the pool. */
  pthread_mutex_t run_lock;
  acnn_context context;
};

#endif
