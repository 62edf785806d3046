"""Writing networks for Gephi, VOSviewer, Pajek and other tools — and reading them back.

The GEXF writer is our own because networkx's ``write_gexf`` fails the
official schemas (an ``xsi`` namespace without ``www.``, a ``name`` attribute
on ``<graph>``, integers typed ``long`` for 1.3; ``name`` for 1.2draft), stamps
today's date into every file, crashes on list-valued attributes and treats an
edge attribute named ``type`` as the edge's direction.  Ours validates against
the GEXF 1.3 RelaxNG schema and the 1.2draft XSD, writes sorted and
date-free output (byte-identical on re-run), declares attribute types, strips
characters XML cannot hold, and writes ``viz`` colours, sizes and positions
and, when asked, the years as spells for Gephi's timeline.

Its length is the GEXF writer (1.3 and 1.2draft, with spells and viz attributes, checked against
the schemas) next to the other network formats, which share its attribute cleaning.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import networkx as nx

from ._types import GexfVersion, PathLike, choices
from ._validation import check_choice
from .errors import CorpusFormatError

__all__ = ["write_gexf", "read_gexf", "write_graphml", "read_graphml", "write_gephi_csv", "write_pajek",
           "write_vosviewer", "write_node_link", "export_all"]

_NS = {
    "1.3": ("http://gexf.net/1.3", "http://gexf.net/1.3/viz", "1.3"),
    "1.2draft": ("http://www.gexf.net/1.2draft", "http://www.gexf.net/1.2draft/viz", "1.2"),
}
# XML 1.0 cannot hold these characters at all, escaped or not.
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Colour-blind-safe: the eight colours of Okabe & Ito (2008), then Paul Tol's "muted" scheme for
# networks with more kinds or communities than that.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#999999",
           "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255"]
_RESERVED = {"label", "weight", "years", "start", "end"}  # written as GEXF attributes or spells, not attvalues


_NEEDS_WORK = re.compile("[\x00-\x1f\ufffe\uffff]|  |^ | $")


def _clean(value):
    """Text safe for an XML attribute: no characters XML forbids, whitespace collapsed."""
    s = str(value)
    if not _NEEDS_WORK.search(s):
        return s
    return " ".join(_BAD_XML.sub("", s).split())


def _node_ids(nodes):
    """A distinct, XML-safe string id for each node, the same in every format.

    Ids are the node keys as text, cleaned of characters XML cannot hold.  When
    two keys become the same text (``" a"`` and ``"a"``, or ``1`` and ``"1"``),
    the key that needed no change keeps it and the other gets ``#2``, ``#3`` … in
    sorted order, so no two nodes are ever merged by a reader.
    """
    order = sorted(nodes, key=lambda n: (str(n), type(n).__name__))
    ids, taken = {}, set()
    for exact in (True, False):
        for n in order:
            if n in ids:
                continue
            nid = _clean(n) or "node"
            if exact and (nid != n or nid in taken):
                continue
            base, k = nid, 2
            while nid in taken:
                nid, k = f"{base}#{k}", k + 1
            ids[n] = nid
            taken.add(nid)
    return ids


def _plain(v):
    """NumPy scalars → Python; lists/tuples/sets → '|'-joined strings."""
    if hasattr(v, "item") and not isinstance(v, (list, tuple, set, frozenset, dict)):
        try:
            v = v.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(v, (list, tuple, set, frozenset)):
        items = sorted(v, key=str) if isinstance(v, (set, frozenset)) else v
        return "|".join(str(_plain(x)) for x in items)
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False, sort_keys=True, default=str)
    return v


def _q(text):
    """A quoted XML attribute value; ``text`` has been through :func:`_clean` (no control characters)."""
    return '"' + text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;") + '"'


def _type_of(values):
    vals = [v for v in values if v is not None]
    if vals and all(isinstance(v, bool) for v in vals):
        return "boolean"
    if vals and all(isinstance(v, int) and not isinstance(v, bool) for v in vals):
        return "integer" if all(-2**31 <= v < 2**31 for v in vals) else "double"
    if vals and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals):
        return "double"
    return "string"


def _format(v, typ):
    if typ == "boolean":
        return "true" if v else "false"
    if typ == "double":
        v = float(v)
        return repr(v) if math.isfinite(v) else "NaN"
    return _clean(v) if typ == "string" else str(v)


def _attr_specs(items, exclude):
    """Declared attributes: (key, id, title, type) sorted by key, from node or edge attribute dicts."""
    keys = sorted({k for _, d in items for k in d if k not in exclude})
    specs = []
    for i, k in enumerate(keys):
        values = [_plain(d[k]) for _, d in items if k in d]
        specs.append((k, str(i), k, _type_of(values)))
    return specs


def _runs(years):
    """Contiguous runs of integer years: [2012, 2013, 2015] → [(2012, 2013), (2015, 2015)]."""
    ys = sorted({int(y) for y in years})
    runs = []
    for y in ys:
        if runs and y == runs[-1][1] + 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    return [tuple(r) for r in runs]


def _hex(color):
    c = color.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def write_gexf(  # noqa: C901 - one pass over nodes and edges writing each optional GEXF element; splitting it would re-walk the graph
    G: nx.Graph,
    path: PathLike,
    *,
    version: GexfVersion = "1.3",
    dynamic: bool = False,
    color_by: str | None = "kind",
    size_by: str | None = "weighted_degree",
    positions: Mapping[Any, tuple[float, float]] | None = None,
    date: str | None = None,
    creator: str = "policynlp",
) -> Path:
    """Write ``G`` as GEXF that validates against the official schema and opens in Gephi.

    Parameters
    ----------
    G : networkx graph (Graph, DiGraph, MultiGraph or MultiDiGraph)
    path : str or Path
    version : {"1.3", "1.2draft"}, default "1.3"
        1.2draft is for older Gephi versions.  It carries no ``viz`` elements:
        the official 1.2draft XSD (converted from the RelaxNG) declares colour,
        size and position in the GEXF namespace, where Gephi does not look for
        them, so a file with them cannot both validate and be read as intended.
        Colour by the ``kind`` or ``community`` attribute in Gephi instead.
    dynamic : bool, default False
        Write each node's and edge's ``years`` (a list of integers) as spells,
        so Gephi's timeline can play the network year by year.
    color_by : str or None, default "kind"
        Node attribute whose values get distinct colours (``kind``, ``community`` …).
    size_by : str or None, default "weighted_degree"
        Node attribute (or ``"degree"`` / ``"weighted_degree"``) that sets node size.
    positions : dict or None
        ``{node: (x, y)}``, e.g. from ``networkx.spring_layout(G, seed=0)``.
    date : str, optional
        ``lastmodifieddate`` (YYYY-MM-DD); left out by default so files are byte-identical.
    creator : str, default "policynlp"

    Returns
    -------
    Path

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> G = nx.Graph()
    >>> G.add_node("agency:国务院", label="国务院", kind="agency", years=[2013, 2014])
    >>> G.add_node("document:a", label="《意见》 & <附件>", kind="document", years=[2014])
    >>> G.add_edge("agency:国务院", "document:a", weight=1, relation="issued", years=[2014])
    >>> p = write_gexf(G, pathlib.Path(tempfile.mkdtemp()) / "g.gexf", dynamic=True)
    >>> "&lt;附件&gt;" in p.read_text(encoding="utf-8")
    True
    """
    check_choice("version", version, choices(GexfVersion))
    ns, viz_ns, vnum = _NS[version]
    if version == "1.2draft":
        color_by, size_by, positions = None, None, None
    directed = G.is_directed()
    multi = G.is_multigraph()
    nodes = sorted(G.nodes(data=True), key=lambda nd: str(nd[0]))
    # Node ids are kept (cleaned of characters XML cannot hold), so Gephi's Id column
    # reads "agency:国务院"; keys that clash after cleaning stay distinct.
    ids = _node_ids(G.nodes)
    qid = {n: _q(nid) for n, nid in ids.items()}  # quoted once, reused by every edge
    raw = G.edges(keys=True, data=True) if multi else ((u, v, None, d) for u, v, d in G.edges(data=True))
    if not directed:  # an undirected edge is written the same way whichever end was added first
        raw = ((u, v, k, d) if ids[u] <= ids[v] else (v, u, k, d) for u, v, k, d in raw)
    edges = sorted(raw, key=lambda e: (ids[e[0]], ids[e[1]], str(e[2])))
    node_specs = _attr_specs([(n, d) for n, d in nodes], _RESERVED)
    edge_specs = _attr_specs([(None, d) for *_, d in edges], _RESERVED | {"relation"} if multi and version == "1.3" else _RESERVED)
    # sizes and colours
    if size_by in ("degree", "weighted_degree"):
        size_val = dict(G.degree(weight="weight" if size_by == "weighted_degree" else None))
    elif size_by:
        size_val = {n: d.get(size_by, 0) for n, d in nodes}
    else:
        size_val = {}
    numeric = [float(v) for v in size_val.values() if isinstance(_plain(v), (int, float))]
    lo, hi = (min(numeric), max(numeric)) if numeric else (0.0, 0.0)
    colour_keys = sorted({str(_plain(d.get(color_by))) for _, d in nodes if d.get(color_by) is not None}) if color_by else []
    colour_of = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(colour_keys)}

    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<gexf xmlns="{ns}" xmlns:viz="{viz_ns}" version="{vnum}">']
    if date or creator:
        out.append(f'  <meta{f" lastmodifieddate={quoteattr(date)}" if date else ""}>')
        if creator:
            out.append(f"    <creator>{_xml_text(creator)}</creator>")
        out.append("  </meta>")
    mode = ' mode="dynamic" timeformat="integer"' if dynamic else ' mode="static"'
    out.append(f'  <graph defaultedgetype="{"directed" if directed else "undirected"}"{mode}>')
    for cls, specs in (("node", node_specs), ("edge", edge_specs)):
        if specs:
            out.append(f'    <attributes class="{cls}">')
            for _, aid, title, typ in specs:
                out.append(f'      <attribute id="{aid}" title={quoteattr(_clean(title))} type="{typ}"/>')
            out.append("    </attributes>")
    out.append(f'    <nodes count="{len(nodes)}">')
    for n, d in nodes:
        label = _clean(d.get("label", n))
        body = []
        _attvalues(body, d, node_specs, "        ")
        if dynamic and d.get("years"):
            _spells(body, d["years"], "        ")
        if color_by and d.get(color_by) is not None:
            r, g, b = _hex(colour_of[str(_plain(d.get(color_by)))])
            body.append(f'        <viz:color r="{r}" g="{g}" b="{b}"/>')
        if positions is not None and n in positions:
            x, y = positions[n][:2]
            body.append(f'        <viz:position x="{float(x):.6g}" y="{float(y):.6g}" z="0"/>')
        if size_val:
            v = float(_plain(size_val.get(n, lo)) or 0.0)
            size = 5.0 + 25.0 * ((v - lo) / (hi - lo) if hi > lo else 0.5)
            body.append(f'        <viz:size value="{size:.4g}"/>')
        head = f"      <node id={qid[n]} label={_q(label)}"
        if body:
            out.append(head + ">")
            out.extend(body)
            out.append("      </node>")
        else:
            out.append(head + "/>")
    out.append("    </nodes>")
    out.append(f'    <edges count="{len(edges)}">')
    for i, (u, v, k, d) in enumerate(edges):
        w = d.get("weight", 1.0)
        attrs = f'id="{i}" source={qid[u]} target={qid[v]} weight="{float(_plain(w)):.10g}"'
        if multi:
            rel = _clean(d.get("relation", k))
            attrs += f" kind={_q(rel)}" if version == "1.3" else f" label={_q(rel)}"
        elif d.get("label") is not None:
            attrs += f" label={_q(_clean(d['label']))}"
        body = []
        _attvalues(body, d, edge_specs, "        ")
        if dynamic and d.get("years"):
            _spells(body, d["years"], "        ")
        if body:
            out.append(f"      <edge {attrs}>")
            out.extend(body)
            out.append("      </edge>")
        else:
            out.append(f"      <edge {attrs}/>")
    out.append("    </edges>")
    out.append("  </graph>")
    out.append("</gexf>")
    path = Path(path)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(out))
        fh.write("\n")
    return path


def _xml_text(s):
    return _clean(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attvalues(out, d, specs, indent):
    vals = [(aid, typ, _plain(d[k])) for k, aid, _, typ in specs if k in d and d[k] is not None]
    vals = [(aid, typ, v) for aid, typ, v in vals if not (isinstance(v, float) and not math.isfinite(v) and typ != "double")]
    if vals:
        out.append(f"{indent}<attvalues>")
        for aid, typ, v in vals:
            out.append(f'{indent}  <attvalue for="{aid}" value={_q(_format(v, typ))}/>')
        out.append(f"{indent}</attvalues>")


def _spells(out, years, indent):
    out.append(f"{indent}<spells>")
    for a, b in _runs(years):
        out.append(f'{indent}  <spell start="{a}" end="{b}"/>')
    out.append(f"{indent}</spells>")


def _safe_parse(path):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        tree = etree.parse(str(path), parser)
    except (OSError, etree.XMLSyntaxError) as exc:
        raise CorpusFormatError(f"not a readable XML file: {exc}", path=path) from exc
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise CorpusFormatError("XML with a DOCTYPE/entities is refused (entity expansion is unsafe)", path=path)
    return tree.getroot()


def _malformed(path, el, what):
    return CorpusFormatError(f"malformed file: {what}", path=path, line=getattr(el, "sourceline", None))


_GEXF_TYPES = {"integer": int, "long": int, "double": float, "float": float,
               "boolean": lambda s: {"true": True, "false": False}[s.strip().lower()], "string": str}


def _gexf_values(el, specs, cls, q, path):
    """The typed attribute values and the spell years of one GEXF node or edge."""
    d = {}
    av = el.find(q("attvalues"))
    for v in (av.findall(q("attvalue")) if av is not None else ()):
        key = v.get("for")
        if key not in specs:
            raise _malformed(path, v, f"attvalue for={key!r} refers to no declared {cls} attribute")
        title, typ = specs[key]
        try:
            d[title] = _GEXF_TYPES.get(typ, str)(v.get("value"))
        except (TypeError, ValueError, KeyError):
            raise _malformed(path, v, f"value {v.get('value')!r} of {title!r} is not of its declared type {typ!r}") from None
    sp = el.find(q("spells"))
    if sp is not None:
        years = []
        for s in sp.findall(q("spell")):
            try:
                years.extend(range(int(float(s.get("start"))), int(float(s.get("end"))) + 1))
            except (TypeError, ValueError, OverflowError):
                raise _malformed(path, s, f"spell start={s.get('start')!r} end={s.get('end')!r} is not a span of years") from None
        d["years"] = years
    return d


def read_gexf(path):
    """Read a GEXF file written by :func:`write_gexf` (or any static/dynamic GEXF 1.2–1.3) into networkx.

    Attribute values get their declared types; spells come back as ``years``; the
    XML is parsed without resolving entities.

    Raises
    ------
    CorpusFormatError
        For a file that is not well-formed XML or not GEXF, with the line of
        the offending element: an undeclared attribute, a value that does not
        fit its declared type, an edge to a node that is not declared, a spell
        that is not a year.

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> G = nx.Graph()
    >>> G.add_edge("agency:国务院", "agency:工业和信息化部", weight=2)
    >>> path = write_gexf(G, pathlib.Path(tempfile.mkdtemp()) / "g.gexf")
    >>> read_gexf(path).edges(data="weight")
    EdgeDataView([('agency:国务院', 'agency:工业和信息化部', 2.0)])
    """
    root = _safe_parse(path)
    ns = root.nsmap.get(None, "")
    q = (lambda t: f"{{{ns}}}{t}") if ns else (lambda t: t)
    graph = root.find(q("graph"))
    if graph is None:
        raise CorpusFormatError("no <graph> element: not GEXF", path=path)
    directed = graph.get("defaultedgetype", "undirected") == "directed"
    edges = graph.find(q("edges"))
    multi = edges is not None and any(e.get("kind") is not None for e in edges.findall(q("edge")))
    G = (nx.MultiDiGraph if directed else nx.MultiGraph)() if multi else (nx.DiGraph if directed else nx.Graph)()
    specs = {"node": {}, "edge": {}}
    for attrs in graph.findall(q("attributes")):
        cls = attrs.get("class")
        if cls not in specs:
            raise _malformed(path, attrs, f"<attributes class={cls!r}>: the class must be 'node' or 'edge'")
        for a in attrs.findall(q("attribute")):
            if a.get("id") is None or a.get("title") is None:
                raise _malformed(path, a, "an <attribute> needs an id and a title")
            specs[cls][a.get("id")] = (a.get("title"), a.get("type"))
    nodes = graph.find(q("nodes"))
    for n in (nodes.findall(q("node")) if nodes is not None else []):
        if n.get("id") is None:
            raise _malformed(path, n, "a <node> without an id")
        d = _gexf_values(n, specs["node"], "node", q, path)
        d["label"] = n.get("label", n.get("id"))
        G.add_node(n.get("id"), **d)
    for e in (edges.findall(q("edge")) if edges is not None else []):
        for end in ("source", "target"):
            if e.get(end) not in G:
                raise _malformed(path, e, f"edge {end}={e.get(end)!r} is not a declared node")
        d = _gexf_values(e, specs["edge"], "edge", q, path)
        if e.get("weight") is not None:
            try:
                d["weight"] = float(e.get("weight"))
            except ValueError:
                raise _malformed(path, e, f"edge weight={e.get('weight')!r} is not a number") from None
        if e.get("kind") is not None:
            d["relation"] = e.get("kind")
        elif e.get("label") is not None:
            d["label"] = e.get("label")
        G.add_edge(e.get("source"), e.get("target"), **d)
    return G


def _edge_list(G):
    """Edges as (u, v, key, data), undirected ones oriented by node id, sorted: the order every writer uses."""
    raw = G.edges(keys=True, data=True) if G.is_multigraph() else ((u, v, None, d) for u, v, d in G.edges(data=True))
    if not G.is_directed():
        raw = ((u, v, k, d) if str(u) <= str(v) else (v, u, k, d) for u, v, k, d in raw)
    return sorted(raw, key=lambda e: (str(e[0]), str(e[1]), str(e[2])))


def _xml_value(v):
    v = _plain(v)
    return _BAD_XML.sub("", v) if isinstance(v, str) else v


def _prepared(G):
    """A sorted copy with list attributes as '|'-joined strings and no characters XML cannot hold."""
    H = G.__class__()
    ids = _node_ids(G.nodes)
    for n in sorted(G.nodes, key=ids.get):
        H.add_node(ids[n], **{k: _xml_value(v) for k, v in G.nodes[n].items()})
    for u, v, k, d in _edge_list(G):
        uv = [ids[u], ids[v]] + ([k] if G.is_multigraph() else [])
        H.add_edge(*uv, **{a: _xml_value(x) for a, x in d.items()})
    return H


def write_graphml(G, path):
    """GraphML (lists as ``|``-joined strings), nodes and edges sorted."""
    nx.write_graphml(_prepared(G), str(path), encoding="utf-8", prettyprint=True)
    return Path(path)


def read_graphml(path):
    """Read GraphML after checking it has no DOCTYPE or entity declarations, and that it is consistent.

    Raises
    ------
    CorpusFormatError
        For a file that is not well-formed XML, or (with the line) a ``<data>``
        whose key is not declared or an edge to a node that is not declared.
    """
    root = _safe_parse(path)
    ns = root.nsmap.get(None, "")
    q = (lambda t: f"{{{ns}}}{t}") if ns else (lambda t: t)
    keys = {k.get("id") for k in root.iter(q("key"))}
    nodes = {n.get("id") for n in root.iter(q("node"))}
    for d in root.iter(q("data")):
        if d.get("key") not in keys:
            raise _malformed(path, d, f"<data key={d.get('key')!r}> refers to no declared <key>")
    for e in root.iter(q("edge")):
        for end in ("source", "target"):
            if e.get(end) not in nodes:
                raise _malformed(path, e, f"edge {end}={e.get(end)!r} is not a declared node")
    try:
        return nx.read_graphml(str(path))
    except (nx.NetworkXError, KeyError, ValueError, TypeError) as exc:
        raise CorpusFormatError(f"malformed GraphML: {exc}", path=path) from exc


def write_gephi_csv(G, folder, *, prefix=""):
    """Gephi's spreadsheet import: ``nodes.csv`` (Id, Label, …) and ``edges.csv`` (Source, Target, Type, Weight, …)."""
    import pandas as pd

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    nodes = []
    ids = _node_ids(G.nodes)  # Gephi trims ids: " a" and "a" would become one node
    for n in sorted(G.nodes, key=ids.get):
        d = {k: _plain(v) for k, v in G.nodes[n].items()}
        nodes.append({"Id": ids[n], "Label": d.pop("label", str(n)), **d})
    edges = []
    typ = "Directed" if G.is_directed() else "Undirected"
    for u, v, _, d in _edge_list(G):
        d = {k: _plain(x) for k, x in d.items()}
        edges.append({"Source": ids[u], "Target": ids[v], "Type": typ, "Weight": d.pop("weight", 1.0), **d})
    npath, epath = folder / f"{prefix}nodes.csv", folder / f"{prefix}edges.csv"
    pd.DataFrame(nodes).to_csv(npath, index=False, encoding="utf-8", lineterminator="\n")
    pd.DataFrame(edges, columns=["Source", "Target", "Type", "Weight"] + sorted({k for e in edges for k in e} - {"Source", "Target", "Type", "Weight"})).to_csv(
        epath, index=False, encoding="utf-8", lineterminator="\n")
    return npath, epath


def write_pajek(G, path):
    """Pajek ``.net`` (vertices numbered in sorted order, labels quoted, UTF-8)."""
    order = sorted(G.nodes, key=str)
    num = {n: i + 1 for i, n in enumerate(order)}
    lines = [f"*Vertices {len(order)}"]
    for n in order:
        label = _clean(G.nodes[n].get("label", n)).replace('"', "'")
        lines.append(f'{num[n]} "{label}"')
    lines.append("*Arcs" if G.is_directed() else "*Edges")
    pairs = {}
    for u, v, d in G.edges(data=True):
        key = (num[u], num[v]) if G.is_directed() else tuple(sorted((num[u], num[v])))
        pairs[key] = pairs.get(key, 0.0) + float(_plain(d.get("weight", 1.0)))
    for (a, b), w in sorted(pairs.items()):
        lines.append(f"{a} {b} {w:.10g}")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Path(path)


def write_vosviewer(G, path, *, cluster="community"):
    """VOSviewer JSON (items with clusters and link weights, links with strengths)."""
    order = sorted(G.nodes, key=str)
    num = {n: i + 1 for i, n in enumerate(order)}
    strength = dict(G.degree(weight="weight"))
    items = []
    for n in order:
        d = G.nodes[n]
        item = {"id": num[n], "label": _clean(d.get("label", n)),
                "weights": {"Links": G.degree(n), "Total link strength": float(_plain(strength[n]))}}
        if d.get(cluster) is not None:
            item["cluster"] = int(_plain(d[cluster])) + 1
        if d.get("kind"):
            item["description"] = str(d["kind"])
        items.append(item)
    links = {}
    for u, v, d in G.edges(data=True):
        a, b = sorted((num[u], num[v]))
        links[(a, b)] = links.get((a, b), 0.0) + float(_plain(d.get("weight", 1.0)))
    data = {"network": {"items": items, "links": [{"source_id": a, "target_id": b, "strength": w} for (a, b), w in sorted(links.items())]}}
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return Path(path)


def write_node_link(G, path):
    """networkx node-link JSON (sorted, lists kept as lists)."""
    data = nx.node_link_data(_sorted_copy(G), edges="edges")
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=str) + "\n", encoding="utf-8")
    return Path(path)


def _sorted_copy(G):
    H = G.__class__()
    H.add_nodes_from(sorted(G.nodes(data=True), key=lambda nd: str(nd[0])))
    for u, v, k, d in _edge_list(G):
        H.add_edge(u, v, *([k] if G.is_multigraph() else []), **d)
    return H


def export_all(G, folder, name, *, dynamic=None, positions=None, color_by="kind"):
    """Write every format into ``folder``: GEXF 1.3 and 1.2draft, GraphML, Gephi CSV, Pajek, VOSviewer and node-link JSON."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if dynamic is None:
        dynamic = any(d.get("years") for _, d in G.nodes(data=True))
    made = [write_gexf(G, folder / f"{name}.gexf", dynamic=dynamic, positions=positions, color_by=color_by),
            write_gexf(G, folder / f"{name}.gexf12.gexf", version="1.2draft", dynamic=dynamic, positions=positions,
                       color_by=color_by),
            write_graphml(G, folder / f"{name}.graphml"),
            *write_gephi_csv(G, folder, prefix=f"{name}_"),
            write_pajek(G, folder / f"{name}.net"),
            write_vosviewer(G, folder / f"{name}_vosviewer.json"),
            write_node_link(G, folder / f"{name}.json")]
    return made
