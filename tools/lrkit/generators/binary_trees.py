"""Binary search trees built by inserting a sequence: the resulting structure, traversals, height, leaves, parents."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from .base import Family, register, GenConfig, ask, check_range, choice, fmt_list, near_lists, near_numbers, parse_list, question_body, yes_no, yes_no_truth


@dataclass
class Config(GenConfig):
    min_keys: int = 5
    max_keys: int = 7
    max_value: int = 20

    LEVELS: ClassVar[dict] = {
        "easy": {"min_keys": 3, "max_keys": 5, "max_value": 10, "max_questions": 3},
        "medium": {"min_keys": 5, "max_keys": 7, "max_value": 20},
        "hard": {"min_keys": 7, "max_keys": 10, "max_value": 50, "min_questions": 3, "max_questions": 5},
    }

    def validate(self) -> None:
        super().validate()
        check_range("keys", self.min_keys, self.max_keys, minimum=3)
        if self.max_value < self.max_keys:
            raise ValueError("max_value must be at least max_keys")


class Node:
    __slots__ = ("key", "left", "right")

    def __init__(self, key):
        self.key, self.left, self.right = key, None, None


def insert(root, key, trace: list[str]):
    """Insert ``key``, recording the comparisons on the way down."""
    if root is None:
        trace.append("树为空，成为根节点")
        return Node(key)
    node = root
    while key != node.key:
        side = "left" if key < node.key else "right"
        word = "左" if side == "left" else "右"
        trace.append(f"{key} {'<' if side == 'left' else '>'} {node.key}，往{word}走")
        child = getattr(node, side)
        if child is None:
            setattr(node, side, Node(key))
            trace.append(f"放在 {node.key} 的{word}子节点")
            return root
        node = child
    trace.append(f"{key} 已经在树中，树不变")
    return root


def build(keys, trace: list[str] | None = None):
    root = None
    for k in keys:
        path: list[str] = []
        root = insert(root, k, path)
        if trace is not None:
            trace.append(f"插入 {k}：{'，'.join(path)}。")
    return root


def render(node, style: str) -> str:
    if node is None:
        return "nil"
    left, right = render(node.left, style), render(node.right, style)
    return f"tree({node.key}, {left}, {right})" if style == "tree" else f"btree({left}, {node.key}, {right})"


def mirror(node):
    if node is None:
        return None
    m = Node(node.key)
    m.left, m.right = mirror(node.right), mirror(node.left)
    return m


def walk(node, order: str) -> list[int]:
    if node is None:
        return []
    left, right = walk(node.left, order), walk(node.right, order)
    return {"pre": [node.key] + left + right, "in": left + [node.key] + right, "post": left + right + [node.key]}[order]


def height(node) -> int:
    return 0 if node is None else 1 + max(height(node.left), height(node.right))


def leaves(node) -> list[int]:
    if node is None:
        return []
    if node.left is None and node.right is None:
        return [node.key]
    return leaves(node.left) + leaves(node.right)


ORDERS = {"pre": "前序遍历（根、左、右）", "in": "中序遍历（左、根、右）", "post": "后序遍历（左、右、根）"}


def generate(rng, cfg: Config):
    n = rng.randint(cfg.min_keys, cfg.max_keys)
    keys = rng.sample(range(1, cfg.max_value + 1), n)
    if rng.random() < 0.3:
        keys.insert(rng.randrange(1, n + 1), rng.choice(keys))  # a repeated key leaves the tree unchanged
    style = rng.choice(["tree", "btree"])
    trace: list[str] = []
    root = build(keys, trace)
    shape = render(root, style)

    def structure_q(r):
        wrong = [render(mirror(root), style), render(build(sorted(set(keys))), style)]
        for alt in near_lists(r, keys, keys):
            wrong.append(render(build(alt), style))
        wrong.append(render(build(keys[1:] + keys[:1]), style))
        return choice(r, f"按顺序插入 {fmt_list(keys)} 之后，得到的二叉搜索树是哪一个？", shape, wrong, trace + [f"最终结构：{shape}。"])

    def order_q(r):
        order = r.choice(list(ORDERS))
        seq = walk(root, order)
        wrong = [fmt_list(walk(root, o)) for o in ORDERS if o != order] + [fmt_list(keys)] + [fmt_list(x) for x in near_lists(r, seq, seq)]
        steps = trace + [f"最终结构：{shape}。", f"按{ORDERS[order]}访问各节点：{fmt_list(seq)}。"]
        return choice(r, f"对这棵树做{ORDERS[order][:4]}，得到的序列是什么？", fmt_list(seq), wrong, steps)

    def height_q(r):
        h = height(root)
        steps = trace + [f"最终结构：{shape}。", f"从根到最深的叶子共经过 {h} 层，所以高度是 {h}。"]
        return choice(r, "这棵树的高度是多少？（只有根节点的树高度为 1）", str(h), near_numbers(h, (1, -1, 2, -2)), steps)

    def leaves_q(r):
        got = leaves(root)
        steps = trace + [f"最终结构：{shape}。", f"没有子节点的节点是：{'、'.join(map(str, got))}，共 {len(got)} 个。"]
        return choice(r, "这棵树有几个叶子节点？", str(len(got)), near_numbers(len(got), (1, -1, 2, -2)), steps)

    def parent_q(r):
        parents = {}
        stack = [root]
        while stack:
            node = stack.pop()
            for child in (node.left, node.right):
                if child:
                    parents[child.key] = node.key
                    stack.append(child)
        k = r.choice(sorted(parents))
        steps = trace + [f"最终结构：{shape}。", f"{k} 挂在 {parents[k]} 的下面，所以父节点是 {parents[k]}。"]
        wrong = [str(x) for x in r.sample(sorted(set(keys)), len(set(keys))) if x != k]
        return choice(r, f"节点 {k} 的父节点是哪个？", str(parents[k]), wrong, steps)

    def side_q(r):
        a = root.key
        k = r.choice([x for x in set(keys) if x != a])
        want = r.random() < 0.5
        side = ("左" if k < a else "右") if want else ("右" if k < a else "左")
        steps = [f"根节点是第一个插入的 {a}。", f"{k} {'<' if k < a else '>'} {a}，所以 {k} 在根的{'左' if k < a else '右'}子树中。"]
        return yes_no(f"节点 {k} 是否在根节点的{side}子树中？", want, steps)

    text = ("二叉搜索树的插入规则如下：\n\n1. 向空树插入一个数，它成为根节点。\n2. 要插入的数比当前节点小就进入左子树，比当前节点大就进入右子树，"
            "直到遇到空位置，把它放在那里。\n3. 如果要插入的数已经在树中，树保持不变。\n\n"
            + ("树用 tree(值, 左子树, 右子树) 表示" if style == "tree" else "树用 btree(左子树, 值, 右子树) 表示")
            + f"，空树写作 nil。从一棵空树开始，依次插入 {fmt_list(keys)}。\n\n根据以上信息，回答以下选择题：")
    return text, ask(rng, cfg, [structure_q, order_q, height_q, leaves_q, parent_q, side_q])


def check(record):
    """No pointers: the tree is defined by recursive partition of the (first occurrences of the) insertion sequence,
    root first, smaller keys to the left in order, larger to the right; options are parsed back into nested tuples."""
    text = record["problem"]
    keys = list(dict.fromkeys(parse_list(re.search(r"依次插入 (\[.*?\])", text).group(1))))
    btree = "btree(" in text

    def part(seq):
        if not seq:
            return None
        root = seq[0]
        return (part([x for x in seq if x < root]), root, part([x for x in seq if x > root]))

    def parse(s):
        tokens = re.findall(r"nil|\d+|[()]|b?tree", s)
        pos = 0

        def node():
            nonlocal pos
            tok = tokens[pos]
            pos += 1
            if tok == "nil":
                return None
            pos += 1  # "("
            if btree:
                left = node()
                key = int(tokens[pos]); pos += 1
                right = node()
            else:
                key = int(tokens[pos]); pos += 1
                left, right = node(), node()
            pos += 1  # ")"
            return (left, key, right)
        try:
            tree = node()
            return tree if pos == len(tokens) else "bad"
        except (IndexError, ValueError):
            return "bad"

    tree = part(keys)

    def order(t, kind):
        if t is None:
            return []
        l, k, r = order(t[0], kind), t[1], order(t[2], kind)
        return {"前序": [k] + l + r, "中序": l + [k] + r, "后序": l + r + [k]}[kind]

    def depth(t):
        return 0 if t is None else 1 + max(depth(t[0]), depth(t[2]))

    def leaf_count(t):
        return 0 if t is None else 1 if t[0] is None and t[2] is None else leaf_count(t[0]) + leaf_count(t[2])

    def parent(k):
        # The parent of k is the key under which the partition separates k: the last ancestor on the search path.
        above, t = None, tree
        while t[1] != k:
            above, t = t[1], t[0] if k < t[1] else t[2]
        return above

    verdicts = []
    for q in record["questions"]:
        t = question_body(q)
        if "得到的二叉搜索树是哪一个" in t:
            verdicts.append([parse(o) == tree for o in q["options"]])
        elif m := re.match(r"对这棵树做(\S\S)遍历", t):
            verdicts.append([o == fmt_list(order(tree, m.group(1))) for o in q["options"]])
        elif t.startswith("这棵树的高度"):
            verdicts.append([o == str(depth(tree)) for o in q["options"]])
        elif t.startswith("这棵树有几个叶子"):
            verdicts.append([o == str(leaf_count(tree)) for o in q["options"]])
        elif m := re.match(r"节点 (\d+) 的父节点", t):
            verdicts.append([o == str(parent(int(m.group(1)))) for o in q["options"]])
        elif m := re.match(r"节点 (\d+) 是否在根节点的(左|右)子树中", t):
            k = int(m.group(1))
            inside = k in (order(tree[0], "中序") if m.group(2) == "左" else order(tree[2], "中序"))
            verdicts.append([yes_no_truth(o, inside) for o in q["options"]])
        else:
            raise ValueError(f"unknown binary-tree question: {t}")
    return verdicts


FAMILY = register(Family(
    name="binary_trees", title="binary trees / BST", weight=7, config=Config, generate=generate, check=check,
))
