"""tools/crossval.py for real on a tiny random-initialised Llama: two folds trained by llamafactory-cli (side by
side), scored by tools/evaluate.py; every sub-question scored once; a re-run reuses unchanged folds and redoes a
fold whose arguments changed; --train-permutations adds option-shuffled copies, --permute-eval a second results file;
pre-training runs once; --no-train scores the whole file (also with a generation backend); a --mix or --pretrain file holding a real problem is
refused before any training."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import types
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, TOOLS, run_tool

pytestmark = pytest.mark.slow
TINY = "max_steps=2 per_device_train_batch_size=2 gradient_accumulation_steps=1 plot_loss=false learning_rate=0.01"


def crossval(*args, cwd=REPO) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    proc = subprocess.run([sys.executable, str(TOOLS / "crossval.py"), *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-4000:]
    return proc


def test_two_folds_score_every_subquestion_once(tiny_model, tmp_path):
    data = FIXTURES / "sample_train.jsonl"
    heldout = tmp_path / "heldout.jsonl"
    run_tool("generate", "--n", 3, "--seed", 7, "--out", heldout, check=True)
    work = tmp_path / "cv"
    common = ["--recipe", "configs/demo_cpu.yaml", "--data", data, "--model", tiny_model, "--folds", 2, "--work", work,
              "--heldout", heldout, "--bootstrap", 200]
    proc = crossval(*common, "--train-args", TINY, "--parallel", 2, "--train-permutations", 2, "--permute-eval")
    results = json.loads((work / "results.json").read_text(encoding="utf-8"))
    n_sub = sum(len(json.loads(line)["questions"]) for line in data.read_text(encoding="utf-8").splitlines())
    assert results["subquestions"] == n_sub == sum(f["subquestions"] for f in results["folds"])
    assert sum(results["letters_answered"].values()) == n_sub and "?" not in results["letters_answered"]
    lo, hi = results["ci95"]
    assert 0 <= lo <= results["accuracy"] <= hi <= 1
    assert set(results["by_options"]) and results["by_family"]
    test_ids = [set(json.loads(x)["id"] for x in (work / f"fold{k}" / "test.jsonl").read_text().splitlines()) for k in (0, 1)]
    assert not test_ids[0] & test_ids[1], "a problem in two test folds"
    for k in (0, 1):  # each fold trained on exactly the other fold's problems, once as they are, once reordered
        rows = json.loads((work / f"fold{k}" / f"cv_fold{k}.json").read_text(encoding="utf-8"))
        assert {row["id"] for row in rows} == test_ids[1 - k] | {f"{i}#p1" for i in test_ids[1 - k]}
        assert (work / f"fold{k}" / "sft" / "adapter_model.safetensors").exists()
    permuted = json.loads((work / "results_permuted.json").read_text(encoding="utf-8"))  # --permute-eval
    assert permuted["subquestions"] == n_sub and permuted["config"]["permute_options"] is True
    assert [f["accuracy"] for f in permuted["folds"]] == [f["accuracy_permuted"] for f in results["folds"]]
    assert len(permuted["answers"]) == n_sub and None not in permuted["answers"].values()
    assert "with --permute-options" in proc.stdout and results["config"]["train_permutations"] == 2
    assert set(results["probs"]) == set(results["answers"])  # the letter probabilities, for vote.py's mean_probs
    h = results["heldout"]
    assert len(h["fold_accuracies"]) == 2 and 0 <= h["vote_accuracy"] <= 1
    assert "cross-validated accuracy" in proc.stdout
    assert "results so far" in proc.stderr  # written before the held-out vote too: a cut-off run keeps its folds

    # Unchanged: both folds reused. Changed training arguments: both redone.
    again = crossval(*common, "--train-args", TINY, "--train-permutations", 2, "--permute-eval")
    assert again.stderr.count("unchanged, reusing") == 2, again.stderr
    changed = crossval(*common, "--train-args", TINY.replace("learning_rate=0.01", "learning_rate=0.02"))
    assert "unchanged" not in changed.stderr and changed.stderr.count("training on") == 2


def test_pretraining_is_shared_and_no_train_scores_the_whole_file(tiny_model, tmp_path):
    data = FIXTURES / "sample_train.jsonl"
    gen = tmp_path / "gen.jsonl"
    run_tool("generate", "--n", 4, "--seed", 3, "--out", gen, check=True)
    shared = tmp_path / "pretrained"
    common = ["--recipe", "configs/demo_cpu.yaml", "--data", data, "--model", tiny_model, "--pretrain", gen,
              "--pretrain-args", TINY, "--pretrain-out", shared, "--bootstrap", 100]
    only = crossval(*common, "--no-train", "--work", tmp_path / "gen_only")
    assert "pre-training on" in only.stderr
    results = json.loads((tmp_path / "gen_only" / "results.json").read_text(encoding="utf-8"))
    assert len(results["folds"]) == 1 and results["folds"][0]["adapter"] == str(shared)
    # the same model answering in free text (a chain-of-thought cell, e.g. ladder.sh's cot_only with vLLM): every
    # sub-question counted, an unparsed one as wrong ("?"), none dropped with its problem
    gen = crossval(*common, "--no-train", "--work", tmp_path / "gen_only_text", "--eval-args",
                   "--backend generate --max-new-tokens 4")
    assert "pre-training: unchanged" in gen.stderr
    text = json.loads((tmp_path / "gen_only_text" / "results.json").read_text(encoding="utf-8"))
    assert text["config"]["eval_args"] == ["--backend", "generate", "--max-new-tokens", "4"]
    assert text["subquestions"] == results["subquestions"] == sum(text["letters_answered"].values())
    assert "probs" not in text  # no letter probabilities behind generated answers
    then = crossval(*common, "--folds", 2, "--train-args", TINY, "--work", tmp_path / "gen_then_real")
    assert "pre-training: unchanged" in then.stderr  # trained once, shared by both runs
    adapter_cfg = json.loads((tmp_path / "gen_then_real" / "fold0" / "sft" / "adapter_config.json").read_text())
    assert adapter_cfg["peft_type"] == "LORA"
    log = (tmp_path / "gen_then_real" / "fold0" / "train.log").read_text(encoding="utf-8")
    assert f"adapter_name_or_path={shared}" in log.splitlines()[0]


def test_mix_joins_every_fold_and_a_real_problem_in_it_is_refused(tiny_model, tmp_path):
    data = FIXTURES / "sample_train.jsonl"
    gen = tmp_path / "gen.jsonl"
    run_tool("generate", "--n", 3, "--seed", 5, "--out", gen, check=True)
    gen_ids = {json.loads(line)["id"] for line in gen.read_text(encoding="utf-8").splitlines()}
    work = tmp_path / "mixed"
    proc = crossval("--recipe", "configs/demo_cpu.yaml", "--data", data, "--model", tiny_model, "--folds", 2,
                    "--work", work, "--mix", gen, "--train-permutations", 2, "--train-args", TINY, "--bootstrap", 50)
    assert proc.stderr.count("+ 3 mixed in from") == 2
    for k in (0, 1):  # the other fold's real problems twice (as they are, reordered), the mixed-in ones once
        test = {json.loads(x)["id"] for x in (work / f"fold{k}" / "test.jsonl").read_text().splitlines()}
        other = {json.loads(x)["id"] for x in (work / f"fold{1 - k}" / "test.jsonl").read_text().splitlines()}
        rows = json.loads((work / f"fold{k}" / f"cv_fold{k}.json").read_text(encoding="utf-8"))
        ids = [row["id"] for row in rows]
        assert set(ids) == other | {f"{i}#p1" for i in other} | gen_ids and not set(ids) & test
    results = json.loads((work / "results.json").read_text(encoding="utf-8"))
    assert results["config"]["mix"] == str(gen) and results["subquestions"] == sum(f["subquestions"] for f in results["folds"])

    leaky = tmp_path / "leaky.jsonl"  # a generated problem, then a real one: line 2 is named
    leaky.write_text(gen.read_text(encoding="utf-8").splitlines()[0] + "\n"
                     + data.read_text(encoding="utf-8").splitlines()[1] + "\n", encoding="utf-8")
    bad = subprocess.run([sys.executable, str(TOOLS / "crossval.py"), "--recipe", "configs/demo_cpu.yaml", "--data",
                          data, "--model", tiny_model, "--work", tmp_path / "leak", "--mix", leaky],
                         capture_output=True, text=True, cwd=REPO)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr, bad.stderr
    assert f"{leaky}:2: field 'id' is also a problem of" in bad.stderr
    assert not (tmp_path / "leak" / "fold0").exists()  # refused before any training
    bad = subprocess.run([sys.executable, str(TOOLS / "crossval.py"), "--recipe", "configs/demo_cpu.yaml", "--data",
                          data, "--model", tiny_model, "--work", tmp_path / "leak_pre", "--pretrain", leaky],
                         capture_output=True, text=True, cwd=REPO)  # the same check for a pre-training file
    assert bad.returncode == 1 and "Traceback" not in bad.stderr, bad.stderr
    assert f"{leaky}:2: field 'id' is also a problem of" in bad.stderr and "pre-training problem" in bad.stderr
    assert not (tmp_path / "leak_pre" / "pretrain").exists() and not (tmp_path / "leak_pre" / "fold0").exists()


def test_bad_recipe_is_one_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("template: qwen\nfinetuning_type: [\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(TOOLS / "crossval.py"), "--recipe", bad, "--data", FIXTURES / "sample_train.jsonl"],
                          capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and str(bad) in proc.stderr


def test_ladder_waits_for_the_model_in_cell_model_ready(tmp_path):
    """A ladder started with the set-up call (before the model's chunks came) holds its later cells in `model_ready`
    until device_start.sh's conversion writes MODEL.ready, and gives up after MODEL_WAIT_S; an unknown cell, a
    micro-batch cell whose size does not divide the step's 32 examples, a seed cell without a number or a
    learning-rate cell without a rate like 1e-4 is reported, not fatal."""
    import time

    model = tmp_path / "models" / "qwen"
    env = {**os.environ, "W": str(tmp_path / "ladder"), "MODEL": str(model),
           "CELLS": "model_ready no_such_cell lora_real_mb12 wide_then_real_seedx lora_real_lr0.1"}
    proc = subprocess.Popen(["bash", "benchmarks/crossval/ladder.sh"], cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        time.sleep(3)
        assert proc.poll() is None  # still waiting: no marker yet
        model.parent.mkdir(parents=True)
        Path(f"{model}.ready").touch()
        out = proc.communicate(timeout=60)[0]
    finally:
        proc.kill()
    assert proc.returncode == 0
    lines = [line for line in out.splitlines() if line.startswith(("===", "unknown"))]
    assert lines[0].startswith("=== model ready") and lines[1] == "unknown cell no_such_cell"
    assert lines[2] == "=== lora_real_mb12: FAILED: micro-batch '12' does not divide 32"
    assert lines[3] == "=== wide_then_real_seedx: FAILED: seed 'x' is not a number"
    assert lines[4] == "=== lora_real_lr0.1: FAILED: learning rate '0.1' is not like 1e-4"
    assert lines[-1].startswith("=== ladder finished")
    env["MODEL_WAIT_S"], env["MODEL"] = "5", str(tmp_path / "never")  # a conversion that never ends: it gives up
    out = subprocess.run(["bash", "benchmarks/crossval/ladder.sh"], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=60).stdout
    assert "=== model_ready: FAILED, no " in out and "=== ladder finished" in out


def test_device_begin_answers_help_and_refuses_a_machine_without_a_gpu():
    """device_begin.sh (call 1 of a device session): --help prints its header; an argument or a machine without
    nvidia-smi is one error line, before any set-up is done."""
    script = ["bash", "benchmarks/crossval/device_begin.sh"]
    helped = subprocess.run([*script, "--help"], cwd=REPO, capture_output=True, text=True, timeout=30)
    assert helped.returncode == 0 and "CELLS_BIG" in helped.stdout and "set -euo" not in helped.stdout
    bad = subprocess.run([*script, "lora_real"], cwd=REPO, capture_output=True, text=True, timeout=30)
    assert bad.returncode == 2 and bad.stderr.strip().endswith("takes no arguments (got 'lora_real'): set CELLS_BIG, "
                                                              "CELLS_SMALL, P_BIG, P_SMALL instead")
    env = {**os.environ, "PATH": "/usr/bin:/bin"}
    if subprocess.run(["bash", "-c", "command -v nvidia-smi"], env=env, capture_output=True).returncode == 0:
        pytest.skip("nvidia-smi is on this machine")
    nogpu = subprocess.run(script, cwd=REPO, env=env, capture_output=True, text=True, timeout=30)
    assert nogpu.returncode == 1 and nogpu.stderr.strip() == (
        "error: device_begin.sh: no nvidia-smi here: run it on the GPU machine")
    assert nogpu.stdout == ""


def test_ladder_1k_cells_share_one_pool_and_answer_in_text(tiny_model, tmp_path):
    """ladder.sh's generated-only rungs at 1k (issue 12) and lever 3's comparison (issue 13) on a tiny model, CPU,
    the generate backend standing in for vLLM: one pool of problems, answers only (ans1k_only) and with the solver's
    worked solutions (sol1k_only, also answering in free text: sol1k_only_text); the model's own chains (cot1k_only):
    a random model gets none right, so that cell says FAILED and the ladder goes on."""
    d = tmp_path / "d"
    d.mkdir()
    (d / "real.jsonl").write_text((FIXTURES / "sample_train.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    run_tool("generate", "--n", 2, "--seed", 100000, "--out", d / "heldout.jsonl", check=True)
    w = tmp_path / "ladder"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", "W": str(w), "D": str(d),
           "MODEL": str(tiny_model), "RECIPE": "configs/demo_cpu.yaml", "PRE": TINY, "COT_PRE": TINY, "POOL_N": "3",
           "TEXT_BACKEND": "generate", "TEXT_TOKENS": "4", "TEMPLATE": "smollm2", "PERMUTE_EVAL": "",
           "CELLS": "ans1k_only sol1k_only cot1k_only"}
    out = subprocess.run(["bash", "benchmarks/crossval/ladder.sh"], cwd=REPO, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, timeout=900).stdout
    pool = [json.loads(x) for x in (w / "pool1k.jsonl").read_text(encoding="utf-8").splitlines()]
    solved = [json.loads(x) for x in (w / "pool1k_solutions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(pool) == 3 and [r["id"] for r in pool] == [r["id"] for r in solved]
    assert all(q.get("solution") for r in solved for q in r["questions"]) and not any(
        q.get("solution") for r in pool for q in r["questions"])
    n = sum(len(json.loads(x)["questions"]) for x in (d / "real.jsonl").read_text(encoding="utf-8").splitlines())
    for cell, backend in (("ans1k_only", None), ("sol1k_only", None), ("sol1k_only_text", "generate")):
        results = json.loads((w / f"results_{cell}.json").read_text(encoding="utf-8"))
        assert results["subquestions"] == n and results["config"]["pretrain"].endswith(
            "pool1k.jsonl" if cell == "ans1k_only" else "pool1k_solutions.jsonl")
        assert (backend in results["config"]["eval_args"]) if backend else not results["config"]["eval_args"]
    text_cell = out[out.index("=== sol1k_only_text: start"):out.index("=== sol1k_only_text: done")]
    assert "pre-training: unchanged, reusing" in text_cell  # the text cell scores the same trained adapter
    assert "=== cot chains: FAILED" in out and "=== ladder finished" in out


def test_only_folds_runs_the_rest_of_a_cut_off_cell_and_combine_joins_the_parts(tiny_model, tmp_path):
    """--only-folds K,...: a device session ended mid-cell, the next runs only the missing folds; each part's results
    cover its folds' problems alone, and benchmarks/crossval/combine.py joins them into the whole cell. A fold that
    does not exist, or --only-folds with --no-train, is one error line before any training."""
    data = FIXTURES / "sample_train.jsonl"
    common = ["--recipe", "configs/demo_cpu.yaml", "--data", data, "--model", tiny_model, "--folds", 2,
              "--train-args", TINY, "--bootstrap", 100]
    crossval(*common, "--only-folds", "0", "--work", tmp_path / "run1")
    crossval(*common, "--only-folds", "1", "--work", tmp_path / "run2")
    parts = [json.loads((tmp_path / run / "results.json").read_text(encoding="utf-8")) for run in ("run1", "run2")]
    assert [p["config"]["only_folds"] for p in parts] == [[0], [1]]
    assert [[f["fold"] for f in p["folds"]] for p in parts] == [[0], [1]]
    n_sub = sum(len(json.loads(line)["questions"]) for line in data.read_text(encoding="utf-8").splitlines())
    assert parts[0]["subquestions"] + parts[1]["subquestions"] == n_sub and not set(parts[0]["answers"]) & set(parts[1]["answers"])
    whole = tmp_path / "whole.json"
    proc = subprocess.run([sys.executable, "benchmarks/crossval/combine.py", tmp_path / "run1" / "results.json",
                           tmp_path / "run2" / "results.json", "--data", data, "--out", whole], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    joined = json.loads(whole.read_text(encoding="utf-8"))
    assert joined["subquestions"] == n_sub and len(joined["answers"]) == n_sub
    bad = subprocess.run([sys.executable, str(TOOLS / "crossval.py"), *map(str, common), "--only-folds", "2",
                          "--work", tmp_path / "bad"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert bad.returncode != 0 and bad.stderr.strip().splitlines()[-1] == "error: --only-folds 2: there are folds 0 to 1"
    assert not (tmp_path / "bad" / "fold0").exists()
    scored = subprocess.run([sys.executable, str(TOOLS / "crossval.py"), *map(str, common), "--only-folds", "0",
                             "--no-train", "--work", tmp_path / "scored"], capture_output=True, text=True, cwd=REPO,
                            timeout=120)
    assert scored.returncode != 0 and scored.stderr.strip().splitlines()[-1] == (
        "error: --only-folds picks folds to train: not with --no-train") and "Traceback" not in scored.stderr


def ladder_commands(tmp_path: Path, **env: str | None) -> list[str]:
    """ladder.sh run with python3 stubbed (it echoes its arguments; W under tmp_path; an env value None unsets that
    variable): the tools/crossval.py command lines it issues."""
    stub = tmp_path / "bin"
    stub.mkdir(exist_ok=True)
    (stub / "python3").write_text('#!/bin/sh\necho "STUB $*"\n', encoding="utf-8")
    (stub / "python3").chmod(0o755)
    full = {**os.environ, "PATH": f"{stub}:{os.environ['PATH']}", "W": str(tmp_path / "w"), **env}
    full = {name: value for name, value in full.items() if value is not None}
    out = subprocess.run(["bash", "benchmarks/crossval/ladder.sh"], cwd=REPO, env=full, capture_output=True,
                         text=True, timeout=60).stdout
    return [line for line in out.splitlines() if line.startswith("STUB tools/crossval.py")]


def test_ladder_cell_at_folds_runs_only_those_folds(tmp_path):
    """ladder.sh's NAME@2,3,4 passes --only-folds 2,3,4 to that cell's crossval.py and names its results
    results_NAME_folds234.json; the next cell runs all folds again (crossval.py stubbed: the commands are checked)."""
    d = tmp_path / "d"  # the cell joins its two generated parts first (data/work/device on the GPU machine)
    d.mkdir()
    for name in ("gen4k.jsonl", "new1k.jsonl"):
        (d / name).write_text("", encoding="utf-8")
    runs = ladder_commands(tmp_path, D=str(d), CELLS="wide_then_real_seed1@2,3,4 lora_real")
    assert len(runs) == 2
    assert f"--out {tmp_path}/w/results_wide_then_real_seed1_folds234.json" in runs[0]
    assert "--only-folds 2,3,4" in runs[0] and "--train-args seed=1" in runs[0]
    assert f"--out {tmp_path}/w/results_lora_real.json" in runs[1] and "--only-folds" not in runs[1]


def test_ladder_full_real_folds_follow_p_full_and_fold_args(tmp_path):
    """ladder.sh's full_real trains P_FULL folds side by side (default 2, as configs/full_1.5b.yaml plans) at
    FOLD_ARGS' micro-batches when set, else at micro-batch 4 (crossval.py stubbed: the commands are checked)."""
    runs = ladder_commands(tmp_path, CELLS="full_real", P_FULL=None, FOLD_ARGS=None)
    runs += ladder_commands(tmp_path, CELLS="full_real", P_FULL="1",
                            FOLD_ARGS="per_device_train_batch_size=2 gradient_accumulation_steps=16")
    assert len(runs) == 2
    assert all("--recipe configs/full_1.5b.yaml" in run for run in runs)
    assert "--parallel 2 --train-args per_device_train_batch_size=4" in runs[0]
    assert "--parallel 1 --train-args per_device_train_batch_size=2 gradient_accumulation_steps=16" in runs[1]


def test_two_runs_share_one_work_folder(tiny_model, tmp_path):
    """A second run of the same cell beside the first (--only-folds 1, the same --work: more trainings mid-cell on a
    device) holds fold 1; the first run, started once it does, trains its other fold, then takes fold 1's result from
    the second instead of training it again, and its results cover both folds; no claim is left behind, and both
    folds' datasets stay registered in the one dataset_info.json."""
    data = FIXTURES / "sample_train.jsonl"
    work = tmp_path / "cv"
    common = [sys.executable, str(TOOLS / "crossval.py"), "--recipe", "configs/demo_cpu.yaml", "--data", data,
              "--model", tiny_model, "--folds", 2, "--train-args", TINY, "--bootstrap", 100, "--work", work]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    second = subprocess.Popen([*map(str, common), "--only-folds", "1", "--out", str(tmp_path / "second.json")],
                              cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 120  # the second run holds fold 1 (or has done it) before the first starts
    while not ((work / "fold1" / "claim.json").exists() or (work / "fold1" / "done.json").exists()):
        assert second.poll() is None and time.monotonic() < deadline, second.communicate()[0][-3000:]
        time.sleep(0.2)
    first = subprocess.Popen([*map(str, common), "--parallel", "1"], cwd=REPO, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    out_first, out_second = first.communicate(timeout=900)[0], second.communicate(timeout=900)[0]
    assert first.returncode == 0 and second.returncode == 0, out_first[-3000:] + out_second[-3000:]
    assert "fold 1: training on" in out_second and "fold 0: training on" not in out_second
    assert "fold 0: training on" in out_first and "fold 1: training on" not in out_first, out_first[-3000:]
    # met while the second run held it (waited for) or after it was stamped: reused either way, never retrained
    assert "fold 1: done by the other run" in out_first or "fold 1: unchanged, reusing" in out_first
    results = json.loads((work / "results.json").read_text(encoding="utf-8"))
    n_sub = sum(len(json.loads(line)["questions"]) for line in data.read_text(encoding="utf-8").splitlines())
    assert [f["fold"] for f in results["folds"]] == [0, 1] and results["subquestions"] == n_sub
    second_fold = json.loads((tmp_path / "second.json").read_text(encoding="utf-8"))["folds"]
    assert results["folds"][1]["accuracy"] == second_fold[0]["accuracy"]
    assert not list(work.glob("fold*/claim*"))
    assert {"cv_fold0", "cv_fold1"} <= set(json.loads((work / "dataset_info.json").read_text(encoding="utf-8")))


def test_a_claim_of_a_gone_process_is_taken_over_and_one_with_other_arguments_is_refused(tmp_path):
    import socket

    from lrkit.crossval import _claim, _process_tag
    from lrkit.records import DataError

    folder = tmp_path / "fold0"
    folder.mkdir()
    claim = folder / "claim.json"
    gone = subprocess.Popen(["true"])
    gone.wait()
    claim.write_text(json.dumps({"pid": gone.pid, "host": socket.gethostname(), "tag": "1", "key": "k"}))
    assert _claim(folder, "k", "fold 0") is None  # taken over
    assert json.loads(claim.read_text())["pid"] == os.getpid()
    live = subprocess.Popen(["sleep", "60"])
    try:
        held = {"pid": live.pid, "host": socket.gethostname(), "tag": _process_tag(live.pid), "key": "k"}
        claim.write_text(json.dumps(held))
        assert _claim(folder, "k", "fold 0") == held  # another live run holds it: not taken
        claim.write_text(json.dumps({**held, "key": "other"}))
        with pytest.raises(DataError, match=r"fold 0 is being run by process \d+ .* with other arguments"):
            _claim(folder, "k", "fold 0")
        claim.write_text(json.dumps({**held, "tag": "not its start time"}))  # its pid, reused by another process
        assert _claim(folder, "k", "fold 0") is None
    finally:
        live.kill()


def test_a_run_waits_for_the_fold_another_run_holds_then_takes_its_result_or_the_fold(tmp_path):
    """_claimed: a fold a live run holds is left for later (wait false); waited for, its stamped result is taken
    when it comes; if the holder stops without one, the fold is taken over."""
    from lrkit.crossval import _claimed, _process_tag

    folder, logged = tmp_path / "fold1", []
    folder.mkdir()
    stamp = folder / "done.json"
    plan = types.SimpleNamespace(log=logged.append, claim_poll=0.05)
    holder = subprocess.Popen(["sleep", "60"])
    try:
        (folder / "claim.json").write_text(json.dumps(
            {"pid": holder.pid, "host": socket.gethostname(), "tag": _process_tag(holder.pid), "key": "k"}))
        assert _claimed(plan, folder, stamp, "k", "fold 1", wait=False) == (False, None)
        result = {"key": "k", "fold": 1, "accuracy": 0.5}
        threading.Timer(0.3, lambda: stamp.write_text(json.dumps(result))).start()
        assert _claimed(plan, folder, stamp, "k", "fold 1", wait=True) == (False, result)
        assert f"fold 1: being run by process {holder.pid}" in logged[0]
        stamp.unlink()
        threading.Timer(0.3, holder.kill).start()  # the holder stops without a result
        assert _claimed(plan, folder, stamp, "k", "fold 1", wait=True) == (True, None)
        assert json.loads((folder / "claim.json").read_text())["pid"] == os.getpid()
    finally:
        holder.kill()
