"""List operations on two given lists: reverse, k-th element, de-duplicate, delete, merge, intersect, sort...

A second surface form, as in many real problems, is in :mod:`list_functions`: one function or Prolog predicate
described step by step, with an input list per sub-question (integer levels only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from . import list_functions
from .base import dedup, Family, register, GenConfig, ask, check_range, choice, fmt_list, near_lists, near_numbers, parse_list, question_body, yes_no, yes_no_truth

YES_NOT = ("是", "不是")
LETTER_POOL = "abcdefghmnpxyz"


@dataclass
class Config(GenConfig):
    min_len: int = 4
    max_len: int = 7
    max_value: int = 20
    letters: bool = False  # lists of letters instead of integers

    LEVELS: ClassVar[dict] = {
        "easy": {"min_len": 3, "max_len": 5, "max_value": 9, "letters": True, "min_questions": 1, "max_questions": 3},
        "medium": {"min_len": 5, "max_len": 8, "max_value": 30},
        "hard": {"min_len": 8, "max_len": 12, "max_value": 99, "min_questions": 3, "max_questions": 5},
    }

    def validate(self) -> None:
        super().validate()
        check_range("list length", self.min_len, self.max_len, minimum=3)
        if self.max_value < 5:
            raise ValueError("max_value must be at least 5")


def drop_every(items, k):
    return [x for i, x in enumerate(items, 1) if i % k]


def generate(rng, cfg: Config):
    if not cfg.letters and rng.random() < 0.5:
        text, makers = list_functions.generate(rng, cfg)
        return text, ask(rng, cfg, makers)
    pool = list(LETTER_POOL) if cfg.letters else list(range(1, cfg.max_value + 1))
    small = rng.sample(pool, max(4, min(len(pool), cfg.max_len - 1)))  # a small pool makes repeats likely
    lists = {"列表1": [rng.choice(small) for _ in range(rng.randint(cfg.min_len, cfg.max_len))],
             "列表2": [rng.choice(small) for _ in range(rng.randint(cfg.min_len, cfg.max_len))]}
    used: set[str] = set()

    def pick(r):
        name = r.choice(sorted(lists))
        return name, lists[name]

    def list_question(r, text, result, steps, rule, extra=()):
        used.add(rule)
        return choice(r, text, fmt_list(result), [fmt_list(x) for x in list(extra) + near_lists(r, result, pool)], steps)

    def reverse(r):
        name, xs = pick(r)
        out = xs[::-1]
        return list_question(r, f"将{name}反转后得到的列表是什么？", out,
                             [f"{name}是 {fmt_list(xs)}，共 {len(xs)} 个元素。", f"从最后一个元素起依次取出，得到 {fmt_list(out)}。"],
                             "反转：把列表中元素的顺序倒过来。", [xs])

    def second_last(r):
        name, xs = pick(r)
        used.add("倒数第二个元素：列表中最后一个元素之前的那个元素。")
        return choice(r, f"{name}的倒数第二个元素是什么？", str(xs[-2]), [str(x) for x in (xs[-1], xs[-3], xs[0], xs[1], *rng.sample(pool, 3))],
                      [f"{name}是 {fmt_list(xs)}。", f"最后一个元素是 {xs[-1]}，它前面的元素是 {xs[-2]}。"])

    def nth(r):
        name, xs = pick(r)
        k = r.randint(2, len(xs))
        used.add("第 k 个元素：从 1 开始计数，列表中位于第 k 位的元素。")
        return choice(r, f"{name}的第 {k} 个元素（从 1 开始计数）是什么？", str(xs[k - 1]),
                      [str(x) for x in (xs[k - 2], xs[k % len(xs)], xs[0], *rng.sample(pool, 3))],
                      [f"{name}是 {fmt_list(xs)}。", f"从 1 开始数，第 {k} 个元素是 {xs[k - 1]}。"])

    def unique(r):
        name, xs = pick(r)
        out = dedup(xs)
        if out == xs:
            return None
        keep_last = dedup(xs[::-1])[::-1]
        singles = [x for x in xs if xs.count(x) == 1]
        return list_question(r, f"删除{name}中的重复元素（只保留每个元素第一次出现的位置）后得到的列表是什么？", out,
                             [f"{name}是 {fmt_list(xs)}。", "从左到右扫描，遇到已经出现过的元素就跳过。", f"结果是 {fmt_list(out)}。"],
                             "删除重复元素：每个元素只保留第一次出现的位置。", [keep_last, singles, xs])

    def delete_first(r):
        name, xs = pick(r)
        x = r.choice(xs)
        i = xs.index(x)
        out = xs[:i] + xs[i + 1:]
        all_gone = [y for y in xs if y != x]
        j = len(xs) - 1 - xs[::-1].index(x)
        last_gone = xs[:j] + xs[j + 1:]
        return list_question(r, f"删除{name}中第一个 {x} 后得到的列表是什么？", out,
                             [f"{name}是 {fmt_list(xs)}。", f"{x} 第一次出现在第 {i + 1} 位，只删除这一个。", f"结果是 {fmt_list(out)}。"],
                             "删除元素：只删除该元素第一次出现的那一个。", [all_gone, last_gone, xs])

    def length(r):
        name, xs = pick(r)
        used.add("长度：列表中元素的个数。")
        return choice(r, f"{name}的长度是多少？", str(len(xs)), near_numbers(len(xs)),
                      [f"{name}是 {fmt_list(xs)}。", f"逐个计数，共有 {len(xs)} 个元素。"])

    def every(r):
        name, xs = pick(r)
        k = r.randint(2, min(4, len(xs)))
        out = drop_every(xs, k)
        return list_question(r, f"从{name}中每隔 {k} 个元素删除一个元素（删除第 {k}、{2 * k}……个元素）后得到的列表是什么？", out,
                             [f"{name}是 {fmt_list(xs)}。", f"删除位置是 {k} 的倍数的元素：" + "、".join(f"第 {i} 个（{xs[i - 1]}）" for i in range(k, len(xs) + 1, k)) + "。",
                              f"剩下 {fmt_list(out)}。"],
                             "每隔 k 个删除：删除位置为 k、2k、3k……的元素。", [drop_every(xs, k + 1), drop_every(xs, k - 1) if k > 2 else xs[1:]])

    def merge(r):
        a, b = lists["列表1"], lists["列表2"]
        out = dedup(a + b)
        return list_question(r, "将列表1和列表2合并（列表1在前）并删除重复元素（保留第一次出现）后得到的列表是什么？", out,
                             [f"先连接得到 {fmt_list(a + b)}。", "再从左到右删除已经出现过的元素。", f"结果是 {fmt_list(out)}。"],
                             "合并：把第二个列表接在第一个列表后面。", [a + b, dedup(b + a)])

    def intersect(r):
        a, b = lists["列表1"], lists["列表2"]
        out = dedup([x for x in a if x in b])
        if not out:
            return None
        return list_question(r, "列表1和列表2的交集（按列表1中的顺序，不重复）是什么？", out,
                             [f"列表1是 {fmt_list(a)}，列表2是 {fmt_list(b)}。", "依次检查列表1的元素是否也在列表2中，重复的只记一次。", f"交集是 {fmt_list(out)}。"],
                             "交集：同时出现在两个列表中的元素。", [dedup(a), dedup([x for x in b if x not in a]) or [a[0]]])

    def evens(r):
        if cfg.letters:
            return None
        name, xs = pick(r)
        out = [x for x in xs if x % 2 == 0]
        return list_question(r, f"删除{name}中所有奇数后得到的列表是什么？", out,
                             [f"{name}是 {fmt_list(xs)}。", "奇数有：" + ("、".join(str(x) for x in xs if x % 2) or "无") + "，把它们删除。", f"结果是 {fmt_list(out)}。"],
                             "删除奇数：只保留能被 2 整除的元素。", [[x for x in xs if x % 2], xs])

    def sort(r):
        name, xs = pick(r)
        out = sorted(xs)
        return list_question(r, f"将{name}按从小到大排序（保留重复元素）后得到的列表是什么？", out,
                             [f"{name}是 {fmt_list(xs)}。", f"按从小到大排列得到 {fmt_list(out)}。"],
                             "排序：按从小到大的顺序排列，重复元素都保留。", [sorted(xs, reverse=True), sorted(set(xs))])

    def prefix(r):
        name, xs = pick(r)
        n = r.randint(1, 3)
        truth = r.random() < 0.5
        p = xs[:n] if truth else near_lists(r, xs[:n], pool)[0]
        truth = xs[:len(p)] == p
        used.add("前缀：列表开头的连续若干个元素组成的列表。")
        return yes_no(f"{fmt_list(p)} 是否是{name}的前缀？", truth,
                      [f"{name}是 {fmt_list(xs)}，它的前 {len(p)} 个元素是 {fmt_list(xs[:len(p)])}。",
                       f"{fmt_list(p)} {'与之相同' if truth else '与之不同'}，所以{'是' if truth else '不是'}前缀。"], YES_NOT)

    def member(r):
        name, xs = pick(r)
        x = r.choice(xs) if r.random() < 0.5 else r.choice(pool)
        truth = x in xs
        return yes_no(f"元素 {x} 是否是{name}的成员？", truth,
                      [f"{name}是 {fmt_list(xs)}。", f"{x} {'出现在' if truth else '没有出现在'}其中。"], YES_NOT)

    subs = ask(rng, cfg, [reverse, second_last, nth, unique, delete_first, length, every, merge, intersect, evens, sort, prefix, member])
    head = f"有两个{'字母' if cfg.letters else '整数'}列表：\n\n列表1：{fmt_list(lists['列表1'])}\n列表2：{fmt_list(lists['列表2'])}"
    rules = sorted(used)
    body = f"{head}\n\n列表操作的约定如下：\n" + "\n".join(f"{i}. {t}" for i, t in enumerate(rules, 1)) if rules else head
    return f"{body}\n\n根据以上信息，回答以下选择题：", subs


def check(record):
    """Re-derive each answer from the rendered lists with independent implementations."""
    if "列表1：" not in record["problem"]:
        return list_functions.check(record)
    lists = {m.group(1): parse_list(m.group(2)) for m in re.finditer(r"(列表\d)：(\[.*?\])", record["problem"])}
    a, b = lists["列表1"], lists["列表2"]
    verdicts = []
    for q in record["questions"]:
        t = question_body(q)
        m = re.search(r"(列表\d)", t)
        xs = lists[m.group(1)] if m else a
        value = truth = None
        if t.startswith("将") and "反转" in t:
            value = [xs[i] for i in range(len(xs) - 1, -1, -1)]
        elif "倒数第二个" in t:
            value = xs[len(xs) - 2]
        elif mm := re.search(r"第 (\d+) 个元素（从 1", t):
            value = xs[int(mm.group(1)) - 1]
        elif t.startswith("删除") and "重复元素" in t:
            value = list(dict.fromkeys(xs))
        elif mm := re.search(r"中第一个 (\S+) 后", t):
            x = parse_list(f"[{mm.group(1)}]")[0]
            value = list(xs)
            value.remove(x)
        elif "长度" in t:
            value = sum(1 for _ in xs)
        elif mm := re.search(r"每隔 (\d+) 个元素", t):
            k = int(mm.group(1))
            value = [x for j, x in enumerate(xs) if (j + 1) % k != 0]
        elif "合并" in t:
            value = list(dict.fromkeys(a + b))
        elif "交集" in t:
            value = list(dict.fromkeys(x for x in a if x in set(b)))
        elif "奇数" in t:
            value = [x for x in xs if not x & 1]
        elif "排序" in t:
            value = sorted(xs, key=lambda v: (v,))
        elif mm := re.match(r"(\[.*?\]) 是否是列表\d的前缀", t):
            p = parse_list(mm.group(1))
            truth = all(i < len(xs) and xs[i] == p[i] for i in range(len(p)))
        elif mm := re.match(r"元素 (\S+) 是否是", t):
            truth = parse_list(f"[{mm.group(1)}]")[0] in set(xs)
        else:
            raise ValueError(f"unknown list question: {t}")
        if truth is not None:
            verdicts.append([yes_no_truth(o.replace("不是", "否"), truth) for o in q["options"]])
        elif isinstance(value, list):
            verdicts.append([o.startswith("[") and parse_list(o) == value for o in q["options"]])
        else:
            verdicts.append([o == str(value) for o in q["options"]])
    return verdicts


FAMILY = register(Family(
    name="list_ops", title="list operations", weight=93, config=Config, generate=generate, check=check,
    keywords=("列表", "数组", "序列"),
))
