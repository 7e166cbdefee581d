"""tools/submit.py: a model's answers (scoring backend) or LLaMA-Factory's predictions into a submission file."""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES, build_tiny, run_tool

GOLD = FIXTURES / "sample_train.jsonl"


@pytest.fixture
def unlabelled(tmp_path):
    """The fixture problems with every answer removed, as a test file comes."""
    path = tmp_path / "test.jsonl"
    run_tool("strip_answers", GOLD, path, check=True)
    return path


def read(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_submit_with_model_fills_every_answer_in_order(tmp_path, unlabelled):
    tiny = build_tiny(tmp_path)
    out = tmp_path / "submit.jsonl"
    proc = run_tool("submit", "--model", tiny["base"], "--test", unlabelled, "--out", out, "--baseline", GOLD,
                    "--batch-size", 4, check=True)
    written, test = read(out), read(unlabelled)
    assert [r["id"] for r in written] == [r["id"] for r in test]
    for w, t in zip(written, test):
        assert [q["question"] for q in w["questions"]] == [q["question"] for q in t["questions"]]
        assert all(q["answer"] in "ABCDEFG"[: len(q["options"])] for q in w["questions"])
    assert "12 sub-questions (0 without an answer" in proc.stdout
    assert "similarity to" in proc.stdout and "/12 sub-questions" in proc.stdout


def test_submit_converts_generated_predictions(tmp_path, unlabelled):
    predictions = tmp_path / "generated_predictions.jsonl"
    replies = ["推理……答案是：C", "答案是：A\n不对，答案是：B", "B", "无法判断", "答案是：Z", "答案：D",
               "答案是：E", "A", "答案是：B", "答案是：A", "答案是：B", "答案是：C"]
    predictions.write_text("".join(json.dumps({"prompt": "p", "predict": r, "label": ""}, ensure_ascii=False) + "\n"
                                   for r in replies), encoding="utf-8")
    out = tmp_path / "submit.jsonl"
    proc = run_tool("submit", "--predictions", predictions, "--test", unlabelled, "--out", out, check=True)
    answers = [q["answer"] for r in read(out) for q in r["questions"]]
    # LAST answer line wins; unparseable and out-of-range letters get the fallback (A) and are counted
    # replies 4-7: no letter, no letter in A-G, D and E beyond the 2 / 4 options of their sub-questions
    assert answers[:8] == ["C", "B", "B", "A", "A", "A", "A", "A"]
    assert answers[8:] == ["B", "A", "B", "C"]
    assert "(4 without an answer, given A)" in proc.stdout


def test_submit_rejects_mismatched_predictions_without_traceback(tmp_path, unlabelled):
    predictions = tmp_path / "generated_predictions.jsonl"
    predictions.write_text(json.dumps({"prompt": "p", "predict": "答案是：A", "label": ""}) + "\n", encoding="utf-8")
    proc = run_tool("submit", "--predictions", predictions, "--test", unlabelled, "--out", tmp_path / "o.jsonl")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "1 generated predictions for 12" in proc.stderr
    assert not (tmp_path / "o.jsonl").exists()
