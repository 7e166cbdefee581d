"""`llamafactory-cli train`, plus a step timer: tokens, samples, seconds and peak GPU memory, as JSON.

Usage: python benchmarks/gpu/train_timed.py --metrics RUN.json [--warmup 3] RECIPE.yaml [key=value ...]

Everything after the options is exactly what `llamafactory-cli train` takes (a recipe and OmegaConf overrides),
and goes to the same entry point (llamafactory.train.tuner.run_exp); the timer is a TrainerCallback. Tokens are
the real (non-padding) tokens of every micro-batch, prompt and answer alike, since both are computed on; samples
are the examples in them (packed rows hold several: each starts at position 0). The first --warmup optimizer
steps (CUDA/Triton start-up, allocator growth) are left out of the rates. An error (out of memory, say) is
recorded in the JSON and the exit code is 1.

Under torchrun (several processes, one a GPU) every rank counts its own micro-batches; at each optimizer step
the counts are summed over the ranks and the peak memory taken as the largest, so rank 0 writes the whole job's
tokens/s, with MFU per GPU. Launch: python -m torch.distributed.run --nproc_per_node N train_timed.py ...
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from pathlib import Path

import torch
import torch.distributed as dist
from transformers import Trainer, TrainerCallback

from bench_metrics import rates


class StepTimer(TrainerCallback):
    """Optimizer-step end times, with the tokens and samples seen so far at each."""

    def __init__(self) -> None:
        self.tokens = self.samples = self.slots = 0
        self.steps: list[dict] = []
        self.peak = (0, 0)  # allocated, reserved: the largest over the ranks

    def count(self, inputs: dict, pad_id: int) -> None:
        ids = inputs["input_ids"]
        real = ids != pad_id
        self.tokens += int(real.sum())
        self.slots += ids.numel()
        positions = inputs.get("position_ids")
        if positions is not None and positions.shape == ids.shape:
            self.samples += int(((positions == 0) & real).sum())
        else:
            self.samples += int(real.any(dim=-1).sum())

    def on_step_end(self, args, state, control, **kwargs):
        cuda = torch.cuda.is_available()
        if cuda:
            torch.cuda.synchronize()
        counts = [self.tokens, self.samples, self.slots]
        peak = [torch.cuda.max_memory_allocated(), torch.cuda.max_memory_reserved()] if cuda else [0, 0]
        if dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1:
            device = torch.device("cuda", torch.cuda.current_device()) if cuda else torch.device("cpu")
            summed = torch.tensor(counts, dtype=torch.int64, device=device)
            largest = torch.tensor(peak, dtype=torch.int64, device=device)
            dist.all_reduce(summed, op=dist.ReduceOp.SUM)
            dist.all_reduce(largest, op=dist.ReduceOp.MAX)
            counts, peak = summed.tolist(), largest.tolist()
        self.peak = tuple(peak)  # max_memory_* never decrease, so the latest step's values are the peak so far
        self.steps.append({"t": time.perf_counter(), "tokens": counts[0], "samples": counts[1], "slots": counts[2]})


def install_counter(timer: StepTimer) -> None:
    original = Trainer.training_step

    def training_step(self, model, inputs, *args, **kwargs):
        timer.count(inputs, self.processing_class.pad_token_id)
        return original(self, model, inputs, *args, **kwargs)

    Trainer.training_step = training_step


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--metrics", type=Path, required=True, help="JSON file to write")
    parser.add_argument("--warmup", type=int, default=3, help="optimizer steps left out of the rates")
    args, train_argv = parser.parse_known_args()

    from llamafactory.hparams.parser import read_args
    from llamafactory.train.tuner import run_exp

    sys.argv = [sys.argv[0], *train_argv]
    recipe = read_args()
    timer = StepTimer()
    install_counter(timer)
    if torch.cuda.is_available():
        torch.cuda.reset_peak_memory_stats()
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    result: dict = {"argv": train_argv, "recipe": recipe, "warmup_steps": args.warmup, "gpus": world}
    start = time.perf_counter()
    try:
        run_exp(recipe, callbacks=[timer])
        error = None
    except Exception as exc:  # noqa: BLE001 - any failure is a measured outcome (OOM above all)
        error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        traceback.print_exc()
    result["wall_s"] = round(time.perf_counter() - start, 1)
    if torch.cuda.is_available():
        allocated = max(torch.cuda.max_memory_allocated(), timer.peak[0])
        reserved = max(torch.cuda.max_memory_reserved(), timer.peak[1])
        result["peak_allocated_gib"] = round(allocated / 2**30, 2)  # per GPU: the largest over the ranks
        result["peak_reserved_gib"] = round(reserved / 2**30, 2)
        free, total = torch.cuda.mem_get_info()  # what nvidia-smi shows = the allocator's pool + the CUDA context
        result["context_gib"] = round((total - free - torch.cuda.memory_reserved()) / 2**30, 2)
    result["steps"] = [
        {"t": round(s["t"] - start, 3), **{k: s[k] for k in ("tokens", "samples", "slots")}} for s in timer.steps
    ]
    result["error"] = error
    result.update(rates(result["steps"], args.warmup, recipe["model_name_or_path"], gpus=world))
    if rank != 0:
        return 0 if error is None else 1
    args.metrics.parent.mkdir(parents=True, exist_ok=True)
    args.metrics.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    print(f"[train_timed] {args.metrics}: " + json.dumps({k: v for k, v in result.items() if k not in ("steps", "recipe", "argv")}))
    return 0 if error is None else 1


if __name__ == "__main__":
    sys.exit(main())
