"""One record of a manifest or a file (its columns, or what a file reader found) to a Document's fields.

Columns are recognised by their Chinese and English names (or mapped by the
user); then the document's own text completes what the columns do not give:
the 文号 in its header, its issuers from title, header, signature and 文号
code (:mod:`.sources`), its date from the signature, the promulgation line or
the end of the text, the revisions its header lists.  Every choice that is
not plain leaves a note for the ingest report.  Nothing here reads a file:
records are plain dicts, so each rule is tested on its own.
"""

import re

import pandas as pd

from ..text.normalization import normalize as normalize_text
from ..text.normalization import replace_surrogates
from .agencies import parse_issuers
from .dates import parse_date, revision_dates, signature_date
from .docnumbers import garbled_doc_number, header_doc_number, parse_doc_number
from .doctypes import infer_doc_type, infer_level
from .sources import infer_issuers, same_body

__all__ = ["COLUMN_ALIASES", "MAPPABLE_KEYS", "has_column", "is_blank", "map_columns", "parse_record"]

#: Column names (Chinese and English) mapped to Document keys.  When several
#: columns map to one key, the first in this order wins and the others go to
#: ``extra`` under their own names (成文日期 is preferred to 发布日期).
COLUMN_ALIASES = {
    "id": ["id", "ID", "doc_id", "编号", "序号"],
    "title": ["title", "标题", "题名", "名称", "文件名称", "政策名称", "文件标题", "policy title", "policy name",
              "document title", "title of policy"],
    "text": ["text", "正文", "全文", "内容", "文本", "content", "body", "policy content", "policy text", "full text",
             "document text"],
    "issuers": ["issuers", "issuer", "发文机关", "发文单位", "发文机构", "发文部门", "发布机关", "发布机构",
                "颁布机关", "制定机关", "agency", "issuer_hint", "release department", "issuing department",
                "issuing authority", "issuing agency", "issuing body", "department", "authority", "issued by",
                "publisher"],
    "doc_number": ["doc_number", "发文字号", "文号", "字号", "document number", "doc no", "reference number"],
    "date": ["date", "成文日期", "印发日期", "发布日期", "公布日期", "施行日期", "日期", "release time", "release date",
             "publication date", "publish date", "issue date", "date issued", "date of issue"],
    "year": ["year", "年份", "年度", "release year"],
    "doc_type": ["doc_type", "文种", "公文种类", "document type", "policy type"],
    "level": ["level", "层级", "效力级别", "行政级别", "administrative level"],
    "region": ["region", "地区", "省份", "区域", "province"],
    "source": ["source", "url", "URL", "来源", "链接", "网址", "link"],
    "path": ["path", "file", "路径", "文件路径", "文件", "file path"],
}


def _fold(name):
    """A column name compared loosely: case, spaces, underscores and hyphens do not matter (Policy_Title = policy title)."""
    return " ".join(re.split(r"[\s_\-]+", str(name).strip().casefold()))


_FOLDED_ALIASES = {key: [_fold(n) for n in names] for key, names in COLUMN_ALIASES.items()}
#: Document keys whose column can be named with ``columns=`` (text and path have their own options).
MAPPABLE_KEYS = tuple(k for k in COLUMN_ALIASES if k not in ("text", "path"))


def has_column(columns, key):
    """True when one of ``columns`` is a recognised name for Document key ``key``."""
    folded = {_fold(c) for c in columns}
    return any(n in folded for n in _FOLDED_ALIASES[key])


_LEVELS = {"中央": "central", "国家": "central", "国家级": "central", "省级": "provincial", "省": "provincial",
           "市级": "municipal", "地市级": "municipal", "市": "municipal", "县级": "county", "县": "county"}


def is_blank(v):
    """True for a missing value: None, NaN, or a string of whitespace."""
    return v is None or (isinstance(v, float) and pd.isna(v)) or (isinstance(v, str) and not v.strip())


def map_columns(record, columns=None):
    """Split a raw record into Document keys and ``extra``.

    ``columns`` maps Document keys to the record's column names chosen by the
    user; they win over the recognised names, and a column a recognised name
    would have taken for that key stays in ``extra``.
    """
    out, extra = {}, {}
    used = set()
    chosen = {key: col for key, col in (columns or {}).items() if col is not None}
    for key, col in chosen.items():
        used.add(col)
        if col in record and not is_blank(record[col]):
            out[key] = record[col]
    folded = {}
    for name in record:
        folded.setdefault(_fold(name), name)
    for key, names in _FOLDED_ALIASES.items():
        if key in chosen:
            continue
        for alias in names:
            name = folded.get(alias)
            if name is not None and name not in used and not is_blank(record[name]):
                out[key] = record[name]
                used.add(name)
                break
    for name, value in record.items():
        if name not in used and not str(name).startswith("_") and not is_blank(value):
            extra[str(name)] = value
    return out, extra


_DATE_NOTES = {"signature": "date taken from the signature block",
               "header": "date taken from the promulgation or adoption line of the header",
               "end": "date taken from the end of the text"}


def parse_record(raw, registry, options):
    """One raw record → ``{"fields", "notes", "raw_title", "raw_text", "n_chars", "encoding", "given_id"}``, or ``{"problem"}``.

    ``options``: ``columns`` (user column mapping), ``parse_meta`` (read the
    metadata from the text), ``normalize`` (text normalisation switches or
    None); ``registry`` is the agency registry (None without ``parse_meta``).
    """
    notes = list(raw.get("_notes") or ())
    raw, n_bad = _clean_record(raw)
    if n_bad:
        notes.append(f"{n_bad} invalid character(s) (lone UTF-16 surrogates, e.g. from a JSON escape such as "
                     "\\ud800) replaced with U+FFFD")
    mapped, extra = map_columns(raw, options.get("columns"))
    if raw.get("_sheet") is not None:
        extra["sheet"] = raw["_sheet"]
    text = mapped.get("text")
    if is_blank(text):
        return {"problem": "no text (the text field is empty or null)"}
    if not isinstance(text, str):
        kind = {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "an object"}
        return {"problem": f"the text field holds {kind.get(type(text), type(text).__name__)} ({str(text)[:40]}), "
                           "not text"}
    parse_meta = options["parse_meta"]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    title = "" if is_blank(mapped.get("title")) else str(mapped["title"]).strip()
    date = _column_date(mapped, notes, extra)
    doc_number, parsed_number = _own_doc_number(mapped, text, parse_meta, notes, extra)
    # the document's own words: title, header, signature block (wherever it stands), 文号 code
    evidence = None
    if parse_meta:
        evidence, date = _text_evidence(title, text, doc_number, date, registry, notes, extra)
        revised = revision_dates(text)
        if revised:
            # a revised regulation: its own date stays the promulgation; the versions are listed
            extra["revision_dates"] = ";".join(revised)
            extra["latest_revision"] = revised[-1]
    year = int(date[:4]) if date else None
    if parsed_number is not None and parsed_number.year and year and parsed_number.year != year:
        notes.append(f"the 文号 year {parsed_number.year} differs from the date {date}")
    issuers, level, region = _issuers_and_place(mapped, evidence, parse_meta, registry, year, notes, extra)
    doc_type = "" if is_blank(mapped.get("doc_type")) else str(mapped["doc_type"]).strip()
    if not doc_type and parse_meta:
        doc_type = infer_doc_type(title)
    given_id = None if is_blank(mapped.get("id")) else str(mapped["id"]).strip()
    fields = dict(
        title=title,
        text=text,
        issuers=issuers,
        date=date,
        doc_number=doc_number,
        doc_type=doc_type,
        level=level,
        region=region,
        source=str(mapped.get("source") or ""),
        extra={k: _jsonable(v) for k, v in sorted(extra.items())},
    )
    if options["normalize"] is not None:
        fields["text"] = normalize_text(text, **options["normalize"])
        fields["title"] = normalize_text(title, **options["normalize"])
    return {"fields": fields, "notes": notes, "raw_title": title, "raw_text": text, "n_chars": len(text),
            "encoding": raw.get("_encoding", ""), "given_id": given_id}


def _column_date(mapped, notes, extra):
    """The date the columns give (a date column, else a year column), or None."""
    date = None
    if not is_blank(mapped.get("date")):
        date = parse_date(mapped["date"])
        if date is None:
            notes.append(f"unparsed date {mapped['date']!r} kept in extra['date_raw']")
            extra["date_raw"] = str(mapped["date"])
    if date is None and not is_blank(mapped.get("year")):
        date = parse_date(str(mapped["year"]).split(".")[0])
        if date is None:
            notes.append(f"unparsed year {mapped['year']!r}")
    if date is not None:
        extra["date_source"] = "column"
    return date


def _own_doc_number(mapped, text, parse_meta, notes, extra):
    """``(doc_number, parsed)``: the column's 文号, else the header's; stored in canonical form."""
    doc_number = None if is_blank(mapped.get("doc_number")) else str(mapped["doc_number"]).strip()
    if doc_number is None and parse_meta:
        doc_number = header_doc_number(text)
        garbled = garbled_doc_number(text) if doc_number is None else None
        if garbled:
            extra["doc_number_raw"] = garbled
            notes.append(f"the 文号 in the header is garbled ({garbled}); not parsed, kept in extra['doc_number_raw']")
    parsed_number = parse_doc_number(doc_number) if doc_number and parse_meta else None
    if parsed_number is not None and parsed_number.canonical != doc_number:
        extra["doc_number_raw"] = doc_number  # the canonical form (half-width, no spaces) goes in the corpus
        doc_number = parsed_number.canonical
    return doc_number, parsed_number


def _text_evidence(title, text, doc_number, date, registry, notes, extra):
    """``(evidence, date)``: the issuers the text names, and its date when no column gave a full one."""
    year = int(date[:4]) if date else None
    evidence = infer_issuers(title, text, doc_number=doc_number, year=year, registry=registry)
    if date is None:
        # the document's own date: its signature, else its promulgation or adoption line, else a closing date
        candidates = ((evidence.signature_date, "signature"), (evidence.header_date, "header"),
                      (signature_date(text), "end"))
        date, how = next(((d, h) for d, h in candidates if d is not None), (None, ""))
        if date is not None:
            extra["date_source"] = how
            notes.append(_DATE_NOTES[how])
            evidence = infer_issuers(title, text, doc_number=doc_number, year=int(date[:4]), registry=registry)
    elif len(date) < 10:
        # a column that gives only the year (or month): the text's own full date refines it when it agrees
        own = next(((d, h) for d, h in ((evidence.signature_date, "signature"), (evidence.header_date, "header"))
                    if d is not None and len(d) == 10 and d.startswith(date)), None)
        if own is not None:
            notes.append(f"date {date} from the column made precise from the {own[1]} ({own[0]})")
            date, extra["date_source"] = own[0], f"column+{own[1]}"
    return evidence, date


def _issuers_and_place(mapped, evidence, parse_meta, registry, year, notes, extra):
    """``(issuers, level, region)``: from the columns first, the text's evidence where they say nothing."""
    issuers = ()
    raw_issuers = mapped.get("issuers")
    level = "" if is_blank(mapped.get("level")) else _LEVELS.get(str(mapped["level"]).strip(), str(mapped["level"]).strip())
    region = "" if is_blank(mapped.get("region")) else str(mapped["region"]).strip()
    if not is_blank(raw_issuers):
        if isinstance(raw_issuers, (list, tuple)):
            raw_issuers = "、".join(str(x) for x in raw_issuers)
        if parse_meta:
            issuers, inferred_level = _column_issuers(raw_issuers, registry, year, notes, extra)
            level = level or inferred_level
            extra["issuer_source"] = "column"
            if evidence is not None and evidence.issuers and issuers and not same_body(issuers[0], evidence.issuers[0]):
                notes.append(f"the issuer column names {issuers[0]}, the {evidence.source} names {evidence.issuers[0]}")
        else:
            issuers = tuple(x for x in str(raw_issuers).split(";") if x)
    elif evidence is not None and evidence.issuers:
        issuers = evidence.issuers
        extra["issuer_source"] = evidence.source
        notes.extend(f"issuer sources disagree: {c}" for c in evidence.conflicts)
    if evidence is not None:
        region = region or evidence.region
        level = level or evidence.level
    return issuers, level, region


def _column_issuers(raw_issuers, registry, year, notes, extra):
    """``(issuers, level)`` from an issuer column, canonical where the registry knows them, verbatim where not."""
    parsed = parse_issuers(str(raw_issuers), registry, year=year)
    issuers = parsed.issuers + parsed.unknown
    if parsed.unknown:
        extra["issuers_unknown"] = list(parsed.unknown)
        notes.append(f"issuer(s) not in the registry, kept verbatim: {'、'.join(parsed.unknown)}")
    if parsed.collective_count is not None:
        extra["issuers_count"] = parsed.collective_count
    if parsed.drafted_by:
        extra["drafted_by"] = list(parsed.drafted_by)
    if parsed.approved_by:
        extra["approved_by"] = list(parsed.approved_by)
    if not issuers:
        issuers = (str(raw_issuers).strip(),)
        notes.append(f"issuer {raw_issuers!r} not recognised, kept verbatim")
    return issuers, infer_level(parsed.issuers, parsed.unknown)


def _jsonable(v):
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if hasattr(v, "item"):  # NumPy scalars
        return v.item()
    return str(v)


def _clean_record(raw):
    """The record with lone surrogates replaced in every string (keys, values, nested lists), and how many."""
    count = 0

    def clean(v):
        nonlocal count
        if isinstance(v, str):
            v, n = replace_surrogates(v)
            count += n
            return v
        if isinstance(v, list):
            return [clean(x) for x in v]
        if isinstance(v, dict):
            return {clean(k) if isinstance(k, str) else k: clean(x) for k, x in v.items()}
        return v

    return clean(raw), count
