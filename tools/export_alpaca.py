"""Export competition-format problems to Alpaca instruction records for LLaMA-Factory, and register them.

Usage: python tools/export_alpaca.py IN.jsonl OUT.json [--prompt prompts/seed_zh.j2]
                                     [--name DATASET] [--register dataset_info.json] [--no-solutions]

One record per sub-question: instruction = the jinja2 prompt rendered with the
problem, question and lettered options; output = "答案是：X", preceded by the
worked solution when the sub-question carries one (``solution``) unless
--no-solutions. With --register the dataset is added to dataset_info.json
under --name (default: OUT's stem), with file_name relative to that file, so
recipes use ``dataset_dir: .`` and ``dataset: NAME``.

Bad lines are reported as FILE:LINE and skipped, with a summary line "skipped N bad line(s)" on
stderr; the exit code stays 0. With --strict any bad line is an error: exit 1, nothing written.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from lrkit.alpaca import alpaca_records, register
from lrkit.cli import err, run
from lrkit.prompts import DEFAULT_PROMPT
from lrkit.records import UNLABELLED_HINT, load_problems, plural, write_json


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", help="competition-format JSONL (problems or split rows)")
    parser.add_argument("output", help="Alpaca JSON file to write")
    parser.add_argument("--prompt", default=str(DEFAULT_PROMPT), help="jinja2 prompt file (default: %(default)s)")
    parser.add_argument("--name", help="dataset name in dataset_info.json (default: OUT's stem)")
    parser.add_argument("--register", metavar="DATASET_INFO", help="dataset_info.json to add the dataset to")
    parser.add_argument("--no-solutions", action="store_true", help="answer line only, even where a worked solution exists")
    parser.add_argument("--unlabelled", action="store_true", help="test files: empty outputs")
    parser.add_argument("--strict", action="store_true", help="any bad line aborts; nothing is written")
    args = parser.parse_args()
    records = load_problems(args.input, args.unlabelled, args.strict, report=err, answer_hint=UNLABELLED_HINT)
    rows = list(alpaca_records(records, args.prompt, not args.no_solutions, not args.unlabelled))
    write_json(args.output, rows)
    print(f"{args.input}: {plural(len(records), 'problem')} -> {plural(len(rows), 'Alpaca record')} -> {args.output}")
    if args.register:
        name = args.name or Path(args.output).stem
        entry = register(args.register, name, args.output)
        print(f"registered {name!r} in {args.register}: file_name={entry['file_name']}")
    return 0


if __name__ == "__main__":
    run(main)
