"""Character fingerprints of documents and the candidate pairs they share.

Texts are hashed on their *skeleton* — the characters left after dropping
whitespace and punctuation — so a copied passage is found again whatever
line breaks, full- or half-width marks or numbering punctuation the adopting
document uses.  Every ``k``-character shingle of the skeleton gets a 64-bit
hash; winnowing (Schleimer, Wilkerson & Aiken 2003, "Winnowing: local
algorithms for document fingerprinting", SIGMOD) keeps the smallest hash of
every window of ``w`` consecutive shingles.  Its guarantee is what makes
passages findable: any common stretch of at least ``w + k - 1`` skeleton
characters shares at least one fingerprint, however long the documents.

Candidate pairs come from an inverted index (fingerprint → documents), never
from comparing all pairs: fingerprints held by more than ``max_df`` documents
(salutations, closing formulas) are dropped, and a pair is kept when it
shares at least ``min_shared`` fingerprints.  All of it is NumPy; a Dask
client fingerprints partitions on its workers with identical results.
"""

import numpy as np

from .._validation import check_int

__all__ = ["skeleton", "fingerprints", "candidate_pairs", "FingerprintStore"]

# Code-point ranges that are not part of the skeleton: ASCII controls, spaces and
# punctuation, Latin-1 punctuation, general punctuation, enclosed numbers (①),
# box drawing and shapes (■□), CJK symbols and punctuation, vertical forms, and
# the full-width punctuation of the Halfwidth and Fullwidth Forms block.
_DROP = np.array([
    (0x0000, 0x002F), (0x003A, 0x0040), (0x005B, 0x0060), (0x007B, 0x00BF), (0x2000, 0x206F),
    (0x2460, 0x24FF), (0x2500, 0x25FF), (0x3000, 0x303F), (0xFE10, 0xFE1F), (0xFE30, 0xFE4F),
    (0xFF01, 0xFF0F), (0xFF1A, 0xFF20), (0xFF3B, 0xFF40), (0xFF5B, 0xFF65),
], dtype=np.uint32)
_BASE = np.uint64(0x100000001B3)  # the FNV-1a 64-bit prime, as a polynomial base


def _codes(text):
    return np.frombuffer(text.encode("utf-32-le"), dtype="<u4")


def skeleton(text):
    """The text's skeleton as code points, and the offset in ``text`` of each.

    Examples
    --------
    >>> codes, offsets = skeleton("一、加强 监管。")
    >>> "".join(map(chr, codes)), offsets.tolist()
    ('一加强监管', [0, 2, 3, 5, 6])
    """
    c = _codes(text)
    lo, hi = _DROP[:, 0], _DROP[:, 1]
    idx = np.searchsorted(lo, c, side="right") - 1
    drop = (idx >= 0) & (c <= hi[np.maximum(idx, 0)])
    keep = np.flatnonzero(~drop)
    return c[keep].astype(np.uint64), keep.astype(np.int64)


def _mix(x):
    # the splitmix64 finaliser: spreads polynomial hashes so that window minima are uniform
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def shingle_hashes(codes, k):
    """64-bit hashes of every ``k``-gram of ``codes`` (empty when there are fewer than ``k``)."""
    n = len(codes) - k + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * _BASE + codes[j : j + n]
        return _mix(h)


def fingerprints(text, *, k=7, w=4):
    """Winnowed fingerprints of ``text``: hashes and the skeleton positions where their shingles start.

    Parameters
    ----------
    text : str
    k : int, default 7
        Shingle length in skeleton characters.
    w : int, default 4
        Winnowing window in shingles; every common stretch of ``w + k - 1``
        skeleton characters (10 by default) shares a fingerprint.

    Returns
    -------
    hashes : ndarray of uint64
    positions : ndarray of int64
        Start of each fingerprint's shingle in the skeleton (see :func:`skeleton`).

    Examples
    --------
    >>> a, _ = fingerprints("各地区要加快推进生态环境分区管控，强化源头预防。")
    >>> b, _ = fingerprints("我省要加快推进生态环境分区管控，强化源头预防。")
    >>> len(set(a) & set(b)) >= 3
    True
    """
    check_int("k", k, minimum=1)
    check_int("w", w, minimum=1)
    codes, _ = skeleton(text)
    h = shingle_hashes(codes, k)
    if len(h) == 0:
        return h, np.empty(0, dtype=np.int64)
    if len(h) <= w:
        pos = np.array([int(np.argmin(h))])
    else:
        win = np.lib.stride_tricks.sliding_window_view(h, w)
        pos = np.unique(np.arange(len(win)) + win.argmin(axis=1))
    return h[pos], pos.astype(np.int64)


def fingerprint_block(texts, k, w):
    """Fingerprints of a list of texts: ``(hashes, doc)`` with ``doc`` the index in ``texts``, one row per distinct hash per text."""
    hs, ds = [], []
    for i, t in enumerate(texts):
        h, _ = fingerprints(t, k=k, w=w)
        h = np.unique(h)
        hs.append(h)
        ds.append(np.full(len(h), i, dtype=np.int64))
    if not hs:
        return np.empty(0, np.uint64), np.empty(0, np.int64)
    return np.concatenate(hs), np.concatenate(ds)


def candidate_pairs(hashes, docs, *, max_df=100, min_shared=3, buckets=16, blocks=None, spill=None):
    """Document pairs that share at least ``min_shared`` fingerprints held by at most ``max_df`` documents.

    Parameters
    ----------
    hashes, docs : ndarray
        One row per distinct fingerprint per document (:func:`fingerprint_block`).
    max_df : int, default 100
        Fingerprints found in more documents are formulas, not reuse, and are dropped.
    min_shared : int, default 3
    buckets : int, default 16
        The index is processed in this many slices of the hash space; the
        pairs one slice yields are counted and written to disk by ranges of
        their first document.
    blocks : int, optional
        Ranges of first documents, counted one at a time after all slices
        are written (default: as many as keep each range's counts under
        eight million).  Memory holds one slice's pairs, or one range's
        counts, never all pairs at once.
    spill : path, optional
        Folder for the counts on disk (default: a temporary folder, removed).

    Returns
    -------
    DataFrame
        ``a, b, shared`` with ``a < b`` (document indices), sorted.

    Examples
    --------
    >>> h = np.array([1, 1, 2, 2, 3, 3, 3], dtype=np.uint64)
    >>> d = np.array([0, 1, 0, 1, 0, 1, 2])
    >>> candidate_pairs(h, d, min_shared=2).values.tolist()
    [[0, 1, 3]]
    """
    check_int("buckets", buckets, minimum=1)
    if not len(hashes):
        return _pairs_of_slices([], 0, max_df, min_shared, blocks, spill)
    which = (hashes % np.uint64(buckets)).astype(np.int64)
    slices = ((hashes[which == b], docs[which == b]) for b in range(buckets))
    return _pairs_of_slices(slices, int(docs.max()) + 1, max_df, min_shared, blocks, spill, buckets)


class FingerprintStore:
    """Fingerprints kept on disk, by slice of the hash space, as partitions of a corpus are fingerprinted.

    Memory holds one partition's fingerprints while they are written, and one
    slice's while the candidate pairs and the formulas are counted — never the
    whole corpus's, which for 100,000 documents are tens of millions of rows.
    The results equal :func:`candidate_pairs` on all the fingerprints at once.

    Parameters
    ----------
    folder : path
        An existing folder for the slice files (the caller removes it).
    n_docs : int
        Documents in the corpus (document indices run from 0 to ``n_docs - 1``).
    buckets : int, optional
        Slices of the hash space (default: 16, or one per 2,500 documents
        above 40,000, so a slice's pairs stay about as many as the corpus
        grows).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     store = FingerprintStore(folder, n_docs=3)
    ...     store.add(np.array([1, 2, 3], dtype=np.uint64), np.array([0, 0, 0]))
    ...     store.add(np.array([1, 2, 3, 3], dtype=np.uint64), np.array([1, 1, 1, 2]))
    ...     store.candidate_pairs(min_shared=2).values.tolist(), store.formulas(2).tolist()
    ([[0, 1, 3]], [3])
    """

    def __init__(self, folder, n_docs, *, buckets=None):
        from pathlib import Path

        buckets = max(16, -(-int(n_docs) // 2500)) if buckets is None else check_int("buckets", buckets, minimum=1)
        self.folder, self.n_docs, self.buckets = Path(folder), int(n_docs), buckets
        self.files = [[] for _ in range(buckets)]

    def add(self, hashes, docs):
        """Write one partition's fingerprints (``hashes``, document indices ``docs``) to their slices."""
        which = (hashes % np.uint64(self.buckets)).astype(np.int64)
        order = np.argsort(which, kind="stable")
        cuts = np.searchsorted(which[order], np.arange(1, self.buckets))
        for b, (h, d) in enumerate(zip(np.split(hashes[order], cuts), np.split(docs[order], cuts))):
            if len(h):
                path = self.folder / f"fingerprints-{b}-{len(self.files[b])}.npy"
                np.save(path, np.stack([h.view(np.int64), d.astype(np.int64)]))
                self.files[b].append(path)

    def slices(self):
        """``(hashes, docs)`` of each slice in turn, rows in the order they were added."""
        for paths in self.files:
            if paths:
                rows = np.concatenate([np.load(p) for p in paths], axis=1)
                yield rows[0].view(np.uint64), rows[1]

    def candidate_pairs(self, *, max_df=100, min_shared=3, blocks=None):
        """:func:`candidate_pairs` of every fingerprint added."""
        return _pairs_of_slices(self.slices(), self.n_docs, max_df, min_shared, blocks, self.folder, self.buckets)

    def formulas(self, max_df):
        """The hashes held by more than ``max_df`` documents (one row per document and hash), sorted."""
        return _sorted([_common(h, max_df) for h, _ in self.slices()])

    def index(self, *, max_df=100, min_shared=3, formula_df=100, blocks=None):
        """``(candidate_pairs, formulas)`` in one reading of the slices from disk."""
        found = []

        def read():
            for h, d in self.slices():
                found.append(_common(h, formula_df))
                yield h, d

        pairs = _pairs_of_slices(read(), self.n_docs, max_df, min_shared, blocks, self.folder, self.buckets)
        return pairs, _sorted(found)


def _common(hashes, max_df):
    """The hashes occurring more than ``max_df`` times."""
    u, c = np.unique(hashes, return_counts=True)
    return u[c > max_df]


def _sorted(parts):
    return np.sort(np.concatenate(parts)) if parts else np.empty(0, np.uint64)


# pair counts held at once while one range of first documents is summed (16 bytes each, and a sort)
_RANGE_KEYS = 8_000_000


def _pairs_of_slices(slices, n_docs, max_df, min_shared, blocks, spill, n_slices=16):
    """Candidate pairs from fingerprint slices, counted on disk by ranges of first documents (see :func:`candidate_pairs`).

    The ranges are cut at quantiles of the first slice's pairs, not at equal
    numbers of documents: a document early in the corpus is the first of many
    more pairs than a late one (``a < b``), and equal ranges left the first
    range holding twice its share.  Unless ``blocks`` says how many, there
    are as many ranges as keep each under ``_RANGE_KEYS`` counts, estimated
    from the first slice.
    """
    import tempfile

    import pandas as pd

    check_int("max_df", max_df, minimum=2)
    check_int("min_shared", min_shared, minimum=1)
    if blocks is not None:
        check_int("blocks", blocks, minimum=1)
    empty = pd.DataFrame({"a": np.empty(0, np.int64), "b": np.empty(0, np.int64), "shared": np.empty(0, np.int64)})
    if n_docs == 0:
        return empty
    with tempfile.TemporaryDirectory(dir=spill) as folder:
        parts, edges = [], None
        for b, (h, d) in enumerate(slices):
            keys = _pair_keys(h, d, max_df, n_docs)
            if len(keys) == 0:
                continue
            u, c = np.unique(keys, return_counts=True)  # sorted, so each range is one slice of u
            del keys
            if edges is None:
                n_ranges = blocks or max(1, -(-len(u) * n_slices // _RANGE_KEYS))
                edges = u[(np.arange(1, n_ranges) * len(u)) // n_ranges]
                parts = [[] for _ in range(n_ranges)]
            cuts = np.searchsorted(u, edges)
            for k, (lo, hi) in enumerate(zip(np.r_[0, cuts], np.r_[cuts, len(u)])):
                if hi > lo:
                    path = f"{folder}/{b}-{k}.npy"
                    np.save(path, np.stack([u[lo:hi], c[lo:hi].astype(np.int64)]))
                    parts[k].append(path)
            del u, c
        found = []
        for paths in parts:
            if not paths:
                continue
            u, c = np.concatenate([np.load(p) for p in paths], axis=1)
            order = np.argsort(u, kind="stable")
            u, c = u[order], c[order]
            del order
            starts = np.flatnonzero(np.r_[True, u[1:] != u[:-1]])
            total = np.add.reduceat(c, starts)
            keep = total >= min_shared
            found.append((u[starts][keep], total[keep]))
            del u, c, starts, total, keep
    if not found:
        return empty
    keys = np.concatenate([k for k, _ in found])
    shared = np.concatenate([t for _, t in found])
    return pd.DataFrame({"a": keys // n_docs, "b": keys % n_docs, "shared": shared.astype(np.int64)})


def _pair_keys(h, d, max_df, n_docs):
    order = np.lexsort((d, h))
    h, d = h[order], d[order]
    if len(h) < 2:
        return np.empty(0, np.int64)
    starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]])
    sizes = np.diff(np.r_[starts, len(h)])
    keep = (sizes >= 2) & (sizes <= max_df)
    group = np.repeat(np.arange(len(starts)), sizes)
    rows = keep[group]
    h, d, group = h[rows], d[rows], group[rows]
    out = []
    # pairs (i, i + o) inside a group, one offset at a time: vectorised, at most max_df - 1 passes
    for o in range(1, int(sizes[keep].max(initial=1))):
        same = group[o:] == group[:-o]
        if not same.any():
            break
        out.append(d[:-o][same] * n_docs + d[o:][same])
    return np.concatenate(out) if out else np.empty(0, np.int64)
