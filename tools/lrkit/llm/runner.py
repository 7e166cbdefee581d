"""Run many model calls as jobs: append-only journal, resume, ordered outputs, rejects, progress.

A :class:`Job` is one request with a stable ``key`` (its slot in the output). Every finished job
appends one line to the journal ``OUT.journal`` — the rows it produced, or the reason its reply was
rejected — in one ``write`` call. Running the same command again reads the journal, skips every job
whose key *and* request are already there (a changed model or prompt re-runs that job), and asks
the cache before the network, so a ``kill -9`` at any moment costs no repeated paid call. When no job
is left, :func:`assemble` writes the output and the rejects file atomically in job order: an
interrupted run, resumed, yields the same bytes as an uninterrupted one, with no duplicate or lost row.
"""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from tqdm import tqdm

from ..cli import err
from ..records import write_jsonl
from .cache import ResponseCache
from .client import LLMClient, Reply, RequestFailed
from .config import LLMConfig, load_prices, price_of


@dataclass
class Job:
    key: str
    prompt: str
    params: dict
    sample: int = 0
    context: Any = None


@dataclass
class Outcome:
    """What a reply became: output rows, or a reject reason (a malformed reply is data, not a crash)."""

    rows: list
    reject: str | None = None


Handler = Callable[[Job, Reply], Outcome]


def journal_path(out: str | os.PathLike) -> Path:
    return Path(f"{out}.journal")


class Journal:
    """Append-only JSONL of finished jobs; a line torn by a kill is cut off on open."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.entries: dict[str, dict] = {}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists():
            self._load()
        self.fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def _load(self) -> None:
        data = self.path.read_bytes()
        end = data.rfind(b"\n") + 1
        if end < len(data):
            os.truncate(self.path, end)  # the last append was cut short; that job simply runs again
        for line in data[:end].splitlines():
            try:
                entry = json.loads(line)
                self.entries[entry["job"]] = entry
            except (ValueError, KeyError, TypeError):
                continue

    def done(self, job: Job, request: str) -> bool:
        entry = self.entries.get(job.key)
        return entry is not None and entry.get("request") == request

    def append(self, entry: dict) -> None:
        os.write(self.fd, (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8"))
        self.entries[entry["job"]] = entry

    def close(self) -> None:
        os.close(self.fd)


class Meter:
    """tqdm bar with rate and ETA, plus tokens, cache hits, retries, rejects and estimated cost."""

    def __init__(self, client: LLMClient, total: int, resumed: int, desc: str):
        self.client = client
        self.price = price_of(load_prices(client.config.prices), client.config.model)
        self.rejects = 0
        self.bar = tqdm(total=total, initial=resumed, desc=desc, unit="req", dynamic_ncols=True,
                        mininterval=0.5, disable=None)

    def cost(self) -> float | None:
        if self.price is None:
            return None
        s = self.client.stats
        return (s.input_tokens * self.price.get("input", 0) + s.output_tokens * self.price.get("output", 0)) / 1e6

    def summary(self) -> str:
        s = self.client.stats
        cost = self.cost()
        return (f"tok {s.input_tokens}/{s.output_tokens} in/out, cached {s.cache_hits}, retries {s.retries}, "
                f"rejects {self.rejects}, failed {s.failed}, cost " + ("?" if cost is None else f"${cost:.4f}"))

    def update(self, outcome: Outcome | None) -> None:
        if outcome is not None and outcome.reject:
            self.rejects += 1
        self.bar.update(1)
        self.bar.set_postfix_str(self.summary(), refresh=False)

    def close(self) -> None:
        self.bar.close()


async def _run(config: LLMConfig, jobs: list[Job], journal: Journal, handle: Handler, desc: str, total: int) -> dict:
    client = LLMClient(config, ResponseCache(config.cache_dir))
    pending = [(job, client.key(job.prompt, job.params, job.sample)) for job in jobs]
    todo = [(job, request) for job, request in pending if not journal.done(job, request)]
    meter = Meter(client, total, total - len(todo), desc)
    failures: list[str] = []
    queue = iter(todo)

    async def worker() -> None:
        for job, request in queue:  # one shared iterator: each job is taken exactly once
            try:
                reply = await client.complete(job.prompt, job.params, job.sample)
            except RequestFailed as e:
                failures.append(f"{job.key}: {e}")
                meter.update(None)
                continue
            try:
                outcome = handle(job, reply)
            except Exception as e:  # a handler bug must not lose the paid reply: reject and go on
                outcome = Outcome([], f"handler error: {type(e).__name__}: {e}")
            entry = {"job": job.key, "request": request, "rows": outcome.rows}
            if outcome.reject:
                entry.update(reject=outcome.reject, reply=reply.text)
            journal.append(entry)
            meter.update(outcome)

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(min(config.concurrency, len(todo)) or 1):
                group.create_task(worker())
    except ExceptionGroup as group:  # a bad key stops every worker: report it as itself
        first = group.exceptions[0]
        while isinstance(first, ExceptionGroup):
            first = first.exceptions[0]
        raise first from None
    finally:
        meter.close()
        await client.close()
    for failure in failures[:10]:
        err(f"failed {failure}")
    err(f"{desc}: {total} jobs, {total - len(todo)} already done, {len(todo)} run; {meter.summary()}")
    return {"jobs": total, "resumed": total - len(todo), "failed": len(failures), "rejects": meter.rejects,
            **{k: v for k, v in vars(client.stats).items() if k != "failed"}, "cost": meter.cost()}


def run_jobs(config: LLMConfig, jobs: Iterable[Job], out: str | os.PathLike, handle: Handler, desc: str = "llm") -> tuple[dict, Journal]:
    """Run every job not yet in ``OUT.journal``; return the run's counts and the journal."""
    jobs = list(jobs)
    keys = [job.key for job in jobs]
    if len(set(keys)) != len(keys):
        raise ValueError("job keys must be unique")
    journal = Journal(journal_path(out))
    try:
        stats = asyncio.run(_run(config, jobs, journal, handle, desc, len(jobs)))
    finally:
        journal.close()
    return stats, journal


def finished(jobs: Iterable[Job], journal: Journal, rejects: str | os.PathLike) -> list[dict]:
    """The journal entries in job order (one per job), after writing the rejects file in that order."""
    entries = [journal.entries[job.key] for job in jobs]
    write_jsonl(rejects, ({"job": e["job"], "reason": e["reject"], "reply": e.get("reply", "")}
                          for e in entries if e.get("reject")))
    return entries


def rejects_path(out: str | os.PathLike) -> Path:
    out = Path(out)
    return out.with_name(out.name.removesuffix(".jsonl") + ".rejects.jsonl")


def banner(verb: str, config: LLMConfig, jobs: int, out) -> None:
    """One line before a run: what is asked of which endpoint, how hard, and where it goes."""
    err(f"{verb}: {jobs} requests to {config.provider} model {config.model!r} at {config.base_url or 'the default endpoint'}, "
        f"concurrency {config.concurrency}{f', {config.rpm:g} rpm' if config.rpm else ''} -> {out}")


def incomplete(stats: dict, out) -> bool:
    """True (after saying so) when some requests failed and the output must wait for a re-run."""
    if not stats["failed"]:
        return False
    err(f"{stats['failed']} request(s) failed; nothing written to {out}. "
        "Run the same command again: finished work is kept and only the rest is asked for.")
    return True
