#!/usr/bin/env bash
# Fetch the device's missing wheels (benchmarks/gpu/wheels.txt) into .whl/, and a slim bitsandbytes into .whl/bnb/.
# Usage: bash benchmarks/gpu/fetch_wheels.sh          (from anywhere; needs PyPI; idempotent)
# The device has Python 3.12 on x86-64 and reaches no registry: everything it needs travels in .whl/ (< 64 MiB).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-python3}
BNB=bitsandbytes==0.50.2
grep -qx '/.whl/' .git/info/exclude 2>/dev/null || echo /.whl/ >> .git/info/exclude
mkdir -p .whl
platforms=()
for p in manylinux_2_28_x86_64 manylinux_2_27_x86_64 manylinux_2_24_x86_64 manylinux_2_17_x86_64 manylinux2014_x86_64 manylinux1_x86_64; do
  platforms+=(--platform "$p")
done
grep -v '^#' benchmarks/gpu/wheels.txt | grep . | xargs "$PY" -m pip download -q --no-deps --only-binary=:all: \
  --python-version 3.12 --implementation cp "${platforms[@]}" -d .whl
# bitsandbytes' wheel is 43 MB; only the CUDA 13.0 library (the device's torch is cu130), the CPU one and the
# Python files are needed: ~7 MB, used from PYTHONPATH instead of installed.
if [[ ! -d .whl/bnb/bitsandbytes ]]; then
  tmp=$(mktemp -d)
  "$PY" -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
    "${platforms[@]}" -d "$tmp" "$BNB"
  mkdir -p .whl/bnb
  "$PY" -m zipfile -e "$tmp"/bitsandbytes-*.whl .whl/bnb
  find .whl/bnb/bitsandbytes -name 'libbitsandbytes_*' ! -name '*_cuda130.so' ! -name '*_cpu.so' -delete
  rm -rf "$tmp"
fi
# DeepSpeed ships only a source archive; built here without its CUDA ops (DS_BUILD_OPS=0) it is a pure-Python wheel
# (~1.6 MB). ZeRO-2/3 with the Trainer's own AdamW compile nothing; an op a config asks for is JIT-built with the
# device's nvcc. Building imports torch, so it uses the repository's .venv.
DEEPSPEED=deepspeed==0.18.4
if ! ls .whl/deepspeed-*.whl >/dev/null 2>&1; then
  DS_BUILD_OPS=0 .venv/bin/python -m pip wheel -q --no-deps --no-build-isolation -w .whl "$DEEPSPEED"
fi
du -sh .whl
