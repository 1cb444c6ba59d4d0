#!/bin/sh
# Installs the build tree BUILD into PREFIX, then builds examples/cmake against
# that prefix alone and runs it on MODEL.input.npy, checking MODEL.output.npy;
# then the same model through the installed Python package, which finds the
# installed acnnc and libacnnrt.so by itself.
# usage: test-installed.sh BUILD PREFIX MODEL
set -eu
build=$1 prefix=$2 model=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$prefix" "$prefix-example"
cmake --install "$build" --prefix "$prefix" > /dev/null
cmake -S "$here" -B "$prefix-example" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
      -DMODEL="$model.onnx" > /dev/null
cmake --build "$prefix-example"
"$prefix-example/classify" "$model.input.npy" "$model.output.npy"
PYTHONPATH=$(echo "$prefix"/lib/python3*/dist-packages) PATH=/usr/bin:/bin \
  /usr/bin/python3 - "$model" "$prefix" <<'PY'
import os, sys, numpy as np, acnn
model, prefix = sys.argv[1], sys.argv[2]
# With no acnnc on PATH and no ACNN_* variables, only the recorded prefix can name these.
assert acnn.acnnc_path() == os.path.join(prefix, "bin", "acnnc"), acnn.acnnc_path()
assert acnn.runtime_path().startswith(prefix + "/lib/"), acnn.runtime_path()
with acnn.load(acnn.compile(model + ".onnx", prefix + "-example/model.so")) as m:
    got, want = m(np.load(model + ".input.npy")), np.load(model + ".output.npy")
error = np.linalg.norm(got - want) / np.linalg.norm(want)
print(f"python: {m.name} with {acnn.acnnc_path()}: relative L2 error {error:.2e}")
sys.exit(0 if error <= 1e-4 else 1)
PY
