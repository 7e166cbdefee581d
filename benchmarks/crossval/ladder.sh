#!/usr/bin/env bash
# The accuracy ladder on the real problems (issue 12): every cell is tools/crossval.py, 5 folds by problem, letter
# scoring, plus 300 held-out generated problems. Runs where the model is (the GPU machine: device_start.sh starts
# it; a GPU box of your own: set MODEL and DATA). Results: $W/results_CELL.json, copied to
# benchmarks/crossval/results/ by hand. Cells run in priority order; one failing does not stop the others. A cell
# written NAME& runs in the background beside the next ones (it must fit in the GPU memory they leave); the cell
# `wait` waits for those; NAME@2,3,4 runs only those folds of cell NAME. Entries of one cell share its work folder,
# where tools/crossval.py claims each fold: `NAME& NAME@3,4` is a cell with a second worker (no fold trained twice;
# NAME's results take folds 3-4 from it). The cell `demo` is scripts/demo.sh's GPU profile on the real problems
# (DATA=$D/real.jsonl).
set -uo pipefail
cd "$(dirname "$0")/../.."
W=${W:-/tmp/ladder}
MODEL=${MODEL:-/tmp/models/qwen2.5-coder-1.5b-instruct}
D=${D:-data/work/device}                       # real.jsonl (the shared train set), gen4k*, new1k, heldout.jsonl
# every training's LoRA layers skip PEFT's float32 round trip of their inputs (the same numbers, faster: the LoRA fast
# path of scripts/pyhooks/sitecustomize.py); LRKIT_LORA_FASTPATH= turns it off, fused adds the scale-and-add
export LRKIT_LORA_FASTPATH=${LRKIT_LORA_FASTPATH-inputs}
export PYTHONPATH=$PWD/scripts/pyhooks${PYTHONPATH:+:$PYTHONPATH}
CELLS=${CELLS:-demo\& lora_real gen4k_only wait gen4k_then_real zero_shot shaped4k_only shaped4k_then_real full_real lora_real_lr1e-4}
P=${PARALLEL:-5}                               # folds side by side: five LoRA folds at micro-batch 4 peaked above 139 GiB
RECIPE=${RECIPE:-configs/lora_1.5b.yaml}       # the LoRA recipe of every LoRA cell (a CPU dry run: configs/demo_cpu.yaml)
PRE=${PRE:-num_train_epochs=1 per_device_train_batch_size=16 gradient_accumulation_steps=2}   # generated stages
FOLD_ARGS=${FOLD_ARGS:-}                       # overrides of the folds of hard_then_real, mix1k_real, wide_then_real
                                               # and lora_real_sdpa, e.g.
                                               # "per_device_train_batch_size=2 gradient_accumulation_steps=16": the
                                               # same steps, 84 GiB for five side by side (PARALLEL=5), no faster
VLLM_SITE=${VLLM_SITE:-/tmp/vllm_site}         # where device_vllm.sh installs vLLM (elsewhere: harmless if absent)
POOL_N=${POOL_N:-1000} POOL_SEED=${POOL_SEED:-0}   # the pool of the 1k cells (ans1k, sol1k, cot1k) and cot_then_real
TEXT_BACKEND=${TEXT_BACKEND:-vllm} VLLM_MEMORY=${VLLM_MEMORY:-0.3}  # free-text answers and chains (generate: a CPU dry run)
COT_PRE=${COT_PRE:-num_train_epochs=1 per_device_train_batch_size=4 gradient_accumulation_steps=8}  # reasoning stages
PERMUTED=${PERMUTE_EVAL-1}                     # non-empty: every cell also scored with --permute-options (*_permuted.json)
mkdir -p "$W"
if [[ -z "${LADDER_CHILD:-}" ]]; then
  nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -l 5 > "$W/gpu_mem.log" 2>/dev/null &
  mem_pid=$!
fi
cv() { # cv CELL crossval-options...
  local cell=$1; shift
  local start=$SECONDS
  echo "=== $cell: start $(date +%T)"
  local heldout=(--heldout "$D/heldout.jsonl")
  [[ -n ${NO_HELDOUT:-} ]] && heldout=()      # (the free-text cells: one vLLM engine start fewer)
  python3 tools/crossval.py --data "$D/real.jsonl" --model "$MODEL" "${heldout[@]}" --work "$W/$cell" \
    --out "$W/results_$cell${ONLY_FOLDS:+_folds${ONLY_FOLDS//,/}}.json" --batch-size 32 ${PERMUTED:+--permute-eval} \
    ${ONLY_FOLDS:+--only-folds "$ONLY_FOLDS"} "$@" \
    && echo "=== $cell: done in $((SECONDS - start)) s, peak GPU memory so far $(sort -n "$W/gpu_mem.log" | tail -1) MiB" \
    || echo "=== $cell: FAILED after $((SECONDS - start)) s"
}
demo() {
  local start=$SECONDS
  echo "=== demo: start $(date +%T)"
  SKIP_SETUP=1 PROFILE=gpu MODEL="$MODEL" DATA="$D/real.jsonl" WORK="$W/demo" SAVE="$W/demo/save" \
    SUBMIT="$W/demo/submit.jsonl" PROGRESS_EVERY=30 bash scripts/demo.sh > "$W/demo.log" 2>&1 \
    && echo "=== demo: done in $((SECONDS - start)) s" || echo "=== demo: FAILED after $((SECONDS - start)) s"
  rm -rf "$W/demo/save/merged"                 # 3 GB, not needed once the submission is written
}
hard_pool() { # hard_pool ADAPTER: $W/hard.jsonl = the problems of an 8,000-problem pool ADAPTER misses, + 10% of the rest
  local start=$SECONDS
  echo "=== hard pool: start $(date +%T)"
  python3 tools/generate.py --families v1 --n "${HARD_POOL_N:-8000}" --seed 200000 --out "$W/pool8k.jsonl" 2>/dev/null \
    && python3 tools/evaluate.py --model "$MODEL" --adapter "$1" --gold "$W/pool8k.jsonl" --backend scoring \
      --template qwen --batch-size 32 --save "$W/pool8k_answers.jsonl" --out "$W/pool8k_metrics.json" > "$W/hard_pool.log" 2>&1 \
    && python3 tools/select_hard.py "$W/pool8k.jsonl" "$W/pool8k_answers.jsonl" "$W/hard.jsonl" --easy-share 0.1 \
      >> "$W/hard_pool.log" 2>&1 \
    && echo "=== hard pool: $(tail -1 "$W/hard_pool.log") ($((SECONDS - start)) s)" \
    || { echo "=== hard pool: FAILED after $((SECONDS - start)) s (see $W/hard_pool.log)"; return 1; }
}
pool1k() { # $W/pool1k.jsonl and, the same problems with the solver's worked solutions, $W/pool1k_solutions.jsonl
  [[ -s $W/pool1k.jsonl && -s $W/pool1k_solutions.jsonl ]] && return 0
  python3 tools/generate.py --n "$POOL_N" --seed "$POOL_SEED" --out "$W/pool1k.jsonl" 2>/dev/null \
    && python3 tools/generate.py --n "$POOL_N" --seed "$POOL_SEED" --solutions --out "$W/pool1k_solutions.jsonl" 2>/dev/null \
    || { echo "=== pool1k: FAILED (tools/generate.py)"; return 1; }
}
vllm_install() { # vLLM from /tmp/vllm_chunks into $VLLM_SITE (idempotent); nothing to do for TEXT_BACKEND=generate
  [[ $TEXT_BACKEND != vllm ]] || bash benchmarks/gpu/device_vllm.sh install >> "$W/vllm_install.log" 2>&1 \
    || { echo "=== vLLM install: FAILED (see $W/vllm_install.log)"; return 1; }
}
other5k() { # $W/other5k.jsonl: configs/data/other5k.yaml, run_ensemble.sh's second member (made once)
  [[ -s $W/other5k.jsonl ]] || python3 tools/generate.py --plan configs/data/other5k.yaml --out "$W/other5k.jsonl" \
    > /dev/null 2>&1 || { echo "=== other5k: FAILED (tools/generate.py)"; return 1; }
}
cot_pool() { # $W/cot.jsonl: the base model's right chains of thought on pool1k (tools/rejection_sample.py, vLLM,
  # COT_SAMPLES a sub-question; resumable: a re-run samples only what is missing)
  local start=$SECONDS
  pool1k || return 1
  echo "=== cot chains: start $(date +%T)"
  vllm_install \
    && PYTHONPATH=${PYTHONPATH:+$PYTHONPATH:}$VLLM_SITE python3 tools/rejection_sample.py --model "$MODEL" \
      --template "${TEMPLATE:-qwen}" --backend "$TEXT_BACKEND" --samples "${COT_SAMPLES:-2}" --gpu-memory "$VLLM_MEMORY" \
      --max-new-tokens "${TEXT_TOKENS:-512}" --chunk 500 --data "$W/pool1k.jsonl" --out "$W/cot.jsonl" > "$W/cot.log" 2>&1 && [[ -s $W/cot.jsonl ]] \
    && echo "=== cot chains: $(tail -1 "$W/cot.log") ($((SECONDS - start)) s)" \
    || { echo "=== cot chains: FAILED after $((SECONDS - start)) s (see $W/cot.log)"; return 1; }
}
cells=()                                       # PIDs of the background cells (`wait` must not wait for the memory log)
for cell in $CELLS; do
  if [[ $cell == *\& ]]; then cell=${cell%\&}; LADDER_CHILD=1 CELLS="$cell" bash "$0" & cells+=($!); continue; fi
  ONLY_FOLDS=                                  # NAME@2,3,4: only those folds (the rest of a cell a session cut off;
  if [[ $cell == *@* ]]; then ONLY_FOLDS=${cell#*@} cell=${cell%%@*}; fi   # results_NAME_folds234.json, combine.py)
  case $cell in
    demo)               demo ;;
    gpu_train|gpu_qlora) # issue 14: the 7B LoRA training benchmark (random Qwen2-7B weights written here; needs .whl
                        # and data/work/gpu_bench from benchmarks/gpu/prepare.sh), with the GPU to itself; GPU_TRAIN_ARGS
                        # adds bench.py options, e.g. "--only ours ours_compile". gpu_qlora: the QLoRA 32B peak-memory
                        # re-check (plan_qlora_32b.yaml: 4, 8 and 16 of its 64 layers, extrapolated; GPU_QLORA_ARGS)
                        if [[ $cell == gpu_train ]]; then
                          plan=${GPU_PLAN:-plan_lora_7b_h200.yaml} budget=${GPU_TRAIN_S:-600} extra=${GPU_TRAIN_ARGS:-}
                        else
                          plan=plan_qlora_32b.yaml budget=${GPU_QLORA_S:-240} extra=${GPU_QLORA_ARGS---only qlora_L4 qlora_L8 qlora_L16}
                        fi
                        echo "=== $cell: start $(date +%T)"
                        python3 benchmarks/gpu/bench.py "benchmarks/gpu/$plan" --work /tmp/bench \
                          --results "$W/results_$cell.json" --budget-s "$budget" $extra > "$W/$cell.log" 2>&1 \
                          && echo "=== $cell: done $(date +%T)" || echo "=== $cell: FAILED (see $W/$cell.log)"
                        mkdir -p "$W/${cell}_logs" && cp /tmp/bench/*/runs/*.log /tmp/bench/*/runs/*.json "$W/${cell}_logs/" 2>/dev/null
                        rm -rf /tmp/bench/*/model /tmp/bench/*/runs ;;   # 15 GB of random weights: the disk is needed next
    gpu_scoring)        # issue 14: letter scoring of 1,328 sub-questions, random Qwen2-7B, model loaded (needs
                        # .bench/qwen_items.json: benchmarks/bench_eval.py prepare), with the GPU to itself
                        echo "=== gpu_scoring: start $(date +%T)"
                        python3 benchmarks/bench_eval.py gpu --items .bench/qwen_items.json --n 1328 --generate-n 0 \
                          --profile --fused-ops --liger --json "$W/results_scoring.json" > "$W/gpu_scoring.log" 2>&1 \
                          && echo "=== gpu_scoring: $(grep '^scoring packed' "$W/gpu_scoring.log" | tail -1)" \
                          || echo "=== gpu_scoring: FAILED (see $W/gpu_scoring.log)" ;;
    model_ready)        # wait for device_start.sh's conversion (its marker), for a ladder started before the chunks
                        # came; after MODEL_WAIT_S (default 1800) it says so and the ladder goes on (model cells fail)
                        waited=0 limit=${MODEL_WAIT_S:-1800}
                        until [[ -f $MODEL.ready || $waited -ge $limit ]]; do sleep 5; waited=$((waited + 5)); done
                        [[ -f $MODEL.ready ]] && echo "=== model ready $(date +%T)" \
                          || echo "=== model_ready: FAILED, no $MODEL.ready after $limit s (see /tmp/ladder/convert.log)" ;;
    vllm)               # issue 14: generation speed, vLLM vs transformers, with the GPU to itself (run it first)
                        echo "=== vllm: start $(date +%T)"
                        bash benchmarks/gpu/device_vllm.sh install > "$W/vllm.log" 2>&1 \
                          && PYTHONPATH=${PYTHONPATH:+$PYTHONPATH:}$VLLM_SITE python3 benchmarks/gpu/generation.py --model "$MODEL" \
                            --data "$D/real.jsonl" --out "$W/results_generation.json" ${VLLM_ARGS:---compare 32 --hf-batch 32 --noise-floor-batch 16} \
                            >> "$W/vllm.log" 2>&1 && echo "=== vllm: $(tail -1 "$W/vllm.log")" \
                          || echo "=== vllm: FAILED (see $W/vllm.log)" ;;
    wait)               echo "=== waiting for background cells $(date +%T)"; ((${#cells[@]})) && wait "${cells[@]}"; cells=() ;;
    zero_shot)          cv $cell --recipe "$RECIPE" --no-train ;;
    lora_real)          cv $cell --recipe "$RECIPE" --parallel $P ;;
    lora_real_lr*)      # issue 12's learning-rate rungs of real-only: lora_real at another rate (the cell's name:
                        # lora_real_lr1e-4, lora_real_lr4e-4, ...), folds at FOLD_ARGS' micro-batches
                        lr=${cell#lora_real_lr}
                        [[ $lr =~ ^[0-9]+(\.[0-9]+)?e-[0-9]+$ ]] || { echo "=== $cell: FAILED: learning rate '$lr' is not like 1e-4"; continue; }
                        cv $cell --recipe "$RECIPE" --parallel $P --train-args "learning_rate=$lr $FOLD_ARGS" ;;
    lora_real_seed1)    # real-only again with another training seed (same folds): with lora_real's answers, the
                        # real-only ensemble of two (vote.py --rule mean_probs) that the generated-then-real vote of
                        # two is compared with, like for like
                        cv $cell --recipe "$RECIPE" --parallel $P --train-args "seed=1" ;;
    lora_real_fused)    # the LoRA fast path 'fused' (scale-and-add inside the adapter's product, rounded once) on
                        # real-only: paired with lora_real on the same card, whether it changes accuracy at all
                        LRKIT_LORA_FASTPATH=fused cv $cell --recipe "$RECIPE" --parallel $P ;;
    lora_real_mb*)      # cheaper cells: lora_real's 32 examples a step in micro-batches of N (the cell's name:
                        # lora_real_mb8, _mb16, _mb32; not 8 of 4; the same loss, normalised over the step's tokens)
                        # with Liger's fused norm, SwiGLU, rotary and linear cross-entropy; a fold alone took ~1.45 s
                        # a step at micro-batch 4 (~10k tokens a step: launch-bound, a guess, not profiled). Memory:
                        # eager attention, no recomputation, so activations grow with N (a guess of ~3 MB a token:
                        # the longest group_by_length batch at N=16 ~45 GB, at N=32 ~90 GB); P_MB folds side by side.
                        # Paired with lora_real in accuracy (only rounding should differ) and in minutes per cell
                        mb=${cell#lora_real_mb}
                        [[ $mb =~ ^(1|2|4|8|16|32)$ ]] || { echo "=== $cell: FAILED: micro-batch '$mb' does not divide 32"; continue; }
                        cv $cell --recipe "$RECIPE" --parallel "${P_MB:-2}" \
                          --train-args "per_device_train_batch_size=$mb gradient_accumulation_steps=$((32 / mb)) enable_liger_kernel=true" ;;
    lora_real_sdpa)     # issue 14: lora_real with SDPA in place of eager attention, cuDNN's SDPA backend off in every
                        # training (scripts/pyhooks/sitecustomize.py: its backward gives NaN on Qwen2.5 + torch 2.11 +
                        # H200): same folds, compared in accuracy (paired with lora_real), time and memory
                        LRKIT_CUDNN_SDPA=0 cv $cell --recipe "$RECIPE" --parallel $P --train-args "flash_attn=sdpa $FOLD_ARGS" ;;
    full_real)          # every weight trained, P_FULL folds side by side (default 2, as configs/full_1.5b.yaml
                        # plans: fp32 weights, gradients and AdamW states are ~25 GB a fold before activations; not
                        # measured yet), at FOLD_ARGS' micro-batches when set
                        cv $cell --recipe configs/full_1.5b.yaml --parallel "${P_FULL:-2}" \
                          --train-args "${FOLD_ARGS:-per_device_train_batch_size=4}" ;;
    gen4k_only)         cv $cell --recipe "$RECIPE" --no-train --pretrain "$D/gen4k.jsonl" \
                          --pretrain-args "$PRE" --pretrain-out "$W/pre_gen4k" ;;
    gen4k_then_real)    cv $cell --recipe "$RECIPE" --parallel $P --pretrain "$D/gen4k.jsonl" \
                          --pretrain-args "$PRE" --pretrain-out "$W/pre_gen4k" ;;
    gen4k_then_real_lr1e-4) cv $cell --recipe "$RECIPE" --parallel $P --pretrain "$D/gen4k.jsonl" \
                          --pretrain-args "$PRE" --pretrain-out "$W/pre_gen4k" --train-args "learning_rate=1e-4" ;;
    gen4k_then_real_perm3) # the real stage on each problem in 3 option orders (as it is + 2 shuffled), 1 epoch: same steps
                        cv $cell --recipe "$RECIPE" --parallel $P --pretrain "$D/gen4k.jsonl" \
                          --pretrain-args "$PRE" --pretrain-out "$W/pre_gen4k" --train-permutations 3 \
                          --train-args "num_train_epochs=1" ;;
    gen4k_then_real_ep2) cv $cell --recipe "$RECIPE" --parallel $P --pretrain "$D/gen4k.jsonl" \
                          --pretrain-args "$PRE" --pretrain-out "$W/pre_gen4k" --train-args "num_train_epochs=2" ;;
    hard_then_real)     # issue 13 lever 2: after gen4k, a second stage on what the gen4k adapter still gets wrong
                        # (needs $W/pre_gen4k: a gen4k cell first); pool seeds 200000+ overlap neither gen4k nor heldout
                        hard_pool "$W/pre_gen4k" \
                          && cv $cell --recipe "$RECIPE" --parallel $P --pretrain "$W/hard.jsonl" \
                          --pretrain-args "$PRE adapter_name_or_path=$W/pre_gen4k" --pretrain-out "$W/pre_hard" \
                          --train-args "$FOLD_ARGS" ;;
    mix1k_real)         # generated + real in one stage (issue 12's "mixed"): the first MIX_N of the 4,000 joined to
                        # each fold's problems, those in 3 option orders (= 3 epochs of them), 1 epoch over it all
                        head -n "${MIX_N:-1000}" "$D/gen4k.jsonl" > "$W/mix.jsonl" \
                          && cv $cell --recipe "$RECIPE" --parallel $P --mix "$W/mix.jsonl" --train-permutations 3 \
                            --train-args "num_train_epochs=1 $FOLD_ARGS" ;;
    cot_then_real)      # issue 13 lever 3: the base model's own right chains (cot_pool) as a first stage, then the folds
                        cot_pool && cv $cell --recipe "$RECIPE" --parallel $P --pretrain "$W/cot.jsonl" \
                          --pretrain-args "$COT_PRE" --pretrain-out "$W/pre_cot" --train-args "$FOLD_ARGS" ;;
    ans1k_only|sol1k_only|cot1k_only) # issue 12's generated-only rungs at 1k and issue 13 lever 3, on the SAME pool of
                        # problems (pool1k: tools/generate.py --n POOL_N --seed POOL_SEED): answers only, the solver's
                        # worked solutions (--solutions), or the model's own right chains (cot_pool: those problems
                        # it got right at least once); one training each, no fold training, every real sub-question
                        # scored by letters; the two trained on reasoning also answer in free text (vLLM, greedy,
                        # 512 new tokens, stopped at the template's end token: cell NAME_text), as they were trained
                        pool1k || continue
                        case $cell in
                          ans1k_only) data=$W/pool1k.jsonl pre=(--pretrain-args "$PRE") out=$W/pre_ans1k ;;
                          sol1k_only) data=$W/pool1k_solutions.jsonl pre=(--pretrain-args "$COT_PRE") out=$W/pre_sol1k ;;
                          cot1k_only) cot_pool || continue
                                      data=$W/cot.jsonl pre=(--pretrain-args "$COT_PRE") out=$W/pre_cot ;;  # cot_then_real's
                        esac
                        cv $cell --recipe "$RECIPE" --no-train --pretrain "$data" "${pre[@]}" --pretrain-out "$out"
                        if [[ $cell != ans1k_only ]]; then
                          vllm_install
                          for try in 1 2; do             # vLLM's start can fail beside trainings whose memory moves
                            # while it profiles (2026-12-07: sol1k_only_text): once more, 30 s later
                            PERMUTED= NO_HELDOUT=1 PYTHONPATH=${PYTHONPATH:+$PYTHONPATH:}$VLLM_SITE cv ${cell}_text --recipe "$RECIPE" \
                              --no-train --pretrain "$data" "${pre[@]}" --pretrain-out "$out" \
                              --eval-args "--backend $TEXT_BACKEND --max-new-tokens ${TEXT_TOKENS:-512} --gpu-memory $VLLM_MEMORY"
                            [[ -f $W/results_${cell}_text.json ]] && break
                            ((try == 1)) && sleep "${TEXT_RETRY_S:-30}"
                          done
                        fi ;;
    wide_only|wide_then_real|wide_then_real_seed*) # issue 13, new kinds: the 4,000 plus $D/new1k.jsonl, 1,000
                        # problems of the families added 2026-12-03 (described_functions, encodings, positions: kinds
                        # of the rule_deduction catch-all the 4,000 lack), one generated stage, then (wide_then_real)
                        # the real folds. wide_then_real_seedN: the same with training seed N in both stages (its own
                        # first stage): the ensemble two runs of scripts/run_recipe.sh make (run_ensemble.sh),
                        # vote.py'd with wide_then_real and compared with the real-only vote of lora_real +
                        # lora_real_seed1, like for like
                        seed=${cell#wide_then_real_seed} seeded= pre_out=$W/pre_wide
                        if [[ $cell == wide_then_real_seed* ]]; then
                          [[ $seed =~ ^[0-9]+$ ]] || { echo "=== $cell: FAILED: seed '$seed' is not a number"; continue; }
                          seeded="seed=$seed" pre_out=$W/pre_wide_seed$seed
                        fi
                        if [[ $cell == wide_only ]]; then fold=(--no-train); else fold=(--parallel $P --train-args "${seeded:+$seeded }$FOLD_ARGS"); fi
                        # ($W/wide.jsonl is, byte for byte, tools/generate.py --plan configs/data/wide5k.yaml)
                        cat "$D/gen4k.jsonl" "$D/new1k.jsonl" > "$W/wide.jsonl" \
                          && cv $cell --recipe "$RECIPE" "${fold[@]}" \
                            --pretrain "$W/wide.jsonl" --pretrain-args "$PRE${seeded:+ $seeded}" --pretrain-out "$pre_out" ;;
    other5k_then_real)  # issue 13: an ensemble member whose first stage differs from wide_then_real's in its problems,
                        # not in its seed: 5,000 of all families from seed 500000 (seeds clear of gen4k's, new1k's, the
                        # held-out's, the hard pools' and pool1k's; families with one fixed definition, e.g. procedures
                        # and sums, repeat a problem statement of wide5k with other questions), then the real folds;
                        # vote.py it with wide_then_real and compare with the real-only vote of two
                        other5k && cv $cell --recipe "$RECIPE" --parallel $P --train-args "$FOLD_ARGS" \
                          --pretrain "$W/other5k.jsonl" --pretrain-args "$PRE" --pretrain-out "$W/pre_other5k" ;;
    wide10k_then_real)  # issue 13, one model instead of the ensemble: both members' first stages (wide5k as the wide
                        # cells make it, then other5k: 10,000 problems, ids distinct) in one, then the real folds;
                        # against the pair's 73.3%
                        other5k && cat "$D/gen4k.jsonl" "$D/new1k.jsonl" "$W/other5k.jsonl" > "$W/wide10k.jsonl" \
                          && cv $cell --recipe "$RECIPE" --parallel $P --train-args "$FOLD_ARGS" \
                            --pretrain "$W/wide10k.jsonl" --pretrain-args "$PRE" --pretrain-out "$W/pre_wide10k" ;;
    gen16k_only)        # issue 12's size axis after ans1k_only (1k) and gen4k_only (4k): 16,000 generated problems
                        # (tools/generate.py --families v1 --n GEN16K_N --seed 0: its first 4,000 are gen4k.jsonl byte
                        # for byte), one stage, no real training; ~1,560 steps (H200 at 16 x 2: ~10 min)
                        python3 tools/generate.py --families v1 --n "${GEN16K_N:-16000}" --seed 0 --out "$W/gen16k.jsonl" 2>/dev/null \
                          && cv $cell --recipe "$RECIPE" --no-train --pretrain "$W/gen16k.jsonl" \
                            --pretrain-args "$PRE" --pretrain-out "$W/pre_gen16k" ;;
    shaped4k_only)      cv $cell --recipe "$RECIPE" --no-train --pretrain "$D/gen4k_shaped.jsonl" \
                          --pretrain-args "$PRE" --pretrain-out "$W/pre_shaped4k" ;;
    shaped4k_then_real) cv $cell --recipe "$RECIPE" --parallel $P --pretrain "$D/gen4k_shaped.jsonl" \
                          --pretrain-args "$PRE" --pretrain-out "$W/pre_shaped4k" ;;
    *) echo "unknown cell $cell" ;;
  esac
done
((${#cells[@]})) && wait "${cells[@]}"
[[ -n "${LADDER_CHILD:-}" ]] && exit 0
kill "$mem_pid" 2>/dev/null
(cd "$W" && tar -czf results.tar.gz results_*.json gpu_mem.log demo.log vllm.log hard_pool.log pool8k_metrics.json cot.log vllm_install.log demo/*.json demo/logs */fold*/train.log */logs gpu_*.log gpu_train_logs gpu_qlora_logs \
  2>/dev/null)
echo "=== ladder finished $(date +%T)"
