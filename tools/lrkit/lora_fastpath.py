"""Faster LoRA training steps under bf16 autocast: PEFT's adapter path without its float32 round trip, and optionally
with the scale-and-add done by the adapter's own matrix product.

LLaMA-Factory keeps LoRA's trainable weights in float32 (the optimizer's precision) and trains under bf16 autocast.
PEFT's ``lora.Linear`` then, for each of the seven adapted projections of a layer:

1. casts the input to float32 (``x.to(lora_A.weight.dtype)``), which autocast casts straight back to bf16 for the
   adapter's product: two copies of every projection input, forward and backward (0.39 s of a 2.67 s step of the 7B
   benchmark on an H100, benchmarks/gpu/README.md);
2. multiplies the adapter's output by ``scaling`` and adds it to the base output: two more passes over every
   projection output, forward and backward (0.21 s more of that step).

Modes (:func:`apply`):

- ``inputs``: skip the cast while autocast runs (PEFT's own switch, ``cast_input_dtype_enabled``, as ``peft.helpers.
  disable_input_dtype_casting`` sets it; each layer's forward sets it from ``torch.is_autocast_enabled``, so
  generation without autocast after training still casts). Under autocast the adapter computes on bf16 inputs either
  way: the same numbers, bit for bit (tests/test_gpu_bench.py checks losses and gradients).
- ``fused``: that, and the adapter's second product adds itself into the base output in place
  (``base.addmm_(x A^T, B^T, alpha=scaling)``): no scaled copy and no separate add. The sum is rounded once instead
  of three times, so the numbers differ from PEFT's at bf16 rounding level (the test bounds the difference). Layers
  in a state the fused path does not cover (adapters disabled or merged, several active adapters, DoRA and other
  variants, dropout, an adapter bias, ``adapter_names`` batches, DeepSpeed ZeRO-3's partitioned weights, no
  autocast) take the ``inputs`` path.

:class:`LoraFastPath` is a TrainerCallback that applies a mode at the start of training, only when the Trainer runs
under bf16 or fp16 autocast (without autocast the cast is what makes a float32 adapter work).
"""

from __future__ import annotations

import sys
import types

from transformers import TrainerCallback

MODES = ("inputs", "fused")


def _check(mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"LoRA fast path: unknown mode {mode!r} (expected one of {', '.join(MODES)})")


def _inputs_forward(self, x, *args, **kwargs):
    """PEFT's forward, without its input cast while autocast runs (with it otherwise: a float32 adapter needs it)."""
    import torch

    self.cast_input_dtype_enabled = not torch.is_autocast_enabled(x.device.type)
    return type(self).forward(self, x, *args, **kwargs)


def _fused_forward(self, x, *args, **kwargs):
    """PEFT's lora.Linear forward with the scale-and-add in the adapter's matrix product (see the module docstring)."""
    import torch

    active = self.active_adapters
    name = active[0] if len(active) == 1 else None
    if (
        name is None or self.disable_adapters or self.merged or kwargs.get("adapter_names") is not None
        or name not in self.lora_A or name in self.lora_variant or self.lora_B[name].bias is not None
        or not isinstance(self.lora_dropout[name], torch.nn.Identity) or not torch.is_autocast_enabled(x.device.type)
        or hasattr(self.lora_B[name].weight, "ds_id")  # DeepSpeed ZeRO-3 gathers B only when lora_B itself runs
    ):
        return _inputs_forward(self, x, *args, **kwargs)
    flat = x.reshape(-1, x.shape[-1])
    result = self.base_layer(flat, *args, **kwargs)  # 2-D: the in-place add below is then not on a view (whose
    down = self.lora_A[name](flat)  # backward would copy the gradient); autocast: a bf16 product of the bf16 input
    result.addmm_(down, self.lora_B[name].weight.to(result.dtype).t(), alpha=self.scaling[name])
    return result.view(*x.shape[:-1], result.shape[-1])


def apply(model, mode: str) -> int:
    """Put every LoRA layer of ``model`` on the fast path ``mode`` (one of :data:`MODES`); how many layers. Outside
    autocast (generation after training, say) the layers run PEFT's forward as it is."""
    _check(mode)
    from peft.tuners.lora.layer import Linear
    from peft.tuners.tuners_utils import BaseTunerLayer

    layers = [module for module in model.modules() if isinstance(module, BaseTunerLayer)]
    for module in layers:
        fused = mode == "fused" and type(module) is Linear
        module.forward = types.MethodType(_fused_forward if fused else _inputs_forward, module)
    return len(layers)


class LoraFastPath(TrainerCallback):
    """At the start of training under bf16/fp16 autocast, LoRA layers take the fast path ``mode``."""

    def __init__(self, mode: str = "inputs") -> None:
        _check(mode)
        self.mode = mode
        self.switched = 0

    def on_train_begin(self, args, state, control, model=None, **kwargs):
        if model is not None and (args.bf16 or args.fp16):
            self.switched = apply(model, self.mode)
            print(f"[lora_fastpath] {self.mode}: {self.switched} LoRA layers", file=sys.stderr, flush=True)
