"""Scheduling and time: tasks with durations and prerequisites run in parallel from a start time; earliest start and
finish clock times, what must wait for what, and weekday arithmetic."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from .base import ITEM, Family, register, GenConfig, ask, check_range, choice, layout, question_body, yes_no, yes_no_truth

TASKS = ["需求分析", "方案设计", "采购材料", "搭建环境", "编写代码", "准备数据", "单元测试", "撰写文档", "系统集成",
         "用户培训", "上线部署", "验收评审", "布置场地", "发送邀请", "彩排"]
WEEKDAYS = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]


@dataclass
class Config(GenConfig):
    tasks: int = 5
    max_prereqs: int = 2
    unit: int = 15        # durations are multiples of this many minutes
    max_units: int = 6

    LEVELS: ClassVar[dict] = {
        "easy": {"tasks": 4, "max_prereqs": 1, "unit": 30, "max_units": 4, "max_questions": 3},
        "medium": {"tasks": 5, "max_prereqs": 2, "unit": 15, "max_units": 6},
        "hard": {"tasks": 7, "max_prereqs": 3, "unit": 5, "max_units": 24, "min_questions": 3, "max_questions": 5},
    }

    def validate(self) -> None:
        super().validate()
        check_range("tasks", 3, self.tasks, minimum=3)
        if self.tasks > len(TASKS):
            raise ValueError(f"tasks must be at most {len(TASKS)}")
        check_range("max_prereqs", 1, self.max_prereqs, minimum=1)
        check_range("unit", 1, self.unit, minimum=1)
        check_range("max_units", 1, self.max_units, minimum=1)


def clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def span(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return " ".join(([f"{hours} 小时"] if hours else []) + ([f"{rest} 分钟"] if rest or not hours else []))


def all_of(names) -> str:
    names = list(names)
    return "、".join(names) + ("都" if len(names) > 1 else "")


def generate(rng, cfg: Config):
    names = rng.sample(TASKS, cfg.tasks)  # a topological order: prerequisites come earlier
    length = {t: cfg.unit * rng.randint(1, cfg.max_units) for t in names}
    pre = {t: sorted(rng.sample(names[:i], min(i, rng.randint(0 if i > 1 else 1, cfg.max_prereqs))), key=names.index) if i else []
           for i, t in enumerate(names)}
    begin = rng.randint(7 * 4, 10 * 4) * 15
    start, finish, why = {}, {}, {}
    for t in names:
        start[t] = max((finish[p] for p in pre[t]), default=begin)
        finish[t] = start[t] + length[t]
        why[t] = (f"{t}没有前置任务，{clock(begin)} 开始" if not pre[t] else
                  f"{t}要等{all_of(f'{p}（{clock(finish[p])} 完成）' for p in pre[t])}完成，最早 {clock(start[t])} 开始") + \
            f"，用时 {span(length[t])}，{clock(finish[t])} 完成。"
    end = max(finish.values())

    def upstream(t):
        seen, stack = [], list(pre[t])
        while stack:
            p = stack.pop()
            if p not in seen:
                seen.append(p)
                stack.extend(pre[p])
        return seen

    def chain_steps(t):
        need = [u for u in names if u in upstream(t)] + [t]
        return [why[u] for u in need]

    def near_clock(value, t):
        out = [value + length[t], value - length[t], value + cfg.unit, value - cfg.unit, value + 60, value - 60]
        if pre[t]:
            out.insert(0, min(finish[p] for p in pre[t]))
        return [clock(x) for x in out if x >= 0]

    def start_q(r):
        t = r.choice(names[1:])
        return choice(r, f"{t}最早几点可以开始？", clock(start[t]), near_clock(start[t], t), chain_steps(t))

    def finish_q(r):
        t = r.choice(names)
        return choice(r, f"{t}最早几点可以完成？", clock(finish[t]), near_clock(finish[t], t), chain_steps(t))

    def all_q(r):
        serial = begin + sum(length.values())
        last = max(names, key=lambda t: finish[t])
        wrong = [clock(x) for x in (serial, end - length[last], end + cfg.unit, end - cfg.unit, end + 60)]
        steps = [why[t] for t in names] + [f"最晚完成的是{last}，所以全部任务最早 {clock(end)} 完成。"]
        return choice(r, "所有任务最早几点可以全部完成？", clock(end), wrong, steps)

    def wait_q(r):
        t = r.choice(names[1:])
        ups = upstream(t)
        want = r.random() < 0.5
        pool = ups if want else [u for u in names if u != t and u not in ups]
        if not pool:
            return None
        u = r.choice(pool)
        steps = [f"顺着前置关系往前找，{t}之前必须完成的任务有：{'、'.join(u for u in names if u in ups) or '没有'}。",
                 f"{u}{'在其中' if want else '不在其中'}。"]
        return yes_no(f"{t}是否必须等{u}完成之后才能开始？", want, steps)

    def weekday_q(r):
        day = r.randrange(7)
        days = r.randint(3, 40)
        ans = WEEKDAYS[(day + days) % 7]
        steps = [f"每过 7 天星期几不变，{days} = 7 × {days // 7} + {days % 7}。",
                 f"从{WEEKDAYS[day]}往后数 {days % 7} 天是{ans}。"]
        wrong = [WEEKDAYS[(day + days + d) % 7] for d in (1, -1, 2, -2)] + [WEEKDAYS[day]]
        return choice(r, f"如果项目在{WEEKDAYS[day]}启动，再过 {days} 天是星期几？", ans, wrong, steps)

    facts = [f"{t}需要 {span(length[t])}" + (f"，必须在{all_of(pre[t])}完成后才能开始。" if pre[t] else "，没有前置任务。")
             for t in names]
    rng.shuffle(facts)
    text = layout(f"一个项目包含 {len(names)} 项任务，从 {clock(begin)} 开始。人手充足，前置任务都完成的任务可以马上开始，"
                  "互不依赖的任务可以同时进行。各任务的情况如下：", facts)
    return text, ask(rng, cfg, [start_q, finish_q, all_q, wait_q, wait_q, weekday_q])


def check(record):
    """Longest paths by Bellman-Ford-style relaxation over the rendered prerequisites until nothing changes."""
    text = record["problem"]
    begin_h, begin_m = map(int, re.search(r"从 (\d+):(\d+) 开始", text).groups())
    begin = begin_h * 60 + begin_m
    length, pre = {}, {}
    for t, h, m, rest in re.findall(ITEM + r"(\S+?)需要 (?:(\d+) 小时)? ?(?:(\d+) 分钟)?(.*)$", text, re.M):
        length[t] = int(h or 0) * 60 + int(m or 0)
        pre[t] = re.search(r"必须在(\S+?)都?完成后", rest).group(1).split("、") if "必须在" in rest else []
    start = {t: begin for t in length}
    changed = True
    while changed:
        changed = False
        for t in length:
            for p in pre[t]:
                if start[p] + length[p] > start[t]:
                    start[t], changed = start[p] + length[p], True

    def hhmm(minutes):
        return f"{minutes // 60}:{minutes % 60:02d}"

    def depends(t, u):
        return u in pre[t] or any(depends(p, u) for p in pre[t])

    verdicts = []
    for q in record["questions"]:
        t = question_body(q)
        if m := re.match(r"(\S+?)是否必须等(\S+?)完成之后", t):
            verdicts.append([yes_no_truth(o, depends(m.group(1), m.group(2))) for o in q["options"]])
            continue
        if m := re.match(r"(\S+?)最早几点可以开始", t):
            value = hhmm(start[m.group(1)])
        elif m := re.match(r"所有任务最早几点", t):
            value = hhmm(max(start[u] + length[u] for u in length))
        elif m := re.match(r"(\S+?)最早几点可以完成", t):
            value = hhmm(start[m.group(1)] + length[m.group(1)])
        elif m := re.match(r"如果项目在(\S+?)启动，再过 (\d+) 天", t):
            day = "一二三四五六日".index(m.group(1)[-1])
            value = "星期" + "一二三四五六日"[(day + int(m.group(2))) % 7]
        else:
            raise ValueError(f"unknown scheduling question: {t}")
        verdicts.append([o == value for o in q["options"]])
    return verdicts


FAMILY = register(Family(
    name="scheduling", title="scheduling / time", weight=7, config=Config, generate=generate, check=check,
))
