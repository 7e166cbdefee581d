"""Write a random-initialised Qwen2 checkpoint with an exact published config, optionally cut to fewer layers.

Usage: python benchmarks/gpu/make_random_model.py CONFIG.json OUT_DIR --tokenizer DIR [--layers N] [--views 4,8]
                                                  [--set key=value ...] [--device cuda]

CONFIG.json is a model's config.json (benchmarks/gpu/model_configs/). Throughput and memory depend on the
shapes, not on the weight values, so random weights (bf16, the config's initializer) stand in for the real ones,
which the device cannot download. --views writes sibling folders OUT_DIR-L<n> whose config keeps only the first
n layers and whose weight files are links to OUT_DIR's (transformers skips the unused layers' tensors), so one
write serves a whole per-layer memory sweep. --set overrides config fields (tests use it to shrink the model).
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

import torch
from transformers import AutoConfig, AutoModelForCausalLM

TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "chat_template.jinja")


def parse_value(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def copy_tokenizer(tokenizer: Path, out: Path) -> None:
    for name in TOKENIZER_FILES:
        if (tokenizer / name).exists():
            shutil.copy(tokenizer / name, out / name)


def write_view(out: Path, layers: int, tokenizer: Path) -> Path:
    view = out.with_name(f"{out.name}-L{layers}")
    view.mkdir(parents=True, exist_ok=True)
    for item in out.iterdir():
        if item.suffix == ".safetensors" or item.name.endswith(".index.json"):
            link = view / item.name
            if not link.exists():
                link.symlink_to(item.resolve())
    config = json.loads((out / "config.json").read_text())
    config["num_hidden_layers"] = layers
    config["max_window_layers"] = min(config.get("max_window_layers", layers), layers)
    if "layer_types" in config:
        config["layer_types"] = config["layer_types"][:layers]
    (view / "config.json").write_text(json.dumps(config, indent=2))
    copy_tokenizer(tokenizer, view)
    return view


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("config", type=Path, help="a model's config.json")
    parser.add_argument("out", type=Path, help="folder to write (safetensors, config, tokenizer)")
    parser.add_argument("--tokenizer", type=Path, required=True, help="tokenizer folder to copy in")
    parser.add_argument("--layers", type=int, help="num_hidden_layers (default: the config's)")
    parser.add_argument("--views", default="", help="comma-separated layer counts for linked fewer-layer views")
    parser.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE", help="config overrides")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = parser.parse_args()

    fields = json.loads(args.config.read_text())
    if args.layers:
        fields["num_hidden_layers"] = args.layers
        fields["max_window_layers"] = min(fields.get("max_window_layers", args.layers), args.layers)
    for item in args.set:
        key, _, value = item.partition("=")
        fields[key] = parse_value(value)
    model_type = fields.pop("model_type")
    config = AutoConfig.for_model(model_type, **fields)

    start = time.perf_counter()
    torch.manual_seed(0)
    with torch.device(args.device):
        model = AutoModelForCausalLM.from_config(config, dtype=torch.bfloat16)
    params = sum(p.numel() for p in model.parameters())
    model.save_pretrained(args.out, max_shard_size="4GB")
    copy_tokenizer(args.tokenizer, args.out)
    del model
    print(f"{args.out}: {model_type}, {config.num_hidden_layers} layers, {params / 1e9:.3f}B parameters, "
          f"{time.perf_counter() - start:.0f} s")
    for layers in filter(None, args.views.split(",")):
        print(f"  view: {write_view(args.out, int(layers), args.tokenizer)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
