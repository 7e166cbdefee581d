"""The API tools against a real OpenAI-compatible server: `llamafactory-cli api` serving the default model.

A user's command lines, run as subprocesses, on loopback; few requests and short replies so that the
135M model on a CPU answers in seconds. What is checked is the plumbing (every job finishes, the
votes and the rejects land, a re-run is served from the journal), not the model's skill.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request

import pytest
from conftest import REPO, run_tool

MODEL = REPO / "models" / "smollm2-135m-instruct"
LLAMAFACTORY = REPO / ".venv" / "bin" / "llamafactory-cli"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def llamafactory_api():
    if not MODEL.exists() or not LLAMAFACTORY.exists():
        pytest.skip("models/smollm2-135m-instruct or llamafactory-cli missing: run bash scripts/setup.sh")
    port = free_port()
    env = {**os.environ, "API_HOST": "127.0.0.1", "API_PORT": str(port)}
    proc = subprocess.Popen([str(LLAMAFACTORY), "api", "--model_name_or_path", str(MODEL), "--template", "smollm2",
                             "--infer_backend", "huggingface"], env=env, cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 300
        while True:
            assert proc.poll() is None, "llamafactory-cli api exited during start-up"
            try:
                urllib.request.urlopen(f"{url}/models", timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "llamafactory-cli api did not come up in 300 s"
                time.sleep(1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.mark.slow
def test_answer_synthesize_and_filter_against_llamafactory_api(tmp_path, llamafactory_api):
    # one short problem, one request per tool: prefill dominates on a CPU, and CI's CPU is shared
    record = {"id": "tiny", "problem": "甲比乙高，乙比丙高。",
              "questions": [{"question": "谁最高？", "options": ["甲", "丙"], "answer": "A"}]}
    seeds = tmp_path / "one.jsonl"
    seeds.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    short_prompt = ["--prompt", REPO / "prompts" / "answer_only_zh.j2"]
    endpoint = ["--model", "smollm2-135m-instruct", "--base-url", llamafactory_api, "--concurrency", "1",
                "--timeout", "240", "--cache-dir", tmp_path / "cache"]
    votes = tmp_path / "votes.jsonl"
    first = run_tool("answer", seeds, "--out", votes, "--max-tokens", "8", *short_prompt, *endpoint,
                     check=True)
    assert "accuracy" in first.stdout
    answered = [json.loads(line) for line in votes.read_text(encoding="utf-8").splitlines()]
    letters = [v for q in answered[0]["questions"] for v in q["answers"]["smollm2-135m-instruct"]]
    assert len(letters) == 1 and all(v is None or v in "ABCD" for v in letters)

    again = run_tool("answer", seeds, "--out", votes, "--max-tokens", "8", *short_prompt, *endpoint,
                     check=True)
    assert "1 already done, 0 run" in again.stderr

    new = tmp_path / "new.jsonl"
    run_tool("synthesize", "--seeds", seeds, "--n", "1", "--k", "1", "--out", new, "--max-tokens", "16",
             *endpoint, check=True)
    made = new.read_text(encoding="utf-8").count("\n") + (tmp_path / "new.rejects.jsonl").read_text(encoding="utf-8").count("\n")
    assert made == 1  # a 16-token reply is almost surely a reject; either way it is accounted for

    kept = run_tool("filter_agreement", votes, "--out", tmp_path / "kept.jsonl", check=True)
    assert "total" in kept.stdout
