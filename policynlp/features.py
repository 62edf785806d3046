"""Document-term matrices from token lists: a scikit-learn estimator with a bridge to gensim.

Input is what :meth:`Segmenter.segment` returns (a DataFrame with ``tokens``
and optionally ``pos``) or any list of token lists.  Counting is done by
scikit-learn's ``CountVectorizer`` over the tokens as they are (no second
segmentation), so the counts, keywords and topics of a run all rest on one
segmentation.

Its length is the TermVectorizer — a scikit-learn transformer with streaming, Dask and gensim
bridges — whose partition helpers sit next to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.utils.validation import check_is_fitted

from ._types import Weighting, choices
from ._validation import check_choice
from .errors import ParameterError

__all__ = ["TermVectorizer", "token_lists", "is_content_token", "window_pairs"]

# Tokens that are never terms of a topic or keyword: numbers, dates, document
# numbers (文号), percentages and titles in 《》 (kept by the Segmenter so they
# can be counted as citations, but not words), and the prefixes and numbers of
# standards (GB, GB/T 3095, HJ 2.2, ISO, IEC), which technical notices cite by
# the dozen and which would otherwise top topics of standards documents.
_NOT_A_TERM = re.compile(
    r"^(?:[\d.,%％]+|.*[〔\[【(（]\s*(?:19|20)\d{2}\s*[〕\]】)）].*号|.*令第\d+号|(?:19|20)\d{2}年.*|[〇○零一二三四五六七八九十]{4}年.*|《.*》"
    r"|(?:GB|GBZ|HJ|ISO|IEC|JGJ|CJJ|DB|YY|ITU|IEEE)(?:/[TZ])?[\s\-]?[\d.:\-]*)$",
    re.IGNORECASE,
)


def is_content_token(token):
    """False for numbers, dates, document numbers, 《titles》 and standards codes; True for words.

    Examples
    --------
    >>> [is_content_token(t) for t in ["智慧城市", "2014", "12.5%", "国发〔2013〕7号", "2014年8月", "《指导意见》", "5G"]]
    [True, False, False, False, False, False, True]
    >>> [is_content_token(t) for t in ["GB", "GB/T", "HJ2.2", "ISO", "AI", "APP"]]
    [False, False, False, False, True, True]
    """
    return not _NOT_A_TERM.match(token)


def token_lists(X, pos=None):
    """Token lists (and POS lists, when available) from a tokens DataFrame or a list of lists.

    Returns
    -------
    (ids, tokens, tags) : tuple
        ``ids`` is None for plain lists; ``tags`` is None without a ``pos`` column.
    """
    if isinstance(X, pd.DataFrame):
        if "tokens" not in X.columns:
            raise ParameterError(f"the DataFrame has no 'tokens' column (columns: {list(X.columns)}); pass Segmenter.segment(...) output")
        ids = X["id"].astype(str).tolist() if "id" in X.columns else [str(i) for i in X.index]
        tags = [list(p) for p in X["pos"]] if "pos" in X.columns else None
        return ids, [list(t) for t in X["tokens"]], tags
    if isinstance(X, pd.Series):
        return [str(i) for i in X.index], [list(t) for t in X], None
    if isinstance(X, str):
        raise ParameterError("X is a string; pass token lists (e.g. Segmenter().segment(corpus))")
    docs = list(X)
    for i, d in enumerate(docs):
        if isinstance(d, str) or not hasattr(d, "__iter__"):
            raise ParameterError(f"X[{i}] is a {type(d).__name__}; each document must be a list of tokens")
    return None, [list(d) for d in docs], None


def window_pairs(docs, vocabulary, window):
    """Term pairs within ``window`` tokens of each other, as two index arrays (a term with itself left out).

    The kernel of windowed co-occurrence, shared by TextRank keywords and
    windowed co-occurrence networks: every pair ``(d[i], d[i + k])`` for
    ``0 < k < window``, in document order, then by distance.

    Parameters
    ----------
    docs : iterable of list of str
        Analysed token lists (only terms in ``vocabulary``).
    vocabulary : dict
        Term → column index.
    window : int

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Row and column indices of each pair.

    Examples
    --------
    >>> src, dst = window_pairs([["智慧", "城市", "智慧"]], {"智慧": 0, "城市": 1}, 3)
    >>> src.tolist(), dst.tolist()
    ([0, 1], [1, 0])
    """
    src, dst = [], []
    for d in docs:
        idx = np.fromiter((vocabulary[t] for t in d), dtype=np.int64, count=len(d))
        for k in range(1, window):
            if len(idx) > k:
                a, b = idx[:-k], idx[k:]
                keep = a != b
                src.append(a[keep])
                dst.append(b[keep])
    if not src:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    return np.concatenate(src), np.concatenate(dst)


def _identity(tokens):
    return tokens


class _TermFilter:
    """A pre-tokenised analyzer that keeps terms: long enough, not stopwords, not numbers/dates/文号/titles."""

    def __init__(self, stopwords, min_length, content_only):
        self.drop = frozenset(stopwords or ())
        self.min_length = min_length or 1
        self.content_only = content_only
        self.memo = {}

    def _learn(self, t):
        k = self.memo[t] = len(t) >= self.min_length and t not in self.drop and (not self.content_only or is_content_token(t))
        return k

    def __call__(self, tokens):
        get, learn = self.memo.get, self._learn
        return [t for t in tokens if (k := get(t)) or (k is None and learn(t))]


class TermVectorizer(TransformerMixin, BaseEstimator):
    """Turn token lists into a sparse document-term matrix.

    Parameters
    ----------
    min_df : int or float, default 1
        Ignore terms in fewer documents (int) or a smaller share of them (float).
    max_df : int or float, default 1.0
        Ignore terms in more documents than this (share or count).
    max_features : int, optional
        Keep only the most frequent terms.
    stopwords : iterable of str, optional
        Further terms to drop (the Segmenter already drops its list).
    pos : iterable of str, optional
        Keep only tokens with these POS tags (needs a ``pos`` column, i.e.
        ``Segmenter(pos=True)``), e.g. ``{"n", "vn", "nz", "nt"}``.
    weighting : {"count", "tfidf", "binary"}, default "count"
        Cell values.  ``tfidf`` uses scikit-learn's smoothed IDF, fitted on
        the documents given to :meth:`fit` (not a generic IDF).
    phrases : bool, default False
        Join frequent collocations into phrases (gensim ``Phrases``, learnt on
        the fitting documents; 智慧_城市 style tokens joined by ``_``).
    phrase_min_count, phrase_threshold : int, float
        Passed to gensim ``Phrases``.
    content_only : bool, default True
        Drop numbers, dates, 文号, 《titles》 and standards codes such as GB,
        GB/T, HJ, ISO, IEC (see :func:`is_content_token`); ``False`` keeps
        them all (to count which standards a corpus cites, say).
    min_length : int, default 2
        Drop terms shorter than this many characters (single characters such
        as 化 or 区 left over by segmentation are rarely terms).

    Attributes
    ----------
    vocabulary_ : dict
        Term → column index (terms sorted, so indices are reproducible).
    idf_ : ndarray
        Inverse document frequencies (fitted on the training documents).
    document_frequency_ : ndarray
        Number of training documents containing each term.
    phrases_ : gensim.models.phrases.FrozenPhrases or None

    Examples
    --------
    >>> tv = TermVectorizer(weighting="tfidf").fit([["智慧城市", "试点", "化"], ["智慧城市", "旅游"]])
    >>> tv.get_feature_names_out().tolist()
    ['旅游', '智慧城市', '试点']
    >>> tv.transform([["旅游", "旅游", "2014"]]).toarray().round(3).tolist()
    [[1.0, 0.0, 0.0]]
    """

    def __init__(
        self,
        *,
        min_df: int | float = 1,
        max_df: int | float = 1.0,
        max_features: int | None = None,
        stopwords: str | Iterable[str] | None = None,
        pos: Iterable[str] | None = None,
        weighting: Weighting = "count",
        phrases: bool = False,
        phrase_min_count: int = 5,
        phrase_threshold: float = 10.0,
        content_only: bool = True,
        min_length: int = 2,
    ) -> None:
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.stopwords = stopwords
        self.pos = pos
        self.weighting = weighting
        self.phrases = phrases
        self.phrase_min_count = phrase_min_count
        self.phrase_threshold = phrase_threshold
        self.content_only = content_only
        self.min_length = min_length

    # --- preparation shared by fit and transform -------------------------------------
    def _prepare(self, X):
        """Token lists after the filters that need a pass over tokens (POS, phrases).

        Stopwords, non-terms and short tokens are *not* removed here: they are
        counted and their columns dropped afterwards (see :meth:`fit_counts`),
        which avoids a Python-level pass over every token.
        """
        ids, docs, tags = token_lists(X)
        if self.pos is not None:
            if tags is None:
                raise ParameterError("pos=... needs POS tags: segment with Segmenter(pos=True)")
            keep_tags = set(self.pos)
            docs = [[t for t, p in zip(d, g) if p in keep_tags] for d, g in zip(docs, tags)]
        if getattr(self, "phrases_", None) is not None:
            docs = [self.phrases_[d] for d in docs]
        return ids, docs

    def fit(self, X, y=None):
        """Learn the vocabulary (and IDF, phrases) from token lists."""
        self.fit_counts(X)
        return self

    def fit_counts(self, X, *, client=None, partition_size=5000):
        """Fit, and return the raw count matrix of ``X`` (one pass over the tokens).

        Parameters
        ----------
        X : tokens DataFrame, list of token lists, or path to a tokens Parquet file
            A path (``policynlp segment`` output) is streamed batch by batch:
            only one batch of tokens is in memory at a time, plus the sparse
            counts.
        client : distributed.Client, optional
            Count on the workers of a Dask cluster: each partition's term and
            document frequencies are counted on a worker and summed here; the
            vocabulary is pruned here exactly as scikit-learn prunes it, sent
            once to every worker, and each partition's counts come back as a
            sparse matrix.  The result equals the single-process fit (tested).
        partition_size : int, default 5000
            Documents per partition (streamed or distributed fits only).
        """
        check_choice("weighting", self.weighting, choices(Weighting))
        self.phrases_ = None
        if client is not None or isinstance(X, (str, Path)):
            return self._fit_partitioned(X, client, partition_size)
        ids, docs = self._prepare(X)
        if not docs:
            raise ParameterError("cannot fit on an empty set of documents")
        if self.phrases:
            from gensim.models.phrases import Phrases

            self.phrases_ = Phrases(docs, min_count=self.phrase_min_count, threshold=self.phrase_threshold,
                                    delimiter="_").freeze()
            docs = [self.phrases_[d] for d in docs]
        # scikit-learn counts and applies min_df/max_df/max_features; our term
        # filter runs inside its analyzer, deciding once per distinct token.
        cv = CountVectorizer(analyzer=_TermFilter(self.stopwords, self.min_length, self.content_only),
                             min_df=self.min_df, max_df=self.max_df, max_features=self.max_features)
        try:
            counts = cv.fit_transform(docs)
        except ValueError as exc:
            raise ParameterError(
                f"no terms left to count ({exc}); the documents may be empty after stopwords and "
                f"min_df={self.min_df!r}/max_df={self.max_df!r}: lower min_df or raise max_df"
            ) from exc
        self._fitted(dict(cv.vocabulary_), counts)
        return counts

    def _fitted(self, vocabulary, counts):
        self.vocabulary_ = vocabulary
        # New documents are counted against the fixed vocabulary, which ignores
        # every other token: no filtering pass is needed after fitting.
        self._cv = CountVectorizer(analyzer=_identity, vocabulary=self.vocabulary_)
        self._cv._validate_vocabulary()
        self.document_frequency_ = np.bincount(counts.indices, minlength=counts.shape[1])
        self._tfidf = TfidfTransformer().fit(counts)
        self.idf_ = self._tfidf.idf_
        self.n_features_in_ = len(self.vocabulary_)

    def _fit_partitioned(self, X, client, partition_size):
        """Fit in two passes over partitions: frequencies, then counts against the pruned vocabulary."""
        from .cluster import map_partitions, share

        if self.phrases:
            raise ParameterError("phrases=True learns collocations from all documents at once; it is not available "
                                 "for streamed (path) or Dask (client) fits — fit in memory, or set phrases=False")
        opts = {"pos": None if self.pos is None else sorted(self.pos), "stopwords": self.stopwords,
                "min_length": self.min_length, "content_only": self.content_only}
        if not isinstance(X, (str, Path)):
            _, docs, tags = token_lists(X)  # once, for both passes
            X = (docs, tags)
        df_total, tf_total, n_docs = {}, {}, 0
        for df, tf, n in map_partitions(_partition_frequencies, _token_partitions(X, partition_size), opts, client=client):
            for t, k in df.items():
                df_total[t] = df_total.get(t, 0) + k
            for t, k in tf.items():
                tf_total[t] = tf_total.get(t, 0) + k
            n_docs += n
        if not n_docs:
            raise ParameterError("cannot fit on an empty set of documents")
        vocabulary = _prune(df_total, tf_total, n_docs, self.min_df, self.max_df, self.max_features)
        shared = share(client, vocabulary) if client is not None else vocabulary
        parts = list(map_partitions(_partition_counts, _token_partitions(X, partition_size), opts, shared, client=client))
        counts = sp.vstack(parts, format="csr") if parts else sp.csr_matrix((0, len(vocabulary)), dtype=np.int64)
        counts.sort_indices()
        self._fitted(vocabulary, counts)
        return counts

    def fit_transform(self, X, y=None):
        """Fit and return the weighted matrix of ``X`` (one pass over the tokens)."""
        return self.weigh(self.fit_counts(X))

    def weigh(self, counts):
        """Apply this vectorizer's ``weighting`` to a count matrix."""
        if self.weighting == "tfidf":
            return self._tfidf.transform(counts)
        if self.weighting == "binary":
            out = counts.copy()
            out.data[:] = 1
            return out
        return counts

    def transform(self, X):
        """The document-term matrix (scipy CSR, documents × vocabulary)."""
        check_is_fitted(self, "vocabulary_")
        _, docs = self._prepare(X)
        return self.weigh(self._cv.transform(docs))

    def count_matrix(self, X):
        """Raw counts whatever ``weighting`` is (for models that need counts)."""
        check_is_fitted(self, "vocabulary_")
        _, docs = self._prepare(X)
        return self._cv.transform(docs)

    def get_feature_names_out(self, input_features=None):
        """Terms in column order."""
        check_is_fitted(self, "vocabulary_")
        return self._cv.get_feature_names_out()

    def term_streams(self, X):
        """Each document's terms in order, as the model reads them: phrases, POS filter, stopwords and short
        tokens applied, but **not** cut to the fitted vocabulary (min_df/max_df/max_features).

        These are the texts coherence is computed on, the standard way: gensim's
        ``CoherenceModel`` slides its windows over whole texts, and removing the
        words outside the model's vocabulary first would bring words closer and
        inflate c_v.
        """
        _, docs = self._prepare(X)
        keep = _TermFilter(self.stopwords, self.min_length, self.content_only)
        return [keep(d) for d in docs]

    def analyzed(self, X):
        """The token lists as the vectorizer sees them (filters and phrases applied)."""
        _, docs = self._prepare(X)
        vocab = getattr(self, "vocabulary_", None)
        if vocab is not None:
            docs = [[t for t in d if t in vocab] for d in docs]
        return docs

    # --- persistence (plain JSON-able state, no pickles) ------------------------------------
    def to_state(self):
        """The fitted state as plain data (for :meth:`TopicModel.save`)."""
        check_is_fitted(self, "vocabulary_")
        phr = None
        if self.phrases_ is not None:
            phr = {"phrasegrams": {str(k): float(v) for k, v in self.phrases_.phrasegrams.items()},
                   "delimiter": self.phrases_.delimiter, "threshold": float(self.phrases_.threshold),
                   "min_count": float(self.phrases_.min_count)}
        return {"params": self.get_params(), "terms": self.get_feature_names_out().tolist(),
                "idf": self.idf_.tolist(), "document_frequency": self.document_frequency_.tolist(), "phrases": phr}

    @classmethod
    def from_state(cls, state):
        """Rebuild a fitted vectorizer from :meth:`to_state` output."""
        params = dict(state["params"])
        if params.get("stopwords") is not None:
            params["stopwords"] = list(params["stopwords"])
        tv = cls(**params)
        tv.vocabulary_ = {t: i for i, t in enumerate(state["terms"])}
        tv._cv = CountVectorizer(analyzer=_identity, vocabulary=tv.vocabulary_)  # a fixed vocabulary needs no fit
        tv.idf_ = np.asarray(state["idf"], dtype=float)
        tv.document_frequency_ = np.asarray(state["document_frequency"], dtype=np.int64)
        tv._tfidf = TfidfTransformer()
        tv._tfidf.idf_ = tv.idf_
        tv.n_features_in_ = len(tv.vocabulary_)
        tv.phrases_ = None
        if state.get("phrases"):
            from gensim.models.phrases import Phrases

            ph = state["phrases"]
            frozen = Phrases([], min_count=ph["min_count"], threshold=ph["threshold"], delimiter=ph["delimiter"]).freeze()
            frozen.phrasegrams = dict(ph["phrasegrams"])
            tv.phrases_ = frozen
        return tv

    # --- gensim bridge ------------------------------------------------------------------
    def to_gensim_dictionary(self):
        """A gensim ``Dictionary`` whose ids are exactly this vectorizer's column indices."""
        check_is_fitted(self, "vocabulary_")
        from gensim.corpora import Dictionary

        d = Dictionary()
        d.token2id = dict(self.vocabulary_)
        d.id2token = {i: t for t, i in self.vocabulary_.items()}
        d.dfs = {i: int(n) for i, n in enumerate(self.document_frequency_)}
        d.num_docs = int(getattr(self._tfidf, "n_samples_seen_", 0) or 0)
        return d

    def to_bow(self, X):
        """Bag-of-words lists ``[(term_id, count), …]`` per document, ids shared with the matrix."""
        return matrix_to_bow(self.count_matrix(X))


def _token_partitions(X, size):
    """``(tokens, pos)`` partitions of ``X``: batches of a tokens Parquet file, or slices of ``(docs, tags)`` lists."""
    from .cluster import partitions

    if isinstance(X, (str, Path)):
        from .tables import open_parquet_stream

        try:
            pf = open_parquet_stream(X)
        except (OSError, ValueError) as exc:
            raise ParameterError(f"cannot read tokens from {X}: {exc}; pass Segmenter.segment_parquet output") from exc
        if "tokens" not in pf.schema_arrow.names:
            raise ParameterError(f"{X}: no 'tokens' column; pass Segmenter.segment_parquet output")
        cols = ["tokens"] + (["pos"] if "pos" in pf.schema_arrow.names else [])
        for batch in pf.iter_batches(batch_size=size, columns=cols):
            yield batch.column("tokens").to_pylist(), batch.column("pos").to_pylist() if "pos" in cols else None
        return
    docs, tags = X
    for start, part in zip(range(0, len(docs), size), partitions(docs, size)):
        yield part, None if tags is None else tags[start : start + size]


def _filtered(docs, tags, opts):
    if opts["pos"] is not None:
        if tags is None:
            raise ParameterError("pos=... needs POS tags: segment with Segmenter(pos=True)")
        keep = set(opts["pos"])
        docs = [[t for t, p in zip(d, g) if p in keep] for d, g in zip(docs, tags)]
    return docs


def _partition_frequencies(part, opts):
    """Document and term frequencies of the terms in one partition (a task)."""
    docs = _filtered(*part, opts)
    analyzer = _TermFilter(opts["stopwords"], opts["min_length"], opts["content_only"])
    df, tf = {}, {}
    for d in docs:
        kept = analyzer(d)
        for t in kept:
            tf[t] = tf.get(t, 0) + 1
        for t in set(kept):
            df[t] = df.get(t, 0) + 1
    return df, tf, len(docs)


def _partition_counts(part, opts, vocabulary):
    """One partition's count matrix against the fixed vocabulary (a task)."""
    cv = CountVectorizer(analyzer=_identity, vocabulary=vocabulary)
    return cv.transform(_filtered(*part, opts)).tocsr()


def _prune(df, tf, n_docs, min_df, max_df, max_features):
    """The vocabulary scikit-learn's CountVectorizer keeps, from merged frequencies.

    Written out (rather than calling CountVectorizer's private ``_limit_features``)
    because the counts live on many machines; the rule is the same — document
    frequency within [min_df, max_df], then the ``max_features`` most frequent
    terms with ties broken by the same argsort over sorted terms — and the
    equality is tested.
    """
    from numbers import Integral

    terms = sorted(df)
    dfs = np.fromiter((df[t] for t in terms), dtype=np.int64, count=len(terms))
    high = max_df if isinstance(max_df, Integral) else max_df * n_docs
    low = min_df if isinstance(min_df, Integral) else min_df * n_docs
    if high < low:
        raise ParameterError(f"max_df={max_df!r} corresponds to fewer documents than min_df={min_df!r}")
    mask = (dfs <= high) & (dfs >= low)
    if max_features is not None and mask.sum() > max_features:
        tfs = np.fromiter((tf[t] for t in terms), dtype=np.int64, count=len(terms))
        chosen = (-tfs[mask]).argsort()[:max_features]
        limited = np.zeros(len(terms), dtype=bool)
        limited[np.flatnonzero(mask)[chosen]] = True
        mask = limited
    kept = [t for t, k in zip(terms, mask) if k]
    if not kept:
        raise ParameterError(f"no terms left to count after min_df={min_df!r}/max_df={max_df!r}: lower min_df or raise max_df")
    return {t: i for i, t in enumerate(kept)}


def matrix_to_bow(matrix):
    """CSR rows to gensim bag-of-words lists (sorted by term id)."""
    m = matrix.tocsr()
    m.sort_indices()
    return [
        list(zip(m.indices[m.indptr[i] : m.indptr[i + 1]].tolist(), m.data[m.indptr[i] : m.indptr[i + 1]].astype(int).tolist()))
        for i in range(m.shape[0])
    ]
