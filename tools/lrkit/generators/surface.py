"""Surface forms every family shares: the title line, the fact list's bullets and the closing line of a problem.

The real problems (``../shared/data/round1_train_data.jsonl``) vary these freely: of 500, 312 number their facts
``1. ``, 114 use ``- `` bullets; 31 open with a ``**自然语言测试题：**`` title (a trace of their Prolog-to-Chinese
rendering); they close with ``根据以上信息，回答以下选择题：`` (84), ``根据以上规则，…`` (23), ``根据以上线索，…`` (22),
``根据以上描述，…`` (18), ``根据这些信息，…`` (14) and some twenty rarer variants. :func:`restyle` draws one of each
with about those shares. It changes no fact: checkers read fact lines by ``base.ITEM`` (either bullet).
"""

from __future__ import annotations

import re

from .base import OUTRO

TITLES = (("", 90), ("**自然语言测试题：**\n\n", 7), ("### 自然语言测试题：\n\n", 1), ("**单项选择测试题**\n\n", 1),
          ("以下是根据给定的 Prolog 代码、Prolog 问题及其答案形成的完整自然语言单项选择测试题：\n\n", 1))
BULLETS = (("numbered", 3), ("dash", 1))
OUTRO_SOURCES = (("以上信息", 100), ("以上规则", 25), ("以上描述", 22), ("这些信息", 16), ("上述信息", 10), ("以上条件", 3),
                 ("以上关系", 2), ("上述规则", 3), ("以上定义", 4))
OUTRO_ASKS = (("，回答以下选择题：", 80), ("，请回答以下选择题：", 12), ("，请回答以下问题：", 5), ("回答以下选择题：", 3))
NUMBERED_LINE = re.compile(r"^\d+\. ", re.M)


def draw(rng, table):
    """One value of a ``((value, weight), ...)`` table."""
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def restyle(rng, problem: str) -> str:
    """``problem`` with a drawn title, bullet style and closing line."""
    if draw(rng, BULLETS) == "dash":
        problem = NUMBERED_LINE.sub("- ", problem)
    if problem.endswith(OUTRO):
        problem = problem[: -len(OUTRO)] + "根据" + draw(rng, OUTRO_SOURCES) + draw(rng, OUTRO_ASKS)
    return draw(rng, TITLES) + problem
