"""Database-style lookups over professors, courses and students: joins, counts, membership."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from .base import layout, numbered, EN_NAMES, Family, register, GenConfig, ask, check_range, choice, near_numbers, question_body, yes_no, yes_no_truth

COURSES = ["AI", "DB", "OS", "FP", "SE", "ML", "NLP", "CV", "HCI", "NET"]
PROFS = ["Holvoet", "Moens", "Demoen", "Dedecker", "Jacobs", "Deschreye", "Bruynooghe", "Janssens"]


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
    profs = rng.sample(PROFS, cfg.professors)
    courses = rng.sample(COURSES, cfg.courses)
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
        return choice(r, f"下列哪位教授是{s}同学的任课老师？", p, r.sample(no, len(no)),
                      [f"{s}同学参加的课程有：{'、'.join(takes[s])}。", f"{c}由{p}教授讲授。", f"其余选项的教授讲授的课程{s}同学都没有参加。"])

    def count(r):
        c = r.choice(courses)
        who = [s for s in students if c in takes[s]]
        return choice(r, f"参加{c}课程的学生有几人？", str(len(who)), near_numbers(len(who), (1, 2, -1, 3)),
                      [f"逐个检查学生的课程：参加{c}的有{'、'.join(who) if who else '没有人'}。", f"共 {len(who)} 人。"])

    def attends(r):
        s, p = r.choice(students), r.choice(profs)
        truth = taught_by(s, p)
        return yes_no(f"{s}同学是否参加了{p}教授讲授的课程？", truth,
                      [f"{p}教授讲授：{'、'.join(teaches[p]) or '没有课程'}。", f"{s}同学参加：{'、'.join(takes[s])}。",
                       f"两者{'有' if truth else '没有'}共同的课程。"])

    def student_of(r):
        p = r.choice(profs)
        yes = [s for s in students if taught_by(s, p)]
        no = [s for s in students if not taught_by(s, p)]
        if not yes or not no:
            return None
        s = r.choice(yes)
        return choice(r, f"下列哪位同学上过{p}教授的课？", s, r.sample(no, len(no)),
                      [f"{p}教授讲授：{'、'.join(teaches[p])}。", f"{s}同学参加了其中的 {'、'.join(c for c in takes[s] if teacher[c] == p)}。"])

    lines = [f"{p}教授授课课程：{'、'.join(teaches[p])}。" if teaches[p] else f"{p}教授本学期不授课。" for p in profs]
    lines2 = [f"{s}同学参加的课程有：{'、'.join(takes[s])}。" for s in students]
    text = layout("有一所大学，部分学生和教授的信息如下：", lines,
                  f"以下是学生参加的课程情况：\n\n{numbered(lines2)}\n\n请根据信息回答以下选择题：")
    return text, ask(rng, cfg, [teacher_of, count, attends, student_of])


def check(record):
    """A relational join: rows (professor, course) and (student, course) joined on course."""
    text = record["problem"]
    teach_rows = {(p, c) for p, cs in re.findall(r"(\w+)教授授课课程：(.+?)。", text) for c in cs.split("、")}
    take_rows = {(s, c) for s, cs in re.findall(r"(\w+)同学参加的课程有：(.+?)。", text) for c in cs.split("、")}
    joined = {(p, s) for p, c in teach_rows for s, c2 in take_rows if c == c2}
    verdicts = []
    for q in record["questions"]:
        t = question_body(q)
        if m := re.match(r"下列哪位教授是(\w+)同学的任课老师", t):
            verdicts.append([(o, m.group(1)) in joined for o in q["options"]])
        elif m := re.match(r"参加(\w+)课程的学生有几人", t):
            verdicts.append([o == str(sum(1 for _, c in take_rows if c == m.group(1))) for o in q["options"]])
        elif m := re.match(r"(\w+)同学是否参加了(\w+)教授", t):
            truth = (m.group(2), m.group(1)) in joined
            verdicts.append([yes_no_truth(o, truth) for o in q["options"]])
        elif m := re.match(r"下列哪位同学上过(\w+)教授的课", t):
            verdicts.append([(m.group(1), o) in joined for o in q["options"]])
        else:
            raise ValueError(f"unknown lookup question: {t}")
    return verdicts


FAMILY = register(Family(
    name="db_lookup", title="database-style lookup over people/courses/items", weight=15, config=Config, generate=generate, check=check,
    keywords=("记录", "数据", "年份", "表格", "员工"),
))
