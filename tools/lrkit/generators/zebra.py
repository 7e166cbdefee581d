"""Assignment puzzles: ranks, colours and pets matched to people by clues with exactly one solution.

Two surface forms, as in the real problems: a race (names, ranks, clothes' colours, pets) or, in
:mod:`zebra_houses`, houses in a row (nationalities, house colours, pets: "英国人住在红色的房子里。").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from . import zebra_houses
from .assignment import pick_clues, random_solution, worlds
from .base import ITEM, layout, EN_NAMES, Family, register, GenConfig, ask, check_range, choice, question_body

RANKS = ["第一名", "第二名", "第三名", "第四名"]
COLORS = ["红色", "蓝色", "绿色", "黄色"]
PETS = ["猫", "狗", "鹦鹉", "兔子"]
RANK_DIGITS = "一二三四"


@dataclass
class Config(GenConfig):
    people: int = 3
    pets: bool = True  # a third attribute beside rank and colour

    LEVELS: ClassVar[dict] = {
        "easy": {"people": 3, "pets": False, "max_questions": 3},
        "medium": {"people": 3, "pets": True},
        "hard": {"people": 4, "pets": False, "min_questions": 3, "max_questions": 4},
    }

    def validate(self) -> None:
        super().validate()
        check_range("people", self.people, 4, minimum=3)


def clue_pool(sol, names, attrs):
    """Every true clue about the solution ``sol`` (person -> {attribute: value}) as (text, test) pairs."""
    clues = []
    for p in names:
        for a in attrs:
            v = sol[p][a]
            clues.append((f"{p}{verb(a, v)}。", lambda s, p=p, a=a, v=v: s[p][a] == v))
            for w in attrs[a]:
                if w != v:
                    clues.append((f"{p}{verb(a, w, False)}。", lambda s, p=p, a=a, w=w: s[p][a] != w))
        for q in names:
            if RANKS.index(sol[p]["rank"]) < RANKS.index(sol[q]["rank"]):
                clues.append((f"{p}的名次在{q}前面。", lambda s, p=p, q=q: RANKS.index(s[p]["rank"]) < RANKS.index(s[q]["rank"])))
    for a, b in (("color", "rank"), ("pet", "color"), ("pet", "rank")):
        if a in attrs and b in attrs:
            for p in names:
                clues.append((f"{who(a, sol[p][a])}{verb(b, sol[p][b])}。",
                              lambda s, a=a, b=b, x=sol[p][a], y=sol[p][b]: all(s[q][b] == y for q in s if s[q][a] == x)))
    return clues


def verb(attr, value, positive=True):
    return {"rank": ("是" if positive else "不是") + value, "color": ("穿" if positive else "没有穿") + value + "衣服",
            "pet": ("养" if positive else "没有养") + value}[attr]


def who(attr, value):
    return {"rank": f"{value}的人", "color": f"穿{value}衣服的人", "pet": f"养{value}的人"}[attr]




def generate(rng, cfg: Config):
    if rng.random() < 0.5:
        intro, clues, makers = zebra_houses.generate(rng, cfg)
        return layout(intro, clues, "根据以上线索，回答以下选择题："), ask(rng, cfg, makers)
    n = cfg.people
    names = rng.sample(EN_NAMES, n)
    attrs = {"rank": RANKS[:n], "color": rng.sample(COLORS, n)}
    if cfg.pets:
        attrs["pet"] = rng.sample(PETS, n)
    sol = random_solution(rng, names, attrs)
    clues = pick_clues(rng, clue_pool(sol, names, attrs), names, attrs)
    order = sorted(names, key=lambda p: RANKS.index(sol[p]["rank"]))
    summary = "；".join(f"{p}{'，'.join(verb(a, sol[p][a]) for a in attrs)}" for p in order)
    steps = [f"逐条使用线索排除不可能的安排，只剩下一种情况：{summary}。"]

    def rank_q(r):
        k = r.randrange(n)
        p = order[k]
        return choice(r, f"谁是{RANKS[k]}？", p, r.sample(names, n), steps + [f"所以{RANKS[k]}是{p}。"])

    def attr_q(r):
        p = r.choice(names)
        a = r.choice([x for x in attrs if x != "rank"])
        q = {"color": f"{p}穿什么颜色的衣服？", "pet": f"{p}养的是什么宠物？"}[a]
        return choice(r, q, sol[p][a], r.sample(attrs[a], n), steps + [f"所以{p}{verb(a, sol[p][a])}。"])

    def owner_q(r):
        a = r.choice([x for x in attrs if x != "rank"])
        v = r.choice(attrs[a])
        p = next(x for x in names if sol[x][a] == v)
        return choice(r, f"{who(a, v)}是谁？", p, r.sample(names, n), steps + [f"所以{who(a, v)}是{p}。"])

    head = (f"{'、'.join(names)} {n} 人参加了一场比赛，分别取得了{'、'.join(RANKS[:n])}（名次各不相同）。"
            f"每人穿的衣服颜色各不相同，分别是{'、'.join(sorted(attrs['color']))}")
    if cfg.pets:
        head += f"；每人养的宠物也各不相同，分别是{'、'.join(sorted(attrs['pet']))}"
    text = layout(head + "。已知：", clues)
    return text, ask(rng, cfg, [rank_q, attr_q, owner_q])


def check(record):
    """Brute force: every assignment of the parsed values, filtered by clues re-read from the text."""
    text = record["problem"]
    if "国家的人有：" in text:
        return zebra_houses.check(record)
    head, body = text.split("已知：", 1)
    names = re.search(r"^(.+?) \d+ 人", head, re.M).group(1).split("、")
    n = len(names)
    attrs = {"rank": RANKS[:n], "color": re.search(r"分别是(.+?)[；。]", head).group(1).split("、")}
    if m := re.search(r"宠物也各不相同，分别是(.+?)。", head):
        attrs["pet"] = m.group(1).split("、")
    words = {v: k for k, vs in attrs.items() for v in vs}
    tests = []
    for line in re.findall(ITEM + r"(.+?)。$", body, re.M):
        if m := re.match(r"(\w+)的名次在(\w+)前面", line):
            tests.append(lambda s, p=m.group(1), q=m.group(2): s[p]["rank"][1] in RANK_DIGITS[: RANK_DIGITS.index(s[q]["rank"][1])])
            continue
        value = next(v for v in sorted(words, key=len, reverse=True) if v in line.split("的人")[-1])
        negative = "不是" in line or "没有" in line
        subject = line.split("是")[0].split("穿")[0].split("没有")[0].split("养")[0].split("不")[0]
        if subject in names:
            tests.append(lambda s, p=subject, a=words[value], v=value, neg=negative: (s[p][a] == v) != neg)
        else:
            key = next(v for v in words if v in line.split("的人")[0])
            tests.append(lambda s, k=key, a=words[value], v=value: all(s[p][a] == v for p in s if k in s[p].values()))
    found = [w for w in worlds(names, attrs) if all(t(w) for t in tests)]
    assert len(found) == 1, f"{len(found)} solutions"
    sol = found[0]
    verdicts = []
    for q in record["questions"]:
        t = question_body(q)
        if m := re.match(r"谁是(第.名)？", t):
            verdicts.append([sol[o]["rank"] == m.group(1) for o in q["options"]])
        elif m := re.match(r"(\w+?)(穿什么颜色|养的是什么宠物)", t):
            verdicts.append([o in sol[m.group(1)].values() for o in q["options"]])
        elif m := re.match(r"(?:穿)?(\w+?)(?:衣服)?的人是谁？|养(\w+?)的人是谁？", t):
            v = m.group(1) or m.group(2)
            v = v[1:] if v.startswith("养") else v
            verdicts.append([v in sol[o].values() for o in q["options"]])
        else:
            raise ValueError(f"unknown zebra question: {t}")
    return verdicts


FAMILY = register(Family(
    name="zebra", title="zebra / assignment / ranking", weight=19, config=Config, generate=generate, check=check,
    keywords=("房子", "座位", "坐在", "住在", "谋杀", "嫌疑"),
))
