"""Drafts of other bureaus' notes (bench/prose_notes) keep what a user needs, whatever the wording.

Every counted figure is kept, in a sentence that names its subject; no spoken-register word is left; every
sentence has a predicate; nothing of the notes' own wrapping (【…】 labels, chat speakers) is pasted in.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from prose_properties import figures_lost_or_parted, has_predicate, sentences, spoken_left

NOTES = sorted((Path(__file__).resolve().parents[1] / "bench" / "prose_notes").glob("*.toml"))


@pytest.fixture(scope="module")
def empty_workspace(tmp_path_factory):
    from core.config import resolve_settings
    from zhibi.api import Workspace

    return Workspace(resolve_settings(home=tmp_path_factory.mktemp("prose-home")))


@pytest.mark.parametrize("path", NOTES, ids=[p.stem for p in NOTES])
def test_offline_draft_of_other_bureaus_notes(path, empty_workspace):
    case = tomllib.loads(path.read_text(encoding="utf-8"))
    year = int(case["year"])
    d = empty_workspace.draft(case["notes"], unit=case["unit"], year=year, engine="offline")
    text = "\n".join(s.text for s in d.sections if not s.text.startswith("【待补充"))
    # Every figure is in the text or waits in 待确认 (a line whose part the reader cannot tell is asked about).
    waiting = "\n".join(c.text for c in d.pending)
    assert not figures_lost_or_parted(case["notes"], text + "\n" + waiting, year)
    assert not spoken_left(text)
    assert [s for s in sentences(text) if not has_predicate(s) and "【" not in s] == []
    labels = set(re.findall(r"【[^】]+】", case["notes"]))
    assert not [w for w in labels if w in text]


def test_prose_problems_find_what_a_user_would_notice():
    from prose_properties import doubled_verbs, prose_problems, wrapping_left

    notes = "张科长：全年查处案件12起\n**宣传**：发放资料800份"
    assert not prose_problems(notes, "全年查处案件12起，发放宣传资料800份。")
    assert prose_problems(notes, "全年查处案件，发放资料800份。")  # 12起 lost
    assert prose_problems(notes, "全年查处12起。发放资料800份，案件较多。")  # 12起 parted from 案件
    assert prose_problems(notes, "全年罚了案件12起，发放资料800份。")  # spoken
    assert wrapping_left(notes, "张科长：全年查处案件12起。**宣传**：发放资料800份。") == [
        "**",
        "**",
        "张科长",
    ]
    assert wrapping_left("", "1. 开展检查3次。") == ["1."]
    assert doubled_verbs("开展开展专项检查3次") and not doubled_verbs("开展专项检查3次")
    assert prose_problems("", "开展检查。档案库房和电子证照。")  # a sentence without a predicate
