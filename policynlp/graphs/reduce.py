"""Smaller views of a network: backbones (disparity filter, threshold, top-k) and time slices."""

from .._validation import check_choice, check_int
from ..errors import ParameterError


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
