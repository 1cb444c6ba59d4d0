#include "thread_pool.h"

#include "model.h"

#include <pthread.h>
#include <stdlib.h>

typedef void (*loop_body)(void *data, int64_t begin, int64_t end);

typedef struct worker {
  acnn_thread_pool *pool;
  int32_t chunk; /* the range of each loop this worker runs; the caller runs 0 */
  pthread_t thread;
} worker;

struct acnn_thread_pool {
  pthread_mutex_t lock;
  pthread_cond_t work_ready, work_done;
  int32_t num_workers;
  worker *workers;
  /* Bumped per loop, so a worker tells a new loop from a spurious wakeup. */
  uint64_t generation;
  int stopping;
  /* The loop in flight. */
  loop_body body;
  void *data;
  int64_t n;
  int32_t num_chunks;
  int32_t pending; /* workers that have not finished it yet */
};

/* Set on pool threads and on a caller inside a loop: a nested loop runs
 * inline instead of waiting for workers that are busy with the outer one. */
static _Thread_local int in_parallel_loop;

/* Chunk `i` of [0, n) cut into `chunks` ranges whose sizes differ by at most 1. */
static void run_chunk(loop_body body, void *data, int64_t n, int32_t chunks, int32_t i) {
  int64_t size = n / chunks, extra = n % chunks;
  int64_t begin = i * size + (i < extra ? i : extra);
  body(data, begin, begin + size + (i < extra));
}

static void *worker_main(void *arg) {
  worker *self = arg;
  acnn_thread_pool *pool = self->pool;
  in_parallel_loop = 1;
  uint64_t seen = 0;
  pthread_mutex_lock(&pool->lock);
  for (;;) {
    while (pool->generation == seen && !pool->stopping)
      pthread_cond_wait(&pool->work_ready, &pool->lock);
    if (pool->stopping)
      break;
    seen = pool->generation;
    loop_body body = pool->body;
    void *data = pool->data;
    int64_t n = pool->n;
    int32_t chunks = pool->num_chunks;
    pthread_mutex_unlock(&pool->lock);
    if (self->chunk < chunks)
      run_chunk(body, data, n, chunks, self->chunk);
    pthread_mutex_lock(&pool->lock);
    if (--pool->pending == 0)
      pthread_cond_signal(&pool->work_done);
  }
  pthread_mutex_unlock(&pool->lock);
  return NULL;
}

acnn_thread_pool *acnn_thread_pool_create(int32_t workers) {
  acnn_thread_pool *pool = calloc(1, sizeof *pool);
  if (!pool)
    return NULL;
  pool->workers = calloc((size_t)workers, sizeof *pool->workers);
  if (!pool->workers) {
    free(pool);
    return NULL;
  }
  pthread_mutex_init(&pool->lock, NULL);
  pthread_cond_init(&pool->work_ready, NULL);
  pthread_cond_init(&pool->work_done, NULL);
  for (int32_t i = 0; i < workers; ++i) {
    worker *w = &pool->workers[i];
    w->pool = pool;
    w->chunk = i + 1;
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
      acnn_thread_pool_destroy(pool); /* joins the ones already started */
      return NULL;
    }
    pool->num_workers = i + 1;
  }
  return pool;
}

void acnn_thread_pool_destroy(acnn_thread_pool *pool) {
  pthread_mutex_lock(&pool->lock);
  pool->stopping = 1;
  pthread_cond_broadcast(&pool->work_ready);
  pthread_mutex_unlock(&pool->lock);
  for (int32_t i = 0; i < pool->num_workers; ++i)
    pthread_join(pool->workers[i].thread, NULL);
  pthread_cond_destroy(&pool->work_done);
  pthread_cond_destroy(&pool->work_ready);
  pthread_mutex_destroy(&pool->lock);
  free(pool->workers);
  free(pool);
}

/* Every worker acknowledges every loop, even one with fewer chunks than
 * threads, so none can sleep through a loop and wake into the next. */
static void pool_run(acnn_thread_pool *pool, int64_t n, loop_body body, void *data) {
  int32_t threads = pool->num_workers + 1;
  int32_t chunks = n < threads ? (int32_t)n : threads;
  pthread_mutex_lock(&pool->lock);
  pool->body = body;
  pool->data = data;
  pool->n = n;
  pool->num_chunks = chunks;
  pool->pending = pool->num_workers;
  ++pool->generation;
  pthread_cond_broadcast(&pool->work_ready);
  pthread_mutex_unlock(&pool->lock);

  in_parallel_loop = 1;
  run_chunk(body, data, n, chunks, 0);
  in_parallel_loop = 0;

  pthread_mutex_lock(&pool->lock);
  while (pool->pending > 0)
    pthread_cond_wait(&pool->work_done, &pool->lock);
  pthread_mutex_unlock(&pool->lock);
}

void acnn_parallel_for(acnn_context *ctx, int64_t n, loop_body body, void *data) {
  if (n <= 0 || !body)
    return;
  if (!ctx || ctx->num_threads <= 1 || n == 1 || in_parallel_loop) {
    body(data, 0, n);
    return;
  }
  if (!ctx->pool)
    ctx->pool = acnn_thread_pool_create(ctx->num_threads - 1);
  if (!ctx->pool) {
    body(data, 0, n); /* no threads to be had: slower, still right */
    return;
  }
  pool_run(ctx->pool, n, body, data);
}
