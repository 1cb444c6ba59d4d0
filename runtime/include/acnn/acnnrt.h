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
 *     input <name> <dtype> <rank> <d0> ...     (inputs in argument order)
 *     output <name> <dtype> <rank> <d0> ...    (outputs in argument order)
 *     arena <bytes>
 *     threads <count>                          (optional: the threads it was
 *                                              compiled for, the default)
 *     kernel <name>                            (zero or more, execution order)
 *   <dtype> is f32 (float) or i64 (int64_t, e.g. ArgMax's indices).
 *   Fields are separated by single spaces. Tensor and kernel names are
 *   percent-encoded (%25 for '%', %XX for any byte <= 0x20 or >= 0x7f). An
 *   unknown record is an error, so the format cannot drift silently.
 *
 *   void acnn_NAME_entry(void **args);
 *     args[0 .. nin)           input data (of its dtype, row-major, contiguous)
 *     args[nin .. nin+nout)    output data
 *     args[nin+nout]           the arena: >= `arena` bytes, 64-byte aligned,
 *                              owned by the runtime and reused across runs
 *     args[nin+nout+1]         the acnn_context * for the callbacks below
 *
 * Every function checks its arguments and returns a status; on failure
 * acnn_last_error() says what was wrong.
 *
 * Threads: every function may be called from any thread, on any model.
 * Runs on one model are serialised (they share the arena), as are changes to
 * its settings and reads of its profile; use one model per thread to run
 * concurrently.
 *
 * Model pointers: every function looks its model up among the live ones
 * before reading through it, so a model freed already (freed twice, used
 * after acnn_model_free) or a pointer that never was a model is refused with
 * ACNN_ERROR_INVALID_ARGUMENT rather than crashing. This is a safety net, not
 * a licence: once many models have been bound since, a stale pointer may
 * name a new model at the same address. */

#include <stddef.h>
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

typedef enum acnn_dtype { ACNN_F32 = 0, ACNN_I64 = 1 } acnn_dtype;

/* Bytes of one element (4 for f32, 8 for i64), or 0 for a value that is no
 * dtype. */
size_t acnn_dtype_size(acnn_dtype dtype);
/* "f32", "i64", or "unknown". */
const char *acnn_dtype_name(acnn_dtype dtype);

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
 * (acnn_context_num_threads, acnn_kernel_begin/end) bind to the loading
 * program, which must export them: link it with CMake's acnnrt-host, or with
 * -Wl,-u,SYM,--export-dynamic-symbol=SYM for each of the three, or with
 * -rdynamic.
 *
 * Before the dynamic loader maps the file, its structure is checked (glibc's
 * loader crashes on a truncated or damaged library): a file that is not a
 * shared library for this machine, is truncated, or has headers, tables or
 * relocations pointing outside it is ACNN_ERROR_INVALID_MODEL; a file that
 * cannot be read is ACNN_ERROR_IO. So is a library of another ABI: metadata
 * of another format version, a missing symbol, or one needing runtime
 * functions this program does not export. Every message names the file.
 * Damage inside code or data that the structure does not reveal is not
 * caught, as with dlopen. */
acnn_status acnn_model_open(const char *shared_library_path, acnn_model **out);

/* Frees the arena, unloads an opened library. NULL is ignored, like
 * free(NULL). A pointer that is not a live model (freed already) is ignored
 * too, and acnn_last_error() says so. If another thread is running the
 * model, the free waits for the run to end; calls that start after it are
 * refused. */
void acnn_model_free(acnn_model *model);

/* The metadata's `name`, or NULL (with a message) for a model that is not
 * live. */
const char *acnn_model_name(const acnn_model *model);

/* Counts, or -1 (with a message) for a model that is not live. */
int32_t acnn_model_num_inputs(const acnn_model *model);
int32_t acnn_model_num_outputs(const acnn_model *model);
int32_t acnn_model_num_kernels(const acnn_model *model);

/* The decoded name, rank and shape of input / output `index`. Any of the
 * out-pointers may be NULL; the strings and shapes live as long as the model. */
acnn_status acnn_model_input(const acnn_model *model, int32_t index, const char **name,
                             int32_t *rank, const int64_t **shape);
acnn_status acnn_model_output(const acnn_model *model, int32_t index, const char **name,
                              int32_t *rank, const int64_t **shape);

/* The dtype of input / output `index`; `dtype` must not be NULL. */
acnn_status acnn_model_input_dtype(const acnn_model *model, int32_t index, acnn_dtype *dtype);
acnn_status acnn_model_output_dtype(const acnn_model *model, int32_t index, acnn_dtype *dtype);

/* Checks every tensor against the metadata (count, dtype, which must be the
 * metadata's, rank, every extent, non-null data aligned to its dtype's
 * element size: 4 bytes for f32, 8 for i64; outputs not overlapping any
 * other tensor; inputs may alias each other), then runs the model. No more
 * alignment than the element size is assumed of caller tensors. Values are
 * not checked: NaN and infinities flow through as IEEE arithmetic takes
 * them. */
acnn_status acnn_model_run(acnn_model *model, const acnn_tensor *inputs, int32_t num_inputs,
                           acnn_tensor *outputs, int32_t num_outputs);

/* Threads the model's parallel loops run on, in [1, 1024]; default: the
 * `threads` it was compiled for (acnnc compile --threads), but no more than
 * the CPUs this process may run on (its affinity mask, so taskset and
 * containers count). Generated code forks OpenMP parallel regions of this
 * many threads, whatever OMP_NUM_THREADS says. */
acnn_status acnn_model_set_num_threads(acnn_model *model, int32_t num_threads);
/* The thread count runs use now, or -1 (with a message) for a model that is
 * not live. */
int32_t acnn_model_num_threads(const acnn_model *model);

/* Profiling: turning it on (again) resets every kernel's counters, which
 * count the runs since. A read while another thread runs the model waits
 * for that run to end. */
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
