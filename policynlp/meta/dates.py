"""Dates as they are written in Chinese policy texts, to ISO strings with their precision.

A date written to the month stays a month (``2014-08``), a year stays a year
(``2014``): precision is information a scholar needs when ordering policies.
"""

from __future__ import annotations

import calendar
import re
from typing import Any

from .._numerals import cn_to_int

__all__ = ["parse_date", "find_dates", "signature_date", "revision_dates", "record_spans"]

_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "o": 0, "一": 1, "二": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_D = "〇○零ＯOo一二三四五六七八九"


NUM_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:年\s*(?P<m1>\d{1,2})\s*月(?:\s*(?P<d1>\d{1,2})\s*[日号])?"
    r"|[-./](?P<m2>\d{1,2})(?:[-./](?P<d2>\d{1,2}))?(?![\d.])|年度?)"
)
CN_DATE = re.compile(
    rf"(?P<y>[{_CN_D}]{{4}})年(?:(?P<m>十[一二]?|[一二三四五六七八九])月(?:(?P<d>三十[一]?|二?十[一二三四五六七八九]?|[一二三四五六七八九])日)?)?"
)


def _iso(y, m=None, d=None):
    if m is None:
        return f"{y:04d}"
    if not 1 <= m <= 12:
        return None
    if d is None:
        return f"{y:04d}-{m:02d}"
    if not 1 <= d <= calendar.monthrange(y, m)[1]:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _from_match(m):
    g = m.groupdict()
    if "m1" in g:  # numeric
        y = int(g["y"])
        mo = g["m1"] or g["m2"]
        d = g["d1"] or g["d2"]
        return _iso(y, int(mo) if mo else None, int(d) if d else None)
    y = int("".join(str(_CN_DIGIT[c]) for c in g["y"]))
    mo = cn_to_int(g["m"]) if g["m"] else None
    d = cn_to_int(g["d"]) if g["d"] else None
    return _iso(y, mo, d)


def find_dates(text):
    """Find every date in ``text``.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of tuple (start, end, iso)
        Offsets of the date as written and its ISO form with the precision kept.

    Examples
    --------
    >>> find_dates("2014年8月27日印发，二〇一五年一月起施行，2016.7试行")
    [(0, 10, '2014-08-27'), (13, 20, '2015-01'), (24, 30, '2016-07')]
    """
    out = []
    for rx in (NUM_DATE, CN_DATE):
        for m in rx.finditer(text):
            iso = _from_match(m)
            if iso is not None:
                out.append((m.start(), m.end(), iso))
    out.sort()
    # Drop matches nested in an earlier one (cannot happen across the two
    # patterns in practice, but keep the result well-formed).
    kept = []
    for item in out:
        if not kept or item[0] >= kept[-1][1]:
            kept.append(item)
    return kept


def parse_date(value: Any) -> str | None:
    """Parse one date to an ISO string with its precision, or ``None``.

    Accepts 2014年8月27日, 2014年8月, 2014年, 二〇一四年八月二十七日, 2014-08-27,
    2014.8.27, 2014/8, 2014, and ``datetime.date`` / ``pandas.Timestamp`` objects.

    Parameters
    ----------
    value : str, int, date or None

    Returns
    -------
    str or None
        ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ``None`` when no valid date is found.

    Examples
    --------
    >>> [parse_date(s) for s in ["2014年8月27日", "2014年8月", "二〇一四年八月二十七日", "2014.8.27", "2014/8", "2014", "2014年13月"]]
    ['2014-08-27', '2014-08', '2014-08-27', '2014-08-27', '2014-08', '2014', None]
    """
    if value is None:
        return None
    if hasattr(value, "year") and hasattr(value, "month") and hasattr(value, "day"):
        return _iso(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool):
        return _iso(value) if 1000 <= value <= 2999 else None
    s = str(value).strip()
    if re.fullmatch(r"(?:19|20)\d{2}", s):
        return s
    found = find_dates(s)
    return found[0][2] if found else None


def signature_date(text, *, tail=200):
    """The date of the signature block (落款, 成文日期): the last date in the last ``tail`` characters.

    Official documents end with the issuing body and the date; a date elsewhere
    in the text is usually something else (a deadline, a cited document).

    Examples
    --------
    >>> signature_date("……请认真贯彻执行。\\n国家发展改革委\\n2014年8月27日\\n")
    '2014-08-27'
    >>> signature_date("到2020年建成一批智慧城市，……请认真贯彻执行。") is None
    True
    >>> signature_date("……执行期限为2019年1月1日至2023年12月31日。") is None  # a period, not the date
    True
    >>> signature_date("第四十条 本条例自2019年1月1日起施行。") is None  # entry into force
    True
    """
    window = text[-tail:]
    found = find_dates(window)
    if not found:
        return None
    start, end, iso = found[-1]
    # only a date that closes the text (up to a closing remark such as （此件公开发布）), and not the end
    # of a period or an entry into force: 执行期限为2019年1月1日至2023年12月31日, 自2019年1月1日起施行
    rest = window[end:].strip()
    if _PERIOD_BEFORE.search(window[max(0, start - 2):start]) or _PERIOD_AFTER.match(rest):
        return None
    return iso if len(rest) <= 30 and len(iso) >= 7 else None


_PERIOD_BEFORE = re.compile(r"[至到自于从起止]\s*$")
_PERIOD_AFTER = re.compile(r"(?:起|以前|之前|前|止|施行|实施|生效|执行|截止)")


# a header line that records a revision: "2018年9月6日 国务院第23次常务会议修订通过",
# "根据2011年1月8日《国务院关于废止和修改部分行政法规的决定》修订", "…令第707号第四次修订"
_REVISION_LINE = re.compile(r"^[^\n]{0,12}?(?P<date>(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)[^\n]{0,120}?(?:修订|修正)",
                            re.MULTILINE)


def _header(text, head):
    """The first ``head`` characters of ``text``, cut before its first chapter or article."""
    header = text[:head]
    first_article = re.search(r"(?:^|\n)\s*(?:#+\s*)?第[一二三四五六七八九十百零〇\d]+[章条]", header)
    return header[: first_article.start()] if first_article else header


def revision_dates(text, *, head=2000):
    """Dates of the revisions a regulation's header lists, in order (ISO strings).

    Only lines of the header (the first ``head`` characters, up to the first
    article) that start with a date and say 修订 or 修正 count: a revision
    mentioned in the body is not the document's.

    Examples
    --------
    >>> h = "2002年1月1日 中华人民共和国国务院令第1号公布\\n2010年1月9日 《国务院关于修改〈条例〉的决定》第一次修订\\n2018年9月6日 国务院第23次常务会议修订通过\\n第一条 ……2020年5月1日修订的标准"
    >>> revision_dates(h)
    ['2010-01-09', '2018-09-06']
    """
    out = []
    for m in _REVISION_LINE.finditer(_header(text, head)):
        iso = parse_date(m.group("date"))
        if iso:
            out.append(iso)
    return out


# a regulation's promulgation record: lines made of entries, each a full date, then (without a sentence's commas
# or stops) what happened on it — "2018年11月6日 中华人民共和国国务院令第706号公布", "根据2016年2月6日《国务院关于
# 修改部分行政法规的决定》第二次修订", "2019年3月1日 施行".  Checked entry by entry, not with one nested regex,
# so a long hostile line costs linear time.
_ENTRY_DATE = re.compile(r"(?:根据\s*)?(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_ENTRY_END = re.compile(r"(?:公布|发布|颁布|施行|实施|修订|修正|通过|批准|废止)$")
_SENTENCE_MARK = re.compile(r"[。，,；;：:]")
_BLANKS = " \t\u3000"


def _is_record_line(line):
    core = line.strip(_BLANKS).lstrip("（(").rstrip("）)").strip(_BLANKS)
    if not core or _SENTENCE_MARK.search(core):
        return False
    starts = [m.start() for m in _ENTRY_DATE.finditer(core)]
    if not starts or starts[0] != 0:
        return False
    entry = 0  # an entry runs from a date to a verb; a date inside it (…常务会议、2010年3月29日…修订) does not end it
    for end in starts[1:] + [len(core)]:
        if _ENTRY_END.search(core[entry:end].rstrip(_BLANKS)) is not None:
            if end - entry > 130:
                return False
            entry = end
    return entry == len(core)


def record_spans(text, *, head=2000):
    """Where the promulgation record in a document's header stands: ``[(start, end), ...]``.

    A regulation or rule opens with the record of its making — when it was
    adopted, promulgated by which order, revised by which decision, in force
    from when — on lines of their own or in one parenthesis under the title.
    Those lines are apparatus, not policy content: two regulations revised by
    the same 《国务院关于修改部分行政法规的决定》 share them word for word
    without one reusing the other.  Only whole lines made of record entries,
    before the first chapter or article, count; a preamble sentence that
    mentions a date and a 发布 is not one (it has commas and full stops).

    Examples
    --------
    >>> t = ("# 专利代理条例\\n\\n1991年3月4日 中华人民共和国国务院令第76号发布\\n\\n"
    ...      "（2018年11月6日中华人民共和国国务院令第706号公布　根据2020年3月27日《国务院关于修改和废止部分"
    ...      "行政法规的决定》修订）\\n\\n2019年3月1日 施行\\n\\n第一条 2019年3月1日以前发布的规定同时废止。")
    >>> [t[s:e] for s, e in record_spans(t)][0], len(record_spans(t))
    ('1991年3月4日 中华人民共和国国务院令第76号发布', 3)
    >>> record_spans("2018年6月，中共中央、国务院发布《关于全面加强生态环境保护的意见》，提出了目标。")
    []
    """
    return [m.span() for m in re.finditer(r"[^\n]+", _header(text, head)) if _is_record_line(m.group())]
