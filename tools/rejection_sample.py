"""Sample chains of thought from a model on labelled (generated) problems and keep the ones that reach the exact
answer: worked solutions written by the model itself (issue 13, lever 3: rejection-sampled reasoning).

Usage: python tools/rejection_sample.py --model M [--adapter A] --data POOL.jsonl --out CHAINS.jsonl
              [--backend generate|vllm] [--samples 4] [--temperature 0.7] [--max-new-tokens 512] [--chunk 64]

Every sub-question of POOL is answered --samples times (sampled at --temperature; the prompt asks for reasoning and
a last line 答案是：X); a chain whose letter is the gold one is right, and the first right chain's reasoning (the text
before its answer line) becomes the sub-question's `solution`. OUT keeps the problems with at least one right
chain, only those sub-questions, in POOL's order: competition format, so `tools/export_alpaca.py` and
`tools/crossval.py --pretrain OUT` train on the chains as on `tools/generate.py --solutions`. The counts (chains,
right chains, sub-questions kept) and the per-family keep rate go to stderr.

Long runs are resumable: each --chunk of problems is journalled in OUT.journal once sampled, and a re-run with the
same settings samples only what is missing (changed settings sample again). The vllm backend needs a CUDA GPU and
vllm (benchmarks/gpu/README.md); generate runs anywhere (slowly on a CPU).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter

from lrkit.cli import err, run
from lrkit.inference_cli import add_model_arguments, answer, check_model_arguments, open_model
from lrkit.llm.runner import Journal, journal_path
from lrkit.records import DataError, load_problems, plural, write_jsonl
from lrkit.rejection import accept
from lrkit.selection import family_table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="labelled competition-format problems (e.g. tools/generate.py)")
    parser.add_argument("--out", required=True, help="the problems with right chains, chains as solutions")
    parser.add_argument("--chunk", type=int, default=64, help="problems per journalled chunk (default %(default)s)")
    parser.add_argument("--strict", action="store_true", help="any bad line in --data aborts; nothing is written")
    add_model_arguments(parser)
    parser.set_defaults(backend="generate", samples=4, max_new_tokens=512)
    args = parser.parse_args()
    check_model_arguments(parser, args)
    if not args.model:
        parser.error("--model is required")
    if args.backend == "scoring":
        parser.error("--backend scoring gives letters, not chains: use generate or vllm")
    if args.chunk < 1:
        parser.error("--chunk must be positive")
    records = load_problems(args.data, strict=args.strict, report=err)
    if not records:
        raise DataError(f"{args.data}: no problems")
    settings = json.dumps({k: getattr(args, k) for k in ("model", "adapter", "backend", "template", "system", "prompt",
                                                          "samples", "temperature", "max_new_tokens", "seed")},
                          sort_keys=True)
    chunks = [records[i: i + args.chunk] for i in range(0, len(records), args.chunk)]
    keys = [hashlib.sha256((settings + json.dumps([r["id"] for r in chunk])).encode()).hexdigest()[:16] for chunk in chunks]
    journal = Journal(journal_path(args.out))
    todo = [k for k, key in enumerate(keys) if key not in journal.entries]
    err(f"rejection_sample: {plural(len(records), 'problem')} in {len(chunks)} chunk(s), "
        f"{len(chunks) - len(todo)} already sampled (journal {journal.path})")
    if todo:
        model, prompter = open_model(args)
        for n, k in enumerate(todo, 1):
            err(f"chunk {n}/{len(todo)} ({len(chunks[k])} problems)")
            items, voters, _, _ = answer(args, model, prompter, chunks[k])
            kept, counts = accept(chunks[k], items, voters)
            journal.append({"job": keys[k], "rows": kept, "counts": dict(counts)})
    journal.close()
    kept = [row for key in keys for row in journal.entries[key]["rows"]]
    counts = sum((Counter(journal.entries[key]["counts"]) for key in keys), Counter())
    for line in family_table({"problems": records, "kept": kept}):
        err(line)
    write_jsonl(args.out, kept)
    print(f"{args.data}: {counts['right_chains']} of {counts['chains']} chains right; "
          f"{counts['kept_subquestions']} of {counts['subquestions']} sub-questions and "
          f"{counts['kept_problems']} of {len(records)} problems kept -> {args.out}")
    return 0


if __name__ == "__main__":
    run(main)
