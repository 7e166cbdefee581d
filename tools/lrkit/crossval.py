"""k-fold cross-validation by problem through ``llamafactory-cli train`` and ``tools/evaluate.py``.

Every problem of the labelled file lands in exactly one test fold (:func:`lrkit.splitting.assign_folds`), so
every real sub-question is scored once, by a model that never saw its problem. A fold is: export its training
problems to Alpaca (registered in ``WORK/dataset_info.json``), ``llamafactory-cli train RECIPE`` with that
dataset, then ``tools/evaluate.py --backend scoring`` on its test problems (and on held-out generated problems,
if given; with ``permute_eval`` also with ``tools/evaluate.py --permute-options``: the same fold models' answers with
the option-position bias averaged out, summarized apart). ``train_permutations`` K trains each fold on its problems
plus K-1 copies with the options shuffled (:mod:`lrkit.permute`). ``mix`` adds the problems of another file (generated
ones) to every fold's training set, shuffled in with the real ones by the trainer: generated + real in one stage,
the alternative to pre-training on them first. Optional pre-training on data that holds no
real problem (``pretrain``) is trained once and shared by the folds: a LoRA continues that adapter, a full
fine-tune starts from that model. ``no_train`` evaluates the base model (plus the pre-training, if any) on the
whole file instead. The results (summarize, combine, compare, vote) are :mod:`lrkit.cvresults`.

Each fold and the pre-training keep a stamp (a hash of everything that decides their output); a re-run skips
what is stamped and unchanged, and redoes what changed. Folds can run side by side (``parallel``): on one large
GPU, several small-model trainings at once use it better than one. Several runs of one configuration can also share
a WORK folder (e.g. a second run with ``only_folds`` started beside a first to add trainings mid-cell): a fold or the
pre-training in progress is claimed (``claim.json`` in its folder, the process and its start time), and a run that
meets a fold another live run holds does its other folds first, then takes that fold's result when it is stamped
(or runs it itself if the other run stopped). A claim by a process that is gone is taken over; one held by a live
run with other arguments is an error (one configuration per WORK).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shlex
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .alpaca import alpaca_records, register
from .cli import read_yaml_mapping
from .cvresults import summarize
from .permute import permuted_copies
from .prompts import DEFAULT_PROMPT
from .records import DataError, load_problems, write_json, write_jsonl
from .splitting import assign_folds

TOOLS = Path("tools")  # run from the repository root, as the recipes (dataset_dir: .) are


@dataclass
class Plan:
    recipe: Path
    data: Path
    work: Path
    folds: int = 5
    seed: int = 42
    model: str | None = None  # overrides the recipe's model_name_or_path
    train_args: list[str] = field(default_factory=list)  # key=value overrides for llamafactory-cli train
    pretrain: Path | None = None  # competition-format data trained on once, before the folds
    pretrain_args: list[str] = field(default_factory=list)
    pretrain_out: Path | None = None  # default WORK/pretrain
    mix: Path | None = None  # competition-format problems added to every fold's training set (none of them real)
    no_train: bool = False
    heldout: Path | None = None  # labelled problems no fold trains on (e.g. held-out generated ones)
    parallel: int = 1
    prompt: Path = DEFAULT_PROMPT
    batch_size: int = 16
    eval_args: list[str] = field(default_factory=list)
    permute_eval: bool = False  # also score every fold with --permute-options (results["permuted"])
    only_folds: list[int] | None = None  # run these folds alone (the rest of a cell cut off earlier: combine.py)
    train_permutations: int = 1  # train on each fold's problems + this many - 1 option-shuffled copies
    bootstrap: int = 2000
    claim_poll: float = 10.0  # seconds between looks at a fold or pre-training another run holds
    log: object = print
    on_folds: object = None  # called with the results when every fold is in, before the held-out vote (the last step)

    def __post_init__(self):
        self.recipe_values = read_yaml_mapping(self.recipe, "LLaMA-Factory settings", ("template", "finetuning_type"))
        self.model = self.model or self.recipe_values.get("model_name_or_path")
        if not self.model:
            raise DataError(f"{self.recipe}: no model_name_or_path (pass --model)")
        self.template = self.recipe_values["template"]
        self.full = self.recipe_values["finetuning_type"] == "full"
        if self.recipe_values["finetuning_type"] not in ("lora", "full"):
            raise DataError(f"{self.recipe}: finetuning_type {self.recipe_values['finetuning_type']!r}: lora or full only")
        self.pretrain_out = self.pretrain_out or self.work / "pretrain"
        self._lock = threading.Lock()


def _cli() -> list[str]:
    exe = Path(sys.executable).parent / "llamafactory-cli"
    return [str(exe)] if exe.exists() else ["llamafactory-cli"]


def _digest(*parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path) and part.is_file():
            h.update(part.read_bytes())
        else:
            h.update(json.dumps(part, sort_keys=True, default=str).encode())
        h.update(b"\0")
    return h.hexdigest()[:16]


def _read_json(path: Path) -> dict | None:
    """A stamp or claim, or None if there is none (or only part of one)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _stamped(stamp: Path, key: str) -> dict | None:
    done = _read_json(stamp)
    return done if done and done.get("key") == key else None


def _process_tag(pid: int) -> str | None:
    """A tag of the live process ``pid`` (its start time, where /proc has it, so a reused pid is not taken for the
    process that made a claim); None if no such process."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""  # no /proc: the pid alone
    fields = stat[stat.rindex(")") + 2:].split()  # from field 3, the state
    return None if fields[0] in "ZX" else fields[19]  # a zombie has ended; field 22 is the start time


def _holder(path: Path, key: str, what: str) -> dict | None:
    """The claim at ``path`` if a live process other than this one holds it (a DataError if with another key)."""
    other = _read_json(path)
    if not other or other.get("pid") == os.getpid():
        return None
    if other.get("host") == socket.gethostname():
        tag = _process_tag(int(other.get("pid", 0)))
        if tag is None or tag != other.get("tag", tag):
            return None  # that process is gone: a stale claim
    if other.get("key") != key:
        raise DataError(f"{path}: {what} is being run by process {other.get('pid')} on {other.get('host')} with other "
                        f"arguments (another crossval run in the same --work): give each configuration its own --work")
    return other


def _claim(folder: Path, key: str, what: str) -> dict | None:
    """Claim ``folder`` for this process (``claim.json``): None once claimed, or the claim of the live process that
    holds it (same key; another key is a DataError). A stale claim is taken over."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "claim.json"
    mine = {"pid": os.getpid(), "host": socket.gethostname(), "tag": _process_tag(os.getpid()), "key": key}
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)  # only one run creates it
    except FileExistsError:
        other = _holder(path, key, what)
        if other:
            return other
        write_json(path, mine)  # a stale claim, replaced whole (temp file + rename)
        return None
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(mine, f)
    return None


def _release(folder: Path) -> None:
    path = folder / "claim.json"
    if (_read_json(path) or {}).get("pid") == os.getpid():
        path.unlink(missing_ok=True)


def _claimed(plan: Plan, folder: Path, stamp: Path, key: str, what: str, wait: bool) -> tuple[bool, dict | None]:
    """Hold ``folder`` for ``what`` or learn its result from the run that holds it: (True, None) once this process
    holds it; (False, result) when another run stamped it; (False, None) when another live run holds it and
    ``wait`` is false (the caller comes back later)."""
    waiting = False
    while (other := _claim(folder, key, what)) is not None:
        if not wait:
            return False, None
        if not waiting:
            plan.log(f"[crossval] {what}: being run by process {other.get('pid')} on {other.get('host')} (another "
                     f"crossval run in this --work), waiting for its result (if that run is gone from another host, "
                     f"delete {folder / 'claim.json'})")
            waiting = True
        time.sleep(plan.claim_poll)
        if done := _stamped(stamp, key):
            return False, done
    return True, None


def _run(cmd: list[str], log: Path, what: str) -> float:
    """Run ``cmd`` with its output in ``log``; the seconds it took, or a DataError showing the log's tail."""
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DISABLE_VERSION_CHECK": "1", "PYTHONUNBUFFERED": "1"}
    start = time.perf_counter()
    with open(log, "w", encoding="utf-8") as f:
        f.write("$ " + shlex.join(cmd) + "\n")
        f.flush()
        code = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, env=env).returncode
    if code != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
        raise DataError(f"{what} failed (exit {code}); last lines of {log}:\n    " + "\n    ".join(tail))
    return time.perf_counter() - start


def _no_eval_args(values: dict) -> list[str]:
    """Overrides that switch off the recipe's own evaluation during training (the folds evaluate afterwards)."""
    args = []
    if values.get("eval_dataset"):
        args.append("eval_dataset=null")
    if values.get("eval_strategy", "no") != "no":
        args.append("eval_strategy=no")
    if values.get("do_eval"):
        args.append("do_eval=false")
    return args


def _export(plan: Plan, records: list[dict], name: str, folder: Path) -> Path:
    path = folder / f"{name}.json"
    write_json(path, list(alpaca_records(records, plan.prompt)))
    # one dataset_info.json for every fold, and for every run sharing this WORK: read, add, write under both locks
    with plan._lock, open(plan.work / "dataset_info.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        register(plan.work / "dataset_info.json", name, path)
    return path


def _train(plan: Plan, dataset: str, output: Path, log: Path, init: str | None, extra: list[str]) -> float:
    cmd = [*_cli(), "train", str(plan.recipe), f"dataset_dir={plan.work}", f"dataset={dataset}", f"output_dir={output}"]
    model = plan.model
    if init and plan.full:
        model = init  # a full fine-tune continues from the pre-trained weights
    cmd.append(f"model_name_or_path={model}")
    if init and not plan.full:
        cmd.append(f"adapter_name_or_path={init}")  # LLaMA-Factory resumes training this adapter
    cmd += _no_eval_args(plan.recipe_values) + extra
    return _run(cmd, log, f"training ({log.parent.name})")


def _evaluate(plan: Plan, model: str, adapters: list[str], gold: Path, save: Path | None, metrics: Path, log: Path,
              vote: bool = False, extra: tuple[str, ...] = ()) -> float:
    """tools/evaluate.py's scoring backend on gold: with one adapter, or the majority of several (vote)."""
    cmd = [sys.executable, str(TOOLS / "evaluate.py"), "--model", model, "--gold", str(gold), "--backend", "scoring",
           "--template", plan.template, "--prompt", str(plan.prompt), "--batch-size", str(plan.batch_size),
           "--out", str(metrics), *plan.eval_args, *extra]
    if save:
        cmd += ["--save", str(save)]
    if vote:
        cmd.append("--vote")
    for adapter in adapters:
        cmd += ["--adapter", adapter]
    return _run(cmd, log, f"evaluation ({log.parent.name}/{log.name})")


def _eval_model(plan: Plan, trained: Path | None, init: str | None) -> tuple[str, str | None]:
    """(model, adapter) that answer after training into ``trained`` (None: no training) from ``init``."""
    if trained is None:
        if init is None:
            return plan.model, None
        return (init, None) if plan.full else (plan.model, init)
    return (str(trained), None) if plan.full else (plan.model, str(trained))


def refuse_real(path: Path, rows: list[dict], records: list[dict], data: Path, why: str) -> None:
    """A DataError naming PATH:LINE and the field of the first row that is also a problem of ``records``."""
    real = {"id": {r["id"] for r in records}, "problem": {r["problem"].strip() for r in records}}
    for row in rows:
        for name, values in real.items():
            if row[name].strip() in values:
                raise DataError(f"{path}:{row['_line']}: field {name!r} is also a problem of {data}: {why}")


def pretrain(plan: Plan, records: list[dict]) -> str | None:
    """Train once on ``plan.pretrain`` (no problem of ``records`` in it: refused); its output folder, or None."""
    if plan.pretrain is None:
        return None
    rows = load_problems(plan.pretrain, report=plan.log)
    refuse_real(plan.pretrain, rows, records, plan.data,
                "a pre-training problem would be trained on before the fold that tests it")
    out = plan.pretrain_out
    stamp = out / "crossval_stamp.json"
    key = _digest("pretrain", plan.recipe, plan.model, plan.pretrain, plan.pretrain_args, plan.prompt)
    if _stamped(stamp, key):
        plan.log(f"[crossval] pre-training: unchanged, reusing {out}")
        return str(out)
    held, _ = _claimed(plan, out, stamp, key, "the pre-training", wait=True)
    if not held:
        plan.log(f"[crossval] pre-training: done by the other run, reusing {out}")
        return str(out)
    try:
        plan.work.mkdir(parents=True, exist_ok=True)
        _export(plan, rows, "cv_pretrain", plan.work / "pretrain_data")
        plan.log(f"[crossval] pre-training on {plan.pretrain} ({len(rows)} problems) -> {out}")
        seconds = _train(plan, "cv_pretrain", out, plan.work / "logs" / "pretrain.log", None, plan.pretrain_args)
        write_json(stamp, {"key": key, "train_s": round(seconds, 1)})
    finally:
        _release(out)
    return str(out)


def load_mix(plan: Plan, records: list[dict]) -> list[dict]:
    """The problems of ``plan.mix``; a DataError naming FILE:LINE and the field of one that is also in ``plan.data``."""
    if plan.mix is None:
        return []
    mix = load_problems(plan.mix, report=plan.log)
    refuse_real(plan.mix, mix, records, plan.data, "a mixed-in problem would be trained on by the fold that tests it")
    return mix


def _fold(plan: Plan, k: int, train: list[dict], test: list[dict], init: str | None, heldout: list[dict] | None,
          mix: list[dict] = (), wait: bool = True) -> dict | None:
    """One fold's result: trained and scored here, or reused (stamped by an earlier run or by another run in this
    WORK); None if another live run holds it and ``wait`` is false."""
    folder = plan.work / f"fold{k}"
    stamp = folder / "done.json"
    key = _digest("fold", k, plan.recipe, plan.model, Path(init) / "crossval_stamp.json" if init else None,
                  [r["id"] for r in test], train, plan.train_args, plan.prompt, plan.eval_args, plan.no_train,
                  plan.heldout, bool(heldout), plan.permute_eval, plan.train_permutations,
                  *([plan.mix] if plan.mix else []))  # (no mix: the key of runs before --mix existed)
    done = _stamped(stamp, key)
    if done:
        plan.log(f"[crossval] fold {k}: unchanged, reusing {folder}")
        return done
    held, done = _claimed(plan, folder, stamp, key, f"fold {k}", wait)
    if done:
        plan.log(f"[crossval] fold {k}: done by the other run, reusing {folder}")
    if not held:
        return done
    try:
        return _train_and_score(plan, k, folder, stamp, key, train, test, init, heldout, mix)
    finally:
        _release(folder)


def _train_and_score(plan: Plan, k: int, folder: Path, stamp: Path, key: str, train: list[dict], test: list[dict],
                     init: str | None, heldout: list[dict] | None, mix: list[dict]) -> dict:
    write_jsonl(folder / "test.jsonl", test)
    result = {"key": key, "fold": k, "problems": len(test), "subquestions": sum(len(r["questions"]) for r in test)}
    trained = None
    if not plan.no_train:
        _export(plan, permuted_copies(train, plan.train_permutations, plan.seed) + list(mix), f"cv_fold{k}", folder)
        trained = folder / "sft"
        copies = f" x {plan.train_permutations} option orders" if plan.train_permutations > 1 else ""
        mixed = f" + {len(mix)} mixed in from {plan.mix}" if mix else ""
        plan.log(f"[crossval] fold {k}: training on {len(train)} problems{copies}{mixed} -> {trained}")
        result["train_s"] = round(_train(plan, f"cv_fold{k}", trained, folder / "train.log", init, plan.train_args), 1)
    model, adapter = _eval_model(plan, trained, init)
    adapters = [adapter] if adapter else []
    result["eval_s"] = round(_evaluate(plan, model, adapters, folder / "test.jsonl", folder / "answers.jsonl",
                                       folder / "metrics.json", folder / "evaluate.log"), 1)
    result["accuracy"] = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))["accuracy"]
    if plan.permute_eval:
        result["eval_permuted_s"] = round(_evaluate(
            plan, model, adapters, folder / "test.jsonl", folder / "answers_permuted.jsonl",
            folder / "metrics_permuted.json", folder / "evaluate_permuted.log", extra=("--permute-options",)), 1)
        result["accuracy_permuted"] = json.loads((folder / "metrics_permuted.json").read_text(encoding="utf-8"))["accuracy"]
    if heldout is not None:
        write_jsonl(folder / "heldout.jsonl", heldout)
        _evaluate(plan, model, adapters, folder / "heldout.jsonl", folder / "heldout_answers.jsonl",
                  folder / "heldout_metrics.json", folder / "evaluate_heldout.log")
        result["heldout_accuracy"] = json.loads((folder / "heldout_metrics.json").read_text(encoding="utf-8"))["accuracy"]
    result["adapter" if adapter else "model"] = adapter or model
    write_json(stamp, result)
    plan.log(f"[crossval] fold {k}: accuracy {result['accuracy']:.2%} on {result['subquestions']} sub-questions")
    return result


def run(plan: Plan) -> dict:
    """The whole cross-validation; returns the results (also written by the tool)."""
    from tqdm import tqdm

    records = load_problems(plan.data, report=plan.log)
    if not records:
        raise DataError(f"{plan.data}: no problems")
    heldout = load_problems(plan.heldout, report=plan.log) if plan.heldout else None
    mix = load_mix(plan, records)
    if plan.only_folds is not None:  # checked before any training
        if plan.no_train:
            raise DataError("--only-folds picks folds to train: not with --no-train")
        if bad := [k for k in plan.only_folds if not 0 <= k < plan.folds]:
            raise DataError(f"--only-folds {bad[0]}: there are folds 0 to {plan.folds - 1}")
    plan.work.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    init = pretrain(plan, records)
    if plan.no_train:
        splits = [(records, records)]
    else:
        if plan.folds > len(records):
            raise DataError(f"{plan.data}: {len(records)} problems cannot fill {plan.folds} folds")
        fold_of = assign_folds(records, plan.folds, plan.seed)
        splits = [([r for r, f in zip(records, fold_of) if f != k], [r for r, f in zip(records, fold_of) if f == k])
                  for k in range(plan.folds)]
    ks = list(range(len(splits)))
    if plan.only_folds is not None:
        ks = sorted(set(plan.only_folds))
        # the problems these folds test: the results cover them alone (benchmarks/crossval/combine.py joins parts)
        records = [r for k in ks for r in splits[k][1]]
    results: dict[int, dict] = {}
    with tqdm(total=len(ks), desc="[crossval] folds", unit="fold", file=sys.stderr) as bar:
        def one(k, wait):
            result = _fold(plan, k, splits[k][0], splits[k][1], init, heldout, mix, wait=wait)
            if result is not None:
                results[k] = result
                bar.update(1)

        # first the folds no other run holds; then those (their results, or run here if that run stopped)
        for wait in (False, True):
            with ThreadPoolExecutor(max_workers=max(1, plan.parallel)) as pool:
                for future in [pool.submit(one, k, wait) for k in ks if k not in results]:
                    future.result()
    results = [results[k] for k in ks]
    folders = [plan.work / f"fold{k}" for k in ks]
    summary = summarize(records, results, [f / "answers.jsonl" for f in folders], plan.bootstrap)
    if plan.permute_eval:
        permuted_folds = [{**f, "accuracy": f["accuracy_permuted"], "unpermuted_accuracy": f["accuracy"]} for f in results]
        summary["permuted"] = summarize(records, permuted_folds, [f / "answers_permuted.jsonl" for f in folders],
                                        plan.bootstrap)
    summary["config"] = {
        "recipe": str(plan.recipe), "model": plan.model, "data": str(plan.data), "data_sha256": _digest(plan.data),
        "folds": 0 if plan.no_train else plan.folds, "seed": plan.seed, "train_args": plan.train_args,
        "train_permutations": plan.train_permutations, "mix": str(plan.mix) if plan.mix else None,
        "pretrain": str(plan.pretrain) if plan.pretrain else None, "pretrain_args": plan.pretrain_args,
        "heldout": str(plan.heldout) if plan.heldout else None, "prompt": str(plan.prompt), "template": plan.template,
        "eval_args": plan.eval_args,  # e.g. --backend vllm: answers generated, not letter-scored
    }
    if plan.only_folds is not None:
        summary["config"]["only_folds"] = ks
    summary["seconds"] = round(time.perf_counter() - start, 1)
    if heldout is not None:  # the held-out vote comes last: what is in so far is handed on before it
        if plan.on_folds:
            plan.on_folds(summary)
        summary["heldout"] = _heldout_summary(plan, heldout, results)
        summary["seconds"] = round(time.perf_counter() - start, 1)
    return summary


def _heldout_summary(plan: Plan, heldout: list[dict], folds: list[dict]) -> dict:
    accuracies = [f["heldout_accuracy"] for f in folds]
    out = {"problems": len(heldout), "subquestions": sum(len(r["questions"]) for r in heldout),
           "fold_accuracy_mean": round(sum(accuracies) / len(accuracies), 4), "fold_accuracies": accuracies}
    adapters = [f.get("adapter") for f in folds]
    if len(folds) > 1 and all(adapters):
        vote = plan.work / "heldout_vote"
        _evaluate(plan, plan.model, adapters, plan.work / "fold0" / "heldout.jsonl", None, vote / "metrics.json",
                  vote / "evaluate.log", vote=True)
        metrics = json.loads((vote / "metrics.json").read_text(encoding="utf-8"))
        out["vote_accuracy"] = metrics["accuracy"]
        out["vote_agreement"] = metrics.get("agreement", {}).get("mean_agreement")
    return out
