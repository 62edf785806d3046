"""An on-disk cache of segmented text, keyed by content and segmentation settings.

Layout: ``<folder>/<segmenter fingerprint>/part-<hash>.parquet``, each part a
table of ``key`` (BLAKE2b of the text), ``joined`` (tokens joined by U+001F)
and ``check`` (BLAKE2b of key and tokens).  A part that cannot be read, or a
row whose check does not match, is never used: it is reported with a
:class:`CacheWarning` and its texts are segmented again.
A new run reads the keys, segments only texts it has not seen with these
settings, and adds them as one new part, so adding 1,000 documents to a large
corpus segments 1,000 documents.  Parts are written to a temporary name and
renamed, so an interrupted run never leaves a half-written part behind.
"""

from __future__ import annotations

import hashlib
import logging
import os
import warnings
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ._types import PathLike
from .lexicon import fingerprint

__all__ = ["TokenCache", "CacheWarning"]

log = logging.getLogger(__name__)
_SCHEMA = pa.schema([("key", pa.string()), ("joined", pa.large_string()), ("check", pa.string())])


class CacheWarning(UserWarning):
    """A cache entry was damaged and is recomputed."""


def _check(key, joined):
    return hashlib.blake2b(f"{key}\x1e{joined}".encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


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

    def __init__(self, directory: PathLike) -> None:
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
            try:
                table = pq.read_table(part, columns=["key", "joined", "check"])
            except (pa.ArrowException, OSError, KeyError) as exc:
                warnings.warn(f"token cache part {part} cannot be read ({type(exc).__name__}: {exc}); it is removed and "
                              "its texts will be segmented again", CacheWarning, stacklevel=3)
                part.unlink(missing_ok=True)
                continue
            hits = table.filter(pc.is_in(table["key"], value_set=wanted))
            bad = 0
            for key, joined, check in zip(*(hits[c].to_pylist() for c in ("key", "joined", "check"))):
                if key is None or joined is None or check != _check(key, joined):
                    bad += 1
                    continue
                found[key] = joined
            if bad:
                warnings.warn(f"token cache part {part}: {bad} entr{'y' if bad == 1 else 'ies'} failed the checksum; "
                              "they are removed and those texts will be segmented again", CacheWarning, stacklevel=3)
                self._rewrite_sound(part, table)
        return found

    @staticmethod
    def _rewrite_sound(part, table):
        """Rewrite a part keeping only the rows whose checksum holds."""
        rows = zip(*(table[c].to_pylist() for c in ("key", "joined", "check")))
        good = [(k, j, c) for k, j, c in rows if k is not None and j is not None and c == _check(k, j)]
        tmp = part.with_suffix(".tmp")
        pq.write_table(pa.table({name: [r[i] for r in good] for i, name in enumerate(("key", "joined", "check"))},
                                schema=_SCHEMA), tmp, compression="zstd")
        os.replace(tmp, part)

    def store(self, fp, mapping):
        """Add ``{key: joined}`` entries as one new part."""
        if not mapping:
            return None
        folder = self.directory / fp
        folder.mkdir(parents=True, exist_ok=True)
        keys = sorted(mapping)
        joined = [mapping[k] for k in keys]
        table = pa.table({"key": keys, "joined": joined, "check": [_check(k, j) for k, j in zip(keys, joined)]},
                         schema=_SCHEMA)
        path = folder / f"part-{fingerprint(keys)}.parquet"
        tmp = path.with_suffix(".tmp")
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)
        return path

    def segment(self, segmenter, ids, texts, *, n_jobs=1, chunk_size=None, progress=None, mp_context=None, client=None):
        """Segment ``texts`` with ``segmenter``, reusing and filling the cache; see :meth:`Segmenter.segment`."""
        from .segment_exec import tokens_frame

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
        return tokens_frame(ids, [found[k] for k in keys], segmenter.pos)
