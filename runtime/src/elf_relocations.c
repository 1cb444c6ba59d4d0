/* Relocations and init/fini arrays: the addresses the loader writes to, and
 * those it calls or jumps to. */
#include "elf_checker.h"

#include <stdlib.h>

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
      if (addr ? addr == c->relr[i] : !acnn_elf_mapped(c, c->relr[i], WORD, PF_W))
        return addr != 0;
      where = c->relr[i] + WORD;
      continue;
    }
    for (unsigned bit = 1; bit < 8 * WORD; ++bit) {
      uint64_t word = where + (bit - 1) * WORD;
      if ((c->relr[i] >> bit) & 1 && (addr ? addr == word : !acnn_elf_mapped(c, word, WORD, PF_W)))
        return addr != 0;
    }
    where += (8 * WORD - 1) * WORD;
  }
  return addr == 0;
}

acnn_status acnn_elf_check_relocs(checker *c, relocs *tables, size_t num_tables) {
  /* Only a library marked as relocating its text gets read-only segments
   * made writable while the loader relocates. */
  int textrel = acnn_elf_has_tag(c, DT_TEXTREL) ||
                (acnn_elf_has_tag(c, DT_FLAGS) && c->tags[DT_FLAGS] & DF_TEXTREL);
  int writes = textrel ? 0 : PF_W;
  static const struct {
    int table, size, rela;
  } kinds[] = {{DT_RELA, DT_RELASZ, 1}, {DT_REL, DT_RELSZ, 0}, {DT_JMPREL, DT_PLTRELSZ, -1}};
  for (size_t k = 0; k < num_tables; ++k) {
    if (!acnn_elf_has_tag(c, kinds[k].table))
      continue;
    relocs *r = &tables[k];
    r->with_addend = kinds[k].rela >= 0 ? kinds[k].rela : c->tags[DT_PLTREL] == DT_RELA;
    size_t entry = r->with_addend ? sizeof(Rela) : sizeof(Rel);
    uint64_t bytes = c->tags[kinds[k].size];
    acnn_status status =
        acnn_elf_load(c, "relocation table", c->tags[kinds[k].table], bytes, &r->entries);
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
        return acnn_elf_damaged(c, "relocation %llu is counted as relative but is not",
                                (unsigned long long)i);
      if (!acnn_elf_mapped(c, offset, WORD, writes))
        return acnn_elf_damaged(c, "relocation %llu writes outside its writable segments",
                                (unsigned long long)i);
      if (R_SYM(info) >= c->num_symbols)
        c->num_symbols = (uint64_t)R_SYM(info) + 1;
      /* The loader calls an IRELATIVE addend at load time. */
      if (IRELATIVE && r->with_addend && R_TYPE(info) == IRELATIVE &&
          !acnn_elf_mapped(c, (uint64_t)addend, 1, PF_X))
        return acnn_elf_damaged(c, "relocation %llu calls outside its code", (unsigned long long)i);
    }
  }
  if (!acnn_elf_has_tag(c, DT_RELR))
    return ACNN_OK;
  c->num_relr = c->tags[DT_RELRSZ] / WORD;
  acnn_status status =
      acnn_elf_load(c, "relocation table", c->tags[DT_RELR], c->num_relr * WORD, (void **)&c->relr);
  if (status == ACNN_OK && !relr_walk(c, 0))
    status = acnn_elf_damaged(c, "a relative relocation is outside its segments");
  return status;
}

/* The loader calls DT_INIT, DT_FINI and every init and fini array entry:
 * each must be code of the library, after relocation. */
acnn_status acnn_elf_check_constructors(const checker *c, const relocs *tables, size_t num_tables) {
  if (acnn_elf_has_tag(c, DT_INIT) && !acnn_elf_mapped(c, c->tags[DT_INIT], 1, PF_X))
    return acnn_elf_damaged(c, "its init function is outside its code");
  if (acnn_elf_has_tag(c, DT_FINI) && !acnn_elf_mapped(c, c->tags[DT_FINI], 1, PF_X))
    return acnn_elf_damaged(c, "its fini function is outside its code");
  if (!RELATIVE)
    return ACNN_OK;
  static const int arrays[][2] = {{DT_INIT_ARRAY, DT_INIT_ARRAYSZ},
                                  {DT_FINI_ARRAY, DT_FINI_ARRAYSZ}};
  for (size_t a = 0; a < 2; ++a) {
    if (!acnn_elf_has_tag(c, arrays[a][0]))
      continue;
    uint64_t start = c->tags[arrays[a][0]], count = c->tags[arrays[a][1]] / WORD;
    Addr *slots;
    acnn_status status =
        acnn_elf_load(c, "init or fini array", start, count * WORD, (void **)&slots);
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
      if (!relocated || (!symbolic && !acnn_elf_mapped(c, target, 1, PF_X)))
        status = acnn_elf_damaged(c, "init or fini array entry %llu is outside its code",
                                  (unsigned long long)s);
    }
    free(slots);
    if (status != ACNN_OK)
      return status;
  }
  return ACNN_OK;
}
