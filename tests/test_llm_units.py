"""Pure parts of the LLM-API layer: config, backoff, JSON extraction, reply checking, agreement, journal."""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time

import pytest

from lrkit.llm.agreement import filter_agreement, merge_answer_files, verdict
from lrkit.voting import plurality
from lrkit.llm.client import LLMClient, RateLimiter, RequestFailed, backoff_delay, retry_after_seconds
from lrkit.llm.config import LLMConfig, add_client_args, load_config, price_of
from lrkit.llm.fakeserver import Faults, serve_in_thread
from lrkit.llm.runner import Journal
from lrkit.llm.synthesis import extract_json, parse_questions
from lrkit.records import DataError


def parse(argv):
    parser = argparse.ArgumentParser()
    add_client_args(parser)
    return parser.parse_args(argv)


def test_flags_override_the_yaml_config(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("provider: anthropic\nmodel: claude-x\nconcurrency: 4\nrpm: 60\n")
    config = load_config(parse(["--config", str(path), "--concurrency", "16"]))
    assert (config.provider, config.model, config.concurrency, config.rpm) == ("anthropic", "claude-x", 16, 60)
    assert config.params(temperature=1.0, max_tokens=100) == {"temperature": 1.0, "max_tokens": 100}


@pytest.mark.parametrize("text, message", [
    ("model: m\napi_key: sk-123\n", "not in a config file"),
    ("model: m\nconcurency: 3\n", "unknown key"),
    ("provider: azure\nmodel: m\n", "provider"),
    ("concurrency: 3\n", "no model"),
])
def test_bad_configs_are_refused_with_a_reason(tmp_path, text, message):
    path = tmp_path / "c.yaml"
    path.write_text(text)
    with pytest.raises(DataError, match=message):
        load_config(parse(["--config", str(path)]))


def test_key_comes_from_dotenv_and_a_local_endpoint_needs_none(tmp_path, monkeypatch):
    monkeypatch.delenv("MY_TEST_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DataError, match="MY_TEST_KEY"):
        LLMConfig(model="m", api_key_env="MY_TEST_KEY").api_key()
    assert LLMConfig(model="m", api_key_env="MY_TEST_KEY", base_url="http://127.0.0.1:1/v1").api_key() == "no-key"
    (tmp_path / ".env").write_text("MY_TEST_KEY=sk-from-dotenv\n")
    assert LLMConfig(model="m", api_key_env="MY_TEST_KEY").api_key() == "sk-from-dotenv"
    monkeypatch.delenv("MY_TEST_KEY", raising=False)


def test_prices_match_dated_snapshots_by_longest_prefix():
    prices = {"gpt-4o": {"input": 2.5}, "gpt-4o-mini": {"input": 0.15}}
    assert price_of(prices, "gpt-4o-mini-2024-07-18") == {"input": 0.15}
    assert price_of(prices, "gpt-4o-2024-08-06") == {"input": 2.5}
    assert price_of(prices, "llama") is None


def test_retry_after_forms():
    assert retry_after_seconds({"retry-after": "3"}) == 3.0
    assert retry_after_seconds({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert 0 <= retry_after_seconds({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) < 1  # in the past
    assert retry_after_seconds({"retry-after": "soon"}) is None
    assert retry_after_seconds({}) is None


def test_backoff_grows_is_capped_and_never_undercuts_retry_after():
    rng = random.Random(0)
    assert all(0 <= backoff_delay(a, 0.5, 8.0, None, rng) <= min(8.0, 0.5 * 2**a) for a in range(10) for _ in range(20))
    assert all(backoff_delay(0, 0.5, 8.0, 5.0, rng) >= 5.0 for _ in range(20))


def test_rate_limiter_spaces_request_starts():
    async def go():
        limiter = RateLimiter(rpm=1200)  # one start per 50 ms
        start = time.monotonic()
        await asyncio.gather(*(limiter.wait() for _ in range(6)))
        return time.monotonic() - start
    assert asyncio.run(go()) >= 0.24


async def complete_once(config: LLMConfig) -> None:
    """One request through a fresh client, closed whatever happens."""
    client = LLMClient(config)
    try:
        await client.complete("问题", {"max_tokens": 8})
    finally:
        await client.close()


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_retry_after_is_honoured_then_the_request_gives_up(provider):
    url, fake, stop = serve_in_thread(Faults(p429=1.0, retry_after="1"))
    try:
        config = LLMConfig(model="m", provider=provider, base_url=url + ("/v1" if provider == "openai" else ""),
                           max_retries=1, timeout=5)
        start = time.monotonic()
        with pytest.raises(RequestFailed, match="http 429"):
            asyncio.run(complete_once(config))
        assert time.monotonic() - start >= 1.0
        assert fake.outcomes["429"] == 2
    finally:
        stop()


def test_a_slow_server_is_cut_off_by_the_timeout():
    url, fake, stop = serve_in_thread(Faults(pslow=1.0, slow=20))
    try:
        config = LLMConfig(model="m", base_url=url + "/v1", max_retries=1, timeout=0.3, backoff_base=0.01)
        start = time.monotonic()
        with pytest.raises(RequestFailed, match="timeout"):
            asyncio.run(complete_once(config))
        assert time.monotonic() - start < 3
    finally:
        stop()


def test_json_is_found_fenced_or_in_prose():
    assert extract_json('好的：\n```json\n{"a": "{x}"}\n```\n完') == {"a": "{x}"}
    assert extract_json('题目如下 {"problem": "p", "questions": []} 以上') == {"problem": "p", "questions": []}
    assert extract_json("[1, 2] {broken") is None
    assert extract_json("没有 JSON") is None


def test_replies_are_tidied_or_rejected_with_a_reason():
    reply = json.dumps({"problem": "p", "questions": [
        {"question": "q", "options": ["A. 甲", "B. 乙"], "answer": "b."}]}, ensure_ascii=False)
    record, reason = parse_questions(reply, "syn-1")
    assert reason is None and record == {"id": "syn-1", "problem": "p",
                                         "questions": [{"question": "q", "options": ["甲", "乙"], "answer": "B"}]}
    bad = '{"problem": "p", "questions": [{"question": "q", "options": ["x", "y"], "answer": "E"}]}'
    assert parse_questions(bad, "s")[1] == "questions[0].answer: 'E' is outside the 2 options"
    assert parse_questions('{"problem": "p"}', "s")[1] == "questions: missing"
    assert parse_questions("I cannot.", "s")[1] == "no JSON object in the reply"


def q(answer, **votes):
    return {"question": "q", "options": ["a", "b", "c"], "answer": answer, "answers": votes}


def test_agreement_rules_and_levels():
    assert verdict(q("A", m=["A", "A"]), "unanimous") is None
    assert verdict(q("A", m=["A", None]), "unanimous") == "disagree"
    assert verdict(q("A", m=["A", "A"], n=["B"]), "majority") is None
    assert verdict(q("A", m=["A"], n=["B"]), "majority") == "disagree"
    assert verdict(q("A"), "majority") == "too few votes"
    records = [
        {"id": "1", "problem": "p", "family": "f1", "questions": [q("A", m=["A"]), q("B", m=["C"])]},
        {"id": "2", "problem": "p", "questions": [q("C", m=["C"])]},
    ]
    kept, dropped, report = filter_agreement(records, "unanimous", "subquestion")
    assert [len(r["questions"]) for r in kept] == [1, 1]
    assert dropped[0]["questions"][0]["dropped"] == "disagree"
    assert report["by_family"]["f1"] == {"subquestions_kept": 1, "subquestions_dropped": 1, "problems_kept": 1, "problems_dropped": 0}
    kept, _, report = filter_agreement(records, "unanimous", "problem")
    assert [r["id"] for r in kept] == ["2"] and report["total"]["subquestions_dropped"] == 2


def test_votes_from_several_answer_files_are_merged():
    a = [{"id": "1", "problem": "p", "questions": [q("A", m=["A"])]}]
    b = [{"id": "1", "problem": "p", "questions": [q("A", n=["B"])]}]
    assert merge_answer_files([a, b])[0]["questions"][0]["answers"] == {"m": ["A"], "n": ["B"]}
    assert plurality(["B", None, "A", "B"]) == "B" and plurality([None]) is None


def test_journal_cuts_a_torn_last_line_and_appends_after_it(tmp_path):
    path = tmp_path / "out.jsonl.journal"
    path.write_bytes(b'{"job": "a", "request": "1", "rows": []}\n{"job": "b", "request": "2", "rows": []}\n{"job": "c", "req')
    journal = Journal(path)
    assert sorted(journal.entries) == ["a", "b"]
    journal.append({"job": "c", "request": "3", "rows": [1]})
    journal.close()
    lines = path.read_text().splitlines()
    assert len(lines) == 3 and json.loads(lines[2])["job"] == "c"


def test_subquestion_mode_keeps_the_seed_problem_and_adds_new_questions(tmp_path):
    from conftest import FIXTURES, run_tool

    url, fake, stop = serve_in_thread(Faults(malformed=0.0))
    try:
        out = tmp_path / "sq.jsonl"
        run_tool("synthesize", "--seeds", FIXTURES / "sample_train.jsonl", "--mode", "subquestions", "--n", 8,
                 "--out", out, "--model", "m", "--base-url", url + "/v1", "--cache-dir", tmp_path / "c", check=True)
    finally:
        stop()
    seeds = {r["id"]: r for r in map(json.loads, (FIXTURES / "sample_train.jsonl").read_text(encoding="utf-8").splitlines())}
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 8 and len({r["id"] for r in records}) == 8
    for record in records:
        seed = seeds[record["source"]["seed"]]
        assert record["problem"] == seed["problem"] and record["id"].startswith(seed["id"] + "-sq")


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_a_rejected_key_stops_the_run_with_one_line_and_never_prints_the_key(tmp_path, provider):
    import os
    import subprocess
    import sys

    from conftest import FIXTURES, REPO, TOOLS

    url, fake, stop = serve_in_thread()
    try:
        proc = subprocess.run(
            [sys.executable, str(TOOLS / "answer.py"), str(FIXTURES / "sample_train.jsonl"), "--out", str(tmp_path / "o.jsonl"),
             "--provider", provider, "--model", "m", "--base-url", url + ("/v1" if provider == "openai" else ""),
             "--cache-dir", str(tmp_path / "c")],
            capture_output=True, text=True, cwd=REPO, timeout=120,
            env={**os.environ, "OPENAI_API_KEY": "bad-key", "ANTHROPIC_API_KEY": "bad-key"})
    finally:
        stop()
    assert proc.returncode == 1 and "http 401" in proc.stderr and "Traceback" not in proc.stderr
    assert "bad-key" not in proc.stderr + proc.stdout
