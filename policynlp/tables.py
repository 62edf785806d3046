"""Writing and reading result tables: CSV (Excel-friendly on request), Parquet, provenance sidecars."""

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .errors import CorpusFormatError
from .provenance import to_json

__all__ = ["write_table", "provenance_path", "write_tokens", "read_tokens", "open_parquet_stream", "tokens_schema",
           "FORMAT_KEY", "PROVENANCE_KEY", "TOKENS_FORMAT"]

#: Parquet schema metadata keys of the files the package writes, and the tokens table's format tag.
FORMAT_KEY = b"policynlp.format"
PROVENANCE_KEY = b"policynlp.provenance"
TOKENS_FORMAT = b"tokens/1"


def tokens_schema(pos=False, provenance=None):
    """The tokens table's Arrow schema (``id``, ``tokens``, optional ``pos``), tagged, with its provenance."""
    cols = [("id", pa.string()), ("tokens", pa.list_(pa.string()))] + ([("pos", pa.list_(pa.string()))] if pos else [])
    meta = {FORMAT_KEY: TOKENS_FORMAT}
    if provenance:
        meta[PROVENANCE_KEY] = to_json(provenance).encode("utf-8")
    return pa.schema(cols, metadata=meta)


def write_table(frame, path, *, excel=False, index=False):
    """Write ``frame`` as CSV (``.csv``) or Parquet (``.parquet``), plus ``<name>.provenance.json``.

    CSV floats are written with 6 significant digits, so re-runs give identical
    bytes; ``excel=True`` adds a UTF-8 BOM so Excel shows Chinese correctly.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = frame.attrs.get("provenance")
    if path.suffix == ".parquet":
        table = pa.Table.from_pandas(frame, preserve_index=index)
        meta = dict(table.schema.metadata or {})
        if record:
            meta[PROVENANCE_KEY] = to_json(record).encode("utf-8")
        pq.write_table(table.replace_schema_metadata(meta), str(path), compression="zstd")
    else:
        frame.to_csv(path, index=index, encoding="utf-8-sig" if excel else "utf-8", float_format="%.6g",
                     lineterminator="\n")
    if record:
        provenance_path(path).write_text(to_json(record) + "\n", encoding="utf-8")
    return path


def provenance_path(path):
    """The provenance sidecar :func:`write_table` writes beside ``path`` when the table has a record."""
    path = Path(path)
    return path.with_name(path.stem + ".provenance.json")


def open_parquet_stream(path):
    """A ``pyarrow.parquet.ParquetFile`` for reading batch after batch in flat memory.

    With pyarrow's default ``pre_buffer=True`` the byte ranges read ahead stay
    cached for as long as the file is open: iterating over a 1M-document
    corpus grew by 1.6 MB per batch (measured with ``pa.total_allocated_bytes``)
    until the whole file was in memory.  Without pre-buffering it stays flat.
    """
    return pq.ParquetFile(str(path), pre_buffer=False)


def write_tokens(frame, path):
    """Write a tokens table (``id``, ``tokens``, optional ``pos``) with its provenance in the Parquet metadata."""
    schema = tokens_schema(pos="pos" in frame, provenance=frame.attrs.get("provenance"))
    cols = [frame["id"].astype(str).tolist(), frame["tokens"].tolist()] + ([frame["pos"].tolist()] if "pos" in frame else [])
    pq.write_table(pa.table(cols, schema=schema), str(path), compression="zstd")
    return Path(path)


def read_tokens(path):
    """Read a tokens table written by :func:`write_tokens` (provenance restored in ``attrs``)."""
    try:
        table = pq.read_table(str(path))
    except (OSError, pa.ArrowException) as exc:
        raise CorpusFormatError(f"cannot read tokens: {exc}", path=path) from exc
    if "tokens" not in table.column_names:
        raise CorpusFormatError("not a tokens table (no 'tokens' column); make one with `policynlp segment`", path=path)
    frame = pd.DataFrame({name: table[name].to_pylist() for name in table.column_names})
    meta = table.schema.metadata or {}
    if PROVENANCE_KEY in meta:
        frame.attrs["provenance"] = json.loads(meta[PROVENANCE_KEY].decode("utf-8"))
    return frame
