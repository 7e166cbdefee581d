# Sourced by scripts/demo.sh and scripts/run_recipe.sh: resumable steps that log where their outputs went and
# show the progress of long ones.
#
#   step NAME OUTPUT [INPUT...] -- command...
#
# A step is skipped only when nothing it depends on changed since it last succeeded. After a successful run it
# writes OUTPUT.stamp, holding a hash of its command line (every argument, so a new TRAIN_ARGS or path counts) and
# one identity per INPUT (a file or a folder, whose files are taken in name order; *.stamp files are left out).
# An input's identity is the sha256 of its content; a file larger than STAMP_CONTENT_MAX_MB [64] (model weights)
# is known by its size and modification time instead, so that checking a 30B model's stamp costs nothing. A
# path that does not exist (a hub id given as MODEL) is recorded as absent. The next run
#   - skips the step when OUTPUT exists and the stamp matches:  [TAG] NAME: unchanged since DATE -> OUTPUT
#   - re-runs it otherwise, saying why:  [TAG] NAME (no output yet | no stamp | arguments changed |
#     inputs changed: PATH, ... | --force)
# The old stamp is removed before the command starts and the new one written only after it succeeds, so an
# interrupted or failed step always runs again. FORCE=1 (the scripts' --force) re-runs everything.
# Steps log "[TAG] NAME (why)" before and "[TAG] NAME -> OUTPUT (N s)" after, with TAG=${TAG:-run}.

STAMP_CONTENT_MAX_MB=${STAMP_CONTENT_MAX_MB:-64}

_stamp_file_id() { # _stamp_file_id FILE: sha256 of the content, or size+mtime above STAMP_CONTENT_MAX_MB
  local size mtime
  read -r size mtime < <(stat -L -c '%s %.9Y' -- "$1")
  if (( size > STAMP_CONTENT_MAX_MB * 1024 * 1024 )); then
    printf 'size=%s,mtime=%s' "$size" "$mtime"
  else
    sha256sum < "$1" | cut -c1-64 | tr -d '\n'
  fi
}

_stamp_id() { # _stamp_id PATH: the identity of a file or folder now
  local path=$1 file
  if [[ -f "$path" ]]; then
    _stamp_file_id "$path"
  elif [[ -d "$path" ]]; then
    while IFS= read -r -d '' file; do
      printf '%s %s\n' "$(_stamp_file_id "$path/$file")" "$file"
    done < <(cd "$path" && find . -type f ! -name '*.stamp' -printf '%P\0' | LC_ALL=C sort -z) | sha256sum | cut -c1-64
  else
    printf absent
  fi
}

_stamp_body() { # _stamp_body INPUT... -- command...: the stamp's lines (without its header)
  local inputs=()
  while [[ $1 != -- ]]; do inputs+=("$1"); shift; done
  shift
  printf 'command %s\n' "$(printf '%q ' "$@" | sha256sum | cut -c1-64)"
  local input
  for input in "${inputs[@]}"; do printf 'input %s %s\n' "$(_stamp_id "$input")" "$input"; done
}

_stamp_changes() { # _stamp_changes STAMP BODY: why BODY differs from what STAMP recorded (empty when it does not)
  local old line rest path changed=() why=()
  local -A was=() now=()
  old=$(grep -v '^#' "$1")
  [[ "$(grep '^command ' <<< "$old")" == "$(grep '^command ' <<< "$2")" ]] || why+=("arguments changed")
  while IFS= read -r line; do
    if [[ $line == input\ * ]]; then rest=${line#input }; was[${rest#* }]=${rest%% *}; fi
  done <<< "$old"
  while IFS= read -r line; do
    if [[ $line == input\ * ]]; then rest=${line#input }; now[${rest#* }]=${rest%% *}; fi
  done <<< "$2"
  while IFS= read -r line; do # in the order the step lists them
    [[ $line == input\ * ]] || continue
    rest=${line#input }; path=${rest#* }
    if [[ -z "${was[$path]+set}" ]]; then changed+=("$path (new input)")
    elif [[ "${was[$path]}" != "${now[$path]}" ]]; then changed+=("$path")
    fi
  done <<< "$2"
  for path in "${!was[@]}"; do [[ -n "${now[$path]:-}" ]] || changed+=("$path (no longer an input)"); done
  (( ${#changed[@]} == 0 )) || why+=("inputs changed: $(_joined ", " "${changed[@]}")")
  (( ${#why[@]} == 0 )) || _joined "; " "${why[@]}"
}

_joined() { # _joined SEPARATOR WORD...: the words with SEPARATOR between them
  local sep=$1 out=$2 word; shift 2
  for word; do out+="$sep$word"; done
  printf '%s\n' "$out"
}

step() { # step NAME OUTPUT [INPUT...] -- command...
  local name=$1 out=$2 start=$SECONDS inputs=() why= body
  shift 2
  while [[ $# -gt 0 && $1 != -- ]]; do inputs+=("$1"); shift; done
  [[ ${1:-} == -- ]] || { echo "step $name: no -- before the command" >&2; return 2; }
  shift
  local stamp="$out.stamp"
  body=$(_stamp_body "${inputs[@]}" -- "$@")
  if [[ "${FORCE:-0}" == 1 ]]; then why="--force"
  elif [[ ! -e "$out" ]]; then why="no output yet"
  elif [[ ! -f "$stamp" ]]; then why="no stamp: made before stamps existed, or by an interrupted run"
  else why=$(_stamp_changes "$stamp" "$body")
  fi
  if [[ -z "$why" ]]; then
    echo "[${TAG:-run}] $name: unchanged since $(sed -n 's/^# when //p' "$stamp") -> $out"
    return
  fi
  echo "[${TAG:-run}] $name ($why)"
  rm -f "$stamp"
  local rc=0
  "$@" || rc=$?
  if (( rc != 0 )); then echo "[${TAG:-run}] $name failed (exit $rc): no stamp written, the next run repeats it" >&2; return $rc; fi
  if [[ ! -e "$out" ]]; then echo "[${TAG:-run}] $name: the command succeeded but wrote no $out" >&2; return 1; fi
  { printf '# step %s\n# when %s\n' "$name" "$(date '+%Y-%m-%d %H:%M:%S')"; printf '%s\n' "$body"; } > "$stamp.part"
  mv "$stamp.part" "$stamp"
  echo "[${TAG:-run}] $name -> $out ($((SECONDS - start)) s)"
}

# LLaMA-Factory starts torchrun by name for FORCE_TORCHRUN=1: the venv's bin must be on PATH.
PATH="$PWD/.venv/bin:$PATH"
# LoRA training under bf16 autocast skips PEFT's float32 round trip of every adapter input and adds the scaled adapter
# output inside its product: +23% tokens/s and 7 GiB less on the 7B benchmark (H100), the 1.5B cross-validated
# accuracy unchanged (69.1%, real-only runs 68.3-69.4%: benchmarks/crossval/README.md). scripts/pyhooks/
# sitecustomize.py; LRKIT_LORA_FASTPATH=inputs: the same numbers as PEFT, +15%; LRKIT_LORA_FASTPATH= : PEFT as it is
export LRKIT_LORA_FASTPATH=${LRKIT_LORA_FASTPATH-fused}
export PYTHONPATH="$PWD/scripts/pyhooks${PYTHONPATH:+:$PYTHONPATH}"
LF=llamafactory-cli
PY=python
SHARED_DATA=$($PY -c 'import lrkit; print(lrkit.SHARED_DATA)')   # the competition's 500 training problems, outside the repo
PROMPT_FILE=prompts/seed_zh.j2   # the tools' default --prompt: an input of every step that builds prompts

logged() { # logged LOGFILE command...: run with all output in LOGFILE; on failure show its tail
  local log=$1; shift
  mkdir -p "$(dirname "$log")"
  echo "[${TAG:-run}]   log: $log"
  "$@" > "$log" 2>&1 || { tail -30 "$log"; echo "[${TAG:-run}] failed: $*" >&2; return 1; }
}

# The console's view of a LLaMA-Factory run: its own progress bar (the one without a description: training
# steps, prediction batches) and its metric lines ({'loss': ...} with the step it follows, the closing
# {'train_runtime': ...} as "training done: ..."); everything else goes to the log only. On a terminal the bar
# is redrawn in place; otherwise (a pipe, a file) it is one line at most every PROGRESS_EVERY seconds [60], plus
# the first and the last, so a captured log stays small.
PROGRESS_FILTER='import ast, os, re, sys, time
log, tag, label = open(sys.argv[1], "wb"), sys.argv[2], sys.argv[3]
every = float(os.environ.get("PROGRESS_EVERY", "60"))
tty = sys.stderr.isatty()
bar = re.compile(r"^\s*(\d+)%\|[^|]*\|\s*(\d+)/(\d+) \[([^\]]*)\]\s*$")
shown, drawn, last, current, at, printed = None, False, -1e9, "", "", None
def say(text):
    global drawn
    sys.stderr.write(("\r\033[K" if drawn else "") + text + "\n")
    drawn = False
    if tty and current:  # the bar stays below the metric lines
        sys.stderr.write(current)
        drawn = True
def show_bar(line):
    global shown, drawn, last, current, at, printed
    m = bar.match(line)
    if not m or line == shown:
        return bool(m)
    shown = line
    pct, n, total, times = m.groups()
    at = f"{label} {n}/{total}: "
    text = f"[{tag}]   {label} {n}/{total} ({pct}%) [{times}]"
    if tty:
        sys.stderr.write("\r\033[K" + text)
        drawn, current = True, (text if n != total else "")
    elif (n, total) != printed and (time.monotonic() - last >= every or n == total or n == "0"):
        say(text)
        last, printed = time.monotonic(), (n, total)
    return True
def segment(line):
    if show_bar(line) or not line.startswith("{\x27"):
        return
    try:
        metrics = ast.literal_eval(line.strip())
        if not any(k in ("loss", "epoch") or k.startswith(("train_", "eval_", "predict_")) for k in metrics):
            return
        # the closing summary (train_runtime, ...) comes after the last step, often before the bar has drawn it
        where = label.split()[0] + " done: " if any(k.endswith("_runtime") for k in metrics) else at
        say(f"[{tag}]   {where}" + ", ".join(f"{k} {v}" for k, v in metrics.items()))
    except (ValueError, SyntaxError, AttributeError, TypeError):
        pass
pending = b""
while chunk := os.read(0, 65536):
    log.write(chunk)
    log.flush()
    *done, pending = re.split(rb"[\r\n]", pending + chunk)
    for raw in done:
        segment(raw.decode("utf-8", "replace"))
    show_bar(pending.decode("utf-8", "replace"))  # tqdm ends a refresh with the next one: do not wait for it
    sys.stderr.flush()
segment(pending.decode("utf-8", "replace"))
if drawn:
    sys.stderr.write("\n")'

progress() { # progress LOGFILE LABEL command...: like logged, and the console shows the run's progress and metrics
  local log=$1 label=$2 rc=0; shift 2
  mkdir -p "$(dirname "$log")"
  echo "[${TAG:-run}]   log: $log"
  "$@" 2>&1 | $PY -u -c "$PROGRESS_FILTER" "$log" "${TAG:-run}" "$label" || rc=${PIPESTATUS[0]}
  (( rc == 0 )) || { tail -30 "$log"; echo "[${TAG:-run}] failed: $*" >&2; return 1; }
}

teed() { # teed LOGFILE command...: show the output and keep it in LOGFILE, which exists only after success
  local log=$1; shift
  mkdir -p "$(dirname "$log")"
  "$@" 2>&1 | tee "$log.part" && mv "$log.part" "$log"
}
