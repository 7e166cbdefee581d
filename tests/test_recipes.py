"""Recipe sanity: every LLaMA-Factory YAML in configs/ parses and LLaMA-Factory accepts its keys, names
registered datasets, holds no absolute path; the train/predict/merge/chat families agree; the DeepSpeed
configs load; the committed dataset_info.json is what the scripts register."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from conftest import REPO
from lrkit.alpaca import register

CONFIGS = REPO / "configs"
RECIPES = sorted(p for p in CONFIGS.glob("*.yaml"))
TRAIN_RECIPES = ["demo_cpu", "lora_1.5b", "lora_7b", "qlora_32b", "qlora_72b"]
FULL_RECIPES = ["full_1.5b"]  # full fine-tunes: predict and chat load the trained folder itself, nothing to merge
STAGES = ("predict", "merge", "chat")
# What scripts/demo.sh and scripts/run_recipe.sh register (names from the recipes they run).
SCRIPT_DATASETS = {"demo_train", "demo_val", "real_train", "real_val", "generated_pretrain"}


def load(name: str) -> dict:
    return yaml.safe_load((CONFIGS / f"{name}.yaml").read_text(encoding="utf-8"))


def strings(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
    elif isinstance(value, str):
        yield value


def registered_by_scripts() -> set[str]:
    """Dataset names a script or benchmark registers with tools/export_alpaca.py --name NAME."""
    names = set(SCRIPT_DATASETS)
    for path in [*REPO.glob("scripts/*.sh"), *REPO.glob("benchmarks/**/*.py"), *REPO.glob("benchmarks/**/*.yaml")]:
        names |= set(re.findall(r"--name[ =\"']+([A-Za-z0-9_]+)", path.read_text(encoding="utf-8", errors="replace")))
    return names


@pytest.mark.parametrize("path", RECIPES, ids=lambda p: p.name)
def test_recipe_parses_without_absolute_paths(path):
    recipe = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(recipe, dict) and recipe, f"{path.name}: not a mapping of options"
    for value in strings(recipe):
        assert not re.match(r"^(/|~|[A-Za-z]:\\)", value), f"{path.name}: absolute path {value!r}"
    for key in ("deepspeed", "adapter_name_or_path", "model_name_or_path"):
        value = recipe.get(key)
        if isinstance(value, str) and value.startswith("configs/"):
            assert (REPO / value).exists(), f"{path.name}: {key} {value} does not exist"


@pytest.mark.parametrize("name", [f"{r}{s}" for r in TRAIN_RECIPES for s in ("", "_predict")] + ["lora_1.5b_pretrain"])
def test_recipe_datasets_are_registered(name):
    # Only the recipes scripts/demo.sh and scripts/run_recipe.sh run: benchmark recipes (lora_135m, full_135m)
    # get their datasets as overrides from their driver.
    recipe = load(name)
    info = json.loads((REPO / "dataset_info.json").read_text(encoding="utf-8"))
    known = set(info) | registered_by_scripts()
    for key in ("dataset", "eval_dataset"):
        for dataset in str(recipe.get(key) or "").split(","):
            if dataset.strip():
                assert dataset.strip() in known, f"{name}.yaml: {key} {dataset!r} is neither in dataset_info.json nor registered by a script"


@pytest.mark.parametrize("path", RECIPES, ids=lambda p: p.name)
def test_llamafactory_accepts_every_key(path):
    """LLaMA-Factory's own argument parser (dataclasses, no model load) rejects unknown or mistyped keys."""
    import torch
    from llamafactory.hparams.parser import _parse_infer_args, _parse_train_args

    recipe = yaml.safe_load(path.read_text(encoding="utf-8"))
    if "stage" in recipe:  # train and predict recipes
        recipe.pop("deepspeed", None)  # DeepSpeed is installed on GPU machines only
        recipe.setdefault("use_cpu", not torch.cuda.is_available())  # bf16 recipes are refused on CPU otherwise
        _parse_train_args(recipe)
    else:  # merge (export) and chat recipes
        _parse_infer_args(recipe)


@pytest.mark.parametrize("recipe", TRAIN_RECIPES)
def test_recipe_family_agrees(recipe):
    """predict/merge/chat use the adapter the training recipe writes, with the same model and template."""
    train = load(recipe)
    adapter = train["output_dir"]
    for stage in STAGES:
        other = load(f"{recipe}_{stage}")
        assert other["model_name_or_path"] == train["model_name_or_path"], stage
        assert other["template"] == train["template"], stage
        assert other["adapter_name_or_path"] == adapter, stage
    assert "quantization_bit" not in load(f"{recipe}_merge"), "merging needs the 16-bit base"
    assert load(f"{recipe}_predict")["cutoff_len"] == train["cutoff_len"]
    predict = load(f"{recipe}_predict")
    assert predict["do_predict"] and predict["predict_with_generate"] and predict["eval_dataset"]
    assert predict.get("quantization_bit") == train.get("quantization_bit")


def test_first_stage_is_the_recipe_on_other_data():
    """configs/lora_1.5b_pretrain.yaml (run by scripts/run_recipe.sh before lora_1.5b) differs from the recipe only in
    its data, output folder, epochs and the split of the same 32 examples per step."""
    main, first = load("lora_1.5b"), load("lora_1.5b_pretrain")
    differ = {"dataset", "output_dir", "num_train_epochs", "per_device_train_batch_size", "gradient_accumulation_steps"}
    assert {k: v for k, v in main.items() if k not in differ} == {k: v for k, v in first.items() if k not in differ}
    assert first["dataset"] != main["dataset"] and first["output_dir"] != main["output_dir"]
    steps = lambda r: r["per_device_train_batch_size"] * r["gradient_accumulation_steps"]  # noqa: E731
    assert steps(first) == steps(main) == 32


@pytest.mark.parametrize("recipe", FULL_RECIPES)
def test_full_recipe_family_agrees(recipe):
    """predict/chat of a full fine-tune load the folder the training recipe writes, with the same template."""
    train = load(recipe)
    assert train["finetuning_type"] == "full"
    for stage in ("predict", "chat"):
        other = load(f"{recipe}_{stage}")
        assert other["model_name_or_path"] == train["output_dir"], stage
        assert other["template"] == train["template"] and "adapter_name_or_path" not in other, stage
    predict = load(f"{recipe}_predict")
    assert predict["do_predict"] and predict["predict_with_generate"] and predict["cutoff_len"] == train["cutoff_len"]


def test_model_registry_names_the_recipes_models():
    """Every local model path a recipe names is made by tools/fetch_model.py from configs/models/registry.yaml."""
    from lrkit.models import load_registry

    outs = {entry.out: entry for entry in load_registry().values()}
    for path in RECIPES:
        recipe = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        model = recipe.get("model_name_or_path", "")
        if isinstance(model, str) and model.startswith("models/"):
            assert model in outs, f"{path.name}: {model} is not in configs/models/registry.yaml"
            assert recipe.get("template") == outs[model].template, path.name


def test_demo_recipe_fits_the_default_model():
    demo = load("demo_cpu")
    assert demo["template"] == "smollm2" and demo["model_name_or_path"] == "models/smollm2-135m-instruct"
    assert demo["cutoff_len"] >= 1536, "SmolLM2 spends ~1.8 tokens per Chinese character"
    assert demo["max_steps"] <= 60, "the demo must stay within ~20 minutes on 2 CPU cores"


@pytest.mark.parametrize("stage", [2, 3])
def test_deepspeed_configs_load(stage):
    for path in (REPO / "configs" / "deepspeed").glob(f"ds_z{stage}*.json"):
        config = json.loads(path.read_text(encoding="utf-8"))
        assert config["zero_optimization"]["stage"] == stage
        assert config["train_micro_batch_size_per_gpu"] == "auto", "the recipe's batch size must rule"
    fsdp = yaml.safe_load((REPO / "configs" / "accelerate" / "fsdp_config.yaml").read_text(encoding="utf-8"))
    assert fsdp["distributed_type"] == "FSDP"


def test_committed_dataset_info_is_what_scripts_register(tmp_path):
    info = json.loads((REPO / "dataset_info.json").read_text(encoding="utf-8"))
    (tmp_path / "data" / "sft").mkdir(parents=True)
    for name in SCRIPT_DATASETS:
        entry = register(tmp_path / "dataset_info.json", name, tmp_path / "data" / "sft" / f"{name}.json")
        assert info.get(name) == entry, f"dataset_info.json: {name} differs from what the scripts register"


@pytest.mark.parametrize("script,word", [("run_recipe.sh", "RECIPE"), ("run_ensemble.sh", "SEEDS")])
def test_runner_scripts_answer_help(script, word):
    """--help prints the script's header (its usage and variables) and runs nothing."""
    import subprocess

    proc = subprocess.run(["bash", f"scripts/{script}", "--help"], cwd=REPO, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0 and proc.stdout.startswith("# ") and word in proc.stdout
    assert all(line.startswith("#") for line in proc.stdout.splitlines()) and proc.stderr == ""
