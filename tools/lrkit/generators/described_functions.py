"""Functions and small programs described in words, asked for their output on given inputs.

Kinds (one per problem), each in the phrasings of the real problems (``../shared/data/round1_train_data.jsonl``:
"有一个函数/程序/游戏……", the rules as a numbered list "1. 如果……，则……" or one paragraph):

- temperature: Celsius to Fahrenheit (F = C × 9/5 + 32), then a label by thresholds ("如果华氏度大于 90，输出“太热了”");
- grade: a score mapped to a letter grade by bands ("如果分数为 80 或以上但少于 90，等级为B。");
- score: the higher of two exam scores, capped ("先从期中考试和补考中取较高分作为得分，再取这个得分和 65 中的较小值");
- piecewise: an integer function f(x) defined by cases ("当 x < 2 时，f(x) = 2 * x + 1");
- fizzbuzz: FizzBuzz and FizzBuzzBazz (divisible by 3 → Fizz, 5 → Buzz, 7 → Bazz, combined in order, else the number);
- between: is X strictly or inclusively between two bounds, which number is (not) between, how many integers are;
- fromto: a generator of the integers From..To (nothing if From > To), or their sum (0 if From > To);
- division: quotient and remainder of integer division by repeated subtraction;
- spf: the smallest prime factor of N by trial division from 2;
- multiples: a multiple of a, a multiple of b and odd (or even) → a named property; which condition fails;
- quadratic: the discriminant B^2 - 4AC, the kind of solutions, whether x = r solves Ax^2 + Bx + C = 0;
- digits: has a repeated digit, is a two-digit number, are all digits even.

Sub-questions are mostly "对于输入 X，输出是什么？" with four options (near misses: a neighbouring rule's result, an
off-by-one, the other category) and some yes/no ("输入 X 时输出是否为 Y？"), every one on its own input.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from math import isqrt
from typing import ClassVar

from .base import (ITEM, OUTRO, Family, GenConfig, ask, check_range, choice, fmt_list, fresh, layout, near_numbers,
                   numbered, parse_list, question_body, register, yes_no, yes_no_truth)


@dataclass
class Config(GenConfig):
    max_value: int = 60   # inputs (temperatures, dividends, N) stay about this size
    categories: int = 4   # output categories of the threshold kinds (temperature labels; grade bands less one)

    LEVELS: ClassVar[dict] = {
        "easy": {"max_value": 30, "categories": 3, "max_questions": 3},
        "medium": {"max_value": 60, "categories": 4},
        "hard": {"max_value": 150, "categories": 4, "min_questions": 3, "max_questions": 5},
    }

    def validate(self) -> None:
        super().validate()
        check_range("max_value", 20, self.max_value, minimum=20)
        if self.max_value > 500:
            raise ValueError("max_value must be at most 500")
        check_range("categories", 3, self.categories, minimum=3)
        if self.categories > 4:
            raise ValueError("categories must be 3 or 4")


def numbers(values, correct: int, low=None) -> list[str]:
    """Wrong numeric options: ``values`` first, then off-by-a-little ones, as strings (none below ``low``)."""
    out = [str(v) for v in values if v != correct] + near_numbers(correct, (1, -1, 2, -2, 3))
    return [v for v in out if low is None or int(v) >= low]


def verdict(truth: bool, shown) -> str:
    return f"与题中的 {shown} 一致，所以应选“是”。" if truth else f"而不是 {shown}，所以应选“否”。"


# ---------------------------------------------------------------- temperature

TEMP_INTROS = ["有一个函数用来将摄氏温度转换成华氏温度，并根据华氏温度给出相应的提示。该函数的工作原理如下：",
               "以下是一个关于温度转换的程序：它先把摄氏温度转换为华氏温度，再根据转换后的温度给出对应的信息。规则如下：",
               "有一个温度提示系统，输入摄氏温度后，它按以下步骤工作："]
FORMULAS = ["把摄氏度（C）乘以 9/5，然后加上 32，得到华氏度（F）。", "华氏温度 F = 9/5 × C + 32，其中 C 是摄氏温度。",
            "先把摄氏温度 C 乘以 1.8，再加上 32，得到华氏温度 F。"]
# Labels from the hottest to the coldest.
LABELS3 = [("太热了", "正常且舒适", "太冷了"), ("炎热", "舒适", "寒冷"), ("温度过高", "温度适宜", "温度过低")]
LABELS4 = [("温度太高", "温度高", "温度宜人", "温度寒冷"), ("酷热", "炎热", "舒适", "寒冷")]


def fmt_tenths(t: int) -> str:
    """``t`` tenths as a decimal: 464 -> "46.4", 410 -> "41", -36 -> "-3.6"."""
    whole, frac = divmod(abs(t), 10)
    return ("-" if t < 0 else "") + str(whole) + (f".{frac}" if frac else "")


def temperature(rng, cfg: Config):
    four = cfg.categories >= 4 and rng.random() < 0.6
    labels = rng.choice(LABELS4 if four else LABELS3)
    lo, hi = rng.choice([30, 32, 40, 45, 50]), rng.choice([80, 85, 86, 90, 95])
    top = rng.choice([104, 110, 120]) if four else None
    term, verb = rng.choice(["华氏度", "华氏温度"]), rng.choice(["输出", "显示"])
    cmax = min(100, max(40, cfg.max_value))
    cmin = -cmax // 2
    rules = [rng.choice(FORMULAS)]
    if four:
        rules.append(f"如果{term}大于 {top}，{verb}“{labels[0]}”。")
        rules.append(f"如果{term}大于 {hi} 且不超过 {top}，{verb}“{labels[1]}”。")
    else:
        rules.append(f"如果{term}大于 {hi}，{verb}“{labels[0]}”。")
    rules.append(f"如果{term}小于 {lo}，{verb}“{labels[-1]}”。")
    if rng.random() < 0.5:
        rules.append(f"如果{term}在 {lo} 到 {hi} 之间（包括 {lo} 和 {hi}），{verb}“{labels[-2]}”。")
    else:
        rules.append(f"否则，{verb}“{labels[-2]}”。")
    used: set = set()
    wording = rng.randrange(2)

    def draw_c(r):
        if r.random() < 0.5:
            bound = r.choice([lo, hi] + ([top] if four else []))
            return max(cmin, min(cmax, round((bound - 32) * 5 / 9) + r.randint(-2, 2)))
        return r.randint(cmin, cmax)

    def label_of(t):
        """The label for ``t`` tenths of a degree Fahrenheit, and why."""
        f = fmt_tenths(t)
        if four and t > 10 * top:
            return 0, f"{f} 大于 {top}"
        if t > 10 * hi:
            return (1 if four else 0), f"{f} 大于 {hi}" + (f" 且不超过 {top}" if four else "")
        if t < 10 * lo:
            return len(labels) - 1, f"{f} 小于 {lo}"
        return len(labels) - 2, f"{f} 在 {lo} 到 {hi} 之间"

    def convert(c):
        return f"{c} × 9/5 = {fmt_tenths(18 * c)}，再加上 32，得到华氏温度 {fmt_tenths(18 * c + 320)}。"

    def value_q(r):
        c = fresh(used, draw_c, r)
        if c is None:
            return None
        t = 18 * c + 320
        text = [f"当摄氏度为 {c} 度时，对应的华氏度是多少？", f"将摄氏温度 {c} 度转换为华氏温度，结果是多少？"][wording]
        wrong = [t + 18, t - 18, 18 * c, 20 * c + 300, 18 * c + 576]
        r.shuffle(wrong)
        return choice(r, text, fmt_tenths(t), [fmt_tenths(w) for w in wrong], [convert(c)])

    def value_yn(r):
        c = fresh(used, draw_c, r)
        if c is None:
            return None
        t = 18 * c + 320
        shown = t if r.random() < 0.5 else r.choice([t + 18, t - 18, 18 * c, 20 * c + 300])
        truth = shown == t
        steps = [convert(c), f"华氏温度是 {fmt_tenths(t)} 度，" + verdict(truth, fmt_tenths(shown))]
        return yes_no(f"摄氏温度 {c} 度对应的华氏温度是 {fmt_tenths(shown)} 度吗？", truth, steps)

    def label_q(r):
        c = fresh(used, draw_c, r)
        if c is None:
            return None
        i, why = label_of(18 * c + 320)
        text = [f"输入摄氏温度 {c} 度时，程序{verb}什么？", f"当摄氏温度为 {c} 度时，{verb}的信息是什么？"][wording]
        others = sorted((j for j in range(len(labels)) if j != i), key=lambda j: (abs(j - i), r.random()))
        wrong = [labels[j] for j in others] + [f"不{verb}任何内容"]
        return choice(r, text, labels[i], wrong, [convert(c), f"{why}，所以{verb}“{labels[i]}”。"])

    def label_yn(r):
        c = fresh(used, draw_c, r)
        if c is None:
            return None
        i, why = label_of(18 * c + 320)
        truth = r.random() < 0.5
        shown = labels[i] if truth else labels[i + 1 if i + 1 < len(labels) and (i == 0 or r.random() < 0.5) else i - 1]
        end = "与题中一致，所以应选“是”。" if truth else f"而不是“{shown}”，所以应选“否”。"
        steps = [convert(c), f"{why}，应{verb}“{labels[i]}”，{end}"]
        return yes_no(f"摄氏温度为 {c} 度时，程序是否会{verb}“{shown}”？", truth, steps)

    text = layout(rng.choice(TEMP_INTROS), rules)
    return text, [value_q, value_q, label_q, label_q, value_yn, label_yn, label_yn]


# ---------------------------------------------------------------- grade

GRADE_INTROS = ["考虑以下情况：根据一个人的得分，我们可以给他一个字母等级。评分标准如下：",
                "在一所学校里，每位学生的考试成绩（0 到 100 的整数）按以下标准划分为不同的等级：",
                "有一个函数根据学生的分数返回对应的等级，规则如下："]


def grade(rng, cfg: Config):
    bands = min(5, cfg.categories + 1)
    letters = list("ABCD"[: bands - 1]) + [rng.choice(["E", "F"] if bands == 5 else ["D", "F"])]
    cuts = [rng.choice([85, 90])]
    while len(cuts) < bands - 1:
        cuts.append(cuts[-1] - rng.choice([5, 10, 10, 15]))
    spans = [(cuts[0], 100)] + [(cuts[i], cuts[i - 1] - 1) for i in range(1, bands - 1)] + [(0, cuts[-1] - 1)]
    wordy = rng.random() < 0.5
    rules = []
    for i, ((low, high), letter) in enumerate(zip(spans, letters)):
        if i == 0:
            rules.append(f"成绩在 {low} 分及以上，评为{letter}。" if wordy else f"如果分数为 {low} 或以上，等级为{letter}。")
        elif i < bands - 1:
            rules.append(f"成绩在 {low} 分到 {high} 分之间，评为{letter}。" if wordy
                         else f"如果分数为 {low} 或以上但少于 {high + 1}，等级为{letter}。")
        else:
            rules.append(f"成绩低于 {high + 1} 分，评为{letter}。" if wordy else f"如果分数小于 {high + 1}，等级为{letter}。")
    used: set = set()
    wording = rng.randrange(2)

    def draw_s(r):
        if r.random() < 0.6:
            return min(100, r.choice(cuts) + r.choice([-1, 0, 0, 1]))
        return r.randint(0, 100)

    def band_of(s):
        i = next(k for k, (low, high) in enumerate(spans) if low <= s <= high)
        if i == 0:
            why = f"{s} 分不低于 {cuts[0]} 分"
        elif i == bands - 1:
            why = f"{s} 分低于 {cuts[-1]} 分"
        else:
            why = f"{s} 分在 {spans[i][0]} 到 {spans[i][1]} 分之间"
        return i, why

    def letter_q(r):
        s = fresh(used, draw_s, r)
        if s is None:
            return None
        i, why = band_of(s)
        text = [f"一个学生得了 {s} 分，他的等级是什么？", f"分数为 {s} 分时，对应的等级是什么？"][wording]
        others = sorted((j for j in range(bands) if j != i), key=lambda j: (abs(j - i), r.random()))
        return choice(r, text, letters[i], [letters[j] for j in others], [f"{why}，所以等级为{letters[i]}。"])

    def letter_yn(r):
        s = fresh(used, draw_s, r)
        if s is None:
            return None
        i, why = band_of(s)
        truth = r.random() < 0.5
        shown = letters[i] if truth else letters[i + 1 if i == 0 or (i + 1 < bands and r.random() < 0.5) else i - 1]
        end = "与题中一致，所以应选“是”。" if truth else f"不是{shown}，所以应选“否”。"
        return yes_no(f"得 {s} 分的学生，等级是否为{shown}？", truth, [f"{why}，等级为{letters[i]}，{end}"])

    def score_q(r):
        i = r.randrange(bands)
        low, high = spans[i]
        s = r.choice([low, high, r.randint(low, high)])
        outside = [x for x in (low - 1, high + 1, low - r.randint(2, 9), high + r.randint(2, 9)) if 0 <= x <= 100]
        if len(outside) < 3:
            outside += [x for x in (low - 10, high + 10, low - 15, high + 15) if 0 <= x <= 100]
        steps = [f"等级{letters[i]}对应的分数范围是 {low} 到 {high} 分。", f"选项中只有 {s} 在这个范围内。"]
        return choice(r, f"下列哪个分数对应的等级是{letters[i]}？", str(s), [str(x) for x in outside], steps)

    text = layout(rng.choice(GRADE_INTROS), rules)
    return text, [letter_q, letter_q, score_q, letter_yn, letter_yn]


# ---------------------------------------------------------------- score

SCORE_INTROS = ["给定一种计算最终分数的方式：", "某门课程按以下方式计算学生的最终分数：",
                "有一个程序根据两次考试的成绩计算学生的最终分数，规则如下："]


def score(rng, cfg: Config):
    exam = rng.choice(["期中考试", "期末考试", "平时测验"])
    short = exam.replace("考试", "")
    cap = rng.choice([60, 65, 70, 75, 80])
    if rng.random() < 0.5:
        rules = [f"比较{exam}分数和补考分数，取其中较高的一个作为得分。",
                 f"如果这个得分高于 {cap}，最终分数为 {cap}；否则最终分数就是这个得分。"]
    else:
        rules = [f"先从{exam}和补考中取较高分作为得分。", f"再取这个得分和 {cap} 中的较小值作为最终分数。"]
    used: set = set()

    def draw(r):
        case = r.randrange(3)
        low, high = (max(0, cap - 45), cap - 1), (cap + 1, 100)
        a = r.randint(*(high if case == 2 else low))
        b = r.randint(*(high if case >= 1 else low))
        return (a, b) if r.random() < 0.5 else (b, a)

    def solve(a, b):
        best = max(a, b)
        final = min(best, cap)
        steps = [f"{short}分数 {a} 和补考分数 {b} 中较高的是 {best}。",
                 f"{best} 高于 {cap}，所以最终分数取 {cap}。" if best > cap else f"{best} 不高于 {cap}，所以最终分数就是 {best}。"]
        return final, steps

    def final_q(r):
        pair = fresh(used, draw, r)
        if pair is None:
            return None
        a, b = pair
        final, steps = solve(a, b)
        text = f"如果{short}分数是 {a} 分，补考分数是 {b} 分，那么最终分数是多少？"
        return choice(r, text, str(final), numbers([max(a, b), min(a, b), cap, (a + b) // 2, a + b], final, 0), steps)

    def final_yn(r):
        pair = fresh(used, draw, r)
        if pair is None:
            return None
        a, b = pair
        final, steps = solve(a, b)
        wrong = [x for x in (max(a, b), min(a, b), cap) if x != final]
        shown = final if r.random() < 0.5 or not wrong else r.choice(wrong)
        steps[-1] += "与题中一致，应选“是”。" if shown == final else f"不是 {shown}，应选“否”。"
        return yes_no(f"{short}考了 {a} 分、补考考了 {b} 分的学生，最终分数是否为 {shown}？", shown == final, steps)

    return layout(rng.choice(SCORE_INTROS), rules), [final_q, final_q, final_yn]


# ---------------------------------------------------------------- piecewise

PIECE_INTROS = ["有一个函数 f(x) 定义如下：", "有一个程序接收一个整数 x，按以下规则计算并输出 f(x)：",
                "设 f(x) 是一个分段函数，它的定义如下："]


def render_piece(k: int, m: int, square: bool) -> str:
    if not square and k == -1 and m > 0:
        return f"{m} - x"
    head = "x * x" if square else {1: "x", -1: "-x"}.get(k, f"{k} * x")
    if m == 0:
        return head
    return f"{head} + {m}" if m > 0 else f"{head} - {-m}"


def piecewise(rng, cfg: Config):
    p = rng.randint(-3, 5)
    q = p + rng.randint(2, 6 if cfg.max_value < 100 else 9)
    pieces, shown = [], []
    while len(pieces) < 3:
        k, m, square = rng.choice([-2, -1, 1, 2, 3]), rng.randint(-5, 8), rng.random() < 0.2
        if render_piece(k, m, square) not in shown:
            pieces.append((k, m, square))
            shown.append(render_piece(k, m, square))
    if rng.random() < 0.5:
        rules = [f"当 x < {p} 时，f(x) = {shown[0]}", f"当 {p} <= x <= {q} 时，f(x) = {shown[1]}",
                 f"当 x > {q} 时，f(x) = {shown[2]}"]
    else:
        rules = [f"如果 x 小于 {p}，则 f(x) = {shown[0]}。", f"如果 x 大于或等于 {p} 且小于或等于 {q}，则 f(x) = {shown[1]}。",
                 f"如果 x 大于 {q}，则 f(x) = {shown[2]}。"]
    used: set = set()
    wording = rng.randrange(2)

    def draw_x(r):
        return r.choice([p - 1, p, q, q + 1]) if r.random() < 0.5 else r.randint(p - 6, q + 6)

    def value(i, x):
        k, m, square = pieces[i]
        return x * x + m if square else k * x + m

    def solve(x):
        i = 0 if x < p else (1 if x <= q else 2)
        where = [f"小于 {p}", f"在 {p} 到 {q} 之间（含两端）", f"大于 {q}"][i]
        v = value(i, x)
        steps = [f"x = {x} {where}，适用第 {i + 1} 条规则：f(x) = {shown[i]}。", f"代入 x = {x}，得 f({x}) = {v}。"]
        return i, v, steps

    def value_q(r):
        x = fresh(used, draw_x, r)
        if x is None:
            return None
        i, v, steps = solve(x)
        text = [f"当 x = {x} 时，f(x) 的值是多少？", f"对于输入 x = {x}，f(x) 的输出是什么？"][wording]
        return choice(r, text, str(v), numbers([value(j, x) for j in range(3) if j != i] + [value(i, x + 1)], v), steps)

    def value_yn(r):
        x = fresh(used, draw_x, r)
        if x is None:
            return None
        i, v, steps = solve(x)
        wrong = [value(j, x) for j in range(3) if value(j, x) != v] + [v + 1, v - 1]
        shown_v = v if r.random() < 0.5 else wrong[0] if r.random() < 0.7 else r.choice(wrong)
        steps[-1] += "与题中一致，应选“是”。" if shown_v == v else f"不等于 {shown_v}，应选“否”。"
        return yes_no(f"当 x = {x} 时，f(x) 是否等于 {shown_v}？", shown_v == v, steps)

    return layout(rng.choice(PIECE_INTROS), rules), [value_q, value_q, value_yn]


# ---------------------------------------------------------------- fizzbuzz

def fizzbuzz(rng, cfg: Config):
    if rng.random() < 0.45:
        divs, words = (3, 5, 7), ("Fizz", "Buzz", "Bazz")
        x, y = rng.choice([(0, 1), (0, 2), (1, 2)])
        intro = rng.choice(["有一个游戏叫做 FizzBuzzBazz，它的规则如下：",
                            "有一个程序实现了 FizzBuzzBazz 游戏，对输入的正整数 N 按以下规则输出："])
        rules = ["给定一个数字 N，如果 N 能被 3 整除，输出“Fizz”。", "如果 N 能被 5 整除，输出“Buzz”。",
                 "如果 N 能被 7 整除，输出“Bazz”。",
                 f"如果 N 同时能被其中多个数整除，按 3、5、7 的顺序把对应的词连起来输出，例如同时能被 {divs[x]} 和 {divs[y]} "
                 f"整除时输出“{words[x]}{words[y]}”。",
                 "如果 N 不能被 3、5、7 中的任何一个整除，输出数字 N 本身。"]
    else:
        divs = rng.choice([(3, 5), (3, 5), (3, 7), (2, 5), (4, 7)])
        words = rng.choice([("Fizz", "Buzz"), ("fizz", "buzz")])
        (d1, d2), (w1, w2) = divs, words
        intro = rng.choice(["有一个程序从 1 到 100 依次处理每个数字，对每个数字按以下规则输出：", "有一个游戏叫做 FizzBuzz，规则如下：",
                            "有一个函数接收一个正整数，并按以下规则返回结果："])
        rules = [f"如果一个数能被 {d1} 整除但不能被 {d2} 整除，输出“{w1}”。", f"如果一个数能被 {d2} 整除但不能被 {d1} 整除，输出“{w2}”。",
                 f"如果一个数同时能被 {d1} 和 {d2} 整除，输出“{w1}{w2}”。", "否则，输出这个数本身。"]
    nmax = 2 * cfg.max_value
    products = []
    for size in range(1, len(divs) + 1):
        for combo in combinations(divs, size):
            prod = 1
            for d in combo:
                prod *= d
            if prod <= nmax:
                products.append(prod)
    used: set = set()
    wording = rng.randrange(2)

    def draw_n(r):
        if r.random() < 0.65:
            d = r.choice(products)
            return d * r.randint(1, nmax // d)
        return r.randint(1, nmax)

    def solve(n):
        hits = [i for i, d in enumerate(divs) if n % d == 0]
        out = "".join(words[i] for i in hits) or str(n)
        yes = "、".join(str(divs[i]) for i in hits)
        no = "、".join(str(divs[i]) for i in range(len(divs)) if i not in hits)
        if not hits:
            why = f"{n} 不能被 {no} 中的任何一个整除，所以输出数字本身 {n}。"
        else:
            why = f"{n} 能被 {yes} 整除" + (f"，不能被 {no} 整除" if no else "") + f"，所以输出“{out}”。"
        return hits, out, why

    def candidates(r, n, hits):
        """Every output the rules can give, the nearest (one divisor more or less) first."""
        subsets = [list(c) for size in range(len(divs) + 1) for c in combinations(range(len(divs)), size)]
        subsets.sort(key=lambda s: (len(set(s) ^ set(hits)), r.random()))
        return ["".join(words[i] for i in s) or str(n) for s in subsets]

    def out_q(r):
        n = fresh(used, draw_n, r)
        if n is None:
            return None
        hits, out, why = solve(n)
        text = [f"给定数字 {n}，程序会输出什么？", f"当输入 {n} 时，输出是什么？"][wording]
        return choice(r, text, out, candidates(r, n, hits), [why])

    def out_yn(r):
        n = fresh(used, draw_n, r)
        if n is None:
            return None
        hits, out, why = solve(n)
        shown = out if r.random() < 0.5 else candidates(r, n, hits)[1]
        end = "与题中一致，应选“是”。" if shown == out else f"不是“{shown}”，应选“否”。"
        return yes_no(f"输入 {n} 时，输出是否为“{shown}”？", shown == out, [why + end])

    def part_yn(r):
        n = fresh(used, draw_n, r)
        if n is None:
            return None
        hits, out, why = solve(n)
        i = r.randrange(len(divs))
        truth = i in hits
        end = f"其中{'包含' if truth else '不包含'}“{words[i]}”。"
        return yes_no(f"输入 {n} 时，输出中是否包含“{words[i]}”？", truth, [why + end])

    return layout(intro, rules), [out_q, out_q, out_q, out_yn, part_yn]


# ---------------------------------------------------------------- between

def between(rng, cfg: Config):
    a = rng.randint(1, max(5, cfg.max_value // 2))
    b = a + rng.randint(5, 10 + cfg.max_value // 5)
    strict = rng.random() < 0.5
    ends = f"（{'不包括' if strict else '包括'} {a} 和 {b}）"
    if rng.random() < 0.5:
        text = (f"考虑一组数字，判断一个特定的数字是否在 {a} 和 {b} 之间，{'不包括' if strict else '包括'} {a} 和 {b} 本身。"
                f"\n\n{OUTRO}")
    elif strict:
        text = layout(f"有一个函数 between(X) 用来判断一个数字 X 是否在 {a} 和 {b} 之间，规则如下：",
                      [f"如果 X 大于 {a} 并且小于 {b}，返回真。", f"如果 X 等于 {a} 或 {b}，返回假（不包括两个端点）。", "其他情况返回假。"])
    else:
        text = layout(f"有一个函数 between(X) 用来判断一个数字 X 是否在 {a} 和 {b} 之间，规则如下：",
                      [f"如果 X 大于或等于 {a} 并且小于或等于 {b}，返回真（包括两个端点）。", "其他情况返回假。"])
    first, last = (a + 1, b - 1) if strict else (a, b)
    near_out = [a, b, a - 1, b + 1] if strict else [a - 1, b + 1, a - 2, b + 2]
    used: set = set()
    suffix = rng.random() < 0.5

    def rule():
        return f"按规则，在 {a} 和 {b} 之间{'不包括' if strict else '包括'}两个端点，即 {first} 到 {last} 的整数。"

    def is_yn(r):
        truth = r.random() < 0.5
        if truth:
            draw = [first, last, first + 1, last - 1] if r.random() < 0.5 else [r.randint(first, last)]
        else:
            draw = near_out if r.random() < 0.6 else [max(0, a - r.randint(3, 10)), b + r.randint(3, 10)]
        x = fresh(used, lambda rr: rr.choice(draw), r, tries=8)
        if x is None:
            return None
        truth = first <= x <= last
        text = f"数字 {x} 是否在 {a} 和 {b} 之间{ends if suffix else ''}？"
        return yes_no(text, truth, [rule(), f"{x} {'在' if truth else '不在'}这个范围内，所以应选“{'是' if truth else '否'}”。"])

    def which_in(r):
        x = r.choice([first, last, r.randint(first, last)])
        wrong = list(near_out)
        r.shuffle(wrong)
        steps = [rule(), f"选项中只有 {x} 在这个范围内。"]
        return choice(r, f"下列哪个数字在 {a} 和 {b} 之间？", str(x), [str(w) for w in wrong], steps)

    def which_out(r):
        x = r.choice(near_out[:2] + [r.choice(near_out)])
        inside = [first, last, first + 1, last - 1, (first + last) // 2]
        r.shuffle(inside)
        steps = [rule(), f"{x} 不在这个范围内，其余选项都在。"]
        return choice(r, f"下列哪个数字不在 {a} 和 {b} 之间？", str(x), [str(w) for w in inside], steps)

    def count_q(r):
        n = last - first + 1
        steps = [rule(), f"共有 {last} - {first} + 1 = {n} 个。"]
        return choice(r, f"按上述规则，在 {a} 和 {b} 之间的整数一共有多少个？", str(n),
                      numbers([b - a, b - a + 1, b - a - 1, b - a + 2], n, 0), steps)

    return text, [is_yn, is_yn, which_in, which_out, count_q]


# ---------------------------------------------------------------- fromto

def fromto(rng, cfg: Config):
    summing = rng.random() < 0.5
    named = rng.random() < 0.5
    lim = max(10, cfg.max_value // 2)
    span = 5 if not summing else min(12, 4 + cfg.max_value // 10)
    if not summing and named:
        text = layout("有一个函数 range(From, To)，它依次生成从 From 到 To 的所有整数，规则如下：",
                      ["如果 From 小于或等于 To，依次生成 From、From + 1、……，直到 To 为止（包括 To）。",
                       "如果 From 大于 To，则不生成任何数字，结果为空。"])
    elif not summing:
        text = layout("有一个数字生成器，起始数字和终止数字之间的所有整数都会被生成。以下是它的具体规则：",
                      ["如果起始数字小于或等于终止数字，则按从小到大的顺序生成从起始数字到终止数字的所有连续整数（包括起始数字和终止数字）。",
                       "如果起始数字大于终止数字，则不生成任何数字。"])
    elif named:
        text = layout("给定两个数字 From 和 To，我们需要求出从 From 到 To 的所有整数的和，规则如下：",
                      ["如果 From 大于 To，则和为 0。", "否则，和等于 From 加上从 From + 1 到 To 的所有整数的和。"])
    else:
        text = layout("有一个递归函数计算两个整数之间的累加和，规则如下：",
                      ["如果第二个数小于第一个数，累加和为 0。", "如果第二个数大于或等于第一个数，累加和等于第二个数加上从第一个数到第二个数减 1 的累加和。"])
    used: set = set()

    def draw(r, empty=None):
        if empty is None:
            empty = r.random() < 0.25
        if empty:
            f = r.randint(2, lim)
            return f, r.randint(max(0, f - 6), f - 1)
        f = r.randint(1, lim)
        return f, f + r.randint(0, span)

    def head(f, t):
        return f"当 From = {f}，To = {t} 时，" if named else f"起始数字为 {f}，终止数字为 {t}，"

    def gen_steps(f, t):
        if f > t:
            return [f"{f} 大于 {t}，不生成任何数字，结果为空。"]
        return [f"{f} 不大于 {t}，生成从 {f} 到 {t} 的整数：{fmt_list(range(f, t + 1))}。"]

    def member_yn(r):
        truth = r.random() < 0.5
        pair = fresh(used, lambda rr: draw(rr, empty=False if truth else None), r)
        if pair is None:
            return None
        f, t = pair
        x = r.randint(f, t) if truth else r.choice([f - 1, t + 1, t + 2] if f <= t else [f, t, (f + t) // 2])
        truth = f <= x <= t
        steps = gen_steps(f, t) + [f"数字 {x} {'在' if truth else '不在'}其中。"]
        return yes_no(head(f, t) + f"数字 {x} 是否在生成的序列中？", truth, steps)

    def count_q(r):
        pair = fresh(used, draw, r)
        if pair is None:
            return None
        f, t = pair
        n = max(0, t - f + 1)
        steps = gen_steps(f, t) + [f"一共 {n} 个数字。"]
        wrong = [t - f, t - f + 2, t - f - 1] if f <= t else [f - t + 1, f - t, 1, 2]
        return choice(r, head(f, t) + "一共会生成多少个数字？", str(n), numbers(wrong, n, 0), steps)

    def list_q(r):
        pair = fresh(used, draw, r)
        if pair is None:
            return None
        f, t = pair
        seq = list(range(f, t + 1))
        if seq:
            wrong = [seq[:-1], seq[1:], seq + [t + 1], seq[::-1] if len(seq) > 1 else [f - 1, f],
                     list(range(f - 1, t + 1))]
        else:
            wrong = [list(range(t, f + 1)), list(range(f, t - 1, -1)), [f], [t]]
        return choice(r, head(f, t) + "生成的序列是什么？", fmt_list(seq), [fmt_list(w) for w in wrong], gen_steps(f, t))

    def sum_text(f, t):
        return f"从 {f} 到 {t} 的所有整数的和" if named else f"当第一个数是 {f}，第二个数是 {t} 时，累加和"

    def sum_steps(f, t):
        if f > t:
            return [f"From = {f} 大于 To = {t}，所以和为 0。" if named else f"第二个数 {t} 小于第一个数 {f}，所以累加和为 0。"]
        if f == t:
            return [f"两个数都是 {f}，{'和' if named else '累加和'}就是 {f}。"]
        return [f"{' + '.join(str(v) for v in range(f, t + 1))} = {sum(range(f, t + 1))}。"]

    def sum_q(r):
        pair = fresh(used, draw, r)
        if pair is None:
            return None
        f, t = pair
        s = sum(range(f, t + 1))
        if f <= t:
            wrong = [s - t, s - f, s + t + 1, sum(range(1, t + 1)), t - f]
        else:
            wrong = [sum(range(t, f + 1)), f + t, f, t]
        return choice(r, sum_text(f, t) + "是多少？", str(s), numbers(wrong, s, 0), sum_steps(f, t))

    def sum_yn(r):
        pair = fresh(used, draw, r)
        if pair is None:
            return None
        f, t = pair
        s = sum(range(f, t + 1))
        wrong = [s - t, s - f, s + t + 1] if f <= t else [sum(range(t, f + 1)), f + t]
        shown = s if r.random() < 0.5 else r.choice([w for w in wrong if w != s] or [s + 1])
        steps = sum_steps(f, t)
        steps[-1] += "与题中一致，应选“是”。" if shown == s else f"结果是 {s} 而不是 {shown}，应选“否”。"
        text = f"从 {f} 到 {t} 的所有整数的和是 {shown} 吗？" if named else sum_text(f, t) + f"是否为 {shown}？"
        return yes_no(text, shown == s, steps)

    if summing:
        return text, [sum_q, sum_q, sum_yn]
    return text, [count_q, list_q, list_q, member_yn, member_yn]


# ---------------------------------------------------------------- division

def division(rng, cfg: Config):
    if rng.random() < 0.5:
        text = layout("设有一个两个非负整数相除的操作（除数大于 0），它用反复相减的方法计算商和余数：",
                      ["如果被除数小于除数，则商为 0，余数就是被除数本身。",
                       "如果被除数大于或等于除数，则用被除数减去除数，再用得到的差继续除以除数；商等于这次得到的商加 1，余数与这次得到的余数相同。"])
    else:
        text = layout("有一个程序用减法来实现整数除法，规则如下：",
                      ["当被除数小于除数时，商为 0，剩下的被除数就是余数。",
                       "当被除数大于或等于除数时，从被除数中减去除数，再对差继续做除法，商等于对差做除法得到的商加一。",
                       "一直减到剩下的数小于除数为止：减法进行的次数就是商，最后剩下的数就是余数。"])
    bmax = max(3, min(12, cfg.max_value // 5))
    used: set = set()
    wording = rng.randrange(2)

    def draw(r):
        b = r.randint(2, bmax)
        return (r.randint(0, b - 1), b) if r.random() < 0.15 else (r.randint(b, cfg.max_value), b)

    def solve(a, b):
        q, rest, chain = 0, a, []
        while rest >= b:
            chain.append(f"{rest} - {b} = {rest - b}")
            rest -= b
            q += 1
        if not chain:
            return q, rest, [f"{a} 小于 {b}，商为 0，余数为 {a}。"]
        if q <= 6:
            steps = ["依次相减：" + "，".join(chain) + "。"]
        else:
            steps = [f"从 {a} 中连续减去 {b}，一共能减 {q} 次（{q} × {b} = {q * b}），剩下 {rest}。"]
        return q, rest, steps + [f"{rest} 小于 {b}，停止：共减了 {q} 次，商为 {q}，余数为 {rest}。"]

    def head(a, b):
        return [f"数字 {a} 除以数字 {b}，", f"按照上述规则，{a} 除以 {b} "][wording]

    def quot_q(r):
        pair = fresh(used, draw, r)
        if pair is None:
            return None
        q, rest, steps = solve(*pair)
        a, b = pair
        wrong = [w for w in (q + 1, q - 1, rest, a - b, q + 2) if w >= 0]
        return choice(r, head(a, b) + "得到的商是多少？", str(q), numbers(wrong, q, 0), steps)

    def rem_q(r):
        pair = fresh(used, draw, r)
        if pair is None:
            return None
        q, rest, steps = solve(*pair)
        a, b = pair
        wrong = [w for w in (rest + 1, b - rest, rest + b if rest + b <= a else rest + 2, q, rest - 1) if w >= 0]
        return choice(r, head(a, b) + "得到的余数是多少？", str(rest), numbers(wrong, rest, 0), steps)

    def claim_yn(r):
        pair = fresh(used, draw, r)
        if pair is None:
            return None
        q, rest, steps = solve(*pair)
        a, b = pair
        of_rem = r.random() < 0.4
        value, name = (rest, "余数") if of_rem else (q, "商")
        wrong = [w for w in (value + 1, value - 1, q if of_rem else rest) if w >= 0 and w != value]
        shown = value if r.random() < 0.5 else r.choice(wrong)
        steps.append(f"{name}是 {value}，" + ("与题中一致，应选“是”。" if shown == value else f"不是 {shown}，应选“否”。"))
        return yes_no(f"{a} 除以 {b} 的{name}是 {shown} 吗？", shown == value, steps)

    return text, [quot_q, quot_q, rem_q, rem_q, claim_yn, claim_yn]


# ---------------------------------------------------------------- smallest prime factor

def least_factor(n: int) -> int:
    d = 2
    while n % d:
        d += 1
    return d


def spf(rng, cfg: Config):
    intro = rng.choice(["有一个函数用于确定一个给定数字 N（N ≥ 2）的最小质数因子，它的检查过程如下：",
                        "有一个程序用试除法求一个整数 N（N ≥ 2）的最小质数因子，规则如下："])
    text = layout(intro, ["从 2 开始，依次用 2、3、4、…… 去除 N。", "第一个能整除 N 的数就是 N 的最小质数因子。",
                          "如果一直检查到 N 本身才能整除，说明 N 是质数，它的最小质数因子就是 N 本身。"])
    nmax = 2 * cfg.max_value
    primes = [n for n in range(3, nmax + 1) if least_factor(n) == n]
    odd_composites = [n for n in range(9, nmax + 1, 2) if least_factor(n) != n]
    used: set = set()

    def draw(r):
        pick = r.random()
        if pick < 0.25:
            return 2 * r.randint(2, nmax // 2)
        return r.choice(odd_composites if pick < 0.7 else primes)

    def solve(n):
        p = least_factor(n)
        tried = "2" if p == 3 else (f"2 到 {p - 1}" if p > 7 else "、".join(str(d) for d in range(2, p)))
        if p == n:
            return p, [f"用 {tried} 去除 {n}{' 都' if p > 3 else ''}不能整除，一直检查到 {n} 本身才整除，{n} 是质数，最小质数因子就是 {n}。"]
        head = f"{tried}{' 不' if p == 3 else ' 都不'}能整除 {n}；" if p > 2 else ""
        return p, [f"{head}{n} ÷ {p} = {n // p}，能整除，所以 {n} 的最小质数因子是 {p}。"]

    def spf_q(r):
        n = fresh(used, draw, r)
        if n is None:
            return None
        p, steps = solve(n)
        later = [d for d in range(p + 1, n) if n % d == 0]
        bigger = next(x for x in range(p + 1, 2 * p + 3) if least_factor(x) == x)
        wrong = later[:1] + [n, bigger, 2, 3] if p != n else [1, 2, 3, isqrt(n)]
        return choice(r, f"数字 {n} 的最小质数因子是多少？", str(p), numbers(wrong, p, 1), steps)

    def spf_yn(r):
        n = fresh(used, draw, r)
        if n is None:
            return None
        p, steps = solve(n)
        others = [d for d in range(p + 1, n + 1) if n % d == 0 and least_factor(d) == d] + [1 if p == n else n]
        shown = p if r.random() < 0.5 else others[0]
        steps[-1] += "与题中一致，应选“是”。" if shown == p else f"不是 {shown}，应选“否”。"
        return yes_no(f"数字 {n} 的最小质数因子是 {shown} 吗？", shown == p, steps)

    def which_q(r):
        p = r.choice([3, 5, 7] if nmax >= 70 else [3, 5])
        fits = [n for n in range(p, nmax + 1) if least_factor(n) == p]
        n = r.choice(fits)
        near = [2 * p, 4 * p, 2 * n, n + 1, n - 1, n + 2, 3 * p]
        wrong = [str(x) for x in near if x >= 2 and least_factor(x) != p]
        steps = [f"{n} 不能被小于 {p} 的数整除，能被 {p} 整除，所以它的最小质数因子是 {p}。",
                 f"其余选项都能被比 {p} 更小的数整除（或就是另一个质数），最小质数因子不是 {p}。"]
        return choice(r, f"下列哪个数的最小质数因子是 {p}？", str(n), wrong, steps)

    return text, [spf_q, spf_q, which_q, spf_yn, spf_yn]


# ---------------------------------------------------------------- multiples

MULTI_INTROS = ["在数学中，判断一个数是否符合特定的条件可以是一个有趣的逻辑题。给定以下条件：",
                "有一个程序检查输入的正整数是否满足下面三个条件：", "有一个函数判断一个数是否具有某种性质，规则如下："]


def multiples(rng, cfg: Config):
    a, b = rng.choice([(3, 5), (3, 7), (5, 7), (3, 11), (5, 9), (7, 9), (7, 11)])
    if rng.random() < 0.5:
        a, b = b, a
    odd = rng.random() < 0.7
    parity = "奇数" if odd else "偶数"
    lcm = a * b
    name = rng.choice([f"{lcm}的倍数且是{parity}", "特殊数", "幸运数", "合格数"])
    conds = [("mul", a), ("mul", b), ("par", odd)]
    rng.shuffle(conds)
    lines = [f"数字必须是 {v} 的倍数。" if kind == "mul" else f"数字必须是{parity}。" for kind, v in conds]
    text = (f"{rng.choice(MULTI_INTROS)}\n\n{numbered(lines)}\n\n一个数如果同时满足上述所有条件，就称这个数是“{name}”。"
            f"\n\n{OUTRO}")
    nmax = max(4 * cfg.max_value, 4 * lcm)
    used: set = set()
    asks_name = rng.random() < 0.5

    def failing(n):
        return [i for i, (kind, v) in enumerate(conds) if (n % v if kind == "mul" else n % 2 != v)]

    def explain(n):
        parts = []
        for i, (kind, v) in enumerate(conds):
            ok = (n % v == 0) if kind == "mul" else (n % 2 == v)
            what = f" {v} 的倍数" if kind == "mul" else parity
            parts.append(f"第 {i + 1} 条：{n} {'是' if ok else '不是'}{what}")
        return "；".join(parts) + "。"

    def make(r, broken):
        """A number that fails exactly the conditions of kind ``broken`` ("par", "mul"; None: satisfies all)."""
        if broken == "mul":
            v, other = (a, b) if r.random() < 0.5 else (b, a)
            found = [v * k for k in range(1, nmax // v + 1) if v * k % other and v * k % 2 == odd]
        else:
            want = odd if broken is None else not odd
            found = [lcm * k for k in range(1, nmax // lcm + 1) if lcm * k % 2 == want]
        return r.choice(found) if found else None

    def yn(r):
        truth = r.random() < 0.5
        n = fresh(used, lambda rr: make(rr, None if truth else rr.choice(["par", "mul"])), r, tries=10)
        if n is None:
            return None
        truth = not failing(n)
        text = f"数字 {n} 是“{name}”吗？" if asks_name else f"数字 {n} 是否同时满足上述所有条件？"
        end = "三条都满足，应选“是”。" if truth else "有条件不满足，应选“否”。"
        return yes_no(text, truth, [explain(n), end])

    def which_q(r):
        n = fresh(used, lambda rr: make(rr, None), r, tries=10)
        if n is None:
            return None
        wrong = [make(r, "par"), make(r, "mul"), make(r, "mul"), make(r, "mul")]
        wrong = [str(w) for w in wrong if w is not None]
        steps = [explain(n), "其余选项都至少有一条不满足。"]
        return choice(r, f"下列哪个数字是“{name}”？" if asks_name else "下列哪个数字同时满足上述所有条件？", str(n), wrong, steps)

    def fail_q(r):
        n = fresh(used, lambda rr: make(rr, rr.choice([None, "par", "mul", "mul"])), r, tries=10)
        if n is None:
            return None
        fails = failing(n)
        options = [f"第 {i} 条" for i in (1, 2, 3)] + ["三条都满足"]
        right = f"第 {fails[0] + 1} 条" if fails else "三条都满足"
        return choice(r, f"数字 {n} 不满足上述哪一条条件？", right, options, [explain(n)])

    return text, [which_q, fail_q, fail_q, yn, yn]


# ---------------------------------------------------------------- quadratic

QUAD_LABELS = {"=": "一个实数解", ">": "两个不同的实数解", "<": "两个不同的复数解"}


def quadratic(rng, cfg: Config):
    intro = rng.choice(["有一个方程 Ax^2 + Bx + C = 0（A 不为 0），它的系数分别为 A、B 和 C。下面是一些已知的规则：",
                        "有一个程序求解一元二次方程 Ax^2 + Bx + C = 0（A ≠ 0）：它先计算判别式 B^2 - 4AC，再按以下规则判断解的情况："])
    signs = ["=", ">", "<"]
    rng.shuffle(signs)
    text = layout(intro, [f"如果 B^2 - 4AC {s} 0，则方程有{QUAD_LABELS[s]}。" for s in signs])
    rmax = 4 if cfg.max_value < 50 else 6
    used: set = set()

    def draw(r, case=None):
        case = case or r.choice(["=", ">", "<"])
        a = r.choice([1, 1, 2, 3, -1])
        if case == "=":
            s = r.randint(-rmax, rmax)
            return (a, -2 * a * s, a * s * s), (s,)
        if case == ">":
            s, t = r.sample(range(-rmax, rmax + 1), 2)
            return (a, -a * (s + t), a * s * t), (s, t)
        a, c = abs(a), r.randint(1, 9)
        b = r.randint(-isqrt(4 * a * c - 1), isqrt(4 * a * c - 1))
        return ((a, b, c) if r.random() < 0.7 else (-a, -b, -c)), ()

    def coef(abc):
        return "A = {}，B = {}，C = {}".format(*abc)

    def disc_step(abc):
        a, b, c = abc
        d = b * b - 4 * a * c
        sign = "=" if d == 0 else (">" if d > 0 else "<")
        word = {"=": "等于", ">": "大于", "<": "小于"}[sign]
        return d, sign, f"B^2 - 4AC = ({b})^2 - 4 × ({a}) × ({c}) = {d}，{word} 0，所以方程有{QUAD_LABELS[sign]}。"

    def fresh_draw(r, case=None):
        for _ in range(20):
            abc, roots = draw(r, case)
            if abc not in used:
                used.add(abc)
                return abc, roots
        return None, None

    def kind_q(r):
        abc, _ = fresh_draw(r)
        if abc is None:
            return None
        d, sign, step = disc_step(abc)
        wrong = [QUAD_LABELS[s] for s in ("=", ">", "<") if s != sign] + ["没有任何解"]
        return choice(r, f"当系数 {coef(abc)} 时，方程的解属于哪种情况？", QUAD_LABELS[sign], wrong, [step])

    def disc_q(r):
        abc, _ = fresh_draw(r)
        if abc is None:
            return None
        a, b, c = abc
        d, sign, step = disc_step(abc)
        wrong = [b * b + 4 * a * c, -d, b * b - 2 * a * c, 2 * b - 4 * a * c, d + 4]
        return choice(r, f"当系数 {coef(abc)} 时，判别式 B^2 - 4AC 的值是多少？", str(d), numbers(wrong, d), [step])

    def kind_yn(r):
        abc, _ = fresh_draw(r)
        if abc is None:
            return None
        d, sign, step = disc_step(abc)
        asked = sign if r.random() < 0.5 else r.choice([s for s in ("=", ">", "<") if s != sign])
        truth = asked == sign
        end = "应选“是”。" if truth else f"不是{QUAD_LABELS[asked]}，应选“否”。"
        return yes_no(f"当系数 {coef(abc)} 时，方程是否有{QUAD_LABELS[asked]}？", truth, [step + end])

    def root_yn(r):
        abc, roots = fresh_draw(r, r.choice(["=", ">", ">"]))
        if abc is None:
            return None
        a, b, c = abc
        x = r.choice(roots) + (0 if r.random() < 0.5 else r.choice([-1, 1]))
        value = a * x * x + b * x + c
        truth = value == 0
        step = f"把 x = {x} 代入：{a} × ({x})^2 + ({b}) × ({x}) + ({c}) = {value}，{'等于' if truth else '不等于'} 0。"
        return yes_no(f"当系数 {coef(abc)} 时，x = {x} 是否是方程的一个解？", truth,
                      [step, f"所以 x = {x} {'是' if truth else '不是'}方程的解。"])

    return text, [kind_q, kind_q, disc_q, disc_q, kind_yn, root_yn]


# ---------------------------------------------------------------- digits

def digit_list(n: int) -> list[int]:
    out = [n % 10]
    while n >= 10:
        n //= 10
        out.append(n % 10)
    return out[::-1]


def digits(rng, cfg: Config):
    evens = rng.random() < 0.5
    rules = ["如果一个数字是 0，则返回假。", "对于任意不为 0 的数字，如果它存在重复的数字（某一位数字出现了不止一次），则返回真。",
             "对于任意不为 0 的数字，如果它不存在重复的数字，则返回假。", "对于任意数字，如果它是两位数，则返回真；否则返回假。"]
    if evens:
        rules.append("对于任意数字，如果它的每一位都是偶数，则返回真；否则返回假。")
        intro = "有一个程序包含三个判断数字的函数：是否存在重复的数字、是否是两位数、每一位是否都是偶数。以下是它们的规则："
    else:
        intro = rng.choice(["有一组数字，我们需要判断其中是否有重复的数字，或者判断某个数字是否是两位数。以下是一些已知的规则：",
                            "有一个程序包含两个判断数字的函数：一个判断数字中是否存在重复的数字，另一个判断数字是否是两位数。规则如下："])
    nmax = 10 * cfg.max_value
    used: set = set()

    def repeated(n):
        ds = digit_list(n)
        return n != 0 and len(ds) != len(set(ds))

    def all_even(n):
        return all(d % 2 == 0 for d in digit_list(n))

    def two(n):
        return 10 <= n <= 99

    tests = {"repeat": repeated, "two": two, "even": all_even}

    def draw(r, test, want):
        for _ in range(200):
            if test == "two" and r.random() < 0.5:
                n = r.choice([r.randint(0, 9), r.randint(100, 120), 9, 100]) if not want else r.randint(10, 99)
            elif test == "repeat" and not want and r.random() < 0.08:
                n = 0
            else:
                n = r.randint(1, nmax)
            if tests[test](n) == want:
                return n
        return None

    def why(test, n):
        ds = digit_list(n)
        if test == "repeat":
            if n == 0:
                return "数字是 0，按第 1 条规则返回假。"
            twice = [d for d in dict.fromkeys(ds) if ds.count(d) > 1]
            return (f"{n} 中的数字 {twice[0]} 出现了不止一次，存在重复的数字。" if twice
                    else f"{n} 的各位数字 {'、'.join(map(str, ds))} 互不相同，不存在重复的数字。")
        if test == "two":
            return f"{n} 是 {len(ds)} 位数，" + ("是两位数。" if len(ds) == 2 else "不是两位数。")
        odd = [d for d in ds if d % 2]
        return f"{n} 的每一位都是偶数。" if not odd else f"{n} 中的 {odd[0]} 是奇数，并非每一位都是偶数。"

    questions = {"repeat": ("数字 {} 是否存在重复的数字？", "下列哪个数字存在重复的数字？"),
                 "two": ("数字 {} 是否是两位数？", "下列哪个数是两位数？"),
                 "even": ("数字 {} 的每一位是否都是偶数？", "下列哪个数字的每一位都是偶数？")}

    def yn_for(test):
        def maker(r):
            n = fresh(used, lambda rr: draw(rr, test, rr.random() < 0.5), r, tries=10)
            if n is None:
                return None
            truth = tests[test](n)
            return yes_no(questions[test][0].format(n), truth, [why(test, n), f"所以应选“{'是' if truth else '否'}”。"])
        return maker

    def which_for(test, want=True):
        def maker(r):
            n = draw(r, test, want)
            if test == "two" and not want:
                wrong = [r.randint(10, 99) for _ in range(6)]
            elif test == "two":
                wrong = [r.randint(1, 9), r.randint(100, 999), r.choice([9, 100, 101]), r.randint(100, 120), 9]
            else:
                wrong = [draw(r, test, not want) for _ in range(8)]
            steps = [why(test, n), "其余选项都不满足这一条件。" if want else "其余选项都满足这一条件，只有它不满足。"]
            text = questions[test][1] if want else negated[test]
            return choice(r, text, str(n), [str(w) for w in wrong if w is not None and w != 0], steps)
        return maker

    negated = {"repeat": "下列哪个数字不存在重复的数字？", "two": "下列哪个数不是两位数？"}
    makers = [yn_for("repeat"), yn_for("two"), which_for("repeat"), which_for("repeat", False), which_for("two"),
              which_for("two", False)]
    if evens:
        makers += [yn_for("even"), which_for("even"), which_for("even")]
    return layout(intro, rules), makers


# ---------------------------------------------------------------- generate

KINDS = {"temperature": temperature, "grade": grade, "score": score, "piecewise": piecewise, "fizzbuzz": fizzbuzz,
         "between": between, "fromto": fromto, "division": division, "spf": spf, "multiples": multiples,
         "quadratic": quadratic, "digits": digits}


def generate(rng, cfg: Config):
    kind = rng.choice(list(KINDS))
    text, makers = KINDS[kind](rng, cfg)
    return text, ask(rng, cfg, makers)


# ---------------------------------------------------------------- check

def _inside(x, low=None, high=None, open_low=False, open_high=False) -> bool:
    if low is not None and (x < low or (open_low and x == low)):
        return False
    return high is None or not (x > high or (open_high and x == high))


def _pick(rules, otherwise, x):
    hits = [label for (low, high, open_low, open_high), label in rules if _inside(x, low, high, open_low, open_high)]
    if len(hits) > 1:
        raise ValueError(f"overlapping rules at {x}: {hits}")
    if hits:
        return hits[0]
    if otherwise is None:
        raise ValueError(f"no rule for {x}")
    return otherwise


def check_temperature(text, t, options):
    rules, otherwise = [], None
    verbs = "(?:输出|显示)“(.+?)”"
    for m in re.finditer(r"如果华氏(?:度|温度)大于 (\d+)(?: 且不超过 (\d+))?，" + verbs, text):
        rules.append(((int(m[1]), int(m[2]) if m[2] else None, True, False), m[3]))
    for m in re.finditer(r"如果华氏(?:度|温度)小于 (\d+)，" + verbs, text):
        rules.append(((None, int(m[1]), False, True), m[2]))
    for m in re.finditer(r"如果华氏(?:度|温度)在 (\d+) 到 (\d+) 之间（包括 \d+ 和 \d+），" + verbs, text):
        rules.append(((int(m[1]), int(m[2]), False, False), m[3]))
    if m := re.search("否则，" + verbs, text):
        otherwise = m[1]
    c = int(re.search(r"摄氏(?:度|温度)(?:为)? (-?\d+) 度", t)[1])
    fahrenheit = Fraction(9, 5) * c + 32
    if m := re.search(r"华氏温度是 (-?[\d.]+) 度吗", t):
        return [yes_no_truth(o, Fraction(m[1]) == fahrenheit) for o in options]
    if "华氏" in t:
        return [Fraction(o) == fahrenheit for o in options]
    label = _pick(rules, otherwise, fahrenheit)
    if m := re.search(r"“(.+?)”", t):
        return [yes_no_truth(o, m[1] == label) for o in options]
    return [o == label for o in options]


def check_grade(text, t, options):
    rules = []
    for line in re.findall(ITEM + r"(.+)$", text, re.M):
        letter = re.search(r"(?:等级为|评为)([A-F])", line)[1]
        if m := re.search(r"(\d+) (?:或以上|分及以上)(?:但少于 (\d+))?", line):
            rules.append(((int(m[1]), int(m[2]) if m[2] else None, False, m[2] is not None), letter))
        elif m := re.search(r"在 (\d+) 分到 (\d+) 分之间", line):
            rules.append(((int(m[1]), int(m[2]), False, False), letter))
        elif m := re.search(r"(?:小于|低于) (\d+)", line):
            rules.append(((None, int(m[1]), False, True), letter))
    if m := re.search(r"下列哪个分数对应的等级是([A-F])", t):
        return [_pick(rules, None, int(o)) == m[1] for o in options]
    letter = _pick(rules, None, int(re.search(r"(\d+) 分", t)[1]))
    if m := re.search(r"等级是否为([A-F])", t):
        return [yes_no_truth(o, m[1] == letter) for o in options]
    return [o == letter for o in options]


def check_score(text, t, options):
    m = re.search(r"高于 (\d+)，最终分数为|和 (\d+) 中的较小值", text)
    cap = int(m[1] or m[2])
    a, b = (int(x) for x in re.findall(r"(\d+) 分", t)[:2])
    final = sorted([sorted([a, b])[1], cap])[0]
    if m := re.search(r"是否为 (\d+)", t):
        return [yes_no_truth(o, int(m[1]) == final) for o in options]
    return [o == str(final) for o in options]


def _evaluate(expr: str, x: int) -> int:
    def walk(node):
        if isinstance(node, ast.BinOp):
            left, right = walk(node.left), walk(node.right)
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Sub):
                return left - right
            if isinstance(node.op, ast.Mult):
                return left * right
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        elif isinstance(node, ast.Constant) and isinstance(node.value, int):
            return node.value
        elif isinstance(node, ast.Name) and node.id == "x":
            return x
        raise ValueError(f"unexpected expression {expr!r}")
    return walk(ast.parse(expr, mode="eval").body)


def check_piecewise(text, t, options):
    rules = []
    for m in re.finditer(r"当 (.+?) 时，f\(x\) = ([^\n]+)", text):
        cond, expr = m[1], m[2]
        if c := re.fullmatch(r"x < (-?\d+)", cond):
            rules.append(((None, int(c[1]), False, True), expr))
        elif c := re.fullmatch(r"(-?\d+) <= x <= (-?\d+)", cond):
            rules.append(((int(c[1]), int(c[2]), False, False), expr))
        elif c := re.fullmatch(r"x > (-?\d+)", cond):
            rules.append(((int(c[1]), None, True, False), expr))
    for m in re.finditer(r"如果 x (.+?)，则 f\(x\) = (.+?)。", text):
        cond, expr = m[1], m[2]
        if c := re.fullmatch(r"小于 (-?\d+)", cond):
            rules.append(((None, int(c[1]), False, True), expr))
        elif c := re.fullmatch(r"大于或等于 (-?\d+) 且小于或等于 (-?\d+)", cond):
            rules.append(((int(c[1]), int(c[2]), False, False), expr))
        elif c := re.fullmatch(r"大于 (-?\d+)", cond):
            rules.append(((int(c[1]), None, True, False), expr))
    x = int(re.search(r"x = (-?\d+)", t)[1])
    v = _evaluate(_pick(rules, None, x), x)
    if m := re.search(r"是否等于 (-?\d+)", t):
        return [yes_no_truth(o, int(m[1]) == v) for o in options]
    return [o == str(v) for o in options]


def check_fizzbuzz(text, t, options):
    singles = [(int(d), w) for d, w in re.findall(r"能被 (\d+) 整除(?:但不能被 \d+ 整除)?，输出“(\w+)”", text)]
    combined = {frozenset((int(d1), int(d2))): w for d1, d2, w in re.findall(r"同时能被 (\d+) 和 (\d+) 整除，输出“(\w+)”", text)}
    n = int(re.search(r"(\d+)", t)[1])
    hit = frozenset(d for d, _ in singles if n % d == 0)
    out = combined.get(hit) or "".join(w for d, w in singles if d in hit) or str(n)
    if m := re.search(r"输出中是否包含“(\w+)”", t):
        return [yes_no_truth(o, m[1] in out) for o in options]
    if m := re.search(r"输出是否为“(\w+)”", t):
        return [yes_no_truth(o, m[1] == out) for o in options]
    return [o == out for o in options]


def check_between(text, t, options):
    a, b = (int(x) for x in re.search(r"在 (\d+) 和 (\d+) 之间", text).groups())
    strict = "不包括" in text

    def ok(x):
        return a < x < b if strict else a <= x <= b

    if m := re.search(r"数字 (-?\d+) 是否在", t):
        return [yes_no_truth(o, ok(int(m[1]))) for o in options]
    if "不在" in t:
        return [not ok(int(o)) for o in options]
    if "下列哪个数字在" in t:
        return [ok(int(o)) for o in options]
    return [int(o) == sum(1 for x in range(a, b + 1) if ok(x)) for o in options]


def check_fromto(text, t, options):
    m = (re.search(r"起始数字为 (\d+)，终止数字为 (\d+)", t) or re.search(r"From = (\d+)，To = (\d+)", t)
         or re.search(r"从 (\d+) 到 (\d+) 的所有整数", t) or re.search(r"第一个数是 (\d+)，第二个数是 (\d+)", t))
    f, to = int(m[1]), int(m[2])
    if "生成" in text:
        seq = [f + i for i in range(to - f + 1)]
        if x := re.search(r"数字 (\d+) 是否在生成的序列中", t):
            return [yes_no_truth(o, int(x[1]) in seq) for o in options]
        if "多少个" in t:
            return [int(o) == len(seq) for o in options]
        return [parse_list(o) == seq for o in options]
    total = (f + to) * (to - f + 1) // 2 if f <= to else 0
    if x := re.search(r"(?:是|是否为) (-?\d+)(?: 吗)?？", t):
        return [yes_no_truth(o, int(x[1]) == total) for o in options]
    return [int(o) == total for o in options]


def check_division(text, t, options):
    a, b = (int(x) for x in re.search(r"(\d+) 除以(?:数字)? ?(\d+)", t).groups())
    q, rest = divmod(a, b)
    value = rest if "余数" in t else q
    if m := re.search(r"是 (\d+) 吗", t):
        return [yes_no_truth(o, int(m[1]) == value) for o in options]
    return [o == str(value) for o in options]


def _sieve(limit: int) -> list[int]:
    """Smallest prime factor of every number up to ``limit``."""
    least = list(range(limit + 1))
    for p in range(2, isqrt(limit) + 1):
        if least[p] == p:
            for k in range(p * p, limit + 1, p):
                least[k] = min(least[k], p)
    return least


def check_spf(text, t, options):
    nums = [int(x) for x in re.findall(r"\d+", t)] + [int(o) for o in options if o.isdigit()]
    least = _sieve(max(nums) + 1)
    if m := re.search(r"下列哪个数的最小质数因子是 (\d+)", t):
        return [least[int(o)] == int(m[1]) for o in options]
    n = int(re.search(r"数字 (\d+) 的最小质数因子", t)[1])
    if m := re.search(r"最小质数因子是 (\d+) 吗", t):
        return [yes_no_truth(o, least[n] == int(m[1])) for o in options]
    return [o == str(least[n]) for o in options]


def check_multiples(text, t, options):
    conds = []
    for line in re.findall(ITEM + r"(.+)$", text, re.M):
        if m := re.search(r"必须是 (\d+) 的倍数", line):
            conds.append(("mul", int(m[1])))
        elif m := re.search(r"必须是(奇|偶)数", line):
            conds.append(("par", m[1]))

    def broken(n):
        out = []
        for k, (kind, v) in enumerate(conds, 1):
            fine = n % v == 0 if kind == "mul" else (n % 2 == 1) == (v == "奇")
            if not fine:
                out.append(k)
        return out

    if m := re.search(r"数字 (\d+) 不满足上述哪一条", t):
        bad = broken(int(m[1]))
        return [bad == [] if o == "三条都满足" else bad == [int(re.search(r"\d", o)[0])] for o in options]
    if m := re.search(r"数字 (\d+) (?:是“|是否同时)", t):
        return [yes_no_truth(o, not broken(int(m[1]))) for o in options]
    return [not broken(int(o)) for o in options]


def check_quadratic(text, t, options):
    labels = dict(re.findall(r"如果 B\^2 - 4AC ([=<>]) 0，则方程有(.+?)。", text))
    a, b, c = (int(x) for x in re.search(r"A = (-?\d+)，B = (-?\d+)，C = (-?\d+)", t).groups())
    d = b ** 2 - 4 * a * c
    label = labels["=" if d == 0 else (">" if d > 0 else "<")]
    if m := re.search(r"x = (-?\d+) 是否是方程的一个解", t):
        x = int(m[1])
        return [yes_no_truth(o, (a * x + b) * x + c == 0) for o in options]
    if "判别式" in t:
        return [o == str(d) for o in options]
    if m := re.search(r"方程是否有(.+?)？", t):
        return [yes_no_truth(o, m[1] == label) for o in options]
    return [o == label for o in options]


def check_digits(text, t, options):
    def holds(s, which):
        if "重复" in which:
            return s != "0" and len(set(s)) < len(s)
        if "两位数" in which:
            return len(s) == 2
        return set(s) <= set("02468")

    if m := re.search(r"数字 (\d+) (.+?)？", t):
        return [yes_no_truth(o, holds(m[1], m[2])) for o in options]
    negated = "不存在" in t or "不是" in t
    return [holds(o, t) != negated for o in options]


MARKERS = [("华氏", check_temperature), ("补考", check_score), ("f(x)", check_piecewise), ("fizz", check_fizzbuzz),
           ("4AC", check_quadratic), ("最小质数因子", check_spf), ("被除数", check_division), ("重复的数字", check_digits),
           ("的倍数", check_multiples), ("等级", check_grade), ("生成", check_fromto), ("From", check_fromto),
           ("累加和", check_fromto), ("之间", check_between)]


def check(record):
    """Parse the kind and its rules back from the text; recompute with fractions, divmod, a sieve, closed forms."""
    text = record["problem"]
    solve = next(f for marker, f in MARKERS if marker in text.lower() or marker in text)
    return [solve(text, question_body(q), q["options"]) for q in record["questions"]]


FAMILY = register(Family(
    name="described_functions", title="functions described in words (conversions, thresholds, FizzBuzz, ranges)",
    weight=24, config=Config, generate=generate, check=check,
))
