"""Does Liger's rotary-embedding kernel meet packed rows as transformers' eager rotary does? A CPU check.

Usage: TRITON_INTERPRET=1 PYTHONPATH=SITE python benchmarks/liger_rope_check.py [--rows 2] [--length 7] [--seed 0]

Packed letter scoring (benchmarks/bench_eval.py, tools/lrkit/inference.py) gives each row its own position ids
(each problem packed into it starts again after the row's shared head), so the rotary cos/sin differ per row and
are not monotonic. This builds such position ids, applies transformers' Qwen2 `apply_rotary_pos_emb` and Liger's
`liger_rotary_pos_emb` to the same random q and k in float32, and prints the largest difference (0 when the kernel
reads each row's cos/sin). Triton's interpreter
(TRITON_INTERPRET=1) runs the kernel on the CPU; SITE holds triton and liger_kernel (not in requirements.txt:
`pip install --no-deps --target SITE triton liger-kernel`). Liger's RMSNorm and SwiGLU kernels do not run under
the interpreter (scalar arguments), and they work row by row, position-free, so packing cannot meet them.
"""

from __future__ import annotations

import argparse
import sys

from lrkit.cli import run
from lrkit.records import DataError


def packed_positions(rows: int, length: int):
    """Position ids of `rows` packed rows: row r restarts every r + 3 tokens (problems of different lengths)."""
    import torch

    return torch.tensor([[i % (r + 3) for i in range(length)] for r in range(rows)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=2, help="packed rows (default 2)")
    parser.add_argument("--length", type=int, default=7, help="tokens per row (default 7)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    try:
        from liger_kernel.transformers.rope import liger_rotary_pos_emb
    except ImportError as exc:
        raise DataError(f"liger_kernel (with triton) cannot be imported ({exc}): pip install --no-deps --target SITE "
                        "triton liger-kernel, then TRITON_INTERPRET=1 PYTHONPATH=SITE") from None
    import torch
    from transformers.models.qwen2.modeling_qwen2 import Qwen2Config, Qwen2RotaryEmbedding, apply_rotary_pos_emb

    torch.manual_seed(args.seed)
    config = Qwen2Config(hidden_size=128, num_attention_heads=4, num_key_value_heads=2, head_dim=32)
    positions = packed_positions(args.rows, args.length)
    cos, sin = Qwen2RotaryEmbedding(config)(torch.zeros(args.rows, args.length, 128), positions)
    q, k = torch.randn(args.rows, 4, args.length, 32), torch.randn(args.rows, 2, args.length, 32)
    q_eager, k_eager = apply_rotary_pos_emb(q, k, cos, sin)
    q_liger, k_liger = liger_rotary_pos_emb(q.clone(), k.clone(), cos, sin)
    worst = max((q_eager - q_liger).abs().max().item(), (k_eager - k_liger).abs().max().item())
    print(f"position ids per row: {positions.tolist()}")
    print(f"float32, largest |eager - liger| over q and k: {worst:.3e} (values up to {q_eager.abs().max().item():.2f})")
    if worst > 1e-5:
        sys.exit(1)


if __name__ == "__main__":
    run(main)
