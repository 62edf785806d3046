"""Text normalisation and document structure (sections, clauses, sentences)."""

from .normalization import (
    join_broken_lines,
    normalize,
    normalize_whitespace,
    remove_citation_marks,
    to_halfwidth,
    to_simplified,
    unify_punctuation,
)
from .structure import parse_structure, split_sentences

__all__ = [
    "normalize",
    "to_halfwidth",
    "unify_punctuation",
    "normalize_whitespace",
    "join_broken_lines",
    "remove_citation_marks",
    "to_simplified",
    "parse_structure",
    "split_sentences",
]
