"""Majority voting over several answer sets (adapters, seeds, sampled generations): pure functions.

Tie-break, in order: (1) among the letters with the most votes, the one with the highest summed
probability over the voters that scored letters (scoring backend); (2) if still tied, or no voter
scored, the letter of the earliest voter (command-line order of adapters, then sample order)
among the tied letters. An unparseable answer (None) is a vote for nothing: it never wins while
any voter gave a letter. Agreement is the share of voters that chose the winning letter — a free
confidence signal (accuracy is reported per agreement level).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Sequence

from .records import LETTERS


@dataclass(frozen=True)
class Vote:
    letter: str | None
    agreement: float
    counts: dict


def majority(letters: Sequence[str | None], probs: Sequence[Sequence[float] | None] | None = None) -> Vote:
    """The winning letter of one sub-question's votes (see the module docstring for the tie-break)."""
    if not letters:
        raise ValueError("no votes")
    counts = Counter(x for x in letters if x is not None)
    if not counts:
        return Vote(None, 0.0, {})
    top = max(counts.values())
    tied = [x for x in counts if counts[x] == top]
    if len(tied) > 1 and probs and any(p is not None for p in probs):
        mass: dict[str, float] = defaultdict(float)
        for p in probs:
            if p is not None:
                for j, value in enumerate(p):
                    mass[LETTERS[j]] += value
        best = max(mass.get(x, 0.0) for x in tied)
        tied = [x for x in tied if mass.get(x, 0.0) == best]
    winner = next(x for x in letters if x in tied)
    return Vote(winner, round(top / len(letters), 4), dict(sorted(counts.items())))


def plurality(letters: Sequence[str | None]) -> str | None:
    """The winning letter of votes without probabilities (:func:`majority`'s rule); ``None`` when none has one."""
    return majority(letters).letter if letters else None


def combine(voters: Sequence[Sequence]) -> list[Vote]:
    """Majority per sub-question over voters, each a list of :class:`~lrkit.inference.Answer` in the same order."""
    return [majority([a.letter for a in answers], [a.probs for a in answers]) for answers in zip(*voters)]


def mean_probs(rows: Sequence[Sequence[float] | None]) -> list[float] | None:
    """The mean of several voters' letter probabilities for one sub-question (rounded to 6 places); None unless every
    voter scored letters, over the same number of options."""
    if not rows or any(r is None for r in rows) or len({len(r) for r in rows}) != 1:
        return None
    return [round(sum(col) / len(rows), 6) for col in zip(*rows)]


def agreement_summary(votes: Sequence[Vote], correct: Sequence[bool] | None = None) -> dict:
    """Share of sub-questions per agreement level, with accuracy per level when ``correct`` is given."""
    levels: dict[float, list[int]] = defaultdict(lambda: [0, 0])
    for i, vote in enumerate(votes):
        levels[vote.agreement][0] += 1
        if correct is not None:
            levels[vote.agreement][1] += bool(correct[i])
    summary = {
        "mean_agreement": round(sum(v.agreement for v in votes) / len(votes), 4) if votes else 0.0,
        "unanimous": sum(v.agreement == 1.0 for v in votes),
        "by_agreement": {},
    }
    for level, (n, right) in sorted(levels.items(), reverse=True):
        entry = {"n": n}
        if correct is not None:
            entry["accuracy"] = round(right / n, 4)
        summary["by_agreement"][f"{level:.2f}"] = entry
    return summary
