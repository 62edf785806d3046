"""Text normalisation, document structure (sections, clauses, sentences) and units of analysis."""

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
from .units import choose_unit, split_units, units_frame

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
    "split_units",
    "units_frame",
    "choose_unit",
]
