"""Generation plans: one training set made of parts, each a ``tools/generate.py`` run of its own (families, n, seed),
written one after another.

A plan is a YAML file (``configs/data/*.yaml``)::

    parts:
      - {families: v1, n: 4000, seed: 0}
      - {families: "described_functions,encodings,positions", n: 1000, seed: 400000}

Each part may also set ``difficulty`` (default ``mix``) and ``solutions`` (default false). A part's problems are
exactly those of ``tools/generate.py --families F --n N --seed S`` with the same options, so a plan's output is the
byte-for-byte concatenation of its parts' files. Errors name the file, the line of the part and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..cli import read_yaml
from ..records import DataError
from .registry import DIFFICULTIES, select

FIELDS = ("families", "n", "seed", "difficulty", "solutions")


@dataclass(frozen=True)
class Part:
    families: str
    n: int
    seed: int
    difficulty: str = "mix"
    solutions: bool = False
    where: str = ""  # FILE:LINE of the part, for messages

    def family_names(self) -> list[str]:
        return select(self.families)


def load_plan(path: str | Path) -> list[Part]:
    """The parts of the plan in ``path``, checked; a :class:`DataError` naming FILE:LINE and the field otherwise."""
    import yaml

    root = read_yaml(path, compose=True)
    if not isinstance(root, yaml.MappingNode):
        raise DataError(f"{path}: expected a mapping with the key 'parts'")
    nodes = {key.value: value for key, value in root.value}
    unknown = sorted(set(nodes) - {"parts"})
    if unknown:
        raise DataError(f"{path}: unknown key(s) {', '.join(unknown)} (a plan has only 'parts')")
    parts_node = nodes.get("parts")
    if not isinstance(parts_node, yaml.SequenceNode) or not parts_node.value:
        line = f":{parts_node.start_mark.line + 1}" if parts_node is not None else ""
        raise DataError(f"{path}{line}: field 'parts': expected a non-empty list of parts")
    return [_part(node, str(path)) for node in parts_node.value]


def _part(node, path: str) -> Part:
    """One part from its YAML node; a field's error names the line of that field (a missing one: the part's)."""
    import yaml

    where = f"{path}:{node.start_mark.line + 1}"
    if not isinstance(node, yaml.MappingNode):
        raise DataError(f"{where}: a part must be a mapping of {', '.join(FIELDS)}")
    lines = {key.value: f"{path}:{key.start_mark.line + 1}" for key, _ in node.value}

    def bad(field: str, reason: str) -> DataError:
        return DataError(f"{lines.get(field, where)}: field '{field}': {reason}")

    raw = yaml.safe_load(yaml.serialize(node))
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        raise bad(unknown[0], f"unknown (a part has {', '.join(FIELDS)})")
    for field in ("families", "n", "seed"):
        if field not in raw:
            raise bad(field, "missing")
    families = raw["families"]
    if not isinstance(families, str):
        raise bad("families", "expected a set name or comma-separated family names")
    try:
        select(families)
    except ValueError as e:
        raise bad("families", str(e)) from None
    for field, low in (("n", 1), ("seed", 0)):
        value = raw[field]
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            raise bad(field, f"expected a whole number >= {low}, got {value!r}")
    difficulty = raw.get("difficulty", "mix")
    if difficulty not in DIFFICULTIES:
        raise bad("difficulty", f"expected one of {', '.join(DIFFICULTIES)}, got {difficulty!r}")
    solutions = raw.get("solutions", False)
    if not isinstance(solutions, bool):
        raise bad("solutions", f"expected true or false, got {solutions!r}")
    return Part(families, raw["n"], raw["seed"], difficulty, solutions, where)
