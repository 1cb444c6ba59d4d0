/* The file, its header, segments, dynamic table and string table, and the
 * errors every check reports with. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pread */
#endif
#include "elf_checker.h"
#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static acnn_status refuse(const checker *c, const char *prefix, const char *fmt, va_list args) {
  char what[320];
  vsnprintf(what, sizeof what, fmt, args);
  return acnn_fail(ACNN_ERROR_INVALID_MODEL, "cannot load model %s: %s%s", c->path, prefix, what);
}

acnn_status __attribute__((format(printf, 2, 3)))
acnn_elf_invalid(const checker *c, const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  acnn_status status = refuse(c, "", fmt, args);
  va_end(args);
  return status;
}

acnn_status __attribute__((format(printf, 2, 3)))
acnn_elf_damaged(const checker *c, const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  acnn_status status = refuse(c, "the library is damaged: ", fmt, args);
  va_end(args);
  return status;
}

acnn_status acnn_elf_truncated(const checker *c, const char *what, uint64_t end) {
  return acnn_elf_invalid(c, "the file is truncated: %s ends at byte %llu, the file has %llu bytes",
                          what, (unsigned long long)end, (unsigned long long)c->size);
}

int acnn_elf_in_file(const checker *c, uint64_t offset, uint64_t bytes) {
  return offset <= c->size && bytes <= c->size - offset;
}

acnn_status acnn_elf_read_at(const checker *c, uint64_t offset, void *buf, uint64_t bytes) {
  for (char *p = buf; bytes > 0;) {
    ssize_t n = pread(c->fd, p, bytes, (off_t)offset);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return acnn_fail(ACNN_ERROR_IO, "cannot load model %s: %s", c->path,
                       n < 0 ? strerror(errno) : "the file shrank while being read");
    p += n;
    offset += (uint64_t)n;
    bytes -= (uint64_t)n;
  }
  return ACNN_OK;
}

static const Phdr *segment_of(const checker *c, uint64_t addr, uint64_t bytes, int file_backed) {
  for (size_t i = 0; i < c->num_phdrs; ++i) {
    const Phdr *p = &c->phdrs[i];
    uint64_t size = file_backed ? p->p_filesz : p->p_memsz;
    if (p->p_type == PT_LOAD && addr >= p->p_vaddr && bytes <= size &&
        addr - p->p_vaddr <= size - bytes)
      return p;
  }
  return NULL;
}

int acnn_elf_mapped(const checker *c, uint64_t addr, uint64_t bytes, int flags) {
  const Phdr *p = segment_of(c, addr, bytes, 0);
  return p && ((int)p->p_flags & flags) == flags;
}

acnn_status acnn_elf_load(const checker *c, const char *what, uint64_t addr, uint64_t bytes,
                          void **out) {
  *out = NULL;
  const Phdr *p = segment_of(c, addr, bytes, 1);
  if (!p)
    return acnn_elf_damaged(c, "its %s (%llu bytes at 0x%llx) is outside its segments", what,
                            (unsigned long long)bytes, (unsigned long long)addr);
  *out = malloc(bytes ? bytes : 1);
  if (!*out)
    return acnn_fail(ACNN_ERROR_OUT_OF_MEMORY, "out of memory checking model %s", c->path);
  return acnn_elf_read_at(c, p->p_offset + (addr - p->p_vaddr), *out, bytes);
}

acnn_status acnn_elf_check_header(checker *c) {
  struct stat st;
  if (fstat(c->fd, &st) != 0)
    return acnn_fail(ACNN_ERROR_IO, "cannot load model %s: %s", c->path, strerror(errno));
  if (S_ISDIR(st.st_mode))
    return acnn_fail(ACNN_ERROR_IO, "cannot load model %s: it is a directory", c->path);
  if (!S_ISREG(st.st_mode))
    return acnn_fail(ACNN_ERROR_IO, "cannot load model %s: not a regular file", c->path);
  c->size = (uint64_t)st.st_size;
  if (c->size == 0)
    return acnn_elf_invalid(c, "the file is empty");
  unsigned char magic[SELFMAG];
  if (c->size < SELFMAG)
    return acnn_elf_invalid(c, "not a shared library (no ELF header)");
  acnn_status status = acnn_elf_read_at(c, 0, magic, SELFMAG);
  if (status != ACNN_OK)
    return status;
  if (memcmp(magic, ELFMAG, SELFMAG) != 0)
    return acnn_elf_invalid(c, "not a shared library (no ELF header)");
  if (c->size < sizeof c->header)
    return acnn_elf_truncated(c, "the ELF header", sizeof c->header);
  Ehdr *h = &c->header;
  if ((status = acnn_elf_read_at(c, 0, h, sizeof *h)) != ACNN_OK)
    return status;
  if (h->e_ident[EI_CLASS] != NATIVE_CLASS)
    return acnn_elf_invalid(c, "built for %s-bit programs, this one is %d-bit",
                            h->e_ident[EI_CLASS] == ELFCLASS32   ? "32"
                            : h->e_ident[EI_CLASS] == ELFCLASS64 ? "64"
                                                                 : "unknown",
                            NATIVE_CLASS == ELFCLASS64 ? 64 : 32);
  if (h->e_ident[EI_DATA] != NATIVE_DATA)
    return acnn_elf_invalid(c, "built for a machine of the other byte order");
  if (NATIVE_MACHINE && h->e_machine != NATIVE_MACHINE)
    return acnn_elf_invalid(c, "built for another machine (ELF machine %u, this one is %u)",
                            (unsigned)h->e_machine, (unsigned)NATIVE_MACHINE);
  if (h->e_type != ET_DYN)
    return acnn_elf_invalid(c, "not a shared library (ELF type %u)", (unsigned)h->e_type);
  if (h->e_phentsize != sizeof(Phdr) || h->e_phnum == 0 || h->e_phnum == PN_XNUM)
    return acnn_elf_damaged(c, "bad program header table (%u entries of %u bytes)",
                            (unsigned)h->e_phnum, (unsigned)h->e_phentsize);
  c->num_phdrs = h->e_phnum;
  uint64_t bytes = c->num_phdrs * sizeof(Phdr);
  if (!acnn_elf_in_file(c, h->e_phoff, bytes))
    return acnn_elf_truncated(c, "the program header table", (uint64_t)h->e_phoff + bytes);
  /* The loader ignores sections, but a file cut short there is no less cut. */
  uint64_t sections = (uint64_t)h->e_shnum * h->e_shentsize;
  if (h->e_shnum && !acnn_elf_in_file(c, h->e_shoff, sections))
    return acnn_elf_truncated(c, "the section header table", (uint64_t)h->e_shoff + sections);
  if (!(c->phdrs = malloc(bytes)))
    return acnn_fail(ACNN_ERROR_OUT_OF_MEMORY, "out of memory checking model %s", c->path);
  return acnn_elf_read_at(c, h->e_phoff, c->phdrs, bytes);
}

acnn_status acnn_elf_check_segments(checker *c) {
  const Phdr *dynamic = NULL, *last_load = NULL;
  for (size_t i = 0; i < c->num_phdrs; ++i) {
    const Phdr *p = &c->phdrs[i];
    if (p->p_type != PT_NULL && !acnn_elf_in_file(c, p->p_offset, p->p_filesz)) {
      char what[64];
      snprintf(what, sizeof what, "segment %zu", i);
      return acnn_elf_truncated(c, what, (uint64_t)p->p_offset + p->p_filesz);
    }
    if (p->p_type == PT_DYNAMIC)
      dynamic = p;
    if (p->p_type != PT_LOAD)
      continue;
    if (p->p_filesz > p->p_memsz || p->p_memsz > UINTPTR_MAX - p->p_vaddr)
      return acnn_elf_damaged(c, "segment %zu has bad sizes", i);
    /* The loader maps the span from the first segment to the last and then
     * each segment at a fixed address: out of order, one lands elsewhere. */
    if (last_load && p->p_vaddr < last_load->p_vaddr + last_load->p_memsz)
      return acnn_elf_damaged(c, "segment %zu overlaps or precedes the one before it", i);
    last_load = p;
  }
  if (!last_load)
    return acnn_elf_damaged(c, "no loadable segment");
  uint64_t page = 4096;
  for (size_t i = 0; i < c->num_phdrs; ++i)
    if (c->phdrs[i].p_type == PT_LOAD && c->phdrs[i].p_align > page)
      page = c->phdrs[i].p_align;
  if (page & (page - 1) || page > ((uint64_t)1 << 30))
    return acnn_elf_damaged(c, "segment alignment %llu is not a power of two",
                            (unsigned long long)page);
  uint64_t span_end = (last_load->p_vaddr + last_load->p_memsz + page - 1) & ~(page - 1);
  for (size_t i = 0; i < c->num_phdrs; ++i) {
    const Phdr *p = &c->phdrs[i];
    /* What the loader reads or write-protects: a TLS initialisation image
     * (an all-zero .tbss has none), the RELRO span (lld rounds its end up
     * to a page, past the segment, but not past the mapping's end). */
    int bad = 0;
    if (p->p_type == PT_TLS && p->p_filesz > 0)
      bad = !segment_of(c, p->p_vaddr, p->p_filesz, 0);
    if (p->p_type == PT_GNU_RELRO)
      bad = !segment_of(c, p->p_vaddr, 0, 0) || p->p_memsz > span_end - p->p_vaddr;
    if (p->p_type == PT_DYNAMIC)
      bad = !acnn_elf_mapped(c, p->p_vaddr, p->p_filesz, DYNAMIC_FLAGS);
    if (bad)
      return acnn_elf_damaged(c, "segment %zu is outside the loadable segments", i);
  }
  if (!dynamic)
    return acnn_elf_invalid(c, "not a shared library (no dynamic section)");
  acnn_status status = acnn_elf_load(c, "dynamic section", dynamic->p_vaddr, dynamic->p_filesz,
                                     (void **)&c->dynamic);
  if (status != ACNN_OK)
    return status;
  c->num_dynamic = dynamic->p_filesz / sizeof(Dyn);
  return ACNN_OK;
}

acnn_status acnn_elf_read_dynamic(checker *c) {
  size_t n = 0;
  for (; n < c->num_dynamic && c->dynamic[n].d_tag != DT_NULL; ++n) {
    Sxword tag = c->dynamic[n].d_tag;
    uint64_t value = c->dynamic[n].d_un.d_val;
    if (tag >= 0 && tag < LOW_TAGS)
      c->tags[tag] = value;
    else if (tag == DT_GNU_HASH)
      c->gnu_hash = value;
    else if (tag == DT_VERSYM)
      c->versym = value;
    else if (tag == DT_VERNEED)
      c->verneed = value;
    else if (tag == DT_VERDEF)
      c->verdef = value;
    else if (tag == DT_RELACOUNT)
      c->relative_counts[0] = value;
    else if (tag == DT_RELCOUNT)
      c->relative_counts[1] = value;
  }
  if (n == c->num_dynamic)
    return acnn_elf_damaged(c, "the dynamic table has no end");
  c->num_dynamic = n;
  /* glibc asserts on these, which aborts the program. */
  struct {
    int table, entry;
    size_t size;
  } sizes[] = {{DT_RELA, DT_RELAENT, sizeof(Rela)},
               {DT_REL, DT_RELENT, sizeof(Rel)},
               {DT_RELR, DT_RELRENT, WORD},
               {DT_SYMTAB, DT_SYMENT, sizeof(Sym)}};
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes; ++i) {
    int has_table = 0, has_entry = 0;
    for (size_t j = 0; j < n; ++j) {
      has_table |= c->dynamic[j].d_tag == sizes[i].table;
      has_entry |= c->dynamic[j].d_tag == sizes[i].entry;
    }
    if ((has_table && sizes[i].table != DT_SYMTAB && !has_entry) ||
        (has_entry && c->tags[sizes[i].entry] != sizes[i].size))
      return acnn_elf_damaged(c, "dynamic entry %d says tables of entry size %llu", sizes[i].entry,
                              (unsigned long long)c->tags[sizes[i].entry]);
  }
  for (size_t j = 0; j < n; ++j)
    if (c->dynamic[j].d_tag == DT_PLTREL && c->tags[DT_PLTREL] != DT_RELA &&
        c->tags[DT_PLTREL] != DT_REL)
      return acnn_elf_damaged(c, "bad DT_PLTREL %llu", (unsigned long long)c->tags[DT_PLTREL]);
  /* The loader reads an entry of these groups when it sees another, without
   * checking it is there: all or none. */
  static const int groups[][3] = {{DT_RELA, DT_RELASZ, DT_RELA},
                                  {DT_REL, DT_RELSZ, DT_REL},
                                  {DT_JMPREL, DT_PLTRELSZ, DT_PLTREL},
                                  {DT_RELR, DT_RELRSZ, DT_RELR},
                                  {DT_INIT_ARRAY, DT_INIT_ARRAYSZ, DT_INIT_ARRAY},
                                  {DT_FINI_ARRAY, DT_FINI_ARRAYSZ, DT_FINI_ARRAY}};
  for (size_t i = 0; i < sizeof groups / sizeof *groups; ++i) {
    int present[3] = {0, 0, 0};
    for (size_t j = 0; j < n; ++j)
      for (int k = 0; k < 3; ++k)
        present[k] |= c->dynamic[j].d_tag == groups[i][k];
    if (present[0] != present[1] || present[0] != present[2])
      return acnn_elf_damaged(c, "dynamic entries %d and %d come apart", groups[i][0],
                              groups[i][1]);
  }
  return ACNN_OK;
}

int acnn_elf_has_tag(const checker *c, Sxword tag) {
  for (size_t i = 0; i < c->num_dynamic; ++i)
    if (c->dynamic[i].d_tag == tag)
      return 1;
  return 0;
}

acnn_status acnn_elf_check_strings(checker *c) {
  if (!acnn_elf_has_tag(c, DT_STRTAB) || !acnn_elf_has_tag(c, DT_STRSZ) ||
      !acnn_elf_has_tag(c, DT_SYMTAB))
    return acnn_elf_damaged(c, "no dynamic symbol or string table");
  c->strsz = c->tags[DT_STRSZ];
  acnn_status status =
      acnn_elf_load(c, "string table", c->tags[DT_STRTAB], c->strsz, (void **)&c->strtab);
  if (status != ACNN_OK)
    return status;
  /* Then every offset inside it names a terminated string. */
  if (c->strsz == 0 || c->strtab[c->strsz - 1] != '\0')
    return acnn_elf_damaged(c, "the string table does not end with a NUL");
  for (size_t i = 0; i < c->num_dynamic; ++i) {
    Sxword tag = c->dynamic[i].d_tag;
    if ((tag == DT_NEEDED || tag == DT_SONAME || tag == DT_RPATH || tag == DT_RUNPATH ||
         tag == DT_AUXILIARY || tag == DT_FILTER) &&
        c->dynamic[i].d_un.d_val >= c->strsz)
      return acnn_elf_damaged(c, "dynamic entry %zu names a string outside the string table", i);
  }
  return ACNN_OK;
}
