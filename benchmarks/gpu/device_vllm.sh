#!/usr/bin/env bash
# On the GPU machine, after benchmarks/crossval/device_start.sh converted the model and the 15 chunks of
# .carry/vllm/vllm_0.21.0 arrived in /tmp/vllm_chunks (one per call): install vLLM into /tmp/vllm_site (after
# /tmp/site on PYTHONPATH, so the pinned transformers and peft win) and start benchmarks/gpu/generation.py in the
# background (`device_vllm.sh install`: install only, e.g. for ladder.sh's cot_then_real). Arguments go to generation.py. Follow it with: tail /tmp/ladder/vllm.log
# Start it with nothing else on the GPU, or beside jobs whose memory stays put: vLLM sizes its KV cache from the
# free memory it measures at start, and stops ("Error in memory profiling") when a job beside it frees memory
# meanwhile (2026-12-02: a LoRA fold ended during its start).
set -euo pipefail
source /tmp/env.sh
if [[ ! -f /tmp/vllm_site/.done ]]; then
  mkdir -p /tmp/vllm_pkg
  cat /tmp/vllm_chunks/vllm.tar.* | tar -x -C /tmp/vllm_pkg
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/vllm_site /tmp/vllm_pkg/wheels/*.whl
  touch /tmp/vllm_site/.done
fi
grep -q vllm_site /tmp/env.sh || echo "export PYTHONPATH=/tmp/site:/tmp/vllm_site" >> /tmp/env.sh   # once
source /tmp/env.sh
[[ ${1:-} == install ]] && { python3 -c "import vllm; print('vllm', vllm.__version__, 'installed')"; exit 0; }   # install only
python3 -m pip show numba torchvision torchaudio numpy setuptools 2>/dev/null | grep -E "^(Name|Version)" | paste - - || true
cd /tmp/repo
mkdir -p /tmp/ladder
setsid nohup python3 benchmarks/gpu/generation.py --model /tmp/models/qwen2.5-coder-1.5b-instruct \
  --data data/work/device/real.jsonl --out /tmp/ladder/results_generation.json "$@" > /tmp/ladder/vllm.log 2>&1 < /dev/null &
sleep 2; echo "started generation.py"
