#!/usr/bin/env bash
# An ensemble: one LoRA recipe trained once per member (its seed and, by default, its own generated first stage), the
# members answering together. Each member is scripts/run_recipe.sh RECIPE with its own WORK and SAVE and seed=S added
# to TRAIN_ARGS and PRETRAIN_ARGS (both stages); then the validation accuracy of their vote (tools/evaluate.py
# --vote, scoring backend) and one submission from all the adapters on the base model (tools/submit.py: the
# majority, ties to the higher summed letter probability).
# Usage: bash scripts/run_ensemble.sh RECIPE [run_recipe.sh options: --force --zero-shot --scoring --parity]
#   SEEDS   the members' training seeds, at least two ["0 1"]
#   WORK    [data/work/RECIPE_ensemble]; member S: WORK/seedS (its split, metrics, logs and submission)
#   SAVE    [the recipe's output_dir/../ensemble]; member S: SAVE/seedS (adapter, merged model)
#   SUBMIT  the ensemble's submission [data/output/RECIPE_ensemble/submit.jsonl]
#   PRETRAIN_GENS  one first stage per member: tools/generate.py options for each seed in turn, separated by "|":
#           members that differ in their generated problems, not only in their seed [a recipe with a first stage,
#           two members, no PRETRAIN or PRETRAIN_GEN: "--plan configs/data/wide5k.yaml | --plan
#           configs/data/other5k.yaml"; else, or set empty: every member PRETRAIN_GEN, run_recipe.sh's default]
#   TEST, BASELINE, MODEL, DATA, TRAIN_ARGS, PRETRAIN*, DATASET_DIR ... as run_recipe.sh's, for every member
# Why (benchmarks/crossval/README.md, 5-fold cross-validation on the 1,421 real sub-questions, Qwen2.5-Coder-1.5B):
# two generated-then-real models averaged gave 73.7% against 68.5% for two real-only models averaged (paired +5.1,
# 95% interval +2.9 to +7.5), and one generated-then-real model 72.1%. That pair was wide_then_real + hard_then_real
# (two different first stages). Two seeds of one recipe (ladder cell wide_then_real_seed1, folds 0-1) averaged gave
# -0.35 over one member; the default pair here, wide5k.yaml + other5k.yaml (cells wide_then_real and
# other5k_then_real, folds 0-3 of 5, 1,137 sub-questions), gives 73.3%: +1.1 over one member (95% interval -0.7 to
# +2.9) and +4.7 over the real-only pair there (+2.4 to +6.9): members gain from differing first stages, not from
# seeds (benchmarks/crossval/README.md).
set -euo pipefail
[[ ${1:-} == -h || ${1:-} == --help ]] && { sed -n '2,/^[^#]/{/^#/p}' "$0"; exit 0; }   # the header above
cd "$(dirname "$0")/.."
RECIPE=${1:?usage: run_ensemble.sh RECIPE [run_recipe.sh options...]}
[[ -f configs/$RECIPE.yaml ]] || { echo "error: configs/$RECIPE.yaml: no such recipe" >&2; exit 2; }
TAG=${TAG:-${RECIPE}_ensemble}
source scripts/steps.sh
read -ra seeds <<< "${SEEDS:-0 1}"
(( ${#seeds[@]} >= 2 )) || { echo "error: SEEDS='${SEEDS:-}': an ensemble needs at least two seeds" >&2; exit 2; }
for seed in "${seeds[@]}"; do
  [[ $seed =~ ^[0-9]+$ ]] || { echo "error: SEEDS: '$seed' is not a seed (a whole number)" >&2; exit 2; }
done
gens=()
if [[ -z ${PRETRAIN_GENS+set} && -z ${PRETRAIN_GEN:-} && -z ${PRETRAIN:-} && ${#seeds[@]} == 2 \
      && -f configs/${RECIPE}_pretrain.yaml ]]; then
  PRETRAIN_GENS="--plan configs/data/wide5k.yaml | --plan configs/data/other5k.yaml"   # the measured pair (above)
fi
if [[ -n ${PRETRAIN_GENS:-} ]]; then
  IFS='|' read -ra gens <<< "$PRETRAIN_GENS"
  for i in "${!gens[@]}"; do
    read -ra words <<< "${gens[i]}"; gens[i]=${words[*]:-}       # spaces around each "|" dropped
    [[ -n ${gens[i]} ]] || { echo "error: PRETRAIN_GENS: member $((i + 1)) has no tools/generate.py options" >&2; exit 2; }
  done
  (( ${#gens[@]} == ${#seeds[@]} )) || {
    echo "error: PRETRAIN_GENS names ${#gens[@]} first stage(s) for ${#seeds[@]} seeds (SEEDS='${seeds[*]}'): one per member" >&2
    exit 2; }
fi
ZERO_SHOT=
for option in "${@:2}"; do
  case $option in
    --force) FORCE=1 ;;
    --zero-shot) ZERO_SHOT=1 ;;
  esac                                           # (run_recipe.sh checks every option)
done
recipe_value() { $PY tools/recipe_value.py "configs/$RECIPE.yaml" "$1"; }
[[ $(recipe_value finetuning_type) == lora ]] || {
  echo "error: configs/$RECIPE.yaml: an ensemble shares one base model, so its members must be LoRA adapters" >&2; exit 2; }
MODEL=${MODEL:-$(recipe_value model_name_or_path)}
TEMPLATE=$(recipe_value template)
WORK=${WORK:-data/work/${RECIPE}_ensemble}
SAVE=${SAVE:-$(dirname "$(recipe_value output_dir)")/ensemble}
SUBMIT=${SUBMIT:-data/output/${RECIPE}_ensemble/submit.jsonl}
mkdir -p "$WORK" "$(dirname "$SUBMIT")"
start=$SECONDS

adapters=() adapter_dirs=() adapter_files=()
for i in "${!seeds[@]}"; do
  seed=${seeds[i]} gen=${gens[i]:-${PRETRAIN_GEN:-}}
  echo "[$TAG] member seed $seed${gens[i]:+ (first stage: generate.py ${gens[i]})}: scripts/run_recipe.sh $RECIPE -> $SAVE/seed$seed"
  member=$WORK/seed$seed                         # (one assignment per name below: bash expands them in turn)
  TAG=${RECIPE}_seed$seed MODEL=$MODEL WORK=$member SAVE=$SAVE/seed$seed SUBMIT=$member/submit.jsonl \
    TRAIN_ARGS="${TRAIN_ARGS:+$TRAIN_ARGS }seed=$seed" PRETRAIN_ARGS="${PRETRAIN_ARGS:+$PRETRAIN_ARGS }seed=$seed" \
    PRETRAIN_GEN=$gen bash scripts/run_recipe.sh "$RECIPE" "${@:2}"
  adapters+=(--adapter "$SAVE/seed$seed/sft")
  adapter_dirs+=("$SAVE/seed$seed/sft")
  adapter_files+=("$SAVE/seed$seed/sft/adapter_model.safetensors")
done
first=$WORK/seed${seeds[0]}                      # every member's split is the same (split_dataset.py, seed 42)
TEST=${TEST:-$first/test.jsonl}
BASELINE=${BASELINE:-${ZERO_SHOT:+$first/zero_shot_answers.jsonl}}
step "accuracy of the ensemble's vote (letter scoring)" "$WORK/val_metrics.json" \
    "$MODEL" "${adapter_files[@]}" "$first/val.jsonl" "$PROMPT_FILE" -- \
  $PY tools/evaluate.py --model "$MODEL" "${adapters[@]}" --vote --template "$TEMPLATE" --gold "$first/val.jsonl" \
    --out "$WORK/val_metrics.json" --save "$WORK/val_answers.jsonl"
step "submission by the ensemble" "$SUBMIT" "$MODEL" "${adapter_files[@]}" "$TEST" ${BASELINE:+"$BASELINE"} \
    "$PROMPT_FILE" -- \
  $PY tools/submit.py --model "$MODEL" "${adapters[@]}" --template "$TEMPLATE" --test "$TEST" --out "$SUBMIT" \
    ${BASELINE:+--baseline "$BASELINE"}
for seed in "${seeds[@]}"; do
  echo "[$TAG] member seed $seed: $($PY tools/show_metrics.py "$WORK/seed$seed/val_metrics.json")"
done
echo "[$TAG] vote of ${#seeds[@]}: $($PY tools/show_metrics.py "$WORK/val_metrics.json")"
echo "[$TAG] adapters ${adapter_dirs[*]} | submission $SUBMIT"
echo "[$TAG] finished in $((SECONDS - start)) s"
