"""tools/select_hard.py on real files: a generated pool answered by a real (tiny, random) model through
tools/evaluate.py --save keeps exactly the problems with a wrong answer plus the seeded easy share; a pool with a
hand-made answer file checks the count rule; answers that do not cover the pool are one clear error."""

from __future__ import annotations

import json

from conftest import run_tool


def _read(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _pool(tmp_path, n=30):
    pool = tmp_path / "pool.jsonl"
    run_tool("generate", "--n", n, "--seed", 200000, "--out", pool, check=True)
    return pool, _read(pool)


def test_keeps_every_missed_problem_and_the_easy_share(tmp_path):
    pool, records = _pool(tmp_path)
    # answers as evaluate --save writes them: the first sub-question of every third problem wrong, one unanswered
    answers = []
    for j, r in enumerate(records):
        qs = [dict(q) for q in r["questions"]]
        if j % 3 == 0:
            qs[0]["answer"] = "A" if qs[0]["answer"] != "A" else "B"
        answers.append({**r, "questions": qs})
    answers[1]["questions"][-1]["answer"] = None
    path = tmp_path / "answers.jsonl"
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in answers), encoding="utf-8")
    missed = {r["id"] for j, r in enumerate(records) if j % 3 == 0} | {records[1]["id"]}
    easy = len(records) - len(missed)
    for share, expect_easy in ((0.0, 0), (0.5, round(0.5 * easy)), (1.0, easy)):
        out = tmp_path / f"hard_{share}.jsonl"
        proc = run_tool("select_hard", pool, path, out, "--easy-share", share, check=True)
        kept = _read(out)
        ids = [r["id"] for r in kept]
        assert missed <= set(ids) and len(kept) == len(missed) + expect_easy
        assert ids == [r["id"] for r in records if r["id"] in set(ids)]  # pool order
        assert kept == [r for r in records if r["id"] in set(ids)]       # gold answers, records unchanged
        assert f"{len(missed)} problems of {len(records)} missed" in proc.stdout
        assert "family" in proc.stderr
    again = tmp_path / "again.jsonl"
    run_tool("select_hard", pool, path, again, "--easy-share", 0.5, check=True)
    assert again.read_text(encoding="utf-8") == (tmp_path / "hard_0.5.jsonl").read_text(encoding="utf-8")


def test_a_real_model_s_answers_through_evaluate(tmp_path, tiny_model):
    pool, records = _pool(tmp_path, n=12)
    answers = tmp_path / "answers.jsonl"
    run_tool("evaluate", "--model", tiny_model, "--template", "smollm2", "--gold", pool, "--backend", "scoring",
             "--dtype", "float32", "--save", answers, check=True)
    predicted = {(a["id"], i): q["answer"] for a in _read(answers) for i, q in enumerate(a["questions"])}
    missed = [r["id"] for r in records if any(predicted[(r["id"], i)] != q["answer"] for i, q in enumerate(r["questions"]))]
    out = tmp_path / "hard.jsonl"
    run_tool("select_hard", pool, answers, out, "--easy-share", 0, check=True)
    assert [r["id"] for r in _read(out)] == missed


def test_answers_that_do_not_cover_the_pool_are_one_clear_error(tmp_path):
    pool, records = _pool(tmp_path)
    short = tmp_path / "short.jsonl"
    short.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[:-1]), encoding="utf-8")
    out = tmp_path / "hard.jsonl"
    proc = run_tool("select_hard", pool, short, out)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert str(short) in proc.stderr and "no record for" in proc.stderr and not out.exists()
    proc = run_tool("select_hard", pool, pool, out, "--easy-share", 2)
    assert proc.returncode == 1 and "between 0 and 1" in proc.stderr and "Traceback" not in proc.stderr
