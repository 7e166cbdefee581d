"""Cross-validate a training recipe on the real problems, by problem, through llamafactory-cli and evaluate.py.

Usage: python tools/crossval.py --recipe configs/lora_1.5b.yaml [--data REAL.jsonl] [--folds 5] [--work DIR]
              [--model PATH] [--train-args "k=v ..."] [--pretrain GEN.jsonl [--pretrain-args "k=v ..."]]
              [--no-train] [--heldout GEN_HELDOUT.jsonl] [--parallel N] [--out RESULTS.json]
              [--train-permutations K] [--permute-eval] [--mix GEN.jsonl] [--only-folds 2,3,4]

Every problem lands in one test fold, so every real sub-question is scored once by a model that never saw its
problem (letter scoring, tools/evaluate.py --backend scoring). Results JSON: accuracy over all sub-questions
with a 95% interval (bootstrap over problems), per family (keyword classifier), per option count, per gold
letter, the letters answered, each fold's accuracy and times, and with --heldout each fold model's accuracy on
those problems plus the majority vote of the k fold adapters.

  --no-train          the model as it is (zero-shot; with --pretrain: the pre-trained model), on every problem
  --pretrain FILE     train once on FILE (e.g. generated problems; one holding a real problem is refused), then each fold
                      continues from it (LoRA: the same adapter; full: the weights); shared via --pretrain-out
  --mix FILE          add FILE's problems (e.g. generated) to every fold's training set: generated + real in one
                      stage, shuffled together (no real problem may be in FILE; --train-permutations K up-samples
                      only the real ones)
  --parallel N        folds trained side by side (one large GPU runs several small-model trainings at once)
  --train-permutations K   train each fold on its problems plus K-1 copies with the options shuffled (options
                      such as 以上都不对 stay put); pair K copies with num_train_epochs=3/K for the same steps
  --permute-eval      also score each fold model with evaluate.py --permute-options (every option in every position
                      once, letter probabilities averaged back); those results go to OUT's sibling *_permuted.json

Re-running skips every fold and pre-training whose inputs and arguments are unchanged (stamps in WORK).
"""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

from lrkit.cli import err, run
from lrkit import SHARED_DATA
from lrkit.crossval import Plan, run as crossval
from lrkit.prompts import DEFAULT_PROMPT
from lrkit.records import write_json



def _permuted_path(out: Path) -> Path:
    return out.with_name(f"{out.stem}_permuted.json")


def write_results(results: dict, out: Path, note: str = "") -> dict | None:
    """OUT, and with --permute-eval OUT_permuted.json (the same format); the permuted results, or None."""
    results = dict(results)
    permuted = results.pop("permuted", None)
    write_json(out, results)
    if permuted is not None:
        write_json(_permuted_path(out), {**permuted, "config": {**results["config"], "permute_options": True}})
    if note:
        err(f"[crossval] results so far -> {out} {note}")
    return permuted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipe", required=True, help="LLaMA-Factory training recipe (configs/*.yaml)")
    parser.add_argument("--data", default=str(SHARED_DATA), help="labelled competition JSONL (default %(default)s)")
    parser.add_argument("--folds", type=int, default=5, help="folds (default 5)")
    parser.add_argument("--seed", type=int, default=42, help="fold assignment seed (default 42)")
    parser.add_argument("--work", help="folds, logs, adapters (default data/work/crossval/RECIPE); runs of one "
                        "configuration may share it: each fold is claimed while it runs, never trained twice")
    parser.add_argument("--out", help="results JSON (default WORK/results.json)")
    parser.add_argument("--model", help="base model, hub id or local path (default: the recipe's)")
    parser.add_argument("--train-args", default="", help='LLaMA-Factory overrides for every fold, e.g. "learning_rate=1e-4"')
    parser.add_argument("--pretrain", help="competition-format data to train on once, before the folds")
    parser.add_argument("--pretrain-args", default="", help="LLaMA-Factory overrides for the pre-training")
    parser.add_argument("--pretrain-out", help="the pre-training's output folder (default WORK/pretrain; share it between runs)")
    parser.add_argument("--mix", help="competition-format problems (e.g. generated) added to every fold's training set, "
                                      "in one stage with its real problems; none may be a problem of --data")
    parser.add_argument("--no-train", action="store_true", help="no fold training: score the model on every problem")
    parser.add_argument("--heldout", help="labelled problems no fold trains on (held-out generated problems)")
    parser.add_argument("--parallel", type=int, default=1, help="folds at once (default 1)")
    parser.add_argument("--prompt", default=str(DEFAULT_PROMPT), help="jinja2 prompt for export and scoring")
    parser.add_argument("--batch-size", type=int, default=16, help="evaluation rows per forward pass (default 16)")
    parser.add_argument("--eval-args", default="", help='extra tools/evaluate.py options, e.g. "--dtype float32"')
    parser.add_argument("--train-permutations", type=int, default=1,
                        help="fold training data: the problems + K-1 option-shuffled copies (default 1: as they are)")
    parser.add_argument("--permute-eval", action="store_true",
                        help="also score with --permute-options; writes OUT_permuted.json (same format)")
    parser.add_argument("--bootstrap", type=int, default=2000, help="bootstrap resamples for the interval (default 2000)")
    parser.add_argument("--only-folds", help="run only these folds, e.g. 2,3,4 (the rest of a run cut off earlier); the "
                        "results cover their problems alone: benchmarks/crossval/combine.py joins the parts")
    args = parser.parse_args()
    only_folds = None
    if args.only_folds is not None:
        try:
            only_folds = [int(k) for k in args.only_folds.split(",")]
        except ValueError:
            parser.error(f"--only-folds {args.only_folds!r}: give fold numbers separated by commas, e.g. 2,3,4")
    if args.folds < 2:
        parser.error("--folds must be at least 2")
    if args.parallel < 1 or args.train_permutations < 1:
        parser.error("--parallel and --train-permutations must be at least 1")
    if args.mix and args.no_train:
        parser.error("--mix shapes the fold training: not with --no-train")
    if args.train_permutations > 1 and args.no_train:
        parser.error("--train-permutations shapes the fold training: not with --no-train")
    recipe = Path(args.recipe)
    work = Path(args.work) if args.work else Path("data/work/crossval") / recipe.stem
    plan = Plan(
        recipe=recipe, data=Path(args.data), work=work, folds=args.folds, seed=args.seed, model=args.model,
        train_args=shlex.split(args.train_args), pretrain=Path(args.pretrain) if args.pretrain else None,
        pretrain_args=shlex.split(args.pretrain_args), pretrain_out=Path(args.pretrain_out) if args.pretrain_out else None,
        mix=Path(args.mix) if args.mix else None,
        no_train=args.no_train, heldout=Path(args.heldout) if args.heldout else None, parallel=args.parallel,
        prompt=Path(args.prompt), batch_size=args.batch_size, eval_args=shlex.split(args.eval_args),
        permute_eval=args.permute_eval, train_permutations=args.train_permutations, bootstrap=args.bootstrap, log=err,
        only_folds=only_folds,
    )
    out = Path(args.out) if args.out else work / "results.json"
    # The results are written as soon as every fold is in, and again with the held-out vote, the last step.
    plan.on_folds = lambda results: write_results(results, out, "(held-out vote still to come)")
    results = crossval(plan)
    permuted = write_results(results, out)
    if permuted is not None:
        print(f"with --permute-options: {permuted['accuracy']:.2%} -> {_permuted_path(out)}")
    lo, hi = results["ci95"]
    print(f"cross-validated accuracy {results['accuracy']:.2%} (95% interval {lo:.1%}-{hi:.1%}) on "
          f"{results['subquestions']} sub-questions of {results['problems']} problems -> {out}")
    if "heldout" in results:
        h = results["heldout"]
        print(f"held-out problems: fold models {h['fold_accuracy_mean']:.2%} on average"
              + (f", their vote {h['vote_accuracy']:.2%}" if "vote_accuracy" in h else ""))
    return 0


if __name__ == "__main__":
    run(main)
