"""Who likes or hates whom: group memberships, a group implication, and like/hate rules over groups."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from .base import ITEM, layout, EN_NAMES, Family, register, GenConfig, ask, check_range, choice, question_body, yes_no, yes_no_truth

GROUPS = ["玩家", "黑客", "流氓", "动漫迷", "音乐家", "运动员", "画家", "厨师", "作家", "程序员"]
DERIVED = ["酷的人", "有趣的人", "危险的人", "受欢迎的人"]


@dataclass
class Config(GenConfig):
    residents: int = 5   # people with group memberships
    judges: int = 2      # people with like/hate rules
    groups: int = 3

    LEVELS: ClassVar[dict] = {
        "easy": {"residents": 4, "judges": 2, "groups": 2, "max_questions": 3},
        "medium": {"residents": 5, "judges": 2, "groups": 3},
        "hard": {"residents": 7, "judges": 3, "groups": 4, "min_questions": 3, "max_questions": 5},
    }

    def validate(self) -> None:
        super().validate()
        check_range("residents", 3, self.residents, minimum=3)
        check_range("judges", 1, self.judges, minimum=1)
        check_range("groups", 2, self.groups, minimum=2)
        if self.groups > len(GROUPS) or self.residents + self.judges > len(EN_NAMES):
            raise ValueError("too many groups or people for the name pools")


def generate(rng, cfg: Config):
    names = rng.sample(EN_NAMES, cfg.residents + cfg.judges)
    residents, judges = names[: cfg.residents], names[cfg.residents:]
    groups = rng.sample(GROUPS, cfg.groups)
    derived = rng.choice(DERIVED)
    makes = rng.sample(groups, rng.randint(1, 2))  # members of these groups are also ``derived``
    member = {p: {rng.choice(groups)} for p in residents}
    for p in member:
        if rng.random() < 0.3:
            member[p].add(rng.choice(groups))
        if member[p] & set(makes):
            member[p].add(derived)
    rules = {j: (rng.choice(("喜欢", "讨厌")), rng.sample(groups + [derived], rng.randint(1, 2))) for j in judges}

    def feels(j, p, verb):
        v, targets = rules[j]
        return v == verb and bool(member.get(p, set()) & set(targets))

    def steps(j, p, verb):
        v, targets = rules[j]
        lines = [f"{p}属于：{'、'.join(sorted(member[p] - {derived}))}" + (f"，因此{p}也是{derived}。" if derived in member[p] else "。"),
                 f"{j}{v}所有的{'和所有的'.join(targets)}。"]
        truth = feels(j, p, verb)
        lines.append(f"所以{j}{'' if truth else '不'}{verb}{p}。")
        return lines

    def who_feels(r):
        verb = r.choice(("喜欢", "讨厌"))
        pairs = [(j, p) for j in judges for p in residents if feels(j, p, verb)]
        if not pairs:
            return None
        j, p = r.choice(pairs)
        wrong = [x for x in names if x != p and not (x in rules and feels(x, p, verb))]
        return choice(r, f"谁{verb}{p}？", j, r.sample(wrong, len(wrong)), steps(j, p, verb))

    def target_of(r):
        j = r.choice(judges)
        verb = rules[j][0]
        yes = [p for p in residents if feels(j, p, verb)]
        no = [p for p in residents if not feels(j, p, verb)]
        if not yes or not no:
            return None
        p = r.choice(yes)
        return choice(r, f"{j}{verb}哪个人？", p, r.sample(no, len(no)), steps(j, p, verb))

    def does(r):
        # Aim at a yes or a no with equal odds: a verb drawn blindly is mostly the judge's other verb (always 否).
        want = r.random() < 0.5
        triples = [(j, p, v) for j in judges for p in residents for v in ("喜欢", "讨厌") if feels(j, p, v) == want]
        if not triples:
            return None
        j, p, verb = r.choice(triples)
        return yes_no(f"{j}{verb}{p}吗？", want, steps(j, p, verb))

    facts = [f"{p}是{'，也是'.join(sorted(member[p] - {derived}))}。" for p in residents]
    facts.append(f"任何{'或'.join(makes)}都被认为是{derived}。")
    facts += [f"{j}{v}所有的{'和所有的'.join(t)}。" for j, (v, t) in rules.items()]
    text = layout("在一个社区中，已知下面这些居民的特点和他们之间的喜好（没有提到的喜欢或讨厌关系都不成立）：", facts)
    return text, ask(rng, cfg, [who_feels, target_of, does, does])


def check(record):
    """Rebuild memberships and rules from the text and evaluate each claim as a set intersection."""
    text = record["problem"]
    member = {m.group(1): set(m.group(2).split("，也是")) for m in re.finditer(ITEM + r"(\w+)是(.+?)。$", text, re.M)}
    makes, derived = re.search(r"任何(.+?)都被认为是(.+?)。", text).groups()
    for groups in member.values():
        if groups & set(makes.split("或")):
            groups.add(derived)
    rules = {m.group(1): (m.group(2), set(m.group(3).split("和所有的"))) for m in re.finditer(ITEM + r"(\w+?)(喜欢|讨厌)所有的(.+?)。$", text, re.M)}

    def feels(j, p, verb):
        return j in rules and rules[j][0] == verb and bool(rules[j][1] & member.get(p, set()))

    verdicts = []
    for q in record["questions"]:
        t = question_body(q)
        if m := re.match(r"谁(喜欢|讨厌)(\w+)？", t):
            verdicts.append([feels(o, m.group(2), m.group(1)) for o in q["options"]])
        elif m := re.match(r"(\w+?)(喜欢|讨厌)哪个人？", t):
            verdicts.append([feels(m.group(1), o, m.group(2)) for o in q["options"]])
        elif m := re.match(r"(\w+?)(喜欢|讨厌)(\w+)吗？", t):
            truth = feels(m.group(1), m.group(3), m.group(2))
            verdicts.append([yes_no_truth(o, truth) for o in q["options"]])
        else:
            raise ValueError(f"unknown social question: {t}")
    return verdicts


FAMILY = register(Family(
    name="social_relations", title="like/hate/social relations", weight=33, config=Config, generate=generate, check=check,
))
