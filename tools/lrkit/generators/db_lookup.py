"""Database-style lookups: professors, courses and students (joins, counts, membership), or people's birth dates.

Surface forms, as in the real problems: two databases (a university's courses; "有一个关于人物出生日期的数据库"); for the
courses, 教授 or 老师, course codes or Chinese subject names, and two sentence forms per table ("X同学参加的课程有：A、B。"
or "X选修了A和B。"); for the birth dates, "X 出生于1977年3月20日。" and questions as in the real data (X比谁年长？,
谁是最年长的？, A比B年长吗？, 谁出生于Y年？).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from .base import (layout, numbered, EN_NAMES, Family, register, GenConfig, ask, check_range, choice, join_names,
                   near_numbers, question_body, spaced, unspaced, yes_no, yes_no_truth)

COURSES = ["AI", "DB", "OS", "FP", "SE", "ML", "NLP", "CV", "HCI", "NET"]
SUBJECTS = ["数学", "英语", "物理", "化学", "历史", "生物", "音乐", "美术", "地理", "科学"]
PROFS = ["Holvoet", "Moens", "Demoen", "Dedecker", "Jacobs", "Deschreye", "Bruynooghe", "Janssens"]
PEOPLE = EN_NAMES + ["Jan", "Jeroen", "Joris", "Jelle", "Joop", "Jaap", "约翰", "玛丽", "杰克", "艾玛", "彼得", "哈利"]


@dataclass
class Config(GenConfig):
    professors: int = 3
    courses: int = 4
    students: int = 4

    LEVELS: ClassVar[dict] = {
        "easy": {"professors": 2, "courses": 3, "students": 3, "max_questions": 3},
        "medium": {"professors": 3, "courses": 4, "students": 4},
        "hard": {"professors": 4, "courses": 6, "students": 6, "min_questions": 3, "max_questions": 5},
    }

    def validate(self) -> None:
        super().validate()
        check_range("professors", 2, self.professors, minimum=2)
        check_range("courses", self.professors, self.courses, minimum=2)
        check_range("students", 2, self.students, minimum=2)


def generate(rng, cfg: Config):
    if rng.random() < 0.4:
        return births(rng, cfg)
    return university(rng, cfg)


def university(rng, cfg: Config):
    title = rng.choice(("教授", "老师"))
    pupil = rng.choice(("同学", ""))
    profs = rng.sample(PROFS, cfg.professors)
    courses = rng.sample(rng.choice((COURSES, SUBJECTS)), cfg.courses)
    teacher = {c: profs[i] if i < len(profs) else rng.choice(profs) for i, c in enumerate(courses)}
    students = rng.sample(EN_NAMES, cfg.students)
    takes = {s: sorted(rng.sample(courses, rng.randint(1, min(3, len(courses)))), key=courses.index) for s in students}
    teaches = {p: [c for c in courses if teacher[c] == p] for p in profs}

    def taught_by(s, p):
        return any(teacher[c] == p for c in takes[s])

    def teacher_of(r):
        s = r.choice(students)
        yes = sorted({teacher[c] for c in takes[s]})
        no = [p for p in profs if p not in yes]
        if not no:
            return None
        p = r.choice(yes)
        c = next(c for c in takes[s] if teacher[c] == p)
        return choice(r, f"哪位{title}是{s}{pupil}的任课老师？", p, r.sample(no, len(no)),
                      [f"{s}{pupil}参加的课程有：{'、'.join(takes[s])}。", f"{c}由{p}{title}讲授。",
                       f"其余选项的{title}讲授的课程{s}{pupil}都没有参加。"])

    def count(r):
        c = r.choice(courses)
        who = [s for s in students if c in takes[s]]
        return choice(r, f"参加{c}课程的学生有几人？", str(len(who)), near_numbers(len(who), (1, 2, -1, 3)),
                      [f"逐个检查学生的课程：参加{c}的有{'、'.join(who) if who else '没有人'}。", f"共 {len(who)} 人。"])

    def attends(r):
        s, p = r.choice(students), r.choice(profs)
        truth = taught_by(s, p)
        return yes_no(f"{s}{pupil}是否参加了{p}{title}讲授的课程？", truth,
                      [f"{p}{title}讲授：{'、'.join(teaches[p]) or '没有课程'}。", f"{s}{pupil}参加：{'、'.join(takes[s])}。",
                       f"两者{'有' if truth else '没有'}共同的课程。"])

    def student_of(r):
        p = r.choice(profs)
        yes = [s for s in students if taught_by(s, p)]
        no = [s for s in students if not taught_by(s, p)]
        if not yes or not no:
            return None
        s = r.choice(yes)
        return choice(r, f"哪位同学上过{p}{title}的课？", s, r.sample(no, len(no)),
                      [f"{p}{title}讲授：{'、'.join(teaches[p])}。",
                       f"{s}{pupil}参加了其中的 {'、'.join(c for c in takes[s] if teacher[c] == p)}。"])

    if rng.random() < 0.5:
        lines = [f"{p}{title}授课课程：{'、'.join(teaches[p])}。" if teaches[p] else f"{p}{title}本学期不授课。" for p in profs]
        lines2 = [f"{s}{pupil}参加的课程有：{'、'.join(takes[s])}。" for s in students]
    else:
        lines = [f"{p}{title}教{join_names(teaches[p])}。" if teaches[p] else f"{p}{title}本学期不授课。" for p in profs]
        lines2 = [f"{s}{pupil}选修了{join_names(takes[s])}。" for s in students]
    intro = rng.choice(("有一所大学，部分学生和教授的信息如下：", "有一组学生和老师，老师教授不同的课程，学生选修不同的课程。以下是已知的信息：",
                        "以下是一个学校数据库中的记录："))
    text = layout(intro, lines, f"以下是学生参加的课程情况：\n\n{numbered(lines2)}\n\n请根据信息回答以下选择题：")
    return text, ask(rng, cfg, [teacher_of, count, attends, student_of])


def births(rng, cfg: Config):
    """People with distinct birth dates (and years); who is older, the oldest or youngest, who was born in a year."""
    people = rng.sample(PEOPLE, cfg.students + 2)
    years = rng.sample(range(1950, 2010), len(people))
    born = {p: (y, rng.randint(1, 12), rng.randint(1, 28)) for p, y in zip(people, years)}
    by_age = sorted(people, key=born.get)  # oldest first

    def date(p):
        y, m, d = born[p]
        return f"{y}年{m}月{d}日"

    def older_than(r):
        x = r.choice(people)
        younger = [p for p in people if born[p] > born[x]]
        older = [p for p in people if born[p] < born[x]] + [x]
        if not younger:
            return None
        y = r.choice(younger)
        return choice(r, f"{x}比谁年长？", y, r.sample(older, len(older)),
                      [f"{x}出生于{date(x)}，{y}出生于{date(y)}，{x}出生得更早。", "其余选项的人出生得比" + x + "早，或就是" + x + "本人。"])

    def extreme(r):
        oldest = r.random() < 0.5
        p = by_age[0] if oldest else by_age[-1]
        return choice(r, "谁是最年长的？" if oldest else "谁是最年轻的？", p, r.sample(by_age[1:-1], len(by_age) - 2)
                      + [by_age[-1] if oldest else by_age[0]],
                      ["按出生日期从早到晚排列：" + "、".join(by_age) + "。", f"{'最早' if oldest else '最晚'}出生的是{p}（{date(p)}）。"])

    def is_older(r):
        a, b = r.sample(people, 2)
        truth = born[a] < born[b]
        return yes_no(f"{a}比{b}年长吗？", truth, [f"{a}出生于{date(a)}，{b}出生于{date(b)}。",
                                                   f"{a}出生得{'更早' if truth else '更晚'}，所以{a}{'' if truth else '不'}比{b}年长。"])

    def born_in(r):
        p = r.choice(people)
        return choice(r, f"谁出生于{born[p][0]}年？", p, r.sample([x for x in people if x != p], len(people) - 1),
                      [f"{p}出生于{date(p)}；其他人都不是{born[p][0]}年出生的。"])

    intro = rng.choice(("有一个关于人物出生日期的数据库，包含以下信息：", "以下是一些人的出生日期记录："))
    text = layout(intro, [f"{p}出生于{date(p)}。" for p in people], rng.choice(("根据这些信息，回答以下选择题：",
                                                                               "根据以上信息，回答以下选择题：")))
    subs = ask(rng, cfg, [older_than, older_than, extreme, is_older, born_in])
    if rng.random() < 0.5:  # Latin names set off by spaces, as in the real database problems
        text = spaced(text)
        for sub in subs:
            sub["question"] = spaced(sub["question"])
    return text, subs


def check(record):
    """A relational join on course for the university; a comparison of (year, month, day) triples for birth dates."""
    text = unspaced(record["problem"])
    if "出生于" in text:
        return check_births(record, text)
    teach_rows = {(p, c) for p, cs in re.findall(r"(\w+?)(?:教授|老师)(?:授课课程：|教)(.+?)。", text) for c in re.split("[、和]", cs)}
    take_rows = {(s, c) for s, cs in re.findall(r"(\w+?)(?:同学)?(?:参加的课程有：|选修了)(.+?)。", text)
                 for c in re.split("[、和]", cs)}
    joined = {(p, s) for p, c in teach_rows for s, c2 in take_rows if c == c2}
    verdicts = []
    for q in record["questions"]:
        t = question_body(q)
        if m := re.match(r"哪位(?:教授|老师)是(\w+?)(?:同学)?的任课老师", t):
            verdicts.append([(o, m.group(1)) in joined for o in q["options"]])
        elif m := re.match(r"参加(\w+)课程的学生有几人", t):
            verdicts.append([o == str(sum(1 for _, c in take_rows if c == m.group(1))) for o in q["options"]])
        elif m := re.match(r"(\w+?)(?:同学)?是否参加了(\w+?)(?:教授|老师)", t):
            truth = (m.group(2), m.group(1)) in joined
            verdicts.append([yes_no_truth(o, truth) for o in q["options"]])
        elif m := re.match(r"哪位同学上过(\w+?)(?:教授|老师)的课", t):
            verdicts.append([(m.group(1), o) in joined for o in q["options"]])
        else:
            raise ValueError(f"unknown lookup question: {t}")
    return verdicts


def check_births(record, text: str):
    born = {p: (int(y), int(m), int(d)) for p, y, m, d in re.findall(r"(\w+?)出生于(\d+)年(\d+)月(\d+)日。", text)}
    verdicts = []
    for q in record["questions"]:
        t = unspaced(question_body(q))
        if m := re.fullmatch(r"(\w+?)比谁年长？", t):
            verdicts.append([born[m.group(1)] < born[o] for o in q["options"]])
        elif t in ("谁是最年长的？", "谁是最年轻的？"):
            pick = min if t == "谁是最年长的？" else max
            verdicts.append([o == pick(born, key=born.get) for o in q["options"]])
        elif m := re.fullmatch(r"(\w+?)比(\w+?)年长吗？", t):
            truth = born[m.group(1)] < born[m.group(2)]
            verdicts.append([yes_no_truth(o, truth) for o in q["options"]])
        elif m := re.fullmatch(r"谁出生于(\d+)年？", t):
            verdicts.append([born[o][0] == int(m.group(1)) for o in q["options"]])
        else:
            raise ValueError(f"unknown lookup question: {t}")
    return verdicts


FAMILY = register(Family(
    name="db_lookup", title="database-style lookup over people/courses/items", weight=15, config=Config, generate=generate, check=check,
    keywords=("记录", "数据", "年份", "表格", "员工"),
))
