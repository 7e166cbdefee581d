"""The majority vote of several cross-validation cells, question by question: an ensemble of the cells' models.

Usage: python benchmarks/crossval/vote.py CELL.json CELL.json ... --out RESULTS.json [--data REAL.jsonl]

Each CELL is a results JSON of tools/crossval.py (or combine.py) that carries every answer, all with the same folds
(same --folds and --seed: each sub-question is then answered by models that all never saw its problem, so the vote
is cross-validated too). --rule majority: the most frequent letter (ties: the highest summed letter probability
where the cells carry them, then the earliest cell); mean_probs: the letter of highest mean probability over the
cells (they must carry their probabilities: tools/crossval.py writes them since 2026-12-03); auto (default):
mean_probs when every cell carries them. Writes a results JSON (accuracy with a
95% interval over problems, breakdowns, every answer: compare.py and errors.py read it) with each cell's accuracy and
the agreement (accuracy per level of agreement).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from lrkit.cli import run
from lrkit import SHARED_DATA
from lrkit.cvresults import read_results, vote
from lrkit.records import DataError, load_problems, write_json


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cells", nargs="+", type=Path, help="results JSON files, in tie-break order")
    parser.add_argument("--out", required=True, type=Path, help="the vote's results JSON")
    parser.add_argument("--data", type=Path, default=SHARED_DATA, help="the labelled problems (default %(default)s)")
    parser.add_argument("--rule", choices=("auto", "majority", "mean_probs"), default="auto",
                        help="how the cells' answers combine (default %(default)s: mean_probs when all carry probabilities)")
    parser.add_argument("--bootstrap", type=int, default=2000, help="resamples for the interval (default 2000)")
    args = parser.parse_args()
    if len(args.cells) < 2:
        parser.error("give at least two cells")
    cells, split = [], {}
    for path in args.cells:
        cell = read_results(path)
        config = cell.get("config") or {}
        if config.get("folds"):  # a cell written by crossval.py names its split: all must share it
            split.setdefault((config["folds"], config.get("seed")), path)
            if len(split) > 1:
                raise DataError(f"{path}: folds/seed {config['folds']}/{config.get('seed')} differ from those of "
                                f"{next(iter(split.values()))}: the vote would not be cross-validated")
        cells.append(cell)
    result = vote(load_problems(args.data), cells, args.bootstrap, names=[str(p) for p in args.cells], rule=args.rule)
    result["parts"] = [str(p) for p in args.cells]
    write_json(args.out, result)
    lo, hi = result["ci95"]
    print(f"vote of {len(cells)} cells ({result['rule']}): {result['accuracy']:.2%} (95% interval {lo:.1%}-{hi:.1%}) on "
          f"{result['subquestions']} sub-questions; the cells: "
          + ", ".join(f"{c['accuracy']:.2%}" for c in result["cells"])
          + f"; unanimous {result['agreement']['unanimous']} -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main))
