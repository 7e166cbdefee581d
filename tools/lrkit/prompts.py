"""Prompt rendering from jinja2 files in ``prompts/``.

A prompt file sees ``problem``, ``question``, ``options`` (list of strings) and
``letters`` ("ABCDEFG"), plus any extra keyword given to :func:`render`. The
seed's Chinese logical-reasoning prompt is ``prompts/seed_zh.j2``; the answer
line every prompt asks for is ``答案是：X``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from .records import LETTERS, DataError

DEFAULT_PROMPT = Path("prompts/seed_zh.j2")
ANSWER_PREFIX = "答案是："


@lru_cache(maxsize=32)
def load_template(path: str | Path = DEFAULT_PROMPT) -> jinja2.Template:
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as e:
        where = "" if path.is_absolute() else " (prompt paths are relative to the repository root: run from there)"
        raise DataError(f"{path}: cannot read prompt: {e.strerror or e}{where}") from None
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False)
    try:
        return env.from_string(source)
    except jinja2.TemplateSyntaxError as e:
        raise DataError(f"{path}:{e.lineno}: template: {e.message}") from None


def render(template: jinja2.Template, problem: str, question: dict, **extra) -> str:
    """The prompt for one sub-question (no answer, no trailing newline)."""
    try:
        text = template.render(
            problem=problem, question=question["question"], options=question["options"], letters=LETTERS, **extra
        )
    except jinja2.UndefinedError as e:
        raise DataError(f"prompt template: {e.message}") from None
    return text.rstrip("\n")


def answer_line(answer: str) -> str:
    return f"{ANSWER_PREFIX}{answer}"
