"""Command-line interface: a thin shell over the notebook API.

The only place where logging is configured.  User errors exit with status 1
and a one-line message; ``--debug`` shows the traceback instead.

Its length is one short function per sub-command and the argument parser that documents every
option; each function only loads, calls the library and prints.
"""

import argparse
import logging
import os
import sys
from pathlib import Path

from . import __version__
from .config import DEMO_CONFIG, GRAPH_KINDS
from .errors import ParameterError, PolicyNLPError

log = logging.getLogger("policynlp")


def _load_corpus(path, args=None):
    from .corpus import Corpus, read_corpus

    p = Path(path)
    if p.suffix.lower() == ".parquet" and p.is_file():
        import pyarrow.parquet as pq

        from .tables import FORMAT_KEY

        meta = pq.read_schema(p).metadata or {}
        if meta.get(FORMAT_KEY):
            return Corpus.read_parquet(p)
    return read_corpus(p, progress=None if args is None else not args.no_progress)


def _segmenter(args):
    from .segment import Segmenter

    return Segmenter(
        engine=args.engine,
        pos=args.pos,
        user_words=args.user_words or None,
        stopwords=None if args.no_stopwords else "policy",
        punctuation=args.keep_all,
        numbers=args.keep_all,
        dates="keep" if args.keep_all else "drop",
    )


def _write_tokens(frame, path):
    from .tables import write_tokens

    write_tokens(frame, path)


def _load_tokens(path, args):
    """A tokens table from tokens.parquet, or segmented on the fly from anything `ingest` reads."""
    import pyarrow.parquet as pq

    from .segment import Segmenter
    from .tables import FORMAT_KEY, TOKENS_FORMAT, read_tokens

    p = Path(path)
    if p.suffix.lower() == ".parquet" and p.is_file():
        schema = pq.read_schema(p)
        if (schema.metadata or {}).get(FORMAT_KEY) == TOKENS_FORMAT or "tokens" in schema.names:
            return read_tokens(p), None
    corpus = _load_corpus(p, args)
    return Segmenter().segment(corpus, progress=not args.no_progress), corpus


def _number_or_name(value):
    """A prior given on the command line: a number, or a name such as ``symmetric`` or ``auto``."""
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return value


_DRAWING = {"keywords", "topics", "graph", "reproduce-paper", "analyze", "demo"}


def _offscreen():
    """Draw figures off-screen (Agg) from the command line; the library itself never chooses a backend."""
    try:
        import matplotlib
    except ImportError:
        return
    if "MPLBACKEND" not in os.environ:  # a backend the user chose is kept
        matplotlib.use("Agg")


def _plots_available():
    from .plots import available

    return available()


def _parse_groups(spec):
    """'2012-2014=2012,2013,2014;2015-2016=2015,2016' → dict; values that look like integers become ints."""
    if not spec:
        return None
    out = {}
    for part in spec.split(";"):
        if "=" not in part:
            raise SystemExit(f"policynlp keywords: --groups part {part!r} needs the form label=value,value")
        label, values = part.split("=", 1)
        out[label.strip()] = [int(v) if v.strip().lstrip("-").isdigit() else v.strip() for v in values.split(",") if v.strip()]
    return out


def cmd_ingest(args):
    from .cluster import connect
    from .corpus import ingest_to_parquet

    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    limits = {k: v for k, v in (("max_bytes", args.max_bytes), ("max_ratio", args.max_ratio)) if v is not None}
    columns = {key: col for key, col in (("title", args.title_column), ("issuers", args.issuer_column),
                                         ("date", args.date_column), ("doc_number", args.doc_number_column)) if col}
    with connect(args.scheduler, n_workers=args.workers) as client:
        # streamed: documents and report rows go to disk in batches, whatever the corpus size
        done = ingest_to_parquet(args.path, out, report=args.report, batch_size=args.batch_size, errors=args.errors,
                                 encoding=args.encoding, text_column=args.text_column, path_column=args.path_column,
                                 columns=columns or None, duplicates=args.duplicates, sheet=args.sheet,
                                 hidden=args.hidden,
                                 progress=not args.no_progress, client=client, **limits)
    _print_ingest_summary(done)
    if done["documents"] == 0:
        print(f"policynlp ingest: error: no documents found in {', '.join(args.path)}; the report says why each input "
              "was skipped", file=sys.stderr)
        return 1
    return 0


def _print_ingest_summary(done):
    import pandas as pd

    skipped, dups = [], 0
    for part in pd.read_csv(done["report"], dtype=str, keep_default_na=False, encoding="utf-8-sig", chunksize=100_000,
                            usecols=["source", "status", "reason", "duplicate_of"]):
        dups += int((part["duplicate_of"] != "").sum())
        skipped.extend(part.loc[part["status"] == "skipped", ["source", "reason"]].head(10 - len(skipped)).itertuples(index=False))
    out, report_path = done["corpus"], done["report"]
    print(f"loaded {done['documents']} document(s) → {out}")
    print(f"skipped {done['skipped']} input(s); duplicates kept {dups}; report → {report_path}")
    for source, reason in skipped[:10]:
        print(f"  skipped {source}: {reason}")
    if done["skipped"] > 10:
        print(f"  … and {done['skipped'] - 10} more (see the report)")


def cmd_segment(args):
    seg = _segmenter(args)
    if args.text is not None:
        toks = seg.cut(args.text)
        print(" ".join(f"{w}/{t}" for w, t in toks) if args.pos else " ".join(toks))
        return 0
    if args.path is None or args.output is None:
        raise SystemExit("policynlp segment: give PATH and -o OUTPUT, or --text TEXT")
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    src = Path(args.path)
    from .cluster import connect

    with connect(args.scheduler, n_workers=args.workers) as client:
        if src.suffix.lower() == ".parquet" and src.is_file():
            # stream: one batch in memory at a time, whatever the corpus size
            n = seg.segment_parquet(src, out, batch_size=args.batch_size, n_jobs=args.n_jobs, cache=args.cache,
                                    progress=not args.no_progress, client=client)
            print(f"segmented {n} document(s) in batches of {args.batch_size} → {out}")
            return 0
        corpus = _load_corpus(src, args)
        frame = seg.segment(corpus, n_jobs=args.n_jobs, cache=args.cache, progress=not args.no_progress, client=client)
    _write_tokens(frame, out)
    n_tok = int(frame["tokens"].map(len).sum())
    print(f"segmented {len(frame)} document(s), {n_tok} tokens → {out}")
    return 0


def cmd_info(args):
    import pandas as pd

    corpus = _load_corpus(args.path, args)
    meta = corpus.meta
    print(repr(corpus))
    if len(corpus):
        print(f"characters: {int(meta['n_chars'].sum()):,} (median {int(meta['n_chars'].median()):,} per document)")
        years = meta["year"].value_counts(dropna=False).sort_index()
        print("by year: " + ", ".join(f"{'no date' if pd.isna(y) else y}: {n}" for y, n in years.items()))
        types = meta["doc_type"].replace("", "(unknown)").value_counts().head(8)
        print("by type: " + ", ".join(f"{t} {n}" for t, n in types.items()))
        issuers = meta["issuers"].str.split(";").explode()
        issuers = issuers[issuers != ""].value_counts().head(8)
        if len(issuers):
            print("top issuers: " + ", ".join(f"{a} {n}" for a, n in issuers.items()))
        with_no = int(meta["doc_number"].notna().sum())
        print(f"with a document number: {with_no} of {len(corpus)}")
    return 0


def _print_analysis(result):
    out = result["out"]
    print("stage       seconds   peak RSS (MB)")
    for stage, (secs, rss) in result["stages"].items():
        print(f"  {stage:9s} {'skipped' if secs == 'skipped' else f'{secs:7.1f}'}   {'' if rss is None else f'{rss:8.0f}'}")
    for stage, why in result.get("reruns", {}).items():
        print(f"  ran {stage} again: {why}")
    s = result["summary"]
    t = s.get("topics", {})
    if "skipped" in t:
        print(f"topics: {t['skipped']}")
    elif t:
        print(f"topics: K = {t['k']} on {t['units']:,} {t['unit']}s; c_v {t['c_v']} (of {t['c_v_of']})")
        if t.get("passes") and t["passes"] > t["passes_asked"]:
            print(f"  gensim made {t['passes']} passes instead of {t['passes_asked']}: with so few {t['unit']}s a pass "
                  "makes few online updates, and gensim needs 10 to converge (its 'too few updates' warning)")
        for label, terms in s["topics"]["topics"].items():
            print(f"  {label}: {' '.join(terms)}")
    if "domains" in s:
        print("domains: " + ", ".join(f"{k} {v}" for k, v in s["domains"].items()))
    if s.get("taxonomy_fit"):
        print(f"  note: {s['taxonomy_fit']}")
    if "extract" in s:
        print(f"extraction: {s['extract']['events']} events, {s['extract']['citations']} citations")
    for kind, g in s.get("graphs", {}).items():
        print(f"graph {kind}: {g['nodes']} nodes, {g['edges']} edges"
              + (f"; central: {'、'.join(map(str, g['top']))}" if g["edges"] else " (no ties between them)"))
    if s.get("reuse", {}).get("enabled"):
        r = s["reuse"]
        print(f"reuse: {r['pairs']} document pairs share passages ({r['directed']} directed by date, "
              f"{r['same_issuer']} within one issuer)")
    print(f"→ {out}/  (open {out / 'report.html'}; graphs/*.gexf in Gephi; manifest.json, methods.md, config.yaml)")


def cmd_analyze(args):
    from .pipeline import analyze, default_config_text, load_config

    if args.write_config:
        sys.stdout.write(default_config_text())
        return 0
    if not args.path or not args.out:
        raise SystemExit("policynlp analyze: give PATH and --out DIR (or --write-config)")
    cfg = load_config(args.config)
    result = analyze(args.path, args.out, config=cfg, resume=not args.force, progress=not args.no_progress,
                     scheduler=args.scheduler, n_workers=args.workers)
    _print_analysis(result)
    return 0


def cmd_demo(args):
    from .datasets import demo_path
    from .pipeline import analyze, load_config

    result = analyze(demo_path(), args.out, config=load_config(DEMO_CONFIG), resume=not args.force,
                     progress=not args.no_progress, demo=True)
    _print_analysis(result)
    return 0


def _tokens_run(args, cfg):
    """A one-stage run on the tokens given (segmenting a corpus on the fly if need be), with the corpus for metadata."""
    tokens, corpus = _load_tokens(args.tokens, args)
    if args.corpus:
        corpus = _load_corpus(args.corpus, args)
    run = _OneStage(corpus, args.out, cfg, progress=False if args.no_progress else None)
    run.state["tokens"] = tokens
    return run


def cmd_keywords(args):
    from .stages import keywords

    if args.method in ("keyness", "trends") and not args.corpus and Path(args.tokens).suffix.lower() == ".parquet":
        raise ParameterError(f"--method {args.method} needs the documents' metadata: add --corpus corpus.parquet")
    by = args.by or ("year" if args.method in ("keyness", "trends") else None)
    options = {"methods": [args.method] if args.method != "keyness" else [], "top_n": args.top, "by": by,
               "trend_terms": [t for t in (args.terms or "").split(",") if t.strip()] or None,
               "keyness": {"by": by, "groups": _parse_groups(args.groups)} if args.method == "keyness" else None}
    # the analyze stage itself on a one-stage run: same files (keywords/…csv, figures/…), same columns
    cfg = _stage_config({"keywords": options, "output": {"excel": args.excel, "figures": _plots_available(), "seed": 0}},
                        {"keywords.top_n": "--top", "keywords.trend_terms": "--terms", "keywords.keyness": "--groups"})
    run = _tokens_run(args, cfg)
    if args.by and (run.corpus() is None or args.by not in run.corpus().meta.columns):
        raise ParameterError(f"--by {args.by}: no such metadata column"
                             + (f" (there are: {', '.join(run.corpus().meta.columns)})" if run.corpus() is not None
                                else "; add --corpus corpus.parquet"))
    keywords(run)
    for name, table in run.state["keywords"].items():
        print(f"{args.method}: {len(table)} rows → {run.out / 'keywords' / name}")
        print(table.head(args.show).to_string(index=False))
    if not run.state["keywords"]:
        print(f"{args.method}: nothing to show (no document has a year)")
    return 0


def cmd_topics(args):
    from .stages import topics

    if args.k is not None and args.sweep:
        raise ParameterError("--k and --sweep: give one (--sweep chooses K by the highest mean c_v)")
    sweep = [int(x) for x in args.sweep.split(",") if x.strip()] if args.sweep else [10]
    options = {"k": None if args.sweep else (args.k or 10), "sweep": sweep,
               "sweep_seeds": [int(x) for x in args.sweep_seeds.split(",") if x.strip()], "seed": args.seed,
               "method": args.method, "unit": args.unit, "min_df": args.min_df, "max_df": args.max_df,
               "passes": args.passes, "iterations": args.iterations, "alpha": _number_or_name(args.alpha),
               "eta": _number_or_name(args.eta)}
    # the analyze stage itself on a one-stage run: same files (topics/…, figures/…), same figure sizes
    cfg = _stage_config({"topics": options, "output": {"excel": args.excel, "figures": _plots_available(),
                                                       "seed": args.seed}},
                        {"topics.k": "--k", "topics.sweep": "--sweep", "topics.sweep_seeds": "--sweep-seeds",
                         "topics.seed": "--seed", "topics.min_df": "--min-df", "topics.max_df": "--max-df",
                         "topics.passes": "--passes", "topics.iterations": "--iterations", "topics.alpha": "--alpha",
                         "topics.eta": "--eta"})
    run = _tokens_run(args, cfg)
    if args.unit not in ("auto", "document") and run.corpus() is None:
        raise ParameterError(f"--unit {args.unit} needs the texts: give a corpus instead of tokens.parquet, "
                             "or --corpus corpus.parquet")
    topics(run)
    s = run.state["summary"]["topics"]
    folder = run.out / "topics"
    if "skipped" in s:
        print(f"{s['skipped']} → {folder / 'not_modelled.txt'}")
        return 1
    passes = (f"; {s['passes']} passes instead of {s['passes_asked']}, so that gensim makes the 10 online updates it needs"
              if s["passes"] is not None and s["passes"] > s["passes_asked"] else "")
    chosen = f" (chosen by the sweep {sweep}, highest mean c_v; topics/sweep.csv)" if args.sweep else ""
    print(f"K = {s['k']}{chosen}, method {args.method}, seed {args.seed}, on {s['units']:,} {s['unit']}s: "
          f"c_v coherence {s['c_v']:.3f} (gensim CoherenceModel, top 10 terms, over the modelled {s['unit']}s){passes}")
    for label, terms in s["topics"].items():
        print(f"  {label}: {' '.join(terms)}")
    print(f"→ {folder}/")
    return 0


def cmd_extract(args):
    from .stages import extract

    # the analyze stage itself on a one-stage run: same files (extract/events.csv, extract/citations.csv), same columns
    cfg = _stage_config({"extract": {"catalogue": args.catalogue or None}, "taxonomy": {"name": args.taxonomy},
                         "output": {"excel": args.excel, "figures": False, "seed": 0}},
                        {"extract.catalogue": "--catalogue", "taxonomy.name": "--taxonomy"})
    docs = _load_corpus(args.path, args)  # one text file is a corpus of one document
    run = _OneStage(docs, args.out, cfg)
    extract(run)
    events, cites = run.state["events"], run.state["citations"]
    folder = run.out / "extract"
    catalogue = args.catalogue or None
    resolved = int((cites["catalogue_id"] != "").sum()) if catalogue else 0
    print(f"{len(events)} event(s) in {events['id'].nunique()} document(s) → {folder / 'events.csv'}")
    print(f"{len(cites)} citation(s) of {cites['cluster'].nunique()} distinct document(s)"
          + (f", {resolved} resolved to the {catalogue} catalogue" if catalogue else "") + f" → {folder / 'citations.csv'}")
    for r in events.head(args.show).itertuples():
        print(f"  {r.date or '—'} | {r.issuers or '—'} | {r.action} | {r.documents or r.programme or '—'}"
              + (f" | {r.count}" if r.count is not None and str(r.count) != "<NA>" else "") + (f" | {r.domain}" if r.domain else ""))
    return 0


def _stage_config(data, flags):
    """The configuration of a one-stage run, checked before any file is read; an error names the flag as typed.

    ``flags`` maps configuration keys (``reuse.max_df``) to the options that set them (``--max-df``).
    """
    from .config import load_config

    try:
        return load_config(data)
    except ParameterError as exc:
        message = str(exc)
        for key, flag in flags.items():
            message = message.replace(f"configuration {key}=", f"{flag} ")
        raise ParameterError(message.replace("must be null or ", "must be left out or ")) from None


class _OneStage:
    """What a stage function needs of a run, for a sub-command that runs one stage on a corpus it loaded."""

    def __init__(self, corpus, out, cfg, client=None, progress=None):
        self.cfg, self.out, self.client, self.progress = cfg, Path(out), client, progress
        self.state = {"corpus": corpus}

    def path(self, *parts):
        p = self.out.joinpath(*parts)
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def register(self, *paths):
        """Nothing to record: a one-stage run keeps no manifest."""

    def corpus(self):
        return self.state["corpus"]


def cmd_reuse(args):
    from .stages import reuse

    cfg = _stage_config({"reuse": {"enabled": True, "min_chars": args.min_chars, "min_similarity": args.min_similarity,
                                   "max_df": args.max_df},
                         "extract": {"catalogue": args.catalogue or None},
                         "output": {"excel": args.excel, "figures": _plots_available(), "seed": 0}},
                        {"reuse.min_chars": "--min-chars", "reuse.min_similarity": "--min-similarity",
                         "reuse.max_df": "--max-df", "extract.catalogue": "--catalogue"})
    corpus = _load_corpus(args.path, args)
    run = _OneStage(corpus, args.out, cfg, progress=False if getattr(args, "no_progress", False) else None)
    reuse(run)  # the analyze stage itself: same files, same columns
    s = run.state["summary"]["reuse"]
    lag = f"; median lag {s['median_lag_days']:.0f} days" if s["median_lag_days"] is not None else ""
    print(f"{s['pairs']:,} document pair(s) share passages of {args.min_chars}+ characters ({s['passages']:,} passages); "
          f"{s['directed']:,} directed by date{lag}; {s['same_issuer']:,} within one issuer → {run.out / 'reuse'}")
    pairs = run.state.get("reuse_pairs")
    if pairs is not None:
        for r in pairs.head(args.show).itertuples():
            arrow = "→" if r.directed else "—"
            print(f"  {r.source} {arrow} {r.target}: {r.shared_chars:,} chars, {r.target_share:.0%} of the target"
                  + (f", {r.lag_days} days" if r.directed and str(r.lag_days) != "<NA>" else f" ({r.basis})"))
    return 0


def cmd_reproduce(args):
    from .reproduce import reproduce_paper

    out = Path(args.out)
    res = reproduce_paper(out, figures=_plots_available())
    agr = res["agreement"]
    cls = res["classification"]
    dom = cls[cls["correct"].notna()]
    print("The domain taxonomy of Sheng (2017), rebuilt from the bundled catalogue:")
    print(res["taxonomy"][["section", "label", "n_documents", "years"]].to_string(index=False))
    print(f"\nclassifier (titles and summaries only) vs the paper's sections: {int(dom['correct'].sum())} of {len(dom)} agree; "
          f"accuracy {agr['accuracy']:.2f}, Cohen's kappa {agr['kappa']:.2f}")
    wrong = dom[~dom["correct"].astype(bool)]
    for r in wrong.itertuples():
        print(f"  disagrees: {r.title} — paper: {r.section}, classifier: {r.predicted}")
    print(f"→ {out}/ (taxonomy_table.csv, classification.csv, confusion_matrix.csv, agreement.json, "
          "instrument_domain_*.csv, taxonomy_by_year.png, instrument_domain.png)")
    return 0


def cmd_graph(args):
    from .graphs import LAYOUT_NODES
    from .stages import graphs

    kind = args.kind
    options = {"kinds": [kind], "unit": args.unit if kind == "multimode" else "sentence",
               "cooccurrence": {"min_df": args.min_df, "min_weight": args.min_weight, "top_n": args.top,
                                "measure": args.measure, "window": args.window, "min_lift": args.min_lift},
               "co_citation": {"measure": args.measure, "min_weight": args.min_weight,
                               "unit": args.unit if args.unit in ("document", "sentence", "paragraph") else "document"}}
    # the analyze stage itself on a one-stage run: its size guards, layouts, formats, figures and pages
    cfg = _stage_config({"graphs": options, "extract": {"catalogue": args.catalogue or None},
                         "output": {"excel": args.excel, "figures": _plots_available(), "seed": args.seed}},
                        {"graphs.cooccurrence.min_df": "--min-df", "graphs.cooccurrence.min_weight": "--min-weight",
                         "graphs.co_citation.min_weight": "--min-weight", "graphs.cooccurrence.top_n": "--top",
                         "graphs.cooccurrence.window": "--window", "graphs.cooccurrence.min_lift": "--min-lift",
                         "output.seed": "--seed", "extract.catalogue": "--catalogue"})
    if kind == "cooccurrence":
        tokens, corpus = _load_tokens(args.path, args)
        if args.corpus:
            corpus = _load_corpus(args.corpus, args)  # else no metadata: terms without years
    else:
        tokens, corpus = None, _load_corpus(args.path, args)
    run = _OneStage(corpus, args.out, cfg, progress=False if args.no_progress else None)
    if tokens is not None:
        run.state["tokens"] = tokens
    graphs(run)
    g = run.state["summary"]["graphs"].get(kind)
    if g is None:
        print(f"the {kind} network is empty (nothing found to link); no files written")
        return 0
    folder = run.out / "graphs"
    nodes = run.state["graph_metrics"][kind]
    print(f"{kind}: {g['nodes']} nodes, {g['edges']} edges, {nodes['community'].nunique()} communities → {folder}/")
    if g["nodes"] > LAYOUT_NODES:
        print(f"  {g['nodes']:,} nodes: no layout in the GEXF (use ForceAtlas 2 in Gephi); the figure shows the most "
              "connected")
    top = nodes.sort_values(["weighted_degree", "id"], ascending=[False, True]).head(args.show)
    for r in top.itertuples():
        print(f"  {r.label} ({r.kind}): weighted degree {r.weighted_degree:g}, betweenness {r.betweenness:.3f}, community {r.community}")
    return 0


def cmd_synth(args):
    from .synthetic import reuse_corpus, write_synthetic

    if not args.plant_reuse:
        path = write_synthetic(args.output, args.docs, seed=args.seed)
        print(f"wrote {args.docs} synthetic policy-like documents (seed {args.seed}) → {path}")
        return 0
    path = Path(args.output)
    if path.suffix not in (".parquet", ".jsonl"):
        raise ParameterError(f"--output {path}: write a .parquet or .jsonl manifest")
    docs, truth = reuse_corpus(args.docs, seed=args.seed)
    if path.suffix == ".parquet":
        docs.to_parquet(path, index=False)
    else:
        docs.to_json(path, orient="records", lines=True, force_ascii=False)
    truth_path = path.with_name(path.stem + "_reuse_truth.csv")
    truth.to_csv(truth_path, index=False)
    print(f"wrote {args.docs} synthetic documents with {len(truth)} planted passages (seed {args.seed}) → {path}; "
          f"where each passage was planted, and how it was edited → {truth_path}")
    return 0


def build_parser():
    p = argparse.ArgumentParser(prog="policynlp", description="Quantitative analysis of Chinese policy documents (政策文本计量).")
    p.add_argument("--version", action="version", version=f"policynlp {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks instead of one-line errors")
    p.add_argument("-v", "--verbose", action="store_true", help="log progress messages")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def common(sp):
        sp.add_argument("--no-progress", action="store_true", help="hide progress bars")
        # also accepted after the sub-command; SUPPRESS keeps a flag given before it
        sp.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show tracebacks instead of one-line errors")
        sp.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="log progress messages")

    def dask_options(sp):
        sp.add_argument("--scheduler", metavar="ADDRESS",
                        help="run on a Dask cluster: 'local' (this machine) or a scheduler address such as "
                             "tcp://10.0.0.5:8786 (needs policynlp[dask])")
        sp.add_argument("--workers", type=int, help="worker processes for --scheduler local (default: one per core)")

    sp = sub.add_parser("ingest", help="read a folder, file or manifest into corpus.parquet with an ingest report")
    sp.add_argument("path", nargs="+", help="folder, file(s) or manifest (.csv .xlsx .jsonl .parquet)")
    sp.add_argument("-o", "--output", required=True, help="corpus Parquet file to write")
    sp.add_argument("--report", help="ingest report CSV (default: OUTPUT_ingest_report.csv)")
    sp.add_argument("--errors", choices=["warn", "raise", "skip"], default="warn",
                    help="on an unreadable input: warn and skip (default), stop, or skip quietly")
    sp.add_argument("--encoding", help="force a text encoding (default: detect UTF-8/GB18030/Big5)")
    sp.add_argument("--text-column", help="manifest column holding the text")
    sp.add_argument("--path-column", help="manifest column holding a file path")
    for key, what in (("title", "the title"), ("issuer", "the issuing bodies"), ("date", "the date"),
                      ("doc-number", "the 文号")):
        sp.add_argument(f"--{key}-column", metavar="NAME", help=f"manifest column holding {what}, when not recognised")
    sp.add_argument("--duplicates", choices=["keep", "drop"], default="keep")
    sp.add_argument("--sheet", help="read only this sheet of Excel workbooks (default: every sheet)")
    sp.add_argument("--hidden", action="store_true",
                    help="also read hidden files and folders (.name, ~$name); by default they are listed as skipped")
    sp.add_argument("--max-bytes", type=int,
                    help="largest text file, JSONL line or unpacked Office part read, in bytes (default 33554432 = 32 MiB)")
    sp.add_argument("--max-ratio", type=float, help="largest compression ratio of a part in a .docx/.xlsx (default 100)")
    sp.add_argument("--batch-size", type=int, default=10000, help="documents per Parquet row group (default 10000)")
    dask_options(sp)
    common(sp)
    sp.set_defaults(func=cmd_ingest)

    sp = sub.add_parser("segment", help="segment a corpus into tokens.parquet, or one --text")
    sp.add_argument("path", nargs="?", help="corpus.parquet (or anything `ingest` reads)")
    sp.add_argument("-o", "--output", help="tokens Parquet file to write (id, tokens)")
    sp.add_argument("--text", help="segment this text and print the tokens separated by spaces")
    sp.add_argument("--engine", choices=["rjieba", "jieba"], default="rjieba")
    sp.add_argument("--pos", action="store_true", help="also part-of-speech tags")
    sp.add_argument("--user-words", action="append", metavar="FILE", help="user dictionary (repeatable)")
    sp.add_argument("--no-stopwords", action="store_true", help="keep stopwords and boilerplate")
    sp.add_argument("--keep-all", action="store_true", help="keep punctuation, numbers and dates too")
    sp.add_argument("--n-jobs", type=int, default=1, help="worker processes (default 1)")
    sp.add_argument("--cache", help="token cache folder: re-runs segment only new texts")
    sp.add_argument("--batch-size", type=int, default=5000, help="documents per streamed batch for Parquet input (default 5000)")
    dask_options(sp)
    common(sp)
    sp.set_defaults(func=cmd_segment)

    sp = sub.add_parser("info", help="summarise a corpus: size, years, types, issuers")
    sp.add_argument("path")
    common(sp)
    sp.set_defaults(func=cmd_info)

    sp = sub.add_parser("keywords", help="keywords: tf-idf, TextRank, keyness between groups, term trends")
    sp.add_argument("tokens", help="tokens.parquet (from `segment`), or a corpus to segment on the fly")
    sp.add_argument("--corpus", help="corpus.parquet, for grouping by metadata (--by)")
    sp.add_argument("--method", choices=["tfidf", "textrank", "keyness", "trends"], default="tfidf")
    sp.add_argument("--by", help="metadata column to group by (year, lead_issuer, doc_type …; default: per document, "
                                 "and year for keyness and trends)")
    sp.add_argument("--groups", help="keyness groups, e.g. '2012-2014=2012,2013,2014;2015-2016=2015,2016'")
    sp.add_argument("--terms", help="trends: comma-separated terms (default: the most frequent)")
    sp.add_argument("--top", type=int, default=10,
                    help="terms per group (default 10); trends follow --terms or the 8 most frequent")
    sp.add_argument("--show", type=int, default=20, help="rows to print (default 20)")
    sp.add_argument("--excel", action="store_true", help="CSV with a UTF-8 BOM for Excel")
    sp.add_argument("--out", required=True, help="output folder")
    common(sp)
    sp.set_defaults(func=cmd_keywords)

    sp = sub.add_parser("topics", help="topic model with coherence, K sweep, prevalence by year, figures")
    sp.add_argument("tokens", help="tokens.parquet (from `segment`), or a corpus to segment on the fly")
    sp.add_argument("--corpus", help="corpus.parquet, for prevalence by year")
    sp.add_argument("--k", type=int, help="number of topics (default 10; or let --sweep choose it)")
    sp.add_argument("--sweep", help="comma-separated K values to compare, e.g. 5,10,15,20; the K of the highest "
                         "mean c_v is fitted (topics/sweep.csv)")
    sp.add_argument("--sweep-seeds", default="0,1,2", help="seeds per K in the sweep (default 0,1,2)")
    sp.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    sp.add_argument("--method", choices=["gensim-lda", "lda", "nmf"], default="gensim-lda")
    sp.add_argument("--min-df", type=int, default=2)
    sp.add_argument("--max-df", type=float, default=0.5)
    sp.add_argument("--unit", choices=["auto", "document", "paragraph", "clause", "sentence"], default="auto",
                    help="what the model reads (default auto: paragraphs when the median document has 2,500 "
                         "characters or more); document shares are the token-weighted mean of their units'")
    sp.add_argument("--passes", type=int, default=5, help="passes over the units (gensim; default 5)")
    sp.add_argument("--iterations", type=int, default=50, help="inference iterations per unit (gensim; default 50)")
    sp.add_argument("--alpha", default="symmetric", help="document-topic prior: symmetric, asymmetric, auto or a number")
    sp.add_argument("--eta", default=None, help="topic-word prior: auto or a number (default gensim's 1/K)")
    sp.add_argument("--excel", action="store_true", help="CSV with a UTF-8 BOM for Excel")
    sp.add_argument("--out", required=True, help="output folder")
    common(sp)
    sp.set_defaults(func=cmd_topics)

    sp = sub.add_parser("extract", help="citations in 《》 and policy events (date, agencies, action, documents, programmes)")
    sp.add_argument("path", help="a text file, or a corpus (anything `ingest` reads)")
    sp.add_argument("--catalogue", help="resolve cited titles to a bundled catalogue, e.g. smart_city_2017")
    sp.add_argument("--taxonomy", default="smart_city_2017",
                    help="domains of events: a bundled taxonomy or a YAML file (default smart_city_2017)")
    sp.add_argument("--show", type=int, default=10, help="events to print (default 10)")
    sp.add_argument("--excel", action="store_true", help="CSV with a UTF-8 BOM for Excel")
    sp.add_argument("--out", required=True, help="output folder")
    common(sp)
    sp.set_defaults(func=cmd_extract)

    sp = sub.add_parser("reuse", help="text reuse between documents and the diffusion it traces (pairs, passages, "
                                      "adoption, networks for Gephi)")
    sp.add_argument("path", help="a corpus (anything `ingest` reads)")
    sp.add_argument("--min-chars", type=int, default=50, help="shortest shared passage (default 50 characters)")
    sp.add_argument("--min-similarity", type=float, default=0.75, help="smallest passage similarity, 0–1 (default 0.75)")
    sp.add_argument("--max-df", type=int, default=None,
                    help="fingerprints in more documents make no candidate pairs (default 100, or 0.2%% of the "
                         "documents above 50,000)")
    sp.add_argument("--catalogue", help="resolve cited titles for the reuse-vs-citation table, e.g. smart_city_2017")
    sp.add_argument("--show", type=int, default=10, help="pairs to print (default 10)")
    sp.add_argument("--excel", action="store_true", help="CSV with a UTF-8 BOM for Excel")
    sp.add_argument("--out", required=True, help="output folder")
    common(sp)
    sp.set_defaults(func=cmd_reuse)

    sp = sub.add_parser("reproduce-paper", help="rebuild the founding paper's domain taxonomy and score the classifier against it")
    sp.add_argument("--out", required=True, help="output folder")
    common(sp)
    sp.set_defaults(func=cmd_reproduce)

    sp = sub.add_parser("graph", help="networks for Gephi: co-issuing, citation, co-citation, multimode, cooccurrence")
    sp.add_argument("path", help="corpus (anything `ingest` reads); tokens.parquet for cooccurrence")
    sp.add_argument("--kind", required=True, choices=GRAPH_KINDS)
    sp.add_argument("--unit", default="sentence", choices=["sentence", "clause", "paragraph", "document"],
                    help="co-mention unit (multimode) or co-citation unit (default sentence)")
    sp.add_argument("--catalogue", help="resolve cited titles, e.g. smart_city_2017")
    sp.add_argument("--corpus", help="cooccurrence: the corpus, for years")
    sp.add_argument("--measure", default="count", choices=["count", "association", "cosine", "jaccard"])
    sp.add_argument("--window", type=int, help="cooccurrence within this many tokens (default: same document)")
    sp.add_argument("--min-df", "--min-count", dest="min_df", type=int, default=5,
                    help="cooccurrence: minimum document frequency (--min-count is its old name)")
    sp.add_argument("--min-weight", type=int, default=2, help="minimum raw co-occurrence of an edge")
    sp.add_argument("--top", type=int, help="cooccurrence: keep the N most frequent terms")
    sp.add_argument("--min-lift", type=float, default=None,
                    help="cooccurrence: keep term pairs that co-occur this many times more than chance (default: all)")
    sp.add_argument("--seed", type=int, default=0, help="seed for layout and communities")
    sp.add_argument("--show", type=int, default=10)
    sp.add_argument("--excel", action="store_true")
    sp.add_argument("--out", required=True)
    common(sp)
    sp.set_defaults(func=cmd_graph)

    sp = sub.add_parser("synth", help="write a synthetic policy-like corpus for benchmarks (deterministic)")
    sp.add_argument("--docs", type=int, required=True, help="number of documents")
    sp.add_argument("-o", "--output", required=True, help=".parquet or .jsonl manifest to write")
    sp.add_argument("--seed", type=int, default=0)
    sp.add_argument("--plant-reuse", action="store_true",
                    help="central sources and provincial adopters that copy their passages with edits; the offsets "
                         "of every planted passage go to <output>_reuse_truth.csv")
    common(sp)
    sp.set_defaults(func=cmd_synth)

    sp = sub.add_parser("analyze", help="the whole analysis of a corpus into one output folder, with a report")
    sp.add_argument("path", nargs="*", help="folder, file(s) or manifest")
    sp.add_argument("--out", help="output folder")
    sp.add_argument("--config", help="YAML configuration (see --write-config)")
    sp.add_argument("--write-config", action="store_true", help="print the default configuration and exit")
    sp.add_argument("--force", action="store_true", help="redo every stage (default: resume, skipping finished stages)")
    dask_options(sp)
    common(sp)
    sp.set_defaults(func=cmd_analyze)

    sp = sub.add_parser("demo", help="the whole analysis on the bundled smart-city corpus")
    sp.add_argument("--out", default="policynlp_demo", help="output folder (default: policynlp_demo)")
    sp.add_argument("--force", action="store_true", help="redo every stage")
    common(sp)
    sp.set_defaults(func=cmd_demo)
    return p


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.INFO if args.verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setLevel(level)  # `analyze` lowers the package logger to INFO for its run.log only
    if args.command is None:
        parser.print_help()
        return 0
    if args.command in _DRAWING:
        _offscreen()
    try:
        return args.func(args)
    except (PolicyNLPError, FileNotFoundError, PermissionError, IsADirectoryError) as exc:
        if args.debug:
            raise
        print(f"policynlp {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("policynlp: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
