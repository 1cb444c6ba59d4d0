#!/usr/bin/python3
"""Counts an ONNX model's FLOPs: Conv, MatMul and Gemm, 2 FLOPs per multiply-accumulate.

Shapes come from ONNX shape inference (with data propagation, so Reshape targets
computed from Shape/Gather are resolved). Bias adds, activations, pooling,
softmax, normalisation and elementwise ops are not counted: they are a few
percent of these models' work and are not what "GFLOP/s" means for a conv or
matmul. A node whose shapes cannot be inferred is reported, never guessed.

  /usr/bin/python3 bench/flops.py MODEL.onnx ...      # prints GFLOP per model and op type
"""

import re
import sys
from math import prod

import onnx
from onnx import shape_inference


def _shapes(model):
    inferred = shape_inference.infer_shapes(model, data_prop=True)
    g = inferred.graph
    shapes = {}
    for vi in list(g.input) + list(g.value_info) + list(g.output):
        t = vi.type.tensor_type
        if t.HasField("shape"):
            dims = [d.dim_value if d.HasField("dim_value") else None for d in t.shape.dim]
            shapes[vi.name] = dims
    for init in g.initializer:
        shapes[init.name] = list(init.dims)
    for node in g.node:  # Constant nodes carry their shape in the attribute
        if node.op_type == "Constant":
            for a in node.attribute:
                if a.name == "value":
                    shapes[node.output[0]] = list(a.t.dims)
    return inferred, shapes


def _attr(node, name, default):
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return default


def node_flops(node, shapes):
    """FLOPs of one Conv/MatMul/Gemm node, or raises KeyError/ValueError if unknown."""
    def shape(name):
        s = shapes[name]
        if any(d is None or d <= 0 for d in s):
            raise ValueError(f"symbolic shape {s} for {name}")
        return s

    if node.op_type == "Conv":
        w = shape(node.input[1])            # Cout, Cin/group, kh, kw...
        y = shape(node.output[0])           # N, Cout, Ho, Wo...
        return 2 * prod(y) * prod(w[1:])
    if node.op_type == "MatMul":
        a, y = shape(node.input[0]), shape(node.output[0])
        k = a[-1] if len(a) >= 1 else 1
        return 2 * prod(y) * k
    if node.op_type == "Gemm":
        a = shape(node.input[0])
        y = shape(node.output[0])
        k = a[0] if _attr(node, "transA", 0) else a[1]
        return 2 * prod(y) * k
    return 0


def count(path):
    """Returns {"total": flops, "by_op": {op: flops}, "nodes": [(name, op, flops)], "unknown": [...]}."""
    model = onnx.load(path)
    inferred, shapes = _shapes(model)
    by_op, nodes, unknown = {}, [], []
    for node in inferred.graph.node:
        if node.op_type not in ("Conv", "MatMul", "Gemm"):
            continue
        try:
            f = node_flops(node, shapes)
        except (KeyError, ValueError) as e:
            unknown.append(f"{node.name or node.output[0]} ({node.op_type}): {e}")
            continue
        by_op[node.op_type] = by_op.get(node.op_type, 0) + f
        nodes.append((node.name or node.output[0], node.op_type, f))
    return {"total": sum(by_op.values()), "by_op": by_op, "nodes": nodes, "unknown": unknown}


# --- FLOPs as the compiler states them in kernel names -----------------------
# A kernel's FLOPs are only taken from its name when the name spells out the
# problem size; anything else is left out rather than guessed. Recognised forms
# (case-insensitive, anywhere in the name):
#   matmul/gemm/dot with "MxNxK" or "m<M>_n<N>_k<K>"  [optional batch "b<B>"]
#   conv with "n<N>_c<C>_h<H>_w<W>_f<F>_k<KH>x<KW>_s<S>" (NCHW input, F filters)
#   any name with "flops<N>" or "gflop<X>" (the compiler stating it outright)

def kernel_flops(name):
    n = name.lower()
    m = re.search(r"(?:^|[_.-])flops(\d+)", n)
    if m:
        return int(m.group(1))
    m = re.search(r"(?:^|[_.-])gflop([0-9.]+)", n)
    if m:
        return float(m.group(1)) * 1e9
    if re.search(r"matmul|gemm|dot|linear", n):
        b = re.search(r"(?:^|[_.-])b(\d+)(?=[_.-]|$)", n)
        batch = int(b.group(1)) if b else 1
        m = re.search(r"m(\d+)_n(\d+)_k(\d+)", n)
        if m:
            mm, nn, kk = map(int, m.groups())
            return 2 * batch * mm * nn * kk
        m = re.search(r"(?:^|[_.-])(\d+)x(\d+)x(\d+)(?=[_.-]|$)", n)
        if m:
            mm, nn, kk = map(int, m.groups())
            return 2 * batch * mm * nn * kk
    if "conv" in n:
        m = re.search(r"n(\d+)_c(\d+)_h(\d+)_w(\d+)_f(\d+)_k(\d+)x(\d+)_s(\d+)", n)
        if m:
            bn, c, h, w, f, kh, kw, s = map(int, m.groups())
            return 2 * bn * f * (h // s) * (w // s) * c * kh * kw
    return None


def compiler_flops(recs, model):
    """A model's FLOPs a run as acnnc counts them (each kernel's name states its own a
    run), from the first acnn profile of the model; None unless every kernel states them."""
    prof = next((r["profile"] for r in recs if r.get("kind") == "latency"
                 and r.get("engine") == "acnn" and r.get("model") == model
                 and isinstance(r.get("profile"), dict) and r["profile"].get("kernels")), None)
    if not prof:
        return None
    total = 0
    for k in prof["kernels"]:
        f = kernel_flops(k["name"])
        if f is None:
            return None
        total += f
    return total


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    for path in argv[1:]:
        c = count(path)
        ops = ", ".join(f"{k} {v / 1e9:.3f}" for k, v in sorted(c["by_op"].items()))
        print(f"{path}: {c['total'] / 1e9:.3f} GFLOP ({ops})")
        for u in c["unknown"]:
            print(f"  not counted, shape unknown: {u}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
