"""Networks of agencies, documents, programmes, domains and terms.

Every builder returns a networkx graph following one data model: node ids are
``"<kind>:<name>"`` with attributes ``kind`` (agency, document, programme,
domain, term), ``label`` and ``years`` (sorted list of the years the node is
active); edges carry ``relation`` (issued, co_issued, cites, co_cited, coupled,
in_domain, run_by, co_occurs), ``weight`` and ``years``.  Co-occurrence and
co-citation are counted on sparse matrices; the small bipartite builders
(co-issuing, multimode) loop over each document's pairs.
"""

import logging
from itertools import combinations

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from ._validation import check_choice, check_int
from .errors import MissingDependencyError, ParameterError

__all__ = ["layout", "co_issuing", "citation_graph", "co_citation", "bibliographic_coupling", "multimode_graph", "project",
           "cooccurrence_graph", "time_slices", "node_table", "edge_table", "communities", "backbone", "core_subgraph",
           "NORMALIZATIONS", "EXACT_BETWEENNESS_NODES", "CLUSTERING_EDGES"]

log = logging.getLogger(__name__)

NORMALIZATIONS = ("count", "association", "cosine", "jaccard")


def _nid(kind, name):
    return f"{kind}:{name}"


def _add_years(attrs, year):
    if year is not None:
        ys = set(attrs.get("years", ()))
        ys.add(int(year))
        attrs["years"] = sorted(ys)


def _node(G, kind, name, year=None, **attrs):
    nid = _nid(kind, name)
    if nid not in G:
        G.add_node(nid, kind=kind, label=str(name), years=[], **attrs)
    _add_years(G.nodes[nid], year)
    return nid


def _edge(G, u, v, relation, year=None, weight=1.0, **attrs):
    if G.is_multigraph():
        key = relation
        if G.has_edge(u, v, key):
            d = G.edges[u, v, key]
            d["weight"] += weight
        else:
            G.add_edge(u, v, key=key, relation=relation, weight=weight, years=[], **attrs)
            d = G.edges[u, v, key]
    else:
        if G.has_edge(u, v):
            d = G.edges[u, v]
            d["weight"] += weight
        else:
            G.add_edge(u, v, relation=relation, weight=weight, years=[], **attrs)
            d = G.edges[u, v]
    _add_years(d, year)
    return d


def co_issuing(corpus):
    """Agencies linked by the documents they issued together (部门联合发文).

    Edge weight = number of jointly issued documents.  Node attributes:
    ``n_documents`` (documents issued), ``n_lead`` (as lead issuer) and
    ``n_collective`` (documents whose issuer string named a larger collective,
    e.g. 等八部委: the unnamed members are not invented).

    Examples
    --------
    >>> from policynlp import load_demo
    >>> G = co_issuing(load_demo())
    >>> G.edges["agency:国家发展和改革委员会", "agency:工业和信息化部"]["weight"]
    1.0
    >>> G.nodes["agency:国家发展和改革委员会"]["n_lead"]
    4
    """
    G = nx.Graph()
    for d in corpus:
        names = list(dict.fromkeys(d.issuers))
        for i, name in enumerate(names):
            nid = _node(G, "agency", name, d.year)
            nd = G.nodes[nid]
            nd["n_documents"] = nd.get("n_documents", 0) + 1
            nd["n_lead"] = nd.get("n_lead", 0) + (i == 0)
            count = d.extra.get("issuers_count")
            nd["n_collective"] = nd.get("n_collective", 0) + (1 if count and count > len(names) else 0)
        for a, b in combinations(names, 2):
            _edge(G, _nid("agency", a), _nid("agency", b), "co_issued", d.year)
    for _, nd in G.nodes(data=True):
        nd.setdefault("n_documents", 0)
        nd.setdefault("n_lead", 0)
        nd.setdefault("n_collective", 0)
    return G


def citation_graph(corpus, *, catalogue=None, threshold=80.0, citations=None):
    """Documents → the documents they cite in 《》 (a DiGraph, relation ``cites``).

    Cited titles resolve to catalogue entries (node ``document:<catalogue id>``)
    or to documents of the corpus with that title; others become
    ``document:<clustered title>``.  Edge weight = number of citations.

    Parameters
    ----------
    corpus : Corpus
    catalogue : str or DataFrame, optional
    citations : DataFrame, optional
        Output of :func:`policynlp.extract.extract_citations`, if already computed.
    """
    from .extract import extract_citations, normalize_title

    cits = citations if citations is not None else extract_citations(corpus, catalogue=catalogue, threshold=threshold)
    by_title = {normalize_title(d.title): d.id for d in corpus if d.title}
    G = nx.DiGraph()
    years = {d.id: d.year for d in corpus}
    for d in corpus:
        _node(G, "document", d.id, d.year, title=d.title)
        G.nodes[_nid("document", d.id)]["label"] = d.title or d.id
    for r in cits.itertuples():
        if r.catalogue_id:
            target, label = r.catalogue_id, r.resolved_title
        else:
            target = by_title.get(normalize_title(r.cluster), r.cluster)
            label = r.cluster
        t = _nid("document", target)
        if t not in G:
            G.add_node(t, kind="document", label=label, years=[], title=label)
        if t == _nid("document", r.doc_id):
            continue  # a document naming itself
        _edge(G, _nid("document", r.doc_id), t, "cites", years.get(r.doc_id))
        _add_years(G.nodes[t], years.get(r.doc_id))
    return G


def _normalize(C, occ, how):
    """Normalise a co-occurrence matrix C (upper triangle used) by occurrence counts ``occ``."""
    C = sp.triu(C, k=1).tocoo()
    i, j, c = C.row, C.col, C.data.astype(float)
    if how == "count":
        w = c
    elif how == "association":  # association strength (van Eck & Waltman 2009), scaled by the total
        total = occ.sum()
        w = c * total / (occ[i] * occ[j])
    elif how == "cosine":  # Salton's cosine
        w = c / np.sqrt(occ[i] * occ[j])
    else:  # jaccard
        w = c / (occ[i] + occ[j] - c)
    return i, j, c, w


def _incidence(rows, cols):
    """Binary sparse incidence matrix from parallel lists of row and column labels."""
    r_index = {r: k for k, r in enumerate(sorted(set(rows), key=str))}
    c_index = {c: k for k, c in enumerate(sorted(set(cols), key=str))}
    M = sp.coo_matrix((np.ones(len(rows)), ([r_index[r] for r in rows], [c_index[c] for c in cols])),
                      shape=(len(r_index), len(c_index))).tocsr()
    M.data[:] = 1
    M.sum_duplicates()
    M.data[:] = 1
    return M, list(r_index), list(c_index)


def co_citation(cites, *, normalize="count", min_weight=1, unit="document", corpus=None, catalogue=None):
    """Documents linked by being cited together (relation ``co_cited``).

    Parameters
    ----------
    cites : DiGraph or DataFrame
        A :func:`citation_graph`, or citations from ``extract_citations`` (needed
        for ``unit="sentence"``/``"paragraph"``).
    normalize : {"count", "association", "cosine", "jaccard"}
        ``count``: citing units in common; ``association``: association strength
        (van Eck & Waltman 2009); ``cosine``: Salton's cosine; ``jaccard``.
    min_weight : int, default 1
        Minimum raw co-citation count.
    unit : {"document", "sentence", "paragraph"}
        What counts as citing together.

    References
    ----------
    Small, H. (1973). Co-citation in the scientific literature. JASIST 24(4), 265–269.
    van Eck, N. J., & Waltman, L. (2009). How to normalize cooccurrence data? JASIST 60(8), 1635–1647.
    """
    check_choice("normalize", normalize, NORMALIZATIONS)
    check_choice("unit", unit, ("document", "sentence", "paragraph"))
    rows, cols, labels = _citing_pairs(cites, unit, corpus, catalogue)
    return _co_graph(rows, cols, labels, normalize, min_weight, "co_cited")


def bibliographic_coupling(cites, *, normalize="count", min_weight=1):
    """Documents linked by citing the same documents (relation ``coupled``; Kessler 1963)."""
    check_choice("normalize", normalize, NORMALIZATIONS)
    rows, cols, labels = _citing_pairs(cites, "document", None, None)
    return _co_graph(cols, rows, labels, normalize, min_weight, "coupled")


def _citing_pairs(cites, unit, corpus, catalogue):
    if isinstance(cites, nx.DiGraph):
        if unit != "document":
            raise ParameterError(f"unit={unit!r} needs the citations table (extract_citations), not a graph")
        rows, cols = [], []
        for u, v in cites.edges():
            rows.append(u)
            cols.append(v)
        labels = {n: d.get("label", n) for n, d in cites.nodes(data=True)}
        return rows, cols, labels
    if isinstance(cites, pd.DataFrame):
        df = cites
        key = df["catalogue_id"].where(df["catalogue_id"] != "", df["cluster"])
        cols = [_nid("document", k) for k in key]
        labels = dict(zip(cols, df["resolved_title"].where(df["resolved_title"] != "", df["cluster"])))
        if unit == "document":
            rows = [_nid("document", d) for d in df["doc_id"]]
        else:
            if corpus is None:
                raise ParameterError(f"unit={unit!r} needs corpus=… to find sentence or paragraph boundaries")
            rows = _units_of_offsets(df, corpus, unit)
        return rows, cols, labels
    raise ParameterError("cites must be a citation graph or a citations DataFrame")


def _units_of_offsets(df, corpus, unit):
    import bisect

    from .text.structure import split_sentences

    out = []
    cache = {}
    for doc_id, start in zip(df["doc_id"], df["start"]):
        if doc_id not in cache:
            text = corpus[doc_id].text
            if unit == "sentence":
                starts = [s for s, _, _ in split_sentences(text)]
            else:
                starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
            cache[doc_id] = starts
        starts = cache[doc_id]
        out.append(f"{doc_id}#{bisect.bisect_right(starts, start) - 1}")
    return out


def _co_graph(rows, cols, labels, normalize, min_weight, relation):
    G = nx.Graph()
    if not rows:
        return G
    M, _, col_names = _incidence(rows, cols)
    C = (M.T @ M).tocsr()
    occ = np.asarray(C.diagonal()).astype(float)
    i, j, c, w = _normalize(C, occ, normalize)
    keep = c >= min_weight
    for name, n in zip(col_names, occ):
        G.add_node(name, kind="document", label=str(labels.get(name, name)), occurrences=int(n), years=[])
    G.add_edges_from((col_names[a], col_names[b], {"relation": relation, "weight": float(x), "count": int(k), "years": []})
                     for a, b, k, x in zip(i[keep], j[keep], c[keep], w[keep]))
    return G


def multimode_graph(docs, *, catalogue=None, taxonomy="smart_city_2017", unit="sentence", threshold=80.0, citations=None):  # noqa: C901 - one builder per node kind, inline; they become functions of the graphs/ package
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
    from .corpus.corpus import Corpus
    from .extract import extract_citations, extract_events, find_titles
    from .meta.agencies import load_agencies
    from .taxonomy import TaxonomyClassifier, load_taxonomy
    from .text.structure import structure_rows

    check_choice("unit", unit, ("sentence", "clause", "paragraph", "document"))
    corpus = docs if isinstance(docs, Corpus) else Corpus([_doc(i, t) for i, t in enumerate([docs] if isinstance(docs, str) else docs)])
    tx = load_taxonomy(taxonomy)
    core = tx.select(group="core") if tx.keys(group="core") else tx
    registry = load_agencies()
    G = nx.MultiGraph()
    from .datasets import programme_names

    programmes = programme_names(catalogue)
    # metadata: issued, in_domain
    dom = TaxonomyClassifier(core, unit="document").fit().document_domains(corpus)
    for d in corpus:
        doc = _node(G, "document", d.id, d.year)
        G.nodes[doc]["label"] = d.title or d.id
        for i, name in enumerate(dict.fromkeys(d.issuers)):
            a = _node(G, "agency", name, d.year)
            _edge(G, a, doc, "issued", d.year, lead=i == 0)
        if dom.loc[d.id, "domain"]:
            dm = _node(G, "domain", dom.loc[d.id, "domain"], d.year)
            G.nodes[dm]["label"] = core[dom.loc[d.id, "domain"]].zh
            _edge(G, doc, dm, "in_domain", d.year)
    # events: issued (cited documents), run_by, domains of cited documents
    events = extract_events(corpus, catalogue=catalogue, taxonomy=core, threshold=threshold)
    cits = citations if citations is not None else extract_citations(corpus, catalogue=catalogue, threshold=threshold)
    cited_node = {}
    for r in cits.itertuples():
        key = r.catalogue_id or r.cluster
        cited_node[(r.doc_id, r.start)] = _node(G, "document", key)
        G.nodes[cited_node[(r.doc_id, r.start)]]["label"] = r.resolved_title or r.cluster
    for e in events.itertuples():
        year = int(e.date[:4]) if e.date else None
        agencies = [a for a in e.issuers.split(";") if a]
        docs_here = [cited_node[(e.doc_id, t0 + e.start)] for t0, _, _ in find_titles(e.sentence)
                     if (e.doc_id, t0 + e.start) in cited_node]
        for a in agencies:
            an = _node(G, "agency", a, year)
            for dn in docs_here:
                _edge(G, an, dn, "issued", year)
        if e.programme:
            pn = _node(G, "programme", e.programme, year)
            if e.count is not None and not pd.isna(e.count):
                G.nodes[pn]["count"] = int(e.count)
            for a in agencies:
                _edge(G, pn, _node(G, "agency", a, year), "run_by", year)
        if e.domain:
            dm = _node(G, "domain", e.domain, year)
            G.nodes[dm]["label"] = core[e.domain].zh if e.domain in core.keys() else e.domain
            for dn in docs_here:
                _edge(G, dn, dm, "in_domain", year)
    # co-mentions per unit
    years = {d.id: d.year for d in corpus}
    for d in corpus:
        for start, end, context_domain in _units(d.text, unit, structure_rows, core):
            text = d.text[start:end]
            ents = set()
            for _, _, _, canon in registry.find(text, years[d.id]):  # aliases resolve to the body of that year
                ents.add(_node(G, "agency", canon, years[d.id]))
            for t0, _, _ in find_titles(text):
                n = cited_node.get((d.id, start + t0))
                if n:
                    ents.add(n)
            for p in programmes:
                if p in text:
                    ents.add(_node(G, "programme", p, years[d.id]))
            for k in core.named_in(text) + ([context_domain] if context_domain else []):
                dm = _node(G, "domain", k, years[d.id])
                G.nodes[dm]["label"] = core[k].zh
                ents.add(dm)
            for a, b in combinations(sorted(ents), 2):
                _edge(G, a, b, "co_occurs", years[d.id])
    return G


def _doc(i, text):
    from .corpus.document import Document

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
    M, row_names, _ = _incidence(rows, cols)
    C = sp.triu(M @ M.T, k=1).tocoo()
    P.add_edges_from((row_names[a], row_names[b], {"relation": f"shared_{'_'.join(via) if via else 'neighbours'}", "weight": float(w), "years": []})
                     for a, b, w in zip(C.row, C.col, C.data))
    return P


def cooccurrence_graph(tokens, meta=None, *, unit="document", window=None, min_count=5, min_weight=2,
                       measure="count", min_score=None, min_lift=None, top_n=None, stopwords="admin", client=None,
                       partition_size=5000):
    """Keyword co-occurrence network from the segmented corpus, counted on sparse matrices.

    Parameters
    ----------
    tokens : DataFrame
        ``Segmenter.segment`` output.
    meta : Corpus or DataFrame, optional
        Gives the years of documents (node and edge ``years``).
    unit : {"document", "window"}
        ``document``: terms co-occur when in the same document (Xᵀ·X on the
        binary document-term matrix); ``window``: within ``window`` tokens.
    window : int, optional
        Window size for ``unit="window"`` (default 5).
    min_count : int, default 5
        Minimum document frequency of a term.
    min_weight : int, default 2
        Minimum co-occurrence count of an edge.
    measure : {"count", "association", "cosine", "jaccard"}
        Edge weight.
    min_score : float, optional
        Minimum normalised weight.
    min_lift : float, optional
        Keep only pairs that co-occur more than chance: lift = observed
        co-occurrence / the co-occurrence expected if the two terms were
        independent (``n_docs · count / (df_i · df_j)``); 1 is chance.  Without
        it, the most frequent terms of a small corpus all co-occur and the
        network is complete.  Only for ``unit="document"``.
    top_n : int, optional
        Keep only the ``top_n`` most frequent terms.
    stopwords : str, list or None, default "admin"
        Terms kept out of the network on top of the Segmenter's stopwords (a
        tier of :func:`policynlp.lexicon.load_stopwords`: ``"admin"`` drops
        加强, 推进, 开展 …, which would otherwise sit at the centre), a list, or None.
    client : distributed.Client, optional
        Vectorise (distributed vocabulary) and count co-occurrences on the
        workers of a Dask cluster, ``partition_size`` documents per task; the
        partial counts are summed here, so the graph is the same as without a
        cluster (tested).

    Returns
    -------
    networkx.Graph
        Term nodes with ``count`` (document frequency) and ``years``; edges with
        ``count``, ``weight`` and ``years``.
    """
    from .features import TermVectorizer, token_lists
    from .lexicon import load_stopwords

    check_choice("unit", unit, ("document", "window"))
    check_choice("measure", measure, NORMALIZATIONS)
    check_int("min_count", min_count, minimum=1)
    if min_lift is not None and unit != "document":
        raise ParameterError('min_lift compares with chance over documents: use it with unit="document"')
    from .cluster import map_partitions, partitions, share

    ids, _, _ = token_lists(tokens)
    tv = TermVectorizer(min_df=min_count, max_features=top_n, weighting="binary",
                        stopwords=sorted(load_stopwords(stopwords)) or None)
    X = tv.weigh(tv.fit_counts(tokens, client=client, partition_size=partition_size)).tocsr().astype(np.float64)
    terms = tv.get_feature_names_out()
    occ = np.asarray(X.sum(axis=0)).ravel()
    size = partition_size if client is not None else max(1, X.shape[0])
    if unit == "document":
        blocks = (X[r : r + size] for r in range(0, X.shape[0], size))
        partial = map_partitions(_cooccurrence_block, blocks, client=client)
    else:
        vocab = share(client, tv.vocabulary_) if client is not None else tv.vocabulary_
        partial = map_partitions(_window_block, partitions(tv.analyzed(tokens), size), vocab, window or 5,
                                 client=client)
    C = sp.csr_matrix((len(terms), len(terms)), dtype=np.float64)
    for block in partial:
        C = C + block
    i, j, c, wgt = _normalize(C, occ, measure)
    keep = c >= min_weight
    if min_score is not None:
        keep &= wgt >= min_score
    if min_lift is not None:
        keep &= c * X.shape[0] >= min_lift * occ[i] * occ[j]
    i, j, c, wgt = i[keep], j[keep], c[keep], wgt[keep]
    # years: per term, the years of documents containing it (sparse: Xᵀ · Year-indicator)
    term_years = [[] for _ in terms]
    edge_years = [[] for _ in range(len(i))]
    if meta is not None and ids is not None:
        from .keywords import meta_frame

        m = meta_frame(meta)
        years = m["year"].reindex(ids)
        ok = years.notna().to_numpy()
        if ok.any():
            yvals = sorted({int(y) for y in years[ok]})
            ycol = {y: k for k, y in enumerate(yvals)}
            Y = sp.csr_matrix((np.ones(ok.sum()), (np.flatnonzero(ok), [ycol[int(y)] for y in years[ok]])),
                              shape=(X.shape[0], len(yvals)))
            TY = (X.T @ Y).tocsr()
            for r in range(len(terms)):
                term_years[r] = sorted(yvals[c_] for c_ in TY.indices[TY.indptr[r] : TY.indptr[r + 1]])
            if len(i):
                # an edge's years: those whose documents hold both terms, read off each
                # year's own co-occurrence matrix (memory of one Xᵀ·X, not of one column
                # of documents per edge, which took gigabytes at 10,000 documents)
                doc_year = Y.tocsc()
                for k, y in enumerate(yvals):
                    Xy = X[doc_year.indices[doc_year.indptr[k] : doc_year.indptr[k + 1]]]
                    together = np.asarray((Xy.T @ Xy).tocsr()[i, j]).ravel() > 0
                    for e in np.flatnonzero(together):
                        edge_years[e].append(y)
    names = [_nid("term", t) for t in terms]
    linked = np.zeros(len(terms), dtype=bool)
    linked[i] = True
    linked[j] = True
    G = nx.Graph()
    G.add_nodes_from((names[r], {"kind": "term", "label": terms[r], "count": int(occ[r]), "years": term_years[r]})
                     for r in np.flatnonzero(linked))
    G.add_edges_from(zip([names[a] for a in i], [names[b] for b in j],
                         ({"relation": "co_occurs", "count": k, "weight": x, "years": ys}
                          for k, x, ys in zip(c.astype(int).tolist(), wgt.astype(float).tolist(), edge_years))))
    return G


def _cooccurrence_block(X):
    """Co-occurrence counts within one block of documents (binary rows): Xᵀ·X."""
    return (X.T @ X).tocsr()


def _window_block(docs, vocab, w):
    """Co-occurrence counts within ``w`` tokens, for one partition of analysed token lists."""
    src, dst = [], []
    for d in docs:
        idx = np.fromiter((vocab[t] for t in d), dtype=np.int64, count=len(d))
        for k in range(1, w):
            if len(idx) > k:
                src.append(idx[:-k])
                dst.append(idx[k:])
    s = np.concatenate(src) if src else np.array([], dtype=np.int64)
    t = np.concatenate(dst) if dst else np.array([], dtype=np.int64)
    keep = s != t
    n = len(vocab)
    C = sp.coo_matrix((np.ones(keep.sum()), (s[keep], t[keep])), shape=(n, n)).tocsr()
    return C + C.T


def layout(G, *, seed=0, weight="weight", width=None):
    """Node positions with each connected component laid out on its own and packed in rows, largest first.

    A plain spring layout squeezes the main component into the centre when a
    network has isolated nodes (agencies that issue alone, say); this keeps
    the main component readable.  Deterministic for a given ``seed``.

    Parameters
    ----------
    G : networkx graph
    seed : int, default 0
    weight : str or None, default "weight"
    width : float, optional
        Width of a row of packed components; by default twice the square
        root of the largest component's size (at least 4).

    Returns
    -------
    dict of node → (x, y)
    """
    H = nx.Graph(G) if G.is_multigraph() or G.is_directed() else G
    comps = sorted((sorted(c, key=str) for c in nx.connected_components(H)), key=lambda c: (-len(c), str(c[0])))
    pos = {}
    x = y = row_h = 0.0
    if width is None:
        width = max(2.0 * len(comps[0]) ** 0.5, 4.0) if comps else 4.0
    for comp in comps:
        size = max(len(comp) ** 0.5, 0.6)
        # nodes and edges in sorted order: the layout depends on the graph, not on insertion order
        sub = nx.Graph()
        sub.add_nodes_from(comp)
        sub.add_edges_from(sorted(((u, v, d) if str(u) <= str(v) else (v, u, d) for u, v, d in H.subgraph(comp).edges(data=True)),
                                  key=lambda e: (str(e[0]), str(e[1]))))
        local = nx.spring_layout(sub, seed=seed, weight=weight, k=1.5 / max(len(comp), 1) ** 0.5, scale=size / 2) \
            if len(comp) > 1 else {comp[0]: np.zeros(2)}
        if x + size > width and x > 0:
            x, y, row_h = 0.0, y - row_h - 0.5, 0.0
        for n, (a, b) in local.items():
            pos[n] = (float(x + size / 2 + a), float(y - size / 2 + b))
        x += size + 0.5
        row_h = max(row_h, size)
    return pos


#: Networks larger than this get no layout: a spring layout of tens of thousands of nodes takes longer
#: than the rest of a run and draws a hairball; Gephi's ForceAtlas 2 lays them out instead.
LAYOUT_NODES = 2000
#: How many nodes of a large network its figure shows (those of largest weighted degree).
CORE_NODES = 150


def drawable(G, *, seed=0):
    """What to draw and where: ``(shown, positions, large)``.

    A network of at most :data:`LAYOUT_NODES` nodes is drawn whole and its
    positions go to the GEXF; a larger one gets no positions (lay it out in
    Gephi) and its figure shows its :data:`CORE_NODES` most connected nodes.
    ``analyze`` and ``policynlp graph`` both use this guard.
    """
    large = G.number_of_nodes() > LAYOUT_NODES
    shown = core_subgraph(G, CORE_NODES) if large else G
    return shown, layout(shown, seed=seed), large


def core_subgraph(G, n, *, weight="weight"):
    """The subgraph of the ``n`` nodes with the largest weighted degree (ties by id).

    What a figure of a large network can show; the whole network goes to Gephi.

    Examples
    --------
    >>> import networkx as nx
    >>> sorted(core_subgraph(nx.star_graph(5), 2).nodes)
    [0, 1]
    """
    check_int("n", n, minimum=1)
    if G.number_of_nodes() <= n:
        return G
    wdeg = dict(G.degree(weight=weight))
    keep = set(sorted(G.nodes, key=lambda v: (-wdeg[v], str(v)))[:n])
    # nodes and edges in sorted order: what is drawn, and in which order, depends on the graph alone
    H = G.__class__()
    H.graph.update(G.graph)
    H.add_nodes_from((v, G.nodes[v]) for v in sorted(keep, key=str))
    inside = ((u, v, d) if str(u) <= str(v) else (v, u, d) for u, v, d in G.edges(keep, data=True) if u in keep and v in keep)
    H.add_edges_from(sorted(inside, key=lambda e: (str(e[0]), str(e[1]))))
    return H


def time_slices(G, periods):
    """Subgraphs per period (CiteSpace-style): nodes and edges active in any year of the period.

    Parameters
    ----------
    periods : dict or list
        ``{"2012–2014": (2012, 2014), …}`` or a list of (start, end) tuples (inclusive).

    Returns
    -------
    dict of str → graph
    """
    if not isinstance(periods, dict):
        periods = {f"{a}–{b}": (a, b) for a, b in periods}
    out = {}
    for name, (a, b) in periods.items():
        span = set(range(int(a), int(b) + 1))
        H = G.__class__()
        H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if span & set(d.get("years", ())))
        edges = G.edges(keys=True, data=True) if G.is_multigraph() else G.edges(data=True)
        for e in edges:
            d = e[-1]
            if span & set(d.get("years", ())) and e[0] in H and e[1] in H:
                H.add_edge(*e[:-1], **d)
        out[name] = H
    return out


def communities(G, *, method="louvain", weight="weight", seed=0, resolution=1.0):
    """Community of each node (Louvain from networkx; Leiden when ``leidenalg`` is installed).

    Communities are numbered by decreasing size (ties by their smallest node id),
    so the numbering is stable across runs with the same seed.

    References
    ----------
    Blondel, V. D., et al. (2008). Fast unfolding of communities in large networks. J. Stat. Mech. P10008.
    Traag, V. A., Waltman, L., & van Eck, N. J. (2019). From Louvain to Leiden. Scientific Reports 9, 5233.
    """
    check_choice("method", method, ("louvain", "leiden"))
    H = nx.Graph(G) if G.is_multigraph() or G.is_directed() else G
    if H.number_of_nodes() == 0:
        return {}
    if method == "louvain":
        parts = nx.community.louvain_communities(H, weight=weight, seed=seed, resolution=resolution)
    else:
        try:
            import igraph as ig
            import leidenalg
        except ImportError as exc:
            raise MissingDependencyError('Leiden needs leidenalg: pip install "policynlp[networks]"') from exc
        order = sorted(H.nodes, key=str)
        index = {n: i for i, n in enumerate(order)}
        g = ig.Graph(n=len(order), edges=[(index[u], index[v]) for u, v in H.edges])
        g.es["weight"] = [float(d.get(weight, 1.0)) for _, _, d in H.edges(data=True)]
        part = leidenalg.find_partition(g, leidenalg.RBConfigurationVertexPartition, weights="weight",
                                        resolution_parameter=resolution, seed=seed)
        parts = [{order[i] for i in p} for p in part]
    parts = sorted(parts, key=lambda p: (-len(p), min(str(n) for n in p)))
    return {n: k for k, p in enumerate(parts) for n in p}


#: Above this many nodes, betweenness is estimated rather than computed exactly.
EXACT_BETWEENNESS_NODES = 2000
#: Above this many edges, node_table leaves the clustering coefficient to Gephi.
CLUSTERING_EDGES = 250_000


def node_table(G, *, weight="weight", community="louvain", seed=0, betweenness_sources=None, clustering=None):
    """Metrics per node: degree, weighted degree, betweenness, eigenvector, PageRank, clustering, community.

    Also writes ``community`` and ``weighted_degree`` into the graph's node
    attributes, so exports can colour and size by them.

    Parameters
    ----------
    G : networkx graph
    weight : str, default "weight"
    community : {"louvain", "leiden"} or None
    seed : int
        Seeds community detection and the sampled betweenness.
    betweenness_sources : int, optional
        Estimate betweenness from shortest paths out of this many sampled
        source nodes (Brandes and Pich 2007) instead of from every node.
        Default: exact up to :data:`EXACT_BETWEENNESS_NODES` nodes, 256 sources
        above — exact betweenness grows with nodes × edges and takes hours on
        the networks of a 100,000-document corpus.
    clustering : bool, optional
        Compute the weighted clustering coefficient.  Default: for networks of
        up to :data:`CLUSTERING_EDGES` edges; above, the column is NaN (networkx
        enumerates every triangle in Python: more than ten minutes for the
        1.3-million-edge network of 100,000 documents) — Gephi computes it
        (Statistics → Avg. Clustering Coefficient).

    References
    ----------
    Brandes, U., & Pich, C. (2007). Centrality estimation in large networks.
    International Journal of Bifurcation and Chaos, 17(7), 2303–2318.
    """
    H = nx.Graph(G) if G.is_multigraph() else G
    simple = nx.Graph(H) if H.is_directed() else H
    if G.is_multigraph():  # merge parallel edges' weights
        simple = nx.Graph()
        simple.add_nodes_from(G.nodes)
        for u, v, d in G.edges(data=True):
            w = float(d.get(weight, 1.0))
            if simple.has_edge(u, v):
                simple[u][v][weight] += w
            else:
                simple.add_edge(u, v, **{weight: w})
    deg = dict(simple.degree())
    wdeg = dict(simple.degree(weight=weight))
    n = simple.number_of_nodes()
    k = betweenness_sources if betweenness_sources is not None else (256 if n > EXACT_BETWEENNESS_NODES else None)
    if k is not None:
        check_int("betweenness_sources", k, minimum=1)
        k = None if k >= n else k
        if k is not None:
            log.info("betweenness estimated from %d of %d nodes (Brandes & Pich 2007)", k, n)
    btw = nx.betweenness_centrality(simple, k=k, weight=None, seed=seed) if n else {}
    try:  # power iteration: deterministic, unlike the ARPACK-based variant
        eig = nx.eigenvector_centrality(simple, weight=weight, max_iter=1000, tol=1e-9) if simple.number_of_edges() else {n: 0.0 for n in simple}
    except nx.PowerIterationFailedConvergence:
        eig = {n: float("nan") for n in simple}
    pr = nx.pagerank(simple, weight=weight) if simple.number_of_nodes() else {}
    if clustering is None:
        clustering = simple.number_of_edges() <= CLUSTERING_EDGES
        if not clustering:
            log.info("clustering coefficient not computed for %d edges (above %d); Gephi computes it",
                     simple.number_of_edges(), CLUSTERING_EDGES)
    clu = nx.clustering(simple, weight=weight) if clustering else {n: float("nan") for n in simple}
    comm = communities(simple, method=community, seed=seed) if community else {}
    rows = []
    for n in sorted(G.nodes, key=str):
        d = G.nodes[n]
        rows.append({"id": n, "label": d.get("label", n), "kind": d.get("kind", ""), "degree": deg.get(n, 0),
                     "weighted_degree": float(wdeg.get(n, 0.0)), "betweenness": float(btw.get(n, 0.0)),
                     "eigenvector": float(eig.get(n, 0.0)), "pagerank": float(pr.get(n, 0.0)),
                     "clustering": float(clu.get(n, 0.0)), "community": comm.get(n, -1)})
        d["weighted_degree"] = float(wdeg.get(n, 0.0))
        if comm:
            d["community"] = comm.get(n, -1)
    from .provenance import attach, provenance

    return attach(pd.DataFrame(rows), provenance("graphs.node_table", {
        "weight": weight, "community": community, "seed": seed, "betweenness_sources": betweenness_sources,
        "clustering": clustering, "nodes": G.number_of_nodes(), "edges": G.number_of_edges()}))


def edge_table(G):
    """Edges as a DataFrame: ``source, target, relation, weight, years`` and any other attributes."""
    edges = G.edges(data=True)
    rows = [{"source": u, "target": v, **{k: ("|".join(map(str, x)) if isinstance(x, list) else x) for k, x in d.items()}}
            for u, v, d in edges]
    df = pd.DataFrame(rows)
    return df.sort_values(["source", "target"]).reset_index(drop=True) if not df.empty else df


def backbone(G, *, method="disparity", alpha=0.05, threshold=None, k=None, weight="weight"):
    """Prune a weighted graph to its backbone.

    Parameters
    ----------
    method : {"disparity", "threshold", "top_k"}
        ``disparity``: keep an edge if it is significant at level ``alpha`` for
        either endpoint under the disparity filter (Serrano, Boguñá & Vespignani
        2009); ``threshold``: keep edges with weight ≥ ``threshold``; ``top_k``:
        keep each node's ``k`` strongest edges.

    References
    ----------
    Serrano, M. Á., Boguñá, M., & Vespignani, A. (2009). Extracting the multiscale
    backbone of complex weighted networks. PNAS 106(16), 6483–6488.
    """
    check_choice("method", method, ("disparity", "threshold", "top_k"))
    H = G.copy()
    if method == "threshold":
        if threshold is None:
            raise ParameterError("method='threshold' needs threshold=…")
        H.remove_edges_from([(u, v) for u, v, d in G.edges(data=True) if d.get(weight, 1.0) < threshold])
        return H
    if method == "top_k":
        check_int("k", k, minimum=1)
        keep = set()
        for n in G.nodes:
            nbrs = sorted(G[n].items(), key=lambda kv: (-kv[1].get(weight, 1.0), str(kv[0])))[:k]
            keep.update(frozenset((n, m)) for m, _ in nbrs)
        H.remove_edges_from([(u, v) for u, v in G.edges if frozenset((u, v)) not in keep])
        return H
    strength = dict(G.degree(weight=weight))
    degree = dict(G.degree())
    drop = []
    for u, v, d in G.edges(data=True):
        w = d.get(weight, 1.0)
        sig = False
        for n in (u, v):
            kn = degree[n]
            if kn > 1:
                p = w / strength[n]
                if (1 - p) ** (kn - 1) < alpha:
                    sig = True
            else:
                sig = True  # a node's only edge is kept
        if not sig:
            drop.append((u, v))
    H.remove_edges_from(drop)
    return H
