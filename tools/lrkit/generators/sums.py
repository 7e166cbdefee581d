"""Sums and accumulation over lists and ranges: the whole list, even or odd elements, 1..n, an accumulator."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from .base import Family, register, GenConfig, ask, check_range, choice, fmt_list, near_numbers, parse_list, question_body

INTROS = {
    "all": "有一个程序计算列表中所有元素的和：\n\n1. 空列表的和是 0。\n2. 非空列表的和等于第一个元素加上其余元素组成的列表的和。",
    "even": "有一个程序计算列表中所有偶数元素的和：\n\n1. 空列表的结果是 0。\n2. 如果第一个元素是偶数，结果等于它加上其余元素的结果。\n3. 如果第一个元素是奇数，跳过它，结果等于其余元素的结果。",
    "odd": "有一个程序计算列表中所有奇数元素的和：\n\n1. 空列表的结果是 0。\n2. 如果第一个元素是奇数，结果等于它加上其余元素的结果。\n3. 如果第一个元素是偶数，跳过它，结果等于其余元素的结果。",
    "range": "有一个程序计算从 1 到 N 的所有整数之和：\n\n1. 当 N = 1 时，和为 1。\n2. 当 N > 1 时，和等于 N 加上从 1 到 N-1 的和。",
    "acc": "有一个带累加器的求和程序：\n\n1. 累加器先设为给定的初始值。\n2. 从左到右依次把列表中的每个元素加到累加器上。\n3. 处理完所有元素后，累加器的值就是结果。",
}


@dataclass
class Config(GenConfig):
    min_len: int = 4
    max_len: int = 6
    max_value: int = 30
    max_n: int = 30  # largest N of 1..N

    LEVELS: ClassVar[dict] = {
        "easy": {"min_len": 3, "max_len": 4, "max_value": 10, "max_n": 10},
        "medium": {"min_len": 4, "max_len": 7, "max_value": 50, "max_n": 50},
        "hard": {"min_len": 7, "max_len": 10, "max_value": 99, "max_n": 200, "min_questions": 3, "max_questions": 5},
    }

    def validate(self) -> None:
        super().validate()
        check_range("list length", self.min_len, self.max_len, minimum=2)
        check_range("max_value", 5, self.max_value, minimum=5)
        check_range("max_n", 3, self.max_n, minimum=3)


def generate(rng, cfg: Config):
    kind = rng.choice(list(INTROS))

    def list_q(r):
        xs = [r.randint(1, cfg.max_value) for _ in range(r.randint(cfg.min_len, cfg.max_len))]
        keep = {"all": lambda x: True, "even": lambda x: x % 2 == 0, "odd": lambda x: x % 2 == 1, "acc": lambda x: True}[kind]
        picked = [x for x in xs if keep(x)]
        start = r.randint(1, 20) if kind == "acc" else 0
        total = start + sum(picked)
        running, steps = start, []
        if kind == "acc":
            steps.append(f"累加器初始值为 {start}。")
        elif kind != "all":
            steps.append(f"{'偶数' if kind == 'even' else '奇数'}元素有：{'、'.join(map(str, picked)) if picked else '没有'}。")
        for x in picked:
            steps.append(f"{running} + {x} = {running + x}。")
            running += x
        steps.append(f"结果是 {total}。")
        wrong = [str(total - picked[-1]) if picked else "1", str(sum(xs) + start)] + near_numbers(total, (1, -1, 2, -2))
        if kind == "acc":
            text = f"累加器初始值为 {start}，对列表 {fmt_list(xs)} 求和，最终结果是多少？"
            wrong.insert(0, str(sum(xs)))
        else:
            text = f"对列表 {fmt_list(xs)} 运行该程序，结果是多少？"
        return choice(r, text, str(total), wrong, steps)

    def range_q(r):
        n = r.randint(3, cfg.max_n)
        total = n * (n + 1) // 2
        steps = [f"从 1 加到 {n}：1 + 2 + … + {n}。", f"把首尾配对：(1 + {n}) × {n} ÷ 2 = {total}。"]
        return choice(r, f"当 N = {n} 时，程序的结果是多少？", str(total), [str(total - n), str(total + n + 1), str(n * n)] + near_numbers(total), steps)

    subs = ask(rng, cfg, [range_q if kind == "range" else list_q])
    return f"{INTROS[kind]}\n\n根据以上规则，回答以下选择题：", subs


def check(record):
    """Recompute from the rendered text: N(N+1)/2 by a loop, list sums by a fold with a parity mask."""
    text = record["problem"]
    verdicts = []
    for q in record["questions"]:
        t = question_body(q)
        if m := re.match(r"当 N = (\d+) 时", t):
            value = 0
            for i in range(int(m.group(1)), 0, -1):
                value += i
        else:
            xs = parse_list(re.search(r"(\[.*?\])", t).group(1))
            start = int(m.group(1)) if (m := re.match(r"累加器初始值为 (\d+)", t)) else 0
            if "所有偶数元素" in text:
                xs = [x * (1 - x % 2) for x in xs]
            elif "所有奇数元素" in text:
                xs = [x * (x % 2) for x in xs]
            value = start
            for x in reversed(xs):
                value += x
        verdicts.append([o == str(value) for o in q["options"]])
    return verdicts


FAMILY = register(Family(
    name="sums", title="sums / accumulation", weight=23, config=Config, generate=generate, check=check,
    keywords=("求和", "总和", "累加", "之和"),
))
