"""acnn's kernel profile beside ONNX Runtime's node profile, summed per module.

Both engines name what they time after the ONNX nodes it came from: acnn-run --profile
its kernels `NODE/kernel-description` (a fused kernel after its heaviest node), ORT's
profiler the nodes of its optimised graph (`NODE`, or `NODE_output_0_nchwc` and the
like once its layout passes rewrote it). A node's name is the exporter's module path
(`/layer3/layer3.2/conv1/Conv`), so cutting both at the same depth sums each engine's
time over the same module, whatever each fused inside it: where acnn loses to ORT, by
how much. Nodes without a path (ORT's own NCHWc reorders; exporters that write none)
are summed apart.
"""

import collections
import statistics

OWN = "(nodes without a path)"


def median_profile(profiles):
    """One profile of several rounds' (acnn's kernels or ORT's nodes): each entry's time
    a run, the median over the rounds that timed it (one stalled round would otherwise
    pick the modules and kernels the tables show), as a profile of one run."""
    key = "kernels" if any(p.get("kernels") for p in profiles) else "nodes"
    times, calls, extra = collections.defaultdict(list), collections.defaultdict(list), {}
    for p in profiles:
        runs = p.get("runs") or 1
        for e in p.get(key, []):
            ms = e["median_ms"] if "median_ms" in e else e["total_ms"] / runs
            times[e["name"]].append(ms)
            calls[e["name"]].append(e.get("calls", runs) / runs)
            extra.setdefault(e["name"], {k: v for k, v in e.items()
                                         if k not in ("total_ms", "median_ms", "calls")})
    merged = {"runs": 1, key: [dict(extra[n], total_ms=statistics.median(t),
                                    calls=statistics.median(calls[n])) for n, t in times.items()]}
    medians = [p["median_ms"] for p in profiles if p.get("median_ms")]
    if medians:
        merged["median_ms"] = statistics.median(medians)
    return merged


def module_of(node, depth):
    """The first `depth` modules of a node's path (`/layer3/layer3.2/conv1/Conv`: its
    last component is the op, or ORT's name for the op's output); a node outside every
    module is its own; OWN for a name that is no path."""
    if "/" not in node:
        return OWN
    parts = [p for p in node.split("/") if p]
    return "/" + "/".join(parts[:-1][:depth] or parts)


def per_module(acnn_profile, ort_profile, depth):
    """{module: [acnn ms a run, ORT ms a run]}, from acnn_bench.py's and ort_bench.js's
    profile records (each {"runs", "kernels"/"nodes": [{"name", "total_ms"}]}; ORT's
    nodes by their median run where the record has it)."""
    out = collections.defaultdict(lambda: [0.0, 0.0])
    a_runs = acnn_profile.get("runs") or 1
    for k in acnn_profile.get("kernels", []):
        # The last component is acnn's description of the kernel, not a module.
        node = k["name"].rsplit("/", 1)[0] if k["name"].count("/") > 1 else k["name"]
        out[module_of(node, depth)][0] += k["total_ms"] / a_runs
    o_runs = ort_profile.get("runs") or 1
    for n in ort_profile.get("nodes", []):
        ms = n["median_ms"] if "median_ms" in n else n["total_ms"] / o_runs
        out[module_of(n["name"], depth)][1] += ms
    return dict(out)


def depth_for(acnn_profile, ort_profile, deepest=4, unmatched=0.1):
    """The deepest cut at which both engines' time falls in the same modules: at most
    `unmatched` of it in modules only one engine has time in. Exporters put a conv and
    its activation in sibling modules (`/conv1/Conv`, `/relu/Relu`), and where acnn names
    the fused kernel after the conv, ORT names it after the activation: cut below their
    parent, the two sides would not meet."""
    for depth in range(deepest, 0, -1):
        mods = per_module(acnn_profile, ort_profile, depth)
        total = sum(a + o for m, (a, o) in mods.items() if m != OWN)
        alone = sum(a + o for m, (a, o) in mods.items() if m != OWN and min(a, o) == 0)
        if alone <= unmatched * total:
            return depth
    return 1


def module_rows(acnn_profile, ort_profile, top):
    """Rows (module, acnn ms, ORT ms, acnn/ORT) of the `top` modules where acnn is furthest
    behind ORT in time (acnn - ORT), then the rest summed; and the depth cut at."""
    depth = depth_for(acnn_profile, ort_profile)
    mods = per_module(acnn_profile, ort_profile, depth)
    order = sorted(mods, key=lambda m: -(mods[m][0] - mods[m][1]))
    rows = []
    for m in order[:top]:
        a, o = mods[m]
        rows.append([f"`{m}`", f"{a:.3f}", f"{o:.3f}", f"{a / o:.2f}" if o > 0 else "—"])
    rest = order[top:]
    if rest:
        a = sum(mods[m][0] for m in rest)
        o = sum(mods[m][1] for m in rest)
        rows.append([f"({len(rest)} other modules)", f"{a:.3f}", f"{o:.3f}",
                     f"{a / o:.2f}" if o > 0 else "—"])
    a = sum(v[0] for v in mods.values())
    o = sum(v[1] for v in mods.values())
    rows.append(["all", f"{a:.3f}", f"{o:.3f}", f"{a / o:.2f}" if o > 0 else "—"])
    return rows, depth
