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
- ``function``: ``fused``'s forward and its backward in one autograd node per layer (``_lora_linear_function``):
  the adapter's share of the input gradient is added inside the base product's gradient (``dx = dy W``, then
  ``dx.addmm_(dy B^T s, A)``) instead of two gradients summed by autograd (one read-read-write pass over every
  projection input, backward: the largest element-wise kernel of the fused profile, 114 ms of a 2.17 s H100 step),
  and one node instead of four (fewer launches). Same rounding as ``fused`` forward; the same layers fall back.

:class:`LoraFastPath` is a TrainerCallback that applies a mode at the start of training, only when the Trainer runs
under bf16 or fp16 autocast (without autocast the cast is what makes a float32 adapter work).
"""

from __future__ import annotations

import functools
import sys
import types

from transformers import TrainerCallback

MODES = ("inputs", "fused", "function")


def _check(mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"LoRA fast path: unknown mode {mode!r} (expected one of {', '.join(MODES)})")


def _inputs_forward(self, x, *args, **kwargs):
    """PEFT's forward, without its input cast while autocast runs (with it otherwise: a float32 adapter needs it)."""
    import torch

    self.cast_input_dtype_enabled = not torch.is_autocast_enabled(x.device.type)
    return type(self).forward(self, x, *args, **kwargs)


def _fusable(self, x, kwargs) -> str | None:
    """The one active adapter's name when this layer's state is one the fused paths cover (module docstring)."""
    import torch

    active = self.active_adapters
    name = active[0] if len(active) == 1 else None
    if (
        name is None or self.disable_adapters or self.merged or kwargs.get("adapter_names") is not None
        or name not in self.lora_A or name in self.lora_variant or self.lora_B[name].bias is not None
        or not isinstance(self.lora_dropout[name], torch.nn.Identity) or not torch.is_autocast_enabled(x.device.type)
        or hasattr(self.lora_B[name].weight, "ds_id")  # DeepSpeed ZeRO-3 gathers B only when lora_B itself runs
    ):
        return None
    return name


def _fused_forward(self, x, *args, **kwargs):
    """PEFT's lora.Linear forward with the scale-and-add in the adapter's matrix product (see the module docstring)."""
    name = _fusable(self, x, kwargs)
    if name is None:
        return _inputs_forward(self, x, *args, **kwargs)
    flat = x.reshape(-1, x.shape[-1])
    result = self.base_layer(flat, *args, **kwargs)  # 2-D: the in-place add below is then not on a view (whose
    down = self.lora_A[name](flat)  # backward would copy the gradient); autocast: a bf16 product of the bf16 input
    result.addmm_(down, self.lora_B[name].weight.to(result.dtype).t(), alpha=self.scaling[name])
    return result.view(*x.shape[:-1], result.shape[-1])


@functools.cache
def _lora_linear_function():
    """The autograd Function of mode ``function`` (built on first use: importing this module needs no torch)."""
    import torch

    class LoraLinearFunction(torch.autograd.Function):
        """``y = x W^T + b + s (x A^T) B^T`` on 2-D inputs of one dtype, forward and backward in one node."""

        @staticmethod
        def forward(ctx, x, weight, bias, lora_a, lora_b, scaling):
            down = x @ lora_a.t()
            y = x @ weight.t() if bias is None else torch.addmm(bias, x, weight.t())
            y.addmm_(down, lora_b.t(), alpha=scaling)
            ctx.save_for_backward(x, weight, lora_a, lora_b, down)
            ctx.scaling = scaling
            return y

        @staticmethod
        def backward(ctx, dy):
            x, weight, lora_a, lora_b, down = ctx.saved_tensors
            up_grad = (dy @ lora_b).mul_(ctx.scaling)  # (M, r): the gradient reaching the adapter's first product
            dx = d_a = d_b = None
            if ctx.needs_input_grad[0]:
                dx = (dy @ weight).addmm_(up_grad, lora_a)
            if ctx.needs_input_grad[3]:
                d_a = up_grad.t() @ x
            if ctx.needs_input_grad[4]:
                d_b = dy.t() @ (down * ctx.scaling)
            return dx, None, None, d_a, d_b, None

    return LoraLinearFunction


def _function_forward(self, x, *args, **kwargs):
    """Mode ``function``: base and adapter products forward and backward in one autograd node (module docstring)."""
    import torch

    name = _fusable(self, x, kwargs)
    base = self.base_layer
    if name is None or type(base) is not torch.nn.Linear or args or kwargs:
        return _inputs_forward(self, x, *args, **kwargs)
    dtype = torch.get_autocast_dtype(x.device.type)
    bias = None if base.bias is None else base.bias.to(dtype)
    with torch.autocast(x.device.type, enabled=False):  # the Function's products run in autocast's dtype, as cast here
        y = _lora_linear_function().apply(
            x.reshape(-1, x.shape[-1]).to(dtype), base.weight.to(dtype), bias, self.lora_A[name].weight.to(dtype),
            self.lora_B[name].weight.to(dtype), float(self.scaling[name]))
    return y.view(*x.shape[:-1], y.shape[-1])


def apply(model, mode: str) -> int:
    """Put every LoRA layer of ``model`` on the fast path ``mode`` (one of :data:`MODES`); how many layers. Outside
    autocast (generation after training, say) the layers run PEFT's forward as it is."""
    _check(mode)
    from peft.tuners.lora.layer import Linear
    from peft.tuners.tuners_utils import BaseTunerLayer

    layers = [module for module in model.modules() if isinstance(module, BaseTunerLayer)]
    forwards = {"fused": _fused_forward, "function": _function_forward}
    for module in layers:
        forward = forwards.get(mode) if type(module) is Linear else None
        module.forward = types.MethodType(forward or _inputs_forward, module)
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
