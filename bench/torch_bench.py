#!/usr/bin/python3
"""Times a test model in PyTorch (eager, eval, no_grad) on the CPU.

  /usr/bin/python3 bench/torch_bench.py NAME INPUT.npy [--golden OUT.npy]
        [--runs 20] [--warmup 3] [--threads 2] [--size full|small] [--label LABEL]
  /usr/bin/python3 bench/torch_bench.py --zoo ARCH INPUT.npy [--size small|common] [...]

NAME is a model of tests/models/generate.py (se_resnet, cbam_resnet, nonlocal,
mhsa, vit_tiny); the module is built by generate.build() with its seeds, so it
has the same weights as the ONNX file generate.py exported. --size picks the
224x224 ("full") or 32x32 ("small") variant. With --zoo, NAME is an architecture of
tests/models/zoo.py (resnet50, swin_t, ...) and the module is zoo.build(NAME, --size),
--size small or common (default common). torch.set_num_threads(--threads),
one inter-op thread. Prints one JSON line on stdout:
  {"kind":"latency","engine":"torch","model":LABEL,"ok":true,"median_ms":..,...}
with rel_err, the relative L2 error of the output against --golden. On failure
the line has "ok":false and "error" (its first line), and the exit status is 1.
"""

import argparse
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "models"))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("name")
    p.add_argument("input")
    p.add_argument("--golden")
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--size", choices=["small", "full", "common"],
                   help="generate.py: full (default) or small; --zoo: common (default) or small")
    p.add_argument("--zoo", action="store_true",
                   help="NAME is an architecture of tests/models/zoo.py")
    p.add_argument("--label", help="model name in the JSON record (default: NAME[_full], "
                                   "--zoo: NAME_SIZE)")
    a = p.parse_args()
    if a.zoo:
        a.size = a.size or "common"
        if a.size == "full":
            p.error("--zoo takes --size small or common")
        label = a.label or f"{a.name}_{a.size}"
    else:
        a.size = a.size or "full"
        if a.size == "common":
            p.error("--size common is a zoo size (with --zoo); generate.py has full and small")
        label = a.label or a.name + ("_full" if a.size == "full" else "")
    record = {"kind": "latency", "engine": "torch", "model": label, "runs": a.runs,
              "warmup": a.warmup, "threads": a.threads}
    try:
        import numpy as np
        import torch
        torch.set_num_threads(a.threads)
        try:
            torch.set_num_interop_threads(1)
        except RuntimeError:
            pass  # only settable before any parallel work; the default is fine then
        record["version"] = torch.__version__
        if a.zoo:
            import zoo  # tests/models/zoo.py: the torchvision zoo and its seeds
            model, _ = zoo.build(a.name, a.size)  # raises on an unknown architecture
        else:
            import generate  # tests/models/generate.py: the model zoo and its seeds
            if a.name not in generate.MODELS:
                raise ValueError(f"unknown model '{a.name}' (generate.py has "
                                 f"{', '.join(sorted(generate.MODELS))})")
            model, _ = generate.build(a.name, a.size == "full")
        model.eval()
        x = torch.from_numpy(np.load(a.input).astype(np.float32))
        times = []
        with torch.no_grad():
            for _ in range(a.warmup):
                y = model(x)
            for _ in range(a.runs):
                t0 = time.perf_counter()
                y = model(x)
                times.append((time.perf_counter() - t0) * 1e3)
        if a.golden:
            ref = np.load(a.golden).astype(np.float64).ravel()
            out = y.numpy().astype(np.float64).ravel()
            if out.shape == ref.shape:
                record["rel_err"] = float(np.linalg.norm(out - ref) /
                                          max(np.linalg.norm(ref), 1e-30))
        record.update(ok=True, median_ms=statistics.median(times), min_ms=min(times),
                      max_ms=max(times), times_ms=times)
        print(json.dumps(record))
        return 0
    except Exception as e:  # a failing model is a row in the report, not a crash
        msg = next((l for l in str(e).splitlines() if l.strip()), type(e).__name__)
        record.update(ok=False, error=f"{type(e).__name__}: {msg.strip()}")
        print(json.dumps(record))
        return 1


if __name__ == "__main__":
    sys.exit(main())
