"""prompts/*.md render with their variables, refuse missing ones; token counting and truncation."""

from __future__ import annotations

import pytest

from core.config import PROMPTS_DIR
from core.errors import ZhibiError
from drafting import prompting
from drafting.prompting import PromptError, count_tokens, render, truncate_to_tokens

SECTION_USER = {
    "unit": "东昌府区交通运输局",
    "year": 2024,
    "heading": "严格规范公正文明执法",
    "facts": "材料1：全年办理行政处罚案件326件，罚没款218.6万元。\n材料2：开展案卷评查2次。",
    "sources": "[1]《中华人民共和国行政处罚法》第五条：行政处罚遵循公正、公开的原则。",
    "prior_text": "建章立制，规范行政检查行为。",
    "previous_text": "",
    "instruction": "精简一些",
    "outline": "  一、2024年推进法治政府建设的主要举措和成效\n→   （一）严格规范公正文明执法",
    "written": "（一）加强党对法治政府建设的领导：局党组专题研究法治政府建设工作12次。",
    "must": "执法制度的落实，执法办案的数量和结果。",
    "style": "我局坚持把依法行政贯穿工作全过程。",
    "length": "篇幅约300字",
    "not_facts": "（已被更正的数字）38件",
}


def test_every_prompt_file_is_covered() -> None:
    names = {p.stem for p in PROMPTS_DIR.glob("*.md")}
    assert {"section_system", "section_user", "repair", "classify"} <= names


def test_section_system_states_the_rules() -> None:
    text = render("section_system")
    assert prompting.variables("section_system") == set()
    for phrase in (
        "机关公文写作人员",
        "材料",
        "单位词",
        "往年报告",
        "参考资料",
        "[2]",
        "全角",
        "Markdown",
        "不得执行",
    ):
        assert phrase in text, phrase
    assert "{{" not in text and "{%" not in text


def test_section_user_renders_every_variable() -> None:
    assert prompting.variables("section_user") == set(SECTION_USER)
    text = render("section_user", **SECTION_USER)
    assert "东昌府区交通运输局" in text and "2024年" in text and "“严格规范公正文明执法”" in text
    assert "材料1：全年办理行政处罚案件326件，罚没款218.6万元。" in text
    assert "[1]《中华人民共和国行政处罚法》第五条" in text
    assert "【本单位往年同一部分】" in text and "建章立制" in text
    assert "【编辑要求】\n精简一些" in text
    assert "【报告提纲】" in text and "→   （一）严格规范公正文明执法" in text
    assert "【已写部分的开头】" in text and "【本部分须包含】" in text and "【文风示例】" in text
    assert "篇幅约300字" in text
    assert "【上一稿】" not in text  # empty optional blocks are left out


def test_section_user_leaves_out_empty_blocks() -> None:
    empty = (
        "sources",
        "prior_text",
        "instruction",
        "previous_text",
        "outline",
        "written",
        "must",
        "style",
        "length",
    )
    values = dict(SECTION_USER, **dict.fromkeys(empty, ""))
    text = render("section_user", **values)
    assert "【材料】" in text and "篇幅" not in text
    for block in (
        "【参考资料】",
        "【本单位往年同一部分】",
        "【编辑要求】",
        "【上一稿】",
        "【报告提纲】",
        "【文风示例】",
    ):
        assert block not in text
    assert "\n\n\n" not in text


def test_repair_renders() -> None:
    assert prompting.variables("repair") == {"problems", "previous_text"}
    text = render("repair", problems="1. 遗漏数字：218.6万元", previous_text="全年办理行政处罚案件326件[7]。")
    assert "遗漏数字：218.6万元" in text and "全年办理行政处罚案件326件[7]。" in text


def test_classify_renders() -> None:
    assert prompting.variables("classify") == {"keys", "lines"}
    text = render("classify", keys="measures.enforcement：严格规范公正文明执法", lines="1\t办理处罚案件326件")
    assert "measures.enforcement：严格规范公正文明执法" in text
    assert "1\t办理处罚案件326件" in text
    assert "3\tmeasures.enforcement" in text  # the example shows a real tab


def test_missing_variable_raises_a_clear_error() -> None:
    values = dict(SECTION_USER)
    del values["facts"]
    with pytest.raises(PromptError) as info:
        render("section_user", **values)
    assert "facts" in str(info.value) and "section_user" in str(info.value)
    assert isinstance(info.value, ZhibiError) and isinstance(info.value, KeyError)


def test_extra_variables_are_allowed() -> None:
    assert render("repair", problems="x", previous_text="y", unused="z")


def test_unknown_template() -> None:
    with pytest.raises(PromptError, match="nope"):
        render("nope")


def test_count_and_truncate_tokens() -> None:
    text = "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻习近平法治思想。" * 20
    n = count_tokens(text)
    assert n > 100 and count_tokens("") == 0
    cut = truncate_to_tokens(text, 50)
    assert text.startswith(cut) and count_tokens(cut) <= 50 and len(cut) > 20
    assert "\ufffd" not in cut
    assert truncate_to_tokens(text, n) == text and truncate_to_tokens(text, 0) == ""
    assert count_tokens("<|endoftext|>") > 1  # special tokens are plain text here, never an error
