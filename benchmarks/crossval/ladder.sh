#!/usr/bin/env bash
# The accuracy ladder on the real problems (issue 12): every cell is tools/crossval.py, 5 folds by problem, letter
# scoring, plus 300 held-out generated problems. Runs where the model is (the GPU machine: device_start.sh starts
# it; a GPU box of your own: set MODEL and DATA). Results: $W/results_CELL.json, copied to
# benchmarks/crossval/results/ by hand. Cells run in priority order; one failing does not stop the others.
set -uo pipefail
cd "$(dirname "$0")/../.."
W=${W:-/tmp/ladder}
MODEL=${MODEL:-/tmp/models/qwen2.5-coder-1.5b-instruct}
D=${D:-data/work/device}                       # real.jsonl (the shared train set), gen4k*.jsonl, heldout.jsonl
CELLS=${CELLS:-lora_real zero_shot gen4k_only gen4k_then_real full_real shaped4k_only shaped4k_then_real lora_real_lr1e-4}
PRE="num_train_epochs=1 per_device_train_batch_size=16 gradient_accumulation_steps=2"
mkdir -p "$W"
nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -l 5 > "$W/gpu_mem.log" 2>/dev/null &
cv() { # cv CELL crossval-options...
  local cell=$1; shift
  local start=$SECONDS
  echo "=== $cell: start $(date +%T)"
  python3 tools/crossval.py --data "$D/real.jsonl" --model "$MODEL" --heldout "$D/heldout.jsonl" --work "$W/$cell" \
    --out "$W/results_$cell.json" --batch-size 32 "$@" \
    && echo "=== $cell: done in $((SECONDS - start)) s, peak GPU memory so far $(sort -n "$W/gpu_mem.log" | tail -1) MiB" \
    || echo "=== $cell: FAILED after $((SECONDS - start)) s"
}
for cell in $CELLS; do
  case $cell in
    zero_shot)          cv $cell --recipe configs/lora_1.5b.yaml --no-train ;;
    lora_real)          cv $cell --recipe configs/lora_1.5b.yaml --parallel 5 ;;
    lora_real_lr1e-4)   cv $cell --recipe configs/lora_1.5b.yaml --parallel 5 --train-args "learning_rate=1e-4" ;;
    full_real)          cv $cell --recipe configs/full_1.5b.yaml --parallel 3 \
                          --train-args "per_device_train_batch_size=4" ;;
    gen4k_only)         cv $cell --recipe configs/lora_1.5b.yaml --no-train --pretrain "$D/gen4k.jsonl" \
                          --pretrain-args "$PRE" --pretrain-out "$W/pre_gen4k" ;;
    gen4k_then_real)    cv $cell --recipe configs/lora_1.5b.yaml --parallel 5 --pretrain "$D/gen4k.jsonl" \
                          --pretrain-args "$PRE" --pretrain-out "$W/pre_gen4k" ;;
    shaped4k_only)      cv $cell --recipe configs/lora_1.5b.yaml --no-train --pretrain "$D/gen4k_shaped.jsonl" \
                          --pretrain-args "$PRE" --pretrain-out "$W/pre_shaped4k" ;;
    shaped4k_then_real) cv $cell --recipe configs/lora_1.5b.yaml --parallel 5 --pretrain "$D/gen4k_shaped.jsonl" \
                          --pretrain-args "$PRE" --pretrain-out "$W/pre_shaped4k" ;;
    *) echo "unknown cell $cell" ;;
  esac
done
kill %1 2>/dev/null
(cd "$W" && tar -czf results.tar.gz results_*.json gpu_mem.log */fold*/train.log */logs 2>/dev/null)
echo "=== ladder finished $(date +%T)"
