"""Start-up hook: with ``LRKIT_CUDNN_SDPA=0``, PyTorch's cuDNN attention backend is switched off in every Python
process that has this folder on ``PYTHONPATH`` (Python's ``site`` module imports the first ``sitecustomize`` on
the path at start-up), so ``llamafactory-cli train`` with ``flash_attn: sdpa`` runs on the flash and memory-efficient
SDPA kernels instead. Without that variable set to 0 it does nothing and imports nothing.

Why: on H100/H200 from torch 2.11 the cuDNN SDPA backward (the default backend there) returns NaN in grad_q when an
attention mask is passed (padded batches) and the padded length is 64 modulo 128, for query rows whose
log-sum-exp is below ln(FLT_MAX); Qwen2.5's "massive activation" heads produce such rows (pytorch/pytorch#196678,
huggingface/trl#7181). That is the NaN grad_norm and loss 0 of LLaMA-Factory #8088 / #7388, and the reason the
1.5B recipes train with eager attention (``flash_attn: disabled``).

Usage: LRKIT_CUDNN_SDPA=0 PYTHONPATH=scripts/pyhooks${PYTHONPATH:+:$PYTHONPATH} llamafactory-cli train RECIPE.yaml flash_attn=sdpa
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
