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
  acnn_status status = acnn_registry_acquire(model, "acnn_model_enable_profiling");
  if (status != ACNN_OK)
    return status;
  pthread_mutex_lock(&model->run_lock);
  acnn_context *ctx = &model->context;
  ctx->profiling = enabled != 0;
  if (enabled && ctx->num_kernels > 0)
    memset(ctx->kernels, 0, (size_t)ctx->num_kernels * sizeof *ctx->kernels);
  pthread_mutex_unlock(&model->run_lock);
  acnn_registry_release(model);
  return ACNN_OK;
}

acnn_status acnn_model_profile(const acnn_model *model, int32_t kernel, const char **name,
                               double *total_ms, int64_t *calls) {
  acnn_status status = acnn_registry_acquire(model, "acnn_model_profile");
  if (status != ACNN_OK)
    return status;
  const acnn_context *ctx = &model->context;
  if (kernel < 0 || kernel >= ctx->num_kernels) {
    status = acnn_fail(ACNN_ERROR_INVALID_ARGUMENT,
                       "kernel index %d is out of range (model '%s' has %d kernels)", kernel,
                       model->meta.name, ctx->num_kernels);
  } else {
    /* A run on another thread updates the counters under the run lock:
     * read them whole, between its kernels' updates. */
    pthread_mutex_lock(&((acnn_model *)model)->run_lock);
    acnn_kernel_stats stats = ctx->kernels[kernel];
    pthread_mutex_unlock(&((acnn_model *)model)->run_lock);
    if (name)
      *name = model->meta.kernels[kernel];
    if (total_ms)
      *total_ms = (double)stats.total_ns / 1e6;
    if (calls)
      *calls = stats.calls;
  }
  acnn_registry_release(model);
  return status;
}
