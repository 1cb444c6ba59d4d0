/* TEST DOUBLE of the code `acnnc compile` generates: hand-written C that
 * follows the compiled-model ABI in acnnrt.h, so libacnnrt can be tested
 * without the compiler. The model "fake" computes y = x + 1 + bias (bias
 * broadcast over the rows of x) in two kernels that, like generated code,
 * keep an intermediate in the arena and bracket themselves with the
 * profiling hooks. */
#include "acnn/acnnrt.h"

/* Variants built as libraries that acnn_model_open must refuse, each for a
 * reason it names (tests/unit/CMakeLists.txt): ACNN_FAKE_META_VERSION, the
 * metadata format version (1 unless set); ACNN_FAKE_NO_ENTRY, no
 * acnn_model_entry exported; ACNN_FAKE_NEEDS_NEWER_RUNTIME, a call into a
 * runtime function this runtime does not have. */
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

#ifdef ACNN_FAKE_SHARED_LIBRARY
/* What the code generator adds for a shared library: the generic names that
 * acnn_model_open looks up. */
extern const char acnn_model_meta[sizeof acnn_fake_meta] __attribute__((alias("acnn_fake_meta")));
#ifndef ACNN_FAKE_NO_ENTRY
void acnn_model_entry(void **args) __attribute__((alias("acnn_fake_entry")));
#endif
#endif
