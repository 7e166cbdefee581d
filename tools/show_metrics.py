"""Print an evaluation's accuracy (a tools/evaluate.py --out file), or two of the same validation set side by side.

Usage: python tools/show_metrics.py METRICS.json [--vs ZERO_SHOT.json] [--labels zero-shot fine-tuned]

One file: "accuracy% of N sub-questions, U unparseable". With --vs: a table of sub-question accuracy, all-correct
problems and unparseable answers, the --vs file first. scripts/run_recipe.sh ends with it.
"""

from __future__ import annotations

import argparse
import json

from lrkit.cli import run
from lrkit.records import DataError

KEYS = ("subquestions", "accuracy", "problem_accuracy", "unparseable")


def read_metrics(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            metrics = json.load(f)
    except OSError as e:
        raise DataError(f"{path}: cannot read: {e.strerror or e}") from None
    except ValueError as e:
        raise DataError(f"{path}:{getattr(e, 'lineno', 1)}: invalid JSON") from None
    missing = [k for k in KEYS if not isinstance(metrics, dict) or k not in metrics]
    if missing:
        raise DataError(f"{path}: not a tools/evaluate.py --out file (no {', '.join(missing)})")
    return metrics


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("metrics", help="tools/evaluate.py --out JSON (the fine-tuned model's)")
    parser.add_argument("--vs", metavar="BEFORE", help="a second --out JSON of the same gold file (the base model's)")
    parser.add_argument("--labels", nargs=2, default=["zero-shot", "fine-tuned"], metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    b = read_metrics(args.metrics)
    if not args.vs:
        print(f"validation accuracy: {b['accuracy']:.2%} of {b['subquestions']} sub-questions, {b['unparseable']} unparseable")
        return 0
    a = read_metrics(args.vs)
    print(f"validation accuracy, same {a['subquestions']} sub-questions:")
    print(f"  {'':24}{args.labels[0]:>12}{args.labels[1]:>12}")
    for label, key in (("sub-question accuracy", "accuracy"), ("all-correct problems", "problem_accuracy")):
        print(f"  {label:24}{a[key]:>12.2%}{b[key]:>12.2%}")
    print(f"  {'unparseable':24}{a['unparseable']:>12}{b['unparseable']:>12}")
    return 0


if __name__ == "__main__":
    run(main)
