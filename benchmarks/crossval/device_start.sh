#!/usr/bin/env bash
# On the GPU machine, after the last chunk arrived in /tmp/chunks: rebuild and verify the GGUF, convert it, then run
# the ladder, all in the background (setsid: it outlives the call). Follow it with: tail /tmp/ladder/log
set -euo pipefail
source /tmp/env.sh
cd /tmp/repo
mkdir -p /tmp/ladder
setsid nohup bash -c "python3 tools/fetch_model.py qwen2.5-coder-1.5b-instruct --from-chunks /tmp/chunks --cache /tmp/mcache \
  --out /tmp/models/qwen2.5-coder-1.5b-instruct && bash benchmarks/crossval/ladder.sh" > /tmp/ladder/log 2>&1 < /dev/null &
sleep 2; echo "started: $(cat /tmp/ladder/log | tail -2)"
