#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* clock_gettime, beyond ISO C11 */
#endif
#include "error.h"
#include "model.h"

#include <string.h>
#include <time.h>

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Generated code brackets every kernel unconditionally: stay a branch when
 * profiling is off. */
static acnn_kernel_stats *profiled(acnn_context *ctx, int32_t kernel) {
  if (!ctx || !ctx->profiling || kernel < 0 || kernel >= ctx->num_kernels)
    return NULL;
  return &ctx->kernels[kernel];
}

void acnn_kernel_begin(acnn_context *ctx, int32_t kernel) {
  acnn_kernel_stats *stats = profiled(ctx, kernel);
  if (stats)
    stats->started_ns = now_ns();
}

void acnn_kernel_end(acnn_context *ctx, int32_t kernel) {
  acnn_kernel_stats *stats = profiled(ctx, kernel);
  if (stats) {
    stats->total_ns += now_ns() - stats->started_ns;
    ++stats->calls;
  }
}

acnn_status acnn_model_enable_profiling(acnn_model *model, int enabled) {
  if (!model)
    return acnn_fail(ACNN_ERROR_INVALID_ARGUMENT, "acnn_model_enable_profiling: model is NULL");
  pthread_mutex_lock(&model->run_lock);
  acnn_context *ctx = &model->context;
  ctx->profiling = enabled != 0;
  if (enabled && ctx->num_kernels > 0)
    memset(ctx->kernels, 0, (size_t)ctx->num_kernels * sizeof *ctx->kernels);
  pthread_mutex_unlock(&model->run_lock);
  return ACNN_OK;
}

acnn_status acnn_model_profile(const acnn_model *model, int32_t kernel, const char **name,
                               double *total_ms, int64_t *calls) {
  if (!model)
    return acnn_fail(ACNN_ERROR_INVALID_ARGUMENT, "acnn_model_profile: model is NULL");
  const acnn_context *ctx = &model->context;
  if (kernel < 0 || kernel >= ctx->num_kernels)
    return acnn_fail(ACNN_ERROR_INVALID_ARGUMENT,
                     "kernel index %d is out of range (model '%s' has %d kernels)", kernel,
                     model->meta.name, ctx->num_kernels);
  if (name)
    *name = model->meta.kernels[kernel];
  if (total_ms)
    *total_ms = (double)ctx->kernels[kernel].total_ns / 1e6;
  if (calls)
    *calls = ctx->kernels[kernel].calls;
  return ACNN_OK;
}
