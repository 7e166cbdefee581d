"""Run a benchmark plan: write its random-weight model once, then time each run through benchmarks/train_timed.py.

Usage: python benchmarks/gpu/bench.py PLAN.yaml --work /tmp/bench --results OUT.json [--budget-s 500]
                                      [--set key=value ...] [--model-set key=value ...] [--only NAME ...]

A plan (benchmarks/gpu/plan_*.yaml) names the model config, the overrides every run gets (data, no eval) and
the runs: a recipe, its own overrides, warm-up and timed steps, and for per-layer memory sweeps a layer count.
Each run is a separate process, so one run's out-of-memory or its kernel patches (Liger patches the model
classes) cannot touch the next; a run is skipped once less than its expected time is left of --budget-s, so the
call returns with whatever was measured. --set adds overrides to every run and --model-set changes the model
config (the CPU smoke test uses both to shrink everything).

A run with `profile: N` records N of its timed steps with the torch profiler and adds the GPU time by kind of
kernel (matmul, attention, Triton, element-wise...) to its entry: its rates are then the profiled steps' too.
A run with `lora_fastpath: inputs` (or `fused`) trains with lrkit.lora_fastpath.LoraFastPath (train_timed.py
--lora-fastpath): LoRA layers skip PEFT's float32 round trip of their input (the same numbers), and with `fused`
add their scaled output inside the adapter's matrix product (rounded once: bf16-level differences).

Several GPUs: a run with `nproc: N` starts N processes through torchrun (python -m torch.distributed.run, what
`FORCE_TORCHRUN=1 NPROC_PER_NODE=N llamafactory-cli train` starts too), with DeepSpeed when its overrides name a
`deepspeed` config; `scaling_vs: NAME` adds the scaling efficiency against that run: tokens/s ÷ (N × NAME's).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path


from lrkit import cli
from lrkit.benchplan import Deadline, load_plan, run_argv, run_logged, timed_train_command
from lrkit.throughput import scaling

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def model_dirs(plan: dict, work: Path, model_set: list[str]) -> Path:
    """Write the plan's model (and its fewer-layer views) unless a finished one is there; return its folder."""
    model = plan["model"]
    out = work / "model"
    if not (out / "config.json").exists():
        cmd = [sys.executable, str(HERE / "make_random_model.py"), str(HERE / model["config"]), str(out),
               "--tokenizer", str(ROOT / plan["tokenizer"])]
        if model.get("layers"):
            cmd += ["--layers", str(model["layers"])]
        if model.get("views"):
            cmd += ["--views", ",".join(map(str, model["views"]))]
        if model_set:
            cmd += ["--set", *model_set]
        subprocess.run(cmd, check=True, cwd=ROOT)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("plan", type=Path)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench"), help="model, run outputs, logs")
    parser.add_argument("--results", type=Path, required=True, help="JSON file to write")
    parser.add_argument("--budget-s", type=float, default=500, help="start no run that would end after this")
    parser.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE", help="overrides for every run")
    parser.add_argument("--model-set", nargs="*", default=[], metavar="KEY=VALUE", help="model config overrides")
    parser.add_argument("--only", nargs="*", default=[], help="run names to run (default: all)")
    args = parser.parse_args()

    start = time.perf_counter()
    deadline = Deadline(args.budget_s)
    plan = load_plan(args.plan, ("model", "tokenizer", "runs"), "runs", ("name", "recipe", "warmup", "steps"))
    work = args.work / args.plan.stem
    model = model_dirs(plan, work, args.model_set)
    print(f"[bench] model ready after {time.perf_counter() - start:.0f} s: {model}", flush=True)
    results = {"plan": str(args.plan.relative_to(ROOT)) if args.plan.is_absolute() else str(args.plan),
               "environment": environment(), "runs": []}
    for run in plan["runs"]:
        if args.only and run["name"] not in args.only:
            continue
        if late := deadline.too_late(run):
            print(f"[bench] skip {run['name']}: {late} of the budget", flush=True)
            results["runs"].append({"name": run["name"], "lever": run.get("lever", ""), "skipped": "time budget"})
            continue
        argv = run_argv(plan, run, model, work, args.set)
        metrics = work / "runs" / f"{run['name']}.json"
        log = work / "runs" / f"{run['name']}.log"
        metrics.unlink(missing_ok=True)
        log.unlink(missing_ok=True)
        nproc = int(run.get("nproc", 1))
        cmd = timed_train_command(argv, metrics, run["warmup"], nproc=nproc, port=29500 + len(results["runs"]),
                                  profile_steps=int(run.get("profile", 0)),
                                  lora_fastpath=run.get("lora_fastpath"))
        shown = f"FORCE_TORCHRUN=1 NPROC_PER_NODE={nproc} " if nproc > 1 else ""
        print(f"[bench] {run['name']}: {shown}llamafactory-cli train {shlex.join(argv)}", flush=True)
        env = dict(os.environ)
        if nproc == 1:  # one process on a machine of several GPUs: LLaMA-Factory refuses to start without torchrun
            env.setdefault("CUDA_VISIBLE_DEVICES", "0")
        code = run_logged(cmd, log, timeout=max(deadline.left(), 30), env=env)
        entry = {"name": run["name"], "lever": run.get("lever", ""), "exit": code,
                 "command": shown + "llamafactory-cli train " + shlex.join(argv)}
        if metrics.exists():
            measured = json.loads(metrics.read_text())
            entry.update({k: v for k, v in measured.items() if k not in ("recipe", "argv", "max_steps", "stopped_at_step", "train")})
            entry["train_loss"] = (measured.get("train") or {}).get("train_loss")  # equal numbers, equal losses
            entry.update(scaling(run, entry, results["runs"]))
        else:
            entry["error"] = f"no metrics (exit {code}: killed, e.g. host out of memory, or past the budget): see the log"
        results["runs"].append(entry)
        print("[bench] " + summary_line(entry), flush=True)
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    args.results.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    print(f"[bench] done in {time.perf_counter() - start:.0f} s -> {args.results}")
    for entry in results["runs"]:
        print(summary_line(entry))
    return 0


def summary_line(entry: dict) -> str:
    keys = ("gpus", "tokens_per_s", "samples_per_s", "mfu", "scaling_efficiency", "padding_fraction",
            "peak_allocated_gib", "peak_reserved_gib", "projected_seed_job_min", "wall_s", "train_loss", "error", "skipped")
    return f"{entry['name']:<28} " + " ".join(f"{k}={entry[k]}" for k in keys if entry.get(k) is not None)


def environment() -> dict:
    import torch

    env = {"torch": torch.__version__, "python": sys.version.split()[0]}
    if torch.cuda.is_available():
        env["gpu"] = torch.cuda.get_device_name()
    return env


if __name__ == "__main__":
    cli.run(main)
