"""Bad input and odd situations (issue 16): one clear line on stderr, never a traceback.

Every case runs the real tool as a subprocess on real files in tmp_path.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import FIXTURES, REPO, TOOLS, run_tool

from lrkit.records import strip_answers

SAMPLE = FIXTURES / "sample_train.jsonl"          # 6 problems, 12 sub-questions (2-4 options)
GOLD = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
GOOD = {"id": "p1", "problem": "P", "questions": [{"question": "Q", "options": ["x", "y"], "answer": "B"}]}


def write_jsonl(path, records) -> str:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records),
                    encoding="utf-8")
    return str(path)


def stderr_lines(proc) -> list[str]:
    assert "Traceback" not in proc.stderr, proc.stderr
    return [line for line in proc.stderr.splitlines() if line.strip()]


def one_error_line(proc) -> str:
    """The one error line, last on stderr (generate announces its run before it starts)."""
    lines = [line for line in stderr_lines(proc) if not line.startswith("generate: ")]
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    return lines[0]


# 1. Output locations that cannot be written -------------------------------------------------------

def _output_cases(tmp_path):
    """(tool, args with OUT where the output path goes)."""
    return {
        "export_alpaca": [SAMPLE, "OUT"],
        "subquestion_rows": [SAMPLE, "OUT"],
        "split_dataset": [SAMPLE, "--train", "OUT", "--val", tmp_path / "val.jsonl"],
        "generate": ["--n", "2", "--quiet", "--out", "OUT"],
        "evaluate": ["--pred", SAMPLE, "--gold", SAMPLE, "--out", "OUT"],
        "filter_agreement": [SAMPLE, "--out", "OUT"],
    }


@pytest.mark.parametrize("tool", ["export_alpaca", "subquestion_rows", "split_dataset", "generate", "evaluate", "filter_agreement"])
def test_output_path_that_is_a_directory_is_one_line(tmp_path, tool):
    out = tmp_path / "a_folder"
    out.mkdir()
    args = [out if a == "OUT" else a for a in _output_cases(tmp_path)[tool]]
    line = one_error_line(run_tool(tool, *args))
    assert line == f"error: {out}: cannot write: is a directory"
    assert list(out.iterdir()) == []  # no temp file left behind


@pytest.mark.parametrize(
    "where,reason",
    [("/proc/x.jsonl", "cannot create a file in /proc"),
     ("/proc/no-such-dir/x.jsonl", "cannot create folder /proc/no-such-dir"),
     ("FILE/x.jsonl", "is not a directory"),
     ("FILE/deeper/x.jsonl", "is not a directory")],
)
@pytest.mark.parametrize("tool", ["subquestion_rows", "generate", "split_dataset"])
def test_unwritable_output_location_is_one_line(tmp_path, tool, where, reason):
    a_file = tmp_path / "a_file"
    a_file.write_text("not a folder")
    out = where.replace("FILE", str(a_file))
    args = [out if a == "OUT" else a for a in _output_cases(tmp_path)[tool]]
    line = one_error_line(run_tool(tool, *args))
    assert line.startswith(f"error: {out}: cannot write: ") and reason in line, line
    assert a_file.read_text() == "not a folder"


# 2. A reader that stops early ---------------------------------------------------------------------

def _run_into_closed_pipe(tool, *args):
    """stdout is a pipe whose reader is already gone: the first write fails with EPIPE."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run([sys.executable, str(TOOLS / f"{tool}.py"), *map(str, args)], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, cwd=REPO, timeout=300, check=False)
    finally:
        os.close(write_end)


@pytest.mark.parametrize("tool,args", [
    ("evaluate", ["--pred", FIXTURES / "sample_pred.jsonl", "--gold", SAMPLE, "--json"]),
    ("similarity", [SAMPLE, FIXTURES / "sample_pred.jsonl", "--diff"]),
    ("validate", [SAMPLE]),
])
def test_closed_stdout_exits_quietly(tool, args):
    proc = _run_into_closed_pipe(tool, *args)
    assert proc.returncode == 141, proc.stderr  # the shell's status for SIGPIPE, as `yes | head` gives
    assert proc.stderr == ""


def test_similarity_diff_into_head(tmp_path):
    # Large enough to overflow the pipe buffer: the tool is still writing when head exits.
    a = write_jsonl(tmp_path / "a.jsonl", [{"id": f"p{i}", "questions": [{"answer": "A"}]} for i in range(5000)])
    b = write_jsonl(tmp_path / "b.jsonl", [{"id": f"p{i}", "questions": [{"answer": "B"}]} for i in range(5000)])
    proc = subprocess.run(f"'{sys.executable}' tools/similarity.py {a} {b} --diff | head -1; echo \"${{PIPESTATUS[0]}}\" >&2",
                          shell=True, executable="/bin/bash", capture_output=True, text=True, cwd=REPO, timeout=300, check=False)
    assert proc.stdout.startswith("similarity 0.00% (0/5000 sub-questions)")
    assert proc.stderr.strip() == "141", proc.stderr


# 3. evaluate --pred: lower case, and every answer without a letter named --------------------------

def test_lower_case_answers_score_as_letters(tmp_path):
    lower = [{**r, "questions": [{**q, "answer": q["answer"].lower()} for q in r["questions"]]} for r in GOLD]
    pred = write_jsonl(tmp_path / "lower.jsonl", lower)
    proc = run_tool("evaluate", "--pred", pred, "--gold", SAMPLE, "--json")
    assert proc.returncode == 0 and stderr_lines(proc) == []
    metrics = json.loads(proc.stdout)
    assert (metrics["correct"], metrics["subquestions"], metrics["unparseable"]) == (12, 12, 0)
    generated = write_jsonl(tmp_path / "generated_predictions.jsonl",
                            [{"prompt": "", "predict": q["answer"].lower(), "label": ""} for r in GOLD for q in r["questions"]])
    assert json.loads(run_tool("evaluate", "--pred", generated, "--gold", SAMPLE, "--json", check=True).stdout)["correct"] == 12


def test_unusable_answers_are_named_with_file_line_and_reason(tmp_path):
    rows = json.loads(json.dumps(GOLD))
    rows[0]["questions"][0]["answer"] = "G"                   # outside the options
    del rows[1]["questions"][0]["answer"]                     # no answer
    rows[2]["questions"][0]["answer"] = "我不知道"             # no letter
    missing_id = rows[3]["id"]
    del rows[3]                                               # a whole problem missing
    pred = write_jsonl(tmp_path / "pred.jsonl", rows)
    proc = run_tool("evaluate", "--pred", pred, "--gold", SAMPLE)
    assert proc.returncode == 0, proc.stderr
    lines = stderr_lines(proc)
    n_missing = len(GOLD[3]["questions"])
    assert lines[0] == f"{pred}: {3 + n_missing} sub-questions without a usable answer (scored wrong):"
    n0 = len(GOLD[0]["questions"][0]["options"])
    assert f"{pred}:1: questions[0].answer: 'G' is outside the {n0} options" in lines
    assert f"{pred}:2: questions[0].answer: no answer" in lines
    assert f"{pred}:3: questions[0].answer: no answer letter in '我不知道'" in lines
    assert f"{pred}: {missing_id} #1: missing (no answer in this file)" in lines
    assert len(lines) == 1 + 3 + n_missing
    assert f"unparseable {3}, missing {n_missing}" in proc.stdout


def test_long_lists_of_unusable_answers_are_capped(tmp_path):
    gold = write_jsonl(tmp_path / "gold.jsonl", [dict(GOOD, id=f"p{i}") for i in range(30)])
    pred = write_jsonl(tmp_path / "pred.jsonl", [{"id": f"p{i}", "questions": [{"answer": "Z"}]} for i in range(30)])
    lines = stderr_lines(run_tool("evaluate", "--pred", pred, "--gold", gold, check=True))
    assert lines[0].startswith(f"{pred}: 30 sub-questions without a usable answer")
    assert len(lines) == 1 + 20 + 1 and lines[-1] == "... and 10 more"
    assert lines[1] == f"{pred}:1: questions[0].answer: no answer letter in 'Z'"


# 4. similarity reads what evaluate reads, and compares per sub-question ---------------------------

def test_similarity_reads_minimal_and_generated_files(tmp_path):
    minimal = write_jsonl(tmp_path / "minimal.jsonl",
                          [{"id": r["id"], "questions": [{"answer": q["answer"]} for q in r["questions"]]} for r in GOLD])
    generated = write_jsonl(tmp_path / "generated_predictions.jsonl",
                            [{"prompt": "", "predict": f"答案是：{q['answer']}", "label": ""} for r in GOLD for q in r["questions"]])
    for a, b in ((SAMPLE, minimal), (minimal, generated), (generated, SAMPLE)):
        proc = run_tool("similarity", a, b)
        assert proc.returncode == 0 and stderr_lines(proc) == [], proc.stderr
        assert proc.stdout.startswith("similarity 100.00% (12/12 sub-questions); skipped: 0"), proc.stdout
    short = write_jsonl(tmp_path / "short.jsonl", [{"predict": "A"}])
    line = one_error_line(run_tool("similarity", SAMPLE, short))
    assert line == f"error: {short}: 1 generated predictions for 12 {SAMPLE} sub-questions; " \
                   f"predict on the same exported file as the {SAMPLE} file"


def test_similarity_skips_one_bad_label_not_its_problem(tmp_path):
    rows = json.loads(json.dumps(GOLD))
    problem = next(r for r in rows if len(r["questions"]) > 1)
    n = len(problem["questions"][0]["options"])
    problem["questions"][0]["answer"] = "G"   # outside its options; the other sub-questions stay comparable
    b = write_jsonl(tmp_path / "b.jsonl", rows)
    proc = run_tool("similarity", SAMPLE, b, "--json")
    assert proc.returncode == 0
    result = json.loads(proc.stdout)
    assert (result["same"], result["common"], result["skipped"]) == (11, 11, 1)
    line_no = rows.index(problem) + 1
    assert stderr_lines(proc) == ["skipped 1 sub-question without a usable letter in one file:",
                                  f"{b}:{line_no}: questions[0].answer: 'G' is outside the {n} options"]


# 5. Messages ------------------------------------------------------------------------------------

def test_unlabelled_hint_only_from_tools_that_have_the_flag(tmp_path):
    record = json.loads(json.dumps(GOOD))
    del record["questions"][0]["answer"]
    path = write_jsonl(tmp_path / "test.jsonl", [GOOD, dict(record, id="p2")])
    for tool, args in (("subquestion_rows", [tmp_path / "o.jsonl"]), ("validate", []), ("export_alpaca", [tmp_path / "o.json"])):
        proc = run_tool(tool, path, *args)
        assert f"{path}:2: questions[0].answer: missing (use --unlabelled for test files)" in stderr_lines(proc), tool
    for tool, args in (("split_dataset", ["--train", tmp_path / "t.jsonl", "--val", tmp_path / "v.jsonl"]),
                       ("evaluate", ["--pred", path, "--gold"])):
        proc = run_tool(tool, *args, path) if tool == "evaluate" else run_tool(tool, path, *args)
        assert f"{path}:2: questions[0].answer: missing" in stderr_lines(proc), (tool, proc.stderr)
        assert "--unlabelled" not in proc.stderr, tool


def test_json_error_wording(tmp_path):
    path = write_jsonl(tmp_path / "x.jsonl", [GOOD, '{"id": "p2", "problem": "unterminated'])
    lines = stderr_lines(run_tool("validate", path))
    assert lines == [f"{path}:2: <json>: invalid JSON: Unterminated string starting at column 25"]


def test_submit_calls_the_test_file_test(tmp_path):
    test_file = write_jsonl(tmp_path / "test.jsonl", strip_answers(GOLD))
    short = write_jsonl(tmp_path / "generated_predictions.jsonl", [{"predict": "A"}])
    line = one_error_line(run_tool("submit", "--predictions", short, "--test", test_file, "--out", tmp_path / "s.jsonl"))
    assert "12 test sub-questions" in line and "gold" not in line


def test_counts_of_one_are_singular(tmp_path):
    path = write_jsonl(tmp_path / "one.jsonl", [GOOD])
    # validate's summary keeps "1 problems" for now: tests/test_foundation.py pins that text.
    out = run_tool("export_alpaca", path, tmp_path / "one.json", check=True).stdout
    assert "1 problem -> 1 Alpaca record ->" in out
    out = run_tool("split_dataset", path, "--train", tmp_path / "t.jsonl", "--val", tmp_path / "v.jsonl", check=True).stdout
    assert "1 problem / 1 sub-question ->" in out and "0 problems / 0 sub-questions ->" in out


def test_bitsandbytes_cpu_kernel_warning_is_silenced():
    # bitsandbytes logs it through this logger on import (CPUs with AVX512-BF16, without `kernels`);
    # emit it as bitsandbytes would, after the import every tool starts with.
    code = ("import logging, lrkit.cli; logging.getLogger('bitsandbytes.backends.cpu.ops').warning("
            "'Failed to load CPU gemm_4bit_forward from kernels-community'); "
            "logging.getLogger('bitsandbytes.backends.cpu.ops').error('real errors still show')")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=TOOLS, timeout=60, check=False)
    assert proc.returncode == 0 and "gemm_4bit_forward" not in proc.stderr and "real errors still show" in proc.stderr


# 6. --strict everywhere; without it: skip, one line each, a summary, exit 0 -------------------------

def _strict_cases(tmp_path, bad):
    """(tool, args, outputs that --strict must leave unwritten)."""
    out = tmp_path / "out"
    test = write_jsonl(tmp_path / "test.jsonl", strip_answers(GOLD))
    return [
        ("validate", [bad], []),
        ("subquestion_rows", [bad, out / "split.jsonl"], [out / "split.jsonl"]),
        ("split_dataset", [bad, "--train", out / "t.jsonl", "--val", out / "v.jsonl"], [out / "t.jsonl", out / "v.jsonl"]),
        ("export_alpaca", [bad, out / "a.json"], [out / "a.json"]),
        ("evaluate", ["--pred", FIXTURES / "sample_pred.jsonl", "--gold", bad, "--out", out / "m.json"], [out / "m.json"]),
        ("evaluate", ["--pred", bad, "--gold", SAMPLE, "--out", out / "m.json"], [out / "m.json"]),
        ("similarity", [bad, SAMPLE], []),
        ("submit", ["--predictions", bad, "--test", test, "--out", out / "s.jsonl"], [out / "s.jsonl"]),
        ("filter_agreement", [bad, "--out", out / "kept.jsonl"], [out / "kept.jsonl"]),
    ]


@pytest.mark.parametrize("index", range(9))
def test_strict_aborts_and_default_skips_with_a_summary(tmp_path, index):
    bad = write_jsonl(tmp_path / "bad.jsonl", [*GOLD, "{broken"])
    bad_line = len(GOLD) + 1
    tool, args, outputs = _strict_cases(tmp_path, bad)[index]
    if tool == "submit":  # the predictions must match the test file row for row: a bad line keeps its place
        bad = args[1] = write_jsonl(tmp_path / "gp.jsonl", [{"predict": "A"}] * 11 + ["{broken"])
        bad_line = 12
    strict = run_tool(tool, *args, "--strict")
    lines = stderr_lines(strict)
    assert strict.returncode == 1, (tool, strict.stdout, strict.stderr)
    assert lines[0].startswith(f"{bad}:{bad_line}: <json>: invalid JSON"), (tool, lines)
    if tool == "validate":  # the checker: always strict, exit 1 on any bad line, with or without the flag
        default = run_tool(tool, *args)
        assert default.returncode == 1 and stderr_lines(default) == lines
        return
    assert lines[1:] == [f"error: {bad}: 1 bad line (--strict); nothing written"], (tool, lines)
    assert not any(p.exists() for p in outputs), tool
    default = run_tool(tool, *args)
    assert default.returncode == 0, (tool, default.stdout, default.stderr)
    lines = stderr_lines(default)
    assert sum(line.startswith(f"{bad}:{bad_line}: <json>: invalid JSON") for line in lines) == 1, (tool, lines)
    assert any(line.startswith(f"{bad}: skipped 1 bad line") for line in lines), (tool, lines)
    assert all(p.exists() for p in outputs), tool
