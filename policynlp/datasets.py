"""Loaders for the bundled corpora in ``corpora/`` (installed with the package as ``policynlp._corpora``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ResourceNotFoundError

if TYPE_CHECKING:
    import pandas as pd

    from .corpus import Corpus

__all__ = ["corpora_path", "demo_path", "load_demo", "load_catalogue", "load_programmes", "load_smart_city_2017"]


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


def load_demo(**kwargs: Any) -> Corpus:
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


def _table(name, file):
    import pandas as pd

    path = corpora_path() / name / file
    if not path.is_file():
        raise ResourceNotFoundError(f"no bundled dataset {name!r} with {file}; bundled: smart_city_2017")
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def load_catalogue(name="smart_city_2017"):
    """The policies cited by the founding paper: ``id, section, date, issuers, title, doc_number, note``.

    ``issuers`` are canonical names joined by ``;`` (lead first); ``date`` keeps
    the precision the paper gives.

    Examples
    --------
    >>> cat = load_catalogue()
    >>> cat.groupby("section").size()["infrastructure"]
    np.int64(5)
    """
    return _table(name, "catalogue.csv")


def load_programmes(name="smart_city_2017"):
    """The programmes (initiatives) the founding paper names, with counts: ``programme, batch, date, bodies, count …``."""
    df = _table(name, "programmes.csv")
    df["count"] = df["count"].map(lambda v: int(v) if v.strip() else None).astype("Int64")
    return df


def programme_names(catalogue):
    """The names of a bundled catalogue's programmes, longest first (ties by name), for matching in text.

    Anything but a bundled name (a DataFrame of titles, None) has no programmes: ``[]``.
    """
    if not isinstance(catalogue, str):
        return []
    return sorted(set(load_programmes(catalogue)["programme"]), key=lambda p: (-len(p), p))


def load_smart_city_2017() -> tuple[pd.DataFrame, pd.DataFrame, Corpus]:
    """``(catalogue, programmes, corpus)`` of the founding case (Sheng 2017), from the installed package.

    Examples
    --------
    >>> catalogue, programmes, corpus = load_smart_city_2017()
    >>> len(catalogue), len(programmes), len(corpus)
    (22, 11, 25)
    """
    return load_catalogue(), load_programmes(), load_demo()
