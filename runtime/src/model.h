#ifndef ACNN_RUNTIME_MODEL_H
#define ACNN_RUNTIME_MODEL_H

/* A bound model and the context its generated code calls back with; shared
 * by the runtime's sources, never by generated code (it sees an opaque
 * acnn_context *). */

#include "meta.h"

#include <pthread.h>
#include <stdatomic.h>

typedef struct acnn_kernel_stats {
  int64_t total_ns;
  int64_t calls;
  int64_t started_ns; /* of the kernel running now */
} acnn_kernel_stats;

struct acnn_context {
  /* What the generated code's parallel regions fork. Atomic: written under
   * the run lock, read by acnn_model_num_threads without it. */
  _Atomic int32_t num_threads;
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
  int32_t users; /* calls in progress on it; guarded by the registry's lock */
};

/* Runtime-internal: kept out of the symbols a program with -rdynamic exports. */
#pragma GCC visibility push(hidden)

/* The registry of live models (registry.c). A caller's pointer is looked up
 * before anything reads through it, so a model freed twice, a stale or a
 * wild pointer is an error instead of a crash. */

/* Makes a fully built model live. */
acnn_status acnn_registry_add(acnn_model *model);

/* If `model` is live, counts one more user of it (so acnn_model_free waits
 * for it) and returns ACNN_OK; else fails with a message naming `function`.
 * Every acquire is paired with an acnn_registry_release. */
acnn_status acnn_registry_acquire(const acnn_model *model, const char *function);
void acnn_registry_release(const acnn_model *model);

/* Makes `model` dead, then waits until no call uses it. Returns 0 (and sets
 * the message) if it was not live. */
int acnn_registry_remove(acnn_model *model, const char *function);

/* Frees the struct of a dead model, later: see registry.c. */
void acnn_registry_retire(acnn_model *model);

#pragma GCC visibility pop

#endif
