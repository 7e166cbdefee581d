"""Check a competition-format JSONL file and print its counts.

Usage: python tools/validate.py FILE.jsonl [...] [--unlabelled] [--json] [--strict]

Every fault is printed as FILE:LINE: field: reason; the exit code is 1 when
there is any. Counts cover the valid records: problems, sub-questions, and
histograms of option counts and answer letters. validate is the checker, so it
is always strict: --strict is accepted (as by every tool that reads competition
JSONL) and changes nothing.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter

from lrkit.cli import err, run
from lrkit.records import UNLABELLED_HINT, iter_subquestions, read_problems


def summarize(records: list[dict]) -> dict:
    subs = list(iter_subquestions(records))
    return {
        "problems": len(records),
        "subquestions": len(subs),
        "options": dict(sorted(Counter(len(q["options"]) for _, _, q in subs).items())),
        "answers": dict(sorted(Counter(q.get("answer") or "-" for _, _, q in subs).items())),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", help="JSONL files in the competition format")
    parser.add_argument("--unlabelled", action="store_true", help="test files: answers may be missing")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    parser.add_argument("--strict", action="store_true", help="accepted for uniformity: validate always exits 1 on any bad line")
    args = parser.parse_args()
    bad = 0
    for path in args.files:
        records, issues = read_problems(path, args.unlabelled, UNLABELLED_HINT)
        for issue in issues:
            err(str(issue))
        bad += len(issues)
        counts = summarize(records)
        counts["issues"] = len(issues)
        if args.json:
            print(json.dumps({"file": path, **counts}, ensure_ascii=False))
        else:
            print(
                f"{path}: {counts['problems']} problems, {counts['subquestions']} sub-questions, "
                f"{len(issues)} issue(s)\n  options: {counts['options']}\n  answers: {counts['answers']}"
            )
    return 1 if bad else 0


if __name__ == "__main__":
    run(main)
