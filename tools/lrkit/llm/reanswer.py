"""Re-answering sub-questions with a model: one job per (problem, sub-question, sample).

The prompt is the seed's answer prompt (``prompts/seed_zh.j2``: reason, then ``答案是：X``); the
letter is taken by :func:`lrkit.extraction.extract_answer`. A reply without a usable letter is a
reject (kept with its reason) and a ``null`` vote. Votes are stored per question as
``answers: {label: [letters...]}``, so several models' votes can sit side by side.
"""

from __future__ import annotations

from ..extraction import extract_answer
from ..prompts import DEFAULT_PROMPT, load_template, render
from ..records import clean, iter_subquestions
from ..voting import plurality
from .client import Reply
from .runner import Job, Outcome


def answer_jobs(records: list[dict], samples: int, params: dict, prompt=DEFAULT_PROMPT) -> list[Job]:
    template = load_template(str(prompt))
    return [
        Job(f"{record['id']}#{index}#{s}", render(template, record["problem"], question), params,
            sample=s, context=len(question["options"]))
        for record, index, question in iter_subquestions(records)
        for s in range(samples)
    ]


def handle_answer(job: Job, reply: Reply) -> Outcome:
    letter = extract_answer(reply.text, job.context)
    if letter is None:
        return Outcome([{"answer": None}], f"no answer line 答案是：X within the {job.context} options")
    return Outcome([{"answer": letter}])


def merge_votes(records: list[dict], entries: list[dict], samples: int, label: str) -> list[dict]:
    """Records with ``answers[label]`` set on every question; an unlabelled question gets the plurality as ``answer``."""
    votes = iter(entries)
    merged = []
    for record in records:
        record = clean(record)
        questions = []
        for question in record["questions"]:
            letters = [next(votes)["rows"][0]["answer"] for _ in range(samples)]
            question = {**question, "answers": {**question.get("answers", {}), label: letters}}
            if not question.get("answer"):
                question["answer"] = plurality(letters) or ""
            questions.append(question)
        merged.append({**record, "questions": questions})
    return merged


def predictions(merged: list[dict], label: str) -> dict:
    """``(id, index) -> plurality letter`` of one model's votes, for :func:`lrkit.metrics.score`."""
    return {(r["id"], i): plurality(q["answers"][label]) for r, i, q in iter_subquestions(merged)}
