#include "error.h"

#include <stdarg.h>
#include <stdio.h>

/* Per thread, so a failing call on one thread cannot garble the message that
 * another thread is about to read. */
static _Thread_local char last_error[512];

acnn_status acnn_fail(acnn_status status, const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  vsnprintf(last_error, sizeof last_error, fmt, args);
  va_end(args);
  return status;
}

const char *acnn_last_error(void) { return last_error; }

const char *acnn_status_string(acnn_status status) {
  switch (status) {
  case ACNN_OK:
    return "ok";
  case ACNN_ERROR_INVALID_ARGUMENT:
    return "invalid argument";
  case ACNN_ERROR_SHAPE_MISMATCH:
    return "shape mismatch";
  case ACNN_ERROR_DTYPE_MISMATCH:
    return "dtype mismatch";
  case ACNN_ERROR_INVALID_MODEL:
    return "invalid model";
  case ACNN_ERROR_OUT_OF_MEMORY:
    return "out of memory";
  case ACNN_ERROR_IO:
    return "I/O error";
  }
  return "unknown status";
}
