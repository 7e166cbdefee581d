"""Rates from a timed run: tokens/s, samples/s, MFU and the projected wall time of the seed's 5,000-sample job.

MFU counts 4·N FLOP per token (forward 2·N, backward through the activations 2·N; LoRA computes no weight
gradients of the frozen matrices), N = the non-embedding parameters (the transformer layers and final norm; neither
the input embedding nor the output head), against the H100 SXM's dense bf16 peak of 989 TFLOP/s. Recomputation
under gradient checkpointing, attention's s² term and the output head are real work this count leaves out,
so MFU here is a floor on how busy the tensor cores are.
"""

from __future__ import annotations

import json
from pathlib import Path

PEAK_FLOPS = 989e12
SEED_JOB_SAMPLES = 5000 * 2  # the seed's ~5,000 samples, 2 epochs


def non_embedding_params(config: dict) -> int:
    """Qwen2 layer parameters from the shapes: q/k/v with bias, o, gate/up/down, two RMSNorms; plus the final norm."""
    h, i = config["hidden_size"], config["intermediate_size"]
    kv = h // config["num_attention_heads"] * config["num_key_value_heads"]
    layer = (h * h + h) + 2 * (h * kv + kv) + h * h + 3 * h * i + 2 * h
    return layer * config["num_hidden_layers"] + h


def rates(steps: list[dict], warmup: int, model_dir: str) -> dict:
    """Rates over the optimizer steps after the first `warmup` ones (empty when too few steps finished)."""
    if len(steps) <= warmup or warmup < 1:
        return {}
    first, last = steps[warmup - 1], steps[-1]
    seconds = last["t"] - first["t"]
    tokens = last["tokens"] - first["tokens"]
    samples = last["samples"] - first["samples"]
    slots = last["slots"] - first["slots"]
    out = {
        "timed_steps": len(steps) - warmup,
        "timed_s": round(seconds, 2),
        "tokens_per_s": round(tokens / seconds),
        "samples_per_s": round(samples / seconds, 2),
        "tokens_per_sample": round(tokens / samples, 1),
        "padding_fraction": round(1 - tokens / slots, 3),
    }
    config_file = Path(model_dir) / "config.json"
    if config_file.exists():
        n = non_embedding_params(json.loads(config_file.read_text()))
        out["non_embedding_params"] = n
        out["mfu"] = round(4 * n * tokens / seconds / PEAK_FLOPS, 3)
    out["projected_seed_job_min"] = round(SEED_JOB_SAMPLES / (samples / seconds) / 60, 1)
    return out
