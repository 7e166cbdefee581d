#!/usr/bin/env bash
# README command 1: set up, then run the pipeline on the built-in default.
# Usage: bash scripts/demo.sh [--force]      (re-running skips finished steps unless --force)
# Env: DATA (competition JSONL; default ../shared/data/round1_train_data.jsonl, else the repo's own sample),
#      WORK (outputs; default data/work/demo).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
PY=.venv/bin/python
FORCE=${1:-}
DATA=${DATA:-../shared/data/round1_train_data.jsonl}
[[ -f "$DATA" ]] || DATA=data/fixtures/sample_train.jsonl
WORK=${WORK:-data/work/demo}
mkdir -p "$WORK"

step() { # step NAME OUTPUT -- command...: run unless OUTPUT exists (or --force)
  local name=$1 out=$2; shift 3
  if [[ -e "$out" && "$FORCE" != "--force" ]]; then echo "[demo] $name: done already -> $out"; return; fi
  echo "[demo] $name"; "$@"; echo "[demo] $name -> $out"
}

echo "[demo] data: $DATA"
$PY tools/validate.py "$DATA"
step "split train/validation by problem" "$WORK/val.jsonl" -- \
  $PY tools/split_dataset.py "$DATA" --train "$WORK/train.jsonl" --val "$WORK/val.jsonl" --val-ratio 0.1 --seed 42
step "export Alpaca (train)" data/sft/demo_train.json -- \
  $PY tools/export_alpaca.py "$WORK/train.jsonl" data/sft/demo_train.json --name demo_train --register dataset_info.json
step "export Alpaca (validation)" data/sft/demo_val.json -- \
  $PY tools/export_alpaca.py "$WORK/val.jsonl" data/sft/demo_val.json --name demo_val --register dataset_info.json
