"""Save a bitsandbytes 4-bit copy of a model (NF4, double quantization), as the seed's quantize.py.

Usage: python tools/quantize.py --model PATH_OR_HUB_ID --out PATH [--compute-dtype bfloat16] [--device cuda|cpu]

The copy loads with from_pretrained alone and can be a QLoRA base (point a recipe's
model_name_or_path at it and drop its quantization_* keys). Quantizing runs on CUDA when
present, else on bitsandbytes' CPU backend (slow: minutes for 7B, impractical for 32B+).
Memory: the 16-bit weights pass through the device one layer at a time, so a 32B model needs
~20 GB of GPU memory for the 4-bit result plus one layer; RAM for loading the shards.
Note: LLaMA-Factory merges LoRA into 16-bit weights only; merge with the original model.
"""

from __future__ import annotations

import argparse

from lrkit.cli import run
from lrkit.quantization import quantize


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="hub id or local folder of the 16-bit model")
    parser.add_argument("--out", required=True, help="folder to write the 4-bit copy to")
    parser.add_argument("--compute-dtype", default="bfloat16", choices=("bfloat16", "float16", "float32"),
                        help="dtype the 4-bit layers compute in (default: %(default)s)")
    parser.add_argument("--device", help="cuda or cpu (default: cuda when available)")
    args = parser.parse_args()
    print(f"[quantize] {args.model} -> {args.out} (bnb 4-bit nf4, double quantization, compute {args.compute_dtype})")
    summary = quantize(args.model, args.out, args.compute_dtype, args.device)
    print(f"[quantize] {summary['linear_4bit']} linear layers in 4-bit (on {summary['device']}); "
          f"{summary['bytes_saved'] / 2**20:.1f} MiB of weights saved in {args.out}")
    return 0


if __name__ == "__main__":
    run(main)
