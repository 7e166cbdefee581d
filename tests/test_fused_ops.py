"""lrkit.fused_ops: transformers' RMSNorm, rotary and SiLU-MLP formulas compiled (inductor, here its CPU backend) give
the eager model's letter scores in float32, and only the model families whose formulas they are get them."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, build_tiny
from lrkit.inference import Prompter, score_letters
from lrkit.records import load_problems


@pytest.fixture
def restore_rotary():
    """apply() replaces the modeling module's apply_rotary_pos_emb (module-level): put the original back after."""
    from transformers.models.llama import modeling_llama

    original = modeling_llama.apply_rotary_pos_emb
    yield modeling_llama
    modeling_llama.apply_rotary_pos_emb = original


def test_fused_ops_score_as_the_eager_model_in_float32(tmp_path, restore_rotary):
    from lrkit import fused_ops
    from lrkit.inference import load_model

    model, tokenizer = load_model(str(build_tiny(tmp_path)["base"]), dtype="float32")
    prompter = Prompter(tokenizer, "smollm2")
    gold = load_problems(FIXTURES / "sample_train.jsonl")
    items = prompter.items([{**gold[0], "id": "long", "problem": gold[0]["problem"] * 4}, *gold])
    eager, _ = score_letters(model, prompter, items, batch_size=3)
    counts = fused_ops.apply(model)
    assert counts == {"rms_norm": 5, "mlp": 2, "rotary": 2}  # 2 layers x 2 norms + the final one
    assert restore_rotary.apply_rotary_pos_emb is fused_ops.kernels().rotary
    fused, _ = score_letters(model, prompter, items, batch_size=3)
    other_shapes, _ = score_letters(model, prompter, items, batch_size=1)  # dynamic shapes: no recompile per batch
    assert len(fused) == len(items) > 5
    for a, b, c in zip(eager, fused, other_shapes):
        assert a.letter == b.letter == c.letter
        assert max(abs(x - y) for x, y in zip(a.probs, b.probs)) < 1e-5
        assert max(abs(x - y) for x, y in zip(a.probs, c.probs)) < 1e-5


def test_fused_ops_refuse_a_model_family_whose_formulas_differ():
    from transformers import GPT2Config, GPT2LMHeadModel

    from lrkit import fused_ops

    model = GPT2LMHeadModel(GPT2Config(n_layer=1, n_embd=16, n_head=2, vocab_size=32, n_positions=16))
    with pytest.raises(ValueError, match="model type 'gpt2' is not one of llama"):
        fused_ops.apply(model)
