"""lrkit.permute: option orders keep every answer on its option; the scoring orders put every free option in every
free position once; options that refer to the others stay put; averaging undoes the orders."""

from __future__ import annotations

from random import Random

from conftest import FIXTURES
from lrkit.permute import expand, free_positions, option_orders, permuted_copies, random_order, reorder, unpermute
from lrkit.records import LETTERS, check_record, load_problems

REAL_LIKE = {"question": "7和2的最小公倍数是8，这个说法正确吗？", "options": ["正确", "错误", "取决于最大公约数", "以上都不对"],
             "answer": "B"}


def _gold_text(q):
    return q["options"][LETTERS.index(q["answer"])]


def test_reorder_keeps_the_answer_on_its_option():
    records = load_problems(FIXTURES / "sample_train.jsonl")
    rng = Random(0)
    for record in records:
        for q in record["questions"]:
            for _ in range(5):
                moved = reorder(q, random_order(q["options"], rng))
                assert sorted(moved["options"]) == sorted(q["options"])
                assert _gold_text(moved) == _gold_text(q)
                assert q["options"] == q["options"]  # the input is not changed


def test_cyclic_orders_cover_every_position_once_and_pin_references():
    assert free_positions(REAL_LIKE["options"]) == [0, 1, 2]
    orders = option_orders(REAL_LIKE["options"])
    assert len(orders) == 3 and orders[0] == [0, 1, 2, 3]
    assert all(order[3] == 3 for order in orders)  # 以上都不对 stays last
    for position in (0, 1, 2):
        assert sorted(order[position] for order in orders) == [0, 1, 2]
    assert option_orders(["是", "否"]) == [[0, 1], [1, 0]]
    assert option_orders(["a", "b", "c", "d"], k=2) == [[0, 1, 2, 3], [1, 2, 3, 0]]
    assert option_orders(["以上都是", "两者都不是"]) == [[0, 1]]  # nothing free: the identity only


def test_permuted_copies_are_reproducible_valid_and_leave_the_originals():
    records = load_problems(FIXTURES / "sample_train.jsonl")
    before = [dict(r) for r in records]
    out = permuted_copies(records, 3, seed=5)
    assert out[: len(records)] == before and len(out) == 3 * len(records)
    assert out == permuted_copies(records, 3, seed=5) and out != permuted_copies(records, 3, seed=6)
    for c in (1, 2):
        for i, record in enumerate(records):
            copy = out[c * len(records) + i]
            assert copy["id"] == f"{record['id']}#p{c}" and not check_record(copy)
            assert [_gold_text(q) for q in copy["questions"]] == [_gold_text(q) for q in record["questions"]]
    moved = sum(q["options"] != p["options"] for r, c in zip(records, out[len(records):]) for q, p in zip(r["questions"], c["questions"]))
    assert moved > 0
    assert permuted_copies(records, 1) == records


def test_unpermute_cancels_position_bias_and_keeps_content():
    orders = option_orders(["a", "b", "c", "d"])
    position_only = [[0.7, 0.1, 0.1, 0.1] for _ in orders]  # always the first position, whatever is there
    assert max(unpermute(position_only, orders)) - min(unpermute(position_only, orders)) < 1e-12
    content = [0.1, 0.6, 0.2, 0.1]  # the same belief about each original option in every order
    seen = [[content[original] for original in order] for order in orders]
    assert [round(x, 12) for x in unpermute(seen, orders)] == content


def test_expand_lists_every_order_of_every_subquestion_in_order():
    record = {"id": "x", "problem": "p", "questions": [REAL_LIKE, {"question": "q", "options": ["是", "否"], "answer": "A"}]}
    expanded, orders = expand([record])
    assert [len(o) for o in orders[0]] == [3, 2]
    assert len(expanded[0]["questions"]) == 5 and expanded[0]["id"] == "x"
    assert [q["answer"] for q in expanded[0]["questions"]] == ["B", "A", "C", "A", "B"]
