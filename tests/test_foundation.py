"""Foundation: format checks, split/join, Alpaca export and registration, evaluation and similarity."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, run_tool

from lrkit.extraction import extract_answer
from lrkit.metrics import answer_map, score, similarity
from lrkit.records import join_subquestion_rows, load_problems, read_problems, subquestion_rows
from lrkit.splitting import split_by_problem

SAMPLE = FIXTURES / "sample_train.jsonl"
SAMPLE_PRED = FIXTURES / "sample_pred.jsonl"
GOOD = {"id": "p1", "problem": "P", "questions": [{"question": "Q", "options": ["x", "y"], "answer": "B"}]}


def test_validate_real_train_counts(real_train):
    proc = run_tool("validate", real_train, check=True)
    assert "500 problems, 1421 sub-questions, 0 issue(s)" in proc.stdout
    assert "{2: 464, 3: 8, 4: 942, 5: 7}" in proc.stdout
    assert "'B': 604" in proc.stdout


def test_export_real_train_gives_1421_records_and_registers(real_train, tmp_path):
    out, info = tmp_path / "sft" / "real.json", tmp_path / "dataset_info.json"
    info.write_text('{"other": {"file_name": "x.json"}}', encoding="utf-8")
    proc = run_tool("export_alpaca", real_train, out, "--name", "real", "--register", info, check=True)
    assert "1421 Alpaca records" in proc.stdout
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert len(rows) == 1421
    assert rows[0]["output"] == "答案是：D" and "### 题目:" in rows[0]["instruction"]
    assert rows[0]["instruction"].rstrip().endswith("D. le chat sauts sur le lune")
    registry = json.loads(info.read_text(encoding="utf-8"))
    assert registry["other"] == {"file_name": "x.json"}  # other entries survive
    assert registry["real"] == {
        "file_name": "sft/real.json",
        "formatting": "alpaca",
        "columns": {"prompt": "instruction", "query": "input", "response": "output"},
    }


def test_export_uses_worked_solution_when_present(tmp_path):
    src = tmp_path / "s.jsonl"
    record = json.loads(json.dumps(GOOD))
    record["questions"][0]["solution"] = "第一步：……\n第二步：……"
    src.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    run_tool("export_alpaca", src, tmp_path / "a.json", check=True)
    run_tool("export_alpaca", src, tmp_path / "b.json", "--no-solutions", check=True)
    assert json.loads((tmp_path / "a.json").read_text())[0]["output"] == "第一步：……\n第二步：……\n答案是：B"
    assert json.loads((tmp_path / "b.json").read_text())[0]["output"] == "答案是：B"


def _write_lines(path, lines, encoding="utf-8", newline="\n", bom=False):
    data = newline.join(lines) + newline
    raw = data.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + raw)
    return path


def test_corrupted_file_reports_one_message_per_fault(tmp_path):
    bad = dict(GOOD, id="p3")
    bad["questions"] = [{"question": "Q", "options": ["x", "y"], "answer": "C"}]
    lines = [
        json.dumps(GOOD),                                   # 1 ok
        '{"id": "p2", "problem": "P", "questions": [',      # 2 bad JSON
        json.dumps({"id": "p4", "questions": GOOD["questions"]}),  # 3 missing problem
        json.dumps(bad),                                    # 4 answer outside options
        json.dumps(dict(GOOD)),                             # 5 duplicate id p1
        json.dumps(dict(GOOD, id="p6", questions="none")),  # 6 wrong type
        json.dumps(dict(GOOD, id="p7")),                    # 7 ok
    ]
    path = _write_lines(tmp_path / "corrupt.jsonl", lines)
    proc = run_tool("validate", path)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    messages = proc.stderr.strip().splitlines()
    assert len(messages) == 5, messages
    expected = [
        (2, "<json>"), (3, "problem"), (4, "questions[0].answer"), (5, "id"), (6, "questions"),
    ]
    for message, (line, field) in zip(messages, expected):
        assert message.startswith(f"{path}:{line}: {field}: "), message
    assert "2 problems" in proc.stdout  # the two good lines are kept and counted


def test_bad_lines_are_skipped_and_everything_else_kept(tmp_path):
    lines = [json.dumps(dict(GOOD, id=f"p{i}")) for i in range(100)]
    lines[37] = "not json"
    path = _write_lines(tmp_path / "big.jsonl", lines)
    out = tmp_path / "split.jsonl"
    proc = run_tool("subquestion_rows", path, out)
    assert proc.returncode == 0
    assert f"{path}:38: <json>" in proc.stderr and "kept 99" in proc.stderr
    assert len(out.read_text().splitlines()) == 99
    strict = run_tool("subquestion_rows", path, tmp_path / "strict.jsonl", "--strict")
    assert strict.returncode == 1 and not (tmp_path / "strict.jsonl").exists()
    assert "Traceback" not in strict.stderr


def test_bom_crlf_and_unlabelled(tmp_path):
    unlabelled = json.loads(json.dumps(GOOD))
    del unlabelled["questions"][0]["answer"]
    path = _write_lines(tmp_path / "test.jsonl", [json.dumps(unlabelled, ensure_ascii=False)], newline="\r\n", bom=True)
    assert run_tool("validate", path).returncode == 1  # answers required by default
    proc = run_tool("validate", path, "--unlabelled")
    assert proc.returncode == 0, proc.stderr
    assert "1 problems, 1 sub-questions" in proc.stdout


def test_empty_and_non_utf8_files(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    proc = run_tool("validate", empty)
    assert proc.returncode == 1 and f"{empty}:0: <file>: empty" in proc.stderr
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(json.dumps(GOOD).encode() + b"\n" + '{"id": "é"}'.encode("latin-1") + b"\n")
    proc = run_tool("validate", latin)
    assert proc.returncode == 1 and f"{latin}:2: <line>: not UTF-8" in proc.stderr
    missing = run_tool("validate", tmp_path / "nope.jsonl")
    assert missing.returncode == 1 and "cannot read" in missing.stderr and "Traceback" not in missing.stderr


@pytest.mark.parametrize("tool", ["validate", "subquestion_rows", "split_dataset", "export_alpaca", "evaluate", "similarity"])
def test_every_tool_documents_itself(tool):
    proc = run_tool(tool, "--help")
    assert proc.returncode == 0 and "usage:" in proc.stdout.lower()


def test_split_and_join_roundtrip(tmp_path):
    rows = list(subquestion_rows(load_problems(SAMPLE)))
    assert len(rows) == 12 and [r["sub_index"] for r in rows[:2]] == [0, 1]
    assert all(len(r["questions"]) == 1 for r in rows)
    joined = join_subquestion_rows(rows)
    original = [{k: v for k, v in r.items() if k != "_line"} for r in load_problems(SAMPLE)]
    assert joined == original
    out, back = tmp_path / "split.jsonl", tmp_path / "joined.jsonl"
    run_tool("subquestion_rows", SAMPLE, out, check=True)
    run_tool("subquestion_rows", out, back, "--join", check=True)
    assert back.read_text(encoding="utf-8").splitlines() == SAMPLE.read_text(encoding="utf-8").splitlines()


def test_split_by_problem_is_deterministic_and_never_straddles(real_train, tmp_path):
    records = load_problems(real_train)
    train, val = split_by_problem(records, 0.1, seed=42)
    assert len(train) + len(val) == 500 and 30 <= len(val) <= 70
    assert not {r["id"] for r in train} & {r["id"] for r in val}
    assert [r["id"] for r in split_by_problem(records, 0.1, seed=42)[1]] == [r["id"] for r in val]
    assert [r["id"] for r in split_by_problem(records, 0.1, seed=7)[1]] != [r["id"] for r in val]
    run_tool("split_dataset", real_train, "--train", tmp_path / "t.jsonl", "--val", tmp_path / "v.jsonl", check=True)
    assert len((tmp_path / "v.jsonl").read_text().splitlines()) == len(val)


def test_evaluate_matches_hand_count():
    # Hand count (see data/fixtures): 9 of 12 sub-questions right; problems 001, 004, 005 all right.
    gold = load_problems(SAMPLE)
    metrics = score(gold, answer_map(load_problems(SAMPLE_PRED)))
    assert (metrics["correct"], metrics["subquestions"]) == (9, 12)
    assert metrics["problems_all_correct"] == 3
    assert metrics["by_options"]["2"] == {"n": 6, "correct": 4, "accuracy": 0.6667}
    assert metrics["by_options"]["4"] == {"n": 4, "correct": 3, "accuracy": 0.75}
    assert {k: (v["n"], v["correct"]) for k, v in metrics["by_answer_letter"].items()} == {
        "A": (3, 2), "B": (6, 4), "C": (3, 3)
    }
    proc = run_tool("evaluate", "--pred", SAMPLE_PRED, "--gold", SAMPLE, "--json", check=True)
    assert json.loads(proc.stdout)["accuracy"] == 0.75


def test_evaluate_llamafactory_predictions_take_the_last_answer(tmp_path):
    gold = load_problems(SAMPLE)
    texts = ["先想答案是：A，不对，答案是：C", "A", "答案是：A", "答案是：B", "我不知道", "答案是：B",
             "Answer: B", "B", "答案是：B", "答案是：B", "答案是：B", "答案是：E"]
    pred = tmp_path / "generated_predictions.jsonl"
    pred.write_text("\n".join(json.dumps({"prompt": "", "predict": t, "label": ""}, ensure_ascii=False) for t in texts))
    proc = run_tool("evaluate", "--pred", pred, "--gold", SAMPLE, "--json", check=True)
    metrics = json.loads(proc.stdout)
    # Hand count against gold C A B B A B C B A B B C: right are texts 1, 2, 4, 6, 8, 10, 11.
    expected = sum(
        extract_answer(t, len(q["options"])) == q["answer"]
        for t, (_, q) in zip(texts, [(r, q) for r in gold for q in r["questions"]])
    )
    assert metrics["correct"] == expected == 7
    assert metrics["unparseable"] == 2  # "我不知道" and E on a 3-option question
    short = tmp_path / "short.jsonl"
    short.write_text(json.dumps({"prompt": "", "predict": "A", "label": ""}))
    proc = run_tool("evaluate", "--pred", short, "--gold", SAMPLE)
    assert proc.returncode == 1 and "1 generated predictions for 12 gold" in proc.stderr


def test_similarity_matches_hand_count():
    result = similarity(load_problems(SAMPLE), load_problems(SAMPLE_PRED))
    assert (result["same"], result["common"]) == (9, 12)
    assert result["diffs"]["fixture_002"] == [{"sub_index": 1, "a": "B", "b": "A"}]
    proc = run_tool("similarity", SAMPLE, SAMPLE_PRED, "--diff", check=True)
    assert "similarity 75.00% (9/12" in proc.stdout and "fixture_003: #1 B≠D" in proc.stdout


@pytest.mark.parametrize(
    "text,n,expected",
    [("答案是：A\n……最终答案是：C", 4, "C"), ("Answer: b", 4, "B"), ("B", 2, "B"), ("（C）", 4, "C"),
     ("我认为A是对的", 4, None), ("答案是：E", 4, None), ("", 4, None), ("答案为：D", 4, "D")],
)
def test_extract_answer(text, n, expected):
    assert extract_answer(text, n) == expected


def test_read_problems_keeps_extra_fields(tmp_path):
    path = _write_lines(tmp_path / "x.jsonl", [json.dumps(dict(GOOD, family="kinship", difficulty="easy"))])
    records, issues = read_problems(path)
    assert not issues and records[0]["family"] == "kinship"


def test_split_rows_validate_and_score_like_problems(tmp_path):
    out = tmp_path / "split.jsonl"
    run_tool("subquestion_rows", SAMPLE, out, check=True)
    assert run_tool("validate", out).returncode == 0
    proc = run_tool("evaluate", "--pred", SAMPLE_PRED, "--gold", out, "--json", check=True)
    assert json.loads(proc.stdout)["correct"] == 9
