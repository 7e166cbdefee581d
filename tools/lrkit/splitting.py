"""Deterministic train/validation split by problem id."""

from __future__ import annotations

import hashlib


def in_validation(problem_id: str, ratio: float, seed: int = 42) -> bool:
    digest = hashlib.sha256(f"{seed}:{problem_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < ratio


def split_by_problem(records: list[dict], ratio: float, seed: int = 42) -> tuple[list[dict], list[dict]]:
    """``(train, val)`` in file order; every sub-question of a problem lands on the same side."""
    train, val = [], []
    for record in records:
        (val if in_validation(record["id"], ratio, seed) else train).append(record)
    return train, val


def assign_folds(records: list[dict], k: int, seed: int = 42) -> list[int]:
    """A fold in ``0..k-1`` for each record, by problem: problems ranked by a hash of (seed, id) are dealt out in
    turn, so fold sizes differ by at most one problem and the assignment is the same on every machine."""
    if k < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    rank = sorted(range(len(records)), key=lambda i: hashlib.sha256(f"{seed}:{records[i]['id']}".encode()).digest())
    folds = [0] * len(records)
    for position, i in enumerate(rank):
        folds[i] = position % k
    return folds
