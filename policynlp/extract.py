"""Citations and policy events extracted from policy prose or review articles.

:func:`extract_citations` finds the documents cited in 《》 (nested quotes,
spaces, full- and half-width brackets) and resolves them to a catalogue even
when the citing text garbles the title (a word inserted or dropped, an extra
的, different brackets or quotes), with a similarity score; unresolved titles
are clustered so that variants of one title become one document.

:func:`extract_events` turns sentences such as "2013年1月，住房城乡建设部公布
了首批90个国家智慧城市试点" into rows: date (precision kept), issuing
agencies (canonical, lead first; collective mentions as counts; 经…同意 as
approval; 转发 as forwarding), action, documents, programme, count, cities,
and the domain named by the heading or lead phrase the sentence sits under —
each row with its sentence and offsets so it can be checked.
"""

from __future__ import annotations

import re

import pandas as pd

from ._numerals import CN_NUMERAL_CHARS, cn_to_int
from ._types import Documents, PathLike
from .datasets import programme_names
from .errors import MissingDependencyError, ParameterError
from .meta.agencies import load_agencies, parse_issuers
from .meta.dates import find_dates
from .provenance import attach, provenance
from .text.normalization import to_halfwidth

__all__ = ["find_titles", "normalize_title", "resolve_titles", "extract_citations", "extract_events", "ACTIONS",
           "ISSUING", "LAUNCHING",
           "CITATION_COLUMNS", "EVENT_COLUMNS"]

# 《…》 with one level of nesting (《…〈…〉…》 or 《…《…》…》), and the half-width <<…>>.
_TITLE = re.compile(r"《((?:[^《》\n]|《[^《》\n]*》){1,200})》|<<([^<>\n]{1,200})>>")
_QUOTES = str.maketrans({"“": "", "”": "", '"': "", "‘": "", "’": "", "「": "", "」": "", "〈": "", "〉": "", "《": "", "》": "",
                         "（": "(", "）": ")", "－": "-", "—": "-", "–": "-", "·": "", " ": "", "\u3000": ""})


def find_titles(text):
    """Titles cited in 《》 (or <<>>): a list of (start, end, title as written)."""
    return [(m.start(), m.end(), (m.group(1) or m.group(2)).strip()) for m in _TITLE.finditer(text)]


def normalize_title(title):
    """A matching key for a title: no quotes, brackets unified, no spaces, half-width digits.

    Examples
    --------
    >>> normalize_title("推进“互联网+”便捷交通 促进智能交通发展的实施方案")
    '推进互联网+便捷交通促进智能交通发展的实施方案'
    """
    return to_halfwidth(title).translate(_QUOTES)


_QUALIFIER = re.compile(r"[（(](?:征求意见稿|送审稿|草案|试行|暂行|修订|修订稿|\d{4}[^）)]*年)[）)]$")


def _match_key(title):
    """Normalised title without a trailing qualifier such as （征求意见稿） or （试行）."""
    key = normalize_title(title)
    return _QUALIFIER.sub("", key.replace("(", "（").replace(")", "）")).replace("（", "(").replace("）", ")")


def _core(title):
    """The part from 关于 on (drops an issuer prefix such as 国务院 or 国务院办公厅)."""
    at = title.find("关于")
    return title[at:] if at > 0 else title


def _catalogue_frame(catalogue):
    if catalogue is None:
        return None
    if isinstance(catalogue, str):
        from .datasets import load_catalogue

        return load_catalogue(catalogue)
    if isinstance(catalogue, pd.DataFrame):
        if not {"id", "title"} <= set(catalogue.columns) and not ("title" in catalogue.columns and catalogue.index.name == "id"):
            raise ParameterError("a catalogue needs 'id' and 'title' columns")
        return catalogue.reset_index() if "id" not in catalogue.columns else catalogue
    raise ParameterError("catalogue must be a name (e.g. 'smart_city_2017') or a DataFrame with id and title")


def resolve_titles(titles, catalogue, *, threshold=80.0):
    """Match cited titles to catalogue entries.

    Similarity is rapidfuzz's normalised Indel similarity (0–100) between
    normalised titles, also comparing the parts from 关于 on, so that an issuer
    prefix present on one side only does not count against a match; a trailing
    qualifier such as （征求意见稿） or （试行） is ignored.

    Returns
    -------
    DataFrame
        ``cited, catalogue_id, resolved_title, score`` (id and title empty below ``threshold``).
    """
    try:
        from rapidfuzz import fuzz, process
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise MissingDependencyError("title resolution needs rapidfuzz: pip install rapidfuzz") from exc
    cat = _catalogue_frame(catalogue)
    keys = [_match_key(t) for t in cat["title"]]
    cores = [_core(k) for k in keys]
    cat_ids, cat_titles = cat["id"].tolist(), cat["title"].tolist()
    rows = []
    for cited in titles:
        q = _match_key(cited)
        best = process.extractOne(q, keys, scorer=fuzz.ratio)
        best_core = process.extractOne(_core(q), cores, scorer=fuzz.ratio)
        pick = max((b for b in (best, best_core) if b), key=lambda b: (b[1], -b[2]), default=None)
        if pick and pick[1] >= threshold:
            rows.append({"cited": cited, "catalogue_id": cat_ids[pick[2]], "resolved_title": cat_titles[pick[2]],
                         "score": round(float(pick[1]), 1)})
        else:
            rows.append({"cited": cited, "catalogue_id": "", "resolved_title": "", "score": round(float(pick[1]), 1) if pick else 0.0})
    return pd.DataFrame(rows, columns=["cited", "catalogue_id", "resolved_title", "score"])


CITATION_COLUMNS = ["id", "cited", "resolved_title", "catalogue_id", "score", "cluster", "start", "end"]


_NATION = re.compile(r"^中华人民共和国")
_YEAR = re.compile(r"(?:19|20)\d{2}")


def _cluster(keys, threshold):
    """Greedy single-link clusters of normalised titles: the most frequent variant names each cluster.

    A law cited with or without 中华人民共和国 is one law (网络安全法); titles
    that carry different years are different documents or editions (…指南（2015年版）
    and …指南（2021年版）; a 2016—2020 plan and a 2021—2025 one) and never merge.
    """
    from collections import Counter

    from rapidfuzz import fuzz, process

    freq = Counter(keys)
    reps, rep_cores, rep_years, rep_keys = [], [], [], []
    out = {}
    for k in sorted(freq, key=lambda k: (-freq[k], k)):
        # the earliest representative close to k, by whole title or by its 关于… core
        # (rapidfuzz scores all representatives in C; the rule is the one of a plain loop)
        bare = _NATION.sub("", k)
        years = set(_YEAR.findall(k))
        hits = [i for *_, i in process.extract(bare, reps, scorer=fuzz.ratio, score_cutoff=threshold, limit=None)]
        hits += [i for *_, i in process.extract(_core(bare), rep_cores, scorer=fuzz.ratio, score_cutoff=threshold, limit=None)]
        hits = [i for i in hits if rep_years[i] == years]
        if hits:
            out[k] = rep_keys[min(hits)]
        else:
            reps.append(bare)
            rep_cores.append(_core(bare))
            rep_years.append(years)
            rep_keys.append(k)
            out[k] = k
    return out


def extract_citations(
    docs: Documents,
    *,
    catalogue: str | PathLike | None = None,
    threshold: float = 80.0,
) -> pd.DataFrame:
    """Documents cited in 《》, resolved to a catalogue and clustered.

    Parameters
    ----------
    docs : Corpus, str, or list of str
    catalogue : str or DataFrame, optional
        ``"smart_city_2017"`` or a table with ``id`` and ``title``.
    threshold : float, default 80
        Minimum similarity (0–100) for a match and for joining a cluster.

    Returns
    -------
    DataFrame
        ``id, cited`` (as written; ``id`` is the citing document), ``resolved_title, catalogue_id, score``,
        ``cluster`` (the title variant that stands for the document when no
        catalogue entry matched; the resolved title otherwise), ``start, end``.

    Examples
    --------
    >>> t = "《关于促进智慧城市健康发展的的指导意见》和<<国务院关于推进物联网有序发展的指导意见>>"
    >>> extract_citations(t, catalogue="smart_city_2017")[["catalogue_id", "score"]].values.tolist()
    [['sc-guidance-2014', 97.1], ['sc-iot-2013', 95.0]]
    """
    rows = []
    for doc_id, text in _texts(docs):
        for start, end, title in find_titles(text):
            rows.append({"id": doc_id, "cited": title, "start": start, "end": end})
    out = pd.DataFrame(rows, columns=["id", "cited", "start", "end"])
    if out.empty:
        return pd.DataFrame(columns=CITATION_COLUMNS)
    if catalogue is not None:
        res = resolve_titles(list(dict.fromkeys(out["cited"])), catalogue, threshold=threshold).set_index("cited")
        out = out.join(res, on="cited")
    else:
        out["resolved_title"], out["catalogue_id"], out["score"] = "", "", 0.0
    unresolved = out["catalogue_id"] == ""
    keys = out.loc[unresolved, "cited"].map(normalize_title)
    clusters = _cluster(keys.tolist(), threshold) if len(keys) else {}
    variant = {}
    for cited, key in zip(out.loc[unresolved, "cited"], keys):
        variant.setdefault(clusters[key], cited)  # first spelling seen of the representative
    out["cluster"] = out["resolved_title"]
    out.loc[unresolved, "cluster"] = [variant[clusters[k]] for k in keys]
    return attach(out[CITATION_COLUMNS].reset_index(drop=True),
                  provenance("extract.citations", {"catalogue": _name(catalogue), "threshold": threshold}))


def _texts(docs):
    from .corpus.corpus import Corpus

    if isinstance(docs, Corpus):
        return [(d.id, d.text) for d in docs]
    if isinstance(docs, str):
        return [("0", docs)]
    return [(str(i), str(t)) for i, t in enumerate(docs)]


def _own_issuers(docs):
    from .corpus.corpus import Corpus

    return {d.id: d.issuers[:1] for d in docs} if isinstance(docs, Corpus) else {}


#: Verbs that by themselves report issuing or announcing a policy (longest first).
ISSUING = ("联合印发", "联合发布", "联合下发", "印发", "发布", "颁布", "出台", "下发", "发出", "转发", "公布", "批复")
#: Verbs that report an event only with a date, an agency and a document, programme or count.
LAUNCHING = ("启动", "确定", "批准", "开展", "设立", "遴选", "评选", "部署", "制定", "审议通过", "推出", "提出")
ACTIONS = ISSUING + LAUNCHING
# 批复文件/批复意见/批复后 use 批复 as a noun.
_ACTION = re.compile("|".join(a if a != "批复" else "批复(?!文件|意见|后|要求|内容)" for a in ACTIONS))
# 应/要/将/请 … before the verb make it an obligation or a plan, not an event.
_MODAL = re.compile(r"(?:应当?|要|将|请|须|需要?|拟|可以?|不得|本|该|此|收到|按照|根据|依据|尽快|加快|抓紧|适时|研究)\s*$")
_SELF = re.compile(r"我部|我局|我委|我署|我办|本部|本局|本委")
# dates that are targets or deadlines, not when something happened
_TARGET = re.compile(r"(?:到|至|截至|截止|力争|预计|计划)\s*$")
_TARGET_AFTER = re.compile(r"\s*(?:前|以前|之前|底前|年底前|起)")
_COUNT = re.compile(rf"(?:共|等|首批|第[一二三四五六七八九十\d]+批)?\s*([\d０-９{CN_NUMERAL_CHARS}]{{1,4}})\s*个?\s*"
                    r"(?:[\u4e00-\u9fff]{0,10}?(?=试点|示范城市|示范项目))?"
                    r"(城市|地级市|城市（区、县）|城市\(区、县\)|县|区|镇|区县|地区|试点|示范城市|项目|示范项目|标准|指标|社区)")
_PROGRAMME = re.compile(r"(?:为|作为|列为|成为|开展|启动|建设|确定|推出|公布(?:了)?(?:首批|第[一二三四五六七八九十\d]+批)?)\s*"
                        rf"(?:[\d{CN_NUMERAL_CHARS}]{{1,4}}个)?"
                        # the copula 为 ends the text before a name (确定103个城市为第二批…试点), never part of it
                        r"((?:(?!为)[\u4e00-\u9fff“”\"+（）()、]){2,24}?(?:试点城市|示范城市|试点|示范工程|示范项目|试点示范|工程))")
# A programme is a name: not a phrase with a verb in it (…部启动…) or a description (…的三个重点领域示范试点).
_NOT_A_NAME = re.compile(rf"启动|确定|开展|推出|公布|印发|发布|的[\d{CN_NUMERAL_CHARS}]|^[的了和及与]")
# Further events of one sentence: "…，以及12个县为…试点，同时确定25个项目为专项试点".
_NEXT_EVENT = re.compile(r"[，,；;]\s*(?=以及|同时|并且?|另外|此外)")
_CITY = re.compile(r"([\u4e00-\u9fff]{2,4}?(?:市|州))(?=[、，,和及等]|$)")
_VERB_PREFIX = re.compile(r"^(?:确定|包括|选择|遴选|将|把|以|在|和|及|与|对)")
_LEAD = re.compile(r"^(?:在|关于|针对)?([\u4e00-\u9fff“”+]{2,10}?)(?:领域|方面)[，,：:]?")
EVENT_COLUMNS = ["id", "date", "issuers", "drafted_by", "approved_by", "forwarded", "collective_count", "action", "documents",
                 "programme", "count", "cities", "domain", "path", "sentence", "start", "end"]


def extract_events(  # noqa: C901 - one walk over sentences filling each event field
    docs: Documents,
    *,
    catalogue: str | PathLike | None = None,
    taxonomy: str | PathLike | None = "smart_city_2017",
    threshold: float = 80.0,
) -> pd.DataFrame:
    """Policy events, one row per sentence that reports one.

    A sentence reports an event when an issuing verb (印发, 发布, 颁布, 转发,
    公布 …) comes with an agency or a cited document, or a launching verb
    (启动, 确定, 批准, 开展 …) with a date, an agency and a document, programme
    or count; verbs after 应/要/将/请 (obligations and plans) are not events.

    Parameters
    ----------
    docs : Corpus, str, or list of str
    catalogue : str or DataFrame, optional
        Resolves cited titles (and, with a bundled name, programme names).
    taxonomy : str or Taxonomy, default "smart_city_2017"
        Domains recognised in headings (二、智慧交通) and lead phrases
        (在智慧交通领域，…); a domain named by a heading applies to the
        sentences under it until a heading of the same or a higher level.
    threshold : float, default 80

    Returns
    -------
    DataFrame
        Columns ``EVENT_COLUMNS``: ``issuers``, ``approved_by``, ``documents`` and
        ``cities`` are ``;``-separated; ``count`` is an integer or empty.

    Examples
    --------
    >>> ev = extract_events("2012年5月，国家旅游局确定北京市、武汉市、成都市等18个城市为国家智慧旅游试点城市。")
    >>> ev[["date", "issuers", "action", "programme", "count", "cities"]].values.tolist()
    [['2012-05', '国家旅游局', '确定', '国家智慧旅游试点城市', 18, '北京市;武汉市;成都市']]
    """
    from .taxonomy import load_taxonomy
    from .text.structure import structure_rows

    tx = load_taxonomy(taxonomy) if taxonomy is not None else None
    registry = load_agencies()
    programmes = programme_names(catalogue)
    catalogue_arg, catalogue = catalogue, _catalogue_frame(catalogue)  # read once, not for every sentence that cites a title
    own = _own_issuers(docs)
    rows = []
    for doc_id, text in _texts(docs):
        clauses = structure_rows(text, doc_id=doc_id)
        sents = structure_rows(text, doc_id=doc_id, unit="sentence")
        # unit -> (level, domain of the nearest heading that names one)
        heading_domain = tx.heading_domains(clauses) if tx is not None else {}
        last_unit = None
        lead_domain, lead_level = None, 0
        prev_end = 0
        for s in sents:
            # a lead phrase (在…方面) holds for its paragraph and the numbered items under it (1)(2)(3),
            # never across a blank line …
            gap = text[prev_end : s.start]
            if "\n\n" in gap or ("\n" in gap and heading_domain.get(s.unit, (0, None))[0] <= lead_level):
                lead_domain = None
            prev_end = s.end
            level, under = heading_domain.get(s.unit, (0, None))
            if s.unit != last_unit:
                last_unit = s.unit
                if level <= lead_level:
                    lead_domain = None  # … not for a unit beside or above the one it opened
            sentence = s.text
            m = _LEAD.match(sentence)
            if tx is not None and m:
                named = tx.find_domain(m.group(1))
                if named:
                    lead_domain, lead_level = named, heading_domain.get(s.unit, (0, None))[0]
            domain = lead_domain or under
            titles = find_titles(sentence)
            blanked = _blank(sentence, [(st, en) for st, en, _ in titles])  # a verb inside a title is not an action
            act = next((a for a in _ACTION.finditer(blanked) if not _MODAL.search(blanked[max(0, a.start() - 4) : a.start()])), None)
            if not act:
                continue
            # a year inside a title (…（2019—2030年）) is not the event's date, nor is a target (到2025年, 2017年6月前)
            dates = [d for d in find_dates(blanked) if not _TARGET.search(blanked[max(0, d[0] - 3):d[0]])
                     and not _TARGET_AFTER.match(blanked, d[1])]
            agencies = registry.find(sentence) or (own.get(doc_id) and _SELF.search(blanked[: act.start()]) and own[doc_id])
            if act.group(0) in ISSUING:
                if not (agencies or titles):
                    continue
            elif not (dates and agencies and (titles or _COUNT.search(_strip_dates(sentence, dates)) or _PROGRAMME.search(sentence))):
                continue
            year = int(dates[0][2][:4]) if dates else None
            # Who acted: the text before the verb (经…同意, collective counts and 联合 included);
            # for 转发 also the drafters after it, up to the forwarded title.
            if act.group(0) == "转发":
                subject = sentence[: titles[0][0]] if titles else sentence
            else:
                subject = blanked[: act.end()]
            parsed = parse_issuers(subject, registry, year=year)
            if not parsed.issuers and own.get(doc_id) and (_SELF.search(subject) or sentence.startswith("关于")):
                # 我部…, or the heading of the document itself (关于…的批复): the document's issuer acted
                parsed = parse_issuers("、".join(own[doc_id]), registry, year=year)
            documents = []
            if titles:
                cited = [t for *_, t in titles]
                if catalogue is not None:
                    res = resolve_titles(cited, catalogue, threshold=threshold)
                    documents = [r.resolved_title or r.cited for r in res.itertuples()]
                else:
                    documents = cited
            base = {"id": doc_id, "date": dates[0][2] if dates else "",
                    "issuers": ";".join(parsed.issuers), "drafted_by": ";".join(parsed.drafted_by),
                    "approved_by": ";".join(parsed.approved_by),
                    "forwarded": parsed.forwarded, "collective_count": parsed.collective_count,
                    "action": act.group(0), "documents": ";".join(documents), "domain": domain or "",
                    "path": s.path, "sentence": sentence, "start": s.start, "end": s.end}
            # one event per part: a sentence may report several (…，以及…，同时确定…)
            for k, part in enumerate(_NEXT_EVENT.split(sentence)):
                details = _details(part, programmes, registry)
                if k and details["count"] is None and not details["programme"]:
                    continue  # a clause that adds no event of its own
                verb = next((a for a in _ACTION.finditer(part) if not _MODAL.search(part[max(0, a.start() - 4):a.start()])), None)
                rows.append({**base, **details, "action": verb.group(0) if (k and verb) else base["action"]})
    out = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    out["count"] = out["count"].astype("Int64")
    out["collective_count"] = out["collective_count"].astype("Int64")
    return attach(out, provenance("extract.events", {"catalogue": _name(catalogue_arg), "taxonomy": _name(taxonomy),
                                                     "threshold": threshold}))


def _name(resource):
    """A catalogue or taxonomy as provenance records it: its name, or what kind of object was given."""
    if resource is None or isinstance(resource, str):
        return resource
    return getattr(resource, "name", None) or f"a {type(resource).__name__} given by the caller"


def _details(part, programmes, registry):
    """Programme (a name, never a fragment), count and cities named in one event's part of a sentence."""
    programme = next((p for p in programmes if p in part), "")
    if not programme:
        pm = _PROGRAMME.search(re.sub(_TITLE, "", part))
        programme = pm.group(1).strip("“”\"") if pm else ""
        if _NOT_A_NAME.search(programme):
            programme = ""
    cm = _COUNT.search(_strip_dates(part, find_dates(part)))
    cities = [_VERB_PREFIX.sub("", c) for c in _CITY.findall(part)]
    cities = [c for c in cities if len(c) >= 2 and registry.canonical(c) is None]
    return {"programme": programme, "count": cn_to_int(cm.group(1)) if cm else None,
            "cities": ";".join(dict.fromkeys(cities))}


def _blank(text, spans):
    """``text`` with the given (start, end) spans replaced by spaces (offsets kept)."""
    chars = list(text)
    for st, en in spans:
        chars[st:en] = " " * (en - st)
    return "".join(chars)


def _strip_dates(sentence, dates):
    """The sentence with its dates blanked, so 2013年 is not read as a count of 2013."""
    return _blank(sentence, [(st, en) for st, en, _ in dates])
