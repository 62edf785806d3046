"""``find_reuse``: the passages documents share, as a pairs table and a passages table, with direction from dates."""

from __future__ import annotations

import re
import tempfile
from collections import OrderedDict
from contextlib import ExitStack
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from .._documents import ids_texts
from .._progress import progress as bar
from .._types import Documents, PathLike
from .._validation import check_int
from ..cluster import map_partitions, partitions
from ..meta.dates import record_spans
from ..provenance import attach, provenance
from .align import align, prepare
from .shingles import FingerprintStore, fingerprint_block
from .texts import TextStore, parquet_path, read_parquet_texts

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["Reuse", "find_reuse", "default_max_df", "PAIR_COLUMNS", "PASSAGE_COLUMNS"]

PAIR_COLUMNS = ["source", "target", "directed", "basis", "source_date", "target_date", "lag_days", "passages",
                "shared_chars", "target_share", "source_share", "similarity"]
PASSAGE_COLUMNS = ["source", "target", "directed", "passage", "source_start", "source_end", "target_start",
                   "target_end", "chars", "similarity", "source_path", "target_path", "source_text", "target_text"]


class Reuse(NamedTuple):
    """What :func:`find_reuse` returns: ``pairs`` (one row per document pair) and ``passages`` (one per shared passage)."""

    pairs: pd.DataFrame
    passages: pd.DataFrame


def _dates(docs, ids):
    """Each document's date as written (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), ``""`` when unknown."""
    meta = None
    if hasattr(docs, "meta"):
        meta = docs.meta
    elif isinstance(docs, pd.DataFrame) and "date" in docs.columns:
        meta = docs.set_index(docs["id"].astype(str))
    if meta is None or "date" not in meta.columns:
        return ["" for _ in ids]
    col = meta["date"].fillna("").astype(str)
    return [col.get(i, "") for i in ids]


def _parts(date):
    """``(y, m, d)`` with ``None`` for what the date does not say, or ``None`` if it is not a date."""
    bits = str(date).strip()[:10].split("-")
    try:
        nums = [int(b) for b in bits if b]
    except ValueError:
        return None
    if not nums or not 1000 <= nums[0] <= 2999:
        return None
    return tuple(nums[:3]) + (None,) * (3 - len(nums[:3]))


def direction(date_a, date_b):
    """Which of two documents came first: ``(order, basis, lag_days)``.

    ``order`` is ``1`` if ``a`` is the source, ``-1`` if ``b`` is, ``0`` when
    the dates cannot tell (``basis`` says why: ``"same day"``, ``"same month"``,
    ``"same year"`` or ``"undated"``).  Dates are compared at the precision
    both give; ``lag_days`` is known only when both give the day.

    Examples
    --------
    >>> direction("2019-01-24", "2019-03-01")
    (1, 'date', 36)
    >>> direction("2019-05", "2019-03-01")
    (-1, 'date', None)
    >>> direction("2019-05-02", "2019-05-02"), direction("2019", ""), direction("2019-05", "2019-05-20")
    ((0, 'same day', 0), (0, 'undated', None), (0, 'same month', None))
    """
    pa, pb = _parts(date_a), _parts(date_b)
    if pa is None or pb is None:
        return 0, "undated", None
    for level in range(3):
        x, y = pa[level], pb[level]
        if x is None or y is None:  # the earlier parts were equal: the finer one is unknown on one side
            return 0, ("same year", "same month")[level - 1], None
        if x != y:
            lag = None
            if None not in pa and None not in pb:
                lag = (pd.Timestamp(*pb) - pd.Timestamp(*pa)).days
                return (1 if lag > 0 else -1), "date", abs(lag)
            return (1 if x < y else -1), "date", None
    return 0, "same day", 0


def _fingerprint_part(part, k, w):
    idx, texts = zip(*part)
    h, d = fingerprint_block(list(texts), k, w)
    return h, np.asarray(idx, dtype=np.int64)[d]


# texts kept prepared for alignment at once, in characters (a prepared text takes about 45 bytes a character)
_PREPARED_CHARS = 2_000_000
# candidate pairs per alignment task, per document of a fingerprinting task: a text is prepared once per task
_PAIRS_PER_DOC = 10


def _align_part(part, k, skip, min_chars, max_gap, max_drift, min_similarity, min_content_similarity):
    prepared, held = OrderedDict(), 0

    def prep(i, text):  # least recently used out first: a text in many candidate pairs is prepared once
        nonlocal held
        if i in prepared:
            prepared.move_to_end(i)
            return prepared[i]
        prepared[i] = p = prepare(text, k, skip=skip)
        held += len(text)
        while held > _PREPARED_CHARS and len(prepared) > 2:
            held -= len(prepared.popitem(last=False)[1].text)
        return p

    a, b, texts = part
    return [(x, y, align(prep(x, texts[x]), prep(y, texts[y]), k=k, min_chars=min_chars, max_gap=max_gap,
                         max_drift=max_drift, min_similarity=min_similarity,
                         min_content_similarity=min_content_similarity)) for x, y in zip(a.tolist(), b.tolist())]


def _align_tasks(a, b, compared, size):
    """Alignment tasks of ``size`` candidate pairs ``(a, b, texts)``, with each text the pairs name once."""
    for lo in range(0, len(a), size):
        pa, pb = a[lo : lo + size], b[lo : lo + size]
        yield pa, pb, {i: compared[i] for i in np.union1d(pa, pb).tolist()}


def _local_order(a, b, mean_chars):
    """Candidate pairs ``(a, b)`` in an order that keeps both texts of a pair among those recently prepared.

    Documents are cut into blocks of as many as half the prepared-text
    budget holds; pairs go block pair by block pair, so a task aligns the
    pairs between two blocks with each text prepared once, where the pairs in
    plain ``(a, b)`` order would send ``b`` all over the corpus.  The order
    of the work does not change the tables (they are sorted at the end).
    """
    block = max(1, int(_PREPARED_CHARS / 2 / max(1.0, mean_chars)))
    order = np.lexsort((b, a, b // block, a // block))
    return a[order], b[order]


def _path_at(rows, offset):
    path = ""
    for r in rows:
        if r.start <= offset:
            path = r.path
        else:
            break
    return path


def find_reuse(
    docs: Documents | PathLike,
    *,
    k: int = 7,
    w: int = 4,
    max_df: int | None = None,
    formula_df: int | None = None,
    min_shared: int = 5,
    min_chars: int = 50,
    min_similarity: float = 0.75,
    min_content_similarity: float = 0.5,
    max_gap: int = 40,
    max_drift: int = 25,
    client: Client | None = None,
    partition_size: int = 2000,
    progress: bool | None = False,
) -> Reuse:
    """Passages that documents share, with the direction of reuse from their dates.

    Candidate pairs come from winnowed character fingerprints
    (:mod:`policynlp.reuse.shingles`), never from comparing all pairs; each
    candidate is aligned (:func:`policynlp.reuse.align.align`) and kept when a
    passage of at least ``min_chars`` characters is shared.  A regulation's
    promulgation record (the dated 公布 / 修订 lines under its title) and markup
    comments are not compared: documents revised by one decision share them
    without reusing each other.

    Parameters
    ----------
    docs : Corpus, DataFrame, list of str, or path of a Parquet file
        A Corpus or a DataFrame with a ``date`` column gives direction; a list
        of texts gives undirected pairs.  A Parquet file with ``id``, ``text``
        and ``date`` columns (a corpus written by ``policynlp ingest`` or
        :meth:`Corpus.to_parquet <policynlp.Corpus.to_parquet>`) is streamed:
        its texts go to a file on disk and are read back as alignment needs
        them, so memory holds ids, dates and offsets but not the corpus
        (:mod:`policynlp.reuse.texts`).  Same result as the corpus in memory.
    k, w : int, default 7, 4
        Shingle length and winnowing window (any shared stretch of ``w + k - 1``
        = 10 characters without punctuation leaves a common fingerprint).
        Shorter shingles become set phrases in large corpora (a 5-character
        string is in more than 100 of 10,000 documents far more often than a
        7-character one), which costs recall; see the README's measurements.
    max_df : int, optional
        Fingerprints held by more documents do not make candidate pairs.
        Default: 100, or 0.2 % of the documents above 50,000 (a passage
        copied by a few hundred of 100,000 documents is diffusion, and the
        work of a candidate grows with the square of its fingerprints'
        documents).
    formula_df : int, optional
        Shingles held by more documents (as fingerprints) are formulas: they
        neither seed a passage nor count in its content similarity.  Default:
        ``max_df``, or 1 % of the documents when that is more.  A fixed count
        would turn, in a large corpus, every phrase of a common register into
        a formula and cost the recall measured in the README.
    min_shared : int, default 5
        Fingerprints two documents must share to be aligned.
    min_chars, min_similarity, min_content_similarity, max_gap, max_drift
        Passed to :func:`~policynlp.reuse.align.align`.
    client : distributed.Client, optional
        Fingerprints and alignments run on the cluster (same result).
    partition_size : int, default 2000
        Documents per fingerprinting task; an alignment task takes ten times
        as many candidate pairs.
    progress : bool or None, default False
        A progress bar over the aligned candidate pairs (``None``: when on a terminal).

    Returns
    -------
    Reuse
        ``pairs``: ``source, target, directed, basis, source_date, target_date,
        lag_days, passages, shared_chars, target_share, source_share,
        similarity`` — ``source`` is the earlier document when ``directed``;
        otherwise the two ids in sorted order and ``basis`` says why the dates
        cannot tell.  ``shared_chars`` counts the target's characters inside
        reused passages; ``target_share`` is their share of the target (how
        much of the adopter is the source), ``source_share`` the share of the
        source that reached the target.  ``passages``: one row per passage,
        with offsets into both texts, the clause path (``一、/（二）``) where it
        starts on each side, and both texts.

    Examples
    --------
    >>> src = "各地要加快推进生态环境分区管控，到2025年全域覆盖、精准科学的生态环境分区管控体系初步形成，为生态环境高水平保护提供有力支撑。"
    >>> docs = pd.DataFrame({"id": ["central", "province"], "date": ["2024-03-06", "2024-08-01"],
    ...                      "text": [src, "为贯彻落实中央部署，结合我省实际，制定本方案。" + src.replace("各地", "各市")]})
    >>> r = find_reuse(docs)
    >>> r.pairs[["source", "target", "directed", "lag_days", "shared_chars"]].values.tolist()
    [['central', 'province', True, 148, 62]]
    """
    for name, value in (("k", k), ("w", w), ("min_chars", min_chars), ("partition_size", partition_size)):
        check_int(name, value, minimum=1)
    with tempfile.TemporaryDirectory(prefix="policynlp-reuse-") as folder, ExitStack() as open_files:
        folder = Path(folder)
        path = parquet_path(docs)
        if path is not None:  # streamed: the texts wait on disk, memory holds ids, dates and offsets
            ids, dates, texts, compared = read_parquet_texts(path, folder, _compared, batch_size=partition_size)
            open_files.callback(texts.close)
            open_files.callback(compared.close)
        else:
            ids, texts = ids_texts(docs, one_text_hint="reuse needs at least two documents: pass a list of texts")
            dates = _dates(docs, ids)
            compared = [_compared(i, t) for i, t in enumerate(texts)]
        max_df = default_max_df(len(texts)) if max_df is None else check_int("max_df", max_df, minimum=2)
        formula_df = (max(max_df, len(texts) // 100) if formula_df is None
                      else check_int("formula_df", formula_df, minimum=2))
        # fingerprints go to disk partition by partition: memory never holds the whole corpus's
        store = FingerprintStore(folder, len(texts))
        for hashes, owners in map_partitions(_fingerprint_part, partitions(enumerate(compared), partition_size), k, w,
                                             client=client):
            store.add(hashes, owners)
        cands, skip = store.index(max_df=max_df, min_shared=min_shared, formula_df=formula_df)
        chars = compared.chars if isinstance(compared, TextStore) else sum(map(len, compared))
        a, b = _local_order(cands["a"].to_numpy(), cands["b"].to_numpy(), chars / max(1, len(compared)))
        found = []
        with bar(total=len(cands), progress=progress, desc="reuse: aligning", unit="pair") as shown:
            tasks = _align_tasks(a, b, compared, _PAIRS_PER_DOC * partition_size)
            for part in map_partitions(_align_part, tasks, k, skip, min_chars, max_gap, max_drift, min_similarity,
                                       min_content_similarity, client=client):
                found.extend(part)
                shown.update(len(part))
        pairs, passages = _tables(found, ids, texts, dates)
    params = {"k": k, "w": w, "max_df": max_df, "formula_df": formula_df, "min_shared": min_shared, "min_chars": min_chars,
              "min_similarity": min_similarity, "min_content_similarity": min_content_similarity, "max_gap": max_gap, "max_drift": max_drift}
    meta = provenance("reuse.find_reuse", params)
    return Reuse(attach(pairs, meta), attach(passages, meta))


_MARKUP = re.compile(r"<!--.*?-->", re.DOTALL)


def _compared(i, text):
    """The text of document ``i`` as it is compared: :func:`_without_apparatus` with the document's own barrier."""
    # per-document barriers from the Private Use Area: two documents' barriers differ unless their positions are
    # 6,400 apart, and then both blanked stretches must also stand at the same place in a shared passage
    return _without_apparatus(text, chr(0xE000 + i % 6400))


def _without_apparatus(text, barrier):
    """``text`` with what is not policy content blanked out, offsets unchanged.

    Blanked: the promulgation record under a regulation's title
    (:func:`policynlp.meta.dates.record_spans` — regulations revised by the
    same decision share those lines without reusing each other) and markup
    comments a corpus may carry (``<!-- INFO END -->``).  A blanked stretch
    becomes a run of ``barrier`` (a private-use character, one per document)
    as long as the stretch: it seeds nothing (a shingle repeated in a text
    never seeds), matches nothing in another document, and keeps the text
    above it and the text below it as far apart as they were, so the title
    over a regulation's record and its first article under it are not
    chained into one passage.
    """
    for s, e in [m.span() for m in _MARKUP.finditer(text)] + record_spans(text):
        text = text[:s] + barrier * (e - s) + text[e:]
    return text


def default_max_df(n_docs):
    """``find_reuse``'s default ``max_df`` for a corpus of ``n_docs``: 100, or 0.2 % of the documents above 50,000."""
    return max(100, n_docs // 500)


def _coverage(spans, length):
    mask = np.zeros(length, dtype=bool)
    for s, e in spans:
        mask[s:e] = True
    return int(mask.sum())


def _tables(found, ids, texts, dates):  # noqa: C901 - one pass turning alignments into the two tables
    from ..text.structure import structure_rows

    @lru_cache(maxsize=1024)  # bounded: a streamed corpus reads each text again rather than keeping them all
    def structure(i):
        return structure_rows(texts[i])

    pair_rows, passage_rows = [], []
    for a, b, spans in found:
        if not spans:
            continue
        order, basis, lag = direction(dates[a], dates[b])
        src, tgt = a, b
        if order == -1 or (order == 0 and ids[a] > ids[b]):  # the source first; undirected pairs in id order
            src, tgt = b, a
            spans = [(c, d, x, y, s) for x, y, c, d, s in spans]
        directed = order != 0
        spans = sorted(spans, key=lambda s: (s[2], s[0]))
        text_s, text_t = texts[src], texts[tgt]
        t_cov = _coverage([(s[2], s[3]) for s in spans], len(text_t))
        s_cov = _coverage([(s[0], s[1]) for s in spans], len(text_s))
        weights = np.array([s[3] - s[2] for s in spans], dtype=float)
        sims = np.array([s[4] for s in spans])
        pair_rows.append([ids[src], ids[tgt], directed, basis, dates[src], dates[tgt],
                          lag if directed or basis == "same day" else None, len(spans), t_cov,
                          round(t_cov / max(1, len(text_t)), 4), round(s_cov / max(1, len(text_s)), 4),
                          round(float((weights * sims).sum() / weights.sum()), 4)])
        for n, (s0, s1, t0, t1, sim) in enumerate(spans, 1):
            passage_rows.append([ids[src], ids[tgt], directed, n, s0, s1, t0, t1, t1 - t0, sim,
                                 _path_at(structure(src), s0), _path_at(structure(tgt), t0), text_s[s0:s1],
                                 text_t[t0:t1]])
    pairs = pd.DataFrame(pair_rows, columns=PAIR_COLUMNS)
    pairs["lag_days"] = pairs["lag_days"].astype("Int64")
    pairs = pairs.sort_values(["shared_chars", "source", "target"], ascending=[False, True, True], kind="mergesort")
    passages = pd.DataFrame(passage_rows, columns=PASSAGE_COLUMNS)
    passages = passages.sort_values(["source", "target", "passage"], kind="mergesort")
    return pairs.reset_index(drop=True), passages.reset_index(drop=True)

