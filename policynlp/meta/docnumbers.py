"""Document numbers (发文字号, 文号) such as 国发〔2013〕7号 or 国令第656号."""

from __future__ import annotations

import re
from typing import NamedTuple

from ..text.normalization import to_halfwidth

__all__ = ["DocNumber", "parse_doc_number", "find_doc_numbers", "DOCNO_PATTERN"]


class DocNumber(NamedTuple):
    """A parsed document number.

    Attributes
    ----------
    raw : str
        As written.
    code : str
        The issuer's code (机关代字), e.g. ``国发``, ``发改高技``, ``国令``.
    year : int or None
        The year in brackets; ``None`` for decree numbers such as 国令第656号.
    serial : int
        The serial number.
    """

    raw: str
    code: str
    year: int | None
    serial: int

    @property
    def canonical(self):
        """The number in standard form: ``code〔year〕serial号`` or ``code第serial号``."""
        if self.year is None:
            return f"{self.code}第{self.serial}号"
        return f"{self.code}〔{self.year}〕{self.serial}号"


_OPEN = re.escape("〔[【［(（")
_CLOSE = re.escape("〕]】］)）")
_DIGITS = "0-9０-９"
# Code: 1–8 Chinese characters (国发, 国办发, 发改高技, 建办科, 环督察, 工信部联信软),
# with a leading 文件 / verb cut off afterwards; year: four digits in any bracket;
# serial: digits, optional 第, then 号.  Decrees: …令第N号.
DOCNO_PATTERN = (
    rf"(?P<code>[\u4e00-\u9fff]{{1,8}})\s*[{_OPEN}]\s*(?P<year>(?:19|20|１９|２０)[{_DIGITS}]{{2}})\s*[{_CLOSE}]"
    rf"\s*第?\s*(?P<serial>[{_DIGITS}]{{1,5}})\s*号"
    rf"|(?P<dcode>[\u4e00-\u9fff]{{0,14}}令)\s*第\s*(?P<dserial>[{_DIGITS}]{{1,5}})\s*号"
)
_DOCNO = re.compile(DOCNO_PATTERN)
# Words that precede a number without belonging to its code.
_CODE_PREFIX = re.compile(r"^.*(?:文件|印发|发布|转发|根据|依据|按照|参照|见|的|号)")


def _build(m):
    raw = m.group(0)
    if m.group("dcode") is not None:
        code = m.group("dcode")
        code = _CODE_PREFIX.sub("", code) or code
        return DocNumber(raw, code, None, int(to_halfwidth(m.group("dserial"))))
    code = _CODE_PREFIX.sub("", m.group("code")) or m.group("code")
    if len(code) > 2 and code[0] in "和及与或":  # "…和国办发〔2016〕47号": the conjunction is not code
        code = code[1:]
    return DocNumber(raw, code, int(to_halfwidth(m.group("year"))), int(to_halfwidth(m.group("serial"))))


def parse_doc_number(value):
    """Parse a document number, or return ``None`` when ``value`` holds none.

    Brackets 〔〕 [ ] 【】 ［］ ( ) （） and full-width digits are accepted.

    Parameters
    ----------
    value : str

    Returns
    -------
    DocNumber or None

    Examples
    --------
    >>> parse_doc_number("发改高技〔2014〕1770号")
    DocNumber(raw='发改高技〔2014〕1770号', code='发改高技', year=2014, serial=1770)
    >>> parse_doc_number("国办发【２０１６】４７号").canonical
    '国办发〔2016〕47号'
    >>> parse_doc_number("国令第656号")
    DocNumber(raw='国令第656号', code='国令', year=None, serial=656)
    >>> parse_doc_number("无文号") is None
    True
    """
    if value is None:
        return None
    m = _DOCNO.search(str(value))
    return _build(m) if m else None


def find_doc_numbers(text):
    """Find every document number in ``text``.

    Returns
    -------
    list of tuple (start, end, DocNumber)
        ``start`` points at the code's first character after any leading verb
        (印发, 转发 …) has been left out.

    Examples
    --------
    >>> [(d.canonical) for _, _, d in find_doc_numbers("国务院印发《意见》（国发[2013]7号）和国办发(2016)47号")]
    ['国发〔2013〕7号', '国办发〔2016〕47号']
    """
    out = []
    for m in _DOCNO.finditer(text):
        d = _build(m)
        start = m.end() - len(m.group(0)) + m.group(0).find(d.code)
        out.append((start, m.end(), d._replace(raw=text[start : m.end()])))
    return out
