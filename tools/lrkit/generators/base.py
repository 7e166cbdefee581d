"""What every generator family shares: the config base, difficulty levels, option building, text layout.

A family module holds a ``Config`` dataclass (fields are the difficulty knobs,
``LEVELS`` maps easy/medium/hard onto them), ``generate(rng, cfg)`` returning
the problem text and its sub-questions, and ``check(record)``: an independent
re-derivation that reads only the rendered record and returns, for every
sub-question, the truth of every option. Tests require exactly one true option,
at the answer letter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Callable, ClassVar

LEVELS = ("easy", "medium", "hard")
YES_NO = ("是", "否")
RIGHT_WRONG = ("正确", "错误")

# Name pools in the real data's mix: Chinese given names and Western names.
ZH_NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈杰", "杨静", "赵磊", "黄敏", "周涛", "吴倩", "徐强", "孙丽",
            "马超", "朱琳", "胡斌", "郭鹏", "何燕", "林峰", "高翔", "罗娟", "梁宇", "宋佳", "郑凯", "谢婷"]
EN_NAMES = ["Alice", "Bob", "Carol", "David", "Emma", "Frank", "Grace", "Henry", "Irene", "Jack", "Kevin", "Linda",
            "Mary", "Nick", "Olivia", "Peter", "Quinn", "Rose", "Steve", "Tom", "Ursula", "Victor", "Wendy", "Zoe"]


@dataclass
class GenConfig:
    """Knobs common to every family; subclasses add their own and a ``LEVELS`` table."""

    min_questions: int = 2
    max_questions: int = 4

    LEVELS: ClassVar[dict[str, dict]] = {"easy": {}, "medium": {}, "hard": {}}

    @classmethod
    def for_level(cls, level: str) -> "GenConfig":
        if level not in LEVELS:
            raise ValueError(f"difficulty must be one of {LEVELS}, got {level!r}")
        cfg = cls(**cls.LEVELS[level])
        cfg.validate()
        return cfg

    def validate(self) -> None:
        if not 1 <= self.min_questions <= self.max_questions <= 5:
            raise ValueError("need 1 <= min_questions <= max_questions <= 5")
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, int) and value < 0:
                raise ValueError(f"{f.name} must be non-negative, got {value}")


def check_range(name: str, low: int, high: int, minimum: int = 1) -> None:
    if not minimum <= low <= high:
        raise ValueError(f"{name}: need {minimum} <= low <= high, got {low}..{high}")


@dataclass(frozen=True)
class Family:
    name: str          # registry key, also the record's ``family``
    title: str         # the family in the words
    weight: int        # approximate count in the real test set's frequency list (of 500)
    config: type
    generate: Callable  # (rng, cfg) -> (problem text, [sub-question dicts])
    check: Callable     # (record) -> [[bool per option] per sub-question]
    keywords: tuple[str, ...] = ()  # words by which lrkit.report.classify_family recognises a real problem


REGISTERED: dict[str, Family] = {}


def register(family: Family) -> Family:
    """Record ``family`` under its name (each family module ends with this call); returns it."""
    if family.name in REGISTERED:
        raise ValueError(f"family {family.name!r} registered twice")
    REGISTERED[family.name] = family
    return family


def choice(rng, text: str, correct: str, wrong, steps: list[str], k: int = 4) -> dict | None:
    """A sub-question with ``correct`` and up to ``k - 1`` distinct wrong options, shuffled."""
    distractors: list[str] = []
    for w in wrong:
        if w != correct and w not in distractors:
            distractors.append(w)
    options = [correct] + distractors[: k - 1]
    if len(options) < 2:
        return None  # no near miss exists in this world; ask() draws another sub-question
    rng.shuffle(options)
    return {"question": text, "options": options, "answer": options.index(correct), "steps": steps}


def yes_no(text: str, truth: bool, steps: list[str], labels=YES_NO) -> dict:
    """A yes/no sub-question; the options keep the real data's fixed order (yes first)."""
    return {"question": text, "options": list(labels), "answer": 0 if truth else 1, "steps": steps}


# A fact line's head: "1. " as rendered, or "- " after surface.restyle turned the list into bullets.
ITEM = r"^(?:\d+\.|-) "


def numbered(lines) -> str:
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1))


OUTRO = "根据以上信息，回答以下选择题："


def layout(intro: str, facts, outro: str = OUTRO) -> str:
    return f"{intro}\n\n{numbered(facts)}\n\n{outro}"


QUESTION_HEAD = re.compile(r"^选择题 \d+：\n")


def question_body(question: dict) -> str:
    """The sub-question's text without its "选择题 k：" head."""
    return QUESTION_HEAD.sub("", question["question"], count=1)


def yes_no_truth(option: str, truth: bool) -> bool:
    """Truth of a yes/no option given the statement's truth (checkers use it)."""
    return (option in ("是", "正确", "存在", "对")) == truth


# The real data often sets Latin names off by spaces ("Mary 是 Fred 的母亲。"); checkers undo it before parsing.
_LATIN_CJK = re.compile(r"(?<=[A-Za-z])(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])(?=[A-Za-z])")
_LATIN_CJK_SPACE = re.compile(r"(?<=[A-Za-z]) (?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff]) (?=[A-Za-z])")


def spaced(text: str) -> str:
    """``text`` with a space between every Latin letter and Chinese character that touch."""
    return _LATIN_CJK.sub(" ", text)


def unspaced(text: str) -> str:
    """Inverse of :func:`spaced`."""
    return _LATIN_CJK_SPACE.sub("", text)


def join_names(names) -> str:
    """``A``, ``A和B``, ``A、B和C``: a list of names as the real data writes it."""
    names = list(names)
    return names[0] if len(names) == 1 else "、".join(names[:-1]) + "和" + names[-1]


def dedup(items) -> list:
    """``items`` without repeats, each kept where it first occurs (written out: checkers use ``dict.fromkeys``)."""
    out = []
    for x in items:
        if x not in out:
            out.append(x)
    return out


def fmt_list(items) -> str:
    return "[" + ", ".join(str(x) for x in items) + "]"


def parse_list(text: str) -> list:
    """Inverse of :func:`fmt_list` for ints and bare words."""
    inner = text.strip()[1:-1].strip()
    if not inner:
        return []
    return [int(x) if re.fullmatch(r"-?\d+", x) else x for x in (p.strip() for p in inner.split(","))]


def near_lists(rng, items: list, pool) -> list[list]:
    """Small perturbations of a list: a swap, a drop, an insertion, a duplicate (wrong-answer material)."""
    out = []
    if len(items) >= 2:
        i, j = rng.sample(range(len(items)), 2)
        swapped = list(items)
        swapped[i], swapped[j] = swapped[j], swapped[i]
        out.append(swapped)
    if items:
        dropped = list(items)
        del dropped[rng.randrange(len(items))]
        out.append(dropped)
        doubled = list(items)
        doubled.insert(rng.randrange(len(items)), rng.choice(items))
        out.append(doubled)
    grown = list(items)
    grown.insert(rng.randrange(len(items) + 1), rng.choice(list(pool)))
    out.append(grown)
    return out


def near_numbers(value: int, spread=(1, -1, 2, -2, 3, 10)) -> list[str]:
    """Off-by-a-little wrong values, as option strings."""
    return [str(value + d) for d in spread]


def fresh(used: set, draw, *args, tries: int = 25):
    """A value of ``draw(*args)`` not yet in ``used`` (then recorded there), or None after ``tries`` draws: each
    sub-question of a problem its own input."""
    for _ in range(tries):
        x = draw(*args)
        if x not in used:
            used.add(x)
            return x
    return None


def ask(rng, cfg: GenConfig, makers, attempts: int = 30) -> list[dict]:
    """Draw ``min..max_questions`` sub-questions from ``makers`` (each ``f(rng) -> dict | None``), no repeats."""
    want = rng.randint(cfg.min_questions, cfg.max_questions)
    subs: list[dict] = []
    seen: set[str] = set()
    for _ in range(attempts):
        if len(subs) == want:
            break
        sub = rng.choice(makers)(rng)
        if sub is not None and sub["question"] not in seen:
            seen.add(sub["question"])
            subs.append(sub)
    if not subs:
        raise RuntimeError("no sub-question could be made for this world")
    return subs
