"""Node and edge tables: degree, weighted degree, betweenness, clustering, communities."""

import logging

import networkx as nx
import pandas as pd

from .._validation import check_choice, check_int
from ..errors import MissingDependencyError

log = logging.getLogger(__name__)


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
    from ..provenance import attach, provenance

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
