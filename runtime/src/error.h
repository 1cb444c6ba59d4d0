#ifndef ACNN_RUNTIME_ERROR_H
#define ACNN_RUNTIME_ERROR_H

/* The runtime's one way to fail: record a message for acnn_last_error(). */

#include "acnn/acnnrt.h"

/* Runtime-internal: kept out of the symbols a program with -rdynamic exports. */
#pragma GCC visibility push(hidden)

/* Sets this thread's last error from the printf-style message and returns
 * `status`, so a check reads `return acnn_fail(...)`. */
acnn_status acnn_fail(acnn_status status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#pragma GCC visibility pop

#endif
