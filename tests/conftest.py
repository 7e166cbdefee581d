"""Shared fixtures: paths to the repository, its tools and the real competition data when present."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TOOLS = REPO / "tools"
SHARED_TRAIN = REPO.parent / "shared" / "data" / "round1_train_data.jsonl"
FIXTURES = REPO / "data" / "fixtures"


@pytest.fixture
def real_train() -> Path:
    if not SHARED_TRAIN.exists():
        pytest.skip(f"{SHARED_TRAIN} not present (competition data lives outside the repo)")
    return SHARED_TRAIN


def run_tool(tool: str, *args, check: bool = False, cwd=REPO) -> subprocess.CompletedProcess:
    """Run ``python tools/<tool>.py args`` as a user would; returns the completed process."""
    proc = subprocess.run(
        [sys.executable, str(TOOLS / f"{tool}.py"), *map(str, args)],
        capture_output=True, text=True, cwd=cwd, timeout=600,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"{tool} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc
