"""Throughput and memory of the LLM job engine against a loopback server with a fixed latency.

Usage: python benchmarks/bench_llm_client.py [--requests 2000] [--concurrency 64] [--latency 1.0] [--provider openai]

Starts lrkit-fakeserver (lrkit.llm.fakeserver) in its own process (no faults, every reply after --latency
seconds), then runs --requests distinct prompts through the same path the tools use (run_jobs:
cache, journal, retries, progress) with --concurrency in flight. Prints requests/s and the resident
memory sampled through the run; with 1 s latency and 64 in flight the ceiling is 64 requests/s.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from lrkit.llm.config import LLMConfig
from lrkit.llm.runner import Job, Outcome, run_jobs


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--latency", type=float, default=1.0)
    parser.add_argument("--provider", choices=("openai", "anthropic"), default="openai")
    args = parser.parse_args()

    server = subprocess.Popen([str(Path(sys.executable).parent / "lrkit-fakeserver"), "--latency", str(args.latency),
                               "--malformed", "0"], stdout=subprocess.PIPE, text=True)
    url = server.stdout.readline().split()[-1]
    samples: list[tuple[float, int, float]] = []
    done = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(1.0):
            samples.append((time.monotonic(), done[0], rss_mb()))

    def handle(job: Job, reply) -> Outcome:
        done[0] += 1
        return Outcome([{"n": len(reply.text)}])

    try:
        with tempfile.TemporaryDirectory() as work:
            config = LLMConfig(model="bench", provider=args.provider, concurrency=args.concurrency, timeout=30,
                               base_url=url + "/v1" if args.provider == "openai" else url, cache_dir=f"{work}/cache")
            jobs = [Job(f"j{i}", f"第{i}题：A. 甲\nB. 乙\n请回答。", {"max_tokens": 16}) for i in range(args.requests)]
            threading.Thread(target=sample, daemon=True).start()
            start = time.monotonic()
            stats, _ = run_jobs(config, jobs, f"{work}/out.jsonl", handle, desc="bench")
            wall = time.monotonic() - start
            stop.set()
    finally:
        server.terminate()
        server.wait(10)
    steady = [s for s in samples if s[1] >= args.requests * 0.1]
    result = {
        "provider": args.provider, "requests": args.requests, "concurrency": args.concurrency, "latency_s": args.latency,
        "wall_s": round(wall, 2), "requests_per_s": round(args.requests / wall, 1), "failed": stats["failed"],
        "rss_mb_at_10pct": round(steady[0][2], 1) if steady else None,
        "rss_mb_at_end": round(samples[-1][2], 1) if samples else None,
        "rss_mb_max": round(max(s[2] for s in samples), 1) if samples else None,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
