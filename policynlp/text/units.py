"""Units of analysis: a document cut into paragraphs, clauses or sentences.

Long policy documents mix many subjects (a five-year plan has a section on
each sector), so topic models fitted on whole documents blur their topics;
studies of Chinese policy texts fit them on paragraphs instead.  A unit here
is a span of the document text with its offsets and the numbered clause it
sits in, so every result on units can be read back in the document.

- ``paragraph``: the document's own layout.  Lines broken inside a sentence
  (hard-wrapped pages and PDF extractions) are rejoined, by the rule of
  :func:`~policynlp.text.join_broken_lines`; blank lines always separate.
- ``clause``: the numbered units of :func:`~policynlp.text.parse_structure`.
- ``sentence``: sentences (at 。！？；), never cut by a wrapped line, always by a paragraph end.
- ``document``: the whole text, one unit.

Many pages lose their layout on the way to a corpus (one long line per
document).  A paragraph longer than ``max_chars`` is therefore cut where a
numbered clause starts inside it, and a piece still too long is cut between
sentences into runs of at most ``max_chars`` characters: paragraph-sized
units whether or not the line breaks survived.

A unit shorter than ``min_chars`` (a heading such as 一、总体要求, a signature
line) is merged into the unit after it, or into the one before it at the end
of a document, so that headings stay with the text they head.
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

import pandas as pd

from .._documents import ids_texts
from .._types import Documents, UnitKind, choices
from .._validation import check_choice, check_int
from .normalization import continues_line
from .structure import split_sentences, structure_rows

__all__ = ["UNITS", "Unit", "split_units", "units_frame", "choose_unit", "LONG_DOCUMENT"]

#: The units of analysis, from the largest to the smallest.
UNITS = choices(UnitKind)
#: Median document length (characters) from which ``choose_unit`` picks paragraphs.
LONG_DOCUMENT = 2500
_COLUMNS = ["id", "document", "unit", "path", "start", "end", "text"]
_SENTENCE_END = re.compile(r"[。！？!?；;]+[”’」』）)》]*")
_HEADING = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇\d]+[编章节]|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、])"
    r"[^。；;！!？?]{0,40}$"
)


class Unit(NamedTuple):
    """A span of a document: ``text == document_text[start:end]``; ``path`` is its clause (``一、/（二）``)."""

    start: int
    end: int
    path: str
    text: str


def _paragraph_spans(text):
    spans, pos, prev = [], 0, ""
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            prev = ""
        elif spans and prev and continues_line(prev, stripped):
            spans[-1][1] = pos + len(line.rstrip())
            prev = stripped
        else:
            lead = len(line) - len(line.lstrip())
            spans.append([pos + lead, pos + len(line.rstrip())])
            prev = stripped
        pos += len(line) + 1
    return spans


def _split_long(text, spans, max_chars, clause_starts):
    """Cut spans longer than ``max_chars`` at clause starts, then between sentences."""
    out = []
    for s, e in spans:
        if e - s <= max_chars:
            out.append([s, e])
            continue
        cuts = [s] + [c for c in clause_starts if s < c < e] + [e]
        for a, b in zip(cuts, cuts[1:]):
            if b - a <= max_chars:
                out.append([a, b])
                continue
            run = None
            for ss, se, _ in split_sentences(text[a:b]):
                if run is not None and a + se - run[0] > max_chars:
                    out.append(run)
                    run = None
                run = [a + ss, a + se] if run is None else [run[0], a + se]
            if run is not None:
                out.append(run)
    return out


def _sentence_spans(text, paragraphs):
    """Sentences inside each paragraph: wrapped lines do not cut a sentence, paragraph ends do."""
    out = []
    for s, e in paragraphs:
        cuts = [m.end() for m in _SENTENCE_END.finditer(text, s, e)]
        for a, b in zip([s] + cuts, cuts + [e]):
            if text[a:b].strip():
                out.append([a, b])
    return out


def _merge_short(text, spans, min_chars):
    """Merge short spans and bare headings (一、总体要求) into the next span (the last one into the one before it)."""
    out, pending = [], None
    for s, e in spans:
        if pending is not None:
            s, pending = pending, None
        if e - s < min_chars or _HEADING.match(text[s:e].strip()):
            pending = s
            continue
        out.append([s, e])
    if pending is not None:
        if out:
            out[-1][1] = spans[-1][1]
        else:
            out.append([pending, spans[-1][1]])
    return out


def split_units(text, unit="paragraph", *, min_chars=20, max_chars=1000):
    """Cut one document into units of analysis.

    Parameters
    ----------
    text : str
    unit : {"document", "paragraph", "clause", "sentence"}, default "paragraph"
    min_chars : int, default 20
        Shorter units are merged into the next one (headings stay with their text).
    max_chars : int, default 1000
        Longer paragraphs are cut at clause starts, then between sentences (pages
        that lost their line breaks); not used for other units.

    Returns
    -------
    list of Unit
        ``(start, end, path, text)`` with ``text == text[start:end]``, in order;
        empty for a text with no visible characters.

    Examples
    --------
    >>> t = "一、总体要求\\n为推进新型智慧城市建设，提升城市治理能力，\\n制定本方案。\\n\\n二、重点任务\\n（一）建设城市数据平台，推进政务数据共享开放。"
    >>> [(u.path, u.text) for u in split_units(t)]
    [('一、', '一、总体要求\\n为推进新型智慧城市建设，提升城市治理能力，\\n制定本方案。'), ('二、', '二、重点任务\\n（一）建设城市数据平台，推进政务数据共享开放。')]
    >>> [u.text[:6] for u in split_units(t, "sentence", min_chars=1)]
    ['一、总体要求', '二、重点任务']
    """
    check_choice("unit", unit, UNITS)
    check_int("min_chars", min_chars, minimum=1)
    check_int("max_chars", max_chars, minimum=min_chars)
    if not text.strip():
        return []
    clauses = structure_rows(text) if unit != "document" else []
    starts = [c.start for c in clauses]
    if unit == "document":
        spans = [[0, len(text)]]
    elif unit == "paragraph":
        spans = _split_long(text, _paragraph_spans(text), max_chars, starts)
    elif unit == "clause":
        spans = [[c.start, c.end] for c in clauses if text[c.start : c.end].strip()]
    else:
        spans = _sentence_spans(text, _paragraph_spans(text))
    spans = _merge_short(text, spans, min_chars) if unit != "document" else spans
    out = []
    for s, e in spans:
        piece = text[s:e]
        s += len(piece) - len(piece.lstrip())
        e = s + len(piece.strip())
        i = bisect.bisect_right(starts, s) - 1
        out.append(Unit(s, e, clauses[i].path if i >= 0 else "", text[s:e]))
    return out


def choose_unit(texts):
    """The unit a topic model should read: ``"paragraph"`` for long documents, else ``"document"``.

    Measured on two real corpora (README, "Topics: the unit of analysis"):
    on State Council regulations (median 4,053 characters, one subject per
    chapter) paragraph models reach a higher c_v than document models
    (0.48 against 0.42); on Ministry of Ecology and Environment notices
    (median 1,008 characters, mostly one subject each) documents do better
    (0.63 against 0.61).  The switch is the median length
    :data:`LONG_DOCUMENT` (2,500 characters), between the two.  Fewer than
    five documents cannot carry a topic model of their own: their paragraphs can.

    Examples
    --------
    >>> choose_unit(["短文"] * 5), choose_unit(["长" * 3000] * 5), choose_unit(["短文"])
    ('document', 'paragraph', 'paragraph')
    """
    lengths = sorted(len(t) for t in texts)
    if not lengths:
        return "document"
    if len(lengths) < 5:
        return "paragraph"
    mid = len(lengths) // 2
    median = lengths[mid] if len(lengths) % 2 else (lengths[mid - 1] + lengths[mid]) / 2
    return "paragraph" if median >= LONG_DOCUMENT else "document"


def units_frame(
    docs: Documents,
    unit: UnitKind = "paragraph",
    *,
    min_chars: int = 20,
    max_chars: int = 1000,
) -> pd.DataFrame:
    """The units of every document of a corpus, one row per unit.

    Parameters
    ----------
    docs : Corpus, DataFrame with ``id`` and ``text``, or list of str
    unit : {"document", "paragraph", "clause", "sentence"}, default "paragraph"
    min_chars, max_chars : int, default 20, 1000
        As in :func:`split_units`.

    Returns
    -------
    pandas.DataFrame
        ``id`` (``<document id>#<n>``, n from 1; the document id itself for
        ``unit="document"``), ``document``, ``unit`` (n), ``path``, ``start``,
        ``end``, ``text``, in document order.  Pass it to
        :meth:`policynlp.Segmenter.segment` to get unit tokens that topic
        models aggregate back to documents.

    Examples
    --------
    >>> units_frame(["第一条 为了规范政府信息公开工作，制定本条例。第二条 本条例适用于各级行政机关。"], "clause", min_chars=5)[["id", "path"]].values.tolist()
    [['0#1', '第一条'], ['0#2', '第二条']]
    """
    ids, texts = _ids_texts(docs)
    rows = []
    for doc, text in zip(ids, texts):
        for n, u in enumerate(split_units(text, unit, min_chars=min_chars, max_chars=max_chars), start=1):
            rows.append((doc if unit == "document" else f"{doc}#{n}", doc, n, u.path, u.start, u.end, u.text))
    return pd.DataFrame(rows, columns=_COLUMNS)


def _ids_texts(docs):
    return ids_texts(docs, one_text_hint="use split_units(text) for one text, or pass a list")
