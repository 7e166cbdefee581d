"""Generate competition-format logic problems with exact solvers (answers right by construction).

Usage: python tools/generate.py --families all --n 10000 --seed 0 --out data/synthetic/x.jsonl [--difficulty mix] [--solutions]
                                [--shape data/shapes/round1_train.json]
       python tools/generate.py --plan configs/data/wide5k.yaml --out data/work/wide5k.jsonl
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

--plan FILE writes a set made of parts, each with its own families, n and seed (and optionally difficulty and
solutions), one after another: configs/data/wide5k.yaml is the first stage of configs/lora_1.5b.yaml, the best
measured configuration (benchmarks/crossval). The output is the concatenation of the parts' own files, byte for byte
(with --shape, each part is shaped on its own, from its own seed, as its own run would be).
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from itertools import chain

from tqdm import tqdm

from lrkit.cli import err, run
from lrkit.generators.plan import Part, load_plan
from lrkit.generators.registry import DIFFICULTIES, FAMILIES, generate
from lrkit.generators.shape import Shaper, fit_shape, load_shape
from lrkit.records import DataError, load_problems, write_json, write_jsonl


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--families", help="all (default), v1 (the 22 families of the measurements up to 2026-12-03), or a "
                        f"comma-separated subset of: {', '.join(FAMILIES)}")
    parser.add_argument("--n", type=int, help="number of problems (default 1000)")
    parser.add_argument("--seed", type=int, help="dataset seed; problem i uses Random(seed + i) (default 0)")
    parser.add_argument("--out", required=True, help="output JSONL path")
    parser.add_argument("--difficulty", choices=DIFFICULTIES, help="level of every problem, or mix (default)")
    parser.add_argument("--solutions", action="store_true", default=None, help="add a worked solution to every sub-question")
    parser.add_argument("--plan", metavar="FILE", help="YAML list of parts (families, n, seed[, difficulty, solutions]) "
                        "written one after another, e.g. configs/data/wide5k.yaml; replaces the five options above")
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
    parts = plan_parts(args)
    total = sum(part.n for part in parts)
    for part in parts:
        err(f"generate: {part.n} problems, families={part.families}, difficulty={part.difficulty}, seed={part.seed}"
            f"{' (' + part.where + ')' if part.where else ''} -> {args.out}")
    counts: dict[str, Counter] = defaultdict(Counter)

    def tally(records):
        for record in records:
            c = counts[record["family"]]
            c["problems"] += 1
            c["subquestions"] += len(record["questions"])
            c.update(q["answer"] for q in record["questions"])
            yield record

    shape = None
    if args.shape:
        try:
            shape = load_shape(args.shape)
        except (OSError, ValueError) as e:
            raise DataError(f"--shape: {e}") from None
    stream = chain.from_iterable(part_stream(part, shape) for part in parts)
    written = write_jsonl(args.out, tally(tqdm(stream, total=total, unit="problem", disable=args.quiet)))
    print(f"{args.out}: {written} problems")
    print(f"  {'family':<20} {'problems':>8} {'subqs':>6}  letters")
    for name in sorted(counts, key=lambda n: -counts[n]["problems"]):
        c = counts[name]
        letters = {k: c[k] for k in sorted(k for k in c if len(k) == 1)}
        print(f"  {name:<20} {c['problems']:>8} {c['subquestions']:>6}  {letters}")
    return 0


def plan_parts(args) -> list[Part]:
    """The parts to write: the --plan file's, or one made of the flags (defaults: all, 1000, 0, mix, no solutions)."""
    flags = {"--families": args.families, "--n": args.n, "--seed": args.seed, "--difficulty": args.difficulty,
             "--solutions": args.solutions}
    if args.plan:
        given = [flag for flag, value in flags.items() if value is not None]
        if given:
            raise DataError(f"--plan {args.plan} sets every part's options itself; drop {', '.join(given)}")
        return load_plan(args.plan)
    part = Part(args.families or "all", 1000 if args.n is None else args.n, args.seed or 0, args.difficulty or "mix",
                bool(args.solutions))
    if part.n < 1:
        raise DataError("--n must be at least 1")
    try:
        part.family_names()
    except ValueError as e:
        raise DataError(str(e)) from None
    return [part]


def part_stream(part: Part, shape):
    """One part's problems, exactly as a tools/generate.py run with its options writes them."""
    stream = generate(part.n, part.seed, part.family_names(), part.difficulty, part.solutions)
    if shape is not None:
        stream = map(Shaper(shape, part.seed, {n: f.check for n, f in FAMILIES.items()}), stream)
    return stream


if __name__ == "__main__":
    run(main)
