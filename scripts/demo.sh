#!/usr/bin/env bash
# From a fresh Debian 12 machine: installs dependencies, builds acnnc, and runs
# the SE-ResNet example: its IR after import and after the graph pipeline, a
# Graphviz picture of it, and its output on the saved input, checked against
# PyTorch's.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh acnnc
model=tests/models/se_resnet
out=build/demo
mkdir -p "$out"
build/bin/acnnc inspect "$model.onnx" --stage=import > "$out/se_resnet.import.mlir"
build/bin/acnnc inspect "$model.onnx" > "$out/se_resnet.mlir"
echo "IR after import: $(grep -c ' = acnn\.' "$out/se_resnet.import.mlir") ops; after the graph pipeline: $(grep -c ' = acnn\.' "$out/se_resnet.mlir") ops"
grep -v "acnn.constant" "$out/se_resnet.mlir" | head -n 14
echo "  ..."
build/bin/acnnc inspect "$model.onnx" --dot "$out/se_resnet.dot"
echo "graph written to $out/se_resnet.dot"
build/bin/acnnc run "$model.onnx" --input "$model.input.npy" --output "$out/se_resnet.output.npy"
/usr/bin/python3 - "$out/se_resnet.output.npy" "$model.output.npy" <<'PY'
import sys, numpy as np
got, want = np.load(sys.argv[1]), np.load(sys.argv[2])
print(f"relative L2 error vs PyTorch: {np.linalg.norm(got - want) / np.linalg.norm(want):.2e}")
PY
