"""Keep the sub-questions (or whole problems) whose generator label the re-answers agree with.

Usage: python tools/filter_agreement.py ANSWERED.jsonl [MORE.jsonl ...] --out KEPT.jsonl [--rule unanimous|majority] [--by subquestion|problem]

Inputs are outputs of tools/answer.py (the first file's records and labels; votes of the same
id and sub-question in further files are added). A sub-question passes when every vote (`unanimous`)
or more than half of them (`majority`) equal its `answer`; `--by problem` keeps only problems whose
every sub-question passes. Prints kept/dropped counts per family; --dropped keeps the rest with reasons.

Bad lines are reported as FILE:LINE and skipped, with a summary line "skipped N bad line(s)" on
stderr; the exit code stays 0. With --strict any bad line is an error: exit 1, nothing written.
"""

from __future__ import annotations

import argparse
import json

from lrkit.cli import err, run
from lrkit.llm.agreement import UNITS, RULES, filter_agreement, merge_answer_files
from lrkit.records import load_problems, plural, write_json, write_jsonl


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="+", help="answered JSONL files (tools/answer.py outputs)")
    parser.add_argument("--out", required=True, help="kept records, competition format")
    parser.add_argument("--rule", choices=RULES, default="unanimous")
    parser.add_argument("--by", choices=UNITS, default="subquestion")
    parser.add_argument("--min-votes", type=int, default=1, help="drop sub-questions with fewer votes (default 1)")
    parser.add_argument("--dropped", help="dropped sub-questions with the reason")
    parser.add_argument("--summary", metavar="FILE", help="write the kept/dropped counts as JSON")
    parser.add_argument("--strict", action="store_true", help="any bad line aborts; nothing is written")
    args = parser.parse_args()
    merged = merge_answer_files([load_problems(path, strict=args.strict, report=err) for path in args.inputs])
    kept, dropped, report = filter_agreement(merged, args.rule, args.by, args.min_votes)
    write_jsonl(args.out, kept)
    if args.dropped:
        write_jsonl(args.dropped, dropped)
    if args.summary:
        write_json(args.summary, report)
    print(f"{'family':<16} {'sub kept':>9} {'sub dropped':>12} {'prob kept':>10} {'prob dropped':>13}")
    for family, row in [*report["by_family"].items(), ("total", report["total"])]:
        print(f"{family:<16} {row['subquestions_kept']:>9} {row['subquestions_dropped']:>12} "
              f"{row['problems_kept']:>10} {row['problems_dropped']:>13}")
    print(f"{args.out}: {plural(len(kept), 'problem')} kept ({args.rule}, by {args.by}); reasons {json.dumps(report['reasons'], ensure_ascii=False)}")
    return 0


if __name__ == "__main__":
    run(main)
