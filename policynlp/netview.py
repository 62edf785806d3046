"""An interactive, offline view of a network: one self-contained HTML page per network.

The page draws the network with sigma.js on a graphology graph (both from the
npm registry, vendored minified in ``policynlp/data/js`` with their MIT
licences; nothing is fetched when the page is opened).  It shows the
positions computed in Python — no layout runs in the browser — with the
colours and sizes of the GEXF files, and lets a reader pan and zoom, search a
node, hover for its attributes, and filter by kind and by year.  The CJK
characters the page needs are embedded as a font subset, so labels read right
on a machine without Chinese fonts.

Large networks: the ``max_nodes`` nodes with the largest weighted degree are
drawn (10,000 by default) with the ``max_edges`` heaviest edges among them;
the page says how many it shows out of how many.
"""

import html
import json
import math
from importlib import resources
from pathlib import Path

import networkx as nx

from ._validation import check_int

__all__ = ["write_network_page"]

_LIBS = ("sigma-3.0.3.min.js", "graphology-0.25.4.umd.min.js")


def _positions(H, positions, seed):
    if positions is not None and all(n in positions for n in H):
        return {n: (float(positions[n][0]), float(positions[n][1])) for n in H}
    if H.number_of_nodes() == 0:
        return {}
    from .graphs import LAYOUT_NODES, layout

    U = nx.Graph(H)  # layouts read an undirected simple graph
    if U.number_of_nodes() <= LAYOUT_NODES:
        return layout(U, seed=seed)
    return _core_and_periphery(U, seed, LAYOUT_NODES)


def _core_and_periphery(U, seed, core_size):
    """Positions for a network too large for a force-directed layout, in a few seconds at 10,000 nodes.

    The ``core_size`` nodes of largest weighted degree get the force-directed
    layout of :func:`policynlp.graphs.layout` (components packed, largest
    first).  Every other node is placed around the laid-out neighbour it is
    reached from (breadth first from the core, neighbours in sorted order), on
    a sunflower spiral (Vogel 1979, "A better way to construct the sunflower
    head", Mathematical Biosciences 44) so that a hub's many leaves fan out
    instead of piling up; what the core does not reach is packed below it.
    """
    import numpy as np

    from .graphs import layout

    strength = dict(U.degree(weight="weight"))
    core = sorted(U.nodes, key=lambda n: (-strength[n], str(n)))[:core_size]
    pos = {n: np.asarray(p, dtype=float) for n, p in layout(U.subgraph(core), seed=seed).items()}
    lengths = [np.linalg.norm(pos[u] - pos[v]) for u, v in U.subgraph(core).edges()]
    step = 0.25 * float(np.median(lengths)) if lengths else 0.05
    golden = math.pi * (3 - math.sqrt(5))
    children = dict.fromkeys(pos, 0)
    frontier = sorted(pos, key=str)
    while frontier:
        nxt = []
        for anchor in frontier:
            for n in sorted(U.neighbors(anchor), key=str):
                if n in pos:
                    continue
                k = children[anchor] = children[anchor] + 1
                pos[n] = pos[anchor] + step * math.sqrt(k) * np.array([math.cos(k * golden), math.sin(k * golden)])
                children[n] = 0
                nxt.append(n)
        frontier = nxt
    rest = [n for n in U if n not in pos]
    if rest:  # in rows as wide as the core, under it
        xs, ys = zip(*((p[0], p[1]) for p in pos.values()))
        for n, (x, y) in layout(U.subgraph(rest), seed=seed, width=max(xs) - min(xs)).items():
            pos[n] = np.array([min(xs) + x, min(ys) - 1.0 + y])
    return {n: (float(p[0]), float(p[1])) for n, p in pos.items()}


def _years_text(years):
    ys = sorted({int(y) for y in years or []})
    if not ys:
        return ""
    return str(ys[0]) if len(ys) == 1 else f"{ys[0]}–{ys[-1]}"


def write_network_page(G, path, *, title=None, positions=None, metrics=None, color_by="kind", max_nodes=10_000,
                       max_edges=50_000, seed=0):
    """Write ``G`` as a self-contained interactive HTML page (sigma.js); returns the path.

    Parameters
    ----------
    G : networkx graph
        Nodes may carry ``label``, ``kind``, ``years`` (list of int) and
        ``community``; edges ``weight`` and ``years``.
    path : str or Path
    title : str, optional
    positions : dict, optional
        Node → (x, y), e.g. the layout written into the GEXF; computed when
        missing (force-directed up to 2,000 nodes; above, the 2,000 largest
        laid out and the others placed around their neighbours).
    metrics : DataFrame, optional
        :func:`policynlp.graphs.node_table` of ``G``: its ``community`` and
        ``betweenness`` are shown on hover.
    color_by : str, default "kind"
        Node attribute for colour, with the GEXF's palette and order, so the
        page and Gephi agree.
    max_nodes, max_edges : int
        What is drawn of a large network (largest weighted degree; heaviest edges).
    seed : int

    Examples
    --------
    >>> import tempfile, pathlib
    >>> G = nx.Graph()
    >>> G.add_node("agency:国务院", label="国务院", kind="agency", years=[2014])
    >>> G.add_node("document:a", label="《关于促进智慧城市健康发展的指导意见》", kind="document", years=[2014])
    >>> G.add_edge("agency:国务院", "document:a", weight=1.0)
    >>> p = write_network_page(G, pathlib.Path(tempfile.mkdtemp()) / "g.html")
    >>> page = p.read_text(encoding="utf-8")
    >>> "sigma" in page and "国务院" in page and "@font-face" in page
    True
    """
    from .export import PALETTE
    from .plots import font_face_css

    check_int("max_nodes", max_nodes, minimum=1)
    check_int("max_edges", max_edges, minimum=0)
    path = Path(path)
    wd = dict(G.degree(weight="weight"))
    order = sorted(G.nodes, key=lambda n: (-wd[n], str(n)))
    keep = set(order[:max_nodes])
    H = G.subgraph(keep)
    pos = _positions(H, positions, seed)
    # colours as the GEXF gives them: the palette over the sorted values of the whole network
    keys = sorted({str(d.get(color_by)) for _, d in G.nodes(data=True) if d.get(color_by) is not None})
    colour = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(keys)}
    top = max([wd[n] for n in keep] or [1]) or 1
    extra = {}
    if metrics is not None and "id" in metrics.columns:
        cols = [c for c in ("community", "betweenness") if c in metrics.columns]
        extra = metrics.set_index("id")[cols].to_dict("index") if cols else {}
    nodes, labels, all_years, kinds = [], [], set(), set()
    for n in sorted(keep, key=str):
        d = G.nodes[n]
        ys = sorted({int(y) for y in d.get("years") or []})
        all_years.update(ys)
        kind = str(d.get("kind", ""))
        kinds.add(kind)
        label = str(d.get("label", n))
        labels.append(label)
        info = {"kind": kind, "years": _years_text(ys), "weighted degree": round(float(wd[n]), 3)}
        for k, v in extra.get(n, {}).items():
            if v is not None and not (isinstance(v, float) and math.isnan(v)):
                info[k] = round(float(v), 4) if isinstance(v, float) else v
        x, y = pos.get(n, (0.0, 0.0))
        nodes.append({"key": str(n), "attributes": {
            "x": round(x, 5), "y": round(y, 5), "label": label, "size": round(2 + 13 * math.sqrt(wd[n] / top), 2),
            "color": colour.get(str(d.get(color_by)), "#999999"), "kind": kind, "years": ys, "info": info}})
    edges = sorted(H.edges(data=True), key=lambda e: (-float(e[2].get("weight", 1.0)), str(e[0]), str(e[1])))
    dropped_edges = max(0, len(edges) - max_edges)
    edges = edges[:max_edges]
    wmax = max([float(d.get("weight", 1.0)) for *_, d in edges] or [1.0]) or 1.0
    edge_items = [{"key": f"e{i}", "source": str(u), "target": str(v), "attributes": {
        "size": round(0.5 + 2.5 * float(d.get("weight", 1.0)) / wmax, 2),
        "years": sorted({int(y) for y in d.get("years") or []})}} for i, (u, v, d) in enumerate(edges)]
    data = {"options": {"type": "directed" if G.is_directed() else "undirected", "multi": True},
            "nodes": nodes, "edges": edge_items}
    title = title or "network"
    shown = (f"{len(keep):,} of {G.number_of_nodes():,} nodes (those with the largest weighted degree)"
             if len(keep) < G.number_of_nodes() else f"{G.number_of_nodes():,} nodes")
    shown += f", {len(edge_items):,} edges" + (f" (the heaviest; {dropped_edges:,} more in the GEXF)" if dropped_edges else "")
    legend = "".join(f'<span class="sw" style="background:{c}"></span>{html.escape(k)} ' for k, c in colour.items()
                     if k in kinds or color_by != "kind")
    kind_boxes = "".join(f'<label><input type="checkbox" class="kind" value="{html.escape(k)}" checked> '
                         f'{html.escape(k or "(none)")}</label> ' for k in sorted(kinds))
    years = sorted(all_years)
    year_ui = (f'<label>years <input id="y0" type="number" min="{years[0]}" max="{years[-1]}" value="{years[0]}">–'
               f'<input id="y1" type="number" min="{years[0]}" max="{years[-1]}" value="{years[-1]}"></label>'
               if years else "")
    ui_text = title + shown + "".join(labels) + " ".join(kinds) + "搜索节点 search a node kind years weighted degree"
    css = font_face_css(ui_text) + (
        "body{margin:0;font-family:'policynlp CJK',sans-serif;font-size:14px}input{font-family:inherit}"
        "header{padding:6px 10px;border-bottom:1px solid #ddd;background:#fafafa}header h1{font-size:16px;margin:0 0 4px}"
        "#g{position:absolute;top:92px;bottom:0;left:0;right:0}#tip{position:absolute;display:none;background:#fff;"
        "border:1px solid #aaa;padding:6px;font-size:12px;pointer-events:none;z-index:5;max-width:360px}"
        ".sw{display:inline-block;width:10px;height:10px;margin:0 3px 0 8px;border-radius:5px}")
    libs = "\n".join(f"<script>{(resources.files('policynlp') / 'data' / 'js' / name).read_text(encoding='utf-8')}</script>"
                     for name in _LIBS)
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/").replace("<!--", "<\\!--")
    page = f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{css}</style></head><body>
<header><h1>{html.escape(title)}</h1><div>{html.escape(shown)} · drag to pan, scroll to zoom, hover for attributes ·
<input id="q" list="labels" placeholder="搜索节点 search a node" size="28"><datalist id="labels"></datalist>
{year_ui} {kind_boxes} {legend}</div></header>
<div id="g"></div><div id="tip"></div>
{libs}
<script id="data" type="application/json">{payload}</script>
<script>
(function () {{
  const data = JSON.parse(document.getElementById("data").textContent);
  const graph = new graphology.Graph(data.options);
  graph.import(data);
  const byLabel = new Map();
  const list = document.getElementById("labels");
  graph.forEachNode((n, a) => {{ byLabel.set(a.label, n); const o = document.createElement("option"); o.value = a.label; list.appendChild(o); }});
  const state = {{ kinds: new Set([...document.querySelectorAll("input.kind")].map(b => b.value)), y0: null, y1: null, found: null }};
  const inYears = ys => state.y0 === null || !ys || ys.length === 0 || ys.some(y => y >= state.y0 && y <= state.y1);
  const visible = (n, a) => state.kinds.has(a.kind) && inYears(a.years);
  const start = () => {{
    const renderer = new Sigma(graph, document.getElementById("g"), {{
      labelFont: "'policynlp CJK', sans-serif", labelRenderedSizeThreshold: 6, renderEdgeLabels: false,
      labelDensity: 0.5, labelGridCellSize: 160,  // fewer labels at a time: Chinese names are wide
      nodeReducer: (n, a) => {{
        const r = Object.assign({{}}, a);
        if (!visible(n, a)) r.hidden = true;
        if (state.found === n) {{ r.highlighted = true; r.forceLabel = true; }}
        return r;
      }},
      edgeReducer: (e, a) => {{
        const r = Object.assign({{}}, a);
        const s = graph.source(e), t = graph.target(e);
        if (!visible(s, graph.getNodeAttributes(s)) || !visible(t, graph.getNodeAttributes(t)) || !inYears(a.years)) r.hidden = true;
        return r;
      }},
    }});
    const tip = document.getElementById("tip");
    renderer.on("enterNode", ({{ node, event }}) => {{
      const a = graph.getNodeAttributes(node);
      tip.innerHTML = "<b></b><br>";
      tip.firstChild.textContent = a.label;
      for (const [k, v] of Object.entries(a.info)) {{ const line = document.createElement("div"); line.textContent = k + ": " + v; tip.appendChild(line); }}
      tip.style.left = (event.x + 12) + "px"; tip.style.top = (event.y + 100) + "px"; tip.style.display = "block";
    }});
    renderer.on("leaveNode", () => {{ tip.style.display = "none"; }});
    document.getElementById("q").addEventListener("change", e => {{
      const n = byLabel.get(e.target.value);
      state.found = n || null;
      if (n) {{ const p = renderer.getNodeDisplayData(n); renderer.getCamera().animate({{ x: p.x, y: p.y, ratio: 0.25 }}, {{ duration: 500 }}); }}
      renderer.refresh();
    }});
    document.querySelectorAll("input.kind").forEach(b => b.addEventListener("change", () => {{
      b.checked ? state.kinds.add(b.value) : state.kinds.delete(b.value); renderer.refresh();
    }}));
    const y0 = document.getElementById("y0"), y1 = document.getElementById("y1");
    if (y0) {{
      const set = () => {{ state.y0 = +y0.value; state.y1 = +y1.value; renderer.refresh(); }};
      y0.addEventListener("change", set); y1.addEventListener("change", set);
    }}
  }};
  // draw once the embedded font is ready, so canvas labels use it
  (document.fonts && document.fonts.load ? document.fonts.load("12px 'policynlp CJK'", "中") : Promise.resolve()).then(start, start);
}})();
</script></body></html>
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
