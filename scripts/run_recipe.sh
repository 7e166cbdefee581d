#!/usr/bin/env bash
# One recipe end to end on a GPU machine: train -> predict on the validation split -> accuracy -> merge -> submission.
# Usage: bash scripts/run_recipe.sh RECIPE [--force] [--zero-shot] [--scoring] [--parity]
#        (RECIPE: lora_1.5b, full_1.5b, lora_7b, qlora_32b, qlora_72b, demo_cpu)
#        scripts/run_lora_7b.sh and scripts/run_qlora_32b.sh call this with their recipe; scripts/demo.sh with
#        demo_cpu (CPU) or lora_1.5b (GPU) and the three options:
#   --zero-shot  first score the base model (WORK/zero_shot.json); it is the submission's BASELINE, and the run
#                ends with the zero-shot vs fine-tuned table (tools/show_metrics.py)
#   --scoring    accuracy by tools/evaluate.py's scoring backend (letter logits, one forward pass) instead of
#                LLaMA-Factory's predict (greedy generation, RECIPE_predict.yaml): much faster on a CPU
#   --parity     after the merge, check that the merged model answers as the adapter does (32 sub-questions)
# A re-run skips each step whose inputs and arguments are unchanged and says why it re-runs the others
# (scripts/steps.sh); --force re-runs all. Every path comes from these variables (env overrides):
#   DATA      competition-format training JSONL [$SHARED_DATA of scripts/steps.sh: the competition's train set]
#   TEST      test-format JSONL to answer [WORK/test.jsonl: the validation split without answers]
#   MODEL     base model, hub id or local path [the recipe's model_name_or_path]
#   WORK      split, metrics, logs [data/work/RECIPE]
#   SAVE      adapter (SAVE/sft), predictions (SAVE/predict), merged model (SAVE/merged) [the recipe's output_dir/..]
#   SUBMIT    submission [data/output/RECIPE/submit.jsonl]
#   DATASET_DIR  where the Alpaca exports (DATASET_DIR/data/sft/) and their dataset_info.json go [.]
#   BASELINE  an answer file to report the submission's similarity to []
#   TRAIN_ARGS extra LLaMA-Factory overrides for training, e.g. "per_device_train_batch_size=4" []
#   TAG       the log prefix [RECIPE]
#
# Multi-GPU (LLaMA-Factory's own launcher: torchrun, one process per GPU):
#   NPROC_PER_NODE=N   processes (GPUs) for training; N > 1 sets FORCE_TORCHRUN=1 [1]
#   DEEPSPEED=FILE     a DeepSpeed config: configs/deepspeed/ds_z2_config.json (LoRA: replicated weights, sharded
#                      optimizer), ds_z3_config.json (72B QLoRA: weights sharded too), ds_z3_offload_config.json
#                      (DeepSpeed is not in requirements.txt: pip install deepspeed on the GPU machine) []
#   FSDP=1             FSDP through accelerate (configs/accelerate/fsdp_config.yaml) instead of torchrun []
#   NNODES, NODE_RANK, MASTER_ADDR, MASTER_PORT   several machines (LLaMA-Factory reads them)
# e.g. NPROC_PER_NODE=2 DEEPSPEED=configs/deepspeed/ds_z2_config.json bash scripts/run_lora_7b.sh
# Predict, merge and submission run in one process (predict_with_generate under torchrun would shard the
# validation set; one GPU is enough for it).
set -euo pipefail
cd "$(dirname "$0")/.."
RECIPE=${1:?usage: run_recipe.sh RECIPE [--force] [--zero-shot] [--scoring] [--parity]}
[[ -f configs/$RECIPE.yaml ]] || { echo "error: configs/$RECIPE.yaml: no such recipe" >&2; exit 2; }
TAG=${TAG:-$RECIPE}
source scripts/steps.sh
ZERO_SHOT= SCORING= PARITY=
for option in "${@:2}"; do
  case $option in
    --force) FORCE=1 ;;
    --zero-shot) ZERO_SHOT=1 ;;
    --scoring) SCORING=1 ;;
    --parity) PARITY=1 ;;
    *) echo "error: run_recipe.sh: unknown option $option (--force, --zero-shot, --scoring, --parity)" >&2; exit 2 ;;
  esac
done
start=$SECONDS

recipe_value() { # recipe_value KEY [STAGE]: a value from configs/RECIPE[_STAGE].yaml
  $PY tools/recipe_value.py "configs/$RECIPE${2:+_$2}.yaml" "$1"
}
DATA=${DATA:-$SHARED_DATA}
MODEL=${MODEL:-$(recipe_value model_name_or_path)}
WORK=${WORK:-data/work/$RECIPE}
SAVE=${SAVE:-$(dirname "$(recipe_value output_dir)")}
TEST=${TEST:-$WORK/test.jsonl}
SUBMIT=${SUBMIT:-data/output/$RECIPE/submit.jsonl}
BASELINE=${BASELINE:-${ZERO_SHOT:+$WORK/zero_shot_answers.jsonl}}
DATASET_DIR=${DATASET_DIR:-.}
NPROC_PER_NODE=${NPROC_PER_NODE:-1}
TEMPLATE=$(recipe_value template)
TRAIN_SET=$(recipe_value dataset)
VAL_SET=$(recipe_value eval_dataset predict)
LOGS=$WORK/logs
mkdir -p "$LOGS" "$(dirname "$SUBMIT")"
read -ra train_args <<< "${TRAIN_ARGS:-}"
[[ -n "${DEEPSPEED:-}" ]] && train_args+=(deepspeed="$DEEPSPEED")
model=(model_name_or_path="$MODEL" dataset_dir="$DATASET_DIR")

echo "[$TAG] data $DATA | model $MODEL | template $TEMPLATE | work $WORK | save $SAVE | submission $SUBMIT"
echo "[$TAG] training on $NPROC_PER_NODE process(es)${DEEPSPEED:+ with DeepSpeed $DEEPSPEED}${FSDP:+ with FSDP}"
$PY tools/validate.py "$DATA"
step "split train/validation by problem" "$WORK/val.jsonl" "$DATA" -- \
  $PY tools/split_dataset.py "$DATA" --train "$WORK/train.jsonl" --val "$WORK/val.jsonl"   # its 10%, seed 42
[[ "$TEST" != "$WORK/test.jsonl" ]] || step "test-format file (validation without answers)" "$TEST" "$WORK/val.jsonl" -- \
  $PY tools/strip_answers.py "$WORK/val.jsonl" "$TEST"
# Exports always run (seconds): data/sft/ is shared by every WORK, so it must follow this run's split.
echo "[$TAG] export Alpaca and register $TRAIN_SET, $VAL_SET in $DATASET_DIR/dataset_info.json"
for split in train val; do
  name=$([[ $split == train ]] && echo "$TRAIN_SET" || echo "$VAL_SET")
  $PY tools/export_alpaca.py "$WORK/$split.jsonl" "$DATASET_DIR/data/sft/$name.json" --name "$name" \
    --register "$DATASET_DIR/dataset_info.json"
done

# What a step reads besides its command line (scripts/steps.sh: a change re-runs it). The exports are rewritten
# every run but keep their content while the split does; MODEL counts when it is a local folder.
exports=("$DATASET_DIR/data/sft/$TRAIN_SET.json" "$DATASET_DIR/data/sft/$VAL_SET.json")
adapter=("$SAVE/sft/adapter_model.safetensors" "$SAVE/sft/adapter_config.json")
FULL=$([[ $(recipe_value finetuning_type) == full ]] && echo 1 || echo "")
# A full fine-tune writes the model itself: predict and submit load it; there is nothing to merge.
trained=${FULL:+$SAVE/sft/config.json}; trained=${trained:-$SAVE/sft/adapter_model.safetensors}
[[ -n $FULL ]] && adapter=("$SAVE/sft/config.json")
predict_model=("${model[@]}" adapter_name_or_path="$SAVE/sft")
[[ -n $FULL ]] && predict_model=(model_name_or_path="$SAVE/sft" dataset_dir="$DATASET_DIR")
FINAL=$SAVE/merged; KIND=merged; PRODUCT="adapter $SAVE/sft | merged model $SAVE/merged"
[[ -n $FULL ]] && { FINAL=$SAVE/sft; KIND=fine-tuned; PRODUCT="fine-tuned model $SAVE/sft"; }
train=($LF train "configs/$RECIPE.yaml")
train_inputs=("configs/$RECIPE.yaml" "${exports[@]}" "$MODEL" ${DEEPSPEED:+"$DEEPSPEED"})
if [[ -n "${FSDP:-}" ]]; then
  train=(accelerate launch --config_file configs/accelerate/fsdp_config.yaml --num_processes "$NPROC_PER_NODE"
         -m llamafactory.launcher "configs/$RECIPE.yaml")
  train_inputs+=(configs/accelerate/fsdp_config.yaml)
elif (( NPROC_PER_NODE > 1 )); then
  train=(env FORCE_TORCHRUN=1 NPROC_PER_NODE="$NPROC_PER_NODE" "${train[@]}")  # on the command line: in the stamp
fi
[[ -z $ZERO_SHOT ]] || step "zero-shot accuracy (base model)" "$WORK/zero_shot.json" "$MODEL" "$WORK/val.jsonl" "$PROMPT_FILE" -- \
  $PY tools/evaluate.py --model "$MODEL" --template "$TEMPLATE" --gold "$WORK/val.jsonl" \
    --out "$WORK/zero_shot.json" --save "$WORK/zero_shot_answers.jsonl"
step "train (configs/$RECIPE.yaml)" "$trained" "${train_inputs[@]}" -- \
  progress "$LOGS/train.log" "training step" "${train[@]}" "${model[@]}" output_dir="$SAVE/sft" "${train_args[@]}"
unset FORCE_TORCHRUN   # one exported by the caller is for training only: predict runs in one process
trained_model=(--model "$MODEL" --adapter "$SAVE/sft")
[[ -n $FULL ]] && trained_model=(--model "$SAVE/sft")
if [[ -n $SCORING ]]; then
  step "accuracy of the trained model (letter scoring)" "$WORK/val_metrics.json" \
      "$MODEL" "${adapter[@]}" "$WORK/val.jsonl" "$PROMPT_FILE" -- \
    $PY tools/evaluate.py "${trained_model[@]}" --template "$TEMPLATE" --gold "$WORK/val.jsonl" \
      --out "$WORK/val_metrics.json" --save "$WORK/val_answers.jsonl"
else
  step "predict on the validation split (configs/${RECIPE}_predict.yaml)" "$SAVE/predict/generated_predictions.jsonl" \
      "configs/${RECIPE}_predict.yaml" "${exports[@]}" "$MODEL" "${adapter[@]}" -- \
    progress "$LOGS/predict.log" "prediction batch" $LF train "configs/${RECIPE}_predict.yaml" "${predict_model[@]}" \
      output_dir="$SAVE/predict"
  step "accuracy of the predictions" "$WORK/val_metrics.json" "$SAVE/predict/generated_predictions.jsonl" "$WORK/val.jsonl" -- \
    $PY tools/evaluate.py --pred "$SAVE/predict/generated_predictions.jsonl" --gold "$WORK/val.jsonl" --out "$WORK/val_metrics.json"
fi
[[ -n $FULL ]] || step "merge (configs/${RECIPE}_merge.yaml)" "$SAVE/merged/config.json" "configs/${RECIPE}_merge.yaml" "$MODEL" "${adapter[@]}" -- \
  logged "$LOGS/merge.log" $LF export "configs/${RECIPE}_merge.yaml" "${model[@]}" \
    adapter_name_or_path="$SAVE/sft" export_dir="$SAVE/merged"
[[ -z $PARITY || -n $FULL ]] || step "parity: adapter vs merged model" "$LOGS/parity.log" \
    "$MODEL" "${adapter[@]}" "$SAVE/merged" "$WORK/val.jsonl" "$PROMPT_FILE" -- \
  teed "$LOGS/parity.log" $PY tools/evaluate.py --model "$MODEL" --adapter "$SAVE/sft" --template "$TEMPLATE" \
    --gold "$WORK/val.jsonl" --parity "$SAVE/merged" --parity-n 32
step "submission by the $KIND model" "$SUBMIT" "$FINAL" "$TEST" ${BASELINE:+"$BASELINE"} "$PROMPT_FILE" -- \
  $PY tools/submit.py --model "$FINAL" --template "$TEMPLATE" --test "$TEST" --out "$SUBMIT" ${BASELINE:+--baseline "$BASELINE"}

echo "[$TAG] $($PY tools/show_metrics.py "$WORK/val_metrics.json")"
echo "[$TAG] $PRODUCT | submission $SUBMIT"
[[ -z $ZERO_SHOT ]] || $PY tools/show_metrics.py "$WORK/val_metrics.json" --vs "$WORK/zero_shot.json" | sed "s/^/[$TAG] /"
chat=(model_name_or_path="$MODEL" adapter_name_or_path="$SAVE/sft")
[[ -n $FULL ]] && chat=(model_name_or_path="$SAVE/sft")
echo "[$TAG] chat: llamafactory-cli webchat configs/${RECIPE}_chat.yaml ${chat[*]}"
echo "[$TAG] finished in $((SECONDS - start)) s"
