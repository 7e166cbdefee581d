"""Keep the generated problems a model gets wrong: training data aimed at what it cannot do yet (issue 13, lever 2).

Usage: python tools/select_hard.py POOL.jsonl ANSWERS.jsonl OUT.jsonl [--easy-share 0.25] [--seed 0] [--strict]

POOL is labelled generated data (tools/generate.py); ANSWERS is the model's answers to it, as
`python tools/evaluate.py --model M [--adapter A] --gold POOL.jsonl --backend scoring --save ANSWERS.jsonl` writes
them. OUT gets every problem with at least one sub-question the model answered wrong, plus --easy-share of the
others (seeded draw), in POOL's order, with their gold answers; a per-family table goes to stderr. Example, a second
stage after the generated pre-training (benchmarks/crossval/ladder.sh, cell hard_then_real):

    python tools/generate.py --n 12000 --seed 200000 --out pool.jsonl
    python tools/evaluate.py --model M --adapter PRE --gold pool.jsonl --backend scoring --save pool_answers.jsonl
    python tools/select_hard.py pool.jsonl pool_answers.jsonl hard.jsonl

Bad lines are reported as FILE:LINE and skipped (exit 0); with --strict any bad line is an error: exit 1, nothing
written. A pool sub-question with no answer record is an error naming ANSWERS.
"""

from __future__ import annotations

import argparse

from lrkit.cli import err, run
from lrkit.records import load_problems, plural, write_jsonl
from lrkit.selection import check_answers_cover, family_table, missed_problems, select_missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pool", help="labelled generated problems")
    parser.add_argument("answers", help="the model's answers to POOL (tools/evaluate.py --save)")
    parser.add_argument("output", help="the problems kept, with their gold answers")
    parser.add_argument("--easy-share", type=float, default=0.25,
                        help="share of the problems answered all right that are kept too (default %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the easy problems' draw (default 0)")
    parser.add_argument("--strict", action="store_true", help="any bad line aborts; nothing is written")
    args = parser.parse_args()
    pool = load_problems(args.pool, strict=args.strict, report=err)
    predicted = check_answers_cover(pool, load_problems(args.answers, unlabelled=True, strict=args.strict, report=err),
                                    args.answers)  # unlabelled: a sub-question the model left unanswered is None
    missed = missed_problems(pool, predicted)
    kept = select_missed(pool, missed, args.easy_share, args.seed)
    for line in family_table({"pool": pool, "missed": [r for r in pool if r["id"] in missed], "kept": kept}):
        err(line)
    write_jsonl(args.output, kept)
    print(f"{args.pool}: {plural(len(missed), 'problem')} of {len(pool)} missed; kept {len(kept)} "
          f"(easy share {args.easy_share}) -> {args.output}")
    return 0


if __name__ == "__main__":
    run(main)
