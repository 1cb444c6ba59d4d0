/* TEST DOUBLE of the code `acnnc compile` generates: hand-written C that
 * follows the compiled-model ABI in acnnrt.h, so libacnnrt can be tested
 * without the compiler. The model "fake" computes y = x + 1 + bias (bias
 * broadcast over the rows of x) in two kernels that, like generated code,
 * keep an intermediate in the arena, split their loops with
 * acnn_parallel_for and bracket themselves with the profiling hooks. */
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

typedef struct add_one_args {
  const float *x;
  float *tmp;
} add_one_args;

typedef struct add_bias_args {
  const float *tmp, *bias;
  float *y;
} add_bias_args;

static void add_one(void *data, int64_t begin, int64_t end) {
  add_one_args *a = data;
  for (int64_t i = begin; i < end; ++i)
    a->tmp[i] = a->x[i] + 1;
}

static void add_bias(void *data, int64_t begin, int64_t end) {
  add_bias_args *a = data;
  for (int64_t row = begin; row < end; ++row)
    for (int col = 0; col < COLS; ++col)
      a->y[row * COLS + col] = a->tmp[row * COLS + col] + a->bias[col];
}

void acnn_fake_entry(void **args) {
  /* inputs, outputs, arena, context */
  float *tmp = args[3];
  acnn_context *ctx = args[4];

  add_one_args one = {args[0], tmp};
  acnn_kernel_begin(ctx, 0);
  acnn_parallel_for(ctx, ROWS * COLS, add_one, &one);
  acnn_kernel_end(ctx, 0);

  add_bias_args bias = {tmp, args[1], args[2]};
  acnn_kernel_begin(ctx, 1);
  acnn_parallel_for(ctx, ROWS, add_bias, &bias);
  acnn_kernel_end(ctx, 1);
}

#ifdef ACNN_FAKE_SHARED_LIBRARY
/* What the code generator adds for a shared library: the generic names that
 * acnn_model_open looks up. */
extern const char acnn_model_meta[sizeof acnn_fake_meta] __attribute__((alias("acnn_fake_meta")));
void acnn_model_entry(void **args) __attribute__((alias("acnn_fake_entry")));
#endif
