"""Directed graphs: is there a path, which nodes are reachable, the fewest edges between two nodes.

Surface forms, as in the real problems: nodes as ``节点 a``, ``点 a`` or ``节点1`` (letters or numbers); an edge per
line (``节点 a 连接到节点 b。``, ``有一条从点 a 到点 b 的边。``) or all of a node's edges in one (``从点 0 可以到达点 1 和点 3。``);
city routes by air or by train; and three wordings of the path question (是否存在路径 with 存在/不存在, 能否到达 and
是否存在至少一条…路线 with 是/否).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from typing import ClassVar

from .base import (ITEM, Family, register, GenConfig, ask, check_range, choice, join_names, layout, near_numbers,
                   question_body, yes_no, yes_no_truth)

EXISTS = ("存在", "不存在")
CITIES = ["北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "重庆", "武汉", "西安", "长沙", "天津", "苏州", "青岛",
          "厦门", "昆明", "大连", "沈阳", "济南", "郑州"]


@dataclass
class Config(GenConfig):
    min_nodes: int = 5
    max_nodes: int = 7
    edge_factor: float = 1.2  # edges per node
    cities: bool = False      # city routes instead of lettered nodes

    LEVELS: ClassVar[dict] = {
        "easy": {"min_nodes": 4, "max_nodes": 5, "edge_factor": 1.0, "min_questions": 2, "max_questions": 3},
        "medium": {"min_nodes": 5, "max_nodes": 7, "edge_factor": 1.3, "cities": True},
        "hard": {"min_nodes": 7, "max_nodes": 10, "edge_factor": 1.5, "min_questions": 3, "max_questions": 5},
    }

    def validate(self) -> None:
        super().validate()
        check_range("nodes", self.min_nodes, self.max_nodes, minimum=4)
        if not 0.5 <= self.edge_factor <= 3:
            raise ValueError("edge_factor must be within 0.5..3")


PREFIXES = ("节点 ", "点 ", "节点")  # how a node is named: "节点 a", "点 a", "节点1"
NODE_PREFIX = re.compile(r"(?:节点|点) ?")
GRAPH_INTROS = ("有一个有向图，其中的节点之间通过有方向的边相连。以下是图中节点及其连接情况：",
                "有一些点相互连接（连接有方向）。以下是已知的信息：",
                "有一张有向图，其中节点之间的连接关系如下：")
# (intro, edge sentence, what an edge is called) per mode of travel between cities.
CITY_FORMS = (("某航空公司在以下城市之间开通了单向直达航线（只能按给出的方向飞行）：", "有从{a}到{b}的直达航线。", "航线"),
              ("有一系列城市之间的直接火车连接（只能按给出的方向行驶）。以下是已知的各个直接火车连接：", "{a}有直达火车开往{b}。",
               "直达火车连接"))


def tidy(text: str) -> str:
    """A space between a spaced node name and Chinese text; none before full-width punctuation."""
    return re.sub(r" +(?=[，。？！：；、）”])", "", re.sub(r"((?:节点|点) [A-Za-z0-9]+)(?=[\u4e00-\u9fff])", r"\1 ", text))


def bfs(edges, start):
    """Distance in edges from ``start`` to every node it reaches (itself excluded unless on a cycle)."""
    dist: dict[str, int] = {}
    queue = deque([(start, 0)])
    while queue:
        node, d = queue.popleft()
        for nxt in edges.get(node, ()):
            if nxt not in dist:
                dist[nxt] = d + 1
                queue.append((nxt, d + 1))
    return dist


def generate(rng, cfg: Config):
    n = rng.randint(cfg.min_nodes, cfg.max_nodes)
    prefix = rng.choice(PREFIXES)
    if cfg.cities:
        nodes = rng.sample(CITIES, n)
    else:
        first = rng.randint(0, 1)  # numbered from 0 or from 1
        nodes = list("abcdefghijk"[:n]) if rng.random() < 0.6 else [str(first + i) for i in range(n)]
    pairs = [(a, b) for a in nodes for b in nodes if a != b]
    arcs = sorted(rng.sample(pairs, min(len(pairs), round(n * cfg.edge_factor))), key=lambda e: (nodes.index(e[0]), nodes.index(e[1])))
    edges: dict[str, list[str]] = {}
    for a, b in arcs:
        edges.setdefault(a, []).append(b)
    reach = {v: bfs(edges, v) for v in nodes}
    city_form = rng.choice(CITY_FORMS)
    unit = city_form[2] if cfg.cities else "边"

    def nm(v):
        return v if cfg.cities else f"{prefix}{v}"

    def trace(a, b):
        # Walk the BFS tree back from b to a: the shortest route, as the worked solution shows it.
        prev = {a: None}
        queue = deque([a])
        while queue:
            v = queue.popleft()
            for w in edges.get(v, ()):
                if w not in prev:
                    prev[w] = v
                    queue.append(w)
        path = [b]
        while path[-1] != a:
            path.append(prev[path[-1]])
        return " → ".join(path[::-1])

    def from_steps(a):
        got = sorted(reach[a], key=nodes.index)
        return f"从{nm(a)}出发，沿箭头方向逐层扩展，能到达：{'、'.join(got) if got else '没有任何节点'}。"

    def exists(r):
        a, b = r.sample(nodes, 2)
        truth = b in reach[a]
        steps = [from_steps(a), f"一条路线是 {trace(a, b)}。" if truth else f"其中不包含{nm(b)}。"]
        form = r.randrange(3)
        if form == 1:
            return yes_no(f"从{nm(a)}出发能否到达{nm(b)}？", truth, steps)
        if form == 2:
            return yes_no(f"从{nm(a)}到{nm(b)}是否存在至少一条可能的路线（直接或间接）？", truth, steps)
        return yes_no(f"从{nm(a)}到{nm(b)}是否存在路径？", truth, steps, EXISTS)

    def reachable(r):
        a = r.choice(nodes)
        yes = [v for v in reach[a] if v != a]
        no = [v for v in nodes if v not in reach[a] and v != a]
        if not yes or not no:
            return None
        b = r.choice(yes)
        return choice(r, f"从{nm(a)}出发，可以直接或间接到达哪个{'城市' if cfg.cities else '节点'}？", b, r.sample(no, len(no)),
                      [from_steps(a), f"选项中只有 {b} 在其中，路线为 {trace(a, b)}。"])

    def sources(r):
        b = r.choice(nodes)
        yes = [v for v in nodes if v != b and b in reach[v]]
        no = [v for v in nodes if v != b and b not in reach[v]]
        if not yes or not no:
            return None
        a = r.choice(yes)
        return choice(r, f"哪个{'城市' if cfg.cities else '节点'}可以直接或间接到达{nm(b)}？", a, r.sample(no, len(no)),
                      [f"逐个检查各选项出发能到达的{'城市' if cfg.cities else '节点'}。", f"{a} 可以到达 {b}：{trace(a, b)}；其余选项都到不了 {b}。"])

    def shortest(r):
        options = [(a, b) for a in nodes for b in reach[a] if a != b and reach[a][b] >= 2]
        if not options:
            return None
        a, b = r.choice(options)
        d = reach[a][b]
        return choice(r, f"从{nm(a)}到{nm(b)}最少需要经过几条{unit}？", str(d), near_numbers(d, (1, -1, 2)),
                      [f"从 {a} 开始按层搜索：距离为 1 的是 {'、'.join(v for v in nodes if reach[a].get(v) == 1)}。",
                       f"最短路线是 {trace(a, b)}，共 {d} 条{unit}。"])

    subs = ask(rng, cfg, [exists, exists, reachable, sources, shortest])
    for sub in subs:  # "节点 a" sits before Chinese text with a space, before punctuation without one
        sub["question"] = tidy(sub["question"])
        sub["steps"] = [tidy(line) for line in sub["steps"]]
    if cfg.cities:
        intro, edge, _ = city_form
        lines = [edge.format(a=a, b=b) for a, b in arcs]
    elif rng.random() < 0.5:  # one line per edge
        intro, edge = rng.choice(GRAPH_INTROS), rng.choice(("{a}连接到{b}。", "有一条从{a}到{b}的边。"))
        lines = [tidy(edge.format(a=nm(a), b=nm(b))) for a, b in arcs]
    else:  # one line per node with all its edges
        intro = rng.choice(GRAPH_INTROS)
        lines = [tidy(f"从{nm(a)}可以到达{join_names(nm(b) for b in edges[a])}。") for a in nodes if a in edges]
    return layout(intro, lines), subs


def check(record):
    """Transitive closure by Warshall's algorithm and distances by Bellman-Ford relaxation over the parsed edges."""
    facts = [NODE_PREFIX.sub("", line).replace(" ", "") for line in re.findall(ITEM + "(.+)$", record["problem"], re.M)]
    arcs = []
    for line in facts:
        if m := (re.fullmatch(r"(\w+?)连接到(\w+?)。", line) or re.fullmatch(r"有一条从(\w+?)到(\w+?)的边。", line)
                 or re.fullmatch(r"有从(\w+?)到(\w+?)的直达航线。", line) or re.fullmatch(r"(\w+?)有直达火车开往(\w+?)。", line)):
            arcs.append(m.groups())
        elif m := re.fullmatch(r"从(\w+?)可以到达(.+?)。", line):
            arcs += [(m.group(1), b) for b in re.split("[、和]", m.group(2))]
    nodes = sorted({v for e in arcs for v in e})
    reach = {(a, b) for a, b in arcs}
    for k in nodes:
        for i in nodes:
            if (i, k) in reach:
                for j in nodes:
                    if (k, j) in reach:
                        reach.add((i, j))
    inf = float("inf")
    dist = {(a, b): (1 if (a, b) in set(arcs) else inf) for a in nodes for b in nodes}
    for _ in nodes:
        for (a, b) in arcs:
            for s in nodes:
                if dist[(s, a)] + 1 < dist[(s, b)]:
                    dist[(s, b)] = dist[(s, a)] + 1
    verdicts = []
    for q in record["questions"]:
        t = NODE_PREFIX.sub("", question_body(q)).replace(" ", "")
        if m := (re.match(r"从(\w+?)到(\w+?)是否存在", t) or re.match(r"从(\w+?)出发能否到达(\w+?)？", t)):
            truth = (m.group(1), m.group(2)) in reach
            verdicts.append([yes_no_truth(o, truth) for o in q["options"]])
        elif m := re.match(r"从(\w+?)出发，可以直接或间接到达", t):
            verdicts.append([(m.group(1), o) in reach for o in q["options"]])
        elif m := re.search(r"可以直接或间接到达(\w+?)？", t):
            verdicts.append([(o, m.group(1)) in reach for o in q["options"]])
        elif m := re.match(r"从(\w+?)到(\w+?)最少需要经过", t):
            verdicts.append([o == str(dist[(m.group(1), m.group(2))]) for o in q["options"]])
        else:
            raise ValueError(f"unknown graph question: {t}")
    return verdicts


FAMILY = register(Family(
    name="graph_reachability", title="graph reachability / routes / connections", weight=54, config=Config, generate=generate, check=check,
    keywords=("节点", "有向图", "路径", "道路", "城镇", "航班", "连接到"),
))
