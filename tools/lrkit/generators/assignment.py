"""What both zebra forms (race, houses) share: every assignment of values to people, a random solution, and the
greedy choice of clues that narrows the assignments down to exactly one."""

from __future__ import annotations

from itertools import permutations, product


def worlds(people, attrs):
    """Every assignment ``{person: {attribute: value}}``, each attribute's values a permutation over the people."""
    keys = list(attrs)
    for combo in product(*(permutations(attrs[k]) for k in keys)):
        yield {p: {k: combo[j][i] for j, k in enumerate(keys)} for i, p in enumerate(people)}


def random_solution(rng, people, attrs):
    """A random assignment: each attribute's values shuffled over the people."""
    n = len(people)
    shuffled = {k: rng.sample(v, n) for k, v in attrs.items()}
    return {p: {k: shuffled[k][i] for k in attrs} for i, p in enumerate(people)}


def pick_clues(rng, pool, people, attrs) -> list[str]:
    """Clue texts from ``pool`` ((text, test) pairs, all true), in random order, each kept only when it rules
    something out, until one assignment is left."""
    rng.shuffle(pool)
    alive = list(worlds(people, attrs))
    clues = []
    for text, test in pool:
        kept = [w for w in alive if test(w)]
        if len(kept) < len(alive):
            clues.append(text)
            alive = kept
            if len(alive) == 1:
                break
    return clues
