"""Networks of documents and agencies: co-issuing, citation, co-citation and bibliographic coupling."""

from itertools import combinations

import networkx as nx
import numpy as np
import pandas as pd

from .._validation import UNSET, check_choice, renamed, with_id_column
from ..errors import ParameterError
from ._model import NORMALIZATIONS, add_edge, add_node, add_years, incidence, node_id, normalize_counts


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
            nid = add_node(G, "agency", name, d.year)
            nd = G.nodes[nid]
            nd["n_documents"] = nd.get("n_documents", 0) + 1
            nd["n_lead"] = nd.get("n_lead", 0) + (i == 0)
            count = d.extra.get("issuers_count")
            nd["n_collective"] = nd.get("n_collective", 0) + (1 if count and count > len(names) else 0)
        for a, b in combinations(names, 2):
            add_edge(G, node_id("agency", a), node_id("agency", b), "co_issued", d.year)
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
    from ..extract import extract_citations, normalize_title

    cits = (with_id_column(citations, "citation_graph") if citations is not None
            else extract_citations(corpus, catalogue=catalogue, threshold=threshold))
    by_title = {normalize_title(d.title): d.id for d in corpus if d.title}
    G = nx.DiGraph()
    years = {d.id: d.year for d in corpus}
    for d in corpus:
        add_node(G, "document", d.id, d.year, title=d.title)
        G.nodes[node_id("document", d.id)]["label"] = d.title or d.id
    for r in cits.itertuples():
        if r.catalogue_id:
            target, label = r.catalogue_id, r.resolved_title
        else:
            target = by_title.get(normalize_title(r.cluster), r.cluster)
            label = r.cluster
        t = node_id("document", target)
        if t not in G:
            G.add_node(t, kind="document", label=label, years=[], title=label)
        if t == node_id("document", r.id):
            continue  # a document naming itself
        add_edge(G, node_id("document", r.id), t, "cites", years.get(r.id))
        add_years(G.nodes[t], years.get(r.id))
    return G


def co_citation(cites, *, measure="count", min_weight=1, unit="document", corpus=None, catalogue=None, normalize=UNSET):
    """Documents linked by being cited together (relation ``co_cited``).

    Parameters
    ----------
    cites : DiGraph or DataFrame
        A :func:`citation_graph`, or citations from ``extract_citations`` (needed
        for ``unit="sentence"``/``"paragraph"``).
    measure : {"count", "association", "cosine", "jaccard"}
        ``count``: citing units in common; ``association``: association strength
        (van Eck & Waltman 2009); ``cosine``: Salton's cosine; ``jaccard``.
        (Called ``normalize`` before; that name still works, with a FutureWarning.)
    min_weight : int, default 1
        Minimum raw co-citation count.
    unit : {"document", "sentence", "paragraph"}
        What counts as citing together.

    References
    ----------
    Small, H. (1973). Co-citation in the scientific literature. JASIST 24(4), 265–269.
    van Eck, N. J., & Waltman, L. (2009). How to normalize cooccurrence data? JASIST 60(8), 1635–1647.
    """
    measure = renamed("co_citation", "normalize", "measure", normalize, measure, "count")
    check_choice("measure", measure, NORMALIZATIONS)
    check_choice("unit", unit, ("document", "sentence", "paragraph"))
    rows, cols, labels = _citing_pairs(cites, unit, corpus, catalogue)
    return _co_graph(rows, cols, labels, measure, min_weight, "co_cited")


def bibliographic_coupling(cites, *, measure="count", min_weight=1, normalize=UNSET):
    """Documents linked by citing the same documents (relation ``coupled``; Kessler 1963).

    ``measure`` as in :func:`co_citation`.
    """
    measure = renamed("bibliographic_coupling", "normalize", "measure", normalize, measure, "count")
    check_choice("measure", measure, NORMALIZATIONS)
    rows, cols, labels = _citing_pairs(cites, "document", None, None)
    return _co_graph(cols, rows, labels, measure, min_weight, "coupled")


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
        df = with_id_column(cites, "co_citation")
        key = df["catalogue_id"].where(df["catalogue_id"] != "", df["cluster"])
        cols = [node_id("document", k) for k in key]
        labels = dict(zip(cols, df["resolved_title"].where(df["resolved_title"] != "", df["cluster"])))
        if unit == "document":
            rows = [node_id("document", d) for d in df["id"]]
        else:
            if corpus is None:
                raise ParameterError(f"unit={unit!r} needs corpus=… to find sentence or paragraph boundaries")
            rows = _units_of_offsets(df, corpus, unit)
        return rows, cols, labels
    raise ParameterError("cites must be a citation graph or a citations DataFrame")


def _units_of_offsets(df, corpus, unit):
    import bisect

    from ..text.structure import split_sentences

    out = []
    cache = {}
    for doc_id, start in zip(df["id"], df["start"]):
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


def _co_graph(rows, cols, labels, measure, min_weight, relation):
    G = nx.Graph()
    if not rows:
        return G
    M, _, col_names = incidence(rows, cols)
    C = (M.T @ M).tocsr()
    occ = np.asarray(C.diagonal()).astype(float)
    i, j, c, w = normalize_counts(C, occ, measure)
    keep = c >= min_weight
    for name, n in zip(col_names, occ):
        G.add_node(name, kind="document", label=str(labels.get(name, name)), occurrences=int(n), years=[])
    G.add_edges_from((col_names[a], col_names[b], {"relation": relation, "weight": float(x), "count": int(k), "years": []})
                     for a, b, k, x in zip(i[keep], j[keep], c[keep], w[keep]))
    return G
