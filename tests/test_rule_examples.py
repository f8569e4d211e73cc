"""The offline engine's data rules (drafting/engines/offline/rules/*.toml): every row's examples are its tests.

Applying the rule set to an example's `in` gives its `out`, and the row itself fires on it. Examples are in the
words of bureaus other than a transport bureau and other than the shared eval cases.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drafting.engines.offline.firing import recording
from drafting.engines.offline.parts import plan_clause
from drafting.engines.offline.phrasing import COUNTED, REORDER_RULES, UNCOUNTED, clause_from_fragment
from drafting.engines.offline.register import (
    CLAUSE_RULES,
    NEGATION,
    NEGATION_FILE,
    RULES,
    load_rules,
    to_written,
)

RULES_DIR = Path(__file__).resolve().parents[1] / "drafting" / "engines" / "offline" / "rules"
SHARED_NOTES = sorted((Path(__file__).resolve().parents[2] / "shared" / "eval" / "cases").glob("*/notes.md"))
TRANSPORT = re.compile(r"交通|公路|运输|港口|码头|货运|客运|驾培|出租车|公交|路政")
NEGATION_IDS = {r.id for r in load_rules(NEGATION_FILE, negation=True)}


def _examples_of(table: str):
    rows = []
    for path in sorted(RULES_DIR.glob("*.toml")):
        import tomllib

        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for row in data.get(table, []):
            for ex in row.get("example", []):
                rows.append(pytest.param(row["id"], ex, id=f"{path.stem}:{row['id']}:{ex['in']}"))
    return rows


@pytest.mark.parametrize(("rule_id", "example"), _examples_of("rule"))
def test_register_example(rule_id, example):
    with recording() as fired:
        out = to_written(
            example["in"], unit=example.get("unit", "某县林业局"), year=example.get("year", 2024)
        )
    assert out.text == example["out"]
    assert rule_id in fired
    if rule_id in NEGATION_IDS:  # a negation rewritten keeps every negation of the line
        assert len(NEGATION.findall(out.text)) >= len(NEGATION.findall(example["in"])) >= 1


@pytest.mark.parametrize(("rule_id", "example"), _examples_of("counted") + _examples_of("uncounted"))
def test_verb_example(rule_id, example):
    with recording() as fired:
        verb, clause = clause_from_fragment(example["in"])
    assert verb + clause == example["out"]
    assert rule_id in fired


def test_every_rule_has_an_example_and_a_unique_id():
    rules = [(r.id, r.examples) for r in (*RULES, *COUNTED, *UNCOUNTED, *CLAUSE_RULES, *REORDER_RULES)]
    assert all(examples for _id, examples in rules), [i for i, e in rules if not e]
    ids = [i for i, _e in rules]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("rule_id", "example"), _examples_of("reorder"))
def test_reorder_example(rule_id, example):
    """A row's example turned round (or given its verb) by the clause step; `fires = false` shows what its checks
    keep as it is."""
    stage = next(r.stage for r in REORDER_RULES if r.id == rule_id)
    with recording() as fired:
        if stage == "plan":  # a plan of the 下一年度 part
            out = plan_clause(example["in"])
        else:
            verb, clause = clause_from_fragment(example["in"])
            out = verb + clause
    assert out == example["out"]
    assert (rule_id in fired) == example.get("fires", True)


def test_no_meaning_changing_rewrite_is_a_register_rule():
    """给 → 为 reverses who acts, 出了 → 出具 says what was not said; a negation has its own checked table."""
    spoken = {r.spoken: r.written for r in RULES}
    assert ("给",) not in spoken
    assert all(not (r.spoken == ("出", "了") and r.written == "出具" and r.when == "any") for r in RULES)
    assert all(bool(NEGATION.search("".join(r.spoken))) == (r.id in NEGATION_IDS) for r in RULES)


@pytest.mark.skipif(not SHARED_NOTES, reason="../shared is absent")
def test_examples_do_not_reuse_the_shared_cases_or_a_transport_bureau():
    shared = "".join(p.read_text(encoding="utf-8") for p in SHARED_NOTES)
    for table in ("rule", "counted", "uncounted", "clause", "reorder"):
        for param in _examples_of(table):
            text = re.sub(r"[\d，。；、：\s]", "", param.values[1]["in"])
            reused = [text[i : i + 5] for i in range(len(text) - 4) if text[i : i + 5] in shared]
            assert not reused and not TRANSPORT.search(text), (param.id, reused)


def test_traditional_characters_are_simplified_before_the_rules():
    out = to_written("今年開了3次會，搞了防火宣傳", unit="某县林业局", year=2024).text
    assert out == "2024年召开3次会议，开展防火宣传"  # one verb each, no doubled 开


# Lines of other bureaus' notes where a rewrite could turn the meaning round: each keeps its negations and figures.
MEANING_KEPT = [
    "防火隔离带没修完",
    "今年没有发生森林火灾",
    "2个乡镇还没配齐调解员",
    "执法记录仪不够用，还差6台",
    "罚了4家养殖场，没罚款",
    "给3家企业下达整改通知书",
    "局里出了2起信访件没按期办结的问题",
]


@pytest.mark.parametrize("line", MEANING_KEPT)
def test_a_rewrite_keeps_every_negation_and_figure(line):
    from drafting.text.numbers import figure_texts

    out = to_written(line, unit="某县林业局", year=2024).text
    assert len(NEGATION.findall(out)) >= len(NEGATION.findall(line))
    assert figure_texts(out, year=2024) == figure_texts(line, year=2024)
    assert "为3家企业" not in out  # 给 (to) is never 为 (for): who receives the notice stays who it was


@pytest.mark.parametrize(("rule_id", "example"), _examples_of("clause"))
def test_clause_example(rule_id, example):
    with recording() as fired:
        out = to_written(
            example["in"], unit=example.get("unit", "某县林业局"), year=example.get("year", 2024)
        )
    assert out.text == example["out"]
    assert rule_id in fired
    if rule_id in {r.id for r in CLAUSE_RULES if r.negation}:
        assert len(NEGATION.findall(out.text)) >= 1


GUARDS = [r for r in RULES if r.guards]


@pytest.mark.parametrize("guard", GUARDS, ids=[r.id for r in GUARDS])
def test_a_guard_keeps_its_general_row_from_damaging_the_text(guard):
    """Without the guard, its general row fires on the guard's example and writes something else."""
    from drafting.engines.offline.register import without

    text, out = guard.examples[0]
    with without(guard.id), recording() as fired:
        damaged = to_written(text, unit="某县林业局", year=2024).text
    assert guard.guards in fired and damaged != out


REORDER_GUARDS = [r for r in REORDER_RULES if r.guards]


@pytest.mark.parametrize("guard", REORDER_GUARDS, ids=[r.id for r in REORDER_GUARDS])
def test_a_reorder_guard_keeps_its_general_row_from_damaging_the_text(guard):
    """Without the guard, its general row fires on the guard's example and writes something else."""
    from drafting.engines.offline.phrasing import without_reorder

    text, out = guard.examples[0]
    with without_reorder(guard.id), recording() as fired:
        verb, clause = clause_from_fragment(text)
    assert guard.guards in fired and verb + clause != out
