"""Deterministic train/validation split by problem (a problem's sub-questions never straddle it).

Usage: python tools/split_dataset.py IN.jsonl --train TRAIN.jsonl --val VAL.jsonl [--val-ratio 0.1] [--seed 42]

Each problem goes to validation when a hash of (seed, id) falls below the
ratio, so the split is stable across runs and machines, and adding problems
to the file never moves existing ones.

Bad lines are reported as FILE:LINE and skipped, with a summary line "skipped N bad line(s)" on
stderr; the exit code stays 0. With --strict any bad line is an error: exit 1, nothing written.
"""

from __future__ import annotations

import argparse

from lrkit.cli import err, run
from lrkit.records import load_problems, plural, write_jsonl
from lrkit.splitting import split_by_problem


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input")
    parser.add_argument("--train", required=True, help="output JSONL for training problems")
    parser.add_argument("--val", required=True, help="output JSONL for validation problems")
    parser.add_argument("--val-ratio", type=float, default=0.1, help="share of problems in validation (default 0.1)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--strict", action="store_true", help="any bad line aborts; nothing is written")
    args = parser.parse_args()
    if not 0 < args.val_ratio < 1:
        parser.error("--val-ratio must be between 0 and 1")
    records = load_problems(args.input, strict=args.strict, report=err)
    train, val = split_by_problem(records, args.val_ratio, args.seed)
    write_jsonl(args.train, train)
    write_jsonl(args.val, val)
    for name, part, path in (("train:", train, args.train), ("val:  ", val, args.val)):
        n_sub = sum(len(r["questions"]) for r in part)
        print(f"{name} {plural(len(part), 'problem')} / {plural(n_sub, 'sub-question')} -> {path}")
    return 0


if __name__ == "__main__":
    run(main)
