import math

import networkx as nx
import pandas as pd
import pytest

from policynlp import Corpus, Document, Segmenter
from policynlp.errors import ParameterError
from policynlp.graphs import (
    backbone,
    bibliographic_coupling,
    citation_graph,
    co_citation,
    co_issuing,
    communities,
    cooccurrence_graph,
    edge_table,
    multimode_graph,
    node_table,
    project,
    time_slices,
)


def _docs():
    return Corpus([
        Document("d1", title="甲", text="智慧城市。", issuers=("国家发展和改革委员会", "工业和信息化部", "科学技术部"), date="2014-08",
                 extra={"issuers_count": 8}),
        Document("d2", title="乙", text="智慧交通。", issuers=("国家发展和改革委员会", "交通运输部"), date="2016-07"),
        Document("d3", title="丙", text="智慧旅游。", issuers=("国家旅游局",), date="2015-01"),
        Document("d4", title="丁", text="信息惠民。", issuers=("国家发展和改革委员会", "工业和信息化部"), date="2014-01"),
    ])


def test_co_issuing_weights_lead_and_collective():
    G = co_issuing(_docs())
    a = lambda n: f"agency:{n}"  # noqa: E731
    assert G.edges[a("国家发展和改革委员会"), a("工业和信息化部")]["weight"] == 2
    assert G.edges[a("国家发展和改革委员会"), a("工业和信息化部")]["years"] == [2014]
    assert G.edges[a("国家发展和改革委员会"), a("交通运输部")]["weight"] == 1
    assert G.nodes[a("国家发展和改革委员会")]["n_lead"] == 3 and G.nodes[a("工业和信息化部")]["n_lead"] == 0
    assert G.nodes[a("科学技术部")]["n_collective"] == 1  # 等八部委: counted, no members invented
    assert G.number_of_nodes() == 5 and G.degree(a("国家旅游局")) == 0


CITES = pd.DataFrame({
    "id": ["A", "A", "A", "B", "B", "C"],
    "cited": ["x", "y", "z", "x", "y", "x"],
    "resolved_title": ["", "", "", "", "", ""],
    "catalogue_id": ["", "", "", "", "", ""],
    "score": [0.0] * 6,
    "cluster": ["x", "y", "z", "x", "y", "x"],
    "start": [0, 10, 100, 0, 5, 0],
    "end": [3, 13, 103, 3, 8, 3],
})


def test_co_citation_counts_and_normalisations_by_hand():
    # x cited by A,B,C (3); y by A,B (2); z by A (1). x–y together in A,B (2); x–z in A (1); y–z in A (1).
    G = co_citation(CITES)
    assert G.edges["document:x", "document:y"]["weight"] == 2 and G.edges["document:x", "document:z"]["weight"] == 1
    cos = co_citation(CITES, measure="cosine")
    assert cos.edges["document:x", "document:y"]["weight"] == pytest.approx(2 / math.sqrt(3 * 2))
    jac = co_citation(CITES, measure="jaccard")
    assert jac.edges["document:x", "document:y"]["weight"] == pytest.approx(2 / (3 + 2 - 2))
    ass = co_citation(CITES, measure="association")
    assert ass.edges["document:y", "document:z"]["weight"] == pytest.approx(1 * 6 / (2 * 1))
    assert co_citation(CITES, min_weight=2).number_of_edges() == 1


def test_co_citation_within_sentences():
    corpus = Corpus([Document("A", text="引用《x》和《y》。" + "。" * 80 + "再引《z》。"), Document("B", text="《x》《y》"), Document("C", text="《x》")])
    cits = pd.DataFrame({"id": ["A", "A", "A", "B", "B", "C"], "cited": list("xyzxyx"), "resolved_title": [""] * 6,
                         "catalogue_id": [""] * 6, "score": [0.0] * 6, "cluster": list("xyzxyx"),
                         "start": [2, 6, 91, 0, 3, 0], "end": [5, 9, 94, 3, 6, 3]})
    G = co_citation(cits, unit="sentence", corpus=corpus)
    assert G.edges["document:x", "document:y"]["weight"] == 2
    assert not G.has_edge("document:x", "document:z")  # z is cited in another sentence of A


def test_bibliographic_coupling_by_hand():
    G = bibliographic_coupling(citation_graph_from(CITES))
    # A cites x,y,z; B cites x,y; C cites x: A–B share 2, A–C 1, B–C 1
    assert G.edges["document:A", "document:B"]["weight"] == 2 and G.edges["document:B", "document:C"]["weight"] == 1


def citation_graph_from(df):
    G = nx.DiGraph()
    for r in df.itertuples():
        G.add_edge(f"document:{r.id}", f"document:{r.cluster}", weight=1)
    return G


def test_citation_graph_resolves_to_catalogue():
    corpus = Corpus([Document("r", text="依据《关于促进智慧城市健康发展的的指导意见》和《智慧社区建设指南》。", date="2017")])
    G = citation_graph(corpus, catalogue="smart_city_2017")
    assert set(G.successors("document:r")) == {"document:sc-guidance-2014", "document:sc-community-2014"}
    assert G.edges["document:r", "document:sc-guidance-2014"]["relation"] == "cites"


def test_multimode_graph_from_a_review_paragraph():
    review = ("二、智慧交通\n2015年6月，交通运输部发布《关于进一步加快推进城市公共交通智能化应用示范工程建设有关工作的通知》，"
              "确定37个城市开展城市公共交通智能化应用示范工程。\n"
              "三、智慧旅游\n2012年5月，国家旅游局确定北京市、武汉市等18个城市为国家智慧旅游试点城市。")
    G = multimode_graph(review, catalogue="smart_city_2017")
    kinds = {d["kind"] for _, d in G.nodes(data=True)}
    assert kinds == {"agency", "document", "programme", "domain"}
    assert G.has_edge("agency:交通运输部", "document:sc-bus-2015", key="issued")
    assert G.has_edge("document:sc-bus-2015", "domain:transport", key="in_domain")
    assert G.has_edge("programme:国家智慧旅游试点城市", "agency:国家旅游局", key="run_by")
    assert G.nodes["programme:国家智慧旅游试点城市"]["count"] == 18
    assert G.has_edge("agency:国家旅游局", "domain:tourism", key="co_occurs")
    P = project(G, "agency")
    assert set(P.nodes) == {"agency:交通运输部", "agency:国家旅游局"}
    with pytest.raises(ParameterError, match="no nodes of kind 'term'"):
        project(G, "term")


def test_cooccurrence_matches_hand_counts_and_years():
    corpus = Corpus([Document("a", text="智慧城市 大数据 物联网", date="2014"), Document("b", text="智慧城市 大数据", date="2015"),
                     Document("c", text="智慧城市 物联网", date="2016")])
    tokens = Segmenter().segment(corpus)
    G = cooccurrence_graph(tokens, corpus, min_df=1, min_weight=1)
    e = G.edges["term:智慧城市", "term:大数据"]
    assert e["count"] == 2 and e["years"] == [2014, 2015]
    assert G.nodes["term:智慧城市"]["count"] == 3 and G.nodes["term:智慧城市"]["years"] == [2014, 2015, 2016]
    assert G.edges["term:大数据", "term:物联网"]["count"] == 1
    cos = cooccurrence_graph(tokens, corpus, min_df=1, min_weight=1, measure="cosine")
    assert cos.edges["term:智慧城市", "term:大数据"]["weight"] == pytest.approx(2 / math.sqrt(3 * 2))
    win = cooccurrence_graph(tokens, unit="window", window=2, min_df=1, min_weight=1)
    assert not win.has_edge("term:智慧城市", "term:物联网") or win.edges["term:智慧城市", "term:物联网"]["count"] == 1


def test_time_slices_keep_active_nodes_and_edges():
    G = co_issuing(_docs())
    slices = time_slices(G, {"2014": (2014, 2014), "2015–2016": (2015, 2016)})
    assert set(slices["2014"].nodes) == {"agency:国家发展和改革委员会", "agency:工业和信息化部", "agency:科学技术部"}
    assert slices["2015–2016"].has_edge("agency:国家发展和改革委员会", "agency:交通运输部")
    assert not slices["2015–2016"].has_edge("agency:国家发展和改革委员会", "agency:工业和信息化部")


def test_metrics_communities_and_tables():
    G = nx.Graph()
    G.add_weighted_edges_from([("a", "b", 5), ("b", "c", 5), ("a", "c", 5), ("d", "e", 5), ("e", "f", 5), ("d", "f", 5), ("c", "d", 1)])
    nt = node_table(G).set_index("id")
    assert nt.loc["c", "degree"] == 3 and nt.loc["c", "weighted_degree"] == 11
    assert nt.loc["c", "betweenness"] > nt.loc["a", "betweenness"]
    assert nt.loc["a", "community"] == nt.loc["b", "community"] != nt.loc["e", "community"]
    assert node_table(G).equals(node_table(G))  # seeded, stable numbering
    assert G.nodes["a"]["community"] in (0, 1)
    et = edge_table(G)
    assert list(et.columns[:2]) == ["source", "target"] and len(et) == 7
    assert set(communities(G).values()) == {0, 1}


def test_backbones():
    G = nx.Graph()
    G.add_weighted_edges_from([("hub", f"n{i}", 1) for i in range(10)] + [(f"n{i}", "other", 1) for i in range(10)]
                              + [("hub", "strong", 50), ("strong", "other", 1)])
    bb = backbone(G, alpha=0.05)
    assert bb.has_edge("hub", "strong") and not bb.has_edge("hub", "n5")
    assert backbone(G, method="threshold", threshold=2).number_of_edges() == 1
    assert set(backbone(G, method="threshold", threshold=2).edges) == {("hub", "strong")}
    top = backbone(G, method="top_k", k=1)
    assert top.has_edge("hub", "strong")
    with pytest.raises(ParameterError, match="threshold"):
        backbone(G, method="threshold")


def test_multimode_resolves_aliases_by_the_documents_year():
    corpus = Corpus([Document("a", text="国家标准委、中央网信办联合推进智慧城市标准体系建设。", date="2015-10"),
                     Document("b", text="中央网信办推进数字政府建设。", date="2022-06")])
    G = multimode_graph(corpus)
    assert G.has_node("agency:中央网络安全和信息化领导小组办公室") and G.has_node("agency:中央网络安全和信息化委员会办公室")
    assert G.nodes["agency:中央网络安全和信息化领导小组办公室"]["years"] == [2015]


@pytest.mark.slow
def test_large_networks_get_sampled_betweenness_and_a_core_for_figures():
    import networkx as nx

    from policynlp.graphs import EXACT_BETWEENNESS_NODES, core_subgraph, node_table

    G = nx.barabasi_albert_graph(EXACT_BETWEENNESS_NODES + 200, 2, seed=1)
    nx.set_edge_attributes(G, 1.0, "weight")
    exact = nx.betweenness_centrality(G)
    table = node_table(G, seed=0, community=None).set_index("id")
    again = node_table(G, seed=0, community=None).set_index("id")
    assert table["betweenness"].equals(again["betweenness"])  # the sample is seeded
    top_exact = sorted(exact, key=exact.get, reverse=True)[:10]
    top_sampled = table["betweenness"].sort_values(ascending=False).index[:20].tolist()
    assert len(set(top_exact) & set(top_sampled)) >= 8  # the hubs are still the hubs
    small = node_table(nx.karate_club_graph(), community=None).set_index("id")["betweenness"]
    assert small.to_dict() == pytest.approx(nx.betweenness_centrality(nx.karate_club_graph()))
    core = core_subgraph(G, 50)
    assert core.number_of_nodes() == 50 and 0 in core  # the oldest node of a BA graph is a hub


def test_clustering_is_left_to_gephi_above_the_edge_limit(monkeypatch):
    import networkx as nx

    from policynlp import graphs
    from policynlp.graphs import metrics

    G = nx.karate_club_graph()
    assert graphs.node_table(G, community=None)["clustering"].notna().all()
    monkeypatch.setattr(metrics, "CLUSTERING_EDGES", 10)  # the module that reads it
    table = graphs.node_table(G, community=None)
    assert table["clustering"].isna().all() and table["pagerank"].notna().all()
    assert graphs.node_table(G, community=None, clustering=True)["clustering"].notna().all()


def test_core_subgraph_does_not_depend_on_insertion_order():
    import networkx as nx

    from policynlp.graphs import core_subgraph

    G = nx.barabasi_albert_graph(300, 2, seed=3)
    edges = list(G.edges())
    A, B = nx.Graph(), nx.Graph()
    A.add_edges_from(edges)
    B.add_edges_from(reversed([(v, u) for u, v in edges]))
    a, b = core_subgraph(A, 40), core_subgraph(B, 40)
    assert list(a.nodes) == list(b.nodes) and list(a.edges) == list(b.edges)


def test_cooccurrence_above_chance_is_neither_complete_nor_empty(demo_corpus):
    from policynlp.graphs import cooccurrence_graph

    tokens = Segmenter().segment(demo_corpus)
    every = cooccurrence_graph(tokens, demo_corpus, min_df=3, top_n=60)
    above = cooccurrence_graph(tokens, demo_corpus, min_df=3, top_n=60, min_lift=1.5)
    assert 0 < above.number_of_edges() < every.number_of_edges()
    assert nx.density(above) < 0.5
    n_docs = len(tokens)
    for u, v, d in above.edges(data=True):  # each kept pair co-occurs at least 1.5 × more than independence predicts
        assert d["count"] * n_docs >= 1.5 * above.nodes[u]["count"] * above.nodes[v]["count"] - 1e-9
    with pytest.raises(ParameterError, match="min_lift compares with chance over documents"):
        cooccurrence_graph(tokens, unit="window", min_lift=1.5)


def test_large_networks_are_not_laid_out_and_their_figure_shows_the_core():
    import networkx as nx

    from policynlp.graphs import CORE_NODES, LAYOUT_NODES, drawable

    big = nx.barabasi_albert_graph(LAYOUT_NODES + 100, 2, seed=1)
    shown, pos, large = drawable(big, seed=0)
    assert large and shown.number_of_nodes() == CORE_NODES and set(pos) == set(shown)
    degree = dict(big.degree())
    assert min(degree[n] for n in shown) >= sorted(degree.values())[-CORE_NODES]  # the most connected nodes
    small = nx.path_graph(10)
    shown, pos, large = drawable(small, seed=0)
    assert not large and shown is small and len(pos) == 10


def test_renamed_parameters_keep_working_for_one_release_with_a_warning(demo_corpus):
    from policynlp import Segmenter
    from policynlp.config import load_config
    from policynlp.errors import ParameterError

    with pytest.warns(FutureWarning, match=r"co_citation\(normalize=\.\.\.\) is renamed measure="):
        old = co_citation(CITES, normalize="cosine")
    assert sorted(old.edges(data="weight")) == sorted(co_citation(CITES, measure="cosine").edges(data="weight"))
    with pytest.raises(ParameterError, match="give measure= only"):
        co_citation(CITES, normalize="cosine", measure="jaccard")
    tokens = Segmenter().segment(demo_corpus)
    with pytest.warns(FutureWarning, match="min_count.*renamed min_df"):
        old = cooccurrence_graph(tokens, demo_corpus, min_count=3, min_weight=3)
    new = cooccurrence_graph(tokens, demo_corpus, min_df=3, min_weight=3)
    assert sorted(old.edges(data="weight")) == sorted(new.edges(data="weight"))
    with pytest.warns(FutureWarning, match="graphs.cooccurrence.min_count is renamed min_df"):
        cfg = load_config({"graphs": {"cooccurrence": {"min_count": 4}}})
    assert cfg["graphs"]["cooccurrence"]["min_df"] == 4 and "min_count" not in cfg["graphs"]["cooccurrence"]


def test_tables_written_with_the_old_doc_id_column_are_still_read_for_one_release():
    old = CITES.rename(columns={"id": "doc_id"})
    with pytest.warns(FutureWarning, match="doc_id column is now called id"):
        G = co_citation(old, measure="cosine")
    assert sorted(G.edges(data="weight")) == sorted(co_citation(CITES, measure="cosine").edges(data="weight"))
