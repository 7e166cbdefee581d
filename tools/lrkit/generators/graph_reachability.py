"""Directed graphs: is there a path, which nodes are reachable, the fewest edges between two nodes."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from typing import ClassVar

from .base import Family, register, GenConfig, ask, check_range, choice, layout, near_numbers, question_body, yes_no, yes_no_truth

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


def tidy(text: str) -> str:
    """A space between a node letter and Chinese text; none before full-width punctuation."""
    return re.sub(r" +(?=[，。？！：；、）”])", "", re.sub(r"(节点 \w)(?=[\u4e00-\u9fff])", r"\1 ", text))


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
    nodes = rng.sample(CITIES, n) if cfg.cities else list("abcdefghijk"[:n])
    pairs = [(a, b) for a in nodes for b in nodes if a != b]
    arcs = sorted(rng.sample(pairs, min(len(pairs), round(n * cfg.edge_factor))), key=lambda e: (nodes.index(e[0]), nodes.index(e[1])))
    edges: dict[str, list[str]] = {}
    for a, b in arcs:
        edges.setdefault(a, []).append(b)
    reach = {v: bfs(edges, v) for v in nodes}
    def nm(v):
        return v if cfg.cities else f"节点 {v}"
    route = (lambda a, b: f"有从{a}到{b}的直达航线。") if cfg.cities else (lambda a, b: f"节点 {a} 连接到节点 {b}。")

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
        return yes_no(f"从{nm(a)}到{nm(b)}是否存在路径？", truth, steps, EXISTS)

    def reachable(r):
        a = r.choice(nodes)
        yes = [v for v in reach[a] if v != a]
        no = [v for v in nodes if v not in reach[a] and v != a]
        if not yes or not no:
            return None
        b = r.choice(yes)
        return choice(r, f"从{nm(a)}出发，可以直接或间接到达下列哪个{'城市' if cfg.cities else '节点'}？", b, r.sample(no, len(no)),
                      [from_steps(a), f"选项中只有 {b} 在其中，路线为 {trace(a, b)}。"])

    def sources(r):
        b = r.choice(nodes)
        yes = [v for v in nodes if v != b and b in reach[v]]
        no = [v for v in nodes if v != b and b not in reach[v]]
        if not yes or not no:
            return None
        a = r.choice(yes)
        return choice(r, f"下列哪个{'城市' if cfg.cities else '节点'}可以直接或间接到达{nm(b)}？", a, r.sample(no, len(no)),
                      [f"逐个检查各选项出发能到达的{'城市' if cfg.cities else '节点'}。", f"{a} 可以到达 {b}：{trace(a, b)}；其余选项都到不了 {b}。"])

    def shortest(r):
        options = [(a, b) for a in nodes for b in reach[a] if a != b and reach[a][b] >= 2]
        if not options:
            return None
        a, b = r.choice(options)
        d = reach[a][b]
        return choice(r, f"从{nm(a)}到{nm(b)}最少需要经过几条{'航线' if cfg.cities else '边'}？", str(d), near_numbers(d, (1, -1, 2)),
                      [f"从 {a} 开始按层搜索：距离为 1 的是 {'、'.join(v for v in nodes if reach[a].get(v) == 1)}。",
                       f"最短路线是 {trace(a, b)}，共 {d} 条{'航线' if cfg.cities else '边'}。"])

    subs = ask(rng, cfg, [exists, exists, reachable, sources, shortest])
    for sub in subs:  # "节点 a" sits before Chinese text with a space, before punctuation without one
        sub["question"] = tidy(sub["question"])
        sub["steps"] = [tidy(line) for line in sub["steps"]]
    if cfg.cities:
        intro = "某航空公司在以下城市之间开通了单向直达航线（只能按给出的方向飞行）："
    else:
        intro = "有一个有向图，其中的节点之间通过有方向的边相连。以下是图中节点及其连接情况："
    return layout(intro, [route(a, b) for a, b in arcs]), subs


def check(record):
    """Transitive closure by Warshall's algorithm and distances by Bellman-Ford relaxation over the parsed edges."""
    arcs = re.findall(r"节点 (\w) 连接到节点 (\w)。|有从(\w+?)到(\w+?)的直达航线。", record["problem"])
    arcs = [(m[0] or m[2], m[1] or m[3]) for m in arcs]
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
        t = question_body(q).replace("节点 ", "").replace(" ", "")
        if m := re.match(r"从(\w+?)到(\w+?)是否存在路径", t):
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
