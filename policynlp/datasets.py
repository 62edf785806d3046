"""Loaders for the bundled corpora in ``corpora/`` (installed with the package as ``policynlp._corpora``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .errors import ResourceNotFoundError

__all__ = ["corpora_path", "demo_path", "load_demo"]


def corpora_path():
    """The folder holding the bundled corpora, from an installed wheel or a source checkout."""
    try:
        root = resources.files("policynlp._corpora")
    except ModuleNotFoundError:
        root = Path(__file__).resolve().parent.parent / "corpora"
    path = Path(str(root))
    if not path.is_dir():
        raise ResourceNotFoundError(
            "the bundled corpora are missing; reinstall policynlp (pip install --force-reinstall policynlp)"
        )
    return path


def demo_path():
    """The folder of the demo corpus: central smart-city policies cited by Sheng (2017), as summaries.

    Examples
    --------
    >>> sorted(p.suffix for p in demo_path().iterdir())[:1]
    ['.md']
    """
    return corpora_path() / "smart_city_2017" / "documents"


def load_demo(**kwargs):
    """Read the demo corpus with :func:`policynlp.read_corpus` (keyword arguments are passed on).

    Examples
    --------
    >>> corpus = load_demo()
    >>> corpus["sc-guidance-2014"].doc_number
    '发改高技〔2014〕1770号'
    """
    from .corpus.readers import read_corpus

    kwargs.setdefault("progress", False)
    return read_corpus(demo_path(), **kwargs)
