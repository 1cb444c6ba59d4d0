#!/usr/bin/env bash
# From a fresh Debian 12 machine: installs dependencies, builds everything, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd build
ctest --output-on-failure -j "$(nproc)"
