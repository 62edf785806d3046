"""Every table the package computes says how it was made (df.attrs["provenance"]), as keywords and topics do."""

import networkx as nx

from policynlp.extract import extract_citations, extract_events
from policynlp.graphs import node_table
from policynlp.taxonomy import TaxonomyClassifier

TEXT = "2014年8月，国家发展改革委等八部委印发《关于促进智慧城市健康发展的指导意见》，要求推进智慧交通。"


def test_extraction_coding_and_network_tables_carry_their_provenance(demo_corpus):
    events = extract_events(TEXT, catalogue="smart_city_2017")
    assert events.attrs["provenance"]["step"] == "extract.events"
    assert events.attrs["provenance"]["params"]["catalogue"] == "smart_city_2017"
    cits = extract_citations(TEXT, threshold=90.0)
    assert cits.attrs["provenance"]["params"] == {"catalogue": None, "threshold": 90.0}
    clf = TaxonomyClassifier("cn_policy_domains", unit="document").fit()
    dom = clf.document_domains(demo_corpus)
    rec = dom.attrs["provenance"]
    assert rec["step"] == "taxonomy.document_domains" and rec["params"]["margin"] == 1.25
    assert rec["params"]["taxonomy"] == "cn_policy_domains" and "pandas" in rec["versions"]
    assert clf.code(demo_corpus).attrs["provenance"]["step"] == "taxonomy.code"
    G = nx.Graph([("国务院", "工业和信息化部", {"weight": 2.0})])
    assert node_table(G, seed=3).attrs["provenance"]["params"]["seed"] == 3
