"""Merge the device's plan results into benchmarks/gpu/results_train.json and print the README's tables.

Usage: python benchmarks/gpu/report.py results_plan_lora_7b.json results_plan_qlora_32b.json
       python benchmarks/gpu/report.py                   (tables again, from benchmarks/gpu/results_train.json)

Rates are re-derived from each run's raw step log (lrkit.throughput.rates), so a change of definition needs no
device time. QLoRA 32B: a straight line through the base recipe's peak memory at 4, 8 and 16 layers (least
squares; the 4-and-8 line's prediction for 16 says how straight it is), extrapolated to the model's 64 layers.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

from lrkit import cli
from lrkit.records import DataError
from lrkit.throughput import PEAK_FLOPS, non_embedding_params, rates

HERE = Path(__file__).resolve().parent  # the plans, model configs and results sit beside this script

RESULTS = HERE / "results_train.json"
FULL_LAYERS = 64
CARD_24GB_GIB = 24.0  # a "24 GB" card (RTX 3090/4090, A10) has 24 GiB = 24,576 MiB


def line(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least-squares slope and intercept."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    slope = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)
    return slope, my - slope * mx


def rederive(plan: dict) -> list[dict]:
    planned = {r["name"]: r for r in yaml.safe_load((HERE / Path(plan["plan"]).name).read_text())["runs"]}
    runs = []
    for run in plan["runs"]:
        run = {k: v for k, v in run.items() if not k.startswith(("tokens_", "samples_", "mfu", "projected_", "timed_"))}
        run.setdefault("lever", planned[run["name"]].get("lever", ""))
        if "layers" in planned[run["name"]]:
            run["layers"] = planned[run["name"]]["layers"]
        if run.get("steps"):
            model_dir = None  # the device's folder is gone; N comes from the plan's config instead
            run.update(rates(run["steps"], run["warmup_steps"], model_dir))
        runs.append(run)
    return runs


def with_mfu(runs: list[dict], config: dict) -> None:
    for run in runs:
        layers = run.get("layers", config["num_hidden_layers"])
        n = non_embedding_params({**config, "num_hidden_layers": layers})
        for suffix in ("", "_steady"):
            if f"tokens_per_s{suffix}" in run:
                run[f"mfu{suffix}"] = round(4 * n * run[f"tokens_per_s{suffix}"] / PEAK_FLOPS, 3)


def lora_section(plan: dict) -> dict:
    config = json.loads((HERE / "model_configs/qwen2-7b-instruct.json").read_text())
    runs = rederive(plan)
    with_mfu(runs, config)
    seed = next(r for r in runs if r["name"] == "seed")
    for run in runs:
        for suffix in ("", "_steady"):
            if f"tokens_per_s{suffix}" in run:
                run[f"speedup_tokens{suffix}"] = round(run[f"tokens_per_s{suffix}"] / seed[f"tokens_per_s{suffix}"], 2)
                run[f"speedup_samples{suffix}"] = round(run[f"samples_per_s{suffix}"] / seed[f"samples_per_s{suffix}"], 2)
    return {"model": "Qwen2-7B-Instruct config, random bf16 weights", "runs": runs}


def qlora_section(plan: dict) -> dict:
    config = json.loads((HERE / "model_configs/qwen2.5-32b-instruct.json").read_text())
    runs = rederive(plan)
    with_mfu(runs, config)
    base = {r["layers"]: r for r in runs if r["name"].startswith("qlora_L") and "peak_allocated_gib" in r}
    fit: dict = {}
    for key in ("peak_allocated_gib", "peak_reserved_gib"):
        points = sorted((n, r[key]) for n, r in base.items())
        slope, intercept = line(points)
        s48, i48 = line([p for p in points if p[0] in (4, 8)])
        fit[key] = {
            "points": points,
            "slope_mib_per_layer": round(slope * 1024, 1),
            "intercept_gib": round(intercept, 2),
            "max_residual_mib": round(max(abs(y - (slope * x + intercept)) for x, y in points) * 1024, 1),
            "line_4_8_predicts_16_gib": round(s48 * 16 + i48, 2),
            "measured_16_gib": base[16][key] if 16 in base else None,
            "projected_64_layers_gib": round(slope * FULL_LAYERS + intercept, 2),
        }
    context = max(r.get("context_gib", 0) for r in runs)
    # the reserved pool holds at least what is allocated; its own line is the rougher one (allocator block sizes)
    total = max(fit[k]["projected_64_layers_gib"] for k in fit) + context
    mb8 = next((r for r in runs if r["name"] == "qlora_mb8_L8" and "peak_allocated_gib" in r), None)
    levers = {}
    if mb8:
        slope = fit["peak_allocated_gib"]["slope_mib_per_layer"] / 1024
        levers["micro_batch_8_at_64_layers_gib"] = {
            "value": round(mb8["peak_allocated_gib"] + slope * (FULL_LAYERS - 8), 2),
            "how": "measured at 8 layers, extended with the micro-batch-4 slope (issue 8 measured 295.5 MiB/layer at "
                   "micro-batch 8 between 8 and 16 layers, the same slope)",
        }
    speed = sorted((r["layers"], 1 / r["tokens_per_s_steady"]) for r in base.values() if r.get("tokens_per_s_steady"))
    s_slope, s_icpt = line(speed)
    tokens_64 = 1 / (s_slope * FULL_LAYERS + s_icpt)
    tokens_per_sample = sum(r["tokens_per_sample"] for r in base.values()) / len(base)
    return {
        "model": "Qwen2.5-32B-Instruct config cut to 4/8/16 of 64 layers, random weights, bnb NF4 on load",
        "runs": runs,
        "fit": fit,
        "cuda_context_gib": context,
        "projected_64_layers_device_gib": round(total, 2),
        "fits_24_gib_card": total < CARD_24GB_GIB,
        "levers": levers,
        "projected_64_layers_tokens_per_s": round(tokens_64),
        "projected_64_layers_seed_job_min": round(10000 * tokens_per_sample / tokens_64 / 60, 1),
    }


def tables(results: dict) -> str:
    out = ["| run (7B LoRA) | lever | tokens/s | × seed | samples/s | MFU | padding | peak GiB (alloc / reserved) "
           "| 5,000 × 2 epochs |", "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results["lora_7b"]["runs"]:
        if "tokens_per_s_steady" not in r:
            out.append(f"| {r['name']} | {r['lever']} | not run: {r.get('skipped') or r.get('error')} | | | | | | |")
            continue
        all_steps = f" ({r['tokens_per_s']:,} all steps)" if r["stalled_steps"] else ""
        out.append(
            f"| {r['name']} | {r['lever']} | {r['tokens_per_s_steady']:,}{all_steps} | {r['speedup_tokens_steady']:.2f} "
            f"| {r['samples_per_s_steady']} | {r['mfu_steady']:.1%} | {r['padding_fraction']:.1%} "
            f"| {r['peak_allocated_gib']} / {r['peak_reserved_gib']} | {r['projected_seed_job_min_steady']} min |"
        )
    q = results["qlora_32b"]
    out += ["", "| run (32B QLoRA) | layers | lever | peak GiB (alloc / reserved) | tokens/s |",
            "| --- | ---: | --- | ---: | ---: |"]
    for r in q["runs"]:
        if "peak_allocated_gib" not in r:
            out.append(f"| {r['name']} | {r['layers']} | {r['lever']} | not run: {r.get('skipped') or r.get('error')} | |")
            continue
        out.append(f"| {r['name']} | {r['layers']} | {r['lever']} | {r['peak_allocated_gib']} / {r['peak_reserved_gib']} "
                   f"| {r['tokens_per_s_steady']:,} |")
    a, rs = q["fit"]["peak_allocated_gib"], q["fit"]["peak_reserved_gib"]
    out += ["", f"Per layer: {a['slope_mib_per_layer']} MiB allocated ({rs['slope_mib_per_layer']} reserved); the 4-and-8-layer "
            f"line predicts {a['line_4_8_predicts_16_gib']} GiB at 16 layers, measured {a['measured_16_gib']} "
            f"(largest residual of the 3-point line: {a['max_residual_mib']} MiB). 64 layers: {a['projected_64_layers_gib']} GiB "
            f"allocated ({rs['projected_64_layers_gib']} on the reserved line) + {q['cuda_context_gib']} CUDA context = "
            f"**{q['projected_64_layers_device_gib']} GiB** on the card."]
    return "\n".join(out)


def read_results(path: Path) -> dict:
    """One results_plan_*.json from bench.py, or a DataError naming FILE[:LINE]."""
    results = cli.read_json(path)
    if not isinstance(results, dict) or "plan" not in results or "runs" not in results:
        raise DataError(f"{path}: not a bench.py results file (needs plan and runs)")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", nargs="*", type=Path, help="results_plan_lora_7b.json results_plan_qlora_32b.json")
    args = parser.parse_args()
    if args.results:
        plans = {r["plan"]: r for r in map(read_results, args.results)}
        lora = next((v for k, v in plans.items() if "lora_7b" in k), None)
        qlora = next((v for k, v in plans.items() if "qlora_32b" in k), None)
        if lora is None or qlora is None:
            raise DataError("give the results of both plan_lora_7b.yaml and plan_qlora_32b.yaml")
        results = {
            "what": "benchmarks/gpu: LLaMA-Factory 0.9.5 training runs on one H100, seed settings vs our recipes",
            "environment": lora["environment"],
            "definitions": {
                "tokens_per_s": "real (non-padding) tokens per second, prompt and answer, over the timed optimizer steps",
                "steady": "stalled steps (> 2x the median seconds per token) left out",
                "mfu": "4 * N * tokens_per_s / 989e12, N = non-embedding parameters (6.526e9 for Qwen2-7B)",
                "projected_seed_job_min": "10,000 samples (5,000 x 2 epochs) / samples_per_s",
                "peak_gib": "torch.cuda.max_memory_allocated / max_memory_reserved; the card also holds the CUDA context",
            },
            "lora_7b": lora_section(lora),
            "qlora_32b": qlora_section(qlora),
        }
        RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {RESULTS}")
    else:
        results = json.loads(RESULTS.read_text())
    print(tables(results))
    return 0


if __name__ == "__main__":
    cli.run(main)
