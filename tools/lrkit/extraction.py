"""Answer-letter extraction from free text: pure functions, reused by every tool.

The rule, in order: the LAST explicit answer line (``答案是：X``, ``答案：X``,
``Answer: X``, ``answer is X``); else, if the whole reply is one letter
(optionally bracketed or followed by a period), that letter; else ``None``
(unparseable, counted separately and scored wrong). Letters are case-insensitive
(``b`` and ``答案是：b`` are ``B``). A letter beyond the question's options is
treated as unparseable. :func:`parse_answer` also says why there is no letter.
"""

from __future__ import annotations

import re

from .records import LETTERS

_EXPLICIT = re.compile(
    r"(?:答案\s*(?:是|为)?\s*[:：]?|answer\s*(?:is)?\s*[:：]?)\s*[\(\[（【]?\s*([A-Ga-g])(?![A-Za-z])",
    re.IGNORECASE,
)
_LONE = re.compile(r"^\s*[\(\[（【]?\s*([A-Ga-g])\s*[\)\]）】]?\s*[.。]?\s*$")


def parse_answer(text, n_options: int = len(LETTERS)) -> tuple[str | None, str | None]:
    """``(letter, None)``, or ``(None, reason)`` saying why ``text`` gives no letter within ``n_options``."""
    if text is None or text == "":
        return None, "no answer"
    if not isinstance(text, str):
        return None, f"expected a string, got {text!r:.30}"
    matches = _EXPLICIT.findall(text)
    if matches:
        found = matches[-1].upper()
    else:
        lone = _LONE.match(text)
        if not lone:
            excerpt = " ".join(text.split())
            excerpt = excerpt if len(excerpt) <= 40 else excerpt[:40] + "…"
            return None, f"no answer letter in {excerpt!r}"
        found = lone.group(1).upper()
    if LETTERS.index(found) >= n_options:
        return None, f"{found!r} is outside the {n_options} options"
    return found, None


def extract_answer(text: str | None, n_options: int = len(LETTERS)) -> str | None:
    """The answer letter in ``text``, or ``None`` when there is none within ``n_options``."""
    return parse_answer(text, n_options)[0]


def reasoning_before_answer(text: str | None) -> str | None:
    """The reasoning of a chain of thought: ``text`` before its LAST explicit answer line (the part a worked
    solution holds; :func:`lrkit.alpaca.target_text` adds the answer line back), or None without one."""
    if not text:
        return None
    last = None
    for last in _EXPLICIT.finditer(text):
        pass
    if last is None:
        return None
    return text[: last.start()].rstrip() or None
