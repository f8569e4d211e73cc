"""The web workspace: formatting, handlers (on a stand-in Workspace) and gradio_client against a live app.

The handler tests use FakeWorkspace, which speaks the Workspace API with canned drafts, so error paths
(an LLM that dies mid-stream, binary uploads, oversize notes) are exercised without an index. The
gradio_client tests launch the real app over the bundled corpus on a free port.
"""

from __future__ import annotations

import concurrent.futures as cf
import time
from dataclasses import dataclass
from pathlib import Path

import gradio as gr
import pytest

from core.config import DEFAULT_OUTLINE, resolve_settings
from core.errors import LLMUnavailable
from core.types import Checks, DocumentInfo, Draft, Fact, IngestReport, PlanItem, PriorRef, Section, Source
from ui import format as fmt
from ui import handlers as uh
from ui import security
from ui.handlers import MAX_NOTES_CHARS, Handlers
from zhibi.history import History

OUTLINE_KEYS = [
    "measures", "measures.organization", "measures.study", "measures.functions", "measures.rules",
    "measures.decisions", "measures.enforcement", "measures.emergency", "measures.disputes",
    "measures.oversight", "measures.digital", "measures.publicity", "leadership", "shortcomings", "plans", "other",
]  # fmt: skip
pytestmark = pytest.mark.filterwarnings("ignore:.*(no_silent_downcasting|copy keyword).*")
NOTES = "执法：全年办理行政处罚案件326件，罚没款218.6万元\n复议应诉：行政复议案件5件\n普法：开展宣传活动12场"


# -- a stand-in Workspace ---------------------------------------------------------------------------
@dataclass
class Event:
    kind: str
    text: str = ""
    key: str = ""
    draft: Draft | None = None


class FakeWorkspace:
    """Drafts one section per note line; `fail_after` raises LLMUnavailable after that many events."""

    def __init__(self, home: Path) -> None:
        self.settings = resolve_settings(home=str(home))
        self.fail_after: int | None = None
        self.delay = 0.0  # seconds per event, to watch a draft stream
        self.calls: list[str] = []
        self.ingested: list[str] = []

    def build(self, notes: str, unit: str, year: int, section: str | None) -> Draft:
        lines = [line.strip() for line in notes.splitlines() if line.strip()]
        keys = [section] if section else ["measures.enforcement", "measures.disputes", "measures.publicity"]
        sections = [Section("preamble", "", f"现将{unit}{year}年度法治政府建设情况报告如下：", level=0)]
        for i, key in enumerate(keys):
            text = f"{lines[i % len(lines)]}，严格依法办理[1]。"
            sections.append(
                Section(key, f"（{'一二三'[i]}）{key}", text, citations=[1], level=2, run_in=True,
                        warnings=["数字“326件”请核对"] if i == 0 else [],
                        prior=PriorRef("2023年报告", "一（四）", 0.4, text="去年" + text[:6] + "，依法办理。"))
            )  # fmt: skip
        return Draft(
            unit=unit,
            year=year,
            engine="offline",
            title=f"{unit}{year}年法治政府建设情况报告",
            sections=sections,
            sources=[
                Source(
                    1,
                    "中华人民共和国行政处罚法",
                    "law",
                    "第五条",
                    "行政处罚遵循公正、公开的原则",
                    context="第五条　行政处罚遵循公正、公开的原则。设定和实施行政处罚必须以事实为依据。",
                )
            ],  # fmt: skip
            checks=Checks(numbers_unsupported=["99件"], lines_dropped=["好的收到"]),
            scope=section or "report",
            notes=notes,
            prior_title="2023年报告",
            timings={"total_ms": 12.0},
        )

    def stream_draft(self, notes, unit, year, section=None, engine="auto", keep=None):
        self.calls.append("stream_draft")
        self.kept = keep
        draft = self.build(notes, unit, year, section)
        events = [Event("status", "已整理材料")]
        for s in draft.sections:
            events += [
                Event("token", s.text[:4], s.key),
                Event("token", s.text[4:], s.key),
                Event("section", s.text, s.key),
            ]
        events.append(Event("done", draft=draft))
        for n, ev in enumerate(events):
            if self.fail_after is not None and n >= self.fail_after:
                raise LLMUnavailable(
                    "大模型接口 http://127.0.0.1:9/v1 无法连接", hint="检查 ZHIBI_LLM_BASE_URL"
                )
            time.sleep(self.delay)
            yield ev

    def regenerate(self, current, key, *, notes=None, instruction="", engine="auto", section_lines=None):
        new = Draft.from_json(current.to_json())
        new.notes = current.notes
        target = new.section(key)
        target.text = f"{instruction or '重写'}：{section_lines or notes or target.text}"
        return new

    def section_lines(self, current, key):
        # the stand-in's sections take the notes lines in order (see build)
        lines = [line.strip() for line in current.notes.splitlines() if line.strip()]
        keys = [s.key for s in current.sections if s.key != "preamble"]
        return [Fact(text=line, raw=line, key=k) for line, k in zip(lines, keys, strict=False) if k == key]

    def revise(self, current, message, engine="auto"):
        new = Draft.from_json(current.to_json())
        new.notes = current.notes
        if message.startswith("补充"):
            new.sections[1].text += message.split("：", 1)[1] + "。"
            return new, "已把补充内容写入“measures.enforcement”。"
        return new, "这类改写需要配置大模型接口（ZHIBI_LLM_BASE_URL）；离线引擎只能补充事实。"

    def prior_plans(self, current):
        return [
            PlanItem("推进执法规范化建设", True, ["执法：全年办理行政处罚案件326件"]),
            PlanItem("加强普法宣传", False),
        ]

    def documents(self):
        return [DocumentInfo("中华人民共和国行政处罚法", "law", 2021, "全国人大常委会", 40)]

    def missing_key_documents(self):
        return ["中华人民共和国行政复议法"]

    def ingest(self, paths, *, progress=None, **overrides):
        for i, p in enumerate(paths, 1):
            if progress:
                progress("写入索引", i, len(paths))
            self.ingested.append(p)
        return IngestReport(added=[Path(p).stem for p in paths], chunks=3 * len(paths), seconds=0.1)

    def remove(self, title, actor=None):
        return 7


@pytest.fixture
def fake(tmp_path) -> FakeWorkspace:
    return FakeWorkspace(tmp_path / "home")


@pytest.fixture
def h(fake, tmp_path, monkeypatch) -> Handlers:
    monkeypatch.setattr(uh, "recheck", lambda ws, d: d)
    return Handlers(fake, export_root=tmp_path / "exports")


def run_draft(h: Handlers, notes=NOTES, unit="甲县交通运输局", year=2024, section="report"):
    outputs = list(h.draft(notes, unit, year, section))
    return outputs, outputs[-1]


# -- formatting -------------------------------------------------------------------------------------
def test_labels_cover_outline_in_chinese():
    labels = fmt.load_labels(DEFAULT_OUTLINE)
    assert list(labels) == OUTLINE_KEYS
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in label) for label in labels.values())
    choices = fmt.section_choices(labels)
    assert choices[0][1] == "report" and [v for _, v in choices[1:]] == OUTLINE_KEYS
    assert fmt.load_labels(None) == fmt.SECTION_LABELS


def test_draft_html_renders_the_document_model():
    """Headings as headings, run-in sub-headings bold in their paragraph, [n] links, no Markdown marks."""
    d = FakeWorkspace(Path("/tmp")).build(NOTES, "甲县交通运输局", 2024, None)
    d.sections.insert(1, Section("measures", "一、2024年主要举措和成效", "局党委*高度*重视。", level=1))
    d.sections[2].heading = "（一）抓好学法用法，提升法治素养。"
    d.sections[3].text += "\n见<b>附件</b>，共__2__项。"
    out = fmt.draft_html(d)
    assert out.startswith(
        '<article class="zb-doc"><h2 class="zb-title">甲县交通运输局2024年法治政府建设情况报告</h2>'
    )
    assert '<h3 class="zb-h1">一、2024年主要举措和成效</h3>' in out
    assert (
        '<p><strong class="zb-h2">（一）抓好学法用法，提升法治素养。</strong>执法：全年办理行政处罚案件326件'
        in out
    )
    assert '<strong class="zb-h2">（二）measures.disputes。</strong>' in out  # 。 added to a run-in heading
    assert '<a class="zb-cite" href="#zb-src-1" data-n="1"' in out
    assert "**" not in out and "局党委*高度*重视" in out and "__2__" in out  # text as written
    assert "&lt;b&gt;附件&lt;/b&gt;" in out and "<b>" not in out
    d.sections[3].locked = True
    assert "🔒" in fmt.section_html(d.sections[3])
    d.scope = "measures.disputes"
    assert "zb-title" not in fmt.draft_html(d)  # a one-section draft has no report title
    assert fmt.draft_panel(None) == fmt.EMPTY_DRAFT


def test_checks_banner_levels_and_escaping():
    d = FakeWorkspace(Path("/tmp")).build(NOTES, "甲", 2024, None)
    d.checks.numbers_unsupported = ["<script>alert(1)</script>"]
    out = fmt.checks_html(d)
    assert 'class="zb-banner zb-red"' in out and "核查发现 1 个问题" in out
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "数字“326件”请核对" in out  # per-section warnings
    d.checks = Checks(placeholders=["shortcomings"])
    assert "zb-amber" in fmt.checks_html(d)
    d.checks = Checks(lines_dropped=["好的"])
    for s in d.sections:
        s.warnings = []
    assert "zb-green" in fmt.checks_html(d)
    assert "zb-idle" in fmt.checks_html(None)


def test_sources_show_quote_in_context():
    d = FakeWorkspace(Path("/tmp")).build(NOTES, "甲", 2024, None)
    d.sources[0].title = "法<律>"
    out = fmt.sources_html(d)
    assert "[1]" in out and "《法&lt;律&gt;》" in out and "第五条" in out
    assert "<mark>行政处罚遵循公正、公开的原则</mark>" in out
    assert "引用于" in out
    assert "未引用" in fmt.sources_html(Draft("甲", 2024, "offline", "t"))


def test_diff_is_character_level_and_escaped():
    left, right = fmt.diff_html("全年办理案件300件<b>", "全年办理案件326件<b>")
    assert "<del>0</del>" in left or "<del>00</del>" in left
    assert "<ins>26</ins>" in right or "<ins>2</ins>" in right
    assert "<b>" not in left and "&lt;b&gt;" in right
    same_l, same_r = fmt.diff_html("相同", "相同")
    assert "<ins>" not in same_r and "<del>" not in same_l


def test_diff_folds_single_character_matches():
    segments = fmt.diff_segments("坚持领导班子带头学法。将党的精神", "我局坚持领导干部带头学法、跟进学法")
    assert (True, "坚持领导", "坚持领导") in segments and (True, "带头学法", "带头学法") in segments
    assert all(len(a) >= 3 for same, a, _ in segments[1:-1] if same)
    assert "".join(a for _, a, _ in segments) == "坚持领导班子带头学法。将党的精神"
    assert "".join(b for _, _, b in segments) == "我局坚持领导干部带头学法、跟进学法"


def test_compare_panel_shows_verbatim_share():
    d = FakeWorkspace(Path("/tmp")).build(NOTES, "甲", 2024, None)
    out = fmt.compare_html(d)
    assert "与去年逐字相同 40%" in out and "zb-cols" in out and "《2023年报告》" in out
    d.prior_title = ""
    for s in d.sections:
        s.prior = None
    assert "没有去年的报告" in fmt.compare_html(d)


def test_plans_checklist():
    out = fmt.plans_html(
        [PlanItem("推进执法", True, ["执法326件"]), PlanItem("普法<宣传>", False)], "2023年报告"
    )
    assert "☑" in out and "☐" in out and "回应 1 项" in out and "1 项未见落实" in out
    assert "普法&lt;宣传&gt;" in out
    assert "没有找到" in fmt.plans_html([])


# -- handlers ---------------------------------------------------------------------------------------
def test_draft_streams_and_saves(h, fake):
    fake.delay = 0.05
    outputs, (md, chat, chat_state, draft, session_id) = run_draft(h)
    assert len(outputs) > 3  # the conversation updated while the draft streamed
    assert isinstance(draft, Draft) and draft.unit == "甲县交通运输局"
    assert "326件" in md and "[1]" in md
    assert chat[0]["role"] == "user" and chat[-1]["role"] == "assistant" and "326件" in chat[-1]["content"]
    assert chat is chat_state or chat == chat_state
    record = h.history.latest(session_id)
    assert record is not None and record.kind == "draft" and record.draft.to_json() == draft.to_json()
    assert h.history.session(session_id).notes == NOTES


def test_llm_failure_keeps_notes_and_previous_draft(h, fake):
    *_, (_, _, _, first, _) = run_draft(h)
    fake.fail_after = 3
    fake.delay = 0.05
    seen = []
    with pytest.raises(gr.Error) as info:
        for out in h.draft(NOTES + "\n新增一行", "甲县交通运输局", 2024, "report"):
            seen.append(out)
    assert "无法连接" in info.value.message
    last = seen[-1]
    assert "起草中断" in last[1][-1]["content"] and "笔记已保存" in last[1][-1]["content"]
    assert all(isinstance(out[0], type(gr.skip())) for out in seen)  # the shown draft is never replaced
    assert all(isinstance(out[3], type(gr.skip())) for out in seen)  # neither is the draft state
    session = h.history.sessions()[0]
    assert session.notes.endswith("新增一行") and session.drafts == 0  # notes saved before the engine ran
    assert first is not None


@pytest.mark.parametrize(
    ("notes", "unit", "year", "section", "expect"),
    [
        ("", "甲县", 2024, "report", "笔记"),
        ("   \n  ", "甲县", 2024, "report", "笔记"),
        (NOTES, "", 2024, "report", "单位"),
        (NOTES, "甲县", None, "report", "年度"),
        (NOTES, "甲县", 1899, "report", "2000"),
        (NOTES, "甲县", "23", "report", "四位年份"),
        (NOTES, "甲县", "二〇二x", "report", "不是年份"),
        (NOTES, "甲县", 2024, "measures.nope", "measures.nope"),
        (NOTES, "甲县", 2024, "<b>x</b>", "&lt;b&gt;"),
    ],
)
def test_bad_input_is_refused_with_a_message(h, fake, notes, unit, year, section, expect):
    with pytest.raises(gr.Error) as info:
        run_draft(h, notes, unit, year, section)
    assert expect in info.value.message
    assert fake.calls == []  # refused before the engine


@pytest.mark.parametrize("year", [2023, "2023", "２０２３", "二〇二三", "二零二三", "2023年度", 2023.0])
def test_year_forms_accepted(h, year):
    *_, (_, _, _, draft, _) = run_draft(h, year=year)
    assert draft.year == 2023


def test_year_messages_are_chinese_and_name_the_fix():
    from core.errors import ZhibiError
    from drafting.inputs import parse_year

    for bad in ("23", "", "abc", "1999", "20230", "2023.5", 2023.5, True):
        with pytest.raises(ZhibiError) as info:
            parse_year(bad)
        text = str(info.value)
        assert "例如" in text and "\n" not in text
        assert not any("a" <= c.lower() <= "z" for c in text.replace(str(bad), "")), text


def test_second_click_while_drafting_does_nothing(h, fake, monkeypatch):
    """A double click on 起草 starts one draft and saves one history entry."""
    import threading

    gate = threading.Event()
    original = fake.stream_draft

    def slow(*args, **kwargs):
        for ev in original(*args, **kwargs):
            gate.wait(5)
            yield ev

    monkeypatch.setattr(fake, "stream_draft", slow)
    first = h.draft(NOTES, "甲县交通运输局", 2024, "report", None, "browser:" + "a" * 32)
    next(first)  # the job is running
    second = list(h.draft(NOTES, "甲县交通运输局", 2024, "report", None, "browser:" + "a" * 32))
    assert second == []
    other = h.draft(NOTES, "乙县交通运输局", 2024, "report", None, "browser:" + "b" * 32)
    next(other)  # another owner is not blocked
    gate.set()
    *_, last = first
    assert last[3].unit == "甲县交通运输局"
    list(other)
    assert len(h.history.sessions(owner="browser:" + "a" * 32)) == 1
    assert len(h.history.sessions(owner="browser:" + "b" * 32)) == 1


def test_draft_finishes_and_is_found_after_the_page_goes_away(h, fake):
    """The page that started a draft is closed mid-stream; a new page of the same owner finds the result."""
    owner = "browser:" + "c" * 32
    gen = h.draft(NOTES, "甲县交通运输局", 2024, "report", None, owner)
    next(gen)
    gen.close()  # the page is gone (gradio stops iterating)
    deadline = time.monotonic() + 10
    while h.running_job(owner) is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    restored = h.restore(security.seal("c" * 32, h.secret))
    client, who, notes, unit, year, section, panel, chat, _, draft, sid, hist, _ = restored
    assert who == owner and notes == NOTES and unit == "甲县交通运输局" and year == "2024"
    assert (
        isinstance(draft, Draft)
        and "326件" in panel
        and "已恢复" in chat[-1]["content"]
        and "326件" in chat[1]["content"]
    )
    assert hist["value"] == sid and [c[1] for c in hist["choices"]] == [sid]
    # another browser sees none of it
    other = h.restore(security.seal("d" * 32, h.secret))
    assert other[1] == "browser:" + "d" * 32 and other[11]["choices"] == []
    assert isinstance(other[9], type(gr.skip()))
    # an id without the server's seal (made up, or copied from the page config) opens a fresh workspace
    forged = h.restore("c" * 32)
    assert forged[1] != owner and forged[11]["choices"] == []
    assert security.unseal(forged[0], h.secret) == forged[1].removeprefix("browser:")


def test_internal_error_is_logged_with_trace_and_the_chat_stays_usable(h, fake, monkeypatch, caplog):
    *_, (_, chat, _, draft, sid) = run_draft(h)

    def broken(current, message, engine="auto"):
        raise KeyError("chroma: Error finding id")

    monkeypatch.setattr(fake, "revise", broken)
    steps = []
    with caplog.at_level("ERROR", logger="zhibi.ui"), pytest.raises(gr.Error) as info:
        for step in h.revise("补充：全年办理行政复议案件5件", draft, sid, chat):
            steps.append(step)
    assert info.value.title == "出错了" and "内部错误" in info.value.message
    assert "chroma" not in info.value.message and "Error finding id" not in steps[-1][0][-1]["content"]
    assert "当前稿保持不变" in steps[-1][0][-1]["content"] and steps[-1][2] == "补充：全年办理行政复议案件5件"
    assert any(r.exc_info and "Error finding id" in str(r.exc_info[1]) for r in caplog.records)


def test_user_errors_have_chinese_titles_and_no_trace(h, caplog):
    with caplog.at_level("ERROR"), pytest.raises(gr.Error) as info:
        run_draft(h, notes="")
    assert info.value.title != "Error" and any("\u4e00" <= c <= "\u9fff" for c in info.value.title)
    assert info.value.print_exception is False and not caplog.records


def test_megabyte_of_notes_refused_fast(h, fake):
    started = time.perf_counter()
    with pytest.raises(gr.Error) as info:
        run_draft(h, "执法案件326件。" * 110_000)
    assert time.perf_counter() - started < 1.0
    assert f"{MAX_NOTES_CHARS:,}" in info.value.message
    assert fake.calls == [] and h.history.sessions() == []


def test_one_section_draft(h):
    *_, (md, _, _, draft, _) = run_draft(h, section="measures.disputes")
    assert draft.scope == "measures.disputes" and [s.key for s in draft.sections][1:] == ["measures.disputes"]


def test_regenerate_keeps_other_sections(h):
    *_, (_, chat, _, draft, sid) = run_draft(h)
    md, new, chat2, _, sid2, status = h.regenerate("measures.disputes", "换个开头", "", draft, sid, chat)
    assert sid2 == sid and "换个开头" in new.section("measures.disputes").text
    for key in ("preamble", "measures.enforcement", "measures.publicity"):
        assert new.section(key).text == draft.section(key).text
        assert new.section(key).citations == draft.section(key).citations
    assert [r.kind for r in h.history.drafts(sid)] == ["draft", "regenerate"]
    assert chat2[-2]["role"] == "user" and "换个开头" in chat2[-2]["content"]
    assert "换个开头" in md and "已重写" in status


def test_regenerate_with_edited_section_notes(h, fake):
    *_, (_, chat, _, draft, sid) = run_draft(h)
    assert h.section_notes(draft, "measures.disputes") == "复议应诉：行政复议案件5件"
    _, new, *_ = h.regenerate("measures.disputes", "", "复议应诉：行政复议案件6件", draft, sid, chat)
    assert (
        "复议应诉：行政复议案件6件" in new.section("measures.disputes").text
    )  # the stand-in echoes the lines


def test_regenerate_refuses_locked_unknown_and_missing(h):
    *_, (_, chat, _, draft, sid) = run_draft(h)
    _, locked, _, _ = h.set_locked("measures.disputes", True, draft, sid)
    assert locked.section("measures.disputes").locked
    with pytest.raises(gr.Error, match="锁定"):
        h.regenerate("measures.disputes", "", "", locked, sid, chat)
    with pytest.raises(gr.Error, match="没有"):
        h.regenerate("measures.nope", "", "", locked, sid, chat)
    with pytest.raises(gr.Error, match="还没有草稿"):
        h.regenerate("measures.disputes", "", "", None, None, [])
    kinds = [r.kind for r in h.history.drafts(sid)]
    assert kinds == ["draft", "edit"]  # the lock is saved


def test_revise_conversation(h):
    *_, (_, chat, _, draft, sid) = run_draft(h)
    steps = list(h.revise("补充：全年办理行政复议案件5件", draft, sid, chat))
    chat2, _, box, md, new, _ = steps[-1]
    assert box == "" and "行政复议案件5件" in md and "行政复议案件5件" in new.sections[1].text
    assert chat2[-2] == {"role": "user", "content": "<p>补充：全年办理行政复议案件5件</p>"}
    assert "已把补充内容写入" in chat2[-1]["content"]
    steps = list(h.revise("执法部分换个开头", new, sid, chat2))
    assert "需要配置大模型" in steps[-1][0][-1]["content"]
    assert [r.kind for r in h.history.drafts(sid)] == ["draft", "revise"]  # no change, no new version


def test_revise_without_draft_and_empty(h):
    steps = list(h.revise("第二部分再精简些", None, None, []))
    assert "还没有草稿" in steps[-1][0][-1]["content"]
    with pytest.raises(gr.Error):
        list(h.revise("   ", None, None, []))


def test_hand_edit_rechecks_and_saves(h, monkeypatch):
    *_, (_, _, _, draft, sid) = run_draft(h)
    checked = []
    monkeypatch.setattr(uh, "recheck", lambda ws, d: checked.append(d) or d)
    md, new, _, status = h.edit_section(
        "measures.publicity", "开展宣传活动12场，覆盖群众3000人次。", draft, sid
    )
    assert checked and new.section("measures.publicity").text == "开展宣传活动12场，覆盖群众3000人次。"
    assert draft.section("measures.publicity").text != new.section("measures.publicity").text  # state copied
    assert "3000人次" in md and "已保存" in status
    assert h.history.latest(sid).kind == "edit"
    with pytest.raises(gr.Error):
        h.edit_section("measures.publicity", "  ", new, sid)


def test_history_reopens_after_restart(h, fake, tmp_path):
    *_, (_, _, _, draft, sid) = run_draft(h)
    fresh = Handlers(fake, History(fake.settings.db_path), export_root=tmp_path / "exports2")  # a restart
    choices = fresh.history_update()["choices"]
    assert choices[0][1] == sid and "甲县交通运输局" in choices[0][0]
    notes, unit, year, section, md, chat, _, restored, sid2, versions = fresh.open_session(sid)
    assert (notes, unit, year, section, sid2) == (NOTES, "甲县交通运输局", "2024", "report", sid)
    with pytest.raises(gr.Error, match="不属于"):
        fresh.open_session(sid, "browser:" + "e" * 32)  # another browser cannot open it
    assert restored.to_json() == draft.to_json() and "326件" in md
    assert len(versions["choices"]) == 1
    md2, d2, _, _, _ = fresh.open_version(versions["choices"][0][1], chat)
    assert d2.to_json() == draft.to_json()


def test_panels_and_exports(h):
    from docx import Document

    *_, (_, _, _, draft, _) = run_draft(h)
    out = h.panels(draft, False, None)
    sources, checks, compare, plans, sec_dd, sec_text, locked, sec_notes, docx, md, txt, plain, hist = out
    assert "[1]" in sources and "zb-red" in checks and "逐字相同" in compare and "☑" in plans
    assert sec_dd["value"] == "measures.enforcement" and sec_text.startswith("执法")
    assert Path(docx).suffix == ".docx" and Path(md).suffix == ".md" and Path(txt).suffix == ".txt"
    body = "\n".join(p.text for p in Document(docx).paragraphs)
    assert "326件" in body and "甲县交通运输局" in Path(docx).name
    assert "[1]" in plain
    published = h.panels(draft, True, "measures.disputes")
    assert "[1]" not in published[11] and "发布稿" in Path(published[8]).name
    assert published[4]["value"] == "measures.disputes"
    assert h.panels(None, False, None)[8] is None


def test_notes_upload(h, tmp_path):
    good = tmp_path / "notes.txt"
    good.write_bytes("执法：处罚案件326件".encode("gbk"))
    assert h.read_notes_file(str(good), "已有一行") == "已有一行\n\n执法：处罚案件326件"
    binary = tmp_path / "notes.docx"
    binary.write_bytes(bytes(range(256)) * 50)
    with pytest.raises(gr.Error):
        h.read_notes_file(str(binary), "")
    pdf = tmp_path / "notes.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(gr.Error, match="只支持"):
        h.read_notes_file(str(pdf), "")
    big = tmp_path / "big.txt"
    big.write_text("案" * (MAX_NOTES_CHARS + 1), encoding="utf-8")
    with pytest.raises(gr.Error, match="上限"):
        h.read_notes_file(str(big), "")


def test_corpus_page(h, fake, tmp_path):
    rows, summary, titles = h.corpus_view()
    assert "<td>中华人民共和国行政处罚法</td><td>法律法规</td><td>2021</td>" in rows
    assert "行政复议法" in summary and titles["choices"] == ["中华人民共和国行政处罚法"]
    seen = []
    f = tmp_path / "规定.txt"
    f.write_text("第一条 测试。", encoding="utf-8")
    progress = lambda value, desc="", unit="": seen.append((value, desc, unit))  # noqa: E731
    *_, report = h.ingest([str(f)], "law", "", progress)
    assert fake.ingested == [str(f)] and seen == [((1, 1), "写入索引", "项")] and "新增 1 篇" in report
    assert h.corpus_line() == "语料库：1 篇文档，缺 1 个重点文件（见“语料库”页）"
    shown, question = h.ask_remove("中华人民共和国行政处罚法")  # asks first, deletes nothing
    assert shown["visible"] is True and "确定" in question and "40 个片段" in question
    *_, removed, hidden = h.remove_document("中华人民共和国行政处罚法")
    assert "7 个片段" in removed and hidden["visible"] is False
    with pytest.raises(gr.Error):
        h.ask_remove("没有这篇")
    with pytest.raises(gr.Error):
        h.ingest([], "", None)
    with pytest.raises(gr.Error):
        h.remove_document("")


HOOK_IDS = [
    "notes-input", "unit-input", "year-input", "section-select", "draft-button", "draft-output",
    "sources-panel", "checks-panel", "regenerate-button", "compare-panel", "export-docx-button",
]  # fmt: skip


def test_app_layout_hooks_and_defaults(fake, monkeypatch):
    from ui.app import build_app

    demo = build_app(fake)
    comps = {c["props"].get("elem_id"): c for c in demo.config["components"] if c["props"].get("elem_id")}
    assert set(HOOK_IDS) <= set(comps)
    assert comps["year-input"]["type"] == "textbox"  # 二〇二三 is a year too
    assert comps["year-input"]["props"]["value"] == str(uh.default_year())
    assert comps["section-select"]["props"]["value"] == "report"
    assert comps["draft-button"]["props"]["value"] == "起草"
    labels = [c["props"].get("label") for c in comps.values() if c["props"].get("label")]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in str(label)) for label in labels)
    assert demo.zhibi_handlers.history_update("browser:" + "f" * 32)["choices"] == []


def test_corpus_binary_upload_refused(h, fake, tmp_path, monkeypatch):
    from core.errors import ZhibiError

    def refuse(paths, **kwargs):
        raise ZhibiError("“scan.docx”不是文本文件", hint="请上传 .txt、.md、.docx 或 .html")

    monkeypatch.setattr(fake, "ingest", refuse)
    with pytest.raises(gr.Error, match="不是文本文件"):
        h.ingest([str(tmp_path / "scan.docx")], "", "", None)


def test_auth_parsing(tmp_path, monkeypatch):
    from core.errors import ZhibiError
    from ui.app import read_auth

    assert read_auth(None, None) is None
    with pytest.raises(ZhibiError, match="命令行"):
        read_auth("staff:pa:ss-long-enough", None)  # a password in argv is visible in the process list
    monkeypatch.setenv("ZHIBI_AUTH_PASSWORD", "pa:ss-long-enough")
    assert read_auth("staff", None).get("staff").secret == "pa:ss-long-enough"
    f = tmp_path / "users"
    f.write_text("# staff\na:pw-of-a-is-long\n\nb:pw-of-b-is-long\n", encoding="utf-8")
    accounts = read_auth(None, str(f))
    assert accounts.check("a", "pw-of-a-is-long") and not accounts.check("b", "pw-of-a-is-long")
    with pytest.raises(ZhibiError):
        read_auth(None, str(tmp_path / "missing"))


def said(message: dict) -> str:
    """Text of a chat message as gradio_client returns it (content is a list of typed parts)."""
    content = message["content"]
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if isinstance(part, dict))


# -- gradio_client against the live app -------------------------------------------------------------
@pytest.fixture(scope="module")
def live_app(ui_workspace):
    from ui.app import free_port, launch

    demo = launch(ui_workspace, "127.0.0.1", free_port(), prevent_thread_lock=True)
    yield f"http://127.0.0.1:{demo.server_port}/"
    demo.close()


def test_api_parameters_exactly(live_app):
    from gradio_client import Client

    api = Client(live_app, verbose=False).view_api(return_format="dict", print_info=False)
    params = {
        name: [p["parameter_name"] for p in ep["parameters"]] for name, ep in api["named_endpoints"].items()
    }
    assert params["/draft"] == ["notes", "unit", "year", "section"]
    assert params["/regenerate"] == ["key", "instruction", "notes"]
    assert params["/revise"] == ["message"]
    draft = api["named_endpoints"]["/draft"]
    assert [p["component"] for p in draft["parameters"]] == ["Textbox", "Textbox", "Textbox", "Dropdown"]
    assert draft["parameters"][3]["parameter_default"] == "report"
    assert draft["returns"][0]["component"] == "Html"
    assert params["/history"] == []
    assert params["/move_lines"] == ["rows", "key"]  # the placement table's move (rows of draft.placement)
    assert params["/confirm_pending"] == ["item", "key"]  # 待确认: write one waiting clause into a part
    # hidden state and UI plumbing stay private
    assert params["/export"] == ["publish"]  # the current draft as .docx
    assert set(params) == {
        "/draft", "/regenerate", "/revise", "/history", "/move_lines", "/confirm_pending", "/export"
    }  # fmt: skip


def test_api_draft_then_regenerate(live_app):
    from gradio_client import Client

    client = Client(live_app, verbose=False)
    text, chat = client.predict(NOTES, "甲县交通运输局", 2024, "report", api_name="/draft")
    assert "326" in text and "甲县交通运输局" in text and chat[-1]["role"] == "assistant"
    regenerated = client.predict("measures.publicity", "换个开头", "", api_name="/regenerate")[0]
    assert "326" in regenerated  # other sections stay
    one = client.predict(NOTES, "甲县交通运输局", 2024, "measures.enforcement", api_name="/draft")[0]
    assert "326" in one
    docx = client.predict(True, api_name="/export")
    assert str(docx).endswith("（发布稿）.docx") and Path(docx).stat().st_size > 5000


def test_api_errors_are_clear(live_app):
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    client = Client(live_app, verbose=False)
    with pytest.raises(AppError, match="笔记"):
        client.predict("", "甲县", 2024, "report", api_name="/draft")
    with pytest.raises(AppError, match="200,000"):
        client.predict("案" * 1_000_000, "甲县", 2024, "report", api_name="/draft")
    with pytest.raises(AppError, match="未知的章节"):
        client.predict(NOTES, "甲县", 2024, "measures.nope", api_name="/draft")
    text = client.predict(NOTES, "甲县交通运输局", 2024, "report", api_name="/draft")[0]
    assert "326" in text  # still serving


def test_api_revise_follow_ups(live_app):
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    client = Client(live_app, verbose=False)
    client.predict(NOTES, "甲县交通运输局", 2024, "report", api_name="/draft")
    chat, box, text = client.predict("补充：全年办理行政复议案件7件", api_name="/revise")
    assert "行政复议案件7件" in text and box == ""
    assert "补充：全年办理行政复议案件7件" in said(chat[-2]) and chat[-1]["role"] == "assistant"
    with pytest.raises(AppError, match="哪一部分"):
        client.predict("你好", api_name="/revise")


def test_llm_endpoint_down_is_reported(live_app, ui_workspace):
    from dataclasses import replace

    from gradio_client import Client

    from ui.app import free_port

    saved = ui_workspace.settings
    dead = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    ui_workspace.settings = replace(saved, llm_base_url=dead, llm_api_key="k", llm_retries=0, llm_timeout=3)
    try:
        text, chat = Client(live_app, verbose=False).predict(
            NOTES, "甲县交通运输局", 2024, "measures.enforcement", api_name="/draft"
        )
    finally:
        ui_workspace.settings = saved
    assert "326" in text  # the offline engine stood in
    assert "大模型接口不可用" in said(chat[-1])


def test_ten_sessions_draft_at_once(live_app):
    from gradio_client import Client

    units = [f"第{n}县交通运输局" for n in range(10)]

    def one(unit: str) -> tuple[str, str]:
        # 60 s per request: ten sessions opening at once stall gradio's event loop for seconds on a busy
        # 2-core machine (main shows the same), longer than httpx's 5 s default.
        client = Client(live_app, verbose=False, httpx_kwargs={"timeout": 60})
        notes = NOTES + f"\n组织领导：{unit}召开专题会议{len(unit)}次"
        return unit, client.predict(notes, unit, 2024, "report", api_name="/draft")[0]

    with cf.ThreadPoolExecutor(10) as pool:
        results = list(pool.map(one, units))
    assert len(results) == 10
    for unit, text in results:
        assert unit in text and "326" in text
        others = [u for u in units if u != unit]
        assert not any(o in text for o in others)


def test_zhibi_serve_prints_address_and_stops(tmp_path):
    """`zhibi serve` on an empty home: warms up, binds 127.0.0.1, prints the address, stops on SIGTERM."""
    import os
    import signal
    import subprocess
    import sys
    import urllib.request

    from ui.app import free_port

    port = free_port()
    env = {
        **os.environ,
        "ZHIBI_HOME": str(tmp_path / "home"),
        "ZHIBI_LLM_BASE_URL": "",
        "OPENAI_BASE_URL": "",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        lines = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "执笔已启动" in line:
                break
        assert any(f"http://127.0.0.1:{port}/" in line for line in lines), lines
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/config", timeout=10) as resp:
            assert resp.status == 200 and "draft-button" in resp.read().decode("utf-8")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0


# -- locks on every path (the real pipeline, offline) ------------------------------------------------
LOCK_NOTES = (
    "执法：全年办理行政处罚案件326件，罚没款218.6万元\n"
    "普法：开展“八五”普法宣传活动12场\n"
    "复议应诉：行政复议案件5件，无败诉"
)
LOCKED_TEXT = "全年办理行政处罚案件1856件，案卷评查合格率100%，经手工核对后定稿。"


def test_lock_survives_fresh_draft_regeneration_and_follow_up(ui_workspace):
    from core.errors import ZhibiError

    ws = ui_workspace
    key = "measures.enforcement"
    first = ws.draft(LOCK_NOTES, unit="甲县交通运输局", year=2024)
    locked = Draft.from_json(first.to_json())
    locked.notes = first.notes
    locked.section(key).text = LOCKED_TEXT
    locked.section(key).locked = True

    # a fresh draft over it, with changed notes (326件 → 330件)
    events = list(
        ws.stream_draft(LOCK_NOTES.replace("326件", "330件"), unit="甲县交通运输局", year=2024, keep=locked)
    )
    fresh = events[-1].draft
    assert fresh.section(key).text == LOCKED_TEXT and fresh.section(key).locked
    assert "330件" not in fresh.section(key).text
    assert "12场" in fresh.section("measures.publicity").text  # the other sections were drafted anew

    # a regeneration of another section
    regenerated = ws.regenerate(fresh, "measures.publicity", instruction="换个开头")
    assert regenerated.section(key).text == LOCKED_TEXT and regenerated.section(key).locked

    # follow-ups that name the locked section are refused saying why; one over its whole part keeps it
    answered = 0
    for message in ("执法部分再精简些", "补充：执法：全年开展专项整治行动9次", "第一部分再精简些"):
        try:
            revised, reply = ws.revise(regenerated, message)
        except ZhibiError as exc:
            assert "锁定" in str(exc), message
            continue
        answered += 1
        assert revised.section(key).text == LOCKED_TEXT and revised.section(key).locked, message
    assert answered >= 1

    # a restore from history keeps the lock
    history = History(ws.settings.db_path)
    sid = history.start_session("甲县交通运输局", 2024, LOCK_NOTES, owner="user:lock")
    did = history.save_draft(sid, "edit", fresh)
    restored = history.draft(did, owner="user:lock").draft
    assert restored.section(key).locked and restored.section(key).text == LOCKED_TEXT


def test_sources_follow_the_text(ui_workspace):
    """Every listed source is cited, numbered in reading order, one per article."""
    from drafting.citations import article_key
    from drafting.text.numbers import CITATION

    d = ui_workspace.draft(LOCK_NOTES, unit="甲县交通运输局", year=2024)
    cited = []
    for s in d.sections:
        for n in CITATION.findall(s.text):
            if int(n) not in cited:
                cited.append(int(n))
    assert [s.id for s in d.sources] == cited == list(range(1, len(cited) + 1))
    keys = [article_key(s) for s in d.sources]
    assert len(keys) == len(set(keys))


def test_two_accounts_see_only_their_own_history(ui_workspace):
    """Under --auth-file, each account's drafts, follow-ups and history are its own (issue 10, point 2)."""
    from gradio_client import Client

    from ui.app import free_port, launch

    demo = launch(
        ui_workspace, "127.0.0.1", free_port(), [("anna", "pw-a"), ("bo", "pw-b")], prevent_thread_lock=True
    )
    url = f"http://127.0.0.1:{demo.server_port}/"
    try:
        anna = Client(url, auth=("anna", "pw-a"), verbose=False)
        bo = Client(url, auth=("bo", "pw-b"), verbose=False)
        text, _ = anna.predict(NOTES, "安娜县交通运输局", 2024, "report", api_name="/draft")
        assert "安娜县交通运输局" in text
        # bo has drafted nothing: a follow-up finds no draft, and never anna's
        chat, _, shown = bo.predict("补充：全年办理行政复议案件5件", api_name="/revise")
        assert (
            "还没有草稿" in said(chat[-1]) and "安娜县" not in said(chat[-1]) and "安娜县" not in str(shown)
        )
        bo.predict(NOTES, "波县交通运输局", 2024, "report", api_name="/draft")
        mine = anna.predict(api_name="/history")
        theirs = bo.predict(api_name="/history")
        assert mine and {s["unit"] for s in mine} == {"安娜县交通运输局"}
        assert theirs and {s["unit"] for s in theirs} == {"波县交通运输局"}
        assert not {s["id"] for s in mine} & {s["id"] for s in theirs}
        # a second connection of the same account sees the same history
        again = Client(url, auth=("anna", "pw-a"), verbose=False).predict(api_name="/history")
        assert [s["id"] for s in again] == [s["id"] for s in mine]
    finally:
        demo.close()
