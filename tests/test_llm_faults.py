"""The three API tools as real subprocesses against a fault-injecting loopback server, both wire formats.

Every request may meet a 429 with Retry-After, a 500, a reply slower than the timeout, a truncated
or a non-JSON body. Whatever happens, every item completes exactly once; a finished command run
again asks for nothing; and a run killed with SIGKILL, then run again, writes the same bytes as an
uninterrupted one.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from contextlib import contextmanager

import pytest
from conftest import FIXTURES, REPO, TOOLS, run_tool

FAKESERVER = Path(sys.executable).parent / "lrkit-fakeserver"  # pyproject.toml [project.scripts]
FAULTS = ["--p429", "0.1", "--p500", "0.1", "--pslow", "0.04", "--ptruncate", "0.06", "--pnonjson", "0.06",
          "--slow", "3", "--retry-after", "1"]
SECRET = "sk-test-secret-never-on-disk"


@contextmanager
def fake_server(*extra):
    proc = subprocess.Popen([str(FAKESERVER), *FAULTS, *extra], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()  # the server prints its address once listening
        assert line.startswith("listening on "), line
        yield line.split()[-1]
    finally:
        proc.terminate()
        proc.wait(10)


def stats(url: str) -> dict:
    with urllib.request.urlopen(f"{url}/stats", timeout=5) as response:
        return json.load(response)


def endpoint(provider: str, url: str, cache) -> list[str]:
    base = url + "/v1" if provider == "openai" else url
    return ["--provider", provider, "--model", f"fake-{provider}", "--base-url", base, "--concurrency", "6",
            "--timeout", "1", "--max-retries", "12", "--cache-dir", str(cache)]


def tool_env() -> dict:
    return {**os.environ, "OPENAI_API_KEY": SECRET, "ANTHROPIC_API_KEY": SECRET}


def run(tool: str, *args) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, str(TOOLS / f"{tool}.py"), *map(str, args)], capture_output=True,
                          text=True, cwd=REPO, env=tool_env(), timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_gpt_writes_claude_answers_every_item_exactly_once(tmp_path):
    """The seed's pipeline under faults: synthesize over the OpenAI format, answer over the Anthropic one."""
    new, votes, kept = tmp_path / "new.jsonl", tmp_path / "votes.jsonl", tmp_path / "kept.jsonl"
    with fake_server() as url:
        run("synthesize", "--seeds", FIXTURES / "sample_train.jsonl", "--n", 30, "--k", 2, "--out", new,
            *endpoint("openai", url, tmp_path / "cache"))
        journal = lines(tmp_path / "new.jsonl.journal")
        assert sorted(e["job"] for e in journal) == [f"syn-{i:05d}" for i in range(30)]
        records, rejects = lines(new), lines(tmp_path / "new.rejects.jsonl")
        assert len(records) + len(rejects) == 30 and rejects and all(r["reason"] for r in rejects)
        assert run_tool("validate", new).returncode == 0

        run("answer", new, "--out", votes, *endpoint("anthropic", url, tmp_path / "cache"))
        answered = lines(votes)
        assert [r["id"] for r in answered] == [r["id"] for r in records]
        assert all(len(q["answers"]["fake-anthropic"]) == 1 for r in answered for q in r["questions"])

        # one paid reply per synthesis job and per distinct sub-question prompt: none asked twice
        distinct = {(r["problem"], q["question"], tuple(q["options"])) for r in records for q in r["questions"]}
        served = stats(url)
        assert served["answered"] == 30 + len(distinct)
        assert set(served["outcomes"]) > {"ok", "429", "500"}  # the faults did happen

    report = run("filter_agreement", votes, "--out", kept, "--rule", "majority")
    assert "total" in report.stdout
    on_disk = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert SECRET.encode() not in on_disk


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_kill_9_mid_run_then_rerun_equals_an_uninterrupted_run(tmp_path, provider):
    n = 30

    def command(out, cache, url):
        return [sys.executable, str(TOOLS / "synthesize.py"), "--seeds", str(FIXTURES / "sample_train.jsonl"),
                "--n", str(n), "--out", str(out), *endpoint(provider, url, cache)]

    reference = tmp_path / "reference.jsonl"
    with fake_server("--latency", "0.1") as url:
        subprocess.run(command(reference, tmp_path / "cache_ref", url), check=True, capture_output=True,
                       cwd=REPO, env=tool_env(), timeout=300)

    out = tmp_path / "out.jsonl"
    journal = tmp_path / "out.jsonl.journal"
    with fake_server("--latency", "0.1") as url:
        proc = subprocess.Popen(command(out, tmp_path / "cache", url), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, cwd=REPO, env=tool_env())
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if journal.exists() and journal.read_bytes().count(b"\n") >= 6:
                break
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(10) == -signal.SIGKILL
        done_before = journal.read_bytes().count(b"\n")
        assert 6 <= done_before < n and not out.exists()

        subprocess.run(command(out, tmp_path / "cache", url), check=True, capture_output=True,
                       cwd=REPO, env=tool_env(), timeout=300)
        served = stats(url)
        finished = out.read_bytes()
        subprocess.run(command(out, tmp_path / "cache", url), check=True, capture_output=True,
                       cwd=REPO, env=tool_env(), timeout=300)
        assert stats(url)["outcomes"] == served["outcomes"]  # a finished job run again asks nothing
        assert out.read_bytes() == finished

    assert out.read_bytes() == reference.read_bytes()
    assert (tmp_path / "out.rejects.jsonl").read_bytes() == (tmp_path / "reference.rejects.jsonl").read_bytes()
    keys = [e["job"] for e in lines(journal)]
    assert len(keys) == len(set(keys)) == n  # nothing lost, nothing twice
    assert served["answered"] <= n + 6  # only calls in flight at the kill (concurrency 6) can be asked again
