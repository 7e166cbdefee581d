"""Score predictions against gold answers, or answer the gold's questions with a model and score that.

Usage: python tools/evaluate.py --pred P --gold G.jsonl [--json] [--out METRICS.json] [--report DIR]
       python tools/evaluate.py --model PATH [--adapter A ...] --gold G.jsonl --backend scoring|generate|vllm
              [--template NAME --prompt FILE --batch-size N] [--vote] [--samples K] [--report DIR]
       python tools/evaluate.py --model BASE --adapter A --gold G.jsonl --parity MERGED [--parity-n 64]

P is a competition-format JSONL (answers filled; only id and questions[].answer are needed) or
LLaMA-Factory's generated_predictions.jsonl made from G exported in order (answers extracted from
free text: the LAST "答案是：X" / "Answer: X", else a lone letter). Letters are case-insensitive
("b" is B). A sub-question without a usable letter (missing, unparseable, a letter outside its
options) counts as wrong and is counted separately; each one is named on stderr with FILE:LINE
and the reason (the first 20, then "... and N more").

Bad lines in G or P (not JSON, not a record) are reported as FILE:LINE and skipped, with a summary
line "skipped N bad line(s)" on stderr; the exit code stays 0. With --strict any bad line is an
error: exit 1, nothing written.

With --model the questions are answered by the model: the scoring backend reads the logits of
the answer letter after "答案是：" (one forward pass per sub-question, problem text shared across
its sub-questions); the generation backends write free text and the letter is extracted (generate:
transformers, any machine; vllm: a vLLM engine on a CUDA GPU, same prompts and stop tokens). Prompts
are LLaMA-Factory's template (--template, as in the training recipe) around the prompt file
(--prompt, as given to tools/export_alpaca.py), so they are the tokens the model was trained on.

--permute-options (scoring) scores each sub-question under every cyclic order of its options and averages the
letter probabilities back onto the options (lrkit/permute.py): the position bias cancels.

--vote answers with every --adapter (and every --samples generation) and takes the majority
(tie-break: summed letter probability, then the earliest voter; see lrkit/voting.py); each
voter's accuracy and the per-question agreement are reported. --parity compares the adapter
with the merged model (llamafactory-cli export) on the first N sub-questions, scoring backend,
and lists every disagreement. --report DIR writes report.html with PNG charts.

Prints sub-question accuracy, the per-problem all-correct rate, and breakdowns by option count
and answer letter (and by family/difficulty when G carries them).
"""

from __future__ import annotations

import argparse
import json

from lrkit.cli import err, run
from lrkit.inference_cli import add_model_arguments, answer, check_model_arguments, open_model
from lrkit.metrics import load_predictions, score
from lrkit.records import DataError, iter_subquestions, load_problems, write_json, write_jsonl
from lrkit.voting import agreement_summary, mean_probs


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
    if "voters" in m:
        lines.append("  voters: " + ", ".join(f"{v['name']} {v['accuracy']:.2%}" for v in m["voters"]))
    if "agreement" in m:
        a = m["agreement"]
        levels = ", ".join(
            f"{k}: {v['n']}" + (f" ({v['accuracy']:.0%} right)" if "accuracy" in v else "") for k, v in a["by_agreement"].items()
        )
        lines.append(f"  agreement: mean {a['mean_agreement']:.2f}, unanimous {a['unanimous']}; by level {levels}")
    return "\n".join(lines)


def parity(args, gold: list[dict]) -> int:
    """Adapter vs merged model on the first N sub-questions: every disagreement listed (a report, not a failure:
    a merge saved in bf16 may flip near-tied letters)."""
    from lrkit.inference import score_letters

    if len(args.adapter) != 1:
        raise DataError("--parity needs exactly one --adapter (the one that was merged)")
    if args.backend != "scoring":
        raise DataError("--parity compares letter scores: use it with --backend scoring")
    results = []
    for label, model_path, adapters in (("adapter", args.model, args.adapter), ("merged", args.parity, [])):
        args.model = model_path
        model, prompter = open_model(args, adapters)
        items = prompter.items(gold)[: args.parity_n]
        answers, _ = score_letters(model, prompter, items, args.batch_size, args.max_tokens, not args.no_share)
        results.append(answers)
        del model
    disagreements = [(a, m) for a, m in zip(*results) if a.letter != m.letter]
    drift = max(max(abs(x - y) for x, y in zip(a.probs, m.probs)) for a, m in zip(*results))
    print(f"parity: {len(results[0]) - len(disagreements)}/{len(results[0])} sub-questions agree; "
          f"largest letter-probability difference {drift:.4f}")
    for a, m in disagreements:
        print(f"  {a.key[0]} #{a.key[1] + 1}: adapter {a.letter} ({max(a.probs):.3f}) vs merged {m.letter} ({max(m.probs):.3f})")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pred", help="predictions: competition JSONL or generated_predictions.jsonl")
    parser.add_argument("--gold", required=True, help="gold competition-format JSONL")
    parser.add_argument("--json", action="store_true", help="print metrics as JSON")
    parser.add_argument("--out", help="also write the metrics JSON here")
    parser.add_argument("--save", help="with --model: write the model's answers as a competition-format JSONL")
    parser.add_argument("--report", metavar="DIR", help="write DIR/report.html with PNG charts")
    parser.add_argument("--vote", action="store_true", help="majority over every --adapter and --samples generation")
    parser.add_argument("--parity", metavar="MERGED", help="compare --adapter with this merged model")
    parser.add_argument("--parity-n", type=int, default=64, help="sub-questions compared by --parity (default 64)")
    parser.add_argument("--strict", action="store_true", help="any bad line in G or P is an error; nothing written")
    add_model_arguments(parser)
    args = parser.parse_args()
    if bool(args.pred) == bool(args.model):
        parser.error("give exactly one of --pred or --model")
    check_model_arguments(parser, args)
    if not args.vote and (len(args.adapter) > 1 or args.samples > 1):
        parser.error("several adapters or --samples > 1 need --vote")
    gold = load_problems(args.gold, strict=args.strict, report=err)
    if args.parity:
        return parity(args, gold)
    details, probs = None, {}
    if args.pred:
        predicted = load_predictions(args.pred, gold, report=err, strict=args.strict)
    else:
        model, prompter = open_model(args)
        items, voters, names, votes = answer(args, model, prompter, gold)
        predicted = {item.key: vote.letter for item, vote in zip(items, votes)}
        details = {item.key: {"vote": vote, "text": voters[0][i].text} for i, (item, vote) in enumerate(zip(items, votes))}
        probs = {item.key: mean_probs([v[i].probs for v in voters]) for i, item in enumerate(items)}
    metrics = score(gold, predicted)
    if args.model and len(voters) > 1:
        gold_letters = [q["answer"] for _, _, q in iter_subquestions(gold)]
        metrics["voters"] = [
            {"name": name, "accuracy": round(sum(a.letter == g for a, g in zip(v, gold_letters)) / len(gold_letters), 4)}
            for name, v in zip(names, voters)
        ]
        metrics["agreement"] = agreement_summary(votes, [v.letter == g for v, g in zip(votes, gold_letters)])
    if args.save:
        answered = [{**r, "questions": [{**q, "answer": predicted.get((r["id"], i)),
                                         **({"probs": probs[(r["id"], i)]} if probs.get((r["id"], i)) else {})}
                                        for i, q in enumerate(r["questions"])]} for r in gold]
        write_jsonl(args.save, answered)
    if args.report:
        from lrkit.report import write_report

        path = write_report(args.report, gold, predicted, metrics, details, title=args.model or args.pred)
        err(f"report: {path}")
    if args.out:
        write_json(args.out, metrics)
    print(json.dumps(metrics, ensure_ascii=False, indent=2) if args.json else format_metrics(metrics))
    return 0


if __name__ == "__main__":
    run(main)
