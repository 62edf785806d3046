import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from policynlp import Segmenter, plots  # noqa: E402
from policynlp.keywords import keyness, term_trends  # noqa: E402
from policynlp.topics import TopicModel  # noqa: E402


@pytest.fixture(scope="module")
def fitted(demo_corpus):
    tokens = Segmenter().segment(demo_corpus)
    return tokens, TopicModel(3, random_state=0, min_df=1).fit(tokens)


def test_cjk_font_has_chinese_glyphs():
    from matplotlib.font_manager import findfont
    from matplotlib.ft2font import FT2Font

    fp = plots.cjk_font()
    assert fp is not None
    font = FT2Font(findfont(fp))
    assert all(font.get_char_index(ord(c)) for c in "智慧城市试点国务院")


def test_every_plot_returns_axes_and_draws_on_a_given_one(tmp_path, fitted, demo_corpus):
    tokens, tm = fitted
    k = keyness(tokens, demo_corpus, by="year", groups={"early": [2012, 2013, 2014], "late": [2015, 2016]}, top_n=5)
    tr = term_trends(tokens, demo_corpus, ["智慧城市", "旅游"])
    makers = [lambda ax: plots.plot_top_terms(tm, 0, ax=ax), lambda ax: plots.plot_topic_trends(tm.prevalence(demo_corpus), ax=ax),
              lambda ax: plots.plot_keyness(k, ax=ax), lambda ax: plots.plot_term_trends(tr, ax=ax)]
    for i, make in enumerate(makers):
        fig, ax = plt.subplots()
        assert make(ax) is ax
        new = make(None)
        assert new is not ax and hasattr(new, "figure")
        plots.save_figure(new, tmp_path / f"f{i}.png")
        plt.close("all")
    labels = [t.get_text() for t in plots.plot_top_terms(tm, 0).get_yticklabels()]
    assert labels and all(labels)


def test_saved_figures_are_byte_identical(tmp_path, fitted):
    _, tm = fitted
    for name in ("a", "b"):
        plots.save_figure(plots.plot_top_terms(tm, 1), tmp_path / f"{name}.png")
        plots.save_figure(plots.plot_top_terms(tm, 1), tmp_path / f"{name}.svg")
        plt.close("all")
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()


def test_network_legend_lists_the_largest_groups_in_numeric_order():
    import networkx as nx

    from policynlp.plots import plot_graph

    G = nx.Graph()
    for c in range(12):  # twelve communities: 0 has 13 members, 11 has 2
        for m in range(13 - c):
            G.add_node(f"term:{c}-{m}", label=f"词{c}{m}", community=c)
            if m:
                G.add_edge(f"term:{c}-{m - 1}", f"term:{c}-{m}")  # tied, so drawn (isolated nodes are only counted)
    G.add_edge("term:0-0", "term:1-0")
    ax = plot_graph(G, color_by="community", labels=5)
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts == [f"{c} ({13 - c})" for c in range(10)] and ax.get_legend().get_title().get_text() == "community"
    import matplotlib.pyplot as plt

    plt.close(ax.figure)


def test_network_drawings_never_overprint_labels(demo_corpus):
    import networkx as nx

    from policynlp.graphs import multimode_graph
    from policynlp.plots import label_overlaps, plot_graph

    G = multimode_graph(demo_corpus, catalogue="smart_city_2017")
    ax = plot_graph(G, labels=40)
    assert label_overlaps(ax) == 0 and 5 <= len(ax.texts) <= 40
    # a dense network of long Chinese names: many labels must give way, none may overprint
    names = [f"关于推进第{i}批国家智慧城市试点工作的通知" for i in range(60)]
    dense = nx.relabel_nodes(nx.gnp_random_graph(60, 0.3, seed=1), dict(enumerate(names)))
    ax = plot_graph(dense, labels=None)
    assert label_overlaps(ax) == 0 and len(ax.texts) < 60


def test_isolated_nodes_are_counted_not_drawn():
    import networkx as nx

    from policynlp.plots import plot_graph

    G = nx.path_graph(["国务院", "工业和信息化部", "科学技术部"])
    G.add_nodes_from(["交通运输部", "商务部", "财政部"])
    ax = plot_graph(G, labels=None)
    texts = [t.get_text() for t in ax.texts]
    assert "+ 3 node(s) without ties, not drawn" in texts and "商务部" not in texts and "国务院" in texts


def test_line_figures_use_the_colour_blind_safe_palette_and_topic_panels_keep_ticks_apart(fitted):
    import pandas as pd

    from policynlp.export import PALETTE

    trends = pd.DataFrame({"term": ["智慧城市"] * 3 + ["数据"] * 3 + ["交通"] * 3, "group": ["2014", "2015", "2016"] * 3,
                           "rate": [1.0, 2.0, 3.0, 2.0, 1.0, 0.5, 0.2, 0.4, 0.9]})
    ax = plots.plot_term_trends(trends)
    assert [line.get_color().upper() for line in ax.get_lines()] == PALETTE[:3]  # the first three: blue, orange, green
    plt.close(ax.figure)
    ax = plots.plot_top_terms(fitted[1], topic=0)
    assert len([t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]) <= 4
    plt.close(ax.figure)
