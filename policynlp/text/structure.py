"""Split a policy document into its numbered hierarchy and into sentences.

Chinese official documents number their parts with a small set of markers:
第一章 / 第一节 / 第一条 in laws and regulations, and 一、 / （一） / 1. / （1） / ①
in notices, opinions and plans.  Which marker sits under which is not fixed, so
nesting is learnt from the order in which marker kinds first appear in each
document, as a reader would: a kind seen for the first time nests under the
current one, a kind seen before closes everything below it.  Sequence numbers
are recorded but never trusted, so duplicated or skipped numbering (common in
real texts) cannot derail the split.
"""

from __future__ import annotations

import bisect
import re
from collections import namedtuple

import pandas as pd

from .._types import StructureUnit, choices
from .._validation import check_choice

__all__ = ["parse_structure", "split_sentences", "MARKER_KINDS"]

_CN_NUM = "一二三四五六七八九十百零〇两"
#: Marker kinds recognised, in the order tried.
MARKER_KINDS = {
    "part": rf"第[{_CN_NUM}\d]+(?:编|部分)",
    "chapter": rf"第[{_CN_NUM}\d]+章",
    "section": rf"第[{_CN_NUM}\d]+节",
    "article": rf"第[{_CN_NUM}\d]+条",
    "cn": r"[一二三四五六七八九十]{1,3}、",
    "paren_cn": r"[（(][一二三四五六七八九十]{1,3}[）)]",
    "num": r"\d{1,2}[.．、](?![\d%])",
    "paren_num": r"[（(]\d{1,2}[）)]",
    "circled": r"[①-⑳]",
}
_MARKER = re.compile(
    r"(?:^|(?<=[\n。；;！!？?：:]))[ \t\u3000]*(?:#{1,6}[ \t]*)?(?P<marker>"
    + "|".join(f"(?P<{k}>{v})" for k, v in MARKER_KINDS.items())
    + r")"
)
_SENT_END = re.compile(r"[。！？!?；;]+[”’」』）)》]*|\n+")
_HEADING_END = re.compile(r"[。；;\n]")


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences at 。！？；(and ASCII ``!?;``) and line breaks.

    Closing quotes and brackets stay with the sentence they close.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of tuple (start, end, sentence)
        Character offsets into ``text``; ``text[start:end] == sentence``.

    Examples
    --------
    >>> split_sentences("推进智慧城市建设。加强“互联网+政务服务”！\\n完善标准；")
    [(0, 9, '推进智慧城市建设。'), (9, 22, '加强“互联网+政务服务”！'), (23, 28, '完善标准；')]
    """
    return _spans(text, [m.end() for m in _SENT_END.finditer(text)])


def _spans(text, cuts):
    out = []
    start = 0
    for end in sorted(set(cuts + [len(text)])):
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            s = start + lead
            out.append((s, s + len(stripped), stripped))
        start = end
    return out


def _units(text):
    """Yield (start, kind, marker) for each numbered unit in ``text``."""
    for m in _MARKER.finditer(text):
        kind = next(k for k in MARKER_KINDS if m.group(k) is not None)
        yield m.start("marker"), kind, m.group("marker")


_UNIT_COLUMNS = ["id", "unit", "level", "kind", "marker", "path", "heading", "start", "end", "text"]
_SENT_COLUMNS = ["id", "unit", "sentence", "level", "path", "start", "end", "text"]
_Clause = namedtuple("Clause", _UNIT_COLUMNS)
_Sentence = namedtuple("Sentence", _SENT_COLUMNS)


def parse_structure(text: str, *, doc_id: str = "", unit: StructureUnit = "clause") -> pd.DataFrame:
    """Split a document into numbered clauses, or into sentences tagged with their clause.

    Parameters
    ----------
    text : str
        The document text (normalised or not: offsets refer to this string).
    doc_id : str, default ""
        Written into the ``id`` column so tables of many documents can be
        concatenated.
    unit : {"clause", "sentence"}, default "clause"
        ``"clause"``: one row per numbered unit, from its marker to the next marker
        of any level (text before the first marker is unit 0, level 0).
        ``"sentence"``: one row per sentence, carrying the unit it belongs to;
        sentences are also cut where a unit starts.

    Returns
    -------
    pandas.DataFrame
        For clauses: ``id, unit, level, kind, marker, path, heading, start,
        end, text``; ``path`` joins the markers from the top level down with
        ``/`` (e.g. ``一、/（二）``); ``heading`` is the text after the marker up to
        the first 。；or line break, when that is short (≤ 40 characters).
        For sentences: ``id, unit, sentence, level, path, start, end, text``.

    Examples
    --------
    >>> t = "为推进建设，制定本意见。\\n一、总体要求\\n（一）指导思想。坚持创新。\\n（二）基本原则。\\n二、主要任务\\n1.完善设施。"
    >>> parse_structure(t)[["level", "path", "heading"]].values.tolist()
    [[0, '', ''], [1, '一、', '总体要求'], [2, '一、/（一）', '指导思想'], [2, '一、/（二）', '基本原则'], [1, '二、', '主要任务'], [2, '二、/1.', '完善设施']]
    >>> parse_structure(t, unit="sentence")[["path", "text"]].values.tolist()[2:4]
    [['一、/（一）', '（一）指导思想。'], ['一、/（一）', '坚持创新。']]
    """
    check_choice("unit", unit, choices(StructureUnit))
    return pd.DataFrame(_rows(text, doc_id, unit), columns=_UNIT_COLUMNS if unit == "clause" else _SENT_COLUMNS)


def structure_rows(text, *, doc_id="", unit="clause"):
    """:func:`parse_structure` as a list of named tuples (same fields): for loops over many documents.

    Building a DataFrame per document costs more than parsing it; code that
    walks the units of thousands of documents uses these rows instead.
    """
    check_choice("unit", unit, choices(StructureUnit))
    row = _Clause if unit == "clause" else _Sentence
    return [row._make(r) for r in _rows(text, doc_id, unit)]


def _rows(text, doc_id, unit):
    rows = []
    stack = []  # (kind, marker) of the units currently open, outermost first
    found = list(_units(text))
    first = found[0][0] if found else len(text)
    if text[:first].strip():
        rows.append([doc_id, 0, 0, "", "", "", "", 0, first])
    for i, (start, kind, marker) in enumerate(found):
        # A kind already open closes everything below it; a new kind nests below.
        depth = next((j for j, (k, _) in enumerate(stack) if k == kind), len(stack))
        stack = stack[:depth] + [(kind, marker)]
        end = found[i + 1][0] if i + 1 < len(found) else len(text)
        body = text[start + len(marker) : end]
        head = _HEADING_END.split(body.strip(), maxsplit=1)[0].strip()
        path = "/".join(m for _, m in stack)
        rows.append([doc_id, len(rows), depth + 1, kind, marker, path, head if len(head) <= 40 else "", start, end])
    clauses = [r + [text[r[7] : r[8]].strip()] for r in rows]
    if unit == "clause":
        return clauses
    starts = [c[7] for c in clauses]
    cuts = [m.end() for m in _SENT_END.finditer(text)] + starts
    out = []
    for s, e, sent in _spans(text, cuts):
        c = clauses[max(bisect.bisect_right(starts, s) - 1, 0)] if clauses else None
        out.append([doc_id, c[1], len(out), c[2], c[5], s, e, sent])
    return out
