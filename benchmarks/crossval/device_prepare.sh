#!/usr/bin/env bash
# Here (CPU, PyPI reachable), before a device session: build everything the device calls carry, in git-ignored
# folders, skipping what is already there (benchmarks/crossval/README.md, "Reproduce"; ~12 min on a new checkout).
#   .carry/qwen/              the 1.5B model's GGUF in 20 chunks of 56 MiB (tools/fetch_model.py --split)
#   .carry/vllm/              vLLM and its wheels in chunks (benchmarks/gpu/fetch_vllm.py)    [VLLM=0: skip]
#   .whl/, data/work/gpu_bench/   wheels the device lacks, the Qwen2 tokenizer, the train set rendered
#                             (benchmarks/gpu/prepare.sh)
#   .bench/qwen_items.json    letter-scoring items for the GPU benchmark (benchmarks/bench_eval.py prepare)
#   data/work/device/         real.jsonl, heldout.jsonl, repo.tar (a git archive of HEAD: rebuilt on every run)
#   DEVICE_SPARE/             gen4k, gen4k_shaped, new1k: the first stages of the generated cells; move the ones a
#                             session's cells read into data/work/device (call 1 carries 64 MiB in all)
# Usage: bash benchmarks/crossval/device_prepare.sh     Env: DATA (the real train set), VLLM (1), DEVICE_SPARE
#        (data/work/device_spare). Each generated file is checked against its sha256 in the README.
set -euo pipefail
if (($#)); then
  sed -n 2,13p "$0"
  [[ $1 == -h || $1 == --help ]] && exit 0
  echo "error: device_prepare.sh takes no arguments (got '$1'): set DATA, VLLM, DEVICE_SPARE instead" >&2
  exit 2
fi
cd "$(dirname "$0")/../.."
source scripts/steps.sh            # SHARED_DATA
DATA=${DATA:-$SHARED_DATA}
SPARE=${DEVICE_SPARE:-data/work/device_spare}
PY=.venv/bin/python
[[ -x $PY ]] || { echo "error: device_prepare.sh: no $PY: run bash scripts/setup.sh first" >&2; exit 1; }
[[ -f $DATA ]] || { echo "error: device_prepare.sh: no train set at $DATA (set DATA)" >&2; exit 1; }

step() { echo "[device_prepare] $*"; }

ls .carry/qwen/*.gguf.019 > /dev/null 2>&1 && step "model chunks: present" \
  || $PY tools/fetch_model.py qwen2.5-coder-1.5b-instruct --gguf-only --split .carry/qwen
if [[ ${VLLM:-1} == 1 ]]; then
  ls .carry/vllm/vllm.tar.000 > /dev/null 2>&1 && step "vLLM chunks: present" || python3 benchmarks/gpu/fetch_vllm.py
fi
[[ -f data/work/gpu_bench/dataset_info.json && -d .whl/bnb ]] && step "wheels and GPU-bench data: present" \
  || bash benchmarks/gpu/prepare.sh "$DATA"
[[ -f .bench/qwen_items.json ]] && step "scoring items: present" \
  || $PY benchmarks/bench_eval.py prepare --data "$DATA" --out .bench/qwen_items.json

mkdir -p data/work/device "$SPARE"
cp "$DATA" data/work/device/real.jsonl
# name, sha256 prefix, command: the files of benchmarks/crossval/README.md's "Reproduce"
make_file() {
  local path=$1 want=$2; shift 2
  if [[ ! -f $path ]]; then "$@" > /dev/null; fi
  local got; got=$(sha256sum "$path" | cut -c1-8)
  [[ $got == "$want" ]] || { echo "error: device_prepare.sh: $path: sha256 $got..., expected $want... (delete it and run again)" >&2; exit 1; }
  step "$path: sha256 $got... as expected"
}
make_file "$SPARE/gen4k.jsonl" 28cf1002 $PY tools/generate.py --families v1 --n 4000 --seed 0 --out "$SPARE/gen4k.jsonl"
make_file "$SPARE/gen4k_shaped.jsonl" 236db7de $PY tools/generate.py --families v1 --n 4000 --seed 0 \
  --shape data/shapes/round1_train.json --out "$SPARE/gen4k_shaped.jsonl"
make_file "$SPARE/new1k.jsonl" 22cd85ca $PY tools/generate.py --families described_functions,encodings,positions \
  --n 1000 --seed 400000 --out "$SPARE/new1k.jsonl"
heldout() {  # the held-out file of every cell, made by the generators of commit a7907ac
  local tree; tree=$(mktemp -d)
  git archive a7907ac | tar -x -C "$tree"
  (cd "$tree" && PYTHONPATH=tools "$OLDPWD/$PY" tools/generate.py --n 300 --seed 100000 --out "$OLDPWD/data/work/device/heldout.jsonl")
  rm -rf "$tree"
}
make_file data/work/device/heldout.jsonl ca5459f8 heldout
git archive HEAD -o data/work/device/repo.tar
step "data/work/device/repo.tar: $(git rev-parse --short HEAD)"
total=$(du -sb .whl data/work/device data/work/gpu_bench .bench | awk '{s += $1} END {print s}')
tracked=$(git ls-files -z | xargs -0 du -cb | tail -1 | cut -f1)
step "call 1 carries $(( (total + tracked) / 1048576 )) MiB with the tracked tree (limit 64)"
