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


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["inputs", "fused", "function"])
def test_llamafactory_training_takes_the_lora_fast_path_under_the_hook(tiny_model, tmp_path, mode):
    """LRKIT_LORA_FASTPATH=MODE: a real llamafactory-cli LoRA training under bf16 autocast (on the CPU here) has its
    LoRA layers on lrkit.lora_fastpath's MODE from the first step, and trains to the end."""
    data = tmp_path / "datasets"
    subprocess.run([sys.executable, str(TOOLS / "export_alpaca.py"), str(FIXTURES / "sample_train.jsonl"),
                    str(data / "demo_train.json"), "--register", str(data / "dataset_info.json")], check=True, timeout=300)
    env = env_with(None) | {"LRKIT_LORA_FASTPATH": mode, "DISABLE_VERSION_CHECK": "1"}
    out = tmp_path / "sft"
    cmd = ["llamafactory-cli", "train", "configs/demo_cpu.yaml", f"model_name_or_path={tiny_model}",
           f"output_dir={out}", "max_steps=2", "per_device_train_batch_size=2", "gradient_accumulation_steps=1",
           "plot_loss=false", "bf16=true", "use_cpu=true", f"dataset_dir={data}"]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, env=env, timeout=900)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-4000:]
    assert f"sitecustomize: LoRA fast path '{mode}' for every Trainer" in log
    layers = int(log.split(f"[lora_fastpath] {mode}: ")[1].split()[0])
    assert layers > 0
    assert (out / "adapter_model.safetensors").exists()


def test_an_unknown_fast_path_mode_is_one_line():
    env = env_with(None) | {"LRKIT_LORA_FASTPATH": "fastest"}
    proc = subprocess.run([sys.executable, "-c", "import transformers.trainer"], capture_output=True, text=True,
                          env=env, timeout=300)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == ("sitecustomize: LRKIT_LORA_FASTPATH: LoRA fast path: unknown mode 'fastest' "
                                   "(expected one of inputs, fused, function)")


def test_a_sitecustomize_the_hook_shadows_still_runs(tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "sitecustomize.py").write_text("import sys\nprint('the other sitecustomize ran', file=sys.stderr)\n")
    env = env_with(None)
    env["PYTHONPATH"] = os.pathsep.join([env["PYTHONPATH"], str(other)])
    proc = subprocess.run([sys.executable, "-c", "import sitecustomize; print(sitecustomize.__file__)"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(HOOKS / "sitecustomize.py")
    assert "the other sitecustomize ran" in proc.stderr
