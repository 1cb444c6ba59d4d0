/* Checking a shared-library model's file before dlopen. glibc's loader
 * trusts the file: it maps segments that run past the end of a truncated
 * file (the first touch is a SIGBUS), follows table addresses and indices
 * without bounds, asserts on odd entry sizes and calls whatever its init
 * arrays name. An interrupted copy or a damaged download would crash the
 * program in acnn_model_open. Here every structure the loader walks is
 * bounds-checked against the file and its segments first. What cannot be
 * checked is the bytes themselves: damaged code or data still loads. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* O_CLOEXEC */
#endif
#include "library.h"
#include "elf_checker.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static acnn_status check(checker *c) {
  acnn_status status = acnn_elf_check_header(c);
  if (status == ACNN_OK)
    status = acnn_elf_check_segments(c);
  if (status == ACNN_OK)
    status = acnn_elf_read_dynamic(c);
  if (status == ACNN_OK)
    status = acnn_elf_check_strings(c);
  if (status == ACNN_OK)
    status = acnn_elf_count_symbols(c);
  relocs tables[3] = {{0}};
  if (status == ACNN_OK)
    status = acnn_elf_check_relocs(c, tables, 3);
  if (status == ACNN_OK)
    status = acnn_elf_load_symbols(c);
  if (status == ACNN_OK)
    status = acnn_elf_check_versions(c);
  if (status == ACNN_OK)
    status = acnn_elf_check_symbols(c);
  if (status == ACNN_OK)
    status = acnn_elf_check_constructors(c, tables, 3);
  for (size_t k = 0; k < 3; ++k)
    free(tables[k].entries);
  return status;
}

acnn_status acnn_library_check(const char *path, acnn_library_layout *layout) {
  memset(layout, 0, sizeof *layout);
  checker c = {.path = path, .fd = open(path, O_RDONLY | O_CLOEXEC)};
  if (c.fd < 0)
    return acnn_fail(ACNN_ERROR_IO, "cannot load model %s: %s", path, strerror(errno));
  acnn_status status = check(&c);
  if (status == ACNN_OK) {
    layout->segments = calloc(c.num_phdrs, sizeof *layout->segments);
    if (!layout->segments)
      status = acnn_fail(ACNN_ERROR_OUT_OF_MEMORY, "out of memory checking model %s", path);
    for (size_t i = 0; status == ACNN_OK && i < c.num_phdrs; ++i)
      if (c.phdrs[i].p_type == PT_LOAD)
        layout->segments[layout->num_segments++] =
            (acnn_segment){c.phdrs[i].p_vaddr, c.phdrs[i].p_memsz, (int)c.phdrs[i].p_flags};
  }
  close(c.fd);
  free(c.phdrs);
  free(c.dynamic);
  free(c.strtab);
  free(c.symbols);
  free(c.relr);
  return status;
}

int acnn_library_holds(const acnn_library_layout *layout, uintptr_t bias, const void *addr,
                       size_t bytes, int flags, size_t *room) {
  uintptr_t at = (uintptr_t)addr - bias;
  for (size_t i = 0; i < layout->num_segments; ++i) {
    const acnn_segment *s = &layout->segments[i];
    if (at >= s->vaddr && bytes <= s->memsz && at - s->vaddr <= s->memsz - bytes &&
        (s->flags & flags) == flags) {
      if (room)
        *room = s->memsz - (at - s->vaddr);
      return 1;
    }
  }
  return 0;
}

void acnn_library_layout_free(acnn_library_layout *layout) {
  free(layout->segments);
  memset(layout, 0, sizeof *layout);
}
