#!/usr/bin/env bash
# From a fresh Debian 12 machine: installs dependencies, builds acnn, and does
# the main job on a 224x224 attention CNN (a ResNet with CBAM blocks, made by
# tests/models/generate.py --size full with seeded weights, and its PyTorch
# output): compiles it to a shared library, runs it natively, checks the
# output against PyTorch, and sets its latency beside the reference
# interpreter's, with the slowest kernels and a picture of the fused graph.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh acnnc acnn-run
out=build/demo
model=$out/cbam_resnet_full
mkdir -p "$out"
if [ ! -f "$model.output.npy" ]; then
  /usr/bin/python3 tests/models/generate.py --only cbam_resnet --size full --out "$out"
fi

echo "== acnnc inspect --fusion: the kernels the graph passes formed"
build/bin/acnnc inspect "$model.onnx" --fusion > "$out/fusion.txt"
cut -c 1-150 "$out/fusion.txt" | head -n 10
echo "  ... ($(($(wc -l < "$out/fusion.txt") - 1)) kernels in all: $out/fusion.txt)"

echo "== acnnc compile: to a shared library"
build/bin/acnnc compile "$model.onnx" -o "$model.so"

echo "== acnn-run: native, 2 threads, median of 20 runs"
build/bin/acnn-run "$model.so" --input "$model.input.npy" --output "$out/native.npy" \
  --runs 20 --warmup 3 --threads 2 --profile > "$out/native.txt"
echo "== acnnc run: the reference interpreter, on the same input"
build/bin/acnnc run "$model.onnx" --input "$model.input.npy" --output "$out/interpreted.npy" \
  > "$out/interpreted.txt"

/usr/bin/python3 - "$out" "$model.output.npy" <<'PY'
import re, sys, numpy as np
out, want = sys.argv[1], np.load(sys.argv[2])
def error(path):
    got = np.load(path)
    return np.linalg.norm(got - want) / np.linalg.norm(want)
native = open(f"{out}/native.txt").read()
interpreted = open(f"{out}/interpreted.txt").read()
native_ms = float(re.search(r"median ([0-9.]+) ms", native).group(1))
interpreted_ms = float(re.search(r"interpreter: ([0-9.]+) ms", interpreted).group(1))
print(f"native      {native_ms:8.2f} ms   relative L2 error vs PyTorch {error(f'{out}/native.npy'):.1e}")
print(f"interpreter {interpreted_ms:8.2f} ms   relative L2 error vs PyTorch {error(f'{out}/interpreted.npy'):.1e}")
print(f"native is {interpreted_ms / native_ms:.0f}x faster")
rows = [line.split() for line in native.splitlines()
        if re.match(r"\S+ +\d+ +[0-9.]+ +[0-9.]+ +[0-9.]+%$", line)]
rows.sort(key=lambda r: -float(r[2]))
print("slowest kernels (total ms over 20 runs, median ms a run, share of the run):")
for name, calls, total, median, share in rows[:5]:
    print(f"  {share:>6} {float(total):8.2f} {float(median):8.3f}  {name}")
PY

echo "== acnnc inspect --dot: the fused graph"
build/bin/acnnc inspect "$model.onnx" --dot "$out/cbam_resnet_full.dot"
if command -v dot > /dev/null; then
  dot -Tsvg "$out/cbam_resnet_full.dot" -o "$out/cbam_resnet_full.svg"
  echo "graph written to $out/cbam_resnet_full.svg"
else
  echo "graph written to $out/cbam_resnet_full.dot (apt-get install graphviz for an SVG)"
fi
