"""Rejection-sampled reasoning (issue 13, lever 3): keep the model's own chains of thought that reach the exact answer.

Generated problems carry exact answers, so sampling K chains per sub-question and keeping one whose final letter is
the gold one is free verification. :func:`accept` turns the sampled answers into competition-format records whose
sub-questions carry the accepted chain as their ``solution`` (what ``tools/generate.py --solutions`` writes from the
solvers), so ``tools/export_alpaca.py``, ``tools/crossval.py --pretrain`` and the recipes train on them unchanged.
"""

from __future__ import annotations

from collections import Counter

from .extraction import reasoning_before_answer


def accept(records: list[dict], items: list, voters: list[list]) -> tuple[list[dict], Counter]:
    """Records keeping the sub-questions with a right chain (the first right sample's reasoning as ``solution``);
    problems with none are dropped. ``items`` are the prompter's items of ``records`` in order, ``voters[s][i]`` the
    answer of sample ``s`` to item ``i``. Also returns counts: sub-questions, chains, right chains, kept."""
    gold = {(r["id"], i): q["answer"] for r in records for i, q in enumerate(r["questions"])}
    counts = Counter(subquestions=len(items), chains=len(items) * len(voters), right_chains=0)
    chosen: dict = {}
    for i, item in enumerate(items):
        for voter in voters:
            if voter[i].letter is None or voter[i].letter != gold[item.key]:
                continue
            counts["right_chains"] += 1
            if item.key not in chosen and (reasoning := reasoning_before_answer(voter[i].text)):
                chosen[item.key] = reasoning
    kept = []
    for r in records:
        questions = [{**q, "solution": chosen[(r["id"], i)]} for i, q in enumerate(r["questions"]) if (r["id"], i) in chosen]
        if questions:
            kept.append({**r, "questions": questions})
    counts["kept_subquestions"] = len(chosen)
    counts["kept_problems"] = len(kept)
    return kept, counts
