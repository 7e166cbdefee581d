"""Scoring: accuracy with breakdowns, and the seed's similarity between two answer files.

Predictions are a mapping ``(problem id, sub-question index) -> letter or None``
(``None`` = unparseable). Every function here is pure.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from .extraction import parse_answer
from .records import LETTERS, DataError, iter_jsonl, iter_subquestions, plural, report_capped, skipped_summary

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


def _as_answers(side) -> Mapping[Key, str | None]:
    if isinstance(side, AnswerFile):
        return side.answers
    return side if isinstance(side, Mapping) else answer_map(side)


def similarity(a, b) -> dict:
    """Share of sub-questions answered in both files that have the same answer, with per-problem diffs.

    ``a`` and ``b`` are record lists, answer mappings or :class:`AnswerFile`. A sub-question
    present in both but without a letter on one side (missing, unparseable, outside its options) is
    ``skipped`` (listed in ``skipped_keys``), not compared: one bad label never drops its whole problem.
    """
    answers_a, answers_b = _as_answers(a), _as_answers(b)
    both = [k for k in answers_a if k in answers_b]
    skipped = [k for k in both if answers_a[k] is None or answers_b[k] is None]
    common = [k for k in both if answers_a[k] is not None and answers_b[k] is not None]
    same = sum(answers_a[k] == answers_b[k] for k in common)
    diffs: dict[str, list] = defaultdict(list)
    for k in common:
        if answers_a[k] != answers_b[k]:
            diffs[k[0]].append({"sub_index": k[1], "a": answers_a[k], "b": answers_b[k]})
    return {
        "common": len(common),
        "same": same,
        "similarity": round(same / len(common), 4) if common else 0.0,
        "skipped": len(skipped),
        "skipped_keys": skipped,
        "only_in_a": len(answers_a) - len(both),
        "only_in_b": len(answers_b) - len(both),
        "diffs": dict(diffs),
    }


@dataclass
class AnswerFile:
    """The answers of one file: a competition-format JSONL (matched by id and sub-question index, only
    ``id`` and ``questions[].answer`` needed) or LLaMA-Factory's ``generated_predictions.jsonl`` (matched
    by order). ``answers[key]`` is a letter or ``None``; for ``None``, :meth:`why` says where and why."""

    path: str
    generated: bool
    answers: dict[Key, str | None] = field(default_factory=dict)
    options: dict[Key, int] = field(default_factory=dict)
    where: dict[Key, str] = field(default_factory=dict)  # "FILE:LINE: field"
    reasons: dict[Key, str] = field(default_factory=dict)
    bad_lines: int = 0
    ignored: int = 0  # sub-questions not in the reference

    def why(self, key: Key) -> str:
        if key not in self.answers:
            return f"{self.path}: {key[0]} #{key[1] + 1}: missing (no answer in this file)"
        return f"{self.where[key]}: {self.reasons.get(key, 'no answer')}"


def _is_generated(rows) -> bool:
    first = next((obj for _, obj, issue in rows if issue is None), None)
    return isinstance(first, dict) and "predict" in first


def read_answers(path, keys: list[Key] | None = None, options: Mapping[Key, int] | None = None,
                 strict: bool = False, report=print, role: str = "gold") -> AnswerFile:
    """Read one answer file; ``keys`` (in order) and ``options`` come from the reference file (``role``).

    A generated_predictions.jsonl needs ``keys``: its rows are the reference's sub-questions in
    order (a count mismatch is an error, never a silent shift); without a reference its rows are
    keyed by line. A competition-format file keeps only the reference's sub-questions (the rest
    are counted in ``ignored``); a letter beyond the sub-question's options (the reference's, else
    the record's own) has no answer, with the reason. Bad lines (not JSON, not the expected shape,
    a duplicate) are reported as FILE:LINE and skipped, then summarised; with ``strict`` they abort.
    """
    path = str(path)
    rows = list(iter_jsonl(path))  # (number, object, None) or (number, None, issue): bad lines keep their place
    if not rows:
        raise DataError(f"{path}: no prediction rows")
    af = AnswerFile(path, _is_generated(rows))
    options = options or {}
    bad: list[str] = []
    if af.generated:
        if keys is None:
            keys = [(f"line {number}", 0) for number, _, _ in rows]
        elif len(rows) != len(keys):
            raise DataError(
                f"{path}: {len(rows)} generated predictions for {len(keys)} {role} sub-questions; "
                f"predict on the same exported file as the {role} file"
            )
        for key, (number, obj, issue) in zip(keys, rows):
            af.where[key] = f"{path}:{number}: predict"
            af.options[key] = options.get(key, len(LETTERS))
            if issue is not None or not isinstance(obj, dict) or not isinstance(obj.get("predict"), str):
                reason = issue.reason if issue else "missing or not a string"
                bad.append(f"{path}:{number}: {issue.field if issue else 'predict'}: {reason}")
                af.answers[key], af.reasons[key] = None, f"bad line ({reason})"
                continue
            af.answers[key], why = parse_answer(obj["predict"], af.options[key])
            if why:
                af.reasons[key] = why
    else:
        wanted = set(keys) if keys is not None else None
        first_line: dict[Key, int] = {}
        for number, obj, issue in rows:
            if issue is not None:
                bad.append(str(issue))
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get("questions"), list) or not isinstance(obj.get("id"), str):
                bad.append(f"{path}:{number}: <record>: expected a competition-format record with id and questions")
                continue
            subs = list(iter_subquestions([obj]))
            seen = next((first_line[(obj["id"], i)] for _, i, _ in subs if (obj["id"], i) in first_line), None)
            if seen is not None:
                bad.append(f"{path}:{number}: id: duplicate id {obj['id']!r} (first on line {seen})")
                continue
            for offset, (_, index, q) in enumerate(subs):
                key = (obj["id"], index)
                first_line[key] = number
                if wanted is not None and key not in wanted:
                    af.ignored += 1
                    continue
                own = q.get("options") if isinstance(q, dict) else None
                n = options.get(key) or (len(own) if isinstance(own, list) and 0 < len(own) <= len(LETTERS) else len(LETTERS))
                af.options[key] = n
                af.where[key] = f"{path}:{number}: questions[{offset}].answer"
                if not isinstance(q, dict):
                    af.answers[key], af.reasons[key] = None, "sub-question is not an object"
                    continue
                af.answers[key], why = parse_answer(q.get("answer"), n)
                if why:
                    af.reasons[key] = why
    af.bad_lines = len(bad)
    for message in bad:
        report(message)
    if bad and strict:
        raise DataError(f"{path}: {plural(len(bad), 'bad line')} (--strict); nothing written")
    if bad:
        report(skipped_summary(path, len(bad)))
    if not af.answers and not af.ignored:
        raise DataError(f"{path}: no usable answer rows")
    return af


def read_answer_pair(path_a, path_b, strict: bool = False, report=print) -> tuple[AnswerFile, AnswerFile]:
    """Two answer files to compare: a generated_predictions.jsonl is matched in order to the other file's
    sub-questions (and takes their option counts) when that one is competition-format; two of them row by row."""
    generated = [_is_generated(list(iter_jsonl(p))) for p in (path_a, path_b)]
    if generated == [True, False]:
        b = read_answers(path_b, strict=strict, report=report)
        return read_answers(path_a, list(b.answers), b.options, strict, report, role=str(path_b)), b
    a = read_answers(path_a, strict=strict, report=report)
    if generated == [False, True]:
        return a, read_answers(path_b, list(a.answers), a.options, strict, report, role=str(path_a))
    return a, read_answers(path_b, strict=strict, report=report)


def report_unanswered(af: AnswerFile, keys: Iterable[Key], report=print, what: str = "scored wrong") -> int:
    """Name every sub-question of ``keys`` without a letter in ``af`` (FILE:LINE and reason, capped); their count."""
    notes = [af.why(k) for k in keys if af.answers.get(k) is None]
    if notes:
        report(f"{af.path}: {plural(len(notes), 'sub-question')} without a usable answer ({what}):")
        report_capped(notes, report)
    return len(notes)


def option_counts(records: Iterable[dict]) -> dict[Key, int]:
    """``(id, index) -> number of options`` for every sub-question, in file order (the reference for read_answers)."""
    return {(r["id"], i): len(q["options"]) for r, i, q in iter_subquestions(records)}


def load_predictions(path, gold: list[dict], report=print, strict: bool = False, role: str = "gold") -> dict[Key, str | None]:
    """Predictions from a competition-format file or LLaMA-Factory's ``generated_predictions.jsonl``.

    Matched to ``gold`` (the ``role`` file: gold, test) as :func:`read_answers` says. Every gold
    sub-question left without a letter (missing, unparseable, outside its options) is named on
    ``report`` with FILE:LINE and the reason; a mapping without the missing keys is returned.
    """
    options = option_counts(gold)
    af = read_answers(path, list(options), options, strict, report, role)
    if af.ignored:
        report(f"{path}: {plural(af.ignored, 'sub-question')} not in the {role} file, ignored")
    report_unanswered(af, options, report)
    return af.answers
