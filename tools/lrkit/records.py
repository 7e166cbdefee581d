"""The competition's record format, checked line by line, and JSONL IO.

A record (one line of a ``.jsonl`` file) is one problem::

    {"id": "...", "problem": "...",
     "questions": [{"question": "...", "options": ["..", ".."], "answer": "A"}]}

Extra fields (``family``, ``difficulty``, ``solution``...) are allowed and kept.
Reading never raises on bad content: every fault becomes an :class:`Issue`
naming ``FILE:LINE: field: reason``, the bad line is skipped, every good line
is kept.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

LETTERS = "ABCDEFG"
UNLABELLED_HINT = "use --unlabelled for test files"


class DataError(Exception):
    """A user-facing error about an input file; tools print it without a traceback."""


@dataclass(frozen=True)
class Issue:
    path: str
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.reason}"


def letter_index(answer: str) -> int:
    return LETTERS.index(answer)


def best_letter(probs) -> str:
    """The letter of the highest probability (the first of tied ones)."""
    return LETTERS[max(range(len(probs)), key=probs.__getitem__)]


def check_record(obj, unlabelled: bool = False, answer_hint: str = "") -> list[tuple[str, str]]:
    """Return ``(field, reason)`` for every fault of one parsed record; empty if valid.

    With ``unlabelled`` a missing ``answer`` is fine (test files); a present
    answer is still checked. ``answer_hint`` is added to "missing" answers: a
    tool with an ``--unlabelled`` flag passes :data:`UNLABELLED_HINT`.
    """
    faults: list[tuple[str, str]] = []
    if not isinstance(obj, dict):
        return [("<record>", f"expected a JSON object, got {type(obj).__name__}")]
    for key in ("id", "problem"):
        if key not in obj:
            faults.append((key, "missing"))
        elif not isinstance(obj[key], str) or (key == "problem" and not obj[key].strip()):
            faults.append((key, f"expected a non-empty string, got {obj[key]!r:.40}"))
    if obj.get("id") == "":
        faults.append(("id", "empty"))
    questions = obj.get("questions")
    if questions is None:
        faults.append(("questions", "missing"))
        return faults
    if not isinstance(questions, list) or not questions:
        faults.append(("questions", "expected a non-empty list"))
        return faults
    for qi, q in enumerate(questions):
        where = f"questions[{qi}]"
        if not isinstance(q, dict):
            faults.append((where, "expected an object"))
            continue
        if not isinstance(q.get("question"), str) or not q.get("question", "").strip():
            faults.append((f"{where}.question", "missing or not a non-empty string"))
        options = q.get("options")
        if not isinstance(options, list) or not options:
            faults.append((f"{where}.options", "missing or not a non-empty list"))
            options = None
        elif len(options) > len(LETTERS):
            faults.append((f"{where}.options", f"{len(options)} options; at most {len(LETTERS)}"))
            options = None
        elif not all(isinstance(o, str) for o in options):
            faults.append((f"{where}.options", "every option must be a string"))
        if "answer" not in q:
            if not unlabelled:
                faults.append((f"{where}.answer", f"missing ({answer_hint})" if answer_hint else "missing"))
            continue
        answer = q["answer"]
        if unlabelled and answer in (None, ""):
            continue
        if not isinstance(answer, str) or answer not in LETTERS:
            faults.append((f"{where}.answer", f"expected a letter A-G, got {answer!r:.20}"))
        elif options is not None and letter_index(answer) >= len(options):
            faults.append((f"{where}.answer", f"{answer!r} is outside the {len(options)} options"))
    return faults


def iter_jsonl(path: str | os.PathLike) -> Iterator[tuple[int, object | None, Issue | None]]:
    """Yield ``(line_number, object, None)`` or ``(line_number, None, issue)`` per non-blank line.

    Accepts a UTF-8 BOM and CRLF line ends; undecodable bytes and bad JSON are issues.
    """
    path = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        raise DataError(f"{path}: cannot read: {e.strerror or e}") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    for number, line in enumerate(raw.split(b"\n"), start=1):
        line = line.rstrip(b"\r")
        if not line.strip():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as e:
            yield number, None, Issue(path, number, "<line>", f"not UTF-8 (byte {e.start})")
            continue
        try:
            yield number, json.loads(text), None
        except json.JSONDecodeError as e:
            # Some messages end in "at" already ("Unterminated string starting at").
            where = "column" if e.msg.endswith(" at") else "at column"
            yield number, None, Issue(path, number, "<json>", f"invalid JSON: {e.msg} {where} {e.colno}")


def read_problems(path, unlabelled: bool = False, answer_hint: str = "") -> tuple[list[dict], list[Issue]]:
    """Read a competition-format JSONL file: valid records in file order, and every issue.

    Duplicate ids (or id + ``sub_index`` for split rows) are issues; the first occurrence is kept. Each kept record
    gets ``_line`` (its line number) for later messages; writers drop it.
    """
    records: list[dict] = []
    issues: list[Issue] = []
    seen: dict[str, int] = {}
    path_s = str(path)
    for number, obj, issue in iter_jsonl(path):
        if issue:
            issues.append(issue)
            continue
        faults = check_record(obj, unlabelled, answer_hint)
        if faults:
            issues.extend(Issue(path_s, number, f, r) for f, r in faults)
            continue
        # Split rows (tools/subquestion_rows.py) share their problem's id and differ by sub_index.
        key = (obj["id"], obj.get("sub_index"))
        if key in seen:
            what = f"id {obj['id']!r}" + (f" sub_index {key[1]}" if key[1] is not None else "")
            issues.append(Issue(path_s, number, "id", f"duplicate {what} (first on line {seen[key]})"))
            continue
        seen[key] = number
        obj["_line"] = number
        records.append(obj)
    if not records and not issues:
        issues.append(Issue(path_s, 0, "<file>", "empty: no records"))
    return records, issues


def load_problems(
    path, unlabelled: bool = False, strict: bool = False, report=print, answer_hint: str = ""
) -> list[dict]:
    """Read records, report every issue through ``report``; with ``strict`` any issue is fatal.

    Without ``strict`` the bad lines are skipped (one ``FILE:LINE`` line each, then a summary
    "skipped N bad line(s)") and the rest is returned. A file with no valid record is always an error.
    """
    records, issues = read_problems(path, unlabelled, answer_hint)
    for issue in issues:
        report(str(issue))
    if issues and strict:
        raise DataError(f"{path}: {plural(len({i.line for i in issues}), 'bad line')} (--strict); nothing written")
    if not records:
        raise DataError(f"{path}: no valid records")
    if issues:
        report(skipped_summary(path, len({i.line for i in issues}), f"kept {plural(len(records), 'record')}"))
    return records


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 problem``, ``2 problems`` (``many`` for irregular plurals)."""
    return f"{n} {word if n == 1 else many or word + 's'}"


def skipped_summary(path, bad_lines: int, kept: str = "") -> str:
    """The one summary line every reader prints after skipping bad lines (without ``--strict``)."""
    return f"{path}: skipped {plural(bad_lines, 'bad line')}" + (f", {kept}" if kept else "") + " (--strict aborts instead)"


def report_capped(messages: list[str], report=print, limit: int = 20) -> None:
    """Report the first ``limit`` messages, then one "... and N more" line: long lists never flood, never vanish."""
    for message in messages[:limit]:
        report(message)
    if len(messages) > limit:
        report(f"... and {len(messages) - limit} more")


def clean(record: dict) -> dict:
    """The record without private bookkeeping keys (those starting with ``_``)."""
    return {k: v for k, v in record.items() if not k.startswith("_")}


def dumps(record: dict) -> str:
    return json.dumps(clean(record), ensure_ascii=False)


def _cannot_write(path: Path, why: str) -> DataError:
    return DataError(f"{path}: cannot write: {why}")


def _write_atomically(path, write) -> None:
    """Call ``write(file)`` on a temp file next to ``path``, then rename it over ``path``.

    A crash never leaves half a file, and an unwritable destination (a directory, a parent that
    is a file or cannot be created, a read-only folder, /proc) is a :class:`DataError` naming the
    path and the reason.
    """
    path = Path(path)
    if path.is_dir():
        raise _cannot_write(path, "is a directory")
    blocker = next((p for p in path.parents if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        raise _cannot_write(path, f"{blocker} is not a directory")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise _cannot_write(path, f"cannot create folder {e.filename or path.parent}: {e.strerror or e}") from None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise _cannot_write(path, f"cannot create a file in {path.parent}: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            write(f)
        os.replace(tmp, path)
    except OSError as e:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise _cannot_write(path, e.strerror or str(e)) from None
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_jsonl(path, records: Iterable[dict]) -> int:
    """Write records atomically (temp file + rename); returns how many were written."""
    count = 0

    def write(f):
        nonlocal count
        for record in records:
            f.write(dumps(record) + "\n")
            count += 1

    _write_atomically(path, write)
    return count


def write_json(path, obj) -> None:
    """Write one JSON document atomically, pretty-printed, UTF-8."""

    def write(f):
        json.dump(obj, f, ensure_ascii=False, indent=2)
        f.write("\n")

    _write_atomically(path, write)


def strip_answers(records: Iterable[dict]) -> list[dict]:
    """The records as a test file holds them: every sub-question without its ``answer``."""
    return [{**r, "questions": [{k: v for k, v in q.items() if k != "answer"} for q in r["questions"]]} for r in records]


def iter_subquestions(records: Iterable[dict]) -> Iterator[tuple[dict, int, dict]]:
    """Yield ``(record, index, question)`` for every sub-question, in file order.

    ``index`` is the position in the original problem: split rows count from their ``sub_index``.
    """
    for record in records:
        start = record.get("sub_index") or 0
        for offset, question in enumerate(record["questions"]):
            yield record, start + offset, question


def subquestion_rows(records: Iterable[dict]) -> Iterator[dict]:
    """One record per sub-question (the seed's split format), keeping id and order.

    Each row keeps every field of its problem, holds one question, and adds
    ``sub_index`` (0-based) so that :func:`join_subquestion_rows` can rebuild the file.
    """
    for record, index, question in iter_subquestions(records):
        row = {k: v for k, v in clean(record).items() if k != "questions"}
        row["questions"] = [question]
        row["sub_index"] = index
        yield row


def join_subquestion_rows(rows: Iterable[dict]) -> list[dict]:
    """Inverse of :func:`subquestion_rows`: consecutive rows sharing an id become one problem."""
    joined: dict[str, dict] = {}
    for row in rows:
        row = clean(row)
        key = row["id"]
        if key not in joined:
            joined[key] = {k: v for k, v in row.items() if k not in ("questions", "sub_index")}
            joined[key]["questions"] = []
        joined[key]["questions"].extend(row["questions"])
    return list(joined.values())
