"""Positions for drawing a network, and the part of a large network a figure shows."""

import networkx as nx
import numpy as np

from .._validation import check_int


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
