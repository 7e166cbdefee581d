"""Score predictions against gold answers.

Usage: python tools/evaluate.py --pred P --gold G.jsonl [--json] [--out METRICS.json]

P is a competition-format JSONL (answers filled) or LLaMA-Factory's
generated_predictions.jsonl made from G exported in order (answers extracted
from free text: the LAST "答案是：X" / "Answer: X", else a lone letter;
unparseable counts as wrong and is counted separately). Prints sub-question
accuracy, the per-problem all-correct rate, and breakdowns by option count and
answer letter (and by family/difficulty when G carries them).
"""

from __future__ import annotations

import argparse
import json

from lrkit.cli import err, run
from lrkit.metrics import load_predictions, score
from lrkit.records import load_problems, write_json


def format_metrics(m: dict) -> str:
    lines = [
        f"accuracy {m['accuracy']:.2%} ({m['correct']}/{m['subquestions']} sub-questions); "
        f"all-correct problems {m['problem_accuracy']:.2%} ({m['problems_all_correct']}/{m['problems']}); "
        f"unparseable {m['unparseable']}, missing {m['missing']}"
    ]
    for title, key in (("options", "by_options"), ("gold letter", "by_answer_letter"), ("family", "by_family"), ("difficulty", "by_difficulty")):
        if key in m:
            cells = ", ".join(f"{k}: {v['accuracy']:.0%} of {v['n']}" for k, v in m[key].items())
            lines.append(f"  by {title}: {cells}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pred", required=True, help="predictions: competition JSONL or generated_predictions.jsonl")
    parser.add_argument("--gold", required=True, help="gold competition-format JSONL")
    parser.add_argument("--json", action="store_true", help="print metrics as JSON")
    parser.add_argument("--out", help="also write the metrics JSON here")
    args = parser.parse_args()
    gold = load_problems(args.gold, report=err)
    predicted = load_predictions(args.pred, gold, report=err)
    metrics = score(gold, predicted)
    if args.out:
        write_json(args.out, metrics)
    print(json.dumps(metrics, ensure_ascii=False, indent=2) if args.json else format_metrics(metrics))
    return 0


if __name__ == "__main__":
    run(main)
