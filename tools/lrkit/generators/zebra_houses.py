"""The houses-in-a-row form of the zebra family, as in the real problems ("有三个房子排成一排…以下是已知的线索：").

People are nationalities; each lives in one house (position), each house has one colour, and (with ``cfg.pets``, as
in the race form: four people and three attributes would make a slow search) each person keeps one pet.
Clues are drawn from every true statement until exactly one assignment is left; :func:`check` re-reads the clue
lines with its own patterns and brute-forces every assignment.
"""

from __future__ import annotations

import re
from .assignment import pick_clues, random_solution, worlds
from .base import ITEM, choice, question_body

NATIONS = ["英国人", "西班牙人", "日本人", "法国人", "挪威人"]
HOUSES = ["第一个房子", "第二个房子", "第三个房子", "第四个房子"]
HOUSE_COLORS = ["红色", "蓝色", "绿色", "黄色", "白色"]
HOUSE_PETS = ["斑马", "狗", "蜗牛", "狐狸", "马"]
INTROS = ("有{n}个房子排成一排，每个房子的颜色不同，住着来自不同国家的人。",
          "一条街上有{n}个房子从左到右排成一排。每个房子里住着一个不同国家的人，房子颜色各不相同。")


def clue_pool(sol, people, attrs):
    """Every true clue about ``sol`` (person -> {"house", "color", "pet"}) as (text, test) pairs."""
    clues = []
    for p in people:
        h, c = sol[p]["house"], sol[p]["color"]
        clues += [(f"{p}住在{h}里。", lambda s, p=p, h=h: s[p]["house"] == h),
                  (f"{p}住在{c}的房子里。", lambda s, p=p, c=c: s[p]["color"] == c),
                  (f"{c}的房子是{h}。", lambda s, c=c, h=h: all(s[q]["house"] == h for q in s if s[q]["color"] == c))]
        clues += [(f"{p}不住在{x}里。", lambda s, p=p, x=x: s[p]["house"] != x) for x in attrs["house"] if x != h]
        if "pet" in attrs:
            a = sol[p]["pet"]
            clues += [(f"{p}养{a}。", lambda s, p=p, a=a: s[p]["pet"] == a),
                      (f"养{a}的人住在{c}的房子里。", lambda s, a=a, c=c: all(s[q]["color"] == c for q in s if s[q]["pet"] == a))]
            clues += [(f"{p}没有养{x}。", lambda s, p=p, x=x: s[p]["pet"] != x) for x in attrs["pet"] if x != a]
        for q in people:
            if HOUSES.index(h) + 1 == HOUSES.index(sol[q]["house"]):
                clues.append((f"{p}的房子紧挨在{q}的房子左边。",
                              lambda s, p=p, q=q: HOUSES.index(s[p]["house"]) + 1 == HOUSES.index(s[q]["house"])))
    return clues


def generate(rng, cfg):
    n = cfg.people
    people = rng.sample(NATIONS, n)
    attrs = {"house": HOUSES[:n], "color": rng.sample(HOUSE_COLORS, n)}
    if cfg.pets:
        attrs["pet"] = rng.sample(HOUSE_PETS, n)
    sol = random_solution(rng, people, attrs)
    clues = pick_clues(rng, clue_pool(sol, people, attrs), people, attrs)
    order = sorted(people, key=lambda p: HOUSES.index(sol[p]["house"]))
    steps = ["逐条使用线索排除不可能的安排，只剩下一种情况：" + "；".join(
        f"{p}住在{sol[p]['house']}，房子是{sol[p]['color']}的" + (f"，养{sol[p]['pet']}" if cfg.pets else "") for p in order) + "。"]

    def outsiders(pool, present):
        """Values that are not in this puzzle: false options when it has fewer than four of its own (as in the real data)."""
        return [v for v in pool if v not in present]

    def pet_owner(r):
        a = r.choice(attrs["pet"])
        p = next(x for x in people if sol[x]["pet"] == a)
        return choice(r, r.choice((f"谁养{a}？", f"谁养着{a}？")), p, r.sample(people, n) + outsiders(NATIONS, people),
                      steps + [f"所以养{a}的是{p}。"])

    def house_of(r):
        p = r.choice(people)
        return choice(r, f"{p}住在哪个房子里？", sol[p]["house"], r.sample(attrs["house"], n) + outsiders(HOUSES, attrs["house"]),
                      steps + [f"所以{p}住在{sol[p]['house']}。"])

    def color_of(r):
        p = r.choice(people)
        return choice(r, f"{p}的房子是什么颜色的？", sol[p]["color"], r.sample(attrs["color"], n) + outsiders(HOUSE_COLORS, attrs["color"]),
                      steps + [f"所以{p}的房子是{sol[p]['color']}的。"])

    def dweller(r):
        c = r.choice(attrs["color"])
        p = next(x for x in people if sol[x]["color"] == c)
        return choice(r, f"住在{c}房子里的是谁？", p, r.sample(people, n) + outsiders(NATIONS, people),
                      steps + [f"所以住在{c}房子里的是{p}。"])

    intro = rng.choice(INTROS).format(n=n) + f"国家的人有：{'、'.join(sorted(people))}；房子的颜色有：{'、'.join(sorted(attrs['color']))}"
    intro += (f"；宠物有：{'、'.join(sorted(attrs['pet']))}" if cfg.pets else "") + "。以下是已知的线索："
    return intro, clues, [pet_owner, house_of, color_of, dweller] if cfg.pets else [house_of, color_of, dweller]


def check(record):
    """Brute force over every assignment, filtered by the clue lines read back with their own patterns."""
    text = record["problem"]
    people = re.search(r"国家的人有：(.+?)；", text).group(1).split("、")
    attrs = {"house": HOUSES[:len(people)], "color": re.search(r"房子的颜色有：(.+?)[；。]", text).group(1).split("、")}
    if m := re.search(r"宠物有：(.+?)。", text):
        attrs["pet"] = m.group(1).split("、")
    tests = []
    for line in re.findall(ITEM + r"(.+?)。$", text, re.M):
        if m := re.fullmatch(r"(\w+?)(不)?住在(第.个房子)里", line):
            tests.append(lambda s, p=m.group(1), neg=bool(m.group(2)), h=m.group(3): (s[p]["house"] == h) != neg)
        elif m := re.fullmatch(r"(\w+?)住在(\w+?)的房子里", line):
            if m.group(1).startswith("养"):
                tests.append(lambda s, a=m.group(1)[1:-2], c=m.group(2): all(v["color"] == c for v in s.values() if v["pet"] == a))
            else:
                tests.append(lambda s, p=m.group(1), c=m.group(2): s[p]["color"] == c)
        elif m := re.fullmatch(r"(\w+?)(没有)?养(\w+)", line):
            tests.append(lambda s, p=m.group(1), neg=bool(m.group(2)), a=m.group(3): (s[p]["pet"] == a) != neg)
        elif m := re.fullmatch(r"(\w+?)的房子是(第.个房子)", line):
            tests.append(lambda s, c=m.group(1), h=m.group(2): all(v["house"] == h for v in s.values() if v["color"] == c))
        elif m := re.fullmatch(r"(\w+?)的房子紧挨在(\w+?)的房子左边", line):
            tests.append(lambda s, p=m.group(1), q=m.group(2): HOUSES.index(s[p]["house"]) + 1 == HOUSES.index(s[q]["house"]))
        else:
            raise ValueError(f"unknown house clue: {line}")
    found = [w for w in worlds(people, attrs) if all(t(w) for t in tests)]
    assert len(found) == 1, f"{len(found)} solutions"
    sol = found[0]
    verdicts = []
    for q in record["questions"]:
        t = question_body(q)
        if m := re.fullmatch(r"谁养(?:着)?(\w+)？", t):
            verdicts.append([o in sol and sol[o]["pet"] == m.group(1) for o in q["options"]])
        elif m := re.fullmatch(r"(\w+?)住在哪个房子里？", t):
            verdicts.append([sol[m.group(1)]["house"] == o for o in q["options"]])
        elif m := re.fullmatch(r"(\w+?)的房子是什么颜色的？", t):
            verdicts.append([sol[m.group(1)]["color"] == o for o in q["options"]])
        elif m := re.fullmatch(r"住在(\w+?)房子里的是谁？", t):
            verdicts.append([o in sol and sol[o]["color"] == m.group(1) for o in q["options"]])
        else:
            raise ValueError(f"unknown zebra question: {t}")
    return verdicts
