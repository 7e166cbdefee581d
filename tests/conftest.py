"""Shared fixtures: paths to the repository, its tools and the real competition data when present."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TOOLS = REPO / "tools"
SHARED_TRAIN = REPO.parent / "shared" / "data" / "round1_train_data.jsonl"
FIXTURES = REPO / "data" / "fixtures"


@pytest.fixture
def real_train() -> Path:
    if not SHARED_TRAIN.exists():
        pytest.skip(f"{SHARED_TRAIN} not present (competition data lives outside the repo)")
    return SHARED_TRAIN


def run_tool(tool: str, *args, check: bool = False, cwd=REPO) -> subprocess.CompletedProcess:
    """Run ``python tools/<tool>.py args`` as a user would; returns the completed process."""
    proc = subprocess.run(
        [sys.executable, str(TOOLS / f"{tool}.py"), *map(str, args)],
        capture_output=True, text=True, cwd=cwd, timeout=600,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"{tool} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def build_tiny_llama(out: Path) -> Path:
    import torch
    from lrkit.models import default_gguf
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    gguf = default_gguf()
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    config = LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=4096, tie_word_embeddings=True,
        bos_token_id=1, eos_token_id=2, pad_token_id=2,
    )
    torch.manual_seed(0)
    LlamaForCausalLM(config).save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """A tiny random-initialised Llama with SmolLM2's real tokenizer: real llamafactory-cli runs in seconds."""
    return build_tiny_llama(tmp_path_factory.mktemp("tiny") / "tiny-llama")
