"""Fused element-wise work for inference: transformers' own RMSNorm, rotary-embedding and SiLU-gated-MLP formulas,
each compiled by ``torch.compile`` (inductor) into fused kernels, put onto a Llama-family model.

Why: a profiled pass of packed letter scoring on a 7B model (benchmarks/README.md, an H100) spent 1.15 s of its 4.0 s
in eager element-wise kernels between the matrix products: RMSNorm in float32 (a cast, pow, mean, rsqrt, two
products, a cast back: seven kernels), the rotary embedding (slices, ``cat``, products and sums for q and k) and
``silu(gate) * up``. Liger's fused kernels took that to 0.36 s but changed 6% of the answers even in float32, so they
compute something else here. These are the same formulas as transformers' eager code, written out below, so in
float32 they differ from it only in the order of a reduction's additions (tests/test_fused_ops.py compares them).

:func:`apply` patches a model instance: every RMSNorm module (a ``weight`` and ``variance_epsilon``, the class named
``*RMSNorm``) and every gated MLP (``gate_proj``, ``up_proj``, ``down_proj`` with a SiLU activation) gets a forward that
calls the compiled function, and the modeling module of the model's attention gets a compiled
``apply_rotary_pos_emb`` (a module-level function there, so this part holds for every model of that family in the
process, as Liger's patch does). Shapes vary from batch to batch, so the functions are compiled with dynamic shapes:
one compilation each, the first call pays it (seconds; call once on a small batch to warm up).
Families: :data:`FAMILIES` (``config.model_type``); others get a clear error.
"""

from __future__ import annotations

import functools
import sys
import types

FAMILIES = ("llama", "mistral", "qwen2", "qwen3")
_MLP_PARTS = ("gate_proj", "up_proj", "down_proj", "act_fn")


@functools.cache
def kernels() -> types.SimpleNamespace:
    """The three formulas, compiled (dynamic shapes); built on first use, so importing this module needs no torch."""
    import torch
    import torch.nn.functional as F

    def rms_norm(hidden, weight, eps: float):
        dtype = hidden.dtype
        hidden = hidden.to(torch.float32)
        variance = hidden.pow(2).mean(-1, keepdim=True)
        hidden = hidden * torch.rsqrt(variance + eps)
        return weight * hidden.to(dtype)

    def rotate_half(x):
        half = x.shape[-1] // 2
        return torch.cat((-x[..., half:], x[..., :half]), dim=-1)

    def rotary(q, k, cos, sin, unsqueeze_dim: int = 1):
        cos, sin = cos.unsqueeze(unsqueeze_dim), sin.unsqueeze(unsqueeze_dim)
        return (q * cos) + (rotate_half(q) * sin), (k * cos) + (rotate_half(k) * sin)

    def silu_mul(gate, up):
        return F.silu(gate) * up

    def compiled(fn):
        return torch.compile(fn, dynamic=True)

    return types.SimpleNamespace(rms_norm=compiled(rms_norm), rotary=compiled(rotary), silu_mul=compiled(silu_mul))


def _norm_forward(self, hidden):
    return kernels().rms_norm(hidden, self.weight, self.variance_epsilon)


def _mlp_forward(self, x):
    return self.down_proj(kernels().silu_mul(self.gate_proj(x), self.up_proj(x)))


def _is_silu(act) -> bool:
    import torch

    return isinstance(act, torch.nn.SiLU) or type(act).__name__ == "SiLUActivation"


def apply(model) -> dict[str, int]:
    """Put the compiled formulas onto ``model`` (PEFT-wrapped or not); how many modules of each kind were switched.
    A model outside :data:`FAMILIES` is a ValueError naming its type."""
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    model_type = getattr(base.config, "model_type", None)
    if model_type not in FAMILIES:
        raise ValueError(f"fused ops: model type {model_type!r} is not one of {', '.join(FAMILIES)} "
                         "(their RMSNorm, rotary embedding and SiLU MLP are the formulas compiled here)")
    counts = {"rms_norm": 0, "mlp": 0, "rotary": 0}
    for module in base.modules():
        name = type(module).__name__
        modeling = sys.modules[type(module).__module__]
        if name.endswith("RMSNorm") and hasattr(module, "variance_epsilon") and hasattr(module, "weight"):
            module.forward = types.MethodType(_norm_forward, module)
            counts["rms_norm"] += 1
        elif all(hasattr(module, part) for part in _MLP_PARTS) and _is_silu(module.act_fn):
            module.forward = types.MethodType(_mlp_forward, module)
            counts["mlp"] += 1
        elif name.endswith("Attention") and hasattr(modeling, "apply_rotary_pos_emb"):
            modeling.apply_rotary_pos_emb = kernels().rotary  # a module-level function: set again, no harm
            counts["rotary"] += 1
    return counts
