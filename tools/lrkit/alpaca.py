"""Alpaca instruction records and their registration in LLaMA-Factory's ``dataset_info.json``."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable, Iterator

from .prompts import answer_line, load_template, render, DEFAULT_PROMPT
from .records import DataError, iter_subquestions, write_json

ALPACA_COLUMNS = {"prompt": "instruction", "query": "input", "response": "output"}


def target_text(question: dict, use_solution: bool = True) -> str:
    """The training target: the worked solution (if carried and wanted) ending in the answer line."""
    line = answer_line(question["answer"])
    solution = question.get("solution") if use_solution else None
    if solution:
        return f"{solution.rstrip()}\n{line}"
    return line


def alpaca_records(records: Iterable[dict], prompt=DEFAULT_PROMPT, use_solution: bool = True, labelled: bool = True) -> Iterator[dict]:
    """One Alpaca record per sub-question, in file order, with ``id``/``sub_index`` kept for tracing."""
    template = load_template(str(prompt))
    for record, index, question in iter_subquestions(records):
        yield {
            "instruction": render(template, record["problem"], question),
            "input": "",
            "output": target_text(question, use_solution) if labelled and question.get("answer") else "",
            "id": record["id"],
            "sub_index": index,
        }


def register(dataset_info: str | os.PathLike, name: str, file_name: str | os.PathLike) -> dict:
    """Add or replace ``name`` in ``dataset_info`` (created if missing); ``file_name`` is stored relative to it.

    LLaMA-Factory resolves ``file_name`` against its ``dataset_dir`` argument,
    i.e. the folder holding this ``dataset_info.json`` (``dataset_dir: .`` for
    the repository's top-level file).
    """
    info_path = Path(dataset_info)
    info: dict = {}
    if info_path.exists():
        try:
            info = json.loads(info_path.read_text(encoding="utf-8") or "{}")
        except json.JSONDecodeError as e:
            raise DataError(f"{info_path}:{e.lineno}: <json>: {e.msg}") from None
        if not isinstance(info, dict):
            raise DataError(f"{info_path}:1: <json>: expected an object of datasets")
    relative = os.path.relpath(Path(file_name).resolve(), info_path.resolve().parent)
    entry = {"file_name": Path(relative).as_posix(), "formatting": "alpaca", "columns": dict(ALPACA_COLUMNS)}
    info[name] = entry
    write_json(info_path, info)
    return entry
