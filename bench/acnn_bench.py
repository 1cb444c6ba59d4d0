#!/usr/bin/python3
"""Times a model compiled by acnnc with acnn-run, and optionally profiles its kernels.

  /usr/bin/python3 bench/acnn_bench.py MODEL.so INPUT.npy [--golden OUT.npy]
        [--runs 20] [--warmup 3] [--threads 2] [--profile-runs N] [--label NAME]
        [--acnn-run build/bin/acnn-run]

Latency comes from `acnn-run MODEL.so --input INPUT.npy --output Y.npy --runs N
--warmup W --threads T` (its "median ... ms" line); the profile, when
--profile-runs > 0, from a second, separate `--profile` invocation, so the kernel
timers never touch the latency numbers. Prints one JSON line on stdout:
  {"kind":"latency","engine":"acnn","model":NAME,"ok":true,"median_ms":..,"min_ms":..,
   "max_ms":..,"rel_err":..,"profile":{"runs":N,"median_ms":..,"kernels":[
     {"name":..,"calls":..,"total_ms":..}, ...]}}
rel_err is the relative L2 error of acnn's output against --golden. On failure:
"ok":false and "error" (the first line of acnn-run's message), exit status 1.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
LATENCY = re.compile(r"median\s+([0-9.eE+-]+)\s*ms,\s*min\s+([0-9.eE+-]+)\s*ms,"
                     r"\s*max\s+([0-9.eE+-]+)\s*ms")


def first_line(text, default="failed", limit=400):
    """The message's first line; when that line ends in ':' (a heading such as "graph
    pipeline failed:"), the line that follows too, so the reason is not lost."""
    lines = [l.strip() for l in (text or "").splitlines() if l.strip()]
    if not lines:
        return default
    msg = lines[0]
    if msg.endswith(":") and len(lines) > 1:
        msg += " " + lines[1]
    return msg if len(msg) <= limit else msg[:limit - 3] + "..."


def run_acnn(cmd, timeout):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"timed out after {timeout} s: {' '.join(cmd)}")
    except OSError as e:
        raise RuntimeError(f"cannot run {cmd[0]}: {e.strerror}")
    if p.returncode:
        raise RuntimeError(first_line(p.stderr, first_line(p.stdout,
                                                           f"exit status {p.returncode}")))
    m = LATENCY.search(p.stdout)
    if not m:
        raise RuntimeError(f"no latency line in acnn-run's output: {first_line(p.stdout, '')}")
    return p.stdout, [float(v) for v in m.groups()]


def parse_profile(stdout):
    """Rows of acnn-run's table `kernel  calls  total ms  median ms  % of run` (name may hold
    spaces); median ms is the kernel's median time in a run."""
    kernels, in_table = [], False
    for line in stdout.splitlines():
        words = line.split()
        if not in_table:
            in_table = len(words) >= 3 and words[0] == "kernel" and "calls" in words
            continue
        if len(words) < 5:
            continue
        try:
            calls, total, median = int(words[-4]), float(words[-3]), float(words[-2])
        except ValueError:
            continue
        name = line.rsplit(None, 4)[0].strip()
        kernels.append({"name": name, "calls": calls, "total_ms": total, "median_ms": median})
    return kernels


def rel_err(out_path, golden_path):
    import numpy as np
    y = np.load(out_path).astype(np.float64).ravel()
    ref = np.load(golden_path).astype(np.float64).ravel()
    if y.shape != ref.shape:
        return None
    return float(np.linalg.norm(y - ref) / max(np.linalg.norm(ref), 1e-30))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("model")
    p.add_argument("input")
    p.add_argument("--golden")
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--profile-runs", type=int, default=0,
                   help="timed runs of a separate --profile invocation (0: no profile)")
    p.add_argument("--label", help="model name in the record (default: MODEL's stem)")
    p.add_argument("--acnn-run", default=os.path.join(HERE, "..", "build", "bin", "acnn-run"))
    p.add_argument("--timeout", type=float, default=600)
    a = p.parse_args()
    label = a.label or os.path.splitext(os.path.basename(a.model))[0]
    record = {"kind": "latency", "engine": "acnn", "model": label, "runs": a.runs,
              "warmup": a.warmup, "threads": a.threads}
    try:
        with tempfile.TemporaryDirectory(prefix="acnn-bench-") as tmp:
            out = os.path.join(tmp, "output.npy")
            base = [a.acnn_run, a.model, "--input", a.input, "--threads", str(a.threads)]
            _, (med, lo, hi) = run_acnn(base + ["--output", out, "--runs", str(a.runs),
                                                "--warmup", str(a.warmup)], a.timeout)
            record.update(ok=True, median_ms=med, min_ms=lo, max_ms=hi)
            if a.golden:
                record["rel_err"] = rel_err(out, a.golden)
        if a.profile_runs > 0:
            try:
                stdout, (pmed, _, _) = run_acnn(base + ["--runs", str(a.profile_runs),
                                                        "--warmup", str(a.warmup),
                                                        "--profile"], a.timeout)
                record["profile"] = {"runs": a.profile_runs, "median_ms": pmed,
                                     "kernels": parse_profile(stdout)}
            except RuntimeError as e:  # the latency stands without a profile
                record["profile"] = {"error": str(e)}
        print(json.dumps(record))
        return 0
    except Exception as e:  # a failing model is a row in the report, not a crash
        record.update(ok=False, error=first_line(str(e), type(e).__name__))
        print(json.dumps(record))
        return 1


if __name__ == "__main__":
    sys.exit(main())
