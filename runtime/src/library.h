#ifndef ACNN_RUNTIME_LIBRARY_H
#define ACNN_RUNTIME_LIBRARY_H

/* Checking a shared-library model's file before dlopen maps it. */

#include "acnn/acnnrt.h"

#include <stddef.h>

/* Runtime-internal: kept out of the symbols a program with -rdynamic exports. */
#pragma GCC visibility push(hidden)

/* A loadable segment of the library, at its link-time address. */
typedef struct acnn_segment {
  uintptr_t vaddr, memsz;
  int flags; /* PF_R, PF_W, PF_X */
} acnn_segment;

typedef struct acnn_library_layout {
  acnn_segment *segments;
  size_t num_segments;
} acnn_library_layout;

/* Fails with a message saying what is wrong, as "cannot load model PATH:
 * ...", if `path` cannot be read or is not a shared library for this machine
 * whose structure the dynamic loader can walk without running off it: a
 * truncated file, a damaged header, segment, dynamic table, symbol table,
 * version table or relocation (glibc's loader trusts all of them and
 * crashes on a bad one). On success fills `layout`. */
acnn_status acnn_library_check(const char *path, acnn_library_layout *layout);

/* Whether [addr, addr + bytes) of the image loaded `bias` bytes above its
 * link-time addresses lies in one segment that has every flag in `flags`;
 * if so, `*room` (when not NULL) is the bytes from addr to that segment's end. */
int acnn_library_holds(const acnn_library_layout *layout, uintptr_t bias, const void *addr,
                       size_t bytes, int flags, size_t *room);

void acnn_library_layout_free(acnn_library_layout *layout);

#pragma GCC visibility pop

#endif
