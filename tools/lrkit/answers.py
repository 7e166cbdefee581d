"""Answer-letter extraction from free text: pure functions, reused by every tool.

The rule, in order: the LAST explicit answer line (``答案是：X``, ``答案：X``,
``Answer: X``, ``answer is X``); else, if the whole reply is one letter
(optionally bracketed or followed by a period), that letter; else ``None``
(unparseable, counted separately and scored wrong). A letter beyond the
question's options is treated as unparseable.
"""

from __future__ import annotations

import re

from .records import LETTERS

_EXPLICIT = re.compile(
    r"(?:答案\s*(?:是|为)?\s*[:：]?|answer\s*(?:is)?\s*[:：]?)\s*[\(\[（【]?\s*([A-Ga-g])(?![A-Za-z])",
    re.IGNORECASE,
)
_LONE = re.compile(r"^\s*[\(\[（【]?\s*([A-G])\s*[\)\]）】]?\s*[.。]?\s*$")


def extract_answer(text: str | None, n_options: int = len(LETTERS)) -> str | None:
    """The answer letter in ``text``, or ``None`` when there is none within ``n_options``."""
    if not text:
        return None
    matches = _EXPLICIT.findall(text)
    if matches:
        found = matches[-1].upper()
    else:
        lone = _LONE.match(text)
        if not lone:
            return None
        found = lone.group(1)
    return found if LETTERS.index(found) < n_options else None
