"""Generation plans (tools/generate.py --plan, lrkit.generators.plan): a set of parts is the concatenation of the
parts' own files, byte for byte; configs/data/wide5k.yaml is the measured first stage; bad plans name FILE:LINE."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from lrkit.generators.plan import load_plan
from lrkit.records import DataError

REPO = Path(__file__).resolve().parents[1]
WIDE5K_SHA256 = "18c2d8bf3d147d1bfdbba77374781ffb793c18d6eb1e0f8af225db6d15bff461"
OTHER5K_SHA256 = "0ee3eefc3ff40ca116fa40393df14beffe23e57f2ee2836aa2bdb3fede03f90b"


def generate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "tools/generate.py", "--quiet", *args], cwd=REPO, capture_output=True,
                          text=True)


def test_a_plan_writes_its_parts_one_after_another_byte_for_byte(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text("parts:\n"
                    "  - {families: v1, n: 40, seed: 0}\n"
                    "  - families: described_functions,encodings,positions\n"
                    "    n: 25\n"
                    "    seed: 400000\n"
                    "    solutions: true\n", encoding="utf-8")
    a, b, whole = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "whole.jsonl"
    assert generate("--families", "v1", "--n", "40", "--seed", "0", "--out", str(a)).returncode == 0
    assert generate("--families", "described_functions,encodings,positions", "--n", "25", "--seed", "400000",
                    "--solutions", "--out", str(b)).returncode == 0
    done = generate("--plan", str(plan), "--out", str(whole))
    assert done.returncode == 0, done.stderr
    assert whole.read_bytes() == a.read_bytes() + b.read_bytes()
    assert f"{whole}: 65 problems" in done.stdout
    assert f"({plan}:2)" in done.stderr and f"({plan}:3)" in done.stderr   # each part's line in the log


def test_the_recipe_plan_is_the_measured_first_stage(tmp_path):
    parts = load_plan(REPO / "configs/data/wide5k.yaml")
    assert [(p.families, p.n, p.seed, p.difficulty, p.solutions) for p in parts] == [
        ("v1", 4000, 0, "mix", False), ("described_functions,encodings,positions", 1000, 400000, "mix", False)]
    # the file of cell wide_then_real (gen4k.jsonl sha256 28cf1002..., then new1k.jsonl 22cd85ca...), byte for byte
    out = tmp_path / "wide5k.jsonl"
    assert generate("--plan", "configs/data/wide5k.yaml", "--out", str(out)).returncode == 0
    assert hashlib.sha256(out.read_bytes()).hexdigest() == WIDE5K_SHA256
    # the GPU pipeline generates its first stage from this plan
    assert "--plan configs/data/wide5k.yaml" in (REPO / "scripts/run_recipe.sh").read_text(encoding="utf-8")


def test_the_ensemble_plan_is_the_measured_second_member(tmp_path):
    """configs/data/other5k.yaml is cell other5k_then_real's first stage (`--families all --n 5000 --seed 500000`),
    byte for byte, and the default ensemble's second member trains on it."""
    parts = load_plan(REPO / "configs/data/other5k.yaml")
    assert [(p.families, p.n, p.seed, p.difficulty, p.solutions) for p in parts] == [("all", 5000, 500000, "mix", False)]
    out = tmp_path / "other5k.jsonl"
    assert generate("--plan", "configs/data/other5k.yaml", "--out", str(out)).returncode == 0
    assert hashlib.sha256(out.read_bytes()).hexdigest() == OTHER5K_SHA256
    assert "--plan configs/data/other5k.yaml" in (REPO / "scripts/run_ensemble.sh").read_text(encoding="utf-8")


@pytest.mark.parametrize("text, message", [
    ("parts:\n  - {families: v1, n: 4, seed: 0}\n  - {families: nosuch, n: 1, seed: 1}\n",
     ":3: field 'families': unknown families ['nosuch']"),
    ("parts:\n  - families: v1\n    n: -3\n    seed: 0\n", ":3: field 'n': expected a whole number >= 1, got -3"),
    ("parts:\n  - {families: v1, n: 2, seed: 1.5}\n", ":2: field 'seed': expected a whole number >= 0, got 1.5"),
    ("parts:\n  - {families: v1, seed: 0}\n", ":2: field 'n': missing"),
    ("parts:\n  - {families: v1, n: 3, seed: 0, colour: red}\n", ":2: field 'colour': unknown"),
    ("parts:\n  - {families: v1, n: 3, seed: 0, difficulty: extreme}\n", ":2: field 'difficulty': expected one of"),
    ("parts:\n  - {families: v1, n: 3, seed: 0, solutions: maybe}\n", ":2: field 'solutions': expected true or false"),
    ("parts:\n  - 5\n", ":2: a part must be a mapping"),
    ("parts: []\n", ":1: field 'parts': expected a non-empty list"),
    ("part:\n  - {families: v1, n: 3, seed: 0}\n", ": unknown key(s) part"),
    ("parts: [\n", ":2: invalid YAML"),
])
def test_a_bad_plan_names_file_line_and_field_and_writes_nothing(tmp_path, text, message):
    plan, out = tmp_path / "plan.yaml", tmp_path / "out.jsonl"
    plan.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_plan(plan)
    assert f"{plan}{message}" in str(caught.value)
    done = generate("--plan", str(plan), "--out", str(out))
    assert done.returncode == 1 and done.stderr.startswith(f"error: {plan}{message}"), done.stderr
    assert "Traceback" not in done.stderr and not out.exists()


def test_plan_and_the_part_options_exclude_each_other(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text("parts:\n  - {families: v1, n: 3, seed: 0}\n", encoding="utf-8")
    done = generate("--plan", str(plan), "--n", "4", "--seed", "1", "--out", str(tmp_path / "x.jsonl"))
    assert done.returncode == 1 and "drop --n, --seed" in done.stderr
