from hypothesis import given
from hypothesis import strategies as st

from policynlp.text import parse_structure, split_sentences

NOTICE = """关于促进智慧城市健康发展的指导意见
为规范和推动智慧城市健康发展，提出以下意见。
一、总体要求
（一）指导思想。坚持以人为本、务实推进。
（二）基本原则。
1.以人为本。
2.因地制宜。
二、主要任务
（一）科学制定顶层设计。
（三）推动信息资源共享。
三、保障措施
加强组织领导。"""

REGULATION = """# 城市公共交通条例

## 第一章 总则

第一条 为了规范城市公共交通，制定本条例。

第二条 本条例适用于城市公共交通。城市公共交通包括：

(一)公共汽车；

(二)城市轨道交通。

## 第二章 规划与建设

第三条 城市人民政府应当编制城市公共交通规划。
"""


def test_numbered_hierarchy_of_a_notice():
    df = parse_structure(NOTICE, doc_id="d1")
    assert df["path"].tolist() == [
        "", "一、", "一、/（一）", "一、/（二）", "一、/（二）/1.", "一、/（二）/2.", "二、", "二、/（一）", "二、/（三）", "三、",
    ]
    assert df.loc[1, "heading"] == "总体要求"
    assert (df["id"] == "d1").all()
    # offsets point into the text
    for row in df.itertuples():
        assert NOTICE[row.start : row.end].strip() == row.text


def test_skipped_and_duplicated_numbering_does_not_break_nesting():
    # （二） is missing under 二、 and （一） appears twice under 一、
    text = "一、甲\n（一）乙\n（一）丙\n二、丁\n（三）戊\n三、己"
    df = parse_structure(text)
    assert df["level"].tolist() == [1, 2, 2, 1, 2, 1]
    assert df["path"].tolist()[-2:] == ["二、/（三）", "三、"]


def test_chapters_articles_and_items_of_a_regulation():
    df = parse_structure(REGULATION)
    arts = df[df["kind"] == "article"]
    assert arts["path"].tolist() == ["第一章/第一条", "第一章/第二条", "第二章/第三条"]
    items = df[df["kind"] == "paren_cn"]
    assert items["path"].tolist() == ["第一章/第二条/(一)", "第一章/第二条/(二)"]


def test_markers_inside_run_on_text_without_line_breaks():
    text = "各地要认真落实。一、加强领导。二、完善机制。（一）建立协调机制。"
    df = parse_structure(text)
    assert df["marker"].tolist() == ["", "一、", "二、", "（一）"]


def test_numbers_inside_sentences_are_not_markers():
    df = parse_structure("增长12.5%，到2020年建成1.5万个示范点，统一、规范管理。")
    assert len(df) == 1 and df.loc[0, "level"] == 0


def test_sentences_with_clause_paths_and_offsets():
    df = parse_structure(NOTICE, unit="sentence")
    row = df[df["text"] == "坚持以人为本、务实推进。"].iloc[0]
    assert row["path"] == "一、/（一）"
    assert NOTICE[row["start"] : row["end"]] == row["text"]


def test_split_sentences_keeps_closing_quotes():
    assert [s for *_, s in split_sentences("提出“建设智慧城市。”再推进试点！最后；")] == ["提出“建设智慧城市。”", "再推进试点！", "最后；"]


@given(st.text(alphabet=st.sampled_from(list("一二三、（）()1.第章条节智慧城市。；\n 十")), max_size=300))
def test_parse_structure_never_crashes_and_covers_text(text):
    clauses = parse_structure(text)
    sents = parse_structure(text, unit="sentence")
    assert (clauses["start"] <= clauses["end"]).all()
    for s in sents.itertuples():
        assert text[s.start : s.end] == s.text
    # sentences partition the text: nothing but whitespace is lost
    assert "".join("".join(sents["text"]).split()) == "".join(text.split())
