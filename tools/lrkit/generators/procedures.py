"""Step-by-step arithmetic and string procedures: 3x+1 steps, digit sums, Caesar shift, run-length code, vowel count."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import groupby
from typing import ClassVar

from .base import Family, register, GenConfig, ask, check_range, choice, near_numbers, question_body

VOWELS = "aeiou"
WORDS = ["logic", "prolog", "river", "planet", "garden", "window", "silver", "market", "orange", "tunnel", "bridge",
         "candle", "forest", "yellow", "anchor", "puzzle", "rocket", "summer", "winter", "violet", "kernel", "python"]


@dataclass
class Config(GenConfig):
    max_start: int = 40   # largest start value of the numeric procedures
    max_steps: int = 5    # most steps asked for
    word_len: int = 6     # length of generated strings

    LEVELS: ClassVar[dict] = {
        "easy": {"max_start": 20, "max_steps": 3, "word_len": 4},
        "medium": {"max_start": 60, "max_steps": 5, "word_len": 6},
        "hard": {"max_start": 500, "max_steps": 8, "word_len": 9, "min_questions": 3, "max_questions": 5},
    }

    def validate(self) -> None:
        super().validate()
        check_range("max_start", 10, self.max_start, minimum=10)
        check_range("max_steps", 1, self.max_steps)
        check_range("word_len", 3, self.word_len, minimum=3)


def collatz(x):
    return x // 2 if x % 2 == 0 else 3 * x + 1


def shift(word, k):
    return "".join(chr((ord(c) - 97 + k) % 26 + 97) for c in word)


def rle(word):
    out, i = [], 0
    while i < len(word):
        j = i
        while j < len(word) and word[j] == word[i]:
            j += 1
        out.append(f"{j - i}{word[i]}")
        i = j
    return "".join(out)


def generate(rng, cfg: Config):
    kind = rng.choice(["collatz", "digits", "caesar", "rle", "vowels"])
    k = rng.randint(1, 5)

    def word(r):
        if kind == "rle":
            return "".join(c * r.choice((1, 1, 2, 3)) for c in r.choices("abcdxy", k=max(2, cfg.word_len // 2)))
        w = r.choice(WORDS)
        return w if len(w) <= cfg.word_len + 1 else w[: cfg.word_len]

    def collatz_q(r):
        x, n = r.randint(3, cfg.max_start), r.randint(1, cfg.max_steps)
        seq = [x]
        for _ in range(n + 1):
            seq.append(collatz(seq[-1]))
        steps = [f"第 {i} 步：{seq[i - 1]} 是{'偶数，除以 2' if seq[i - 1] % 2 == 0 else '奇数，乘以 3 再加 1'}，得到 {seq[i]}。" for i in range(1, n + 1)]
        return choice(r, f"从 x = {x} 开始连续执行 {n} 步操作后得到的数是多少？", str(seq[n]),
                      [str(seq[n - 1]), str(seq[n + 1])] + near_numbers(seq[n]), steps)

    def digits_q(r):
        x = r.randint(10, cfg.max_start * 50)
        seq = [x]
        while seq[-1] >= 10:
            seq.append(sum(int(c) for c in str(seq[-1])))
        steps = [f"{a} 的各位数字相加：{' + '.join(str(a))} = {b}。" for a, b in zip(seq, seq[1:])] + [f"{seq[-1]} 只有一位，过程结束。"]
        return choice(r, f"对 {x} 执行该过程，最终得到的一位数是多少？", str(seq[-1]),
                      [str(seq[1]), str(x % 10)] + near_numbers(seq[-1], (1, -1, 2)), steps)

    def caesar_q(r):
        w = word(r)
        out = shift(w, k)
        steps = [f"逐个字母向后移动 {k} 位：" + "，".join(f"{a}→{b}" for a, b in zip(w, out)) + "。", f"拼起来得到 \"{out}\"。"]
        return choice(r, f"字符串 \"{w}\" 加密后的结果是什么？", out,
                      [shift(w, k + 1), shift(w, k - 1) if k > 1 else w, shift(w, -k), shift(w[::-1], k)], steps)

    def rle_q(r):
        w = word(r)
        out = rle(w)
        runs = [(c, len(list(g))) for c, g in groupby(w)]
        wrong = ["".join(f"{c}{n}" for c, n in runs), "".join(f"{n}{c}" for c, n in sorted(Counter(w).items())),
                 "".join(f"{n + (i == 0)}{c}" for i, (c, n) in enumerate(runs))]
        steps = [f"把 \"{w}\" 分成连续相同字符的段：" + "、".join(c * n for c, n in runs) + "。", "每段写成“次数+字符”：" + out + "。"]
        return choice(r, f"字符串 \"{w}\" 的编码结果是什么？", out, wrong, steps)

    def vowels_q(r):
        w = word(r)
        n = sum(1 for c in w if c in VOWELS)
        found = [c for c in w if c in VOWELS]
        steps = [f"\"{w}\" 中的元音字母有：{'、'.join(found) if found else '没有'}。", f"共 {n} 个。"]
        return choice(r, f"字符串 \"{w}\" 中元音字母的个数是多少？", str(n), near_numbers(n, (1, -1, 2, 3)) if n > 1 else ["1", "2", "3", "4"], steps)

    intro = {
        "collatz": "对一个正整数 x 执行一步操作的规则如下：\n\n1. 如果 x 是偶数，把它除以 2。\n2. 如果 x 是奇数，把它乘以 3 再加 1。",
        "digits": "有一个数字处理过程：\n\n1. 把一个正整数的各位数字相加，得到一个新数。\n2. 如果新数仍然不止一位，就对新数重复第 1 步，直到结果只剩一位数为止。",
        "caesar": f"有一个字符串加密程序，规则如下：\n\n1. 字符串只包含小写英文字母。\n2. 每个字母向后移动 {k} 位，例如 a 变成 {shift('a', k)}。\n3. 超过 z 时回到 a 继续数。",
        "rle": "游程编码把字符串压缩成更短的形式，规则如下：\n\n1. 从左到右把连续相同的字符分成一段。\n2. 每段写成“次数+字符”，例如 aaab 写成 3a1b。\n3. 各段的结果按原来的顺序拼接。",
        "vowels": "有一个程序统计字符串中元音字母的个数：\n\n1. 元音字母是 a、e、i、o、u（y 不算）。\n2. 从左到右逐个检查字符，遇到元音字母就把计数加 1。",
    }[kind]
    maker = {"collatz": collatz_q, "digits": digits_q, "caesar": caesar_q, "rle": rle_q, "vowels": vowels_q}[kind]
    return f"{intro}\n\n根据以上规则，回答以下选择题：", ask(rng, cfg, [maker])


def check(record):
    """Recompute with other methods: digital root by n mod 9, Caesar by str.translate, run-length by groupby."""
    text = record["problem"]
    verdicts = []
    for q in record["questions"]:
        t = question_body(q)
        if m := re.match(r"从 x = (\d+) 开始连续执行 (\d+) 步", t):
            x = int(m.group(1))
            for _ in range(int(m.group(2))):
                x = (x >> 1) if not x & 1 else x * 3 + 1
            value = str(x)
        elif m := re.match(r"对 (\d+) 执行该过程", t):
            value = str(1 + (int(m.group(1)) - 1) % 9)
        elif m := re.match(r'字符串 "(\w+)" 加密', t):
            k = int(re.search(r"向后移动 (\d+) 位", text).group(1))
            abc = "abcdefghijklmnopqrstuvwxyz"
            value = m.group(1).translate(str.maketrans(abc, abc[k:] + abc[:k]))
        elif m := re.match(r'字符串 "(\w+)" 的编码', t):
            value = "".join(f"{len(list(g))}{c}" for c, g in groupby(m.group(1)))
        elif m := re.match(r'字符串 "(\w+)" 中元音', t):
            value = str(sum(m.group(1).count(v) for v in VOWELS))
        else:
            raise ValueError(f"unknown procedure question: {t}")
        verdicts.append([o == value for o in q["options"]])
    return verdicts


FAMILY = register(Family(
    name="procedures", title="arithmetic and string procedures", weight=46, config=Config, generate=generate, check=check,
))
