"""Difficulty aimed at the model (issue 13, lever 2): keep the generated problems a model gets wrong.

A problem is *missed* when the model's answer to any of its sub-questions is not the gold letter (or is missing).
:func:`select_missed` keeps every missed problem and a seeded share of the others (so the easy families are not
forgotten), in the pool's order. The answers are those ``tools/evaluate.py --model ... --save`` writes: the pool's
own records with the model's letters in place of the gold ones.
"""

from __future__ import annotations

import random
from collections import Counter

from .metrics import answer_map
from .records import DataError


def missed_problems(pool: list[dict], predicted: dict) -> set[str]:
    """Ids of the problems of ``pool`` with at least one sub-question the model answered wrong (or not at all)."""
    return {r["id"] for r in pool if any(predicted.get((r["id"], i)) != q["answer"] for i, q in enumerate(r["questions"]))}


def select_missed(pool: list[dict], missed: set[str], easy_share: float = 0.25, seed: int = 0) -> list[dict]:
    """Every problem of ``pool`` whose id is in ``missed`` (:func:`missed_problems`) and ``easy_share`` of the others
    (drawn with ``Random(seed)``), in pool order."""
    if not 0.0 <= easy_share <= 1.0:
        raise DataError(f"easy share {easy_share}: must be between 0 and 1")
    easy = [r["id"] for r in pool if r["id"] not in missed]
    kept_easy = set(random.Random(seed).sample(easy, round(easy_share * len(easy))))
    return [r for r in pool if r["id"] in missed or r["id"] in kept_easy]


def check_answers_cover(pool: list[dict], answers: list[dict], where: str) -> dict:
    """The answer map of ``answers``, or a DataError naming ``where`` when a sub-question of the pool has no answer
    record at all (a different file, or an evaluation cut short)."""
    predicted = answer_map(answers)
    missing = [f"{r['id']}#{i}" for r in pool for i in range(len(r["questions"])) if (r["id"], i) not in predicted]
    if missing:
        raise DataError(f"{where}: no record for {len(missing)} sub-question(s) of the pool, e.g. {missing[0]} "
                        f"(not the answers to this file, or an evaluation cut short)")
    return predicted


def family_counts(records: list[dict]) -> Counter:
    return Counter(r.get("family", "?") for r in records)


def family_table(columns: dict[str, list[dict]]) -> list[str]:
    """Lines of a table of problems per family, one column per named list of records (pool, kept, ...)."""
    counts = {name: family_counts(rows) for name, rows in columns.items()}
    families = sorted(set().union(*counts.values()))
    lines = [f"{'family':<24}" + "".join(f" {name:>8}" for name in columns)]
    return lines + [f"{family:<24}" + "".join(f" {counts[name][family]:>8}" for name in columns) for family in families]
