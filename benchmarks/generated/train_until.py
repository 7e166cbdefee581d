"""`llamafactory-cli train` that stops at a wall-clock time, saves what it has, and says how far it got.

Usage: python benchmarks/generated/train_until.py --stop-at UNIX_TIME --report RUN.json RECIPE.yaml [key=value ...]

Everything after the options is what `llamafactory-cli train` takes (a recipe and OmegaConf overrides) and goes to
the same entry point (llamafactory.train.tuner.run_exp). A device call has a hard time limit: a run that would
outlast it ends at the next optimizer step after --stop-at instead, the model is saved as at a normal end, and the
report says which steps were done, so a shortened run is a measured (and labelled) result, not a lost one.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from transformers import TrainerCallback


class StopAt(TrainerCallback):
    """Ends training at the first optimizer step after a wall-clock time."""

    def __init__(self, stop_at: float) -> None:
        self.stop_at = stop_at
        self.stopped_at_step: int | None = None
        self.max_steps = 0

    def on_train_begin(self, args, state, control, **kwargs):
        self.max_steps = state.max_steps

    def on_step_end(self, args, state, control, **kwargs):
        if time.time() >= self.stop_at and not control.should_training_stop:
            control.should_training_stop = True
            self.stopped_at_step = state.global_step


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stop-at", type=float, required=True, help="wall-clock time (seconds since the epoch)")
    parser.add_argument("--report", type=Path, required=True, help="JSON file to write")
    args, train_argv = parser.parse_known_args()

    from llamafactory.hparams.parser import read_args
    from llamafactory.train.tuner import run_exp

    sys.argv = [sys.argv[0], *train_argv]
    recipe = read_args()
    stop = StopAt(args.stop_at)
    start = time.perf_counter()
    run_exp(recipe, callbacks=[stop])
    report = {"wall_s": round(time.perf_counter() - start, 1), "max_steps": stop.max_steps,
              "stopped_at_step": stop.stopped_at_step}
    results = Path(recipe["output_dir"]) / "train_results.json"
    if results.exists():
        report["train"] = json.loads(results.read_text())
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(report, indent=1))
    print(f"[train_until] {args.report}: {json.dumps(report)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
