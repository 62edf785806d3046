"""Document numbers (发文字号, 文号) such as 国发〔2013〕7号 or 国令第656号."""

from __future__ import annotations

import re
from typing import NamedTuple

from ..text.normalization import to_halfwidth

__all__ = ["DocNumber", "parse_doc_number", "find_doc_numbers", "header_doc_number", "garbled_doc_number",
           "DOCNO_PATTERN"]


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
    form : {"bracket", "decree", "announcement"}
        国发〔2013〕7号, 国务院令第708号, or 国家税务总局公告2015年第41号.
    """

    raw: str
    code: str
    year: int | None
    serial: int
    form: str = "bracket"

    @property
    def canonical(self):
        """The number in standard form, half-width digits and no spaces.

        ``code〔year〕serial号`` (bracket), ``code第serial号`` (decree: 国务院令第708号) or
        ``code year年第serial号`` (announcement: 国家税务总局公告2015年第41号).
        """
        if self.form == "announcement":
            return f"{self.code}{self.year}年第{self.serial}号"
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
    rf"|(?P<acode>[\u4e00-\u9fff]{{0,14}}公告)\s*(?P<ayear>(?:19|20|１９|２０)[{_DIGITS}]{{2}})\s*年\s*第\s*"
    rf"(?P<aserial>[{_DIGITS}]{{1,5}})\s*号"
)
_DOCNO = re.compile(DOCNO_PATTERN)
# The full pattern tries a code at every Chinese character; the bracketed year
# (or 令第) it needs is rare, so find those first and match only around them.
_ANCHOR = re.compile(
    rf"[{_OPEN}]\s*(?:19|20|１９|２０)[{_DIGITS}]{{2}}\s*[{_CLOSE}]|令\s*第\s*[{_DIGITS}]"
    rf"|公告\s*(?:19|20|１９|２０)[{_DIGITS}]{{2}}\s*年"
)
# Words that precede a number without belonging to its code.
_CODE_PREFIX = re.compile(r"^.*(?:文件|印发|发布|转发|根据|依据|按照|参照|见|的|号|以|厅函)")
# A truncated agency name glued before the code in run-on headers
# (…国家林业和草原局自然资发〔2022〕142号): cut after 局/厅/署/委 when a code follows.
_GLUED_BODY = re.compile(r"^.*?(?:[局厅署委]|政府)(?=[\u4e00-\u9fff]{2,}$)")


def _strip_code(code):
    code = _CODE_PREFIX.sub("", code) or code
    if len(code) > 2 and code[0] in "和及与或函":  # "…和国办发〔2016〕47号": the conjunction is not code
        code = code[1:]
    if len(code) > 4 and not code.endswith("令"):
        code = _cut_glued_agency(code)
    return code


def _cut_glued_agency(code):
    """Drop an agency name (or the tail of one) that a run-on header glued before the code."""
    from .agencies import load_agencies

    cut = 0
    for start, end, _, _ in load_agencies().find(code):
        rest = code[end:]
        # 工信部联节 / 工信部信管: a short alias opening the code is part of it.
        if len(rest) >= 2 and not rest.startswith("联") and not (start == 0 and end <= 3 and len(rest) <= 3):
            cut = end
        elif start > cut and code[cut:start].endswith(("部", "委", "局")):
            cut = start  # a truncated name right before a known one: 环境部|工信部联节
    code = code[cut:]
    m = _GLUED_BODY.match(code)
    return code[m.end():] if m else code


def _build(m):
    raw = m.group(0)
    if m.group("dcode") is not None:
        return DocNumber(raw, _strip_code(m.group("dcode")), None, int(to_halfwidth(m.group("dserial"))), "decree")
    if m.group("acode") is not None:
        return DocNumber(raw, _CODE_PREFIX.sub("", m.group("acode")) or m.group("acode"),
                         int(to_halfwidth(m.group("ayear"))), int(to_halfwidth(m.group("aserial"))), "announcement")
    return DocNumber(raw, _strip_code(m.group("code")), int(to_halfwidth(m.group("year"))),
                     int(to_halfwidth(m.group("serial"))))


def match_span(m):
    """Start, end and DocNumber of a :data:`DOCNO_PATTERN` match, leaving out words swept in before the code."""
    d = _build(m)
    start = m.start() + m.group(0).find(d.code)
    return start, m.end(), d


def parse_doc_number(value: str | None) -> DocNumber | None:
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
    DocNumber(raw='发改高技〔2014〕1770号', code='发改高技', year=2014, serial=1770, form='bracket')
    >>> parse_doc_number("国办发【２０１６】４７号").canonical
    '国办发〔2016〕47号'
    >>> parse_doc_number("国令第656号")
    DocNumber(raw='国令第656号', code='国令', year=None, serial=656, form='decree')
    >>> parse_doc_number("国家税务总局公告2015年第41号").canonical
    '国家税务总局公告2015年第41号'
    >>> parse_doc_number("省人民政府辽政发〔1987〕17号").code
    '辽政发'
    >>> parse_doc_number("其他 〔 2022 〕 86 号").canonical
    '其他〔2022〕86号'
    >>> parse_doc_number("无文号") is None
    True
    """
    if value is None:
        return None
    m = _DOCNO.search(str(value))
    return _build(m) if m else None


def iter_doc_number_matches(text):
    """Matches of :data:`DOCNO_PATTERN` in ``text``, found fast by anchoring on the bracketed year."""
    last = 0
    for a in _ANCHOR.finditer(text):
        if a.start() < last:
            continue
        m = _DOCNO.search(text, max(last, a.start() - 16), min(len(text), a.end() + 24))
        if m is not None and m.end() > last:
            last = m.end()
            yield m


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
    for m in iter_doc_number_matches(text):
        start, end, d = match_span(m)
        out.append((start, end, d._replace(raw=text[start:end])))
    return out


_CITED_VERB = re.compile(r"(?<![可所予加得难足])以\s*$")


def after_cited_title(text, start):
    """True when ``start`` stands in the bracket that follows a 《title》 (…《意见》（国发〔2013〕7号）): the cited document's."""
    before = text[max(0, start - 16) : start]
    bracket = max(before.rfind(b) for b in "（(【[")
    return (bracket >= 0 and not any(c in before[bracket:] for c in "）)】]，。；")
            and before[:bracket].rstrip().endswith("》"))


def _is_citation(window, start):
    """True when the number starting at ``start`` belongs to a cited document."""
    before = window[max(0, start - 16) : start]
    bracket = max(before.rfind(b) for b in "（(【[")
    if bracket >= 0 and not any(c in before[bracket:] for c in "）)】]，。；"):
        return after_cited_title(window, start)
    return bool(_CITED_VERB.search(before))


def header_doc_number(text, *, head=300):
    """The document's own number from its header, or ``None``.

    The first number in the first ``head`` characters that is not a citation of
    another document: numbers in brackets right after a 《title》 (…《意见》（国发〔2013〕7号）)
    belong to the cited document, and so do numbers after 以 (…以环审〔2016〕77号批复).

    Examples
    --------
    >>> header_doc_number("生态环境部文件 环督察〔2022〕58号 关于印发《意见》的通知")
    '环督察〔2022〕58号'
    >>> header_doc_number("为贯彻《指导意见》（中发〔2018〕16号），现通知如下") is None
    True
    """
    window = text[:head]
    for start, _, d in find_doc_numbers(window):
        if not _is_citation(window, start):
            return d.raw
    return None


_GARBLED = re.compile(rf"[\u4e00-\u9fff]{{1,8}}\s*[{_OPEN}]\s*(?:19|20)[{_DIGITS}]{{2}}\s*[{_CLOSE}]\s*号\s*[{_DIGITS}]{{1,5}}")


def garbled_doc_number(text, *, head=300):
    r"""A 文号 in the header whose serial stands after 号 (晋政发〔2014〕号16), or ``None``.

    Such a number cannot be parsed with confidence; it is reported, never repaired by guessing.

    Examples
    --------
    >>> garbled_doc_number("山西省人民政府文件\n晋政发〔2014〕号16\n关于……")
    '晋政发〔2014〕号16'
    """
    m = _GARBLED.search(text[:head])
    return None if m is None else re.sub(r"^.*(?:文件|印发|发布|转发)", "", m.group(0))
