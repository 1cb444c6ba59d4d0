/* A C program that links a model compiled by `acnnc compile` into a static
 * library (here SE-ResNet) and runs it through libacnnrt:
 *
 *   acnnc compile tests/models/se_resnet.onnx -o se_resnet.a   # + se_resnet.h
 *   cc classify.c se_resnet.a -Iruntime/include -lacnnrt -lm -o classify
 *   ./classify input.npy [expected.npy]
 *
 * It prints the top class and the latency; with expected.npy it checks the
 * output within 1e-4 relative L2 error and exits 1 if not. */
#include "se_resnet.h"

#include "acnn/npy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int fail(const char *what) {
  fprintf(stderr, "classify: %s: %s\n", what, acnn_last_error());
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s input.npy [expected.npy]\n", argv[0]);
    return 1;
  }
  char err[512];
  acnn_npy_array input;
  if (acnn_npy_read(argv[1], &input, err, sizeof err)) {
    fprintf(stderr, "classify: %s\n", err);
    return 1;
  }
  acnn_model *model;
  if (acnn_se_resnet_load(&model) != ACNN_OK)
    return fail("load");

  const char *name;
  int32_t rank;
  const int64_t *shape;
  if (acnn_model_output(model, 0, &name, &rank, &shape) != ACNN_OK)
    return fail("output");
  int64_t count = 1;
  for (int32_t i = 0; i < rank; ++i)
    count *= shape[i];
  float *logits = malloc(sizeof(float) * count);
  acnn_tensor in = {ACNN_F32, input.rank, input.shape, input.data};
  acnn_tensor out = {ACNN_F32, rank, shape, logits};

  double start = now_ms();
  if (acnn_model_run(model, &in, 1, &out, 1) != ACNN_OK)
    return fail("run");
  double ms = now_ms() - start;

  int64_t best = 0;
  for (int64_t i = 1; i < count; ++i)
    if (logits[i] > logits[best])
      best = i;
  printf("%s: class %lld (logit %.4f), %.3f ms\n", name, (long long)best, logits[best], ms);

  int status = 0;
  if (argc > 2) {
    acnn_npy_array expected;
    if (acnn_npy_read(argv[2], &expected, err, sizeof err)) {
      fprintf(stderr, "classify: %s\n", err);
      return 1;
    }
    double diff = 0, norm = 0;
    for (int64_t i = 0; i < count; ++i) {
      diff += (logits[i] - expected.data[i]) * (double)(logits[i] - expected.data[i]);
      norm += expected.data[i] * (double)expected.data[i];
    }
    double error = sqrt(diff / norm);
    printf("relative L2 error vs %s: %.2e\n", argv[2], error);
    status = error <= 1e-4 ? 0 : 1;
    acnn_npy_free(&expected);
  }
  free(logits);
  acnn_model_free(model);
  acnn_npy_free(&input);
  return status;
}
