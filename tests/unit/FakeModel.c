/* TEST DOUBLE of the code `acnnc compile` generates: hand-written C that
 * follows the compiled-model ABI in acnnrt.h, so libacnnrt can be tested
 * without the compiler. The model "fake" computes y = x + 1 + bias (bias
 * broadcast over the rows of x) in two kernels that, like generated code,
 * keep an intermediate in the arena and bracket themselves with the
 * profiling hooks. The model "fake_argmax" has i64 tensors beside f32 ones:
 * over the last axis of x, max = the greatest value and index = offset +
 * where it is (the first, on ties), as an ArgMax model's int64 output. */
#include "acnn/acnnrt.h"

#include <stdint.h>

/* Variants built as libraries that acnn_model_open must refuse, each for a
 * reason it names (tests/unit/CMakeLists.txt): ACNN_FAKE_META_VERSION, the
 * metadata format version (1 unless set); ACNN_FAKE_NO_ENTRY, no
 * acnn_model_entry exported; ACNN_FAKE_NEEDS_NEWER_RUNTIME, a call into a
 * runtime function this runtime does not have. ACNN_FAKE_ARGMAX exports
 * "fake_argmax" as the library's model instead of "fake". */
#ifndef ACNN_FAKE_META_VERSION
#define ACNN_FAKE_META_VERSION 1
#endif
#define ACNN_FAKE_STRING(x) #x
#define ACNN_FAKE_EXPAND(x) ACNN_FAKE_STRING(x)
#define ACNN_FAKE_HEADER "acnn-model " ACNN_FAKE_EXPAND(ACNN_FAKE_META_VERSION) "\n"

const char acnn_fake_meta[] = ACNN_FAKE_HEADER "name fake\n"
                                               "input x f32 3 2 4 3\n"
                                               "input bias%20term f32 1 3\n"
                                               "output y f32 3 2 4 3\n"
                                               "arena 96\n"
                                               "kernel add_one\n"
                                               "kernel add%20bias\n";

enum { ROWS = 2 * 4, COLS = 3 }; /* x and y as 8 rows of 3 */

#ifdef ACNN_FAKE_NEEDS_NEWER_RUNTIME
void acnn_runtime_of_the_future(acnn_context *ctx);
#endif

void acnn_fake_entry(void **args) {
  /* inputs, outputs, arena, context */
  const float *x = args[0], *bias = args[1];
  float *y = args[2], *tmp = args[3];
  acnn_context *ctx = args[4];
#ifdef ACNN_FAKE_NEEDS_NEWER_RUNTIME
  acnn_runtime_of_the_future(ctx);
#endif

  acnn_kernel_begin(ctx, 0);
  for (int i = 0; i < ROWS * COLS; ++i)
    tmp[i] = x[i] + 1;
  acnn_kernel_end(ctx, 0);

  acnn_kernel_begin(ctx, 1);
  for (int row = 0; row < ROWS; ++row)
    for (int col = 0; col < COLS; ++col)
      y[row * COLS + col] = tmp[row * COLS + col] + bias[col];
  acnn_kernel_end(ctx, 1);
}

const char acnn_fake_argmax_meta[] = ACNN_FAKE_HEADER "name fake_argmax\n"
                                                      "input x f32 3 2 4 3\n"
                                                      "input offset i64 1 1\n"
                                                      "output max f32 2 2 4\n"
                                                      "output index i64 2 2 4\n"
                                                      "arena 0\n"
                                                      "kernel argmax\n";

void acnn_fake_argmax_entry(void **args) {
  const float *x = args[0];
  const int64_t *offset = args[1];
  float *max = args[2];
  int64_t *index = args[3];
  acnn_context *ctx = args[5];

  acnn_kernel_begin(ctx, 0);
  for (int row = 0; row < ROWS; ++row) {
    int best = 0;
    for (int col = 1; col < COLS; ++col)
      if (x[row * COLS + col] > x[row * COLS + best])
        best = col;
    max[row] = x[row * COLS + best];
    index[row] = *offset + best;
  }
  acnn_kernel_end(ctx, 0);
}

#ifdef ACNN_FAKE_SHARED_LIBRARY
/* What the code generator adds for a shared library: the generic names that
 * acnn_model_open looks up. */
#ifdef ACNN_FAKE_ARGMAX
extern const char acnn_model_meta[sizeof acnn_fake_argmax_meta]
    __attribute__((alias("acnn_fake_argmax_meta")));
void acnn_model_entry(void **args) __attribute__((alias("acnn_fake_argmax_entry")));
#else
extern const char acnn_model_meta[sizeof acnn_fake_meta] __attribute__((alias("acnn_fake_meta")));
#ifndef ACNN_FAKE_NO_ENTRY
void acnn_model_entry(void **args) __attribute__((alias("acnn_fake_entry")));
#endif
#endif
#endif
