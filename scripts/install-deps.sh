#!/usr/bin/env bash
# Installs every Debian 12 package acnn needs to build, test and generate its test models
# (with --sanitizers: what scripts/test.sh --sanitize and --fuzz need on top).
set -euo pipefail
packages=(
  build-essential cmake ninja-build ccache pkg-config
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools libomp-22-dev
  libcli11-dev libgtest-dev libgmock-dev
  libonnx-dev libprotobuf-dev protobuf-compiler libonnx-testdata
  python3-torch python3-torchvision python3-onnx python3-numpy python3-matplotlib libopenblas0-pthread
  graphviz
  zlib1g-dev libzstd-dev libedit-dev libcurl4-openssl-dev libxml2-dev
)
# scripts/test.sh --sanitize / --fuzz: clang and its sanitizer and libFuzzer runtimes.
if [ "${1:-}" = --sanitizers ]; then
  packages+=(clang-22 libclang-rt-22-dev)
fi
# Nothing to do when every package is already installed.
installed=$(dpkg-query -W -f='${Status}\n' "${packages[@]}" 2>/dev/null | grep -c "install ok installed" || true)
[ "$installed" -eq "${#packages[@]}" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}"
