"""Scoring: accuracy with breakdowns, and the seed's similarity between two answer files.

Predictions are a mapping ``(problem id, sub-question index) -> letter or None``
(``None`` = unparseable). Every function here is pure.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Mapping

from .answers import extract_answer
from .records import DataError, iter_jsonl, iter_subquestions

Key = tuple[str, int]


def answer_map(records: Iterable[dict]) -> dict[Key, str | None]:
    return {(r["id"], i): q.get("answer") or None for r, i, q in iter_subquestions(records)}


def _bucket() -> dict:
    return {"n": 0, "correct": 0}


def _finish(buckets: dict) -> dict:
    return {
        str(k): {**v, "accuracy": round(v["correct"] / v["n"], 4) if v["n"] else 0.0}
        for k, v in sorted(buckets.items(), key=lambda kv: str(kv[0]))
    }


def score(gold: list[dict], predicted: Mapping[Key, str | None]) -> dict:
    """Sub-question accuracy, per-problem all-correct rate, and breakdowns.

    Breakdowns: by option count, by gold answer letter, and by ``family`` /
    ``difficulty`` when the gold records carry them. A sub-question with no
    prediction counts as wrong and as ``missing``; an unparseable one as wrong
    and ``unparseable``.
    """
    total = correct = unparseable = missing = 0
    problems_all = 0
    by_options, by_letter, by_family, by_difficulty = (defaultdict(_bucket) for _ in range(4))
    confusion: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for record in gold:
        all_right = True
        for _, index, question in iter_subquestions([record]):
            key = (record["id"], index)
            gold_letter = question["answer"]
            if key not in predicted:
                missing += 1
                guess = None
            else:
                guess = predicted[key]
                if guess is None:
                    unparseable += 1
            ok = guess == gold_letter
            total += 1
            correct += ok
            all_right &= ok
            confusion[gold_letter][guess or "?"] += 1
            for buckets, name in (
                (by_options, len(question["options"])),
                (by_letter, gold_letter),
                (by_family, record.get("family")),
                (by_difficulty, record.get("difficulty")),
            ):
                if name is not None:
                    buckets[name]["n"] += 1
                    buckets[name]["correct"] += ok
        problems_all += all_right
    result = {
        "subquestions": total,
        "correct": correct,
        "accuracy": round(correct / total, 4) if total else 0.0,
        "problems": len(gold),
        "problems_all_correct": problems_all,
        "problem_accuracy": round(problems_all / len(gold), 4) if gold else 0.0,
        "unparseable": unparseable,
        "missing": missing,
        "by_options": _finish(by_options),
        "by_answer_letter": _finish(by_letter),
        "confusion": {g: dict(sorted(p.items())) for g, p in sorted(confusion.items())},
    }
    if by_family:
        result["by_family"] = _finish(by_family)
    if by_difficulty:
        result["by_difficulty"] = _finish(by_difficulty)
    return result


def similarity(a: list[dict], b: list[dict]) -> dict:
    """Share of sub-questions present in both files that have the same answer, with per-problem diffs."""
    answers_a, answers_b = answer_map(a), answer_map(b)
    common = [k for k in answers_a if k in answers_b]
    same = sum(answers_a[k] == answers_b[k] for k in common)
    diffs: dict[str, list] = defaultdict(list)
    for k in common:
        if answers_a[k] != answers_b[k]:
            diffs[k[0]].append({"sub_index": k[1], "a": answers_a[k], "b": answers_b[k]})
    return {
        "common": len(common),
        "same": same,
        "similarity": round(same / len(common), 4) if common else 0.0,
        "only_in_a": len(answers_a) - len(common),
        "only_in_b": len(answers_b) - len(common),
        "diffs": dict(diffs),
    }


def load_predictions(path, gold: list[dict], report=print) -> dict[Key, str | None]:
    """Predictions from a competition-format file or LLaMA-Factory's ``generated_predictions.jsonl``.

    A competition-format file is matched to the gold by id and sub-question
    index. LLaMA-Factory writes one row per example (``prompt``/``predict``/
    ``label``) in the order of the exported dataset, which is the gold's
    sub-question order; a count mismatch is an error, never a silent shift.
    """
    rows = []
    for number, obj, issue in iter_jsonl(path):
        if issue:
            report(str(issue))
            continue
        rows.append((number, obj))
    if not rows:
        raise DataError(f"{path}: no prediction rows")
    options = {(r["id"], i): len(q["options"]) for r, i, q in iter_subquestions(gold)}
    first = rows[0][1]
    if isinstance(first, dict) and "predict" in first:
        keys = list(options)
        if len(rows) != len(keys):
            raise DataError(
                f"{path}: {len(rows)} generated predictions for {len(keys)} gold sub-questions; "
                "predict on the same exported file as the gold"
            )
        result = {}
        for key, (number, obj) in zip(keys, rows):
            if not isinstance(obj, dict) or not isinstance(obj.get("predict"), str):
                report(f"{path}:{number}: predict: missing or not a string")
                result[key] = None
            else:
                result[key] = extract_answer(obj["predict"], options[key])
        return result
    result = {}
    for number, obj in rows:
        if not isinstance(obj, dict) or not isinstance(obj.get("questions"), list) or "id" not in obj:
            report(f"{path}:{number}: <record>: expected a competition-format record with id and questions")
            continue
        for _, index, q in iter_subquestions([obj]):
            key = (obj["id"], index)
            answer = q.get("answer") if isinstance(q, dict) else None
            if key in options:
                result[key] = extract_answer(answer, options[key]) if isinstance(answer, str) else None
    return result
