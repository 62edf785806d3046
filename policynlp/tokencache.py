"""An on-disk cache of segmented text, keyed by content and segmentation settings.

Layout: ``<folder>/<segmenter fingerprint>/part-<hash>.parquet``, each part a
table of ``key`` (BLAKE2b of the text) and ``joined`` (tokens joined by U+001F).
A new run reads the keys, segments only texts it has not seen with these
settings, and adds them as one new part, so adding 1,000 documents to a large
corpus segments 1,000 documents.  Parts are written to a temporary name and
renamed, so an interrupted run never leaves a half-written part behind.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .lexicon import fingerprint

__all__ = ["TokenCache"]

log = logging.getLogger(__name__)
_SCHEMA = pa.schema([("key", pa.string()), ("joined", pa.large_string())])


def text_key(text):
    """The cache key of a text."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


class TokenCache:
    """A folder of cached segmentations.

    Parameters
    ----------
    directory : str or Path
        Created when missing.

    Attributes
    ----------
    hits, misses : int
        Texts found in / added to the cache by the last :meth:`segment` call.
    """

    def __init__(self, directory):
        self.directory = Path(directory).expanduser()
        self.hits = 0
        self.misses = 0

    def _parts(self, fp):
        return sorted((self.directory / fp).glob("part-*.parquet"))

    def lookup(self, fp, keys):
        """Map each of ``keys`` found in the cache for fingerprint ``fp`` to its joined tokens."""
        wanted = pa.array(sorted(set(keys)), type=pa.string())
        found = {}
        for part in self._parts(fp):
            table = pq.read_table(part)
            table = table.filter(pc.is_in(table["key"], value_set=wanted))
            found.update(zip(table["key"].to_pylist(), table["joined"].to_pylist()))
        return found

    def store(self, fp, mapping):
        """Add ``{key: joined}`` entries as one new part."""
        if not mapping:
            return None
        folder = self.directory / fp
        folder.mkdir(parents=True, exist_ok=True)
        keys = sorted(mapping)
        table = pa.table({"key": keys, "joined": [mapping[k] for k in keys]}, schema=_SCHEMA)
        path = folder / f"part-{fingerprint(keys)}.parquet"
        tmp = path.with_suffix(".tmp")
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)
        return path

    def segment(self, segmenter, ids, texts, *, n_jobs=1, chunk_size=None, progress=None, mp_context=None, client=None):
        """Segment ``texts`` with ``segmenter``, reusing and filling the cache; see :meth:`Segmenter.segment`."""
        from .segment import _frame

        fp = segmenter.fingerprint
        keys = [text_key(t) for t in texts]
        found = self.lookup(fp, keys)
        todo = {}
        for k, t in zip(keys, texts):
            if k not in found and k not in todo:
                todo[k] = t
        self.hits = sum(1 for k in keys if k in found)
        self.misses = len(todo)
        if todo:
            new_keys = list(todo)
            joined = segmenter.segment_joined([todo[k] for k in new_keys], n_jobs=n_jobs,
                                              chunk_size=chunk_size, progress=progress, mp_context=mp_context,
                                              client=client)
            new = dict(zip(new_keys, joined))
            self.store(fp, new)
            found.update(new)
        log.info("token cache %s: %d hit(s), %d segmented", self.directory, self.hits, self.misses)
        return _frame(ids, [found[k] for k in keys], segmenter.pos)
