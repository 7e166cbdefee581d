"""Search puzzles: Tower of Hanoi (move counts, the k-th move, pegs after k moves) and river crossings (feasibility,
fewest crossings, which plan is safe)."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from typing import ClassVar

from .base import (RIGHT_WRONG, Family, register, GenConfig, ask, check_range, choice, layout, near_numbers, question_body,
                   yes_no, yes_no_truth)

PEG_NAMES = [("A柱", "B柱", "C柱"), ("左柱", "中柱", "右柱"), ("甲柱", "乙柱", "丙柱")]
# (person, items in eating order: items[i] eats items[i + 1])
CROSSINGS = [("农夫", ["狼", "羊", "白菜"]), ("农夫", ["狐狸", "鹅", "玉米"]), ("猎人", ["老虎", "鹿", "青草"]),
             ("商人", ["猫", "老鼠", "奶酪"]), ("老人", ["狗", "鸡", "大米"]), ("船夫", ["豹子", "山羊", "萝卜"])]
EXTRA_ITEMS = ["兔子", "麦子", "鱼", "虫子"]


@dataclass
class Config(GenConfig):
    min_disks: int = 3
    max_disks: int = 5
    river_items: int = 3  # most items to ferry (3 or 4)
    boat_items: int = 1   # most items the boat carries beside the person

    LEVELS: ClassVar[dict] = {
        "easy": {"min_disks": 2, "max_disks": 3, "river_items": 3, "max_questions": 3},
        "medium": {"min_disks": 3, "max_disks": 5, "river_items": 3},
        "hard": {"min_disks": 5, "max_disks": 7, "river_items": 4, "boat_items": 2, "min_questions": 3, "max_questions": 5},
    }

    def validate(self) -> None:
        super().validate()
        check_range("disks", self.min_disks, self.max_disks, minimum=1)
        if self.max_disks > 10:
            raise ValueError("max_disks must be at most 10")
        check_range("river_items", self.river_items, 4, minimum=3)
        check_range("boat_items", self.boat_items, 2, minimum=1)


# -- Tower of Hanoi ---------------------------------------------------------------------------------------------------

def hanoi_moves(n, src, dst, aux):
    """The recursive solution as (disk, from, to), disk 1 the smallest."""
    if n == 0:
        return []
    return hanoi_moves(n - 1, src, aux, dst) + [(n, src, dst)] + hanoi_moves(n - 1, aux, dst, src)


def hanoi(rng, cfg: Config):
    pegs = list(rng.choice(PEG_NAMES))
    rng.shuffle(pegs)
    src, dst, aux = pegs
    n = rng.randint(cfg.min_disks, cfg.max_disks)
    moves = hanoi_moves(n, src, dst, aux)
    total = len(moves)
    last = min(total, 31)  # later moves would need a replay too long for a worked solution
    rule = ["要把 n 个圆盘从起始柱移到目标柱：先把上面的 n-1 个圆盘借助目标柱移到第三根柱子，再把最大的圆盘移到目标柱，"
            "最后把那 n-1 个圆盘借助起始柱移到目标柱。"]

    def count_steps(m):
        return rule + ["设 T(m) 为移动 m 个圆盘的步数，T(1) = 1，T(m) = 2 × T(m-1) + 1。"] + \
            [f"T({i}) = 2 × {2 ** (i - 1) - 1} + 1 = {2 ** i - 1}。" for i in range(2, m + 1)]

    def replay(k):
        return rule + [f"按递归顺序依次写出前 {k} 步：" + "；".join(f"第 {i} 步 {d} 号盘 {a}→{b}" for i, (d, a, b) in enumerate(moves[:k], 1)) + "。"]

    def total_q(r):
        wrong = [str(2 ** n), str(2 ** (n - 1)), str(2 * n - 1), str(n * n)] + near_numbers(total, (1, -1, 2))
        return choice(r, f"按照上述方法把 {n} 个圆盘全部移到{dst}上，一共需要移动多少步？", str(total), wrong, count_steps(n))

    def claim_q(r):
        m = r.randint(1, max(n + 2, 4))
        claim = 2 ** m - 1 if r.random() < 0.5 else r.choice([2 ** m, 2 ** m - 2, 2 * m - 1, 2 ** (m + 1) - 1])
        truth = claim == 2 ** m - 1
        steps = count_steps(m) + [f"{2 ** m - 1} {'等于' if truth else '不等于'} {claim}。"]
        return yes_no(f"用这种方法移动 {m} 个圆盘，最少需要 {claim} 步，这个说法正确吗？", truth, steps, RIGHT_WRONG)

    def disk_q(r):
        if n < 2:
            return None
        k = r.randint(1, last)
        d = moves[k - 1][0]
        return choice(r, f"第 {k} 步移动的是几号圆盘？", f"{d} 号", [f"{x} 号" for x in r.sample(range(1, n + 1), n)], replay(k))

    def move_q(r):
        k = r.randint(1, last)
        d, a, b = moves[k - 1]
        wrong = [f"从{x}移到{y}" for x in pegs for y in pegs if x != y]
        r.shuffle(wrong)
        return choice(r, f"第 {k} 步是把圆盘从哪根柱子移到哪根柱子？", f"从{a}移到{b}", wrong, replay(k))

    def count_q(r):
        k = r.randint(1, last)
        peg = r.choice(pegs)
        stacks = {p: [] for p in pegs}
        stacks[src] = list(range(n, 0, -1))
        for d, a, b in moves[:k]:
            stacks[b].append(stacks[a].pop())
        have = len(stacks[peg])
        steps = replay(k) + ["此时各柱上的圆盘（从下到上）：" + "；".join(f"{p}：{'、'.join(map(str, s)) or '空'}" for p, s in stacks.items()) + "。"]
        return choice(r, f"完成第 {k} 步之后，{peg}上有几个圆盘？", str(have), [str(x) for x in r.sample(range(n + 1), n + 1)], steps)

    names = "、".join(sorted(pegs))
    text = layout(f"汉诺塔游戏中有三根柱子：{names}。{src}上套着 {n} 个大小互不相同的圆盘，按从小到大编号为 1 到 {n}，"
                  f"大的在下、小的在上。现在要把所有圆盘搬到{dst}上，规则如下：",
                  ["每一步只能搬动一个圆盘，而且只能搬某根柱子最上面的那个。", "任何时候都不允许把大圆盘压在小圆盘上。",
                   f"移动方法是递归的：{rule[0]}"])
    return text, ask(rng, cfg, [total_q, claim_q, disk_q, move_q, count_q])


# -- River crossing ---------------------------------------------------------------------------------------------------

def unsafe(bank, conflicts):
    return any(x in bank and y in bank for x, y in conflicts)


def crossing_search(items, conflicts, capacity):
    """BFS over (items on the start bank, person's side): fewest crossings and one shortest plan, or None."""
    from itertools import combinations
    start = (frozenset(items), 0)
    prev = {start: None}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        left, side = state
        if not left and side == 1:
            plan = []
            while prev[state] is not None:
                state, cargo = prev[state]
                plan.append(cargo)
            return plan[::-1]
        here = left if side == 0 else frozenset(items) - left
        for size in range(capacity + 1):
            for cargo in combinations(sorted(here, key=items.index), size):
                new_left = left - set(cargo) if side == 0 else left | set(cargo)
                behind = new_left if side == 0 else frozenset(items) - new_left
                nxt = (new_left, 1 - side)
                if not unsafe(behind, conflicts) and nxt not in prev:
                    prev[nxt] = (state, cargo)
                    queue.append(nxt)
    return None


def render_step(person, i, cargo):
    where = "过河" if i % 2 == 0 else "返回"
    return f"{person}独自{where}" if not cargo else f"{person}带{'和'.join(cargo)}{where}"


def river(rng, cfg: Config):
    person, chain = rng.choice(CROSSINGS)
    items = list(chain)
    if cfg.river_items == 4 and rng.random() < 0.5:
        items.append(rng.choice(EXTRA_ITEMS))
    capacity = rng.randint(1, cfg.boat_items)
    links = [(items[i], items[i + 1]) for i in range(len(items) - 1)] + [(items[0], items[2])]
    for _ in range(20):
        conflicts = [c for c in links if rng.random() < 0.6] or [links[0]]
        plan = crossing_search(items, conflicts, capacity)
        if (plan is not None) == (rng.random() < 0.6):
            break
    rules = [f"{person}和{'、'.join(items)}最初都在河的左岸，要全部到达右岸。",
             f"只有{person}会划船，船上除了{person}最多还能装 {capacity} 样东西（也可以空船往返）。"]
    rules += [f"如果{person}不在场，{x}和{y}留在同一岸，{x}会吃掉{y}。" for x, y in conflicts]
    rules.append("除此之外的组合放在一起都是安全的。")
    search = [f"把状态记为（左岸的东西，{person}所在的岸），从初始状态出发做广度优先搜索，只保留{person}离开后两岸都安全的走法。"]
    if plan is None:
        search.append("所有可达的安全状态都搜索完了，仍然到不了“全部在右岸”的状态。")
    else:
        search.append(f"最先到达全部在右岸的方案共 {len(plan)} 次渡河：" + " -> ".join(render_step(person, i, c) for i, c in enumerate(plan)) + "。")

    def feasible_q(r):
        return yes_no(f"在上述规则下，{person}是否能把所有东西安全地运到右岸？", plan is not None, search)

    def fewest_q(r):
        if plan is None:
            return None
        best = len(plan)
        return choice(r, f"{person}把所有东西安全运到右岸，最少需要渡河几次（单程算一次）？", str(best),
                      near_numbers(best, (2, -2, 1, 4, -1)), search)

    def first_q(r):
        x = r.choice(items + [None])
        left = [y for y in items if y != x]
        bad = [f"{a}和{b}" for a, b in conflicts if a in left and b in left]
        what = f"带着{x}" if x else "独自"
        steps = [f"{person}{what}过河后，左岸剩下：{'、'.join(left)}。",
                 f"其中{'、'.join(bad)}会出问题，所以不安全。" if bad else "左岸没有会互相吃的组合，所以是安全的。"]
        return yes_no(f"如果{person}第一次{what}过河，留在左岸的东西是否安全？", not bad, steps)

    def plan_q(r):
        if plan is None:
            return None
        wrong = []
        for _ in range(12):
            alt = [list(c) for c in plan]
            i = r.randrange(len(alt))
            pool = [[]] + [[y] for y in items]
            alt[i] = r.choice([p for p in pool if p != alt[i]] or [[]])
            if r.random() < 0.3 and len(alt) > 2:
                j = r.randrange(len(alt) - 2)
                alt[j], alt[j + 2] = alt[j + 2], alt[j]
            if not plan_is_safe(items, conflicts, capacity, alt):
                wrong.append(" -> ".join(render_step(person, k, c) for k, c in enumerate(alt)))
        right = " -> ".join(render_step(person, k, c) for k, c in enumerate(plan))
        steps = search + ["其余选项在某一步会留下会互相吃的组合、运了不在身边的东西，或最后没有全部到达右岸。"]
        return choice(r, f"哪个方案能让{person}把所有东西安全地运到右岸？", right, wrong, steps)

    text = layout(f"一位{person}要带着{'、'.join(items)}渡河。条件如下：", rules)
    return text, ask(rng, cfg, [feasible_q, fewest_q, first_q, plan_q])


def plan_is_safe(items, conflicts, capacity, plan):
    """Replay a plan: every cargo on the person's bank, within capacity, nothing left unsafe, all across at the end."""
    left, side = set(items), 0
    for cargo in plan:
        here = left if side == 0 else set(items) - left
        if len(cargo) > capacity or not set(cargo) <= here:
            return False
        left = left - set(cargo) if side == 0 else left | set(cargo)
        side = 1 - side
        if unsafe(left if side == 1 else set(items) - left, conflicts):
            return False
    return not left and side == 1


def generate(rng, cfg: Config):
    return (hanoi if rng.random() < 0.5 else river)(rng, cfg)


# -- independent check ------------------------------------------------------------------------------------------------

def hanoi_position(n, d, k, src, dst, aux):
    """Peg of disk ``d`` after ``k`` moves, in closed form: disk d moves every 2^d steps, cyclically, its direction
    fixed by the parity of n - d."""
    moved = (k + 2 ** (d - 1)) >> d
    cycle = (src, dst, aux) if (n - d) % 2 == 0 else (src, aux, dst)
    return cycle[moved % 3]


def check_hanoi(record):
    text = record["problem"]
    src, n, dst = re.search(r"。(\S+?)上套着 (\d+) 个.*?搬到(\S+?)上", text).groups()
    n = int(n)
    pegs = re.search(r"三根柱子：(.+?)。", text).group(1).split("、")
    aux = next(p for p in pegs if p not in (src, dst))
    verdicts = []
    for q in record["questions"]:
        t = question_body(q)
        if m := re.search(r"移动 (\d+) 个圆盘，最少需要 (\d+) 步", t):
            truth = int(m.group(2)) == (1 << int(m.group(1))) - 1
            verdicts.append([yes_no_truth(o, truth) for o in q["options"]])
            continue
        if "一共需要移动多少步" in t:
            value = str((1 << n) - 1)
        elif m := re.match(r"第 (\d+) 步移动的是几号圆盘", t):
            k = int(m.group(1))
            value = f"{(k & -k).bit_length()} 号"
        elif m := re.match(r"第 (\d+) 步是把圆盘", t):
            k = int(m.group(1))
            d = (k & -k).bit_length()
            value = f"从{hanoi_position(n, d, k - 1, src, dst, aux)}移到{hanoi_position(n, d, k, src, dst, aux)}"
        elif m := re.match(r"完成第 (\d+) 步之后，(\S+?)上有几个圆盘", t):
            k, peg = int(m.group(1)), m.group(2)
            value = str(sum(hanoi_position(n, d, k, src, dst, aux) == peg for d in range(1, n + 1)))
        else:
            raise ValueError(f"unknown hanoi question: {t}")
        verdicts.append([o == value for o in q["options"]])
    return verdicts


def check_river(record):
    """Re-read the rules, then iterative deepening over bit-mask states (not BFS) and a literal replay of each plan."""
    text = record["problem"]
    person, items = re.search(r"一位(\S+?)要带着(\S+?)渡河", text).groups()
    items = items.split("、")
    capacity = int(re.search(r"最多还能装 (\d+) 样", text).group(1))
    eats = [(items.index(x), items.index(y)) for x, y in re.findall(r"，(\S+?)和(\S+?)留在同一岸，", text)]
    full = (1 << len(items)) - 1

    def bad(mask):
        return any(mask >> x & 1 and mask >> y & 1 for x, y in eats)

    def moves(left, side):
        here = left if side == 0 else full ^ left
        for cargo in range(full + 1):
            if cargo & ~here == 0 and bin(cargo).count("1") <= capacity:
                new = left & ~cargo if side == 0 else left | cargo
                if not bad(new if side == 0 else full ^ new):
                    yield new

    def reach(left, side, depth, seen):
        # Depth-limited search; ``seen`` keeps the most depth a state was already explored with.
        if left == 0 and side == 1:
            return True
        if depth == 0 or seen.get((left, side), -1) >= depth:
            return False
        seen[(left, side)] = depth
        return any(reach(new, 1 - side, depth - 1, seen) for new in moves(left, side))

    fewest = next((d for d in range(1, 2 * full + 3) if reach(full, 0, d, {})), None)

    def replay(plan_text):
        left, side = full, 0
        for i, step in enumerate(plan_text.split(" -> ")):
            m = re.fullmatch(rf"{person}(?:独自|带(.+?))(过河|返回)", step)
            if not m or (m.group(2) == "过河") != (i % 2 == 0):
                return False
            cargo = 0
            for x in (m.group(1).split("和") if m.group(1) else []):
                cargo |= 1 << items.index(x)
            here = left if side == 0 else full ^ left
            if cargo & ~here or bin(cargo).count("1") > capacity:
                return False
            left = left & ~cargo if side == 0 else left | cargo
            side = 1 - side
            if bad(left if side == 1 else full ^ left):
                return False
        return left == 0 and side == 1

    verdicts = []
    for q in record["questions"]:
        t = question_body(q)
        if "是否能把所有东西" in t:
            verdicts.append([yes_no_truth(o, fewest is not None) for o in q["options"]])
        elif "最少需要渡河几次" in t:
            verdicts.append([o == str(fewest) for o in q["options"]])
        elif m := re.search(r"第一次(?:带着(\S+?)|独自)过河", t):
            rest = full & ~(1 << items.index(m.group(1))) if m.group(1) else full
            verdicts.append([yes_no_truth(o, not bad(rest)) for o in q["options"]])
        elif "哪个方案" in t:
            verdicts.append([replay(o) for o in q["options"]])
        else:
            raise ValueError(f"unknown river question: {t}")
    return verdicts


def check(record):
    return (check_hanoi if "汉诺塔" in record["problem"] else check_river)(record)


FAMILY = register(Family(
    name="search_puzzles", title="search puzzles (Hanoi, river crossing)", weight=10, config=Config, generate=generate, check=check,
))
