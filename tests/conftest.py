"""Shared fixtures: paths to the repository, its tools and the real competition data when present."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lrkit import SHARED_DATA

REPO = Path(__file__).resolve().parents[1]
TOOLS = REPO / "tools"
SHARED_TRAIN = REPO / SHARED_DATA
FIXTURES = REPO / "data" / "fixtures"
DEFAULT_MODEL = REPO / "models" / "smollm2-135m-instruct"  # scripts/setup.sh makes it


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


def build_tiny(folder: Path, adapters: int = 0, name: str = "tiny-smollm2") -> dict:
    """A random-initialised 2-layer Llama with the real SmolLM2 tokenizer, saved (fp32) as ``folder/name``.

    With ``adapters``, also saves that many LoRA adapters whose B is random (non-zero, so each one
    changes the answers) and the first adapter merged into the base by peft's merge_and_unload.
    Returns ``{"base": PATH, "adapters": [PATH, ...], "merged": PATH}`` (merged only with adapters).
    """
    import torch
    from peft import LoraConfig, PeftModel, get_peft_model
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    if not DEFAULT_MODEL.exists():
        pytest.skip(f"{DEFAULT_MODEL} not built (scripts/setup.sh makes it)")
    tokenizer = AutoTokenizer.from_pretrained(DEFAULT_MODEL)
    config = LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=4096, tie_word_embeddings=True,
        bos_token_id=1, eos_token_id=2, pad_token_id=2,
    )
    torch.manual_seed(0)
    base_dir = folder / name
    LlamaForCausalLM(config).save_pretrained(base_dir)
    tokenizer.save_pretrained(base_dir)
    paths = {"base": base_dir, "adapters": []}
    for i in range(adapters):
        torch.manual_seed(100 + i)
        lora = LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj", "up_proj"], init_lora_weights=False)
        peft_model = get_peft_model(LlamaForCausalLM.from_pretrained(base_dir), lora)
        paths["adapters"].append(folder / f"adapter{i}")
        peft_model.save_pretrained(paths["adapters"][-1])
    if adapters:
        merged = PeftModel.from_pretrained(LlamaForCausalLM.from_pretrained(base_dir), paths["adapters"][0]).merge_and_unload()
        paths["merged"] = folder / f"{name}-merged"
        merged.save_pretrained(paths["merged"])
        tokenizer.save_pretrained(paths["merged"])
    return paths


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """A tiny random-initialised Llama with SmolLM2's real tokenizer: real llamafactory-cli runs in seconds."""
    return build_tiny(tmp_path_factory.mktemp("tiny"), name="tiny-llama")["base"]
