"""Write a test-format copy of a competition file: the same problems in order, every `answer` removed.

Usage: python tools/strip_answers.py IN.jsonl OUT.jsonl [--strict]

The repository has no test set, so the pipeline makes one from the validation split; submit.py fills it back.
Bad lines are reported as FILE:LINE and skipped, with a summary on stderr (exit 0); with --strict any bad line
is an error: exit 1, nothing written.
"""

from __future__ import annotations

import argparse

from lrkit.cli import err, run
from lrkit.records import load_problems, plural, strip_answers, write_jsonl


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", help="competition-format JSONL (labelled)")
    parser.add_argument("output", help="the same problems without answers")
    parser.add_argument("--strict", action="store_true", help="any bad line aborts; nothing is written")
    args = parser.parse_args()
    records = load_problems(args.input, strict=args.strict, report=err)
    write_jsonl(args.output, strip_answers(records))
    print(f"{args.input}: {plural(len(records), 'problem')}, answers removed -> {args.output}")
    return 0


if __name__ == "__main__":
    run(main)
