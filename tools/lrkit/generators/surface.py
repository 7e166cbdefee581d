"""Surface forms every family shares: the title line, the fact list's bullets and the closing line of a problem.

The real problems (``../shared/data/round1_train_data.jsonl``) vary these freely: of 500, 312 number their facts
``1. ``, 114 use ``- `` bullets; 31 open with a ``**自然语言测试题：**`` title (a trace of their Prolog-to-Chinese
rendering); they close with ``根据以上信息，回答以下选择题：`` (91), ``根据以上规则，…`` (26), ``根据以上线索，…`` (23),
``根据以上描述，…`` (19), ``根据这些信息，…`` (15) and some twenty rarer variants (:data:`OUTROS`). :func:`restyle` draws
one of each with about those shares. It changes no fact: checkers read fact lines by ``base.ITEM`` (either bullet).
"""

from __future__ import annotations

import re

from .base import OUTRO

TITLES = (("", 90), ("**自然语言测试题：**\n\n", 7), ("### 自然语言测试题：\n\n", 1), ("**单项选择测试题**\n\n", 1),
          ("以下是根据给定的 Prolog 代码、Prolog 问题及其答案形成的完整自然语言单项选择测试题：\n\n", 1))
BULLETS = (("numbered", 3), ("dash", 1))
# Closing lines of the real problems that end on one, with their counts (337 of 500 do).
OUTROS = (("根据以上信息，回答以下选择题：", 91), ("根据以上规则，回答以下选择题：", 26), ("根据以上线索，回答以下选择题：", 23),
          ("根据以上描述，回答以下选择题：", 19), ("根据这些信息，回答以下选择题：", 15), ("根据上述信息，回答以下选择题：", 12),
          ("根据以上信息，请回答以下选择题：", 8), ("根据这些规则，回答以下选择题：", 7), ("根据以上逻辑，回答以下选择题：", 5),
          ("根据以上描述，请回答以下选择题：", 5), ("根据以上定义，回答以下选择题：", 5), ("根据上述规则，回答以下选择题：", 4),
          ("根据上述描述，回答以下选择题：", 4), ("根据以上规则，请回答以下选择题：", 4), ("根据以上信息，请回答以下问题：", 3),
          ("根据以上条件，回答以下选择题：", 3), ("根据这些信息，请回答以下问题：", 2), ("基于以上规则，回答以下选择题：", 2),
          ("回答以下选择题：", 4), ("请回答以下选择题：", 3))
NUMBERED_LINE = re.compile(r"^\d+\. ", re.M)


def draw(rng, table):
    """One value of a ``((value, weight), ...)`` table."""
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def restyle(rng, problem: str) -> str:
    """``problem`` with a drawn title, bullet style and closing line."""
    if draw(rng, BULLETS) == "dash":
        problem = NUMBERED_LINE.sub("- ", problem)
    if problem.endswith(OUTRO):
        problem = problem[: -len(OUTRO)] + draw(rng, OUTROS)
    return draw(rng, TITLES) + problem
