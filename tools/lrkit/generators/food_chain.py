"""Food chains: who eats whom directly or indirectly, top predators, herbivores, and who is digesting what."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from .base import ITEM, Family, register, GenConfig, ask, check_range, choice, layout, near_numbers, question_body, yes_no, yes_no_truth

# Trophic levels: plants, then animals roughly by size, so that generated chains stay plausible.
LEVEL_POOLS = [
    ["草", "水藻", "树叶", "种子", "浮游植物", "果子"],
    ["兔子", "蝗虫", "老鼠", "鹿", "蜗牛", "小虾", "毛毛虫"],
    ["青蛙", "野猫", "蛇", "小鱼", "蜘蛛", "刺猬"],
    ["狐狸", "猫头鹰", "大鱼", "黄鼠狼", "獾"],
    ["鹰", "狼", "老虎", "鳄鱼"],
]
DIGESTERS = ["蚊子", "青蛙", "蛇", "鹳", "鹰", "狐狸", "狼", "熊"]


@dataclass
class Config(GenConfig):
    levels: int = 4           # trophic levels, plants included
    per_level: int = 2        # species per level
    extra_edges: int = 2      # meals beyond one per animal (some skip a level)

    LEVELS: ClassVar[dict] = {
        "easy": {"levels": 3, "per_level": 2, "extra_edges": 1, "max_questions": 3},
        "medium": {"levels": 4, "per_level": 2, "extra_edges": 2},
        "hard": {"levels": 5, "per_level": 3, "extra_edges": 4, "min_questions": 3, "max_questions": 5},
    }

    def validate(self) -> None:
        super().validate()
        check_range("levels", 3, self.levels, minimum=3)
        if self.levels > len(LEVEL_POOLS):
            raise ValueError(f"levels must be at most {len(LEVEL_POOLS)}")
        check_range("per_level", 1, self.per_level, minimum=1)
        if self.per_level > 4:
            raise ValueError("per_level must be at most 4")


def eaten_closure(eats, x):
    """Everything ``x`` eats directly or indirectly, depth first."""
    seen, stack = set(), list(eats.get(x, ()))
    while stack:
        y = stack.pop()
        if y not in seen:
            seen.add(y)
            stack.extend(eats.get(y, ()))
    return seen


def web(rng, cfg: Config):
    levels = [rng.sample(LEVEL_POOLS[i], rng.randint(1, cfg.per_level) if i == 0 else cfg.per_level) for i in range(cfg.levels)]
    plants = levels[0]
    eats: dict[str, list[str]] = {}
    for i in range(1, cfg.levels):
        for x in levels[i]:
            eats[x] = [rng.choice(levels[i - 1])]
    animals = [x for level in levels[1:] for x in level]
    for _ in range(cfg.extra_edges):
        i = rng.randrange(1, cfg.levels)
        x, y = rng.choice(levels[i]), rng.choice(levels[rng.randrange(max(0, i - 2), i)])
        if y not in eats[x]:
            eats[x].append(y)
    for i in range(1, cfg.levels - 1):  # every animal below the top level is somebody's prey
        for y in levels[i]:
            if not any(y in eats[x] for x in levels[i + 1]):
                eats[rng.choice(levels[i + 1])].append(y)
    everyone = plants + animals
    order = {x: i for i, x in enumerate(everyone)}
    for x in eats:
        eats[x].sort(key=order.get)
    food = {x: eaten_closure(eats, x) for x in animals}
    eaters = {y: [x for x in animals if y in eats[x]] for y in everyone}
    tops = [x for x in animals if not eaters[x]]
    herbivores = [x for x in animals if set(eats[x]) <= set(plants)]

    def path(x, y):
        # One chain x -> ... -> y, found by depth-first search, for the worked solution.
        stack = [[x]]
        while stack:
            p = stack.pop()
            if p[-1] == y:
                return " → ".join(p)
            stack.extend(p + [z] for z in eats.get(p[-1], ()))
        return None

    def feeds_q(r):
        x = r.choice(animals)
        inside = sorted(food[x], key=order.get)
        outside = [y for y in everyone if y not in food[x] and y != x]
        want = r.random() < 0.5
        if not (inside if want else outside):
            return None
        y = r.choice(inside if want else outside)
        steps = [f"{x}直接吃：{'、'.join(eats[x])}；顺着食物链往下找，{x}直接或间接吃的有：{'、'.join(inside)}。"]
        steps.append(f"存在食物链 {path(x, y)}，所以是。" if want else f"{y}不在其中，所以不是。")
        return yes_no(f"{x}是否直接或间接地以{y}为食？", want, steps)

    def direct_q(r):
        x = r.choice(animals)
        y = r.choice(eats[x])
        wrong = [z for z in sorted(food[x], key=order.get) if z not in eats[x]] + [z for z in r.sample(everyone, len(everyone)) if z not in eats[x] and z != x]
        steps = [f"线索中{x}直接吃的是：{'、'.join(eats[x])}。", "间接的食物（食物的食物）不算直接吃。"]
        return choice(r, f"哪种生物是{x}直接吃的？", y, wrong, steps)

    def top_q(r):
        x = r.choice(tops)
        steps = [f"逐个检查每种动物有没有被别的生物吃：{'、'.join(f'{a}被{eaters[a][0]}吃' for a in animals if eaters[a])}。",
                 f"没有被任何生物吃的动物是：{'、'.join(tops)}。"]
        return choice(r, "哪种动物是顶级掠食者？", x, [a for a in r.sample(animals, len(animals)) if a not in tops], steps)

    def herbivore_q(r):
        if not herbivores:
            return None
        x = r.choice(herbivores)
        steps = [f"植物是：{'、'.join(plants)}。", f"只吃植物的动物是：{'、'.join(herbivores)}。"]
        wrong = [a for a in r.sample(animals, len(animals)) if a not in herbivores]
        return choice(r, "哪种动物是食草动物？", x, wrong, steps)

    def count_q(r):
        y = r.choice(everyone)
        who = [x for x in animals if y in food[x]]
        steps = [f"检查每种动物直接或间接吃的东西里有没有{y}：{'、'.join(who) if who else '没有任何动物'}。", f"共 {len(who)} 种。"]
        return choice(r, f"一共有几种动物直接或间接地以{y}为食？", str(len(who)), near_numbers(len(who), (1, -1, 2, -2)), steps)

    facts = [f"{x}吃{'、'.join(eats[x][:-1]) + '和' if len(eats[x]) > 1 else ''}{eats[x][-1]}。" for x in animals]
    rng.shuffle(facts)
    text = layout(f"在一个生态系统里有这些生物：{'、'.join(sorted(everyone, key=lambda s: (len(s), s)))}，其中{'、'.join(plants)}是植物，"
                  "其余都是动物。已知的食物关系如下（没有提到的关系都不成立）：", facts,
                  "如果 A 吃 B，B 又吃 C，就说 A 间接地以 C 为食。只吃植物的动物叫食草动物；不被任何生物吃的动物叫顶级掠食者。"
                  "\n\n根据以上信息，回答以下选择题：")
    return text, ask(rng, cfg, [feeds_q, feeds_q, direct_q, top_q, herbivore_q, count_q])


def digest(rng, cfg: Config):
    chain = ["蚊子"] + rng.sample(DIGESTERS[1:], cfg.levels - 1)
    victim = rng.choice(["约翰", "小明", "一个游客", "农夫"])
    facts = [f"{chain[0]}刚刚吸了{victim}的血。"] + [f"{chain[i]}刚刚吃了{chain[i - 1]}。" for i in range(1, len(chain))]
    text = layout("下面是刚刚发生的几件事：", facts,
                  "规定：如果 A 刚刚吃了 B，那么 A 正在消化 B，也正在消化 B 正在消化的一切。\n\n根据以上信息，回答以下选择题：")

    def digesting_q(r):
        i, j = r.randrange(len(chain)), r.randrange(len(chain))
        x, y = chain[i], chain[j]
        truth = j < i
        steps = [f"消化链：{' ← '.join(reversed(chain))}（每个都刚刚吃了后面那个）。",
                 f"{x}正在消化排在它后面的：{'、'.join(chain[:i][::-1]) or '没有动物'}。",
                 f"{y}{'在其中' if truth else '不在其中'}。"]
        return yes_no(f"{x}是否正在消化{y}？", truth, steps)

    def which_q(r):
        i = r.randrange(1, len(chain))
        x = chain[i]
        y = r.choice(chain[:i])
        steps = [f"{x}正在消化：{'、'.join(chain[:i][::-1])}；它自己和吃掉它的动物都不算。"]
        return choice(r, f"哪种动物正在被{x}消化？", y, chain[i:][::-1], steps)

    return text, ask(rng, cfg, [digesting_q, digesting_q, which_q])


def generate(rng, cfg: Config):
    return (web if rng.random() < 0.75 else digest)(rng, cfg)


def check(record):
    """Reverse search: from the asked-about prey, walk up to everyone who eats it (not down from the predator)."""
    text = record["problem"]
    verdicts = []
    if "正在消化" in text:
        ate = dict(re.findall(ITEM + r"(\S+?)刚刚吃了(\S+?)。$", text, re.M))  # eater -> eaten
        eaten_by = {b: a for a, b in ate.items()}

        def digesting(x, y):
            z = y
            while z in eaten_by:
                z = eaten_by[z]
                if z == x:
                    return True
            return False

        for q in record["questions"]:
            t = question_body(q)
            if m := re.match(r"(\S+?)是否正在消化(\S+?)？", t):
                verdicts.append([yes_no_truth(o, digesting(m.group(1), m.group(2))) for o in q["options"]])
            elif m := re.match(r"哪种动物正在被(\S+?)消化", t):
                verdicts.append([digesting(m.group(1), o) for o in q["options"]])
            else:
                raise ValueError(f"unknown digestion question: {t}")
        return verdicts
    plants = set(re.search(r"其中(\S+?)是植物", text).group(1).split("、"))
    everyone = re.search(r"这些生物：(\S+?)，其中", text).group(1).split("、")
    meals = [(x, y) for x, ys in re.findall(ITEM + r"(\S+?)吃(\S+?)。$", text, re.M) for y in re.split("[、和]", ys)]
    animals = {x for x, _ in meals}

    def predators(y):
        found, frontier = set(), {y}
        while frontier:
            frontier = {x for x, z in meals if z in frontier} - found
            found |= frontier
        return found

    for q in record["questions"]:
        t = question_body(q)
        if m := re.match(r"(\S+?)是否直接或间接地以(\S+?)为食", t):
            verdicts.append([yes_no_truth(o, m.group(1) in predators(m.group(2))) for o in q["options"]])
        elif m := re.match(r"哪种生物是(\S+?)直接吃的", t):
            verdicts.append([(m.group(1), o) in meals for o in q["options"]])
        elif t.startswith("哪种动物是顶级掠食者"):
            verdicts.append([o in animals and not any(z == o for _, z in meals) for o in q["options"]])
        elif t.startswith("哪种动物是食草动物"):
            verdicts.append([o in animals and all(z in plants for x, z in meals if x == o) for o in q["options"]])
        elif m := re.match(r"一共有几种动物直接或间接地以(\S+?)为食", t):
            verdicts.append([o == str(len(predators(m.group(1)))) for o in q["options"]])
        else:
            raise ValueError(f"unknown food-chain question: {t}")
    assert set(everyone) >= animals | plants
    return verdicts


FAMILY = register(Family(
    name="food_chain", title="food chain", weight=7, config=Config, generate=generate, check=check,
))
