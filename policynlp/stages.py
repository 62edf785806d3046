"""The stages of :func:`policynlp.pipeline.analyze`; each reads its inputs from the output folder and writes its files there."""

import logging
import shutil

import pandas as pd

from .errors import NoDocumentsError, ParameterError
from .provenance import stable_hash

log = logging.getLogger(__name__)


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
    keys["taxonomy"] = stable_hash([keys["ingest"], cfg["taxonomy"], cfg["output"], "taxonomy/2"])
    run.stage("taxonomy", keys["taxonomy"], lambda: taxonomy(run))
    keys["extract"] = stable_hash([keys["ingest"], cfg["extract"], cfg["taxonomy"]])
    run.stage("extract", keys["extract"], lambda: extract(run))
    keys["graphs"] = stable_hash([keys["segment"], keys["extract"], cfg["graphs"], cfg["taxonomy"], cfg["output"],
                                  "graphs/2"])
    run.stage("graphs", keys["graphs"], lambda: graphs(run))
    keys["reuse"] = stable_hash([keys["extract"], cfg["reuse"], cfg["output"], "reuse/4"])
    run.stage("reuse", keys["reuse"], lambda: reuse(run))
    keys["report"] = stable_hash([keys, "report/5"])
    from .report import report

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

                table = discover_terms(run.corpus(), top_n=top_n)
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
    tokens = seg.segment(run.corpus(), n_jobs=n_jobs, progress=run.progress, client=run.client)
    write_tokens(tokens, run.path("tokens", "tokens.parquet"))
    run.state["tokens"] = tokens
    run.state["fingerprint"] = seg.fingerprint


def _has_years(corpus):
    return corpus is not None and corpus.meta["year"].notna().any()


def _group_column(run, by):
    corpus = run.corpus()
    if by is None:
        return None
    if corpus is not None:
        meta = corpus.meta
        if by in meta.columns and meta[by].notna().any() and (meta[by] != "").any():
            return by
    log.warning("keywords.by=%r has no values in this corpus; keywords are per document", by)
    return None


def keywords(run):
    """Keyword tables (tf-idf, TextRank, term trends, keyness), as ``keywords.methods`` and ``keywords.keyness`` ask.

    Each table is also kept in ``run.state["keywords"]`` under its file name, for a caller that prints it.
    """
    from . import keywords as kw

    c = run.cfg["keywords"]
    corpus, tokens = run.corpus(), _tokens(run)
    by = _group_column(run, c["by"])
    tag = by or "document"
    stop = "admin" if c["admin_stopwords"] else None
    made = run.state.setdefault("keywords", {})

    def write(table, name):
        _write(run, table, "keywords", name)
        made[name] = table

    if "tfidf" in c["methods"]:
        write(kw.tfidf_keywords(tokens, corpus, by=by, top_n=c["top_n"], stopwords=stop), f"tfidf_by_{tag}.csv")
    if "textrank" in c["methods"]:
        write(kw.textrank_keywords(tokens, corpus, by=by, top_n=c["top_n"], stopwords=stop), f"textrank_by_{tag}.csv")
    if "trends" in c["methods"] and _has_years(corpus):
        trends = kw.term_trends(tokens, corpus, c["trend_terms"], by="year", top_n=8, stopwords=stop)
        write(trends, "term_trends_year.csv")
        if _figures_on(run):
            from .plots import plot_term_trends

            _figure(run, plot_term_trends(trends), "figures", "term_trends_year")
    elif "trends" in c["methods"]:
        log.warning("keywords: no document has a year, so there are no term trends")
    if c["keyness"]:
        k = kw.keyness(tokens, corpus, by=c["keyness"]["by"], groups=c["keyness"]["groups"], top_n=c["top_n"])
        write(k, "keyness.csv")
        if _figures_on(run):
            from .plots import plot_keyness

            _figure(run, plot_keyness(k, n=12), "figures", "keyness")


def _unit_tokens(run, unit):
    """The units the topic model reads and their tokens (segmented like the documents); ``None`` units for documents."""
    if unit == "document":
        return None, _tokens(run)
    from .text.units import units_frame

    if run.corpus() is None:
        raise ParameterError(f"topics.unit={unit!r} needs the texts, and only tokens were given: give the corpus too")
    seg, n_jobs = _segmenter(run)
    units = units_frame(run.corpus(), unit)
    tokens = seg.segment(units, n_jobs=n_jobs, progress=run.progress, client=run.client)
    log.info("topics: %d documents cut into %d %ss", len(run.corpus()), len(units), unit)
    return units, tokens


def topics(run):
    """Fit the topic model; when the corpus cannot carry one, say why in one line and let the run go on."""
    from .text.units import choose_unit

    c = run.cfg["topics"]
    corpus = run.corpus()
    if c["unit"] != "auto":
        unit = c["unit"]
    else:
        unit = choose_unit(corpus.texts) if corpus is not None else "document"
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
                                     client=run.client, progress=run.progress, **common)
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
    if _has_years(corpus):
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
                plot_top_terms(top, i, top_n=8, ax=ax)
            else:
                ax.set_axis_off()
        _figure(run, axes[0, 0], "figures", "topic_terms")
        if _has_years(corpus):
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
    corpus = run.corpus()
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
    corpus = run.corpus()
    ev = extract_events(corpus, catalogue=c["extract"]["catalogue"], taxonomy=c["taxonomy"]["name"])
    cit = extract_citations(corpus, catalogue=c["extract"]["catalogue"])
    _write(run, ev, "extract", "events.csv")
    _write(run, cit, "extract", "citations.csv")
    run.state["citations"], run.state["events"] = cit, ev
    run.state.setdefault("summary", {})["extract"] = {"events": len(ev), "citations": len(cit),
                                                     "cited_documents": int(cit["cluster"].nunique()) if len(cit) else 0}


def graphs(run):
    from . import graphs as gr
    from .export import export_all
    from .extract import extract_citations

    c = run.cfg
    corpus = run.corpus()
    # the extract stage's citations when it ran in this process (same corpus and catalogue)
    cits = run.state.get("citations")
    if cits is None and {"co-citation", "multimode"} & set(c["graphs"]["kinds"]):
        cits = extract_citations(corpus, catalogue=c["extract"]["catalogue"])
    summary = {}
    from ._progress import progress

    for kind in progress(c["graphs"]["kinds"], progress=run.progress, desc="graphs", unit="network"):
        if kind == "co-issuing":
            G = gr.co_issuing(corpus)
        elif kind == "citation":
            G = gr.citation_graph(corpus, catalogue=c["extract"]["catalogue"])
        elif kind == "co-citation":
            cc = c["graphs"]["co_citation"]
            G = gr.co_citation(cits, measure=cc["measure"], unit=cc["unit"], min_weight=cc["min_weight"], corpus=corpus)
        elif kind == "multimode":
            G = gr.multimode_graph(corpus, catalogue=c["extract"]["catalogue"], taxonomy=c["taxonomy"]["name"],
                                   unit=c["graphs"]["unit"], citations=cits)
        else:
            co, tokens = c["graphs"]["cooccurrence"], _tokens(run)
            G = gr.cooccurrence_graph(tokens, corpus, unit="window" if co["window"] else "document", window=co["window"],
                                      min_df=min(co["min_df"], max(1, len(tokens) // 5)),
                                      min_weight=co["min_weight"], measure=co["measure"], top_n=co["top_n"],
                                      min_lift=co["min_lift"] if not co["window"] else None,
                                      stopwords="admin" if co["admin_stopwords"] else None, client=run.client)
        name = kind.replace("-", "_")
        if G.number_of_nodes() == 0:
            log.warning("graph %s is empty; nothing written", kind)
            continue
        metrics = gr.node_table(G, seed=c["output"]["seed"])
        _write(run, metrics, "graphs", f"{name}_metrics.csv")
        run.state.setdefault("graph_metrics", {})[kind] = metrics
        if G.number_of_edges() == 0:
            # nodes without one tie between them (every document with a single issuer): the table and the files say
            # so; a drawing or an interactive page of scattered dots would not
            run.register(*export_all(G, run.out / "graphs", name))
            log.info("graph %s: %d node(s) and no edge; no figure or page drawn", kind, G.number_of_nodes())
            summary[kind] = {"nodes": G.number_of_nodes(), "edges": 0, "top": []}
            continue
        shown, pos, large = gr.drawable(G, seed=c["output"]["seed"])
        run.register(*export_all(G, run.out / "graphs", name, positions=None if large else pos))
        from .netview import write_network_page

        run.register(write_network_page(G, run.path("graphs", f"{name}.html"), title=f"{kind} network",
                                        positions=None if large else pos, metrics=metrics,
                                        color_by="kind" if kind == "multimode" else "community",
                                        seed=c["output"]["seed"]))
        if large:
            log.info("graph %s: %d nodes; the figure shows the %d with the largest weighted degree, the GEXF has no "
                     "positions (lay it out in Gephi)", kind, G.number_of_nodes(), gr.CORE_NODES)
        if _figures_on(run):
            from .plots import plot_graph

            _figure(run, plot_graph(shown, layout=pos, color_by="kind" if kind == "multimode" else "community", labels=25),
                    "figures", f"graph_{name}")
        top = metrics.sort_values(["weighted_degree", "id"], ascending=[False, True]).head(5)
        summary[kind] = {"nodes": G.number_of_nodes(), "edges": G.number_of_edges(), "top": top["label"].tolist()}
    run.state.setdefault("summary", {})["graphs"] = summary


def reuse(run):
    """Text reuse between the documents, the diffusion network it traces, adoption per source, reuse vs citation."""
    from .export import export_all
    from .extract import extract_citations
    from .reuse import adoption, adoption_curves, citation_crosscheck, diffusion_graph, find_reuse

    c = run.cfg
    summary = run.state.setdefault("summary", {})
    if not c["reuse"]["enabled"]:
        run.path("reuse", "not_run.txt").write_text("reuse.enabled is false in the configuration\n", encoding="utf-8")
        run.register(run.path("reuse", "not_run.txt"))
        summary["reuse"] = {"enabled": False}
        return
    corpus = run.corpus()
    r = find_reuse(corpus, min_chars=c["reuse"]["min_chars"], min_similarity=c["reuse"]["min_similarity"],
                   max_df=c["reuse"]["max_df"], client=run.client, progress=run.progress)
    meta = corpus.meta
    pairs = r.pairs.copy()
    for side in ("source", "target"):
        for col in ("lead_issuer", "level", "region"):
            pairs[f"{side}_{col}"] = pairs[side].map(meta[col]).fillna("") if len(pairs) else []
    pairs["same_issuer"] = (pairs["source_lead_issuer"] == pairs["target_lead_issuer"]) & (pairs["source_lead_issuer"] != "")
    _write(run, pairs, "reuse", "pairs.csv")
    run.state["reuse_pairs"] = pairs
    _write(run, r.passages, "reuse", "passages.csv")
    _write(run, adoption(r.pairs, corpus), "reuse", "adoption.csv")
    cits = run.state.get("citations")
    if cits is None:
        cits = extract_citations(corpus, catalogue=c["extract"]["catalogue"])
    _write(run, citation_crosscheck(r.pairs, cits, corpus), "reuse", "citations_vs_reuse.csv")
    for by in ("document", "issuer", "region"):
        G = diffusion_graph(r.pairs, corpus, by=by)
        if G.number_of_edges():
            run.register(*export_all(G, run.out / "reuse", f"diffusion_{by}", dynamic=True))
    curves = adoption_curves(r.pairs, corpus, by="level")
    if _figures_on(run) and len(curves):
        from .plots import plot_adoption

        _figure(run, plot_adoption(curves), "figures", "reuse_adoption")
    directed = pairs[pairs["directed"]] if len(pairs) else pairs
    lag = pd.to_numeric(directed["lag_days"], errors="coerce").dropna() if len(directed) else pd.Series(dtype=float)
    summary["reuse"] = {"enabled": True, "pairs": len(pairs), "directed": len(directed), "passages": len(r.passages),
                        "same_issuer": int(pairs["same_issuer"].sum()) if len(pairs) else 0,
                        "median_lag_days": float(lag.median()) if len(lag) else None}
