"""Answering sub-questions with a causal LM: letter scoring (one forward pass) and free-text generation.

Prompts are built by LLaMA-Factory's own template machinery (``get_template_and_fix_tokenizer``
with the recipe's template name, the same prompt file as the Alpaca export), so a model
fine-tuned through LLaMA-Factory is evaluated on exactly the tokens it was trained on.

Scoring backend: the sequence is the training prompt followed by the training response up to
the answer letter (``答案是：``, tokenized as LLaMA-Factory tokenizes the response); the logits
of the next token over the valid letters (only as many as the question has options) pick the
answer. Sub-questions of one problem share their token prefix (system prompt and problem
text): each problem is one unit holding the prefix once and every sub-question's suffix after
it, with a block mask (a suffix sees the prefix and itself, never a sibling) and position ids
that restart after the prefix, so every sub-question gets the same computation as its own
unshared sequence. Units are packed into rows no longer than the longest unit, and the prefix
all of them start with (system prompt and instruction) is held once per row, seen by every
unit of the row and by nothing of one unit from another. Only the hidden state at each
sub-question's last token reaches the LM head.

Generation backend: the training prompt alone; the model writes its reasoning and
``答案是：X``; the LAST answer line is extracted by :mod:`lrkit.extraction`. Two engines: transformers
``generate`` (:func:`generate_answers`, any machine) and vLLM (:func:`generate_answers_vllm`, a CUDA GPU), fed
the same prompt token ids and stop tokens.
"""

from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from .extraction import extract_answer
from .prompts import DEFAULT_PROMPT, answer_line, load_template, render
from .records import LETTERS, DataError, best_letter, iter_subquestions

# LLaMA-Factory template names for model folders whose name says the family; --template overrides.
TEMPLATE_BY_NAME = (("smollm2", "smollm2"), ("smollm", "smollm"), ("qwen", "qwen"), ("llama-3", "llama3"))


def guess_template(model_path: str) -> str:
    """The LLaMA-Factory template for a model by its name, or an error asking for ``--template``."""
    name = Path(str(model_path)).name.lower() or str(model_path).lower()
    for key, template in TEMPLATE_BY_NAME:
        if key in name:
            return template
    raise DataError(f"{model_path}: cannot tell the chat template from the name; pass --template (LLaMA-Factory's name)")


@dataclass
class Item:
    """One sub-question to answer: ``key`` is (problem id, sub-question index)."""

    key: tuple[str, int]
    n_options: int
    prompt_ids: list[int]


@dataclass
class Answer:
    """The model's answer to one sub-question: the letter (None if unparseable), scores or text."""

    key: tuple[str, int]
    letter: str | None
    probs: list[float] | None = None
    text: str | None = None


class Prompter:
    """Token ids of each sub-question's prompt, exactly as LLaMA-Factory builds them for SFT."""

    def __init__(self, tokenizer, template: str, prompt=DEFAULT_PROMPT, system: str | None = None):
        from llamafactory.data import get_template_and_fix_tokenizer
        from llamafactory.hparams import DataArguments

        try:
            self.template = get_template_and_fix_tokenizer(tokenizer, DataArguments(template=template, default_system=system))
        except ValueError as e:
            raise DataError(f"template {template!r}: {e}") from None
        self.tokenizer = tokenizer
        self.jinja = load_template(str(prompt))
        self.answer_prefix_ids, self.letter_ids = self._answer_tokens()

    def _encode(self, instruction: str, response: str) -> tuple[list[int], list[int]]:
        # LLaMA-Factory's Alpaca converter: user turn = instruction (input is empty), assistant turn = output.
        messages = [{"role": "user", "content": instruction}, {"role": "assistant", "content": response}]
        return self.template.encode_oneturn(self.tokenizer, messages)

    def _answer_tokens(self) -> tuple[list[int], list[int]]:
        """Response tokens common to every ``答案是：X`` and the one token per letter that follows them."""
        responses = [self._encode("", answer_line(letter))[1] for letter in LETTERS]
        common = 0
        while all(len(r) > common and r[common] == responses[0][common] for r in responses):
            common += 1
        letter_ids = [r[common] if len(r) > common else -1 for r in responses]
        if len(set(letter_ids)) != len(LETTERS) or -1 in letter_ids:
            raise DataError("the tokenizer does not give each answer letter its own first token after 答案是：")
        return responses[0][:common], letter_ids

    def items(self, records: Iterable[dict]) -> list[Item]:
        items = []
        for record, index, question in iter_subquestions(records):
            instruction = render(self.jinja, record["problem"], question)
            prompt_ids = self._encode(instruction, "")[0]
            items.append(Item((record["id"], index), len(question["options"]), prompt_ids))
        return items


def load_tokenizer(path: str):
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(path)
    except (OSError, ValueError) as e:
        raise DataError(f"{path}: cannot load tokenizer: {e}") from None


def load_model(path: str, adapters: Sequence[str] = (), dtype: str = "auto", device: str | None = None, tokenizer=None):
    """A causal LM from a hub id or local folder, with LoRA adapters loaded by PEFT (named ``a0``, ``a1``...).

    With several adapters the first is active; :func:`use_adapter` switches. ``dtype`` "auto" is
    float32 on CPU (bf16 rounding there flips near-tied letters between batchings: with the default
    model 9% of validation answers differed between shared and plain computation) and bf16 on CUDA.
    """
    import torch
    from transformers import AutoModelForCausalLM

    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    if dtype == "auto":
        torch_dtype = torch.bfloat16 if device.startswith("cuda") else torch.float32
    else:
        torch_dtype = getattr(torch, dtype)
    tokenizer = tokenizer or load_tokenizer(path)
    try:
        model = AutoModelForCausalLM.from_pretrained(path, dtype=torch_dtype, attn_implementation="sdpa")
    except (OSError, ValueError) as e:
        raise DataError(f"{path}: cannot load model: {e}") from None
    if adapters:
        from peft import PeftModel

        for i, adapter in enumerate(adapters):
            try:
                if i == 0:
                    model = PeftModel.from_pretrained(model, adapter, adapter_name="a0")
                else:
                    model.load_adapter(adapter, adapter_name=f"a{i}")
            except (OSError, ValueError) as e:
                raise DataError(f"{adapter}: cannot load adapter: {e}") from None
        model.set_adapter("a0")
    model.to(device).eval()
    return model, tokenizer


def use_adapter(model, index: int) -> None:
    model.set_adapter(f"a{index}")


def _parts(model):
    """The decoder stack and the LM head of a causal LM, PEFT-wrapped or not."""
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    return base.get_decoder(), base.get_output_embeddings()


def _common_prefix(seqs: list[list[int]]) -> int:
    n = min(len(s) for s in seqs) - 1  # every sub-question keeps at least its last token
    first = seqs[0]
    i = 0
    while i < n and all(s[i] == first[i] for s in seqs):
        i += 1
    return i


def _units(items: list[Item], share_prefix: bool) -> list[tuple[list[int], list[list[int]], list[int]]]:
    """Rows to run: (shared prefix ids, suffix ids per sub-question, item indices).

    With sharing, the sub-questions of one problem (consecutive items with the same id) make
    one unit; without, every sub-question is its own unit.
    """
    groups: list[list[int]] = []
    for i, item in enumerate(items):
        if share_prefix and groups and items[groups[-1][0]].key[0] == item.key[0]:
            groups[-1].append(i)
        else:
            groups.append([i])
    units = []
    for group in groups:
        seqs = [items[i].prompt_ids for i in group]
        p = _common_prefix(seqs)
        units.append((seqs[0][:p], [s[p:] for s in seqs], group))
    return units


def _rows(units):
    """Units packed into rows (shared-prefix scoring): first fit, longest unit first, each row at most as long as the
    longest unit. The prefix every unit starts with (the system prompt and the instruction) is held once per row.

    A row is (row prefix ids, [(unit prefix ids after the row prefix, suffix ids per sub-question, item indices)]).
    """
    shared, g, n = units[0][0], 0, min(len(p) for p, _, _ in units)
    while g < n and all(p[g] == shared[g] for p, _, _ in units):
        g += 1
    shared = shared[:g]
    cost = [_unit_length(u) - g for u in units]
    width, shortest = g + max(cost), min(cost)
    rows: list[list] = []  # [tokens, [units]]
    open_rows: list[list] = []  # rows with room for at least the shortest unit
    for i in sorted(range(len(units)), key=lambda i: -cost[i]):
        prefix, suffixes, members = units[i]
        unit = (prefix[g:], suffixes, members)
        row = next((row for row in open_rows if row[0] + cost[i] <= width), None)
        if row is None:
            row = [g, []]
            rows.append(row)
            open_rows.append(row)
        row[0] += cost[i]
        row[1].append(unit)
        if width - row[0] < shortest:
            open_rows.remove(row)
    return [(shared, packed) for _, packed in rows]


def _unit_length(unit) -> int:
    return len(unit[0]) + sum(map(len, unit[1]))


def _row_length(row) -> int:
    return len(row[0]) + sum(map(_unit_length, row[1]))


def _batches(rows, batch_size: int, max_tokens: int, length_of=_unit_length):
    """Rows sorted longest first, cut into batches of at most ``batch_size`` rows and ``max_tokens`` padded tokens."""
    order = sorted(rows, key=lambda r: -length_of(r))
    batch: list = []
    width = 0
    for row in order:
        length = length_of(row)
        if batch and (len(batch) + 1 > batch_size or (len(batch) + 1) * max(width, length) > max_tokens):
            yield batch
            batch, width = [], 0
        batch.append(row)
        width = max(width, length)
    if batch:
        yield batch


def _forward_rows(model, batch, device):
    """Hidden states at the last token of every suffix of every unit in ``batch`` (block-masked packed rows).

    Token roles: the row prefix (seen by every later token of the row), a unit's own prefix (seen by that unit's
    tokens), a suffix (seen by itself only). Positions restart for each unit and each suffix where the unshared
    sequence would have them, so every sub-question gets its unshared computation.
    """
    import torch

    width = max(_row_length(row) for row in batch)
    rows = len(batch)
    input_ids = torch.zeros(rows, width, dtype=torch.long)
    position_ids = torch.zeros(rows, width, dtype=torch.long)
    unit = torch.full((rows, width), -2, dtype=torch.long)  # -2 padding, -1 row prefix, u >= 0 unit u of its row
    segment = torch.zeros((rows, width), dtype=torch.long)  # 0 prefix, k > 0 suffix k of its unit
    reads: list[tuple[int, int, int]] = []  # (row, position, item index)
    for r, (shared, packed) in enumerate(batch):
        g = len(shared)
        input_ids[r, :g] = torch.tensor(shared, dtype=torch.long)
        position_ids[r, :g] = torch.arange(g)
        unit[r, :g] = -1
        at = g
        for u, (prefix, suffixes, members) in enumerate(packed):
            p = len(prefix)
            input_ids[r, at : at + p] = torch.tensor(prefix, dtype=torch.long)
            position_ids[r, at : at + p] = torch.arange(g, g + p)
            unit[r, at : at + p] = u
            at += p
            for k, (suffix, item) in enumerate(zip(suffixes, members), start=1):
                n = len(suffix)
                input_ids[r, at : at + n] = torch.tensor(suffix, dtype=torch.long)
                position_ids[r, at : at + n] = torch.arange(g + p, g + p + n)
                unit[r, at : at + n] = u
                segment[r, at : at + n] = k
                at += n
                reads.append((r, at - 1, item))
    unit, segment = unit.to(device), segment.to(device)
    qu, ku = unit.unsqueeze(2), unit.unsqueeze(1)
    qs, ks = segment.unsqueeze(2), segment.unsqueeze(1)
    causal = torch.ones(width, width, dtype=torch.bool, device=device).tril()
    allowed = causal & ((ku == -1) | ((ku == qu) & (ku >= 0) & ((ks == 0) | (ks == qs))))
    allowed |= torch.eye(width, dtype=torch.bool, device=device)  # padding attends to itself: no empty softmax row
    dtype = next(model.parameters()).dtype
    # additive float mask: what both the eager and the SDPA attention accept as a ready 4D mask
    mask = torch.zeros(rows, 1, width, width, dtype=dtype, device=device)
    mask.masked_fill_(~allowed.unsqueeze(1), torch.finfo(dtype).min)
    decoder, head = _parts(model)
    out = decoder(input_ids=input_ids.to(device), attention_mask=mask, position_ids=position_ids.to(device), use_cache=False)
    rows_idx = torch.tensor([r for r, _, _ in reads], device=device)
    pos_idx = torch.tensor([p for _, p, _ in reads], device=device)
    hidden = out.last_hidden_state[rows_idx, pos_idx]
    return head(hidden), [i for _, _, i in reads]


def _forward_plain(model, batch, device):
    """Reference computation: each sub-question its own left-padded sequence, logits of the last token only."""
    import torch

    seqs = [p + s[0] for p, s, _ in batch]
    width = max(map(len, seqs))
    input_ids = torch.zeros(len(seqs), width, dtype=torch.long)
    attention = torch.zeros(len(seqs), width, dtype=torch.long)
    for r, s in enumerate(seqs):
        input_ids[r, width - len(s) :] = torch.tensor(s, dtype=torch.long)
        attention[r, width - len(s) :] = 1
    position_ids = (attention.cumsum(1) - 1).clamp(min=0)
    out = model(
        input_ids=input_ids.to(device),
        attention_mask=attention.to(device),
        position_ids=position_ids.to(device),
        logits_to_keep=1,
        use_cache=False,
    )
    return out.logits[:, -1], [m[0] for _, _, m in batch]


class _LineStream:
    """stderr for a progress bar when it is not a terminal: each refresh its own line instead of a ``\\r`` overwrite."""

    def __init__(self, stream):
        self.stream = stream
        self.encoding = getattr(stream, "encoding", None)

    def write(self, text: str) -> None:
        text = text.replace("\r", "").rstrip()
        if text:
            self.stream.write(text + "\n")

    def flush(self) -> None:
        self.stream.flush()


def progress(total: int, desc: str):
    """A tqdm bar on stderr counting sub-questions, with the rate and the time left.

    On a terminal it is redrawn in place (at most twice a second). Otherwise (a pipe, a log file) it
    writes one line at most every 30 seconds, plus the first and the last, so captured logs stay
    small; stdout (results, ``--json``) is never touched. No bar for an empty list.
    """
    from tqdm import tqdm

    tty = sys.stderr.isatty()
    return tqdm(total=total, desc=desc, unit="q", file=sys.stderr if tty else _LineStream(sys.stderr),
                mininterval=0.5 if tty else 30, dynamic_ncols=tty, ncols=None if tty else 100, disable=total == 0)


def score_letters(
    model,
    prompter: Prompter,
    items: list[Item],
    batch_size: int = 16,
    max_tokens: int = 16384,
    share_prefix: bool = True,
    pack: bool = True,
) -> tuple[list[Answer], float]:
    """Answer every item by letter scoring; returns answers in item order and the seconds spent.

    ``share_prefix=False`` runs the plain computation (one left-padded sequence per
    sub-question, ``logits_to_keep=1``): the reference the shared computation must match.
    ``pack=False`` keeps one problem per row (the shared computation before 2026-12-07, for benchmarks).
    """
    import torch

    device = next(model.parameters()).device
    answer_ids = prompter.answer_prefix_ids
    scored = [Item(it.key, it.n_options, it.prompt_ids + answer_ids) for it in items]
    units = _units(scored, share_prefix)
    if share_prefix:
        rows = (_rows(units) if pack else [([], [unit]) for unit in units]) if units else []
        forward, length_of = _forward_rows, _row_length
    else:
        rows, forward, length_of = units, _forward_plain, _unit_length
    letter_ids = torch.tensor(prompter.letter_ids, device=device)
    results: list[Answer | None] = [None] * len(items)
    start = time.perf_counter()
    with torch.inference_mode(), progress(len(items), "scoring") as bar:
        for batch in _batches(rows, batch_size, max_tokens, length_of):
            logits, members = forward(model, batch, device)
            letter_logits = logits.float()[:, letter_ids].cpu()
            for row, i in zip(letter_logits, members):
                n = items[i].n_options
                probs = torch.softmax(row[:n], dim=0).tolist()
                results[i] = Answer(items[i].key, best_letter(probs), probs)
            bar.update(len(members))
    return results, time.perf_counter() - start


def score_permuted(model, prompter: Prompter, records: list[dict], batch_size: int = 16, max_tokens: int = 16384,
                   share_prefix: bool = True, k: int | None = None) -> tuple[list[Answer], float]:
    """score_letters under every cyclic order of each sub-question's free options (lrkit.permute), the letter
    probabilities averaged back onto the original options: one answer per original sub-question, in order."""
    from .permute import expand, unpermute

    expanded, orders = expand(records, k)
    scored, seconds = score_letters(model, prompter, prompter.items(expanded), batch_size, max_tokens, share_prefix)
    out, i = [], 0
    for record, per_question in zip(records, orders):
        for index, question_orders in enumerate(per_question):
            probs = unpermute([a.probs for a in scored[i : i + len(question_orders)]], question_orders)
            i += len(question_orders)
            out.append(Answer((record["id"], index), best_letter(probs), probs))
    return out, seconds


def generate_answers(
    model,
    prompter: Prompter,
    items: list[Item],
    batch_size: int = 8,
    max_new_tokens: int = 256,
    samples: int = 1,
    temperature: float = 0.7,
    top_p: float = 0.95,
    seed: int = 0,
) -> tuple[list[list[Answer]], float]:
    """Free-text answers, batched (left padding, length-sorted); greedy when ``samples`` is 1.

    Returns, per item, ``samples`` answers (letter extracted from the text), and the seconds spent.
    """
    import torch

    device = next(model.parameters()).device
    tokenizer = prompter.tokenizer
    stop_ids = prompter.template.get_stop_token_ids(tokenizer)
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else stop_ids[0]
    order = sorted(range(len(items)), key=lambda i: -len(items[i].prompt_ids))
    results: list[list[Answer]] = [[] for _ in items]
    torch.manual_seed(seed)
    sampling = {"do_sample": True, "temperature": temperature, "top_p": top_p} if samples > 1 else {"do_sample": False}
    start = time.perf_counter()
    with torch.inference_mode(), progress(len(items), "generating") as bar:
        for b in range(0, len(order), batch_size):
            chunk = order[b : b + batch_size]
            width = max(len(items[i].prompt_ids) for i in chunk)
            input_ids = torch.full((len(chunk), width), pad_id, dtype=torch.long)
            attention = torch.zeros(len(chunk), width, dtype=torch.long)
            for r, i in enumerate(chunk):
                ids = items[i].prompt_ids
                input_ids[r, width - len(ids) :] = torch.tensor(ids, dtype=torch.long)
                attention[r, width - len(ids) :] = 1
            out = model.generate(
                input_ids=input_ids.to(device),
                attention_mask=attention.to(device),
                max_new_tokens=max_new_tokens,
                num_return_sequences=samples,
                eos_token_id=stop_ids,
                pad_token_id=pad_id,
                **sampling,
            )
            texts = tokenizer.batch_decode(out[:, width:], skip_special_tokens=True)
            for r, i in enumerate(chunk):
                for text in texts[r * samples : (r + 1) * samples]:
                    results[i].append(Answer(items[i].key, extract_answer(text, items[i].n_options), text=text))
            bar.update(len(chunk))
    return results, time.perf_counter() - start


def open_vllm(path: str, adapters: Sequence[str] = (), gpu_memory_utilization: float = 0.5, max_model_len: int = 4096,
              seed: int = 0, max_lora_rank: int = 64, dtype: str = "bfloat16"):
    """A vLLM engine for the generation backend ``vllm`` (bf16 weights unless ``dtype``, prefix caching, CUDA graphs).

    vLLM must be installed (its wheel pins one torch version: benchmarks/gpu/fetch_vllm.py). LoRA adapters are
    served by the engine itself (``enable_lora``), one request per adapter, so no merged copy is needed.
    """
    try:
        from vllm import LLM
    except ImportError as e:
        raise DataError(f"--backend vllm needs the vllm package ({e}); see benchmarks/gpu/README.md, 'vLLM on the device'") from None
    options = {"enable_lora": True, "max_loras": len(adapters), "max_lora_rank": max_lora_rank} if adapters else {}
    return LLM(model=path, dtype=dtype, gpu_memory_utilization=gpu_memory_utilization, max_model_len=max_model_len,
               seed=seed, enable_prefix_caching=True, **options)


def generate_answers_vllm(
    llm,
    prompter: Prompter,
    items: list[Item],
    adapter: str | None = None,
    adapter_index: int = 0,
    max_new_tokens: int = 256,
    samples: int = 1,
    temperature: float = 0.7,
    top_p: float = 0.95,
    seed: int = 0,
) -> tuple[list[list[Answer]], float, int]:
    """:func:`generate_answers` through a vLLM engine (:func:`open_vllm`): the same prompt token ids, the same stop
    tokens (the template's), greedy when ``samples`` is 1. Returns the answers, the seconds and the generated tokens."""
    from vllm import SamplingParams
    from vllm.inputs import TokensPrompt

    stop_ids = prompter.template.get_stop_token_ids(prompter.tokenizer)
    sampling = {"temperature": temperature, "top_p": top_p} if samples > 1 else {"temperature": 0.0}
    params = SamplingParams(n=samples, max_tokens=max_new_tokens, stop_token_ids=stop_ids, seed=seed,
                            skip_special_tokens=True, **sampling)
    lora = None
    if adapter:
        from vllm.lora.request import LoRARequest

        lora = LoRARequest(f"a{adapter_index}", adapter_index + 1, str(adapter))
    start = time.perf_counter()
    outputs = llm.generate([TokensPrompt(prompt_token_ids=item.prompt_ids) for item in items], params,
                           lora_request=lora, use_tqdm=True)
    seconds = time.perf_counter() - start
    results = [[Answer(item.key, extract_answer(c.text, item.n_options), text=c.text) for c in out.outputs]
               for item, out in zip(items, outputs)]
    tokens = sum(len(c.token_ids) for out in outputs for c in out.outputs)
    return results, seconds, tokens


def rate(n: int, seconds: float) -> str:
    return f"{n} sub-questions in {seconds:.1f} s ({n / seconds if seconds else math.inf:.1f} q/s)"
