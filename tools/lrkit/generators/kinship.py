"""Family trees: parents and genders stated, grandparents, siblings, uncles, aunts and cousins derived.

Surface forms, as in the real problems: one fact per parent and child or one per parent naming all children
("玛丽是詹妮和比尔的母亲。"); the sexes of the childless as two lists or one line per person (a parent's follows
from 父亲/母亲); the terms defined as a list, as rules
among the facts ("叔叔关系定义为：如果一个人是另一个人的父亲的兄弟。") or not at all (their common meaning); Latin names set off by spaces or not; and five
question forms (哪个人是/谁是 B 的…？, B 的…是谁？, A 是谁的…？, A 是 B 的…吗？, A 是否是/是不是 B 的…？).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from .base import (ITEM, layout, Family, register, GenConfig, ask, check_range, choice, join_names, question_body, spaced,
                   unspaced, yes_no, yes_no_truth)

MEN = ["张伟", "刘洋", "陈杰", "赵磊", "周涛", "徐强", "马超", "胡斌", "郭鹏", "林峰", "高翔", "梁宇", "郑凯", "Arthur",
       "Bill", "Charlie", "Fred", "George", "Harry", "Percy", "Ron", "John", "Bob", "Jeff", "约翰", "比尔", "杰夫", "鲍勃",
       "彼得", "汤姆"]
WOMEN = ["王芳", "李娜", "杨静", "黄敏", "吴倩", "孙丽", "朱琳", "何燕", "罗娟", "宋佳", "谢婷", "Molly", "Fleur", "Ginny",
         "Mary", "Jenny", "Nancy", "Anne", "Julie", "Susan", "Rose", "Lily", "玛丽", "詹妮", "南希", "简", "露西", "艾玛"]
DEFINITIONS = [
    "祖父是指父亲的父亲；祖母是指父亲的母亲；外祖父是指母亲的父亲；外祖母是指母亲的母亲。",
    "兄弟是指与本人至少有一位共同父母的其他男性；姐妹是指与本人至少有一位共同父母的其他女性。",
    "叔叔是指父亲的兄弟；姑姑是指父亲的姐妹；舅舅是指母亲的兄弟；姨妈是指母亲的姐妹。",
    "堂表亲是指父亲或母亲的兄弟姐妹的孩子。",
]
# Each term = (structural link, the parent it goes through: 0 father, 1 mother, None either, the sex it needs: None any).
# Chinese kinship terms name the side: the father's siblings are 叔叔/姑姑, the mother's 舅舅/姨妈.
TERMS = {
    "祖父": ("grand", 0, True), "祖母": ("grand", 0, False), "外祖父": ("grand", 1, True), "外祖母": ("grand", 1, False),
    "兄弟": ("sib", None, True), "姐妹": ("sib", None, False),
    "叔叔": ("uncle", 0, True), "姑姑": ("uncle", 0, False), "舅舅": ("uncle", 1, True), "姨妈": ("uncle", 1, False),
    "堂表亲": ("cousin", None, None),
}
RELATIONS = tuple(TERMS)
SIDE = ("父亲", "母亲")
# The definitions again, as rules among the facts (the real data's Prolog-style rendering).
RULES = [f"{term}关系定义为：如果一个人是另一个人的{path}。" for term, path in (
    ("祖父", "父亲的父亲"), ("祖母", "父亲的母亲"), ("外祖父", "母亲的父亲"), ("外祖母", "母亲的母亲"), ("叔叔", "父亲的兄弟"),
    ("姑姑", "父亲的姐妹"), ("舅舅", "母亲的兄弟"), ("姨妈", "母亲的姐妹"))] + [
    "兄弟姐妹关系定义为：如果两个人至少有一位共同的父母并且不是同一个人；其中男性是兄弟，女性是姐妹。",
    "堂表亲关系定义为：如果一个人的父亲或母亲与另一个人的父亲或母亲是兄弟姐妹。"]
INTROS = ("在一个家族中，有以下成员和他们之间的关系：", "有一个家族，其中有父母和他们的孩子，以及祖父母和他们的孙辈。以下是已知的关系：",
          "已知家谱关系如下：", "有一个家庭关系如下：", "在一个大家庭中，有几代人，他们的关系如下：")


@dataclass
class Config(GenConfig):
    min_children: int = 2  # children of the root couple
    max_children: int = 3
    max_grandchildren: int = 2  # per married child

    LEVELS: ClassVar[dict] = {
        "easy": {"min_children": 2, "max_children": 2, "max_grandchildren": 2, "max_questions": 3},
        "medium": {"min_children": 2, "max_children": 3, "max_grandchildren": 2},
        "hard": {"min_children": 3, "max_children": 4, "max_grandchildren": 3, "min_questions": 3, "max_questions": 5},
    }

    def validate(self) -> None:
        super().validate()
        check_range("children", self.min_children, self.max_children, minimum=2)
        check_range("grandchildren", 1, self.max_grandchildren)


def generate(rng, cfg: Config):
    men, women = rng.sample(MEN, len(MEN)), rng.sample(WOMEN, len(WOMEN))
    male: dict[str, bool] = {}

    def person(is_male):
        name = (men if is_male else women).pop()
        male[name] = is_male
        return name

    parents: dict[str, list[str]] = {}
    root = [person(True), person(False)]
    children = [person(rng.random() < 0.5) for _ in range(rng.randint(cfg.min_children, cfg.max_children))]
    for c in children:
        parents[c] = list(root)
    for c in children:
        if rng.random() < 0.75:
            spouse = person(not male[c])
            for _ in range(rng.randint(1, cfg.max_grandchildren)):
                parents[person(rng.random() < 0.5)] = [c, spouse] if male[c] else [spouse, c]
    people = list(male)

    def sib(a, b):
        return a != b and bool(set(parents.get(a, ())) & set(parents.get(b, ())))

    def via_parents(b, side):
        """The parents of ``b`` a link may go through: the father, the mother, or both."""
        ps = parents.get(b, [])
        return ps if side is None else ps[side:side + 1]

    def linked(rel, a, b):
        kind, side, _ = TERMS[rel]
        if kind == "grand":
            return any(a in parents.get(p, ()) for p in via_parents(b, side))
        if kind == "sib":
            return sib(a, b)
        if kind == "uncle":
            return any(sib(a, p) for p in via_parents(b, side))
        return any(sib(p, q) for p in parents.get(a, ()) for q in parents.get(b, ()))

    def fits_sex(rel, a):
        return TERMS[rel][2] is None or male[a] == TERMS[rel][2]

    holds = {rel: (lambda a, b, rel=rel: linked(rel, a, b) and fits_sex(rel, a)) for rel in RELATIONS}

    def of(x):
        return f"{x}的父母是{'和'.join(parents[x])}。" if x in parents else f"题中没有给出{x}的父母。"

    def steps(rel, a, b):
        ps = parents.get(b, [])
        lines = [of(b)]
        if TERMS[rel][0] == "sib":
            lines = [of(a), of(b)]
        elif TERMS[rel][0] in ("uncle", "cousin"):
            lines += [f"{p}的兄弟姐妹有：{'、'.join(x for x in people if sib(x, p)) or '没有'}。" for p in ps]
            if rel == "堂表亲":
                lines.append(of(a))
        else:
            lines += [of(p) for p in ps]
        lines.append(verdict(rel, a, b))
        return lines

    def verdict(rel, a, b):
        """The deciding fact, stated: the structural link (or its absence), then the gender."""
        kind, side, needs_male = TERMS[rel]
        ps = parents.get(b, [])
        who = "父母" if side is None else SIDE[side]
        if kind == "grand":
            via = [p for p in via_parents(b, side) if a in parents.get(p, ())]
            link = f"{a}是{b}的{who}{via[0]}的父母" if via else f"{a}不是{b}的{who}的父母"
        elif kind == "sib":
            via = [p for p in parents.get(a, ()) if a != b and p in ps]
            link = f"{a}和{b}有共同的父母{via[0]}" if via else f"{a}和{b}没有共同的父母"
        elif kind == "uncle":
            via = [p for p in via_parents(b, side) if sib(a, p)]
            link = f"{a}是{b}的{who}{via[0]}的兄弟姐妹" if via else f"{a}不是{b}的{who}的兄弟姐妹"
        else:
            via = [(p, q) for p in parents.get(a, ()) for q in ps if sib(p, q)]
            link = (f"{a}的父母{via[0][0]}和{b}的父母{via[0][1]}是兄弟姐妹" if via
                    else f"{a}的父母和{b}的父母之间没有兄弟姐妹关系")
        truth = holds[rel](a, b)
        if needs_male is None or not via:
            return f"{link}，所以{a}{'是' if truth else '不是'}{b}的{rel}。"
        return f"{link}，且{a}是{'男性' if male[a] else '女性'}，所以{a}{'是' if truth else '不是'}{b}的{rel}。"

    def who(r):
        rel = r.choice(RELATIONS)
        pairs = [(a, b) for a in people for b in people if holds[rel](a, b)]
        if not pairs:
            return None
        a, b = r.choice(pairs)
        wrong = [x for x in people if x != b and not holds[rel](x, b)]
        wrong = r.sample(wrong, len(wrong))
        wrong.sort(key=lambda x: not fits_sex(rel, x))  # near misses first: people of the sex the term needs
        text = r.choice([f"哪个人是{b}的{rel}？", f"谁是{b}的{rel}？", f"{b}的{rel}是谁？"])
        return choice(r, text, a, wrong, steps(rel, a, b))

    def whose(r):
        rel = r.choice(RELATIONS)
        pairs = [(a, b) for a in people for b in people if holds[rel](a, b)]
        if not pairs:
            return None
        a, b = r.choice(pairs)
        wrong = [x for x in people if x != a and not holds[rel](a, x)]
        return choice(r, f"{a}是谁的{rel}？", b, r.sample(wrong, len(wrong)), steps(rel, a, b))

    # (term, truth) -> the pairs asked about: only people of the sex the term needs (never "is a woman someone's 叔叔?").
    by_truth: dict[tuple[str, bool], list] = {}
    for rel in RELATIONS:
        for a in people:
            for b in people:
                if a != b and fits_sex(rel, a):
                    by_truth.setdefault((rel, holds[rel](a, b)), []).append((a, b))

    def is_rel(r):
        want = r.random() < 0.5
        # The term is drawn among those with such a pair, so that a wanted 是 is not lost to an empty term.
        pairs = {rel: by_truth.get((rel, want), []) for rel in RELATIONS}
        usable = [rel for rel in RELATIONS if pairs[rel]]
        if not usable:
            return None
        rel = r.choice(usable)
        a, b = r.choice(pairs[rel])
        form = r.randrange(3)
        if form == 0:
            return yes_no(f"{a}是不是{b}的{rel}？", want, steps(rel, a, b), labels=("是", "不是"))
        if form == 1:
            return yes_no(f"{a}是否是{b}的{rel}？", want, steps(rel, a, b))
        return yes_no(f"{a}是{b}的{rel}吗？", want, steps(rel, a, b))

    facts = []
    if rng.random() < 0.5:  # one fact per parent and child
        for child, (father, mother) in parents.items():
            facts += [f"{father}是{child}的父亲。", f"{mother}是{child}的母亲。"]
    else:  # one fact per parent, naming all the children
        kids: dict[str, list[str]] = {}
        for child, pair in parents.items():
            for p in pair:
                kids.setdefault(p, []).append(child)
        facts += [f"{p}是{join_names(cs)}的{'父亲' if male[p] else '母亲'}。" for p, cs in kids.items()]
    rng.shuffle(facts)
    # Parents' sexes follow from 父亲/母亲; only the others' are stated (as the real problems do), as two lists or
    # one line per person.
    unstated = [p for p in people if not any(p in pair for pair in parents.values())]
    by_person = rng.random() < 0.4
    if not by_person:
        facts += ["男性有：" + ("、".join(p for p in unstated if male[p]) or "无") + "。",
                  "女性有：" + ("、".join(p for p in unstated if not male[p]) or "无") + "。"]
    definitions = rng.choice(("list", "rules", "none"))  # most real problems leave the common terms undefined
    outro = "根据以上信息，回答以下选择题："
    if definitions == "rules":
        facts += RULES
    elif definitions == "list":
        outro = "关系的定义如下：\n\n" + "\n".join(f"- {d}" for d in DEFINITIONS) + "\n\n" + outro
    if by_person:
        sexes = "\n".join(f"- {p}是{'男性' if male[p] else '女性'}。" for p in unstated)
        outro = f"以下是已知的家庭成员性别：\n\n{sexes}\n\n{outro}"
    text = layout(rng.choice(INTROS), facts, outro)
    subs = ask(rng, cfg, [who, who, whose, is_rel])
    if rng.random() < 0.7:  # Latin names set off by spaces, as in most real problems that use them
        text = spaced(text)
        for sub in subs:
            sub["question"] = spaced(sub["question"])
    return text, subs


def check(record):
    """Relations as sets of pairs, built by composing the father and mother relations (no tree walking)."""
    text = unspaced(record["problem"])
    father, mother = set(), set()
    for p, children, role in re.findall(ITEM + r"(\S+?)是(\S+?)的(父亲|母亲)。$", text, re.M):
        for c in re.split("[、和]", children):
            (father if role == "父亲" else mother).add((p, c))
    parent = father | mother
    if m := re.search(r"男性有：(.+?)。", text):
        men = set(m.group(1).split("、"))
    else:
        men = set(re.findall(r"^- (\S+?)是男性。$", text, re.M))
    men |= {p for p, _ in father}
    sib = {(x, y) for p, x in parent for q, y in parent if p == q and x != y}

    def compose(first, then):
        return {(a, c) for a, b in first for b2, c in then if b == b2}

    base = {"祖父": compose(parent, father), "祖母": compose(parent, father),
            "外祖父": compose(parent, mother), "外祖母": compose(parent, mother),
            "兄弟": sib, "姐妹": sib, "叔叔": compose(sib, father), "姑姑": compose(sib, father),
            "舅舅": compose(sib, mother), "姨妈": compose(sib, mother),
            "堂表亲": {(x, y) for p, x in parent for p2, q in sib if p2 == p for q2, y in parent if q2 == q}}
    wants_male = {"祖父": True, "外祖父": True, "兄弟": True, "叔叔": True, "舅舅": True,
                  "祖母": False, "外祖母": False, "姐妹": False, "姑姑": False, "姨妈": False}

    def holds(rel, a, b):
        return (a, b) in base[rel] and (rel not in wants_male or (a in men) == wants_male[rel])

    terms = "|".join(sorted(base, key=len, reverse=True))
    verdicts = []
    for q in record["questions"]:
        t = unspaced(question_body(q))
        if m := re.match(rf"(?:哪个人|谁)是(\S+?)的({terms})？", t) or re.match(rf"(\S+?)的({terms})是谁？", t):
            verdicts.append([holds(m.group(2), o, m.group(1)) for o in q["options"]])
        elif m := re.match(rf"(\S+?)是谁的({terms})？", t):
            verdicts.append([holds(m.group(2), m.group(1), o) for o in q["options"]])
        elif m := (re.match(rf"(\S+?)是不是(\S+?)的({terms})？", t) or re.match(rf"(\S+?)是否是(\S+?)的({terms})？", t)
                   or re.match(rf"(\S+?)是(\S+?)的({terms})吗？", t)):
            truth = holds(m.group(3), m.group(1), m.group(2))
            verdicts.append([yes_no_truth(o, truth) for o in q["options"]])
        else:
            raise ValueError(f"unknown kinship question: {t}")
    return verdicts


FAMILY = register(Family(
    name="kinship", title="kinship", weight=29, config=Config, generate=generate, check=check,
    keywords=("家庭", "家族", "父亲", "母亲", "祖父", "祖母", "亲属", "兄弟", "姐妹", "子女", "父母"),
))
