"""Units of analysis: paragraphs from the layout (or from clauses when the layout is lost), clauses, sentences."""

import pytest

from policynlp import Segmenter, TopicModel
from policynlp.errors import ParameterError
from policynlp.lexicon import load_stopwords
from policynlp.text.units import split_units, units_frame

# A notice as pages carry it: hard-wrapped lines, blank lines between paragraphs, numbered headings.
NOTICE = (
    "国务院办公厅关于促进平台经济规范健康发展的指导意见\n\n"
    "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n\n"
    "互联网平台经济是生产力新的组织方式，是经济发展新动能，对优化资源配置、促进跨界融通发展和大众创业万众创新、\n"
    "推动产业升级、拓展消费市场尤其是增加就业，都有重要作用。\n\n"
    "一、优化完善市场准入条件，降低企业合规成本\n"
    "（一）推进平台经济相关市场主体登记注册便利化。放宽住所（经营场所）登记条件，经营者通过电子商务类平台开展经营活动的，\n"
    "可以使用平台提供的网络经营场所申请个体工商户登记。\n\n"
    "（二）合理设置行业准入规定和许可。放宽融合性产品和服务准入限制，只要不违反法律法规，均应允许相关市场主体进入。\n\n"
    "国务院办公厅\n2019年8月1日\n"
)


def test_paragraphs_follow_the_layout_and_rejoin_wrapped_lines():
    units = split_units(NOTICE, "paragraph")
    texts = [u.text for u in units]
    # the wrapped sentence is one paragraph again; offsets give back the text
    assert any(t.startswith("互联网平台经济") and t.endswith("都有重要作用。") for t in texts)
    assert all(NOTICE[u.start:u.end] == u.text for u in units)
    # the heading 一、… (shorter than min_chars) stays with the paragraph it heads, which sits in 一、/（一）
    first = next(u for u in units if u.text.startswith("一、"))
    assert "（一）推进平台经济" in first.text and first.path == "一、"
    second = next(u for u in units if u.text.startswith("（二）"))
    assert second.path == "一、/（二）"
    # the signature block (two short lines) joins the unit before it at the end of the document
    assert units[-1].text.endswith("2019年8月1日")


def test_paragraphs_of_a_page_that_lost_its_line_breaks_come_from_clauses_and_sentences():
    flat = NOTICE.replace("\n", "")
    units = split_units(flat, "paragraph", max_chars=60)
    assert len(units) >= 4
    # a unit over max_chars is one sentence, or a sentence run plus a short tail (the signature) merged in
    assert all(len(u.text) <= 60 + 20 or "。" not in u.text[:-1] for u in units)
    assert any(u.text.startswith("（二）合理设置") for u in units)
    assert "".join(u.text for u in units) == flat.strip()


def test_clauses_sentences_and_documents():
    clauses = split_units(NOTICE, "clause", min_chars=1)
    assert [u.path for u in clauses][-2:] == ["一、", "一、/（二）"]  # the bare heading 一、… opens the clause after it
    sents = split_units(NOTICE, "sentence", min_chars=1)
    assert "放宽住所（经营场所）登记条件，经营者通过电子商务类平台开展经营活动的，\n可以使用平台提供的网络经营场所申请个体工商户登记。" in [u.text for u in sents]
    assert [u.text for u in split_units(NOTICE, "document")] == [NOTICE.strip()]
    assert split_units(" \n\u3000", "paragraph") == []
    with pytest.raises(ParameterError, match="unit"):
        split_units(NOTICE, "page")
    with pytest.raises(ParameterError, match="max_chars"):
        split_units(NOTICE, max_chars=5)


def test_unit_tokens_carry_their_document_and_topics_aggregate_back():
    other = "关于加快推进城市燃气管道老化更新改造工作的通知\n\n" + "\n\n".join(
        ["各地要全面摸清城市燃气管道和设施底数，建立更新改造台账。"] * 3 + ["城市燃气管道老化更新改造资金由企业和政府合理共担。"] * 3
    )
    frame = units_frame(
        __import__("pandas").DataFrame({"id": ["platform", "gas"], "text": [NOTICE, other]}), "paragraph"
    )
    assert set(frame["document"]) == {"platform", "gas"}
    assert frame["id"].tolist()[0] == "platform#1"
    tokens = Segmenter().segment(frame)
    assert tokens["document"].tolist() == frame["document"].tolist()
    tm = TopicModel(2, min_df=1, max_df=1.0, random_state=0).fit(tokens)
    docs = tm.doc_topics()
    assert docs.index.tolist() == ["platform", "gas"]
    assert docs.sum(axis=1).round(6).tolist() == [1.0, 1.0]
    # a document's share is its units' shares weighted by their modelled terms
    units = tm.unit_topics()
    gas = units[units.document == "gas"]
    w = tm.unit_lengths_[units.document.to_numpy() == "gas"]
    assert docs.loc["gas"].iloc[0] == pytest.approx((gas.iloc[:, 2] * w).sum() / w.sum())
    passages = tm.passages(frame, top_n=1, min_terms=3)
    assert len(passages) == 2 and passages["text"].notna().all()
    assert set(passages["path"].dropna()) <= set(frame["path"])


def test_administrative_verbs_are_a_tier_kept_out_of_topic_terms():
    admin = load_stopwords("admin")
    assert {"加强", "推进", "开展", "完善"} <= admin
    assert not admin & {"智慧城市", "数据要素", "大气污染防治"}
    assert not admin & load_stopwords("policy")  # segmentation output keeps them
    tokens = Segmenter().segment(["加强大气污染防治，推进监测。", "加强水污染防治，推进治理。"] * 3)
    assert "加强" in tokens.tokens[0]
    vocab = TopicModel(2, min_df=1, max_df=1.0).fit(tokens).vectorizer_.vocabulary_
    assert "加强" not in vocab and "大气污染防治" in vocab
    assert "加强" in TopicModel(2, min_df=1, max_df=1.0, stopwords=None).fit(tokens).vectorizer_.vocabulary_


def test_keywords_of_unit_tokens_are_per_document():
    from policynlp import load_demo
    from policynlp.keywords import term_trends, textrank_keywords, tfidf_keywords

    corpus = load_demo()
    units = units_frame(corpus, "sentence")
    tokens = Segmenter().segment(units)
    assert len(tokens) > len(corpus)
    kw = tfidf_keywords(tokens, top_n=3)
    assert set(kw["group"]) == set(corpus.ids)  # paragraphs pool into their document
    assert kw[kw.group == "sc-tourism-2015"].term.iloc[0] == "旅游"
    by_year = textrank_keywords(tokens, corpus, by="year", top_n=3)
    assert set(by_year["group"]) == set(corpus.meta["year"].dropna().astype(int))
    trends = term_trends(tokens, corpus, ["智慧城市"])
    whole = term_trends(Segmenter().segment(corpus), corpus, ["智慧城市"])
    assert trends["count"].tolist() == whole["count"].tolist()  # the same words, counted by sentence
