#ifndef ACNN_ACNNRT_H
#define ACNN_ACNNRT_H

/* libacnnrt: load, check and run models compiled by acnnc.
 *
 * A compiled model named NAME exports two symbols (a shared library built from
 * one model also exports them as acnn_model_meta and acnn_model_entry):
 *
 *   const char acnn_NAME_meta[];          text metadata, one record a line:
 *     acnn-model 1
 *     name NAME
 *     input <name> f32 <rank> <d0> <d1> ...    (inputs in argument order)
 *     output <name> f32 <rank> <d0> ...        (outputs in argument order)
 *     arena <bytes>
 *     threads <count>                          (optional: the threads it was
 *                                              compiled for, the default)
 *     kernel <name>                            (zero or more, execution order)
 *   Fields are separated by single spaces. Tensor and kernel names are
 *   percent-encoded (%25 for '%', %XX for any byte <= 0x20 or >= 0x7f). An
 *   unknown record is an error, so the format cannot drift silently.
 *
 *   void acnn_NAME_entry(void **args);
 *     args[0 .. nin)           input data (f32, row-major, contiguous)
 *     args[nin .. nin+nout)    output data
 *     args[nin+nout]           the arena: >= `arena` bytes, 64-byte aligned,
 *                              owned by the runtime and reused across runs
 *     args[nin+nout+1]         the acnn_context * for the callbacks below
 *
 * Every function checks its arguments and returns a status; on failure
 * acnn_last_error() says what was wrong. Runs on one model are serialised
 * (they share the arena); use one model per thread to run concurrently. */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum acnn_status {
  ACNN_OK = 0,
  ACNN_ERROR_INVALID_ARGUMENT,
  ACNN_ERROR_SHAPE_MISMATCH,
  ACNN_ERROR_DTYPE_MISMATCH,
  ACNN_ERROR_INVALID_MODEL,
  ACNN_ERROR_OUT_OF_MEMORY,
  ACNN_ERROR_IO
} acnn_status;

typedef enum acnn_dtype { ACNN_F32 = 0 } acnn_dtype;

/* The highest tensor rank a model's metadata may declare (as for .npy files). */
#define ACNN_MAX_RANK 8

/* A caller's tensor: `shape` has `rank` extents; `data` is row-major. */
typedef struct acnn_tensor {
  acnn_dtype dtype;
  int32_t rank;
  const int64_t *shape;
  void *data;
} acnn_tensor;

typedef struct acnn_model acnn_model;
typedef struct acnn_context acnn_context;
typedef void (*acnn_entry_fn)(void **args);

/* Message of the last failing call on this thread ("" if none failed). */
const char *acnn_last_error(void);
const char *acnn_status_string(acnn_status status);

/* Parses and validates `meta`, allocates the arena. `meta` and `entry` must
 * outlive the model (they are a compiled model's globals). */
acnn_status acnn_model_bind(const char *meta, acnn_entry_fn entry, acnn_model **out);

/* Loads a shared-library model and binds acnn_model_meta / acnn_model_entry.
 * A path without '/' names a file in the current directory, not a library
 * on the search path. The model's references to this runtime
 * (acnn_context_num_threads, acnn_kernel_begin/end) bind to the loading program, which must export them:
 * link it with CMake's acnnrt-host, or with -Wl,-u,SYM,--export-dynamic-symbol=SYM
 * for each of the three, or with -rdynamic. */
acnn_status acnn_model_open(const char *shared_library_path, acnn_model **out);

/* Frees the arena, unloads an opened library.
 * NULL is ignored. */
void acnn_model_free(acnn_model *model);

/* The metadata's `name`, or NULL for a NULL model. */
const char *acnn_model_name(const acnn_model *model);

/* Counts, or -1 (with a message) for a NULL model. */
int32_t acnn_model_num_inputs(const acnn_model *model);
int32_t acnn_model_num_outputs(const acnn_model *model);
int32_t acnn_model_num_kernels(const acnn_model *model);

/* The decoded name, rank and shape of input / output `index`. Any of the
 * out-pointers may be NULL; the strings and shapes live as long as the model. */
acnn_status acnn_model_input(const acnn_model *model, int32_t index, const char **name,
                             int32_t *rank, const int64_t **shape);
acnn_status acnn_model_output(const acnn_model *model, int32_t index, const char **name,
                              int32_t *rank, const int64_t **shape);

/* Checks every tensor against the metadata (count, dtype, rank, every
 * extent, non-null data, outputs not overlapping any other tensor), then
 * runs the model. */
acnn_status acnn_model_run(acnn_model *model, const acnn_tensor *inputs, int32_t num_inputs,
                           acnn_tensor *outputs, int32_t num_outputs);

/* Threads the model's parallel loops run on, in [1, 1024]; default: the
 * `threads` it was compiled for (acnnc compile --threads), but no more than
 * the CPUs this process may run on (its affinity mask, so taskset and
 * containers count). Generated code forks OpenMP parallel regions of this
 * many threads, whatever OMP_NUM_THREADS says. */
acnn_status acnn_model_set_num_threads(acnn_model *model, int32_t num_threads);
/* The thread count runs use now, or -1 (with a message) for a NULL model. */
int32_t acnn_model_num_threads(const acnn_model *model);

/* Profiling: turning it on (again) resets every kernel's counters, which
 * count the runs since; read them between runs. */
acnn_status acnn_model_enable_profiling(acnn_model *model, int enabled);
acnn_status acnn_model_profile(const acnn_model *model, int32_t kernel, const char **name,
                               double *total_ms, int64_t *calls);

/* ---- Called by generated code with the context it got in args ---------- */

/* The threads a parallel region of this run forks (acnn_model_set_num_threads);
 * 1 for a NULL ctx. */
int32_t acnn_context_num_threads(acnn_context *ctx);

/* Bracket kernel `kernel` (an index into the metadata's kernel records) when
 * profiling; cheap no-ops when it is off, for a NULL ctx or an unknown index. */
void acnn_kernel_begin(acnn_context *ctx, int32_t kernel);
void acnn_kernel_end(acnn_context *ctx, int32_t kernel);

#ifdef __cplusplus
}
#endif

#endif
