#!/usr/bin/python3
"""Runs the acnn benchmark: compile the test models, time acnn, ONNX Runtime and PyTorch.

bench/run.sh calls this after installing and building; run it directly to repeat a
measurement without the setup:

  /usr/bin/python3 bench/bench.py [--size full|small|both] [--models se_resnet,mhsa]
        [--engines acnn,ort,torch] [--runs 20] [--warmup 3] [--threads 2] [--rounds 1]
        [--profile-runs 10] [--results build/bench/results.jsonl] [--append]
  /usr/bin/python3 bench/bench.py --zoo [--zoo-size common|small] [--zoo-models a,b]
        [--zoo-opset 17] [...the same flags]

--zoo benchmarks the torchvision zoo of tests/models/zoo.py instead of generate.py's
models: NAME = ARCH_SIZE_opOPSET in --models-dir (default build/bench/zoo, where
bench/run.sh --zoo exports them), results by default in build/bench/zoo/results.jsonl;
PyTorch rebuilds each model with zoo.build().

Order of work: machine description and fp32 peak (sgemm, FMA loop); acnnc compile of every model;
then, per round, per model, the three engines one after another (the order rotates
each round), each engine in its own process doing --warmup + --runs inferences at
batch 1 on --threads threads; then the peak again. Every step appends JSON
lines to --results (see bench/README.md); a step that fails or times out appends a
record with "ok": false and the error's first line, and the run goes on.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "models"))

ENGINES = ("acnn", "ort", "torch")


sys.path.insert(0, HERE)
from acnn_bench import first_line  # noqa: E402  (the error's first line, or two)


class Results:
    def __init__(self, path, append, run_id):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        self.f = open(path, "a" if append else "w")
        self.run_id = run_id

    def write(self, rec):
        rec = dict(rec, run_id=self.run_id)
        self.f.write(json.dumps(rec) + "\n")
        self.f.flush()
        status = "ok" if rec.get("ok", True) else "FAILED: " + rec.get("error", "")
        what = " ".join(str(rec[k]) for k in ("kind", "engine", "model") if rec.get(k))
        extra = f" {rec['median_ms']:.3f} ms" if rec.get("median_ms") is not None else ""
        if rec.get("kind") == "peak" and rec.get("gflops"):
            extra = f" {rec['gflops']:.1f} GFLOP/s"
        print(f"[bench] {what}{extra} {status}", file=sys.stderr, flush=True)


def run_json(cmd, timeout, fallback, env=None):
    """Runs a bench script that prints JSON lines; returns its records, or one error record."""
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env,
                           cwd=ROOT)
    except subprocess.TimeoutExpired:
        return [dict(fallback, ok=False, error=f"timed out after {timeout:g} s")]
    except OSError as e:
        return [dict(fallback, ok=False, error=f"cannot run {cmd[0]}: {e.strerror}")]
    recs = []
    for line in p.stdout.splitlines():
        if line.startswith("{"):
            try:
                recs.append(json.loads(line))
            except json.JSONDecodeError:
                pass
    if not recs:
        err = first_line(p.stderr, first_line(p.stdout, f"exit status {p.returncode}"))
        return [dict(fallback, ok=False, error=err)]
    return recs


def snapshot(tool, dest_dir, probe_args):
    """Copies a tool binary to dest_dir and checks the copy runs, so a colleague's rebuild
    of build/bin during the benchmark cannot swap or remove it mid-run. Returns the copy's
    path, or the original path (whose failure then shows in the rows) if no good copy."""
    import shutil
    os.makedirs(dest_dir, exist_ok=True)
    dest = os.path.join(dest_dir, os.path.basename(tool))
    for _ in range(12):  # the linker may be writing it right now: retry for a minute
        try:
            shutil.copy2(tool, dest + ".tmp")
            os.replace(dest + ".tmp", dest)
            if subprocess.run([dest] + probe_args, capture_output=True,
                              timeout=30).returncode == 0:
                return dest
        except (OSError, subprocess.SubprocessError):
            pass
        time.sleep(5)
    return tool


def git_state():
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, cwd=ROOT, timeout=30).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, cwd=ROOT, timeout=30).stdout
        return head + (" (with uncommitted changes)" if dirty.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return None


def compile_model(args, onnx_path, so_path, label):
    rec = {"kind": "compile", "engine": "acnn", "model": label}
    if not os.access(args.acnnc, os.X_OK):
        return dict(rec, ok=False, error=f"{args.acnnc} not found (build the acnnc target)")
    cmd = [args.acnnc, "compile", onnx_path, "-o", so_path] + args.acnnc_flag
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return dict(rec, ok=False, error=f"acnnc compile timed out after {args.timeout:g} s")
    secs = time.perf_counter() - t0
    if p.returncode or not os.path.exists(so_path):
        return dict(rec, ok=False, seconds=secs,
                    error=first_line(p.stderr, first_line(p.stdout,
                                                          f"exit status {p.returncode}")))
    return dict(rec, ok=True, seconds=secs, command=" ".join(cmd),
                bytes=os.path.getsize(so_path))


def engine_cmd(args, engine, model):
    common = ["--runs", str(args.runs), "--warmup", str(args.warmup),
              "--threads", str(args.threads)]
    if engine == "acnn":
        return [sys.executable, os.path.join(HERE, "acnn_bench.py"), model["so"], model["input"],
                "--golden", model["golden"], "--label", model["label"], "--acnn-run",
                args.acnn_run, "--profile-runs", str(args.profile_runs),
                "--timeout", str(args.timeout)] + common
    if engine == "ort":
        return [args.node, os.path.join(HERE, "ort_bench.js"), model["onnx"], model["input"],
                "--golden", model["golden"], "--name", model["label"],
                "--profile-runs", str(args.profile_runs)] + common
    return [sys.executable, os.path.join(HERE, "torch_bench.py"), model["name"], model["input"],
            "--golden", model["golden"], "--size", model["size"], "--label",
            model["label"]] + (["--zoo"] if args.zoo else []) + common


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", choices=["full", "small", "both"], default="full")
    p.add_argument("--models", help="comma-separated subset of generate.py's models")
    p.add_argument("--engines", default=",".join(ENGINES), help="subset of acnn,ort,torch")
    p.add_argument("--runs", type=int, default=20, help="timed runs per measurement")
    p.add_argument("--warmup", type=int, default=3, help="untimed runs before them")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--rounds", type=int, default=1,
                   help="repeat the interleaved engine loop; reported: median over rounds")
    p.add_argument("--profile-runs", type=int, default=10,
                   help="runs of acnn-run --profile and of ORT's profiler, each in a process or "
                        "session of its own after the timed runs (0: off)")
    p.add_argument("--zoo", action="store_true",
                   help="benchmark tests/models/zoo.py's torchvision models instead")
    p.add_argument("--zoo-models", help="with --zoo: comma-separated architectures (default all)")
    p.add_argument("--zoo-size", choices=["small", "common"], default="common",
                   help="with --zoo: small or common (224x224) inputs")
    p.add_argument("--zoo-opset", type=int, default=17, help="with --zoo: the exported opset")
    p.add_argument("--models-dir", help="default build/bench/models (--zoo: build/bench/zoo)")
    p.add_argument("--results",
                   help="default build/bench/results.jsonl (--zoo: build/bench/zoo/results.jsonl)")
    p.add_argument("--append", action="store_true", help="append to --results")
    p.add_argument("--acnnc", default=os.path.join(ROOT, "build", "bin", "acnnc"))
    p.add_argument("--acnnc-flag", action="append", default=[],
                   help="extra flag for acnnc compile (repeatable), e.g. --acnnc-flag=--cpu=native")
    p.add_argument("--acnn-run", default=os.path.join(ROOT, "build", "bin", "acnn-run"))
    p.add_argument("--node", default="node")
    p.add_argument("--peak-n", type=int, default=2048)
    p.add_argument("--no-peak", action="store_true", help="skip the peak (sgemm and FMA loop)")
    p.add_argument("--timeout", type=float, default=600, help="seconds per step")
    p.add_argument("--omp-passive", action="store_true",
                   help="run PyTorch with OMP_WAIT_POLICY=PASSIVE (see bench/README.md)")
    p.add_argument("--no-snapshot", action="store_true",
                   help="use --acnnc/--acnn-run in place instead of copies made at the start")
    p.add_argument("--note", action="append", default=[],
                   help="a remark for the report (repeatable); run.sh notes a failed build")
    args = p.parse_args()
    if args.zoo:
        args.models_dir = args.models_dir or os.path.join(ROOT, "build", "bench", "zoo")
        args.results = args.results or os.path.join(ROOT, "build", "bench", "zoo",
                                                    "results.jsonl")
    else:
        args.models_dir = args.models_dir or os.path.join(ROOT, "build", "bench", "models")
        args.results = args.results or os.path.join(ROOT, "build", "bench", "results.jsonl")

    if args.zoo:
        models = zoo_models(p, args)
    else:
        models = generate_models(p, args)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    if any(e not in ENGINES for e in engines):
        p.error(f"--engines takes a subset of {','.join(ENGINES)}")
    run_bench(args, models, engines)
    return 0


def zoo_models(p, args):
    """--zoo: the torchvision zoo's models at --zoo-size and --zoo-opset."""
    import zoo  # tests/models/zoo.py; importing it builds nothing
    archs = list(zoo.MODELS)
    if args.zoo_models:
        wanted = [m.strip() for m in args.zoo_models.split(",") if m.strip()]
        unknown = [m for m in wanted if m not in archs]
        if unknown:
            p.error(f"unknown zoo model(s) {', '.join(unknown)}; known: {', '.join(archs)}")
        archs = wanted
    models = []
    for arch in archs:
        label = zoo.name(arch, args.zoo_size, args.zoo_opset)
        base = os.path.join(args.models_dir, label)
        models.append({"name": arch, "size": args.zoo_size, "label": label,
                       "onnx": base + ".onnx", "input": base + ".input.npy",
                       "golden": base + ".output.npy",
                       "so": os.path.join(args.models_dir, "acnn", label + ".so")})
    return models


def generate_models(p, args):
    """generate.py's attention-CNN test models at --size."""
    import generate  # the model zoo (names and order); importing it builds nothing
    names = list(generate.MODELS)
    if args.models:
        wanted = [m.strip() for m in args.models.split(",") if m.strip()]
        unknown = [m for m in wanted if m not in names]
        if unknown:
            p.error(f"unknown model(s) {', '.join(unknown)}; known: {', '.join(names)}")
        names = wanted
    sizes = ["full", "small"] if args.size == "both" else [args.size]

    models = []
    for size in sizes:
        for name in names:
            label = name + ("_full" if size == "full" else "")
            base = os.path.join(args.models_dir, label)
            models.append({"name": name, "size": size, "label": label, "onnx": base + ".onnx",
                           "input": base + ".input.npy", "golden": base + ".output.npy",
                           "so": os.path.join(args.models_dir, "acnn", label + ".so")})
    return models


def run_bench(args, models, engines):
    if "acnn" in engines and not args.no_snapshot:
        bindir = os.path.join(os.path.dirname(os.path.abspath(args.results)), "bin")
        if os.access(args.acnnc, os.X_OK):
            args.acnnc = snapshot(args.acnnc, bindir, ["--help"])
        if os.access(args.acnn_run, os.X_OK):
            args.acnn_run = snapshot(args.acnn_run, bindir, ["--help"])

    run_id = datetime.datetime.now().strftime("%Y-%m-%dT%H:%M:%S")
    out = Results(args.results, args.append, run_id)
    zoo = {"zoo": True, "zoo_size": args.zoo_size, "zoo_opset": args.zoo_opset,
           "models_dir": os.path.abspath(args.models_dir)} if args.zoo else {}
    out.write(dict({"kind": "run", "size": args.zoo_size if args.zoo else args.size,
                    "models": [m["label"] for m in models],
                    "engines": engines, "runs": args.runs, "warmup": args.warmup,
                    "threads": args.threads, "rounds": args.rounds,
                    "profile_runs": args.profile_runs, "notes": args.note,
                    "omp_passive": args.omp_passive, "git": git_state(),
                    "acnnc": args.acnnc, "acnn_run": args.acnn_run,
                    "loadavg": list(os.getloadavg())}, **zoo))

    def peak(label, machine):
        cmd = [sys.executable, os.path.join(HERE, "peak.py"), "--threads", str(args.threads),
               "--n", str(args.peak_n), "--label", label] + ([] if machine else ["--no-machine"])
        for rec in run_json(cmd, args.timeout, {"kind": "peak", "label": label}):
            out.write(rec)

    if args.no_peak:
        out.write(_machine_only())
    else:
        peak("start", machine=True)

    # Compile first, so no compilation overlaps a timed run.
    compiled = {}
    if "acnn" in engines:
        os.makedirs(os.path.join(args.models_dir, "acnn"), exist_ok=True)
        for m in models:
            if not os.path.exists(m["onnx"]):
                rec = {"kind": "compile", "engine": "acnn", "model": m["label"], "ok": False,
                       "error": f"{m['onnx']} not found (run "
                                f"{'zoo.py' if args.zoo else 'generate.py'})"}
            else:
                rec = compile_model(args, m["onnx"], m["so"], m["label"])
            out.write(rec)
            compiled[m["label"]] = rec

    for r in range(args.rounds):
        order = engines[r % len(engines):] + engines[:r % len(engines)]
        for m in models:
            for engine in order:
                fallback = {"kind": "latency", "engine": engine, "model": m["label"],
                            "runs": args.runs, "warmup": args.warmup, "threads": args.threads}
                if not os.path.exists(m["onnx"]):
                    recs = [dict(fallback, ok=False, error=f"{m['onnx']} not found")]
                elif engine == "acnn" and not compiled[m["label"]]["ok"]:
                    recs = [dict(fallback, ok=False,
                                 error="compile failed: " + compiled[m["label"]]["error"])]
                elif engine == "acnn" and not os.access(args.acnn_run, os.X_OK):
                    recs = [dict(fallback, ok=False,
                                 error=f"{args.acnn_run} not found (build the acnn-run target)")]
                else:
                    env = None
                    if engine == "torch" and args.omp_passive:
                        env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE")
                    recs = run_json(engine_cmd(args, engine, m), args.timeout, fallback, env)
                for rec in recs:
                    rec["round"] = r
                    out.write(rec)

    if not args.no_peak:
        peak("end", machine=False)
    out.write({"kind": "end", "loadavg": list(os.getloadavg())})


def _machine_only():
    sys.path.insert(0, HERE)
    import peak
    return peak.machine("start")


if __name__ == "__main__":
    sys.exit(main())
