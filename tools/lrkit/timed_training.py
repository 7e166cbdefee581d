"""`llamafactory-cli train` with one clock on it: step times, tokens, samples, peak GPU memory, and a wall-clock stop.

:class:`TrainingClock` is a TrainerCallback. Tokens are the real (non-padding) tokens of every micro-batch, prompt
and answer alike, since both are computed on; samples are the examples in them (packed rows hold several: each
starts at position 0). With ``stop_at`` (seconds since the epoch) training ends at the first optimizer step after
it, and the model is saved as at a normal end: a device call has a hard time limit, and a shortened run is a
measured (and labelled) result, not a lost one.

Under torchrun (several processes, one a GPU) every rank counts its own micro-batches; at each optimizer step the
counts are summed over the ranks and the peak memory taken as the largest, so rank 0 holds the whole job's figures.
Used by benchmarks/train_timed.py (the GPU benchmark and the generated-data experiment).
"""

from __future__ import annotations

import os
import sys
import time
import traceback

import torch
import torch.distributed as dist
from transformers import Trainer, TrainerCallback


class TrainingClock(TrainerCallback):
    """Optimizer-step end times with the tokens and samples seen so far at each; stops at ``stop_at`` when given."""

    def __init__(self, stop_at: float | None = None) -> None:
        self.stop_at = stop_at
        self.stopped_at_step: int | None = None
        self.max_steps = 0
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

    def on_train_begin(self, args, state, control, **kwargs):
        self.max_steps = state.max_steps

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
        if self.stop_at is not None and time.time() >= self.stop_at and not control.should_training_stop:
            control.should_training_stop = True
            self.stopped_at_step = state.global_step


def _install_counter(clock: TrainingClock) -> None:
    original = Trainer.training_step

    def training_step(self, model, inputs, *args, **kwargs):
        clock.count(inputs, self.processing_class.pad_token_id)
        return original(self, model, inputs, *args, **kwargs)

    Trainer.training_step = training_step


def train(train_argv: list[str], clock: TrainingClock) -> dict:
    """Run ``llamafactory-cli train TRAIN_ARGV`` (same entry point: run_exp) under ``clock``; what was measured.

    An exception (out of memory, say) is a measured outcome: it is printed and returned as ``error``.
    """
    from llamafactory.hparams.parser import read_args
    from llamafactory.train.tuner import run_exp

    sys.argv = [sys.argv[0], *train_argv]
    recipe = read_args()
    _install_counter(clock)
    if torch.cuda.is_available():
        torch.cuda.reset_peak_memory_stats()
    result: dict = {"argv": train_argv, "recipe": recipe, "gpus": int(os.environ.get("WORLD_SIZE", "1"))}
    start = time.perf_counter()
    try:
        run_exp(recipe, callbacks=[clock])
        error = None
    except Exception as exc:  # noqa: BLE001 - any failure is a measured outcome (OOM above all)
        error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        traceback.print_exc()
    result["wall_s"] = round(time.perf_counter() - start, 1)
    result["max_steps"], result["stopped_at_step"] = clock.max_steps, clock.stopped_at_step
    if torch.cuda.is_available():
        allocated = max(torch.cuda.max_memory_allocated(), clock.peak[0])
        reserved = max(torch.cuda.max_memory_reserved(), clock.peak[1])
        result["peak_allocated_gib"] = round(allocated / 2**30, 2)  # per GPU: the largest over the ranks
        result["peak_reserved_gib"] = round(reserved / 2**30, 2)
        free, total = torch.cuda.mem_get_info()  # what nvidia-smi shows = the allocator's pool + the CUDA context
        result["context_gib"] = round((total - free - torch.cuda.memory_reserved()) / 2**30, 2)
    result["steps"] = [
        {"t": round(s["t"] - start, 3), **{k: s[k] for k in ("tokens", "samples", "slots")}} for s in clock.steps
    ]
    result["error"] = error
    return result
