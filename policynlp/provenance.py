"""Provenance of results: package versions, parameters and the segmentation fingerprint.

Every table policynlp computes carries ``df.attrs["provenance"]``; the CLI
writes it next to each output (``*.provenance.json``) and into Parquet
metadata, so a table found on disk months later still says how it was made.
"""

import hashlib
import json
from importlib import metadata

__all__ = ["provenance", "package_versions", "attach", "to_json"]

_PACKAGES = ("policynlp", "jieba", "rjieba", "pandas", "numpy", "scipy", "scikit-learn", "gensim", "networkx", "pyarrow")


def stable_hash(obj):
    """A short hash of JSON-able data, the same in every process (keys sorted; stage keys of ``analyze``).

    Examples
    --------
    >>> stable_hash({"b": 1, "a": [2, 3]}) == stable_hash({"a": [2, 3], "b": 1})
    True
    """
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()[:16]


def package_versions():
    """Installed versions of the packages whose behaviour shapes results."""
    out = {}
    for name in _PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def _jsonable(v):
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in sorted(v.items(), key=lambda kv: str(kv[0]))}
    if isinstance(v, (list, tuple, set, frozenset)):
        items = [_jsonable(x) for x in v]
        return sorted(items, key=str) if isinstance(v, (set, frozenset)) else items
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    if hasattr(v, "item"):
        return v.item()
    return str(v)


def provenance(step, params, *, upstream=None):
    """A provenance record for one computation.

    Parameters
    ----------
    step : str
        What was computed (``"keywords.tfidf"``, ``"topics.fit"`` …).
    params : dict
        The parameters, as given.
    upstream : dict, optional
        The provenance of the input (e.g. the tokens' segmentation).
    """
    rec = {"step": step, "params": _jsonable(params), "versions": package_versions()}
    if upstream:
        rec["input"] = upstream
    return rec


def attach(frame, record):
    """Set ``frame.attrs["provenance"]`` and return the frame."""
    frame.attrs["provenance"] = record
    return frame


def to_json(record):
    """Deterministic JSON text of a provenance record."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True, indent=2)
