"""Write a submission: the test records in order with every sub-question's answer filled.

Usage: python tools/submit.py --model PATH [--adapter PATH ...] --test TEST.jsonl --out SUBMIT.jsonl [--baseline B.jsonl]
       python tools/submit.py --predictions generated_predictions.jsonl --test TEST.jsonl --out SUBMIT.jsonl

With --model every sub-question is answered batched through the scoring backend (one forward
pass, logits over the valid letters; --backend generate for free text). Several --adapter are
voted over (majority; tie-break in lrkit/voting.py). With --predictions, LLaMA-Factory's predict
output (made from TEST exported in order by tools/export_alpaca.py) is converted; answers are the
LAST "答案是：X" of each prediction. A sub-question left without a letter (unparseable
prediction) gets --fallback (default A), is counted, and is named on stderr with FILE:LINE and the
reason. --baseline prints the seed's similarity (the baseline is any file tools/similarity.py reads).

Bad lines (not JSON, not a record) are reported as FILE:LINE and skipped, with a summary line on
stderr; the exit code stays 0 (a skipped test line is missing from the submission: check the
count). With --strict any bad line is an error: exit 1, nothing written.
"""

from __future__ import annotations

import argparse

from lrkit.cli import err, run
from lrkit.inference_cli import add_model_arguments, answer, check_model_arguments, open_model
from lrkit.metrics import load_predictions, option_counts, read_answers, report_unanswered, similarity
from lrkit.records import LETTERS, load_problems, plural, write_jsonl


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--test", required=True, help="test file (competition format, answers absent or ignored)")
    parser.add_argument("--out", required=True, help="submission JSONL to write")
    parser.add_argument("--predictions", help="LLaMA-Factory generated_predictions.jsonl to convert instead of running a model")
    parser.add_argument("--baseline", help="another answer file: print the similarity to it")
    parser.add_argument("--fallback", default="A", choices=list(LETTERS), help="letter for unparseable predictions")
    parser.add_argument("--strict", action="store_true", help="any bad line in the inputs is an error; nothing written")
    add_model_arguments(parser)
    args = parser.parse_args()
    if bool(args.model) == bool(args.predictions):
        parser.error("give exactly one of --model or --predictions")
    check_model_arguments(parser, args)
    records = load_problems(args.test, unlabelled=True, strict=args.strict, report=err)
    if args.predictions:
        predicted = load_predictions(args.predictions, records, report=err, strict=args.strict, role="test")
    else:
        model, prompter = open_model(args)
        items, _, _, votes = answer(args, model, prompter, records)
        predicted = {item.key: vote.letter for item, vote in zip(items, votes)}
    filled = 0
    for record in records:
        for index, question in enumerate(record["questions"]):
            letter = predicted.get((record["id"], index))
            if letter is None:
                letter = args.fallback
            else:
                filled += 1
            question["answer"] = letter
    total = sum(len(r["questions"]) for r in records)
    write_jsonl(args.out, records)
    print(f"submission: {plural(len(records), 'problem')}, {plural(total, 'sub-question')} "
          f"({total - filled} without an answer, given {args.fallback}) -> {args.out}")
    if args.baseline:
        options = option_counts(records)
        baseline = read_answers(args.baseline, list(options), options, args.strict, err, role="test")
        result = similarity(records, baseline)
        report_unanswered(baseline, result["skipped_keys"], err, "not compared")
        skipped = f"; {result['skipped']} without a letter in the baseline, skipped" if result["skipped"] else ""
        print(f"similarity to {args.baseline}: {result['similarity']:.2%} "
              f"({result['same']}/{result['common']} sub-questions{skipped})")
    return 0


if __name__ == "__main__":
    run(main)
