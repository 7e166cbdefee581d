"""Where the errors are: accuracy of several cross-validation cells per family x option count, and the share of the
last cell's wrong answers in each group (what to aim the next generator work at).

Usage: python benchmarks/crossval/errors.py CELL.json [CELL.json ...] [--data REAL.jsonl] [--top 15]

Each CELL is a results JSON of tools/crossval.py (or combine.py) that carries every answer. Families come from the
keyword classifier (lrkit.report.with_family), as in the results' by_family. Groups are listed by the last cell's
number of wrong answers.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

from lrkit import SHARED_DATA
from lrkit.cli import run
from lrkit.cvresults import answers_of, read_results
from lrkit.records import DataError, iter_subquestions, load_problems
from lrkit.report import with_family


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cells", nargs="+", type=Path, help="results JSON files; the last one ranks the groups")
    parser.add_argument("--data", type=Path, default=SHARED_DATA, help="the labelled problems (default %(default)s)")
    parser.add_argument("--top", type=int, default=15, help="groups shown (default %(default)s)")
    args = parser.parse_args()
    answers = []
    for path in args.cells:
        cell = read_results(path)  # names the file in its own errors
        try:
            answers.append(answers_of(cell))
        except DataError as exc:
            raise DataError(f"{path}: {exc}") from None
    groups: dict[tuple, list] = defaultdict(lambda: [0] + [0] * len(answers))  # n, then right answers per cell
    for r, i, q in iter_subquestions(with_family(load_problems(args.data))):
        row = groups[(r.get("family", "?"), len(q["options"]))]
        row[0] += 1
        for c, cell in enumerate(answers):
            row[1 + c] += cell.get((r["id"], i)) == q["answer"]
    wrong_total = sum(row[0] - row[-1] for row in groups.values())
    names = [p.stem.removeprefix("results_") for p in args.cells]
    print(f"{'family':<20} {'options':>7} {'n':>5} " + " ".join(f"{n[:16]:>16}" for n in names)
          + f" {'wrong':>6} {'share':>6}")
    for (family, options), row in sorted(groups.items(), key=lambda kv: kv[1][-1] - kv[1][0])[: args.top]:
        n, wrong = row[0], row[0] - row[-1]
        print(f"{family:<20} {options:>7} {n:>5} " + " ".join(f"{right / n:>16.1%}" for right in row[1:])
              + f" {wrong:>6} {wrong / wrong_total:>6.1%}")
    print(f"{wrong_total} wrong answers in the last cell, {sum(row[0] for row in groups.values())} sub-questions")
    return 0


if __name__ == "__main__":
    run(main)
