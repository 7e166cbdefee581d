"""Directional and temporal relations stated as direct links, and what follows from them by transitivity.

The real problems give relations one link at a time and ask what follows: rooms west of rooms, streets left of
streets (facing north, left is west), towns west or north of towns, means of transport faster than others, who was
born before whom, which act of a show comes before which. Some state the transitive rule in words ("如果X在Y的西边，
Y在Z的西边，那么X在Z的西边"), some give links the other way round (东边, 晚于, 慢). The links form one chain, two
separate chains or a branching partial order, so some pairs cannot be derived.

Two readings, as in the real data:
- places and speeds, closed world: a relation holds when the links give it directly or by transitivity, otherwise
  it cannot be determined (the yes/no answer is 否). Forms: 是否在……的西边 / 能否确定……,
  下列哪个……可以确定在 X 的西边, X 可以确定在下列哪个……的西边, 最西边的是哪个, 以下哪个说法一定正确,
  可以确定在 X 西边的一共有几个, and for a total order 从西到东依次是.
- births and a show's running order, partial order: any order satisfying every link is possible. Forms: 是否一定 /
  是否可能早于, 谁一定最早出生, 以下哪个人有可能是最早出生的, 以下哪个出生顺序是可能的, 第 k 个出生的一定是谁,
  可以确定比 X 出生早的有几个人, 以下哪个说法一定正确.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from typing import ClassVar

from .base import (EN_NAMES, ITEM, OUTRO, ZH_NAMES, Family, GenConfig, ask, check_range, choice, join_names, layout,
                   question_body, register, yes_no, yes_no_truth)

TOWNS = ["青石镇", "柳林镇", "枫桥镇", "桃源镇", "白沙镇", "杏林镇", "云溪镇", "梅岭镇", "竹溪镇", "石门镇", "清河镇",
         "松岗镇", "金山镇", "龙泉镇"]
ZH_STREETS = ["中山路", "解放路", "人民路", "建设路", "和平路", "长江路", "黄河路", "淮海路", "延安路", "胜利路",
              "友谊路", "文化路"]
EN_STREETS = ["Queen街", "King街", "Dundas街", "College街", "Bloor街", "Front街", "Church街", "Jarvis街", "Wellesley街",
              "Sherbourne街"]
SPEEDS = ["飞机", "高铁", "火车", "汽车", "公共汽车", "电动车", "自行车", "滑板", "步行"]  # fastest first, as in life
SHOWS = ["舞蹈", "合唱", "相声", "小品", "魔术", "杂技", "独唱", "诗朗诵", "京剧选段", "武术表演"]

# A vocabulary: its fact sentence (a comes first under the axis' first word), the axes it may use, and its question
# templates. Places and speeds are read in the closed world ("space"), births and shows as partial orders ("time").
VOCABS = {
    "rooms": {
        "mode": "space", "weight": 2, "axes": [("西边", "东边")], "noun": "房间", "unit": "个",
        "fact": "房间{a}在房间{b}的{w}",
        "whether": ["房间{a}是否在房间{b}的{w}？"],
        "which": "下列哪个房间可以确定在房间{b}的{w}？",
        "which_inv": "房间{a}可以确定在下列哪个房间的{w}？",
        "extreme": "最{w}的房间是哪个？",
        "count": "可以确定在房间{b}{w}的房间一共有几个？",
        "order": "这些房间从{p}到{q}依次是？",
        "intros": ["一条走廊边有{n}个房间，编号分别为{names}。已知以下房间之间的位置关系：",
                   "有几间房间，编号分别为{names}。关于这些房间的相对位置，已知以下线索："],
    },
    "streets": {
        "mode": "space", "weight": 2, "axes": [("左边", "右边")], "noun": "街道", "unit": "条",
        "fact": "{a}在{b}的{w}",
        "whether": ["{a}是否在{b}的{w}？"],
        "which": "下列哪条街道可以确定在{b}的{w}？",
        "which_inv": "{a}可以确定在下列哪条街道的{w}？",
        "extreme": "最{w}的街道是哪一条？",
        "count": "可以确定在{b}{w}的街道一共有几条？",
        "order": "这些街道从{p}到{q}依次是？",
        "intros": ["某城区有{n}条南北走向的街道：{names}。关于它们的位置，已知以下信息：",
                   "在一个城市中，有{n}条街道并排排列：{names}。它们之间的左右关系如下："],
    },
    "towns": {
        "mode": "space", "weight": 2, "axes": [("西边", "东边"), ("北边", "南边")], "noun": "小镇", "unit": "个",
        "fact": "{a}在{b}的{w}",
        "whether": ["{a}是否在{b}的{w}？"],
        "which": "下列哪个小镇可以确定在{b}的{w}？",
        "which_inv": "{a}可以确定在下列哪个小镇的{w}？",
        "extreme": "最{w}的小镇是哪个？",
        "count": "可以确定在{b}{w}的小镇一共有几个？",
        "order": "这些小镇从{p}到{q}依次是？",
        "intros": ["某地区有{n}个小镇：{names}。已知它们之间的部分位置关系如下：",
                   "我们知道{names}这{n}个小镇之间的一些位置关系。以下是已知的信息："],
    },
    "speeds": {
        "mode": "space", "weight": 2, "axes": [("快", "慢")], "noun": "交通方式", "unit": "种",
        "fact": "{a}比{b}{w}",
        "whether": [],
        "which": "下列哪种交通方式可以确定比{b}{w}？",
        "which_inv": "{a}可以确定比下列哪种交通方式{w}？",
        "extreme": "哪种交通方式最{w}？",
        "count": "可以确定比{b}{w}的交通方式一共有几种？",
        "order": "这些交通方式按速度从{p}到{q}依次是？",
        "intros": ["下面比较了{names}这{n}种交通方式的速度。已知：",
                   "有{n}种交通方式：{names}。关于它们的速度，已知以下线索："],
    },
    "births": {
        "mode": "time", "weight": 3, "axes": [("早于", "晚于")], "ends": ("早", "晚"), "noun": "人", "unit": "个",
        "note": "从早到晚",
        "fact": "{a}出生{w}{b}",
        "sure": "{a}是否一定{w}{b}出生？",
        "maybe": "{a}是否可能{w}{b}出生？",
        "extreme": "谁一定最{e}出生？",
        "maybe_first": "以下哪个人有可能是最{e}出生的？",
        "order": "以下哪个从{p}到{q}的出生顺序是可能的？",
        "position": "从早到晚，第 {k} 个出生的一定是谁？",
        "count": "可以确定比{b}出生{e}的一共有几个人？",
        "intros": ["有{n}个人：{names}，他们的出生时间各不相同。关于出生的先后，已知以下线索：",
                   "下面是关于{names}这{n}个人出生先后的问题，每个人的出生时间都不同。已知以下线索："],
    },
    "shows": {
        "mode": "time", "weight": 2, "axes": [("之前", "之后")], "ends": ("先", "后"), "noun": "节目", "unit": "个",
        "note": "从第一个到最后一个",
        "fact": "{a}安排在{b}{w}",
        "sure": "{a}是否一定安排在{b}{w}？",
        "maybe": "{a}是否可能安排在{b}{w}？",
        "extreme": "哪个节目一定最{e}表演？",
        "maybe_first": "以下哪个节目有可能最{e}表演？",
        "order": "以下哪个演出顺序（从第一个到最后一个）是可能的？",
        "position": "第 {k} 个表演的一定是哪个节目？",
        "count": "可以确定安排在{b}{w}的节目一共有几个？",
        "intros": ["一场晚会共有{n}个节目：{names}。节目一个接一个地表演，每个节目只表演一次。节目单需满足以下条件：",
                   "某次联欢会要排{n}个节目的出场顺序，节目有{names}，依次表演。已知以下安排要求："],
    },
}
KEYS = list(VOCABS)
STATEMENT = "以下哪个说法一定正确？"
MAPPING = ("这些街道都是南北走向的；面朝北方时，左边就是西边，右边就是东边。"
           "因此，如果一条街道在另一条街道的左边，那么它就在那条街道的西边。")
CLOSED = ("判断时只依据以上给出的关系及其传递性，推不出的关系一律视为不成立（不能确定）。",
          "只有已知关系直接给出或通过传递推出的结论才成立，其余关系都视为不能确定。")
OPEN = ("除以上条件外没有其他限制，满足全部条件的任何顺序都有可能。", "只要满足以上全部条件，任何顺序都是可能的。")


@dataclass
class Config(GenConfig):
    min_items: int = 5
    max_items: int = 6
    extra_links: int = 1          # redundant links beside the ones that shape the order
    partial_share: float = 0.6    # share of worlds that are not one chain (two chains, or a branching order)
    reverse_share: float = 0.3    # share of links stated the other way round (东边, 晚于, 慢)

    LEVELS: ClassVar[dict] = {
        "easy": {"min_items": 4, "max_items": 5, "extra_links": 0, "partial_share": 0.5, "reverse_share": 0.0,
                 "max_questions": 3},
        "medium": {"min_items": 5, "max_items": 6, "extra_links": 1, "partial_share": 0.65, "reverse_share": 0.3},
        "hard": {"min_items": 6, "max_items": 7, "extra_links": 2, "partial_share": 0.75, "reverse_share": 0.4,
                 "min_questions": 3, "max_questions": 5},
    }

    def validate(self) -> None:
        super().validate()
        check_range("items", self.min_items, self.max_items, minimum=4)
        check_range("items", self.max_items, 7)  # the order options stay readable; the checker enumerates orders
        check_range("extra_links", 0, self.extra_links, minimum=0)
        if not (0 <= self.partial_share <= 1 and 0 <= self.reverse_share <= 1):
            raise ValueError("partial_share and reverse_share must lie within 0..1")


def draw_names(rng, key: str, n: int) -> list[str]:
    """``n`` names for the vocabulary ``key``; the list's order is the hidden order of the world."""
    if key == "rooms":
        floor = rng.randint(1, 3)
        return [f"r{floor}{x:02d}" for x in rng.sample(range(1, 40), n)]
    if key == "streets":
        return rng.sample(ZH_STREETS if rng.random() < 0.5 else EN_STREETS, n)
    if key == "towns":
        return rng.sample(TOWNS, n)
    if key == "speeds":
        return [SPEEDS[i] for i in sorted(rng.sample(range(len(SPEEDS)), n))]
    if key == "births":
        return rng.sample(ZH_NAMES if rng.random() < 0.5 else EN_NAMES, n)
    return rng.sample(SHOWS, n)


def shape_links(rng, cfg: Config, n: int) -> list[tuple[int, int]]:
    """Links (i, j), i before j, over positions 0..n-1: one chain, two chains, or a branching order."""
    shape = rng.choice(("split", "branch", "branch")) if rng.random() < cfg.partial_share else "chain"
    if shape == "chain":
        links = [(i, i + 1) for i in range(n - 1)]
    elif shape == "split":
        cut = rng.randint(2, n - 2)
        links = [(i, i + 1) for i in range(n - 1) if i != cut - 1]
    else:
        links = []
        for i in range(1, n):
            if i == 1 and rng.random() < 0.3:
                continue  # a second item that nothing precedes
            k = 2 if i >= 2 and rng.random() < 0.3 else 1
            links += [(p, i) for p in rng.sample(range(max(0, i - 3), i), k)]
        for i in range(n):
            if not any(i in link for link in links):
                links.append((i, i + 1) if i + 1 < n else (i - 1, i))
        if rng.random() < 0.5:  # mirrored: one item last of all, several that nothing follows
            links = [(n - 1 - b, n - 1 - a) for a, b in links]
    below = reach_sets(range(n), links)
    redundant = [(i, j) for i in range(n) for j in sorted(below[i]) if (i, j) not in links]
    return links + rng.sample(redundant, min(cfg.extra_links, len(redundant)))


def reach_sets(items, links) -> dict:
    """Everything each item precedes, by depth-first search along the links."""
    succ = {x: [] for x in items}
    for a, b in links:
        succ[a].append(b)
    reach = {}
    for x in succ:
        seen, stack = set(), list(succ[x])
        while stack:
            y = stack.pop()
            if y not in seen:
                seen.add(y)
                stack.extend(succ[y])
        reach[x] = seen
    return reach


def path(links, a, b) -> list:
    """The shortest chain of links from ``a`` to ``b`` (breadth-first)."""
    prev = {a: None}
    queue = deque([a])
    while queue:
        x = queue.popleft()
        for p, q in links:
            if p == x and q not in prev:
                prev[q] = x
                queue.append(q)
    out = [b]
    while out[-1] != a:
        out.append(prev[out[-1]])
    return out[::-1]


def topo(rng, names, links, lead=None) -> list:
    """A random order satisfying every link (Kahn's algorithm), ``lead`` as early as it can go."""
    left, out = list(names), []
    while left:
        free = [x for x in left if not any(b == x and a in left for a, b in links)]
        x = lead if lead in free else rng.choice(free)
        out.append(x)
        left.remove(x)
    return out


def generate(rng, cfg: Config):
    key = rng.choices(KEYS, weights=[VOCABS[k]["weight"] for k in KEYS])[0]
    v = VOCABS[key]
    space = v["mode"] == "space"
    n = rng.randint(cfg.min_items, cfg.max_items)
    names = draw_names(rng, key, n)  # names[0] comes first: the most western, the fastest, the earliest
    links = [(names[a], names[b]) for a, b in shape_links(rng, cfg, n)]
    reach = reach_sets(names, links)
    axis = rng.choice(v["axes"])
    mapped = key == "streets" and rng.random() < 0.5  # facts say left of, the questions west of
    qaxis = ("西边", "东边") if mapped else axis
    ends = v.get("ends") or (qaxis[0][0], qaxis[1][0])
    sep = ", " if all(x.isascii() for x in names) else "、"
    asked: set = set()

    def fact(a, b, d, words=axis):
        return v["fact"].format(a=a, b=b, w=words[d])

    def rel(a, b, d):  # "a rel_d b" in the questions' words
        return fact(a, b, d, qaxis)

    def holds(a, b, d):  # is "a rel_d b" certain (derivable)?
        return b in reach[a] if d == 0 else a in reach[b]

    def ahead(a, b, d):  # the pair in the axis' first direction
        return (a, b) if d == 0 else (b, a)

    def prove(a, b):
        p = path(links, a, b)
        said = [fact(x, y, 0) for x, y in zip(p, p[1:])]
        if len(said) == 1:
            return [f"已知{said[0]}。"]
        return [f"已知{'，'.join(said)}。", f"由传递性可得{fact(a, b, 0)}。"]

    def because(a, b, d):
        x, y = ahead(a, b, d)
        return prove(x, y) + ([f"也就是说，{rel(a, b, d)}。"] if rel(a, b, d) != fact(x, y, 0) else [])

    def witness(x, y):  # an order with x before y, as the solution shows it
        return f"例如顺序“{sep.join(topo(rng, names, links + [(x, y)]))}”（{v['note']}）满足全部条件"

    def refute(a, b, d):
        x, y = ahead(a, b, d)
        if x in reach[y]:
            return prove(y, x) + [f"所以“{rel(a, b, d)}”不成立。"]
        if not space:
            return [f"已知条件中没有能把{x}和{y}连起来的关系。", f"{witness(y, x)}，其中{y}排在{x}前面。",
                    f"所以不能确定{rel(a, b, d)}。"]
        got = [z for z in names if z in reach[x]]
        first = (f"由已知关系逐步推理，可以确定{fact(x, join_names(got), 0)}，其中不包括{y}。" if got else
                 f"已知关系推不出任何形如“{fact(x, '……', 0)}”的结论。")
        return [first, f"{x}和{y}之间没有能连起来的已知关系，所以不能确定{rel(a, b, d)}。"]

    def pick(r, test):
        pairs = [(a, b) for a in names for b in names if a != b and test(a, b) and frozenset((a, b)) not in asked]
        if not pairs:
            return None
        a, b = r.choice(pairs)
        asked.add(frozenset((a, b)))
        return a, b

    def whether(r):
        want, d = r.random() < 0.5, r.randrange(2)
        pair = pick(r, lambda a, b: holds(a, b, d) == want)
        if pair is None:
            return None
        a, b = pair
        forms = v["whether"] + ["根据已知信息，能否确定" + v["fact"] + "？"]
        text = r.choice(forms).format(a=a, b=b, w=qaxis[d])
        return yes_no(text, want, because(a, b, d) if want else refute(a, b, d))

    def sure(r):
        want, d = r.random() < 0.5, r.randrange(2)
        pair = pick(r, lambda a, b: holds(a, b, d) == want)
        if pair is None:
            return None
        a, b = pair
        return yes_no(v["sure"].format(a=a, b=b, w=qaxis[d]), want, because(a, b, d) if want else refute(a, b, d))

    def maybe(r):
        want, d = r.random() < 0.5, r.randrange(2)
        if want:
            open_only = r.random() < 0.7  # mostly pairs with no certain order either way
            pair = pick(r, lambda a, b: not holds(b, a, d) and (not holds(a, b, d) or not open_only))
        else:
            pair = pick(r, lambda a, b: holds(b, a, d))
        if pair is None:
            return None
        a, b = pair
        x, y = ahead(a, b, d)
        if not want:
            steps = prove(y, x) + [f"所以“{rel(a, b, d)}”不可能成立。"]
        elif holds(a, b, d):
            steps = because(a, b, d) + ["既然一定成立，当然也是可能的。"]
        else:
            steps = [f"已知条件中没有能把{x}和{y}连起来的关系。", f"{witness(x, y)}，其中{x}排在{y}前面。",
                     f"所以{rel(a, b, d)}是可能的。"]
        return yes_no(v["maybe"].format(a=a, b=b, w=qaxis[d]), want, steps)

    def which(r, inverse=False):
        c, d = r.choice(names), r.randrange(2)
        yes = [x for x in names if x != c and (holds(c, x, d) if inverse else holds(x, c, d))]
        no = [x for x in names if x != c and x not in yes]
        if not yes or len(no) < 3:
            return None
        x, wrong = r.choice(yes), r.sample(no, 3)
        text = v["which_inv"].format(a=c, w=qaxis[d]) if inverse else v["which"].format(b=c, w=qaxis[d])
        steps = (because(c, x, d) if inverse else because(x, c, d)) + [f"而{join_names(wrong)}都推不出这样的关系。"]
        return choice(r, text, x, wrong, steps)

    def which_inv(r):
        return which(r, inverse=True)

    def extreme(r):
        d = r.randrange(2)
        tops = [e for e in names if all(holds(e, x, d) for x in names if x != e)]
        if not tops:
            return None
        e = tops[0]
        rest = [x for x in names if x != e]
        steps = [f"把已知关系连起来推理，可以确定{rel(e, join_names(rest), d)}。"]
        return choice(r, v["extreme"].format(w=qaxis[d], e=ends[d]), e, r.sample(rest, 3), steps)

    def maybe_first(r):
        d = r.randrange(2)
        tops = [e for e in names if not any(holds(x, e, d) for x in names)]
        others = [x for x in names if x not in tops]
        if len(tops) < 2 or len(others) < 3:
            return None
        e, wrong = r.choice(tops), r.sample(others, 3)
        flipped = [(b, a) for a, b in links]
        order = topo(r, names, links, e) if d == 0 else topo(r, names, flipped, e)[::-1]
        why = [rel(next(x for x in names if holds(x, o, d)), o, d) for o in wrong]
        side = ("前", "后")[d]
        steps = [f"没有任何条件能推出有谁排在{e}{side}面：例如顺序“{sep.join(order)}”（{v['note']}）满足全部条件。",
                 f"而可以确定{'，'.join(why)}，所以{join_names(wrong)}都不可能排在最{side}。"]
        return choice(r, v["maybe_first"].format(e=ends[d]), e, wrong, steps)

    def count(r):
        d = r.randrange(2)
        some = [y for y in names if any(holds(x, y, d) for x in names)]
        b = r.choice(some if some and r.random() < 0.8 else names)  # mostly a count above zero
        got = [x for x in names if x != b and holds(x, b, d)]
        c = len(got)
        wrong = [str(c + k) for k in (1, -1, 2, -2, 3, -3) if 0 <= c + k <= n - 1]
        if got:
            steps = [f"可以确定{rel(join_names(got), b, d)}。", f"其余的都推不出这一点，所以一共 {c} {v['unit']}。"]
        else:
            steps = [f"没有任何{v['noun']}能确定满足这一关系，所以是 0 {v['unit']}。"]
        return choice(r, v["count"].format(b=b, w=qaxis[d], e=ends[d]), str(c), wrong, steps)

    def statement(r):
        d = r.randrange(2)
        pair = pick(r, lambda a, b: holds(a, b, d))
        if pair is None:
            return None
        a, b = pair
        used, wrong, notes = {frozenset((a, b))}, [], []
        for x, y in r.sample([(x, y) for x in names for y in names if x != y], n * (n - 1)):
            dd = r.randrange(2)
            if not holds(x, y, dd) and frozenset((x, y)) not in used and len(wrong) < 3:
                used.add(frozenset((x, y)))
                wrong.append(rel(x, y, dd))
                notes.append(f"“{rel(x, y, dd)}”{'与已知关系相反' if holds(y, x, dd) else '无法确定'}")
        if len(wrong) < 3:
            return None
        steps = because(a, b, d) + [f"其余说法：{'；'.join(notes)}。"]
        return choice(r, STATEMENT, rel(a, b, d), wrong, steps)

    def order(r):
        if n > 6:
            return None
        d = r.randrange(2) if "{p}" in v["order"] else 0
        if space:
            if any(y not in reach[x] and x not in reach[y] for x in names for y in names if x != y):
                return None
            seq = list(names)
            steps = [f"已知关系可以连成一条链：{'，'.join(fact(x, y, 0) for x, y in zip(seq, seq[1:]))}。"]
        else:
            seq = topo(r, names, links)
            steps = []
        shown = seq if d == 0 else seq[::-1]
        wrong, notes = [], []
        for _ in range(60):
            s = list(seq)
            i, j = r.sample(range(n), 2)
            s[i], s[j] = s[j], s[i]
            bad = [(x, y) for x, y in links if s.index(x) > s.index(y)]
            t = sep.join(s if d == 0 else s[::-1])
            if bad and t not in wrong and len(wrong) < 3:
                wrong.append(t)
                notes.append(f"“{t}”不符合“{fact(*bad[0], 0)}”")
        if len(wrong) < 3:
            return None
        steps += [f"{'；'.join(notes)}。", f"只有“{sep.join(shown)}”满足全部条件。"]
        return choice(r, v["order"].format(p=ends[d], q=ends[1 - d]), sep.join(shown), wrong, steps)

    def position(r):
        fixed = [x for x in names if all(x == y or holds(x, y, 0) or holds(y, x, 0) for y in names)]
        if not fixed:
            return None
        x = r.choice(fixed)
        pre = [y for y in names if holds(y, x, 0)]
        post = [y for y in names if holds(x, y, 0)]
        k = len(pre) + 1
        told = ([fact(join_names(pre), x, 0)] if pre else []) + ([fact(x, join_names(post), 0)] if post else [])
        steps = [f"可以确定{'，'.join(told)}。",
                 f"其余每一个都与{x}有确定的先后，{x}前面恰有 {k - 1} 个，所以{x}一定排第 {k} 个。"]
        return choice(r, v["position"].format(k=k), x, r.sample([y for y in names if y != x], 3), steps)

    if space:
        makers = [whether, whether, which, which_inv, extreme, statement, count, order]
    else:
        makers = [sure, maybe, maybe, extreme, maybe_first, order, position, count, statement]
    subs = ask(rng, cfg, makers)

    facts = [fact(b, a, 1) if rng.random() < cfg.reverse_share else fact(a, b, 0) for a, b in links]
    if rng.random() < 0.7:
        rng.shuffle(facts)
    rules = []
    if mapped:
        rules.append(MAPPING)
    if rng.random() < 0.5:
        rules.append(f"如果{fact('X', 'Y', 0)}，{fact('Y', 'Z', 0)}，那么{fact('X', 'Z', 0)}。")
    if any(axis[1] in f for f in facts) or rng.random() < 0.3:
        rules.append(f"“{fact('X', 'Y', 0)}”和“{fact('Y', 'X', 1)}”是同一个意思。")
    rules.append(rng.choice(CLOSED if space else OPEN))
    intro = rng.choice(v["intros"]).format(n=n, names="、".join(sorted(names)))
    return layout(intro, [f + "。" for f in facts], "\n".join(rules) + "\n\n" + OUTRO), subs


NAME = r"[^\s，。？、：“”（）]+?"


def to_regex(template: str, words) -> re.Pattern:
    """A template's regex: names for {a} and {b}, the relation words for {w}, their first characters for the rest."""
    alts = "|".join(sorted(words, key=len, reverse=True))
    out = re.escape(template)
    for slot, group in (("a", NAME), ("b", NAME), ("w", alts), ("e", r"\w"), ("p", r"\w"), ("q", r"\w"), ("k", r"\d+")):
        out = out.replace(re.escape("{" + slot + "}"), f"(?P<{slot}>{group})")
    return re.compile(out)


def check(record):
    """Re-derive from the rendered text: the closed world by Warshall's closure of the parsed links, the partial orders
    by enumerating every order that satisfies the links (brute force) and reading the questions off those orders."""
    text = record["problem"]
    lines = re.findall(ITEM + r"(.+)。$", text, re.M)
    for key in KEYS:
        v = VOCABS[key]
        words = {w for axis in v["axes"] for w in axis}
        rx = to_regex(v["fact"], words)
        found = [rx.fullmatch(line) for line in lines]
        if lines and all(found):
            break
    else:
        raise ValueError("no positions vocabulary fits the facts")
    used = {m.group("w") for m in found}
    axis = next(ax for ax in v["axes"] if used <= set(ax))
    fwd, back = {axis[0]}, {axis[1]}
    if "面朝北方" in text:
        fwd.add("西边")
        back.add("东边")
    fwd_tok = fwd | {w[0] for w in fwd} | {v.get("ends", "  ")[0]}
    back_tok = back | {w[0] for w in back} | {v.get("ends", "  ")[1]}
    links = [(m.group("a"), m.group("b")) if m.group("w") in fwd else (m.group("b"), m.group("a")) for m in found]
    items = sorted({x for link in links for x in link})

    def way(m) -> int:
        for g in ("w", "e", "p"):
            if g in m.groupdict():
                tok = m.group(g)
                if tok in fwd_tok:
                    return 0
                if tok in back_tok:
                    return 1
                raise ValueError(f"relation word {tok!r} does not fit the facts")
        return 0

    if v["mode"] == "space":
        less = set(links)
        for k in items:
            for i in items:
                if (i, k) in less:
                    for j in items:
                        if (k, j) in less:
                            less.add((i, j))
        orders = None

        def certain(a, b, d):
            return ((a, b) if d == 0 else (b, a)) in less
    else:
        orders = []

        def extend(prefix, left):
            if not left:
                orders.append(prefix)
            for x in sorted(left):
                if not any(b == x and a in left for a, b in links):
                    extend(prefix + [x], left - {x})

        extend([], set(items))
        places = [{x: i for i, x in enumerate(o)} for o in orders]

        def certain(a, b, d):
            x, y = (a, b) if d == 0 else (b, a)
            return all(p[x] < p[y] for p in places)

        def possible(a, b, d):
            x, y = (a, b) if d == 0 else (b, a)
            return any(p[x] < p[y] for p in places)

    all_words = fwd | back
    fact_rx = to_regex(v["fact"], all_words)
    forms = [("whether", t) for t in v.get("whether", [])] + [("whether", "根据已知信息，能否确定" + v["fact"] + "？")]
    forms += [(k, v[k]) for k in ("sure", "maybe", "which", "which_inv", "extreme", "maybe_first", "count", "order",
                                  "position") if k in v]
    forms.append(("statement", STATEMENT))
    verdicts = []
    for q in record["questions"]:
        body = question_body(q)
        hit = next(((kind, m) for kind, t in forms if (m := to_regex(t, all_words).fullmatch(body))), None)
        if hit is None:
            raise ValueError(f"unknown positions question: {body}")
        kind, m = hit
        d, opts = way(m), q["options"]
        if kind in ("whether", "sure"):
            verdicts.append([yes_no_truth(o, certain(m.group("a"), m.group("b"), d)) for o in opts])
        elif kind == "maybe":
            verdicts.append([yes_no_truth(o, possible(m.group("a"), m.group("b"), d)) for o in opts])
        elif kind == "which":
            verdicts.append([o in items and certain(o, m.group("b"), d) for o in opts])
        elif kind == "which_inv":
            verdicts.append([o in items and certain(m.group("a"), o, d) for o in opts])
        elif kind == "extreme" and orders is None:
            verdicts.append([o in items and all(certain(o, x, d) for x in items if x != o) for o in opts])
        elif kind == "extreme":
            verdicts.append([all(o == (p[0] if d == 0 else p[-1]) for p in orders) for o in opts])
        elif kind == "maybe_first":
            verdicts.append([any(o == (p[0] if d == 0 else p[-1]) for p in orders) for o in opts])
        elif kind == "position":
            k = int(m.group("k"))
            verdicts.append([all(p[k - 1] == o for p in orders) for o in opts])
        elif kind == "count":
            b = m.group("b")
            verdicts.append([o == str(sum(certain(x, b, d) for x in items if x != b)) for o in opts])
        elif kind == "statement":
            claims = [fact_rx.fullmatch(o) for o in opts]
            verdicts.append([bool(c) and certain(c.group("a"), c.group("b"), way(c)) for c in claims])
        else:  # order
            row = []
            for o in opts:
                seq = [x.strip() for x in re.split(r"、|, ", o)]
                if d == 1:
                    seq = seq[::-1]
                if orders is None:
                    ok = sorted(seq) == items and all(certain(x, y, 0) for i, x in enumerate(seq) for y in seq[i + 1:])
                else:
                    ok = seq in orders
                row.append(ok)
            verdicts.append(row)
    return verdicts


FAMILY = register(Family(
    name="positions",
    title="directional and temporal relations (west of, left of, born before) and their transitive closure",
    weight=8, config=Config, generate=generate, check=check,
))
