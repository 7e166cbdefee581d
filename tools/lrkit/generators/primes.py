"""Primes by trial division: is N prime, the next prime, the largest prime of a list, the product of a list's primes,
how many primes up to N, and sums of two primes (Goldbach)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from math import isqrt
from typing import ClassVar

from .base import Family, register, GenConfig, ask, check_range, choice, fmt_list, near_numbers, parse_list, question_body, yes_no, yes_no_truth

INTROS = [
    "素数（也叫质数）是大于 1 的自然数，除了 1 和它本身以外，不能被其他自然数整除。判断一个数 N 是否为素数的方法如下：",
    "有一个程序用试除法检查素数。素数是只有 1 和自身两个因数的、大于 1 的整数。程序的规则是：",
]
RULES = ["小于 2 的数不是素数。", "用 2 到 √N 之间的每个整数去除 N，只要有一个能整除，N 就不是素数。",
         "如果这些整数都不能整除 N，N 就是素数。"]


@dataclass
class Config(GenConfig):
    max_value: int = 100  # numbers asked about stay below this
    list_len: int = 5

    LEVELS: ClassVar[dict] = {
        "easy": {"max_value": 30, "list_len": 4, "max_questions": 3},
        "medium": {"max_value": 100, "list_len": 5},
        "hard": {"max_value": 400, "list_len": 7, "min_questions": 3, "max_questions": 5},
    }

    def validate(self) -> None:
        super().validate()
        check_range("max_value", 20, self.max_value, minimum=20)
        if self.max_value > 1000:
            raise ValueError("max_value must be at most 1000")
        check_range("list_len", 3, self.list_len, minimum=3)


def trial(n: int) -> tuple[bool, str]:
    """Primality by trial division, with the sentence the worked solution shows."""
    if n < 2:
        return False, f"{n} 小于 2，不是素数。"
    for d in range(2, isqrt(n) + 1):
        if n % d == 0:
            return False, f"{n} ÷ {d} = {n // d}，能整除，所以 {n} 不是素数。"
    tried = f"用 2 到 {isqrt(n)} 试除都不能整除" if isqrt(n) >= 2 else f"√{n} 小于 2，无需试除"
    return True, f"{tried}，所以 {n} 是素数。"


def is_prime(n: int) -> bool:
    return trial(n)[0]


def generate(rng, cfg: Config):
    top = cfg.max_value
    primes = [p for p in range(2, top + 1) if is_prime(p)]
    tricky = [n for n in range(9, top + 1) if not is_prime(n) and n % 2 and n % 5]  # odd composites like 91

    def is_prime_q(r):
        n = r.choice(primes[2:]) if r.random() < 0.5 else r.choice(tricky)
        truth, why = trial(n)
        return yes_no(f"{n} 是素数吗？", truth, [why])

    def next_q(r):
        n = r.randint(2, top - 10)
        steps, m = [], n + 1
        while True:
            ok, why = trial(m)
            steps.append(why)
            if ok:
                break
            m += 1
        wrong = [str(x) for x in (m + 1, m - 1, m + 2, n + 1, n + 2) if x != m and x > n]
        later = next(p for p in range(m + 1, 2 * m + 3) if is_prime(p))
        return choice(r, f"比 {n} 大的最小素数是多少？", str(m), [str(later)] + wrong, [f"从 {n + 1} 开始逐个检查："] + steps)

    def largest_q(r):
        xs = r.sample(range(2, top + 1), cfg.list_len)
        found = [x for x in xs if is_prime(x)]
        if not found:
            xs[r.randrange(len(xs))] = r.choice(primes)
            found = [x for x in xs if is_prime(x)]
        best = max(found)
        steps = [trial(x)[1] for x in xs] + [f"素数有：{'、'.join(map(str, found))}，其中最大的是 {best}。"]
        return choice(r, f"列表 {fmt_list(xs)} 中最大的素数是多少？", str(best), [str(x) for x in sorted(xs, reverse=True)], steps)

    def product_q(r):
        xs = [r.randint(1, min(top, 30)) for _ in range(cfg.list_len)]
        found = [x for x in xs if is_prime(x)]
        value = 1
        for x in found:
            value *= x
        steps = [f"列表中的素数有：{'、'.join(map(str, found)) if found else '没有'}。",
                 f"把它们相乘（空列表的结果为 1）：{' × '.join(map(str, found)) or '1'} = {value}。"]
        others = [x for x in xs if x > 1 and x not in found]
        wrong = [str(value * others[0]) if others else str(value * 2), str(sum(found) or 2)] + near_numbers(value, (1, -1, 2))
        return choice(r, f"对列表 {fmt_list(xs)}，把其中所有素数相乘，结果是多少？", str(value), wrong, steps)

    def count_q(r):
        n = r.randint(10, min(top, 120))
        found = [p for p in primes if p <= n]
        steps = [f"不超过 {n} 的素数有：{'、'.join(map(str, found))}。", f"共 {len(found)} 个。"]
        return choice(r, f"不超过 {n} 的素数一共有多少个？", str(len(found)), near_numbers(len(found), (1, -1, 2, -2)), steps)

    def goldbach_q(r):
        n = r.randint(5, top) | (r.random() < 0.5)  # odd n: only n - 2 can work, so both answers occur
        pair = next(((p, n - p) for p in primes if p <= n - p and is_prime(n - p)), None)
        if pair:
            steps = [f"{n} = {pair[0]} + {pair[1]}，{pair[0]} 和 {pair[1]} 都是素数。"]
        elif n % 2:
            steps = [f"{n} 是奇数，两个素数相加要得到奇数，其中一个必须是 2。", trial(n - 2)[1]]
        else:
            steps = [f"逐一检查不超过 {n // 2} 的素数 p，{n} - p 都不是素数。"]
        return yes_no(f"{n} 能否写成两个素数之和？", pair is not None, steps)

    text = f"{rng.choice(INTROS)}\n\n" + "\n".join(f"{i}. {rule}" for i, rule in enumerate(RULES, 1)) + "\n\n根据以上规则，回答以下选择题："
    return text, ask(rng, cfg, [is_prime_q, is_prime_q, next_q, largest_q, product_q, count_q, goldbach_q])


def check(record):
    """A sieve of Eratosthenes up to the largest number in the record, instead of trial division."""
    limit = 2 * max(int(x) for q in record["questions"] for x in re.findall(r"\d+", question_body(q))) + 2  # Bertrand
    sieve = bytearray([1]) * (limit + 1)
    sieve[0:2] = b"\x00\x00"
    for p in range(2, isqrt(limit) + 1):
        if sieve[p]:
            sieve[p * p::p] = bytearray(len(range(p * p, limit + 1, p)))
    verdicts = []
    for q in record["questions"]:
        t = question_body(q)
        if m := re.match(r"(\d+) 是素数吗", t):
            verdicts.append([yes_no_truth(o, bool(sieve[int(m.group(1))])) for o in q["options"]])
            continue
        if m := re.match(r"(\d+) 能否写成两个素数之和", t):
            n = int(m.group(1))
            verdicts.append([yes_no_truth(o, any(sieve[p] and sieve[n - p] for p in range(2, n - 1))) for o in q["options"]])
            continue
        if m := re.match(r"比 (\d+) 大的最小素数", t):
            value = next(p for p in range(int(m.group(1)) + 1, limit + 1) if sieve[p])
        elif m := re.match(r"列表 (\[.*?\]) 中最大的素数", t):
            value = max(x for x in parse_list(m.group(1)) if sieve[x])
        elif m := re.match(r"对列表 (\[.*?\])，把其中所有素数相乘", t):
            value = 1
            for x in parse_list(m.group(1)):
                value *= x if sieve[x] else 1
        elif m := re.match(r"不超过 (\d+) 的素数一共", t):
            value = sum(sieve[: int(m.group(1)) + 1])
        else:
            raise ValueError(f"unknown primes question: {t}")
        verdicts.append([o == str(value) for o in q["options"]])
    return verdicts


FAMILY = register(Family(
    name="primes", title="primes", weight=8, config=Config, generate=generate, check=check,
))
