"""The configuration of :func:`policynlp.pipeline.analyze`: defaults, loading, and strict validation.

Every key has a declared type and range.  A configuration (a YAML file or a
dict) is checked completely when it is loaded, before any work: an unknown key,
a value of the wrong type (``hmm: "no"`` is not a boolean), an empty sweep or a
taxonomy group the taxonomy does not have is refused with the key, the value
and what is allowed.  YAML files are read with :func:`policynlp._yaml.safe_load`
(duplicate keys and alias bombs are refused).
"""

import copy
from numbers import Real
from pathlib import Path

import yaml

from ._types import Engine, Measure, OnDuplicate, OnError, TopicMethod, UnitKind, choices
from ._yaml import safe_load
from .errors import CorpusFormatError, ParameterError, ResourceNotFoundError

__all__ = ["DEFAULT_CONFIG", "DEMO_CONFIG", "load_config", "default_config_text", "GRAPH_KINDS"]

GRAPH_KINDS = ("co-issuing", "citation", "co-citation", "multimode", "cooccurrence")

DEFAULT_CONFIG = {
    "ingest": {"errors": "warn", "encoding": None, "text_column": None, "path_column": None, "columns": None,
               "duplicates": "keep",
               "recursive": True, "hidden": False, "sheet": None, "max_bytes": 32 << 20, "max_ratio": 100.0},
    "normalize": {"halfwidth": True, "punctuation": True, "whitespace": True, "join_lines": True,
                  "citation_marks": True, "simplified": False},
    "segment": {"engine": "rjieba", "hmm": True, "user_words": None, "stopwords": "policy", "n_jobs": 1,
                "discover": False, "discover_top_n": 200},
    "keywords": {"methods": ["tfidf", "textrank", "trends"], "top_n": 15, "by": "year", "keyness": None,
                 "trend_terms": None, "admin_stopwords": True},
    "topics": {"k": None, "sweep": [5, 10, 15], "sweep_seeds": [0, 1], "method": "gensim-lda", "seed": 0,
               "unit": "auto", "min_df": 2, "max_df": 0.5, "passes": 5, "iterations": 50, "alpha": "symmetric",
               "eta": None, "admin_stopwords": True, "seed_topics": None},
    "taxonomy": {"name": "cn_policy_domains", "group": None, "instruments": "policy_instruments", "unit": "sentence"},
    "extract": {"catalogue": None},
    "graphs": {"kinds": ["co-issuing", "multimode", "cooccurrence"], "unit": "sentence",
               "cooccurrence": {"min_df": 5, "min_weight": 2, "top_n": 150, "measure": "count", "min_lift": 1.5,
                                "admin_stopwords": True, "window": None},
               "co_citation": {"measure": "count", "unit": "document", "min_weight": 1}},
    "reuse": {"enabled": True, "min_chars": 50, "min_similarity": 0.75, "max_df": None},
    "output": {"excel": True, "figures": True, "seed": 0},
}

#: What `policynlp demo` changes for the bundled 25-document demo: keyness across two periods, a
#: sweep suited to 25 documents, and the founding paper's taxonomy and catalogue.
DEMO_CONFIG = {
    "keywords": {"keyness": {"by": "year", "groups": {"2012–2014": [2012, 2013, 2014],
                                                       "2015–2024": [2015, 2016, 2021, 2022, 2024]}}},
    "topics": {"sweep": [4, 6, 8], "min_df": 2, "max_df": 0.6, "passes": 10},
    "taxonomy": {"name": "smart_city_2017", "group": "core"},
    "extract": {"catalogue": "smart_city_2017"},
    "graphs": {"cooccurrence": {"min_df": 3, "min_weight": 3, "top_n": 120, "measure": "association"}},
}

_DOC = {
    "ingest": "read_corpus options: errors warn|raise|skip, encoding, text_column, path_column, columns (other keys' "
              "columns, e.g. {title: Policy Name, issuers: Lead Department}), duplicates keep|drop, "
              "recursive, hidden (read .name and ~$name files), sheet (one Excel sheet; null = every sheet), "
              "max_bytes and max_ratio (size limits against oversized inputs and decompression bombs)",
    "normalize": "text normalisation steps (policynlp.text.normalize)",
    "segment": "Segmenter options; n_jobs > 1 uses worker processes; discover = find the corpus's own terms "
               "(新词发现: frequency, PMI, branching entropy) and add the best discover_top_n to the segmenter, listed "
               "in tokens/discovered_terms.csv",
    "keywords": "methods = any of tfidf, textrank, trends (trends need years); top_n per group; by = metadata column; "
                "keyness = {by: year, groups: {label: [values], label: [values]}} (groups null when by has two values); "
                "trend_terms = list of terms (default: the most frequent); admin_stopwords = drop administrative verbs "
                "(加强, 推进, 开展 …) from keywords",
    "topics": "k = number of topics (null: best mean c_v of the sweep); sweep = K values; method gensim-lda|lda|nmf; "
              "unit = auto|document|paragraph|clause|sentence (what the model reads; auto: paragraphs when the median "
              "document has 2,500 characters or more, else documents; document shares are the token-weighted "
              "mean of their units'); min_df = units a term must be in (count, or fraction below 1); max_df = largest "
              "share of units (a fraction, 0.5 = half); passes, iterations, alpha (symmetric|asymmetric|auto|number), "
              "eta (null|auto|number): gensim's; admin_stopwords = drop administrative verbs (加强, 推进, 开展 …) from "
              "topic terms; seed_topics = null | taxonomy name | {label: [terms]}",
    "taxonomy": "domain taxonomy (bundled: cn_policy_domains, the State Council library's subject categories; "
                "smart_city_2017 with group core, the founding paper's; or a YAML path), group of its domains "
                "(null: all), instrument taxonomy, "
                "coding unit",
    "extract": "catalogue = null | smart_city_2017 (resolve cited titles)",
    "graphs": "kinds among co-issuing, citation, co-citation, multimode, cooccurrence; unit of co-mention; "
              "cooccurrence.min_lift keeps term pairs that co-occur at least this many times more than chance (null: all); "
              "cooccurrence.admin_stopwords leaves administrative verbs (加强, 推进 …) out of the network; "
              "cooccurrence.window counts terms within that many tokens (null: in the same document); "
              "co_citation: weighting measure, citing unit and minimum count",
    "reuse": "text reuse between documents (policy diffusion): enabled; min_chars = shortest shared passage reported; "
             "min_similarity = smallest similarity of the two passages (0–1); max_df = fingerprints found in more "
             "documents make no candidate pairs (null: 100, or 0.2 % of the documents above 50,000)",
    "output": "excel = CSV with a UTF-8 BOM; figures = PNG and SVG; seed for layouts and communities",
}


# --- value checks: each returns None when the value is allowed, else what is allowed ----------

def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _is_num(v):
    return isinstance(v, Real) and not isinstance(v, bool)


def _bool(v):
    return None if isinstance(v, bool) else "true or false (YAML booleans, not strings such as \"no\")"


def _int(minimum):
    def check(v):
        return None if _is_int(v) and v >= minimum else f"a whole number ≥ {minimum}"
    return check


def _optional(check, what="null"):
    def inner(v):
        if v is None:
            return None
        why = check(v)
        return None if why is None else f"{what} or {why}"
    return inner


def _str(v):
    return None if isinstance(v, str) and v.strip() else "a non-empty string"


def _choice(*options):
    def check(v):
        return None if v in options and not isinstance(v, bool) else "one of " + ", ".join(map(repr, options))
    return check


def _list_of(item, what, *, unique=False, empty=False):
    kind = "a list" if empty else "a non-empty list"

    def check(v):
        if not isinstance(v, list) or (not v and not empty):
            return f"{kind} of {what}"
        if any(item(x) is not None for x in v):
            return f"{kind} of {what}"
        if unique and len(set(v)) != len(v):
            return f"a list of {what} without repeats"
        return None
    return check


def _str_or_list(v):
    if isinstance(v, str) and v.strip():
        return None
    if isinstance(v, list) and v and all(isinstance(x, str) and x.strip() for x in v):
        return None
    return "a string (a file) or a non-empty list of strings"


def _min_df(v):
    if _is_int(v) and v >= 1:
        return None
    if _is_num(v) and 0 < v < 1:
        return None
    return "a whole number of documents ≥ 1, or a fraction of documents between 0 and 1 (as in scikit-learn)"


def _max_df(v):
    if _is_num(v) and not _is_int(v) and 0 < v <= 1:
        return None
    return ("a fraction of documents, 0 < max_df ≤ 1, written with a decimal point (0.5 = terms in at most half the "
            "documents); a whole number would be read by scikit-learn as a count of documents, which is rarely "
            "meant here, so it is refused")


def _positive(v):
    return None if _is_num(v) and v > 0 else "a number above 0"


def _fraction(v):
    return None if _is_num(v) and 0 <= v <= 1 else "a number from 0 to 1"


def _ratio(v):
    return None if _is_num(v) and v > 1 else "a number above 1"


def _alpha(v):
    if v in ("symmetric", "asymmetric", "auto") or (_is_num(v) and v > 0):
        return None
    return "'symmetric', 'asymmetric', 'auto' or a number above 0"


def _eta(v):
    if v is None or v == "auto" or (_is_num(v) and v > 0):
        return None
    return "null (gensim's 1/K), 'auto' or a number above 0"


def _stopwords(v):
    if v is None or v == "policy" or _str_or_list(v) is None:
        return None
    return "\"policy\" (the bundled list), null (none), a file path or a list of words"


def _columns(v):
    from .meta.records import MAPPABLE_KEYS  # the record parser owns the column names; imported only when checked

    if v is None or (isinstance(v, dict) and v and all(k in MAPPABLE_KEYS for k in v)
                     and all(isinstance(c, str) and c for c in v.values())):
        return None
    return "null or a mapping of Document keys (" + ", ".join(MAPPABLE_KEYS) + ") to column names"


def _keyness(v):
    if v is None:
        return None
    if (isinstance(v, dict) and set(v) == {"by", "groups"} and isinstance(v["by"], str)
            and (v["groups"] is None or (isinstance(v["groups"], dict) and len(v["groups"]) == 2
                                         and all(isinstance(g, list) and g for g in v["groups"].values())))):
        return None
    return "null or {by: column, groups: {label: [values], label: [values]}} (groups null when the column has two values)"


def _seed_topics(v):
    if v is None or _str(v) is None:
        return None
    if (isinstance(v, dict) and v and all(isinstance(k, str) for k in v)
            and all(isinstance(t, list) and t and all(isinstance(x, str) for x in t) for t in v.values())):
        return None
    return "null, a taxonomy name, or {label: [seed terms]}"


_SPEC = {
    "ingest": {"errors": _choice(*choices(OnError)), "encoding": _optional(_str), "text_column": _optional(_str),
               "path_column": _optional(_str), "columns": _columns, "duplicates": _choice(*choices(OnDuplicate)), "recursive": _bool,
               "hidden": _bool, "sheet": _optional(_str), "max_bytes": _int(1), "max_ratio": _ratio},
    "normalize": {k: _bool for k in DEFAULT_CONFIG["normalize"]},
    "segment": {"engine": _choice(*choices(Engine)), "hmm": _bool, "user_words": _optional(_str_or_list),
                "stopwords": _stopwords, "n_jobs": _int(1), "discover": _bool, "discover_top_n": _int(1)},
    "keywords": {"methods": _list_of(_choice("tfidf", "textrank", "trends"), "keyword methods (tfidf, textrank, trends)",
                                     unique=True, empty=True),
                 "top_n": _int(1), "by": _optional(_str), "keyness": _keyness,
                 "trend_terms": _optional(_list_of(_str, "terms")), "admin_stopwords": _bool},
    "topics": {"k": _optional(_int(1)), "sweep": _list_of(_int(1), "whole numbers ≥ 1", unique=True),
               "sweep_seeds": _list_of(_int(0), "whole numbers ≥ 0", unique=True),
               "method": _choice(*choices(TopicMethod)), "seed": _int(0),
               "unit": _choice("auto", *choices(UnitKind)), "min_df": _min_df, "max_df": _max_df,
               "passes": _int(1), "iterations": _int(1), "alpha": _alpha, "eta": _eta, "admin_stopwords": _bool,
               "seed_topics": _seed_topics},
    "taxonomy": {"name": _str, "group": _optional(_str), "instruments": _str,
                 "unit": _choice("clause", "sentence", "document")},
    "extract": {"catalogue": _optional(_str)},
    "graphs": {"kinds": _list_of(_choice(*GRAPH_KINDS), "graph kinds (" + ", ".join(GRAPH_KINDS) + ")", unique=True),
               "unit": _choice("sentence", "clause", "paragraph", "document"),
               "cooccurrence": {"min_df": _int(1), "min_weight": _int(1), "top_n": _optional(_int(2)),
                                "measure": _choice(*choices(Measure)),
                                "min_lift": _optional(_positive), "admin_stopwords": _bool,
                                "window": _optional(_int(2))},
               "co_citation": {"measure": _choice(*choices(Measure)),
                               "unit": _choice("document", "sentence", "paragraph"), "min_weight": _int(1)}},
    "reuse": {"enabled": _bool, "min_chars": _int(10), "min_similarity": _fraction, "max_df": _optional(_int(2))},
    "output": {"excel": _bool, "figures": _bool, "seed": _int(0)},
}


def default_config_text():
    """The default configuration as commented YAML (what ``policynlp analyze --write-config`` prints)."""
    lines = ["# policynlp analyze configuration: every parameter with its default.",
             "# Copy, edit and pass with --config. Unknown keys and values of the wrong type are errors."]
    for section, values in DEFAULT_CONFIG.items():
        lines.append("")
        lines.append(f"# {_DOC[section]}")
        lines.append(yaml.safe_dump({section: values}, allow_unicode=True, sort_keys=False).rstrip())
    return "\n".join(lines) + "\n"


def _merge(base, spec, over, path):
    """``base`` updated with ``over``, each key known to ``spec`` and each value checked against it."""
    if not isinstance(over, dict):
        where = ".".join(path) or "the configuration"
        raise ParameterError(f"configuration {where} must be a mapping of keys to values, not {over!r}")
    out = copy.deepcopy(base)
    for key, value in over.items():
        where = ".".join([*path, str(key)])
        if key not in spec:
            allowed = ", ".join(sorted(spec))
            raise ParameterError(f"unknown configuration key {where!r}; allowed here: {allowed}")
        if isinstance(spec[key], dict):
            out[key] = _merge(base[key], spec[key], value, [*path, str(key)])
            continue
        why = spec[key](value)
        if why is not None:
            raise ParameterError(f"configuration {where}={value!r} is not valid; it must be {why}")
        out[key] = copy.deepcopy(value)
    return out


def _check_taxonomy(cfg):
    """The taxonomy and instrument taxonomy exist, and the group is one of the taxonomy's groups."""
    from .taxonomy import load_taxonomy

    t = cfg["taxonomy"]
    try:
        tx = load_taxonomy(t["name"])
        load_taxonomy(t["instruments"])
    except (ResourceNotFoundError, CorpusFormatError) as exc:
        raise ParameterError(f"configuration taxonomy: {exc}") from exc
    groups = sorted({d.group for d in tx.domains if d.group})
    if t["group"] is not None and t["group"] not in groups:
        have = f"its groups are {', '.join(map(repr, groups))}" if groups else "it has no groups"
        raise ParameterError(f"configuration taxonomy.group={t['group']!r} is not a group of taxonomy "
                             f"{t['name']!r}; {have} (use null for every domain)")


#: Configuration keys renamed in this release: old path → new key (the old one works, with a FutureWarning, until
#: the next release).
RENAMED_KEYS = {("graphs", "cooccurrence", "min_count"): "min_df"}


def _renamed_keys(data):
    """``data`` with renamed keys under their new names, warning for each (a copy; ``data`` is not changed)."""
    import copy
    import warnings

    out = copy.deepcopy(data) if isinstance(data, dict) else data
    for path, new in RENAMED_KEYS.items():
        node = out
        for part in path[:-1]:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and path[-1] in node:
            old = ".".join(path)
            if new in node:
                raise ParameterError(f"configuration {old} is the old name of {'.'.join(path[:-1] + (new,))}: give "
                                     "only the new one")
            warnings.warn(f"configuration {old} is renamed {new}; the old name goes in the next release",
                          FutureWarning, stacklevel=3)
            node[new] = node.pop(path[-1])
    return out


def load_config(source=None, **overrides):
    """The effective configuration: defaults, then a YAML file (or dict), then keyword overrides.

    Every value is checked before it is returned.

    Parameters
    ----------
    source : path, dict or None
        A YAML file (as written by ``policynlp analyze --write-config``) or a
        dict of sections; missing keys keep their defaults.
    **overrides
        ``section__key=value``, e.g. ``topics__k=8``.

    Raises
    ------
    ParameterError
        For an unknown key (named with its path), a value of the wrong type
        or outside its range (named with the value and what is allowed).
    CorpusFormatError
        For a YAML file that cannot be parsed, has duplicate keys, or is an
        alias bomb.

    Examples
    --------
    >>> load_config(topics__k=8)["topics"]["k"]
    8
    >>> load_config({"segment": {"hmm": "no"}})
    Traceback (most recent call last):
    ...
    policynlp.errors.ParameterError: configuration segment.hmm='no' is not valid; it must be true or false (YAML booleans, not strings such as "no")
    """
    data = {}
    if isinstance(source, dict):
        data = source
    elif source is not None:
        p = Path(source)
        try:
            text = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ParameterError(f"cannot read configuration {p}: {exc}") from exc
        data = safe_load(text, source=p, what="configuration") or {}
        if not isinstance(data, dict):
            raise ParameterError(f"configuration {p} must be a mapping of sections, not {type(data).__name__}")
    cfg = _merge(DEFAULT_CONFIG, _SPEC, _renamed_keys(data), [])
    for dotted, value in overrides.items():
        section, _, key = dotted.partition("__")
        cfg = _merge(cfg, _SPEC, {section: {key: value}}, [])
    _check_taxonomy(cfg)
    return cfg
