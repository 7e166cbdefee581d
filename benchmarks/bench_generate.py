"""Time the generators: N problems of all families, written to a temporary JSONL file.

Usage: python benchmarks/bench_generate.py [--n 10000] [--seed 0] [--solutions]

Prints problems per second overall and per family (the target is 10,000 problems in at most 30 s).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from lrkit.generators.registry import FAMILIES, generate
from lrkit.records import write_jsonl


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--solutions", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        written = write_jsonl(Path(tmp) / "bench.jsonl", generate(args.n, args.seed, solutions=args.solutions))
        total = time.perf_counter() - start
    print(f"all families: {written} problems in {total:.2f} s ({written / total:,.0f} problems/s){' with solutions' if args.solutions else ''}")
    per = Counter()
    for name in FAMILIES:
        start = time.perf_counter()
        for _ in generate(500, args.seed, families=[name], solutions=args.solutions):
            pass
        per[name] = 500 / (time.perf_counter() - start)
    for name, rate in per.most_common():
        print(f"  {name:<20} {rate:>9,.0f} problems/s")
    return 0 if total <= 30 else 1


if __name__ == "__main__":
    sys.exit(main())
