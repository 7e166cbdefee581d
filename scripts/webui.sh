#!/usr/bin/env bash
# LLaMA Board (`llamafactory-cli webui`) run from the repository root with our dataset registry preselected:
# the "Data dir" box shows `.` (./dataset_info.json: demo_*, real_*, whatever tools/export_alpaca.py --register
# added) instead of LLaMA-Factory's `data`, so the Dataset list holds our sets without typing.
# Usage: bash scripts/webui.sh        then open http://127.0.0.1:7860 (Ctrl-C stops it)
# Env (defaults in brackets):
#   GRADIO_SERVER_PORT  port [7860]
#   GRADIO_SERVER_NAME  address to bind [127.0.0.1; LLaMA-Factory's own default is 0.0.0.0, every interface]
#   DATASET_DIR         what the Data dir box starts with [.]
#   WEBUI_DIR           folder LLaMA Board runs in: the data dir `.`, saves/, llamaboard_cache/ are relative to it
#                       [the repository root]
# LLaMA-Factory 0.9.5 has no option or variable for the data dir: the box's value is the constant
# llamafactory.webui.common.DEFAULT_DATA_DIR, which the UI modules copy when they are imported, so this script
# sets it before they are. Plain `llamafactory-cli webui` from the repository root works as well: type `.` into
# Data dir. Runs started from the page write saves/<model name>/lora/<output dir>/ (adapter, logs, loss plot).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
PY=${PY:-$REPO/.venv/bin/python}
[[ -x "$PY" ]] || { echo "error: $PY missing: run bash scripts/setup.sh first" >&2; exit 1; }
cd "${WEBUI_DIR:-$REPO}"
# The page starts training as a plain `llamafactory-cli train`: it must be found on PATH.
export PATH="$(dirname "$PY"):$PATH"
export DATASET_DIR=${DATASET_DIR:-.}
export GRADIO_SERVER_NAME=${GRADIO_SERVER_NAME:-127.0.0.1}
export GRADIO_ANALYTICS_ENABLED=${GRADIO_ANALYTICS_ENABLED:-False}
export DISABLE_VERSION_CHECK=${DISABLE_VERSION_CHECK:-1}
echo "[webui] LLaMA Board in $PWD, data dir $DATASET_DIR, on http://$GRADIO_SERVER_NAME:${GRADIO_SERVER_PORT:-7860}"
exec "$PY" -c '
import os
import llamafactory.webui.common as common

common.DEFAULT_DATA_DIR = os.environ["DATASET_DIR"]  # before the components import it
from llamafactory.webui.interface import run_web_ui

run_web_ui()
'
