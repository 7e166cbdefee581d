"""The family registry and dataset assembly of the exact procedural generators.

Item ``i`` of a dataset is made from ``random.Random(seed + i)`` alone (random
access, nothing stored): that generator picks the family (weighted by the real
test set's frequency list), the difficulty (for ``mix``) and the world. Every
answer comes from an exact solver; each family's ``check`` re-derives it from
the rendered text by a different method (see ``tests/test_generators.py``).

Each family module ends with ``register(Family(...))``; importing the modules
fills :data:`base.REGISTERED`. The order in which families feed ``rng.choices``
is :data:`ORDER`, written out here rather than taken from import or file order,
so that adding, renaming or re-sorting modules cannot silently change every
dataset (``tests/test_registry.py`` pins the first records of a seed).
"""

from __future__ import annotations

import random

from ..records import LETTERS
from .base import LEVELS, REGISTERED, Family
from .surface import restyle
from . import (  # noqa: F401  (imported for their registration)
    binary_trees, db_lookup, described_functions, encodings, food_chain, gcd_lcm, graph_reachability, kinship,
    knights_knaves, list_ops, ordering, peano, positions, powers, primes, procedures, recursion, rule_deduction,
    scheduling, search_puzzles, social_relations, stacking, sums, taxonomy, zebra,
)

# The draw order of rng.choices: changing it changes every dataset (the weights are the families' own).
ORDER = ("list_ops", "graph_reachability", "rule_deduction", "procedures", "social_relations", "kinship", "taxonomy",
         "sums", "zebra", "recursion", "ordering", "db_lookup", "gcd_lcm", "knights_knaves", "search_puzzles", "peano",
         "primes", "food_chain", "scheduling", "binary_trees", "stacking", "powers",
         "described_functions", "encodings", "positions")
# Named family sets for --families. "v1" is the first 22 families in their draw order: the data of the measurements
# up to 2026-12-03 (benchmarks/crossval: `--families v1 --n 4000 --seed 0` is the gen4k.jsonl of every cell), which
# later families do not change (a set draws over its own members only).
SETS = {"all": ORDER, "v1": ORDER[:22]}
# The order in which lrkit.report.classify_family tries the families' keywords (first match wins): specific words
# first, the generic ones of rule_deduction (如果, 已知) last.
KEYWORD_ORDER = ("kinship", "graph_reachability", "gcd_lcm", "recursion", "list_ops", "sums", "knights_knaves", "zebra",
                 "taxonomy", "db_lookup", "rule_deduction")

if set(ORDER) != set(REGISTERED) or len(ORDER) != len(REGISTERED):
    raise RuntimeError(f"ORDER {sorted(ORDER)} does not list the registered families {sorted(REGISTERED)} once each")
FAMILIES: dict[str, Family] = {name: REGISTERED[name] for name in ORDER}
DIFFICULTIES = LEVELS + ("mix",)


def keyword_families() -> list[tuple[str, tuple[str, ...]]]:
    """``(family, keywords)`` in :data:`KEYWORD_ORDER`, for the keyword classifier of real problems."""
    return [(name, FAMILIES[name].keywords) for name in KEYWORD_ORDER]


def select(names: str) -> list[str]:
    """A set of :data:`SETS` (``all``, ``v1``) or a comma-separated list of family names, checked."""
    if names in SETS:
        return list(SETS[names])
    chosen = [n.strip() for n in names.split(",") if n.strip()]
    unknown = [n for n in chosen if n not in FAMILIES]
    if unknown or not chosen:
        raise ValueError(f"unknown families {unknown}; known: {', '.join(FAMILIES)} (or one set: {', '.join(SETS)})")
    return chosen


def render_solution(steps: list[str], answer: int, options: list[str]) -> str:
    """The worked solution, ending on the chosen option; the answer line itself is added at export."""
    return "\n".join(steps + [f"因此正确的选项是 {LETTERS[answer]}（{options[answer]}）。"])


def make_problem(index: int, seed: int = 0, families=None, difficulty: str = "mix", solutions: bool = False) -> dict:
    """Problem ``index`` of the dataset ``(seed, families, difficulty)``: a competition-format record."""
    names = list(families or FAMILIES)
    rng = random.Random(seed + index)
    family = FAMILIES[rng.choices(names, weights=[FAMILIES[n].weight for n in names])[0]]
    level = rng.choice(LEVELS) if difficulty == "mix" else difficulty
    cfg = family.config.for_level(level)
    problem, subs = family.generate(rng, cfg)
    problem = restyle(rng, problem)
    questions = []
    for k, sub in enumerate(subs, 1):
        q = {"question": f"选择题 {k}：\n{sub['question']}", "options": sub["options"], "answer": LETTERS[sub["answer"]]}
        if solutions:
            q["solution"] = render_solution(sub["steps"], sub["answer"], sub["options"])
        questions.append(q)
    return {"id": f"gen_{seed}_{index:06d}", "problem": problem, "questions": questions,
            "family": family.name, "difficulty": level, "source": "generated"}


def generate(n: int, seed: int = 0, families=None, difficulty: str = "mix", solutions: bool = False):
    """Yield problems ``0..n-1`` of the dataset, lazily."""
    if difficulty not in DIFFICULTIES:
        raise ValueError(f"difficulty must be one of {DIFFICULTIES}, got {difficulty!r}")
    for index in range(n):
        yield make_problem(index, seed, families, difficulty, solutions)
