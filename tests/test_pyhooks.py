"""scripts/pyhooks/sitecustomize.py: with LRKIT_CUDNN_SDPA=0 every Python process with the folder on PYTHONPATH has
PyTorch's cuDNN attention backend off (it says so on stderr); without it nothing happens and torch is not imported;
a real llamafactory-cli training under it (tools/crossval.py on a tiny model, flash_attn=sdpa) runs with the backend
off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, TOOLS

HOOKS = REPO / "scripts" / "pyhooks"
LINE = "sitecustomize: cuDNN SDPA backend off (LRKIT_CUDNN_SDPA=0)"
PROBE = "import sys; before = 'torch' in sys.modules; import torch; print(before, torch.backends.cuda.cudnn_sdp_enabled())"


def env_with(hook: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "LRKIT_CUDNN_SDPA"}
    env["PYTHONPATH"] = os.pathsep.join([str(HOOKS), *filter(None, [env.get("PYTHONPATH")])])
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    if hook is not None:
        env["LRKIT_CUDNN_SDPA"] = hook
    return env


@pytest.mark.parametrize("hook, imported, enabled", [("0", "True", "False"), (None, "False", "True"), ("1", "False", "True")])
def test_the_hook_switches_cudnn_sdpa_off_only_when_asked(hook, imported, enabled):
    proc = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env_with(hook), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [imported, enabled]  # torch already imported at start-up only under the hook
    assert (LINE in proc.stderr) is (hook == "0")


@pytest.mark.slow
def test_llamafactory_training_runs_under_the_hook_with_sdpa(tiny_model, tmp_path):
    work = tmp_path / "cv"
    args = ["--recipe", "configs/demo_cpu.yaml", "--data", FIXTURES / "sample_train.jsonl", "--model", tiny_model,
            "--folds", 2, "--work", work, "--bootstrap", 50, "--train-args",
            "max_steps=2 per_device_train_batch_size=2 gradient_accumulation_steps=1 plot_loss=false flash_attn=sdpa"]
    proc = subprocess.run([sys.executable, str(TOOLS / "crossval.py"), *map(str, args)], capture_output=True, text=True,
                          cwd=REPO, env=env_with("0"), timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-4000:]
    for k in (0, 1):
        log = (work / f"fold{k}" / "train.log").read_text(encoding="utf-8")
        assert LINE in log and "Using torch SDPA" in log, log[-2000:]
        assert (work / f"fold{k}" / "sft" / "adapter_model.safetensors").exists()
    assert json.loads((work / "results.json").read_text(encoding="utf-8"))["subquestions"] > 0
