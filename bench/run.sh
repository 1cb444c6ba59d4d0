#!/usr/bin/env bash
# acnn benchmark: acnn vs ONNX Runtime vs PyTorch on the test models, batch 1, 2 threads.
#
#   bench/run.sh [--size full|small|both] [--no-install] [--no-build] [BENCH FLAGS...]
#   bench/run.sh --zoo [--zoo-models a,b] [--zoo-size common|small] [--zoo-opset 17]
#                [--no-install] [--no-build] [BENCH FLAGS...]
#
# One command does everything, from the repository root or anywhere:
#   1. installs what it needs: the Debian packages of scripts/install-deps.sh (which include
#      python3-torch and libopenblas0-pthread), python3-matplotlib for the plot, and the npm
#      package onnxruntime-node into build/bench/node (its optional CUDA download skipped);
#   2. builds acnnc and acnn-run (under the shared build lock /tmp/acnn-build.lock);
#   3. generates the models with tests/models/generate.py into build/bench/models
#      (--size full: the 224x224 *_full models, the default; small: the 32x32 test models;
#      both);
#   4. runs bench/bench.py: describes the CPU, measures the fp32 sgemm peak, compiles every
#      model with `acnnc compile M.onnx -o M.so`, then times acnn (acnn-run), ONNX Runtime
#      (bench/ort_bench.js) and PyTorch (bench/torch_bench.py) model by model, interleaved,
#      writing JSON lines to build/bench/results.jsonl;
#   5. prints bench/report.py's Markdown table (also in build/bench/report.md) and writes
#      the plot build/bench/report.png.
#
# BENCH FLAGS go to bench/bench.py: --runs N (20) --warmup N (3) --threads N (2)
# --rounds N (1) --models se_resnet,mhsa --engines acnn,ort,torch --profile-runs N (10)
# --acnnc-flag=--cpu=native ... (see `bench/bench.py --help`). A quick check while developing:
#   bench/run.sh --no-install --size small --runs 5 --warmup 1
# Run the real measurement on an otherwise idle machine: the report shows the load average.
#
# --zoo benchmarks the torchvision zoo instead (issue 12): step 3 exports it with
# tests/models/zoo.py into build/bench/zoo (--zoo-size common, 224x224 and 299x299 for
# inception_v3, the default; or small; one opset, --zoo-opset, default 17; models already
# exported by the current zoo.py are kept), step 4 runs bench/bench.py --zoo (PyTorch
# rebuilds each model with zoo.build()), and step 5 writes build/bench/zoo/report.md and
# build/bench/zoo/report.png: per-model times, acnn/ORT with its geometric mean and worst
# case, a plot of acnn/ORT per model, and the kernel profiles of the three worst models.
# --zoo-models takes architectures (the ARCH of the names `tests/models/zoo.py --list` prints,
# ARCH_SIZE_opOPSET). A quick check:
#   bench/run.sh --zoo --no-install --no-build --zoo-size small \
#     --zoo-models resnet18,mobilenet_v3_small --runs 5 --warmup 1 --no-peak
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=/usr/bin/python3
ORT_VERSION=${ORT_VERSION:-1.30.0}
OUT=build/bench

size=full install=1 build=1 bench_args=()
zoo=0 zoo_models="" zoo_size=common zoo_opset=17 size_given=0
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size=${2:?--size needs full, small or both}; size_given=1; shift 2 ;;
    --size=*) size=${1#--size=}; size_given=1; shift ;;
    --zoo) zoo=1; shift ;;
    --zoo-models) zoo_models=${2:?--zoo-models needs a comma-separated list}; shift 2 ;;
    --zoo-models=*) zoo_models=${1#--zoo-models=}; shift ;;
    --zoo-size) zoo_size=${2:?--zoo-size needs common or small}; shift 2 ;;
    --zoo-size=*) zoo_size=${1#--zoo-size=}; shift ;;
    --zoo-opset) zoo_opset=${2:?--zoo-opset needs 13 or 17}; shift 2 ;;
    --zoo-opset=*) zoo_opset=${1#--zoo-opset=}; shift ;;
    --no-install) install=0; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) bench_args+=("$1"); shift ;;
  esac
done
case "$size" in full|small|both) ;; *) echo "run.sh: --size takes full, small or both" >&2; exit 2 ;; esac
case "$zoo_size" in common|small) ;; *) echo "run.sh: --zoo-size takes common or small" >&2; exit 2 ;; esac
if [ "$zoo" = 0 ] && { [ -n "$zoo_models" ] || [ "$zoo_size" != common ] || [ "$zoo_opset" != 17 ]; }; then
  echo "run.sh: --zoo-models, --zoo-size and --zoo-opset need --zoo" >&2; exit 2
fi
if [ "$zoo" = 1 ] && [ "$size_given" = 1 ]; then
  echo "run.sh: --size is for generate.py's models; with --zoo use --zoo-size" >&2; exit 2
fi

say() { printf '\n== %s\n' "$*" >&2; }
notes=()
mkdir -p "$OUT"

if [ "$install" = 1 ]; then
  say "installing packages"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  scripts/install-deps.sh || { echo "run.sh: scripts/install-deps.sh failed" >&2; exit 1; }
  if ! "$PY" -c 'import matplotlib' 2>/dev/null; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
      python3-matplotlib || echo "run.sh: no python3-matplotlib; the report has no plot" >&2
  fi
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
      nodejs npm || echo "run.sh: cannot install nodejs/npm; ONNX Runtime rows will fail" >&2
  fi
  if [ ! -f "$OUT/node/node_modules/onnxruntime-node/package.json" ]; then
    # The install script would fetch CUDA providers from nuget.org; the CPU build is bundled.
    ONNXRUNTIME_NODE_INSTALL=skip npm install --prefix "$OUT/node" --no-audit --no-fund \
      "onnxruntime-node@$ORT_VERSION" >&2 ||
      echo "run.sh: npm install onnxruntime-node failed; ONNX Runtime rows will fail" >&2
  fi
fi

if [ "$build" = 1 ]; then
  say "building acnnc and acnn-run"
  if ! flock /tmp/acnn-build.lock scripts/build.sh acnnc acnn-run >&2; then
    echo "run.sh: build failed; acnn rows use whatever build/bin holds, or fail" >&2
    notes+=(--note "the build of acnnc/acnn-run failed before this run; acnn numbers, if any, come from older binaries")
  fi
fi

if [ "$zoo" = 1 ]; then
  ZOO=$OUT/zoo
  say "exporting the torchvision zoo ($zoo_size, opset $zoo_opset${zoo_models:+: $zoo_models})"
  # zoo.py exports each model in its own try/except: a failure is reported and the rest go
  # on; the failed model's rows then say its ONNX file is missing.
  "$PY" tests/models/zoo.py --out "$ZOO" --size "$zoo_size" --opsets "$zoo_opset" \
    ${zoo_models:+--only "$zoo_models"} --skip-existing >&2 ||
    echo "run.sh: tests/models/zoo.py failed for some models; their rows will say so" >&2

  say "benchmarking the zoo"
  NODE_PATH="$ROOT/$OUT/node/node_modules${NODE_PATH:+:$NODE_PATH}" \
    "$PY" bench/bench.py --zoo --zoo-size "$zoo_size" --zoo-opset "$zoo_opset" \
    ${zoo_models:+--zoo-models "$zoo_models"} --models-dir "$ZOO" \
    --results "$ZOO/results.jsonl" "${notes[@]}" "${bench_args[@]}" ||
    { echo "run.sh: bench/bench.py --zoo failed" >&2; exit 1; }

  say "report"
  "$PY" bench/report.py --results "$ZOO/results.jsonl" --md "$ZOO/report.md" --png "$ZOO/report.png"
  exit $?
fi

say "generating models ($size)"
sizes=$size
[ "$size" = both ] && sizes="full small"
for s in $sizes; do
  # One model at a time, so a model that fails to export does not stop the others.
  for m in $("$PY" -c 'import sys; sys.path.insert(0, "tests/models"); import generate; print(" ".join(generate.MODELS))'); do
    "$PY" tests/models/generate.py --size "$s" --only "$m" --out "$OUT/models" >/dev/null ||
      echo "run.sh: generate.py --size $s --only $m failed; its row will say so" >&2
  done
done

say "benchmarking"
NODE_PATH="$ROOT/$OUT/node/node_modules${NODE_PATH:+:$NODE_PATH}" \
  "$PY" bench/bench.py --size "$size" --results "$OUT/results.jsonl" "${notes[@]}" \
  "${bench_args[@]}" || { echo "run.sh: bench/bench.py failed" >&2; exit 1; }

say "report"
"$PY" bench/report.py --results "$OUT/results.jsonl" --md "$OUT/report.md" --png "$OUT/report.png"
