#ifndef ACNN_RUNTIME_THREAD_POOL_H
#define ACNN_RUNTIME_THREAD_POOL_H

/* The persistent worker threads behind acnn_parallel_for. */

#include <stdint.h>

/* Runtime-internal: kept out of the symbols a program with -rdynamic exports. */
#pragma GCC visibility push(hidden)

typedef struct acnn_thread_pool acnn_thread_pool;

/* Starts `workers` threads (the caller of a loop is one more); NULL if the
 * memory or any thread cannot be had. */
acnn_thread_pool *acnn_thread_pool_create(int32_t workers);

/* Stops and joins the workers. Must not run while a loop is in flight. */
void acnn_thread_pool_destroy(acnn_thread_pool *pool);

#pragma GCC visibility pop

#endif
