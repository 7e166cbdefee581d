"""A bitsandbytes 4-bit copy of a model (NF4, double quantization), as the seed's ``quantize.py``.

The saved folder loads with ``from_pretrained`` alone (its config carries the
``quantization_config``) and can be a QLoRA base: point ``model_name_or_path``
at it and drop the recipe's ``quantization_*`` keys. bitsandbytes quantizes on
CUDA; its CPU backend (bitsandbytes >= 0.48) works too, slowly.
"""

from __future__ import annotations

from pathlib import Path

from .records import DataError


def quantize(model_path: str, out: str | Path, compute_dtype: str = "bfloat16", device: str | None = None) -> dict:
    """Load ``model_path`` quantized to bnb 4-bit NF4 with double quantization and save it with its tokenizer to ``out``.

    Returns a summary: how many linear layers became 4-bit, the bytes saved, and the device used.
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer, BitsAndBytesConfig

    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    config = BitsAndBytesConfig(
        load_in_4bit=True,
        bnb_4bit_quant_type="nf4",
        bnb_4bit_use_double_quant=True,
        bnb_4bit_compute_dtype=getattr(torch, compute_dtype),
    )
    try:
        tokenizer = AutoTokenizer.from_pretrained(model_path)
        model = AutoModelForCausalLM.from_pretrained(
            model_path, quantization_config=config, dtype=getattr(torch, compute_dtype), device_map=device
        )
    except (OSError, ValueError) as e:
        raise DataError(f"{model_path}: cannot load for quantization: {e}") from None
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    import bitsandbytes as bnb

    layers = sum(isinstance(m, bnb.nn.Linear4bit) for m in model.modules())
    stored = sum(f.stat().st_size for f in out.glob("*.safetensors"))
    return {"linear_4bit": layers, "bytes_saved": stored, "device": device}
