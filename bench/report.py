#!/usr/bin/python3
"""Turns the benchmark's JSON lines into a Markdown report and a PNG bar plot.

  /usr/bin/python3 bench/report.py [--results build/bench/results.jsonl]
        [--models-dir build/bench/models] [--md build/bench/report.md]
        [--png build/bench/report.png] [--run-id ID|all]

Reads the records bench/bench.py wrote (by default those of the last run in the
file), counts each model's FLOPs from its ONNX graph (bench/flops.py), and prints
the tables described in bench/README.md. Never fails on a missing or failed
measurement: the cell says "fail" and a note gives the error's first line.

For a zoo run (bench.py --zoo) it also prints the geometric mean and the worst case
of acnn/ORT and the per-kernel profile of the three models furthest behind ORT,
with both engines' profiles summed per module (module_profile.py), and the plot
is acnn/ORT per model; --models-dir then defaults to the run's model directory
and --md/--png to report.md/report.png beside --results.
"""

import argparse
import json
import os
import re
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import flops as flopcount  # noqa: E402 (bench/, on the path above)
import module_profile  # noqa: E402

ENGINE_TITLES = {"acnn": "acnn", "ort": "ORT", "torch": "PyTorch"}


def load(path, run_id):
    recs = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                try:
                    recs.append(json.loads(line))
                except json.JSONDecodeError:
                    pass
    if run_id != "all":
        ids = [r.get("run_id") for r in recs if r.get("kind") == "run"]
        want = run_id or (ids[-1] if ids else None)
        if want:
            recs = [r for r in recs if r.get("run_id") == want]
    return recs


class Notes:
    """Numbered footnotes; one note per distinct text, listing the models it applies to."""

    def __init__(self):
        self.texts, self.models = [], []

    def add(self, text, model=None):
        if text not in self.texts:
            self.texts.append(text)
            self.models.append([])
        i = self.texts.index(text)
        if model and model not in self.models[i]:
            self.models[i].append(model)
        return i + 1

    @property
    def items(self):
        return [t + (f" ({', '.join(m)})" if m else "") for t, m in zip(self.texts, self.models)]


def kernel_kind(name):
    n = name.lower()
    if "conv" in n:
        return "conv"
    if re.search(r"matmul|gemm|dot|linear|batch_matmul", n):
        return "matmul"
    return None


# --- formatting -----------------------------------------------------------------

def first_line(e):
    text = str(e)
    return next((l.strip() for l in text.splitlines() if l.strip()), type(e).__name__)


def fmt(x, spec):
    return "—" if x is None else format(x, spec)


def table(header, rows, align):
    out = ["| " + " | ".join(header) + " |",
           "|" + "|".join(":---" if a == "l" else "---:" for a in align) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def median_over_rounds(recs):
    ok = [r for r in recs if r.get("ok") and r.get("median_ms") is not None]
    if not ok:
        return None, None, (recs[-1].get("error", "failed") if recs else None)
    return statistics.median(r["median_ms"] for r in ok), ok, None


def best_over_rounds(ok):
    """The fastest run over all rounds: another tenant's load only slows runs down, so on a
    shared machine this moves less between bench runs than the median does."""
    mins = [r["min_ms"] for r in ok or [] if r.get("min_ms") is not None]
    return min(mins) if mins else None


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--results", default=os.path.join(ROOT, "build", "bench", "results.jsonl"))
    p.add_argument("--models-dir",
                   help="default build/bench/models (a zoo run: the run's model directory)")
    p.add_argument("--md", help="default build/bench/report.md (a zoo run: beside --results)")
    p.add_argument("--png", help="default build/bench/report.png (a zoo run: beside --results)")
    p.add_argument("--run-id", help="which run in --results (default: the last; 'all': every)")
    p.add_argument("--top-kernels", type=int, default=10,
                   help="a zoo run: kernels listed per model in the worst three's profiles")
    a = p.parse_args()

    if not os.path.exists(a.results):
        print(f"report.py: {a.results} does not exist; run bench/run.sh first", file=sys.stderr)
        return 1
    recs = load(a.results, a.run_id)
    run = next((r for r in recs if r.get("kind") == "run"), {})
    machine = next((r for r in recs if r.get("kind") == "machine"), {})
    peaks = [r for r in recs if r.get("kind") == "peak" and r.get("ok") and r.get("gflops")]
    peak = max((r["gflops"] for r in peaks), default=None)
    end = next((r for r in recs if r.get("kind") == "end"), {})
    zoo = bool(run.get("zoo"))
    outdir = os.path.dirname(os.path.abspath(a.results))
    if a.models_dir is None:
        a.models_dir = run.get("models_dir") if zoo else None
        a.models_dir = a.models_dir or os.path.join(ROOT, "build", "bench", "models")
    if a.md is None:
        a.md = (os.path.join(outdir, "report.md") if zoo
                else os.path.join(ROOT, "build", "bench", "report.md"))
    if a.png is None:
        a.png = (os.path.join(outdir, "report.png") if zoo
                 else os.path.join(ROOT, "build", "bench", "report.png"))

    models = run.get("models") or sorted({r["model"] for r in recs if r.get("model")})
    engines = run.get("engines") or list(ENGINE_TITLES)
    notes = Notes()
    for n in run.get("notes") or []:
        notes.add(n)
    lines = []

    # Machine
    lines.append("### acnn benchmark" + (" on the torchvision zoo" if zoo else "")
                 + (f" ({run['run_id']})" if run.get("run_id") else ""))
    if zoo:
        lines.append("")
        lines.append(f"tests/models/zoo.py, size {run.get('zoo_size', '?')}, "
                     f"opset {run.get('zoo_opset', '?')}")
    lines.append("")
    isa = ", ".join(machine.get("isa", [])) or "unknown"
    lines.append(f"- CPU: {machine.get('cpu', 'unknown')}, {machine.get('cpus', '?')} CPUs; "
                 f"ISA: {isa}")
    if peaks:
        per = ", ".join(f"{r['engine']} {r.get('label', '')} {r['gflops']:.1f}" for r in peaks)
        lines.append(f"- fp32 peak (best of sgemm {peaks[0].get('n')}³ and an FMA loop, "
                     f"{peaks[0].get('threads')} threads): **{peak:.1f} GFLOP/s** (max of: {per})")
    else:
        bad = [r for r in recs if r.get("kind") == "peak"]
        lines.append("- fp32 peak: not measured" +
                     (f" ({bad[0].get('error')})" if bad and bad[0].get("error") else ""))
    lines.append(f"- batch 1, {run.get('threads', '?')} threads; each time is the median of "
                 f"{run.get('runs', '?')} runs after {run.get('warmup', '?')} warm-up runs"
                 + (f", median over {run['rounds']} interleaved rounds"
                    if run.get("rounds", 1) > 1 else ""))
    if run.get("omp_passive"):
        lines.append("- PyTorch ran with OMP_WAIT_POLICY=PASSIVE")
    la0, la1 = run.get("loadavg"), end.get("loadavg")
    busy = bool(la0) and max(la0[0], (la1 or [0])[0]) > 0.5 * (machine.get("cpus") or 2)
    if la0:
        lines.append(f"- load average (1 min) at start {la0[0]:.2f}"
                     + (f", at end {la1[0]:.2f}" if la1 else "")
                     + (" — the machine was busy; numbers are noisy" if busy else ""))
        if busy and "torch" in engines and not run.get("omp_passive"):
            lines.append("- PyTorch's OpenMP threads spin-wait; on a busy machine that inflates "
                         "its times many-fold (rerun idle, or with --omp-passive)")
    if run.get("git"):
        lines.append(f"- acnn: commit {run['git']}")
    versions = {r["engine"]: r.get("version") for r in recs
                if r.get("kind") == "latency" and r.get("version")}
    if versions:
        lines.append("- versions: " + ", ".join(f"{ENGINE_TITLES.get(k, k)} {v}"
                                                for k, v in sorted(versions.items())))
    lines.append("")

    # Per model
    header = ["model", "GFLOP", "acnn ms", "ORT ms", "PyTorch ms", "acnn/ORT", "acnn/ORT best",
              "acnn/PyTorch", "acnn GFLOP/s", "% of peak", "acnn rel err"]
    rows, plot, best_ratios = [], [], []
    for model in models:
        onnx_path = os.path.join(a.models_dir, model + ".onnx")
        gflop = None
        try:
            c = flopcount.count(onnx_path)
            gflop = c["total"] / 1e9
            compiled = flopcount.compiler_flops(recs, model) if c["unknown"] else None
            if compiled:
                gflop = compiled / 1e9
                notes.add(f"GFLOP as acnnc counts its kernels: ONNX shape inference left "
                          f"{len(c['unknown'])} conv/matmul nodes' shapes unknown", model)
            elif c["unknown"]:
                notes.add(f"{len(c['unknown'])} conv/matmul nodes not counted in GFLOP "
                          f"(shape unknown), e.g. {c['unknown'][0]}", model)
        except Exception as e:  # noqa: BLE001 - any failure is a note
            notes.add(f"FLOPs not counted: {first_line(e)}", model)
        ms, errs = {}, {}
        for engine in ENGINE_TITLES:
            rs = [r for r in recs if r.get("kind") == "latency" and r.get("engine") == engine
                  and r.get("model") == model]
            if engine not in engines or not rs:
                continue
            ms[engine], ok, err = median_over_rounds(rs)
            ms[engine + "_best"] = best_over_rounds(ok)
            if err:
                # The same failure on every model reads as one note: name the model MODEL.
                generic = re.sub(rf"(?<![A-Za-z0-9_]){re.escape(model)}(?![A-Za-z0-9_])",
                                 "MODEL", err.replace(os.path.abspath(a.models_dir) + "/", ""))
                errs[engine] = notes.add(f"{ENGINE_TITLES[engine]}: {generic}", model)
            if engine == "acnn" and ok:
                re_ = [r["rel_err"] for r in ok if r.get("rel_err") is not None]
                ms["acnn_err"] = max(re_) if re_ else None
            for r in ok or []:
                if r.get("rel_err") is not None and r["rel_err"] > 1e-4 and engine != "acnn":
                    notes.add(f"{ENGINE_TITLES[engine]}: output differs from PyTorch's golden "
                              f"output, rel L2 error {r['rel_err']:.2e}", model)

        def cell(engine):
            if engine in errs:
                return f"fail [{errs[engine]}]"
            if engine not in engines:
                return "not run"
            return fmt(ms.get(engine), ".2f")

        acnn, ort, torch_ms = ms.get("acnn"), ms.get("ort"), ms.get("torch")
        acnn_best, ort_best = ms.get("acnn_best"), ms.get("ort_best")
        best_ratio = acnn_best / ort_best if acnn and ort and acnn_best and ort_best else None
        gps = gflop / (acnn / 1e3) if gflop and acnn else None
        pct = 100 * gps / peak if gps and peak else None
        err = ms.get("acnn_err")
        rows.append([model, fmt(gflop, ".3f"), cell("acnn"), cell("ort"), cell("torch"),
                     fmt(acnn / ort if acnn and ort else None, ".2f"), fmt(best_ratio, ".2f"),
                     fmt(acnn / torch_ms if acnn and torch_ms else None, ".2f"),
                     fmt(gps, ".1f"), fmt(pct, ".1f"),
                     fmt(err, ".1e") + (" ✗" if err is not None and err > 1e-4 else "")])
        plot.append((model, acnn, ort, torch_ms))
        best_ratios.append(best_ratio)
    lines.append(table(header, rows, "lrrrrrrrrrr"))
    lines.append("")
    compiles = [r for r in recs if r.get("kind") == "compile" and r.get("ok")]
    if compiles:
        lines.append("acnnc compile time: " + ", ".join(
            f"{r['model']} {r['seconds']:.1f} s" for r in compiles if r.get("seconds")))
        lines.append("")

    if zoo:
        summary, worst = zoo_summary(plot, [r for r in best_ratios if r])
        lines += summary
        lines += worst_profiles(recs, worst, plot, a.top_kernels)

    # Kernels
    lines += kernel_section(recs, models, peak, notes)

    if notes.items:
        lines.append("Notes:")
        lines.append("")
        lines += [f"{i}. {t}" for i, t in enumerate(notes.items, 1)]
        lines.append("")

    text = "\n".join(lines)
    print(text)
    if a.md:
        os.makedirs(os.path.dirname(os.path.abspath(a.md)), exist_ok=True)
        with open(a.md, "w") as f:
            f.write(text + "\n")
    if a.png:
        msg = plot_zoo_png(a.png, plot, run) if zoo else plot_png(a.png, plot, peak)
        print(msg, file=sys.stderr)
    return 0


# --- zoo runs ---------------------------------------------------------------------

def geomean(xs):
    import math
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def zoo_summary(plot, best_ratios):
    """Geometric mean, worst and best of acnn/ORT (and acnn/PyTorch, and acnn/ORT of each
    engine's fastest run); the worst three."""
    lines = []
    ratios = [(m, acnn / ort) for m, acnn, ort, _ in plot if acnn and ort]
    missing = [m for m, acnn, ort, _ in plot if not (acnn and ort)]
    if not ratios:
        lines.append("acnn/ORT: no model has both an acnn and an ORT time.")
        lines.append("")
        return lines, []
    gm = geomean([r for _, r in ratios])
    worst = sorted(ratios, key=lambda t: -t[1])
    best = worst[-1]
    within = sum(1 for _, r in ratios if r <= 1.0)
    lines.append(f"**acnn/ORT: geometric mean {gm:.2f}** over {len(ratios)} models; "
                 f"worst {worst[0][1]:.2f} ({worst[0][0]}); best {best[1]:.2f} ({best[0]}); "
                 f"{within} of {len(ratios)} at most 1.0")
    if best_ratios:
        lines.append("")
        lines.append(f"acnn/ORT of each engine's fastest run: geometric mean "
                     f"{geomean(best_ratios):.2f}, worst {max(best_ratios):.2f}, "
                     f"{sum(1 for r in best_ratios if r <= 1.0)} of {len(best_ratios)} "
                     f"at most 1.0")
    vs_torch = [acnn / t for _, acnn, _, t in plot if acnn and t]
    if vs_torch:
        lines.append("")
        lines.append(f"acnn/PyTorch: geometric mean {geomean(vs_torch):.2f} over "
                     f"{len(vs_torch)} models")
    if missing:
        lines.append("")
        lines.append(f"Not in the mean (no acnn or no ORT time): {', '.join(missing)}")
    lines.append("")
    return lines, [m for m, _ in worst[:3]]


def profile_of(recs, engine, model, key):
    """`engine`'s profile of `model`, the median of its rounds' (module_profile.py), or None."""
    profiles = [r["profile"] for r in recs if r.get("kind") == "latency"
                and r.get("engine") == engine and r.get("model") == model and r.get("ok")
                and isinstance(r.get("profile"), dict) and r["profile"].get(key)]
    return module_profile.median_profile(profiles) if profiles else None


def worst_profiles(recs, worst, plot, top):
    """The per-kernel profile (acnn-run --profile) of the models furthest behind ORT."""
    if not worst:
        return []
    ms = {m: (acnn, ort) for m, acnn, ort, _ in plot}
    lines = [f"Per-kernel profile of the {len(worst)} models furthest behind ONNX Runtime "
             f"(acnn-run --profile, run separately from the timed runs; the {top} kernels "
             f"with the most time):", ""]
    for model in worst:
        acnn, ort = ms[model]
        lines.append(f"**{model}**: acnn {acnn:.2f} ms, ORT {ort:.2f} ms, "
                     f"acnn/ORT {acnn / ort:.2f}")
        lines.append("")
        prof = profile_of(recs, "acnn", model, "kernels")
        if prof is None:
            err = next((r["profile"].get("error") for r in recs if r.get("model") == model
                        and isinstance(r.get("profile"), dict) and r["profile"].get("error")),
                       None)
            lines.append("no profile" + (f": {err}" if err else " (--profile-runs 0?)"))
            lines.append("")
            continue
        runs = prof.get("runs") or 1
        ks = sorted(prof["kernels"], key=lambda k: -k["total_ms"])
        total = sum(k["total_ms"] for k in ks) / runs
        rows = []
        for k in ks[:top]:
            per_run = k["total_ms"] / runs
            f = flopcount.kernel_flops(k["name"])
            # A kernel's name states its FLOPs a run (the sum of the kernels merged in it).
            gps = (f / (per_run / 1e3) / 1e9 if f is not None and per_run > 0 else None)
            rows.append([f"`{k['name']}`", fmt(k["calls"] / runs, ".0f"), f"{per_run:.3f}",
                         f"{100 * per_run / total:.1f}" if total else "—", fmt(gps, ".1f")])
        rest = ks[top:]
        if rest:
            rest_ms = sum(k["total_ms"] for k in rest) / runs
            rows.append([f"({len(rest)} other kernels)", "", f"{rest_ms:.3f}",
                         f"{100 * rest_ms / total:.1f}" if total else "—", ""])
        lines.append(table(["kernel", "calls / run", "ms / run", "% of kernel time",
                            "GFLOP/s"], rows, "lrrrr"))
        lines.append("")
        pmed = prof.get("median_ms")
        lines.append(f"{len(ks)} kernels, {total:.3f} ms a run in kernels"
                     + (f"; the profiled run's median {pmed:.3f} ms" if pmed else ""))
        lines.append("")
        ort_prof = profile_of(recs, "ort", model, "nodes")
        if ort_prof:
            rows, depth = module_profile.module_rows(prof, ort_prof, top)
            lines.append(f"Beside ORT's profiler (which adds its own cost to every node), per "
                         f"module (node paths cut at depth {depth}; module_profile.py), where "
                         "acnn is furthest behind first, ms a run:")
            lines.append("")
            lines.append(table(["module", "acnn ms", "ORT ms", "acnn/ORT"], rows, "lrrr"))
            lines.append("")
    return lines


def plot_zoo_png(path, plot, run):
    """acnn/ORT per model (and PyTorch/ORT), log scale, with the geometric mean."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "report.py: no matplotlib (apt-get install python3-matplotlib); no plot written"
    names = [m for m, *_ in plot]
    acnn_r = [(a / o) if a and o else None for _, a, o, _ in plot]
    torch_r = [(t / o) if t and o else None for _, _, o, t in plot]
    fig, ax = plt.subplots(figsize=(9, max(3.5, 0.38 * len(names) + 1.5)))
    ys = list(range(len(names)))[::-1]
    colors = ["#d62728" if r and r > 1.0 else "#2ca02c" for r in acnn_r]
    # Bars grow from ORT = 1: right when acnn is slower, left when it is faster.
    ax.barh(ys, [(r - 1.0) if r else 0 for r in acnn_r], 0.6, left=1.0, color=colors,
            label="acnn / ORT")
    tx = [(y, r) for y, r in zip(ys, torch_r) if r]
    if tx:
        ax.scatter([r for _, r in tx], [y for y, _ in tx], marker="|", s=160, color="#7f7f7f",
                   label="PyTorch / ORT", zorder=3)
    for y, r in zip(ys, acnn_r):
        ax.annotate(f"{r:.2f}" if r else "n/a", (r or 1.0, y),
                    xytext=(3 if not r or r >= 1 else -3, 0), textcoords="offset points",
                    va="center", ha="left" if not r or r >= 1 else "right", fontsize=8)
    ax.axvline(1.0, color="#1f77b4", linestyle="-", label="ORT = 1")
    gm = geomean([r for r in acnn_r if r])
    if gm:
        ax.axvline(gm, color="#d62728", linestyle="--", label=f"geometric mean {gm:.2f}")
    ax.set_xscale("log")
    vals = [v for v in acnn_r + torch_r if v] + [1.0]
    lo, hi = min(vals) / 1.25, max(vals) * 1.25
    ax.set_xlim(lo, hi)
    ticks = [t for t in (0.1, 0.2, 0.3, 0.5, 0.7, 0.85, 1, 1.5, 2, 3, 5, 7, 10, 20, 50, 100)
             if lo <= t <= hi]
    ax.set_xticks(ticks)
    ax.set_xticks([], minor=True)
    ax.set_xticklabels([f"{t:g}" for t in ticks])
    ax.set_yticks(ys)
    ax.set_yticklabels(names, fontsize=8)
    ax.set_xlabel("latency / ONNX Runtime latency (log scale; < 1: faster than ORT)")
    ax.set_title(f"acnn vs ONNX Runtime on the torchvision zoo, batch 1, "
                 f"{run.get('threads', '?')} threads ({run.get('zoo_size', '?')}, "
                 f"opset {run.get('zoo_opset', '?')})", fontsize=10)
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig.savefig(path, dpi=110)
    return f"report.py: wrote {path}"


def kernel_section(recs, models, peak, notes):
    """Best and hottest conv / matmul kernels from acnn-run --profile, where FLOPs are known."""
    lines = []
    profiled = [r for r in recs if r.get("kind") == "latency" and r.get("engine") == "acnn"
                and r.get("ok") and isinstance(r.get("profile"), dict)]
    if not profiled:
        lines.append("Per-kernel: no acnn-run --profile data in this run.")
        lines.append("")
        return lines
    kernels, unnamed = [], set()
    perr = [(r["model"], r["profile"]["error"]) for r in profiled if r["profile"].get("error")]
    for model in dict.fromkeys(r["model"] for r in profiled):
        prof = profile_of(recs, "acnn", model, "kernels")
        for k in prof["kernels"] if prof else []:
            kind = kernel_kind(k["name"])
            if not kind:
                continue
            f = flopcount.kernel_flops(k["name"])
            if f is None:
                unnamed.add(kind)
                kernels.append((model, kind, k["name"], k["total_ms"], None))
                continue
            gps = f / (k["total_ms"] / 1e3) / 1e9 if k["total_ms"] > 0 else None
            kernels.append((model, kind, k["name"], k["total_ms"], gps))
    for e in perr:
        notes.add(f"acnn-run --profile failed: {e[1]}", e[0])
    listed = sum(len(r["profile"].get("kernels", [])) for r in profiled)
    if not listed:
        lines.append("Per-kernel: acnn-run --profile listed no kernels (the compiled models "
                     "carry no kernel records).")
        lines.append("")
        return lines
    rows = []
    for kind in ("conv", "matmul"):
        ks = [k for k in kernels if k[1] == kind]
        if not ks:
            rows.append([kind, "—", f"no {kind} kernel named in the profiles", "—", "—", "—"])
            continue
        hot = max(ks, key=lambda k: k[3])
        with_f = [k for k in ks if k[4] is not None]
        best = max(with_f, key=lambda k: k[4]) if with_f else None
        for what, k in (("hottest", hot), ("best GFLOP/s", best)):
            if k is None:
                continue
            gps = k[4]
            rows.append([f"{kind} ({what})", k[0], f"`{k[2]}`", f"{k[3]:.3f}",
                         fmt(gps, ".1f"), fmt(100 * gps / peak if gps and peak else None, ".1f")])
    lines.append(table(["kernel", "model", "name", "ms / run", "GFLOP/s", "% of peak"], rows,
                       "lllrrr"))
    lines.append("")
    if unnamed:
        lines.append("Some " + " and ".join(sorted(unnamed)) + " kernels' FLOPs cannot be "
                     "derived from their names; their GFLOP/s is left out (—), not guessed.")
        lines.append("")
    return lines


def plot_png(path, plot, peak):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "report.py: no matplotlib (apt-get install python3-matplotlib); no plot written"
    names = [m for m, *_ in plot]
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(max(7, 0.9 * len(names) + 3), 8))
    width = 0.27
    colors = {"acnn": "#d62728", "ORT": "#1f77b4", "PyTorch": "#7f7f7f"}
    for i, title in enumerate(("acnn", "ORT", "PyTorch")):
        xs = [j + (i - 1) * width for j in range(len(names))]
        ys = [row[1 + i] or 0 for row in plot]
        ax1.bar(xs, ys, width, label=title, color=colors[title])
        for x, y in zip(xs, ys):
            if not y:
                ax1.annotate("n/a", (x, 0), xycoords=("data", "axes fraction"),
                             xytext=(0, 3), textcoords="offset points", ha="center",
                             fontsize=7, rotation=90, va="bottom", color=colors[title])
    ax1.set_yscale("log")
    ax1.set_ylabel("latency, ms (median, log scale)")
    ax1.set_title("batch 1 latency (lower is better)")
    ax1.set_xticks(range(len(names)))
    ax1.set_xticklabels(names, rotation=30, ha="right")
    ax1.legend()
    for i, title in enumerate(("acnn", "PyTorch")):
        xs = [j + (i - 0.5) * width for j in range(len(names))]
        ys = [(row[1 if title == "acnn" else 3] / row[2]) if row[2] and
              row[1 if title == "acnn" else 3] else 0 for row in plot]
        ax2.bar(xs, ys, width, label=title, color=colors[title])
        for x, y in zip(xs, ys):
            if not y:
                ax2.annotate("n/a", (x, 0), xycoords=("data", "axes fraction"),
                             xytext=(0, 3), textcoords="offset points", ha="center",
                             fontsize=7, rotation=90, va="bottom", color=colors[title])
    ax2.axhline(1.0, color=colors["ORT"], linestyle="--", label="ORT = 1")
    ax2.set_yscale("log")
    ax2.set_ylabel("time / ORT time (log scale)")
    ax2.set_title("relative to ONNX Runtime (≤ 1 is the goal)")
    ax2.set_xticks(range(len(names)))
    ax2.set_xticklabels(names, rotation=30, ha="right")
    ax2.legend()
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig.savefig(path, dpi=110)
    return f"report.py: wrote {path}"


if __name__ == "__main__":
    sys.exit(main())
