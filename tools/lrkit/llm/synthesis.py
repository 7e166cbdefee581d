"""New problems (or new sub-questions) from seed problems: prompts as jobs, replies parsed and checked.

Job ``i`` is made from ``Random(f"{seed}:{i}")`` alone — which seeds it shows, which problem it
extends — so a run is reproducible and resumable job by job. A reply must hold one JSON object in
the competition format (optionally in a fenced ```json block); anything else — no JSON, the wrong
shape, an answer outside the options — is a reject with its reason, never a crash.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import jinja2

from ..prompts import load_template
from ..records import LETTERS, DataError, check_record, clean
from .client import Reply
from .runner import Job, Outcome

PROBLEM_PROMPT = Path("prompts/synthesize_problem_zh.j2")
SUBQUESTION_PROMPT = Path("prompts/synthesize_subquestions_zh.j2")
_FENCE = re.compile(r"```(?:json)?\s*\n(.*?)```", re.DOTALL)
_OPTION_LETTER = re.compile(r"^\s*([A-G])\s*[.、:：)）]\s*")


def _render(path, **values) -> str:
    try:
        return load_template(str(path)).render(letters=LETTERS, **values).strip()
    except jinja2.UndefinedError as e:
        raise DataError(f"{path}: {e.message}") from None


def example_json(record: dict) -> str:
    """A seed as the model sees it: problem and questions only."""
    keep = {"problem": record["problem"],
            "questions": [{k: q[k] for k in ("question", "options", "answer") if k in q} for q in record["questions"]]}
    return json.dumps(keep, ensure_ascii=False)


def problem_jobs(seeds: list[dict], n: int, k: int, seed: int, params: dict, prompt=PROBLEM_PROMPT,
                 id_prefix: str = "syn", min_questions: int = 2, max_questions: int = 5) -> list[Job]:
    jobs = []
    for i in range(n):
        shown = random.Random(f"{seed}:{i}").sample(seeds, min(k, len(seeds)))
        text = _render(prompt, examples=[example_json(r) for r in shown],
                       min_questions=min_questions, max_questions=max_questions)
        # sample=i: two jobs showing the same seeds are two draws, not one cached reply
        jobs.append(Job(f"{id_prefix}-{i:05d}", text, params, sample=i, context=[r["id"] for r in shown]))
    return jobs


def subquestion_jobs(seeds: list[dict], n: int, n_questions: int, seed: int, params: dict,
                     prompt=SUBQUESTION_PROMPT) -> list[Job]:
    """Job ``i`` extends seed ``i mod len(seeds)``; later rounds over the seeds are new samples."""
    order = list(seeds)
    random.Random(seed).shuffle(order)
    jobs = []
    for i in range(n):
        record, round_ = order[i % len(order)], i // len(order)
        text = _render(prompt, problem=record["problem"], questions=record["questions"], n_questions=n_questions)
        jobs.append(Job(f"{record['id']}-sq{round_}", text, params, sample=round_, context=record))
    return jobs


def extract_json(text: str):
    """The first JSON object in a fenced block, else the first one anywhere in ``text``; ``None`` if none."""
    decoder = json.JSONDecoder()
    for chunk in [*_FENCE.findall(text), text]:
        for start in (m.start() for m in re.finditer(r"\{", chunk)):
            try:
                obj, _ = decoder.raw_decode(chunk, start)
            except ValueError:
                continue
            if isinstance(obj, dict):
                return obj
    return None


def _normal_question(q):
    """Tidy what models commonly add: letter prefixes on options ("A. x"), "A." or "a" as the answer."""
    if not isinstance(q, dict):
        return q
    q = {k: q[k] for k in ("question", "options", "answer") if k in q}
    options = q.get("options")
    if isinstance(options, list) and options and all(isinstance(o, str) for o in options):
        found = [_OPTION_LETTER.match(o) for o in options]
        if all(m and m.group(1) == LETTERS[i] for i, m in enumerate(found)):
            q["options"] = [o[m.end():] for o, m in zip(options, found)]
    answer = q.get("answer")
    if isinstance(answer, str):
        answer = answer.strip().upper()
        if len(answer) > 1 and answer[0] in LETTERS and not answer[1].isalpha():
            answer = answer[0]
        q["answer"] = answer
    return q


def parse_questions(text: str, record_id: str, problem: str | None = None) -> tuple[dict | None, str | None]:
    """``(record, None)`` from a reply, or ``(None, reason)``; ``problem`` given means keep the seed's."""
    obj = extract_json(text)
    if obj is None:
        return None, "no JSON object in the reply"
    questions = obj.get("questions")
    record = {"id": record_id, "problem": problem if problem is not None else obj.get("problem"),
              "questions": [_normal_question(q) for q in questions] if isinstance(questions, list) else questions}
    faults = check_record(record)
    if faults:
        return None, "; ".join(f"{f}: {r}" for f, r in faults[:5])
    return record, None


def handle_problem(model: str):
    def handle(job: Job, reply: Reply) -> Outcome:
        record, reason = parse_questions(reply.text, job.key)
        if reason:
            return Outcome([], reason)
        record["source"] = {"generator": model, "seeds": job.context}
        return Outcome([record])
    return handle


def handle_subquestions(model: str):
    def handle(job: Job, reply: Reply) -> Outcome:
        seed_record = clean(job.context)
        record, reason = parse_questions(reply.text, job.key, problem=seed_record["problem"])
        if reason:
            return Outcome([], reason)
        known = {q["question"].strip() for q in seed_record["questions"]}
        record["questions"] = [q for q in record["questions"] if q["question"].strip() not in known]
        if not record["questions"]:
            return Outcome([], "every sub-question repeats an existing one")
        extra = {k: v for k, v in seed_record.items() if k not in ("id", "problem", "questions", "source")}
        record.update(extra, source={"generator": model, "seed": seed_record["id"]})
        return Outcome([record])
    return handle
