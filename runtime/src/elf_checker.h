/* The ELF structures a shared-library model is checked by before dlopen
 * (library.c): the checker's state, and the checks its files share. Each
 * check fails with a message naming the model and what is wrong. */
#ifndef ACNN_RUNTIME_ELF_CHECKER_H
#define ACNN_RUNTIME_ELF_CHECKER_H

#include "acnn/acnnrt.h"

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

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

/* One relocation table's entries, as (offset, type, symbol, addend). */
typedef struct relocs {
  uint64_t count;
  void *entries;
  int with_addend;
} relocs;

/* Runtime-internal: kept out of the symbols a program with -rdynamic exports. */
#pragma GCC visibility push(hidden)

/* Errors (elf_checker.c): the file holds something that is not a loadable
 * library; a library whose structure does not hold together; a file cut
 * short before `end`. */
acnn_status __attribute__((format(printf, 2, 3)))
acnn_elf_invalid(const checker *c, const char *fmt, ...);
acnn_status __attribute__((format(printf, 2, 3)))
acnn_elf_damaged(const checker *c, const char *fmt, ...);
acnn_status acnn_elf_truncated(const checker *c, const char *what, uint64_t end);

/* Reading the file and the image it maps (elf_checker.c). */
int acnn_elf_in_file(const checker *c, uint64_t offset, uint64_t bytes);
acnn_status acnn_elf_read_at(const checker *c, uint64_t offset, void *buf, uint64_t bytes);
/* Whether the image maps [addr, addr + bytes) in one segment with `flags`. */
int acnn_elf_mapped(const checker *c, uint64_t addr, uint64_t bytes, int flags);
/* Reads [addr, addr + bytes) of the image into a new buffer, if the file holds it. */
acnn_status acnn_elf_load(const checker *c, const char *what, uint64_t addr, uint64_t bytes,
                          void **out);
int acnn_elf_has_tag(const checker *c, Sxword tag);

/* The checks, in the order library.c runs them: the header and program
 * headers, segments, dynamic table and string table (elf_checker.c); the
 * number of symbols (elf_symbols.c); relocations (elf_relocations.c); the
 * symbols and their versions (elf_symbols.c); init and fini code
 * (elf_relocations.c). */
acnn_status acnn_elf_check_header(checker *c);
acnn_status acnn_elf_check_segments(checker *c);
acnn_status acnn_elf_read_dynamic(checker *c);
acnn_status acnn_elf_check_strings(checker *c);
acnn_status acnn_elf_count_symbols(checker *c);
acnn_status acnn_elf_load_symbols(checker *c);
acnn_status acnn_elf_check_versions(checker *c);
acnn_status acnn_elf_check_symbols(const checker *c);
acnn_status acnn_elf_check_relocs(checker *c, relocs *tables, size_t num_tables);
acnn_status acnn_elf_check_constructors(const checker *c, const relocs *tables, size_t num_tables);

#pragma GCC visibility pop

#endif
