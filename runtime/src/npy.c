#include "acnn/npy.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char *err, size_t size, const char *fmt, ...) {
  if (err && size) {
    va_list args;
    va_start(args, fmt);
    vsnprintf(err, size, fmt, args);
    va_end(args);
  }
  return 1;
}

/* The value of `key` in the header dict, e.g. "'descr': '<f4'" -> "'<f4'". */
static const char *dict_value(const char *header, const char *key) {
  const char *at = strstr(header, key);
  if (!at)
    return NULL;
  at = strchr(at + strlen(key), ':');
  if (!at)
    return NULL;
  for (++at; *at == ' '; ++at) {
  }
  return at;
}

static int host_is_little_endian(void) {
  const uint16_t probe = 1;
  return *(const uint8_t *)&probe == 1;
}

static void swap_bytes(unsigned char *p, size_t width) {
  for (size_t i = 0; i < width / 2; ++i) {
    unsigned char t = p[i];
    p[i] = p[width - 1 - i];
    p[width - 1 - i] = t;
  }
}

static int parse_header(const char *path, const char *header, acnn_npy_array *out, char *kind,
                        size_t *width, int *swap, char *err, size_t err_size) {
  const char *descr = dict_value(header, "'descr'");
  if (!descr || descr[0] != '\'' || strlen(descr) < 4)
    return fail(err, err_size, "%s: .npy header has no 'descr'", path);
  char order = descr[1];
  *kind = descr[2];
  *width = (size_t)strtoul(descr + 3, NULL, 10);
  int known = (*kind == 'f' && (*width == 4 || *width == 8)) ||
              (*kind == 'i' && (*width == 4 || *width == 8));
  if (!known || (order != '<' && order != '>' && order != '|' && order != '='))
    return fail(err, err_size, "%s: dtype %.6s is not supported (f4, f8, i4, i8)", path, descr);
  *swap = (order == '>') == host_is_little_endian();
  const char *fortran = dict_value(header, "'fortran_order'");
  if (!fortran || strncmp(fortran, "False", 5) != 0)
    return fail(err, err_size, "%s: Fortran-ordered arrays are not supported", path);
  const char *shape = dict_value(header, "'shape'");
  if (!shape || *shape != '(')
    return fail(err, err_size, "%s: .npy header has no 'shape'", path);
  out->rank = 0;
  for (const char *p = shape + 1; *p && *p != ')';) {
    if (*p == ',' || *p == ' ') {
      ++p;
      continue;
    }
    char *end;
    long long d = strtoll(p, &end, 10);
    if (end == p || d < 0)
      return fail(err, err_size, "%s: malformed shape in .npy header", path);
    if (out->rank == ACNN_NPY_MAX_RANK)
      return fail(err, err_size, "%s: rank above %d", path, ACNN_NPY_MAX_RANK);
    out->shape[out->rank++] = d;
    p = end;
  }
  return 0;
}

int acnn_npy_read(const char *path, acnn_npy_array *out, char *err, size_t err_size) {
  if (!path || !out)
    return fail(err, err_size, "acnn_npy_read: null argument");
  memset(out, 0, sizeof(*out));
  FILE *f = fopen(path, "rb");
  if (!f)
    return fail(err, err_size, "%s: %s", path, strerror(errno));
  unsigned char preamble[12];
  int status = 1;
  char *header = NULL;
  unsigned char *raw = NULL;
  if (fread(preamble, 1, 10, f) != 10 || memcmp(preamble, "\x93NUMPY", 6) != 0) {
    fail(err, err_size, "%s: not a .npy file", path);
    goto done;
  }
  size_t header_len;
  if (preamble[6] == 1) {
    header_len = preamble[8] | (preamble[9] << 8);
  } else if (preamble[6] == 2 || preamble[6] == 3) {
    if (fread(preamble + 10, 1, 2, f) != 2) {
      fail(err, err_size, "%s: truncated .npy header", path);
      goto done;
    }
    header_len = (size_t)preamble[8] | ((size_t)preamble[9] << 8) | ((size_t)preamble[10] << 16) |
                 ((size_t)preamble[11] << 24);
  } else {
    fail(err, err_size, "%s: .npy version %d is not supported", path, preamble[6]);
    goto done;
  }
  if (header_len > (1u << 20)) {
    fail(err, err_size, "%s: .npy header of %zu bytes is implausible", path, header_len);
    goto done;
  }
  header = calloc(header_len + 1, 1);
  if (!header || fread(header, 1, header_len, f) != header_len) {
    fail(err, err_size, "%s: truncated .npy header", path);
    goto done;
  }
  char kind = 0;
  size_t width = 0;
  int swap = 0;
  if (parse_header(path, header, out, &kind, &width, &swap, err, err_size))
    goto done;
  /* The data is the rest of the file: a shape that promises more elements
   * than it holds (or whose product overflows) is rejected before anything
   * is allocated for it. */
  long start = ftell(f);
  if (start < 0 || fseek(f, 0, SEEK_END) != 0) {
    fail(err, err_size, "%s: cannot seek: %s", path, strerror(errno));
    goto done;
  }
  long end = ftell(f);
  if (end < start || fseek(f, start, SEEK_SET) != 0) {
    fail(err, err_size, "%s: cannot seek: %s", path, strerror(errno));
    goto done;
  }
  size_t available = (size_t)(end - start) / width;
  size_t count = 1;
  for (int i = 0; i < out->rank; ++i) {
    size_t d = (size_t)out->shape[i];
    if (d != 0 && count > available / d) {
      fail(err, err_size, "%s: data is shorter than its shape says", path);
      goto done;
    }
    count *= d;
  }
  raw = malloc(count * width + 1);
  out->data = malloc(count * sizeof(float) + 1);
  if (!raw || !out->data) {
    fail(err, err_size, "%s: out of memory for %zu elements", path, count);
    goto done;
  }
  if (fread(raw, width, count, f) != count) {
    fail(err, err_size, "%s: data is shorter than its shape says", path);
    goto done;
  }
  for (size_t i = 0; i < count; ++i) {
    unsigned char *p = raw + i * width;
    if (swap)
      swap_bytes(p, width);
    if (kind == 'f' && width == 4) {
      memcpy(&out->data[i], p, 4);
    } else if (kind == 'f') {
      double v;
      memcpy(&v, p, 8);
      out->data[i] = (float)v;
    } else if (width == 4) {
      int32_t v;
      memcpy(&v, p, 4);
      out->data[i] = (float)v;
    } else {
      int64_t v;
      memcpy(&v, p, 8);
      out->data[i] = (float)v;
    }
  }
  status = 0;
done:
  if (status) {
    free(out->data);
    out->data = NULL;
  }
  free(raw);
  free(header);
  fclose(f);
  return status;
}

/* For `function`: writes a little-endian .npy file of elements `width`
 * bytes wide, of the dtype `descr` names ('<f4', '<i8'). */
static int write_npy(const char *function, const char *path, const char *descr, const void *data,
                     size_t width, const int64_t *shape, int rank, char *err, size_t err_size) {
  if (!path || (!data && rank > 0) || (!shape && rank > 0) || rank < 0 || rank > ACNN_NPY_MAX_RANK)
    return fail(err, err_size, "%s: invalid argument", function);
  char dict[256];
  int n = snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': (", descr);
  size_t count = 1;
  for (int i = 0; i < rank; ++i) {
    n += snprintf(dict + n, sizeof dict - n, "%lld,%s", (long long)shape[i],
                  i + 1 < rank ? " " : "");
    count *= (size_t)shape[i];
  }
  n += snprintf(dict + n, sizeof dict - n, "), }");
  /* Pad with spaces so the data starts on a 64-byte boundary, ending in '\n'. */
  size_t total = 10 + n + 1;
  size_t padded = (total + 63) / 64 * 64;
  FILE *f = fopen(path, "wb");
  if (!f)
    return fail(err, err_size, "%s: %s", path, strerror(errno));
  unsigned char preamble[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  size_t header_len = padded - 10;
  preamble[8] = header_len & 0xff;
  preamble[9] = (header_len >> 8) & 0xff;
  int ok = fwrite(preamble, 1, 10, f) == 10 && fwrite(dict, 1, n, f) == (size_t)n;
  for (size_t i = 10 + n; ok && i + 1 < padded; ++i)
    ok = fputc(' ', f) != EOF;
  ok = ok && fputc('\n', f) != EOF;
  if (host_is_little_endian()) {
    ok = ok && fwrite(data, width, count, f) == count;
  } else {
    for (size_t i = 0; ok && i < count; ++i) {
      unsigned char b[8];
      memcpy(b, (const unsigned char *)data + i * width, width);
      swap_bytes(b, width);
      ok = fwrite(b, 1, width, f) == width;
    }
  }
  if (fclose(f) != 0)
    ok = 0;
  return ok ? 0 : fail(err, err_size, "%s: write failed: %s", path, strerror(errno));
}

int acnn_npy_write(const char *path, const float *data, const int64_t *shape, int rank, char *err,
                   size_t err_size) {
  return write_npy("acnn_npy_write", path, "<f4", data, sizeof *data, shape, rank, err, err_size);
}

int acnn_npy_write_i64(const char *path, const int64_t *data, const int64_t *shape, int rank,
                       char *err, size_t err_size) {
  return write_npy("acnn_npy_write_i64", path, "<i8", data, sizeof *data, shape, rank, err,
                   err_size);
}

void acnn_npy_free(acnn_npy_array *array) {
  if (!array)
    return;
  free(array->data);
  array->data = NULL;
}
