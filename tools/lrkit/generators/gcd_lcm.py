"""Greatest common divisor by repeated subtraction, and the least common multiple from it."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import ClassVar

from .base import RIGHT_WRONG, Family, register, GenConfig, ask, check_range, choice, question_body, yes_no, yes_no_truth

INTRO = ("有一组程序可以计算两个正整数的最大公约数（GCD）和最小公倍数（LCM），过程如下：\n\n"
         "1. 如果两个数相等，则它们的 GCD 就是其中任意一个数。\n"
         "2. 如果两个数不相等，则用较大的数减去较小的数，再对较小的数和差递归地计算 GCD。\n"
         "3. 两个数的 LCM 等于它们的乘积除以它们的 GCD。\n\n根据上述原理，请回答以下选择题：")


@dataclass
class Config(GenConfig):
    max_value: int = 60
    max_factor: int = 12  # common factor planted so that GCDs are not all 1

    LEVELS: ClassVar[dict] = {
        "easy": {"max_value": 20, "max_factor": 5},
        "medium": {"max_value": 60, "max_factor": 12},
        "hard": {"max_value": 150, "max_factor": 25, "min_questions": 3, "max_questions": 5},
    }

    def validate(self) -> None:
        super().validate()
        check_range("max_value", 10, self.max_value, minimum=10)
        check_range("max_factor", 2, self.max_factor, minimum=2)


def gcd_steps(a, b):
    steps = []
    while a != b:
        hi, lo = max(a, b), min(a, b)
        steps.append(f"GCD({a}, {b})：{hi} - {lo} = {hi - lo}，转为求 GCD({lo}, {hi - lo})。")
        a, b = lo, hi - lo
    steps.append(f"两数相等，GCD 为 {a}。")
    return a, steps


def generate(rng, cfg: Config):
    def pair(r):
        f = r.randint(1, cfg.max_factor)
        top = max(2, cfg.max_value // f)
        a, b = r.sample(range(1, top + 1), 2)
        return a * f, b * f

    def gcd_q(r):
        a, b = pair(r)
        g, steps = gcd_steps(a, b)
        wrong = [str(d) for d in (g * 2, g // 2 if g > 1 else g + 1, min(a, b), abs(a - b), g + 1) if d]
        return choice(r, f"按照上述过程，{a} 和 {b} 的最大公约数是多少？", str(g), wrong, steps)

    def lcm_q(r):
        a, b = pair(r)
        g, steps = gcd_steps(a, b)
        lcm = a * b // g
        steps.append(f"LCM = {a} × {b} ÷ {g} = {lcm}。")
        return choice(r, f"{a} 和 {b} 的最小公倍数是多少？", str(lcm), [str(a * b), str(lcm * 2), str(lcm + g), str(max(a, b))], steps)

    def claim_q(r):
        a, b = pair(r)
        g, steps = gcd_steps(a, b)
        lcm = a * b // g
        truth = r.random() < 0.5
        claim = lcm if truth else r.choice([a * b, lcm * 2, lcm + 1, max(a, b)])
        truth = claim == lcm
        steps.append(f"LCM = {a} × {b} ÷ {g} = {lcm}，{'与' if truth else '不等于'}题中的 {claim}{'相符' if truth else ''}。")
        return yes_no(f"{a} 和 {b} 的最小公倍数是 {claim}，这个说法正确吗？", truth, steps, RIGHT_WRONG)

    return INTRO, ask(rng, cfg, [gcd_q, lcm_q, claim_q])


def check(record):
    """math.gcd and math.lcm on the numbers in each sub-question."""
    verdicts = []
    for q in record["questions"]:
        t = question_body(q)
        a, b = map(int, re.search(r"(\d+) 和 (\d+) 的", t).groups())
        if m := re.search(r"最小公倍数是 (\d+)，这个说法", t):
            truth = math.lcm(a, b) == int(m.group(1))
            verdicts.append([yes_no_truth(o, truth) for o in q["options"]])
            continue
        value = math.gcd(a, b) if "最大公约数" in t else math.lcm(a, b)
        verdicts.append([o == str(value) for o in q["options"]])
    return verdicts


FAMILY = register(Family(
    name="gcd_lcm", title="gcd / lcm", weight=12, config=Config, generate=generate, check=check,
    keywords=("最大公约数", "最小公倍数", "GCD"),
))
