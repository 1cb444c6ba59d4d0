/* The live models: every public function checks its model pointer here
 * before reading through it. A C caller can hand the runtime a pointer it
 * already freed (a double free, a use after free) or one it never got from
 * us; looking the value up, without dereferencing it, turns that into
 * ACNN_ERROR_INVALID_ARGUMENT with a message. */
#include "error.h"
#include "model.h"

#include <stdlib.h>

/* Guards `live`, `quarantine` and every model's `users`. */
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
/* Broadcast when a model's last user leaves, for acnn_registry_remove. */
static pthread_cond_t registry_idle = PTHREAD_COND_INITIALIZER;

/* A program holds few models, so a list searched linearly is enough. */
static acnn_model **live;
static size_t num_live, live_capacity;

/* Freed model structs are kept here for the next QUARANTINE frees before
 * free() sees them: malloc would hand the address straight to the next
 * acnn_model_bind, and a stale pointer would then name that new model and
 * pass the check. */
#define QUARANTINE 64
static acnn_model *quarantine[QUARANTINE];
static size_t next_quarantined;

static size_t find(const acnn_model *model) {
  for (size_t i = 0; i < num_live; ++i)
    if (live[i] == model)
      return i;
  return num_live;
}

static acnn_status not_live(const acnn_model *model, const char *function) {
  if (!model)
    return acnn_fail(ACNN_ERROR_INVALID_ARGUMENT, "%s: model is NULL", function);
  return acnn_fail(ACNN_ERROR_INVALID_ARGUMENT,
                   "%s: %p is not a live model (freed already, or not from "
                   "acnn_model_bind or acnn_model_open)",
                   function, (const void *)model);
}

acnn_status acnn_registry_add(acnn_model *model) {
  pthread_mutex_lock(&registry_lock);
  if (num_live == live_capacity) {
    size_t capacity = live_capacity ? 2 * live_capacity : 16;
    acnn_model **grown = realloc(live, capacity * sizeof *grown);
    if (!grown) {
      pthread_mutex_unlock(&registry_lock);
      return acnn_fail(ACNN_ERROR_OUT_OF_MEMORY, "out of memory registering a model");
    }
    live = grown;
    live_capacity = capacity;
  }
  live[num_live++] = model;
  pthread_mutex_unlock(&registry_lock);
  return ACNN_OK;
}

acnn_status acnn_registry_acquire(const acnn_model *model, const char *function) {
  pthread_mutex_lock(&registry_lock);
  int found = model && find(model) < num_live;
  if (found)
    ++((acnn_model *)model)->users; /* every model is allocated non-const */
  pthread_mutex_unlock(&registry_lock);
  return found ? ACNN_OK : not_live(model, function);
}

void acnn_registry_release(const acnn_model *model) {
  pthread_mutex_lock(&registry_lock);
  if (--((acnn_model *)model)->users == 0)
    pthread_cond_broadcast(&registry_idle);
  pthread_mutex_unlock(&registry_lock);
}

int acnn_registry_remove(acnn_model *model, const char *function) {
  pthread_mutex_lock(&registry_lock);
  size_t i = model ? find(model) : num_live;
  if (i == num_live) {
    pthread_mutex_unlock(&registry_lock);
    not_live(model, function);
    return 0;
  }
  live[i] = live[--num_live];
  /* Dead now, so no call starts on it; let those running end. */
  while (model->users > 0)
    pthread_cond_wait(&registry_idle, &registry_lock);
  pthread_mutex_unlock(&registry_lock);
  return 1;
}

void acnn_registry_retire(acnn_model *model) {
  pthread_mutex_lock(&registry_lock);
  acnn_model *oldest = quarantine[next_quarantined];
  quarantine[next_quarantined] = model;
  next_quarantined = (next_quarantined + 1) % QUARANTINE;
  pthread_mutex_unlock(&registry_lock);
  free(oldest);
}
