#!/usr/bin/env bash
# On the GPU machine, call 1 of the ladder (benchmarks/crossval/README.md): unpack what was carried into /tmp, which
# outlives the call while the machine stays warm. Carried: .whl (wheels the device lacks) and data/work/device
# (the real train set, generated sets, and repo.tar: a `git archive` of the commit to run, so later calls, which
# re-lay the working tree, cannot change the code of a job that is running); for the GPU benchmark cells also
# data/work/gpu_bench and .bench.
set -euo pipefail
if [[ ! -f /tmp/site/.done ]]; then
  for wheel in .whl/*.whl; do python3 -m zipfile -e "$wheel" /tmp/site; done
  cp -r .whl/bnb/bitsandbytes /tmp/site/
  touch /tmp/site/.done
fi
mkdir -p /tmp/site/bin /tmp/repo /tmp/chunks
printf '#!/usr/bin/env python3\nfrom llamafactory.cli import main\nmain()\n' > /tmp/site/bin/llamafactory-cli
chmod +x /tmp/site/bin/llamafactory-cli
printf '#!/bin/sh\nexec python3 "$@"\n' > /tmp/site/bin/python      # scripts/steps.sh (the demo) runs `python`
chmod +x /tmp/site/bin/python
tar -xf data/work/device/repo.tar -C /tmp/repo
rm -rf /tmp/site/lrkit && cp -r /tmp/repo/tools/lrkit /tmp/site/lrkit   # lrkit as pip would install it (no build tool there)
mkdir -p /tmp/repo/data/work/device
cp data/work/device/*.jsonl /tmp/repo/data/work/device/
# the GPU benchmarks' inputs, when carried (benchmarks/gpu/prepare.sh; benchmarks/bench_eval.py prepare)
[[ -d data/work/gpu_bench ]] && cp -r data/work/gpu_bench /tmp/repo/data/work/
[[ -d .bench ]] && cp -r .bench /tmp/repo/
cat > /tmp/env.sh <<'ENV'
export PYTHONPATH=/tmp/site PATH=/tmp/site/bin:$PATH DISABLE_VERSION_CHECK=1 HF_HUB_OFFLINE=1 PYTHONUNBUFFERED=1
export TOKENIZERS_PARALLELISM=false PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True
ENV
source /tmp/env.sh
python3 -c "import torch, transformers, peft, llamafactory, gguf; print('torch', torch.__version__, 'transformers', transformers.__version__, torch.cuda.get_device_name())"
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
