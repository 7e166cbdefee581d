#!/usr/bin/env bash
# configs/qlora_32b.yaml end to end: train -> predict on the validation split -> accuracy -> merge -> submission.
# Usage: bash scripts/run_qlora_32b.sh [--force]
# Paths, multi-GPU (NPROC_PER_NODE, DEEPSPEED, FSDP) and the other variables: see scripts/run_recipe.sh.
# One 32 GB GPU: bash scripts/run_qlora_32b.sh
# Two GPUs:      NPROC_PER_NODE=2 DEEPSPEED=configs/deepspeed/ds_z2_config.json bash scripts/run_qlora_32b.sh
exec bash "$(dirname "$0")/run_recipe.sh" qlora_32b "$@"
