"""The Corpus: an ordered collection of documents with a metadata table."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import cached_property

import pandas as pd

from .._types import StructureUnit
from ..errors import ParameterError
from ..meta.agencies import load_agencies
from ..text.normalization import normalize as _normalize_text
from ..text.structure import parse_structure
from .document import Document

__all__ = ["Corpus"]

_META_COLUMNS = [
    "title", "issuers", "lead_issuer", "date", "year", "doc_number", "doc_code", "doc_year",
    "doc_serial", "doc_type", "level", "region", "source", "n_chars",
]


def _as_set(name, value):
    if isinstance(value, (str, int)):
        return {value}
    try:
        return set(value)
    except TypeError:
        raise ParameterError(f"{name}={value!r} must be a value or a list of values") from None


class Corpus:
    """An ordered collection of :class:`Document` objects.

    Parameters
    ----------
    documents : iterable of Document
        Ids must be unique.
    report : pandas.DataFrame, optional
        The ingest report (one row per input, loaded or skipped, with the
        reason); :func:`~policynlp.read_corpus` fills it.

    Examples
    --------
    >>> from policynlp import Corpus, Document
    >>> c = Corpus([
    ...     Document("a", "关于开展国家智慧城市试点工作的通知", "……", issuers=("住房和城乡建设部",), date="2012-12"),
    ...     Document("b", "关于促进智慧城市健康发展的指导意见", "……", issuers=("国家发展和改革委员会", "工业和信息化部"), date="2014-08-27"),
    ... ])
    >>> c
    <Corpus: 2 documents, 2012–2014, 3 issuers (top: 住房和城乡建设部 1, 国家发展和改革委员会 1, 工业和信息化部 1)>
    >>> c.filter(issuer="工信部").ids
    ['b']
    >>> c.meta.loc["b", "lead_issuer"], int(c.meta.loc["b", "year"])
    ('国家发展和改革委员会', 2014)
    """

    def __init__(self, documents: Iterable[Document] = (), *, report: pd.DataFrame | None = None) -> None:
        self._docs = list(documents)
        self._index = {}
        for i, d in enumerate(self._docs):
            if not isinstance(d, Document):
                raise ParameterError(f"documents[{i}] is a {type(d).__name__}, not a Document")
            if d.id in self._index:
                raise ParameterError(
                    f"document id {d.id!r} occurs twice (positions {self._index[d.id]} and {i}); ids must be unique"
                )
            self._index[d.id] = i
        self.report = report if report is not None else pd.DataFrame()

    # --- container protocol -------------------------------------------------------
    def __len__(self):
        return len(self._docs)

    def __iter__(self):
        return iter(self._docs)

    def __contains__(self, doc_id):
        return doc_id in self._index

    def __getitem__(self, key):
        if isinstance(key, str):
            try:
                return self._docs[self._index[key]]
            except KeyError:
                raise KeyError(f"no document with id {key!r} in this corpus") from None
        if isinstance(key, slice):
            return Corpus(self._docs[key])
        return self._docs[key]

    def __eq__(self, other):
        return isinstance(other, Corpus) and self._docs == other._docs

    __hash__ = None

    @property
    def ids(self):
        """Document ids in corpus order."""
        return [d.id for d in self._docs]

    @property
    def texts(self):
        """Document texts in corpus order."""
        return [d.text for d in self._docs]

    def __repr__(self):
        years = sorted(d.year for d in self._docs if d.year is not None)
        span = f"{years[0]}–{years[-1]}" if years else "no dates"
        issuers = Counter(a for d in self._docs for a in d.issuers)
        top = ", ".join(f"{a} {n}" for a, n in sorted(issuers.items(), key=lambda kv: (-kv[1], list(issuers).index(kv[0])))[:3])
        tail = f", {len(issuers)} issuer{'s' if len(issuers) != 1 else ''} (top: {top})" if issuers else ""
        return f"<Corpus: {len(self)} document{'s' if len(self) != 1 else ''}, {span}{tail}>"

    # --- tables ---------------------------------------------------------------------
    @cached_property
    def meta(self):
        """Metadata as a DataFrame indexed by document id.

        Columns: ``title, issuers`` (``;``-joined), ``lead_issuer, date, year``
        (nullable integer), ``doc_number, doc_code, doc_year, doc_serial`` (parsed
        文号), ``doc_type, level, region, source, n_chars``.
        """
        rows = []
        for d in self._docs:
            dn = d.doc_number_parts
            rows.append(
                [d.title, ";".join(d.issuers), d.issuers[0] if d.issuers else "", d.date, d.year,
                 d.doc_number, dn.code if dn else None, dn.year if dn else None, dn.serial if dn else None,
                 d.doc_type, d.level, d.region, d.source, len(d.text)]
            )
        df = pd.DataFrame(rows, columns=_META_COLUMNS, index=pd.Index(self.ids, name="id"))
        for col in ("year", "doc_year", "doc_serial"):
            df[col] = df[col].astype("Int64")
        return df

    def to_frame(self):
        """All fields as a DataFrame, one row per document (``issuers`` as lists, ``extra`` as dicts)."""
        from .writers import to_frame

        return to_frame(self)

    @classmethod
    def from_frame(cls, frame):
        """Build a corpus from a frame with the columns of :meth:`to_frame`."""
        from .writers import from_frame

        return from_frame(frame)

    # --- selection and transformation ---------------------------------------------
    def filter(
        self,
        *,
        year: int | Iterable[int] | None = None,
        issuer: str | None = None,
        doc_type: str | None = None,
        level: str | None = None,
        region: str | None = None,
        ids: Iterable[str] | None = None,
    ) -> Corpus:
        """Documents matching every given criterion, as a new Corpus.

        Parameters
        ----------
        year : int, (start, end) tuple or list of int, optional
            A tuple is an inclusive range.  Documents without a date never match.
        issuer : str or list of str, optional
            A name or alias (resolved through the agency registry) that must be
            among a document's issuers.
        doc_type, level, region : str or list of str, optional
        ids : list of str, optional

        Returns
        -------
        Corpus
        """
        keep = self._docs
        if year is not None:
            if isinstance(year, tuple):
                if len(year) != 2:
                    raise ParameterError(f"year={year!r}: a tuple must be (start, end)")
                lo, hi = year
                keep = [d for d in keep if d.year is not None and lo <= d.year <= hi]
            else:
                years = _as_set("year", year)
                keep = [d for d in keep if d.year in years]
        if issuer is not None:
            reg = load_agencies()
            wanted = {reg.canonical(n) or n for n in _as_set("issuer", issuer)}
            keep = [d for d in keep if wanted.intersection(d.issuers)]
        for name, value in (("doc_type", doc_type), ("level", level), ("region", region)):
            if value is not None:
                allowed = _as_set(name, value)
                keep = [d for d in keep if getattr(d, name) in allowed]
        if ids is not None:
            allowed = _as_set("ids", ids)
            keep = [d for d in keep if d.id in allowed]
        return Corpus(keep)

    def normalize(self, **options):
        """A new corpus whose texts and titles are normalised; this one is unchanged.

        Parameters
        ----------
        **options
            Switches of :func:`policynlp.text.normalize` (``halfwidth``,
            ``punctuation``, ``whitespace``, ``join_lines``, ``citation_marks``,
            ``simplified``).
        """
        docs = [
            d.replace(text=_normalize_text(d.text, **options), title=_normalize_text(d.title, **options))
            for d in self._docs
        ]
        return Corpus(docs, report=self.report)

    def structure(self, unit: StructureUnit = "clause") -> pd.DataFrame:
        """Clauses or sentences of every document (see :func:`policynlp.text.parse_structure`)."""
        frames = [parse_structure(d.text, doc_id=d.id, unit=unit) for d in self._docs]
        if not frames:
            return parse_structure("", unit=unit)
        return pd.concat(frames, ignore_index=True)

    # --- files --------------------------------------------------------------------------
    def to_parquet(self, path):
        """Write the corpus to a Parquet file (the native format; lossless)."""
        from .writers import write_parquet

        write_parquet(self, path)

    @classmethod
    def read_parquet(cls, path):
        """Read a corpus written by :meth:`to_parquet`."""
        from .writers import read_parquet

        return read_parquet(path)

    def to_jsonl(self, path):
        """Write one JSON object per document per line (UTF-8)."""
        from .writers import write_jsonl

        write_jsonl(self, path)

    def to_csv(self, path, *, excel=False):
        """Write a CSV; ``excel=True`` adds a UTF-8 BOM so that Excel shows Chinese correctly."""
        from .writers import write_csv

        write_csv(self, path, excel=excel)
