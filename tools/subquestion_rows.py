"""One row per sub-question (the seed's split format), or the rows joined back into problems.

Usage: python tools/subquestion_rows.py IN.jsonl OUT.jsonl [--join] [--unlabelled] [--strict]

Each row keeps its problem's id and fields, holds one question and adds
``sub_index``; ``--join`` rebuilds problems from consecutive rows of one id.
Bad lines are reported as FILE:LINE and skipped, with a summary line "skipped N bad line(s)" on
stderr; the exit code stays 0. With --strict any bad line is an error: exit 1, nothing written.
"""

from __future__ import annotations

import argparse

from lrkit.cli import err, run
from lrkit.records import UNLABELLED_HINT, join_subquestion_rows, load_problems, plural, subquestion_rows, write_jsonl


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--join", action="store_true", help="inverse: join split rows into problems")
    parser.add_argument("--unlabelled", action="store_true", help="answers may be missing (test files)")
    parser.add_argument("--strict", action="store_true", help="any bad line aborts; nothing is written")
    args = parser.parse_args()
    records = load_problems(args.input, args.unlabelled, args.strict, report=err, answer_hint=UNLABELLED_HINT)
    rows = join_subquestion_rows(records) if args.join else subquestion_rows(records)
    count = write_jsonl(args.output, rows)
    print(f"{args.input}: {plural(len(records), 'row')} in -> {plural(count, 'problem' if args.join else 'sub-question row')} -> {args.output}")
    return 0


if __name__ == "__main__":
    run(main)
