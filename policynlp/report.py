"""The HTML report and the methods paragraphs of an ``analyze`` run.

It reads what the stages wrote (never their in-memory state, so a resumed
run's report equals a fresh one's): a summary, one section per stage with
captions and tables formatted for people, each empty section saying why, the
figures inlined, and the CJK font subset embedded so the page reads offline on
any machine.  The page's skeleton and style sheet are package data
(``data/report/report.html``, a :class:`string.Template`, and ``report.css``),
so the look changes without touching the code that fills the sections.

Its length is the report's sections, one function each, and the summary that reads them.
"""

import base64
import html
import json
import logging

import pandas as pd

from .resources import read_text

log = logging.getLogger(__name__)


def _page(**parts):
    """The report page: the template ``data/report/report.html`` (``string.Template``: ``$css``, ``$title``, ``$body``)
    with the style sheet ``data/report/report.css`` (one rule per line there, joined here; comment lines dropped)."""
    from string import Template

    return Template(read_text("report/report.html")).substitute(parts)


def _style():
    return "".join(line.strip() for line in read_text("report/report.css").splitlines()
                   if line.strip() and not line.lstrip().startswith("/*"))


def _methods(run):
    c = run.cfg
    corpus = run.corpus()
    meta = corpus.meta
    years = meta["year"].dropna()
    span = f"{int(years.min())}–{int(years.max())}" if len(years) else "undated"
    k = _chosen_k(run)
    from . import __version__
    from .text.units import choose_unit

    unit = choose_unit(corpus.texts) if c["topics"]["unit"] == "auto" else c["topics"]["unit"]
    unit_en = ("" if unit == "document" else
               f" on {unit}s{' (from the documents’ own layout; long paragraphs cut at numbered clauses)' if unit == 'paragraph' else ''}, "
               "documents’ topic shares being the token-weighted means of their units’")
    unit_zh = "" if unit == "document" else {"paragraph": "以段落为建模单元，", "clause": "以条款为建模单元，",
                                             "sentence": "以句子为建模单元，"}[unit]

    skipped = run.out / "topics" / "not_modelled.txt"
    if skipped.is_file():
        topics_en = f"No topic model was fitted ({skipped.read_text(encoding='utf-8').strip()})."
        topics_zh = "未拟合主题模型（语料不足以支撑主题模型）。"
    else:
        topics_en = (f"Topics were modelled{unit_en} with {c['topics']['method']} (K = {k}"
                     f"{', chosen by the highest mean c_v coherence over K = ' + ', '.join(map(str, c['topics']['sweep'])) + ' and seeds ' + ', '.join(map(str, c['topics']['sweep_seeds'])) if c['topics']['k'] is None else ''}"
                     f"; c_v as computed by gensim's CoherenceModel (Röder et al. 2015) on the top 10 terms of each topic, with "
                     f"a boolean sliding window of 110 tokens over the modelled {unit}s; "
                     f"{'administrative verbs such as 加强, 推进, 开展 were left out of topic terms; ' if c['topics']['admin_stopwords'] else ''}"
                     f"seed {c['topics']['seed']}; terms in at least {_min_df_words(c['topics']['min_df'])} and at most {int(c['topics']['max_df'] * 100)}% of them).")
        topics_zh = (f"主题模型{unit_zh}采用{c['topics']['method']}（主题数K={k}"
                     f"{'，依据一致性c_v均值在候选K值中选取' if c['topics']['k'] is None else ''}，随机种子{c['topics']['seed']}；"
                     f"c_v按gensim的CoherenceModel计算，取每个主题前10个词，滑动窗口110词）。")
    en = (f"We analysed {len(corpus)} policy documents ({span}) with policynlp {__version__}. Texts were normalised "
          f"(full-width characters, punctuation variants and line breaks unified) and segmented with jieba's dictionary "
          f"({c['segment']['engine']} engine, HMM {'on' if c['segment']['hmm'] else 'off'}) extended by a policy lexicon of "
          f"agency names and policy terms; titles in 《》, document numbers, collective mentions and dates were kept as single "
          f"tokens, and {'a policy stopword list was applied' if c['segment']['stopwords'] else 'no stopwords were removed'}. "
          f"Keywords were ranked by tf-idf with IDF fitted on this corpus and by TextRank (Mihalcea & Tarau 2004). "
          f"{topics_en} "
          f"Documents were assigned to the domains of the {c['taxonomy']['name']} taxonomy by lexicon scoring, each seed "
          f"term weighted by its inverse document frequency in this corpus, a document being left unassigned when "
          f"its runner-up domain scored within a factor of 1.25 of its best; "
          f"{c['taxonomy']['unit']}s were coded with policy instruments after Rothwell & Zegveld (1985). Citations in 《》 and "
          f"policy events were extracted by rule, and networks of agencies, documents, programmes, domains and terms were "
          f"built and exported to GEXF for Gephi.")
    zh = (f"本研究使用 policynlp {__version__} 分析了{len(corpus)}份政策文件（{span}）。文本经过规范化处理（统一全角字符、标点变体与换行），"
          f"以结巴分词词典（{c['segment']['engine']} 引擎，HMM {'开启' if c['segment']['hmm'] else '关闭'}）结合政策词表（机构名称与政策术语）进行分词，"
          f"书名号内标题、发文字号、联合发文部门数与日期作为整体保留，并{'使用政策停用词表' if c['segment']['stopwords'] else '未去除停用词'}。"
          f"关键词采用基于本语料IDF的TF-IDF与TextRank排序；{topics_zh}"
          f"依据{c['taxonomy']['name']}分类体系以词表打分判定文件所属领域，并按Rothwell与Zegveld的政策工具分类对{'句子' if c['taxonomy']['unit'] == 'sentence' else '条款'}进行编码；"
          f"以规则抽取书名号引用与政策事件，构建部门、文件、项目、领域与词语网络，并导出为Gephi可读的GEXF文件。")
    return en, zh


def _min_df_words(min_df):
    """``min_df`` as words: a count of documents, or a share of them (scikit-learn's two readings)."""
    return f"{min_df} documents" if isinstance(min_df, int) else f"{min_df:.0%} of the documents"


def _taxonomy_fit_note(run):
    """A warning paragraph when the taxonomy separates the corpus poorly (read from the taxonomy stage's file)."""
    from .taxonomy import taxonomy_fit

    table = _read(run.out / "taxonomy" / "document_domains.csv")
    if table is None:
        return ""
    fit = taxonomy_fit(_labels(table["domain"]), taxonomy=run.cfg["taxonomy"]["name"])
    return f'<p class="warn"><strong>Note:</strong> {html.escape(fit)}.</p>' if fit else ""


def _chosen_k(run):
    """K of the fitted model, read back from its saved parameters (works when the topics stage was skipped)."""
    path = run.out / "topics" / "model" / "topic_model.json"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))["params"]["n_topics"]
    return run.cfg["topics"]["k"]


def _not_modelled(run):
    """Why there is no topic model, when the topics stage said so."""
    path = run.out / "topics" / "not_modelled.txt"
    if not path.is_file():
        return ""
    return f'<p class="warn"><strong>Note:</strong> {html.escape(path.read_text(encoding="utf-8").strip())}.</p>'


def _passages_html(run, per_topic=2, chars=220):
    """Each topic's top terms and its most representative passages, to read what the topic is about."""
    o = run.out / "topics"
    if not (o / "topic_passages.csv").is_file() or not (o / "topic_terms.csv").is_file():
        return ""
    terms = pd.read_csv(o / "topic_terms.csv", encoding="utf-8-sig", keep_default_na=False)
    pas = pd.read_csv(o / "topic_passages.csv", encoding="utf-8-sig", keep_default_na=False)
    items = []
    for (k, label), part in terms.groupby(["topic", "label"], sort=True):
        head = f"<strong>{html.escape(str(label))}</strong>: {html.escape(' '.join(part['term'].head(10)))}"
        rows = pas[pas["topic"] == k].head(per_topic)
        quotes = "".join(
            f"<blockquote>{html.escape(r.text[:chars])}{'…' if len(r.text) > chars else ''}"
            f"<br><small>{html.escape(r.title or r.document)}{' · ' + html.escape(r.path) if r.path else ''}"
            f" · share {float(r.share):.0%}</small></blockquote>" for r in rows.itertuples())
        items.append(f"<li>{head}{quotes or '<br><small>no passage gives this topic 30% or more</small>'}</li>")
    return ("<h3>What each topic is about: top terms and the passages that carry it most</h3>"
            f"<ol class='topics'>{''.join(items)}</ol>"
            "<p><small>All passages: <code>topics/topic_passages.csv</code>.</small></p>")


def _img(run, name, caption=""):
    p = run.out / "figures" / f"{name}.png"
    if not p.is_file():
        return ""
    data = base64.b64encode(p.read_bytes()).decode("ascii")
    cap = f"<figcaption>{html.escape(caption)} (<code>figures/{name}.png</code>, .svg)</figcaption>" if caption else ""
    return f'<figure><img alt="{html.escape(caption or name)}" src="data:image/png;base64,{data}">{cap}</figure>'


def _caption(text):
    return f'<p class="cap">{text}</p>'


def _why(text):
    """An empty section says why it is empty."""
    return f'<p class="why">{html.escape(text)}.</p>'


def _reasons(skipped, n=3):
    counts = skipped["reason"].str.split(":").str[0].value_counts().head(n)
    return "; ".join(f"{html.escape(r)} {c:,}" for r, c in counts.items())


def _fmt(col, v):
    """A cell for people: years as 2014, counts with separators, shares as percentages, weights to 3 figures."""
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, str):
        return html.escape(v)
    name = str(col).lower()
    if name in ("year", "group", "k", "seed", "rank", "topic"):
        return str(int(v)) if float(v).is_integer() else f"{v:g}"
    if "share" in name and isinstance(v, float):
        return f"{v:.0%}"
    if isinstance(v, (int,)) or (isinstance(v, float) and v.is_integer() and abs(v) >= 1):
        return f"{int(v):,}"
    return f"{v:.3g}"


def _frame_html(df, caption=""):
    """A small table with numbers formatted for people and numeric columns right-aligned."""
    head = "".join(f'<th class="{"num" if pd.api.types.is_numeric_dtype(df[c]) else ""}">{html.escape(str(c))}</th>'
                   for c in df.columns)
    rows = "".join("<tr>" + "".join(
        f'<td class="{"num" if pd.api.types.is_numeric_dtype(df[c]) else ""}">{_fmt(c, v)}</td>'
        for c, v in zip(df.columns, r)) + "</tr>" for r in df.itertuples(index=False))
    return (_caption(caption) if caption else "") + f'<table class="t"><tr>{head}</tr>{rows}</table>'


_READ = {}


def _labels(col):
    """A text column as read, empty cells as ``""``: a column with no value at all reads as float64, and
    filling floats with strings is refused by coming pandas versions."""
    return col.astype(object).where(col.notna(), "")


def _read(path):
    """A stage's CSV, read once per report (the summary and the sections use the same tables)."""
    if not path.is_file():
        return None
    st = path.stat()
    key = (str(path), st.st_mtime_ns, st.st_size)  # a rewritten file is read again
    if key not in _READ:
        if len(_READ) > 64:
            _READ.clear()
        _READ[key] = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, na_values=[""])
    return _READ[key]


def _years_html(years, per_row=12):
    """Documents per year, laid out across the page: twelve years to a row, years above counts."""
    items = list(years.items())
    rows = []
    for i in range(0, len(items), per_row):
        chunk = items[i : i + per_row]
        rows.append("<tr><th>year</th>" + "".join(f'<th class="num">{int(y)}</th>' for y, _ in chunk) + "</tr>"
                    + "<tr><td>documents</td>" + "".join(f'<td class="num">{int(n):,}</td>' for _, n in chunk) + "</tr>")
    return f'<table class="t">{"".join(rows)}</table>'


def _compact_terms(path, caption):
    """One row per group with its top terms: every year (or document) visible at once."""
    df = _read(path)
    if df is None or df.empty:
        return _why("no keyword table was produced (no terms left after stopwords)")
    rows = [(g, " · ".join(part.sort_values("rank")["term"].astype(str).head(10)))
            for g, part in df.groupby("group", sort=False)]
    note = f" All {len(rows):,} groups; full table: <code>keywords/{path.name}</code>."
    shown = rows[:60]
    table = _frame_html(pd.DataFrame(shown, columns=["group", "top terms"]))
    more = f"<p class='cap'>… {len(rows) - 60:,} more groups in the CSV.</p>" if len(rows) > 60 else ""
    return _caption(caption + "." + note) + table + more


def _sweep_html(path):
    df = _read(path)
    if df is None:
        return ""
    means = df.groupby("k")[[c for c in ("c_v", "u_mass", "stability") if c in df.columns]].mean().reset_index()
    return _frame_html(means, "K sweep: coherence (gensim CoherenceModel, top 10 terms) and stability across seeds, "
                              "mean over seeds; the chosen K has the highest mean c_v. Per seed: <code>topics/sweep.csv</code>")


def _domains_html(path):
    df = _read(path)
    if df is None:
        return ""
    counts = _labels(df["domain"]).replace("", "(unassigned)").value_counts()
    table = counts.rename_axis("domain").to_frame("documents").reset_index()
    table["share"] = table["documents"] / len(df)
    return _frame_html(table, "Main domain of each document (lexicon coding, seeds weighted by specificity; "
                              "unassigned = no clear winner). Per document: <code>taxonomy/document_domains.csv</code>")


def _extraction_html(folder):
    ev, ci = _read(folder / "events.csv"), _read(folder / "citations.csv")
    out = ""
    if ev is not None and len(ev):
        cols = [c for c in ("id", "date", "issuers", "action", "documents", "domain") if c in ev.columns]
        out += _frame_html(ev[cols].head(12), f"Policy events ({len(ev):,}; the first 12): who did what, when. "
                                              "All, with sentences and offsets: <code>extract/events.csv</code>")
    else:
        out += _why("no policy event was found (a dated sentence where an agency issues, publishes, approves or "
                    "launches something)")
    if ci is not None and len(ci):
        title = "resolved_title" if "resolved_title" in ci.columns else "cited"
        # where(), not fillna(): a resolved-title column read back with no value is float64, and pandas refuses
        # (soon: raises on) filling floats with strings
        cited = ci[title].where(ci[title].notna(), ci["cited"]) if title != "cited" else ci["cited"]
        top = cited.value_counts().head(12).rename_axis("cited title").to_frame("citations").reset_index()
        out += _frame_html(top, f"Most cited titles ({len(ci):,} citations in 《》). All: <code>extract/citations.csv</code>")
    else:
        out += _why("no title in 《》 is cited")
    return out


def _network_html(run, kind):
    name = kind.replace("-", "_")
    path = run.out / "graphs" / f"{name}_metrics.csv"
    df = _read(path)
    if df is None or df.empty:
        why = {"co-issuing": "no document has two or more issuers, so there is no co-issuing network — see the "
                             "ingest report and the issuers in corpus/corpus.parquet",
               "citation": "no document cites another document of the corpus",
               "co-citation": "no two titles are cited together"}.get(kind, "the network has no nodes")
        return f"<h3>{html.escape(kind)}</h3>" + _why(why)
    n = len(df)
    df = df[df["degree"] > 0] if "degree" in df.columns else df
    if df.empty:  # nodes, but not one tie between them
        why = {"co-issuing": f"every document has a single issuing body ({_count(n, 'body', 'bodies')} in all), so "
                             "no two bodies issued a document together: there is no co-issuing network"}.get(
            kind, f"none of its {_count(n, 'node has', 'nodes has')} a tie to another, so there is no network to draw")
        return f"<h3>{html.escape(kind)}</h3>" + _why(why + f" (its nodes: graphs/{name}_metrics.csv)")
    order = [c for c in ("weighted_degree", "betweenness") if c in df.columns]
    top = df.sort_values(order + ["id"], ascending=[False] * len(order) + [True]).head(10)
    cols = [c for c in ("label", "kind", "degree", "weighted_degree", "betweenness", "community") if c in top.columns]
    page = run.out / "graphs" / f"{name}.html"
    link = (f'<p><a href="graphs/{name}.html">Explore the {html.escape(kind)} network</a> — pan, zoom, search a node, '
            "hover for its attributes, filter by kind and year; offline, in any browser.</p>") if page.is_file() else ""
    return (f"<h3>{html.escape(kind)}</h3>" + link
            + _img(run, f"graph_{name}", f"The {kind} network; labels on the nodes of highest weighted degree")
            + _frame_html(top[cols], f"Its 10 most central nodes by weighted degree, then betweenness "
                                     f"(all nodes: <code>graphs/{name}_metrics.csv</code>)"))


def _marked(a, b):
    """Two passages as HTML with the characters that differ between them marked (rapidfuzz's Indel opcodes)."""
    from rapidfuzz.distance import Indel

    out_a, out_b = [], []
    for op in Indel.opcodes(a, b):
        pa, pb = html.escape(a[op.src_start : op.src_end]), html.escape(b[op.dest_start : op.dest_end])
        if op.tag == "equal":
            out_a.append(pa)
            out_b.append(pb)
        else:
            out_a.append(f"<mark>{pa}</mark>" if pa else "")
            out_b.append(f"<mark>{pb}</mark>" if pb else "")
    return "".join(out_a), "".join(out_b)


def _reuse_html(run, n_pairs=5, chars=400):
    folder = run.out / "reuse"
    if (folder / "not_run.txt").is_file():
        return _why("text reuse was not analysed (<code>reuse.enabled: false</code> in the configuration)")
    pairs, passages = _read(folder / "pairs.csv"), _read(folder / "passages.csv")
    if pairs is None:
        return _why("the reuse stage did not run")
    min_chars = run.cfg["reuse"]["min_chars"]
    if pairs.empty:
        from .reuse.find import default_max_df

        common = run.cfg["reuse"]["max_df"] or default_max_df(len(run.corpus()))
        return _why(f"no two documents share a passage of {min_chars} characters or more (set phrases used by more "
                    f"than {common} documents do not count), so there is no diffusion network")
    directed, lag = _directed_lags(pairs)
    same = pairs["same_issuer"].astype(str) == "True"
    text = (f"{len(pairs):,} document pairs share passages of {min_chars}+ characters ({len(passages):,} passages); "
            f"{len(directed):,} are directed by their dates (the earlier document is the source)"
            + (f", median lag {lag.median():,.0f} days" if len(lag) else "")
            + f"; {int(same.sum()):,} pairs are within one issuer (serial letters, templates). "
            "Tables: <code>reuse/pairs.csv</code>, <code>reuse/passages.csv</code> (offsets, clause paths), "
            "<code>reuse/adoption.csv</code>; networks: <code>reuse/diffusion_*.gexf</code> (Gephi's timeline plays the adoption).")
    shown = pairs[~same] if (~same).any() else pairs
    rows = []
    for r in shown.head(n_pairs).itertuples(index=False):
        ps = passages[(passages["source"] == r.source) & (passages["target"] == r.target)]
        if ps.empty:
            continue
        p = ps.sort_values("chars", ascending=False).iloc[0]
        a, b = _marked(str(p["source_text"])[:chars], str(p["target_text"])[:chars])
        head = (f"<strong>{html.escape(str(r.source))}</strong> {'→' if str(r.directed) == 'True' else '—'} "
                f"<strong>{html.escape(str(r.target))}</strong>: {int(r.shared_chars):,} characters in {int(r.passages)} "
                f"passage(s), {float(r.target_share):.0%} of the target"
                + (f", {int(float(r.lag_days)):,} days later" if str(r.directed) == "True" and pd.notna(r.lag_days) else
                   f" ({html.escape(str(r.basis))})"))
        rows.append(f"<tr><td colspan='2'>{head}</td></tr><tr><td>{a}</td><td>{b}</td></tr>")
    side = (_caption(("Largest reuse between different issuers" if (~same).any() else "Largest reuse")
                     + f": the longest passage of each pair, source left, adopter right; characters that differ are "
                       f"marked (first {chars} characters).")
            + "<table class='t reuse'><tr><th>source</th><th>adopter</th></tr>" + "".join(rows) + "</table>")
    adopt = _read(folder / "adoption.csv")
    adopt_html = ""
    if adopt is not None and len(adopt):
        cols = [c for c in ("source", "title", "adopters", "median_lag_days", "mean_target_share", "mean_source_share",
                            "adopter_levels") if c in adopt.columns]
        adopt_html = _frame_html(adopt[cols].head(10), "Sources with the most adopters: lag in days; target share = how "
                                 "much of an adopter is the source, source share = how much of the source reached it")
    cross = _read(folder / "citations_vs_reuse.csv")
    cross_html = ""
    if cross is not None and len(cross):
        counts = cross["relation"].value_counts().rename_axis("relation").to_frame("pairs").reset_index()
        cross_html = _frame_html(counts, "Reuse crossed with citation in 《》 (<code>reuse/citations_vs_reuse.csv</code>)")
    return (_caption(text) + side + adopt_html + cross_html
            + _img(run, "reuse_adoption", "Cumulative adoptions (source → adopter pairs, all sources pooled) by days after "
                                          "the source, by the adopter's level"))


def _directed_lags(pairs):
    """The directed pairs of ``reuse/pairs.csv`` and their known lags in days."""
    directed = pairs[pairs["directed"].astype(str) == "True"]
    return directed, pd.to_numeric(directed["lag_days"], errors="coerce").dropna()


def _count(n, one, many):
    """``1 issuing body``, ``3 issuing bodies``, ``1,260 …``: a count with the noun it agrees with."""
    return f"{n:,} {one if n == 1 else many}"


def _summary(run, corpus, skipped, years):
    """What is in the corpus, what each stage found in one sentence, and where to look next."""
    o = run.out
    meta = corpus.meta
    span = f"{years.index.min()}–{years.index.max()}" if len(years) else "no dates"
    n_iss = meta["issuers"].str.split(";").explode().replace("", pd.NA).dropna().nunique()
    items = [f"<strong>Corpus</strong>: {len(corpus):,} documents ({span}), {_count(n_iss, 'issuing body', 'issuing bodies')}; "
             f"{len(skipped):,} inputs skipped" + (f" ({_reasons(skipped)})" if len(skipped) else "") + "."]
    t = o / "topics" / "topic_terms.csv"
    if (o / "topics" / "not_modelled.txt").is_file():
        items.append("<strong>Topics</strong>: " + html.escape((o / "topics" / "not_modelled.txt").read_text(encoding="utf-8").strip()) + ".")
    elif t.is_file():
        tt = _read(t)
        first = " · ".join(tt[tt["topic"] == 0]["term"].astype(str).head(5))
        items.append(f"<strong>Topics</strong>: {tt['topic'].nunique()} topics (e.g. {html.escape(first)}); read the passages "
                     "under Topics to name them.")
    d = _read(o / "taxonomy" / "document_domains.csv")
    if d is not None and len(d):
        top = _labels(d["domain"]).replace("", "(unassigned)").value_counts()
        items.append(f"<strong>Domains</strong>: most documents are {html.escape(str(top.index[0]))} "
                     f"({top.iloc[0] / len(d):.0%}); {(_labels(d['domain']) == '').mean():.0%} unassigned.")
    ev, ci = _read(o / "extract" / "events.csv"), _read(o / "extract" / "citations.csv")
    items.append(f"<strong>Extraction</strong>: {0 if ev is None else len(ev):,} policy events, "
                 f"{0 if ci is None else len(ci):,} citations in 《》.")
    nets = []
    for kind in run.cfg["graphs"]["kinds"]:
        m = _read(o / "graphs" / f"{kind.replace('-', '_')}_metrics.csv")
        tied = 0 if m is None or "degree" not in m.columns else int((m["degree"] > 0).sum())
        nets.append(f"{kind} {_count(0 if m is None else len(m), 'node', 'nodes')}" + ("" if tied else " (no ties)"))
    items.append("<strong>Networks</strong>: " + ", ".join(nets) + " — open <code>graphs/*.gexf</code> in Gephi.")
    pairs = _read(o / "reuse" / "pairs.csv")
    if pairs is not None:
        directed, lag = _directed_lags(pairs)
        items.append(f"<strong>Text reuse</strong>: {_count(len(pairs), 'document pair shares', 'document pairs share')} "
                     f"passages of {run.cfg['reuse']['min_chars']}+ characters" + (f"; {len(directed):,} directed by date, median lag "
                                                     f"{lag.median():,.0f} days" if len(lag) else "") + ".")
    items.append("<strong>Next</strong>: the passages behind each topic (Topics), the domain table, "
                 "<code>methods.md</code> for a methods paragraph, <code>manifest.json</code> for what produced what.")
    return '<ul class="summary">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def report(run):
    corpus = run.corpus()
    meta = corpus.meta
    en, zh = _methods(run)
    o = run.out
    (run.path("methods.md")).write_text(f"# Methods\n\n{en}\n\n# 研究方法\n\n{zh}\n", encoding="utf-8")
    # the ingest stage's report on disk: the same counts whether that stage ran now or in an earlier run
    rep = pd.read_csv(o / "corpus" / "ingest_report.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    skipped = rep[rep["status"] == "skipped"]
    issuers = meta["issuers"].str.split(";").explode()
    issuers = issuers[issuers != ""].value_counts().head(10)
    years = meta["year"].dropna().astype(int).value_counts().sort_index()
    kw_file = next(iter(sorted((o / "keywords").glob("tfidf_by_*.csv"))), o / "keywords" / "missing.csv")
    corpus_html = (
        _caption(f"{len(corpus):,} documents loaded, {len(skipped):,} inputs skipped"
                 + (f" ({_reasons(skipped)})" if len(skipped) else "") + "; every input and its fate: "
                 "<code>corpus/ingest_report.csv</code>.")
        + "<h3>Documents per year</h3>"
        + (_years_html(years)
           if len(years) else _why("no document has a date (none in the metadata columns, none found in the texts), "
                                   "so there are no tables or figures by year"))
        + "<h3>Top issuers</h3>"
        + (_frame_html(issuers.rename_axis("issuer").to_frame("documents").reset_index()) if len(issuers) else
           _why("no issuer was found for any document (no issuer column, and no issuing body in titles, headers, "
                "signatures or 文号): there is no co-issuing network and no agency in the multimode network")))
    sections = [
        ("Summary 概要", _summary(run, corpus, skipped, years)),
        ("Corpus 语料", corpus_html),
        ("Keywords 关键词", _compact_terms(kw_file, "tf-idf keywords per group (top 10; IDF fitted on this corpus)")
         + _img(run, "keyness", "Keyness: terms that set one group of years apart from the other (log-odds z)")
         + _img(run, "term_trends_year", "Frequency of the most frequent terms per 10,000 tokens, by year")),
        ("Topics 主题", _not_modelled(run) + _passages_html(run)
         + _sweep_html(o / "topics" / "sweep.csv")
         + _img(run, "topic_terms", "Top terms of each topic (probability in the topic)")
         + _img(run, "topic_prevalence_year", "Mean topic share of the documents of each year")),
        ("Domains and policy instruments 领域与政策工具", _taxonomy_fit_note(run)
         + _domains_html(o / "taxonomy" / "document_domains.csv")
         + _img(run, "instrument_domain", "Policy instruments (rows) × domains (columns): share of each domain's coded units")),
        ("Extraction 引用与政策事件", _extraction_html(o / "extract")),
        ("Networks 网络", "".join(_network_html(run, k) for k in run.cfg["graphs"]["kinds"])
         + "<p>Open <code>graphs/*.gexf</code> in Gephi (File → Open); colours follow <code>kind</code> or <code>community</code>, "
           "sizes the weighted degree; dynamic files play in the Timeline.</p>"),
        ("Text reuse and diffusion 文本复用与政策扩散", _reuse_html(run)),
        ("Methods 研究方法", f"<p>{html.escape(en)}</p><p>{html.escape(zh)}</p>"),
    ]
    body = "\n".join(f"<section><h2>{html.escape(t)}</h2>{content}</section>" for t, content in sections)
    title = "policynlp analysis report 政策文本分析报告"
    from .plots import font_face_css

    css = font_face_css(title + body) + _style()
    page = _page(css=css, title=title, body=body)
    run.path("report.html").write_text(page, encoding="utf-8")
