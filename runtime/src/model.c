/* Binding a model: from its metadata and entry, or from a shared library. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* sched_getaffinity */
#endif
#include "model.h"
#include "error.h"

#include <dlfcn.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_THREADS 1024

/* The threads the model was compiled for, but no more than the CPUs this
 * process may run on, which in a container or under taskset is fewer than
 * the machine has online. */
static int32_t default_num_threads(const acnn_meta *meta) {
  cpu_set_t set;
  long cpus =
      sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : sysconf(_SC_NPROCESSORS_ONLN);
  if (meta->threads > 0 && meta->threads < cpus)
    cpus = meta->threads;
  return cpus < 1 ? 1 : cpus > MAX_THREADS ? MAX_THREADS : (int32_t)cpus;
}

static acnn_status null_argument(const char *function, const char *what) {
  return acnn_fail(ACNN_ERROR_INVALID_ARGUMENT, "%s: %s is NULL", function, what);
}

acnn_status acnn_model_bind(const char *meta, acnn_entry_fn entry, acnn_model **out) {
  if (!out)
    return null_argument("acnn_model_bind", "out");
  *out = NULL;
  if (!meta)
    return null_argument("acnn_model_bind", "meta");
  if (!entry)
    return null_argument("acnn_model_bind", "entry");
  acnn_model *model = calloc(1, sizeof *model);
  if (!model)
    return acnn_fail(ACNN_ERROR_OUT_OF_MEMORY, "out of memory binding a model");
  pthread_mutex_init(&model->run_lock, NULL);
  acnn_status status = acnn_meta_parse(meta, &model->meta);
  if (status != ACNN_OK) {
    acnn_model_free(model);
    return status;
  }
  const acnn_meta *m = &model->meta;
  model->entry = entry;
  /* aligned_alloc wants a multiple of the alignment, and a non-null arena
   * even for a model that needs none. */
  size_t arena = (m->arena_bytes + 63) / 64 * 64;
  model->arena = aligned_alloc(64, arena ? arena : 64);
  model->args = calloc((size_t)(m->num_inputs + m->num_outputs + 2), sizeof *model->args);
  model->context.num_threads = default_num_threads(m);
  model->context.num_kernels = m->num_kernels;
  if (m->num_kernels > 0)
    model->context.kernels = calloc((size_t)m->num_kernels, sizeof *model->context.kernels);
  if (!model->arena || !model->args || (m->num_kernels > 0 && !model->context.kernels)) {
    acnn_model_free(model);
    return acnn_fail(ACNN_ERROR_OUT_OF_MEMORY, "out of memory allocating the %zu-byte arena",
                     arena);
  }
  *out = model;
  return ACNN_OK;
}

acnn_status acnn_model_open(const char *path, acnn_model **out) {
  if (!out)
    return null_argument("acnn_model_open", "out");
  *out = NULL;
  if (!path)
    return null_argument("acnn_model_open", "shared_library_path");
  /* dlopen looks a bare name up on the library path; a user means the file. */
  char local[4096];
  if (!strchr(path, '/') && snprintf(local, sizeof local, "./%s", path) < (int)sizeof local)
    path = local;
  /* RTLD_NOW: a symbol the program does not export fails here, not mid-run. */
  void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!library)
    return acnn_fail(ACNN_ERROR_IO, "cannot load model: %s", dlerror());
  const char *meta = dlsym(library, "acnn_model_meta");
  void *entry = dlsym(library, "acnn_model_entry");
  if (!meta || !entry) {
    dlclose(library);
    return acnn_fail(ACNN_ERROR_INVALID_MODEL,
                     "%s does not export %s (was it compiled as a shared-library model?)", path,
                     meta ? "acnn_model_entry" : "acnn_model_meta");
  }
  /* ISO C cannot convert an object pointer to a function pointer; POSIX
   * guarantees they share a representation. */
  acnn_entry_fn entry_fn;
  memcpy(&entry_fn, &entry, sizeof entry_fn);
  acnn_status status = acnn_model_bind(meta, entry_fn, out);
  if (status != ACNN_OK) {
    char reason[512];
    snprintf(reason, sizeof reason, "%s", acnn_last_error());
    dlclose(library);
    return acnn_fail(status, "%s: %s", path, reason);
  }
  (*out)->library = library;
  return ACNN_OK;
}

void acnn_model_free(acnn_model *model) {
  if (!model)
    return;
  free(model->context.kernels);
  free(model->args);
  free(model->arena);
  acnn_meta_free(&model->meta);
  pthread_mutex_destroy(&model->run_lock);
  if (model->library)
    dlclose(model->library);
  free(model);
}

const char *acnn_model_name(const acnn_model *model) {
  if (!model) {
    null_argument("acnn_model_name", "model");
    return NULL;
  }
  return model->meta.name;
}

/* The counts return -1 for a NULL model: there is no status to return. */
int32_t acnn_model_num_inputs(const acnn_model *model) {
  if (!model) {
    null_argument("acnn_model_num_inputs", "model");
    return -1;
  }
  return model->meta.num_inputs;
}

int32_t acnn_model_num_outputs(const acnn_model *model) {
  if (!model) {
    null_argument("acnn_model_num_outputs", "model");
    return -1;
  }
  return model->meta.num_outputs;
}

int32_t acnn_model_num_kernels(const acnn_model *model) {
  if (!model) {
    null_argument("acnn_model_num_kernels", "model");
    return -1;
  }
  return model->meta.num_kernels;
}

static acnn_status describe(const acnn_model *model, const char *kind, int32_t index,
                            const char **name, int32_t *rank, const int64_t **shape) {
  if (!model)
    return acnn_fail(ACNN_ERROR_INVALID_ARGUMENT, "acnn_model_%s: model is NULL", kind);
  int is_input = kind[0] == 'i';
  int32_t count = is_input ? model->meta.num_inputs : model->meta.num_outputs;
  if (index < 0 || index >= count)
    return acnn_fail(ACNN_ERROR_INVALID_ARGUMENT,
                     "%s index %d is out of range (model '%s' has %d %ss)", kind, index,
                     model->meta.name, count, kind);
  const acnn_tensor_info *t = is_input ? &model->meta.inputs[index] : &model->meta.outputs[index];
  if (name)
    *name = t->name;
  if (rank)
    *rank = t->rank;
  if (shape)
    *shape = t->shape;
  return ACNN_OK;
}

acnn_status acnn_model_input(const acnn_model *model, int32_t index, const char **name,
                             int32_t *rank, const int64_t **shape) {
  return describe(model, "input", index, name, rank, shape);
}

acnn_status acnn_model_output(const acnn_model *model, int32_t index, const char **name,
                              int32_t *rank, const int64_t **shape) {
  return describe(model, "output", index, name, rank, shape);
}

acnn_status acnn_model_set_num_threads(acnn_model *model, int32_t num_threads) {
  if (!model)
    return null_argument("acnn_model_set_num_threads", "model");
  if (num_threads < 1 || num_threads > MAX_THREADS)
    return acnn_fail(ACNN_ERROR_INVALID_ARGUMENT, "thread count %d is not in [1, %d]", num_threads,
                     MAX_THREADS);
  pthread_mutex_lock(&model->run_lock);
  model->context.num_threads = num_threads;
  pthread_mutex_unlock(&model->run_lock);
  return ACNN_OK;
}

int32_t acnn_model_num_threads(const acnn_model *model) {
  if (!model) {
    null_argument("acnn_model_num_threads", "model");
    return -1;
  }
  return model->context.num_threads;
}

int32_t acnn_context_num_threads(acnn_context *ctx) { return ctx ? ctx->num_threads : 1; }
