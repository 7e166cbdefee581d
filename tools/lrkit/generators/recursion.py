"""Recursive definitions evaluated: factorial, Fibonacci, powers; how many calls a recursion makes; which argument gives a value."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import ClassVar

from .base import Family, register, GenConfig, ask, check_range, choice, near_numbers, question_body

INTROS = {
    "fact": "有一个递归算法用于计算一个数字的阶乘，规则如下：\n\n1. 0 的阶乘是 1。\n2. 对于任意正整数 N，N 的阶乘等于 N 乘以 (N-1) 的阶乘。",
    "fib": "斐波那契数列按如下递归规则定义：\n\n1. F(0) = 0。\n2. F(1) = 1。\n3. 当 N ≥ 2 时，F(N) = F(N-1) + F(N-2)。",
    "pow": "有一个递归程序计算 A 的 N 次幂 P(A, N)，规则如下：\n\n1. P(A, 0) = 1。\n2. 当 N ≥ 1 时，P(A, N) = A × P(A, N-1)。",
}


@dataclass
class Config(GenConfig):
    max_n: int = 8      # largest argument
    max_base: int = 5   # largest base of powers

    LEVELS: ClassVar[dict] = {
        "easy": {"max_n": 5, "max_base": 3},
        "medium": {"max_n": 8, "max_base": 5},
        "hard": {"max_n": 12, "max_base": 9, "min_questions": 3, "max_questions": 5},
    }

    def validate(self) -> None:
        super().validate()
        check_range("max_n", 3, self.max_n, minimum=3)
        check_range("max_base", 2, self.max_base, minimum=2)


def fib_trace(n):
    seq = [0, 1]
    while len(seq) <= n:
        seq.append(seq[-1] + seq[-2])
    return seq


def generate(rng, cfg: Config):
    kind = rng.choice(list(INTROS))

    def value_q(r):
        n = r.randint(2, cfg.max_n)
        if kind == "fact":
            vals = [1]
            for i in range(1, n + 2):
                vals.append(vals[-1] * i)
            steps = ["0 的阶乘是 1。"] + [f"{i} 的阶乘 = {i} × {vals[i - 1]} = {vals[i]}。" for i in range(1, n + 1)]
            return choice(r, f"{n} 的阶乘是多少？", str(vals[n]), [str(vals[n - 1]), str(vals[n + 1]), str(vals[n] // 2 or 2)] + near_numbers(vals[n]), steps)
        if kind == "fib":
            seq = fib_trace(n + 1)
            steps = ["F(0) = 0，F(1) = 1。"] + [f"F({i}) = F({i - 1}) + F({i - 2}) = {seq[i - 1]} + {seq[i - 2]} = {seq[i]}。" for i in range(2, n + 1)]
            return choice(r, f"F({n}) 的值是多少？", str(seq[n]), [str(seq[n - 1]), str(seq[n + 1]), str(seq[n] + 2)] + near_numbers(seq[n]), steps)
        a, n = r.randint(2, cfg.max_base), r.randint(2, min(cfg.max_n, 6))
        vals = [1]
        for _ in range(n + 1):
            vals.append(vals[-1] * a)
        steps = ["P(A, 0) = 1。"] + [f"P({a}, {i}) = {a} × {vals[i - 1]} = {vals[i]}。" for i in range(1, n + 1)]
        return choice(r, f"P({a}, {n}) 的值是多少？", str(vals[n]), [str(vals[n - 1]), str(vals[n + 1]), str(a * n), str(n ** a)] + near_numbers(vals[n]), steps)

    def calls_q(r):
        n = r.randint(2, cfg.max_n)
        if kind == "fact":
            steps = [f"计算 {n} 的阶乘时依次调用 {n}、{n - 1}、…、1、0 的阶乘。", f"从 {n} 到 0 共 {n + 1} 次调用（包括第一次调用）。"]
            return choice(r, f"按该算法计算 {n} 的阶乘，一共需要调用阶乘计算多少次（包括第一次调用）？", str(n + 1), near_numbers(n + 1, (-1, 1, -2, 2)), steps)
        if kind == "pow":
            a, n = r.randint(2, cfg.max_base), r.randint(2, min(cfg.max_n, 6))
            steps = [f"计算 P({a}, {n}) 时依次调用 P({a}, {n})、P({a}, {n - 1})、…、P({a}, 0)。", f"共 {n + 1} 次调用（包括第一次调用）。"]
            return choice(r, f"按该程序计算 P({a}, {n})，一共需要调用 P 多少次（包括第一次调用）？", str(n + 1), near_numbers(n + 1, (-1, 1, -2, 2)), steps)
        n = min(n, 10)
        calls = [1, 1]
        for i in range(2, n + 1):
            calls.append(1 + calls[i - 1] + calls[i - 2])
        steps = ["记 C(N) 为计算 F(N) 的调用次数：C(0) = C(1) = 1，C(N) = 1 + C(N-1) + C(N-2)。"] + [
            f"C({i}) = 1 + {calls[i - 1]} + {calls[i - 2]} = {calls[i]}。" for i in range(2, n + 1)]
        return choice(r, f"按上述递归规则直接计算 F({n})（不保存中间结果），一共需要调用 F 多少次（包括第一次调用）？", str(calls[n]),
                      [str(calls[n - 1]), str(calls[n] + 1), str(calls[n] - 1), str(n + 1)] + near_numbers(calls[n]), steps)

    def inverse_q(r):
        if kind == "fact":
            n = r.randint(2, cfg.max_n)
            vals = [1]
            for i in range(1, n + 1):
                vals.append(vals[-1] * i)
            steps = [f"依次计算：{'，'.join(f'{i} 的阶乘 = {vals[i]}' for i in range(1, n + 1))}。", f"所以阶乘等于 {vals[n]} 的数是 {n}。"]
            text = f"哪个数的阶乘等于 {vals[n]}？"
        elif kind == "fib":
            n = r.randint(3, cfg.max_n)
            vals = fib_trace(n)
            steps = [f"依次计算：{'，'.join(f'F({i}) = {vals[i]}' for i in range(n + 1))}。", f"所以 N = {n}。"]
            text = f"F(N) = {vals[n]} 时，N 是多少？"
        else:
            a, n = r.randint(2, cfg.max_base), r.randint(2, min(cfg.max_n, 6))
            vals = [a ** i for i in range(n + 1)]
            steps = [f"依次计算：{'，'.join(f'P({a}, {i}) = {vals[i]}' for i in range(n + 1))}。", f"所以 N = {n}。"]
            text = f"P({a}, N) = {vals[n]} 时，N 是多少？"
        return choice(r, text, str(n), [str(x) for x in near_numbers(n, (1, -1, 2, -2, 3)) if int(x) >= 0], steps)

    def at_most_twice(maker):
        # The same kind of query at most twice per problem: a hard problem mixes values, call counts and inverses.
        used = [0]

        def make(r):
            if used[0] == 2:
                return None
            sub = maker(r)
            used[0] += sub is not None
            return sub
        return make

    subs = ask(rng, cfg, [at_most_twice(value_q), at_most_twice(calls_q), at_most_twice(inverse_q)])
    return f"{INTROS[kind]}\n\n根据以上规则，回答以下选择题：", subs


def check(record):
    """Closed forms instead of the recursion: math.factorial, fast doubling for Fibonacci (calls 2F(n+1)-1), pow()."""
    def fib(n):
        if n == 0:
            return 0, 1
        a, b = fib(n // 2)
        c, d = a * (2 * b - a), a * a + b * b
        return (d, c + d) if n % 2 else (c, d)

    def fact(n):
        return math.factorial(n) if n >= 0 else None

    verdicts = []
    for q in record["questions"]:
        t = question_body(q)
        inverse = None
        if m := re.match(r"哪个数的阶乘等于 (\d+)？", t):
            inverse, target = fact, int(m.group(1))
        elif m := re.match(r"F\(N\) = (\d+) 时", t):
            inverse, target = (lambda n: fib(n)[0] if n >= 0 else None), int(m.group(1))
        elif m := re.match(r"P\((\d+), N\) = (\d+) 时", t):
            a = int(m.group(1))
            inverse, target = (lambda n, a=a: pow(a, n) if n >= 0 else None), int(m.group(2))
        if inverse is not None:
            verdicts.append([re.fullmatch(r"-?\d+", o) is not None and inverse(int(o)) == target for o in q["options"]])
            continue
        if m := re.match(r"按该算法计算 (\d+) 的阶乘，一共", t):
            value = int(m.group(1)) + 1
        elif m := re.match(r"按该程序计算 P\((\d+), (\d+)\)，一共", t):
            value = int(m.group(2)) + 1
        elif m := re.match(r"按上述递归规则直接计算 F\((\d+)\)", t):
            value = 2 * fib(int(m.group(1)) + 1)[0] - 1  # naive calls C(n) = 2 F(n+1) - 1
        elif m := re.match(r"(\d+) 的阶乘是多少", t):
            value = math.factorial(int(m.group(1)))
        elif m := re.match(r"F\((\d+)\)", t):
            value = fib(int(m.group(1)))[0]
        elif m := re.match(r"P\((\d+), (\d+)\)", t):
            value = pow(int(m.group(1)), int(m.group(2)))
        else:
            raise ValueError(f"unknown recursion question: {t}")
        verdicts.append([o == str(value) for o in q["options"]])
    return verdicts


FAMILY = register(Family(
    name="recursion", title="factorial and recursion", weight=17, config=Config, generate=generate, check=check,
    keywords=("斐波那契", "阶乘", "汉诺塔", "递归", "幂"),
))
