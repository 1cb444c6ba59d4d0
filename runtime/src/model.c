/* Binding a model: from its metadata and entry, or from a shared library. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* sched_getaffinity */
#endif
#include "model.h"
#include "error.h"
#include "library.h"

#include <dlfcn.h>
#include <elf.h>
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

/* Frees what a model holds (not the struct, see acnn_registry_retire). */
static void destroy(acnn_model *model) {
  free(model->context.kernels);
  free(model->args);
  free(model->arena);
  acnn_meta_free(&model->meta);
  pthread_mutex_destroy(&model->run_lock);
  if (model->library)
    dlclose(model->library);
}

/* A model not yet live, so nobody else can reach it. */
static acnn_status create(const char *meta, acnn_entry_fn entry, acnn_model **out) {
  *out = NULL;
  acnn_model *model = calloc(1, sizeof *model);
  if (!model)
    return acnn_fail(ACNN_ERROR_OUT_OF_MEMORY, "out of memory binding a model");
  pthread_mutex_init(&model->run_lock, NULL);
  acnn_status status = acnn_meta_parse(meta, &model->meta);
  if (status != ACNN_OK) {
    destroy(model);
    free(model);
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
    destroy(model);
    free(model);
    return acnn_fail(ACNN_ERROR_OUT_OF_MEMORY, "out of memory allocating the %zu-byte arena",
                     arena);
  }
  *out = model;
  return ACNN_OK;
}

/* Makes a created model live, or frees it (and its library). */
static acnn_status publish(acnn_model *model, acnn_model **out) {
  acnn_status status = acnn_registry_add(model);
  if (status != ACNN_OK) {
    destroy(model);
    free(model);
    return status;
  }
  *out = model;
  return ACNN_OK;
}

acnn_status acnn_model_bind(const char *meta, acnn_entry_fn entry, acnn_model **out) {
  if (!out)
    return null_argument("acnn_model_bind", "out");
  *out = NULL;
  if (!meta)
    return null_argument("acnn_model_bind", "meta");
  if (!entry)
    return null_argument("acnn_model_bind", "entry");
  acnn_model *model;
  acnn_status status = create(meta, entry, &model);
  return status == ACNN_OK ? publish(model, out) : status;
}

/* Looks up the model's two symbols in `library` and checks that they point
 * into it (a damaged symbol table can point anywhere): the metadata into a
 * readable segment with its NUL before the segment's end, the entry into
 * code. */
static acnn_status find_symbols(const char *path, void *library, const acnn_library_layout *layout,
                                const char **meta, acnn_entry_fn *entry) {
  void *meta_sym = dlsym(library, "acnn_model_meta");
  void *entry_sym = dlsym(library, "acnn_model_entry");
  if (!meta_sym || !entry_sym)
    return acnn_fail(ACNN_ERROR_INVALID_MODEL,
                     "%s does not export %s (was it compiled as a shared-library model?)", path,
                     meta_sym ? "acnn_model_entry" : "acnn_model_meta");
  /* The load bias, from where the loader mapped the first segment's page:
   * dladdr, not the link map, whose fields another thread's dlopen of the
   * same library writes under a lock that TSan cannot see. */
  Dl_info info;
  if (!dladdr(meta_sym, &info) || !layout->num_segments)
    return acnn_fail(ACNN_ERROR_INVALID_MODEL, "%s: acnn_model_meta is not in a library", path);
  uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
  uintptr_t bias = (uintptr_t)info.dli_fbase - (layout->segments[0].vaddr & ~(page - 1));
  size_t room;
  if (!acnn_library_holds(layout, bias, meta_sym, 1, PF_R, &room) || !memchr(meta_sym, '\0', room))
    return acnn_fail(ACNN_ERROR_INVALID_MODEL,
                     "%s: acnn_model_meta is not a string inside the library", path);
  if (!acnn_library_holds(layout, bias, entry_sym, 1, PF_X, NULL))
    return acnn_fail(ACNN_ERROR_INVALID_MODEL,
                     "%s: acnn_model_entry is not code inside the library", path);
  *meta = meta_sym;
  /* ISO C cannot convert an object pointer to a function pointer; POSIX
   * guarantees they share a representation. */
  memcpy(entry, &entry_sym, sizeof *entry);
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
  /* glibc's loader crashes on a truncated or damaged file: check it first. */
  acnn_library_layout layout;
  acnn_status status = acnn_library_check(path, &layout);
  if (status != ACNN_OK)
    return status;
  /* RTLD_NOW: a symbol the program does not export fails here, not mid-run. */
  void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char *reason = dlerror();
    acnn_library_layout_free(&layout);
    /* The model was built against runtime functions this program lacks. */
    if (strstr(reason, "undefined symbol: acnn_"))
      return acnn_fail(ACNN_ERROR_INVALID_MODEL,
                       "cannot load model: %s (it needs a runtime function this program does not "
                       "export: a newer libacnnrt, or a program not linked with acnnrt-host)",
                       reason);
    return acnn_fail(ACNN_ERROR_IO, "cannot load model: %s", reason);
  }
  const char *meta = NULL;
  acnn_entry_fn entry = NULL;
  acnn_model *model = NULL;
  status = find_symbols(path, library, &layout, &meta, &entry);
  acnn_library_layout_free(&layout);
  if (status == ACNN_OK && (status = create(meta, entry, &model)) != ACNN_OK) {
    char reason[512];
    snprintf(reason, sizeof reason, "%s", acnn_last_error());
    acnn_fail(status, "%s: %s", path, reason);
  }
  if (status != ACNN_OK) {
    dlclose(library);
    return status;
  }
  model->library = library;
  return publish(model, out);
}

void acnn_model_free(acnn_model *model) {
  /* Like free(NULL). Anything else that is not live is a caller's bug:
   * ignore it, but say so in acnn_last_error. */
  if (!model || !acnn_registry_remove(model, "acnn_model_free"))
    return;
  destroy(model);
  acnn_registry_retire(model);
}

/* The accessors below bracket their reads with acquire and release, so a
 * free on another thread waits for them. */

const char *acnn_model_name(const acnn_model *model) {
  if (acnn_registry_acquire(model, "acnn_model_name") != ACNN_OK)
    return NULL;
  const char *name = model->meta.name;
  acnn_registry_release(model);
  return name;
}

/* The counts return -1 for a model that is not live: there is no status to
 * return. */
typedef enum counted { INPUTS, OUTPUTS, KERNELS } counted;

static int32_t count(const acnn_model *model, const char *function, counted what) {
  if (acnn_registry_acquire(model, function) != ACNN_OK)
    return -1;
  const acnn_meta *m = &model->meta;
  int32_t n = what == INPUTS ? m->num_inputs : what == OUTPUTS ? m->num_outputs : m->num_kernels;
  acnn_registry_release(model);
  return n;
}

int32_t acnn_model_num_inputs(const acnn_model *model) {
  return count(model, "acnn_model_num_inputs", INPUTS);
}

int32_t acnn_model_num_outputs(const acnn_model *model) {
  return count(model, "acnn_model_num_outputs", OUTPUTS);
}

int32_t acnn_model_num_kernels(const acnn_model *model) {
  return count(model, "acnn_model_num_kernels", KERNELS);
}

/* What the accessors below fill in; NULL members are not wanted. */
typedef struct description {
  const char **name;
  int32_t *rank;
  const int64_t **shape;
  acnn_dtype *dtype;
} description;

static acnn_status describe(const acnn_model *model, const char *function, const char *kind,
                            int32_t index, description out) {
  acnn_status status = acnn_registry_acquire(model, function);
  if (status != ACNN_OK)
    return status;
  int is_input = kind[0] == 'i';
  int32_t count = is_input ? model->meta.num_inputs : model->meta.num_outputs;
  if (index < 0 || index >= count) {
    status = acnn_fail(ACNN_ERROR_INVALID_ARGUMENT,
                       "%s index %d is out of range (model '%s' has %d %ss)", kind, index,
                       model->meta.name, count, kind);
  } else {
    const acnn_tensor_info *t = is_input ? &model->meta.inputs[index] : &model->meta.outputs[index];
    if (out.name)
      *out.name = t->name;
    if (out.rank)
      *out.rank = t->rank;
    if (out.shape)
      *out.shape = t->shape;
    if (out.dtype)
      *out.dtype = t->dtype;
  }
  acnn_registry_release(model);
  return status;
}

acnn_status acnn_model_input(const acnn_model *model, int32_t index, const char **name,
                             int32_t *rank, const int64_t **shape) {
  return describe(model, "acnn_model_input", "input", index,
                  (description){name, rank, shape, NULL});
}

acnn_status acnn_model_output(const acnn_model *model, int32_t index, const char **name,
                              int32_t *rank, const int64_t **shape) {
  return describe(model, "acnn_model_output", "output", index,
                  (description){name, rank, shape, NULL});
}

/* Unlike the accessors above, the dtype is the only thing asked for: a NULL
 * `dtype` is a caller's bug, not a choice. */
acnn_status acnn_model_input_dtype(const acnn_model *model, int32_t index, acnn_dtype *dtype) {
  if (!dtype)
    return null_argument("acnn_model_input_dtype", "dtype");
  return describe(model, "acnn_model_input_dtype", "input", index,
                  (description){NULL, NULL, NULL, dtype});
}

acnn_status acnn_model_output_dtype(const acnn_model *model, int32_t index, acnn_dtype *dtype) {
  if (!dtype)
    return null_argument("acnn_model_output_dtype", "dtype");
  return describe(model, "acnn_model_output_dtype", "output", index,
                  (description){NULL, NULL, NULL, dtype});
}

acnn_status acnn_model_set_num_threads(acnn_model *model, int32_t num_threads) {
  acnn_status status = acnn_registry_acquire(model, "acnn_model_set_num_threads");
  if (status != ACNN_OK)
    return status;
  if (num_threads < 1 || num_threads > MAX_THREADS) {
    status = acnn_fail(ACNN_ERROR_INVALID_ARGUMENT, "thread count %d is not in [1, %d]",
                       num_threads, MAX_THREADS);
  } else {
    /* Under the run lock: a run forks the same count in all its regions. */
    pthread_mutex_lock(&model->run_lock);
    atomic_store_explicit(&model->context.num_threads, num_threads, memory_order_relaxed);
    pthread_mutex_unlock(&model->run_lock);
  }
  acnn_registry_release(model);
  return status;
}

int32_t acnn_model_num_threads(const acnn_model *model) {
  if (acnn_registry_acquire(model, "acnn_model_num_threads") != ACNN_OK)
    return -1;
  int32_t n = atomic_load_explicit(&model->context.num_threads, memory_order_relaxed);
  acnn_registry_release(model);
  return n;
}

int32_t acnn_context_num_threads(acnn_context *ctx) {
  return ctx ? atomic_load_explicit(&ctx->num_threads, memory_order_relaxed) : 1;
}
