"""Documents, corpora, readers and writers."""

from .corpus import Corpus
from .document import Document, content_id
from .readers import COLUMN_ALIASES, IngestWarning, ingest_to_parquet, read_corpus

__all__ = ["Document", "Corpus", "read_corpus", "ingest_to_parquet", "content_id", "IngestWarning", "COLUMN_ALIASES"]
