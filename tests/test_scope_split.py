"""Which lines a one-section draft takes: a whole year's notes give it only its own lines, however they are cut."""

from __future__ import annotations

from core.config import DEFAULT_OUTLINE
from drafting.notes import parse_notes
from drafting.outline import load_outline
from drafting.plan import split_scope

# A whole year's notes of a water bureau: four of ten lines are enforcement (more than a third of the pieces
# the reader cuts them into, no more than two fifths of the lines).
WHOLE_YEAR = """局党组专题研究法治建设工作3次，主要负责人年底述法1次。
局党组理论学习中心组集体学法5次；组织执法人员参加法律知识培训2期，参训46人次。
开展河道采砂专项执法检查18次，立案查处非法采砂案件7起。
办理水行政处罚案件12件，罚款23.6万元。
执法人员持证上岗率100%，执法记录仪配备26台。
双随机抽查取水户40户，抽查结果全部公示。
制定《河湖管护巡查办法》1件，清理规范性文件4件。
受理行政复议1件，已审结维持；调处水事纠纷9起，其中跨村纠纷3起。
“世界水日”“中国水周”期间发放宣传资料3000余份。
对水库管理单位开展防汛检查6次，排查隐患11处。
"""


def test_a_whole_years_notes_give_a_one_section_draft_only_its_own_lines() -> None:
    outline = load_outline(DEFAULT_OUTLINE)
    parsed = parse_notes(WHOLE_YEAR, outline, year=2026)
    mine, others = split_scope(outline, parsed.facts, "measures.enforcement")
    told = "".join(f.text for f in mine)
    for elsewhere in ("参训46人次", "3000余份", "水事纠纷9起", "述法1次"):
        assert elsewhere not in told, told
    assert "立案查处非法采砂案件7起" in told and "双随机抽查取水户40户" in told
