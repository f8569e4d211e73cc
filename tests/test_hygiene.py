"""Reply hygiene: the replay corpus (tests/replay/replies.toml) through the fake server and the real client,
the real replies of ../shared/llm-replies, the stream the user watches, and the request options."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from core.config import Settings, resolve_settings
from core.errors import LLMUnavailable, ZhibiError
from core.types import Fact
from drafting.engines.base import SectionContext
from drafting.engines.llm.client import OpenAICompatibleModel, Thinking, collect
from drafting.engines.llm.engine import LLMEngine
from drafting.engines.llm.hygiene import THINKING_NOTE, StreamCleaner, clean, split_reasoning

try:
    from tests.fake_openai import FakeOpenAI, fake_llm  # noqa: F401
except ImportError:
    from fake_openai import FakeOpenAI, fake_llm  # noqa: F401

REPLAY = Path(__file__).parent / "replay" / "replies.toml"
CASES = tomllib.loads(REPLAY.read_text(encoding="utf-8"))["reply"]
SHARED_REPLIES = Path(__file__).resolve().parents[1].parent / "shared" / "llm-replies"
WRAPPING = ("<think", "</think", "<reasoning", "```", "**", "好的，", "以下是", "希望以上", "如需", "##")


def ctx_for(case: dict) -> SectionContext:
    fact = "全年办理行政处罚案件326件，罚没款218.6万元。"
    return SectionContext(
        key="measures.enforcement",
        heading=case["heading"],
        title=case["title"],
        unit="某区交通运输局",
        year=2024,
        level=2,
        facts=[Fact(text=fact, raw=fact, key="measures.enforcement", line_no=1)],
    )


def behaviour(case: dict) -> tuple:
    if case.get("reasoning"):
        return ("reasoning", case["reasoning"], case["content"])
    if case.get("finish") == "length":
        return ("truncated", case["content"])
    return ("text", case["content"])


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_replayed_reply_becomes_clean_section(case: dict, fake_llm: FakeOpenAI, tmp_path: Path) -> None:
    fake_llm.script([behaviour(case)])
    settings = Settings(home=tmp_path, llm_base_url=fake_llm.base_url, llm_timeout=5.0, llm_retries=0)
    engine = LLMEngine(OpenAICompatibleModel(settings, sleep=lambda _s: None), settings)
    shown: list[str] = []
    if case.get("rejected"):
        with pytest.raises(LLMUnavailable):
            engine.write(ctx_for(case), shown.append)
    else:
        assert engine.write(ctx_for(case), shown.append) == case["expected"]
    cleaned = engine.last_clean
    assert cleaned is not None
    for what in case.get("removed", []):
        assert any(what in item for item in cleaned.removed), (what, cleaned.removed)
    if case.get("reasoning") or split_reasoning(case["content"])[1]:
        assert cleaned.reasoning, "the reasoning is kept for the audit"
        assert cleaned.reasoning not in (cleaned.text or "")
    # What the user watched: no reasoning, no wrapping; at most one collapsed note.
    watched = "".join(shown)
    assert not any(mark in watched for mark in WRAPPING), watched
    assert watched.count(THINKING_NOTE) <= 1
    if not case.get("rejected") and case.get("finish") != "length":
        assert watched.replace(THINKING_NOTE + "\n", "") == case["expected"]


@pytest.mark.parametrize("piece", [1, 2, 5, 11])
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_stream_shows_no_wrapping_whatever_the_piece_size(case: dict, piece: int) -> None:
    cleaner = StreamCleaner(case["heading"], case["title"])
    raw = case["content"]
    shown = "".join(cleaner.feed(raw[i : i + piece]) for i in range(0, len(raw), piece))
    assert not any(mark in shown for mark in WRAPPING), shown
    final = clean(raw, heading=case["heading"], title=case["title"], truncated=case.get("finish") == "length")
    if final.chinese and case.get("finish") != "length":
        # what was shown is where the final text starts, so the rest can follow it
        assert final.text.startswith(cleaner.shown), (cleaner.shown, final.text)


def test_reasoning_field_streams_collapsed_and_reaches_the_audit(
    fake_llm: FakeOpenAI, tmp_path: Path
) -> None:
    thought = "先核对材料中的数字：326件、218.6万元。" * 20
    fake_llm.script(
        [("reasoning", thought, "全年办理行政处罚案件326件。"), ("reasoning", thought, "依法行政。")]
    )
    settings = Settings(home=tmp_path, llm_base_url=fake_llm.base_url, llm_timeout=5.0, llm_retries=0)
    model = OpenAICompatibleModel(settings)
    pieces: list[str] = []
    reply = collect(model.stream([("user", "写")]), pieces.append)
    assert reply == "全年办理行政处罚案件326件。" and reply.reasoning == thought
    assert "".join(p for p in pieces if isinstance(p, Thinking)) == thought
    assert model.complete([("user", "写")]).reasoning == thought


def test_request_options_reach_the_server(fake_llm: FakeOpenAI, tmp_path: Path) -> None:
    fake_llm.script([("text", "依法行政。"), ("text", "依法行政。")])
    env = {
        "ZHIBI_LLM_BASE_URL": fake_llm.base_url,
        "ZHIBI_LLM_EXTRA_BODY": '{"chat_template_kwargs": {"enable_thinking": false}, "top_k": 20}',
        "ZHIBI_LLM_TEMPERATURE": "0.6",
        "ZHIBI_LLM_MAX_TOKENS": "1500",
    }
    settings = resolve_settings(env, home=tmp_path)
    model = OpenAICompatibleModel(settings)
    collect(model.stream([("user", "写")]))
    model.complete([("user", "写")])
    for body in fake_llm.chat_requests():
        assert body["chat_template_kwargs"] == {"enable_thinking": False} and body["top_k"] == 20
        assert body["temperature"] == 0.6
        assert body["max_tokens"] == 1500  # the name llama.cpp, Ollama and vLLM all read


def test_extra_body_wins_over_max_tokens(fake_llm: FakeOpenAI, tmp_path: Path) -> None:
    fake_llm.script([("text", "依法行政。")])
    settings = Settings(
        home=tmp_path, llm_base_url=fake_llm.base_url, llm_max_tokens=100, llm_extra_body='{"max_tokens": 7}'
    )
    OpenAICompatibleModel(settings).complete([("user", "写")])
    assert fake_llm.chat_requests()[0]["max_tokens"] == 7


@pytest.mark.parametrize("raw", ["{think: false}", "[1, 2]", '"x"'])
def test_bad_extra_body_is_one_clear_error(raw: str, tmp_path: Path) -> None:
    with pytest.raises(ZhibiError, match="ZHIBI_LLM_EXTRA_BODY"):
        resolve_settings({"ZHIBI_LLM_EXTRA_BODY": raw}, home=tmp_path)


def test_split_reasoning_shapes() -> None:
    assert split_reasoning("<think>a</think>正文") == ("\n正文", "a", False)
    assert split_reasoning("想了想</think>正文") == ("正文", "想了想", False)
    assert split_reasoning("<reasoning>x</reasoning>正文<think>还在想") == ("\n正文", "x\n\n还在想", True)
    assert split_reasoning("正文，无推理。") == ("正文，无推理。", "", False)


def test_masked_figures_and_decimals_are_not_markup() -> None:
    text = "《**市**区实施办法》印发。\n1.5万元用于培训。\n2024年办结*件。"
    assert clean(text).text == text


# -- the real replies of a small model (../shared/llm-replies) --------------------------------------------------
def shared_reply(name: str) -> dict:
    path = SHARED_REPLIES / name
    if not path.exists():
        pytest.skip(f"needs the real model replies at {SHARED_REPLIES} (../shared is absent)")
    return json.loads(path.read_text(encoding="utf-8"))


def test_real_numbered_list_with_repeated_heading_becomes_paragraphs() -> None:
    data = shared_reply("shortcomings-numbered-list.json")
    title = "2022年推进法治政府建设存在的不足和原因"
    cleaned = clean(data["reply"], heading="三、" + title, title=title)
    paragraphs = cleaned.text.split("\n")
    assert not cleaned.text.startswith(title), "the heading repeated as an opening is gone"
    assert [p[:2] for p in paragraphs] == ["一是", "二是", "三是"]
    assert not any(p[:1].isdigit() for p in paragraphs), "no '1.' numbering left to be read as a figure"
    assert any("重复的标题" in r for r in cleaned.removed)
    assert all(p.endswith("。") for p in paragraphs)


def test_real_copied_reply_is_left_to_the_checks() -> None:
    """Clean prose is not the hygiene stage's business: the copied past section must reach the checks whole."""
    data = shared_reply("enforcement-copied-past-report.json")
    cleaned = clean(data["reply"], heading="（四）严格规范公正文明执法", title="严格规范公正文明执法")
    assert cleaned.text == data["reply"].strip() and cleaned.chinese and not cleaned.removed


@pytest.mark.parametrize(
    "body",
    [
        # a slogan in quotes addresses no one
        "全年办理行政处罚案件326件。\n推行“您有事我来办”帮办代办服务，全年帮办120件。",
        # "如下：" ending a sentence with content is body, and leads its list
        "我局严格落实行政执法三项制度，具体做法如下：一是全面推行执法公示；二是规范执法记录。",
        # a note with figures that does not speak to the reader
        "全年办理行政处罚案件326件。\n注：以上数据截至2024年11月底。",
        # 以上 and 进一步 in ordinary 公文 sentences
        "以上率下，推动领导干部带头学法。\n下一步，我局将进一步完善执法监督机制。",
    ],
)
def test_body_that_looks_like_wrapping_is_kept(body: str) -> None:
    cleaned = clean(body, heading="（四）严格规范公正文明执法", title="严格规范公正文明执法")
    assert cleaned.text == body and not cleaned.removed
    cleaner = StreamCleaner("（四）严格规范公正文明执法", "严格规范公正文明执法")
    shown = "".join(cleaner.feed(body[i : i + 3]) for i in range(0, len(body), 3))
    assert body.startswith(shown) and cleaner.finish(cleaned.text) == body[len(shown) :]
