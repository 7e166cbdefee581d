"""Is-a hierarchies with inherited features: what a species is, which features it inherits.

Surface forms, as in the real problems: the is-a link as "X是一种Y。", "X属于Y。" or, as a class hierarchy,
"X继承自Y。" (with its own story); yes/no questions as "X是一种Y吗？" or "X是否属于Y？"; and
"以下哪一项描述是正确的？" over statements "X是Y的子类。".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from .base import ITEM, layout, Family, register, GenConfig, ask, check_range, choice, question_body, yes_no, yes_no_truth

# A small true-to-life tree, so the closed world never contradicts common knowledge: parent -> children.
TREE = {
    "动物": ["哺乳动物", "鸟类", "鱼类"],
    "哺乳动物": ["猫科动物", "犬科动物"],
    "鸟类": ["猛禽", "鸣禽"],
    "鱼类": ["软骨鱼", "硬骨鱼"],
    "猫科动物": ["老虎", "狮子", "猎豹"],
    "犬科动物": ["狼", "狐狸", "豺"],
    "猛禽": ["老鹰", "猫头鹰", "秃鹫"],
    "鸣禽": ["麻雀", "画眉", "百灵鸟"],
    "软骨鱼": ["鲨鱼", "鳐鱼"],
    "硬骨鱼": ["鲤鱼", "金枪鱼", "鲈鱼"],
}
FEATURES = {"哺乳动物": "有毛发", "鸟类": "有羽毛", "鱼类": "用鳃呼吸", "猫科动物": "有可以伸缩的爪子",
            "犬科动物": "嗅觉灵敏", "猛禽": "有钩状的喙", "鸣禽": "善于鸣叫", "软骨鱼": "骨骼由软骨构成", "动物": "需要进食"}
PARENT = {c: p for p, cs in TREE.items() for c in cs}
# (is-a sentence, intro) pairs.
LINKS = (("{a}是一种{b}。", "在一个动物分类体系中，已知以下分类关系和特征（“是一种”关系可以传递，下级分类具有上级分类的全部特征）："),
         ("{a}属于{b}。", "在给定的知识库中，定义了一些动物之间的分类关系和特征（属于关系可以传递，下级具有上级的全部特征）。以下是这些关系："),
         ("{a}继承自{b}。", "有一个类继承系统，其中类与类之间存在继承关系，子类继承父类的全部特征（继承关系可以传递）。已知以下继承关系和特征："))


@dataclass
class Config(GenConfig):
    classes: int = 2   # second-level classes in the world
    species: int = 2   # species per family

    LEVELS: ClassVar[dict] = {
        "easy": {"classes": 2, "species": 1, "max_questions": 3},
        "medium": {"classes": 2, "species": 2},
        "hard": {"classes": 3, "species": 3, "min_questions": 3, "max_questions": 5},
    }

    def validate(self) -> None:
        super().validate()
        check_range("classes", self.classes, len(TREE["动物"]))
        check_range("species", self.species, 3)


def ancestors(x):
    out = []
    while x in PARENT:
        x = PARENT[x]
        out.append(x)
    return out


def generate(rng, cfg: Config):
    classes = rng.sample(TREE["动物"], cfg.classes)
    families = [f for c in classes for f in rng.sample(TREE[c], rng.randint(1, 2))]
    species = [s for f in families for s in rng.sample(TREE[f], min(cfg.species, len(TREE[f])))]
    groups = ["动物"] + classes + families
    features = {g: FEATURES[g] for g in groups if g in FEATURES and rng.random() < 0.85}
    has = {s: [features[g] for g in [PARENT[s]] + ancestors(PARENT[s]) if g in features] for s in species}

    def chain(s):
        return "，".join(f"{a}是一种{b}" for a, b in zip([s] + ancestors(s), ancestors(s))) + "。"

    def is_a(r):
        s = r.choice(species)
        want = r.random() < 0.5
        cands = [g for g in groups if (g in ancestors(s)) == want]
        if not cands:
            return None
        g = r.choice(cands)
        text = r.choice((f"{s}是一种{g}吗？", f"{s}是否属于{g}？"))
        return yes_no(text, want, [chain(s), f"所以{s}{'是' if want else '不是'}一种{g}。"])

    def subclass(r):
        s = r.choice(species)
        up = ancestors(s)
        g = r.choice(up)
        wrong = [f"{g}是{s}的子类。"] + [f"{s}是{x}的子类。" for x in groups if x not in up and x != s]
        return choice(r, "以下哪一项描述是正确的？", f"{s}是{g}的子类。", r.sample(wrong, len(wrong)),
                      [chain(s), f"所以{s}是{g}的子类，而不是反过来。"])

    def feature(r):
        s = r.choice(species)
        no = sorted({f for f in features.values()} - set(has[s]))
        if not has[s] or not no:
            return None
        f = r.choice(has[s])
        owner = next(g for g in ancestors(s) if features.get(g) == f)
        return choice(r, f"根据以上信息，{s}具有哪个特征？", f, r.sample(no, len(no)),
                      [chain(s), f"所有{owner}都{f}，{s}是一种{owner}，所以{s}{f}。"])

    def member(r):
        g = r.choice(classes + families)
        yes = [s for s in species if g in ancestors(s)]
        no = [s for s in species if g not in ancestors(s)]
        if not yes or not no:
            return None
        s = r.choice(yes)
        return choice(r, f"哪种动物属于{g}？", s, r.sample(no, len(no)), [chain(s), f"其余选项的上级分类中都没有{g}。"])

    link, intro = rng.choice(LINKS)
    facts = [link.format(a=c, b=PARENT[c]) for c in classes + families + species]
    rng.shuffle(facts)
    facts += [f"所有{g}都{f}。" for g, f in features.items()]
    return layout(intro, facts), ask(rng, cfg, [is_a, is_a, feature, member, subclass])


def check(record):
    """Depth-first search upward over the parsed is-a facts; features collected along the way."""
    text = record["problem"]
    up: dict[str, list[str]] = {}
    for a, b in re.findall(ITEM + r"(\S+?)(?:是一种|属于|继承自)(\S+?)。$", text, re.M):
        up.setdefault(a, []).append(b)
    feats = dict(re.findall(ITEM + r"所有(\S+?)都(\S+?)。$", text, re.M))

    def supers(x):
        seen, stack = set(), [x]
        while stack:
            for y in up.get(stack.pop(), []):
                if y not in seen:
                    seen.add(y)
                    stack.append(y)
        return seen

    verdicts = []
    for q in record["questions"]:
        t = question_body(q)
        if m := re.match(r"(\S+?)是一种(\S+?)吗？", t) or re.match(r"(\S+?)是否属于(\S+?)？", t):
            truth = m.group(2) in supers(m.group(1))
            verdicts.append([yes_no_truth(o, truth) for o in q["options"]])
        elif m := re.match(r"根据以上信息，(\S+?)具有", t):
            owned = {feats[g] for g in supers(m.group(1)) if g in feats}
            verdicts.append([o in owned for o in q["options"]])
        elif m := re.match(r"哪种动物属于(\S+?)？", t):
            verdicts.append([m.group(1) in supers(o) for o in q["options"]])
        elif t == "以下哪一项描述是正确的？":
            pairs = [re.fullmatch(r"(\S+?)是(\S+?)的子类。", o).groups() for o in q["options"]]
            verdicts.append([b in supers(a) for a, b in pairs])
        else:
            raise ValueError(f"unknown taxonomy question: {t}")
    return verdicts


FAMILY = register(Family(
    name="taxonomy", title="taxonomy / inheritance", weight=24, config=Config, generate=generate, check=check,
    keywords=("分类", "动物", "鸟类", "哺乳", "属于"),
))
