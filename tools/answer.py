"""Answer every sub-question of a file with one model (k samples optional); score it when labelled.

Usage: python tools/answer.py IN.jsonl --out OUT.jsonl --model M [--base-url URL] [--samples K] [--label NAME]

Each sub-question is asked with the seed's prompt (prompts/seed_zh.j2: reasoning, then 答案是：X)
--samples times. OUT is IN with `answers: {LABEL: [letters]}` on every question (null = no usable
answer line; earlier labels are kept, so several models can vote in one file). A labelled IN is
scored (the plurality of the samples against `answer`); an unlabelled IN (a test file) gets the
plurality as its `answer`, ready to submit. Replies without an answer go to OUT's `.rejects.jsonl`.
Interrupt at will: the same command resumes without repeating a finished request.
"""

from __future__ import annotations

import argparse

from lrkit.cli import run
from lrkit.llm.reanswer import answer_jobs, handle_answer, merge_votes, predictions
from lrkit.llm.config import add_client_args, load_config
from lrkit.llm.runner import banner, finished, incomplete, rejects_path, run_jobs
from lrkit.metrics import score
from lrkit.prompts import DEFAULT_PROMPT
from lrkit.records import load_problems, write_json, write_jsonl


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", help="competition-format JSONL (labelled or not)")
    parser.add_argument("--out", required=True, help="output JSONL with the model's answers")
    parser.add_argument("--samples", type=int, default=1, help="answers per sub-question (default 1)")
    parser.add_argument("--label", help="name of this model's votes (default: the model name)")
    parser.add_argument("--prompt", default=str(DEFAULT_PROMPT), help="jinja2 answer prompt (default prompts/seed_zh.j2)")
    parser.add_argument("--summary", metavar="FILE", help="write the accuracy (labelled input) or answer counts as JSON")
    parser.add_argument("--rejects", help="replies without an answer (default OUT.rejects.jsonl)")
    add_client_args(parser)
    args = parser.parse_args()
    config = load_config(args)
    records = load_problems(args.input, unlabelled=True)
    label = args.label or config.model
    params = config.params(temperature=0.0 if args.samples == 1 else 0.7, max_tokens=2048)
    jobs = answer_jobs(records, args.samples, params, args.prompt)
    banner("answer", config, len(jobs), args.out)
    stats, journal = run_jobs(config, jobs, args.out, handle_answer, desc="answer")
    if incomplete(stats, args.out):
        return 2
    rejects = args.rejects or rejects_path(args.out)
    merged = merge_votes(records, finished(jobs, journal, rejects), args.samples, label)
    write_jsonl(args.out, merged)
    print(f"{args.out}: {len(jobs)} answers from {label}, {stats['rejects']} without an answer line ({rejects})")
    gold = [r for r in records if all(q.get("answer") for q in r["questions"])]
    if gold:
        result = score(gold, predictions(merged, label))
        print(f"accuracy {result['accuracy']:.4f} ({result['correct']}/{result['subquestions']}), "
              f"problems all correct {result['problem_accuracy']:.4f}, unparseable {result['unparseable']}")
        if args.summary:
            write_json(args.summary, {"model": label, **result})
    elif args.summary:
        write_json(args.summary, {"model": label, "answers": len(jobs), "rejects": stats["rejects"]})
    return 0


if __name__ == "__main__":
    run(main)
