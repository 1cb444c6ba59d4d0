/* Running a model: every caller tensor is checked against the metadata
 * before the generated code, which trusts its arguments, sees it. */
#include "error.h"
#include "model.h"

#include <stdio.h>

/* "[1, 3, 32, 32]" */
static const char *format_shape(char *buf, size_t size, int32_t rank, const int64_t *shape) {
  size_t used = (size_t)snprintf(buf, size, "[");
  for (int32_t i = 0; i < rank && used < size; ++i)
    used += (size_t)snprintf(buf + used, size - used, "%s%lld", i ? ", " : "", (long long)shape[i]);
  if (used < size)
    snprintf(buf + used, size - used, "]");
  return buf;
}

static int same_shape(const acnn_tensor_info *info, const acnn_tensor *t) {
  if (t->rank != info->rank)
    return 0;
  for (int32_t i = 0; i < t->rank; ++i)
    if (t->shape[i] != info->shape[i])
      return 0;
  return 1;
}

/* "i64", or the number of a value that is no dtype. */
static const char *format_dtype(char *buf, size_t size, acnn_dtype dtype) {
  if (acnn_dtype_size(dtype) == 0) {
    snprintf(buf, size, "%d", (int)dtype);
    return buf;
  }
  return acnn_dtype_name(dtype);
}

static acnn_status check_tensor(const char *kind, const acnn_tensor_info *info,
                                const acnn_tensor *t) {
  char expected[256], got[256];
  if (t->dtype != info->dtype)
    return acnn_fail(ACNN_ERROR_DTYPE_MISMATCH, "%s '%s': dtype %s expected, got dtype %s", kind,
                     info->name, acnn_dtype_name(info->dtype),
                     format_dtype(got, sizeof got, t->dtype));
  /* A rank outside the metadata's range is not worth reading a shape for. */
  if (t->rank < 0 || t->rank > ACNN_MAX_RANK)
    return acnn_fail(ACNN_ERROR_SHAPE_MISMATCH, "%s '%s': shape %s expected, got rank %d", kind,
                     info->name, format_shape(expected, sizeof expected, info->rank, info->shape),
                     t->rank);
  if (t->rank > 0 && !t->shape)
    return acnn_fail(ACNN_ERROR_INVALID_ARGUMENT, "%s '%s': shape is NULL", kind, info->name);
  if (!same_shape(info, t))
    return acnn_fail(ACNN_ERROR_SHAPE_MISMATCH, "%s '%s': shape %s expected, got %s", kind,
                     info->name, format_shape(expected, sizeof expected, info->rank, info->shape),
                     format_shape(got, sizeof got, t->rank, t->shape));
  if (!t->data)
    return acnn_fail(ACNN_ERROR_INVALID_ARGUMENT, "%s '%s': data is NULL", kind, info->name);
  /* Generated code accesses caller tensors by element (vector loads and
   * stores aligned to the element size; only the arena is assumed 64-byte
   * aligned): any address aligned so works, anything less is undefined
   * behaviour. */
  size_t align = acnn_dtype_size(info->dtype);
  if ((uintptr_t)t->data % align != 0)
    return acnn_fail(ACNN_ERROR_INVALID_ARGUMENT,
                     "%s '%s': data %p is not aligned to %zu bytes, as %s data must be", kind,
                     info->name, t->data, align, acnn_dtype_name(info->dtype));
  return ACNN_OK;
}

static int overlap(const void *a, size_t a_bytes, const void *b, size_t b_bytes) {
  uintptr_t a0 = (uintptr_t)a, b0 = (uintptr_t)b;
  return a0 < b0 + b_bytes && b0 < a0 + a_bytes;
}

/* Generated code may write an output before it has read every input, or
 * reuse an output as scratch: an output must share no byte with any other
 * tensor. Inputs are only read, so they may alias each other. */
static acnn_status check_outputs_apart(const acnn_meta *meta, const acnn_tensor *inputs,
                                       const acnn_tensor *outputs) {
  for (int32_t i = 0; i < meta->num_outputs; ++i) {
    const acnn_tensor_info *out = &meta->outputs[i];
    for (int32_t j = 0; j < meta->num_inputs; ++j)
      if (overlap(outputs[i].data, out->bytes, inputs[j].data, meta->inputs[j].bytes))
        return acnn_fail(ACNN_ERROR_INVALID_ARGUMENT, "output '%s': data overlaps input '%s'",
                         out->name, meta->inputs[j].name);
    for (int32_t j = 0; j < i; ++j)
      if (overlap(outputs[i].data, out->bytes, outputs[j].data, meta->outputs[j].bytes))
        return acnn_fail(ACNN_ERROR_INVALID_ARGUMENT, "output '%s': data overlaps output '%s'",
                         out->name, meta->outputs[j].name);
  }
  return ACNN_OK;
}

static acnn_status check_count(const acnn_model *model, const char *kind, const void *tensors,
                               int32_t given, int32_t expected) {
  if (given != expected)
    return acnn_fail(ACNN_ERROR_INVALID_ARGUMENT, "model '%s' takes %d %ss, got %d",
                     model->meta.name, expected, kind, given);
  if (given > 0 && !tensors)
    return acnn_fail(ACNN_ERROR_INVALID_ARGUMENT, "acnn_model_run: %ss is NULL", kind);
  return ACNN_OK;
}

static acnn_status check_run(const acnn_model *model, const acnn_tensor *inputs, int32_t num_inputs,
                             const acnn_tensor *outputs, int32_t num_outputs) {
  const acnn_meta *meta = &model->meta;
  acnn_status status = check_count(model, "input", inputs, num_inputs, meta->num_inputs);
  if (status == ACNN_OK)
    status = check_count(model, "output", outputs, num_outputs, meta->num_outputs);
  for (int32_t i = 0; status == ACNN_OK && i < num_inputs; ++i)
    status = check_tensor("input", &meta->inputs[i], &inputs[i]);
  for (int32_t i = 0; status == ACNN_OK && i < num_outputs; ++i)
    status = check_tensor("output", &meta->outputs[i], &outputs[i]);
  return status == ACNN_OK ? check_outputs_apart(meta, inputs, outputs) : status;
}

acnn_status acnn_model_run(acnn_model *model, const acnn_tensor *inputs, int32_t num_inputs,
                           acnn_tensor *outputs, int32_t num_outputs) {
  acnn_status status = acnn_registry_acquire(model, "acnn_model_run");
  if (status != ACNN_OK)
    return status;
  status = check_run(model, inputs, num_inputs, outputs, num_outputs);
  if (status == ACNN_OK) {
    pthread_mutex_lock(&model->run_lock);
    void **args = model->args;
    for (int32_t i = 0; i < num_inputs; ++i)
      *args++ = inputs[i].data;
    for (int32_t i = 0; i < num_outputs; ++i)
      *args++ = outputs[i].data;
    *args++ = model->arena;
    *args = &model->context;
    model->entry(model->args);
    pthread_mutex_unlock(&model->run_lock);
  }
  acnn_registry_release(model);
  return status;
}
