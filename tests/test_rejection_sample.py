"""Rejection-sampled reasoning: the acceptance rule on real answer objects, the reasoning cut before the last answer
line, and tools/rejection_sample.py end to end on a tiny real model (generate backend): counts, journal, resume."""

from __future__ import annotations

import json

from conftest import run_tool

from lrkit.alpaca import target_text
from lrkit.extraction import reasoning_before_answer
from lrkit.inference import Answer, Item
from lrkit.rejection import accept


def test_reasoning_is_the_text_before_the_last_answer_line():
    assert reasoning_before_answer("先看规则1。\n答案是：A\n再想想，规则2更好。\n答案是：B") == "先看规则1。\n答案是：A\n再想想，规则2更好。"
    assert reasoning_before_answer("Answer: C") is None  # nothing before it: no reasoning to learn
    assert reasoning_before_answer("没有结论") is None and reasoning_before_answer(None) is None


def test_accept_keeps_the_first_right_chain_per_sub_question():
    records = [{"id": "p1", "problem": "x", "questions": [{"question": "q1", "options": ["是", "否"], "answer": "A"},
                                                          {"question": "q2", "options": ["是", "否"], "answer": "B"}]},
               {"id": "p2", "problem": "y", "questions": [{"question": "q3", "options": ["1", "2", "3"], "answer": "C"}]}]
    items = [Item(("p1", 0), 2, []), Item(("p1", 1), 2, []), Item(("p2", 0), 3, [])]
    sample1 = [Answer(("p1", 0), "B", text="错的推理\n答案是：B"), Answer(("p1", 1), "B", text="推理一\n答案是：B"),
               Answer(("p2", 0), None, text="没有答案")]
    sample2 = [Answer(("p1", 0), "A", text="对的推理\n答案是：A"), Answer(("p1", 1), "B", text="推理二\n答案是：B"),
               Answer(("p2", 0), "A", text="推理\n答案是：A")]
    kept, counts = accept(records, items, [sample1, sample2])
    assert counts["chains"] == 6 and counts["right_chains"] == 3 and counts["subquestions"] == 3
    assert counts["kept_subquestions"] == 2 and counts["kept_problems"] == 1
    assert [r["id"] for r in kept] == ["p1"]
    assert [q["solution"] for q in kept[0]["questions"]] == ["对的推理", "推理一"]
    assert target_text(kept[0]["questions"][0]) == "对的推理\n答案是：A"  # what training then targets


def test_the_tool_on_a_tiny_model_journals_and_resumes(tmp_path, tiny_model):
    pool = tmp_path / "pool.jsonl"
    run_tool("generate", "--n", 3, "--seed", 300000, "--out", pool, check=True)
    n_sub = sum(len(json.loads(line)["questions"]) for line in pool.read_text(encoding="utf-8").splitlines())
    out = tmp_path / "chains.jsonl"
    common = ["--model", tiny_model, "--template", "smollm2", "--data", pool, "--out", out, "--samples", 2,
              "--max-new-tokens", 4, "--chunk", 2, "--dtype", "float32"]
    proc = run_tool("rejection_sample", *common, check=True)
    assert f"of {2 * n_sub} chains right" in proc.stdout and f"of {n_sub} sub-questions" in proc.stdout
    assert "0 already sampled" in proc.stderr
    journal = [json.loads(line) for line in (tmp_path / "chains.jsonl.journal").read_text(encoding="utf-8").splitlines()]
    assert len(journal) == 2 and sum(e["counts"]["chains"] for e in journal) == 2 * n_sub
    for line in out.read_text(encoding="utf-8").splitlines():  # whatever was kept carries its chain
        assert all(q["solution"] for q in json.loads(line)["questions"])
    again = run_tool("rejection_sample", *common, check=True)
    assert "2 already sampled" in again.stderr and "generate (model)" not in again.stderr
    assert again.stdout.splitlines()[-1] == proc.stdout.splitlines()[-1]  # the same counts, from the journal
    changed = run_tool("rejection_sample", *common[:-6], "--max-new-tokens", 3, "--chunk", 2, "--dtype", "float32",
                       check=True)
    assert "0 already sampled" in changed.stderr  # other settings: sampled again


def test_scoring_backend_and_missing_model_are_refused(tmp_path):
    proc = run_tool("rejection_sample", "--data", tmp_path / "x.jsonl", "--out", tmp_path / "o.jsonl")
    assert proc.returncode == 2 and "--model is required" in proc.stderr
    proc = run_tool("rejection_sample", "--model", "m", "--backend", "scoring", "--samples", 1,
                    "--data", tmp_path / "x.jsonl", "--out", tmp_path / "o.jsonl")
    assert proc.returncode == 2 and "scoring gives letters" in proc.stderr
