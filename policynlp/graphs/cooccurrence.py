"""Term co-occurrence networks, counted on sparse matrices (in-process or on a Dask cluster)."""

import networkx as nx
import numpy as np
import scipy.sparse as sp

from .._validation import UNSET, check_choice, check_int, renamed
from ..errors import ParameterError
from ._model import NORMALIZATIONS, node_id, normalize_counts


def cooccurrence_graph(tokens, meta=None, *, unit="document", window=None, min_df=5, min_weight=2,
                       measure="count", min_score=None, min_lift=None, top_n=None, stopwords="admin", client=None,
                       partition_size=5000, min_count=UNSET):
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
    min_df : int, default 5
        Minimum document frequency of a term (called ``min_count`` before;
        that name still works, with a FutureWarning).
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
    from ..features import TermVectorizer, token_lists
    from ..lexicon import load_stopwords

    check_choice("unit", unit, ("document", "window"))
    check_choice("measure", measure, NORMALIZATIONS)
    min_df = renamed("cooccurrence_graph", "min_count", "min_df", min_count, min_df, 5)
    check_int("min_df", min_df, minimum=1)
    if min_lift is not None and unit != "document":
        raise ParameterError('min_lift compares with chance over documents: use it with unit="document"')
    from ..cluster import map_partitions, partitions, share

    ids, _, _ = token_lists(tokens)
    tv = TermVectorizer(min_df=min_df, max_features=top_n, weighting="binary",
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
    i, j, c, wgt = normalize_counts(C, occ, measure)
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
        from ..keywords import meta_frame

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
    names = [node_id("term", t) for t in terms]
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
    from ..features import window_pairs

    s, t = window_pairs(docs, vocab, w)
    n = len(vocab)
    C = sp.coo_matrix((np.ones(len(s)), (s, t)), shape=(n, n)).tocsr()
    return C + C.T
