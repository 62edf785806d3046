import networkx as nx
import numpy as np
import pytest
from scipy.stats import chi2_contingency

from policynlp import Corpus, Document, Segmenter
from policynlp.errors import ParameterError
from policynlp.keywords import _pagerank, keyness, kwic, term_trends, textrank_keywords, tfidf_keywords
from tests.conftest import TOURISM

BOILERPLATE = "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：现将有关事项通知如下，请认真贯彻执行。"
TEXTS = {
    "tour": BOILERPLATE + TOURISM + "建设智慧旅游景区，推广电子门票和景区客流监测，推动旅游服务智能化。",
    "health": BOILERPLATE + "推进健康医疗大数据应用，建设全民健康信息平台，推动电子病历和电子健康档案共享，发展远程医疗。",
    "traffic": BOILERPLATE + "推进城市公共交通智能化应用示范工程，建设公交智能调度系统，推广交通一卡通互联互通。",
}


@pytest.fixture(scope="module")
def small():
    corpus = Corpus([Document(k, title=k, text=v, date=str(2014 + i)) for i, (k, v) in enumerate(TEXTS.items())])
    return corpus, Segmenter().segment(corpus)


def test_tfidf_keywords_of_a_tourism_document_are_tourism_terms(small):
    _, tokens = small
    kw = tfidf_keywords(tokens, top_n=5)
    tour = kw[kw.group == "tour"].term.tolist()
    assert {"旅游", "景区", "智慧旅游"} <= set(tour)
    for boiler in ("自治区", "直辖市", "人民政府", "各部委", "通知", "贯彻执行"):
        assert boiler not in kw.term.tolist()
    assert kw.columns.tolist()[:4] == ["group", "term", "score", "rank"]
    assert kw.attrs["provenance"]["step"] == "keywords.tfidf"
    assert kw.attrs["provenance"]["input"]["fingerprint"] == tokens.attrs["provenance"]["fingerprint"]


def test_tfidf_by_group_and_bad_column(small, demo_corpus):
    tokens = Segmenter().segment(demo_corpus)
    kw = tfidf_keywords(tokens, demo_corpus, by="year", top_n=3)
    assert sorted(kw.group.unique()) == [2012, 2013, 2014, 2015, 2016, 2021, 2022, 2024]
    assert kw[kw.group == 2015].term.iloc[0] == "旅游"
    with pytest.raises(ParameterError, match="by='province' is not a metadata column"):
        tfidf_keywords(tokens, demo_corpus, by="province")
    with pytest.raises(ParameterError, match="pass meta=corpus"):
        tfidf_keywords(tokens, by="year")


def test_numbers_and_document_numbers_never_surface():
    corpus = Corpus([Document("a", text="根据国发〔2013〕7号，2014年8月到2020年建成100个智慧城市试点，增长12.5%。"),
                     Document("b", text="《关于促进智慧城市健康发展的指导意见》提出建设智慧社区。")])
    kw = tfidf_keywords(Segmenter(dates="keep", numbers=True).segment(corpus), top_n=50)
    for term in kw.term:
        assert not any(ch.isdigit() for ch in term) and "《" not in term, term


def test_textrank_matches_networkx_pagerank(small):
    _, tokens = small
    kw = textrank_keywords(tokens, top_n=3, window=3)
    assert "旅游" in kw[kw.group == "tour"].term.tolist()
    # our sparse PageRank agrees with networkx on a weighted graph
    g = nx.Graph()
    g.add_weighted_edges_from([(0, 1, 2.0), (1, 2, 1.0), (2, 0, 1.0), (2, 3, 3.0)])
    adj = nx.to_scipy_sparse_array(g, nodelist=[0, 1, 2, 3], weight="weight")
    ours = _pagerank(adj.tocsr().astype(float))
    ref = nx.pagerank(g, weight="weight", tol=1e-12)
    np.testing.assert_allclose(ours, [ref[i] for i in range(4)], atol=1e-8)


def _planted():
    a = "加快推进智慧交通建设，发展智能公交和智慧停车，完善交通信息服务。"
    b = "加快推进智慧医疗建设，发展远程医疗和电子病历，完善医疗信息服务。"
    docs = [Document(f"a{i}", text=a, region="东部") for i in range(6)] + [Document(f"b{i}", text=b, region="西部") for i in range(6)]
    return Corpus(docs)


def test_keyness_finds_the_planted_difference_and_chi2_is_right():
    corpus = _planted()
    tokens = Segmenter().segment(corpus)
    k = keyness(tokens, corpus, by="region", top_n=5)
    east = k[k.group == "东部"]
    west = k[k.group == "西部"]
    assert {"智慧交通", "交通"} <= set(east.term) and "医疗" in set(west.term)
    assert not set(east.term) & {"加快", "推进", "建设", "完善", "信息服务"}
    row = east[east.term == "交通"].iloc[0]
    n_a, n_b = tokens.tokens.iloc[:6].map(len).sum(), tokens.tokens.iloc[6:].map(len).sum()
    table = [[row["count"], row["count_other"]], [n_a - row["count"], n_b - row["count_other"]]]
    chi2, p, *_ = chi2_contingency(table, correction=False)
    assert row["chi2"] == pytest.approx(chi2) and row["p_value"] == pytest.approx(p)
    assert row["log_ratio"] > 3 and row["score"] > 0


def test_keyness_groups_argument_errors(demo_corpus):
    tokens = Segmenter().segment(demo_corpus)
    with pytest.raises(ParameterError, match="has 8 values"):
        keyness(tokens, demo_corpus, by="year")
    with pytest.raises(ParameterError, match="has no documents"):
        keyness(tokens, demo_corpus, by="year", groups=(2012, 1999))
    k = keyness(tokens, demo_corpus, by="year", groups={"early": [2012, 2013, 2014], "late": [2015, 2016]}, top_n=3)
    assert list(dict.fromkeys(k.group)) == ["early", "late"]


def test_term_trends_per_10k_tokens(small):
    corpus, tokens = small
    tr = term_trends(tokens, corpus, ["旅游", "交通"])
    row = tr[(tr.group == 2014) & (tr.term == "旅游")].iloc[0]
    n = len([t for t in tokens.tokens.iloc[0] if len(t) >= 2 and not t.isdigit()])
    assert row["tokens"] == n and row["rate"] == pytest.approx(row["count"] / n * 1e4)
    assert tr[(tr.group == 2016) & (tr.term == "旅游")]["count"].iloc[0] == 0


def test_kwic_links_hits_to_document_title_and_clause():
    text = "为推进建设，制定本方案。\n一、主要任务\n（一）发展智慧旅游。推动智慧旅游景区建设。\n二、保障措施\n加强组织。"
    corpus = Corpus([Document("d1", title="关于促进智慧旅游发展的指导意见", text=text)])
    hits = kwic(corpus, "智慧旅游", window=4)
    assert hits[["id", "path", "left", "right"]].values.tolist() == [
        ["d1", "一、/（一）", "一）发展", "。推动智"], ["d1", "一、/（一）", "游。推动", "景区建设"]]
    assert (hits.title == "关于促进智慧旅游发展的指导意见").all()
    assert kwic(corpus, "不存在的词").empty
