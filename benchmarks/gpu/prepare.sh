#!/usr/bin/env bash
# Here (CPU, PyPI reachable): everything the device runs need, in git-ignored folders that `run` carries.
# Usage: bash benchmarks/gpu/prepare.sh [TRAIN.jsonl]      (default ../shared/data/round1_train_data.jsonl)
#   .whl/                      wheels the device lacks (benchmarks/gpu/wheels.txt) and a slim bitsandbytes
#   data/work/gpu_bench/       the real Qwen2 tokenizer and the train set rendered with the seed's prompt
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/steps.sh           # SHARED_DATA
TRAIN=${1:-$SHARED_DATA}
PY=.venv/bin/python
bash benchmarks/gpu/fetch_wheels.sh
$PY benchmarks/gpu/make_qwen2_tokenizer.py data/work/gpu_bench/tokenizer
rm -f data/work/gpu_bench/dataset_info.json
$PY tools/export_alpaca.py "$TRAIN" data/work/gpu_bench/real_all.json --name bench_real \
  --register data/work/gpu_bench/dataset_info.json
du -sh .whl data/work/gpu_bench
