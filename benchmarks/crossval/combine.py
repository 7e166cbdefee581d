"""Piece one cross-validation cell's results together from several runs of it (a device session ends mid-cell).

Usage: python benchmarks/crossval/combine.py PART... --out RESULTS.json [--data REAL.jsonl] [--note TEXT]

Each PART is a results JSON written by tools/crossval.py or a finished fold's folder (WORK/foldK, with done.json,
test.jsonl, answers.jsonl; with --permuted its answers_permuted.jsonl). Parts are taken in order: a fold already covered by an earlier part is checked, not
counted again (same accuracy, or an error: the runs are not the same configuration). Counts are summed per family,
option count and gold letter; the 95% interval (bootstrap over problems, --data) only when every part carries its
answers.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from lrkit.cli import run
from lrkit import SHARED_DATA
from lrkit.cvresults import combine, fold_part, read_results
from lrkit.records import load_problems, write_json

def _part(path: Path, permuted: bool) -> dict:
    if path.is_dir():
        return fold_part(path, permuted)
    return read_results(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("parts", nargs="+", type=Path, help="results JSON files or fold folders, in order")
    parser.add_argument("--out", required=True, type=Path, help="combined results JSON")
    parser.add_argument("--data", type=Path, default=SHARED_DATA, help="the labelled problems (default %(default)s)")
    parser.add_argument("--permuted", action="store_true",
                        help="fold folders: take their --permute-eval answers (answers_permuted.jsonl)")
    parser.add_argument("--note", help="how the parts came about, kept in the JSON")
    args = parser.parse_args()
    records = load_problems(args.data) if args.data.exists() else None
    result = combine([_part(p, args.permuted) for p in args.parts], records, names=[str(p) for p in args.parts])
    result["parts"] = [str(p) for p in args.parts]
    if args.note:
        result["note"] = args.note
    write_json(args.out, result)
    ci = result["ci95"]
    print(f"{result['accuracy']:.2%} on {result['subquestions']} sub-questions, folds "
          f"{[f['fold'] for f in result['folds']]}" + (f", 95% interval {ci[0]:.1%}-{ci[1]:.1%}" if ci else
                                                       ", no interval (some parts lack answers)") + f" -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main))
