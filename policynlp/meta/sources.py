"""Issuers read from the document itself: its title, header, signature block and 文号.

A Chinese government document names its issuer several times: in the title
(国务院办公厅关于…), in the header mark (…文件) and the decree line (…令第N号),
in the signature block (国务院办公厅\u3000中央军委办公厅 / 2019年1月24日), which may
stand before an attachment rather than at the end, and in the code of its 文号
(国办发〔2019〕4号).  :func:`infer_issuers` reads each source, keeps what each
says, takes the issuers from the most explicit one, and flags sources that
disagree instead of choosing silently.
"""

import re
from dataclasses import dataclass, field

from .agencies import load_agencies, parse_issuers
from .codes import local_body, resolve_code
from .dates import find_dates
from .docnumbers import after_cited_title, header_doc_number, parse_doc_number

__all__ = ["IssuerEvidence", "infer_issuers", "same_body", "SOURCES"]

#: The sources in the order their issuers are preferred.
SOURCES = ("title", "header", "signature", "doc_number", "doc_type")
# A national 条例 (no place name before it, not a Party regulation) is an administrative regulation,
# which only the State Council makes (Legislation Law art. 72; ministries' rules may not be called 条例):
# the last resort for regulation pages that carry no header at all.
_REGULATION = re.compile(r"条例(?:实施细则|实施办法)?(?:[（(](?:试行|暂行)[)）])?$")
_NOT_STATE_COUNCIL = re.compile(r"^(?:中国共产党|中共|(?!城市)[\u4e00-\u9fff]{2,6}?(?:市|自治州|县|经济特区))")


@dataclass(frozen=True)
class IssuerEvidence:
    """Issuers inferred from a document, with where they came from.

    Attributes
    ----------
    issuers : tuple of str
        Canonical names, lead first; local bodies outside the registry are
        kept in full (广东省人民政府办公厅).
    source : str
        The source the issuers were taken from (one of :data:`SOURCES`), or ``""``.
    by_source : dict
        What each source said: ``{source: tuple of names}``.
    conflicts : tuple of str
        Human-readable disagreements between sources on the lead issuer.
    region, level : str
        From a local body or the 文号 code, when any says.
    signature_date : str or None
        The ISO date of the signature block, wherever it stands (before an
        attachment too); ``None`` without one.
    header_date : str or None
        The date of the header's decree, promulgation or adoption line
        (1996年10月3日 交通部令第8号发布; 已于2020年12月25日由…部务会议审议通过).
    """

    issuers: tuple = ()
    source: str = ""
    by_source: dict = field(default_factory=dict)
    conflicts: tuple = ()
    region: str = ""
    level: str = ""
    signature_date: str | None = None
    header_date: str | None = None


_TITLE_HEAD = re.compile(r"^(?P<who>.{2,80}?)(?:关于|转发|印发)")
_TITLE_ON = re.compile(r"^(?P<who>[\u4e00-\u9fff、]{2,40}?)对(?!外|内|于)")
_HEADER_MARK = re.compile(r"^\s*(?P<who>[^。；：，\n]{2,300}?)\s*文件")
_DECREE = re.compile(r"(?P<who>[\u4e00-\u9fff、]{2,60}?)(?:令\s*[（(]?\s*第\s*[0-9０-９]{1,5}\s*号|第\s*[0-9０-９]{1,5}\s*号令)")
# 1983年9月20日 国务院发布 / 1986年12月25日 公安部公布: the promulgation line of a regulation's header
_PROMULGATED = re.compile(r"(?:^|[\s\u3000])(?P<who>[\u4e00-\u9fff、][\u4e00-\u9fff、 \u3000]{1,60}?)(?:令\s*第\s*[0-9０-９]{1,5}\s*号)?(?:发布|公布)(?:[\s\u3000]|$)",
                          re.M)
# …已于2020年12月25日由生态环境部部务会议审议通过，现予公布: a decree adopted by the body's meeting
# (or a record line: 2021年11月16日 国家互联网信息办公室2021年第20次室务会议审议通过)
_ADOPTED = re.compile(r"(?:由|经|^|[\s\u3000])(?P<who>[\u4e00-\u9fff、]{2,40}?)(?:[0-9]{4}年)?(?:第[一二三四五六七八九十百零〇0-9]+次)?"
                      r"(?:部务|局务|委务|署务|室务|办务|厅务|常务|主任办公|全体)会议(?:审议)?通过", re.M)
# 1989年5月11日 国务院批准: the approving body, when the header names no other (older regulations issued with
# the State Council's approval and no named issuer)
_APPROVED = re.compile(r"(?:^|[\s\u3000])(?P<who>[\u4e00-\u9fff、]{2,30}?)批准(?:[\s\u3000]|$)", re.M)
# A line (or run-on stretch) of body names right before a full date: the signature block.
_SIG_BREAK = re.compile(r"[。；：！？!?;:\n]|[，,](?=[^，,]{0,3}$)")
_AFTER_PRINT = re.compile(r"^\s*(?:印发|印制|发布|起施行|施行|通过|签发)")
_LOCAL_NAME = re.compile(r"(?:[\u4e00-\u9fff]{2,20}?(?:省|自治区|市|州|县|区|旗))[\u4e00-\u9fff]{0,12}?"
                         r"(?:人民政府(?:办公厅|办公室)?|党委(?:办公厅)?|[\u4e00-\u9fff]{1,10}?(?:厅|局|委员会|委|办公室))")


def _bodies(text, registry, year):
    """Canonical registry names and full local body names in ``text``, with the :class:`IssuerParse` of it."""
    parsed = parse_issuers(text, registry, year=year)
    names = list(parsed.issuers)
    for u in parsed.unknown:
        m = _LOCAL_NAME.fullmatch(u)
        if m and u not in names:
            names.append(u)
    return tuple(names), parsed


def _from_title(title, registry, year):
    m = _TITLE_HEAD.match(title.strip())
    if not m:
        # 公安部对部分刀具实行管制的暂行规定: a body's rule on something, when what precedes 对 is only body names
        m = _TITLE_ON.match(title.strip())
        return _signature_names(m.group("who"), registry, year) if m else ()
    who = m.group("who")
    if "《" in who or len(who) > 60:
        return ()
    names, _ = _bodies(who, registry, year)
    return names


def _date_before(head, start, window=30):
    """The last full date in the ``window`` characters before ``start`` (the date of a decree or adoption line)."""
    found = [iso for _, _, iso in find_dates(head[max(0, start - window):start]) if len(iso) == 10]
    return found[-1] if found else None


# 部长黄润秋\n2023年1月18日: the head of the body signs the decree that promulgates what its meeting adopted
_SIGNER = re.compile(r"(?:部长|局长|署长|主任|总理|主席|省长|市长|州长|县长|区长|行长)[\s\u3000]*[\u4e00-\u9fff·]{2,5}?[\s\u3000]*"
                     r"(?=(?:19|20)\d{2}\s*年)")


def _cited(text, start):
    """True when a name at ``start`` stands in a citing parenthesis after a title (》（…) or inside 《…》."""
    return after_cited_title(text, start) or text.rfind("《", 0, start) > text.rfind("》", 0, start)


def _from_header(text, registry, year):
    """``(bodies, date)`` from the header: a decree, promulgation or adoption line, else the issuing-body mark.

    For a decree adopted by a meeting and then signed, the date is the
    signing (promulgation) date when the signer's line follows, not the
    meeting's.
    """
    head = text[:400]
    for rx, span in ((_DECREE, 300), (_PROMULGATED, 300), (_ADOPTED, 400), (_APPROVED, 300)):
        # 根据《全国年节及纪念日放假办法》（国务院令第513号）: a decree the text cites is not its own
        m = next((m for m in rx.finditer(head[:span]) if not _cited(head, m.start("who"))), None)
        if m:
            names, _ = _bodies(m.group("who"), registry, year)
            if names:
                signer = _SIGNER.search(text, m.end(), m.end() + 150) if rx is _ADOPTED else None
                if signer is not None:
                    found = [iso for s, _, iso in find_dates(text[signer.end():signer.end() + 20]) if s == 0]
                    if found and len(found[0]) == 10:
                        return names, found[0]
                return names, _date_before(head, m.start("who"))
    m = _HEADER_MARK.match(head)
    if m and len(m.group("who")) <= 300:
        names, _ = _bodies(m.group("who"), registry, year)
        return names, None
    return (), None


_SEP = " \u3000\t、，,和及与"
_LOCAL_TAIL = re.compile(_LOCAL_NAME.pattern + r"$")


def _trailing_bodies(stretch, registry, year):
    """The run of body names that ends ``stretch`` (flattened pages glue the signature to the text before it)."""
    names = []
    pos = len(stretch.rstrip(_SEP))
    mentions = registry.find(stretch, year)
    while pos > 0:
        head = stretch[:pos]
        office = re.search(r"(?:办公厅|办公室)$", head)
        end = pos - (len(office.group(0)) if office else 0)
        hit = next((m for m in reversed(mentions) if m[1] == end), None)
        if hit is not None:
            start, canon = hit[0], hit[3]
            name = canon + office.group(0) if office and not canon.endswith(("办公厅", "办公室")) else canon
            if office and name not in registry:
                name = canon  # an office of a ministry issues for it
        else:
            m = _LOCAL_TAIL.search(head)
            if m is None or m.start() < pos - 40:
                break
            start, name = m.start(), m.group(0)
        if name not in names:
            names.insert(0, name)
        pos = len(stretch[:start].rstrip(_SEP))
    return tuple(names)


def _signature_names(stretch, registry, year):
    """Body names in ``stretch`` when it holds nothing else (a signature line), else the names that end it."""
    stretch = stretch.strip(" \u3000\t")
    if len(stretch) < 2:
        return ()
    names, parsed = _bodies(stretch, registry, year)
    if not names:
        return ()
    leftover = stretch
    for n in sorted((*parsed.issuers, *parsed.unknown), key=len, reverse=True):
        leftover = leftover.replace(n, "")
    for _, _, surface, _ in registry.find(stretch, year):
        leftover = leftover.replace(surface, "")
    if len(re.sub(r"[\s\u3000、，,和及与（）()]", "", leftover)) <= 4:
        return names
    return _trailing_bodies(stretch, registry, year)


def _from_signature(text, registry, year):
    """``(bodies, date)`` of the signature block: names right before a full date that closes a block.

    A 印发 line (the printing office) and a date inside a sentence are not signatures.

    The block may span lines (one body per line) or run on in flattened text;
    it stops at a sentence end.  A date followed by （此件公开发布）, 附件, 抄送 or
    the end of the text closes a block; otherwise the last signature-like date wins.
    """
    best = ((), None)
    for start, end, iso in find_dates(text):
        if len(iso) < 10 or _AFTER_PRINT.match(text, end):
            continue  # 生态环境部办公厅2022年10月28日印发: the printing office, not the issuer
        lines = text[max(0, start - 200):start].rstrip(" \u3000\t\n").split("\n")
        names = []
        for line in reversed(lines[-6:]):
            cut = list(_SIG_BREAK.finditer(line))
            segment = line[cut[-1].end():] if cut else line
            found = _signature_names(segment, registry, year)
            if not found:
                break
            names = [n for n in found if n not in names] + names
            if cut:
                break  # a sentence ended on this line: the block starts after it
        if not names:
            continue
        best = (tuple(names), iso)
        if _closes_block(text, end):
            return best
    return best


def _closes_block(text, end):
    rest = text[end:end + 40].lstrip(" \u3000\t\n")
    return (not rest or rest.startswith(("（此件", "(此件", "（本件", "附件", "抄送", "此件"))
            or bool(re.match(r"[\n]", text[end:end + 2])))


def _from_doc_number(text, doc_number, year):
    """What the code of the document's own 文号 says (a number the text cites says nothing about its issuer)."""
    d = parse_doc_number(doc_number or header_doc_number(text))
    if d is None:
        return None
    info = resolve_code(d.code, d.year or year)
    return info if info.known else None


def same_body(a, b):
    """True when two names are one body, or a body and its general office (a general office issues for it).

    Examples
    --------
    >>> same_body("国务院", "国务院办公厅"), same_body("国务院", "生态环境部")
    (True, False)
    """
    return a == b or a.startswith(b) or b.startswith(a)


def infer_issuers(title, text, *, doc_number=None, year=None, registry=None):
    """Infer a document's issuers from its title, header, signature block and 文号 code.

    Parameters
    ----------
    title, text : str
    doc_number : str, optional
        The document's own number, when known (else the first in the header is used).
    year : int, optional
        The document's year, to resolve names and codes that changed.
    registry : AgencyRegistry, optional

    Returns
    -------
    IssuerEvidence

    Examples
    --------
    >>> text = "国务院办公厅关于印发《方案》的通知\\n国办发〔2019〕4号\\n各省、自治区、直辖市人民政府：\\n现印发给你们。\\n国务院办公厅\\n2019年1月24日\\n（此件公开发布）\\n方案"
    >>> ev = infer_issuers("国务院办公厅关于印发《方案》的通知", text)
    >>> ev.issuers, ev.source, sorted(ev.by_source), ev.signature_date
    (('国务院办公厅',), 'title', ['doc_number', 'signature', 'title'], '2019-01-24')
    >>> ev = infer_issuers("关于加快推进5G发展的通知", "粤府办〔2021〕8号\\n各地级以上市人民政府：……\\n广东省人民政府办公厅\\n2021年3月2日")
    >>> ev.issuers, ev.source, ev.region, ev.level
    (('广东省人民政府办公厅',), 'signature', '广东省', 'provincial')
    """
    registry = registry or load_agencies()
    title = str(title or "")
    text = str(text or "")
    by_source = {}
    signed, signed_on = _from_signature(text, registry, year)
    headed, headed_on = _from_header(text, registry, year)
    for name, found in (("title", _from_title(title, registry, year)),
                        ("header", headed),
                        ("signature", signed)):
        if found:
            by_source[name] = found
    code = _from_doc_number(text, doc_number, year)
    if code is not None and code.issuer:
        by_source["doc_number"] = (code.issuer,)
    if (not by_source and _REGULATION.search(title.strip()) and not _NOT_STATE_COUNCIL.match(title)
            and not local_body(title)[0] and "国务院" in registry):
        by_source["doc_type"] = ("国务院",)
    source = next((s for s in SOURCES if s in by_source), "")
    issuers = by_source.get(source, ())
    conflicts = []
    if issuers:
        lead = issuers[0]
        for s, names in by_source.items():
            if s != source and not any(same_body(lead, n) for n in names):
                conflicts.append(f"{source} names {lead}, {s} names {'、'.join(names)}")
    region, level = "", ""
    for name in issuers:
        region, level = local_body(name)
        if region:
            break
    if not region and code is not None:
        region, level = code.region, code.level
    if not level and issuers and all(n in registry for n in issuers):
        level = "central"
    return IssuerEvidence(tuple(issuers), source, by_source, tuple(conflicts), region, level, signed_on, headed_on)
