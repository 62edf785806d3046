"""The data model every network builder shares: node ids ``"<kind>:<name>"``, nodes and edges with years, weights.

The counting helpers of the sparse builders live here too: normalising a
co-occurrence matrix (count, association strength, cosine, Jaccard) and
building a binary incidence matrix.
"""

import numpy as np
import scipy.sparse as sp

from .._types import Measure, choices

NORMALIZATIONS = choices(Measure)


def node_id(kind, name):
    return f"{kind}:{name}"


def add_years(attrs, year):
    if year is not None:
        ys = set(attrs.get("years", ()))
        ys.add(int(year))
        attrs["years"] = sorted(ys)


def add_node(G, kind, name, year=None, **attrs):
    nid = node_id(kind, name)
    if nid not in G:
        G.add_node(nid, kind=kind, label=str(name), years=[], **attrs)
    add_years(G.nodes[nid], year)
    return nid


def add_edge(G, u, v, relation, year=None, weight=1.0, **attrs):
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
    add_years(d, year)
    return d


def normalize_counts(C, occ, how):
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


def incidence(rows, cols):
    """Binary sparse incidence matrix from parallel lists of row and column labels."""
    r_index = {r: k for k, r in enumerate(sorted(set(rows), key=str))}
    c_index = {c: k for k, c in enumerate(sorted(set(cols), key=str))}
    M = sp.coo_matrix((np.ones(len(rows)), ([r_index[r] for r in rows], [c_index[c] for c in cols])),
                      shape=(len(r_index), len(c_index))).tocsr()
    M.data[:] = 1
    M.sum_duplicates()
    M.data[:] = 1
    return M, list(r_index), list(c_index)
