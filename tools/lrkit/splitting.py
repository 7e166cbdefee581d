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
