#!/usr/bin/env bash
# On the GPU machine, after the last chunk arrived in /tmp/chunks: rebuild and verify the GGUF, convert it (then the
# marker MODEL.ready), then run the ladder, all in the background (setsid: it outlives the call). Follow it with:
# tail /tmp/ladder/log. LADDER= only converts: for a ladder started earlier that waits in its cell `model_ready`.
set -euo pipefail
source /tmp/env.sh
cd /tmp/repo
mkdir -p /tmp/ladder
model=/tmp/models/qwen2.5-coder-1.5b-instruct
ladder=${LADDER-1}
log=/tmp/ladder/log
[[ -n $ladder ]] || log=/tmp/ladder/convert.log
setsid nohup bash -c "python3 tools/fetch_model.py qwen2.5-coder-1.5b-instruct --from-chunks /tmp/chunks --cache /tmp/mcache \
  --out $model && touch $model.ready ${ladder:+&& bash benchmarks/crossval/ladder.sh}" > $log 2>&1 < /dev/null &
sleep 2; echo "started: $(tail -2 $log)"
