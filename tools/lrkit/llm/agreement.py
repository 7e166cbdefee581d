"""Agreement filtering: keep what the generator's label and the re-answers agree on. Pure functions.

A sub-question's votes are every re-answer it carries (``answers: {model: [letters]}``, all models,
all samples, ``null`` for an unparseable reply). ``unanimous`` keeps it when every vote equals the
label; ``majority`` when more than half do. ``--by problem`` keeps a problem only when all its
sub-questions pass; ``--by subquestion`` keeps the passing sub-questions of each problem.
"""

from __future__ import annotations

from collections import defaultdict

from ..records import clean

RULES = ("unanimous", "majority")
UNITS = ("subquestion", "problem")  # what one agreement decision keeps or drops (--by)


def votes_of(question: dict) -> list[str | None]:
    return [v for letters in (question.get("answers") or {}).values() for v in letters]


def verdict(question: dict, rule: str, min_votes: int = 1) -> str | None:
    """``None`` if the question passes, else why it is dropped."""
    votes = votes_of(question)
    if len(votes) < min_votes:
        return "too few votes"
    agree = sum(v == question.get("answer") for v in votes)
    if rule == "unanimous" and agree == len(votes):
        return None
    if rule == "majority" and agree * 2 > len(votes):
        return None
    return "disagree"


def merge_answer_files(files: list[list[dict]]) -> list[dict]:
    """The first file's records, with the ``answers`` of the same (id, sub-question) in later files added."""
    first, *rest = files
    extra = defaultdict(dict)
    for records in rest:
        for record in records:
            for index, question in enumerate(record["questions"]):
                extra[(record["id"], index)].update(question.get("answers") or {})
    merged = []
    for record in first:
        questions = [{**q, "answers": {**(q.get("answers") or {}), **extra.get((record["id"], i), {})}}
                     for i, q in enumerate(record["questions"])]
        merged.append({**clean(record), "questions": questions})
    return merged


def _row() -> dict:
    return {"subquestions_kept": 0, "subquestions_dropped": 0, "problems_kept": 0, "problems_dropped": 0}


def filter_agreement(records: list[dict], rule: str = "unanimous", by: str = "subquestion", min_votes: int = 1):
    """``(kept records, dropped records with reasons, report by family)``."""
    kept, dropped = [], []
    report: dict[str, dict] = defaultdict(_row)
    reasons: dict[str, int] = defaultdict(int)
    for record in records:
        family = report[str(record.get("family") or "-")]
        verdicts = [verdict(q, rule, min_votes) for q in record["questions"]]
        passing = [q for q, v in zip(record["questions"], verdicts) if v is None]
        if by == "problem" and len(passing) < len(verdicts):
            passing = []
        for v in verdicts:
            reasons[v or "kept"] += 1
        family["subquestions_kept"] += len(passing)
        family["subquestions_dropped"] += len(verdicts) - len(passing)
        if passing:
            kept.append({**record, "questions": passing})
            family["problems_kept"] += 1
        else:
            family["problems_dropped"] += 1
        if len(passing) < len(verdicts):
            dropped.append({**record, "questions": [{**q, "dropped": v or "sibling dropped"}
                                                    for q, v in zip(record["questions"], verdicts)
                                                    if q not in passing]})
    total = _row()
    for row in report.values():
        for key in total:
            total[key] += row[key]
    return kept, dropped, {"rule": rule, "by": by, "total": total, "reasons": dict(reasons),
                           "by_family": dict(sorted(report.items()))}
