"""Generation speed of the 1.5B model (issue 14, part 2): vLLM against transformers `generate`, same prompts.

Usage: python benchmarks/gpu/generation.py --model models/qwen2.5-coder-1.5b-instruct
              [--data ../shared/data/round1_train_data.jsonl] [--prompt prompts/seed_zh.j2] [--max-new-tokens 512]
              [--compare 128] [--hf-batch 128] [--noise-floor-batch 8] [--dtype bfloat16]
              [--samples 4 --sampled 256] [--gpu-memory 0.5] [--out RESULTS.json]

Zero-shot chain of thought over every sub-question of --data (the seed's prompt asks for step-by-step reasoning
and a last line "答案是：X"), greedy, through lrkit's two generation engines fed the same prompt token ids and
stop tokens: transformers `generate` (tools/evaluate.py --backend generate: bf16 weights, left padding,
length-sorted batches of --hf-batch) on the first --compare sub-questions, then vLLM (--backend vllm) on all of
them. Reports generated tokens/s of each, accuracy and the unparsed rate, and on the compared sub-questions how
many answers (letters) and whole texts agree between the engines at greedy decoding. With --samples K, vLLM also
samples K chains per sub-question on the first --sampled (temperature 0.7): the rejection-sampling workload.
With --noise-floor-batch N transformers answers the compared sub-questions again at batch N: how often it disagrees
with itself (bf16 rounding differs between batchings), the reference for the engines' agreement; --dtype float32
runs both engines without bf16 rounding.
Tokens of the transformers path are counted by re-tokenizing each answer's text plus its stop token.
Needs a CUDA GPU and vllm (benchmarks/gpu/README.md, "vLLM on the device").
"""

from __future__ import annotations

import argparse
import gc
import time

from lrkit import cli
from lrkit import SHARED_DATA
from lrkit.inference import (Prompter, generate_answers, generate_answers_vllm, guess_template, load_model,
                             load_tokenizer, open_vllm)
from lrkit.metrics import answer_map
from lrkit.prompts import DEFAULT_PROMPT
from lrkit.records import load_problems, write_json


def accuracy(items, answers, gold) -> dict:
    letters = [row[0].letter for row in answers]
    correct = sum(letter == gold[item.key] for item, letter in zip(items, letters))
    unparsed = sum(letter is None for letter in letters)
    return {"n": len(items), "accuracy": round(correct / len(items), 4), "unparsed": unparsed}


def agreement(reference, answers) -> dict:
    """How many of ``reference``'s answers ``answers`` repeats: the same letter, the same whole text."""
    pairs = list(zip(reference, answers))
    return {"n": len(pairs), "same_letter": sum(a[0].letter == b[0].letter for a, b in pairs),
            "same_text": sum(a[0].text.strip() == b[0].text.strip() for a, b in pairs)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="hub id or local folder")
    parser.add_argument("--data", default=str(SHARED_DATA), help="labelled competition JSONL (default %(default)s)")
    parser.add_argument("--prompt", default=str(DEFAULT_PROMPT), help="jinja2 prompt (default %(default)s)")
    parser.add_argument("--template", help="LLaMA-Factory template (default: from the model name)")
    parser.add_argument("--max-new-tokens", type=int, default=512)
    parser.add_argument("--compare", type=int, default=128, help="sub-questions also answered by transformers (0: none)")
    parser.add_argument("--hf-batch", type=int, default=128, help="transformers generate batch (default %(default)s)")
    parser.add_argument("--samples", type=int, default=0, help="vLLM sampled chains per sub-question (0: none)")
    parser.add_argument("--sampled", type=int, default=256, help="sub-questions sampled with --samples")
    parser.add_argument("--gpu-memory", type=float, default=0.5, help="vLLM's share of the GPU memory")
    parser.add_argument("--dtype", choices=("bfloat16", "float32"), default="bfloat16",
                        help="weights and activations of both engines (float32: the agreement check without bf16 rounding)")
    parser.add_argument("--noise-floor-batch", type=int, default=0,
                        help="also answer the compared sub-questions with transformers at this batch size: how often "
                             "transformers disagrees with itself, the reference for vLLM's agreement (0: no)")
    parser.add_argument("--out", help="results JSON")
    args = parser.parse_args()

    records = load_problems(args.data, report=cli.err)
    gold = answer_map(records)
    tokenizer = load_tokenizer(args.model)
    prompter = Prompter(tokenizer, args.template or guess_template(args.model), args.prompt)
    items = prompter.items(records)
    stop = prompter.template.get_stop_token_ids(tokenizer)
    results: dict = {"model": args.model, "data": args.data, "prompt": args.prompt, "sub_questions": len(items),
                     "max_new_tokens": args.max_new_tokens, "prompt_tokens": sum(len(i.prompt_ids) for i in items)}
    sample = items[: args.compare]

    hf_answers = None
    if sample:
        import torch

        model = load_model(args.model, dtype=args.dtype)[0]
        hf_answers, seconds = generate_answers(model, prompter, sample, args.hf_batch, args.max_new_tokens)
        tokens = sum(len(tokenizer(row[0].text, add_special_tokens=False).input_ids) + 1 for row in hf_answers)
        results["transformers"] = {"batch": args.hf_batch, "seconds": round(seconds, 2), "generated_tokens": tokens,
                                   "tokens_per_s": round(tokens / seconds, 1), **accuracy(sample, hf_answers, gold)}
        cli.err(f"transformers: {tokens} tokens in {seconds:.1f} s = {tokens / seconds:.0f} tokens/s")
        if args.noise_floor_batch:
            other, _ = generate_answers(model, prompter, sample, args.noise_floor_batch, args.max_new_tokens)
            results["transformers_noise_floor"] = {"batch": args.noise_floor_batch, **agreement(hf_answers, other)}
            cli.err(f"transformers at batch {args.hf_batch} vs {args.noise_floor_batch}: "
                    f"{results['transformers_noise_floor']}")
        del model
        gc.collect()
        torch.cuda.empty_cache()

    start = time.perf_counter()
    llm = open_vllm(args.model, gpu_memory_utilization=args.gpu_memory, max_model_len=4096, dtype=args.dtype)
    results["vllm_start_s"] = round(time.perf_counter() - start, 1)
    answers, seconds, tokens = generate_answers_vllm(llm, prompter, items, max_new_tokens=args.max_new_tokens)
    results["vllm"] = {"seconds": round(seconds, 2), "generated_tokens": tokens, "tokens_per_s": round(tokens / seconds, 1),
                       **accuracy(items, answers, gold)}
    cli.err(f"vllm: {tokens} tokens in {seconds:.1f} s = {tokens / seconds:.0f} tokens/s "
            f"(engine start {results['vllm_start_s']} s)")
    if hf_answers:
        results["agreement"] = {**agreement(hf_answers, answers), "vllm_on_sample": accuracy(sample, answers[: len(sample)], gold)}
        cli.err(f"greedy agreement on {len(sample)}: letters {results['agreement']['same_letter']}, "
                f"whole texts {results['agreement']['same_text']}")
    if args.samples:
        subset = items[: args.sampled]
        sampled, seconds, tokens = generate_answers_vllm(llm, prompter, subset, max_new_tokens=args.max_new_tokens,
                                                         samples=args.samples)
        right = [sum(a.letter == gold[item.key] for a in row) for item, row in zip(subset, sampled)]
        results["vllm_sampled"] = {"n": len(subset), "samples": args.samples, "seconds": round(seconds, 2),
                                   "generated_tokens": tokens, "tokens_per_s": round(tokens / seconds, 1),
                                   "chain_accuracy": round(sum(right) / (len(subset) * args.samples), 4),
                                   "questions_with_a_right_chain": sum(r > 0 for r in right)}
        cli.err(f"vllm sampled: {tokens} tokens in {seconds:.1f} s = {tokens / seconds:.0f} tokens/s")
    results["stop_token_ids"] = stop
    print(results)
    if args.out:
        write_json(args.out, results)
    return 0


if __name__ == "__main__":
    cli.run(main)
