"""Conversions and symbolic evaluation: a problem states the rules of one conversion or evaluator and asks for results.

Kinds (one per problem), with the phrasings of the real problems:

- ``roman``: Arabic numerals to Roman numerals, by a rule table ("数字 1000 转换为 "M"。") or by the 1..39 procedure
  ("如果数字在 30 到 39 之间，先写出 "XXX"…"), and Roman numerals back to numbers ("罗马数字 XIV 表示 14 吗？");
- ``words``: numbers to English words, a digit table ("1 对应 "one"") or the rules up to 99 ("twenty-one");
- ``binary``: decimal to binary (repeated division by 2, or the recursive description) and binary to decimal;
- ``gates``: logic gates on 0/1 (AND, OR, NOT, NAND, NOR, XOR) defined in words, single gates and nested expressions
  such as NAND(1, OR(0, 1));
- ``truth``: truth values t/f with and/or/not written as the Prolog-rendered problems do (and(t, not(f)));
- ``eliza``: an ELIZA-style pattern → response program ('当用户说 "I am X" 时，Eliza 会回答 "Why are you X?"。'),
  with a default reply when no template matches;
- ``letters``: vowels and consonants by a stated vowel list (a e i o u, with or without y) and syllables counted as
  groups of consecutive vowels.

Sub-questions are mostly 4-option "X 转换后是什么？" questions whose wrong options are near misses (IIII for IV, the
remainders read the wrong way round, a neighbouring template's reply, the gate's complement), and some yes/no
judgements. :func:`check` recomputes every answer from the rendered text with separately written code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from .base import (ITEM, RIGHT_WRONG, Family, GenConfig, ask, check_range, choice, fresh, layout, question_body, register,
                   yes_no, yes_no_truth)

KINDS = ("roman", "words", "binary", "gates", "truth", "eliza", "letters")


@dataclass
class Config(GenConfig):
    max_roman: int = 399       # largest number converted to a Roman numeral
    max_binary: int = 63       # largest decimal number converted to binary
    max_word_number: int = 99  # largest number written in English words (below 20: the digit table only)
    expr_depth: int = 2        # nesting depth of gate and t/f expressions
    templates: int = 3         # templates of the ELIZA program

    LEVELS: ClassVar[dict] = {
        "easy": {"max_roman": 39, "max_binary": 15, "max_word_number": 9, "expr_depth": 1, "templates": 2,
                 "max_questions": 3},
        "medium": {"max_roman": 399, "max_binary": 63, "max_word_number": 99, "expr_depth": 2, "templates": 3},
        "hard": {"max_roman": 3999, "max_binary": 255, "max_word_number": 99, "expr_depth": 3, "templates": 4,
                 "min_questions": 3, "max_questions": 5},
    }

    def validate(self) -> None:
        super().validate()
        check_range("max_roman", 20, self.max_roman, minimum=20)
        if self.max_roman > 3999:
            raise ValueError("max_roman must be at most 3999")
        check_range("max_binary", 8, self.max_binary, minimum=8)
        check_range("max_word_number", 9, self.max_word_number, minimum=9)
        if self.max_word_number > 99:
            raise ValueError("max_word_number must be at most 99")
        check_range("expr_depth", 1, self.expr_depth)
        if self.expr_depth > 3:
            raise ValueError("expr_depth must be at most 3")
        check_range("templates", 2, self.templates, minimum=2)
        if self.templates > len(TEMPLATES):
            raise ValueError(f"templates must be at most {len(TEMPLATES)}")


# ---------------------------------------------------------------------------------------------------- shared helpers

def four(r, text, correct, wrong, steps):
    """A 4-option sub-question, or None where fewer than three distinct near misses exist."""
    sub = choice(r, text, correct, wrong, steps)
    return sub if sub is not None and len(sub["options"]) == 4 else None


def judge(r, claim: str, truth: bool, steps: list[str]) -> dict:
    """A yes/no sub-question on ``claim``: "claim吗？" (是/否) or a 正确/错误 judgement."""
    if r.random() < 0.7:
        gap = " " if claim[-1].isascii() and claim[-1].isalnum() else ""
        return yes_no(f"{claim}{gap}吗？", truth, steps)
    return yes_no(f"判断下面的说法是否正确：{claim}。", truth, steps, RIGHT_WRONG)


def shuffled(r, items) -> list:
    items = list(items)
    r.shuffle(items)
    return items


def tidy(text: str) -> str:
    """No space around 真（t）/假（f） or before full-width punctuation (the expression kinds pad every value)."""
    return re.sub(r" +([，。？；])", r"\1", re.sub(r" *(真（t）|假（f）) *", r"\1", text))


def quoted(words) -> str:
    return "、".join(f'"{w}"' for w in words)


# ------------------------------------------------------------------------------------------------------------- roman

ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
         (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
ADDITIVE = {"CM": "DCCCC", "CD": "CCCC", "XC": "LXXXX", "XL": "XXXX", "IX": "VIIII", "IV": "IIII"}
LETTER_VALUE = {s: v for v, s in ROMAN if len(s) == 1}


def roman_pieces(n: int) -> list[tuple[int, str]]:
    """Greedy split of ``n`` into table values, largest first."""
    pieces = []
    for v, s in ROMAN:
        while n >= v:
            pieces.append((v, s))
            n -= v
    return pieces


def to_roman(n: int) -> str:
    return "".join(s for _, s in roman_pieces(n))


def roman_table_steps(n: int) -> list[str]:
    out, rest = [], n
    for v, s in ROMAN:
        k = rest // v
        if k > 1:
            out.append(f'{rest} 中含 {k} 个 {v}，写下 "{s * k}"，剩下 {rest - k * v}')
        elif k == 1:
            out.append(f'{rest} ≥ {v}，写下 "{s}"，剩下 {rest - v}')
        rest -= k * v
    return ["从大到小依次取不超过剩余数值的最大规则值：" + "；".join(out) + "。", f"拼起来得到 {to_roman(n)}。"]


def roman_procedure_steps(n: int) -> list[str]:
    tens, units = divmod(n, 10)
    out = []
    if tens:
        out.append(f'{n} 在 {tens * 10} 到 {tens * 10 + 9} 之间，先写出 "{"X" * tens}"，剩下 {units}')
    if units in (4, 9):
        out.append(f'{units} 转换为 "{to_roman(units)}"')
    elif units >= 5:
        more = f'，再写 {units - 5} 个 "I"' if units > 5 else ""
        out.append(f'{units} 在 5 到 8 之间，先写出 "V"{more}')
    elif units:
        out.append(f'{units} 在 1 到 3 之间，写 {units} 个 "I"')
    return ["；".join(out) + "。", f"拼起来得到 {to_roman(n)}。"]


def roman_read_steps(n: int) -> list[str]:
    groups: list[list] = []
    for v, s in roman_pieces(n):
        if groups and groups[-1][1] == s:
            groups[-1][0] += v
            groups[-1][2] += s
        else:
            groups.append([v, s, s])
    parts = []
    for v, s, text in groups:
        if len(s) == 2:
            parts.append(f"{text} = {v}（{s[0]} 在 {s[1]} 左边，表示 {LETTER_VALUE[s[1]]} - {LETTER_VALUE[s[0]]}）")
        else:
            parts.append(f"{text} = {v}")
    total = " + ".join(str(g[0]) for g in groups)
    return [f"把 {to_roman(n)} 从左到右分段：" + "，".join(parts) + "。",
            f"合计 {total} = {n}。" if len(groups) > 1 else f"所以它表示 {n}。"]


def roman_near(n: int, top: int) -> list[str]:
    """Near misses of ``to_roman(n)``: additive forms, reversed pairs, neighbours, a dropped letter."""
    s = to_roman(n)
    out = []
    for pair, long in ADDITIVE.items():
        if pair in s:
            out.append(s.replace(pair, long, 1))
            out.append(s.replace(pair, pair[::-1], 1))
            break
    if len(s) >= 2 and s[-1] != s[-2]:
        out.append(s[:-2] + s[-1] + s[-2])
    for m in (n + 1, n - 1, n + 10, n - 10):
        if 1 <= m <= top:
            out.append(to_roman(m))
    if len(s) >= 2:
        out.append(s[:-1])
    return out


def roman_misread(n: int) -> list[int]:
    """Wrong readings of ``to_roman(n)``: every letter added, and neighbours."""
    added = sum(LETTER_VALUE[c] for c in to_roman(n))
    return ([added] if added != n else []) + [m for m in (n + 1, n - 1, n + 2, n - 2, n + 10) if m > 0]


def roman(rng, cfg: Config):
    procedure = cfg.max_roman <= 39 and rng.random() < 0.5
    top = 39 if procedure else cfg.max_roman
    used: set = set()

    def number(r):
        want_pair = r.random() < 0.6
        for _ in range(30):
            n = r.randint(1, top)
            if n not in used and (not want_pair or any(p in to_roman(n) for p in ADDITIVE)):
                used.add(n)
                return n
        return None

    def write_steps(n):
        return roman_procedure_steps(n) if procedure else roman_table_steps(n)

    def to_q(r):
        n = number(r)
        if n is None:
            return None
        text = r.choice([f"数字 {n} 转换为哪一个罗马数字？", f"按照以上规则，数字 {n} 会被转换为哪个罗马数字？"])
        return four(r, text, to_roman(n), shuffled(r, roman_near(n, top)), write_steps(n))

    def from_q(r):
        n = number(r)
        if n is None:
            return None
        s = to_roman(n)
        text = r.choice([f"罗马数字 {s} 表示的数字是多少？", f"哪个数字会被转换为罗马数字 {s}？"])
        wrong = roman_misread(n)
        return four(r, text, str(n), [str(m) for m in wrong[:1] + shuffled(r, wrong[1:])], roman_read_steps(n))

    def read_yn(r):
        n = number(r)
        if n is None:
            return None
        m = n if r.random() < 0.5 else r.choice(roman_misread(n)[:3])
        steps = roman_read_steps(n) + ([] if m == n else [f"它表示 {n}，不是 {m}。"])
        return judge(r, f"罗马数字 {to_roman(n)} 表示 {m}", m == n, steps)

    def write_yn(r):
        n = number(r)
        if n is None:
            return None
        w = to_roman(n) if r.random() < 0.5 else r.choice(roman_near(n, top)[:4])
        steps = write_steps(n) + ([] if w == to_roman(n) else [f"{w} 与 {to_roman(n)} 不同。"])
        return judge(r, f"数字 {n} 转换为罗马数字后是 {w}", w == to_roman(n), steps)

    def error_q(r):
        n = fresh(used, r.randint, 40, 60)
        if n is None:
            return None
        tens_only = "X" * (n // 10) + (to_roman(n % 10) if n % 10 else "")
        wrong = [to_roman(n), "XXX" + to_roman(n - 30), to_roman(n - 10), tens_only]
        steps = [f"程序只处理 1 到 39 之间的数字，{n} 超出了这个范围。", "所以转换时程序报错。"]
        return four(r, f"按照以上规则，数字 {n} 会被转换为哪个罗马数字？", "程序报错", wrong, steps)

    if procedure:
        intro = rng.choice(["有一个程序能把 1 到 39 之间的整数转换为罗马数字，转换过程如下：",
                            "某个程序把 1 到 39 的整数写成罗马数字，它按照下面的步骤进行："])
        facts = [f'如果数字在 {t} 到 {t + 9} 之间，先写出 "{"X" * (t // 10)}"，再把数字减去 {t}，继续转换剩下的部分。'
                 for t in (30, 20, 10)]
        facts += ['数字 9 转换为 "IX"，数字 4 转换为 "IV"。',
                  '如果数字在 5 到 8 之间，先写出 "V"，再把数字减去 5，剩下的每个 1 写一个 "I"。',
                  '如果数字在 1 到 3 之间，每个 1 写一个 "I"。',
                  "程序只处理 1 到 39 之间的数字，数字超出这个范围时报错。"]
        makers = [to_q, to_q, to_q, from_q, read_yn, write_yn, write_yn, error_q]
    else:
        intro = rng.choice(["有一个将阿拉伯数字转换为罗马数字的系统，以下是已知的转换规则：",
                            "有一个程序把整数转换成罗马数字，它使用的规则如下：",
                            f"罗马数字用字母表示数值。某个转换程序按照下面的规则处理 1 到 {top} 之间的整数："])
        row = rng.choice(['数字 {v} 转换为 "{s}"。', '{v} 对应罗马数字 "{s}"。', '数值 {v} 写作 "{s}"。'])
        facts = [row.format(v=v, s=s) for v, s in ROMAN if v <= top]
        facts += ["转换时，从大到小依次选取不超过剩余数值的最大规则值，写下它的符号并减去它，直到剩余为 0。",
                  "读罗马数字时，从左到右逐个看符号：如果一个符号的值小于它右边符号的值，就减去它，否则加上它。"]
        makers = [to_q, to_q, from_q, from_q, read_yn, write_yn]
    return intro, facts, makers


# ------------------------------------------------------------------------------------------------------------- words

DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TEEN_WORDS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
              "nineteen"]
TEN_WORDS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def to_words(n: int) -> str:
    if n < 10:
        return DIGIT_WORDS[n]
    if n < 20:
        return TEEN_WORDS[n - 10]
    tens, units = divmod(n, 10)
    return TEN_WORDS[tens - 2] + (f"-{DIGIT_WORDS[units]}" if units else "")


def words_steps(n: int) -> list[str]:
    w = to_words(n)
    if n < 10:
        return [f'按照对应关系，{n} 对应 "{w}"。']
    if n < 20:
        return [f'{n} 在 10 到 19 之间，直接查表得到 "{w}"。']
    if n % 10 == 0:
        return [f'{n} 是整十数，对应 "{w}"。']
    t, u = n - n % 10, n % 10
    return [f'{n} = {t} + {u}，{t} 写作 "{to_words(t)}"，{u} 写作 "{to_words(u)}"。', f'用连字符连接，得到 "{w}"。']


def words_near(n: int, top: int) -> list[int]:
    """Numbers whose words are near misses of ``n``'s: digits swapped, teen for ty, neighbours."""
    out = []
    tens, units = divmod(n, 10)
    if tens >= 1 and units >= 2 and units != tens:
        out.append(units * 10 + tens)
    if 13 <= n <= 19:
        out.append(units * 10)
    if units == 0 and 30 <= n <= 90:
        out.append(10 + tens)
    for m in (n + 1, n - 1, n + 10, n - 10, n + 2):
        if 0 <= m <= top:
            out.append(m)
    if top < 10:
        out += sorted(range(top + 1), key=lambda m: (abs(m - n), m))
    return [m for m in dict.fromkeys(out) if m != n]


def word_list(ds) -> str:
    return "[" + ", ".join(f"'{DIGIT_WORDS[d]}'" for d in ds) + "]"


def words(rng, cfg: Config):
    digits_only = cfg.max_word_number < 20 or rng.random() < 0.3
    top = 9 if digits_only else cfg.max_word_number
    used: set = set()
    label = rng.choice(["英语单词", "英文单词"])

    def number(r):
        low = 0 if digits_only else 11
        return fresh(used, r.randint, low, top)

    def to_q(r):
        n = number(r)
        if n is None:
            return None
        text = r.choice([f"数字 {n} 对应的{label}是什么？", f"数字 {n} 转换为{label}是什么？"])
        wrong = [to_words(m) for m in words_near(n, top)]
        return four(r, text, to_words(n), wrong[:2] + shuffled(r, wrong[2:]), words_steps(n))

    def from_q(r):
        n = number(r)
        if n is None:
            return None
        text = f'{label} "{to_words(n)}" 表示的数字是多少？'
        wrong = [str(m) for m in words_near(n, 99 if top > 9 else 9)]
        return four(r, text, str(n), wrong[:2] + shuffled(r, wrong[2:]), words_steps(n))

    def claim_yn(r):
        n = number(r)
        if n is None:
            return None
        m = n if r.random() < 0.5 else r.choice(words_near(n, top)[:3])
        steps = words_steps(n) + ([] if m == n else [f'"{to_words(m)}" 对应的是 {m}，不是 {n}。'])
        return judge(r, f'数字 {n} 对应的{label}是 "{to_words(m)}"', m == n, steps)

    def list_q(r):
        ds = fresh(used, tuple, r.sample(range(10), r.randint(3, 4)))
        if ds is None:
            return None
        ds = list(ds)
        i = r.randrange(len(ds) - 1)
        swapped = ds[:i] + [ds[i + 1], ds[i]] + ds[i + 2:]
        j = r.randrange(len(ds))
        shifted = ds[:j] + [(ds[j] + r.choice((1, 9))) % 10] + ds[j + 1:]
        steps = ["逐个查表：" + "，".join(f'{d} 对应 "{DIGIT_WORDS[d]}"' for d in ds) + "。",
                 f"按原来的顺序排列，结果是 {word_list(ds)}。"]
        text = f"如果将数字列表 [{', '.join(map(str, ds))}] 逐个转换为对应的单词，结果是什么？"
        return four(r, text, word_list(ds), [word_list(ds[::-1]), word_list(swapped), word_list(shifted)], steps)

    if digits_only:
        intro = rng.choice([f"有一组数字，我们要把每个数字转换为对应的{label}。以下是数字与单词的对应关系：",
                            f"考虑一个把 0 到 9 的数字文字化输出的系统，数字与{label}的对应如下：",
                            f"有一个程序把数字逐个翻译成{label}，它使用的对应表如下："])
        row = rng.choice(['{d} 对应 "{w}"。', '数字 {d} 转换为 "{w}"。', '数字 {d} 的英文写法是 "{w}"。'])
        order = list(range(1, 10)) + [0] if rng.random() < 0.5 else list(range(10))
        facts = [row.format(d=d, w=DIGIT_WORDS[d]) for d in order]
        makers = [to_q, to_q, from_q, list_q, list_q, claim_yn, claim_yn]
    else:
        example = rng.choice([n for n in range(21, 100) if n % 10])
        used.add(example)
        intro = rng.choice([f"有一个程序把 0 到 {top} 之间的整数写成{label}，它遵循以下规则：",
                            f"考虑一个把两位以内的整数转换为{label}的系统，转换规则如下："])
        verb = rng.choice(["依次对应", "依次写作"])
        facts = [f"0 到 9 {verb} {quoted(DIGIT_WORDS)}。", f"10 到 19 {verb} {quoted(TEEN_WORDS)}。",
                 f"20、30、40、50、60、70、80、90 {verb} {quoted(TEN_WORDS)}。",
                 f'其他两位数写成整十数的单词、连字符 "-" 和个位数的单词，例如 {example} 写作 "{to_words(example)}"。']
        makers = [to_q, to_q, from_q, claim_yn, claim_yn]
    return intro, facts, makers


# ------------------------------------------------------------------------------------------------------------ binary

def to_binary(n: int) -> str:
    digits = ""
    while n > 0:
        digits = str(n % 2) + digits
        n //= 2
    return digits or "0"


def from_binary(s: str) -> int:
    value = 0
    for c in s:
        value = value * 2 + (c == "1")
    return value


def division_steps(n: int, recursive: bool) -> list[str]:
    chain, m = [], n
    while m > 1:
        chain.append(f"{m} ÷ 2 = {m // 2} 余 {m % 2}")
        m //= 2
    s = to_binary(n)
    if recursive:
        grown = [s[: i + 1] for i in range(len(s))]
        return ["；".join(chain) + f"；{m} 的二进制形式是 \"{m}\"。",
                "从最内层往外，依次在末尾加上每一步的余数：" + " → ".join(grown) + "。"]
    return ["；".join(chain + [f"{m} ÷ 2 = 0 余 {m}"]) + "。", f"把余数从后往前读，得到 {s}。"]


def place_steps(s: str) -> list[str]:
    on = [2 ** (len(s) - 1 - i) for i, c in enumerate(s) if c == "1"]
    places = "、".join(str(2 ** k) for k in range(len(s)))
    if len(on) == 1:
        return [f"{s} 从右往左各位依次代表 {places}。", f"只有代表 {on[0]} 的那一位是 1，所以结果是 {on[0]}。"]
    return [f"{s} 从右往左各位依次代表 {places}。", f"值为 1 的位代表 {' + '.join(map(str, on))} = {sum(on)}。"]


def binary_near(n: int) -> list[str]:
    s = to_binary(n)
    i = 1 + (n * 7) % (len(s) - 1)
    flipped = s[:i] + ("1" if s[i] == "0" else "0") + s[i + 1:]
    out = [s[::-1], s[:i] + s[i + 1:], flipped, to_binary(n + 1), s + "0"]
    return out + ([to_binary(n - 1)] if n > 1 else [])


def binary_misread(n: int) -> list[int]:
    s = to_binary(n)
    return [from_binary(s[::-1]), n + 1, n - 1, n - 2 ** (len(s) - 1), 2 * n]


def binary(rng, cfg: Config):
    top = cfg.max_binary
    recursive = rng.random() < 0.4
    used: set = set()

    def number(r):
        return fresh(used, r.randint, 2, top)

    def to_q(r):
        n = number(r)
        if n is None:
            return None
        text = r.choice([f"十进制数 {n} 转换为二进制的结果是什么？",
                         f"当给定十进制数 {n} 时，其对应的二进制形式是多少？"])
        return four(r, text, to_binary(n), shuffled(r, binary_near(n)), division_steps(n, recursive))

    def from_q(r):
        n = number(r)
        if n is None:
            return None
        s = to_binary(n)
        text = r.choice([f"二进制数 {s} 表示的十进制数是多少？", f"二进制数 {s} 转换为十进制是多少？"])
        wrong = [str(m) for m in binary_misread(n) if m > 0]
        return four(r, text, str(n), wrong[:1] + shuffled(r, wrong[1:]), place_steps(s))

    def to_yn(r):
        n = number(r)
        if n is None:
            return None
        s = to_binary(n) if r.random() < 0.5 else r.choice(binary_near(n)[:4])
        steps = division_steps(n, recursive) + ([] if s == to_binary(n) else [f"结果是 {to_binary(n)}，不是 {s}。"])
        return judge(r, f"十进制数 {n} 转换为二进制的结果是 {s}", s == to_binary(n), steps)

    def from_yn(r):
        n = number(r)
        if n is None:
            return None
        m = n if r.random() < 0.5 else r.choice([x for x in binary_misread(n)[:3] if x > 0 and x != n])
        steps = place_steps(to_binary(n)) + ([] if m == n else [f"它等于 {n}，不是 {m}。"])
        return judge(r, f"二进制数 {to_binary(n)} 等于十进制数 {m}", m == n, steps)

    intro = rng.choice(["考虑一个在十进制数和二进制数之间转换的算法。它的规则如下：",
                        "有一个程序在十进制和二进制之间进行转换，它遵循以下规则：",
                        "二进制数只用 0 和 1 两个数字表示。下面是十进制数与二进制数相互转换的方法："])
    if recursive:
        facts = ['十进制数 0 的二进制形式是 "0"，1 的二进制形式是 "1"。',
                 "对于大于 1 的数 N，先求出 N 除以 2 的商（舍去小数部分）的二进制形式，"
                 "再在它的末尾加上 N 除以 2 的余数。"]
    else:
        facts = ["把十进制数不断除以 2，记下每一次的余数，直到商为 0 为止。",
                 "把这些余数按从最后一个到第一个的顺序排列，就得到二进制形式。"]
    facts += [rng.choice(["二进制数从右往左，各位依次代表 1、2、4、8、16……（即 2 的 0 次方、1 次方、2 次方……）。",
                          "二进制数的最右边一位代表 1，向左每移动一位，所代表的数乘以 2。"]),
              "把数字为 1 的那些位所代表的数加起来，就得到对应的十进制数。"]
    return intro, facts, [to_q, to_q, from_q, to_yn, from_yn]


# ------------------------------------------------------------------------------------------- gates and truth values

ARITY = {"AND": 2, "OR": 2, "NOT": 1, "NAND": 2, "NOR": 2, "XOR": 2}
GATE_RULES = {
    "AND": ["AND 运算仅当所有输入都为 1 时输出 1，否则输出 0。",
            "AND（与）：只有全部输入都是 1，结果才是 1，否则结果是 0。"],
    "OR": ["OR 运算只要有任意一个输入为 1 就输出 1，所有输入都为 0 时输出 0。",
           "OR（或）：至少有一个输入是 1 时结果为 1，否则为 0。"],
    "NOT": ["NOT 运算只有一个输入，它把输入值反转：0 变为 1，1 变为 0。", "NOT（非）：把 0 变成 1，把 1 变成 0。"],
    "NAND": ["NAND（与非）运算得到的是 AND 运算结果的 NOT。", "NAND：先做 AND 运算，再把结果取反。"],
    "NOR": ["NOR（或非）运算得到的是 OR 运算结果的 NOT。", "NOR：先做 OR 运算，再把结果取反。"],
    "XOR": ["XOR（异或）运算有两个输入，两个输入不同时输出 1，相同时输出 0。",
            "XOR（异或）：两个输入一个为 0、一个为 1 时结果为 1，否则为 0。"],
}
TRUTH_RULES = [
    ["逻辑“与”（and）操作：只有两个参数都是真（t）时，结果才为真（t），否则为假（f）。",
     "逻辑“或”（or）操作：只要有一个参数是真（t），结果就是真（t）；两个参数都是假（f）时结果为假（f）。",
     "逻辑“非”（not）操作：把真（t）变为假（f），把假（f）变为真（t）。"],
    ["and(A, B)：A 和 B 都为真（t）时结果为真（t），其余情况为假（f）。",
     "or(A, B)：A 和 B 中至少有一个为真（t）时结果为真（t），否则为假（f）。",
     "not(A)：A 为真（t）时结果为假（f），A 为假（f）时结果为真（t）。"],
]


def gate(op: str, vals: list[int]) -> int:
    if op == "AND":
        return int(all(vals))
    if op == "OR":
        return int(any(vals))
    if op == "NOT":
        return int(not vals[0])
    if op == "NAND":
        return int(not all(vals))
    if op == "NOR":
        return int(not any(vals))
    return int(vals[0] != vals[1])


def build(r, ops, depth):
    """A random expression tree: a leaf 0/1 or (op, args), at most ``depth`` deep, some branch exactly that deep."""
    if depth == 0:
        return r.randint(0, 1)
    op = r.choice(ops)
    args = [build(r, ops, depth - 1)] + [build(r, ops, r.randint(0, depth - 1)) for _ in range(ARITY[op] - 1)]
    return (op, tuple(shuffled(r, args)))


def value(e) -> int:
    if isinstance(e, int):
        return e
    return gate(e[0], [value(a) for a in e[1]])


def mutate(r, e, ops):
    """``e`` with one leaf flipped or one operator replaced by another of the same arity."""
    if isinstance(e, int):
        return 1 - e
    op, args = e
    i = r.randrange(len(args) + 1)
    if i == len(args):
        others = [o for o in ops if ARITY[o] == ARITY[op] and o != op]
        if others:
            return (r.choice(others), args)
        i = 0
    return (op, args[:i] + (mutate(r, args[i], ops),) + args[i + 1:])


class Notation:
    """How expressions are written: gates as NAND(1, 0), truth values as and(t, f)."""

    def __init__(self, truth: bool):
        self.truth = truth
        self.leaves = ("f", "t") if truth else ("0", "1")

    def show(self, e) -> str:
        if isinstance(e, int):
            return self.leaves[e]
        name = e[0].lower() if self.truth else e[0]
        return f"{name}({', '.join(self.show(a) for a in e[1])})"

    def word(self, v: int) -> str:
        return ("假（f）", "真（t）")[v] if self.truth else str(v)

    def chain(self, e) -> list[str]:
        """Evaluation of every operator node of ``e``, innermost first."""
        if isinstance(e, int):
            return []
        out = [x for a in e[1] for x in self.chain(a)]
        return out + [f"{self.show(e)} = {self.leaves[value(e)]}"]

    def steps(self, e) -> str:
        return "从最内层开始计算：" + "；".join(self.chain(e)) + "。"


def expressions(rng, cfg: Config, truth: bool):
    """Makers shared by the gate and t/f kinds, and the operators the problem defines."""
    note = Notation(truth)
    if truth:
        ops = ["AND", "OR", "NOT"]
    else:
        count = min(6, 2 + cfg.expr_depth + rng.randint(0, 1))
        ops = []
        while not set(ops) & {"NAND", "NOR", "XOR"}:
            drawn = rng.sample(list(ARITY), count)
            ops = [g for g in ARITY if g in drawn]
    used: set = set()

    def expr(r, want=None):
        for _ in range(40):
            e = build(r, ops, cfg.expr_depth if r.random() < 0.7 else max(1, cfg.expr_depth - 1))
            if note.show(e) not in used and (want is None or value(e) == want):
                used.add(note.show(e))
                return e
        return None

    def value_yn(r):
        e = expr(r)
        if e is None:
            return None
        v = value(e) if r.random() < 0.5 else 1 - value(e)
        steps = [tidy(f"所以表达式的值是 {note.word(value(e))}。")]
        return judge(r, tidy(f"表达式 {note.show(e)} 的值为 {note.word(v)}"), v == value(e), [note.steps(e)] + steps)

    def which_q(r):
        want = r.randint(0, 1)
        e = expr(r, want)
        if e is None:
            return None
        wrong: list = []
        for _ in range(30):
            m = mutate(r, e, ops) if r.random() < 0.6 else build(r, ops, cfg.expr_depth)
            if value(m) != want and all(note.show(m) != note.show(w) for w in wrong) and note.show(m) not in used:
                wrong.append(m)
            if len(wrong) == 3:
                break
        steps = [note.steps(x) for x in [e] + wrong]
        steps.append(tidy(f"只有 {note.show(e)} 的值是 {note.word(want)}，其他选项的值都是 {note.word(1 - want)}。"))
        text = tidy(f"下列哪个表达式的值为 {note.word(want)}？")
        return four(r, text, note.show(e), [note.show(w) for w in wrong], steps)

    def count_q(r):
        es = [expr(r) for _ in range(3)]
        if None in es:
            return None
        want = r.randint(0, 1)
        k = sum(value(e) == want for e in es)
        steps = [note.steps(e) for e in es] + [tidy(f"值为 {note.word(want)} 的共有 {k} 个。")]
        text = tidy(f"以下三个表达式中，值为 {note.word(want)} 的有几个：{'；'.join(map(note.show, es))}？")
        return four(r, text, f"{k} 个", [f"{j} 个" for j in range(4)], steps)

    return note, ops, used, expr, [value_yn, which_q, count_q]


INPUT_OPTIONS = ["0 和 0", "0 和 1", "1 和 0", "1 和 1"]
OTHER_OPTIONS = ["只能是 0", "只能是 1", "0 或 1 都可以", "不存在这样的输入"]


def gates(rng, cfg: Config):
    note, ops, used, expr, (value_yn, which_q, count_q) = expressions(rng, cfg, truth=False)
    wide = [g for g in ops if g in ("AND", "OR", "NAND", "NOR")]
    binary_ops = [g for g in ops if g != "NOT"]

    def multi_yn(r):
        if not wide:
            return None
        g = r.choice(wide)
        vals = tuple(r.randint(0, 1) for _ in range(r.choice((2, 3, 3))))
        if fresh(used, tuple, (g,) + vals) is None:
            return None
        out = gate(g, list(vals))
        v = out if r.random() < 0.5 else 1 - out
        shown = "、".join(map(str, vals[:-1])) + f" 和 {vals[-1]}"
        steps = [f"{g}({', '.join(map(str, vals))}) = {out}。"]
        return judge(r, f"将 {shown} 输入到 {g} 运算中，输出是 {v}", v == out, steps)

    def inputs_q(r):
        unique = {"AND": 1, "NOR": 1, "OR": 0, "NAND": 0}
        cands = [g for g in ops if g in unique]
        if not cands:
            return None
        g = fresh(used, r.choice, ["inputs " + c for c in cands])
        if g is None:
            return None
        g = g.split()[1]
        out = unique[g]
        pairs = [(a, b) for a in (0, 1) for b in (0, 1)]
        good = next(p for p in pairs if gate(g, list(p)) == out)
        steps = ["逐个检查：" + "，".join(f"{g}({a}, {b}) = {gate(g, [a, b])}" for a, b in pairs) + "。",
                 f"只有输入 {good[0]} 和 {good[1]} 时输出 {out}。"]
        correct = f"{good[0]} 和 {good[1]}"
        wrong = [o for o in INPUT_OPTIONS if o != correct]
        return four(r, f"下列哪组输入能使 {g} 运算输出 {out}？", correct, wrong, steps)

    def other_q(r):
        key = fresh(used, r.choice, [(g, a, o) for g in binary_ops for a in (0, 1) for o in (0, 1)])
        if key is None:
            return None
        g, a, o = key
        fits = [b for b in (0, 1) if gate(g, [a, b]) == o]
        correct = OTHER_OPTIONS[3] if not fits else OTHER_OPTIONS[2] if len(fits) == 2 else OTHER_OPTIONS[fits[0]]
        steps = [f"{g}({a}, 0) = {gate(g, [a, 0])}，{g}({a}, 1) = {gate(g, [a, 1])}。",
                 f"能使输出为 {o} 的另一个输入：{'、'.join(map(str, fits)) if fits else '没有'}。"]
        text = f"已知 {g} 运算的一个输入为 {a}，输出为 {o}，不考虑输入顺序，另一个输入可能是多少？"
        return four(r, text, correct, [x for x in OTHER_OPTIONS if x != correct], steps)

    intro = rng.choice(["在一个简化的数字系统中，只有 0 和 1 两种值，可以进行以下基本逻辑运算：",
                        "有一个逻辑电路模拟器，信号只取 0 或 1。它支持的逻辑门定义如下：",
                        "考虑只含 0 和 1 的逻辑运算，各种运算的规则如下："])
    style = rng.randrange(2)
    facts = [GATE_RULES[g][style] for g in ops]
    facts.append("表达式中括号里是运算的输入，例如 G(A, B) 表示把 A 和 B 输入运算 G；嵌套时先计算最内层的运算。")
    return intro, facts, [value_yn, multi_yn, which_q, count_q, inputs_q, other_q]


def truth(rng, cfg: Config):
    note, ops, used, expr, (value_yn, which_q, count_q) = expressions(rng, cfg, truth=True)

    def not_yn(r):
        e = expr(r)
        if e is None:
            return None
        v = r.randint(0, 1)
        inner = value(e)
        steps = [note.steps(e), f"原表达式的值是 {note.word(inner)}，应用“非”（not）操作后变为{note.word(1 - inner)}。"]
        return judge(r, f"如果对表达式 {note.show(e)} 应用“非”（not）操作，结果为{note.word(v)}", v == 1 - inner, steps)

    intro = rng.choice(["假设有一个逻辑系统，它只处理真（t）和假（f）两种值，可以直接对逻辑表达式求值。基本规则如下：",
                        "有一个程序用 t 表示真、f 表示假，对嵌套的逻辑表达式进行求值。它遵循以下规则：",
                        "我们在探讨一个处理逻辑表达式的系统，表达式的值只能是真（t）或假（f）。这里是它的基本运算："])
    facts = list(rng.choice(TRUTH_RULES)) + ["表达式可以嵌套，计算时先求最内层括号中的值。"]
    return intro, facts, [value_yn, not_yn, which_q, which_q, count_q, count_q]


# ------------------------------------------------------------------------------------------------------------- eliza

# (pattern, reply, fillers for X)
TEMPLATES = [
    ("I am X", "Why are you X?", ["very hungry", "tired today", "a little sad", "so happy", "worried about work"]),
    ("I X you", "Why do you X me?", ["love", "hate", "miss", "trust", "believe"]),
    ("I feel X", "Do you often feel X?", ["lonely", "nervous", "sleepy", "cold"]),
    ("I need X", "Why do you need X?", ["some help", "a holiday", "more sleep", "a new phone"]),
    ("You are X", "What makes you think I am X?", ["very smart", "a robot", "too slow", "my friend"]),
    ("My X hurts", "How long has your X been hurting?", ["head", "back", "left leg", "tooth"]),
    ("I can't X", "How do you know you can't X?", ["swim", "sleep at night", "find my keys", "sing"]),
]
STRAYS = ["I was very tired", "We are friends", "Hello there", "He loves me", "It is raining", "They need help"]
DEFAULT_REPLIES = ["Please go on.", "Tell me more.", "I see.", "Please tell me more about it."]


def template_match(pattern: str, text: str):
    """The X of ``text`` under ``pattern``, or None."""
    head, tail = pattern.split("X")
    if text.startswith(head) and text.endswith(tail) and len(text) > len(head) + len(tail):
        return text[len(head): len(text) - len(tail)]
    return None


def eliza(rng, cfg: Config):
    name = rng.choice(["Eliza", "ELIZA"])
    chosen = rng.sample(TEMPLATES, cfg.templates)
    default = rng.choice(DEFAULT_REPLIES)
    others = [t for t in TEMPLATES if t not in chosen]
    used: set = set()

    def respond(text):
        for pattern, reply, _ in chosen:
            x = template_match(pattern, text)
            if x is not None:
                return pattern, x, reply.replace("X", x)
        return None, None, default

    def sentence(r, matched):
        for _ in range(20):
            if matched:
                pattern, _, fills = r.choice(chosen)
                x = r.choice(fills)
            elif r.random() < 0.7:
                pattern, _, fills = r.choice(others)
                x = r.choice(fills)
            else:
                pattern, x = "X", r.choice(STRAYS)
            text = pattern.replace("X", x)
            x = x if pattern != "X" else x.split()[-1]
            hits = [p for p, _, _ in chosen if template_match(p, text) is not None]
            if text not in used and len(hits) == (1 if matched else 0):
                used.add(text)
                return text, x
        return None, None

    def steps_for(text):
        pattern, x, out = respond(text)
        if pattern is None:
            return [f'"{text}" 不符合任何一个模板（{quoted(p for p, _, _ in chosen)}）。',
                    f'因此 {name} 给出默认回答 "{out}"。']
        reply = next(a for p, a, _ in chosen if p == pattern)
        return [f'"{text}" 符合模板 "{pattern}"，其中 X 是 "{x}"。', f'把 X 代入回答 "{reply}"，得到 "{out}"。']

    def near(text, x):
        pattern, _, out = respond(text)
        wrong = [a.replace("X", x) for p, a, _ in chosen if p != pattern]
        if pattern is None:
            wrong += [a for _, a, _ in chosen]
        else:
            wrong = [next(a for p, a, _ in chosen if p == pattern)] + wrong + [default]
            words = x.split()
            if len(words) > 1:
                wrong.append(out.replace(x, words[-1]))
        return [w for w in wrong if w != out]

    def reply_q(r):
        text, x = sentence(r, r.random() < 0.75)
        if text is None:
            return None
        q = r.choice([f'如果用户说 "{text}"，{name} 会回答什么？', f'当用户输入 "{text}" 时，{name} 会如何回应？'])
        return four(r, q, respond(text)[2], shuffled(r, near(text, x)), steps_for(text))

    def reply_yn(r):
        text, x = sentence(r, r.random() < 0.75)
        if text is None:
            return None
        out = respond(text)[2]
        said = out if r.random() < 0.5 else r.choice(near(text, x)[:3])
        return judge(r, f'用户说 "{text}" 时，{name} 会回答 "{said}"', said == out, steps_for(text))

    def which_q(r):
        if len(chosen) < 3:
            return None
        text, _ = sentence(r, r.random() < 0.7)
        if text is None:
            return None
        pattern = respond(text)[0]
        correct = pattern or "没有匹配的模板"
        wrong = shuffled(r, [p for p, _, _ in chosen if p != pattern] + ([] if pattern is None else ["没有匹配的模板"]))
        return four(r, f'用户说 "{text}" 时，{name} 使用的是哪个模板？', correct, wrong, steps_for(text)[:1])

    intro = rng.choice([f"我们有一个语言处理模型 {name}，它通过模板匹配和替换来进行对话。以下是它的模板：",
                        f"在下面的情景中，你会遇到一个聊天程序 {name}，它根据固定的句型对用户的话做出回应：",
                        f"有一个简单的对话程序 {name}，它把用户的输入与下面的模板逐一比较，并按模板给出回答："])
    row = rng.choice(['当用户说 "{p}" 时，{n} 会回答 "{a}"。', '如果用户输入 "{p}"，{n} 就回应 "{a}"。'])
    facts = [row.format(p=p, a=a, n=name) for p, a, _ in chosen]
    facts += [f'如果用户说的话不符合任何模板，{name} 会回答 "{default}"。',
              "模板中的 X 代表句子中其余的部分，回答时原样保留。"]
    return intro, facts, [reply_q, reply_q, reply_q, which_q, reply_yn, reply_yn]


# ----------------------------------------------------------------------------------------------------------- letters

WORDS = ["rhythm", "myth", "gym", "sky", "happy", "system", "crystal", "yellow", "mystery", "beyond", "player",
         "lazy", "puzzle", "garden", "banana", "computer", "window", "queue", "beautiful", "onion", "idea", "music",
         "orange", "school", "bread", "rainy", "journey", "mountain", "apple", "lemon", "tiger", "dream", "yoga",
         "cloud", "strength", "pyramid", "oxygen", "planet", "story", "monkey"]
ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def vowel_groups(word: str, vowels: str) -> list[str]:
    groups, current = [], ""
    for c in word:
        if c in vowels:
            current += c
        elif current:
            groups.append(current)
            current = ""
    return groups + ([current] if current else [])


def letters(rng, cfg: Config):
    with_y = rng.random() < 0.5
    vowels = "aeiouy" if with_y else "aeiou"
    other = "aeiou" if with_y else "aeiouy"
    consonants = [c for c in ALPHABET if c not in vowels]
    used: set = set()

    def word(r):
        return fresh(used, r.choice, WORDS)

    def pick_q(r, want_vowel):
        right, wrong = (list(vowels), consonants) if want_vowel else (consonants, list(vowels))
        c = "y" if "y" in right and r.random() < 0.4 else r.choice(right)
        kind = "元音" if want_vowel else "辅音"
        distract = r.sample([x for x in wrong if x != c], 3)
        steps = [f"元音字母是 {'、'.join(vowels)}，其余字母都是辅音字母。", f"选项中只有 {c} 是{kind}字母。"]
        return four(r, f"下列哪个字母是{kind}字母？", c, distract, steps)

    def vowel_pick(r):
        return pick_q(r, True)

    def consonant_pick(r):
        return pick_q(r, False)

    def count_q(r):
        w = word(r)
        if w is None:
            return None
        found = [c for c in w if c in vowels]
        n = len(found)
        wrong = [sum(c in other for c in w)] + [m for m in (n + 1, n - 1, n + 2, n + 3) if m >= 0]
        steps = [f"\"{w}\" 中的元音字母有：{'、'.join(found) if found else '没有'}。", f"共 {n} 个。"]
        return four(r, f'单词 "{w}" 中有几个元音字母？', str(n), [str(m) for m in wrong], steps)

    def syllable_steps(w):
        groups = vowel_groups(w, vowels)
        found = "、".join(groups) if groups else "没有"
        return [f'"{w}" 中连续的元音字母组有：{found}。', f"所以它有 {len(groups)} 个音节。"]

    def syllable_q(r):
        w = word(r)
        if w is None:
            return None
        n = len(vowel_groups(w, vowels))
        wrong = [sum(c in vowels for c in w), len(vowel_groups(w, other))] + [n + 1, n - 1, n + 2]
        wrong = [m for m in wrong if m >= min(n, 1)]
        text = r.choice([f'按照这个程序，单词 "{w}" 有几个音节？', f'单词 "{w}" 会被分成几个音节？'])
        return four(r, text, str(n), [str(m) for m in wrong if m >= 0], syllable_steps(w))

    def letter_yn(r):
        want = r.random() < 0.5
        kind = r.choice(["元音", "辅音"])
        pool = list(vowels) if (kind == "元音") == want else consonants
        c = "y" if "y" in pool and r.random() < 0.4 else r.choice(pool)
        if fresh(used, str, "letter " + c) is None:
            return None
        is_vowel = c in vowels
        where, sort = ("在", "元音") if is_vowel else ("不在", "辅音")
        steps = [f"元音字母是 {'、'.join(vowels)}。", f"{c} {where}其中，所以它是{sort}字母。"]
        return judge(r, f"按照这个程序，字母 {c} 是{kind}字母", (kind == "元音") == is_vowel, steps)

    def syllable_yn(r):
        w = word(r)
        if w is None:
            return None
        n = len(vowel_groups(w, vowels))
        near = [m for m in (n + 1, n - 1, sum(c in vowels for c in w)) if min(n, 1) <= m != n]
        k = n if r.random() < 0.5 else r.choice(near)
        return judge(r, f'单词 "{w}" 有 {k} 个音节', k == n, syllable_steps(w))

    intro = rng.choice(["有一个程序可以教孩子如何把英语单词分成音节，它使用以下规则：",
                        "有一个简单的英语单词分析程序，它按下面的规则区分元音和辅音，并估计单词的音节数："])
    if rng.random() < 0.5:
        facts = [f"程序定义了元音字母：{'、'.join(vowels)}。", "程序认为除了元音字母以外的所有字母都是辅音字母。",
                 "单词中每一段连续的元音字母算作一个音节，单词的音节数就是这样的段数。"]
    else:
        note = "（y 也算元音字母）" if with_y else "（y 不算元音字母）"
        facts = [f"元音字母是 {'、'.join(vowels)}{note}。", "其余的英文字母都是辅音字母。",
                 "把单词中相邻的元音字母合成一组，每一组对应一个音节。"]
    makers = [vowel_pick, consonant_pick, count_q, syllable_q, syllable_q, letter_yn, letter_yn, syllable_yn]
    return intro, facts, makers


BUILDERS = {"roman": roman, "words": words, "binary": binary, "gates": gates, "truth": truth, "eliza": eliza,
            "letters": letters}


def generate(rng, cfg: Config):
    kind = rng.choice(KINDS)
    intro, facts, makers = BUILDERS[kind](rng, cfg)
    return layout(intro, facts), ask(rng, cfg, makers)


# ============================================================================================================= check
# Independent re-derivation from the rendered text: Roman numerals read by subtractive pairs and written digit by
# digit, number words composed from the word lists parsed out of the problem, binary by Python's int/format,
# expressions by rewriting the innermost call until a value is left, templates as regular expressions.

_NUMERAL = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_DIGIT_SYMBOLS = (("M", "?", "?"), ("C", "D", "M"), ("X", "L", "C"), ("I", "V", "X"))
_DIGIT_SHAPES = ("", "a", "aa", "aaa", "ab", "b", "ba", "baa", "baaa", "ac")
_CALL = re.compile(r"([A-Za-z]+)\(([^()]*)\)")
_OPS = {"and": min, "or": max, "AND": min, "OR": max}


def _read_roman(s: str) -> int:
    total, i = 0, 0
    while i < len(s):
        if i + 1 < len(s) and _NUMERAL[s[i]] < _NUMERAL[s[i + 1]]:
            total += _NUMERAL[s[i + 1]] - _NUMERAL[s[i]]
            i += 2
        else:
            total += _NUMERAL[s[i]]
            i += 1
    return total


def _write_roman(n: int) -> str:
    digits = (n // 1000, n // 100 % 10, n // 10 % 10, n % 10)
    out = ""
    for (one, five, ten), d in zip(_DIGIT_SYMBOLS, digits):
        out += _DIGIT_SHAPES[d].replace("a", one).replace("b", five).replace("c", ten)
    return out


def _claim(t: str):
    m = re.fullmatch(r"判断下面的说法是否正确：(.*)。", t) or re.fullmatch(r"(.*)吗？", t)
    return m.group(1).strip() if m else None


def _facts(problem: str) -> list[str]:
    return [m.group(1) for m in re.finditer(ITEM + r"(.+)$", problem, re.M)]


def _check_roman(problem, t, options):
    limit = int(re.search(r"只处理 1 到 (\d+)", problem).group(1)) if "报错" in problem else 3999
    claim = _claim(t)
    if claim and (m := re.match(r"罗马数字 ([IVXLCDM]+) 表示 (\d+)$", claim)):
        return _read_roman(m.group(1)) == int(m.group(2))
    if claim and (m := re.match(r"数字 (\d+) 转换为罗马数字后是 (\S+)$", claim)):
        return _write_roman(int(m.group(1))) == m.group(2)
    if m := re.search(r"罗马数字 ([IVXLCDM]+)", t):
        return [o == str(_read_roman(m.group(1))) for o in options]
    n = int(re.search(r"数字 (\d+)", t).group(1))
    target = "程序报错" if n > limit else _write_roman(n)
    return [o == target for o in options]


def _number_words(problem: str) -> dict:
    ones, teens, tens, table = [], [], [], {}
    for line in _facts(problem):
        found = re.findall(r'"([a-z]+)"', line)
        if line.startswith("0 到 9"):
            ones = found
        elif line.startswith("10 到 19"):
            teens = found
        elif line.startswith("20、30"):
            tens = found
        elif m := re.match(r'(?:数字 )?(\d) (?:对应|转换为|的英文写法是) "([a-z]+)"', line):
            table[int(m.group(1))] = m.group(2)
    if ones:
        table = dict(enumerate(ones))
        table.update({10 + i: w for i, w in enumerate(teens)})
        for i, w in enumerate(tens):
            table[20 + 10 * i] = w
            table.update({20 + 10 * i + u: f"{w}-{ones[u]}" for u in range(1, 10)})
    return table


def _check_words(problem, t, options):
    table = _number_words(problem)
    claim = _claim(t)
    if claim:
        m = re.match(r'数字 (\d+) 对应的英[语文]单词是 "([a-z-]+)"$', claim)
        return table[int(m.group(1))] == m.group(2)
    if m := re.search(r"数字列表 \[([\d, ]+)\]", t):
        target = "[" + ", ".join("'" + table[int(x)] + "'" for x in m.group(1).split(", ")) + "]"
        return [o == target for o in options]
    if m := re.search(r'单词 "([a-z-]+)" 表示的数字', t):
        inverse = {w: n for n, w in table.items()}
        return [o == str(inverse[m.group(1)]) for o in options]
    n = int(re.search(r"数字 (\d+)", t).group(1))
    return [o == table[n] for o in options]


def _check_binary(t, options):
    claim = _claim(t)
    if claim and (m := re.match(r"十进制数 (\d+) 转换为二进制的结果是 (\S+)$", claim)):
        return format(int(m.group(1)), "b") == m.group(2)
    if claim and (m := re.match(r"二进制数 ([01]+) 等于十进制数 (\d+)$", claim)):
        return int(m.group(1), 2) == int(m.group(2))
    if m := re.search(r"十进制数 (\d+)", t):
        return [o == format(int(m.group(1)), "b") for o in options]
    s = re.search(r"二进制数 ([01]+)", t).group(1)
    return [o == str(int(s, 2)) for o in options]


def _apply(name: str, args: list[int]) -> int:
    if name in _OPS:
        return _OPS[name](args)
    if name.upper() == "NOT":
        return 1 - args[0]
    if name == "NAND":
        return 1 - min(args)
    if name == "NOR":
        return 1 - max(args)
    return sum(args) % 2  # XOR


def _evaluate(expr: str) -> int:
    expr = re.sub(r"\bt\b", "1", re.sub(r"\bf\b", "0", expr.strip()))
    while m := _CALL.search(expr):
        args = [int(a) for a in m.group(2).split(",")]
        expr = expr[: m.start()] + str(_apply(m.group(1), args)) + expr[m.end():]
    return int(expr)


def _truth_word(text: str) -> int:
    return {"1": 1, "0": 0, "真（t）": 1, "假（f）": 0}[text.strip()]


def _check_logic(t, options):
    claim = _claim(t)
    value_word = r"([01]|真（t）|假（f）)"
    if claim and (m := re.match(r"表达式 (.+) 的值[为是] ?" + value_word + "$", claim)):
        return _evaluate(m.group(1)) == _truth_word(m.group(2))
    if claim and (m := re.match(r"如果对表达式 (.+) 应用“非”（not）操作，结果为" + value_word + "$", claim)):
        return 1 - _evaluate(m.group(1)) == _truth_word(m.group(2))
    if claim and (m := re.match(r"将 (.+) 输入到 (\w+) 运算中，输出是 ([01])$", claim)):
        return _apply(m.group(2), [int(x) for x in re.findall(r"[01]", m.group(1))]) == int(m.group(3))
    if m := re.match(r"下列哪个表达式的值为 ?" + value_word + "？$", t):
        return [_evaluate(o) == _truth_word(m.group(1)) for o in options]
    if m := re.match(r"以下三个表达式中，值为 ?" + value_word + " ?的有几个：(.+)？$", t):
        k = sum(_evaluate(e) == _truth_word(m.group(1)) for e in m.group(2).split("；"))
        return [o == f"{k} 个" for o in options]
    if m := re.match(r"下列哪组输入能使 (\w+) 运算输出 ([01])？$", t):
        return [_apply(m.group(1), [int(x) for x in re.findall(r"[01]", o)]) == int(m.group(2)) for o in options]
    m = re.match(r"已知 (\w+) 运算的一个输入为 ([01])，输出为 ([01])", t)
    fits = [b for b in (0, 1) if _apply(m.group(1), [int(m.group(2)), b]) == int(m.group(3))]
    target = {(): "不存在这样的输入", (0,): "只能是 0", (1,): "只能是 1", (0, 1): "0 或 1 都可以"}[tuple(fits)]
    return [o == target for o in options]


def _check_eliza(problem, t, options):
    rules, default = [], None
    for line in _facts(problem):
        found = re.findall(r'"([^"]+)"', line)
        if len(found) == 2 and "X" in found[0]:
            head, tail = found[0].split("X")
            rules.append((found[0], re.compile(re.escape(head) + "(.+)" + re.escape(tail)), found[1]))
        elif len(found) == 1:
            default = found[0]
    said = re.findall(r'"([^"]+)"', t)
    pattern, reply = "没有匹配的模板", default
    for p, rx, answer in rules:
        if m := rx.fullmatch(said[0]):
            pattern, reply = p, answer.replace("X", m.group(1))
            break
    if _claim(t):
        return said[1] == reply
    if "哪个模板" in t:
        return [o == pattern for o in options]
    return [o == reply for o in options]


def _check_letters(problem, t, options):
    line = next(x for x in _facts(problem) if "元音字母" in x and re.search(r"[a-z]、", x))
    vowels = re.search(r"[a-z](?:、[a-z])+", line).group(0).split("、")
    claim = _claim(t)
    if claim and (m := re.search(r"字母 ([a-z]) 是(元音|辅音)字母$", claim)):
        return (m.group(1) in vowels) == (m.group(2) == "元音")
    if claim:
        m = re.match(r'单词 "([a-z]+)" 有 (\d+) 个音节$', claim)
        return len(re.findall("[" + "".join(vowels) + "]+", m.group(1))) == int(m.group(2))
    if m := re.search(r"哪个字母是(元音|辅音)字母", t):
        return [(o in vowels) == (m.group(1) == "元音") for o in options]
    w = re.search(r'单词 "([a-z]+)"', t).group(1)
    if "元音字母" in t:
        n = sum(w.count(v) for v in vowels)
    else:
        n = len(re.findall("[" + "".join(vowels) + "]+", w))
    return [o == str(n) for o in options]


def check(record):
    problem = record["problem"]
    verdicts = []
    for q in record["questions"]:
        t = question_body(q).strip()
        options = q["options"]
        if "Eliza" in problem or "ELIZA" in problem:
            result = _check_eliza(problem, t, options)
        elif "罗马数字" in problem:
            result = _check_roman(problem, t, options)
        elif "二进制" in problem:
            result = _check_binary(t, options)
        elif "元音字母" in problem:
            result = _check_letters(problem, t, options)
        elif "英语单词" in problem or "英文单词" in problem:
            result = _check_words(problem, t, options)
        elif "真（t）" in problem or re.search(r"[01]", problem):
            result = _check_logic(t, options)
        else:
            raise ValueError(f"unknown encodings question: {t}")
        if isinstance(result, bool):
            result = [yes_no_truth(o, result) for o in options]
        verdicts.append(result)
    return verdicts


FAMILY = register(Family(
    name="encodings",
    title="conversions and symbolic evaluation (Roman numerals, number words, binary, logic gates, pattern replies)",
    weight=11, config=Config, generate=generate, check=check,
))
