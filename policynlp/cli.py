"""Command-line interface: a thin shell over the notebook API.

The only place where logging is configured.  User errors exit with status 1
and a one-line message; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from . import __version__
from .errors import PolicyNLPError

log = logging.getLogger("policynlp")


def _load_corpus(path, args=None):
    from .corpus import Corpus, read_corpus

    p = Path(path)
    if p.suffix.lower() == ".parquet" and p.is_file():
        import pyarrow.parquet as pq

        meta = pq.read_schema(p).metadata or {}
        if meta.get(b"policynlp.format"):
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
    import pyarrow as pa
    import pyarrow.parquet as pq

    cols = {"id": pa.array(frame["id"].tolist(), pa.string()),
            "tokens": pa.array(frame["tokens"].tolist(), pa.list_(pa.string()))}
    if "pos" in frame:
        cols["pos"] = pa.array(frame["pos"].tolist(), pa.list_(pa.string()))
    pq.write_table(pa.table(cols), str(path), compression="zstd")


def cmd_ingest(args):
    from .corpus import read_corpus

    corpus = read_corpus(args.path, errors=args.errors, encoding=args.encoding, text_column=args.text_column,
                         path_column=args.path_column, duplicates=args.duplicates, progress=not args.no_progress)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    corpus.to_parquet(out)
    report_path = Path(args.report) if args.report else out.with_name(out.stem + "_ingest_report.csv")
    corpus.report.to_csv(report_path, index=False, encoding="utf-8-sig")
    _print_ingest_summary(corpus, out, report_path)
    return 0


def _print_ingest_summary(corpus, out, report_path):
    rep = corpus.report
    skipped = rep[rep["status"] == "skipped"]
    dups = int((rep["duplicate_of"] != "").sum())
    print(f"loaded {len(corpus)} document(s) → {out}")
    print(f"skipped {len(skipped)} input(s); duplicates kept {dups}; report → {report_path}")
    for _, row in skipped.head(10).iterrows():
        print(f"  skipped {row['source']}: {row['reason']}")
    if len(skipped) > 10:
        print(f"  … and {len(skipped) - 10} more (see the report)")


def cmd_segment(args):
    seg = _segmenter(args)
    if args.text is not None:
        toks = seg.cut(args.text)
        print(" ".join(f"{w}/{t}" for w, t in toks) if args.pos else " ".join(toks))
        return 0
    if args.path is None or args.output is None:
        raise SystemExit("policynlp segment: give PATH and -o OUTPUT, or --text TEXT")
    corpus = _load_corpus(args.path, args)
    frame = seg.segment(corpus, n_jobs=args.n_jobs, cache=args.cache, progress=not args.no_progress)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
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


def cmd_demo(args):
    from .datasets import load_demo
    from .segment import Segmenter

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    corpus = load_demo(progress=not args.no_progress)
    corpus.to_parquet(out / "corpus.parquet")
    corpus.report.to_csv(out / "ingest_report.csv", index=False, encoding="utf-8-sig")
    tokens = Segmenter().segment(corpus, progress=not args.no_progress)
    _write_tokens(tokens, out / "tokens.parquet")
    print(repr(corpus))
    _print_ingest_summary(corpus, out / "corpus.parquet", out / "ingest_report.csv")
    print(f"segmented {len(tokens)} document(s), {int(tokens['tokens'].map(len).sum())} tokens → {out / 'tokens.parquet'}")
    first = tokens.iloc[0]
    print(f"e.g. {first['id']}: " + " ".join(first["tokens"][:20]) + " …")
    return 0


def build_parser():
    p = argparse.ArgumentParser(prog="policynlp", description="Quantitative analysis of Chinese policy documents (政策文本计量).")
    p.add_argument("--version", action="version", version=f"policynlp {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks instead of one-line errors")
    p.add_argument("-v", "--verbose", action="store_true", help="log progress messages")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def common(sp):
        sp.add_argument("--no-progress", action="store_true", help="hide progress bars")

    sp = sub.add_parser("ingest", help="read a folder, file or manifest into corpus.parquet with an ingest report")
    sp.add_argument("path", nargs="+", help="folder, file(s) or manifest (.csv .xlsx .jsonl .parquet)")
    sp.add_argument("-o", "--output", required=True, help="corpus Parquet file to write")
    sp.add_argument("--report", help="ingest report CSV (default: OUTPUT_ingest_report.csv)")
    sp.add_argument("--errors", choices=["warn", "raise", "skip"], default="warn",
                    help="on an unreadable input: warn and skip (default), stop, or skip quietly")
    sp.add_argument("--encoding", help="force a text encoding (default: detect UTF-8/GB18030/Big5)")
    sp.add_argument("--text-column", help="manifest column holding the text")
    sp.add_argument("--path-column", help="manifest column holding a file path")
    sp.add_argument("--duplicates", choices=["keep", "drop"], default="keep")
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
    common(sp)
    sp.set_defaults(func=cmd_segment)

    sp = sub.add_parser("info", help="summarise a corpus: size, years, types, issuers")
    sp.add_argument("path")
    common(sp)
    sp.set_defaults(func=cmd_info)

    sp = sub.add_parser("demo", help="ingest and segment the bundled smart-city corpus")
    sp.add_argument("--out", default="policynlp_demo", help="output folder (default: policynlp_demo)")
    common(sp)
    sp.set_defaults(func=cmd_demo)
    return p


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.command is None:
        parser.print_help()
        return 0
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
