"""Option orders: the same sub-question with its options moved, the gold letter following its option (pure).

Two uses. Training: ``permuted_copies`` adds copies of the real problems with the options shuffled, so a model
learns the options' content rather than their positions (``tools/crossval.py --train-permutations``). Scoring:
``option_orders`` gives the cyclic orders that put every option in every position once, and ``unpermute``
averages the letter probabilities of those orders back onto the original options (``tools/evaluate.py
--permute-options``), which cancels the model's position bias.

An option that refers to the others (以上都不对, 两者都是, 没有一个选项...) keeps its position: moved to A it would
read wrong. Orders move only the other, free, options. An order is a list ``order`` where new position ``j``
holds the original option ``order[j]``.
"""

from __future__ import annotations

import re
from random import Random

from .records import LETTERS

PINNED = re.compile(r"以上|两者|都是|都不|都可以|都对|都错|没有一个|无法确定|不能确定")


def free_positions(options: list[str]) -> list[int]:
    """Indices of the options that may move (those not referring to the others)."""
    return [i for i, o in enumerate(options) if not PINNED.search(str(o))]


def option_orders(options: list[str], k: int | None = None) -> list[list[int]]:
    """The first k cyclic orders of the free options (identity first); all of them (each free option in each
    free position once) when k is None or larger than the number of free options."""
    free = free_positions(options)
    n = len(free)
    count = max(1, n) if k is None else max(1, min(k, n))
    orders = []
    for shift in range(count):
        order = list(range(len(options)))
        for j, position in enumerate(free):
            order[position] = free[(j + shift) % n]
        orders.append(order)
    return orders


def reorder(question: dict, order: list[int]) -> dict:
    """The sub-question with its options in ``order``, its answer (if any) the letter of the same option."""
    out = {**question, "options": [question["options"][i] for i in order]}
    if question.get("answer") in LETTERS[: len(order)]:
        out["answer"] = LETTERS[order.index(LETTERS.index(question["answer"]))]
    return out


def random_order(options: list[str], rng: Random) -> list[int]:
    free = free_positions(options)
    moved = free[:]
    rng.shuffle(moved)
    order = list(range(len(options)))
    for position, original in zip(free, moved):
        order[position] = original
    return order


def permuted_copies(records: list[dict], copies: int, seed: int = 0) -> list[dict]:
    """The records followed by ``copies - 1`` copies of each with every sub-question's free options shuffled
    (``Random(seed + copy * len(records) + index)`` per record: reproducible, independent of the other records).
    Copy c of record ``id`` is ``id#pc``."""
    out = list(records)
    for c in range(1, copies):
        for index, record in enumerate(records):
            rng = Random(seed + c * len(records) + index)
            questions = [reorder(q, random_order(q["options"], rng)) for q in record["questions"]]
            out.append({**record, "id": f"{record['id']}#p{c}", "questions": questions})
    return out


def expand(records: list[dict], k: int | None = None) -> tuple[list[dict], list[list[list[int]]]]:
    """Records whose sub-questions are each original sub-question under each of its orders (consecutive, so the
    scoring backend still shares the problem text), and per record, per sub-question, the orders used."""
    expanded, orders = [], []
    for record in records:
        per_question = [option_orders(q["options"], k) for q in record["questions"]]
        questions = [reorder(q, order) for q, qo in zip(record["questions"], per_question) for order in qo]
        expanded.append({**record, "questions": questions})
        orders.append(per_question)
    return expanded, orders


def unpermute(probs: list[list[float]], orders: list[list[int]]) -> list[float]:
    """One sub-question's letter probabilities under each order, mapped back to the original options and
    averaged: entry i is the mean probability given to original option i."""
    n = len(orders[0])
    total = [0.0] * n
    for row, order in zip(probs, orders):
        for j, original in enumerate(order):
            total[original] += row[j]
    return [t / len(orders) for t in total]
