"""Manifest row formats: CSV/TSV, Excel, JSONL, JSON and Parquet as tables of numbered rows.

A manifest holds one document per row.  Each format here yields
:class:`Table` objects (one per file, one per sheet of a workbook), and each
table yields ``(number, row)`` pairs, where ``row`` is a dict — or a string
saying why that row could not be read (a bad JSON line, a ragged CSV row, a
line over the size limit).  A bad row never stops the rows after it.

Numbers are what a person finds in the file: the line number for JSONL, the
data row for CSV and Excel (1 = the first row under the header).
"""

import codecs
import csv
import json
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Iterator

from ..errors import CorpusFormatError
from .decoding import decode_bytes
from .formats import DEFAULT_LIMITS, check_ooxml, megabytes

__all__ = ["Table", "MANIFEST_SUFFIXES", "read_tables"]

MANIFEST_SUFFIXES = (".csv", ".tsv", ".xlsx", ".jsonl", ".json", ".parquet")

_SAMPLE_BYTES = 4 << 20
_BATCH = 1000


@dataclass
class Table:
    """The rows of one manifest table.

    Attributes
    ----------
    label : str
        Appended to the file name in the report: ``""``, or ``"[Sheet2]"`` for a workbook's sheet.
    rows : iterator of (int, dict or str)
    sheet : str or None
        The sheet's name (kept in each document's ``extra["sheet"]``).
    columns : list of str or None
        The header, when the format has one (CSV, Excel); None when columns
        are learnt from the rows (JSON, JSONL, Parquet).
    """

    label: str
    rows: Iterator
    sheet: str | None = None
    columns: list | None = None


def read_tables(path, *, encoding=None, limits=DEFAULT_LIMITS, sheet=None):
    """The tables of a manifest file.

    Parameters
    ----------
    path : Path
    encoding : str, optional
        Forced text encoding (CSV, TSV, JSON, JSONL).
    limits : ReadLimits
    sheet : str or int, optional
        For workbooks: read only this sheet (name, or 0-based index); by default every sheet.

    Raises
    ------
    CorpusFormatError
        When the file as a whole cannot be read (not a workbook, invalid JSON,
        not Parquet), or ``sheet`` names no sheet.
    """
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        header, rows = _csv_rows(path, encoding, limits, "\t" if suffix == ".tsv" else ",")
        return [Table("", rows, columns=header)]
    if suffix == ".xlsx":
        return _xlsx_tables(path, limits, sheet)
    if suffix == ".jsonl":
        return [Table("", _jsonl_rows(path, encoding, limits))]
    if suffix == ".json":
        return [Table("", _json_rows(path, encoding, limits))]
    return [Table("", _parquet_rows(path))]


# --- text detection for streamed files --------------------------------------------------------


def _stream_encoding(path, encoding):
    """The codec of a streamed text file, detected on its first 4 MB cut at a line end."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise CorpusFormatError(f"unknown encoding {encoding!r}; use e.g. 'utf-8' or 'gb18030'", path=path) from exc
        return encoding
    with open(path, "rb") as fh:
        sample = fh.read(_SAMPLE_BYTES)
        rest = fh.read(1) != b""
    cut = sample.rfind(b"\n") + 1 if rest else len(sample)
    _, enc = decode_bytes(sample[: cut or len(sample)], path=path)
    return enc


# --- CSV / TSV --------------------------------------------------------------------------------


def _csv_rows(path, encoding, limits, delimiter):
    """The header and the rows of a CSV/TSV file, streamed; ragged rows become messages."""
    enc = _stream_encoding(path, encoding)
    enc = "utf-8-sig" if enc == "utf-8" else enc
    # csv's per-field limit (128 KiB by default) is below a long regulation's
    # text; it is process-wide, so it is raised only while this file is read.
    fh = open(path, encoding=enc, errors="strict", newline="")  # noqa: SIM115 - closed by the generator
    try:
        reader = csv.reader(fh, delimiter=delimiter)
        old = csv.field_size_limit()
        csv.field_size_limit(max(old, limits.max_bytes))
        try:
            header = next(reader, None)
        finally:
            csv.field_size_limit(old)
    except (UnicodeDecodeError, csv.Error) as exc:
        fh.close()
        raise CorpusFormatError(f"not a readable {'TSV' if delimiter == chr(9) else 'CSV'} file: {exc}", path=path) from exc
    if header is None:
        fh.close()
        return [], iter(())
    header = [h.strip() for h in header]

    def rows():
        old = csv.field_size_limit()
        n = 0
        try:
            csv.field_size_limit(max(old, limits.max_bytes))
            while True:
                line = reader.line_num + 1
                try:
                    fields = next(reader)
                except StopIteration:
                    return
                except UnicodeDecodeError as exc:
                    n += 1
                    yield n, f"row {n} (line {line}) cannot be decoded as {enc}: {exc.reason}; the rest of the file is not read"
                    return
                except csv.Error as exc:
                    n += 1
                    yield n, f"row {n} (line {line}) is not valid CSV: {exc}"
                    if reader.line_num < line:  # the reader cannot move past it
                        return
                    continue
                if not fields or (len(fields) == 1 and not fields[0].strip()):
                    continue  # a blank line is not a row
                n += 1
                if len(fields) > len(header):
                    yield n, (f"row {n} (line {line}) has {len(fields)} fields where the header has {len(header)}: "
                              "an unquoted comma or tab in a cell? Quote the cell and read the file again")
                    continue
                if len(fields) < len(header):
                    fields = fields + [""] * (len(header) - len(fields))
                yield n, dict(zip(header, fields))
        finally:
            csv.field_size_limit(old)
            fh.close()

    return header, rows()


# --- Excel ------------------------------------------------------------------------------------


def _cell(value):
    """An Excel cell as the text a person sees in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def _xlsx_tables(path, limits, sheet):
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    check_ooxml(path, limits)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, TypeError, OSError, EOFError) as exc:
        raise CorpusFormatError(f"not a readable .xlsx workbook ({type(exc).__name__}: {exc}); re-save it from Excel",
                                path=path) from exc
    names = wb.sheetnames
    if sheet is not None:
        if isinstance(sheet, int) and not isinstance(sheet, bool) and 0 <= sheet < len(names):
            names = [names[sheet]]
        elif sheet in names:
            names = [sheet]
        else:
            raise CorpusFormatError(f"no sheet {sheet!r}; the workbook has {names}", path=path, field="sheet")
    tables = []
    for name in names:
        ws = wb[name]
        it = ws.iter_rows(values_only=True)
        header = None
        for values in it:
            if any(v is not None and str(v).strip() for v in values):
                header = [_cell(v).strip() for v in values]
                break
        tables.append(Table(f"[{name}]", _sheet_rows(it, header, wb), sheet=name, columns=header or []))
    return tables


def _sheet_rows(it, header, wb):
    if header is None:
        return
    n = 0
    for values in it:
        cells = [_cell(v) for v in values]
        if not any(c.strip() for c in cells):
            continue
        n += 1
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            yield n, f"row {n} has values in columns without a header; give those columns a name"
            continue
        yield n, {h: c for h, c in zip(header, cells) if h}


# --- JSON lines, JSON, Parquet ----------------------------------------------------------------


def _capped_lines(fh, cap):
    """``(line number, bytes or None)`` for each line; None for a line longer than ``cap`` (skipped unread)."""
    i = 0
    while True:
        raw = fh.readline(cap + 1)
        if not raw:
            return
        i += 1
        if len(raw) > cap and not raw.endswith(b"\n"):
            size = len(raw)
            while True:  # skip to the end of the over-long line without holding it
                more = fh.readline(1 << 20)
                size += len(more)
                if not more or more.endswith(b"\n"):
                    break
            yield i, None, size
            continue
        yield i, raw.rstrip(b"\n").rstrip(b"\r"), len(raw)


def _jsonl_rows(path, encoding, limits):
    """The rows of a JSONL manifest, read line by line (a bad line becomes a message, not an exception).

    The encoding is detected on the first 4 MB, cut at a line end; UTF-8,
    GB18030 and Big5 never use the byte of a line feed inside a character, so
    the lines can be split before decoding.  (UTF-16/32 files are decoded whole.)
    """
    enc = _stream_encoding(path, encoding)
    if enc.startswith(("utf-16", "utf-32")):
        text, _ = decode_bytes(path.read_bytes(), path=path, encoding=enc)
        lines = ((i, line.encode("utf-8"), 0) for i, line in enumerate(text.split("\n"), start=1))
        enc = "utf-8"
        fh = None
    else:
        fh = open(path, "rb")  # noqa: SIM115 - closed below, when the generator finishes
        lines = _capped_lines(fh, limits.max_bytes)
    try:
        for i, raw, size in lines:
            if raw is None:
                yield i, (f"line {i} is over the size limit ({megabytes(size)} > max_bytes={limits.max_bytes:,}); "
                          "raise max_bytes to read it")
                continue
            try:
                line = raw.decode(enc)
            except UnicodeDecodeError as exc:
                yield i, f"line {i} cannot be decoded as {enc}: {exc.reason}; check the file's encoding"
                continue
            line = line.lstrip("\ufeff") if i == 1 else line
            if not line.strip():
                continue
            try:
                yield i, json.loads(line)
            except json.JSONDecodeError as exc:
                yield i, f"invalid JSON on line {i}: {exc.msg} (column {exc.colno})"
            except RecursionError:
                yield i, f"invalid JSON on line {i}: nested too deeply"
    finally:
        if fh is not None:
            fh.close()


def _json_rows(path, encoding, limits):
    size = path.stat().st_size
    if size > 8 * limits.max_bytes:
        raise CorpusFormatError(f"a .json manifest of {megabytes(size)} is read whole; over the size limit (8 × max_bytes): "
                                "write it as JSONL (one object per line), which is streamed", path=path)
    text, _ = decode_bytes(path.read_bytes(), path=path, encoding=encoding)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CorpusFormatError(f"invalid JSON: {exc.msg}", path=path, line=exc.lineno) from exc
    except RecursionError as exc:
        raise CorpusFormatError("invalid JSON: nested too deeply", path=path) from exc
    if not isinstance(data, list):
        raise CorpusFormatError("a .json manifest must hold a list of objects", path=path)
    yield from enumerate(data, start=1)


def _parquet_rows(path):
    import pyarrow as pa

    from ..tables import FORMAT_KEY, open_parquet_stream

    try:
        pf = open_parquet_stream(path)
    except (OSError, pa.ArrowException) as exc:
        raise CorpusFormatError(f"not a readable Parquet file: {exc}", path=path) from exc
    ours = bool((pf.schema_arrow.metadata or {}).get(FORMAT_KEY))
    n = 0
    try:
        for batch in pf.iter_batches(batch_size=_BATCH):
            for row in batch.to_pylist():
                n += 1
                if ours and isinstance(row.get("extra"), str):
                    extra = json.loads(row.pop("extra") or "{}")
                    row = {**extra, **row}
                yield n, row
    except (OSError, pa.ArrowException) as exc:
        yield n + 1, f"rows from {n + 1} on cannot be read: {exc}"
