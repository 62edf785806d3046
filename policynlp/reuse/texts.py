"""Where :func:`~policynlp.reuse.find_reuse` reads its texts from: memory, or a file on disk for large corpora.

Alignment reads any two documents in the order the candidate pairs come, so
a corpus read from Parquet is written once to a flat file of UTF-8 texts and
read back by position (:class:`TextStore`); memory then holds only the ids,
dates and one offset per document.
"""

from __future__ import annotations

import os
from array import array
from pathlib import Path

from ..errors import CorpusFormatError

__all__ = ["TextStore", "parquet_path", "read_parquet_texts"]


class TextStore:
    """Texts appended to a file on disk and read back by position.

    Reads use ``os.pread`` rather than a memory map: pages of a mapped file
    count as the process's resident memory once touched, and the point of the
    store is that the corpus does not.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     store = TextStore(Path(folder) / "texts.bin")
    ...     store.extend(["推进智慧城市建设", "", "发展智慧旅游"])
    ...     len(store), store[2], store[1], list(store)[0]
    (3, '发展智慧旅游', '', '推进智慧城市建设')
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self._fh = open(self.path, "wb+")  # noqa: SIM115 - kept open for reads until close()
        self._ends = array("q", [0])  # byte offsets: 8 bytes a document, not a Python int each
        self.chars = 0  # characters stored

    def extend(self, texts) -> None:
        """Append ``texts`` (str) after those already stored."""
        self._fh.seek(0, os.SEEK_END)
        for t in texts:
            data = t.encode("utf-8")
            self._fh.write(data)
            self._ends.append(self._ends[-1] + len(data))
            self.chars += len(t)
        self._fh.flush()

    def __len__(self) -> int:
        return len(self._ends) - 1

    def __getitem__(self, i: int) -> str:
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(f"text {i} of a store of {len(self)}")
        start, end = self._ends[i], self._ends[i + 1]
        return os.pread(self._fh.fileno(), end - start, start).decode("utf-8")

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def close(self) -> None:
        self._fh.close()


def parquet_path(docs) -> Path | None:
    """``docs`` as the path of a Parquet file of documents, or ``None`` when it is something else."""
    if isinstance(docs, os.PathLike) or (isinstance(docs, str) and docs.lower().endswith(".parquet")
                                         and "\n" not in docs and len(docs) < 4096):
        path = Path(docs)
        if path.suffix.lower() != ".parquet":
            raise CorpusFormatError("find_reuse reads documents from a Parquet file (a corpus written by "
                                    "`policynlp ingest` or Corpus.to_parquet); load other formats with read_corpus",
                                    path=path)
        if not path.is_file():
            raise CorpusFormatError("no such file; give the path of a corpus Parquet file", path=path)
        return path
    return None


def read_parquet_texts(path: Path, folder: Path, blank, *, batch_size: int = 2000):
    """``(ids, dates, texts, compared)`` of the Parquet corpus at ``path``, texts streamed into two stores.

    ``ids`` and ``dates`` (``""`` when the file has no ``date`` column or a
    row none) are lists; ``texts`` holds each text as written and
    ``compared`` the text ``blank(i, text)`` makes of it, both
    :class:`TextStore` files in ``folder``.  A missing text reads as ``""``,
    as in :class:`~policynlp.Corpus`.
    """
    import pyarrow as pa

    from ..tables import open_parquet_stream

    try:
        pf = open_parquet_stream(path)
    except (OSError, pa.ArrowException) as exc:
        raise CorpusFormatError(f"cannot read as Parquet: {exc}", path=path) from exc
    names = pf.schema_arrow.names
    missing = [c for c in ("id", "text") if c not in names]
    if missing:
        raise CorpusFormatError(f"missing column(s) {missing}: find_reuse needs 'id' and 'text' (and reads 'date' "
                                f"for direction); the file has {names}", path=path)
    head = pf.read(columns=[c for c in ("id", "date") if c in names])
    ids = ["" if v is None else str(v) for v in head.column("id").to_pylist()]
    dates = ["" if v is None else str(v) for v in head.column("date").to_pylist()] if "date" in names else [""] * len(ids)
    del head
    texts, compared = TextStore(folder / "texts.bin"), TextStore(folder / "compared.bin")
    for batch in pf.iter_batches(batch_size=batch_size, columns=["text"]):
        chunk = ["" if t is None else str(t) for t in batch.column(0).to_pylist()]
        first = len(texts)
        texts.extend(chunk)
        compared.extend(blank(first + j, t) for j, t in enumerate(chunk))
    return ids, dates, texts, compared
