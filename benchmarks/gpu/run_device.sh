#!/usr/bin/env bash
# On the device H100 (repository root, .whl and data/work/gpu_bench carried): install the carried wheels, run a plan.
# Usage: bash benchmarks/gpu/run_device.sh PLAN.yaml [bench.py options]   (results and logs land in $OUT)
set -euo pipefail
OUT=${OUT:-/tmp/bench-out}
mkdir -p "$OUT"
if [[ ! -f /tmp/site/.done ]]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl
  touch /tmp/site/.done
fi
export PYTHONPATH=/tmp/site:$PWD/.whl/bnb DISABLE_VERSION_CHECK=1 HF_HUB_OFFLINE=1 PYTHONUNBUFFERED=1
export TOKENIZERS_PARALLELISM=false
plan=$1; shift
name=$(basename "$plan" .yaml)
status=0
python3 benchmarks/gpu/bench.py "$plan" --results "$OUT/results_$name.json" "$@" || status=$?
tar -czf "$OUT/logs_$name.tar.gz" -C /tmp/bench "$name/runs" 2>/dev/null || true
nvidia-smi --query-gpu=name,memory.total,clocks.max.sm --format=csv > "$OUT/gpu_$name.csv" 2>/dev/null || true
exit $status
