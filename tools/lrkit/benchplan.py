"""What the GPU benchmark and the generated-data experiment share: plans of training runs under a time limit.

benchmarks/gpu/bench.py and benchmarks/generated_data/experiment.py both read a YAML plan of runs, start each as
its own process through benchmarks/train_timed.py (``llamafactory-cli train`` with :class:`TrainingClock`), skip a
run that cannot finish before the device call's limit, and keep each run's output in its own log.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import time
from pathlib import Path

import yaml

from .cli import read_yaml_mapping
from .records import DataError

TRAIN_TIMED = Path("benchmarks/train_timed.py")  # run from the repository root
DEFAULT_EXPECT_S = 60  # a run without expect_s is assumed to need this long
WHOLE_NUMBER_KEYS = ("warmup", "steps", "nproc", "profile", "layers", "expect_s")  # of a run, when it has them


def load_plan(path, required: tuple[str, ...], runs: str | None = None, run_keys: tuple[str, ...] = ()) -> dict:
    """The plan, with ``required`` keys and every entry of ``runs`` checked: a bad plan is one FILE: message."""
    plan = read_yaml_mapping(path, "plan settings", required=required)
    if runs is None:
        return plan
    if not isinstance(plan[runs], list):
        raise DataError(f"{path}: {runs}: expected a list")
    for i, entry in enumerate(plan[runs]):
        if not isinstance(entry, dict):
            raise DataError(f"{path}: {runs}[{i}]: expected a mapping")
        missing = [key for key in run_keys if key not in entry]
        if missing:
            raise DataError(f"{path}: {runs}[{i}]: missing {', '.join(missing)}")
        for key in WHOLE_NUMBER_KEYS:
            value = entry.get(key, 0)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise DataError(f"{path}: {runs}[{i}]: field '{key}': expected a whole number >= 0, got {value!r}")
        if "lora_fastpath" in entry:
            from .lora_fastpath import MODES  # imports transformers: only for a plan that names a fast path

            if entry["lora_fastpath"] not in MODES:
                raise DataError(f"{path}: {runs}[{i}]: field 'lora_fastpath': expected one of {', '.join(MODES)}, "
                                f"got {entry['lora_fastpath']!r}")
    return plan


class Deadline:
    """The time left of a device call's limit, from now."""

    def __init__(self, seconds: float) -> None:
        self.end = time.time() + seconds

    def left(self) -> float:
        return self.end - time.time()

    def too_late(self, run: dict) -> str | None:
        """Why ``run`` must not start (less than its ``expect_s`` is left), or None."""
        left = self.left()
        return f"{left:.0f} s left" if left < run.get("expect_s", DEFAULT_EXPECT_S) else None


def override(value) -> str:
    """A value as an OmegaConf ``key=value`` override reads it back (quoted where YAML would change it)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    text = str(value)
    if isinstance(value, str) and yaml.safe_load(text) != value:  # "no" would reach OmegaConf as False
        return f"'{text}'"
    return text


def train_argv(recipe, overrides: dict, extra=()) -> list[str]:
    """``llamafactory-cli train`` arguments: the recipe, then ``key=value`` overrides, then ``extra`` as given."""
    return [str(recipe), *(f"{k}={override(v)}" for k, v in overrides.items()), *map(str, extra)]


def run_argv(plan: dict, run: dict, model: Path, work: Path, extra: list[str]) -> list[str]:
    """A GPU-benchmark run's ``llamafactory-cli train`` arguments: its model (or fewer-layer view), output, steps, overrides."""
    layers = run.get("layers")
    path = model.with_name(f"{model.name}-L{layers}") if layers and layers != plan["model"].get("layers") else model
    overrides = {
        "model_name_or_path": str(path),
        "output_dir": str(work / "runs" / run["name"]),
        "max_steps": run["warmup"] + run["steps"],
        **plan.get("common", {}),
        **run.get("set", {}),
    }
    return train_argv(run["recipe"], overrides, extra)


def timed_train_command(argv: list[str], metrics, warmup: int = 0, stop_at: float | None = None,
                        nproc: int = 1, port: int = 29500, profile_steps: int = 0,
                        lora_fastpath: str | None = None) -> list[str]:
    """The command that runs ``llamafactory-cli train ARGV`` through benchmarks/train_timed.py (torchrun for nproc > 1);
    ``lora_fastpath`` (a mode of lrkit.lora_fastpath) puts the LoRA layers on that fast path."""
    launch = ["-m", "torch.distributed.run", "--nproc_per_node", str(nproc), "--master_port", str(port)] if nproc > 1 else []
    stop = ["--stop-at", f"{stop_at:.0f}"] if stop_at is not None else []
    profile = ["--profile-steps", str(profile_steps)] if profile_steps else []
    fastpath = ["--lora-fastpath", lora_fastpath] if lora_fastpath else []
    return [sys.executable, *launch, str(TRAIN_TIMED), "--metrics", str(metrics), "--warmup", str(warmup), *stop,
            *profile, *fastpath, *argv]


def run_logged(cmd: list[str], log: Path, timeout: float, env: dict | None = None) -> int | str:
    """Run ``cmd`` with its output appended to ``log`` (headed by the command); its exit code, or ``"timeout"``."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a") as f:
        f.write(shlex.join(map(str, cmd)) + "\n")
        f.flush()
        try:
            return subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, env=env, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            return "timeout"
