"""From reuse pairs to diffusion: a network for Gephi, adoption per source, and reuse crossed with citations.

Only directed pairs (the source dated before the target) carry diffusion;
pairs the dates cannot order stay in the pairs table and are counted on the
network (``G.graph["undirected_pairs"]``), never given an invented direction.
"""

import networkx as nx
import numpy as np
import pandas as pd

from .._validation import check_choice, with_id_column
from ..provenance import attach, provenance

__all__ = ["diffusion_graph", "adoption", "adoption_curves", "citation_crosscheck"]

_BY = {"document": None, "issuer": "lead_issuer", "region": "region", "level": "level"}
_KIND = {"document": "document", "issuer": "agency", "region": "region", "level": "level"}


def _meta(meta):
    if meta is None:
        return pd.DataFrame()
    frame = meta.meta if hasattr(meta, "meta") else meta
    if "id" in frame.columns:
        frame = frame.set_index(frame["id"].astype(str))
    return frame.set_axis(frame.index.astype(str))  # a copy: the caller's frame (a Corpus's meta) is not touched


def _value(meta, doc, column, default=""):
    if column not in meta.columns or doc not in meta.index:
        return default
    v = meta.at[doc, column]
    return default if v is None or (isinstance(v, float) and np.isnan(v)) or str(v) == "" else v


def _year(meta, doc, date):
    y = _value(meta, doc, "year", None)
    if y is not None:
        return int(y)
    head = str(date or "")[:4]
    return int(head) if head.isdigit() else None


def diffusion_graph(pairs, meta=None, *, by="document"):
    """A directed network of reuse: source → adopter, weighted by the characters the adopter reused.

    Parameters
    ----------
    pairs : DataFrame
        ``Reuse.pairs`` from :func:`~policynlp.reuse.find_reuse`.
    meta : Corpus or DataFrame, optional
        Document metadata (``title, lead_issuer, region, level, year``) for
        labels, node attributes and the aggregated networks.
    by : {"document", "issuer", "region", "level"}, default "document"
        Nodes are documents, or the lead issuers, regions or administrative
        levels of the documents (edges then add up the pairs between them;
        reuse inside one group is counted in ``G.graph["within"]``, not drawn
        as a loop).

    Returns
    -------
    networkx.DiGraph
        Node ids ``document:<id>``, ``agency:<name>``, ``region:<name>`` or
        ``level:<name>``, with ``label``, ``kind`` and ``years``; documents also
        carry ``issuer``, ``region``, ``level`` and ``date``.  Edges carry
        ``weight`` (shared characters), ``pairs``, ``passages``, ``median_lag_days``
        and ``years`` (the adopters' years), so Gephi's timeline plays the diffusion.

    Examples
    --------
    >>> pairs = pd.DataFrame({"source": ["a"], "target": ["b"], "directed": [True], "shared_chars": [120],
    ...                       "passages": [2], "lag_days": [30], "target_date": ["2020-03-01"], "source_date": ["2020-01-31"]})
    >>> G = diffusion_graph(pairs)
    >>> list(G.edges(data="weight")), G.nodes["document:b"]["years"]
    ([('document:a', 'document:b', 120)], [2020])
    """
    check_choice("by", by, tuple(_BY))
    meta = _meta(meta)
    G = nx.DiGraph()
    directed = pairs[pairs["directed"].astype(bool)] if len(pairs) else pairs
    G.graph["undirected_pairs"] = int(len(pairs) - len(directed))
    G.graph["within"] = 0
    col = _BY[by]

    def node(doc, date):
        year = _year(meta, doc, date)
        if col is None:
            nid = f"document:{doc}"
            if nid not in G:
                G.add_node(nid, kind="document", label=str(_value(meta, doc, "title", doc)), years=[],
                           issuer=str(_value(meta, doc, "lead_issuer")), region=str(_value(meta, doc, "region")),
                           level=str(_value(meta, doc, "level")), date=str(date or ""))
        else:
            name = str(_value(meta, doc, col, "(unknown)"))
            nid = f"{_KIND[by]}:{name}"
            if nid not in G:
                G.add_node(nid, kind=_KIND[by], label=name, years=[], documents=0)
        if year is not None and year not in G.nodes[nid]["years"]:
            G.nodes[nid]["years"] = sorted(G.nodes[nid]["years"] + [year])
        return nid, year

    lags = {}
    for r in directed.itertuples(index=False):
        u, _ = node(r.source, r.source_date)
        v, year = node(r.target, r.target_date)
        if u == v:
            G.graph["within"] += 1
            continue
        if G.has_edge(u, v):
            d = G.edges[u, v]
            d["weight"] += int(r.shared_chars)
            d["pairs"] += 1
            d["passages"] += int(r.passages)
        else:
            G.add_edge(u, v, relation="reuses", weight=int(r.shared_chars), pairs=1, passages=int(r.passages), years=[])
            d = G.edges[u, v]
        if year is not None and year not in d["years"]:
            d["years"] = sorted(d["years"] + [year])
        if pd.notna(r.lag_days):
            lags.setdefault((u, v), []).append(int(r.lag_days))
    for (u, v), values in lags.items():
        G.edges[u, v]["median_lag_days"] = float(np.median(values))
    for _, _, d in G.edges(data=True):
        d.setdefault("median_lag_days", float("nan"))
    if col is not None:
        docs = pd.concat([directed["source"], directed["target"]]).drop_duplicates()
        for doc in docs:
            nid = f"{_KIND[by]}:{_value(meta, doc, col, '(unknown)')}"
            G.nodes[nid]["documents"] += 1
    return G


def adoption(pairs, meta=None):
    """Per source document: its adopters, how fast and how faithfully they reused it.

    Parameters
    ----------
    pairs : DataFrame
        ``Reuse.pairs``; only directed pairs count.
    meta : Corpus or DataFrame, optional
        Adds the source's title, issuer and level, and the adopters' regions and levels.

    Returns
    -------
    DataFrame
        ``source, title, issuer, level, adopters, first_adoption, median_lag_days,
        max_lag_days, adopter_levels, adopter_regions, mean_target_share,
        mean_source_share`` — ``mean_target_share`` is how much of an adopter is
        the source, ``mean_source_share`` how much of the source reached an
        adopter (the two sides of fidelity), sorted by adopters.

    Examples
    --------
    >>> pairs = pd.DataFrame({"source": ["a", "a"], "target": ["b", "c"], "directed": [True, True],
    ...     "lag_days": pd.array([30, 90], dtype="Int64"), "target_date": ["2020-03-01", "2020-05-01"],
    ...     "target_share": [0.5, 0.2], "source_share": [0.8, 0.4]})
    >>> adoption(pairs)[["source", "adopters", "median_lag_days", "mean_source_share"]].values.tolist()
    [['a', 2, 60.0, 0.6]]
    """
    meta = _meta(meta)
    d = pairs[pairs["directed"].astype(bool)] if len(pairs) else pairs
    rows = []
    for src, part in d.groupby("source", sort=True):
        lag = pd.to_numeric(part["lag_days"], errors="coerce").dropna()
        levels = part["target"].map(lambda t: str(_value(meta, t, "level"))).replace("", "(unknown)")
        regions = part["target"].map(lambda t: str(_value(meta, t, "region"))).replace("", "(unknown)")
        rows.append({
            "source": src, "title": str(_value(meta, src, "title")), "issuer": str(_value(meta, src, "lead_issuer")),
            "level": str(_value(meta, src, "level")), "adopters": int(part["target"].nunique()),
            "first_adoption": str(part["target_date"].min()), "median_lag_days": float(lag.median()) if len(lag) else np.nan,
            "max_lag_days": float(lag.max()) if len(lag) else np.nan,
            "adopter_levels": _counts(levels), "adopter_regions": _counts(regions),
            "mean_target_share": round(float(part["target_share"].mean()), 4),
            "mean_source_share": round(float(part["source_share"].mean()), 4),
        })
    cols = ["source", "title", "issuer", "level", "adopters", "first_adoption", "median_lag_days", "max_lag_days",
            "adopter_levels", "adopter_regions", "mean_target_share", "mean_source_share"]
    out = pd.DataFrame(rows, columns=cols)
    out = out.sort_values(["adopters", "source"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    return attach(out, provenance("reuse.adoption", {}))


def _counts(values):
    c = values.value_counts()
    return "; ".join(f"{k} {v}" for k, v in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))


def adoption_curves(pairs, meta=None, *, by="level", sources=None):
    """Cumulative adopters against days since the source was issued, one curve per adopter group.

    Parameters
    ----------
    pairs : DataFrame
        ``Reuse.pairs``; directed pairs with a lag in days count.
    meta : Corpus or DataFrame, optional
        Gives each adopter's ``level`` or ``region``.
    by : {"level", "region"}, default "level"
    sources : list of str, optional
        Only these source documents (default: all, pooled).

    Returns
    -------
    DataFrame
        ``group, lag_days, adopters`` (cumulative count of adoptions in the
        group by that lag: adopting documents of one source, or source →
        adopter pairs when several sources are pooled, so a document that
        adopts two sources counts twice), sorted.

    Examples
    --------
    >>> pairs = pd.DataFrame({"source": ["a", "a", "a"], "target": ["b", "c", "d"], "directed": [True] * 3,
    ...                       "lag_days": pd.array([30, 10, 30], dtype="Int64")})
    >>> adoption_curves(pairs).values.tolist()
    [['(unknown)', 10, 1], ['(unknown)', 30, 3]]
    """
    check_choice("by", by, ("level", "region"))
    meta = _meta(meta)
    d = pairs[pairs["directed"].astype(bool)] if len(pairs) else pairs
    if sources is not None:
        d = d[d["source"].isin(list(sources))]
    d = d[pd.to_numeric(d["lag_days"], errors="coerce").notna()] if len(d) else d
    meta_record = provenance("reuse.adoption_curves", {"by": by, "sources": sorted(sources) if sources is not None else None})
    if d.empty:
        return attach(pd.DataFrame(columns=["group", "lag_days", "adopters"]), meta_record)
    groups = d["target"].map(lambda t: str(_value(meta, t, by))).replace("", "(unknown)")
    frame = pd.DataFrame({"group": groups, "lag_days": pd.to_numeric(d["lag_days"]).astype(int)})
    counts = frame.groupby(["group", "lag_days"]).size().groupby(level=0).cumsum()
    out = counts.rename("adopters").reset_index()
    return attach(out.sort_values(["group", "lag_days"], kind="mergesort").reset_index(drop=True), meta_record)


def citation_crosscheck(pairs, citations, meta):
    """Reuse crossed with citation: who cites the source in 《》 and reuses it, who reuses without citing, who only cites.

    Parameters
    ----------
    pairs : DataFrame
        ``Reuse.pairs`` (directed or not).
    citations : DataFrame
        :func:`policynlp.extract.extract_citations` of the same corpus.
    meta : Corpus or DataFrame
        Titles of the documents, to resolve what each one cites to a document
        of the corpus (titles compared as :func:`~policynlp.extract.normalize_title` does).

    Returns
    -------
    DataFrame
        ``citing, cited, relation`` with relation ``cites and reuses``,
        ``reuses without citing`` or ``cites without reusing``, plus
        ``shared_chars`` (0 when nothing is reused); ``citing`` is the later
        document of a reuse pair (either one when undirected, whichever cites).

    Examples
    --------
    >>> meta = pd.DataFrame({"id": ["a", "b", "c"], "title": ["关于推进生态环境分区管控的意见", "甲省实施方案", "乙省实施方案"]})
    >>> cits = pd.DataFrame({"id": ["b", "c"], "cluster": ["关于推进生态环境分区管控的意见"] * 2})
    >>> pairs = pd.DataFrame({"source": ["a"], "target": ["b"], "directed": [True], "shared_chars": [300]})
    >>> citation_crosscheck(pairs, cits, meta)[["citing", "cited", "relation"]].values.tolist()
    [['b', 'a', 'cites and reuses'], ['c', 'a', 'cites without reusing']]
    """
    from ..extract import normalize_title

    meta = _meta(meta)
    by_title = {}
    if "title" in meta.columns:
        for doc, title in meta["title"].fillna("").astype(str).items():
            if title:
                by_title.setdefault(normalize_title(title), doc)
    cites = set()
    for r in with_id_column(citations, "citation_crosscheck").itertuples(index=False):
        target = by_title.get(normalize_title(str(r.cluster)))
        if target is not None and target != r.id:
            cites.add((str(r.id), target))
    reuse = {}
    for r in pairs.itertuples(index=False):
        s, t = str(r.source), str(r.target)
        if not r.directed and (s, t) in cites:  # undated pair: the citing side is the later one
            s, t = t, s
        reuse[(t, s)] = int(r.shared_chars)
    rows = []
    for key in sorted(set(reuse) | cites):
        if key in reuse and key in cites:
            rel = "cites and reuses"
        elif key in reuse:
            rel = "reuses without citing"
        else:
            rel = "cites without reusing"
        rows.append([key[0], key[1], rel, reuse.get(key, 0)])
    return attach(pd.DataFrame(rows, columns=["citing", "cited", "relation", "shared_chars"]),
                  provenance("reuse.citation_crosscheck", {}))
