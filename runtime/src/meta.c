#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* strdup, beyond ISO C11 */
#endif
#include "meta.h"

#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most fields a record has: "input NAME DTYPE RANK" and RANK extents. */
#define MAX_FIELDS (4 + ACNN_MAX_RANK)

/* Indexed by acnn_dtype. */
static const struct {
  const char *name;
  size_t size;
} dtypes[] = {[ACNN_F32] = {"f32", sizeof(float)}, [ACNN_I64] = {"i64", sizeof(int64_t)}};

#define NUM_DTYPES ((int)(sizeof dtypes / sizeof *dtypes))

size_t acnn_dtype_size(acnn_dtype dtype) {
  return (int)dtype >= 0 && (int)dtype < NUM_DTYPES ? dtypes[dtype].size : 0;
}

const char *acnn_dtype_name(acnn_dtype dtype) {
  return (int)dtype >= 0 && (int)dtype < NUM_DTYPES ? dtypes[dtype].name : "unknown";
}

/* One line of the metadata, split into fields. */
typedef struct record {
  int line;
  const char *text; /* the line as the model wrote it, for messages */
  size_t text_len;
  int num_fields;
  char *fields[MAX_FIELDS];
} record;

static acnn_status bad(const record *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static acnn_status bad(const record *r, const char *fmt, ...) {
  char what[256];
  va_list args;
  va_start(args, fmt);
  vsnprintf(what, sizeof what, fmt, args);
  va_end(args);
  int shown = r->text_len > 80 ? 80 : (int)r->text_len;
  return acnn_fail(ACNN_ERROR_INVALID_MODEL, "model metadata line %d ('%.*s%s'): %s", r->line,
                   shown, r->text, r->text_len > 80 ? "..." : "", what);
}

static acnn_status out_of_memory(void) {
  return acnn_fail(ACNN_ERROR_OUT_OF_MEMORY, "out of memory while reading model metadata");
}

/* Splits `line` in place at single spaces. Raw control and non-ASCII bytes
 * are rejected: a writer must percent-encode them. */
static acnn_status split(char *line, record *r) {
  r->num_fields = 0;
  if (!*line)
    return ACNN_OK;
  for (char *p = line;; ++p) {
    if (r->num_fields == MAX_FIELDS)
      return bad(r, "more than %d fields", MAX_FIELDS);
    r->fields[r->num_fields++] = p;
    for (; *p && *p != ' '; ++p)
      if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
        return bad(r, "unexpected byte 0x%02X", (unsigned char)*p);
    if (p == r->fields[r->num_fields - 1])
      return bad(r, "fields must be separated by single spaces");
    if (!*p)
      return ACNN_OK;
    *p = '\0';
  }
}

/* A decimal integer in [0, max], digits only. */
static int parse_count(const char *s, int64_t max, int64_t *out) {
  if (!*s)
    return 0;
  int64_t value = 0;
  for (; *s; ++s) {
    if (*s < '0' || *s > '9')
      return 0;
    int digit = *s - '0';
    if (digit > max || value > (max - digit) / 10)
      return 0;
    value = value * 10 + digit;
  }
  *out = value;
  return 1;
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static acnn_status decode_name(const record *r, const char *field, char **out) {
  char *name = malloc(strlen(field) + 1);
  if (!name)
    return out_of_memory();
  size_t n = 0;
  for (const char *p = field; *p; ++p) {
    if (*p != '%') {
      name[n++] = *p;
      continue;
    }
    int hi = hex_digit(p[1]);
    int lo = hi < 0 ? -1 : hex_digit(p[2]);
    if (lo < 0 || hi + lo == 0) {
      free(name);
      return bad(r, "malformed percent escape in '%s'", field);
    }
    name[n++] = (char)(hi * 16 + lo);
    p += 2;
  }
  name[n] = '\0';
  *out = name;
  return ACNN_OK;
}

static acnn_status parse_header(const record *r) {
  if (r->num_fields != 2 || strcmp(r->fields[0], "acnn-model") != 0)
    return bad(r, "expected the header 'acnn-model 1'");
  if (strcmp(r->fields[1], "1") != 0)
    return bad(r, "metadata version '%s' is not supported (this runtime reads version 1)",
               r->fields[1]);
  return ACNN_OK;
}

static int parse_dtype(const char *s, acnn_dtype *out) {
  for (int i = 0; i < NUM_DTYPES; ++i) {
    if (strcmp(s, dtypes[i].name) == 0) {
      *out = (acnn_dtype)i;
      return 1;
    }
  }
  return 0;
}

/* `input` and `output`: <name> <dtype> <rank> <extents>... */
static acnn_status parse_tensor(const record *r, acnn_tensor_info **list, int32_t *count) {
  const char *kind = r->fields[0];
  if (r->num_fields < 4)
    return bad(r, "expected '%s <name> <dtype> <rank> <extents>...'", kind);
  acnn_tensor_info t = {0};
  if (!parse_dtype(r->fields[2], &t.dtype))
    return bad(r, "dtype '%s' is not supported (f32 or i64)", r->fields[2]);
  int64_t rank;
  if (!parse_count(r->fields[3], ACNN_MAX_RANK, &rank))
    return bad(r, "rank '%s' is not an integer in [0, %d]", r->fields[3], ACNN_MAX_RANK);
  if (r->num_fields != 4 + rank)
    return bad(r, "rank %d needs %d extents, got %d", (int)rank, (int)rank, r->num_fields - 4);
  t.rank = (int32_t)rank;
  /* Its byte count must also fit a ptrdiff_t. */
  const int64_t max_elements = (int64_t)(PTRDIFF_MAX / acnn_dtype_size(t.dtype));
  int64_t elements = 1;
  for (int i = 0; i < rank; ++i) {
    const char *field = r->fields[4 + i];
    if (!parse_count(field, INT64_MAX, &t.shape[i]) || t.shape[i] == 0)
      return bad(r, "extent '%s' is not a positive integer", field);
    if (t.shape[i] > max_elements / elements)
      return bad(r, "the tensor has more than %lld %s elements", (long long)max_elements,
                 acnn_dtype_name(t.dtype));
    elements *= t.shape[i];
  }
  t.bytes = (size_t)elements * acnn_dtype_size(t.dtype);
  acnn_status status = decode_name(r, r->fields[1], &t.name);
  if (status != ACNN_OK)
    return status;
  for (int32_t i = 0; i < *count; ++i) {
    if (strcmp((*list)[i].name, t.name) == 0) {
      free(t.name);
      return bad(r, "a second %s named '%s'", kind, (*list)[i].name);
    }
  }
  acnn_tensor_info *grown = realloc(*list, (size_t)(*count + 1) * sizeof **list);
  if (!grown) {
    free(t.name);
    return out_of_memory();
  }
  *list = grown;
  (*list)[(*count)++] = t;
  return ACNN_OK;
}

static acnn_status parse_name(const record *r, acnn_meta *meta) {
  if (r->num_fields != 2)
    return bad(r, "expected 'name <identifier>'");
  if (meta->name)
    return bad(r, "a second 'name' record");
  /* acnn_<name>_meta must be a C identifier, so <name> may start with a digit. */
  for (const char *p = r->fields[1]; *p; ++p)
    if (!(*p == '_' || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
          (*p >= 'A' && *p <= 'Z')))
      return bad(r, "model name '%s' is not made of letters, digits and '_'", r->fields[1]);
  meta->name = strdup(r->fields[1]);
  return meta->name ? ACNN_OK : out_of_memory();
}

static acnn_status parse_arena(const record *r, acnn_meta *meta, int *have_arena) {
  int64_t bytes;
  if (r->num_fields != 2)
    return bad(r, "expected 'arena <bytes>'");
  if (*have_arena)
    return bad(r, "a second 'arena' record");
  /* Leave room to round the allocation up to the 64-byte alignment. */
  if (!parse_count(r->fields[1], PTRDIFF_MAX - 64, &bytes))
    return bad(r, "arena size '%s' is not a byte count", r->fields[1]);
  meta->arena_bytes = (size_t)bytes;
  *have_arena = 1;
  return ACNN_OK;
}

static acnn_status parse_threads(const record *r, acnn_meta *meta) {
  int64_t threads;
  if (r->num_fields != 2)
    return bad(r, "expected 'threads <count>'");
  if (meta->threads)
    return bad(r, "a second 'threads' record");
  if (!parse_count(r->fields[1], 1024, &threads) || threads < 1)
    return bad(r, "thread count '%s' is not in [1, 1024]", r->fields[1]);
  meta->threads = (int32_t)threads;
  return ACNN_OK;
}

static acnn_status parse_kernel(const record *r, acnn_meta *meta) {
  if (r->num_fields != 2)
    return bad(r, "expected 'kernel <name>'");
  char **grown = realloc(meta->kernels, (size_t)(meta->num_kernels + 1) * sizeof *grown);
  if (!grown)
    return out_of_memory();
  meta->kernels = grown;
  acnn_status status = decode_name(r, r->fields[1], &meta->kernels[meta->num_kernels]);
  if (status == ACNN_OK)
    ++meta->num_kernels;
  return status;
}

static acnn_status parse_record(const record *r, acnn_meta *meta, int *have_arena) {
  if (r->num_fields == 0)
    return bad(r, "empty record");
  const char *keyword = r->fields[0];
  if (strcmp(keyword, "name") == 0)
    return parse_name(r, meta);
  if (strcmp(keyword, "input") == 0)
    return parse_tensor(r, &meta->inputs, &meta->num_inputs);
  if (strcmp(keyword, "output") == 0)
    return parse_tensor(r, &meta->outputs, &meta->num_outputs);
  if (strcmp(keyword, "arena") == 0)
    return parse_arena(r, meta, have_arena);
  if (strcmp(keyword, "kernel") == 0)
    return parse_kernel(r, meta);
  if (strcmp(keyword, "threads") == 0)
    return parse_threads(r, meta);
  return bad(r, "unknown record '%s'", keyword);
}

static acnn_status parse_lines(const char *text, char *copy, acnn_meta *meta) {
  int have_arena = 0;
  size_t offset = 0;
  /* A final '\n' ends the last record rather than starting an empty one. */
  for (int line = 1; line == 1 || copy[offset]; ++line) {
    char *start = copy + offset;
    char *newline = strchr(start, '\n');
    size_t len = newline ? (size_t)(newline - start) : strlen(start);
    start[len] = '\0';
    offset += len + (newline != NULL);
    record r = {.line = line, .text = text + (start - copy), .text_len = len};
    acnn_status status = split(start, &r);
    if (status == ACNN_OK)
      status = line == 1 ? parse_header(&r) : parse_record(&r, meta, &have_arena);
    if (status != ACNN_OK)
      return status;
  }
  if (!meta->name)
    return acnn_fail(ACNN_ERROR_INVALID_MODEL, "model metadata has no 'name' record");
  if (!have_arena)
    return acnn_fail(ACNN_ERROR_INVALID_MODEL, "model metadata has no 'arena' record");
  if (meta->num_outputs == 0)
    return acnn_fail(ACNN_ERROR_INVALID_MODEL, "model metadata declares no outputs");
  return ACNN_OK;
}

acnn_status acnn_meta_parse(const char *text, acnn_meta *out) {
  memset(out, 0, sizeof *out);
  char *copy = strdup(text);
  if (!copy)
    return out_of_memory();
  acnn_status status = parse_lines(text, copy, out);
  free(copy);
  if (status != ACNN_OK)
    acnn_meta_free(out);
  return status;
}

void acnn_meta_free(acnn_meta *meta) {
  for (int32_t i = 0; i < meta->num_inputs; ++i)
    free(meta->inputs[i].name);
  for (int32_t i = 0; i < meta->num_outputs; ++i)
    free(meta->outputs[i].name);
  for (int32_t i = 0; i < meta->num_kernels; ++i)
    free(meta->kernels[i]);
  free(meta->inputs);
  free(meta->outputs);
  free(meta->kernels);
  free(meta->name);
  memset(meta, 0, sizeof *meta);
}
