"""Write new problems (or new sub-questions for seed problems) with an LLM API.

Usage: python tools/synthesize.py --seeds SEEDS.jsonl --n N --out NEW.jsonl [--mode problems|subquestions] --model M [--base-url URL]

`problems`: each request shows --k seed problems (chosen by --seed and the request's index) and asks
for one new problem as a JSON object in the competition format. `subquestions`: each request shows one
seed problem with its sub-questions and asks for --questions new ones (the new record keeps the seed's
problem text and an id `<seed id>-sq<round>`). Records carry `source` (generator model, seeds).
Malformed replies go to OUT's `.rejects.jsonl` with the reason. Interrupt at will: running the same
command again resumes (OUT.journal) without repeating a finished request (the cache, .cache/llm).
"""

from __future__ import annotations

import argparse

from lrkit.cli import run
from lrkit.llm.config import add_client_args, load_config
from lrkit.llm.runner import banner, finished, incomplete, rejects_path, run_jobs
from lrkit.llm.synthesis import PROBLEM_PROMPT, SUBQUESTION_PROMPT, handle_problem, handle_subquestions, problem_jobs, subquestion_jobs
from lrkit.records import load_problems, write_jsonl


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", required=True, help="seed problems, competition-format JSONL")
    parser.add_argument("--n", type=int, required=True, help="number of requests (new problems, or problems extended)")
    parser.add_argument("--out", required=True, help="output JSONL (competition format)")
    parser.add_argument("--mode", choices=("problems", "subquestions"), default="problems")
    parser.add_argument("--k", type=int, default=3, help="seed examples shown per request (problems mode)")
    parser.add_argument("--questions", type=int, default=2, help="new sub-questions per request (subquestions mode)")
    parser.add_argument("--seed", type=int, default=42, help="chooses the examples / the order of problems")
    parser.add_argument("--prompt", help="jinja2 prompt (default prompts/synthesize_problem_zh.j2 or _subquestions_zh.j2)")
    parser.add_argument("--id-prefix", default="syn", help="ids of new problems: PREFIX-00000...")
    parser.add_argument("--rejects", help="malformed replies with reasons (default OUT.rejects.jsonl)")
    add_client_args(parser)
    args = parser.parse_args()
    config = load_config(args)
    seeds = load_problems(args.seeds)
    params = config.params(temperature=1.0, max_tokens=2048)
    if args.mode == "problems":
        jobs = problem_jobs(seeds, args.n, args.k, args.seed, params, args.prompt or PROBLEM_PROMPT, args.id_prefix)
        handle = handle_problem(config.model)
    else:
        jobs = subquestion_jobs(seeds, args.n, args.questions, args.seed, params, args.prompt or SUBQUESTION_PROMPT)
        handle = handle_subquestions(config.model)
    banner("synthesize", config, len(jobs), args.out)
    stats, journal = run_jobs(config, jobs, args.out, handle, desc="synthesize")
    if incomplete(stats, args.out):
        return 2
    rejects = args.rejects or rejects_path(args.out)
    records = [row for entry in finished(jobs, journal, rejects) for row in entry["rows"]]
    write_jsonl(args.out, records)
    print(f"{args.out}: {len(records)} records from {len(jobs)} requests; "
          f"{len(jobs) - len(records)} malformed repl(ies) in {rejects}")
    return 0


if __name__ == "__main__":
    run(main)
