"""Start-up hooks for ``llamafactory-cli`` (and any Python process that has this folder on ``PYTHONPATH``: Python's
``site`` module imports the first ``sitecustomize`` on the path at start-up). Each acts only when its variable is
set; with neither set this imports nothing. A ``sitecustomize`` later on the path (a distribution's, a virtual
environment's), which this one shadows, is run too.

``LRKIT_CUDNN_SDPA=0``: PyTorch's cuDNN attention backend is switched off, so ``flash_attn: sdpa`` runs on the flash
and memory-efficient SDPA kernels instead. Why: on H100/H200 from torch 2.11 the cuDNN SDPA backward (the default
backend there) returns NaN in grad_q when an attention mask is passed (padded batches) and the padded length is 64
modulo 128, for query rows whose log-sum-exp is below ln(FLT_MAX); Qwen2.5's "massive activation" heads produce such
rows (pytorch/pytorch#196678, huggingface/trl#7181). That is the NaN grad_norm and loss 0 of LLaMA-Factory #8088 /
#7388, and the reason the 1.5B recipes train with eager attention (``flash_attn: disabled``).

``LRKIT_LORA_FASTPATH=inputs`` (or ``fused``, ``function``): every transformers Trainer gets lrkit.lora_fastpath.LoraFastPath, so
LoRA training under bf16 autocast skips PEFT's float32 round trip of each adapter input (``inputs``: the same numbers;
+15% tokens/s and 7 GiB less on the 7B benchmark, H100) or also adds the scaled adapter output inside its matrix
product (``fused``: rounded once; +23%), or also runs each adapted projection as one autograd node (``function``:
the adapter's input gradient added inside the base product's). The Trainer class is patched when ``transformers.trainer`` is first
imported (an import hook), so a process that never trains pays nothing. scripts/run_recipe.sh sets ``fused``.

Usage: LRKIT_CUDNN_SDPA=0 PYTHONPATH=scripts/pyhooks${PYTHONPATH:+:$PYTHONPATH} llamafactory-cli train RECIPE.yaml flash_attn=sdpa
       LRKIT_LORA_FASTPATH=fused PYTHONPATH=scripts/pyhooks${PYTHONPATH:+:$PYTHONPATH} llamafactory-cli train RECIPE.yaml
"""

import os
import sys

if os.environ.get("LRKIT_CUDNN_SDPA") == "0":
    try:
        import torch
    except ImportError:  # a process of this environment without torch: nothing to switch off
        pass
    else:
        torch.backends.cuda.enable_cudnn_sdp(False)
        print("sitecustomize: cuDNN SDPA backend off (LRKIT_CUDNN_SDPA=0)", file=sys.stderr)

_FASTPATH = os.environ.get("LRKIT_LORA_FASTPATH", "")
if _FASTPATH:
    import importlib.abc
    import importlib.util

    def _add_callback(trainer_module) -> None:
        from lrkit.lora_fastpath import LoraFastPath

        try:
            callback = LoraFastPath(_FASTPATH)
        except ValueError as exc:  # an unknown mode: one line naming the variable and the modes, no traceback
            raise SystemExit(f"sitecustomize: LRKIT_LORA_FASTPATH: {exc}") from None
        trainer_class = trainer_module.Trainer
        original_init = trainer_class.__init__

        def __init__(self, *args, **kwargs):
            original_init(self, *args, **kwargs)
            self.add_callback(callback)

        trainer_class.__init__ = __init__
        print(f"sitecustomize: LoRA fast path '{_FASTPATH}' for every Trainer (LRKIT_LORA_FASTPATH)", file=sys.stderr)

    class _TrainerHook(importlib.abc.MetaPathFinder):
        """Patch transformers.trainer.Trainer right after the module first runs."""

        def find_spec(self, name, path=None, target=None):
            if name != "transformers.trainer":
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(name)
            if spec is None or spec.loader is None:
                return spec
            run_module = spec.loader.exec_module

            def exec_module(module):
                run_module(module)
                _add_callback(module)

            spec.loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, _TrainerHook())


def _run_the_shadowed_sitecustomize() -> None:
    import importlib.machinery
    import importlib.util

    here = os.path.dirname(os.path.abspath(__file__))
    rest = [entry for entry in sys.path if os.path.abspath(entry or os.curdir) != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is not None and spec.loader is not None:
        spec.loader.exec_module(importlib.util.module_from_spec(spec))


_run_the_shadowed_sitecustomize()
