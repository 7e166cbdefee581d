"""Powers: a^n by repeated multiplication, claims about a value, which of two powers is larger, the last digit of a
large power, and whether a number is a power of two."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from .base import Family, register, GenConfig, ask, check_range, choice, near_numbers, question_body, yes_no, yes_no_truth

INTROS = [
    "有一个计算幂的函数 power(A, N)，规则如下：\n\n1. 任何非零数的 0 次幂等于 1。\n2. 当 N > 0 时，A 的 N 次幂等于 A 乘以 A 的 N-1 次幂。",
    "幂运算表示把同一个数连乘若干次。给定以下规则：\n\n1. A 的 0 次幂为 1（A 不为 0）。\n2. A 的 N 次幂是 A 与 A 的 N-1 次幂的乘积（N ≥ 1）。",
]


@dataclass
class Config(GenConfig):
    max_base: int = 7
    max_exponent: int = 6

    LEVELS: ClassVar[dict] = {
        "easy": {"max_base": 4, "max_exponent": 4, "max_questions": 3},
        "medium": {"max_base": 7, "max_exponent": 6},
        "hard": {"max_base": 12, "max_exponent": 9, "min_questions": 3, "max_questions": 5},
    }

    def validate(self) -> None:
        super().validate()
        check_range("max_base", 2, self.max_base, minimum=2)
        check_range("max_exponent", 2, self.max_exponent, minimum=2)


def power_steps(a: int, n: int) -> tuple[int, list[str]]:
    value, steps = 1, [f"{a} 的 0 次幂 = 1。"]
    for i in range(1, n + 1):
        steps.append(f"{a} 的 {i} 次幂 = {a} × {value} = {value * a}。")
        value *= a
    return value, steps


def generate(rng, cfg: Config):
    def pick(r):
        return r.randint(2, cfg.max_base), r.randint(2, cfg.max_exponent)

    def value_q(r):
        a, n = pick(r)
        v, steps = power_steps(a, n)
        wrong = [str(a * n), str(v // a), str(v * a), str(n ** a)] + near_numbers(v, (1, -1, 10))
        return choice(r, f"{a} 的 {n} 次幂等于多少？", str(v), wrong, steps)

    def claim_q(r):
        a, n = pick(r)
        v, steps = power_steps(a, n)
        claim = v if r.random() < 0.5 else r.choice([a * n, v // a, v * a, v + 1, n ** a if n ** a != v else v - 1])
        steps.append(f"{v} {'等于' if claim == v else '不等于'} {claim}。")
        return yes_no(f"{a} 的 {n} 次幂等于 {claim} 吗？", claim == v, steps)

    def compare_q(r):
        (a, m), (b, n) = pick(r), pick(r)
        if (a, m) == (b, n):
            return None
        x, sx = power_steps(a, m)
        y, sy = power_steps(b, n)
        same = "一样大"
        ans = f"{a} 的 {m} 次幂" if x > y else f"{b} 的 {n} 次幂" if y > x else same
        options = [f"{a} 的 {m} 次幂", f"{b} 的 {n} 次幂", same]
        steps = [sx[-1], sy[-1], f"比较 {x} 和 {y}：{'前者大' if x > y else '后者大' if y > x else '相等'}。"]
        return choice(r, f"{a} 的 {m} 次幂和 {b} 的 {n} 次幂，哪个更大？", ans, options, steps, k=3)

    def last_digit_q(r):
        a = r.randint(2, cfg.max_base + 8)
        n = r.randint(10, 20 * cfg.max_exponent)
        cycle, d = [], a % 10
        while d not in cycle:
            cycle.append(d)
            d = d * a % 10
        start = cycle.index(d)  # the digits repeat from here on
        digit = cycle[n - 1] if n <= len(cycle) else cycle[start + (n - 1 - start) % (len(cycle) - start)]
        steps = [f"只看个位：{a} 的 1 次幂、2 次幂……的个位依次是 {'、'.join(map(str, cycle))}，之后从 {d} 开始循环，周期为 {len(cycle) - start}。",
                 f"按周期推算第 {n} 次幂的个位是 {digit}。"]
        wrong = [str(x) for x in (cycle + [(digit + k) % 10 for k in (1, 3, 5)]) if x != digit]
        return choice(r, f"{a} 的 {n} 次幂的个位数字是几？", str(digit), wrong, steps)

    def two_q(r):
        k = r.randint(3, 3 * cfg.max_exponent)
        truth = r.random() < 0.5
        n = 2 ** k if truth else 2 ** k + r.choice([2 ** (k - 1), 2 ** (k - 2), -(2 ** (k - 2)), 6])
        steps, m = [], n
        while m % 2 == 0 and m > 1:
            steps.append(f"{m} ÷ 2 = {m // 2}")
            m //= 2
        tail = f"最后得到 1，所以 {n} 是 2 的 {k} 次幂。" if truth else f"最后得到 {m}，不是 1，所以 {n} 不是 2 的幂。"
        return yes_no(f"{n} 是 2 的某个整数次幂吗？", truth, [f"反复除以 2：{'，'.join(steps) or '无法整除'}。", tail])

    def exponent_q(r):
        a, n = pick(r)
        v, steps = power_steps(a, n)
        return choice(r, f"{a} 的几次幂等于 {v}？", str(n), near_numbers(n, (1, -1, 2, -2)), steps)

    text = f"{rng.choice(INTROS)}\n\n根据以上规则，回答以下选择题："
    return text, ask(rng, cfg, [value_q, claim_q, compare_q, last_digit_q, two_q, exponent_q])


def check(record):
    """Exponentiation by squaring (pow), modular pow for last digits, and bit tests for powers of two."""
    verdicts = []
    for q in record["questions"]:
        t = question_body(q)
        if m := re.match(r"(\d+) 的 (\d+) 次幂等于 (\d+) 吗", t):
            truth = pow(int(m.group(1)), int(m.group(2))) == int(m.group(3))
        elif m := re.match(r"(\d+) 是 2 的某个整数次幂吗", t):
            n = int(m.group(1))
            truth = n > 0 and n & (n - 1) == 0
        else:
            truth = None
        if truth is not None:
            verdicts.append([yes_no_truth(o, truth) for o in q["options"]])
            continue
        if m := re.match(r"(\d+) 的 (\d+) 次幂等于多少", t):
            value = str(pow(int(m.group(1)), int(m.group(2))))
        elif m := re.match(r"(\d+) 的 (\d+) 次幂和 (\d+) 的 (\d+) 次幂，哪个更大", t):
            a, m1, b, n1 = map(int, m.groups())
            x, y = pow(a, m1), pow(b, n1)
            value = "一样大" if x == y else f"{a} 的 {m1} 次幂" if x > y else f"{b} 的 {n1} 次幂"
        elif m := re.match(r"(\d+) 的 (\d+) 次幂的个位数字", t):
            value = str(pow(int(m.group(1)), int(m.group(2)), 10))
        elif m := re.match(r"(\d+) 的几次幂等于 (\d+)", t):
            a, v = int(m.group(1)), int(m.group(2))
            value = str(next(e for e in range(64) if pow(a, e) == v))
        else:
            raise ValueError(f"unknown powers question: {t}")
        verdicts.append([o == value for o in q["options"]])
    return verdicts


FAMILY = register(Family(
    name="powers", title="powers", weight=6, config=Config, generate=generate, check=check,
))
