"""Number representations: Peano numerals s(0) with recursive add / mul / sub, and binary digit lists (lowest bit
first) with ripple-carry addition."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from .base import RIGHT_WRONG, Family, register, GenConfig, ask, check_range, choice, fmt_list, layout, question_body, yes_no, yes_no_truth


@dataclass
class Config(GenConfig):
    max_value: int = 8  # largest number written as a Peano numeral
    max_bits: int = 5   # longest binary digit list

    LEVELS: ClassVar[dict] = {
        "easy": {"max_value": 5, "max_bits": 3, "max_questions": 3},
        "medium": {"max_value": 8, "max_bits": 5},
        "hard": {"max_value": 12, "max_bits": 7, "min_questions": 3, "max_questions": 5},
    }

    def validate(self) -> None:
        super().validate()
        check_range("max_value", 4, self.max_value, minimum=4)
        check_range("max_bits", 3, self.max_bits, minimum=3)


def numeral(n: int, zero: str) -> str:
    return "s(" * n + zero + ")" * n


def peano(rng, cfg: Config):
    zero = rng.choice(["0", "zero"])
    top = cfg.max_value

    def num(n):
        return numeral(n, zero)

    def near(n, extra=()):
        return [num(x) for x in (n + 1, n - 1, n + 2, n - 2, *extra) if x >= 0]

    def add_trace(a, b):
        # add(s(X), Y) = s(add(X, Y)) peels one s per step until add(zero, Y) = Y.
        steps, wrap = [], 0
        for k in range(a, 0, -1):
            steps.append(f"{'s(' * wrap}add({num(k)}, {num(b)}){')' * wrap} = {'s(' * (wrap + 1)}add({num(k - 1)}, {num(b)}){')' * (wrap + 1)}")
            wrap += 1
        steps.append(f"add({zero}, Y) = Y，所以结果是 {num(a + b)}，即数字 {a + b}。")
        return steps

    def to_term(r):
        n = r.randint(1, top)
        steps = [f"{zero} 表示 0，每套一层 s(...) 加 1。", f"数字 {n} 需要在 {zero} 外面套 {n} 层 s(...)：{num(n)}。"]
        return choice(r, f"数字 {n} 在这种表示法中怎么写？", num(n), near(n), steps)

    def from_term(r):
        n = r.randint(1, top)
        steps = [f"数一数 {num(n)} 中 s 的层数：共 {n} 层。", f"所以它表示数字 {n}。"]
        return choice(r, f"{num(n)} 表示的数字是多少？", str(n), [str(x) for x in (n + 1, n - 1, n + 2, n - 2, 2 * n) if x >= 0], steps)

    def add_q(r):
        a, b = r.randint(1, top // 2), r.randint(1, top // 2)
        return choice(r, f"add({num(a)}, {num(b)}) 的结果是什么？", num(a + b), near(a + b, (a * b, max(a, b))), add_trace(a, b))

    def mul_q(r):
        a, b = r.randint(2, 3), r.randint(2, max(2, top // 3))
        steps = [f"mul(s(X), Y) = add(Y, mul(X, Y))：把 {num(b)} 加 {a} 次，从 {zero} 开始。"]
        steps += [f"第 {i} 次相加后得到 {num(b * i)}。" for i in range(1, a + 1)]
        return choice(r, f"mul({num(a)}, {num(b)}) 的结果是什么？", num(a * b), near(a * b, (a + b, b)), steps)

    def sub_q(r):
        a = r.randint(2, top)
        b = r.randint(1, a)
        steps = [f"sub(s(X), s(Y)) = sub(X, Y)：两边同时去掉一层 s，共去掉 {b} 层。",
                 f"剩下 sub({num(a - b)}, {zero}) = {num(a - b)}。"]
        return choice(r, f"sub({num(a)}, {num(b)}) 的结果是什么？", num(a - b), near(a - b, (a + b,)), steps)

    def claim_q(r):
        a, b = r.randint(1, top // 2), r.randint(1, top // 2)
        c = a + b if r.random() < 0.5 else r.choice([a + b + 1, a + b - 1, a * b if a * b != a + b else a + b + 2])
        truth = c == a + b
        steps = add_trace(a, b) + [f"{num(a + b)} {'与' if truth else '与题中的'} {num(c)} {'相同' if truth else '不同'}。"]
        return yes_no(f"add({num(a)}, {num(b)}) 的结果是 {num(c)}，这个说法正确吗？", truth, steps, RIGHT_WRONG)

    text = layout(f"在一种自然数的写法里，{zero} 表示 0，s(N) 表示 N 的后继（即 N + 1）。例如 s({zero}) 表示 1，"
                  f"s(s({zero})) 表示 2。在这种写法上定义了三种运算：",
                  [f"add({zero}, Y) = Y；add(s(X), Y) = s(add(X, Y))。", f"mul({zero}, Y) = {zero}；mul(s(X), Y) = add(Y, mul(X, Y))。",
                   f"sub(X, {zero}) = X；sub(s(X), s(Y)) = sub(X, Y)（只对 X 不小于 Y 的情况使用）。"])
    return text, ask(rng, cfg, [to_term, from_term, add_q, add_q, mul_q, sub_q, claim_q])


def to_bits(n: int) -> list[int]:
    bits = []
    while True:
        n, b = divmod(n, 2)
        bits.append(b)
        if n == 0:
            return bits


def binary(rng, cfg: Config):
    top = 2 ** cfg.max_bits - 1

    def halving(n):
        steps, m = [], n
        while True:
            q, b = divmod(m, 2)
            steps.append(f"{m} ÷ 2 = {q} 余 {b}")
            m = q
            if m == 0:
                break
        return [f"反复除以 2 取余数，依次得到最低位到最高位：{'；'.join(steps)}。", f"所以 {n} 写作 {fmt_list(to_bits(n))}。"]

    def to_list(r):
        n = r.randint(2, top)
        bits = to_bits(n)
        wrong = [fmt_list(bits[::-1]), fmt_list(to_bits(n + 1)), fmt_list(to_bits(n - 1)), fmt_list([1] + bits)]
        return choice(r, f"数字 {n} 用这种列表怎么表示？", fmt_list(bits), wrong, halving(n))

    def from_list(r):
        n = r.randint(2, top)
        bits = to_bits(n)
        reverse = int("".join(map(str, bits)), 2)
        terms = " + ".join(f"{b}×{2 ** i}" for i, b in enumerate(bits))
        steps = [f"第 i 位（从 0 开始）的权重是 2 的 i 次方：{terms} = {n}。"]
        return choice(r, f"列表 {fmt_list(bits)} 表示的数字是多少？", str(n), [str(reverse), str(n + 1), str(n - 1), str(2 * n)], steps)

    def add_q(r):
        a, b = r.randint(1, top // 2), r.randint(1, top // 2)
        x, y = to_bits(a), to_bits(b)
        out, carry, steps = [], 0, []
        for i in range(max(len(x), len(y))):
            s = (x[i] if i < len(x) else 0) + (y[i] if i < len(y) else 0) + carry
            steps.append(f"第 {i} 位：{x[i] if i < len(x) else 0} + {y[i] if i < len(y) else 0} + 进位 {carry} = {s}，写 {s % 2}，进位 {s // 2}。")
            out.append(s % 2)
            carry = s // 2
        if carry:
            out.append(1)
            steps.append("最后还有进位 1，在最高位补 1。")
        steps.append(f"结果是 {fmt_list(out)}（即 {a} + {b} = {a + b}）。")
        wrong = [fmt_list(to_bits(a ^ b)), fmt_list(out[::-1]), fmt_list(to_bits(a + b + 1)), fmt_list(to_bits(a + b - 1))]
        return choice(r, f"{fmt_list(x)} 加上 {fmt_list(y)} 的结果用列表表示是什么？", fmt_list(out), wrong, steps)

    text = ("有一种用列表表示非负整数的方法：把数字写成二进制，再从最低位到最高位依次放进列表，最低位在最前面。"
            "例如 [0, 1] 表示 2，[1, 1] 表示 3，[1, 0, 1] 表示 5。两个列表相加时，从最低位开始逐位相加并处理进位。"
            "\n\n根据以上规则，回答以下选择题：")
    return text, ask(rng, cfg, [to_list, from_list, add_q])


def generate(rng, cfg: Config):
    return (peano if rng.random() < 0.7 else binary)(rng, cfg)


def check(record):
    """Parse numerals by peeling s(...) layers and digit lists by Horner's rule from the top bit; compare integers."""
    verdicts = []
    zero = "zero" if "zero 表示 0" in record["problem"] else "0"

    def value(term):
        term = term.strip()
        n = 0
        while term.startswith("s(") and term.endswith(")"):
            term, n = term[2:-1], n + 1
        return n if term == zero else None

    def bits_value(text):
        digits = re.fullmatch(r"\[([01](?:, [01])*)\]", text.strip())
        if not digits:
            return None
        n = 0
        for b in reversed(digits.group(1).split(", ")):
            n = 2 * n + int(b)
        return n

    for q in record["questions"]:
        t = question_body(q)
        if m := re.match(r"(add|mul|sub)\((.+), (.+?)\) 的结果是 (.+)，这个说法", t):
            a, b, c = value(m.group(2)), value(m.group(3)), value(m.group(4))
            verdicts.append([yes_no_truth(o, a + b == c) for o in q["options"]])
            continue
        if m := re.match(r"数字 (\d+) 在这种表示法中", t):
            want, read = int(m.group(1)), value
        elif m := re.match(r"列表 (\[.*?\]) 表示的数字", t):
            want, read = bits_value(m.group(1)), int
        elif m := re.match(r"(.+) 表示的数字是多少", t):
            want, read = value(m.group(1)), int
        elif m := re.match(r"(add|mul|sub)\((.+), (.+?)\) 的结果是什么", t):
            a, b = value(m.group(2)), value(m.group(3))
            want, read = {"add": a + b, "mul": a * b, "sub": a - b}[m.group(1)], value
        elif m := re.match(r"数字 (\d+) 用这种列表", t):
            want, read = int(m.group(1)), bits_value
        elif m := re.match(r"(\[.*?\]) 加上 (\[.*?\]) 的结果", t):
            want, read = bits_value(m.group(1)) + bits_value(m.group(2)), bits_value
        else:
            raise ValueError(f"unknown number-representation question: {t}")
        verdicts.append([read(o) == want for o in q["options"]])
    return verdicts


FAMILY = register(Family(
    name="peano", title="Peano numbers s(0) / number representations", weight=9, config=Config, generate=generate, check=check,
))
