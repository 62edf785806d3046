"""What the code of a document number (发文机关代字) says: issuer, region and level.

The registry is plain YAML (``policynlp/data/doc_codes.yaml``): central codes
(国发 → 国务院, 国办发 → 国务院办公厅, 发改… → 国家发展和改革委员会, with the
years a code applied to a body where reorganisations moved it) and the 31
provincial-level units with their abbreviations, from which the government
(粤府, 豫政) and general-office (粤府办, 豫政办) codes are derived.  Nothing is
invented: an unknown code resolves to nothing, and a provincial code that names
no government body gives only the region and level.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from ..resources import load_yaml

__all__ = ["CodeInfo", "resolve_code", "provinces", "local_body"]


@dataclass(frozen=True)
class CodeInfo:
    """What a 文号 code says.

    Attributes
    ----------
    code : str
        The code as given (``粤府办``).
    issuer : str
        Canonical issuer (``广东省人民政府办公厅``), or ``""`` when the code names
        only a region (a provincial department's code such as ``粤环``).
    region : str
        Provincial-level unit (``广东省``), ``""`` for central codes.
    level : str
        ``central`` or ``provincial``; ``""`` when the code is unknown.
    """

    code: str
    issuer: str = ""
    region: str = ""
    level: str = ""

    @property
    def known(self):
        return bool(self.level)


@lru_cache(maxsize=1)
def _registry():
    data = load_yaml("doc_codes.yaml")
    central = {}
    for e in data["central"]:
        central.setdefault(e["code"], []).append((e.get("since"), e.get("until"), e["issuer"]))
    local = {}
    for p in data["provinces"]:
        gov = p["government"]
        for abbr in p["abbr"]:
            local[abbr] = (p["name"], "")
            for c in data["government_codes"]:
                local[abbr + c] = (p["name"], gov)
            for c in data["general_office_codes"]:
                local[abbr + c] = (p["name"], gov + "办公厅")
    return central, local, tuple(p["name"] for p in data["provinces"])


def provinces():
    """The 31 provincial-level units by their full names (北京市 … 新疆维吾尔自治区)."""
    return _registry()[2]


def _in_years(since, until, year):
    if year is None:
        return until is None  # without a date, the body the code names today
    return (since is None or year >= since) and (until is None or year < until)


def resolve_code(code, year=None):
    """Resolve a 文号 code by the longest registry entry it starts with.

    Parameters
    ----------
    code : str
        The code of a parsed number (:attr:`DocNumber.code`), e.g. ``国办发``,
        ``环督察``, ``粤府办``, ``国务院令``.
    year : int, optional
        The year of the number, for codes whose body changed (环 → 环境保护部
        before 2018, 生态环境部 after).

    Returns
    -------
    CodeInfo
        With ``level == ""`` when nothing in the registry matches.

    Examples
    --------
    >>> resolve_code("国办发").issuer
    '国务院办公厅'
    >>> resolve_code("环大气", 2016).issuer, resolve_code("环大气", 2019).issuer
    ('环境保护部', '生态环境部')
    >>> info = resolve_code("粤府办")
    >>> info.issuer, info.region, info.level
    ('广东省人民政府办公厅', '广东省', 'provincial')
    >>> resolve_code("浙环发").region, resolve_code("浙环发").issuer
    ('浙江省', '')
    >>> resolve_code("某某发").known
    False
    """
    code = re.sub(r"^中华人民共和国", "", str(code or "").strip())
    central, local, _ = _registry()
    for n in range(len(code), 0, -1):
        head = code[:n]
        if head in central:
            for since, until, issuer in central[head]:
                if _in_years(since, until, year):
                    return CodeInfo(code, issuer, "", "central")
            return CodeInfo(code, central[head][0][2], "", "central")
        if head in local:
            region, issuer = local[head]
            return CodeInfo(code, issuer, region, "provincial")
    return CodeInfo(code)


def local_body(name):
    """Region and level of a local body named in full, or ``("", "")``; nothing is invented.

    The province is recognised from the 31 units; below it the level is read
    from the name's ending (市 municipal, 县/区/旗 county).

    Examples
    --------
    >>> local_body("广东省人民政府办公厅")
    ('广东省', 'provincial')
    >>> local_body("重庆市人民政府")
    ('重庆市', 'provincial')
    >>> local_body("浙江省杭州市人民政府")
    ('浙江省杭州市', 'municipal')
    >>> local_body("江苏省生态环境厅")
    ('江苏省', 'provincial')
    >>> local_body("国务院")
    ('', '')
    """
    name = str(name or "")
    for province in provinces():
        short = province[:-1] if province.endswith(("省", "市")) else province
        for prefix in (province, short):
            if name.startswith(prefix) and len(name) > len(prefix):
                rest = name[len(prefix):]
                m = re.match(r"(?P<sub>[\u4e00-\u9fff]{1,8}?(?:自治州|地区|盟|市|自治县|县|区|旗))(?=.*(?:人民政府|党委|委员会|厅|局|委|办))",
                             rest)
                if m and not rest.startswith(("人民政府", "委", "政府")):
                    level = "municipal" if m.group("sub").endswith(("市", "州", "地区", "盟")) else "county"
                    return province + m.group("sub"), level
                return province, "provincial"
    return "", ""
