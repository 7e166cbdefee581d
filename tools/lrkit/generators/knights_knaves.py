"""Truth-tellers and liars: each person makes one statement; exactly one assignment is consistent."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import product
from typing import ClassVar

from .base import ITEM, layout, EN_NAMES, Family, register, GenConfig, ask, check_range, choice, near_numbers, question_body

KINDS = ("诚实的人", "说谎者")


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


def statement(rng, speaker, names):
    """A random statement as (text, test over a mask person -> honest); the speaker names himself 我."""
    others = [x for x in names if x != speaker]
    x = rng.choice(others)
    y = rng.choice([z for z in names if z != x])
    sx, sy = (SELF if v == speaker else v for v in (x, y))
    kinds = [
        (f"{sx}是说谎者。", lambda h: not h[x]),
        (f"{sx}是诚实的人。", lambda h: h[x]),
        (f"{sx}和{sy}都是诚实的人。", lambda h: h[x] and h[y]),
        (f"{sx}和{sy}中至少有一个是说谎者。", lambda h: not (h[x] and h[y])),
        (f"{sx}和{sy}是同一类人。", lambda h: h[x] == h[y]),
    ]
    return rng.choice(kinds)


def generate(rng, cfg: Config):
    names = rng.sample(EN_NAMES, cfg.people)
    for _ in range(200):
        said = {p: statement(rng, p, names) for p in names}
        worlds = [dict(zip(names, bits)) for bits in product((True, False), repeat=len(names))]
        consistent = [h for h in worlds if all(h[p] == test(h) for p, (_, test) in said.items())]
        if len(consistent) == 1:
            break
    else:
        raise RuntimeError("no puzzle with a unique solution found")
    honest = consistent[0]
    summary = "、".join(f"{p}是{KINDS[0] if honest[p] else KINDS[1]}" for p in names)
    steps = [f"逐一假设每个人是诚实的人或说谎者（共 {2 ** len(names)} 种情况），检查每个人的话是否与其身份相符。",
             f"诚实的人说的话必须为真，说谎者说的话必须为假；只有一种情况全部相符：{summary}。"]
    for p, (text, test) in said.items():
        steps.append(f"验证：{p}说“{text}”，这句话为{'真' if test(honest) else '假'}，与{p}是{KINDS[0] if honest[p] else KINDS[1]}相符。")

    def kind_q(r):
        p = r.choice(names)
        ans = KINDS[0] if honest[p] else KINDS[1]
        return {"question": f"{p}是诚实的人还是说谎者？", "options": list(KINDS), "answer": KINDS.index(ans), "steps": steps}

    def liar_q(r):
        want = r.random() < 0.5
        yes = [p for p in names if honest[p] == want]
        no = [p for p in names if honest[p] != want]
        if not yes or not no:
            return None
        return choice(r, f"下列哪个人是{KINDS[0] if want else KINDS[1]}？", r.choice(yes), r.sample(no, len(no)), steps)

    def count_q(r):
        k = sum(honest.values())
        return choice(r, "诚实的人一共有几个？", str(k), [str(x) for x in range(len(names) + 1)] + near_numbers(k), steps)

    text = (f"在一个岛上，每个人要么是诚实的人（总是说真话），要么是说谎者（总是说假话）。你遇到了{'、'.join(names)}"
            f" {len(names)} 个人，他们分别说了下面的话：")
    text = layout(text, [f"{p}说：“{said[p][0]}”" for p in names])
    return text, ask(rng, cfg, [kind_q, liar_q, count_q])


def check(record):
    """Re-read every statement, then enumerate all truth assignments as bit masks."""
    text = record["problem"]
    said = re.findall(ITEM + r"(\w+)说：“(.+?)”$", text, re.M)
    names = [p for p, _ in said]

    def holds(claim, speaker, h):
        h = {**h, SELF: h[speaker]}
        if m := re.fullmatch(r"(\w+?)和(\w+?)都是诚实的人。", claim):
            return h[m.group(1)] and h[m.group(2)]
        if m := re.fullmatch(r"(\w+?)和(\w+?)中至少有一个是说谎者。", claim):
            return not h[m.group(1)] or not h[m.group(2)]
        if m := re.fullmatch(r"(\w+?)和(\w+?)是同一类人。", claim):
            return h[m.group(1)] is h[m.group(2)]
        m = re.fullmatch(r"(\w+?)是(诚实的人|说谎者)。", claim)
        return h[m.group(1)] == (m.group(2) == "诚实的人")

    found = []
    for mask in range(2 ** len(names)):
        h = {p: bool(mask >> i & 1) for i, p in enumerate(names)}
        if all(holds(claim, p, h) == h[p] for p, claim in said):
            found.append(h)
    assert len(found) == 1, f"{len(found)} consistent assignments"
    honest = found[0]
    verdicts = []
    for q in record["questions"]:
        t = question_body(q)
        if m := re.match(r"(\w+)是诚实的人还是说谎者？", t):
            verdicts.append([o == ("诚实的人" if honest[m.group(1)] else "说谎者") for o in q["options"]])
        elif m := re.match(r"下列哪个人是(诚实的人|说谎者)？", t):
            verdicts.append([honest[o] == (m.group(1) == "诚实的人") for o in q["options"]])
        elif t.startswith("诚实的人一共有几个"):
            verdicts.append([o == str(sum(honest.values())) for o in q["options"]])
        else:
            raise ValueError(f"unknown knights question: {t}")
    return verdicts


FAMILY = register(Family(
    name="knights_knaves", title="knights-and-knaves / liars", weight=11, config=Config, generate=generate, check=check,
    keywords=("说谎", "谎言", "说真话", "骑士", "诚实"),
))
