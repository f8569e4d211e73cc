"""Names jieba splits and tags as other words still leave the text, in other bureaus' words."""

from __future__ import annotations

import pytest

from drafting.text.names import without_names


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("谭劲松：全年查处滥伐林木案件12件", "：全年查处滥伐林木案件12件"),  # 谭/zg + 劲松
        ("水政监察大队\t罗建军\t全年", "水政监察大队\t\t全年"),  # 罗/j, ended by a tab
        ("气象台\t蒙志远\t全年", "气象台\t\t全年"),  # 蒙/v + 志远/nrfg
        ("孟建国插话：防雷检查要写上", "插话：防雷检查要写上"),  # ended by what the speaker does
    ],
)
def test_split_names_leave(text: str, kept: str) -> None:
    assert without_names(text) == kept


@pytest.mark.parametrize("text", ["向志强汇报", "建国以来水利执法", "分别开展执法检查12次", "严格执法"])
def test_words_stay(text: str) -> None:
    assert without_names(text) == text
