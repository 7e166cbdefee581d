"""The scripts that read cross-validation results (real files, the real scripts): combine.py pieces one cell
together from finished fold folders of several runs (the figures add up, a fold given twice is checked, a fold that
disagrees is one clear error); compare.py compares two cells question by question."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import FIXTURES, REPO

SCRIPTS = REPO / "benchmarks" / "crossval"


def script(name: str, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPTS / f"{name}.py"), *map(str, args)], check=False,
                          capture_output=True, text=True, cwd=REPO, timeout=120)


def combine(*args) -> subprocess.CompletedProcess:
    return script("combine", *args)


def _fold(tmp_path, k: int, records: list[dict], wrong: int = 0) -> tuple:
    """A finished fold's folder: its test problems, its answers (the gold letter except for the first `wrong`
    sub-questions, answered "A" or "B" instead) and done.json."""
    folder = tmp_path / f"fold{k}"
    folder.mkdir(parents=True)
    answers, correct, n = [], 0, 0
    for r in records:
        qs = []
        for q in r["questions"]:
            letter = q["answer"] if n >= wrong else ("B" if q["answer"] == "A" else "A")
            correct += letter == q["answer"]
            n += 1
            qs.append({**q, "answer": letter})
        answers.append({**r, "questions": qs})  # as tools/evaluate.py --save writes them
    write = lambda name, rows: (folder / name).write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in rows),
                                                          encoding="utf-8")
    write("test.jsonl", records)
    write("answers.jsonl", answers)
    done = {"fold": k, "problems": len(records), "subquestions": n, "accuracy": round(correct / n, 4)}
    (folder / "done.json").write_text(json.dumps(done), encoding="utf-8")
    return folder, correct, n


def test_folds_of_two_runs_add_up(tmp_path):
    data = FIXTURES / "sample_train.jsonl"
    records = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines()]
    half = len(records) // 2
    (f0, c0, n0), (f1, c1, n1) = _fold(tmp_path, 0, records[:half], wrong=1), _fold(tmp_path, 1, records[half:], wrong=2)
    first = tmp_path / "run1.json"
    proc = combine(f0, "--out", first, "--data", data)
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "all.json"
    proc = combine(first, f0, f1, "--out", out, "--data", data, "--note", "two runs")
    assert proc.returncode == 0, proc.stderr
    assert "fold 0 reproduced" in proc.stderr + proc.stdout
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["subquestions"] == n0 + n1 and result["correct"] == c0 + c1
    assert result["accuracy"] == round((c0 + c1) / (n0 + n1), 4)
    assert [f["fold"] for f in result["folds"]] == [0, 1] and result["note"] == "two runs"
    assert sum(row["n"] for row in result["by_options"].values()) == n0 + n1
    assert sum(result["letters_answered"].values()) == n0 + n1
    lo, hi = result["ci95"]
    assert 0 <= lo <= result["accuracy"] <= hi <= 1
    assert len(result["answers"]) == n0 + n1


def test_a_fold_that_disagrees_is_one_clear_error(tmp_path):
    data = FIXTURES / "sample_train.jsonl"
    records = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines()]
    good, _, _ = _fold(tmp_path / "run1", 0, records)
    other, _, _ = _fold(tmp_path / "run2", 0, records, wrong=3)
    proc = combine(good, other, "--out", tmp_path / "x.json", "--data", data)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "fold 0 has accuracy" in proc.stderr and "not the same configuration" in proc.stderr
    assert not (tmp_path / "x.json").exists()
    missing = combine(tmp_path / "nowhere", "--out", tmp_path / "y.json")
    assert missing.returncode == 1 and "Traceback" not in missing.stderr, missing.stderr


def test_a_fold_cut_off_after_its_test_answers_counts(tmp_path):
    """A fold whose held-out evaluation was cut off (no done.json) counts when its answers cover its test problems,
    marked unfinished; with an answer missing it is one clear error."""
    data = FIXTURES / "sample_train.jsonl"
    records = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines()]
    folder, correct, n = _fold(tmp_path, 3, records, wrong=2)
    (folder / "done.json").unlink()
    out = tmp_path / "cut.json"
    proc = combine(folder, "--out", out, "--data", data)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["correct"] == correct and result["subquestions"] == n
    assert result["folds"][0]["fold"] == 3 and "unfinished" in result["folds"][0]
    lines = (folder / "answers.jsonl").read_text(encoding="utf-8").splitlines()
    (folder / "answers.jsonl").write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    proc = combine(folder, "--out", tmp_path / "short.json", "--data", data)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "no answer for" in proc.stderr, proc.stderr
    assert not (tmp_path / "short.json").exists()


def test_compare_two_cells_question_by_question(tmp_path):
    data = FIXTURES / "sample_train.jsonl"
    records = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines()]
    cells = {}
    for name, wrong in (("base", 4), ("other", 1)):
        folder, _, _ = _fold(tmp_path / name, 0, records, wrong=wrong)
        cells[name] = tmp_path / f"{name}.json"
        assert combine(folder, "--out", cells[name], "--data", data).returncode == 0
    out = tmp_path / "comparison.json"
    proc = script("compare", cells["base"], cells["other"], "--data", data, "--out", out)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    n = result["subquestions"]
    assert n == sum(len(r["questions"]) for r in records) and result["problems"] == len(records)
    assert result["base_accuracy"] == round((n - 4) / n, 4) and result["other_accuracy"] == round((n - 1) / n, 4)
    assert result["only_other_right"] == 3 and result["only_base_right"] == 0
    assert abs(result["difference"] - 3 / n) < 1e-3
    lo, hi = result["difference_ci95"]
    assert 0 <= lo <= result["difference"] <= hi
    assert sum(row["n"] for row in result["by_options"].values()) == n
    assert "difference +" in proc.stdout
    # Results without per-question answers (written before they were kept): one line naming both files.
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps({"accuracy": 0.5, "folds": []}), encoding="utf-8")
    proc = script("compare", bare, cells["other"], "--data", data)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "no per-question answers" in proc.stderr
    assert str(bare) in proc.stderr


def test_errors_ranks_family_and_option_groups_by_wrong_answers(tmp_path):
    data = FIXTURES / "sample_train.jsonl"
    records = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines()]
    cells = []
    for name, wrong in (("a", 0), ("b", 3)):
        folder, _, _ = _fold(tmp_path / name, 0, records, wrong=wrong)
        cells.append(tmp_path / f"results_{name}.json")
        assert combine(folder, "--out", cells[-1], "--data", data).returncode == 0
    proc = script("errors", *cells, "--data", data)
    assert proc.returncode == 0, proc.stderr
    n = sum(len(r["questions"]) for r in records)
    assert proc.stdout.splitlines()[-1] == f"3 wrong answers in the last cell, {n} sub-questions"
    rows = [line.split() for line in proc.stdout.splitlines()[1:-1]]
    assert sum(int(row[-2]) for row in rows) == 3 and int(rows[0][-2]) >= int(rows[-1][-2])  # ranked by wrong answers
    assert all(row[-4] == "100.0%" for row in rows)  # cell a got everything right
    assert sum(int(row[2]) for row in rows) <= n
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps({"accuracy": 0.5, "folds": []}), encoding="utf-8")
    proc = script("errors", bare, "--data", data)
    assert proc.returncode == 1 and "no per-question answers" in proc.stderr and "Traceback" not in proc.stderr


def test_vote_of_cells_fixes_errors_the_others_do_not_make(tmp_path):
    data = FIXTURES / "sample_train.jsonl"
    records = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines()]
    keys = [(f"{r['id']}#{i}", q["answer"]) for r in records for i, q in enumerate(r["questions"])]
    n = len(keys)
    wrong_letter = lambda g: "B" if g == "A" else "A"
    cells = []
    for c in range(3):  # cell c is wrong on every third sub-question, starting at c: no two cells wrong together
        answers = {key: (wrong_letter(g) if i % 3 == c else g) for i, (key, g) in enumerate(keys)}
        right = sum(answers[key] == g for key, g in keys)
        path = tmp_path / f"cell{c}.json"
        path.write_text(json.dumps({"accuracy": right / n, "answers": answers, "config": {"folds": 5, "seed": 42}}),
                        encoding="utf-8")
        cells.append(path)
    out = tmp_path / "vote.json"
    proc = script("vote", *cells, "--out", out, "--data", data, "--bootstrap", 100)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["accuracy"] == 1.0 and result["subquestions"] == n and len(result["answers"]) == n
    assert [c["accuracy"] for c in result["cells"]] == [round(sum(i % 3 != c for i in range(n)) / n, 4) for c in range(3)]
    assert result["agreement"]["unanimous"] == 0 and sum(r["n"] for r in result["by_options"].values()) == n
    assert "vote of 3 cells (majority): 100.00%" in proc.stdout
    # compare.py reads the vote like any cell
    assert script("compare", cells[0], out, "--data", data).returncode == 0
    # a cell of another split, or without answers: one line naming it, nothing written
    other = tmp_path / "other_split.json"
    other.write_text(json.dumps({"accuracy": 1.0, "answers": dict(keys), "config": {"folds": 4, "seed": 42}}), encoding="utf-8")
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps({"accuracy": 0.5}), encoding="utf-8")
    for bad, words in ((other, "differ"), (bare, "no per-question answers")):
        out.unlink(missing_ok=True)
        proc = script("vote", cells[0], bad, "--out", out, "--data", data)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr and words in proc.stderr and str(bad) in proc.stderr
        assert not out.exists()


def test_vote_by_mean_probability_uses_the_cells_confidence(tmp_path):
    data = FIXTURES / "sample_train.jsonl"
    records = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines()]
    keys = [f"{r['id']}#{i}" for r in records for i, q in enumerate(r["questions"])]
    gold = {f"{r['id']}#{i}": q["answer"] for r in records for i, q in enumerate(r["questions"])}
    n_options = {f"{r['id']}#{i}": len(q["options"]) for r in records for i, q in enumerate(r["questions"])}

    def probs_for(letter, key, p):
        k = n_options[key]
        rest = (1 - p) / (k - 1)
        return [round(p if "ABCDEFG"[j] == letter else rest, 4) for j in range(k)]

    wrong = {key: "B" if g == "A" else "A" for key, g in gold.items()}
    cells = []
    for c, (letters, p) in enumerate(((wrong, 0.55), (wrong, 0.55), (gold, 0.95))):  # two unsure and wrong, one sure
        path = tmp_path / f"cell{c}.json"
        path.write_text(json.dumps({"answers": letters, "probs": {k: probs_for(letters[k], k, p) for k in keys}}),
                        encoding="utf-8")
        cells.append(path)
    out = tmp_path / "vote.json"
    assert script("vote", *cells, "--out", out, "--data", data, "--rule", "majority").returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))["accuracy"] == 0.0  # two wrong letters outvote one
    proc = script("vote", *cells, "--out", out, "--data", data)  # auto: all carry probabilities
    result = json.loads(out.read_text(encoding="utf-8"))
    assert proc.returncode == 0 and result["rule"] == "mean_probs" and result["accuracy"] == 1.0, proc.stderr
    bare = tmp_path / "letters_only.json"
    bare.write_text(json.dumps({"answers": gold}), encoding="utf-8")
    proc = script("vote", cells[0], bare, "--out", out, "--data", data, "--rule", "mean_probs")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and str(bare) in proc.stderr
    assert "no letter probabilities" in proc.stderr


def test_an_unparsed_answer_counts_wrong_and_its_problems_other_answers_count(tmp_path):
    """A generation backend (crossval --eval-args "--backend vllm") saves answer null where it found no letter: that
    sub-question is wrong, the rest of its problem is still scored (the whole problem was dropped before)."""
    from lrkit.cvresults import summarize

    records = [json.loads(line) for line in (FIXTURES / "sample_train.jsonl").read_text(encoding="utf-8").splitlines()]
    answers = [{**r, "questions": [dict(q) for q in r["questions"]]} for r in records]
    answers[0]["questions"][0]["answer"] = None  # unparsed; the problem's other sub-questions are right
    path = tmp_path / "answers.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in answers), encoding="utf-8")
    n = sum(len(r["questions"]) for r in records)
    assert len(records[0]["questions"]) > 1
    out = summarize(records, [], [path], bootstrap=50)
    assert out["subquestions"] == n and out["accuracy"] == round((n - 1) / n, 4)
    assert out["letters_answered"]["?"] == 1 and out["answers"][f"{records[0]['id']}#0"] is None
    assert out["answers"][f"{records[0]['id']}#1"] == records[0]["questions"][1]["answer"]
