"""The one-function form of the list_ops family, as in the real problems: a function or Prolog predicate over lists
is described step by step ("有一个函数 evens(L, R)，它从列表 L 中去掉所有奇数…"), and each sub-question gives its own
input list ("对于输入列表 [13,55,77,5,6]，函数返回的结果是什么？").

Each operation is (the problem's description, its steps, what it returns, the generator's implementation);
:func:`check` recognises the operation by its description's words and recomputes every answer with its own code.
"""

from __future__ import annotations

import re

from .base import choice, dedup, fmt_list, near_lists, near_numbers, parse_list, question_body, yes_no, yes_no_truth


def _insertion_sort(xs):
    out: list = []
    for x in xs:
        i = 0
        while i < len(out) and out[i] <= x:
            i += 1
        out.insert(i, x)
    return out


def _maximum(xs):
    best = xs[0]
    for x in xs[1:]:
        best = x if x > best else best
    return best


# name -> (description with {k}, steps, "list" or "number", implementation (xs, k) -> result)
OPERATIONS = {
    "remove_odd": ("有一个函数 evens(L, R)，它从列表 L 中去掉所有奇数、只留下偶数，得到列表 R。该函数按以下步骤工作：",
                   ["空列表的结果是空列表。", "逐个检查元素：奇数被丢弃，然后处理下一个元素。", "偶数按原来的顺序放入结果列表，然后处理下一个元素。"],
                   "list", lambda xs, k: [x for x in xs if x % 2 == 0]),
    "reverse": ("有一个谓词 reverse(L, R)，它把列表 L 反转，得到列表 R。以下是它的定义：",
                ["空列表反转后仍是空列表。", "非空列表 [H|T] 反转后，等于 T 反转后的结果在末尾再加上 H。"],
                "list", lambda xs, k: list(reversed(xs))),
    "add_k": ("有一个谓词 add_all(L, {k}, R)，它把整数 {k} 加到列表 L 的每个元素上，得到列表 R。定义如下：",
              ["如果列表为空，结果为空列表。", "否则，把第一个元素加上 {k}，再对其余的元素做同样的处理。"],
              "list", lambda xs, k: [x + k for x in xs]),
    "dedup": ("有一个函数 dedup(L, R)，它删除列表 L 中的重复元素，只保留每个元素第一次出现的位置，得到列表 R。以下是它的逻辑：",
              ["如果列表为空，则返回空列表。", "否则，如果第一个元素在前面已经出现过，就跳过它；否则把它保留在结果中。", "继续处理其余的元素。"],
              "list", lambda xs, k: dedup(xs)),
    "sort": ("有一个插入排序的过程，它把列表中的元素按从小到大的顺序排列（重复元素都保留）。以下是该过程的描述：",
             ["空列表已经排好序。", "对于列表 [H|T]，先把 T 排好序，再把 H 插入到第一个比它大的元素前面。"],
             "list", lambda xs, k: _insertion_sort(xs)),
    "max": ("有一个谓词 max_list(L, M)，它求出非空整数列表 L 中的最大元素 M。以下是它的定义：",
            ["只有一个元素的列表，最大元素就是这个元素本身。", "否则，M 是第一个元素与其余元素的最大值中较大的那个。"],
            "number", lambda xs, k: _maximum(xs)),
    "last": ("有一个谓词 last(L, X)，它找出列表 L 的最后一个元素 X。以下是它的定义：",
             ["如果列表只有一个元素，X 就是这个元素。", "否则，X 是去掉第一个元素后剩余列表的最后一个元素。"],
             "number", lambda xs, k: xs[-1]),
}


def render(xs, compact: bool) -> str:
    return fmt_list(xs).replace(", ", ",") if compact else fmt_list(xs)


def generate(rng, cfg):
    """(problem text, sub-question makers) for one operation; the caller asks the questions."""
    name = rng.choice(sorted(OPERATIONS))
    description, steps, returns, run = OPERATIONS[name]
    k = rng.randint(1, 9)
    compact = rng.random() < 0.3
    pool = list(range(1, cfg.max_value + 1))

    def some_list(r):
        return [r.choice(pool) for _ in range(r.randint(cfg.min_len, cfg.max_len))]

    def result_q(r):
        xs = some_list(r)
        out = run(xs, k)
        text = r.choice((f"对于输入列表 {render(xs, compact)}，函数返回的结果是什么？",
                         f"给定列表 {render(xs, compact)}，按照上述规则处理后，得到的结果是什么？"))
        why = [f"输入列表是 {fmt_list(xs)}。", f"按上述规则逐个处理元素，得到 {fmt_list(out) if returns == 'list' else out}。"]
        if returns == "list":
            return choice(r, text, fmt_list(out), [fmt_list(x) for x in near_lists(r, out, pool) + [xs]], why)
        return choice(r, text, str(out), [str(x) for x in xs] + near_numbers(out), why)

    def empty_q(r):
        if returns != "list":
            return None
        return choice(r, "如果输入列表为空，函数返回的结果是什么？", "[]", ["[0]", "[1]", f"[{k}]", "[2]"],
                      ["按规则的第一条，空列表的结果是空列表 []。"])

    def holds_q(r):
        xs = some_list(r)
        out = run(xs, k)
        truth = r.random() < 0.5
        claimed = out if truth else (near_lists(r, out, pool)[0] if returns == "list" else out + r.choice((1, -1, 2)))
        truth = claimed == out
        shown = fmt_list(claimed) if returns == "list" else str(claimed)
        return yes_no(f"对于输入列表 {render(xs, compact)}，函数的结果是 {shown}，这个说法正确吗？", truth,
                      [f"按规则处理 {fmt_list(xs)} 得到 {fmt_list(out) if returns == 'list' else out}。",
                       f"{'与' if truth else '不同于'}所说的 {shown}{'相同' if truth else ''}。"], ("正确", "错误"))

    text = description.format(k=k) + "\n\n" + "\n".join(f"{i}. {s.format(k=k)}" for i, s in enumerate(steps, 1))
    return text + "\n\n根据以上逻辑，回答以下选择题：", [result_q, result_q, empty_q, holds_q]


def check(record):
    """Recognise the operation by its description, then recompute each sub-question's answer independently."""
    text = record["problem"]
    k = int(m.group(1)) if (m := re.search(r"add_all\(L, (\d+), R\)", text)) else 0
    # The checker's own implementations, keyed by a word only that operation's description contains.
    recompute = (("evens(L, R)", lambda xs: [x for x in xs if x & 1 == 0]), ("reverse(L, R)", lambda xs: xs[::-1]),
                 ("add_all(L, ", lambda xs: [x + k for x in xs]), ("dedup(L, R)", lambda xs: list(dict.fromkeys(xs))),
                 ("插入排序", sorted), ("max_list(L, M)", max), ("last(L, X)", lambda xs: xs[len(xs) - 1]))
    run = next((f for marker, f in recompute if marker in text), None)
    if run is None:
        raise ValueError("unknown list function")
    verdicts = []
    for q in record["questions"]:
        t = question_body(q)
        if t.startswith("如果输入列表为空"):
            verdicts.append([o == "[]" for o in q["options"]])
        elif m := re.search(r"列表 (\[.*?\])，函数的结果是 (.+?)，这个说法正确吗？", t):
            value = run(parse_list(m.group(1)))
            claimed = parse_list(m.group(2)) if m.group(2).startswith("[") else int(m.group(2))
            verdicts.append([yes_no_truth(o, claimed == value) for o in q["options"]])
        elif m := re.search(r"列表 (\[.*?\])，", t):
            value = run(parse_list(m.group(1)))
            verdicts.append([(parse_list(o) if o.startswith("[") else int(o)) == value for o in q["options"]])
        else:
            raise ValueError(f"unknown list question: {t}")
    return verdicts
