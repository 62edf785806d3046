"""Term discovery (新词发现) on real policy prose: it finds the field's terms, not fragments or phrases."""

from pathlib import Path

import pytest

from policynlp import Segmenter
from policynlp.discover import discover_terms
from policynlp.errors import ParameterError

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpora"

# Sentences in the style of provincial implementation plans, each with 跨省通办 or 首台套 in a different
# context; the other words vary, so only the two terms recur with many neighbours on both sides.
CONTEXTS = [
    ("推动", "事项清单全面落地。"), ("深化", "改革，方便企业群众。"), ("实现", "与一网通办衔接。"),
    ("扩大", "覆盖范围至社保医保。"), ("完善", "工作机制和标准规范。"), ("总结", "典型经验并推广。"),
    ("探索", "线上线下融合办理。"), ("落实", "首批高频事项。"),
]
TEXTS = ([f"各地要{a}跨省通办{b}" for a, b in CONTEXTS]
         + [f"各地要{a}首台套{b}" for a, b in CONTEXTS]
         + ["政务服务中心设立综合窗口，统一受理企业和群众申请。", "加强数据共享，减少重复提交材料。"])


def test_terms_the_dictionary_splits_are_found_with_their_statistics():
    assert "跨省通办" not in Segmenter(lexicon=None).cut("推动跨省通办")  # jieba alone splits it
    found = discover_terms(TEXTS, min_pmi=2.0)
    assert {"跨省通办", "首台套"} <= set(found["term"])
    row = found.set_index("term").loc["跨省通办"]
    assert row["count"] == 8 and row["left_entropy"] == pytest.approx(3.0) and row["right_entropy"] > 2.5
    # fragments of a found term (跨省通, 省通办) and phrases around it (要跨省通办) are not terms
    assert not set(found["term"]) & {"跨省通", "省通办", "要跨省通办", "各地要"}
    assert found["score"].is_monotonic_decreasing
    # the same input gives the same table
    assert discover_terms(TEXTS, min_pmi=2.0).equals(found)


def test_known_words_are_not_new_and_arguments_are_checked():
    assert "跨省通办" not in set(discover_terms(TEXTS, min_pmi=2.0, known={"跨省通办"})["term"])
    with pytest.raises(ParameterError, match="min_count"):
        discover_terms(TEXTS, min_count=1)
    with pytest.raises(ParameterError, match="single string"):
        discover_terms("跨省通办")


@pytest.mark.slow
@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpora is not present")
def test_ministry_corpus_yields_its_own_vocabulary():
    from policynlp import read_corpus

    corpus = read_corpus(SHARED / "mee_2018_2023.jsonl", progress=False)
    top = discover_terms(corpus, top_n=60)
    terms = set(top["term"])
    # environmental-policy terms that jieba's dictionary does not have
    assert {"排污许可证", "生态保护红线", "气候投融资", "减污降碳", "挥发性有机物"} <= terms
    # no article numbers, list markers or template clauses repeated between commas
    assert not [t for t in terms if t.startswith(("第", "一是", "二是")) or t in {"加大工作力度", "限期完成整改"}]
