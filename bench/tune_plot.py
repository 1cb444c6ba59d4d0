#!/usr/bin/python3
"""Plots what `acnnc tune` found: each kernel key's speedup, default / tuned time, as a PNG.

  /usr/bin/python3 bench/tune_plot.py DB.jsonl [-o speedups.png] [--model NAME] [--top 40]

DB.jsonl is a tuning database as `acnnc tune -o` writes it: one record a kernel key, with its
default and tuned milliseconds. --model keeps the records a model tuned (the database's "model"
field); --top the keys with the most default time (the rest are summed in the title). A key
whose default was kept (tuned = default) shows as 1.00x. Needs python3-matplotlib.
"""

import argparse
import json
import math
import os
import re
import sys


def load(path, model):
    """The database's records (of `model`, if given), or an error naming the line."""
    records = []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
                record = (r["key"], float(r["default_ms"]), float(r["tuned_ms"]), r["target"],
                          r.get("model", ""))
            except (ValueError, KeyError, TypeError) as e:
                raise SystemExit(f"tune_plot.py: {path}:{number}: not a tuning record ({e})")
            if record[1] <= 0 or record[2] <= 0:
                raise SystemExit(f"tune_plot.py: {path}:{number}: times must be positive")
            if model is None or record[4] == model:
                records.append(record)
    if not records:
        raise SystemExit(f"tune_plot.py: {path}: no records" +
                         (f" of model '{model}'" if model is not None else ""))
    return records


def label(key):
    """The op and its loop extents, e.g. 'conv_2d_nhwc_hwcf 1x7x7x512x3x3x512 +relu'."""
    words = key.split()
    op = words[0].removeprefix("linalg.") if words else key
    text = f"{op} {words[1]}" if len(words) > 1 else op
    epilogue = re.search(r"epilogue\(([^)]*)\)", key)
    if epilogue and epilogue.group(1):
        text += " +" + ",".join(e.split(".")[-1] for e in epilogue.group(1).split(","))
    return text if len(text) <= 60 else text[:57] + "..."


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("db")
    p.add_argument("-o", "--output", default="speedups.png")
    p.add_argument("--model")
    p.add_argument("--top", type=int, default=40)
    a = p.parse_args()
    records = sorted(load(a.db, a.model), key=lambda r: -r[1])
    shown, rest = records[:max(a.top, 1)], records[max(a.top, 1):]
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise SystemExit("tune_plot.py: no matplotlib (apt-get install python3-matplotlib)")
    speedups = [d / t for _, d, t, *_ in shown]
    fig, ax = plt.subplots(figsize=(9, max(3.0, 0.32 * len(shown) + 1.6)))
    ys = list(range(len(shown)))[::-1]
    colors = ["#2ca02c" if s > 1.0 else "#7f7f7f" if s == 1.0 else "#d62728" for s in speedups]
    # Bars grow from 1x: right where the tuned schedule is faster.
    ax.barh(ys, [s - 1.0 for s in speedups], 0.6, left=1.0, color=colors)
    for y, s, (_, d, t, *_) in zip(ys, speedups, shown):
        ax.annotate(f"{s:.2f}x  ({d:.3f} -> {t:.3f} ms)", (max(s, 1.0), y), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=7)
    ax.axvline(1.0, color="#1f77b4")
    ax.set_yticks(ys)
    ax.set_yticklabels([label(k) for k, *_ in shown], fontsize=7)
    hi = max(speedups + [1.0])
    ax.set_xlim(min(speedups + [1.0]) - 0.05, hi + 0.25 * (hi - 0.9) + 0.1)
    ax.set_xlabel("default time / tuned time per kernel key (> 1: the tuned schedule is faster)")
    total_default = sum(d for _, d, *_ in records)
    total_tuned = sum(t for _, _, t, *_ in records)
    cpu = re.search(r'cpu = \\?"([^"\\]*)', records[0][3])
    threads = re.search(r"threads = (\d+)", records[0][3])
    title = (f"acnnc tune{' of ' + a.model if a.model else ''}: {len(records)} kernel keys, "
             f"{total_default:.2f} -> {total_tuned:.2f} ms summed "
             f"({cpu.group(1) if cpu else '?'}, {threads.group(1) if threads else '?'} threads)")
    if rest:
        title += f"\n{len(rest)} smaller keys not shown ({sum(d for _, d, *_ in rest):.2f} ms)"
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(a.output)), exist_ok=True)
    fig.savefig(a.output, dpi=110)
    geo = math.exp(sum(map(math.log, speedups)) / len(speedups))
    print(f"tune_plot.py: wrote {a.output} ({len(shown)} of {len(records)} kernel keys, "
          f"geometric mean speedup {geo:.3f}x)")


if __name__ == "__main__":
    sys.exit(main())
