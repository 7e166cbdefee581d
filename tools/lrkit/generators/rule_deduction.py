"""If-then rules over people's traits, closed world: what follows from the facts and what does not.

Surface forms, as in the real problems (many are Prolog knowledge bases rendered into Chinese): rules as
"如果一个人是A的并且是B的，那么他是C的。", "所有既A又B的人都是C的。" or with a variable, "如果X是A的并且X是B的，则X是C的。";
facts one per line ("张伟是勤奋的。") or one per trait ("勤奋的人有：张伟、王芳。"); facts and rules in one list or in two
sections; several wordings of the closed-world assumption and of the questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from .base import ITEM, layout, numbered, EN_NAMES, ZH_NAMES, Family, register, GenConfig, ask, check_range, choice, question_body, yes_no, yes_no_truth

TRAITS = ["勤奋", "聪明", "成功", "快乐", "健康", "富有", "善良", "受欢迎", "有礼貌", "自信", "勇敢", "细心", "乐观",
          "专注", "幽默", "可靠", "谦虚", "热情"]


@dataclass
class Config(GenConfig):
    people: int = 4
    base_traits: int = 3     # traits given as facts
    derived_traits: int = 3  # traits only rules can give
    max_body: int = 2        # conditions per rule

    LEVELS: ClassVar[dict] = {
        "easy": {"people": 3, "base_traits": 2, "derived_traits": 2, "max_body": 1},
        "medium": {"people": 4, "base_traits": 3, "derived_traits": 3, "max_body": 2},
        "hard": {"people": 5, "base_traits": 4, "derived_traits": 5, "max_body": 2, "min_questions": 3, "max_questions": 5},
    }

    def validate(self) -> None:
        super().validate()
        check_range("people", self.people, 8, minimum=2)
        check_range("traits", self.base_traits + self.derived_traits, len(TRAITS), minimum=3)
        check_range("rule body", self.max_body, 3)


RULE_FORMS = ("person", "all", "variable")
CLOSED_WORLD = ("（未给出且无法推出的结论一律视为不成立）", "（封闭世界假设：没有给出、也不能推出的都视为不成立）",
                "（假设没有列出且无法推出的事实都为假）")


def render_rule(body, head, form: str = "person") -> str:
    if form == "all":
        return ("所有" + (body[0] if len(body) == 1 else "既" + "又".join(body)) + f"的人都是{head}的。")
    if form == "variable":
        return "如果" + "并且".join(f"X是{b}的" for b in body) + f"，则X是{head}的。"
    return "如果一个人是" + "的并且是".join(body) + f"的，那么他是{head}的。"


def parse_world(text: str):
    """Facts ``{(person, trait)}`` and rules ``[(body, head)]`` of a rendered problem, in any of its forms."""
    rules = [(m.group(1).split("的并且是"), m.group(2)) for m in re.finditer(r"如果一个人是(.+?)的，那么他是(\S+?)的。", text)]
    rules += [(m.group(1).removeprefix("既").split("又"), m.group(2)) for m in re.finditer(r"所有(\S+?)的人都是(\S+?)的。", text)]
    rules += [(re.findall(r"X是(\S+?)的", m.group(1)), m.group(2)) for m in re.finditer(r"如果(X是.+?)，则X是(\S+?)的。", text)]
    facts = {(m.group(1), m.group(2)) for m in re.finditer(ITEM + r"(?!如果|所有)(\S+?)是(\S+?)的。$", text, re.M)}
    facts |= {(p, m.group(1)) for m in re.finditer(ITEM + r"(\S+?)的人有：(.+?)。$", text, re.M) for p in m.group(2).split("、")}
    return facts, rules


def forward_chain(names, facts, rules):
    """The fixpoint of the facts under the rules, and for each derived fact the body of the rule that first gave it."""
    known = set(facts)
    why: dict[tuple, tuple] = {}
    changed = True
    while changed:
        changed = False
        for body, head in rules:
            for p in names:
                if (p, head) not in known and all((p, b) in known for b in body):
                    known.add((p, head))
                    why[(p, head)] = body
                    changed = True
    return known, why


def generate(rng, cfg: Config):
    form = rng.choice(RULE_FORMS)
    names = rng.sample(ZH_NAMES if rng.random() < 0.5 else EN_NAMES, cfg.people)
    traits = rng.sample(TRAITS, cfg.base_traits + cfg.derived_traits)
    base, derived = traits[: cfg.base_traits], traits[cfg.base_traits:]
    # Redraw until some rule fires (otherwise every derived trait is false and every answer is 否) and some
    # derived fact stays false; no rule appears twice (same head, same set of conditions).
    for _ in range(100):
        rules, seen = [], set()
        for j, head in enumerate(derived):
            earlier = base + derived[:j]
            for _ in range(rng.randint(1, 2)):
                body = tuple(rng.sample(earlier, rng.randint(1, min(cfg.max_body, len(earlier)))))
                if (frozenset(body), head) not in seen:
                    seen.add((frozenset(body), head))
                    rules.append((body, head))
        facts = [(p, t) for p in names for t in base if rng.random() < 0.45]
        known, why = forward_chain(names, facts, rules)
        fired = sum((p, t) in known for p in names for t in derived)
        if 0 < fired < len(names) * len(derived):
            break
    else:
        raise RuntimeError("no rule world with both derived and underivable facts found")

    def explain(p, t, out):
        if (p, t) in why:
            for b in why[(p, t)]:
                explain(p, b, out)
            line = f"由规则“{render_rule(why[(p, t)], t, form)}”，{p}是{t}的。"
        else:
            line = f"已知{p}是{t}的。"
        if line not in out:
            out.append(line)
        return out

    def refute(p, t):
        if t in base:
            return [f"事实中没有说{p}是{t}的，也没有规则能推出这一点；按封闭世界假设，{p}不是{t}的。"]
        lines = []
        for body, head in rules:
            if head == t:
                missing = [b for b in body if (p, b) not in known]
                lines.append(f"规则“{render_rule(body, head, form)}”不适用：{p}不是{missing[0]}的。")
        return lines + [f"所以无法推出{p}是{t}的，按封闭世界假设，{p}不是{t}的。"]

    def steps_for(p, t):
        return explain(p, t, []) if (p, t) in known else refute(p, t)

    def is_trait(r):
        # Aim at a yes or a no with equal odds, so that the answer letters stay balanced.
        want = r.random() < 0.5
        pairs = [(p, t) for p in names for t in traits if ((p, t) in known) == want and (t in derived or r.random() < 0.3)]
        if not pairs:
            return None
        p, t = r.choice(pairs)
        text = r.choice((f"根据以上信息，{p}是{t}的吗？", f"{p}是{t}的吗？", f"能否推出{p}是{t}的？", f"{p}是否是{t}的？"))
        return yes_no(text, (p, t) in known, steps_for(p, t))

    def who(r):
        t = r.choice(derived)
        yes = [p for p in names if (p, t) in known]
        no = [p for p in names if (p, t) not in known]
        if not yes or not no:
            return None
        p = r.choice(yes)
        wrong = r.sample(no, len(no))
        return choice(r, r.choice((f"哪个人是{t}的？", f"谁是{t}的？")), p, wrong, steps_for(p, t) + [refute(q, t)[-1] for q in wrong[:3]])

    def trait_of(r):
        p = r.choice(names)
        yes = [t for t in derived if (p, t) in known]
        no = [t for t in traits if (p, t) not in known]
        if not yes or len(no) < 1:
            return None
        t = r.choice(yes)
        return choice(r, f"根据以上信息，可以推出{p}具有哪个特点？", f"{t}的", [f"{x}的" for x in r.sample(no, len(no))], steps_for(p, t))

    subs = ask(rng, cfg, [is_trait, is_trait, who, trait_of])
    if rng.random() < 0.6:
        fact_lines = [f"{p}是{t}的。" for p, t in facts]
    else:  # one line per trait, naming everyone who has it
        fact_lines = [f"{t}的人有：{'、'.join(p for p in names if (p, t) in facts)}。" for t in base
                      if any((p, t) in facts for p in names)]
    rule_lines = [render_rule(b, h, form) for b, h in rules]
    people = f"有{len(names)}个人：{'、'.join(names)}。"
    closed = rng.choice(CLOSED_WORLD)
    if rng.random() < 0.5:
        text = layout(f"{people}已知以下事实和规则{closed}：", fact_lines + rule_lines)
    else:  # facts and rules in two sections
        text = layout(f"{people}以下是已知的事实：", fact_lines, f"以下是已知的规则{closed}：\n\n{numbered(rule_lines)}\n\n"
                      "根据以上信息，回答以下选择题：")
    return text, subs


def check(record):
    """Backward chaining over the rendered facts and rules (goal-directed, unlike the generator's fixpoint)."""
    facts, rules = parse_world(record["problem"])

    def prove(p, t):
        return (p, t) in facts or any(h == t and all(prove(p, b) for b in body) for body, h in rules)

    verdicts = []
    for q in record["questions"]:
        t = question_body(q)
        if m := (re.match(r"(?:根据以上信息，)?(\S+?)是(\S+?)的吗？", t) or re.match(r"能否推出(\S+?)是(\S+?)的？", t)
                 or re.match(r"(\S+?)是否是(\S+?)的？", t)):
            truth = prove(m.group(1), m.group(2))
            verdicts.append([yes_no_truth(o, truth) for o in q["options"]])
        elif m := re.match(r"(?:哪个人|谁)是(\S+?)的？", t):
            verdicts.append([prove(o, m.group(1)) for o in q["options"]])
        elif m := re.match(r"根据以上信息，可以推出(\S+?)具有", t):
            verdicts.append([prove(m.group(1), o[:-1]) for o in q["options"]])
        else:
            raise ValueError(f"unknown rule question: {t}")
    return verdicts


FAMILY = register(Family(
    name="rule_deduction", title="rule-based deduction with if-then rules", weight=48, config=Config, generate=generate, check=check,
    keywords=("规则", "如果", "已知"),
))
