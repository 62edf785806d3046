import networkx as nx
import numpy as np
import pytest
from lxml import etree

from policynlp.errors import CorpusFormatError
from policynlp.export import (
    export_all,
    read_gexf,
    read_graphml,
    write_gephi_csv,
    write_gexf,
    write_graphml,
    write_node_link,
    write_pajek,
    write_vosviewer,
)
from tests.conftest import GEXF_SCHEMAS

SCHEMAS = GEXF_SCHEMAS
ADVERSARIAL = ['引号"双"与\'单\'', "A & B <c> > d", "控制\x00字\x07符\x1f", "emoji 🏙️🚄", "长" * 5000, "  多  空格\n换行\t制表  "]


@pytest.fixture(scope="module")
def rng():
    return etree.RelaxNG(etree.parse(str(SCHEMAS / "1.3" / "gexf.rng")))


@pytest.fixture(scope="module")
def xsd():
    import xmlschema

    return xmlschema.XMLSchema(str(SCHEMAS / "1.2draft" / "gexf.xsd"))


def adversarial_graph(multi=False, directed=False):
    G = (nx.MultiDiGraph if directed else nx.MultiGraph)() if multi else (nx.DiGraph if directed else nx.Graph)()
    for i, label in enumerate(ADVERSARIAL):
        G.add_node(f"agency:{label}", label=label, kind="agency" if i % 2 else "document", years=[2012 + i, 2013 + i, 2016],
                   count=np.int64(i), share=np.float32(0.25 * i), ratio=float("nan") if i == 3 else 0.5, tags=["甲", "乙"],
                   flag=bool(i % 2), community=i % 3)
    nodes = list(G.nodes)
    for i in range(len(nodes) - 1):
        G.add_edge(nodes[i], nodes[i + 1], weight=np.float64(i + 0.5), relation="co_occurs", years=[2014, 2015], type="weird")
        if multi:
            G.add_edge(nodes[i], nodes[i + 1], weight=1, relation="issued", years=[2014])
    return G


@pytest.mark.parametrize("multi", [False, True])
@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("dynamic", [False, True])
def test_gexf_validates_against_official_schemas(tmp_path, rng, xsd, multi, directed, dynamic):
    G = adversarial_graph(multi, directed)
    pos = {n: (i * 1.5, -i) for i, n in enumerate(sorted(G.nodes))}
    p13 = write_gexf(G, tmp_path / "g13.gexf", dynamic=dynamic, positions=pos, color_by="community")
    assert rng.validate(etree.parse(str(p13))), rng.error_log
    p12 = write_gexf(G, tmp_path / "g12.gexf", version="1.2draft", dynamic=dynamic)
    assert xsd.is_valid(str(p12)), xsd.validate(str(p12))


def test_networkx_own_writer_fails_where_ours_passes(tmp_path, rng):
    G = nx.Graph()
    G.add_edge("a", "b", weight=1)
    nx.write_gexf(G, tmp_path / "nx.gexf", version="1.2draft")
    text = (tmp_path / "nx.gexf").read_text().replace("1.2draft", "1.3").replace('version="1.2"', 'version="1.3"')
    (tmp_path / "nx13.gexf").write_text(text)
    assert not rng.validate(etree.parse(str(tmp_path / "nx13.gexf")))
    assert rng.validate(etree.parse(str(write_gexf(G, tmp_path / "ours.gexf"))))


@pytest.mark.parametrize("multi", [False, True])
def test_gexf_round_trip(tmp_path, multi):
    G = adversarial_graph(multi)
    back = read_gexf(write_gexf(G, tmp_path / "g.gexf", dynamic=True))
    assert set(back.nodes) == {n.replace("\x00", "").replace("\x07", "").replace("\x1f", "") for n in G.nodes} or \
        len(back) == len(G)
    n0 = sorted(G.nodes)[1]
    b0 = [n for n in back.nodes if back.nodes[n]["count"] == G.nodes[n0]["count"]][0]
    assert back.nodes[b0]["years"] == G.nodes[n0]["years"]
    assert back.nodes[b0]["share"] == pytest.approx(float(G.nodes[n0]["share"]))
    assert back.nodes[b0]["tags"] == "甲|乙" and back.nodes[b0]["flag"] is bool(G.nodes[n0]["flag"])
    assert back.number_of_edges() == G.number_of_edges()
    weights = sorted(d["weight"] for *_, d in back.edges(data=True))
    assert weights == sorted(float(d["weight"]) for *_, d in G.edges(data=True))
    if multi:
        assert {d["relation"] for *_, d in back.edges(data=True)} == {"co_occurs", "issued"}
    # the edge attribute called "type" stays an attribute, not the edge direction
    assert any(d.get("type") == "weird" for *_, d in back.edges(data=True))


def test_output_is_byte_identical_and_date_free(tmp_path):
    G = adversarial_graph(True)
    a = write_gexf(G, tmp_path / "a.gexf", dynamic=True).read_bytes()
    H = nx.MultiGraph()
    H.add_nodes_from(reversed(list(G.nodes(data=True))))
    H.add_edges_from(reversed(list(G.edges(keys=True, data=True))))
    b = write_gexf(H, tmp_path / "b.gexf", dynamic=True).read_bytes()
    assert a == b and b"lastmodifieddate" not in a
    assert b'lastmodifieddate="2024-01-02"' in write_gexf(G, tmp_path / "c.gexf", date="2024-01-02").read_bytes()
    files_a = export_all(G, tmp_path / "x", "g")
    files_b = export_all(H, tmp_path / "y", "g")
    for fa, fb in zip(files_a, files_b):
        assert fa.read_bytes() == fb.read_bytes(), fa.name


def test_graphml_round_trip_and_safe_parsing(tmp_path):
    G = adversarial_graph()
    back = read_graphml(write_graphml(G, tmp_path / "g.graphml"))
    assert back.number_of_nodes() == G.number_of_nodes() and back.number_of_edges() == G.number_of_edges()
    node = [n for n in back.nodes if back.nodes[n].get("label", "").startswith("emoji")][0]
    assert back.nodes[node]["years"] == "2015|2016|2016" or back.nodes[node]["years"].startswith("2015")
    bomb = tmp_path / "bomb.graphml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
                    '<graphml><graph><node id="&lol2;"/></graph></graphml>')
    with pytest.raises(CorpusFormatError, match="DOCTYPE"):
        read_graphml(bomb)
    with pytest.raises(CorpusFormatError, match="DOCTYPE"):
        read_gexf(bomb)


def test_gephi_csv_pajek_vosviewer_node_link(tmp_path):
    import json

    import pandas as pd

    G = adversarial_graph()
    npath, epath = write_gephi_csv(G, tmp_path)
    nodes, edges = pd.read_csv(npath), pd.read_csv(epath)
    assert list(nodes.columns[:2]) == ["Id", "Label"] and list(edges.columns[:4]) == ["Source", "Target", "Type", "Weight"]
    assert (edges["Type"] == "Undirected").all() and len(edges) == G.number_of_edges()
    net = write_pajek(G, tmp_path / "g.net").read_text(encoding="utf-8").splitlines()
    assert net[0] == f"*Vertices {len(G)}" and "*Edges" in net
    vos = json.loads(write_vosviewer(G, tmp_path / "v.json").read_text(encoding="utf-8"))
    assert len(vos["network"]["items"]) == len(G) and len(vos["network"]["links"]) == G.number_of_edges()
    assert {"id", "label", "weights"} <= set(vos["network"]["items"][0])
    nl = json.loads(write_node_link(G, tmp_path / "g.json").read_text(encoding="utf-8"))
    back = nx.node_link_graph(nl, edges="edges")
    assert back.number_of_edges() == G.number_of_edges()


def test_ids_that_clash_after_cleaning_stay_distinct_in_every_format(tmp_path):
    import json

    import pandas as pd

    G = nx.Graph()
    for n in ["国务院", " 国务院", "国务院 ", "国务院\x07", 1, "1"]:
        G.add_node(n, label=f"节点{n!r}", kind="agency")
    G.add_edge("国务院", " 国务院", weight=2)
    G.add_edge("国务院\x07", 1, weight=3)
    G.add_edge("1", "国务院 ", weight=4)
    made = export_all(G, tmp_path, "g")
    back = read_gexf(tmp_path / "g.gexf")
    assert back.number_of_nodes() == 6 and back.number_of_edges() == 3
    assert "国务院" in back and "1" in back  # a key that needed no cleaning keeps its id
    assert sorted(w for *_, w in back.edges(data="weight")) == [2.0, 3.0, 4.0]
    assert read_gexf(tmp_path / "g.gexf12.gexf").number_of_nodes() == 6
    gml = read_graphml(tmp_path / "g.graphml")
    assert gml.number_of_nodes() == 6 and gml.number_of_edges() == 3
    nodes = pd.read_csv(tmp_path / "g_nodes.csv", dtype=str)
    edges = pd.read_csv(tmp_path / "g_edges.csv", dtype=str)
    assert nodes["Id"].str.strip().nunique() == 6  # distinct even after Gephi trims the ids
    assert set(edges["Source"]) | set(edges["Target"]) <= set(nodes["Id"])
    nl = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert len(nl["nodes"]) == 6 and len(made) >= 7


@pytest.mark.parametrize("body, line, what", [
    ('<attributes class="node"><attribute id="0" title="kind" type="string"/></attributes>'
     '<nodes>\n<node id="a">\n<attvalues><attvalue for="9" value="x"/></attvalues></node></nodes>', 4,
     "attvalue for='9' refers to no declared node attribute"),
    ('<attributes class="node"><attribute id="0" title="n" type="integer"/></attributes>'
     '<nodes>\n<node id="a"><attvalues>\n<attvalue for="0" value="七"/></attvalues></node></nodes>', 4,
     "value '七' of 'n' is not of its declared type 'integer'"),
    ('<nodes><node id="a"/></nodes><edges>\n\n<edge id="0" source="a" target="b"/></edges>', 4,
     "edge target='b' is not a declared node"),
    ('<nodes>\n<node id="a"><spells><spell start="x" end="2014"/></spells></node></nodes>', 3,
     "spell start='x' end='2014' is not a span of years"),
])
def test_malformed_gexf_names_the_line(tmp_path, body, line, what):
    p = tmp_path / "bad.gexf"  # the body starts on line 2
    p.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph>{body}'
                 "</graph></gexf>\n", encoding="utf-8")
    with pytest.raises(CorpusFormatError) as exc:
        read_gexf(p)
    assert exc.value.line == line and what in str(exc.value) and str(p) in str(exc.value)


def test_malformed_graphml_names_the_line(tmp_path):
    head = '<?xml version="1.0"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
    p = tmp_path / "bad.graphml"
    p.write_text(head + '<graph edgedefault="undirected"><node id="a"/>\n<edge source="a" target="z"/></graph></graphml>',
                 encoding="utf-8")
    with pytest.raises(CorpusFormatError, match=r"bad.graphml:4: malformed file: edge target='z'"):
        read_graphml(p)
    p.write_text(head + '<graph edgedefault="undirected"><node id="a">\n\n<data key="d9">x</data></node></graph></graphml>',
                 encoding="utf-8")
    with pytest.raises(CorpusFormatError, match=r"bad.graphml:5: malformed file: <data key='d9'>"):
        read_graphml(p)
    p.write_text(head + "<graph><node id='a'></graph>", encoding="utf-8")
    with pytest.raises(CorpusFormatError, match="not a readable XML file"):
        read_graphml(p)
