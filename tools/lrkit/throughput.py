"""Rates from a timed run (benchmarks/train_timed.py): tokens/s, samples/s, MFU, scaling, and the projected wall
time of the seed's 5,000-sample job.

MFU counts 4·N FLOP per token (forward 2·N, backward through the activations 2·N; LoRA computes no weight
gradients of the frozen matrices), N = the non-embedding parameters (the transformer layers and final norm; neither
the input embedding nor the output head), against the H100 SXM's dense bf16 peak of 989 TFLOP/s. Recomputation
under gradient checkpointing, attention's s² term and the output head are real work this count leaves out,
so MFU here is a floor on how busy the tensor cores are.

Rates come twice: over all timed steps, and "steady" with stalled steps left out (a step whose seconds per token
exceed 2× the median: e.g. the seed's step 10, its first logging step, took 4.7 s instead of ~0.9 s). The
speed-ups in the README use the steady rates, the stricter comparison for us, since our runs' short windows
never reached a logging step. With several GPUs, tokens/s is the whole job's and MFU is per GPU.
"""

from __future__ import annotations

import json
from pathlib import Path

PEAK_FLOPS = 989e12
STALL = 2.0  # a step slower per token than this many medians counts as stalled
SEED_JOB_SAMPLES = 5000 * 2  # the seed's ~5,000 samples, 2 epochs


def non_embedding_params(config: dict) -> int:
    """Qwen2 layer parameters from the shapes: q/k/v with bias, o, gate/up/down, two RMSNorms; plus the final norm."""
    h, i = config["hidden_size"], config["intermediate_size"]
    kv = h // config["num_attention_heads"] * config["num_key_value_heads"]
    layer = (h * h + h) + 2 * (h * kv + kv) + h * h + 3 * h * i + 2 * h
    return layer * config["num_hidden_layers"] + h


def rates(steps: list[dict], warmup: int, model_dir: str | None, gpus: int = 1) -> dict:
    """Rates over the optimizer steps after the first `warmup` ones (empty when too few steps finished)."""
    if len(steps) <= warmup or warmup < 1:
        return {}
    deltas = [
        {k: b[k] - a[k] for k in ("t", "tokens", "samples", "slots")} for a, b in zip(steps[warmup - 1:], steps[warmup:])
    ]
    per_token = sorted(d["t"] / d["tokens"] for d in deltas)
    median = per_token[len(per_token) // 2]
    steady = [d for d in deltas if d["t"] / d["tokens"] <= STALL * median]
    out = {"timed_steps": len(deltas), "stalled_steps": len(deltas) - len(steady)}
    out.update(_rates(deltas, model_dir, gpus))
    out.update({f"{k}_steady": v for k, v in _rates(steady, model_dir, gpus).items() if k != "padding_fraction"})
    return out


def _rates(deltas: list[dict], model_dir: str | None, gpus: int = 1) -> dict:
    seconds, tokens, samples, slots = (sum(d[k] for d in deltas) for k in ("t", "tokens", "samples", "slots"))
    out = {
        "timed_s": round(seconds, 2),
        "tokens_per_s": round(tokens / seconds),
        "samples_per_s": round(samples / seconds, 2),
        "tokens_per_sample": round(tokens / samples, 1),
        "padding_fraction": round(1 - tokens / slots, 3),
    }
    config_file = Path(model_dir) / "config.json" if model_dir else None
    if config_file and config_file.exists():
        n = non_embedding_params(json.loads(config_file.read_text()))
        out["mfu"] = round(4 * n * tokens / seconds / PEAK_FLOPS / gpus, 3)
    out["projected_seed_job_min"] = round(SEED_JOB_SAMPLES / (samples / seconds) / 60, 1)
    return out


def scaling(run: dict, entry: dict, done: list[dict]) -> dict:
    """Scaling efficiency against an earlier run of the plan: tokens/s ÷ (GPUs × its tokens/s, per GPU)."""
    base = next((r for r in done if r["name"] == run.get("scaling_vs")), None)
    if not base or not base.get("tokens_per_s") or not entry.get("tokens_per_s"):
        return {}
    ratio = entry.get("gpus", 1) / base.get("gpus", 1)
    out = {"scaling_vs": base["name"], "speedup": round(entry["tokens_per_s"] / base["tokens_per_s"], 3)}
    out["scaling_efficiency"] = round(out["speedup"] / ratio, 3)
    if entry.get("tokens_per_s_steady") and base.get("tokens_per_s_steady"):
        out["scaling_efficiency_steady"] = round(entry["tokens_per_s_steady"] / base["tokens_per_s_steady"] / ratio, 3)
    return out
