"""Bundled data by name: lexicons, stopwords, the agency registry, taxonomies.

Everything lives as plain text under ``policynlp/data`` and is read through
:mod:`importlib.resources`, so it works from a wheel as well as a checkout.
Nothing is read at import time.
"""

import hashlib
from functools import lru_cache
from importlib import resources

import yaml

from .errors import ResourceNotFoundError

__all__ = ["read_text", "load_yaml", "read_lines", "resource_hash"]

_PACKAGE = "policynlp.data"


def _file(name):
    ref = resources.files(_PACKAGE).joinpath(name)
    if not ref.is_file():
        raise ResourceNotFoundError(
            f"no bundled resource named {name!r} in {_PACKAGE}; "
            "check the spelling or pass a path to your own file"
        )
    return ref


def read_text(name):
    """Return the text of the bundled resource ``name`` (a path under ``policynlp/data``)."""
    return _file(name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def load_yaml(name):
    """Parse a bundled YAML resource (cached; treat the result as read-only)."""
    return yaml.safe_load(read_text(name))


def read_lines(name):
    """Return the non-empty, non-comment lines of a bundled text list."""
    out = []
    for line in read_text(name).splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def resource_hash(name):
    """SHA-256 of a bundled resource's bytes, first 16 hex digits (for provenance)."""
    return hashlib.sha256(_file(name).read_bytes()).hexdigest()[:16]
