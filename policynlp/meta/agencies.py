"""The agency registry and the parsing of issuer strings.

The registry (``policynlp/data/agencies.yaml``) lists central Party and State
organs with their abbreviations, historical names and successors.  Canonical
names are the official full names of the body *as it was* when it existed:
国家旅游局 stays 国家旅游局 in a 2015 document; :meth:`AgencyRegistry.current`
follows the succession to today's body when a scholar wants to merge them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from .._numerals import CN_NUMERAL_CHARS, cn_to_int
from .._types import PathLike
from ..errors import CorpusFormatError
from ..resources import load_yaml

__all__ = ["AgencyRegistry", "IssuerParse", "load_agencies", "parse_issuers"]


class AgencyRegistry:
    """Canonical names, aliases and succession of Chinese government bodies.

    Parameters
    ----------
    entries : list of dict
        Each with ``name`` and optionally ``aliases``, ``type``, ``since``,
        ``until`` and ``successors`` (the layout of ``agencies.yaml``).

    Examples
    --------
    >>> reg = load_agencies()
    >>> reg.canonical("国家发改委")
    '国家发展和改革委员会'
    >>> reg.current("国家测绘地理信息局")
    '自然资源部'
    >>> [c for _, _, _, c in reg.find("住房城乡建设部和科技部联合发文")]
    ['住房和城乡建设部', '科学技术部']
    """

    def __init__(self, entries):
        self._info = {}
        self._alias = {}  # surface -> canonical names that used it, in registry order
        for i, e in enumerate(entries):
            name = e.get("name") if isinstance(e, dict) else None
            if not name:
                raise CorpusFormatError(f"agency entry {i} has no 'name'", field="name")
            if name in self._info:
                raise CorpusFormatError(f"agency {name!r} is listed twice; merge the entries", field="name")
            self._info[name] = dict(e)
            for surface in dict.fromkeys([name, *e.get("aliases", [])]):
                self._alias.setdefault(surface, []).append(name)
        for surface, names in self._alias.items():
            if len(names) > 1 and len({(self._info[n].get("since"), self._info[n].get("until")) for n in names}) < len(names):
                raise CorpusFormatError(
                    f"alias {surface!r} is given for {names!r} over the same years; "
                    "keep it on one, or give the bodies since/until years",
                    field="aliases",
                )
        for name, e in self._info.items():
            for s in e.get("successors", []):
                if s not in self._info:
                    raise CorpusFormatError(
                        f"successor {s!r} of {name!r} is not in the registry; add it", field="successors"
                    )
        # Longest surface first so that 国务院办公厅 wins over 国务院.
        surfaces = sorted(self._alias, key=lambda s: (-len(s), s))
        self._rx = re.compile("|".join(re.escape(s) for s in surfaces))
        # English names ("Ministry of Industry and Information Technology"), matched as whole words in any case;
        # longest first, so that a name containing "and" is never split at it.
        self._en = {}
        for name, e in self._info.items():
            for surface in e.get("en", []):
                self._en.setdefault(surface.casefold(), []).append(name)
        english = sorted(self._en, key=lambda s: (-len(s), s))
        self._rx_en = re.compile(r"(?<![A-Za-z])(?:" + "|".join(re.escape(s) for s in english) + r")(?![A-Za-z])",
                                 re.IGNORECASE) if english else None

    def _resolve(self, surface, year):
        return self._among(self._alias[surface], year)

    def _among(self, names, year):
        """The body a surface shared by ``names`` means in ``year``."""
        if len(names) == 1:
            return names[0]
        if year is not None:
            for n in names:
                e = self._info[n]
                if (e.get("since") or 0) <= year < (e.get("until") or 9999):
                    return n
        # No year, or none covers it: today's body, else the one that lasted longest.
        return max(names, key=lambda n: self._info[n].get("until") or 9999)

    @classmethod
    def from_yaml(cls, path):
        """Read a registry from a YAML file with the layout of the bundled one."""
        path = Path(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise CorpusFormatError(f"cannot read agency registry: {exc}", path=path) from exc
        if not isinstance(data, dict) or not isinstance(data.get("agencies"), list):
            raise CorpusFormatError("expected a mapping with a list under 'agencies'", path=path)
        return cls(data["agencies"])

    def __len__(self):
        return len(self._info)

    def __contains__(self, name):
        return name in self._alias

    def __repr__(self):
        return f"<AgencyRegistry: {len(self._info)} bodies, {len(self._alias)} names>"

    def canonical(self, name, year=None):
        """Canonical name for a name or alias, or ``None`` when unknown.

        Parameters
        ----------
        name : str
        year : int, optional
            The year of the text.  An alias used by successive bodies (中央网信办
            named the leading-group office until 2018 and the commission office
            after) resolves to the body that existed then; without a year, to
            today's body.
        """
        if not isinstance(name, str) or name.strip() not in self._alias:
            return None
        return self._resolve(name.strip(), year)

    def info(self, name):
        """The registry entry (a dict) of a name or alias, or ``None``."""
        c = self.canonical(name)
        return dict(self._info[c]) if c else None

    def current(self, name):
        """Follow the succession from ``name`` to today's body (the first successor each step).

        Unknown names are returned unchanged.
        """
        c = self.canonical(name)
        if c is None:
            return name
        seen = {c}
        while self._info[c].get("successors"):
            c = self._info[c]["successors"][0]
            if c in seen:  # a cycle in a user registry: stop rather than loop
                break
            seen.add(c)
        return c

    def surfaces(self):
        """Every name and alias, sorted (for lexicons)."""
        return sorted(self._alias)

    def find(self, text, year=None):
        """Non-overlapping agency mentions in ``text``, longest name first.

        Parameters
        ----------
        text : str
        year : int, optional
            Passed to :meth:`canonical` for aliases shared over time.

        Returns
        -------
        list of tuple (start, end, surface, canonical)
        """
        found = [(m.start(), m.end(), m.group(0), self._resolve(m.group(0), year)) for m in self._rx.finditer(text)]
        if self._rx_en is not None and _LATIN.search(text):
            found += [(m.start(), m.end(), m.group(0), self._resolve_en(m.group(0), year))
                      for m in self._rx_en.finditer(text)]
            found.sort()
        return found

    def _resolve_en(self, surface, year):
        return self._among(self._en[surface.casefold()], year)

    def to_frame(self):
        """The registry as a DataFrame, one row per body, sorted by name."""
        rows = []
        for name in sorted(self._info):
            e = self._info[name]
            rows.append(
                {
                    "name": name,
                    "type": e.get("type", ""),
                    "aliases": ";".join(e.get("aliases", [])),
                    "since": e.get("since"),
                    "until": e.get("until"),
                    "successors": ";".join(e.get("successors", [])),
                }
            )
        return pd.DataFrame(rows)


@lru_cache(maxsize=1)
def _bundled():
    return AgencyRegistry(load_yaml("agencies.yaml")["agencies"])


def load_agencies(path: PathLike | None = None) -> AgencyRegistry:
    """Load the bundled agency registry, or a user registry from ``path``.

    Parameters
    ----------
    path : str or Path, optional
        A YAML file with the layout of ``policynlp/data/agencies.yaml``.

    Returns
    -------
    AgencyRegistry
    """
    return _bundled() if path is None else AgencyRegistry.from_yaml(path)


@dataclass(frozen=True)
class IssuerParse:
    """What an issuer string says about who issued a document.

    Attributes
    ----------
    issuers : tuple of str
        Canonical names of the issuing bodies, lead first.  For a forwarded
        text this is the forwarding body (the General Office, usually).
    drafted_by : tuple of str
        For 转发 (forwarding): the bodies whose text was forwarded.
    approved_by : tuple of str
        Bodies that approved (经…同意/批准) without issuing.
    collective_count : int or None
        The count in a collective mention (八部委, 等10部门): how many bodies
        took part, including those named.
    unknown : tuple of str
        Names that look like bodies but are not in the registry, verbatim.
    forwarded : bool
        True when the string says 转发.
    """

    issuers: tuple = ()
    drafted_by: tuple = ()
    approved_by: tuple = ()
    collective_count: int | None = None
    unknown: tuple = ()
    forwarded: bool = False
    raw: str = field(default="", compare=False)

    @property
    def collective(self):
        """True when a collective mention gives a count of bodies."""
        return self.collective_count is not None

    @property
    def lead(self):
        """The lead issuer, or ``None``."""
        return self.issuers[0] if self.issuers else None


_APPROVAL = re.compile(r"经\s*(?P<who>[^，,。；;]{1,30}?)\s*(?:同意|批准|审议通过)")
_FORWARD = re.compile(r"转发")
_COLLECTIVE = re.compile(
    rf"(?:等|国家)?\s*(?P<n>[\d０-９{CN_NUMERAL_CHARS}]{{1,4}})\s*(?:个)?\s*(?:部委|部门|单位|机构|委办局|家单位|个部门)"
)
_OFFICE_SUFFIX = re.compile(r"办公厅|办公室")
_LATIN = re.compile(r"[A-Za-z]{3}")
_EN_SEPARATORS = re.compile(r"\s*(?:[,;/，；、]|\band\b|&)\s*", re.IGNORECASE)
_SEPARATORS = re.compile(r"[、，,；;和及与暨\s]+|联合|共同|会同|印发|发布|制定|出台|等")
_ORG_SUFFIX = re.compile(r"(?:部|委|局|署|办|院|会|厅|室|中心|总局|委员会|小组|工作组|政府|集团|公司|协会|联合会)$")


def _names(text, registry, year):
    """Canonical names found in ``text`` (order kept, no repeats) and leftover pieces."""
    names, unknown = [], []
    pos = 0
    pieces = []
    for start, end, _, canon in registry.find(text, year):
        pieces.append(text[pos:start])
        m = _OFFICE_SUFFIX.match(text, end)
        pos = m.end() if m else end
        if canon not in names:
            names.append(canon)
    pieces.append(text[pos:])
    for piece in pieces:
        if _LATIN.search(piece):  # English names outside the registry are kept, never dropped
            for part in _EN_SEPARATORS.split(piece):
                part = part.strip(" .()\"'")
                if (_LATIN.search(part) and part not in unknown and part.casefold() not in ("the", "jointly", "issued by")
                        and not re.search(r"\bof(?: the)?$", part, re.IGNORECASE)):  # "General Office of the" + a known body
                    unknown.append(part)
            continue
        for part in _SEPARATORS.split(piece):
            part = part.strip("（）()“”\"' ")
            if len(part) >= 2 and _ORG_SUFFIX.search(part) and part not in unknown:
                unknown.append(part)
    return names, unknown


def parse_issuers(text: str, registry: AgencyRegistry | None = None, *, year: int | None = None) -> IssuerParse:
    """Parse an issuer string into canonical bodies and flags.

    Handles lists joined by 、和及与, names run together without separators,
    collective mentions with a count (八部委, 国家12部门, 等10部门), approval
    (经国务院同意: approval, not issuance) and forwarding (国务院办公厅转发…:
    the General Office issues a text drafted by others).  Names not in the
    registry are kept verbatim in ``unknown``; nothing is dropped.

    Parameters
    ----------
    text : str
    registry : AgencyRegistry, optional
        Defaults to the bundled registry.
    year : int, optional
        The year of the document, to resolve aliases shared by successive bodies.

    Returns
    -------
    IssuerParse

    Examples
    --------
    >>> p = parse_issuers("国家发展改革委、工业和信息化部等八部委")
    >>> p.issuers, p.collective_count
    (('国家发展和改革委员会', '工业和信息化部'), 8)
    >>> parse_issuers("住房城乡建设部和科技部").issuers
    ('住房和城乡建设部', '科学技术部')
    >>> p = parse_issuers("国务院办公厅转发国家发展改革委等10部门")
    >>> p.issuers, p.drafted_by, p.forwarded, p.collective_count
    (('国务院办公厅',), ('国家发展和改革委员会',), True, 10)
    >>> p = parse_issuers("经国务院同意，国家发展改革委印发")
    >>> p.issuers, p.approved_by
    (('国家发展和改革委员会',), ('国务院',))
    >>> parse_issuers("住房城乡建设部、某某市智慧办").unknown
    ('某某市智慧办',)
    >>> parse_issuers("国家标准委、中央网信办", year=2015).issuers
    ('国家标准化管理委员会', '中央网络安全和信息化领导小组办公室')
    >>> parse_issuers("Ministry of Industry and Information Technology, National Development and Reform Commission").issuers
    ('工业和信息化部', '国家发展和改革委员会')
    >>> parse_issuers("State Council").issuers, parse_issuers("Shenzhen Municipal Government").unknown
    (('国务院',), ('Shenzhen Municipal Government',))
    """
    registry = registry or load_agencies()
    raw = "" if text is None else str(text)
    s = raw.translate({cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)})
    approved = []
    for m in _APPROVAL.finditer(s):
        approved.extend(n for n in _names(m.group("who"), registry, year)[0] if n not in approved)
    s = _APPROVAL.sub("，", s)
    count = None
    m = _COLLECTIVE.search(s)
    if m:
        count = cn_to_int(m.group("n"))
        s = s[: m.start()] + "，" + s[m.end() :]
    forwarded = bool(_FORWARD.search(s))
    drafted, unknown = [], []
    if forwarded:
        left, _, right = s.partition("转发")
        issuers, unk1 = _names(left, registry, year)
        drafted, unk2 = _names(right, registry, year)
        unknown = unk1 + [u for u in unk2 if u not in unk1]
    else:
        issuers, unknown = _names(s, registry, year)
    return IssuerParse(
        issuers=tuple(issuers),
        drafted_by=tuple(drafted),
        approved_by=tuple(approved),
        collective_count=count,
        unknown=tuple(unknown),
        forwarded=forwarded,
        raw=raw,
    )
