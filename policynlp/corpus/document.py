"""The Document record."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields, replace

from ..meta.docnumbers import parse_doc_number

__all__ = ["Document", "content_id"]


def content_id(title, text):
    """A stable id derived from a document's title and text.

    The same content always gives the same id, so re-ingesting a folder keeps
    ids stable.  Sixteen hex digits of BLAKE2b make a clash between distinct
    documents vanishingly unlikely even for millions of documents.

    Examples
    --------
    >>> content_id("关于促进智慧城市健康发展的指导意见", "为规范和推动智慧城市健康发展……")
    'doc-...'
    """
    h = hashlib.blake2b(digest_size=8)
    h.update((title or "").encode("utf-8"))
    h.update(b"\x00")
    h.update((text or "").encode("utf-8"))
    return "doc-" + h.hexdigest()


@dataclass(frozen=True)
class Document:
    """One policy document.

    Parameters
    ----------
    id : str
        Given by the user, else derived from the content (:func:`content_id`).
    title : str
    text : str
        The text as read (decoded, line endings unified).  Normalised copies
        are made by :meth:`Corpus.normalize`; this one is never changed.
    issuers : tuple of str
        Canonical names of the issuing bodies, lead first.
    date : str or None
        ISO date with its precision kept: ``2014``, ``2014-08`` or ``2014-08-27``.
    doc_number : str or None
        The document number (文号) as written; see :attr:`doc_number_parts`.
    doc_type : str
        通知, 意见, 办法, 规划, 方案, 指南 …
    level : str
        ``central``, ``provincial``, ``municipal``, ``county`` or ``""``.
    region : str
    source : str
        Where the document came from (file path, URL).
    extra : dict
        Any other metadata the user had (JSON-serialisable values).

    Examples
    --------
    >>> d = Document(id="a", title="关于促进智慧城市健康发展的指导意见", text="……", doc_number="发改高技〔2014〕1770号", date="2014-08-27")
    >>> d.year, d.doc_number_parts.serial
    (2014, 1770)
    """

    id: str
    title: str = ""
    text: str = ""
    issuers: tuple = ()
    date: str | None = None
    doc_number: str | None = None
    doc_type: str = ""
    level: str = ""
    region: str = ""
    source: str = ""
    extra: dict = field(default_factory=dict, hash=False, compare=True)

    def __post_init__(self):
        # Accept lists for convenience but store an immutable tuple; a string is the ";"-joined form the CSV
        # writer and Corpus.meta use (tuple() of it would make every character an issuer)
        issuers = self.issuers
        if isinstance(issuers, str):
            issuers = [part.strip() for part in issuers.split(";") if part.strip()]
        if not isinstance(issuers, tuple):
            object.__setattr__(self, "issuers", tuple(issuers or ()))

    @property
    def year(self):
        """The year of :attr:`date`, or ``None``."""
        return int(self.date[:4]) if self.date else None

    @property
    def doc_number_parts(self):
        """The parsed :class:`~policynlp.meta.DocNumber`, or ``None``."""
        return parse_doc_number(self.doc_number) if self.doc_number else None

    def to_dict(self):
        """A plain dict of the fields (issuers as a list)."""
        d = asdict(self)
        d["issuers"] = list(self.issuers)
        return d

    def replace(self, **changes):
        """A copy with some fields changed."""
        return replace(self, **changes)


FIELDS = tuple(f.name for f in fields(Document))
