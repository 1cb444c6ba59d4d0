/* Checking a shared-library model's file before dlopen. glibc's loader
 * trusts the file: it maps segments that run past the end of a truncated
 * file (the first touch is a SIGBUS), follows table addresses and indices
 * without bounds, asserts on odd entry sizes and calls whatever its init
 * arrays name. An interrupted copy or a damaged download would crash the
 * program in acnn_model_open. Here every structure the loader walks is
 * bounds-checked against the file and its segments first. What cannot be
 * checked is the bytes themselves: damaged code or data still loads. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pread, O_CLOEXEC */
#endif
#include "library.h"
#include "error.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The ELF flavour of this build: only it can be loaded into this process. */
#if UINTPTR_MAX > 0xffffffffu
#define NATIVE_CLASS ELFCLASS64
#define ELF(type) Elf64_##type
#define R_SYM(info) ELF64_R_SYM(info)
#define R_TYPE(info) ELF64_R_TYPE(info)
#define ST_TYPE(info) ELF64_ST_TYPE(info)
#else
#define NATIVE_CLASS ELFCLASS32
#define ELF(type) Elf32_##type
#define R_SYM(info) ELF32_R_SYM(info)
#define R_TYPE(info) ELF32_R_TYPE(info)
#define ST_TYPE(info) ELF32_ST_TYPE(info)
#endif
typedef ELF(Ehdr) Ehdr;
typedef ELF(Phdr) Phdr;
typedef ELF(Dyn) Dyn;
typedef ELF(Sym) Sym;
typedef ELF(Rel) Rel;
typedef ELF(Rela) Rela;
typedef ELF(Addr) Addr;
typedef ELF(Sxword) Sxword;
typedef ELF(Verneed) Verneed;
typedef ELF(Vernaux) Vernaux;
typedef ELF(Verdef) Verdef;
typedef ELF(Verdaux) Verdaux;
#define WORD sizeof(Addr)

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NATIVE_DATA ELFDATA2LSB
#else
#define NATIVE_DATA ELFDATA2MSB
#endif

/* The relocations that make the loader call or jump to an address taken
 * from the file; 0: this machine is not known here (the loader still checks
 * the machine, and those addresses go unchecked). */
#if defined(__x86_64__)
#define NATIVE_MACHINE EM_X86_64
#define RELATIVE R_X86_64_RELATIVE
#define IRELATIVE R_X86_64_IRELATIVE
#elif defined(__aarch64__)
#define NATIVE_MACHINE EM_AARCH64
#define RELATIVE R_AARCH64_RELATIVE
#define IRELATIVE R_AARCH64_IRELATIVE
#elif defined(__i386__)
#define NATIVE_MACHINE EM_386
#define RELATIVE R_386_RELATIVE
#define IRELATIVE R_386_IRELATIVE
#elif defined(__riscv)
#define NATIVE_MACHINE EM_RISCV
#define RELATIVE R_RISCV_RELATIVE
#define IRELATIVE R_RISCV_IRELATIVE
#elif defined(__powerpc64__)
#define NATIVE_MACHINE EM_PPC64
#define RELATIVE R_PPC64_RELATIVE
#define IRELATIVE R_PPC64_IRELATIVE
#else
#define NATIVE_MACHINE 0
#define RELATIVE 0
#define IRELATIVE 0
#endif

/* glibc relocates the dynamic section in place except where it is read-only
 * by ABI (MIPS, RISC-V). */
#if defined(__x86_64__) || defined(__aarch64__) || defined(__i386__) || defined(__powerpc64__)
#define DYNAMIC_FLAGS (PF_R | PF_W)
#else
#define DYNAMIC_FLAGS PF_R
#endif

/* Dynamic tags below this are kept by number; DT_RELRENT is 37. */
#define LOW_TAGS 40

typedef struct checker {
  const char *path;
  int fd;
  uint64_t size;
  Ehdr header;
  Phdr *phdrs;
  size_t num_phdrs;
  Dyn *dynamic;
  size_t num_dynamic;
  uint64_t tags[LOW_TAGS]; /* by tag, 0 when absent */
  uint64_t gnu_hash, versym, verneed, verdef;
  uint64_t relative_counts[2]; /* DT_RELACOUNT, DT_RELCOUNT; 0 when absent */
  char *strtab;
  uint64_t strsz;
  Addr *relr; /* DT_RELR's entries */
  uint64_t num_relr;
  Sym *symbols;
  uint64_t num_symbols;
  unsigned max_version; /* the highest version index the tables define */
} checker;

static acnn_status refuse(const checker *c, const char *prefix, const char *fmt, va_list args) {
  char what[320];
  vsnprintf(what, sizeof what, fmt, args);
  return acnn_fail(ACNN_ERROR_INVALID_MODEL, "cannot load model %s: %s%s", c->path, prefix, what);
}

/* The file holds something that is not a loadable library. */
static acnn_status __attribute__((format(printf, 2, 3)))
invalid(const checker *c, const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  acnn_status status = refuse(c, "", fmt, args);
  va_end(args);
  return status;
}

/* A library whose structure does not hold together. */
static acnn_status __attribute__((format(printf, 2, 3)))
damaged(const checker *c, const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  acnn_status status = refuse(c, "the library is damaged: ", fmt, args);
  va_end(args);
  return status;
}

static acnn_status truncated(const checker *c, const char *what, uint64_t end) {
  return invalid(c, "the file is truncated: %s ends at byte %llu, the file has %llu bytes", what,
                 (unsigned long long)end, (unsigned long long)c->size);
}

static int in_file(const checker *c, uint64_t offset, uint64_t bytes) {
  return offset <= c->size && bytes <= c->size - offset;
}

static acnn_status read_at(const checker *c, uint64_t offset, void *buf, uint64_t bytes) {
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

/* Whether the image maps [addr, addr + bytes) in one segment with `flags`. */
static int mapped(const checker *c, uint64_t addr, uint64_t bytes, int flags) {
  const Phdr *p = segment_of(c, addr, bytes, 0);
  return p && ((int)p->p_flags & flags) == flags;
}

/* Reads [addr, addr + bytes) of the image into a new buffer, if the file
 * holds it. */
static acnn_status load(const checker *c, const char *what, uint64_t addr, uint64_t bytes,
                        void **out) {
  *out = NULL;
  const Phdr *p = segment_of(c, addr, bytes, 1);
  if (!p)
    return damaged(c, "its %s (%llu bytes at 0x%llx) is outside its segments", what,
                   (unsigned long long)bytes, (unsigned long long)addr);
  *out = malloc(bytes ? bytes : 1);
  if (!*out)
    return acnn_fail(ACNN_ERROR_OUT_OF_MEMORY, "out of memory checking model %s", c->path);
  return read_at(c, p->p_offset + (addr - p->p_vaddr), *out, bytes);
}

static acnn_status check_header(checker *c) {
  struct stat st;
  if (fstat(c->fd, &st) != 0)
    return acnn_fail(ACNN_ERROR_IO, "cannot load model %s: %s", c->path, strerror(errno));
  if (S_ISDIR(st.st_mode))
    return acnn_fail(ACNN_ERROR_IO, "cannot load model %s: it is a directory", c->path);
  if (!S_ISREG(st.st_mode))
    return acnn_fail(ACNN_ERROR_IO, "cannot load model %s: not a regular file", c->path);
  c->size = (uint64_t)st.st_size;
  if (c->size == 0)
    return invalid(c, "the file is empty");
  unsigned char magic[SELFMAG];
  if (c->size < SELFMAG)
    return invalid(c, "not a shared library (no ELF header)");
  acnn_status status = read_at(c, 0, magic, SELFMAG);
  if (status != ACNN_OK)
    return status;
  if (memcmp(magic, ELFMAG, SELFMAG) != 0)
    return invalid(c, "not a shared library (no ELF header)");
  if (c->size < sizeof c->header)
    return truncated(c, "the ELF header", sizeof c->header);
  Ehdr *h = &c->header;
  if ((status = read_at(c, 0, h, sizeof *h)) != ACNN_OK)
    return status;
  if (h->e_ident[EI_CLASS] != NATIVE_CLASS)
    return invalid(c, "built for %s-bit programs, this one is %d-bit",
                   h->e_ident[EI_CLASS] == ELFCLASS32   ? "32"
                   : h->e_ident[EI_CLASS] == ELFCLASS64 ? "64"
                                                        : "unknown",
                   NATIVE_CLASS == ELFCLASS64 ? 64 : 32);
  if (h->e_ident[EI_DATA] != NATIVE_DATA)
    return invalid(c, "built for a machine of the other byte order");
  if (NATIVE_MACHINE && h->e_machine != NATIVE_MACHINE)
    return invalid(c, "built for another machine (ELF machine %u, this one is %u)",
                   (unsigned)h->e_machine, (unsigned)NATIVE_MACHINE);
  if (h->e_type != ET_DYN)
    return invalid(c, "not a shared library (ELF type %u)", (unsigned)h->e_type);
  if (h->e_phentsize != sizeof(Phdr) || h->e_phnum == 0 || h->e_phnum == PN_XNUM)
    return damaged(c, "bad program header table (%u entries of %u bytes)", (unsigned)h->e_phnum,
                   (unsigned)h->e_phentsize);
  c->num_phdrs = h->e_phnum;
  uint64_t bytes = c->num_phdrs * sizeof(Phdr);
  if (!in_file(c, h->e_phoff, bytes))
    return truncated(c, "the program header table", (uint64_t)h->e_phoff + bytes);
  /* The loader ignores sections, but a file cut short there is no less cut. */
  uint64_t sections = (uint64_t)h->e_shnum * h->e_shentsize;
  if (h->e_shnum && !in_file(c, h->e_shoff, sections))
    return truncated(c, "the section header table", (uint64_t)h->e_shoff + sections);
  if (!(c->phdrs = malloc(bytes)))
    return acnn_fail(ACNN_ERROR_OUT_OF_MEMORY, "out of memory checking model %s", c->path);
  return read_at(c, h->e_phoff, c->phdrs, bytes);
}

static acnn_status check_segments(checker *c) {
  const Phdr *dynamic = NULL, *last_load = NULL;
  for (size_t i = 0; i < c->num_phdrs; ++i) {
    const Phdr *p = &c->phdrs[i];
    if (p->p_type != PT_NULL && !in_file(c, p->p_offset, p->p_filesz)) {
      char what[64];
      snprintf(what, sizeof what, "segment %zu", i);
      return truncated(c, what, (uint64_t)p->p_offset + p->p_filesz);
    }
    if (p->p_type == PT_DYNAMIC)
      dynamic = p;
    if (p->p_type != PT_LOAD)
      continue;
    if (p->p_filesz > p->p_memsz || p->p_memsz > UINTPTR_MAX - p->p_vaddr)
      return damaged(c, "segment %zu has bad sizes", i);
    /* The loader maps the span from the first segment to the last and then
     * each segment at a fixed address: out of order, one lands elsewhere. */
    if (last_load && p->p_vaddr < last_load->p_vaddr + last_load->p_memsz)
      return damaged(c, "segment %zu overlaps or precedes the one before it", i);
    last_load = p;
  }
  if (!last_load)
    return damaged(c, "no loadable segment");
  uint64_t page = 4096;
  for (size_t i = 0; i < c->num_phdrs; ++i)
    if (c->phdrs[i].p_type == PT_LOAD && c->phdrs[i].p_align > page)
      page = c->phdrs[i].p_align;
  if (page & (page - 1) || page > ((uint64_t)1 << 30))
    return damaged(c, "segment alignment %llu is not a power of two", (unsigned long long)page);
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
      bad = !mapped(c, p->p_vaddr, p->p_filesz, DYNAMIC_FLAGS);
    if (bad)
      return damaged(c, "segment %zu is outside the loadable segments", i);
  }
  if (!dynamic)
    return invalid(c, "not a shared library (no dynamic section)");
  acnn_status status =
      load(c, "dynamic section", dynamic->p_vaddr, dynamic->p_filesz, (void **)&c->dynamic);
  if (status != ACNN_OK)
    return status;
  c->num_dynamic = dynamic->p_filesz / sizeof(Dyn);
  return ACNN_OK;
}

static acnn_status read_dynamic(checker *c) {
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
    return damaged(c, "the dynamic table has no end");
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
      return damaged(c, "dynamic entry %d says tables of entry size %llu", sizes[i].entry,
                     (unsigned long long)c->tags[sizes[i].entry]);
  }
  for (size_t j = 0; j < n; ++j)
    if (c->dynamic[j].d_tag == DT_PLTREL && c->tags[DT_PLTREL] != DT_RELA &&
        c->tags[DT_PLTREL] != DT_REL)
      return damaged(c, "bad DT_PLTREL %llu", (unsigned long long)c->tags[DT_PLTREL]);
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
      return damaged(c, "dynamic entries %d and %d come apart", groups[i][0], groups[i][1]);
  }
  return ACNN_OK;
}

static int has_tag(const checker *c, Sxword tag) {
  for (size_t i = 0; i < c->num_dynamic; ++i)
    if (c->dynamic[i].d_tag == tag)
      return 1;
  return 0;
}

static acnn_status check_strings(checker *c) {
  if (!has_tag(c, DT_STRTAB) || !has_tag(c, DT_STRSZ) || !has_tag(c, DT_SYMTAB))
    return damaged(c, "no dynamic symbol or string table");
  c->strsz = c->tags[DT_STRSZ];
  acnn_status status = load(c, "string table", c->tags[DT_STRTAB], c->strsz, (void **)&c->strtab);
  if (status != ACNN_OK)
    return status;
  /* Then every offset inside it names a terminated string. */
  if (c->strsz == 0 || c->strtab[c->strsz - 1] != '\0')
    return damaged(c, "the string table does not end with a NUL");
  for (size_t i = 0; i < c->num_dynamic; ++i) {
    Sxword tag = c->dynamic[i].d_tag;
    if ((tag == DT_NEEDED || tag == DT_SONAME || tag == DT_RPATH || tag == DT_RUNPATH ||
         tag == DT_AUXILIARY || tag == DT_FILTER) &&
        c->dynamic[i].d_un.d_val >= c->strsz)
      return damaged(c, "dynamic entry %zu names a string outside the string table", i);
  }
  return ACNN_OK;
}

static acnn_status read_word(const checker *c, uint64_t addr, uint32_t *out) {
  void *word;
  acnn_status status = load(c, "hash table", addr, 4, &word);
  if (status == ACNN_OK)
    memcpy(out, word, 4);
  free(word);
  return status;
}

/* The number of dynamic symbols, from a hash table, which the loader walks
 * on every lookup. */
static acnn_status count_symbols(checker *c) {
  uint32_t *table = NULL;
  acnn_status status;
  if (c->gnu_hash) {
    uint32_t head[4]; /* buckets, first hashed symbol, bloom words, bloom shift */
    void *raw;
    if ((status = load(c, "GNU hash table", c->gnu_hash, sizeof head, &raw)) != ACNN_OK)
      return status;
    memcpy(head, raw, sizeof head);
    free(raw);
    uint32_t nbuckets = head[0], first = head[1], bloom = head[2];
    /* The loader divides by the bucket count and masks with bloom - 1. */
    if (nbuckets == 0 || bloom == 0 || (bloom & (bloom - 1)) != 0)
      return damaged(c, "bad GNU hash table (%u buckets, %u bloom words)", nbuckets, bloom);
    uint64_t buckets = c->gnu_hash + sizeof head + (uint64_t)bloom * WORD;
    if ((status = load(c, "GNU hash table", buckets, (uint64_t)nbuckets * 4, (void **)&table)) !=
        ACNN_OK)
      return status;
    uint32_t last = 0;
    for (uint32_t i = 0; i < nbuckets; ++i) {
      if (table[i] && table[i] < first) {
        free(table);
        return damaged(c, "bad GNU hash table (bucket %u)", i);
      }
      last = table[i] > last ? table[i] : last;
    }
    free(table);
    c->num_symbols = first;
    if (last) {
      /* Chains end at an odd value; the last one ends the symbol table. */
      uint64_t chains = buckets + (uint64_t)nbuckets * 4;
      uint32_t value = 0;
      for (uint64_t i = last; !(value & 1); ++i) {
        if ((status = read_word(c, chains + (i - first) * 4, &value)) != ACNN_OK)
          return status;
        c->num_symbols = i + 1;
      }
    }
  } else if (has_tag(c, DT_HASH)) {
    uint32_t head[2]; /* buckets, chain entries (= symbols) */
    if ((status = read_word(c, c->tags[DT_HASH], &head[0])) != ACNN_OK ||
        (status = read_word(c, c->tags[DT_HASH] + 4, &head[1])) != ACNN_OK)
      return status;
    uint64_t entries = (uint64_t)head[0] + head[1];
    if (head[0] == 0)
      return damaged(c, "bad hash table (no buckets)");
    if ((status = load(c, "hash table", c->tags[DT_HASH] + 8, entries * 4, (void **)&table)) !=
        ACNN_OK)
      return status;
    /* Every chain must end (at 0) without revisiting a symbol. */
    unsigned char *seen = calloc(head[1] ? head[1] : 1, 1);
    status = seen ? ACNN_OK : acnn_fail(ACNN_ERROR_OUT_OF_MEMORY, "out of memory");
    for (uint32_t b = 0; status == ACNN_OK && b < head[0]; ++b)
      for (uint32_t s = table[b]; status == ACNN_OK && s != 0; s = table[head[0] + s])
        if (s >= head[1] || seen[s]++)
          status = damaged(c, "bad hash table (chain of bucket %u)", b);
    free(seen);
    free(table);
    c->num_symbols = head[1];
    if (status != ACNN_OK)
      return status;
  } else {
    return damaged(c, "no symbol hash table");
  }
  return ACNN_OK;
}

/* The symbols the loader reads: those the hash table reaches and those
 * relocations name (a GNU hash table leaves out the undefined ones). */
static acnn_status load_symbols(checker *c) {
  return load(c, "symbol table", c->tags[DT_SYMTAB], c->num_symbols * sizeof(Sym),
              (void **)&c->symbols);
}

/* Version tables: the loader indexes an array by the indices they hold. */
static acnn_status check_versions(checker *c) {
  acnn_status status = ACNN_OK;
  void *raw = NULL;
  for (uint64_t at = c->verneed; at && status == ACNN_OK;) {
    Verneed need;
    if ((status = load(c, "version needs", at, sizeof need, &raw)) != ACNN_OK)
      break;
    memcpy(&need, raw, sizeof need);
    free(raw);
    raw = NULL;
    if (need.vn_version != 1 || need.vn_file >= c->strsz)
      return damaged(c, "bad version need at 0x%llx", (unsigned long long)at);
    for (uint64_t aux = at + need.vn_aux; need.vn_cnt > 0;) {
      Vernaux a;
      if ((status = load(c, "version needs", aux, sizeof a, &raw)) != ACNN_OK)
        return status;
      memcpy(&a, raw, sizeof a);
      free(raw);
      raw = NULL;
      if (a.vna_name >= c->strsz)
        return damaged(c, "bad version need at 0x%llx", (unsigned long long)aux);
      if ((a.vna_other & 0x7fff) > c->max_version)
        c->max_version = a.vna_other & 0x7fff;
      if (!a.vna_next)
        break;
      aux += a.vna_next;
    }
    at = need.vn_next ? at + need.vn_next : 0;
  }
  for (uint64_t at = c->verdef; at && status == ACNN_OK;) {
    Verdef def;
    if ((status = load(c, "version definitions", at, sizeof def, &raw)) != ACNN_OK)
      break;
    memcpy(&def, raw, sizeof def);
    free(raw);
    raw = NULL;
    if (def.vd_version != 1)
      return damaged(c, "bad version definition at 0x%llx", (unsigned long long)at);
    if ((def.vd_ndx & 0x7fff) > c->max_version)
      c->max_version = def.vd_ndx & 0x7fff;
    if (def.vd_cnt > 0) {
      Verdaux a;
      if ((status = load(c, "version definitions", at + def.vd_aux, sizeof a, &raw)) != ACNN_OK)
        return status;
      memcpy(&a, raw, sizeof a);
      free(raw);
      raw = NULL;
      if (a.vda_name >= c->strsz)
        return damaged(c, "bad version definition at 0x%llx", (unsigned long long)at);
    }
    at = def.vd_next ? at + def.vd_next : 0;
  }
  if (status != ACNN_OK || !c->versym)
    return status;
  uint16_t *versym;
  if ((status = load(c, "symbol versions", c->versym, c->num_symbols * 2, (void **)&versym)) !=
      ACNN_OK)
    return status;
  for (uint64_t i = 0; i < c->num_symbols && status == ACNN_OK; ++i)
    if ((versym[i] & 0x7fff) > (c->max_version > 1 ? c->max_version : 1))
      status = damaged(c, "symbol %llu has version %u, which is not defined", (unsigned long long)i,
                       versym[i] & 0x7fff);
  free(versym);
  return status;
}

static acnn_status check_symbols(const checker *c) {
  for (uint64_t i = 0; i < c->num_symbols; ++i) {
    const Sym *s = &c->symbols[i];
    if (s->st_name >= c->strsz)
      return damaged(c, "symbol %llu's name is outside the string table", (unsigned long long)i);
    int type = ST_TYPE(s->st_info);
    if (s->st_shndx == SHN_UNDEF || s->st_shndx >= SHN_LORESERVE || type == STT_TLS)
      continue;
    if (!mapped(c, s->st_value, s->st_size, type == STT_GNU_IFUNC ? PF_X : 0))
      return damaged(c, "symbol '%s' is outside its segments", c->strtab + s->st_name);
  }
  return ACNN_OK;
}

/* One relocation table's entries, as (offset, type, symbol, addend). */
typedef struct relocs {
  uint64_t count;
  void *entries;
  int with_addend;
} relocs;

static void reloc_at(const relocs *r, uint64_t i, uint64_t *offset, uint64_t *info, int64_t *addend,
                     const void *image_word) {
  if (r->with_addend) {
    const Rela *e = (const Rela *)r->entries + i;
    *offset = e->r_offset;
    *info = e->r_info;
    *addend = e->r_addend;
  } else {
    const Rel *e = (const Rel *)r->entries + i;
    *offset = e->r_offset;
    *info = e->r_info;
    *addend = image_word ? (int64_t) * (const Addr *)image_word : 0;
  }
}

/* Walks DT_RELR's entries: an even one is an address to relocate, each odd
 * one after it a bitmap of the 8 * WORD - 1 words that follow. With `addr`
 * 0: whether every word they relocate is writable; else: whether they
 * relocate the word at `addr`. */
static int relr_walk(const checker *c, uint64_t addr) {
  uint64_t where = 0;
  for (uint64_t i = 0; i < c->num_relr; ++i) {
    if (!(c->relr[i] & 1)) {
      if (addr ? addr == c->relr[i] : !mapped(c, c->relr[i], WORD, PF_W))
        return addr != 0;
      where = c->relr[i] + WORD;
      continue;
    }
    for (unsigned bit = 1; bit < 8 * WORD; ++bit) {
      uint64_t word = where + (bit - 1) * WORD;
      if ((c->relr[i] >> bit) & 1 && (addr ? addr == word : !mapped(c, word, WORD, PF_W)))
        return addr != 0;
    }
    where += (8 * WORD - 1) * WORD;
  }
  return addr == 0;
}

static acnn_status check_relocs(checker *c, relocs *tables, size_t num_tables) {
  /* Only a library marked as relocating its text gets read-only segments
   * made writable while the loader relocates. */
  int textrel = has_tag(c, DT_TEXTREL) || (has_tag(c, DT_FLAGS) && c->tags[DT_FLAGS] & DF_TEXTREL);
  int writes = textrel ? 0 : PF_W;
  static const struct {
    int table, size, rela;
  } kinds[] = {{DT_RELA, DT_RELASZ, 1}, {DT_REL, DT_RELSZ, 0}, {DT_JMPREL, DT_PLTRELSZ, -1}};
  for (size_t k = 0; k < num_tables; ++k) {
    if (!has_tag(c, kinds[k].table))
      continue;
    relocs *r = &tables[k];
    r->with_addend = kinds[k].rela >= 0 ? kinds[k].rela : c->tags[DT_PLTREL] == DT_RELA;
    size_t entry = r->with_addend ? sizeof(Rela) : sizeof(Rel);
    uint64_t bytes = c->tags[kinds[k].size];
    acnn_status status = load(c, "relocation table", c->tags[kinds[k].table], bytes, &r->entries);
    if (status != ACNN_OK)
      return status;
    r->count = bytes / entry;
    /* glibc applies the first DT_RELACOUNT (DT_RELCOUNT) entries, as many
     * as there are, as relative relocations, asserting that they are. */
    uint64_t relative = kinds[k].rela >= 0 ? c->relative_counts[!kinds[k].rela] : 0;
    for (uint64_t i = 0; i < r->count; ++i) {
      uint64_t offset, info;
      int64_t addend;
      reloc_at(r, i, &offset, &info, &addend, NULL);
      if (i < relative && RELATIVE && R_TYPE(info) != RELATIVE)
        return damaged(c, "relocation %llu is counted as relative but is not",
                       (unsigned long long)i);
      if (!mapped(c, offset, WORD, writes))
        return damaged(c, "relocation %llu writes outside its writable segments",
                       (unsigned long long)i);
      if (R_SYM(info) >= c->num_symbols)
        c->num_symbols = (uint64_t)R_SYM(info) + 1;
      /* The loader calls an IRELATIVE addend at load time. */
      if (IRELATIVE && r->with_addend && R_TYPE(info) == IRELATIVE &&
          !mapped(c, (uint64_t)addend, 1, PF_X))
        return damaged(c, "relocation %llu calls outside its code", (unsigned long long)i);
    }
  }
  if (!has_tag(c, DT_RELR))
    return ACNN_OK;
  c->num_relr = c->tags[DT_RELRSZ] / WORD;
  acnn_status status =
      load(c, "relocation table", c->tags[DT_RELR], c->num_relr * WORD, (void **)&c->relr);
  if (status == ACNN_OK && !relr_walk(c, 0))
    status = damaged(c, "a relative relocation is outside its segments");
  return status;
}

/* The loader calls DT_INIT, DT_FINI and every init and fini array entry:
 * each must be code of the library, after relocation. */
static acnn_status check_constructors(const checker *c, const relocs *tables, size_t num_tables) {
  if (has_tag(c, DT_INIT) && !mapped(c, c->tags[DT_INIT], 1, PF_X))
    return damaged(c, "its init function is outside its code");
  if (has_tag(c, DT_FINI) && !mapped(c, c->tags[DT_FINI], 1, PF_X))
    return damaged(c, "its fini function is outside its code");
  if (!RELATIVE)
    return ACNN_OK;
  static const int arrays[][2] = {{DT_INIT_ARRAY, DT_INIT_ARRAYSZ},
                                  {DT_FINI_ARRAY, DT_FINI_ARRAYSZ}};
  for (size_t a = 0; a < 2; ++a) {
    if (!has_tag(c, arrays[a][0]))
      continue;
    uint64_t start = c->tags[arrays[a][0]], count = c->tags[arrays[a][1]] / WORD;
    Addr *slots;
    acnn_status status = load(c, "init or fini array", start, count * WORD, (void **)&slots);
    for (uint64_t s = 0; status == ACNN_OK && s < count; ++s) {
      /* An entry no relocation moves is called at its link-time address. */
      uint64_t slot = start + s * WORD, target = slots[s];
      int relocated = 0, symbolic = 0;
      for (size_t k = 0; k < num_tables; ++k)
        for (uint64_t i = 0; i < tables[k].count; ++i) {
          uint64_t offset, info;
          int64_t addend;
          reloc_at(&tables[k], i, &offset, &info, &addend, &slots[s]);
          if (offset != slot)
            continue;
          relocated = 1;
          if (R_TYPE(info) == RELATIVE)
            target = (uint64_t)addend;
          else
            symbolic = 1; /* resolved by name: not known here */
        }
      relocated = relocated || relr_walk(c, slot);
      if (!relocated || (!symbolic && !mapped(c, target, 1, PF_X)))
        status =
            damaged(c, "init or fini array entry %llu is outside its code", (unsigned long long)s);
    }
    free(slots);
    if (status != ACNN_OK)
      return status;
  }
  return ACNN_OK;
}

static acnn_status check(checker *c) {
  acnn_status status = check_header(c);
  if (status == ACNN_OK)
    status = check_segments(c);
  if (status == ACNN_OK)
    status = read_dynamic(c);
  if (status == ACNN_OK)
    status = check_strings(c);
  if (status == ACNN_OK)
    status = count_symbols(c);
  relocs tables[3] = {{0}};
  if (status == ACNN_OK)
    status = check_relocs(c, tables, 3);
  if (status == ACNN_OK)
    status = load_symbols(c);
  if (status == ACNN_OK)
    status = check_versions(c);
  if (status == ACNN_OK)
    status = check_symbols(c);
  if (status == ACNN_OK)
    status = check_constructors(c, tables, 3);
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
