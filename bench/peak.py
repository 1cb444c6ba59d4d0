#!/usr/bin/python3
"""Describes the machine and measures its fp32 peak with a large sgemm and an FMA loop.

  /usr/bin/python3 bench/peak.py [--threads 2] [--n 2048] [--reps 7] [--label start]

Prints JSON lines on stdout:
  {"kind":"machine", "cpu":"lscpu Model name", "isa":["avx2","fma",...], "cpus":N,
   "loadavg":[1m,5m,15m], "blas":"/path/of/the/libblas numpy loaded", ...}
  {"kind":"peak", "engine":"numpy"|"torch", "n":2048, "threads":2, "gflops":best,
   "gflops_median":..., "ms":[...]}
  {"kind":"peak", "engine":"fma", "threads":2, "gflops":best, "vector_bits":512, ...}
The sgemm is C = A @ B with float32 n x n matrices, 2 n^3 FLOPs, best of --reps
after one warm-up. numpy goes through Debian's libblas.so.3 alternative (OpenBLAS,
libopenblas0-pthread) with OPENBLAS_NUM_THREADS=--threads; torch.mm goes through
the same libblas with torch.set_num_threads(--threads). Each runs in its own
process so the thread settings are applied before the library starts.

The sgemm is only as fast as the BLAS knows the CPU: Debian 12's OpenBLAS 0.3.21
has no Zen 5 kernels and ran 194-235 GFLOP/s on 2 Zen 5 cores that retire 438-495
GFLOP/s of AVX-512 FMAs (2 Emerald Rapids cores: 63-66 against 347-349). So the
FMA engine measures what the cores retire: a C loop of independent FMA chains on
the widest vectors the host has (cc -O3 -march=native), one chain set a thread,
--threads threads, best of --reps.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

ISA_FLAGS = ["sse4_2", "avx", "fma", "f16c", "avx2", "avx512f", "avx512bw", "avx512vl",
             "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16", "amx_int8"]

SGEMM = r"""
import json, os, sys, time
engine, n, reps, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
import numpy as np
a = np.random.default_rng(0).standard_normal((n, n), dtype=np.float32)
b = np.random.default_rng(1).standard_normal((n, n), dtype=np.float32)
if engine == "torch":
    import torch
    torch.set_num_threads(threads)
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    mm = lambda: torch.mm(ta, tb)
else:
    mm = lambda: a @ b
mm()
ms = []
for _ in range(reps):
    t0 = time.perf_counter(); mm(); ms.append((time.perf_counter() - t0) * 1e3)
blas = sorted({l.split()[-1] for l in open("/proc/self/maps")
               if "blas" in l.split()[-1].lower() and ".so" in l})
flop = 2.0 * n ** 3
ms_sorted = sorted(ms)
print(json.dumps({"kind": "peak", "engine": engine, "n": n, "threads": threads,
                  "gflops": flop / min(ms) / 1e6,
                  "gflops_median": flop / ms_sorted[len(ms) // 2] / 1e6,
                  "ms": ms, "blas": [os.path.realpath(p) for p in blas]}))
"""

FMA = r"""
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#if defined(__AVX512F__)
#define BYTES 64
#elif defined(__AVX__)
#define BYTES 32
#else
#define BYTES 16
#endif
typedef float vec __attribute__((vector_size(BYTES)));
enum { CHAINS = 12 }; /* independent FMAs: more than latency x pipes on every x86 */
static long iters;
static void *work(void *out) {
  vec a[CHAINS], m, c;
  for (int i = 0; i < CHAINS; ++i) a[i] = (vec){} + 0.001f * i;
  m = (vec){} + 0.999f, c = (vec){} + 0.0001f;
  for (long n = 0; n < iters; ++n) {
#pragma GCC unroll 12
    for (int i = 0; i < CHAINS; ++i) a[i] = a[i] * m + c;
  }
  float s = 0;
  for (int i = 0; i < CHAINS; ++i) s += a[i][0];
  *(float *)out = s;
  return 0;
}
static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}
int main(int argc, char **argv) {
  int threads = atoi(argv[1]), reps = atoi(argv[2]);
  pthread_t t[256];
  float out[256];
  if (threads < 1 || threads > 256 || reps < 1) {
    fprintf(stderr, "threads must be 1 to 256 and reps at least 1\n");
    return 1;
  }
  iters = 20000000;
  for (int r = 0; r <= reps; ++r) { /* the first: warm-up */
    double t0 = now();
    for (int i = 0; i < threads; ++i) pthread_create(&t[i], 0, work, &out[i]);
    for (int i = 0; i < threads; ++i) pthread_join(t[i], 0);
    double s = now() - t0;
    if (r) printf("%.6f\n", 2.0 * CHAINS * (BYTES / 4) * iters * threads / s / 1e9);
  }
  printf("bits %d\n", BYTES * 8);
  return 0;
}
"""


def fma_peak(threads, reps):
    """The FP32 FMA throughput of `threads` cores (FMA above)."""
    rec = {"kind": "peak", "engine": "fma", "threads": threads}
    with tempfile.TemporaryDirectory(prefix="acnn-peak-") as tmp:
        src, exe = os.path.join(tmp, "fma.c"), os.path.join(tmp, "fma")
        with open(src, "w") as f:
            f.write(FMA)
        try:
            subprocess.run(["cc", "-O3", "-march=native", "-ffp-contract=fast", "-pthread", src,
                            "-o", exe], capture_output=True, text=True, check=True, timeout=120)
            p = subprocess.run([exe, str(threads), str(reps)], capture_output=True, text=True,
                               check=True, timeout=600)
        except (OSError, subprocess.SubprocessError) as e:
            err = getattr(e, "stderr", None) or str(e)
            return dict(rec, ok=False, error=err.strip().splitlines()[-1] if err.strip() else
                        "failed")
    words = p.stdout.split()
    runs = [float(w) for w in words[:-2]]
    return dict(rec, ok=True, gflops=max(runs), gflops_median=sorted(runs)[len(runs) // 2],
                vector_bits=int(words[-1]))


def lscpu():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    fields = {}
    for line in out.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            fields[k.strip()] = v.strip()
    return fields


def machine(label):
    f = lscpu()
    flags = set(f.get("Flags", "").split())
    rec = {"kind": "machine", "label": label, "cpu": f.get("Model name", "unknown"),
           "isa": [x for x in ISA_FLAGS if x in flags], "cpus": os.cpu_count(),
           "threads_per_core": f.get("Thread(s) per core"), "mhz": f.get("CPU max MHz") or
           f.get("CPU MHz"), "loadavg": list(os.getloadavg())}
    try:
        import numpy
        rec["numpy"] = numpy.__version__
    except ImportError:
        pass
    return rec


def sgemm(engine, n, reps, threads):
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
    p = subprocess.run([sys.executable, "-c", SGEMM, engine, str(n), str(reps), str(threads)],
                       capture_output=True, text=True, env=env, timeout=600)
    lines = [l for l in p.stdout.splitlines() if l.startswith("{")]
    if p.returncode or not lines:
        err = next((l for l in (p.stderr or "").splitlines()[::-1] if l.strip()), "no output")
        return {"kind": "peak", "engine": engine, "n": n, "threads": threads, "ok": False,
                "error": err.strip()}
    rec = json.loads(lines[-1])
    rec["ok"] = True
    return rec


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--n", type=int, default=2048)
    p.add_argument("--reps", type=int, default=7)
    p.add_argument("--label", default="", help="tag for the records (e.g. start, end)")
    p.add_argument("--no-machine", action="store_true", help="skip the machine record")
    a = p.parse_args()
    if not a.no_machine:
        print(json.dumps(machine(a.label)), flush=True)
    for engine in ("numpy", "torch", "fma"):
        rec = (fma_peak(a.threads, a.reps) if engine == "fma" else
               sgemm(engine, a.n, a.reps, a.threads))
        rec["label"] = a.label
        print(json.dumps(rec), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
