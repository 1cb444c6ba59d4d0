#!/usr/bin/env bash
# Configures and builds acnn into ./build (Ninja, ccache). Extra args are ninja targets.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
ninja -C build "$@"
