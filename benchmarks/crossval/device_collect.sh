#!/usr/bin/env bash
# On the GPU machine: re-write $OUT/ladder.tar.gz (results, finished folds' answers, logs) every 10 s for SECONDS
# (default 0: once), so a call cut off by the session's end still brings back what was finished. Prints the log's end.
# Usage: bash benchmarks/crossval/device_collect.sh [SECONDS]
set -uo pipefail
W=${W:-/tmp/ladder}
[[ ${1:-0} =~ ^[0-9]+$ && -n ${OUT:-} ]] || { sed -n 2,4p "$0" >&2; echo "error: SECONDS must be a whole number and OUT set (the device's output folder)" >&2; exit 2; }
end=$((SECONDS + ${1:-0}))
while :; do
  (cd "$W" && tar -czf "$OUT/ladder.tmp.tar.gz" --ignore-failed-read results_*.json *.log */fold*/done.json \
    cot.jsonl */fold*/answers.jsonl */fold*/answers_permuted.jsonl */fold*/test.jsonl */fold*/train.log */fold*/evaluate*.log */logs log gpu_*_logs 2>/dev/null; mv "$OUT/ladder.tmp.tar.gz" "$OUT/ladder.tar.gz")
  [[ $SECONDS -ge $end ]] && break
  sleep 10
done
tail -c 1500 "$W/log"
