"""Truth-tellers and liars: each person makes one statement; exactly one assignment is consistent.

Surface forms, as in the real problems: three vocabularies (诚实的人/说谎者, 骑士/无赖 and 说真话的人/说谎的人) with
their own island story, statements in Chinese or ASCII quotes, and five question forms (是…还是…？, 哪个人是…？,
…一共有几个？, 哪项描述是正确的？ over statements, …是…吗？).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import product
from typing import ClassVar

from .base import (ITEM, layout, EN_NAMES, Family, register, GenConfig, ask, check_range, choice, near_numbers,
                   question_body, yes_no, yes_no_truth)

# (honest, liar, the island's story with {names} and {n}).
VOCABULARIES = (
    ("诚实的人", "说谎者", "在一个岛上，每个人要么是诚实的人（总是说真话），要么是说谎者（总是说假话）。你遇到了{names} {n} 个人，"
                        "他们分别说了下面的话："),
    ("骑士", "无赖", "在一座岛上，所有居民要么是骑士要么是无赖。骑士总是说真话，无赖总是说谎。岛上有{n}个人：{names}。"
                  "以下是他们陈述的内容："),
    ("说真话的人", "说谎的人", "有{n}个人：{names}。他们之中每个人要么总是说真话（说真话的人），要么总是说谎（说谎的人）。"
                      "已知他们说了下面的话："),
)
QUOTES = (("“", "”"), ('"', '"'))


@dataclass
class Config(GenConfig):
    people: int = 3

    LEVELS: ClassVar[dict] = {
        "easy": {"people": 2, "max_questions": 2, "min_questions": 1},
        "medium": {"people": 3},
        "hard": {"people": 4, "min_questions": 3, "max_questions": 5},
    }

    def validate(self) -> None:
        super().validate()
        check_range("people", self.people, 5, minimum=2)


SELF = "我"


def statement(rng, speaker, names, kinds):
    """A random statement as (text, test over a mask person -> honest); the speaker names himself 我."""
    others = [x for x in names if x != speaker]
    x = rng.choice(others)
    y = rng.choice([z for z in names if z != x])
    sx, sy = (SELF if v == speaker else v for v in (x, y))
    honest, liar = kinds
    forms = [
        (f"{sx}是{liar}。", lambda h: not h[x]),
        (f"{sx}是{honest}。", lambda h: h[x]),
        (f"{sx}和{sy}都是{honest}。", lambda h: h[x] and h[y]),
        (f"{sx}和{sy}中至少有一个是{liar}。", lambda h: not (h[x] and h[y])),
        (f"{sx}和{sy}是同一类人。", lambda h: h[x] == h[y]),
    ]
    return rng.choice(forms)


def generate(rng, cfg: Config):
    names = rng.sample(EN_NAMES, cfg.people)
    *kinds, story = rng.choice(VOCABULARIES)
    for _ in range(200):
        said = {p: statement(rng, p, names, kinds) for p in names}
        worlds = [dict(zip(names, bits)) for bits in product((True, False), repeat=len(names))]
        consistent = [h for h in worlds if all(h[p] == test(h) for p, (_, test) in said.items())]
        if len(consistent) == 1:
            break
    else:
        raise RuntimeError("no puzzle with a unique solution found")
    honest = consistent[0]
    summary = "、".join(f"{p}是{kinds[0] if honest[p] else kinds[1]}" for p in names)
    steps = [f"逐一假设每个人是{kinds[0]}或{kinds[1]}（共 {2 ** len(names)} 种情况），检查每个人的话是否与其身份相符。",
             f"{kinds[0]}说的话必须为真，{kinds[1]}说的话必须为假；只有一种情况全部相符：{summary}。"]
    for p, (text, test) in said.items():
        steps.append(f"验证：{p}说“{text}”，这句话为{'真' if test(honest) else '假'}，与{p}是{kinds[0] if honest[p] else kinds[1]}相符。")

    def kind_q(r):
        p = r.choice(names)
        ans = kinds[0] if honest[p] else kinds[1]
        return {"question": f"{p}是{kinds[0]}还是{kinds[1]}？", "options": list(kinds), "answer": kinds.index(ans), "steps": steps}

    def liar_q(r):
        want = r.random() < 0.5
        yes = [p for p in names if honest[p] == want]
        no = [p for p in names if honest[p] != want]
        if not yes or not no:
            return None
        return choice(r, f"哪个人是{kinds[0] if want else kinds[1]}？", r.choice(yes), r.sample(no, len(no)), steps)

    def count_q(r):
        k = sum(honest.values())
        return choice(r, f"{kinds[0]}一共有几个？", str(k), [str(x) for x in range(len(names) + 1)] + near_numbers(k), steps)

    def which_q(r):
        true = [f"{p}是{kinds[0] if honest[p] else kinds[1]}。" for p in names]
        false = [f"{p}是{kinds[1] if honest[p] else kinds[0]}。" for p in names]
        return choice(r, "哪项描述是正确的？", r.choice(true), r.sample(false, len(false)), steps)

    def is_q(r):
        p = r.choice(names)
        kind = r.choice(kinds)
        return yes_no(f"{p}是{kind}吗？", honest[p] == (kind == kinds[0]), steps)

    opening, closing = rng.choice(QUOTES)
    text = layout(story.format(names="、".join(names), n=len(names)),
                  [f"{p}说：{opening}{said[p][0]}{closing}" for p in names])
    return text, ask(rng, cfg, [kind_q, liar_q, count_q, which_q, is_q])


def check(record):
    """Re-read every statement, then enumerate all truth assignments as bit masks."""
    text = record["problem"]
    said = re.findall(ITEM + r"(\w+)说：[“\"](.+?)[”\"]$", text, re.M)
    names = [p for p, _ in said]
    honest_word, liar_word = next((h, lie) for h, lie, _ in VOCABULARIES if h in text and lie in text)

    def holds(claim, speaker, h):
        h = {**h, SELF: h[speaker]}
        if m := re.fullmatch(rf"(\w+?)和(\w+?)都是{honest_word}。", claim):
            return h[m.group(1)] and h[m.group(2)]
        if m := re.fullmatch(rf"(\w+?)和(\w+?)中至少有一个是{liar_word}。", claim):
            return not h[m.group(1)] or not h[m.group(2)]
        if m := re.fullmatch(r"(\w+?)和(\w+?)是同一类人。", claim):
            return h[m.group(1)] is h[m.group(2)]
        m = re.fullmatch(rf"(\w+?)是({honest_word}|{liar_word})。", claim)
        return h[m.group(1)] == (m.group(2) == honest_word)

    found = []
    for mask in range(2 ** len(names)):
        h = {p: bool(mask >> i & 1) for i, p in enumerate(names)}
        if all(holds(claim, p, h) == h[p] for p, claim in said):
            found.append(h)
    assert len(found) == 1, f"{len(found)} consistent assignments"
    honest = found[0]
    kinds = f"{honest_word}|{liar_word}"
    verdicts = []
    for q in record["questions"]:
        t = question_body(q)
        if m := re.match(rf"(\w+)是{honest_word}还是{liar_word}？", t):
            verdicts.append([o == (honest_word if honest[m.group(1)] else liar_word) for o in q["options"]])
        elif m := re.match(rf"哪个人是({kinds})？", t):
            verdicts.append([honest[o] == (m.group(1) == honest_word) for o in q["options"]])
        elif t.startswith(f"{honest_word}一共有几个"):
            verdicts.append([o == str(sum(honest.values())) for o in q["options"]])
        elif t == "哪项描述是正确的？":
            claims = [re.fullmatch(rf"(\w+)是({kinds})。", o).groups() for o in q["options"]]
            verdicts.append([honest[p] == (k == honest_word) for p, k in claims])
        elif m := re.match(rf"(\w+)是({kinds})吗？", t):
            truth = honest[m.group(1)] == (m.group(2) == honest_word)
            verdicts.append([yes_no_truth(o, truth) for o in q["options"]])
        else:
            raise ValueError(f"unknown knights question: {t}")
    return verdicts


FAMILY = register(Family(
    name="knights_knaves", title="knights-and-knaves / liars", weight=11, config=Config, generate=generate, check=check,
    keywords=("说谎", "谎言", "说真话", "骑士", "诚实"),
))
