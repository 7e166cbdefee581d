"""Comparisons that fix a total order: who is tallest, who ranks k-th, is A above B."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from .base import ITEM, layout, EN_NAMES, ZH_NAMES, Family, register, GenConfig, ask, check_range, choice, question_body, yes_no, yes_no_truth

# (comparative, superlative high, superlative low, ranking phrase)
SCALES = [("高", "最高", "最矮", "从高到矮"), ("年龄大", "年龄最大", "年龄最小", "按年龄从大到小"),
          ("跑得快", "跑得最快", "跑得最慢", "按速度从快到慢"), ("分数高", "分数最高", "分数最低", "按分数从高到低")]


@dataclass
class Config(GenConfig):
    people: int = 4
    extra_facts: int = 1  # redundant comparisons beside the chain that fixes the order

    LEVELS: ClassVar[dict] = {
        "easy": {"people": 3, "extra_facts": 0},
        "medium": {"people": 4, "extra_facts": 1},
        "hard": {"people": 6, "extra_facts": 2, "min_questions": 3, "max_questions": 5},
    }

    def validate(self) -> None:
        super().validate()
        check_range("people", self.people, 8, minimum=3)
        check_range("extra_facts", 0, self.extra_facts, minimum=0)


def generate(rng, cfg: Config):
    names = rng.sample(ZH_NAMES if rng.random() < 0.5 else EN_NAMES, cfg.people)  # names[0] ranks first
    comp, top, bottom, ranking = rng.choice(SCALES)
    pairs = [(names[i], names[i + 1]) for i in range(len(names) - 1)]
    others = [(names[i], names[j]) for i in range(len(names)) for j in range(i + 2, len(names))]
    pairs += rng.sample(others, min(cfg.extra_facts, len(others)))
    rng.shuffle(pairs)
    chain = f"把这些关系连起来：{' > '.join(names)}。"

    def extreme(r):
        first = r.random() < 0.5
        ans = names[0] if first else names[-1]
        return choice(r, f"谁{top if first else bottom}？", ans, [n for n in r.sample(names, len(names)) if n != ans],
                      [chain, f"排在{'最前' if first else '最后'}的是{ans}。"])

    def rank(r):
        k = r.randint(2, len(names) - 1) if len(names) > 2 else 1
        return choice(r, f"{ranking}排列，第 {k} 位是谁？", names[k - 1], r.sample(names, len(names)),
                      [chain, f"第 {k} 位是{names[k - 1]}。"])

    def compare(r):
        a, b = r.sample(names, 2)
        truth = names.index(a) < names.index(b)
        return yes_no(f"{a}比{b}{comp}吗？", truth, [chain, f"{a}排在{b}的{'前面' if truth else '后面'}。"])

    text = layout(f"有{len(names)}个人：{'、'.join(sorted(names))}。已知：", [f"{a}比{b}{comp}。" for a, b in pairs])
    return text, ask(rng, cfg, [extreme, rank, compare, compare])


def check(record):
    """Rank by counting, for each person, how many others are below them in the transitive closure."""
    text = record["problem"]
    comp = max((c for c, *_ in SCALES if f"{c}。" in text), key=len)  # "高" is a suffix of "分数高"
    scale = next(s for s in SCALES if s[0] == comp)
    above = re.findall(ITEM + rf"(\S+?)比(\S+?){comp}。$", text, re.M)
    people = {x for pair in above for x in pair}
    below = {p: set() for p in people}
    for a, b in above:
        below[a].add(b)
    changed = True
    while changed:
        changed = False
        for p in people:
            extra = set().union(*(below[q] for q in below[p])) - below[p]
            if extra:
                below[p] |= extra
                changed = True
    order = sorted(people, key=lambda p: -len(below[p]))
    verdicts = []
    for q in record["questions"]:
        t = question_body(q)
        if t == f"谁{scale[1]}？":
            verdicts.append([o == order[0] for o in q["options"]])
        elif t == f"谁{scale[2]}？":
            verdicts.append([o == order[-1] for o in q["options"]])
        elif m := re.search(r"第 (\d+) 位是谁", t):
            verdicts.append([o == order[int(m.group(1)) - 1] for o in q["options"]])
        elif m := re.match(rf"(\S+?)比(\S+?){comp}吗？", t):
            truth = m.group(2) in below[m.group(1)]
            verdicts.append([yes_no_truth(o, truth) for o in q["options"]])
        else:
            raise ValueError(f"unknown ordering question: {t}")
    return verdicts


FAMILY = register(Family(
    name="ordering", title="ordering / comparison", weight=16, config=Config, generate=generate, check=check,
))
