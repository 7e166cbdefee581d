"""Style metric: how easily a classifier tells real problems from generated ones (ROC AUC; 0.5 = indistinguishable).

Usage: python benchmarks/style/style_auc.py [--real ../shared/data/round1_train_data.jsonl] [--generated FILE.jsonl]
                                            [--n 500] [--seed 0] [--shape data/shapes/round1_train.json]
                                            [--label NAME] [--out benchmarks/style/results_NAME.json]

Takes ``--n`` real problems and ``--n`` generated ones (from ``--generated``, else made on the fly by
lrkit.generators with ``--seed``, optionally through ``--shape``), represents each problem (problem text,
sub-questions and options) by hashed character 1-3-grams (sublinear TF-IDF, L2-normalised), and trains a
logistic regression (numpy only, full-batch gradient descent with L2) to tell them apart. Prints the
5-fold out-of-fold ROC AUC overall and per family, and writes a results JSON next to this script.

Per family, two numbers: ``vs_all_real`` is the AUC of that generated family's problems against all real
problems; ``vs_same_family`` compares it with the real problems that lrkit.report.classify_family (a keyword
classifier) puts in the same family, when both sides have at least 5 problems.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import zlib
from collections import defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "tools"))

from lrkit.report import classify_family  # noqa: E402


def text_of(record: dict) -> str:
    return record["problem"] + "\n" + "\n".join(q["question"] + "\n" + "\n".join(q["options"]) for q in record["questions"])


def hashed_counts(texts: list[str], dim: int) -> np.ndarray:
    """Character 1-, 2- and 3-gram counts, hashed (crc32) into ``dim`` columns."""
    X = np.zeros((len(texts), dim), dtype=np.float32)
    for row, text in enumerate(texts):
        idx = [zlib.crc32(text[i:i + n].encode("utf-8")) % dim for n in (1, 2, 3) for i in range(len(text) - n + 1)]
        np.add.at(X[row], np.asarray(idx, dtype=np.int64), 1.0)
    return X


def tfidf(counts: np.ndarray, train: np.ndarray) -> np.ndarray:
    """Sublinear TF times IDF fitted on the training rows, L2-normalised per row."""
    tf = np.log1p(counts)
    df = (counts[train] > 0).sum(axis=0)
    idf = np.log((1 + train.sum()) / (1 + df)) + 1.0
    X = tf * idf.astype(np.float32)
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    return X / np.maximum(norms, 1e-12)


def logistic_regression(X: np.ndarray, y: np.ndarray, l2: float = 1e-4, lr: float = 4.0, steps: int = 400):
    """Weights and bias of an L2-regularised logistic regression, by full-batch gradient descent."""
    w = np.zeros(X.shape[1], dtype=np.float32)
    b = 0.0
    for _ in range(steps):
        z = X @ w + b
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        g = p - y
        w -= lr * (X.T @ g / len(y) + l2 * w)
        b -= lr * float(g.mean())
    return w, b


def roc_auc(y: np.ndarray, score: np.ndarray) -> float:
    """ROC AUC as the Mann-Whitney statistic (ties count half)."""
    pos, neg = score[y == 1], score[y == 0]
    if not len(pos) or not len(neg):
        return float("nan")
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    ranks = np.empty(len(order), dtype=np.float64)
    allscores = np.concatenate([pos, neg])[order]
    i = 0
    while i < len(order):  # average ranks over ties
        j = i
        while j + 1 < len(order) and allscores[j + 1] == allscores[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def out_of_fold_scores(counts: np.ndarray, y: np.ndarray, folds: int, seed: int) -> np.ndarray:
    order = np.random.default_rng(seed).permutation(len(y))
    scores = np.zeros(len(y), dtype=np.float64)
    for k in range(folds):
        test = np.zeros(len(y), dtype=bool)
        test[order[k::folds]] = True
        X = tfidf(counts, ~test)
        w, b = logistic_regression(X[~test], y[~test].astype(np.float32))
        scores[test] = X[test] @ w + b
    return scores


def load_jsonl(path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def generated_records(args) -> list[dict]:
    if args.generated:
        return load_jsonl(args.generated)
    from lrkit.generators.registry import FAMILIES, generate
    records = generate(args.n, args.seed)
    if args.shape:
        from lrkit.generators.shape import Shaper, load_shape
        records = map(Shaper(load_shape(args.shape), args.seed, {n: f.check for n, f in FAMILIES.items()}), records)
    return list(records)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--real", default=str(REPO.parent / "shared" / "data" / "round1_train_data.jsonl"),
                        help="real competition JSONL (default ../shared/data/round1_train_data.jsonl)")
    parser.add_argument("--generated", help="generated JSONL (records with 'family'); default: generate --n on the fly")
    parser.add_argument("--n", type=int, default=500, help="problems per side (default 500)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed, sampling and fold seed (default 0)")
    parser.add_argument("--shape", help="when generating on the fly, follow this shape file (see tools/generate.py --shape)")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
    parser.add_argument("--dim", type=int, default=2 ** 15, help="hashed feature columns (default 32768)")
    parser.add_argument("--label", default="current", help="name of this run in the results (default current)")
    parser.add_argument("--out", help="results JSON (default benchmarks/style/results_LABEL.json)")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    real = load_jsonl(args.real)
    real = rng.sample(real, min(args.n, len(real)))
    generated = generated_records(args)
    generated = rng.sample(generated, min(args.n, len(generated)))
    texts = [text_of(r) for r in real] + [text_of(r) for r in generated]
    y = np.array([0] * len(real) + [1] * len(generated))
    real_family = np.array([classify_family(r["problem"]) for r in real] + [""] * len(generated))
    gen_family = np.array([""] * len(real) + [r.get("family", "unknown") for r in generated])

    scores = out_of_fold_scores(hashed_counts(texts, args.dim), y, args.folds, args.seed)
    overall = roc_auc(y, scores)
    per_family = {}
    for family in sorted(set(gen_family[y == 1])):
        gen = (gen_family == family)
        same = real_family == family
        row = {"generated": int(gen.sum()), "real_same_family": int(same.sum()),
               "vs_all_real": round(roc_auc(y[gen | (y == 0)], scores[gen | (y == 0)]), 4)}
        if gen.sum() >= 5 and same.sum() >= 5:
            row["vs_same_family"] = round(roc_auc(y[gen | same], scores[gen | same]), 4)
        per_family[family] = row

    print(f"style AUC ({args.label}): {overall:.4f}  ({len(real)} real vs {len(generated)} generated, {args.folds}-fold)")
    print(f"  {'family':<20} {'gen':>4} {'real':>4}  {'vs all real':>11}  {'vs same family':>14}")
    for family, row in sorted(per_family.items(), key=lambda kv: -kv[1]["generated"]):
        same = f"{row['vs_same_family']:.3f}" if "vs_same_family" in row else "-"
        print(f"  {family:<20} {row['generated']:>4} {row['real_same_family']:>4}  {row['vs_all_real']:>11.3f}  {same:>14}")
    out = Path(args.out) if args.out else HERE / f"results_{args.label}.json"
    result = {"label": args.label, "auc": round(overall, 4), "real": len(real), "generated": len(generated),
              "generated_from": args.generated or f"lrkit.generators seed {args.seed}" + (f" shape {args.shape}" if args.shape else ""),
              "folds": args.folds, "dim": args.dim, "features": "hashed char 1-3-grams, sublinear TF-IDF, L2",
              "classifier": "numpy logistic regression (GD, L2 1e-4, 400 steps)", "per_family": per_family}
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
