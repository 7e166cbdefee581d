"""Write a submission: the test records in order with every sub-question's answer filled.

Usage: python tools/submit.py --model PATH [--adapter PATH ...] --test TEST.jsonl --out SUBMIT.jsonl [--baseline B.jsonl]
       python tools/submit.py --predictions generated_predictions.jsonl --test TEST.jsonl --out SUBMIT.jsonl

With --model every sub-question is answered batched through the scoring backend (one forward
pass, logits over the valid letters; --backend generate for free text). Several --adapter are
voted over (majority; tie-break in lrkit/voting.py). With --predictions, LLaMA-Factory's predict
output (made from TEST exported in order by tools/export_alpaca.py) is converted; answers are the
LAST "答案是：X" of each prediction. A sub-question left without a letter (unparseable
prediction) gets --fallback (default A) and is counted. --baseline prints the seed's similarity.
"""

from __future__ import annotations

import argparse

from lrkit.cli import err, run
from lrkit.inference_cli import add_model_arguments, answer, check_model_arguments, open_model
from lrkit.metrics import load_predictions, similarity
from lrkit.records import LETTERS, load_problems, write_jsonl


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--test", required=True, help="test file (competition format, answers absent or ignored)")
    parser.add_argument("--out", required=True, help="submission JSONL to write")
    parser.add_argument("--predictions", help="LLaMA-Factory generated_predictions.jsonl to convert instead of running a model")
    parser.add_argument("--baseline", help="another answer file: print the similarity to it")
    parser.add_argument("--fallback", default="A", choices=list(LETTERS), help="letter for unparseable predictions")
    add_model_arguments(parser)
    args = parser.parse_args()
    if bool(args.model) == bool(args.predictions):
        parser.error("give exactly one of --model or --predictions")
    check_model_arguments(parser, args)
    records = load_problems(args.test, unlabelled=True, report=err)
    if args.predictions:
        predicted = load_predictions(args.predictions, records, report=err)
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
    print(f"submission: {len(records)} problems, {total} sub-questions ({total - filled} without an answer, "
          f"given {args.fallback}) -> {args.out}")
    if args.baseline:
        baseline = load_problems(args.baseline, unlabelled=True, report=err)
        result = similarity(records, baseline)
        print(f"similarity to {args.baseline}: {result['similarity']:.2%} ({result['same']}/{result['common']} sub-questions)")
    return 0


if __name__ == "__main__":
    run(main)
