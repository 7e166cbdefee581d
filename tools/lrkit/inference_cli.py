"""Command-line options and the answer-everything step shared by ``tools/evaluate.py`` and ``tools/submit.py``."""

from __future__ import annotations

import argparse

from .cli import err
from .inference import (Prompter, generate_answers, generate_answers_vllm, guess_template, load_model, load_tokenizer,
                        open_vllm, rate, score_letters, score_permuted, use_adapter)
from .prompts import DEFAULT_PROMPT
from .voting import Vote, combine


def add_model_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("model (answer with a model instead of reading predictions)")
    group.add_argument("--model", help="hub id or local folder of the base (or merged) model")
    group.add_argument("--adapter", action="append", default=[], help="LoRA adapter folder; repeat to vote over several")
    group.add_argument("--backend", choices=("scoring", "generate", "vllm"), default="scoring",
                       help="scoring: one forward pass, logits over the valid letters (default); generate: free text "
                            "(transformers); vllm: free text through a vLLM engine (CUDA GPU, vllm installed)")
    group.add_argument("--template", help="LLaMA-Factory template name, as in the training recipe (default: from the model name)")
    group.add_argument("--system", help="system prompt, as the recipe's default_system (default: the template's)")
    group.add_argument("--prompt", default=str(DEFAULT_PROMPT), help="jinja2 prompt file used at export (default: %(default)s)")
    group.add_argument("--batch-size", type=int, default=16, help="rows per forward pass (default 16)")
    group.add_argument("--max-tokens", type=int, default=16384, help="padded tokens per scoring batch: bounds memory (default 16384)")
    group.add_argument("--no-share", action="store_true", help="scoring without prefix sharing (the plain reference computation)")
    group.add_argument("--permute-options", action="store_true",
                       help="scoring: score every sub-question under each cyclic order of its options (every option in "
                            "every position once; options such as 以上都不对 stay put) and average the letter "
                            "probabilities back: cancels the model's position bias, costs one pass per option")
    group.add_argument("--samples", type=int, default=1, help="generate: sampled generations per sub-question (1 = greedy)")
    group.add_argument("--temperature", type=float, default=0.7)
    group.add_argument("--max-new-tokens", type=int, default=256, help="generate: tokens per answer (default 256)")
    group.add_argument("--seed", type=int, default=0, help="generate: sampling seed")
    group.add_argument("--dtype", default="auto", help="float32, bfloat16 or auto (float32 on CPU, bfloat16 on CUDA)")
    group.add_argument("--gpu-memory", type=float, default=0.5,
                       help="vllm: fraction of the GPU's memory the engine may take (default %(default)s)")


def check_model_arguments(parser: argparse.ArgumentParser, args) -> None:
    if args.batch_size < 1 or args.samples < 1 or args.max_tokens < 1:
        parser.error("--batch-size, --samples and --max-tokens must be positive")
    if args.samples > 1 and args.backend == "scoring":
        parser.error("--samples needs --backend generate or vllm (scoring is deterministic)")
    if args.permute_options and args.backend != "scoring":
        parser.error("--permute-options averages letter scores: use it with --backend scoring")
    if not 0 < args.gpu_memory <= 1:
        parser.error("--gpu-memory must be a fraction in (0, 1]")


def open_model(args, adapters=None):
    """Model, tokenizer and prompter from the parsed options (adapters default to ``--adapter``)."""
    adapters = args.adapter if adapters is None else adapters
    template = args.template or guess_template(args.model)
    tokenizer = load_tokenizer(args.model)
    prompter = Prompter(tokenizer, template, args.prompt, args.system)  # a bad template fails before the model loads
    if args.backend == "vllm":
        model, where = open_vllm(args.model, adapters, args.gpu_memory, seed=args.seed), "vllm bfloat16"
    else:
        model = load_model(args.model, adapters, args.dtype, tokenizer=tokenizer)[0]
        where = f"{next(model.parameters()).device} {next(model.parameters()).dtype}"
    err(f"model {args.model}" + (f" + adapters {', '.join(adapters)}" if adapters else "")
        + f" | template {template} | prompt {args.prompt} | {where} | backend {args.backend}")
    return model, prompter


def answer(args, model, prompter, records, n_adapters: int | None = None):
    """Every voter's answers (one per adapter × sample), the voters' names, and the majority ``Vote`` per sub-question."""
    n_adapters = len(args.adapter) if n_adapters is None else n_adapters
    items = prompter.items(records)
    voters, names = [], []
    for a in range(max(n_adapters, 1)):
        label = f"adapter {args.adapter[a]}" if n_adapters else "model"
        if n_adapters > 1 and args.backend != "vllm":
            use_adapter(model, a)
        if args.backend == "scoring":
            if args.permute_options:
                answers, seconds = score_permuted(model, prompter, records, args.batch_size, args.max_tokens,
                                                  not args.no_share)
            else:
                answers, seconds = score_letters(model, prompter, items, args.batch_size, args.max_tokens,
                                                 not args.no_share)
            voters.append(answers)
            names.append(label)
        else:
            if args.backend == "vllm":
                per_item, seconds, _ = generate_answers_vllm(model, prompter, items, args.adapter[a] if n_adapters else None,
                                                             a, args.max_new_tokens, args.samples, args.temperature,
                                                             seed=args.seed)
            else:
                per_item, seconds = generate_answers(model, prompter, items, args.batch_size, args.max_new_tokens,
                                                     args.samples, args.temperature, seed=args.seed)
            voters.extend([row[s] for row in per_item] for s in range(args.samples))
            names.extend(f"{label} sample {s + 1}" if args.samples > 1 else label for s in range(args.samples))
        err(f"{args.backend} ({label}): {rate(len(items), seconds)}")
    votes: list[Vote] = combine(voters)
    return items, voters, names, votes
