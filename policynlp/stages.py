"""The stages of :func:`policynlp.pipeline.analyze`; each reads its inputs from the output folder and writes its files there."""

import base64
import html
import json
import logging
import shutil

import pandas as pd

from .errors import NoDocumentsError, ParameterError
from .provenance import stable_hash

log = logging.getLogger(__name__)


def _corpus(run):
    if "corpus" not in run.state:
        from .corpus import Corpus

        run.state["corpus"] = Corpus.read_parquet(run.out / "corpus" / "corpus.parquet")
    return run.state["corpus"]


def _tokens(run):
    if "tokens" not in run.state:
        from .tables import read_tokens

        run.state["tokens"] = read_tokens(run.out / "tokens" / "tokens.parquet")
        run.state["fingerprint"] = run.state["tokens"].attrs.get("provenance", {}).get("fingerprint")
    return run.state["tokens"]


def _write(run, frame, *parts, index=False):
    from .tables import provenance_path, write_table

    path = write_table(frame, run.path(*parts), excel=run.cfg["output"]["excel"], index=index)
    if frame.attrs.get("provenance"):
        run.register(provenance_path(path))
    return path


def _figures_on(run):
    from .plots import available

    return run.cfg["output"]["figures"] and available()


def _figure(run, ax, *parts):
    from .plots import save_png_svg

    folder = run.path(*parts).parent
    save_png_svg(ax, folder, parts[-1])
    run.register(folder / f"{parts[-1]}.png", folder / f"{parts[-1]}.svg")


def run_all(run, input_hash):
    cfg = run.cfg
    keys = {}
    keys["ingest"] = stable_hash([input_hash, cfg["ingest"], cfg["normalize"]])
    run.stage("ingest", keys["ingest"], lambda: ingest(run))
    keys["segment"] = stable_hash([keys["ingest"], cfg["segment"]])
    run.stage("segment", keys["segment"], lambda: segment(run))
    keys["keywords"] = stable_hash([keys["segment"], cfg["keywords"], cfg["output"]])
    run.stage("keywords", keys["keywords"], lambda: keywords(run))
    keys["topics"] = stable_hash([keys["segment"], cfg["topics"], cfg["output"]])
    run.stage("topics", keys["topics"], lambda: topics(run))
    keys["taxonomy"] = stable_hash([keys["ingest"], cfg["taxonomy"], cfg["output"]])
    run.stage("taxonomy", keys["taxonomy"], lambda: taxonomy(run))
    keys["extract"] = stable_hash([keys["ingest"], cfg["extract"], cfg["taxonomy"]])
    run.stage("extract", keys["extract"], lambda: extract(run))
    keys["graphs"] = stable_hash([keys["segment"], keys["extract"], cfg["graphs"], cfg["taxonomy"], cfg["output"]])
    run.stage("graphs", keys["graphs"], lambda: graphs(run))
    keys["report"] = stable_hash([keys, "report/1"])
    run.stage("report", keys["report"], lambda: report(run))
    return keys


def ingest(run):
    from .corpus import read_corpus

    c = run.cfg
    corpus = read_corpus(run.inputs, progress=run.progress, normalize=c["normalize"], client=run.client, **c["ingest"])
    rep = corpus.report
    if len(corpus) == 0:
        reasons = "; ".join(f"{r.source}: {r.reason}" for r in rep.head(5).itertuples())
        raise NoDocumentsError(f"no documents found in {', '.join(map(str, run.inputs))}: every input was skipped "
                               f"({reasons}{' …' if len(rep) > 5 else ''}); nothing was written")
    corpus.to_parquet(run.path("corpus", "corpus.parquet"))
    rep.to_csv(run.path("corpus", "ingest_report.csv"), index=False, encoding="utf-8-sig" if c["output"]["excel"] else "utf-8",
               lineterminator="\n")
    run.state["corpus"] = corpus


def _segmenter(run):
    """The run's Segmenter and its worker count: the configuration, plus the terms discovered in the corpus."""
    from .segment import Segmenter

    s = dict(run.cfg["segment"])
    n_jobs = s.pop("n_jobs")
    discover, top_n = s.pop("discover"), s.pop("discover_top_n")
    if discover:
        path = run.out / "tokens" / "discovered_terms.csv"
        if "discovered" not in run.state:
            if path.is_file():  # found by an earlier run of the segment stage
                run.state["discovered"] = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)["term"].tolist()
            else:
                from .discover import discover_terms

                table = discover_terms(_corpus(run), top_n=top_n)
                _write(run, table, "tokens", "discovered_terms.csv")
                run.state["discovered"] = table["term"].tolist()
                log.info("term discovery: %d new terms added to the segmenter (tokens/discovered_terms.csv)", len(table))
        words = run.state["discovered"]
        uw = s["user_words"]
        if uw is None:
            s["user_words"] = words
        elif isinstance(uw, str):
            from .lexicon import load_lexicon

            s["user_words"] = [e.word for e in load_lexicon(uw)] + words
        else:
            s["user_words"] = list(uw) + words
    return Segmenter(**s), n_jobs


def segment(run):
    from .tables import write_tokens

    stale = run.out / "tokens" / "discovered_terms.csv"
    if stale.is_file():
        stale.unlink()  # found again below when discovery is on: never the list of an earlier corpus
    run.state.pop("discovered", None)
    seg, n_jobs = _segmenter(run)
    tokens = seg.segment(_corpus(run), n_jobs=n_jobs, progress=run.progress, client=run.client)
    write_tokens(tokens, run.path("tokens", "tokens.parquet"))
    run.state["tokens"] = tokens
    run.state["fingerprint"] = seg.fingerprint


def _group_column(run, by):
    meta = _corpus(run).meta
    if by in meta.columns and meta[by].notna().any() and (meta[by] != "").any():
        return by
    log.warning("keywords.by=%r has no values in this corpus; keywords are per document", by)
    return None


def keywords(run):
    from . import keywords as kw

    c = run.cfg["keywords"]
    corpus, tokens = _corpus(run), _tokens(run)
    by = _group_column(run, c["by"])
    tag = by or "document"
    stop = "admin" if c["admin_stopwords"] else None
    _write(run, kw.tfidf_keywords(tokens, corpus, by=by, top_n=c["top_n"], stopwords=stop), "keywords", f"tfidf_by_{tag}.csv")
    _write(run, kw.textrank_keywords(tokens, corpus, by=by, top_n=c["top_n"], stopwords=stop), "keywords",
           f"textrank_by_{tag}.csv")
    if corpus.meta["year"].notna().any():
        trends = kw.term_trends(tokens, corpus, c["trend_terms"], by="year", top_n=8, stopwords=stop)
        _write(run, trends, "keywords", "term_trends_year.csv")
        if _figures_on(run):
            from .plots import plot_term_trends

            _figure(run, plot_term_trends(trends), "figures", "term_trends_year")
    if c["keyness"]:
        k = kw.keyness(tokens, corpus, by=c["keyness"]["by"], groups=c["keyness"]["groups"], top_n=c["top_n"])
        _write(run, k, "keywords", "keyness.csv")
        if _figures_on(run):
            from .plots import plot_keyness

            _figure(run, plot_keyness(k, n=12), "figures", "keyness")


def _unit_tokens(run, unit):
    """The units the topic model reads and their tokens (segmented like the documents); ``None`` units for documents."""
    if unit == "document":
        return None, _tokens(run)
    from .text.units import units_frame

    seg, n_jobs = _segmenter(run)
    units = units_frame(_corpus(run), unit)
    tokens = seg.segment(units, n_jobs=n_jobs, progress=run.progress, client=run.client)
    log.info("topics: %d documents cut into %d %ss", len(_corpus(run)), len(units), unit)
    return units, tokens


def topics(run):
    """Fit the topic model; when the corpus cannot carry one, say why in one line and let the run go on."""
    from .text.units import choose_unit

    c = run.cfg["topics"]
    corpus = _corpus(run)
    unit = choose_unit(corpus.texts) if c["unit"] == "auto" else c["unit"]
    units, tokens = _unit_tokens(run, unit)
    try:
        _fit_topics(run, corpus, unit, units, tokens)
    except ParameterError as exc:
        why = (f"no topic model: {exc}" if unit != "document" else
               f"no topic model: {exc}; with few documents, model their paragraphs (topics.unit: paragraph)")
        log.warning("topics: %s", why)
        run.path("topics", "not_modelled.txt").write_text(why + "\n", encoding="utf-8")
        run.state.setdefault("summary", {})["topics"] = {"skipped": why}


def _fit_topics(run, corpus, unit, units, tokens):
    from .topics import TopicModel, sweep_models

    c = run.cfg["topics"]
    common = dict(method=c["method"], min_df=c["min_df"], max_df=c["max_df"], passes=c["passes"],
                  iterations=c["iterations"], alpha=c["alpha"], eta=c["eta"],
                  stopwords="admin" if c["admin_stopwords"] else None)
    k = c["k"]
    n_docs = len(tokens)
    fitted = []
    if k is None:
        ks = [x for x in c["sweep"] if x <= max(2, n_docs // 2)] or [min(c["sweep"])]
        table, fitted = sweep_models(tokens, ks, seeds=c["sweep_seeds"], measures=("c_v", "u_mass"), top_n=10, processes=1,
                               client=run.client, **common)
        for r in table.itertuples():
            log.info("sweep K=%d seed=%d fitted in %.1f s", r.k, r.seed, r.fit_seconds)
        # timings go to the run log, so that sweep.csv is identical on every run
        _write(run, table.drop(columns="fit_seconds"), "topics", "sweep.csv")
        means = table.groupby("k")["c_v"].mean()
        k = int(means.idxmax())
        log.info("K sweep %s: choosing K = %d (highest mean c_v %.3f)", ks, k, means.max())
    # the sweep already fitted this model when its seed is one of the sweep's and no topics are seeded
    same = [m for kk, s, m, _ in fitted if kk == k and s == c["seed"] and c["seed_topics"] is None]
    tm = same[0] if same else TopicModel(k, random_state=c["seed"], seed_topics=c["seed_topics"], **common).fit(tokens)
    top = tm.top_terms(15)
    _write(run, top, "topics", "topic_terms.csv")
    _write(run, tm.doc_topics(), "topics", "doc_topics.csv", index=True)
    _write(run, tm.passages(corpus if units is None else units, meta=corpus), "topics", "topic_passages.csv")
    if corpus.meta["year"].notna().any():
        prev = tm.prevalence(corpus, by="year")
        _write(run, prev, "topics", "topic_prevalence_year.csv")
    cv, per_topic = tm.coherence(tokens, measure="c_v")
    model_dir = run.out / "topics" / "model"
    if model_dir.is_dir():
        shutil.rmtree(model_dir)  # the folder holds this model only, never files of an earlier one
    run.register(tm.save(model_dir))
    try:
        tm.to_ldavis_html(tokens, run.path("topics", "topics_ldavis.html"))
    except ImportError as exc:
        log.warning("%s", exc)
    if _figures_on(run):
        import matplotlib.pyplot as plt

        from .plots import plot_top_terms, plot_topic_trends

        cols = 3
        rows = (k + cols - 1) // cols
        fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.2 * rows), layout="constrained", squeeze=False)
        for i, ax in enumerate(axes.ravel()):
            if i < k:
                plot_top_terms(top, i, n=8, ax=ax)
            else:
                ax.set_axis_off()
        _figure(run, axes[0, 0], "figures", "topic_terms")
        if corpus.meta["year"].notna().any():
            _figure(run, plot_topic_trends(prev), "figures", "topic_prevalence_year")
    run.state.setdefault("summary", {})["topics"] = {
        "k": k, "unit": unit, "units": len(tokens), "passes": tm.passes_ if c["method"] == "gensim-lda" else None,
        "passes_asked": c["passes"],
        "c_v": round(cv, 3), "c_v_of": f"the chosen model (K = {k}, seed {c['seed']}), gensim CoherenceModel, top 10 terms, "
                                       f"over the modelled {unit}s",
        "topics": {tm.labels_[t]: top[top.topic == t].term.tolist()[:6] for t in range(k)}}


def taxonomy(run):
    from .taxonomy import TaxonomyClassifier, instrument_domain_matrix, taxonomy_fit

    c = run.cfg["taxonomy"]
    corpus = _corpus(run)
    clf = TaxonomyClassifier(c["name"], group=c["group"], unit="document").fit()
    dd = clf.document_domains(corpus)
    _write(run, dd.round(4), "taxonomy", "document_domains.csv", index=True)
    counts, shares = instrument_domain_matrix(corpus, domains=c["name"], instruments=c["instruments"], group=c["group"], unit=c["unit"])
    _write(run, counts.reset_index(), "taxonomy", "instrument_domain_counts.csv")
    _write(run, shares.reset_index().round(4), "taxonomy", "instrument_domain_shares.csv")
    by_year = pd.crosstab(corpus.meta["year"], dd["domain"].replace("", "(none)"))
    _write(run, by_year.reset_index(), "taxonomy", "domains_by_year.csv")
    if _figures_on(run):
        from .plots import plot_matrix

        _figure(run, plot_matrix(shares.drop(columns="group"), title="policy instruments × domains 政策工具 × 领域 (share)"),
                "figures", "instrument_domain")
    run.state.setdefault("summary", {})["domains"] = dd["domain"].replace("", "(none)").value_counts().to_dict()
    fit = taxonomy_fit(dd["domain"], taxonomy=c["name"])
    if fit:
        log.warning("%s", fit)
        run.state["summary"]["taxonomy_fit"] = fit


def extract(run):
    from .extract import extract_citations, extract_events

    c = run.cfg
    corpus = _corpus(run)
    ev = extract_events(corpus, catalogue=c["extract"]["catalogue"], taxonomy=c["taxonomy"]["name"])
    cit = extract_citations(corpus, catalogue=c["extract"]["catalogue"])
    _write(run, ev, "extract", "events.csv")
    _write(run, cit, "extract", "citations.csv")
    run.state["citations"] = cit
    run.state.setdefault("summary", {})["extract"] = {"events": len(ev), "citations": len(cit),
                                                     "cited_documents": int(cit["cluster"].nunique()) if len(cit) else 0}


_LAYOUT_NODES = 2000  # larger networks: no positions in the GEXF, the figure shows their core
_CORE_NODES = 150


def graphs(run):
    from . import graphs as gr
    from .export import export_all
    from .extract import extract_citations

    c = run.cfg
    corpus, tokens = _corpus(run), _tokens(run)
    # the extract stage's citations when it ran in this process (same corpus and catalogue)
    cits = run.state.get("citations")
    if cits is None and {"co-citation", "multimode"} & set(c["graphs"]["kinds"]):
        cits = extract_citations(corpus, catalogue=c["extract"]["catalogue"])
    summary = {}
    for kind in c["graphs"]["kinds"]:
        if kind == "co-issuing":
            G = gr.co_issuing(corpus)
        elif kind == "citation":
            G = gr.citation_graph(corpus, catalogue=c["extract"]["catalogue"])
        elif kind == "co-citation":
            G = gr.co_citation(cits)
        elif kind == "multimode":
            G = gr.multimode_graph(corpus, catalogue=c["extract"]["catalogue"], taxonomy=c["taxonomy"]["name"],
                                   unit=c["graphs"]["unit"], citations=cits)
        else:
            co = c["graphs"]["cooccurrence"]
            G = gr.cooccurrence_graph(tokens, corpus, min_count=min(co["min_count"], max(1, len(tokens) // 5)),
                                      min_weight=co["min_weight"], measure=co["measure"], top_n=co["top_n"],
                                      min_lift=co["min_lift"], stopwords="admin" if co["admin_stopwords"] else None,
                                      client=run.client)
        name = kind.replace("-", "_")
        if G.number_of_nodes() == 0:
            log.warning("graph %s is empty; nothing written", kind)
            continue
        metrics = gr.node_table(G, seed=c["output"]["seed"])
        _write(run, metrics, "graphs", f"{name}_metrics.csv")
        # A spring layout of tens of thousands of nodes takes longer than the rest of
        # the run and draws a hairball: large networks go to Gephi without positions
        # (ForceAtlas 2 lays them out there), and the figure shows their core.
        large = G.number_of_nodes() > _LAYOUT_NODES
        shown = gr.core_subgraph(G, _CORE_NODES) if large else G
        pos = gr.layout(shown, seed=c["output"]["seed"])
        run.register(*export_all(G, run.out / "graphs", name, positions=None if large else pos))
        if large:
            log.info("graph %s: %d nodes; the figure shows the %d with the largest weighted degree, the GEXF has no "
                     "positions (lay it out in Gephi)", kind, G.number_of_nodes(), _CORE_NODES)
        if _figures_on(run):
            from .plots import plot_graph

            _figure(run, plot_graph(shown, layout=pos, color_by="kind" if kind == "multimode" else "community", labels=25),
                    "figures", f"graph_{name}")
        top = metrics.sort_values(["weighted_degree", "id"], ascending=[False, True]).head(5)
        summary[kind] = {"nodes": G.number_of_nodes(), "edges": G.number_of_edges(), "top": top["label"].tolist()}
    run.state.setdefault("summary", {})["graphs"] = summary


# --- report ---------------------------------------------------------------------------------


def _methods(run):
    c = run.cfg
    corpus = _corpus(run)
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

    path = run.out / "taxonomy" / "document_domains.csv"
    if not path.is_file():
        return ""
    domains = pd.read_csv(path, usecols=["domain"], dtype=str, keep_default_na=False, encoding="utf-8-sig")["domain"]
    fit = taxonomy_fit(domains, taxonomy=run.cfg["taxonomy"]["name"])
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


def _img(run, name):
    p = run.out / "figures" / f"{name}.png"
    if not p.is_file():
        return ""
    data = base64.b64encode(p.read_bytes()).decode("ascii")
    return f'<figure><img alt="{html.escape(name)}" src="data:image/png;base64,{data}"></figure>'


def _table(path, n=15, index=False):
    if not path.is_file():
        return "<p><em>not produced</em></p>"
    df = pd.read_csv(path, encoding="utf-8-sig", nrows=n)  # the rows shown only: fast, and one type per column
    return df.to_html(index=index, border=0, classes="t", na_rep="", float_format=lambda x: f"{x:.3g}")


def report(run):
    corpus = _corpus(run)
    meta = corpus.meta
    en, zh = _methods(run)
    o = run.out
    (run.path("methods.md")).write_text(f"# Methods\n\n{en}\n\n# 研究方法\n\n{zh}\n", encoding="utf-8")
    # the ingest stage's report on disk: the same counts whether that stage ran now or in an earlier run
    rep = pd.read_csv(o / "corpus" / "ingest_report.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    skipped = rep[rep["status"] == "skipped"]
    issuers = meta["issuers"].str.split(";").explode()
    issuers = issuers[issuers != ""].value_counts().head(10)
    years = meta["year"].value_counts().sort_index()
    kw_file = next(iter(sorted((o / "keywords").glob("tfidf_by_*.csv"))), o / "keywords" / "missing.csv")
    sections = [
        ("Corpus 语料", f"<p>{len(corpus)} documents loaded, {len(skipped)} inputs skipped (see <code>corpus/ingest_report.csv</code>).</p>"
                        + "<h3>Documents per year</h3>" + years.to_frame("documents").to_html(border=0, classes="t")
                        + "<h3>Top issuers</h3>" + issuers.to_frame("documents").to_html(border=0, classes="t")),
        ("Keywords 关键词", _table(kw_file, 20) + _img(run, "keyness") + _img(run, "term_trends_year")),
        ("Topics 主题", _not_modelled(run) + _passages_html(run) + _table(o / "topics" / "sweep.csv", 20)
         + _img(run, "topic_terms") + _img(run, "topic_prevalence_year")),
        ("Domains and policy instruments 领域与政策工具", _taxonomy_fit_note(run) + _table(o / "taxonomy" / "domains_by_year.csv", 30)
         + _img(run, "instrument_domain")),
        ("Extraction 引用与政策事件", _table(o / "extract" / "events.csv", 15) + _table(o / "extract" / "citations.csv", 15)),
        ("Networks 网络", "".join(_img(run, f"graph_{k.replace('-', '_')}") + _table(o / "graphs" / f"{k.replace('-', '_')}_metrics.csv", 10)
                                   for k in run.cfg["graphs"]["kinds"])
         + "<p>Open <code>graphs/*.gexf</code> in Gephi (File → Open); colours follow <code>kind</code> or <code>community</code>, "
           "sizes the weighted degree; dynamic files play in the Timeline.</p>"),
        ("Methods 研究方法", f"<p>{html.escape(en)}</p><p>{html.escape(zh)}</p>"),
    ]
    body = "\n".join(f"<section><h2>{html.escape(t)}</h2>{content}</section>" for t, content in sections)
    css = ("body{font-family:'policynlp CJK','Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif;max-width:1100px;"
           "margin:2em auto;padding:0 1em;color:#222}h1{font-size:1.6em}h2{border-bottom:2px solid #4C72B0;padding-bottom:.2em;margin-top:2em}"
           "table.t{border-collapse:collapse;font-size:.85em;margin:.5em 0}table.t td,table.t th{border-bottom:1px solid #ddd;padding:3px 8px;"
           "text-align:left;max-width:420px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}figure{margin:1em 0}img{max-width:100%}"
           "blockquote{margin:.4em 0 .4em 1em;padding-left:.8em;border-left:3px solid #ccc;color:#333}ol.topics li{margin-bottom:.8em}")
    title = "policynlp analysis report 政策文本分析报告"
    from .plots import font_face_css

    css = font_face_css(title + body) + css
    page = (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>policynlp report</title><style>{css}</style></head>'
            f"<body><h1>{title}</h1>{body}</body></html>\n")
    run.path("report.html").write_text(page, encoding="utf-8")
