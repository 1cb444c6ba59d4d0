/* acnn-run: load a shared-library model, feed it .npy inputs, write its
 * outputs and time it, so a user can check and measure what acnnc built. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* clock_gettime, beyond ISO C11 */
#endif
#include "acnn/acnnrt.h"
#include "acnn/npy.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
    "usage: acnn-run MODEL.so --input [NAME=]x.npy ... [--output [NAME=]y.npy ...]\n"
    "                [--runs N] [--warmup N] [--threads N] [--profile]\n"
    "  --input, -i    an input as FILE (in model order) or NAME=FILE; every input needs one\n"
    "                 (an i64 input takes integers, exact up to 2^24 in magnitude)\n"
    "  --output, -o   where to write an output, FILE or NAME=FILE\n"
    "  --runs N       timed runs (default 1); latency is their median, min and max\n"
    "  --warmup N     untimed runs before them (default 0)\n"
    "  --threads N    threads for the model's parallel loops (default: the threads it was\n"
    "                 compiled for, at most the CPUs available)\n"
    "  --profile      time each kernel over the timed runs: its total, and its median\n"
    "                 time in a run (robust to a run the machine slowed)\n";

typedef struct options {
  const char *model;
  const char **inputs, **outputs; /* [NAME=]FILE specs as given */
  int num_inputs, num_outputs;
  long runs, warmup, threads; /* threads 0: the runtime's default */
  int profile;
} options;

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int fail(const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  fputs("acnn-run: ", stderr);
  vfprintf(stderr, fmt, args);
  fputc('\n', stderr);
  va_end(args);
  return 0;
}

/* `flag` is the argument as given, "--runs" or "--runs=N". */
static int parse_number(const char *flag, const char *text, long min, long *out) {
  char *end;
  errno = 0;
  long value = strtol(text, &end, 10);
  if (!*text || *end || errno || value < min || value > 1000000)
    return fail("%.*s wants an integer in [%ld, 1000000], got '%s'", (int)strcspn(flag, "="), flag,
                min, text);
  *out = value;
  return 1;
}

/* Whether `arg` is `flag`, alone or as "flag=value". */
static int is_flag(const char *arg, const char *flag) {
  size_t len = strlen(flag);
  return !strncmp(arg, flag, len) && (arg[len] == '\0' || arg[len] == '=');
}

/* The value of the flag at argv[*i]: after its '=', or the next argument. */
static const char *flag_value(int argc, char **argv, int *i) {
  const char *eq = strchr(argv[*i], '=');
  if (eq)
    return eq + 1;
  if (*i + 1 < argc)
    return argv[++*i];
  fail("%s needs a value\n%s", argv[*i], usage);
  return NULL;
}

/* Returns 0 after a message. */
static int parse_options(int argc, char **argv, options *o) {
  o->inputs = calloc((size_t)argc, sizeof *o->inputs);
  o->outputs = calloc((size_t)argc, sizeof *o->outputs);
  o->runs = 1;
  if (!o->inputs || !o->outputs)
    return fail("out of memory");
  for (int i = 1; i < argc; ++i) {
    const char *arg = argv[i];
    if (arg[0] != '-') {
      if (o->model)
        return fail("more than one model given ('%s' and '%s')\n%s", o->model, arg, usage);
      o->model = arg;
      continue;
    }
    if (!strcmp(arg, "--profile")) {
      o->profile = 1;
      continue;
    }
    if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
      fputs(usage, stdout);
      exit(0);
    }
    int input = is_flag(arg, "--input") || is_flag(arg, "-i");
    int output = is_flag(arg, "--output") || is_flag(arg, "-o");
    long *number = is_flag(arg, "--runs")      ? &o->runs
                   : is_flag(arg, "--warmup")  ? &o->warmup
                   : is_flag(arg, "--threads") ? &o->threads
                                               : NULL;
    if (!input && !output && !number)
      return fail("unknown option '%s'\n%s", arg, usage);
    const char *value = flag_value(argc, argv, &i);
    if (!value)
      return 0;
    if (input)
      o->inputs[o->num_inputs++] = value;
    else if (output)
      o->outputs[o->num_outputs++] = value;
    else if (!parse_number(arg, value, number == &o->warmup ? 0 : 1, number))
      return 0;
  }
  if (!o->model)
    return fail("no model given\n%s", usage);
  return 1;
}

typedef acnn_status (*describe_fn)(const acnn_model *, int32_t, const char **, int32_t *,
                                   const int64_t **);

/* Gives each of the model's `count` inputs or outputs its file from the
 * "[NAME=]FILE" specs: by name, or else by position (as `acnnc run` does). */
static int bind_files(const acnn_model *model, const char *kind, describe_fn describe,
                      int32_t count, const char **specs, int num_specs, const char **files) {
  for (int i = 0; i < num_specs; ++i) {
    const char *eq = strchr(specs[i], '=');
    int32_t slot = i;
    if (eq) {
      size_t len = (size_t)(eq - specs[i]);
      for (slot = 0; slot < count; ++slot) {
        const char *name;
        describe(model, slot, &name, NULL, NULL);
        if (strlen(name) == len && !strncmp(name, specs[i], len))
          break;
      }
      if (slot == count)
        return fail("the model has no %s named '%.*s'", kind, (int)len, specs[i]);
    }
    if (slot >= count)
      return fail("%d %s files given, the model has %d %ss", num_specs, kind, count, kind);
    files[slot] = eq ? eq + 1 : specs[i];
  }
  return 1;
}

static double clock_ms(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double now_ms(void) { return clock_ms(CLOCK_MONOTONIC); }

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void print_shape(acnn_dtype dtype, int32_t rank, const int64_t *shape) {
  printf("%s [", acnn_dtype_name(dtype));
  for (int32_t i = 0; i < rank; ++i)
    printf("%s%lld", i ? ", " : "", (long long)shape[i]);
  printf("]");
}

/* The median of `n` values, which it sorts. */
static double median_of(double *values, long n) {
  qsort(values, (size_t)n, sizeof *values, compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* `samples` holds each kernel's time in each run, run-major. */
static void print_profile(const acnn_model *model, double run_ms, double *samples, long runs) {
  int32_t kernels = acnn_model_num_kernels(model);
  int width = 6;
  for (int32_t k = 0; k < kernels; ++k) {
    const char *name;
    acnn_model_profile(model, k, &name, NULL, NULL);
    width = (int)strlen(name) > width ? (int)strlen(name) : width;
  }
  double *column = malloc((size_t)runs * sizeof *column);
  printf("%-*s %10s %12s %12s %9s\n", width, "kernel", "calls", "total ms", "median ms",
         "% of run");
  for (int32_t k = 0; k < kernels; ++k) {
    const char *name;
    double ms;
    int64_t calls;
    acnn_model_profile(model, k, &name, &ms, &calls);
    for (long r = 0; column && r < runs; ++r)
      column[r] = samples[r * kernels + k];
    printf("%-*s %10lld %12.3f %12.4f %8.1f%%\n", width, name, (long long)calls, ms,
           column ? median_of(column, runs) : ms / (double)runs,
           run_ms > 0 ? 100 * ms / run_ms : 0.0);
  }
  free(column);
}

/* Everything main allocates, released in one place. */
typedef struct session {
  options opts;
  acnn_model *model;
  int32_t num_inputs, num_outputs;
  const char **input_files, **output_files;
  acnn_npy_array *arrays;
  int64_t **converted; /* i64 inputs, from their arrays' f32 values */
  acnn_tensor *inputs, *outputs;
  double *times;
  double *kernel_ms; /* with --profile: each kernel's time in each timed run, run-major */
  double cpu_ms; /* the process's CPU time over the timed runs, all threads */
} session;

static int model_failed(void) { return fail("%s", acnn_last_error()); }

static size_t num_elements(const acnn_npy_array *a) {
  size_t n = 1;
  for (int d = 0; d < a->rank; ++d)
    n *= (size_t)a->shape[d];
  return n;
}

/* An i64 input from the f32 values acnn_npy_read gives (whatever the file's
 * dtype): each must be a whole number. NULL after a message. */
static int64_t *to_i64(const char *name, const char *file, const acnn_npy_array *a) {
  size_t n = num_elements(a);
  int64_t *out = malloc(n * sizeof *out + 1);
  if (!out) {
    fail("out of memory for %zu elements of input '%s'", n, name);
    return NULL;
  }
  for (size_t i = 0; i < n; ++i) {
    float v = a->data[i];
    /* [-2^63, 2^63): the floats that convert to int64_t without overflow. */
    if (!(v >= -0x1p63f && v < 0x1p63f) || (float)(int64_t)v != v) {
      fail("%s: value %g at element %zu is not an integer, as input '%s' (i64) needs", file,
           (double)v, i, name);
      free(out);
      return NULL;
    }
    out[i] = (int64_t)v;
  }
  return out;
}

static int prepare(session *s) {
  if (acnn_model_open(s->opts.model, &s->model) != ACNN_OK)
    return model_failed();
  if (s->opts.threads && acnn_model_set_num_threads(s->model, (int32_t)s->opts.threads))
    return model_failed();
  s->num_inputs = acnn_model_num_inputs(s->model);
  s->num_outputs = acnn_model_num_outputs(s->model);
  s->input_files = calloc((size_t)s->num_inputs + 1, sizeof *s->input_files);
  s->output_files = calloc((size_t)s->num_outputs, sizeof *s->output_files);
  s->arrays = calloc((size_t)s->num_inputs + 1, sizeof *s->arrays);
  s->converted = calloc((size_t)s->num_inputs + 1, sizeof *s->converted);
  s->inputs = calloc((size_t)s->num_inputs + 1, sizeof *s->inputs);
  s->outputs = calloc((size_t)s->num_outputs, sizeof *s->outputs);
  s->times = calloc((size_t)s->opts.runs, sizeof *s->times);
  if (s->opts.profile)
    s->kernel_ms = calloc((size_t)s->opts.runs * (size_t)acnn_model_num_kernels(s->model) + 1,
                          sizeof *s->kernel_ms);
  if (!s->input_files || !s->output_files || !s->arrays || !s->converted || !s->inputs ||
      !s->outputs || !s->times || (s->opts.profile && !s->kernel_ms))
    return fail("out of memory");
  if (!bind_files(s->model, "input", acnn_model_input, s->num_inputs, s->opts.inputs,
                  s->opts.num_inputs, s->input_files) ||
      !bind_files(s->model, "output", acnn_model_output, s->num_outputs, s->opts.outputs,
                  s->opts.num_outputs, s->output_files))
    return 0;
  for (int32_t i = 0; i < s->num_inputs; ++i) {
    const char *name;
    char err[512];
    acnn_model_input(s->model, i, &name, NULL, NULL);
    if (!s->input_files[i])
      return fail("no .npy file given for input '%s'", name);
    if (acnn_npy_read(s->input_files[i], &s->arrays[i], err, sizeof err))
      return fail("%s", err);
    acnn_dtype dtype;
    acnn_model_input_dtype(s->model, i, &dtype);
    const acnn_npy_array *a = &s->arrays[i];
    void *data = a->data;
    if (dtype == ACNN_I64 && !(data = s->converted[i] = to_i64(name, s->input_files[i], a)))
      return 0;
    s->inputs[i] = (acnn_tensor){dtype, a->rank, a->shape, data};
  }
  for (int32_t i = 0; i < s->num_outputs; ++i) {
    int32_t rank;
    const int64_t *shape;
    acnn_dtype dtype;
    acnn_model_output(s->model, i, NULL, &rank, &shape);
    acnn_model_output_dtype(s->model, i, &dtype);
    size_t elements = 1;
    for (int32_t d = 0; d < rank; ++d)
      elements *= (size_t)shape[d];
    s->outputs[i] = (acnn_tensor){dtype, rank, shape, malloc(elements * acnn_dtype_size(dtype))};
    if (!s->outputs[i].data)
      return fail("out of memory for %zu output elements", elements);
  }
  return 1;
}

static int run(session *s) {
  for (long i = 0; i < s->opts.warmup; ++i)
    if (acnn_model_run(s->model, s->inputs, s->num_inputs, s->outputs, s->num_outputs))
      return model_failed();
  if (s->opts.profile)
    acnn_model_enable_profiling(s->model, 1); /* counts the timed runs only */
  const int32_t kernels = acnn_model_num_kernels(s->model);
  /* Each kernel's total over the runs so far: the profile sums, a run adds. */
  double *before = calloc((size_t)kernels + 1, sizeof *before);
  if (!before)
    return fail("out of memory");
  double cpu_start = clock_ms(CLOCK_PROCESS_CPUTIME_ID), cpu_outside = 0;
  for (long i = 0; i < s->opts.runs; ++i) {
    double start = now_ms();
    if (acnn_model_run(s->model, s->inputs, s->num_inputs, s->outputs, s->num_outputs)) {
      free(before);
      return model_failed();
    }
    s->times[i] = now_ms() - start;
    if (s->opts.profile) {
      double outside = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
      for (int32_t k = 0; k < kernels; ++k) {
        double total;
        acnn_model_profile(s->model, k, NULL, &total, NULL);
        s->kernel_ms[i * kernels + k] = total - before[k];
        before[k] = total;
      }
      cpu_outside += clock_ms(CLOCK_PROCESS_CPUTIME_ID) - outside;
    }
  }
  free(before);
  s->cpu_ms = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - cpu_start - cpu_outside;
  return 1;
}

static int report(session *s) {
  for (int32_t i = 0; i < s->num_outputs; ++i) {
    const char *name;
    acnn_model_output(s->model, i, &name, NULL, NULL);
    const acnn_tensor *t = &s->outputs[i];
    printf("%s: ", name);
    print_shape(t->dtype, t->rank, t->shape);
    if (s->output_files[i]) {
      char err[512];
      const char *file = s->output_files[i];
      if (t->dtype == ACNN_I64
              ? acnn_npy_write_i64(file, t->data, t->shape, t->rank, err, sizeof err)
              : acnn_npy_write(file, t->data, t->shape, t->rank, err, sizeof err))
        return fail("%s", err);
      printf(" -> %s", s->output_files[i]);
    }
    printf("\n");
  }
  long runs = s->opts.runs;
  double total = 0;
  for (long i = 0; i < runs; ++i)
    total += s->times[i];
  qsort(s->times, (size_t)runs, sizeof *s->times, compare_doubles);
  double median = runs % 2 ? s->times[runs / 2] : (s->times[runs / 2 - 1] + s->times[runs / 2]) / 2;
  printf("latency over %ld run%s: median %.3f ms, min %.3f ms, max %.3f ms\n", runs,
         runs == 1 ? "" : "s", median, s->times[0], s->times[runs - 1]);
  printf("threads: %d, cpu time: %.3f ms a run\n", acnn_model_num_threads(s->model),
         s->cpu_ms / (double)runs);
  if (s->opts.profile)
    print_profile(s->model, total, s->kernel_ms, runs);
  return 1;
}

int main(int argc, char **argv) {
  session s = {0};
  int ok = parse_options(argc, argv, &s.opts) && prepare(&s) && run(&s) && report(&s);
  for (int32_t i = 0; i < s.num_inputs && s.arrays; ++i)
    acnn_npy_free(&s.arrays[i]);
  for (int32_t i = 0; i < s.num_inputs && s.converted; ++i)
    free(s.converted[i]);
  free(s.converted);
  for (int32_t i = 0; i < s.num_outputs && s.outputs; ++i)
    free(s.outputs[i].data);
  free(s.times);
  free(s.kernel_ms);
  free(s.outputs);
  free(s.inputs);
  free(s.arrays);
  free(s.output_files);
  free(s.input_files);
  acnn_model_free(s.model);
  free(s.opts.inputs);
  free(s.opts.outputs);
  return ok ? 0 : 1;
}
