"""The seed's similarity: share of sub-questions with the same answer in two answer files.

Usage: python tools/similarity.py A.jsonl B.jsonl [--diff] [--json] [--strict]

A and B are what tools/evaluate.py --pred reads: competition-format JSONL (only id and
questions[].answer are needed; options, when present, bound the letters) or LLaMA-Factory's
generated_predictions.jsonl (matched in order to the other file's sub-questions, or row by row
when both are). Letters are case-insensitive. Sub-questions are matched by problem id and position
and compared one by one: those present in only one file are counted, and one without a usable
letter on either side (missing, unparseable, outside its options) is skipped and named on stderr
with FILE:LINE and the reason, never its whole problem. --diff lists, per problem, the
sub-questions whose answers differ.

Bad lines (not JSON, not a record) are reported as FILE:LINE and skipped with a summary line on
stderr, exit 0; with --strict any bad line is an error (exit 1).
"""

from __future__ import annotations

import argparse
import json

from lrkit.cli import err, run
from lrkit.metrics import read_answer_pair, similarity
from lrkit.records import plural, report_capped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--diff", action="store_true", help="list differing sub-questions per problem")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--strict", action="store_true", help="any bad line is an error")
    args = parser.parse_args()
    a, b = read_answer_pair(args.a, args.b, args.strict, report=err)
    result = similarity(a, b)
    skipped = result.pop("skipped_keys")
    if skipped:
        err(f"skipped {plural(len(skipped), 'sub-question')} without a usable letter in one file:")
        report_capped([side.why(k) for k in skipped for side in (a, b) if side.answers[k] is None], err)
    if not args.diff:
        result.pop("diffs")
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(
        f"similarity {result['similarity']:.2%} ({result['same']}/{result['common']} sub-questions); "
        f"skipped: {result['skipped']}, only in A: {result['only_in_a']}, only in B: {result['only_in_b']}"
    )
    for pid, diffs in result.get("diffs", {}).items():
        print(f"  {pid}: " + ", ".join(f"#{d['sub_index'] + 1} {d['a']}≠{d['b']}" for d in diffs))
    return 0


if __name__ == "__main__":
    run(main)
