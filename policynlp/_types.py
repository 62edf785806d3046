"""Type aliases of the public API, and the choices of its choice parameters.

Each ``Literal`` here is also the tuple the code validates against
(``typing.get_args``), so the annotations a type checker reads and the values
the functions accept cannot drift apart.  Only :mod:`typing` is imported:
annotations cost nothing at import time (modules that use them have
``from __future__ import annotations``).
"""

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, Union, get_args

if TYPE_CHECKING:
    import pandas as pd

    from .corpus import Corpus

__all__ = ["PathLike", "Documents", "Engine", "SpanPolicy", "TopicMethod", "CoherenceMeasure", "UnitKind", "StructureUnit", "OnError",
           "OnDuplicate", "GexfVersion", "Weighting", "TaxonomyMode", "Measure", "choices"]

PathLike = Union[str, "os.PathLike[str]"]
#: what the analysis functions read: a Corpus, a DataFrame with ``id`` and ``text``, a list of texts, or one text
Documents = Union["Corpus", "pd.DataFrame", Sequence[str], str]
#: segmentation engines: Rust jieba (fast) or the reference Python jieba
Engine = Literal["rjieba", "jieba"]
#: what the Segmenter does with a protected span (a title, a 文号, a date …)
SpanPolicy = Literal["keep", "drop", "split"]
TopicMethod = Literal["gensim-lda", "lda", "nmf"]
CoherenceMeasure = Literal["c_v", "u_mass", "c_npmi", "c_uci"]
#: what a topic model, a taxonomy or a network reads
UnitKind = Literal["document", "paragraph", "clause", "sentence"]
StructureUnit = Literal["clause", "sentence"]
OnError = Literal["warn", "raise", "skip"]
OnDuplicate = Literal["keep", "drop"]
GexfVersion = Literal["1.3", "1.2draft"]
Weighting = Literal["count", "tfidf", "binary"]
TaxonomyMode = Literal["lexicon", "supervised"]
#: edge weights of the co-occurrence and co-citation networks
Measure = Literal["count", "association", "cosine", "jaccard"]


def choices(alias):
    """The values a ``Literal`` alias allows, as the tuple the validators take.

    Examples
    --------
    >>> choices(OnDuplicate)
    ('keep', 'drop')
    """
    return get_args(alias)
