"""Scoring and generation backends, voting, parity and the evaluate CLI on real (tiny and default) models."""

from __future__ import annotations

import json
import math

import pytest

from conftest import DEFAULT_MODEL, FIXTURES, build_tiny, run_tool
from lrkit.inference import Prompter, generate_answers, score_letters, score_permuted
from lrkit.permute import option_orders, reorder, unpermute
from lrkit.records import load_problems
from lrkit.voting import agreement_summary, majority

GOLD = FIXTURES / "sample_train.jsonl"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return build_tiny(tmp_path_factory.mktemp("tiny"), adapters=3)


@pytest.fixture(scope="module")
def tiny_loaded(tiny):
    from lrkit.inference import load_model

    model, tokenizer = load_model(str(tiny["base"]), dtype="float32")
    return model, Prompter(tokenizer, "smollm2")


def test_prompt_tokens_are_llamafactory_training_tokens(tiny_loaded):
    """Scored sequence = LLaMA-Factory's SFT prompt + response up to the letter; the letter is the next token."""
    from lrkit.alpaca import alpaca_records

    _, prompter = tiny_loaded
    gold = load_problems(GOLD)
    items = prompter.items(gold)
    for item, record in zip(items, alpaca_records(gold)):
        messages = [{"role": "user", "content": record["instruction"]}, {"role": "assistant", "content": record["output"]}]
        prompt_ids, response_ids = prompter.template.encode_oneturn(prompter.tokenizer, messages)
        assert item.prompt_ids == prompt_ids
        n = len(prompter.answer_prefix_ids)
        assert response_ids[:n] == prompter.answer_prefix_ids
        letter = record["output"][-1]
        assert response_ids[n] == prompter.letter_ids["ABCDEFG".index(letter)]
    text = prompter.tokenizer.decode(items[0].prompt_ids)
    assert "You are a helpful AI assistant named SmolLM, trained by Hugging Face." in text  # LF's smollm2 system
    assert text.endswith("<|im_start|>assistant\n")


def test_shared_prefix_answers_equal_unshared(tiny_loaded):
    model, prompter = tiny_loaded
    items = prompter.items(load_problems(GOLD))
    shared, _ = score_letters(model, prompter, items, batch_size=3)
    plain, _ = score_letters(model, prompter, items, batch_size=5, share_prefix=False)
    assert [a.letter for a in shared] == [a.letter for a in plain]
    for a, b in zip(shared, plain):
        assert len(a.probs) == next(i.n_options for i in items if i.key == a.key)
        assert math.isclose(sum(a.probs), 1.0, rel_tol=1e-5)
        assert max(abs(x - y) for x, y in zip(a.probs, b.probs)) < 1e-4


def test_rows_pack_problems_and_hold_the_common_prefix_once(tiny_loaded):
    """Packed rows: every sub-question once, no row longer than the longest problem, the prefix all prompts share
    (system prompt and instruction) once per row; short problems share a row."""
    from lrkit.inference import _row_length, _rows, _unit_length, _units

    _, prompter = tiny_loaded
    gold = load_problems(GOLD)
    long = {**gold[0], "id": "long", "problem": gold[0]["problem"] * 6}  # a row as long as it holds the short ones
    items = prompter.items([long, *gold])
    units = _units(items, True)
    rows = _rows(units)
    assert sorted(i for _, packed in rows for _, _, members in packed for i in members) == list(range(len(items)))
    shared = rows[0][0]
    assert len(shared) > 10 and all(row[0] == shared for row in rows)
    assert all(it.prompt_ids[: len(shared)] == shared for it in items)
    assert max(map(_row_length, rows)) == max(map(_unit_length, units))
    assert len(rows) < len(units) - 2
    assert sum(map(_row_length, rows)) == sum(map(_unit_length, units)) - (len(units) - len(rows)) * len(shared)


def test_packed_rows_answer_as_unshared(tiny_loaded):
    """Problems of very different lengths packed into shared rows get their unshared computation (fp32)."""
    model, prompter = tiny_loaded
    gold = load_problems(GOLD)
    items = prompter.items([{**gold[0], "id": "long", "problem": gold[0]["problem"] * 6}, *gold])
    shared, _ = score_letters(model, prompter, items, batch_size=2)
    plain, _ = score_letters(model, prompter, items, batch_size=4, share_prefix=False)
    assert [a.key for a in shared] == [it.key for it in items]
    for a, b in zip(shared, plain):
        assert a.letter == b.letter and max(abs(x - y) for x, y in zip(a.probs, b.probs)) < 1e-4


def test_scoring_is_independent_of_batching(tiny_loaded):
    """Memory is bounded by the token budget; answers do not depend on how rows are batched."""
    model, prompter = tiny_loaded
    items = prompter.items(load_problems(GOLD))
    one, _ = score_letters(model, prompter, items, batch_size=1)
    tight, _ = score_letters(model, prompter, items, batch_size=64, max_tokens=300)
    assert [a.letter for a in one] == [a.letter for a in tight]


def test_permuted_scoring_averages_each_order_back(tiny_loaded):
    """score_permuted = score_letters on each reordered copy of a sub-question, probabilities mapped back and averaged;
    with one order it is plain scoring."""
    model, prompter = tiny_loaded
    gold = load_problems(GOLD)
    permuted, _ = score_permuted(model, prompter, gold, batch_size=4)
    plain, _ = score_letters(model, prompter, prompter.items(gold), batch_size=4)
    identity, _ = score_permuted(model, prompter, gold, batch_size=4, k=1)
    assert [a.key for a in permuted] == [a.key for a in plain] and [a.letter for a in identity] == [a.letter for a in plain]
    for a, b in zip(identity, plain):
        assert max(abs(x - y) for x, y in zip(a.probs, b.probs)) < 1e-5
    record = gold[0]
    for index, question in enumerate(record["questions"]):
        orders = option_orders(question["options"])
        one_by_one = []
        for order in orders:  # each order scored on its own, unshared
            alone = {**record, "questions": [reorder(question, order)]}
            one_by_one.append(score_letters(model, prompter, prompter.items([alone]), share_prefix=False)[0][0].probs)
        expected = unpermute(one_by_one, orders)
        got = permuted[index]
        assert max(abs(x - y) for x, y in zip(got.probs, expected)) < 1e-4
        assert got.letter == "ABCDEFG"[max(range(len(expected)), key=expected.__getitem__)]
    proc = run_tool("evaluate", "--model", "x", "--gold", GOLD, "--backend", "generate", "--permute-options")
    assert proc.returncode == 2 and "--permute-options" in proc.stderr and "Traceback" not in proc.stderr


def test_evaluate_permute_options_cli_answers_as_the_function(tiny, tiny_loaded, tmp_path):
    model, prompter = tiny_loaded
    gold = load_problems(GOLD)
    expected = [a.letter for a in score_permuted(model, prompter, gold)[0]]
    saved = tmp_path / "answers.jsonl"
    run_tool("evaluate", "--model", tiny["base"], "--template", "smollm2", "--dtype", "float32", "--gold", GOLD,
             "--permute-options", "--save", saved, check=True)
    got = [q["answer"] for r in load_problems(saved) for q in r["questions"]]
    assert got == expected
    for r in load_problems(saved):  # the letter probabilities behind each answer are saved with it
        for q in r["questions"]:
            assert len(q["probs"]) == len(q["options"]) and abs(sum(q["probs"]) - 1) < 1e-3
            assert q["probs"]["ABCDEFG".index(q["answer"])] >= max(q["probs"]) - 1e-6  # rounded to 6 places


def test_generation_backend_extracts_letters(tiny_loaded):
    model, prompter = tiny_loaded
    items = prompter.items(load_problems(GOLD))[:3]
    greedy, _ = generate_answers(model, prompter, items, batch_size=2, max_new_tokens=4)
    sampled, _ = generate_answers(model, prompter, items, batch_size=2, max_new_tokens=4, samples=2, seed=1)
    assert [len(x) for x in greedy] == [1, 1, 1] and [len(x) for x in sampled] == [2, 2, 2]
    for answers in greedy + sampled:
        for a in answers:
            assert isinstance(a.text, str) and (a.letter is None or a.letter in "ABCDEFG")


def test_majority_tie_break():
    assert majority(["B", "A", "B"]).letter == "B"
    assert majority(["B", "A", "B"]).agreement == pytest.approx(2 / 3, abs=1e-4)
    # tie without probabilities: the earliest voter's letter among the tied ones
    assert majority(["C", "A", "A", "C"]).letter == "C"
    assert majority([None, "A", "C"]).letter == "A"
    # tie with probabilities: the highest summed probability wins
    assert majority(["A", "B"], [[0.6, 0.4], [0.1, 0.9]]).letter == "B"
    # unparseable never wins while someone gave a letter; all unparseable gives None
    assert majority([None, None, "D"]).letter == "D"
    assert majority([None, None]).letter is None
    summary = agreement_summary([majority(["A", "A"]), majority(["A", "B"])], [True, False])
    assert summary["unanimous"] == 1 and summary["by_agreement"]["1.00"] == {"n": 1, "accuracy": 1.0}


def test_evaluate_votes_over_three_adapters_with_report(tiny, tmp_path):
    adapters = [a for path in tiny["adapters"] for a in ("--adapter", path)]
    proc = run_tool("evaluate", "--model", tiny["base"], *adapters, "--vote", "--gold", GOLD, "--dtype", "float32",
                    "--report", tmp_path / "report", "--out", tmp_path / "m.json", check=True)
    metrics = json.loads((tmp_path / "m.json").read_text())
    assert [v["name"] for v in metrics["voters"]] == [f"adapter {a}" for a in tiny["adapters"]]
    assert sum(v["n"] for v in metrics["agreement"]["by_agreement"].values()) == 12
    assert "agreement: mean" in proc.stdout and "q/s" in proc.stderr
    for name in ("report.html", "by_family.png", "by_options.png", "by_difficulty.png", "confusion.png", "by_agreement.png"):
        assert (tmp_path / "report" / name).stat().st_size > 0


def test_parity_adapter_vs_merged(tiny):
    from lrkit.inference import load_model

    proc = run_tool("evaluate", "--model", tiny["base"], "--adapter", tiny["adapters"][0], "--gold", GOLD,
                    "--parity", tiny["merged"], "--parity-n", 12, "--dtype", "float32")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "parity: 12/12 sub-questions agree" in proc.stdout
    # the check is not vacuous: another adapter's answers differ from the merged model's
    merged, tokenizer = load_model(str(tiny["merged"]), dtype="float32")
    other, _ = load_model(str(tiny["base"]), [str(tiny["adapters"][1])], dtype="float32")
    prompter = Prompter(tokenizer, "smollm2")
    items = prompter.items(load_problems(GOLD))
    a, _ = score_letters(merged, prompter, items)
    b, _ = score_letters(other, prompter, items)
    assert max(max(abs(x - y) for x, y in zip(p.probs, q.probs)) for p, q in zip(a, b)) > 1e-3


def test_evaluate_bad_input_is_one_line(tiny, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(GOLD.read_text(encoding="utf-8") + "{not json\n", encoding="utf-8")
    proc = run_tool("evaluate", "--model", tmp_path / "no-such-model", "--template", "smollm2", "--gold", gold)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert f"{gold}:7: <json>" in proc.stderr and "cannot load" in proc.stderr
    proc = run_tool("evaluate", "--model", tiny["base"], "--template", "no-such-template", "--gold", GOLD)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "no-such-template" in proc.stderr


@pytest.mark.slow
def test_default_model_shared_equals_unshared():
    from lrkit.inference import load_model

    if not DEFAULT_MODEL.exists():
        pytest.skip(f"{DEFAULT_MODEL} not built (scripts/setup.sh makes it)")
    model, tokenizer = load_model(str(DEFAULT_MODEL), dtype="float32")
    prompter = Prompter(tokenizer, "smollm2")
    items = prompter.items(load_problems(GOLD)[:2])
    shared, _ = score_letters(model, prompter, items)
    plain, _ = score_letters(model, prompter, items, share_prefix=False)
    assert [a.letter for a in shared] == [a.letter for a in plain]
    assert max(max(abs(x - y) for x, y in zip(a.probs, b.probs)) for a, b in zip(shared, plain)) < 1e-4
