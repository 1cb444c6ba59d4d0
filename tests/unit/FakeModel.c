/* TEST DOUBLE of the code `acnnc compile` generates: hand-written C that
 * follows the compiled-model ABI in acnnrt.h, so libacnnrt can be tested
 * without the compiler. The model "fake" computes y = x + 1 + bias (bias
 * broadcast over the rows of x) in two kernels that, like generated code,
 * keep an intermediate in the arena and bracket themselves with the
 * profiling hooks. */
#include "acnn/acnnrt.h"

const char acnn_fake_meta[] = "acnn-model 1\n"
                              "name fake\n"
                              "input x f32 3 2 4 3\n"
                              "input bias%20term f32 1 3\n"
                              "output y f32 3 2 4 3\n"
                              "arena 96\n"
                              "kernel add_one\n"
                              "kernel add%20bias\n";

enum { ROWS = 2 * 4, COLS = 3 }; /* x and y as 8 rows of 3 */

void acnn_fake_entry(void **args) {
  /* inputs, outputs, arena, context */
  const float *x = args[0], *bias = args[1];
  float *y = args[2], *tmp = args[3];
  acnn_context *ctx = args[4];

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
void acnn_model_entry(void **args) __attribute__((alias("acnn_fake_entry")));
#endif
