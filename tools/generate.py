"""Generate competition-format logic problems with exact solvers (answers right by construction).

Usage: python tools/generate.py --families all --n 10000 --seed 0 --out data/synthetic/x.jsonl [--difficulty mix] [--solutions]
                                [--shape data/shapes/round1_train.json]
       python tools/generate.py --fit-shape REAL.jsonl --out data/shapes/NAME.json

Problem i comes from Random(seed + i) alone, so the same arguments give a
byte-identical file. Each record adds family, difficulty and source
("generated"); with --solutions every sub-question carries a Chinese worked
solution (export_alpaca.py puts it before the answer line). --families v1 is
the 22 families of the measurements up to 2026-12-03: `--families v1 --n 4000
--seed 0` is the gen4k.jsonl of benchmarks/crossval, byte for byte.

--shape FILE makes the set follow a target shape (lrkit/generators/shape.py): sub-questions per
problem, option counts and answer letters per option count, as in data/shapes/round1_train.json
(fitted from the real train set). It drops sub-questions and wrong options, adds a wrong option only
when the family's checker confirms it false, and moves the correct option to the letter the target
asks for; answers stay exactly right. Yes/no questions keep their affirmative-first order. The file
is still byte-identical for the same arguments, but problem i then also depends on problems before it.
Without --shape the output is unchanged. --fit-shape REAL.jsonl writes such a file (to --out) from
competition-format records and generates nothing.
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict

from tqdm import tqdm

from lrkit.cli import err, run
from lrkit.generators.registry import DIFFICULTIES, FAMILIES, generate, select
from lrkit.generators.shape import Shaper, fit_shape, load_shape
from lrkit.records import DataError, load_problems, write_json, write_jsonl


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--families", default="all",
                        help="all, v1 (the 22 families of the measurements up to 2026-12-03), or a comma-separated "
                        f"subset of: {', '.join(FAMILIES)}")
    parser.add_argument("--n", type=int, default=1000, help="number of problems (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="dataset seed; problem i uses Random(seed + i)")
    parser.add_argument("--out", required=True, help="output JSONL path")
    parser.add_argument("--difficulty", default="mix", choices=DIFFICULTIES, help="level of every problem, or mix (default)")
    parser.add_argument("--solutions", action="store_true", help="add a worked solution to every sub-question")
    parser.add_argument("--shape", metavar="FILE", help="JSON target shape (option counts, answer letters, sub-questions "
                        "per problem) to follow, e.g. data/shapes/round1_train.json; default: the generators' own")
    parser.add_argument("--fit-shape", metavar="REAL.jsonl", help="write the shape of this competition JSONL to --out and exit")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args()
    if args.fit_shape:
        shape = fit_shape(load_problems(args.fit_shape, report=err), source=args.fit_shape)
        write_json(args.out, shape)
        print(f"{args.out}: shape of {shape['problems']} problems, {shape['subquestions_per_problem']} sub-questions each, "
              f"options {shape['option_counts']}, letters {shape['answer_letters']}")
        return 0
    if args.n < 1:
        raise DataError("--n must be at least 1")
    try:
        families = select(args.families)
    except ValueError as e:
        raise DataError(str(e)) from None
    err(f"generate: {args.n} problems, families={args.families}, difficulty={args.difficulty}, seed={args.seed} -> {args.out}")
    counts: dict[str, Counter] = defaultdict(Counter)

    def tally(records):
        for record in records:
            c = counts[record["family"]]
            c["problems"] += 1
            c["subquestions"] += len(record["questions"])
            c.update(q["answer"] for q in record["questions"])
            yield record

    stream = generate(args.n, args.seed, families, args.difficulty, args.solutions)
    if args.shape:
        try:
            shaper = Shaper(load_shape(args.shape), args.seed, {n: f.check for n, f in FAMILIES.items()})
        except (OSError, ValueError) as e:
            raise DataError(f"--shape: {e}") from None
        stream = map(shaper, stream)
    written = write_jsonl(args.out, tally(tqdm(stream, total=args.n, unit="problem", disable=args.quiet)))
    print(f"{args.out}: {written} problems")
    print(f"  {'family':<20} {'problems':>8} {'subqs':>6}  letters")
    for name in sorted(counts, key=lambda n: -counts[n]["problems"]):
        c = counts[name]
        letters = {k: c[k] for k in sorted(k for k in c if len(k) == 1)}
        print(f"  {name:<20} {c['problems']:>8} {c['subquestions']:>6}  {letters}")
    return 0


if __name__ == "__main__":
    run(main)
