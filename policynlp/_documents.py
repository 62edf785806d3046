"""One adapter for "documents": the ways a user hands texts to a function.

A Corpus (or anything with ``ids`` and ``texts``), a DataFrame with ``id``
and ``text`` columns, a pandas Series of texts (its index the ids), or a list
of strings (ids ``0, 1, …``).  A single string is refused with a hint, since
iterating over it would treat each character as a document.
"""

import pandas as pd

from .errors import ParameterError


def ids_texts(docs, *, one_text_hint="pass a list of texts"):
    """``(ids, texts)`` of ``docs``, both lists of str.

    Examples
    --------
    >>> ids_texts(["推进智慧城市建设", "发展智慧旅游"])
    (['0', '1'], ['推进智慧城市建设', '发展智慧旅游'])
    >>> ids_texts(pd.DataFrame({"id": ["a"], "text": ["发展智慧旅游"]}))
    (['a'], ['发展智慧旅游'])
    """
    if hasattr(docs, "ids") and hasattr(docs, "texts"):
        return [str(i) for i in docs.ids], [str(t) for t in docs.texts]
    if isinstance(docs, pd.Series):
        return [str(i) for i in docs.index], [str(t) for t in docs]
    if isinstance(docs, pd.DataFrame):
        if not {"id", "text"} <= set(docs.columns):
            raise ParameterError(f"a DataFrame of documents needs columns 'id' and 'text'; it has {list(docs.columns)}")
        return docs["id"].astype(str).tolist(), docs["text"].astype(str).tolist()
    if isinstance(docs, str):
        raise ParameterError(f"docs is a single string; {one_text_hint}")
    texts = list(docs)
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise ParameterError(f"docs[{i}] is a {type(t).__name__}, not a str")
    return [str(i) for i in range(len(texts))], texts
