"""Documents, corpora, readers and writers."""

from .corpus import Corpus
from .document import Document, content_id
from .readers import COLUMN_ALIASES, IngestWarning, read_corpus

__all__ = ["Document", "Corpus", "read_corpus", "content_id", "IngestWarning", "COLUMN_ALIASES"]
