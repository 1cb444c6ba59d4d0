#!/usr/bin/python3
"""Compiles every exported zoo model with acnnc and checks its output against PyTorch's.

  /usr/bin/python3 tests/models/zoo_check.py [DIR] [--only PATTERNS] [--jobs 1]
        [--timeout 600] [--tol 1e-4] [--acnnc-flag=F ...] [--md FILE] [--json FILE]

DIR (default build/zoo, as tests/models/zoo.py writes it) holds NAME.onnx,
NAME.input.npy and NAME.output.npy. For each NAME (optionally filtered by
--only, comma-separated names, architectures or fnmatch patterns, e.g.
"resnet18,*_small_op13"):

  acnnc compile DIR/NAME.onnx -o DIR/acnn/NAME.so        (--timeout seconds)
  acnn-run DIR/acnn/NAME.so --input DIR/NAME.input.npy --output out.npy

and the relative L2 error ||out - ref|| / ||ref|| against NAME.output.npy.
Statuses:
  ok           rel err <= --tol (1e-4)
  unsupported  acnnc exited with an error (not a crash) and either
               `acnnc inspect --coverage` lists nodes acnn cannot import (the detail
               names them, by op and reason) or the message says "unsupported" or
               "not supported": a clear unsupported-op diagnostic; listed, not a failure
  mismatch     rel err > --tol, or the output's shape differs            (failure)
  compile error / compile crash / compile timeout                          (failure)
  run error / run crash / run timeout                                      (failure)

Prints a table (model, compile seconds, status, rel err, detail) and exits 1
if any model failed for a reason other than an unsupported-op diagnostic,
2 if no model was found. acnnc and acnn-run are copied to a temporary
directory at the start (--no-snapshot: use them in place), so a rebuild of
build/bin during the run cannot swap them mid-way.
"""

import argparse
import concurrent.futures
import fnmatch
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
UNSUPPORTED = re.compile(r"unsupported|not supported", re.IGNORECASE)

sys.path.insert(0, os.path.join(ROOT, "bench"))
from acnn_bench import first_line  # noqa: E402  (the error's first line, or two)
from bench import snapshot  # noqa: E402  (a copy of a tool that a rebuild cannot swap)


def signal_name(rc):
    try:
        return signal.Signals(-rc).name
    except (ValueError, AttributeError):
        return f"signal {-rc}"


def run(cmd, timeout):
    """subprocess.run in its own process group, so a timeout also ends what it started
    (a linker, say); raises subprocess.TimeoutExpired."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass
        p.communicate()
        raise
    return subprocess.CompletedProcess(cmd, p.returncode, out, err)


def rel_err(out_path, ref_path):
    import numpy as np
    y = np.load(out_path).astype(np.float64)
    ref = np.load(ref_path).astype(np.float64)
    if y.size != ref.size:
        return None, f"output has shape {y.shape}, PyTorch's {ref.shape}"
    y, ref = y.ravel(), ref.ravel()
    if not np.all(np.isfinite(y)):
        return float("inf"), "output is not finite"
    return float(np.linalg.norm(y - ref) / max(np.linalg.norm(ref), 1e-30)), None


REFUSAL = re.compile(r"^node '(.*)' \((\w+)\): (.*)$")


def coverage(tools, onnx_path, a):
    """acnnc inspect --coverage: the nodes acnn cannot import, as one line, or None."""
    try:
        p = run([tools["acnnc"], "inspect", "--coverage", onnx_path], a.timeout)
    except (subprocess.SubprocessError, OSError):
        return None
    if p.returncode <= 0:
        return None
    refusals = [m for m in (REFUSAL.match(l.strip()) for l in p.stdout.splitlines()) if m]
    if not refusals:
        return None
    ops = {}
    for m in refusals:
        ops.setdefault(f"{m.group(2)} ({m.group(3)})", []).append(m.group(1))
    summary = first_line(p.stderr, f"{len(refusals)} nodes cannot be imported")
    summary = re.sub(r"^acnnc: error: [^:]*: ", "", summary)
    return summary + ": " + "; ".join(
        f"{k} x{len(v)}" if len(v) > 1 else k for k, v in ops.items())


def step(res, what, tool, cmd, timeout):
    """Runs one step of a check (what: compile or run), its seconds in res[what + "_s"];
    returns the finished process, or None with a timeout or a crash recorded in res."""
    t0 = time.perf_counter()
    try:
        p = run(cmd, timeout)
    except subprocess.TimeoutExpired:
        res.update({what + "_s": time.perf_counter() - t0}, status=f"{what} timeout",
                   detail=f"{tool} ran past {timeout:g} s")
        return None
    res[what + "_s"] = time.perf_counter() - t0
    if p.returncode < 0:
        res.update(status=f"{what} crash", detail=f"{signal_name(p.returncode)}: "
                   + first_line(p.stderr, first_line(p.stdout, "no message")))
        return None
    return p


def check(name, a, tools):
    """One model: compile, run, compare. Returns a result dict."""
    base = os.path.join(a.dir, name)
    so = os.path.join(a.so_dir, name + ".so")
    res = {"model": name, "compile_s": None, "run_s": None, "rel_err": None,
           "status": None, "detail": "", "failed": True}
    cmd = [tools["acnnc"], "compile", base + ".onnx", "-o", so] + a.acnnc_flag
    if os.path.exists(so):
        os.remove(so)
    p = step(res, "compile", "acnnc compile", cmd, a.timeout)
    if p is None:
        return res
    if p.returncode or not os.path.exists(so):
        msg = first_line(p.stderr, first_line(p.stdout, f"exit status {p.returncode}"))
        refused = None if "Stack dump" in p.stderr else coverage(tools, base + ".onnx", a)
        if refused:
            res.update(status="unsupported", detail=refused, failed=False)
        elif UNSUPPORTED.search(msg) and "Stack dump" not in p.stderr:
            res.update(status="unsupported", detail=msg, failed=False)
        else:
            res.update(status="compile error", detail=msg)
        return res

    with tempfile.TemporaryDirectory(prefix="zoo-check-") as tmp:
        out = os.path.join(tmp, "out.npy")
        cmd = [tools["acnn_run"], so, "--input", base + ".input.npy", "--output", out]
        if a.threads:
            cmd += ["--threads", str(a.threads)]
        p = step(res, "run", "acnn-run", cmd, a.timeout)
        if p is None:
            return res
        if p.returncode or not os.path.exists(out):
            res.update(status="run error", detail=first_line(
                p.stderr, first_line(p.stdout, f"exit status {p.returncode}")))
            return res
        err, why = rel_err(out, base + ".output.npy")
    res["rel_err"] = err
    if why or err is None or not err <= a.tol:
        res.update(status="mismatch", detail=why or f"rel L2 error {err:.2e} > {a.tol:g}")
        return res
    res.update(status="ok", failed=False)
    return res


def table(results):
    header = ["model", "compile s", "status", "rel err", "detail"]
    rows = []
    for r in results:
        rows.append([r["model"],
                     "—" if r["compile_s"] is None else f"{r['compile_s']:.1f}",
                     r["status"],
                     "—" if r["rel_err"] is None else f"{r['rel_err']:.1e}",
                     r["detail"].replace("|", "\\|")])
    out = ["| " + " | ".join(header) + " |", "|:---|---:|:---|---:|:---|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(out)


def wanted(name, patterns):
    if not patterns:
        return True
    return any(fnmatch.fnmatchcase(name, p) or name.startswith(p + "_") for p in patterns)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("dir", nargs="?", default=os.path.join(ROOT, "build", "zoo"),
                   help="directory of NAME.onnx/.input.npy/.output.npy (default: %(default)s)")
    p.add_argument("--only", help="comma-separated names, architectures or fnmatch patterns")
    p.add_argument("--jobs", type=int, default=1, help="models compiled at once (default 1)")
    p.add_argument("--timeout", type=float, default=600, help="seconds per compile and per run")
    p.add_argument("--tol", type=float, default=1e-4, help="relative L2 error allowed")
    p.add_argument("--threads", type=int, default=0,
                   help="acnn-run --threads (default: the library's own)")
    p.add_argument("--acnnc", default=os.path.join(ROOT, "build", "bin", "acnnc"))
    p.add_argument("--acnn-run", default=os.path.join(ROOT, "build", "bin", "acnn-run"))
    p.add_argument("--acnnc-flag", action="append", default=[],
                   help="extra flag for acnnc compile (repeatable), e.g. --acnnc-flag=--cpu=native")
    p.add_argument("--so-dir", help="where the .so files go (default: DIR/acnn)")
    p.add_argument("--no-snapshot", action="store_true",
                   help="run --acnnc/--acnn-run in place instead of copies made at the start")
    p.add_argument("--md", help="also write the table (Markdown) here")
    p.add_argument("--json", help="also write one JSON line per model here")
    a = p.parse_args()

    a.dir = os.path.abspath(a.dir)
    a.so_dir = os.path.abspath(a.so_dir or os.path.join(a.dir, "acnn"))
    patterns = [s.strip() for s in (a.only or "").split(",") if s.strip()]
    names = []
    for onnx_path in sorted(glob.glob(os.path.join(a.dir, "*.onnx"))):
        n = os.path.basename(onnx_path)[:-len(".onnx")]
        if not wanted(n, patterns):
            continue
        missing = [s for s in (".input.npy", ".output.npy")
                   if not os.path.exists(os.path.join(a.dir, n + s))]
        if missing:
            print(f"zoo_check: {n}: no {', '.join(n + s for s in missing)}; skipped",
                  file=sys.stderr)
            continue
        names.append(n)
    if not names:
        print(f"zoo_check: no models in {a.dir}" + (f" matching {a.only}" if a.only else "")
              + " (run tests/models/zoo.py)", file=sys.stderr)
        return 2
    for tool in (a.acnnc, a.acnn_run):
        if not os.access(tool, os.X_OK):
            print(f"zoo_check: {tool} not found (build acnnc and acnn-run)", file=sys.stderr)
            return 2
    os.makedirs(a.so_dir, exist_ok=True)

    snapdir = None
    tools = {"acnnc": a.acnnc, "acnn_run": a.acnn_run}
    if not a.no_snapshot:
        snapdir = tempfile.mkdtemp(prefix="zoo-check-bin-")
        tools = {k: snapshot(v, snapdir, ["--help"]) for k, v in tools.items()}

    lock = threading.Lock()
    results = {}

    def one(n):
        try:
            r = check(n, a, tools)
        except Exception as e:  # noqa: BLE001 - a harness error is that model's row
            r = {"model": n, "compile_s": None, "run_s": None, "rel_err": None,
                 "status": "check error", "detail": f"{type(e).__name__}: {e}", "failed": True}
        with lock:
            results[n] = r
            cs = "—" if r["compile_s"] is None else f"{r['compile_s']:.1f} s"
            er = "" if r["rel_err"] is None else f" rel err {r['rel_err']:.1e}"
            print(f"[{len(results)}/{len(names)}] {n}: {r['status']}{er} (compile {cs})"
                  + (f": {r['detail']}" if r["detail"] and r["status"] != "ok" else ""),
                  file=sys.stderr, flush=True)
        return r

    t0 = time.perf_counter()
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
            list(ex.map(one, names))
    finally:
        if snapdir:
            shutil.rmtree(snapdir, ignore_errors=True)
    ordered = [results[n] for n in names]

    text = table(ordered)
    counts = {}
    for r in ordered:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    failed = [r["model"] for r in ordered if r["failed"]]
    summary = (f"{len(ordered)} models in {time.perf_counter() - t0:.0f} s: "
               + ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
               + (f"; FAILED: {', '.join(failed)}" if failed else "; no failures"))
    print(text)
    print()
    print(summary)
    if a.md:
        with open(a.md, "w") as f:
            f.write(text + "\n\n" + summary + "\n")
    if a.json:
        with open(a.json, "w") as f:
            for r in ordered:
                f.write(json.dumps(r) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
