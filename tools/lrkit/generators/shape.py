"""Make a generated dataset match a target *shape*: sub-questions per problem, option counts, answer letters.

A shape is a small JSON file (``data/shapes/round1_train.json`` is fitted from the real train set)::

    {"questions_per_problem": {"1": 0.22, "2": 0.20, ...},
     "option_counts": {"2": 0.33, "3": 0.006, "4": 0.66, "5": 0.005},
     "answer_letters": {"A": 0.34, ...},                       # for reference; what is matched is the next one
     "answer_letters_by_option_count": {"2": {"A": 0.43, "B": 0.57}, "4": {...}, ...}}

:func:`fit_shape` computes one from competition records; :class:`Shaper` rewrites generated records so that
their distributions follow it, and never changes which option is right:

* sub-questions are dropped (the rest renumbered) so that the mean per problem follows
  ``subquestions_per_problem`` (never added: a drop goes to a smaller count drawn by ``questions_per_problem``);
* wrong options are dropped to reach a smaller option count; an option count one above the natural one is
  reached by adding a candidate wrong option only when the family's independent checker confirms that it is
  false and that the answer is unchanged;
* the correct option moves to the letter the target asks for (the wrong ones fill the other places in
  random order), except on yes/no-type questions (是/否, 存在/不存在, ...), which keep the affirmative-first
  order of the real data, so their letter is fixed by the truth.

Choices are drawn with weights equal to each bucket's deficit against the target so far, so a run tracks
the target closely; the shaper's own ``Random`` is seeded by the dataset seed, so the same arguments still
give a byte-identical file (but with a shape, problem i also depends on the problems before it).
"""

from __future__ import annotations

import copy
import json
import random
import re
from collections import Counter
from pathlib import Path

from ..records import LETTERS

# Two-option questions whose options have a fixed order in the real data (affirmative first).
FIXED_PAIRS = {("是", "否"), ("是", "不是"), ("正确", "错误"), ("存在", "不存在"), ("对", "错"), ("可以", "不可以"),
               ("诚实的人", "说谎者"), ("骑士", "无赖"), ("说真话的人", "说谎的人"), ("True", "False"),
               ("真", "假")}
SOLUTION_END = re.compile(r"因此正确的选项是 [A-Z]（.*?）。$", re.S)


def _share(counter: Counter) -> dict[str, float]:
    total = sum(counter.values())
    return {str(k): round(v / total, 4) for k, v in sorted(counter.items(), key=lambda kv: (len(str(kv[0])), str(kv[0])))}


def fit_shape(records, source: str = "") -> dict:
    """The shape of competition records: shares of sub-question counts, option counts and answer letters."""
    per_problem, options, letters = Counter(), Counter(), Counter()
    by_count: dict[int, Counter] = {}
    problems = 0
    for record in records:
        problems += 1
        per_problem[len(record["questions"])] += 1
        for q in record["questions"]:
            options[len(q["options"])] += 1
            letters[q["answer"]] += 1
            by_count.setdefault(len(q["options"]), Counter())[q["answer"]] += 1
    if not problems:
        raise ValueError("no records to fit a shape from")
    subqs = sum(options.values())
    return {"source": source, "problems": problems, "subquestions_per_problem": round(subqs / problems, 3),
            "questions_per_problem": _share(per_problem), "option_counts": _share(options),
            "answer_letters": _share(letters),
            "answer_letters_by_option_count": {str(k): _share(by_count[k]) for k in sorted(by_count)}}


def load_shape(path) -> dict:
    """A shape file, checked: shares are non-negative and each distribution has some mass."""
    shape = json.loads(Path(path).read_text(encoding="utf-8"))
    for key in ("option_counts", "answer_letters_by_option_count"):
        if key not in shape:
            raise ValueError(f"{path}: shape lacks {key!r}")
    dists = [shape["option_counts"], *shape["answer_letters_by_option_count"].values()]
    if "questions_per_problem" in shape:
        dists.append(shape["questions_per_problem"])
    for dist in dists:
        if not dist or any(not isinstance(v, (int, float)) or v < 0 for v in dist.values()) or sum(dist.values()) <= 0:
            raise ValueError(f"{path}: every distribution needs non-negative shares with a positive sum")
    return shape


class _Tracker:
    """Counts per bucket against target shares; draws a bucket among the allowed ones by its deficit."""

    def __init__(self, target: dict):
        total = sum(target.values())
        self.target = {k: v / total for k, v in target.items()}
        self.counts: Counter = Counter()
        self.n = 0

    def draw(self, rng: random.Random, allowed: list[str]) -> str:
        if len(allowed) == 1:
            return allowed[0]
        weights = [max(0.0, self.target.get(k, 0.0) * (self.n + 1) - self.counts[k]) for k in allowed]
        if sum(weights) <= 0:
            weights = [self.target.get(k, 0.0) for k in allowed]
        if sum(weights) <= 0:
            weights = [1.0] * len(allowed)
        return rng.choices(allowed, weights=weights)[0]

    def add(self, key: str) -> None:
        self.counts[key] += 1
        self.n += 1


def _is_fixed(options: list[str]) -> bool:
    return len(options) == 2 and tuple(options) in FIXED_PAIRS


def _candidates(record: dict, index: int) -> list[str]:
    """Possible extra wrong options for sub-question ``index``: numeric neighbours, options of its siblings."""
    q = record["questions"][index]
    out: list[str] = []
    for o in q["options"]:
        if re.fullmatch(r"-?\d+", o):
            out += [str(int(o) + d) for d in (1, -1, 2, -2, 3, 5, 10)]
    for other in record["questions"]:
        out += other["options"]
    return [c for c in dict.fromkeys(out) if c not in q["options"]]


class Shaper:
    """Rewrites generated records (in dataset order) so that their distributions follow ``shape``."""

    def __init__(self, shape: dict, seed: int = 0, checkers: dict | None = None):
        self.rng = random.Random(f"shape-{seed}")
        self.checkers = checkers or {}
        self.mean = shape.get("subquestions_per_problem")
        self.counts = {int(k): v for k, v in shape.get("questions_per_problem", {}).items()}
        self.kept = [0, 0]  # sub-questions kept, problems seen
        self.options = _Tracker(shape["option_counts"])
        self.letters = {k: _Tracker(v) for k, v in shape["answer_letters_by_option_count"].items()}

    def _extended(self, record: dict, index: int) -> str | None:
        """A wrong option to add to sub-question ``index``, confirmed false by the family's checker, else None."""
        check = self.checkers.get(record.get("family"))
        if check is None:
            return None
        q = record["questions"][index]
        for candidate in _candidates(record, index)[:12]:
            trial = copy.deepcopy(record)
            trial["questions"][index]["options"] = q["options"] + [candidate]
            try:
                truths = check(trial)[index]
            except Exception:  # the checker cannot read this option: not a safe distractor
                continue
            if truths.count(True) == 1 and truths[LETTERS.index(q["answer"])]:
                return candidate
        return None

    def __call__(self, record: dict) -> dict:
        record = copy.deepcopy(record)
        questions = record["questions"]
        if self.mean:
            keep = len(questions)
            if keep > 1 and (self.kept[0] + keep) / (self.kept[1] + 1) > self.mean:
                smaller = list(range(1, keep))
                weights = [self.counts.get(k, 0) for k in smaller]
                keep = self.rng.choices(smaller, weights=weights if sum(weights) > 0 else None)[0]
            self.kept[0] += keep
            self.kept[1] += 1
            # Which ones go: yes/no ones first while two-option questions are above their target share (yes/no
            # questions cannot lose or gain options, so dropping them is the one way to lower that share).
            two_over = self.options.counts["2"] >= self.options.target.get("2", 0.0) * (self.options.n + 1)
            order = sorted(range(len(questions)),
                           key=lambda i: (two_over and _is_fixed(questions[i]["options"]), self.rng.random()))
            chosen = sorted(order[:keep])
            questions = [questions[i] for i in chosen]
            for k, q in enumerate(questions, 1):
                q["question"] = re.sub(r"^选择题 \d+：", f"选择题 {k}：", q["question"], count=1)
            record["questions"] = questions
        for index, q in enumerate(questions):
            n = len(q["options"])
            fixed = _is_fixed(q["options"])
            allowed = [str(n)] if fixed else [str(k) for k in range(2, n + 1)]
            if not fixed and n < len(LETTERS) and self.options.target.get(str(n + 1), 0) > 0:
                allowed.append(str(n + 1))
            want = int(self.options.draw(self.rng, allowed))
            correct = q["options"][LETTERS.index(q["answer"])]
            wrong = [o for o in q["options"] if o != correct]
            if want == n + 1:
                extra = self._extended(record, index)
                if extra is None:
                    want = n
                else:
                    wrong.append(extra)
            self.options.add(str(want))
            if fixed:
                options = q["options"]
            else:
                wrong = self.rng.sample(wrong, want - 1)
                tracker = self.letters.get(str(want))
                letter = tracker.draw(self.rng, list(LETTERS[:want])) if tracker else LETTERS[self.rng.randrange(want)]
                options = wrong[:]
                options.insert(LETTERS.index(letter), correct)
            answer = LETTERS[options.index(correct)]
            if str(want) in self.letters:
                self.letters[str(want)].add(answer)
            q["options"], q["answer"] = options, answer
            if "solution" in q:
                q["solution"] = SOLUTION_END.sub(lambda _: f"因此正确的选项是 {answer}（{correct}）。", q["solution"])
        return record
