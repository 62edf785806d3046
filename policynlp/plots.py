"""Figures that render Chinese: topics, trends, keyness.

Each function takes ``ax=None`` (a new figure) or an Axes to draw on, and
returns the Axes.  Chinese text needs a CJK font: :func:`cjk_font` looks for
one installed on the system (Noto Sans CJK, Source Han Sans, WenQuanYi,
SimHei, Microsoft YaHei, PingFang …), then for the Noto Sans CJK SC file
shipped inside the ``mplfonts`` package (installed by the ``plots`` extra),
and otherwise warns once with the command that installs one.  The font is
passed to each text element explicitly; matplotlib's global settings are
not changed.

Requires the optional extra: ``pip install "policynlp[plots]"``.
"""

import base64
import io
import logging
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np

from ._validation import UNSET, renamed
from .errors import MissingDependencyError, ParameterError

log = logging.getLogger(__name__)

__all__ = ["available", "save_png_svg", "cjk_font", "plot_top_terms", "plot_topic_trends", "plot_keyness", "plot_term_trends", "plot_matrix",
           "plot_taxonomy_by_year", "plot_graph", "save_figure"]

_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
             "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC", "Hiragino Sans GB",
             "Noto Sans CJK JP", "Droid Sans Fallback")


def available():
    """True when matplotlib is installed; else warns once and returns False.

    The backend is left to the user (a notebook keeps its inline backend);
    the command line draws off-screen with Agg.
    """
    from importlib.util import find_spec

    if find_spec("matplotlib") is None:
        _warn_no_matplotlib()
        return False
    return True


@lru_cache(maxsize=1)
def _warn_no_matplotlib():
    import logging

    logging.getLogger(__name__).warning('matplotlib is not installed, so no figures: pip install "policynlp[plots]"')


def _mpl():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise MissingDependencyError('figures need matplotlib: pip install "policynlp[plots]"') from exc
    return plt


@lru_cache(maxsize=1)
def cjk_font():
    """A ``FontProperties`` for a font that has Chinese glyphs, or None (after one warning).

    Examples
    --------
    >>> cjk_font() is not None
    True
    """
    _mpl()
    from matplotlib import font_manager as fm

    names = {f.name for f in fm.fontManager.ttflist}
    for fam in _FAMILIES:
        if fam in names:
            return fm.FontProperties(family=fam)
    # A font file installed after matplotlib built its cache is not in ttflist:
    # look at the files, then at mplfonts' bundled Noto Sans CJK SC.
    candidates = [Path(p) for p in fm.findSystemFonts() if "cjk" in p.lower() or "wqy" in p.lower()
                  or "sourcehan" in p.lower().replace("-", "") or "simhei" in p.lower()]
    try:
        import mplfonts

        candidates.append(Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf")
    except ImportError:
        pass
    for path in sorted(candidates, key=lambda p: ("sans" not in p.name.lower(), p.name)):
        if path.is_file():
            fm.fontManager.addfont(str(path))
            return fm.FontProperties(fname=str(path))
    warnings.warn(
        "no font with Chinese glyphs found; labels will show boxes. Install one: "
        'pip install "policynlp[plots]" (brings Noto Sans CJK SC) or apt-get install fonts-noto-cjk',
        UserWarning, stacklevel=2,
    )
    return None


def _axes(ax, figsize):
    """A new Axes in the package's colour-blind-safe colour cycle (:data:`policynlp.export.PALETTE`), or ``ax`` as given."""
    plt = _mpl()
    if ax is None:
        from .export import PALETTE

        _, ax = plt.subplots(figsize=figsize, layout="constrained")
        ax.set_prop_cycle(color=[c for c in PALETTE if c != "#F0E442"])  # Okabe-Ito's yellow is faint as a line on white
    return ax


def _chinese(ax, title=None, xlabel=None, ylabel=None):
    fp = cjk_font()
    kw = {"fontproperties": fp} if fp is not None else {}
    if title:
        ax.set_title(title, **kw)
    if xlabel:
        ax.set_xlabel(xlabel, **kw)
    if ylabel:
        ax.set_ylabel(ylabel, **kw)
    return kw


def plot_top_terms(top_terms, topic=0, *, top_n=10, ax=None, n=UNSET):
    """Horizontal bars of one topic's top terms.

    Parameters
    ----------
    top_terms : DataFrame or TopicModel
        ``TopicModel.top_terms()`` output, or the model itself.
    topic : int, default 0
    top_n : int, default 10
        (``n=`` before; still read, with a FutureWarning.)
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    n = renamed("plot_top_terms", "n", "top_n", n, top_n, 10)
    if hasattr(top_terms, "top_terms"):
        top_terms = top_terms.top_terms(n)
    part = top_terms[top_terms["topic"] == topic].sort_values("rank").head(n)
    if part.empty:
        raise ParameterError(f"topic={topic!r} is not in the table (topics: {sorted(top_terms['topic'].unique())})")
    ax = _axes(ax, (4.5, 0.35 * len(part) + 1))
    y = np.arange(len(part))[::-1]
    ax.barh(y, part["score" if "score" in part.columns else "weight"], color="#0072B2")  # "weight": tables written before
    kw = _chinese(ax, title=str(part["label"].iloc[0]), xlabel="weight 权重")
    ax.set_yticks(y, part["term"].tolist(), **kw)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(3))  # small panels side by side: three weights read, six overprint
    return ax


def _thin_ticks(ax, most=15):
    """Label at most ``most`` of the category ticks (every k-th), so that 50 years do not overprint."""
    ticks = ax.get_xticks()
    if len(ticks) > most:
        step = -(-len(ticks) // most)
        labels = [t.get_text() for t in ax.get_xticklabels()]
        ax.set_xticks(ticks[::step], labels[::step])


def plot_topic_trends(prevalence, *, labels=None, ax=None):
    """Lines of topic shares by group (usually year), from ``TopicModel.prevalence(meta, by="year")``."""
    from .keywords import group_order

    ax = _axes(ax, (7, 4))
    labels = labels or list(dict.fromkeys(prevalence["label"]))
    dated = prevalence[prevalence["group"].astype(str) != "(none)"]  # documents without a year are not on the line
    if dated.empty:
        raise ParameterError("no group to draw: every document's group is '(none)' (no years?)")
    order = {g: i for i, g in enumerate(sorted(dict.fromkeys(dated["group"]), key=group_order))}
    for lab in labels:
        part = dated[dated["label"] == lab]
        part = part.iloc[sorted(range(len(part)), key=lambda i: order[part["group"].iloc[i]])]
        ax.plot(part["group"].astype(str), part["share"], marker="o", label=lab)
    _thin_ticks(ax)
    kw = _chinese(ax, title="topic prevalence 主题强度", xlabel="", ylabel="mean share 平均占比")
    if kw:
        ax.legend(prop=kw["fontproperties"], fontsize="small", ncols=2)
    else:
        ax.legend(fontsize="small", ncols=2)
    return ax


def plot_keyness(keyness_table, *, n=10, ax=None):
    """Diverging bars of the most distinctive terms of two groups, from :func:`policynlp.keywords.keyness`."""
    groups = list(dict.fromkeys(keyness_table["group"]))
    if len(groups) != 2:
        raise ParameterError("the keyness table must hold two groups")
    a = keyness_table[keyness_table["group"] == groups[0]].nsmallest(n, "rank")
    b = keyness_table[keyness_table["group"] == groups[1]].nsmallest(n, "rank")
    terms = a["term"].tolist()[::-1] + b["term"].tolist()
    values = (a["score"].tolist()[::-1]) + [-v for v in b["score"].tolist()]
    ax = _axes(ax, (6, 0.3 * len(terms) + 1.2))
    y = np.arange(len(terms))
    ax.barh(y, values, color=["#D55E00"] * len(a) + ["#0072B2"] * len(b))  # vermillion and blue: colour-blind safe
    ax.axvline(0, color="black", linewidth=0.8)
    kw = _chinese(ax, title=f"{groups[0]}  vs  {groups[1]}", xlabel=f"← {groups[1]}     z (log-odds, informative prior)     {groups[0]} →")
    ax.set_yticks(y, terms, **kw)
    return ax


def plot_term_trends(trends, *, ax=None):
    """Lines of term rates per group (per 10,000 tokens), from :func:`policynlp.keywords.term_trends`."""
    ax = _axes(ax, (7, 4))
    for term in dict.fromkeys(trends["term"]):
        part = trends[trends["term"] == term]
        ax.plot(part["group"].astype(str), part["rate"], marker="o", label=term)
    _thin_ticks(ax)
    kw = _chinese(ax, title="term trends 词频趋势", ylabel="per 10,000 tokens 每万词")
    if kw:
        ax.legend(prop=kw["fontproperties"], fontsize="small", ncols=2)
    return ax


def plot_adoption(curves, *, ax=None):
    """Cumulative adopters against days since the source, one step line per group (:func:`policynlp.reuse.adoption_curves`)."""
    ax = _axes(ax, (7, 4))
    for group in sorted(dict.fromkeys(curves["group"])):
        part = curves[curves["group"] == group]
        ax.step([0] + part["lag_days"].tolist(), [0] + part["adopters"].tolist(), where="post", label=str(group))
    kw = _chinese(ax, title="adoption after the source document 政策采纳（累计）", xlabel="days after the source 距源文件天数",
                  ylabel="adoptions (source → adopter) 采纳次数")
    ax.legend(fontsize="small", **({"prop": kw["fontproperties"]} if kw else {}))
    return ax


def plot_matrix(matrix, *, title="", fmt="{:.2f}", ax=None):
    """A heatmap of a DataFrame (e.g. the instrument × domain shares), values written in the cells."""
    values = matrix.to_numpy(dtype=float)
    ax = _axes(ax, (1.1 * matrix.shape[1] + 2.5, 0.38 * matrix.shape[0] + 1.5))
    im = ax.imshow(values, cmap="Blues", aspect="auto")
    kw = _chinese(ax, title=title)
    ax.set_xticks(range(matrix.shape[1]), [str(c) for c in matrix.columns], rotation=30, ha="right", **kw)
    ax.set_yticks(range(matrix.shape[0]), [str(i) for i in matrix.index], **kw)
    top = values.max() if values.size else 0
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            if values[i, j]:
                ax.text(j, i, fmt.format(values[i, j]), ha="center", va="center", fontsize=7,
                        color="white" if values[i, j] > 0.6 * top else "black")
    ax.figure.colorbar(im, ax=ax, shrink=0.8)
    return ax


def plot_taxonomy_by_year(catalogue, *, ax=None):
    """Stacked bars: catalogued policies per year, coloured by the paper's section."""
    import pandas as pd

    df = catalogue.assign(year=catalogue["date"].str[:4])
    table = pd.crosstab(df["year"], df["section"])
    order = [c for c in ("strategy", "pilots", "guidance", "infrastructure", "services_egov", "community", "tourism",
                         "transport", "healthcare") if c in table.columns]
    table = table[order]
    ax = _axes(ax, (8.5, 4))
    bottom = np.zeros(len(table))
    for col in order:
        ax.bar(table.index, table[col], bottom=bottom, label=col)
        bottom += table[col].to_numpy()
    kw = _chinese(ax, title="smart-city policies by year and section 智慧城市政策（按年份与类别）", ylabel="documents 文件数")
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1), **({"prop": kw["fontproperties"]} if kw else {}))
    ax.set_yticks(range(0, int(bottom.max()) + 2))
    return ax


def plot_graph(G, *, color_by="kind", size_by="weighted_degree", labels=30, layout="spring", seed=0, ax=None):
    """A static drawing of a network with Chinese labels.

    Parameters
    ----------
    G : networkx graph
    color_by : str, default "kind"
        Node attribute that sets the colour (``kind`` or ``community``).
    size_by : str, default "weighted_degree"
    labels : int, default 30
        Label at most the ``labels`` largest nodes (all when ``None``).  Labels
        are placed largest node first, and a label that would overprint one
        already placed is left out, so the drawing never has overlapping
        labels (:func:`label_overlaps` counts them; tested at 0).
    layout : {"spring", "kamada_kawai"} or dict of positions
        ``"spring"``: :func:`policynlp.graphs.layout` (spring layout per connected component).
    seed : int
    """
    import networkx as nx

    from .export import PALETTE

    ax = _axes(ax, (9, 7))
    H = nx.Graph(G) if G.is_multigraph() else G
    isolated = [n for n in H.nodes if H.degree(n) == 0]
    if isolated and len(isolated) < H.number_of_nodes():
        # nodes without a tie say nothing drawn as a grid of dots: count them in a note instead
        H = H.subgraph([n for n in H.nodes if H.degree(n) > 0])
        ax.annotate(f"+ {len(isolated):,} node(s) without ties, not drawn", (0.0, 0.0), xycoords="axes fraction",
                    fontsize=8, color="#555")
    if isinstance(layout, dict):
        pos = layout
    elif layout == "kamada_kawai":
        pos = nx.kamada_kawai_layout(H)
    else:
        from .graphs import layout as component_layout

        pos = component_layout(H, seed=seed)
    nodes = sorted(H.nodes, key=str)
    size = dict(H.degree(weight="weight")) if size_by == "weighted_degree" else {n: H.nodes[n].get(size_by, 1) for n in nodes}
    top = max(size.values()) if size else 1
    # communities 0, 1, 2 … 10 in numeric order, not 0, 1, 10, 11, 2
    groups = sorted({str(H.nodes[n].get(color_by, "")) for n in nodes}, key=lambda g: (not g.isdigit(), int(g) if g.isdigit() else 0, g))
    colour = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(groups)}
    members_of = {g: [n for n in nodes if str(H.nodes[n].get(color_by, "")) == g] for g in groups}
    # the legend names the ten largest groups (a legend of single isolated nodes says nothing)
    in_legend = set(sorted(groups, key=lambda g: (-len(members_of[g]), groups.index(g)))[:10])
    # edges drawn in sorted order, so the picture does not depend on the order they were added in
    edges = sorted(((u, v) if str(u) <= str(v) else (v, u) for u, v in H.edges()), key=lambda e: (str(e[0]), str(e[1])))
    nx.draw_networkx_edges(H, pos, edgelist=edges, ax=ax, alpha=0.25, width=0.6)
    for g in groups:
        members = members_of[g]
        nx.draw_networkx_nodes(H, pos, nodelist=members, ax=ax, node_color=colour[g],
                               node_size=[30 + 600 * (size.get(n, 0) / top if top else 0) for n in members],
                               label=f"{g} ({len(members)})" if g in in_legend else None)
    fp = cjk_font()
    chosen = sorted(nodes, key=lambda n: (-size.get(n, 0), str(n)))[: labels if labels is not None else len(nodes)]
    renderer = _renderer(ax)
    # a white outline keeps a label legible where it sits on edges and other nodes in a dense centre
    from matplotlib.patheffects import withStroke

    halo = withStroke(linewidth=2.5, foreground="white")
    placed = []
    for n in chosen:
        x, y = pos[n]
        t = ax.text(x, y, str(H.nodes[n].get("label", n))[:16], fontsize=8, ha="center", va="center",
                    path_effects=[halo], **({"fontproperties": fp} if fp is not None else {}))
        if renderer is None:
            continue
        box = t.get_window_extent(renderer=renderer).expanded(1.05, 1.1)
        if any(box.overlaps(b) for b in placed):
            t.remove()  # a smaller node's label would overprint a larger one's: leave it to Gephi
        else:
            placed.append(box)
    ax.legend(fontsize="small", markerscale=0.5, loc="upper left", bbox_to_anchor=(1.0, 1.0), title=color_by,
              **({"prop": fp} if fp is not None else {}))
    ax.set_axis_off()
    return ax


def _renderer(ax):
    """The figure's renderer, to measure text (None for canvases that cannot give one)."""
    get = getattr(ax.figure.canvas, "get_renderer", None)
    return get() if get is not None else None


def label_overlaps(ax):
    """The number of pairs of text labels on ``ax`` whose boxes overlap (0 for a readable drawing).

    Examples
    --------
    >>> import networkx as nx
    >>> ax = plot_graph(nx.complete_graph(12), labels=None)
    >>> label_overlaps(ax)
    0
    """
    renderer = _renderer(ax)
    if renderer is None:
        raise ParameterError("this figure's canvas cannot measure text; draw with the Agg backend")
    boxes = [t.get_window_extent(renderer=renderer) for t in ax.texts if t.get_text()]
    return int(sum(boxes[i].overlaps(boxes[j]) for i in range(len(boxes)) for j in range(i + 1, len(boxes))))


def font_face_css(text, family="policynlp CJK"):
    """CSS ``@font-face`` embedding the CJK font subset to the characters of ``text``.

    An HTML page that carries it reads right on a machine without Chinese
    fonts, offline (the report and the interactive topic page use it).  The
    font is the one the figures use (:func:`cjk_font`); without matplotlib or
    fontTools, or when no CJK font is found, returns ``""`` and the page
    relies on the reader's fonts.
    """
    try:
        from fontTools import subset

        fp = cjk_font()
    except (ImportError, MissingDependencyError):
        return ""
    if fp is None:
        return ""
    from matplotlib.font_manager import findfont

    path = findfont(fp)
    chars = "".join(sorted({c for c in text if ord(c) > 127}))
    opts = subset.Options()
    opts.flavor = None
    opts.recalc_timestamp = False
    try:
        font = subset.load_font(path, opts)
        sub = subset.Subsetter(opts)
        sub.populate(text=chars)
        sub.subset(font)
        buf = io.BytesIO()
        subset.save_font(font, buf, opts)
    except Exception as exc:  # noqa: BLE001 - fontTools raises many kinds; the report still works without the font
        log.warning("could not embed a CJK font in the page (%s); it will use the reader's fonts", exc)
        return ""
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f"@font-face{{font-family:'{family}';src:url(data:font/otf;base64,{data}) format('opentype');}}"


def save_png_svg(ax, folder, name, *, dpi=300):
    """Save the figure of ``ax`` as ``folder/name.png`` and ``folder/name.svg``, then close it."""
    plt = _mpl()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in (".png", ".svg"):
        save_figure(ax, folder / f"{name}{suffix}", dpi=dpi)
    plt.close(ax.figure)


def save_figure(ax, path, *, dpi=300):
    """Save the figure of ``ax`` to ``path`` (PNG or SVG by suffix) without timestamps, so re-runs give identical files."""
    fig = ax.figure
    suffix = Path(path).suffix.lower()
    metadata = {"Software": None} if suffix == ".png" else {"Date": None} if suffix in (".svg", ".pdf") else None
    kwargs = {"metadata": metadata} if metadata else {}
    if suffix == ".svg":
        import matplotlib

        with matplotlib.rc_context({"svg.hashsalt": "policynlp"}):
            fig.savefig(path, dpi=dpi, **kwargs)
    else:
        fig.savefig(path, dpi=dpi, **kwargs)
    return Path(path)
