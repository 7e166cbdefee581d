"""Does generated data teach a real model? Make the data, train the grid of a plan, score every model.

Usage: python benchmarks/generated_data/experiment.py PLAN.yaml --model MODEL_DIR --real REAL.jsonl --results OUT.json
           [--work DIR] [--deadline-s 540] [--only NAME ...] [--set key=value ...] [--scale 1.0] [--eval-problems N]
           [--max-new-tokens N]

Everything goes through the repository's own tools and recipes: tools/generate.py, tools/split_dataset.py and
tools/export_alpaca.py make the data, configs/*.yaml train (benchmarks/train_timed.py runs them, as
`llamafactory-cli train` with a wall-clock stop), tools/evaluate.py scores. The plan (plan_h100.yaml) names the
sources, datasets, gold sets and the chains of runs; chains run side by side on the GPU (the model is small, so
one run alone leaves it mostly idle), runs within a chain one after another.

The device call has a hard limit, so the script has one too: a run that cannot finish before --deadline-s is
skipped, a running one is stopped at a step boundary (and labelled), and the results file is rewritten after
every run. Finished work in --work is reused, so a second call on a still-warm machine picks up where the first
ended. --set, --scale, --eval-problems and --max-new-tokens shrink everything for a CPU dry run.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lrkit import cli
from lrkit.benchplan import Deadline, load_plan, run_logged, timed_train_command, train_argv
from lrkit.metrics import answer_map, score
from lrkit.records import load_problems, write_jsonl


TOOLS = Path("tools")  # run from the repository root, as scripts/experiment_generated.sh does
TRAIN_KEPT = ("wall_s", "max_steps", "stopped_at_step", "train")  # of train_timed.py's JSON, into the results


class Experiment:
    def __init__(self, plan: dict, args: argparse.Namespace) -> None:
        self.plan = plan
        self.args = args
        self.work: Path = args.work.resolve()
        self.start = time.time()
        self.deadline = Deadline(args.deadline_s)
        self.lock = threading.Lock()
        self.results: dict = {"plan": plan, "model": str(args.model), "floors": {}, "runs": {}, "setup_s": None}

    # ---- data -------------------------------------------------------------------------------------------------
    def tool(self, name: str, *argv) -> None:
        cmd = [sys.executable, str(TOOLS / f"{name}.py"), *map(str, argv)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

    def source(self, name: str) -> Path:
        return self.work / "data" / f"{name}.jsonl"

    def make_data(self) -> None:
        (self.work / "data").mkdir(parents=True, exist_ok=True)
        for name, spec in self.plan["sources"].items():
            out = self.source(name)
            if out.exists():
                continue
            if "generate" in spec:
                g = spec["generate"]
                n = max(5, round(g["n"] * self.args.scale))
                extra = ["--solutions"] if g.get("solutions") else []
                self.tool("generate", "--families", g.get("families", "all"), "--n", n, "--seed", g["seed"],
                          "--out", out, "--quiet", *extra)
            elif "split" in spec:
                s = spec["split"]
                parts = {p: self.work / "data" / f"_split_{p}.jsonl" for p in ("train", "val")}
                self.tool("split_dataset", self.args.real, "--train", parts["train"], "--val", parts["val"],
                          "--val-ratio", s["val_ratio"], "--seed", s["seed"])
                parts[s["part"]].rename(out)
            else:
                write_jsonl(out, load_problems(self.args.real))
        for name, spec in self.plan["evals"].items():
            gold = load_problems(self.source(spec["gold"]))
            if self.args.eval_problems:
                gold = gold[: self.args.eval_problems]
            write_jsonl(self.gold(name), gold)
            write_jsonl(self.gold(name, subset=True), gold[: spec.get("generate_subset", len(gold))])
            self.results["floors"][name] = floors(gold)
        info = self.work / "dataset_info.json"
        for name, spec in self.plan["datasets"].items():
            out = self.work / "sft" / f"{name}.json"
            if out.exists():
                continue
            extra = [] if spec["solutions"] else ["--no-solutions"]
            self.tool("export_alpaca", self.source(spec["source"]), out, "--prompt", self.prompt(spec["prompt"]),
                      "--name", name, "--register", info, *extra)

    def gold(self, name: str, subset: bool = False) -> Path:
        return self.work / "data" / f"eval_{name}{'_sub' if subset else ''}.jsonl"

    def prompt(self, key: str) -> Path:
        return Path(self.plan["prompts"][key])

    # ---- runs -------------------------------------------------------------------------------------------------
    def run_chain(self, chain: list[dict]) -> None:
        for run in chain:
            if self.args.only and run["name"] not in self.args.only:
                continue
            try:
                self.run_one(run)
            except Exception as exc:  # noqa: BLE001 - one failed run must not cost the others
                self.record(run["name"], {"error": f"{type(exc).__name__}: {exc}"})

    def run_one(self, run: dict) -> None:
        name = run["name"]
        entry: dict = {"recipe": run.get("recipe"), "datasets": run.get("datasets"), "init": run.get("init")}
        if late := self.deadline.too_late(run):
            self.record(name, {**entry, "skipped": f"{late} of the deadline"})
            return
        if run.get("init") and not (self.work / "runs" / f"{run['init']}.train.json").exists():
            self.record(name, {**entry, "skipped": f"{run['init']} did not train"})
            return
        model, adapter = str(self.args.model), None
        if "recipe" in run:
            model, adapter, entry["train"] = self.train(run)
        prompt = run.get("prompt") or self.plan["datasets"][run["datasets"][0]]["prompt"]
        entry["prompt"] = self.plan["prompts"][prompt]
        entry["scoring"] = {e: self.evaluate(name, model, adapter, e, prompt, "scoring") for e in run.get("evals", [])}
        entry["generation"] = {e: self.evaluate(name, model, adapter, e, prompt, "generate") for e in run.get("generate", [])}
        self.record(name, entry)

    def train(self, run: dict) -> tuple[str, str | None, dict]:
        name = run["name"]
        out = self.work / "runs" / name
        report = self.work / "runs" / f"{name}.train.json"
        init = self.work / "runs" / run["init"] if run.get("init") else self.args.model
        overrides = {"model_name_or_path": init, "dataset_dir": self.work, "dataset": ",".join(run["datasets"]),
                     "output_dir": out, "template": self.plan["template"], **run.get("set", {})}
        argv = train_argv(run["recipe"], overrides, self.args.set)
        if not report.exists() or json.loads(report.read_text()).get("error"):  # a failed run trains again
            # leave time to score the model: generation beside other runs took two minutes on the H100
            stop_at = self.deadline.end - (150 if run.get("generate") else 40)
            self.log(f"{name}: llamafactory-cli train {shlex.join(argv)}")
            self.call(timed_train_command(argv, report, stop_at=stop_at), name)
        measured = {k: v for k, v in json.loads(report.read_text()).items() if k in TRAIN_KEPT}
        measured["command"] = "llamafactory-cli train " + shlex.join(argv)
        lora = "lora" in Path(run["recipe"]).stem
        return (str(self.args.model), str(out), measured) if lora else (str(out), None, measured)

    def evaluate(self, name: str, model: str, adapter: str | None, eval_name: str, prompt: str, backend: str) -> dict:
        out = self.work / "evals" / f"{name}.{eval_name}.{backend}.json"
        if not out.exists():
            gold = self.gold(eval_name, subset=backend == "generate")
            cmd = [sys.executable, str(TOOLS / "evaluate.py"), "--model", model, "--gold", str(gold),
                   "--backend", backend, "--prompt", str(self.prompt(prompt)), "--template", self.plan["template"],
                   "--out", str(out)]
            if adapter:
                cmd += ["--adapter", adapter]
            if backend == "generate":
                cmd += ["--max-new-tokens", str(self.args.max_new_tokens or self.plan["max_new_tokens"]),
                        "--batch-size", str(self.plan["generate_batch_size"])]
            else:
                cmd += ["--batch-size", str(self.plan["scoring_batch_size"]), "--max-tokens", "65536"]
            self.call(cmd, f"{name}.{eval_name}.{backend}")
        return compact(json.loads(out.read_text()))

    def call(self, cmd: list[str], label: str) -> None:
        log = self.work / "logs" / f"{label}.log"
        code = run_logged(cmd, log, timeout=max(self.deadline.left(), 10))
        if code:
            tail = log.read_text().strip().splitlines()[-3:]
            raise RuntimeError(f"exit {code}: {' | '.join(tail)}")

    # ---- results ----------------------------------------------------------------------------------------------
    def record(self, name: str, entry: dict) -> None:
        with self.lock:
            self.results["runs"][name] = entry
            self.write()
        self.log(f"{name}: {summary(entry)}")

    def write(self) -> None:
        self.results["elapsed_s"] = round(time.time() - self.start)
        self.args.results.parent.mkdir(parents=True, exist_ok=True)
        self.args.results.write_text(json.dumps(self.results, indent=1, ensure_ascii=False))

    def log(self, message: str) -> None:
        print(f"[experiment {time.time() - self.start:5.0f}s] {message}", flush=True)


def floors(gold: list[dict]) -> dict:
    """Accuracy of answering every sub-question with one letter (A and B), the floors a letter prior reaches."""
    keys = answer_map(gold)
    return {f"always_{x}": score(gold, dict.fromkeys(keys, x))["accuracy"] for x in "AB"} | {"subquestions": len(keys)}


def compact(metrics: dict) -> dict:
    """What the results file keeps of tools/evaluate.py's metrics: accuracy, per family, and the letters answered."""
    answered: dict[str, int] = {}
    for row in metrics["confusion"].values():
        for letter, n in row.items():
            answered[letter] = answered.get(letter, 0) + n
    kept = {k: metrics[k] for k in ("accuracy", "correct", "subquestions", "unparseable")}
    kept["answered"] = dict(sorted(answered.items()))
    if "by_family" in metrics:
        kept["by_family"] = {k: v["accuracy"] for k, v in metrics["by_family"].items()}
    return kept


def summary(entry: dict) -> str:
    if "skipped" in entry or "error" in entry:
        return entry.get("skipped") or entry["error"]
    parts = [f"{k} {v['accuracy']:.1%}" for k, v in entry.get("scoring", {}).items()]
    parts += [f"{k} (generation) {v['accuracy']:.1%}" for k, v in entry.get("generation", {}).items()]
    return ", ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("plan", type=Path)
    parser.add_argument("--model", type=Path, required=True, help="the base model folder (Hugging Face format)")
    parser.add_argument("--real", type=Path, required=True, help="the real competition training set (JSONL)")
    parser.add_argument("--results", type=Path, required=True, help="results JSON to (re)write after every run")
    parser.add_argument("--work", type=Path, default=Path("/tmp/exp/work"), help="data, models, logs")
    parser.add_argument("--deadline-s", type=float, default=540, help="start nothing that would end after this")
    parser.add_argument("--only", nargs="*", default=[], help="run names to run (default: all)")
    parser.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE", help="overrides for every training")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every generated source's size")
    parser.add_argument("--eval-problems", type=int, default=0, help="score only the first N problems of each set")
    parser.add_argument("--max-new-tokens", type=int, default=0, help="generation length (default: the plan's)")
    args = parser.parse_args()

    plan = load_plan(args.plan, ("sources", "evals", "datasets", "prompts", "template", "zero_shot", "chains", "slots"))
    exp = Experiment(plan, args)
    exp.make_data()
    exp.results["setup_s"] = round(time.time() - exp.start)
    exp.log(f"data ready: {json.dumps(exp.results['floors'])}")
    chains = [plan["zero_shot"], *plan["chains"]]
    with ThreadPoolExecutor(max_workers=plan["slots"]) as pool:
        list(pool.map(exp.run_chain, chains))
    exp.write()
    exp.log(f"done -> {args.results}")
    return 0


if __name__ == "__main__":
    cli.run(main)
