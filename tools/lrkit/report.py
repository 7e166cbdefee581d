"""An evaluation report a person wants to look at: ``report.html`` with PNG charts (matplotlib, Agg).

Charts: accuracy by family, by option count, by difficulty, the confusion of predicted vs gold
letters, and accuracy by voter agreement when several voters answered. Below them, every
sub-question the model got wrong, with its answer (and its generated text when there is one).

Family: the record's ``family`` (synthetic data carries it); otherwise :func:`classify_family`,
a keyword classifier over the problem text. Difficulty: the record's ``difficulty``; otherwise
the problem-text length tertile of the evaluated set (``short``/``medium``/``long``), labelled as
a proxy in the chart. The report only draws: every figure comes from :func:`lrkit.metrics.score`.
"""

from __future__ import annotations

import html
from pathlib import Path

from .generators.registry import keyword_families
from .metrics import score
from .records import LETTERS, iter_subquestions


def classify_family(problem: str) -> str:
    """The family of a real problem by keywords in its text, else ``other``.

    The families and their keywords are the generator registry's (each family module registers its keywords;
    ``generators.registry.KEYWORD_ORDER`` says which are tried first: the first match wins).
    """
    for family, words in keyword_families():
        if any(word in problem for word in words):
            return family
    return "other"


def _length_tertiles(records: list[dict]) -> dict[str, str]:
    lengths = sorted(len(r["problem"]) for r in records)
    cut1, cut2 = lengths[len(lengths) // 3], lengths[2 * len(lengths) // 3]
    return {r["id"]: "short" if len(r["problem"]) < cut1 else "medium" if len(r["problem"]) < cut2 else "long" for r in records}


def with_family(gold: list[dict]) -> list[dict]:
    """The gold records with ``family`` filled in by the keyword classifier where they lack it."""
    return [{**r, "family": r.get("family") or classify_family(r["problem"])} for r in gold]


def labelled(gold: list[dict]) -> tuple[list[dict], bool]:
    """The gold records with ``family`` and ``difficulty`` filled in where they lack them (keyword classifier,
    length tertile), so that :func:`lrkit.metrics.score` breaks accuracy down by them; and whether difficulty
    is the length proxy."""
    proxy = None if all("difficulty" in r for r in gold) else _length_tertiles(gold)
    return [
        {**r, "difficulty": str(r["difficulty"]) if proxy is None else proxy[r["id"]]} for r in with_family(gold)
    ], proxy is not None


def _bar_chart(path: Path, title: str, buckets: dict[str, dict], order=None) -> None:
    """Accuracy per bucket; ``buckets`` as :func:`lrkit.metrics.score` gives them: ``{name: {n, correct, ...}}``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = order or sorted(buckets, key=lambda k: (-buckets[k]["n"], k))
    names = [n for n in names if n in buckets]
    accuracy = [buckets[n]["correct"] / buckets[n]["n"] for n in names]
    fig, ax = plt.subplots(figsize=(max(4.0, 0.7 * len(names) + 2), 3.2), dpi=100)
    bars = ax.bar(names, accuracy, color="#4a7ab5")
    for bar, n in zip(bars, names):
        ax.annotate(f"{buckets[n]['correct']}/{buckets[n]['n']}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    ha="center", va="bottom", fontsize=8)
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("accuracy")
    ax.set_title(title)
    ax.tick_params(axis="x", labelrotation=30 if len(names) > 4 else 0, labelsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _confusion_chart(path: Path, confusion: dict[str, dict[str, int]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    gold_letters = sorted(confusion)
    used = sorted({p for row in confusion.values() for p in row} | set(gold_letters), key=lambda x: LETTERS.find(x) % 99)
    cells = [[confusion[g].get(p, 0) for p in used] for g in gold_letters]
    fig, ax = plt.subplots(figsize=(0.6 * len(used) + 2.2, 0.6 * len(gold_letters) + 1.6), dpi=100)
    ax.imshow(cells, cmap="Blues")
    ax.set_xticks(range(len(used)), used)
    ax.set_yticks(range(len(gold_letters)), gold_letters)
    ax.set_xlabel("predicted (? = no answer)")
    ax.set_ylabel("gold")
    peak = max(max(row) for row in cells) or 1
    for i, row in enumerate(cells):
        for j, value in enumerate(row):
            ax.text(j, i, str(value), ha="center", va="center", fontsize=8, color="white" if value > peak / 2 else "black")
    ax.set_title("confusion: gold vs predicted letter")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def write_report(directory, gold: list[dict], predicted: dict, metrics: dict, details: dict | None = None, title: str = "") -> Path:
    """Write ``report.html`` and its PNG charts into ``directory``; return the HTML path.

    ``details`` maps (id, sub-question index) to ``{"vote": Vote, "text": str | None}`` when a
    model answered here (agreement and generated text go into the wrong-answer table).
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    records, proxy = labelled(gold)
    parts = score(records, predicted)
    charts = [
        ("by_family.png", "accuracy by family" + ("" if all("family" in r for r in gold) else " (keyword classifier)"), parts["by_family"], None),
        ("by_options.png", "accuracy by option count", parts["by_options"], sorted(parts["by_options"], key=int)),
        ("by_difficulty.png", "accuracy by difficulty" + (" (length proxy)" if proxy else ""), parts["by_difficulty"],
         ["short", "medium", "long"] if proxy else sorted(parts["by_difficulty"])),
    ]
    for name, chart_title, buckets, order in charts:
        _bar_chart(directory / name, chart_title, buckets, order)
    images = [(name, chart_title) for name, chart_title, _, _ in charts]
    _confusion_chart(directory / "confusion.png", metrics["confusion"])
    images.append(("confusion.png", "confusion of predicted vs gold letters"))
    if details and "agreement" in metrics:
        levels = {k: {"n": v["n"], "correct": round(v["accuracy"] * v["n"])} for k, v in metrics["agreement"]["by_agreement"].items()}
        _bar_chart(directory / "by_agreement.png", "accuracy by voter agreement", levels, sorted(levels))
        images.append(("by_agreement.png", "accuracy by voter agreement"))
    rows = []
    for record, index, question in iter_subquestions(records):
        family = record["family"]
        key = (record["id"], index)
        guess = predicted.get(key)
        if guess == question["answer"]:
            continue
        detail = (details or {}).get(key, {})
        vote = detail.get("vote")
        options = "<br>".join(f"{LETTERS[j]}. {html.escape(o)}" for j, o in enumerate(question["options"]))
        text = detail.get("text")
        rows.append(
            f"<tr><td>{html.escape(record['id'])} #{index + 1}</td><td>{html.escape(family)}</td>"
            f"<td><details><summary>{html.escape(question['question'][:120])}</summary>"
            f"<pre>{html.escape(record['problem'])}</pre></details>{options}</td>"
            f"<td class=gold>{question['answer']}</td><td class=wrong>{guess or '—'}</td>"
            f"<td>{'' if vote is None else f'{vote.agreement:.2f}'}</td>"
            f"<td>{'' if not text else '<pre>' + html.escape(text[-400:]) + '</pre>'}</td></tr>"
        )
    figures = "".join(
        f'<figure><img src="{name}" alt="{html.escape(t)}"><figcaption>{html.escape(t)}</figcaption></figure>'
        for name, t in images
    )
    summary = (f"accuracy {metrics['accuracy']:.2%} ({metrics['correct']}/{metrics['subquestions']} sub-questions); "
               f"all-correct problems {metrics['problem_accuracy']:.2%} ({metrics['problems_all_correct']}/{metrics['problems']}); "
               f"unparseable {metrics['unparseable']}, missing {metrics['missing']}")
    page = f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>evaluation report</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; color: #222; }}
figure {{ display: inline-block; margin: 0 1em 1em 0; vertical-align: top; }}
figcaption {{ font-size: 0.85em; color: #555; }}
table {{ border-collapse: collapse; font-size: 0.85em; }}
td, th {{ border: 1px solid #ccc; padding: 4px 6px; vertical-align: top; }}
pre {{ white-space: pre-wrap; max-width: 40em; margin: 0; }}
.gold {{ color: #1a7f37; font-weight: bold; }} .wrong {{ color: #c62828; font-weight: bold; }}
</style></head><body>
<h1>Evaluation report</h1>
<p>{html.escape(title)}</p>
<p><b>{html.escape(summary)}</b></p>
{figures}
<h2>Wrong answers ({len(rows)})</h2>
<table><tr><th>sub-question</th><th>family</th><th>question and options</th><th>gold</th><th>model</th><th>agreement</th><th>model's text</th></tr>
{''.join(rows)}
</table></body></html>
"""
    path = directory / "report.html"
    path.write_text(page, encoding="utf-8")
    return path
