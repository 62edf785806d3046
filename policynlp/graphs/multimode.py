"""The multimode network (agencies, documents, programmes, domains) and its one-mode projections."""

from itertools import combinations

import networkx as nx
import pandas as pd
import scipy.sparse as sp

from .._validation import check_choice, with_id_column
from ..errors import ParameterError
from ._model import add_edge, add_node, incidence


def multimode_graph(docs, *, catalogue=None, taxonomy="smart_city_2017", unit="sentence", threshold=80.0, citations=None):
    """The network of agencies, documents, programmes and domains that a taxonomy implies.

    Built from a corpus's metadata and from what :mod:`policynlp.extract` finds in
    its text — so a single review article yields its whole network:

    - agency —``issued``→ document (metadata issuers, and events that issue a cited document);
    - document —``in_domain``→ domain (the domain the classifier gives the document, or
      the heading/lead-phrase domain of the sentence that cites it);
    - programme —``run_by``→ agency (events naming a programme and its issuers);
    - ``co_occurs`` edges between any agencies, documents, programmes and domains
      mentioned in the same ``unit`` (sentence, clause, paragraph or document).

    citations : DataFrame, optional
        Output of :func:`policynlp.extract.extract_citations` for the same corpus and
        catalogue, if already computed.

    Returns
    -------
    networkx.MultiGraph
        Parallel edges of different relations are kept (GEXF ``kind``).
    """
    from ..corpus.corpus import Corpus
    from ..datasets import programme_names
    from ..taxonomy import load_taxonomy

    check_choice("unit", unit, ("sentence", "clause", "paragraph", "document"))
    corpus = docs if isinstance(docs, Corpus) else Corpus([_doc(i, t) for i, t in enumerate([docs] if isinstance(docs, str) else docs)])
    tx = load_taxonomy(taxonomy)
    core = tx.select(group="core") if tx.keys(group="core") else tx
    G = nx.MultiGraph()
    _add_metadata(G, corpus, core)
    cited_node = _add_events(G, corpus, core, catalogue, threshold, citations)
    _add_co_mentions(G, corpus, core, unit, programme_names(catalogue), cited_node)
    return G


def _add_metadata(G, corpus, core):
    """agency —issued→ document from the issuers, document —in_domain→ domain from the classifier."""
    from ..taxonomy import TaxonomyClassifier

    dom = TaxonomyClassifier(core, unit="document").fit().document_domains(corpus)
    for d in corpus:
        doc = add_node(G, "document", d.id, d.year)
        G.nodes[doc]["label"] = d.title or d.id
        for i, name in enumerate(dict.fromkeys(d.issuers)):
            a = add_node(G, "agency", name, d.year)
            add_edge(G, a, doc, "issued", d.year, lead=i == 0)
        if dom.loc[d.id, "domain"]:
            dm = add_node(G, "domain", dom.loc[d.id, "domain"], d.year)
            G.nodes[dm]["label"] = core[dom.loc[d.id, "domain"]].zh
            add_edge(G, doc, dm, "in_domain", d.year)


def _add_events(G, corpus, core, catalogue, threshold, citations):
    """Cited documents, and from the events: issued (cited documents), run_by, domains of cited documents.

    Returns ``{(doc_id, offset): node}`` for every citation, which the co-mentions use.
    """
    from ..extract import extract_citations, extract_events, find_titles

    events = extract_events(corpus, catalogue=catalogue, taxonomy=core, threshold=threshold)
    cits = (with_id_column(citations, "multimode_graph") if citations is not None
            else extract_citations(corpus, catalogue=catalogue, threshold=threshold))
    cited_node = {}
    for r in cits.itertuples():
        key = r.catalogue_id or r.cluster
        cited_node[(r.id, r.start)] = add_node(G, "document", key)
        G.nodes[cited_node[(r.id, r.start)]]["label"] = r.resolved_title or r.cluster
    for e in events.itertuples():
        year = int(e.date[:4]) if e.date else None
        agencies = [a for a in e.issuers.split(";") if a]
        docs_here = [cited_node[(e.id, t0 + e.start)] for t0, _, _ in find_titles(e.sentence)
                     if (e.id, t0 + e.start) in cited_node]
        for a in agencies:
            an = add_node(G, "agency", a, year)
            for dn in docs_here:
                add_edge(G, an, dn, "issued", year)
        if e.programme:
            pn = add_node(G, "programme", e.programme, year)
            if e.count is not None and not pd.isna(e.count):
                G.nodes[pn]["count"] = int(e.count)
            for a in agencies:
                add_edge(G, pn, add_node(G, "agency", a, year), "run_by", year)
        if e.domain:
            dm = add_node(G, "domain", e.domain, year)
            G.nodes[dm]["label"] = core[e.domain].zh if e.domain in core.keys() else e.domain
            for dn in docs_here:
                add_edge(G, dn, dm, "in_domain", year)
    return cited_node


def _add_co_mentions(G, corpus, core, unit, programmes, cited_node):
    """``co_occurs`` edges between the agencies, documents, programmes and domains each unit mentions."""
    from ..extract import find_titles
    from ..meta.agencies import load_agencies
    from ..text.structure import structure_rows

    registry = load_agencies()
    years = {d.id: d.year for d in corpus}
    for d in corpus:
        for start, end, context_domain in _units(d.text, unit, structure_rows, core):
            text = d.text[start:end]
            ents = set()
            for _, _, _, canon in registry.find(text, years[d.id]):  # aliases resolve to the body of that year
                ents.add(add_node(G, "agency", canon, years[d.id]))
            for t0, _, _ in find_titles(text):
                n = cited_node.get((d.id, start + t0))
                if n:
                    ents.add(n)
            for p in programmes:
                if p in text:
                    ents.add(add_node(G, "programme", p, years[d.id]))
            for k in core.named_in(text) + ([context_domain] if context_domain else []):
                dm = add_node(G, "domain", k, years[d.id])
                G.nodes[dm]["label"] = core[k].zh
                ents.add(dm)
            for a, b in combinations(sorted(ents), 2):
                add_edge(G, a, b, "co_occurs", years[d.id])


def _doc(i, text):
    from ..corpus.document import Document

    return Document(id=str(i), text=text)


def _units(text, unit, structure_rows, tx):
    """(start, end, domain named by the enclosing heading) for each unit of a text."""
    if unit == "document":
        return [(0, len(text), None)]
    if unit == "paragraph":
        out, pos = [], 0
        for part in text.split("\n"):
            if part.strip():
                out.append((pos, pos + len(part), None))
            pos += len(part) + 1
        return out
    clauses = structure_rows(text)
    heading_dom = {u: d for u, (_, d) in tx.heading_domains(clauses).items()}
    if unit == "clause":
        return [(c.start, c.end, heading_dom[c.unit]) for c in clauses]
    sents = structure_rows(text, unit="sentence")
    return [(s.start, s.end, heading_dom.get(s.unit)) for s in sents]


def project(G, kind, *, via=None):
    """One-mode projection onto the nodes of one ``kind``.

    Two nodes of ``kind`` are linked with weight = the number of shared neighbours
    (of kinds ``via``, default any other kind), computed as A·Aᵀ on the sparse
    incidence matrix.
    """
    nodes = sorted(n for n, d in G.nodes(data=True) if d.get("kind") == kind)
    if not nodes:
        raise ParameterError(f"no nodes of kind {kind!r}; kinds present: {sorted({d.get('kind') for _, d in G.nodes(data=True)})}")
    rows, cols = [], []
    for n in nodes:
        for m in G.neighbors(n):
            if m != n and G.nodes[m].get("kind") != kind and (via is None or G.nodes[m].get("kind") in via):
                rows.append(n)
                cols.append(m)
    P = nx.Graph()
    P.add_nodes_from((n, dict(G.nodes[n])) for n in nodes)
    if not rows:
        return P
    M, row_names, _ = incidence(rows, cols)
    C = sp.triu(M @ M.T, k=1).tocoo()
    P.add_edges_from((row_names[a], row_names[b], {"relation": f"shared_{'_'.join(via) if via else 'neighbours'}", "weight": float(w), "years": []})
                     for a, b, w in zip(C.row, C.col, C.data))
    return P
