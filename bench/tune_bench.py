#!/usr/bin/python3
"""What `acnnc tune` buys: tunes each model, then times it untuned, tuned and under ONNX
Runtime in interleaved rounds, and prints a Markdown table; plots each model's per-kernel
speedups (tune_plot.py) to build/bench/tune/MODEL.speedups.png.

  /usr/bin/python3 bench/tune_bench.py MODEL.onnx... [--budget 5m] [--db build/bench/tuning.jsonl]
        [--rounds 3] [--runs 20] [--warmup 3] [--threads 2] [--fresh] [--measure harness|model]

Each MODEL.onnx needs MODEL.input.npy beside it (as generate.py and zoo.py write them). All
models tune into one database (--db), so a model reuses the kernels an earlier one tuned;
--fresh starts it empty. Needs the build (build/bin/acnnc, acnn-run) and onnxruntime-node in
build/bench/node (bench/run.sh installs it).
"""

import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BIN = os.path.join(ROOT, "build", "bin")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def acnn_ms(so, inp, args):
    out = run([os.path.join(BIN, "acnn-run"), so, "--input", inp, "--runs", str(args.runs),
               "--warmup", str(args.warmup), "--threads", str(args.threads)]).stdout
    return float(re.search(r"median ([0-9.]+) ms", out).group(1))


def ort_ms(onnx, inp, args):
    env = dict(os.environ, NODE_PATH=os.path.join(ROOT, "build", "bench", "node", "node_modules"))
    out = run(["node", os.path.join(HERE, "ort_bench.js"), onnx, inp, "--runs", str(args.runs),
               "--warmup", str(args.warmup), "--threads", str(args.threads)], env=env).stdout
    return float(json.loads(out.strip().splitlines()[-1])["median_ms"])


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("models", nargs="+")
    p.add_argument("--budget", default="5m")
    p.add_argument("--db", default=os.path.join(ROOT, "build", "bench", "tuning.jsonl"))
    p.add_argument("--fresh", action="store_true", help="start with an empty database")
    p.add_argument("--measure", default="harness", choices=["harness", "model"],
                   help="where acnnc tune times candidates")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    if args.fresh and os.path.exists(args.db):
        os.remove(args.db)
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                if l.startswith("model name")), "?")
    print(f"CPU: {cpu}; {os.cpu_count()} CPUs; load {os.getloadavg()[0]:.2f}; "
          f"budget {args.budget} a model, measured in the {args.measure}; database {args.db}",
          flush=True)
    work = os.path.join(ROOT, "build", "bench", "tune")
    os.makedirs(work, exist_ok=True)
    rows = []
    for onnx in args.models:
        name = os.path.basename(onnx)[:-len(".onnx")]
        inp = onnx[:-len(".onnx")] + ".input.npy"
        start = time.time()
        tuned = run([os.path.join(BIN, "acnnc"), "tune", onnx, "-o", args.db, "--budget",
                     args.budget, "--threads", str(args.threads), "--measure", args.measure])
        seconds = time.time() - start
        with open(os.path.join(work, name + ".tune.txt"), "w") as f:
            f.write(tuned.stdout + tuned.stderr)
        summary = re.search(r"(\d+) of (\d+) kernel keys tuned, (\d+) reused", tuned.stdout)
        # The per-key speedups of the keys this model tuned (none when it reused them all).
        plot = subprocess.run([sys.executable, os.path.join(HERE, "tune_plot.py"), args.db,
                               "--model", name, "-o", os.path.join(work, name + ".speedups.png")],
                              capture_output=True, text=True)
        print((plot.stdout or plot.stderr).strip(), flush=True)
        untuned_so = os.path.join(work, name + ".untuned.so")
        tuned_so = os.path.join(work, name + ".tuned.so")
        common = ["--threads", str(args.threads), "-q"]
        run([os.path.join(BIN, "acnnc"), "compile", onnx, "-o", untuned_so] + common)
        run([os.path.join(BIN, "acnnc"), "compile", onnx, "-o", tuned_so, "--tuning-db",
             args.db] + common)
        times = {"untuned": [], "tuned": [], "ort": []}
        for r in range(args.rounds):
            order = ["untuned", "tuned", "ort"]
            order = order[r % 3:] + order[:r % 3]
            for engine in order:
                times[engine].append(acnn_ms(untuned_so, inp, args) if engine == "untuned" else
                                     acnn_ms(tuned_so, inp, args) if engine == "tuned" else
                                     ort_ms(onnx, inp, args))
        med = {k: statistics.median(v) for k, v in times.items()}
        rows.append((name, seconds, summary.groups() if summary else ("?", "?", "?"), med))
        print(f"{name}: tuned in {seconds:.0f} s; untuned {med['untuned']:.3f} ms, tuned "
              f"{med['tuned']:.3f} ms, ORT {med['ort']:.3f} ms", flush=True)
    print()
    print("| model | tune s | keys tuned / measured | reused | untuned ms | tuned ms | ORT ms "
          "| untuned/tuned | ORT/untuned | ORT/tuned |")
    print("|:--|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for name, seconds, (tuned, keys, reused), m in rows:
        print(f"| {name} | {seconds:.0f} | {tuned} / {keys} | {reused} | {m['untuned']:.3f} | "
              f"{m['tuned']:.3f} | {m['ort']:.3f} | {m['untuned'] / m['tuned']:.3f} | "
              f"{m['ort'] / m['untuned']:.3f} | {m['ort'] / m['tuned']:.3f} |")
    speedups = [m["untuned"] / m["tuned"] for *_, m in rows]
    close = [m["untuned"] / m["tuned"] for *_, m in rows if m["ort"] / m["untuned"] > 0.8]
    geo = lambda v: math.exp(sum(map(math.log, v)) / len(v)) if v else float("nan")
    print(f"\ngeometric mean untuned/tuned: {geo(speedups):.3f} over {len(speedups)} models; "
          f"{geo(close):.3f} over the {len(close)} whose untuned speed is above 0.8x ORT's")
    print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    sys.exit(main())
