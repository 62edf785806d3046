"""Corpus files: Parquet (native, lossless), JSONL and CSV."""

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import CorpusFormatError
from ..tables import FORMAT_KEY
from .corpus import Corpus
from .document import FIELDS, Document

__all__ = ["to_frame", "from_frame", "write_parquet", "read_parquet", "write_jsonl", "write_csv", "SCHEMA"]

SCHEMA = pa.schema(
    [
        ("id", pa.string()), ("title", pa.string()), ("text", pa.large_string()),
        ("issuers", pa.list_(pa.string())), ("date", pa.string()), ("doc_number", pa.string()),
        ("doc_type", pa.string()), ("level", pa.string()), ("region", pa.string()),
        ("source", pa.string()), ("extra", pa.string()),
    ],
    metadata={FORMAT_KEY: b"corpus/1"},
)


def _extra_json(extra):
    return json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else ""


def to_frame(corpus):
    rows = [d.to_dict() for d in corpus]
    return pd.DataFrame(rows, columns=list(FIELDS))


def _str_or_none(v):
    return None if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)


def from_frame(frame, *, path=None):
    missing = [c for c in ("id",) if c not in frame.columns]
    if missing:
        raise CorpusFormatError(f"missing column(s) {missing}; a corpus table needs at least 'id'", path=path)
    docs = []
    for i, row in enumerate(frame.to_dict("records")):
        extra = row.get("extra") or {}
        if isinstance(extra, str):
            try:
                extra = json.loads(extra) if extra else {}
            except json.JSONDecodeError as exc:
                raise CorpusFormatError(f"'extra' is not valid JSON: {exc}", path=path, line=i + 1, field="extra") from exc
        issuers = row.get("issuers")
        if issuers is None or (isinstance(issuers, float) and pd.isna(issuers)):
            issuers = ()
        elif not isinstance(issuers, str):  # a ";"-joined string is split by Document
            issuers = tuple(issuers)
        docs.append(
            Document(
                id=str(row["id"]),
                title=row.get("title") or "",
                text=row.get("text") or "",
                issuers=issuers,
                date=_str_or_none(row.get("date")),
                doc_number=_str_or_none(row.get("doc_number")),
                doc_type=row.get("doc_type") or "",
                level=row.get("level") or "",
                region=row.get("region") or "",
                source=row.get("source") or "",
                extra=extra,
            )
        )
    return Corpus(docs)


def arrow_table(corpus):
    cols = {name: [] for name in SCHEMA.names}
    for d in corpus:
        for name in SCHEMA.names:
            v = getattr(d, name)
            if name == "issuers":
                v = list(v)
            elif name == "extra":
                v = _extra_json(v)
            cols[name].append(v)
    return pa.table(cols, schema=SCHEMA)


def write_parquet(corpus, path):
    """Write ``corpus`` to ``path`` as Parquet (deterministic bytes for equal corpora)."""
    pq.write_table(arrow_table(corpus), str(path), compression="zstd")


def read_parquet(path):
    """Read a corpus Parquet file written by :func:`write_parquet`."""
    try:
        table = pq.read_table(str(path))
    except (OSError, pa.ArrowException) as exc:
        raise CorpusFormatError(f"cannot read as Parquet: {exc}", path=path) from exc
    missing = [n for n in ("id", "text") if n not in table.column_names]
    if missing:
        raise CorpusFormatError(
            f"not a policynlp corpus: missing column(s) {missing}. To load any table of documents, "
            "use read_corpus(path, text_column=...)",
            path=path,
        )
    return from_frame(table.to_pandas(), path=path)


def write_jsonl(corpus, path):
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for d in corpus:
            fh.write(json.dumps(d.to_dict(), ensure_ascii=False) + "\n")


def write_csv(corpus, path, *, excel=False):
    df = to_frame(corpus)
    df["issuers"] = df["issuers"].map(";".join)
    df["extra"] = df["extra"].map(_extra_json)
    df.to_csv(Path(path), index=False, encoding="utf-8-sig" if excel else "utf-8", lineterminator="\n")
