#!/usr/bin/env bash
# On the GPU machine, call 1 of a device session (benchmarks/crossval/README.md): set up (device_setup.sh), read the
# card's memory, and start the ladder in the background (setsid: it outlives the call) with the cells for that card:
# CELLS_BIG on a card of more than 100 GB (an H200), CELLS_SMALL otherwise (an H100 80GB), PARALLEL P_BIG / P_SMALL
# (defaults below). Cells such as model_ready wait for the model's chunks, and vllm / cot1k_only / the *_text cells
# need the vLLM chunks in /tmp/vllm_chunks: the next calls bring both. Defaults that differ from ladder.sh's:
# PERMUTE_EVAL empty (no option-order scoring), VLLM_USE_FLASHINFER_SAMPLER=0, FOLD_ARGS and PRE at smaller
# micro-batches (below); every other variable (GPU_TRAIN_ARGS, GPU_TRAIN_S, ...) goes to ladder.sh as it is.
# Follow: tail /tmp/ladder/log.
set -euo pipefail
if (($#)); then
  sed -n 2,9p "$0"
  [[ $1 == -h || $1 == --help ]] && exit 0
  echo "error: device_begin.sh takes no arguments (got '$1'): set CELLS_BIG, CELLS_SMALL, P_BIG, P_SMALL instead" >&2
  exit 2
fi
command -v nvidia-smi > /dev/null || { echo "error: device_begin.sh: no nvidia-smi here: run it on the GPU machine" >&2; exit 1; }
bash benchmarks/crossval/device_setup.sh
mkdir -p /tmp/ladder /tmp/vllm_chunks
source /tmp/env.sh
cd /tmp/repo
memory=$(nvidia-smi --query-gpu=memory.total --format=csv,noheader,nounits | head -1)
if (( memory > 100000 )); then
  cells=${CELLS_BIG:-gpu_train gpu_qlora gpu_scoring model_ready vllm other5k_then_real\& lora_real_lr1e-4}
  parallel=${P_BIG:-3}
else  # two cells side by side, two folds each: ~28 GiB a first stage + 2 x 17 GiB of folds, beside 2 x 17 GiB
  cells=${CELLS_SMALL:-model_ready other5k_then_real\& lora_real_lr1e-4} parallel=${P_SMALL:-2}
fi
# micro-batches that leave room for more folds side by side (about 17 GiB a fold at 2, 28 GiB a first stage at 4;
# a background cell NAME& or vLLM's VLLM_MEMORY share of the card in the text cells need room too), the same 32
# examples a step (the loss is normalised over the step's tokens)
export FOLD_ARGS=${FOLD_ARGS-per_device_train_batch_size=2 gradient_accumulation_steps=16}
export PRE=${PRE-num_train_epochs=1 per_device_train_batch_size=4 gradient_accumulation_steps=8}
echo "card memory $memory MiB: PARALLEL=$parallel CELLS='$cells'"
export PERMUTE_EVAL=${PERMUTE_EVAL-} VLLM_USE_FLASHINFER_SAMPLER=${VLLM_USE_FLASHINFER_SAMPLER:-0}
PARALLEL=$parallel CELLS=$cells setsid nohup bash benchmarks/crossval/ladder.sh > /tmp/ladder/log 2>&1 < /dev/null &
sleep 15
tail -5 /tmp/ladder/log
