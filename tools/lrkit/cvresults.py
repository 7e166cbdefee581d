"""Cross-validation results: read, summarize, piece together, compare and vote (pure, on results dicts and files).

A results dict (the JSON ``tools/crossval.py`` writes) holds the accuracy over every sub-question with a 95%
bootstrap interval over problems, breakdowns per family, option count and gold letter, the folds, every answer
(``"ID#INDEX": letter``) and, since 2026-12-03, the letter probabilities behind them (``probs``). ``summarize``
makes one from answer files; ``fold_part`` from a finished fold's folder; ``combine`` pieces several runs of one
cell together; ``compare`` sets two cells side by side question by question; ``vote`` combines several cells.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

from .cli import read_json
from .metrics import answer_map, score
from .records import DataError, best_letter, load_problems
from .report import with_family

def read_results(path: Path) -> dict:
    """A results JSON of tools/crossval.py (or benchmarks/crossval/combine.py), or a DataError naming the file."""
    results = read_json(path)
    if not isinstance(results, dict):
        raise DataError(f"{path}:1: not a results JSON (an object with accuracy, folds, ...)")
    return results


def _percentile_interval(rows: list[tuple], stat, n: int, seed: int) -> list[float]:
    """95% percentile interval of stat(sample) over n resamples of rows (one row per problem)."""
    rng = random.Random(seed)
    stats = sorted(stat([rows[rng.randrange(len(rows))] for _ in rows]) for _ in range(n))
    return [round(stats[int(0.025 * n)], 4), round(stats[min(n - 1, int(0.975 * n))], 4)]


def bootstrap_interval(records: list[dict], predicted: dict, n: int = 2000, seed: int = 0) -> list[float]:
    """95% percentile interval of sub-question accuracy, resampling problems (sub-questions of a problem move
    together: they share the text the model reads)."""
    per_problem = []
    for r in records:
        qs = r["questions"]
        per_problem.append((sum(predicted.get((r["id"], i)) == q["answer"] for i, q in enumerate(qs)), len(qs)))
    return _percentile_interval(per_problem, lambda rows: sum(c for c, _ in rows) / sum(t for _, t in rows), n, seed)


def _read_answers(paths: list[Path]) -> tuple[dict, dict]:
    """Every answer of the answer files, and the letter probabilities they carry (the scoring backend saves them).
    A sub-question left unanswered (a generation backend's unparsed text: answer null) counts as wrong, and the
    other answers of its problem still count."""
    predicted, probs = {}, {}
    for path in paths:
        records = load_problems(path, unlabelled=True, report=lambda _: None)
        predicted.update(answer_map(records))
        probs.update({(r["id"], i): q["probs"] for r in records for i, q in enumerate(r["questions"]) if q.get("probs")})
    return predicted, probs


def _results(records: list[dict], predicted: dict, bootstrap: int) -> dict:
    """The results dict of these answers over records: accuracy, interval, breakdowns, letters, every answer."""
    metrics = score(with_family(records), predicted)
    keys = [(r["id"], i) for r in records for i in range(len(r["questions"]))]
    return {
        "accuracy": metrics["accuracy"],
        "ci95": bootstrap_interval(records, predicted, bootstrap),
        "subquestions": metrics["subquestions"],
        "problems": metrics["problems"],
        "problem_accuracy": metrics["problem_accuracy"],
        "by_family": metrics.get("by_family"),
        "by_options": metrics["by_options"],
        "by_answer_letter": metrics["by_answer_letter"],
        "letters_answered": dict(sorted(Counter(v or "?" for v in predicted.values()).items())),
        # every sub-question's answer, "ID#INDEX": letter: cells compare question by question (compare())
        "answers": {f"{rid}#{i}": predicted.get((rid, i)) for rid, i in keys},
    }


def summarize(records: list[dict], folds: list[dict], answer_files: list[Path], bootstrap: int = 2000) -> dict:
    """The results of folds whose answers are in answer_files, over records (the problems they answered)."""
    predicted, probs = _read_answers(answer_files)
    out = {**_results(records, predicted, bootstrap), "folds": folds}
    keys = [(r["id"], i) for r in records for i in range(len(r["questions"]))]
    if all(key in probs for key in keys):  # the letter probabilities behind every answer: vote() averages them
        out["probs"] = {f"{rid}#{i}": probs[(rid, i)] for rid, i in keys}
    return out


_COUNTED = ("by_family", "by_options", "by_answer_letter")


def fold_part(folder: Path, permuted: bool = False) -> dict:
    """One finished fold's folder (done.json, test.jsonl, answers.jsonl) as a part for combine(); ``permuted``:
    its --permute-eval answers (answers_permuted.jsonl, accuracy_permuted) instead.

    A fold cut off after its test answers were written (the held-out evaluation, which comes last, unfinished: the
    device session ended) has no done.json; it is taken when answers.jsonl answers every sub-question of test.jsonl,
    its fold record rebuilt from the two files and marked ``"unfinished"``."""
    done = folder / "done.json"
    test, answers = folder / "test.jsonl", folder / ("answers_permuted.jsonl" if permuted else "answers.jsonl")
    if done.exists():
        fold = json.loads(done.read_text(encoding="utf-8"))
        if permuted:
            if "accuracy_permuted" not in fold:
                raise DataError(f"{done}: no accuracy_permuted (the fold was not run with --permute-eval)")
            fold = {**fold, "accuracy": fold["accuracy_permuted"], "unpermuted_accuracy": fold["accuracy"]}
        return summarize(load_problems(test), [fold], [answers])
    k = folder.name[len("fold"):]
    if not (folder.name.startswith("fold") and k.isdigit() and test.exists() and answers.exists()):
        raise DataError(f"{folder}: no done.json (the fold did not finish)")
    summary = summarize(load_problems(test), [], [answers])
    missing = [key for key, letter in summary["answers"].items() if not letter]
    if missing:
        raise DataError(f"{answers}: no answer for {len(missing)} sub-question(s) of {test}, e.g. {missing[0]} "
                        f"(the fold did not finish)")
    summary["folds"] = [{"fold": int(k), "problems": summary["problems"], "subquestions": summary["subquestions"],
                         "accuracy": summary["accuracy"],
                         "unfinished": "no done.json: the test answers are complete, the held-out evaluation is not"}]
    return summary


def combine(parts: list[dict], records: list[dict] | None = None, bootstrap: int = 2000, log=print,
            names: list[str] | None = None) -> dict:
    """Results of one cell pieced together from several runs (device sessions are time-boxed): each part is a
    results JSON or fold_part(). Parts are taken in order; a part whose folds were already taken is a
    reproducibility check: its folds must have the same accuracy, else DataError (not the same configuration).
    Counts are summed per breakdown; the interval (bootstrap over the problems in records) needs every answer, so it
    is given only when all parts have them."""
    taken: dict[int, dict] = {}
    used = []
    names = names or [f"part {i + 1}" for i in range(len(parts))]
    for i, part in enumerate(parts):
        missing = [key for key in ("folds", "accuracy", "subquestions", "problems", "problem_accuracy") if key not in part]
        if missing:
            raise DataError(f"{names[i]}: not cross-validation results (no {', '.join(missing)})")
        folds = {f["fold"]: f for f in part["folds"]}
        seen = set(folds) & set(taken)
        for k in sorted(seen):
            if abs(folds[k]["accuracy"] - taken[k]["accuracy"]) > 1e-9:
                raise DataError(f"{names[i]}: fold {k} has accuracy {folds[k]['accuracy']} here and "
                                f"{taken[k]['accuracy']} before: not the same configuration")
            log(f"[combine] {names[i]}: fold {k} reproduced ({folds[k]['accuracy']:.2%})")
        if seen:
            if seen != set(folds):
                raise DataError(f"{names[i]}: folds {sorted(folds)} overlap {sorted(seen)} only in part: split it")
            continue
        taken.update(folds)
        used.append(part)
    n = sum(p["subquestions"] for p in used)
    correct = sum(round(p["accuracy"] * p["subquestions"]) for p in used)
    problems = sum(p["problems"] for p in used)
    all_correct = sum(round(p["problem_accuracy"] * p["problems"]) for p in used)
    out = {"accuracy": round(correct / n, 4), "subquestions": n, "correct": correct, "problems": problems,
           "problem_accuracy": round(all_correct / problems, 4)}
    for key in _COUNTED:
        table: dict[str, dict] = {}
        for p in used:
            for name, cell in (p.get(key) or {}).items():
                row = table.setdefault(name, {"n": 0, "correct": 0})
                row["n"] += cell["n"]
                row["correct"] += cell["correct"]
        out[key] = {name: {**row, "accuracy": round(row["correct"] / row["n"], 4)} for name, row in sorted(table.items())}
    letters = Counter()
    for p in used:
        letters.update(p.get("letters_answered", {}))
    out["letters_answered"] = dict(sorted(letters.items()))
    out["folds"] = [taken[k] for k in sorted(taken)]
    out["ci95"] = None
    if all("answers" in p for p in used):
        out["answers"] = {key: value for p in used for key, value in p["answers"].items()}
        if all("probs" in p for p in used):
            out["probs"] = {key: value for p in used for key, value in p["probs"].items()}
        if records is not None:
            predicted = answers_of(out)
            answered = [r for r in records if (r["id"], 0) in predicted]
            out["ci95"] = bootstrap_interval(answered, predicted, bootstrap)
    return out


def answers_of(results: dict) -> dict:
    """A results JSON's "answers" ("ID#INDEX": letter) as {(id, index): letter}."""
    if not results.get("answers"):
        raise DataError("no per-question answers in these results (written by tools/crossval.py since 2026-12-02)")
    return _by_key(results["answers"])


def _by_key(mapping: dict) -> dict:
    """{"ID#INDEX": value} as {(id, index): value}."""
    out = {}
    for key, value in mapping.items():
        rid, _, index = key.rpartition("#")
        out[(rid, int(index))] = value
    return out


def compare(records: list[dict], base: dict, other: dict, bootstrap: int = 2000, seed: int = 0) -> dict:
    """Two cells question by question, on the sub-questions both answered: each one's accuracy, the difference
    with a paired 95% interval (problems resampled), how many questions only one of them gets right, and the
    difference per family, option count and gold letter."""
    a, b = answers_of(base), answers_of(other)
    common = [r for r in records if all((r["id"], i) in a and (r["id"], i) in b for i in range(len(r["questions"])))]
    if not common:
        raise DataError("the two results share no answered problem")
    gold = with_family(common)
    sa, sb = score(gold, a), score(gold, b)
    rows, only_base, only_other = [], 0, 0
    for r in common:
        right = [(a[(r["id"], i)] == q["answer"], b[(r["id"], i)] == q["answer"]) for i, q in enumerate(r["questions"])]
        only_base += sum(x and not y for x, y in right)
        only_other += sum(y and not x for x, y in right)
        rows.append((sum(x for x, _ in right), sum(y for _, y in right), len(right)))
    diff = lambda sample: (sum(y for _, y, _ in sample) - sum(x for x, _, _ in sample)) / sum(t for *_, t in sample)
    out = {"problems": len(common), "subquestions": sa["subquestions"], "base_accuracy": sa["accuracy"],
           "other_accuracy": sb["accuracy"], "difference": round(sb["accuracy"] - sa["accuracy"], 4),
           "difference_ci95": _percentile_interval(rows, diff, bootstrap, seed),
           "only_base_right": only_base, "only_other_right": only_other}
    for key in _COUNTED:
        table = {}
        for name, cell in (sa.get(key) or {}).items():
            other_cell = (sb.get(key) or {}).get(name, {"accuracy": 0.0})
            table[name] = {"n": cell["n"], "base": cell["accuracy"], "other": other_cell["accuracy"],
                           "difference": round(other_cell["accuracy"] - cell["accuracy"], 4)}
        out[key] = table
    return out


def vote(records: list[dict], cells: list[dict], bootstrap: int = 2000, names: list[str] | None = None,
         rule: str = "auto") -> dict:
    """Several cells' answers combined question by question, on the sub-questions every cell answered: ``rule``
    "majority" (the most frequent letter; ties: the highest summed probability where the cells carry them, then the
    earliest cell; :func:`lrkit.voting.majority`) or "mean_probs" (the letter of highest mean probability: every
    cell must carry its letter probabilities, written since 2026-12-03); "auto" takes mean_probs when they all do.
    Cross-validated as the cells are: a fold's sub-question is answered by models that all never saw its problem.
    A results dict like summarize()'s (every answer kept), plus each cell's accuracy there and the agreement."""
    from .voting import Vote, agreement_summary, majority, mean_probs

    names = names or [f"cell {i + 1}" for i in range(len(cells))]
    maps = []
    for name, cell in zip(names, cells):
        try:
            maps.append(answers_of(cell))
        except DataError as exc:
            raise DataError(f"{name}: {exc}") from None
    common = [r for r in records if all((r["id"], i) in m for m in maps for i in range(len(r["questions"])))]
    if not common:
        raise DataError("the cells share no answered problem")
    keys = [(r["id"], i) for r in common for i in range(len(r["questions"]))]
    gold_letters = [q["answer"] for r in common for q in r["questions"]]
    prob_maps = [_by_key(cell.get("probs") or {}) for cell in cells]
    have_probs = all(key in pm for pm in prob_maps for key in keys)
    if rule == "auto":
        rule = "mean_probs" if have_probs else "majority"
    if rule == "mean_probs" and not have_probs:
        missing = next(i for i, pm in enumerate(prob_maps) if not all(key in pm for key in keys))
        raise DataError(f"{names[missing]}: no letter probabilities for every answer (needed by mean_probs)")
    votes = []
    for key in keys:
        letters = [m[key] for m in maps]
        probs = [pm.get(key) for pm in prob_maps]
        if rule == "mean_probs":
            best = best_letter(mean_probs(probs))
            votes.append(Vote(best, round(letters.count(best) / len(letters), 4), dict(sorted(Counter(letters).items()))))
        else:
            votes.append(majority(letters, probs))
    predicted = {key: v.letter for key, v in zip(keys, votes)}
    return {"rule": rule, **_results(common, predicted, bootstrap),
        "cells": [{"name": name, "accuracy": round(sum(m[k] == g for k, g in zip(keys, gold_letters)) / len(keys), 4)}
                  for name, m in zip(names, maps)],
        "agreement": agreement_summary(votes, [v.letter == g for v, g in zip(votes, gold_letters)]),
    }
