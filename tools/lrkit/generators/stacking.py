"""Stacking and containment: blocks in stacks standing in a row (above, left of, directly below, how many on top) and
boxes nested in boxes (inside, outermost, how many inside)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from .base import ITEM, Family, register, GenConfig, ask, check_range, choice, layout, near_numbers, question_body, yes_no, yes_no_truth

BOX_COLOURS = ["红", "蓝", "绿", "黄", "白", "黑", "紫", "橙", "灰"]
THINGS = ["钥匙", "戒指", "硬币", "信封", "手表", "邮票"]


@dataclass
class Config(GenConfig):
    stacks: int = 3
    max_height: int = 3
    boxes: int = 5

    LEVELS: ClassVar[dict] = {
        "easy": {"stacks": 2, "max_height": 3, "boxes": 4, "max_questions": 3},
        "medium": {"stacks": 3, "max_height": 3, "boxes": 5},
        "hard": {"stacks": 4, "max_height": 4, "boxes": 7, "min_questions": 3, "max_questions": 5},
    }

    def validate(self) -> None:
        super().validate()
        check_range("stacks", 2, self.stacks, minimum=2)
        check_range("max_height", 2, self.max_height, minimum=2)
        check_range("boxes", 3, self.boxes, minimum=3)
        if self.boxes > len(BOX_COLOURS) or self.stacks * self.max_height > 26:
            raise ValueError("too many boxes or blocks for the name pools")


def blocks(rng, cfg: Config):
    prefix = rng.choice(["b", ""])
    heights = [rng.randint(1 if i else 2, cfg.max_height) for i in range(cfg.stacks)]  # one stack of two at least
    count = sum(heights)
    pool = [f"b{i}" for i in range(1, count + 1)] if prefix else list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"[:count])
    names = rng.sample(pool, count) if rng.random() < 0.5 else pool
    stacks, k = [], 0
    for h in heights:
        stacks.append(names[k:k + h])  # bottom first
        k += h
    rng.shuffle(stacks)
    where = {b: (i, j) for i, s in enumerate(stacks) for j, b in enumerate(s)}
    facts = [f"{s[j + 1]} 直接放在 {s[j]} 上面。" for s in stacks for j in range(len(s) - 1)]
    facts += [f"{s[0]} 直接放在桌子上。" for s in stacks]
    facts += [f"{stacks[i][0]} 所在的那一摞紧挨着在 {stacks[i + 1][0]} 所在那一摞的左边。" for i in range(len(stacks) - 1)]
    rng.shuffle(facts)
    row = "；".join(f"第 {i + 1} 摞（从下到上）：{'、'.join(s)}" for i, s in enumerate(stacks))
    see = f"把各摞从左到右排好：{row}。"

    def above_q(r):
        s = r.choice([s for s in stacks if len(s) > 1])
        a, b = r.sample(s, 2) if r.random() < 0.7 else (r.choice(names), r.choice(names))
        truth = a != b and where[a][0] == where[b][0] and where[a][1] > where[b][1]
        steps = [see, f"{a}和{b}{'在同一摞，' + a + '更高' if truth else '不满足“同一摞且更高”'}。"]
        return yes_no(f"{a} 是否在 {b} 的上方？", truth, steps)

    def left_q(r):
        a, b = r.sample(names, 2)
        truth = where[a][0] < where[b][0]
        steps = [see, f"{a}在第 {where[a][0] + 1} 摞，{b}在第 {where[b][0] + 1} 摞，所以{a}{'在' if truth else '不在'}{b}的左边。"]
        return yes_no(f"{a} 是否在 {b} 的左边？", truth, steps)

    def below_q(r):
        b = r.choice([b for b in names if where[b][1] > 0])
        i, j = where[b]
        ans = stacks[i][j - 1]
        wrong = [x for x in stacks[i] if x not in (ans, b)] + r.sample(names, len(names))
        return choice(r, f"哪个积木在 {b} 的正下方？", ans, [x for x in wrong if x != b], [see, f"{b}直接放在{ans}上面。"])

    def count_q(r):
        b = r.choice(names)
        i, j = where[b]
        n = len(stacks[i]) - j - 1
        steps = [see, f"{b}上方的积木：{'、'.join(stacks[i][j + 1:]) or '没有'}，共 {n} 个。"]
        return choice(r, f"{b} 的上方一共有几个积木？", str(n), near_numbers(n, (1, 2, -1, 3)), steps)

    def right_q(r):
        b = r.choice([b for b in names if where[b][0] < len(stacks) - 1])
        right = [x for x in names if where[x][0] > where[b][0]]
        wrong = [x for x in r.sample(names, len(names)) if x not in right and x != b]
        if not wrong:
            return None
        return choice(r, f"哪个积木在 {b} 的右边？", r.choice(right), wrong,
                      [see, f"{b}在第 {where[b][0] + 1} 摞，右边各摞的积木是：{'、'.join(right)}。"])

    text = layout(f"桌子上有 {len(names)} 块积木，分成 {len(stacks)} 摞从左到右排成一排。已知：", facts,
                  "一块积木在同一摞中比另一块高，就说它在另一块的上方（直接或间接）；一摞在另一摞左边时，"
                  "这一摞的每块积木都在那一摞每块积木的左边，左边关系可以传递。\n\n根据以上信息，回答以下选择题：")
    return text, ask(rng, cfg, [above_q, left_q, below_q, count_q, right_q])


def boxes(rng, cfg: Config):
    names = [f"{c}盒子" for c in rng.sample(BOX_COLOURS, cfg.boxes)]
    parent = {names[0]: None}
    for i in range(1, len(names)):
        parent[names[i]] = rng.choice(names[max(0, i - 3):i])  # nested, mostly deep
    thing = rng.choice(THINGS)
    holder = rng.choice(names[1:])

    def outside(b):
        out = []
        while parent[b]:
            b = parent[b]
            out.append(b)
        return out

    chain = lambda b: " ⊂ ".join([b] + outside(b))  # noqa: E731
    facts = [f"{b}放在{parent[b]}里面。" for b in names[1:]] + [f"{thing}放在{holder}里面。"]
    rng.shuffle(facts)

    def inside_q(r):
        b = r.choice(names[1:] + [thing])
        outs = outside(holder) + [holder] if b == thing else outside(b)
        want = r.random() < 0.5
        pool = outs if want else [x for x in names if x not in outs and x != b]
        if not pool:
            return None
        c = r.choice(pool)
        steps = [f"从{b}往外一层层找：{chain(holder) if b == thing else chain(b)}" + (f"（{thing}在{holder}里）" if b == thing else "") + "。",
                 f"{c}{'在' if want else '不在'}这条链上。"]
        return yes_no(f"{b}是否在{c}里面（直接或间接）？", want, steps)

    def outer_q(r):
        steps = [f"每个盒子往外找，最后都到达{names[0]}，它不在任何盒子里。"]
        return choice(r, "哪个盒子在最外层？", names[0], r.sample(names[1:], len(names) - 1), steps)

    def count_q(r):
        b = r.choice(names)
        inner = [x for x in names if b in outside(x)]
        steps = [f"往外一层层找能到达{b}的盒子：{'、'.join(inner) or '没有'}，共 {len(inner)} 个。"]
        return choice(r, f"{b}里面（直接或间接）一共装着几个盒子？", str(len(inner)), near_numbers(len(inner), (1, -1, 2, -2)), steps)

    def direct_q(r):
        b = r.choice(names[1:])
        wrong = outside(b)[1:] + [x for x in r.sample(names, len(names)) if x != b]
        return choice(r, f"{b}直接放在哪个盒子里？", parent[b], wrong, [f"线索直接给出：{b}放在{parent[b]}里面。"])

    text = layout(f"有 {len(names)} 个大小不同的盒子，可以一个套一个地装起来，此外还有一把{thing}。已知：" if thing == "钥匙" else
                  f"有 {len(names)} 个大小不同的盒子，可以一个套一个地装起来，此外还有一个{thing}。已知：", facts,
                  "如果 A 放在 B 里面，B 又放在 C 里面，那么 A 也在 C 里面（间接）。\n\n根据以上信息，回答以下选择题：")
    return text, ask(rng, cfg, [inside_q, inside_q, outer_q, count_q, direct_q])


def generate(rng, cfg: Config):
    return (blocks if rng.random() < 0.6 else boxes)(rng, cfg)


def check(record):
    """Rebuild positions from the rendered facts: a block's height by walking down to the table, a stack's column by
    walking the left-of links; containment by walking out from the inner box."""
    text = record["problem"]
    verdicts = []
    if "积木" in text:
        on = dict(re.findall(ITEM + r"(\S+) 直接放在 (\S+) 上面。$", text, re.M))
        right_of = {b: a for a, b in re.findall(ITEM + r"(\S+) 所在的那一摞紧挨着在 (\S+) 所在那一摞的左边", text, re.M)}
        bottom = lambda b: bottom(on[b]) if b in on else b  # noqa: E731
        level = lambda b: 1 + level(on[b]) if b in on else 0  # noqa: E731
        column = lambda b: 1 + column(right_of[b]) if b in right_of else 0  # noqa: E731
        col = lambda b: column(bottom(b))  # noqa: E731
        names = set(on) | set(on.values())
        for q in record["questions"]:
            t = question_body(q)
            if m := re.match(r"(\S+) 是否在 (\S+) 的上方", t):
                a, b = m.groups()
                verdicts.append([yes_no_truth(o, bottom(a) == bottom(b) and level(a) > level(b)) for o in q["options"]])
            elif m := re.match(r"(\S+) 是否在 (\S+) 的左边", t):
                verdicts.append([yes_no_truth(o, col(m.group(1)) < col(m.group(2))) for o in q["options"]])
            elif m := re.match(r"哪个积木在 (\S+) 的正下方", t):
                verdicts.append([on.get(m.group(1)) == o for o in q["options"]])
            elif m := re.match(r"(\S+) 的上方一共有几个积木", t):
                b = m.group(1)
                n = sum(bottom(x) == bottom(b) and level(x) > level(b) for x in names | {b})
                verdicts.append([o == str(n) for o in q["options"]])
            elif m := re.match(r"哪个积木在 (\S+) 的右边", t):
                verdicts.append([col(o) > col(m.group(1)) for o in q["options"]])
            else:
                raise ValueError(f"unknown stacking question: {t}")
        return verdicts
    inside = dict(re.findall(ITEM + r"(\S+?)放在(\S+?)里面。$", text, re.M))

    def within(a, c):
        while a in inside:
            a = inside[a]
            if a == c:
                return True
        return False

    boxes_named = {x for pair in inside.items() for x in pair if x.endswith("盒子")}
    for q in record["questions"]:
        t = question_body(q)
        if m := re.match(r"(\S+?)是否在(\S+?)里面", t):
            verdicts.append([yes_no_truth(o, within(*m.groups())) for o in q["options"]])
        elif t.startswith("哪个盒子在最外层"):
            verdicts.append([o not in inside for o in q["options"]])
        elif m := re.match(r"(\S+?)里面（直接或间接）一共装着几个盒子", t):
            verdicts.append([o == str(sum(within(x, m.group(1)) for x in boxes_named)) for o in q["options"]])
        elif m := re.match(r"(\S+?)直接放在哪个盒子里", t):
            verdicts.append([inside[m.group(1)] == o for o in q["options"]])
        else:
            raise ValueError(f"unknown containment question: {t}")
    return verdicts


FAMILY = register(Family(
    name="stacking", title="stacking / containment", weight=6, config=Config, generate=generate, check=check,
))
