"""The seed's similarity: share of sub-questions with the same answer in two answer files.

Usage: python tools/similarity.py A.jsonl B.jsonl [--diff] [--json]

Sub-questions are matched by problem id and position; those present in only
one file are counted and reported, not compared. --diff lists, per problem,
the sub-questions whose answers differ.
"""

from __future__ import annotations

import argparse
import json

from lrkit.cli import err, run
from lrkit.metrics import similarity
from lrkit.records import load_problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--diff", action="store_true", help="list differing sub-questions per problem")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    a = load_problems(args.a, unlabelled=True, report=err)
    b = load_problems(args.b, unlabelled=True, report=err)
    result = similarity(a, b)
    if not args.diff:
        result.pop("diffs")
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(
        f"similarity {result['similarity']:.2%} ({result['same']}/{result['common']} sub-questions); "
        f"only in A: {result['only_in_a']}, only in B: {result['only_in_b']}"
    )
    for pid, diffs in result.get("diffs", {}).items():
        print(f"  {pid}: " + ", ".join(f"#{d['sub_index'] + 1} {d['a']}≠{d['b']}" for d in diffs))
    return 0


if __name__ == "__main__":
    run(main)
