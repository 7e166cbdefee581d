"""Compare two cross-validation cells question by question (paired): is OTHER better than BASE, and where?

Usage: python benchmarks/crossval/compare.py BASE.json OTHER.json [--data REAL.jsonl] [--out COMPARISON.json]

Both are results JSON files of tools/crossval.py (or benchmarks/crossval/combine.py) that carry every answer.
On the sub-questions both answered: each cell's accuracy, OTHER - BASE with a paired 95% interval (bootstrap over
problems: far narrower than two separate intervals), how many sub-questions only one of them gets right, and the
difference per family, option count and gold letter.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from lrkit.cli import run
from lrkit import SHARED_DATA
from lrkit.cvresults import compare, read_results
from lrkit.records import DataError, load_problems, write_json

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base", type=Path, help="results JSON of the reference cell")
    parser.add_argument("other", type=Path, help="results JSON of the cell compared with it")
    parser.add_argument("--data", type=Path, default=SHARED_DATA, help="the labelled problems (default %(default)s)")
    parser.add_argument("--out", type=Path, help="write the comparison as JSON")
    parser.add_argument("--bootstrap", type=int, default=2000, help="resamples for the interval (default 2000)")
    args = parser.parse_args()
    base, other = read_results(args.base), read_results(args.other)
    try:
        result = compare(load_problems(args.data), base, other, args.bootstrap)
    except DataError as exc:
        raise DataError(f"{args.base} vs {args.other}: {exc}") from None
    lo, hi = result["difference_ci95"]
    print(f"{result['subquestions']} sub-questions of {result['problems']} problems answered by both: "
          f"{result['base_accuracy']:.2%} -> {result['other_accuracy']:.2%}, difference {result['difference']:+.2%} "
          f"(95% interval {lo:+.1%} to {hi:+.1%}); right only in base {result['only_base_right']}, "
          f"only in other {result['only_other_right']}")
    for key in ("by_family", "by_options", "by_answer_letter"):
        cells = ", ".join(f"{name} {row['difference']:+.0%} (n {row['n']})" for name, row in result[key].items())
        print(f"  {key.replace('_', ' ')}: {cells}")
    if args.out:
        write_json(args.out, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main))
