#!/usr/bin/env bash
# On the GPU machine, call 1 of a device session (benchmarks/crossval/README.md): set up (device_setup.sh), read the
# card's memory, and start the ladder in the background (setsid: it outlives the call) with the cells for that card:
# CELLS_BIG on a card of more than 100 GB (an H200), CELLS_SMALL otherwise (an H100 80GB), PARALLEL P_BIG / P_SMALL
# (defaults below). Cells such as model_ready wait for the model's chunks, and vllm / cot1k_only / the *_text cells
# need the vLLM chunks in /tmp/vllm_chunks: the next calls bring both. Defaults that differ from ladder.sh's:
# PERMUTE_EVAL empty (no option-order scoring), VLLM_USE_FLASHINFER_SAMPLER=0, FOLD_ARGS and PRE at the card's
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
# Every training of this 1.5B model is launch-bound: one alone keeps one CPU core at 100% and the GPU ~23% busy
# (2026-12-07, an H100: a first stage at micro-batch 4 x 8, 1.4-1.7 s a step, 12.5 min for 5,000 problems, no
# faster with nothing beside it), and four folds side by side at 2 x 16 kept it 99% busy at ~4 s a step each. So
# cells run side by side (NAME&), folds at micro-batch 2 x 16 (~16 GiB each, the same 32 examples a step: the loss
# is normalised over the step's tokens), and first stages at the largest micro-batch the card leaves room for
# (fewer launches a step: 16 x 2 took 3 min for 5,000 problems on the H200).
if (( memory > 100000 )); then    # issue 14's cells first; then two learning-rate rungs, 2 x 3 folds (~96 GiB)
  cells=${CELLS_BIG:-gpu_train gpu_qlora gpu_scoring model_ready vllm lora_real_lr1e-4\& lora_real_lr4e-4}
  parallel=${P_BIG:-3} pre_batch="16 gradient_accumulation_steps=2"
else  # two learning-rate rungs side by side, two folds each (~64 GiB)
  cells=${CELLS_SMALL:-model_ready lora_real_lr1e-4\& lora_real_lr4e-4} parallel=${P_SMALL:-2}
  pre_batch="8 gradient_accumulation_steps=4"
fi
export FOLD_ARGS=${FOLD_ARGS-per_device_train_batch_size=2 gradient_accumulation_steps=16}
export PRE=${PRE-num_train_epochs=1 per_device_train_batch_size=$pre_batch}
echo "card memory $memory MiB: PARALLEL=$parallel CELLS='$cells'"
export PERMUTE_EVAL=${PERMUTE_EVAL-} VLLM_USE_FLASHINFER_SAMPLER=${VLLM_USE_FLASHINFER_SAMPLER:-0}
PARALLEL=$parallel CELLS=$cells setsid nohup bash benchmarks/crossval/ladder.sh > /tmp/ladder/log 2>&1 < /dev/null &
sleep 15
tail -5 /tmp/ladder/log
