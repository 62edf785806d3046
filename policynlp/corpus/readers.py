"""``read_corpus``: a folder, a file or a manifest of policy documents to a Corpus.

Every input — each file, and each row of a manifest — ends up either in the
corpus or in the ingest report with the reason it was skipped.

Its length is the ingest state that every input passes through (ids, duplicates, the report,
sinks for streaming, Dask partitions); file formats are in :mod:`.formats` and :mod:`.rows`, record
parsing in :mod:`policynlp.meta.records`.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .._progress import progress as _bar
from .._types import OnDuplicate, OnError, PathLike, choices
from .._validation import check_choice, check_int
from ..errors import CorpusFormatError, ParameterError
from ..meta.agencies import load_agencies
from ..meta.records import COLUMN_ALIASES, MAPPABLE_KEYS, has_column, is_blank, map_columns, parse_record
from ..text.normalization import normalize as normalize_text
from .corpus import Corpus
from .document import Document, content_id
from .files import display_path, iter_inputs
from .formats import FILE_READERS, ReadLimits, Skip
from .rows import MANIFEST_SUFFIXES, read_tables

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["read_corpus", "ingest_to_parquet", "IngestWarning", "COLUMN_ALIASES", "MAPPABLE_KEYS", "REPORT_COLUMNS"]

log = logging.getLogger(__name__)

REPORT_COLUMNS = ["source", "status", "reason", "id", "title", "n_chars", "encoding", "duplicate_of", "notes"]


class IngestWarning(UserWarning):
    """An input was skipped (``errors="warn"``); the ingest report lists it too."""


class _Ingest:
    def __init__(self, *, errors, encoding, duplicates, parse_meta, columns, base,
                 normalize=None, client=None, partition_size=1000, sink=None, report_sink=None,
                 limits=None, sheet=None, named=()):
        self.errors = errors
        # Files the user named directly: a column option that does not fit one
        # of them is a mistake in the call, refused whatever ``errors`` says.
        self.named = {Path(p) for p in named}
        self.sink = sink
        self.report_sink = report_sink
        self.n_docs = 0
        self.n_skipped = 0
        self.n_inputs = 0
        self.encoding = encoding
        self.duplicates = duplicates
        self.parse_meta = parse_meta
        self.columns = dict(columns)  # Document key -> the manifest column the user named for it
        self.base = base
        self.limits = limits or ReadLimits()
        self.sheet = sheet
        self.docs = []
        self.report = []
        self.ids = {}
        self.by_text = {}
        self.normalize = normalize
        self.client = client
        self.partition_size = partition_size
        self.pending = []
        # Records parsed per flush: enough partitions to keep every worker busy,
        # few enough that raw records never pile up for a whole large manifest.
        self.flush_at = partition_size * (8 if client is not None else 1)

    # --- bookkeeping ------------------------------------------------------------------
    def problem(self, source, reason, exc=None, *, path=None, line=None, quiet=False):
        """Record a skipped input; raise or warn as ``errors`` says.

        ``path``/``line`` locate it in errors; ``quiet`` entries (hidden files,
        passed over by design) are listed but never raise or warn.
        """
        self.flush()  # records read before this input come first in the report
        if not quiet:
            if self.errors == "raise":
                if isinstance(exc, CorpusFormatError):
                    raise exc
                raise CorpusFormatError(reason, path=path or source, line=line) from exc
            if self.errors == "warn":
                warnings.warn(f"{source}: skipped: {reason}", IngestWarning, stacklevel=4)
        self._row({"source": source, "status": "skipped", "reason": reason})

    def _row(self, entry):
        # reasons quote file names and parser messages: keep every field writable as UTF-8
        entry = {k: display_path(v) if isinstance(v, str) else v for k, v in entry.items()}
        self.report.append(entry)
        if entry["status"] == "skipped":
            self.n_skipped += 1

    def drain(self):
        """Hand the documents and report rows gathered so far to the sinks (streaming only)."""
        if self.sink is not None:
            docs, self.docs = self.docs, []
            self.sink(docs)
        if self.report_sink is not None:
            rows, self.report = self.report, []
            self.report_sink(rows)

    # --- files --------------------------------------------------------------------------
    def entry(self, entry):
        """One entry from the folder walk: read it, or list it with the reason it is passed over."""
        self.n_inputs += 1
        if entry.problem is not None:
            self.problem(self._rel(entry.path), entry.problem, path=entry.path, quiet=entry.quiet)
            return
        self.file(entry.path)

    def file(self, path):
        source = self._rel(path)
        suffix = path.suffix.lower()
        if suffix in MANIFEST_SUFFIXES:
            self.manifest(path, source)
            return
        reader = FILE_READERS.get(suffix)
        if reader is None:
            supported = ", ".join(sorted(set(FILE_READERS) | set(MANIFEST_SUFFIXES)))
            hint = "; save legacy Word/WPS files as .docx" if suffix in (".doc", ".wps", ".rtf") else ""
            self.problem(source, f"unsupported file type {suffix or '(none)'!r}{hint}; supported: {supported}", path=path)
            return
        try:
            records = _read_file(reader, path, self.encoding, self.limits)
        except Skip as exc:
            self.problem(source, str(exc), path=path)
            return
        except CorpusFormatError as exc:
            self.problem(source, exc.reason, exc)
            return
        for rec in records:
            self.record(rec, source, (path, None))

    def _rel(self, path):
        try:
            return display_path(Path(path).relative_to(self.base))
        except ValueError:
            return display_path(path)

    # --- manifests ----------------------------------------------------------------------
    def _attempt(self, name, path, fn):
        """``(True, fn())``, or ``(False, None)`` after listing what ``fn`` raised as the problem of ``name``."""
        try:
            return True, fn()
        except CorpusFormatError as exc:
            self.problem(name, exc.reason, exc)
        except OSError as exc:
            self.problem(name, f"cannot read file: {exc.strerror or exc}", exc, path=path)
        return False, None

    def manifest(self, path, source):
        ok, tables = self._attempt(source, path, lambda: read_tables(path, encoding=self.encoding, limits=self.limits,
                                                                     sheet=self.sheet))
        for table in tables if ok else ():
            self.table(path, source, table)

    def table(self, path, source, table):
        # Rows are streamed (JSONL line by line, CSV row by row, Parquet batch by
        # batch); without a header, the columns are learnt from the first rows.
        name = f"{source}{table.label}"
        ok, head = self._attempt(name, path, lambda: list(islice(table.rows, _HEAD_ROWS)))
        if not ok:
            return
        if not head and table.sheet is not None:
            self.problem(name, f"sheet {table.sheet!r} holds no rows under a header", path=path, quiet=True)
            return
        if not head:
            self.problem(name, "manifest has no rows", path=path)
            return
        columns = set(table.columns or ()).union(*(r.keys() for _, r in head if isinstance(r, dict)))
        text_col, path_col = self.columns.get("text"), self.columns.get("path")
        for key, col in sorted(self.columns.items()):
            option = f"{key}_column" if key in ("text", "path") else f"columns[{key!r}]"
            if col not in columns:
                reason = f"{option}={col!r} is not a column; columns are {sorted(columns, key=str)}"
                if Path(path) in self.named:
                    raise CorpusFormatError(f"{reason}; check the spelling of {option}", path=path)
                self.problem(name, f"not a manifest: {reason}", path=path)
                return
        has_text = text_col is not None or has_column(columns, "text")
        has_path = path_col is not None or has_column(columns, "path")
        if not (has_text or has_path):
            self.problem(name, f"not a manifest: no text or path column among {sorted(columns, key=str)}; name one "
                               "with text_column=... or path_column=... (正文, 全文, 内容, 路径 and English names such "
                               "as text and content are recognised)", path=path)
            return

        def each_row():  # a file that fails mid-way keeps the rows before and reports the rest
            for i, row in chain(head, table.rows):
                self.row(path, name, i, row, table.sheet)

        self._attempt(name, path, each_row)

    def row(self, path, name, i, row, sheet):
        where = f"{name}:{i}"
        full = (path, i)
        if not isinstance(row, dict):
            self.problem(where, row if isinstance(row, str) else "row is not an object (a JSON {...} is expected)",
                         path=path, line=i)
            return
        row = dict(row)
        if sheet is not None:
            row["_sheet"] = sheet
        mapped, _ = map_columns(row, self.columns)
        if is_blank(mapped.get("text")) and not is_blank(mapped.get("path")):
            named = str(mapped["path"])
            target = Path(named)
            if not target.is_absolute():
                target = path.parent / target
            reader = FILE_READERS.get(target.suffix.lower())
            if reader is None:
                self.problem(where, f"path {named!r}: unsupported file type {target.suffix!r}", path=path, line=i)
                return
            if not target.is_file():
                missing = "does not exist" if not target.exists() else "is not a regular file"
                self.problem(where, f"path {named!r}: the file {missing} ({target})", path=path, line=i)
                return
            try:
                loaded = _read_file(reader, target, self.encoding, self.limits)[0]
            except Skip as exc:
                self.problem(where, f"path {named!r}: {exc}", path=path, line=i)
                return
            except CorpusFormatError as exc:
                self.problem(where, f"path {named!r}: {exc.reason}", path=path, line=i)
                return
            row = {**{k: v for k, v in loaded.items() if k != "title" or is_blank(mapped.get("title"))}, **row}
            row[self.columns.get("text", "text")] = loaded["text"]
        self.record(row, where, full)

    # --- records → documents ----------------------------------------------------------------
    # Parsing a record (metadata, dates, 文号, normalisation) depends on that record
    # alone, so records are parsed in partitions — here or on Dask workers — while
    # ids and duplicates, which depend on every earlier record, are settled here in
    # input order.  Both paths give the same corpus and report.
    def record(self, raw, source, full=None):
        """Queue a raw record; ``full`` is ``(file, line)`` for errors (line None for a whole file)."""
        self.pending.append((raw, source, full))
        if len(self.pending) >= self.flush_at:
            self.flush()

    def flush(self):
        if not self.pending:
            return
        pending, self.pending = self.pending, []
        from ..cluster import map_partitions, partitions

        options = {"parse_meta": self.parse_meta, "normalize": self.normalize, "columns": self.columns}
        parsed = map_partitions(_parse_records, partitions(pending, self.partition_size), options, client=self.client)
        for part, done in zip(partitions(pending, self.partition_size), parsed):
            for (_raw, source, full), result in zip(part, done):
                self.admit(result, source, full)
        self.drain()

    def admit(self, parsed, source, full):
        if "problem" in parsed:
            self.problem(source, parsed["problem"], path=full[0], line=full[1])
            return
        fields, notes = parsed["fields"], parsed["notes"]
        given_id, doc_id, key = parsed["given_id"], parsed["content_id"], parsed["key"]
        if given_id is not None:
            doc_id = given_id
        duplicate_of = self.by_text.get(key)
        if duplicate_of is not None:
            if self.duplicates == "drop":
                self._row({"source": source, "status": "skipped", "reason": f"duplicate of {duplicate_of}",
                           "title": parsed["raw_title"], "duplicate_of": duplicate_of})
                return
            notes.append(f"same text as {duplicate_of}")
        if doc_id in self.ids:
            if given_id is not None:
                self.problem(source, f"id {doc_id!r} already used by {self.ids[doc_id]}; ids must be unique", path=full[0],
                             line=full[1])
                return
            n = 2
            while f"{doc_id}-{n}" in self.ids:
                n += 1
            doc_id = f"{doc_id}-{n}"
        self.ids[doc_id] = source
        self.by_text.setdefault(key, doc_id)
        fields["source"] = fields["source"] or source
        self.docs.append(Document(id=doc_id, **fields))
        self.n_docs += 1
        self._row({"source": source, "status": "loaded", "reason": "", "id": doc_id,
                            "title": parsed["raw_title"], "n_chars": parsed["n_chars"], "encoding": parsed["encoding"],
                            "duplicate_of": duplicate_of or "", "notes": "; ".join(notes)})


_HEAD_ROWS = 1000


def _read_file(reader, path, encoding, limits):
    """Run a file reader; whatever a third-party parser raises on a broken file becomes a CorpusFormatError.

    python-docx, pypdf, lxml and readability raise many kinds of exceptions
    on damaged or hostile files (AttributeError and IndexError among them,
    from deep inside their parsers).  For a batch of thousands of downloaded
    files, one such file must become a report row, not stop the run, so
    anything but our own errors is turned into a CorpusFormatError naming the
    file and the exception (with the traceback in the debug log).
    """
    try:
        return reader(path, encoding=encoding, limits=limits)
    except (Skip, CorpusFormatError):
        raise
    except OSError as exc:
        raise CorpusFormatError(f"cannot read file: {exc.strerror or exc}", path=path) from exc
    except MemoryError as exc:
        raise CorpusFormatError("not enough memory to read this file; lower max_bytes or split it", path=path) from exc
    except Exception as exc:  # noqa: BLE001 - see the docstring: a parser's failure on one file is that file's problem
        log.debug("reading %s failed", path, exc_info=True)
        raise CorpusFormatError(f"could not be read ({type(exc).__name__}: {exc}); the file is probably damaged — "
                                "open and re-save it", path=path) from exc


def _parse_records(part, options):
    """Parse a partition of raw records (runs in this process or on a Dask worker), with the keys ids and duplicates use."""
    registry = load_agencies() if options["parse_meta"] else None
    out = []
    for raw, _, _ in part:
        rec = parse_record(raw, registry, options)
        if "fields" in rec:  # identity and duplicates from the text as given, before any normalisation
            text = rec.pop("raw_text")
            rec["content_id"] = content_id(rec["raw_title"], text)
            rec["key"] = hashlib.blake2b(text.strip().encode("utf-8"), digest_size=16).digest()
        out.append(rec)
    return out


def read_corpus(
    path: PathLike,
    *,
    errors: OnError = "warn",
    encoding: str | None = None,
    text_column: str | None = None,
    path_column: str | None = None,
    columns: Mapping[str, str] | None = None,
    duplicates: OnDuplicate = "keep",
    parse_meta: bool = True,
    recursive: bool = True,
    hidden: bool = False,
    sheet: str | None = None,
    max_bytes: int = ReadLimits.max_bytes,
    max_ratio: float = ReadLimits.max_ratio,
    normalize: Mapping[str, bool] | None = None,
    progress: bool | None = None,
    client: Client | None = None,
    partition_size: int = 1000,
) -> Corpus:
    """Read policy documents from a folder, a file or a manifest into a :class:`Corpus`.

    Folders are read recursively in sorted order: ``.txt`` and ``.md`` (with
    optional YAML front matter), ``.docx``, ``.pdf`` (text layer), ``.html``;
    ``.csv``, ``.tsv``, ``.xlsx``, ``.jsonl``, ``.json`` and ``.parquet`` files
    are manifests with one document per row, holding its text or a path to a
    file.  Column names in Chinese (标题, 发文机关, 发文字号, 成文日期, 发布日期,
    正文, 路径 …) are mapped to the Document keys (see ``COLUMN_ALIASES``); other
    columns are kept in ``extra``.

    Parameters
    ----------
    path : str, Path or list of them
    errors : {"warn", "raise", "skip"}, default "warn"
        What to do with an input that cannot be ingested (empty, scanned PDF,
        corrupt, unsupported, bad row): raise a :class:`CorpusFormatError`,
        warn (:class:`IngestWarning`), or skip quietly.  Every skipped input is
        listed in ``corpus.report`` whatever the setting.
    encoding : str, optional
        Force a text encoding; by default UTF-8, GB18030/GBK and Big5 are detected.
    text_column, path_column : str, optional
        Manifest columns holding the text or a file path, when not recognised
        from their names.
    columns : dict, optional
        Manifest columns for other Document keys, when their names are not
        recognised or the wrong one would be: ``{"title": "Policy Name",
        "issuers": "Lead Department", "date": "Signed"}`` (keys: id, title,
        issuers, doc_number, date, year, doc_type, level, region, source).
    duplicates : {"keep", "drop"}, default "keep"
        Documents whose text equals an earlier one's are kept (with a note and
        ``duplicate_of`` in the report) or skipped.  Never merged silently.
    parse_meta : bool, default True
        Parse issuers to canonical names, dates to ISO, find the document number
        in the text header and infer the document type and level.
    recursive : bool, default True
    hidden : bool, default False
        Also read hidden files and folders (``.name``, Word's ``~$`` lock
        files, ``.git/``).  By default each is listed in the report as passed
        over.  Links are never followed out of the input folder, and named
        pipes and other special files are never opened (each gets a report row).
    sheet : str or int, optional
        For Excel manifests: read only this sheet (name or 0-based index).
        By default every sheet is read; each document keeps its sheet's name
        in ``extra["sheet"]`` and the report names it (``file.xlsx[Sheet2]:3``).
    max_bytes : int, default 33554432 (32 MiB)
        The largest text read as one unit: a text or HTML file, one XML part
        unpacked from a .docx/.xlsx, one JSONL line (PDFs: 8 × this, for their
        images).  Larger inputs are reported "over the size limit".
    max_ratio : float, default 100
        The largest compression ratio of a part inside a .docx/.xlsx
        (decompression bombs are refused; see :func:`~policynlp.corpus.formats.check_ooxml`).
    normalize : bool or dict, optional
        Normalise titles and texts as they are read: ``True`` for the default
        steps, or a dict of the switches of :func:`policynlp.text.normalize`.
        The same as calling :meth:`Corpus.normalize` afterwards, but done
        where the records are parsed (on the workers, with ``client``).
        Ids, duplicates and ``n_chars`` always refer to the text as read.
    progress : bool or None, default None
        Show a progress bar; ``None`` shows it only on a terminal.
    client : distributed.Client, optional
        Parse records (metadata, 文号, dates, issuers, normalisation) on the
        workers of a Dask cluster (see :func:`policynlp.cluster.connect`).
        Files are opened on this machine; ids and duplicates are settled here
        in input order, so the corpus and its report are identical to a
        single-process read (tested).
    partition_size : int, default 1000
        Records parsed per task.

    Returns
    -------
    Corpus
        With ``.report``: a DataFrame with one row per input (``source, status,
        reason, id, title, n_chars, encoding, duplicate_of, notes``).

    Examples
    --------
    >>> from policynlp.datasets import demo_path
    >>> corpus = read_corpus(demo_path())
    >>> corpus.report[["source", "status"]].head(2).values.tolist()
    [['2012-06_guofa_2012_23.md', 'loaded'], ['2012-12_cloud_pilot.md', 'loaded']]
    """
    options = IngestOptions(errors=errors, encoding=encoding, text_column=text_column, path_column=path_column,
                            columns=columns, duplicates=duplicates, parse_meta=parse_meta, recursive=recursive, hidden=hidden, sheet=sheet,
                            max_bytes=max_bytes, max_ratio=max_ratio, normalize=normalize, client=client,
                            partition_size=partition_size)
    ingest = _run(path, options, progress=progress)
    return Corpus(ingest.docs, report=_report_frame(ingest.report))


def ingest_to_parquet(
    path: PathLike | Sequence[PathLike],
    dest: PathLike,
    *,
    report: PathLike | None = None,
    batch_size: int = 10_000,
    progress: bool | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Read documents straight into a corpus Parquet file, ``batch_size`` documents at a time.

    For corpora larger than memory: documents are written as they are parsed,
    and so is the ingest report, so peak memory depends on ``batch_size``, not
    on the corpus (what stays is each document's id and a 16-byte hash of its
    text, for the id and duplicate checks).  JSONL and Parquet manifests are
    read row by row; a folder file by file.  ``Corpus.read_parquet(dest)`` and
    the report file hold the same as ``read_corpus(path, **options)`` and its
    ``report`` (tested).

    Parameters
    ----------
    path : str, Path or list of them
        As for :func:`read_corpus`.
    dest : str or Path
        The corpus Parquet file to write (``policynlp segment`` streams it on).
        It appears only once complete.
    report : str or Path, optional
        The ingest report CSV (UTF-8 with BOM, for Excel); default: next to
        ``dest``, named ``<dest stem>_ingest_report.csv``.
    batch_size : int, default 10000
        Documents per Parquet row group.
    **options
        Any option of :func:`read_corpus` (``errors``, ``normalize``, ``client`` …).

    Returns
    -------
    dict
        ``corpus`` and ``report`` (the paths written), ``documents`` (loaded)
        and ``skipped`` (inputs skipped, each listed in the report with its reason).
    """
    import pyarrow.parquet as pq

    from .writers import SCHEMA, arrow_table

    check_int("batch_size", batch_size, minimum=1)
    try:
        opts = IngestOptions(**options)
    except TypeError as exc:
        raise ParameterError(f"unknown option ({exc}); ingest_to_parquet takes the options of read_corpus: "
                             f"{sorted(f.name for f in fields(IngestOptions))}") from None
    dest = Path(dest)
    report = Path(report) if report is not None else dest.with_name(dest.stem + "_ingest_report.csv")
    # written under temporary names and renamed when complete: never a half-written corpus under dest
    partial, partial_report = dest.with_name(dest.name + ".partial"), report.with_name(report.name + ".partial")
    buffer = []
    writer = None

    def write(docs):
        nonlocal writer
        if writer is None:  # opened once the inputs are listed, so that it is never one of them
            writer = pq.ParquetWriter(str(partial), SCHEMA, compression="zstd")
        writer.write_table(arrow_table(docs))

    def sink(docs):
        buffer.extend(docs)
        while len(buffer) >= batch_size:
            write(buffer[:batch_size])
            del buffer[:batch_size]

    rows = None
    try:
        with open(partial_report, "w", encoding="utf-8-sig", newline="") as fh:
            rows = csv.writer(fh, lineterminator="\n")
            rows.writerow(REPORT_COLUMNS)

            def report_sink(entries):
                rows.writerows([_csv_value(e.get(c)) for c in REPORT_COLUMNS] for e in entries)

            ingest = _run(path, opts, progress=progress, sink=sink, report_sink=report_sink)
        if buffer or writer is None:
            write(buffer)
    finally:
        if writer is not None:
            writer.close()
    partial.replace(dest)
    partial_report.replace(report)
    return {"corpus": dest, "report": report, "documents": ingest.n_docs, "skipped": ingest.n_skipped,
            "inputs": ingest.n_inputs}


def _csv_value(v):
    return "" if v is None else v


@dataclass(frozen=True)
class IngestOptions:
    """The options of :func:`read_corpus` (and :func:`ingest_to_parquet`), in one place, with their defaults."""

    errors: str = "warn"
    encoding: str | None = None
    text_column: str | None = None
    path_column: str | None = None
    columns: object = None
    duplicates: str = "keep"
    parse_meta: bool = True
    recursive: bool = True
    hidden: bool = False
    sheet: object = None
    max_bytes: int = ReadLimits.max_bytes
    max_ratio: float = ReadLimits.max_ratio
    normalize: object = None
    client: object = None
    partition_size: int = 1000

    def checked(self):
        """Validated options, with ``normalize`` as None or a dict of switches; raises ParameterError."""
        check_choice("errors", self.errors, choices(OnError))
        check_choice("duplicates", self.duplicates, choices(OnDuplicate))
        check_int("partition_size", self.partition_size, minimum=1)
        check_int("max_bytes", self.max_bytes, minimum=1)
        for name in ("parse_meta", "recursive", "hidden"):
            if not isinstance(getattr(self, name), bool):
                raise ParameterError(f"{name}={getattr(self, name)!r} must be True or False")
        if isinstance(self.max_ratio, bool) or not isinstance(self.max_ratio, (int, float)) or self.max_ratio <= 1:
            raise ParameterError(f"max_ratio={self.max_ratio!r} must be a number above 1")
        columns = self._columns()
        if self.sheet is not None and (isinstance(self.sheet, bool) or not isinstance(self.sheet, (str, int))):
            raise ParameterError(f"sheet={self.sheet!r} must be a sheet name, a 0-based index or None (every sheet)")
        if self.encoding is not None:
            import codecs

            try:
                codecs.lookup(self.encoding)
            except (LookupError, TypeError) as exc:
                raise ParameterError(f"encoding={self.encoding!r} is not a known codec; use e.g. 'utf-8' or "
                                     "'gb18030'") from exc
        normalize = self._normalize()
        return replace(self, normalize=normalize, columns=columns)

    def _columns(self):
        """The Document key -> column mapping: ``columns`` checked, plus text_column and path_column."""
        if not isinstance(self.columns or {}, dict):
            raise ParameterError(f"columns={self.columns!r} must map Document keys to column names")
        columns = dict(self.columns or {})
        keys = sorted(MAPPABLE_KEYS)
        for key, col in columns.items():
            if key not in keys:
                raise ParameterError(f"columns: {key!r} is not a Document key; use text_column/path_column for the text "
                                     f"or a path, and one of {keys} here")
            if not isinstance(col, str) or not col:
                raise ParameterError(f"columns[{key!r}]={col!r} must be a column name")
        for key, col in (("text", self.text_column), ("path", self.path_column)):
            if col is not None:
                columns[key] = col
        return columns

    def _normalize(self):
        """``normalize`` as None or a dict of the switches of :func:`policynlp.text.normalize`."""
        normalize = self.normalize
        if normalize is True:
            normalize = {}
        elif normalize is False:
            normalize = None
        elif normalize is not None and not isinstance(normalize, dict):
            raise ParameterError(f"normalize={normalize!r} must be True, False, None or a dict of normalisation switches")
        if normalize:
            try:
                normalize_text("", **normalize)  # unknown switches fail here, not on a worker
            except TypeError as exc:
                raise ParameterError(f"normalize={normalize!r}: {exc}; see policynlp.text.normalize for the switches") from exc
        return normalize


def _run(path, options, *, progress, sink=None, report_sink=None):
    o = options.checked()
    paths = list(path) if isinstance(path, (list, tuple)) else [path]
    if not paths:
        raise ParameterError("path=[] names no input")
    first = Path(paths[0])
    base = first if first.is_dir() else first.parent
    ingest = _Ingest(errors=o.errors, encoding=o.encoding, duplicates=o.duplicates, parse_meta=o.parse_meta,
                     columns=o.columns, base=base, normalize=o.normalize,
                     client=o.client, partition_size=o.partition_size, sink=sink, report_sink=report_sink,
                     limits=ReadLimits(max_bytes=o.max_bytes, max_ratio=o.max_ratio), sheet=o.sheet,
                     named=[p for p in paths if Path(p).is_file()])
    entries = list(iter_inputs(paths, recursive=o.recursive, hidden=o.hidden))
    for entry in _bar(entries, progress=progress, desc="ingest", unit="file"):
        ingest.entry(entry)
    ingest.flush()
    ingest.drain()
    log.info("ingested %d documents from %d input(s); %d input(s) skipped", ingest.n_docs, len(entries), ingest.n_skipped)
    return ingest


def _report_frame(rows):
    report = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    for col in REPORT_COLUMNS:
        report[col] = report[col].astype(object).fillna("").astype(str) if col != "n_chars" else report[col].astype("Int64")
    return report
