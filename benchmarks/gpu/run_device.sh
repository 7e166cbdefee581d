#!/usr/bin/env bash
# On the device H100 (repository root, .whl and data/work/gpu_bench carried): install the carried wheels, run a plan.
# Usage: bash benchmarks/gpu/run_device.sh PLAN.yaml [bench.py options]   (results and logs land in $OUT)
set -euo pipefail
OUT=${OUT:-/tmp/bench-out}
mkdir -p "$OUT"
# Unpacking the wheels is all an install does for these (no build step; no console scripts are used): ~5 s here.
# `pip install --target` cost ~110 s of the first device run (2026-11-25: 526 s in all, bench.py's part 405 s).
if [[ ! -f /tmp/site/.done ]]; then
  for wheel in .whl/*.whl; do python3 -m zipfile -e "$wheel" /tmp/site; done
  touch /tmp/site/.done
fi
# lrkit as pip would install it (the device has no build backend), fresh each call: the code may have changed
rm -rf /tmp/site/lrkit && cp -r tools/lrkit /tmp/site/lrkit
export PYTHONPATH=/tmp/site:$PWD/.whl/bnb DISABLE_VERSION_CHECK=1 HF_HUB_OFFLINE=1 PYTHONUNBUFFERED=1
export TOKENIZERS_PARALLELISM=false
plan=$1; shift
name=$(basename "$plan" .yaml)
status=0
python3 benchmarks/gpu/bench.py "$plan" --results "$OUT/results_$name.json" "$@" || status=$?
(cd "/tmp/bench/$name/runs" && tar -czf "$OUT/logs_$name.tar.gz" ./*.log ./*.json) || true  # not the adapters
nvidia-smi --query-gpu=name,memory.total,clocks.max.sm --format=csv > "$OUT/gpu_$name.csv" 2>/dev/null || true
exit $status
