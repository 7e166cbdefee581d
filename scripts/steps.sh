# Sourced by scripts/demo.sh and scripts/run_recipe.sh: resumable steps that log where their outputs went.
# A step runs unless its output exists; FORCE=1 (the scripts' --force) re-runs everything.
# Steps log "[TAG] name" before and "[TAG] name -> output (N s)" after, with TAG=${TAG:-run}.

step() { # step NAME OUTPUT -- command...
  local name=$1 out=$2 start=$SECONDS; shift 3
  if [[ -e "$out" && "${FORCE:-0}" != 1 ]]; then echo "[${TAG:-run}] $name: done already -> $out"; return; fi
  echo "[${TAG:-run}] $name"
  "$@"
  echo "[${TAG:-run}] $name -> $out ($((SECONDS - start)) s)"
}

# LLaMA-Factory starts torchrun by name for FORCE_TORCHRUN=1: the venv's bin must be on PATH.
PATH="$PWD/.venv/bin:$PATH"
LF=llamafactory-cli
PY=python

logged() { # logged LOGFILE command...: run with all output in LOGFILE; on failure show its tail
  local log=$1; shift
  mkdir -p "$(dirname "$log")"
  echo "[${TAG:-run}]   log: $log"
  "$@" > "$log" 2>&1 || { tail -30 "$log"; echo "[${TAG:-run}] failed: $*" >&2; return 1; }
}

teed() { # teed LOGFILE command...: show the output and keep it in LOGFILE, which exists only after success
  local log=$1; shift
  mkdir -p "$(dirname "$log")"
  "$@" 2>&1 | tee "$log.part" && mv "$log.part" "$log"
}

# A test-format copy of a labelled file: every sub-question's answer removed.
STRIP_ANSWERS='import sys
from lrkit.records import load_problems, write_jsonl
records = load_problems(sys.argv[1])
for record in records:
    for question in record["questions"]:
        question.pop("answer", None)
write_jsonl(sys.argv[2], records)
print(f"{sys.argv[1]}: {len(records)} problems, answers removed -> {sys.argv[2]}")'
