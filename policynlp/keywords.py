"""Keywords: tf-idf, TextRank, keyness between groups, term trends and keyword-in-context.

All functions take the tokens table of :meth:`Segmenter.segment` (``id``,
``tokens``) and, where groups are needed, the corpus (or its ``meta`` table)
to group by any metadata column.  Results are tidy DataFrames with the
columns ``group, term, score, rank`` first.  Numbers, dates, document numbers
and 《titles》 never become keywords.

Its length is five keyword methods that share the group labelling and term filtering above them.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ._validation import check_int
from .errors import ParameterError
from .features import TermVectorizer, token_lists, window_pairs
from .provenance import attach, provenance

if TYPE_CHECKING:
    from .corpus import Corpus

__all__ = ["tfidf_keywords", "textrank_keywords", "keyness", "term_trends", "kwic"]


def meta_frame(meta):
    from .corpus.corpus import Corpus

    if isinstance(meta, Corpus):
        return meta.meta
    if isinstance(meta, pd.DataFrame):
        return meta
    raise ParameterError(f"meta must be a Corpus or its .meta DataFrame, not {type(meta).__name__}")


def _document_ids(tokens):
    """The document of each token row: its id, or for units (paragraphs, clauses …) their ``document`` column.

    Keywords are about documents and groups of documents: tokens of units
    (:func:`policynlp.text.units_frame` segmented) pool into their document.
    """
    if isinstance(tokens, pd.DataFrame) and "document" in tokens.columns:
        return tokens["document"].astype(str).tolist()
    ids, _, _ = token_lists(tokens)
    return ids or [str(i) for i in range(len(tokens))]


def group_labels(ids, meta, by):
    """Group label per document (``by=None``: the document id)."""
    if by is None:
        return list(ids)
    if meta is None:
        raise ParameterError(f"by={by!r} needs the corpus (or corpus.meta) to look the column up: pass meta=corpus")
    m = meta_frame(meta)
    if by not in m.columns:
        raise ParameterError(f"by={by!r} is not a metadata column; columns are {sorted(m.columns)}")
    missing = [i for i in ids if i not in m.index]
    if missing:
        raise ParameterError(f"{len(missing)} token rows have ids not in the corpus (first: {missing[0]!r})")
    labels = m.loc[list(ids), by]
    return ["(none)" if pd.isna(v) or v == "" else v for v in labels]


def group_order(group):
    """Sort key for group labels of mixed types: numbers (years) in order, then text, "(none)" last.

    A corpus where some documents have a year and others none gives labels
    ``2019, 2020, "(none)"``; Python cannot compare them directly.

    Examples
    --------
    >>> sorted([2021, "(none)", 2019, "central"], key=group_order)
    [2019, 2021, 'central', '(none)']
    """
    if group == "(none)":
        return (2, "")
    if isinstance(group, str):
        return (1, group)
    return (0, group)


def _indicator(labels):
    groups = sorted(set(labels), key=group_order)
    index = {g: i for i, g in enumerate(groups)}
    rows = np.array([index[g] for g in labels])
    ind = sp.csr_matrix((np.ones(len(labels)), (rows, np.arange(len(labels)))), shape=(len(groups), len(labels)))
    return groups, ind


def _top(scores, groups, terms, top_n, extra=None):
    """Tidy top-n table from a dense groups × terms score matrix."""
    rows = []
    for gi, g in enumerate(groups):
        s = scores[gi]
        cand = np.flatnonzero(s > 0)
        # sort by score desc, then term for ties: stable across runs
        order = sorted(cand, key=lambda j: (-s[j], terms[j]))[:top_n]
        for r, j in enumerate(order, start=1):
            row = {"group": g, "term": terms[j], "score": float(s[j]), "rank": r}
            if extra:
                for name, mat in extra.items():
                    row[name] = mat[gi][j].item() if hasattr(mat[gi][j], "item") else mat[gi][j]
            rows.append(row)
    return pd.DataFrame(rows, columns=["group", "term", "score", "rank", *(extra or {})])


def tfidf_keywords(
    tokens: pd.DataFrame,
    meta: Corpus | pd.DataFrame | None = None,
    *,
    by: str | None = None,
    top_n: int = 10,
    min_df: int | float = 1,
    max_df: int | float = 1.0,
    stopwords: str | Iterable[str] | None = "admin",
) -> pd.DataFrame:
    """Keywords by tf-idf, per document or per group, with IDF fitted on this corpus.

    For a group, its documents' counts are pooled: score = (count in group /
    tokens in group) × idf, with idf computed over the corpus's documents
    (scikit-learn's smoothed ``ln((1 + n) / (1 + df)) + 1``).

    Parameters
    ----------
    tokens : DataFrame
        ``Segmenter.segment`` output.
    meta : Corpus or DataFrame, optional
        Needed with ``by``.
    by : str, optional
        A metadata column (``year``, ``lead_issuer``, ``doc_type`` …); default:
        each document is its own group.
    top_n : int, default 10
    min_df, max_df : int or float
        Passed to :class:`TermVectorizer`.
    stopwords : str, list or None, default "admin"
        Terms that are never keywords, on top of the Segmenter's stopwords: a
        tier of :func:`policynlp.lexicon.load_stopwords` (``"admin"``:
        administrative verbs such as 加强, 推进, 开展), a list, or None.

    Returns
    -------
    DataFrame
        ``group, term, score, rank, count, doc_freq``; ``attrs["provenance"]``.

    Examples
    --------
    >>> from policynlp import Segmenter, load_demo
    >>> corpus = load_demo()
    >>> kw = tfidf_keywords(Segmenter().segment(corpus), top_n=3)
    >>> kw[kw.group == "sc-tourism-2015"].term.tolist()
    ['旅游', '智慧旅游', '景区']
    """
    check_int("top_n", top_n, minimum=1)
    ids = _document_ids(tokens)
    tv = TermVectorizer(min_df=min_df, max_df=max_df, stopwords=_stop(stopwords)).fit(tokens)
    counts = tv.count_matrix(tokens).astype(float)
    groups, ind = _indicator(group_labels(ids, meta, by))
    gcounts = (ind @ counts).toarray()
    totals = gcounts.sum(axis=1, keepdims=True)
    totals[totals == 0] = 1
    scores = gcounts / totals * tv.idf_
    terms = tv.get_feature_names_out().tolist()
    df = np.broadcast_to(tv.document_frequency_, gcounts.shape)
    out = _top(scores, groups, terms, top_n, {"count": gcounts.astype(int), "doc_freq": df})
    return attach(out, provenance("keywords.tfidf", {"by": by, "top_n": top_n, "min_df": min_df, "max_df": max_df,
                                                     "stopwords": stopwords},
                                  upstream=tokens.attrs.get("provenance") if hasattr(tokens, "attrs") else None))


def _stop(stopwords):
    """A sorted list (reproducible provenance and state) of the stopwords named by ``stopwords``."""
    from .lexicon import load_stopwords

    return sorted(load_stopwords(stopwords)) or None


def _pagerank(adj, damping=0.85, tol=1e-10, max_iter=200):
    """PageRank of a symmetric weighted adjacency matrix (power iteration; same fixed point as networkx.pagerank)."""
    n = adj.shape[0]
    out = np.asarray(adj.sum(axis=1)).ravel()
    dangling = out == 0
    out[dangling] = 1
    m = sp.diags(1.0 / out) @ adj  # row-stochastic
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        prev = x
        x = damping * (m.T @ x + prev[dangling].sum() / n) + (1 - damping) / n
        if np.abs(x - prev).sum() < n * tol:
            break
    return x / x.sum()


def textrank_keywords(
    tokens: pd.DataFrame,
    meta: Corpus | pd.DataFrame | None = None,
    *,
    by: str | None = None,
    top_n: int = 10,
    window: int = 5,
    damping: float = 0.85,
    stopwords: str | Iterable[str] | None = "admin",
) -> pd.DataFrame:
    """Keywords by TextRank (Mihalcea & Tarau 2004) on our own segmentation.

    Terms are nodes; two terms are linked when they occur within ``window``
    tokens of each other (after stopwords and non-terms are removed), weighted
    by how often.  PageRank with ``damping`` ranks the nodes.

    Parameters
    ----------
    tokens : DataFrame
    meta : Corpus or DataFrame, optional
    by : str, optional
        Group documents and rank over each group's pooled graph.
    top_n, window : int
    damping : float, default 0.85
    stopwords : str, list or None, default "admin"
        As in :func:`tfidf_keywords`.

    Returns
    -------
    DataFrame
        ``group, term, score, rank``.

    References
    ----------
    Mihalcea, R., & Tarau, P. (2004). TextRank: Bringing order into texts.
    Proceedings of EMNLP 2004, 404–411.

    Examples
    --------
    >>> from policynlp import Segmenter, load_demo
    >>> kw = textrank_keywords(Segmenter().segment(load_demo()), top_n=2)
    >>> kw[kw.group == "sc-health-2016"].term.tolist()
    ['健康医疗大数据', '应用']
    """
    check_int("top_n", top_n, minimum=1)
    check_int("window", window, minimum=2)
    if not 0 < damping < 1:
        raise ParameterError(f"damping={damping!r} must be between 0 and 1")
    ids = _document_ids(tokens)
    tv = TermVectorizer(stopwords=_stop(stopwords)).fit(tokens)
    vocab = tv.vocabulary_
    terms = tv.get_feature_names_out().tolist()
    docs = tv.analyzed(tokens)
    labels = group_labels(ids, meta, by)
    groups = sorted(set(labels), key=lambda g: (str(type(g)), g))
    members = {g: [] for g in groups}
    for lab, d in zip(labels, docs):
        members[lab].append(d)
    rows = []
    for g in groups:
        s, t = window_pairs(members[g], vocab, window)
        if not len(s):
            continue
        nodes, inv = np.unique(np.concatenate([s, t]), return_inverse=True)
        si, ti = inv[: len(s)], inv[len(s) :]
        n = len(nodes)
        adj = sp.coo_matrix((np.ones(len(si)), (si, ti)), shape=(n, n)).tocsr()
        adj = adj + adj.T
        pr = _pagerank(adj, damping)
        order = sorted(range(n), key=lambda j: (-pr[j], terms[nodes[j]]))[:top_n]
        rows.extend({"group": g, "term": terms[nodes[j]], "score": float(pr[j]), "rank": r}
                    for r, j in enumerate(order, start=1))
    out = pd.DataFrame(rows, columns=["group", "term", "score", "rank"])
    return attach(out, provenance("keywords.textrank", {"by": by, "top_n": top_n, "window": window, "damping": damping,
                                                        "stopwords": stopwords},
                                  upstream=tokens.attrs.get("provenance")))


def _two_groups(labels, groups):
    values = sorted(set(labels), key=str)
    if groups is None:
        if len(values) != 2:
            raise ParameterError(
                f"keyness compares two groups but the column has {len(values)} values "
                f"({', '.join(str(v) for v in values[:8])}); pass groups=(a, b) or "
                "groups={'label A': [...], 'label B': [...]} (on the command line: --groups 'A=v,v;B=v,v')"
            )
        return {values[0]: {values[0]}, values[1]: {values[1]}}
    if isinstance(groups, dict):
        if len(groups) != 2:
            raise ParameterError(f"groups must name exactly two groups, got {len(groups)}")
        out = {}
        for name, vals in groups.items():
            vals = set(vals) if not isinstance(vals, (str, int)) else {vals}
            out[name] = vals
        return out
    if isinstance(groups, (tuple, list)) and len(groups) == 2:
        return {groups[0]: {groups[0]}, groups[1]: {groups[1]}}
    raise ParameterError(f"groups={groups!r}: give (a, b) or a dict of two labels to lists of values")


def keyness(
    tokens: pd.DataFrame,
    meta: Corpus | pd.DataFrame,
    *,
    by: str,
    groups: tuple[Any, Any] | Mapping[str, Sequence[Any]] | None = None,
    top_n: int = 20,
    prior: float = 1000.0,
    min_count: int = 3,
) -> pd.DataFrame:
    """Terms that distinguish two groups of documents.

    The score is the z-score of the log-odds ratio with an informative
    Dirichlet prior (Monroe, Colaresi & Quinn 2008), the prior being the pooled
    frequencies of both groups scaled to ``prior`` pseudo-counts.  Each row also
    gives the 2×2 chi-square and its p-value and an effect size: Hardie's Log
    Ratio (binary log of the ratio of relative frequencies; 1 = twice as frequent).

    Parameters
    ----------
    tokens : DataFrame
    meta : Corpus or DataFrame
    by : str
        The metadata column that defines the groups (``year``, ``lead_issuer`` …).
    groups : tuple or dict, optional
        ``(a, b)`` two values of ``by``; or ``{"2012–2014": [2012, 2013, 2014],
        "2015–2016": [2015, 2016]}``; optional when ``by`` has exactly two values.
    top_n : int, default 20
        Terms per group.
    prior : float, default 1000
        Total pseudo-counts of the informative prior (α₀).
    min_count : int, default 3
        Ignore terms seen fewer times in both groups together.

    Returns
    -------
    DataFrame
        ``group, term, score (z), rank, count, count_other, per_10k, per_10k_other,
        log_odds, chi2, p_value, log_ratio``: ``top_n`` rows for each group, its
        distinctive terms first.

    References
    ----------
    Monroe, B. L., Colaresi, M. P., & Quinn, K. M. (2008). Fightin' words:
    Lexical feature selection and evaluation for identifying the content of
    political conflict. Political Analysis, 16(4), 372–403.
    Hardie, A. (2014). Log Ratio: an informal introduction. CASS, Lancaster University.

    Examples
    --------
    >>> from policynlp import Segmenter, load_demo
    >>> corpus = load_demo()
    >>> k = keyness(Segmenter().segment(corpus), corpus, by="year", groups={"2012–2014": [2012, 2013, 2014], "2015–2016": [2015, 2016]}, top_n=3)
    >>> k[k.group == "2015–2016"].term.tolist()
    ['旅游', '智能', '网上']
    """
    from scipy.stats import chi2 as chi2_dist

    check_int("top_n", top_n, minimum=1)
    if prior <= 0:
        raise ParameterError(f"prior={prior!r} must be positive")
    ids = _document_ids(tokens)
    labels = group_labels(ids, meta, by)
    spec = _two_groups(labels, groups)
    names = list(spec)
    member = [next((n for n in names if lab in spec[n]), None) for lab in labels]
    for n in names:
        if n not in member:
            raise ParameterError(f"group {n!r} has no documents (values {sorted(spec[n], key=str)} of {by!r} not found)")
    # Only the two groups' documents count: a term seen only elsewhere would get a zero prior.
    rows = [i for i, m in enumerate(member) if m is not None]
    _, lists, _ = token_lists(tokens)
    member = [member[i] for i in rows]
    tv = TermVectorizer()
    counts = tv.fit_counts([lists[i] for i in rows]).tocsr()
    ya = np.asarray(counts[[i for i, m in enumerate(member) if m == names[0]]].sum(axis=0)).ravel().astype(float)
    yb = np.asarray(counts[[i for i, m in enumerate(member) if m == names[1]]].sum(axis=0)).ravel().astype(float)
    na, nb = ya.sum(), yb.sum()
    pooled = ya + yb
    alpha = prior * pooled / pooled.sum()
    a0 = alpha.sum()
    delta = np.log((ya + alpha) / (na + a0 - ya - alpha)) - np.log((yb + alpha) / (nb + a0 - yb - alpha))
    z = delta / np.sqrt(1.0 / (ya + alpha) + 1.0 / (yb + alpha))
    # 2×2 chi-square (no continuity correction)
    c, d = na - ya, nb - yb
    n = na + nb
    denom = (ya + yb) * (c + d) * (ya + c) * (yb + d)
    chi2 = np.where(denom > 0, n * (ya * d - yb * c) ** 2 / np.where(denom > 0, denom, 1), 0.0)
    p = chi2_dist.sf(chi2, 1)
    log_ratio = np.log2(((ya + 0.5 * (ya == 0)) / na) / ((yb + 0.5 * (yb == 0)) / nb))
    terms = tv.get_feature_names_out()
    ok = pooled >= min_count
    rows = []
    for gi, (name, sign) in enumerate(((names[0], 1), (names[1], -1))):
        s = sign * z
        cand = np.flatnonzero(ok & (s > 0))
        order = sorted(cand, key=lambda j: (-s[j], terms[j]))[:top_n]
        mine, other = (ya, yb) if gi == 0 else (yb, ya)
        nm, no = (na, nb) if gi == 0 else (nb, na)
        for r, j in enumerate(order, start=1):
            rows.append({
                "group": name, "term": terms[j], "score": float(s[j]), "rank": r,
                "count": int(mine[j]), "count_other": int(other[j]),
                "per_10k": float(mine[j] / nm * 1e4), "per_10k_other": float(other[j] / no * 1e4),
                "log_odds": float(sign * delta[j]), "chi2": float(chi2[j]), "p_value": float(p[j]),
                "log_ratio": float(sign * log_ratio[j]),
            })
    cols = ["group", "term", "score", "rank", "count", "count_other", "per_10k", "per_10k_other",
            "log_odds", "chi2", "p_value", "log_ratio"]
    out = pd.DataFrame(rows, columns=cols)
    return attach(out, provenance("keywords.keyness", {"by": by, "groups": {k: sorted(v, key=str) for k, v in spec.items()},
                                                       "top_n": top_n, "prior": prior, "min_count": min_count},
                                  upstream=tokens.attrs.get("provenance")))


def term_trends(
    tokens: pd.DataFrame,
    meta: Corpus | pd.DataFrame,
    terms: Iterable[str] | None = None,
    *,
    by: str = "year",
    top_n: int = 10,
    per: int = 10_000,
    stopwords: str | Iterable[str] | None = "admin",
) -> pd.DataFrame:
    """Frequency of terms per group (by default per year), normalised per ``per`` tokens.

    Parameters
    ----------
    tokens : DataFrame
    meta : Corpus or DataFrame
    terms : list of str, optional
        Terms to follow; default: the ``top_n`` most frequent terms.
    by : str, default "year"
    top_n : int, default 10
    per : int, default 10000
    stopwords : str, list or None, default "admin"
        Terms never picked as default ``terms`` (as in :func:`tfidf_keywords`);
        rates are still per all tokens of the group.

    Returns
    -------
    DataFrame
        ``group, term, count, tokens, rate`` (rate = count per ``per`` tokens
        of the group), one row per group and term, groups in order.

    Examples
    --------
    >>> from policynlp import Segmenter, load_demo
    >>> corpus = load_demo()
    >>> tr = term_trends(Segmenter().segment(corpus), corpus, ["智慧城市"])
    >>> tr[["group", "count"]].values.tolist()[:3]
    [[2012, 6], [2013, 5], [2014, 4]]
    """
    check_int("per", per, minimum=1)
    ids = _document_ids(tokens)
    labels = group_labels(ids, meta, by)
    tv = TermVectorizer().fit(tokens)
    counts = tv.count_matrix(tokens)
    groups, ind = _indicator(labels)
    gcounts = (ind @ counts).toarray()
    totals = gcounts.sum(axis=1)
    vocab = tv.vocabulary_
    if terms is None:
        overall = gcounts.sum(axis=0)
        names = tv.get_feature_names_out()
        skip = set(_stop(stopwords) or ())
        order = sorted((j for j in range(len(names)) if names[j] not in skip), key=lambda j: (-overall[j], names[j]))
        terms = [names[j] for j in order[:top_n]]
    rows = []
    for gi, g in enumerate(groups):
        for t in terms:
            c = int(gcounts[gi, vocab[t]]) if t in vocab else 0
            rows.append({"group": g, "term": t, "count": c, "tokens": int(totals[gi]),
                         "rate": float(c / totals[gi] * per) if totals[gi] else 0.0})
    out = pd.DataFrame(rows, columns=["group", "term", "count", "tokens", "rate"])
    return attach(out, provenance("keywords.trends", {"by": by, "terms": list(terms), "per": per},
                                  upstream=tokens.attrs.get("provenance")))


def kwic(corpus, term, *, window=20, max_hits=None):
    """Keyword in context: every occurrence of ``term`` with the text around it.

    Parameters
    ----------
    corpus : Corpus
    term : str
    window : int, default 20
        Characters of context on each side.
    max_hits : int, optional

    Returns
    -------
    DataFrame
        ``id, title, path, left, term, right, start, end``; ``path`` is the
        numbered clause the hit sits in (一、/（二）…), so each line can be traced
        back to its document and clause.

    Examples
    --------
    >>> from policynlp import load_demo
    >>> hits = kwic(load_demo(), "智慧旅游", window=6)
    >>> hits[["id", "left", "term", "right"]].values.tolist()[0]
    ['sc-tourism-2015', '国家旅游局就', '智慧旅游', '发展提出指导']
    """
    from .text.structure import parse_structure

    if not isinstance(term, str) or not term:
        raise ParameterError("term must be a non-empty string")
    check_int("window", window, minimum=0)
    rows = []
    for d in corpus:
        text = d.text
        at = text.find(term)
        if at < 0:
            continue
        clauses = parse_structure(text, doc_id=d.id)
        starts = clauses["start"].tolist()
        while at >= 0:
            ci = max(bisect.bisect_right(starts, at) - 1, 0)
            end = at + len(term)
            rows.append({"id": d.id, "title": d.title, "path": clauses["path"].iloc[ci],
                         "left": text[max(0, at - window) : at].replace("\n", " "), "term": term,
                         "right": text[end : end + window].replace("\n", " "), "start": at, "end": end})
            if max_hits is not None and len(rows) >= max_hits:
                return pd.DataFrame(rows)
            at = text.find(term, end)
    return pd.DataFrame(rows, columns=["id", "title", "path", "left", "term", "right", "start", "end"])
