"""`llamafactory-cli train`, timed (tokens, samples, seconds, peak GPU memory) and optionally stopped at a wall-clock time.

Usage: python benchmarks/train_timed.py --metrics RUN.json [--warmup 3] [--stop-at UNIX_TIME] [--profile-steps N]
       [--lora-fastpath inputs|fused] RECIPE.yaml [key=value ...]

Everything after the options is exactly what `llamafactory-cli train` takes (a recipe and OmegaConf overrides),
and goes to the same entry point; the clock is lrkit.timed_training.TrainingClock. The first --warmup optimizer
steps (CUDA/Triton start-up, allocator growth) are left out of the rates. --stop-at ends training at the next
optimizer step after that time, saving the model as at a normal end; the JSON says which steps were done
(max_steps, stopped_at_step) and holds LLaMA-Factory's train_results.json as `train`. --profile-steps N runs
the torch profiler over the N optimizer steps after the warm-up and adds the GPU time by kind of kernel (`profile`:
matmul, attention, Triton, element-wise, ...; the profiler slows those steps, so profile a run of its own).
--lora-fastpath MODE trains with lrkit.lora_fastpath.LoraFastPath: under bf16 autocast the LoRA layers skip PEFT's
float32 round trip of their input (`inputs`: the same numbers, fewer copies), and with `fused` add their scaled
output inside the adapter's matrix product. An error (out of memory,
say) is recorded in the JSON and the exit code is 1. Used by benchmarks/gpu/bench.py and
benchmarks/generated_data/experiment.py. Several GPUs: python -m torch.distributed.run --nproc_per_node N train_timed.py ...
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from lrkit.throughput import rates
from lrkit.lora_fastpath import MODES, LoraFastPath
from lrkit.timed_training import TrainingClock, train


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--metrics", type=Path, required=True, help="JSON file to write")
    parser.add_argument("--warmup", type=int, default=3, help="optimizer steps left out of the rates")
    parser.add_argument("--stop-at", type=float, default=None, help="wall-clock time (seconds since the epoch)")
    parser.add_argument("--profile-steps", type=int, default=0, help="profile this many steps after the warm-up")
    parser.add_argument("--lora-fastpath", choices=MODES,
                        help="inputs: LoRA layers skip PEFT's float32 round trip (same numbers); fused: and add "
                             "their scaled output in the adapter's matrix product (lrkit.lora_fastpath)")
    args, train_argv = parser.parse_known_args()

    fastpath = [LoraFastPath(args.lora_fastpath)] if args.lora_fastpath else []
    result = train(train_argv, TrainingClock(args.stop_at, args.profile_steps, args.warmup), fastpath)
    if fastpath:
        result["lora_fastpath"] = {"mode": args.lora_fastpath, "layers": fastpath[0].switched}
    result["warmup_steps"] = args.warmup
    result.update(rates(result["steps"], args.warmup, result["recipe"]["model_name_or_path"], gpus=result["gpus"]))
    trained = Path(result["recipe"]["output_dir"]) / "train_results.json"
    if trained.exists():
        result["train"] = json.loads(trained.read_text())
    if int(os.environ.get("RANK", "0")) != 0:
        return 0 if result["error"] is None else 1
    args.metrics.parent.mkdir(parents=True, exist_ok=True)
    args.metrics.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    shown = {k: v for k, v in result.items() if k not in ("steps", "recipe", "argv", "train", "profile")}
    print(f"[train_timed] {args.metrics}: " + json.dumps(shown))
    return 0 if result["error"] is None else 1


if __name__ == "__main__":
    sys.exit(main())
