/* The dynamic symbols the loader reads, counted from the hash tables, and
 * their version tables. */
#include "elf_checker.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

static acnn_status read_word(const checker *c, uint64_t addr, uint32_t *out) {
  void *word;
  acnn_status status = acnn_elf_load(c, "hash table", addr, 4, &word);
  if (status == ACNN_OK)
    memcpy(out, word, 4);
  free(word);
  return status;
}

/* The number of dynamic symbols, from a hash table, which the loader walks
 * on every lookup. */
acnn_status acnn_elf_count_symbols(checker *c) {
  uint32_t *table = NULL;
  acnn_status status;
  if (c->gnu_hash) {
    uint32_t head[4]; /* buckets, first hashed symbol, bloom words, bloom shift */
    void *raw;
    if ((status = acnn_elf_load(c, "GNU hash table", c->gnu_hash, sizeof head, &raw)) != ACNN_OK)
      return status;
    memcpy(head, raw, sizeof head);
    free(raw);
    uint32_t nbuckets = head[0], first = head[1], bloom = head[2];
    /* The loader divides by the bucket count and masks with bloom - 1. */
    if (nbuckets == 0 || bloom == 0 || (bloom & (bloom - 1)) != 0)
      return acnn_elf_damaged(c, "bad GNU hash table (%u buckets, %u bloom words)", nbuckets,
                              bloom);
    uint64_t buckets = c->gnu_hash + sizeof head + (uint64_t)bloom * WORD;
    if ((status = acnn_elf_load(c, "GNU hash table", buckets, (uint64_t)nbuckets * 4,
                                (void **)&table)) != ACNN_OK)
      return status;
    uint32_t last = 0;
    for (uint32_t i = 0; i < nbuckets; ++i) {
      if (table[i] && table[i] < first) {
        free(table);
        return acnn_elf_damaged(c, "bad GNU hash table (bucket %u)", i);
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
  } else if (acnn_elf_has_tag(c, DT_HASH)) {
    uint32_t head[2]; /* buckets, chain entries (= symbols) */
    if ((status = read_word(c, c->tags[DT_HASH], &head[0])) != ACNN_OK ||
        (status = read_word(c, c->tags[DT_HASH] + 4, &head[1])) != ACNN_OK)
      return status;
    uint64_t entries = (uint64_t)head[0] + head[1];
    if (head[0] == 0)
      return acnn_elf_damaged(c, "bad hash table (no buckets)");
    if ((status = acnn_elf_load(c, "hash table", c->tags[DT_HASH] + 8, entries * 4,
                                (void **)&table)) != ACNN_OK)
      return status;
    /* Every chain must end (at 0) without revisiting a symbol. */
    unsigned char *seen = calloc(head[1] ? head[1] : 1, 1);
    status = seen ? ACNN_OK : acnn_fail(ACNN_ERROR_OUT_OF_MEMORY, "out of memory");
    for (uint32_t b = 0; status == ACNN_OK && b < head[0]; ++b)
      for (uint32_t s = table[b]; status == ACNN_OK && s != 0; s = table[head[0] + s])
        if (s >= head[1] || seen[s]++)
          status = acnn_elf_damaged(c, "bad hash table (chain of bucket %u)", b);
    free(seen);
    free(table);
    c->num_symbols = head[1];
    if (status != ACNN_OK)
      return status;
  } else {
    return acnn_elf_damaged(c, "no symbol hash table");
  }
  return ACNN_OK;
}

/* The symbols the loader reads: those the hash table reaches and those
 * relocations name (a GNU hash table leaves out the undefined ones). */
acnn_status acnn_elf_load_symbols(checker *c) {
  return acnn_elf_load(c, "symbol table", c->tags[DT_SYMTAB], c->num_symbols * sizeof(Sym),
                       (void **)&c->symbols);
}

/* Version tables: the loader indexes an array by the indices they hold. */
acnn_status acnn_elf_check_versions(checker *c) {
  acnn_status status = ACNN_OK;
  void *raw = NULL;
  for (uint64_t at = c->verneed; at && status == ACNN_OK;) {
    Verneed need;
    if ((status = acnn_elf_load(c, "version needs", at, sizeof need, &raw)) != ACNN_OK)
      break;
    memcpy(&need, raw, sizeof need);
    free(raw);
    raw = NULL;
    if (need.vn_version != 1 || need.vn_file >= c->strsz)
      return acnn_elf_damaged(c, "bad version need at 0x%llx", (unsigned long long)at);
    for (uint64_t aux = at + need.vn_aux; need.vn_cnt > 0;) {
      Vernaux a;
      if ((status = acnn_elf_load(c, "version needs", aux, sizeof a, &raw)) != ACNN_OK)
        return status;
      memcpy(&a, raw, sizeof a);
      free(raw);
      raw = NULL;
      if (a.vna_name >= c->strsz)
        return acnn_elf_damaged(c, "bad version need at 0x%llx", (unsigned long long)aux);
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
    if ((status = acnn_elf_load(c, "version definitions", at, sizeof def, &raw)) != ACNN_OK)
      break;
    memcpy(&def, raw, sizeof def);
    free(raw);
    raw = NULL;
    if (def.vd_version != 1)
      return acnn_elf_damaged(c, "bad version definition at 0x%llx", (unsigned long long)at);
    if ((def.vd_ndx & 0x7fff) > c->max_version)
      c->max_version = def.vd_ndx & 0x7fff;
    if (def.vd_cnt > 0) {
      Verdaux a;
      if ((status = acnn_elf_load(c, "version definitions", at + def.vd_aux, sizeof a, &raw)) !=
          ACNN_OK)
        return status;
      memcpy(&a, raw, sizeof a);
      free(raw);
      raw = NULL;
      if (a.vda_name >= c->strsz)
        return acnn_elf_damaged(c, "bad version definition at 0x%llx", (unsigned long long)at);
    }
    at = def.vd_next ? at + def.vd_next : 0;
  }
  if (status != ACNN_OK || !c->versym)
    return status;
  uint16_t *versym;
  if ((status = acnn_elf_load(c, "symbol versions", c->versym, c->num_symbols * 2,
                              (void **)&versym)) != ACNN_OK)
    return status;
  for (uint64_t i = 0; i < c->num_symbols && status == ACNN_OK; ++i)
    if ((versym[i] & 0x7fff) > (c->max_version > 1 ? c->max_version : 1))
      status = acnn_elf_damaged(c, "symbol %llu has version %u, which is not defined",
                                (unsigned long long)i, versym[i] & 0x7fff);
  free(versym);
  return status;
}

acnn_status acnn_elf_check_symbols(const checker *c) {
  for (uint64_t i = 0; i < c->num_symbols; ++i) {
    const Sym *s = &c->symbols[i];
    if (s->st_name >= c->strsz)
      return acnn_elf_damaged(c, "symbol %llu's name is outside the string table",
                              (unsigned long long)i);
    int type = ST_TYPE(s->st_info);
    if (s->st_shndx == SHN_UNDEF || s->st_shndx >= SHN_LORESERVE || type == STT_TLS)
      continue;
    if (!acnn_elf_mapped(c, s->st_value, s->st_size, type == STT_GNU_IFUNC ? PF_X : 0))
      return acnn_elf_damaged(c, "symbol '%s' is outside its segments", c->strtab + s->st_name);
  }
  return ACNN_OK;
}
