"""`llamafactory-cli train` with one clock on it: step times, tokens, samples, peak GPU memory, and a wall-clock stop.

:class:`TrainingClock` is a TrainerCallback. Tokens are the real (non-padding) tokens of every micro-batch, prompt
and answer alike, since both are computed on; samples are the examples in them (packed rows hold several: each
starts at position 0). With ``stop_at`` (seconds since the epoch) training ends at the first optimizer step after
it, and the model is saved as at a normal end: a device call has a hard time limit, and a shortened run is a
measured (and labelled) result, not a lost one.

Under torchrun (several processes, one a GPU) every rank counts its own micro-batches; at each optimizer step the
counts are summed over the ranks and the peak memory taken as the largest, so rank 0 holds the whole job's figures.
With ``profile_steps`` the torch profiler records that many optimizer steps after ``profile_from`` and the GPU
time is summed by kind of kernel (:func:`kernel_breakdown`): where the time of a training step goes, measured.
Used by benchmarks/train_timed.py (the GPU benchmark and the generated-data experiment).
"""

from __future__ import annotations

import os
import re
import sys
import time
import traceback

import torch
import torch.distributed as dist
from transformers import Trainer, TrainerCallback


# Kinds of GPU kernel by name, first match wins: NCCL, attention (before matmul: CUTLASS attention kernels),
# cuBLAS / CUTLASS matrix products (nvjet: Hopper cuBLAS),
# Triton kernels (Liger's fused ones, torch.compile's), PyTorch's own element-wise and reduction kernels, copies.
KERNEL_KINDS = (
    ("communication", re.compile(r"nccl", re.I)),
    ("attention", re.compile(r"flash|fmha|attention|attn|sdpa", re.I)),
    ("matmul", re.compile(r"gemm|nvjet|xmma|cutlass|cublas|s\d+_tensorop|wgmma", re.I)),
    ("triton", re.compile(r"^triton_|^_\w+_kernel$|liger", re.I)),  # Liger: _rms_norm_forward_kernel
    ("elementwise", re.compile(r"elementwise|vectorized|unrolled|reduce|softmax|norm|index|cat|copy|fill", re.I)),
    ("memcpy", re.compile(r"memcpy|memset", re.I)),
)


def kernel_kind(name: str) -> str:
    return next((kind for kind, pattern in KERNEL_KINDS if pattern.search(name)), "other")


def kernel_breakdown(events, wall_s: float, steps: int) -> dict:
    """GPU time by kind of kernel from a profiler's ``key_averages()`` (its CUDA kernel entries): per step, shares,
    the busiest kernels.

    ``busy`` is the kernels' summed time over the wall time: what is left is the GPU waiting (launches, the host).
    """
    from torch.autograd import DeviceType

    kinds: dict[str, float] = {}
    top: list[tuple[float, str]] = []
    for event in events:
        # kernels only: a CPU op (aten::mm) carries the GPU time of the kernels it launched as its own "self" time
        # too (torch 2.11, seen on the H100 2026-12-07: summed with its kernels the GPU looked 184% busy)
        if event.device_type != DeviceType.CUDA:
            continue
        us = getattr(event, "self_device_time_total", None)
        if us is None:
            us = getattr(event, "self_cuda_time_total", 0)
        if not us:
            continue
        kind = kernel_kind(event.key)
        kinds[kind] = kinds.get(kind, 0.0) + us / 1e3
        top.append((us / 1e3, event.key))
    total = sum(kinds.values())
    ranked = sorted(kinds.items(), key=lambda kv: -kv[1])
    return {
        "steps": steps,
        "wall_ms_per_step": round(wall_s * 1e3 / steps, 1),
        "gpu_ms_per_step": {k: round(v / steps, 1) for k, v in ranked},
        "share": {k: round(v / total, 3) for k, v in ranked} if total else {},
        "busy": round(total / 1e3 / wall_s, 3) if wall_s else None,
        "top": [{"kernel": name[:160], "kind": kernel_kind(name), "ms_per_step": round(ms / steps, 2)}
                for ms, name in sorted(top, reverse=True)[:15]],
    }


class TrainingClock(TrainerCallback):
    """Optimizer-step end times with the tokens and samples seen so far at each; stops at ``stop_at`` when given;
    profiles ``profile_steps`` optimizer steps after step ``profile_from`` when asked."""

    def __init__(self, stop_at: float | None = None, profile_steps: int = 0, profile_from: int = 0) -> None:
        self.stop_at = stop_at
        self.profile_steps, self.profile_from = profile_steps, profile_from
        self.profiler = None
        self.profile_start = 0.0
        self.profile: dict | None = None
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
        self._profile(state.global_step)
        if self.stop_at is not None and time.time() >= self.stop_at and not control.should_training_stop:
            control.should_training_stop = True
            self.stopped_at_step = state.global_step

    def _profile(self, step: int) -> None:
        if not self.profile_steps or not torch.cuda.is_available():
            return
        if step == self.profile_from and self.profiler is None:
            from torch.profiler import ProfilerActivity, profile

            self.profiler = profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA])
            self.profiler.__enter__()
            self.profile_start = time.perf_counter()
        elif step == self.profile_from + self.profile_steps and self.profiler is not None:
            wall = time.perf_counter() - self.profile_start
            self.profiler.__exit__(None, None, None)
            self.profile = kernel_breakdown(self.profiler.key_averages(), wall, self.profile_steps)
            self.profiler = None


def _install_counter(clock: TrainingClock) -> None:
    original = Trainer.training_step

    def training_step(self, model, inputs, *args, **kwargs):
        clock.count(inputs, self.processing_class.pad_token_id)
        return original(self, model, inputs, *args, **kwargs)

    Trainer.training_step = training_step


def train(train_argv: list[str], clock: TrainingClock, callbacks=()) -> dict:
    """Run ``llamafactory-cli train TRAIN_ARGV`` (same entry point: run_exp) under ``clock`` (and ``callbacks``);
    what was measured.

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
        run_exp(recipe, callbacks=[*callbacks, clock])
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
    if clock.profile is not None:
        result["profile"] = clock.profile
    result["error"] = error
    return result
