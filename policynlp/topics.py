"""Topic models with evidence for choosing K: gensim LDA, scikit-learn LDA and NMF.

:class:`TopicModel` follows the scikit-learn contract (parameters stored in
``__init__``, ``fit`` returns self, fitted attributes end in ``_``) and keeps
the document ids, so topic shares join back to the corpus metadata.  The
defaults land on the fast, correct configurations measured for this package:
gensim's per-chunk evaluation is off (it triples fitting time and is not
needed to fit), and coherence for a whole K sweep is computed from one pass
over the texts (one shared co-occurrence accumulator) instead of one pass per
model, which is where a naive sweep spends most of its time.

Its length (about 800 lines) is the TopicModel's: its result tables — terms, shares, passages, prevalence,
the pyLDAvis page, save and load — are methods of the fitted model, as in gensim and scikit-learn, and the
K sweep shares its vectorising step; the algorithms themselves are in :mod:`policynlp.topic_backends`.
"""

from __future__ import annotations

import json
import logging
import time
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError

from ._types import CoherenceMeasure, PathLike, TopicMethod, choices
from ._validation import UNSET, check_choice, check_int, renamed
from .errors import CorpusFormatError, MissingDependencyError, ParameterError
from .features import TermVectorizer, matrix_to_bow, token_lists
from .provenance import attach, provenance
from .topic_backends import BACKENDS

if TYPE_CHECKING:
    from .corpus import Corpus

__all__ = ["TopicModel", "sweep", "topic_stability"]

log = logging.getLogger(__name__)
METHODS = choices(TopicMethod)
MEASURES = choices(CoherenceMeasure)
_FORMAT = "policynlp.topicmodel/1"


def _seed_terms(seed_topics):
    """``{label: [terms]}`` from a dict or the name of a bundled taxonomy."""
    if seed_topics is None:
        return {}
    if isinstance(seed_topics, str):
        from .taxonomy import load_taxonomy

        return {d.key: list(d.seed_terms) for d in load_taxonomy(seed_topics).domains}
    if isinstance(seed_topics, dict):
        return {str(k): list(v) for k, v in seed_topics.items()}
    raise ParameterError("seed_topics must be a dict {label: [terms]} or the name of a taxonomy")


class _NotFitted(NotFittedError, ParameterError):
    """scikit-learn's NotFittedError (what estimators raise before ``fit``), and a ParameterError as before."""


class TopicModel(BaseEstimator):
    """A topic model over token lists.

    Parameters
    ----------
    n_topics : int, default 10
    method : {"gensim-lda", "lda", "nmf"}, default "gensim-lda"
        gensim ``LdaModel`` (variational Bayes, Hoffman et al. 2010),
        scikit-learn ``LatentDirichletAllocation``, or scikit-learn ``NMF`` on
        tf-idf weights.
    random_state : int, default 0
        Seed; the same data, parameters and seed give the same topics.
    passes : int, default 5
        Passes over the corpus (gensim) or iterations (scikit-learn LDA: ``max_iter = 2 × passes``).
    iterations : int, default 50
        Per-document inference iterations (gensim).
    alpha : "symmetric", "asymmetric", "auto" or float, default "symmetric"
        Document-topic prior (gensim); a float for scikit-learn LDA too.
    eta : None, "auto" or float, default None
        Topic-word prior (gensim; a float for scikit-learn LDA too).  ``None``
        is gensim's symmetric ``1 / n_topics``.  With ``seed_topics`` a float
        is the prior of the terms that are not seeds.
    seed_topics : dict or str, optional
        Steer topics toward named domains: ``{label: [seed terms]}`` or the name
        of a bundled taxonomy (``"smart_city_2017"``).  The first topics get the
        labels; their seed terms get a strong weight in gensim's topic-word
        prior ``eta`` and in the initial topic-word statistics (only
        ``method="gensim-lda"``; Jagarlamudi, Daumé & Udupa 2012).
    seed_weight : float, default 5.0
        Prior pseudo-count of a seed term in its own topic.
    min_df, max_df, max_features
        Vocabulary limits, passed to :class:`TermVectorizer`.
    stopwords : str, list or None, default "admin"
        Terms kept out of the model on top of the Segmenter's stopwords: a
        tier of :func:`policynlp.lexicon.load_stopwords` (``"admin"``: 加强,
        推进, 开展 …, which every section of a policy says), a list, or None.
    workers : int, default 1
        gensim ``LdaMulticore`` workers when > 1 (faster on large corpora, but its
        chunk order depends on scheduling, so results are not bit-reproducible).
    chunksize : int, default 500
        Documents per online update (gensim).  With gensim's 2000, a corpus of a
        few thousand documents gets too few updates to converge (gensim warns);
        500 gives several per pass at little extra cost.  When ``passes`` times
        the updates per pass is still below the 10 updates gensim asks for
        (a small corpus), the model makes more passes, so that it does
        converge; ``passes_`` records how many it made.

    Units of analysis: fit on the tokens of paragraphs, clauses or sentences
    (``Segmenter().segment(units_frame(corpus, "paragraph"))``, whose
    ``document`` column names each unit's document) and the model keeps both
    levels: :meth:`doc_topics` gives documents' shares as the token-weighted
    mean of their units' shares, so every document table keeps working, and
    :meth:`unit_topics` and :meth:`passages` give the units themselves.

    Attributes
    ----------
    vectorizer_ : TermVectorizer
    components_ : ndarray (n_topics, n_terms)
        Topic-term probabilities (rows sum to 1).
    doc_topic_ : ndarray (n_docs, n_topics)
        Topic shares of the training documents (rows sum to 1; NaN for
        documents with no terms).
    ids_ : list of str
        Training document (or unit) ids.
    documents_ : list of str or None
        The document of each training unit (None when fitted on documents).
    passes_ : int
        Passes made (gensim; at least ``passes``, more on a small corpus).
    labels_ : list of str
    model_ : the fitted gensim or scikit-learn model (``None`` for a loaded scikit-learn model,
        whose inference runs on its saved arrays)

    Examples
    --------
    >>> from policynlp import Segmenter, load_demo
    >>> tokens = Segmenter().segment(load_demo())
    >>> tm = TopicModel(n_topics=3, random_state=1, min_df=1).fit(tokens)
    >>> tm.doc_topics().shape
    (25, 3)
    >>> tm.top_terms(top_n=3).columns.tolist()
    ['topic', 'label', 'rank', 'term', 'score']
    """

    def __init__(
        self,
        n_topics: int = 10,
        *,
        method: TopicMethod = "gensim-lda",
        random_state: int = 0,
        passes: int = 5,
        iterations: int = 50,
        alpha: str | float = "symmetric",
        eta: str | float | None = None,
        seed_topics: str | Mapping[str, Sequence[str]] | None = None,
        seed_weight: float = 5.0,
        min_df: int | float = 2,
        max_df: int | float = 0.5,
        max_features: int | None = None,
        stopwords: str | Iterable[str] | None = "admin",
        workers: int = 1,
        chunksize: int = 500,
    ) -> None:
        self.n_topics = n_topics
        self.method = method
        self.random_state = random_state
        self.passes = passes
        self.iterations = iterations
        self.alpha = alpha
        self.eta = eta
        self.seed_topics = seed_topics
        self.seed_weight = seed_weight
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.stopwords = stopwords
        self.workers = workers
        self.chunksize = chunksize

    # --- fitting ------------------------------------------------------------------------
    def _validate(self):
        check_int("n_topics", self.n_topics, minimum=1)
        check_choice("method", self.method, METHODS)
        check_int("passes", self.passes, minimum=1)
        check_int("workers", self.workers, minimum=1)
        check_int("iterations", self.iterations, minimum=1)
        if self.alpha not in ("symmetric", "asymmetric", "auto") and not (
                isinstance(self.alpha, (int, float)) and not isinstance(self.alpha, bool) and self.alpha > 0):
            raise ParameterError(f"alpha must be 'symmetric', 'asymmetric', 'auto' or a positive number, not {self.alpha!r}")
        if self.eta is not None and self.eta != "auto" and not (
                isinstance(self.eta, (int, float)) and not isinstance(self.eta, bool) and self.eta > 0):
            raise ParameterError(f"eta must be None, 'auto' or a positive number, not {self.eta!r}")
        if self.eta == "auto" and (self.seed_topics is not None or self.method != "gensim-lda"):
            raise ParameterError("eta='auto' works with method='gensim-lda' and no seed_topics only")
        if self.seed_topics is not None and self.method != "gensim-lda":
            raise ParameterError(f"seed_topics works with method='gensim-lda' only, not {self.method!r}")

    def fit(
        self,
        X: pd.DataFrame | Iterable[Sequence[str]],
        y: None = None,
        *,
        vectorizer: TermVectorizer | None = None,
        ids: Sequence[str] | None = None,
        documents: Sequence[str] | None = None,
    ) -> TopicModel:
        """Fit on token lists (``Segmenter.segment`` output or a list of lists), or a tokens Parquet file.

        A path (``Segmenter.segment_parquet`` output) is vectorised batch by
        batch and the model reads the documents from the sparse counts, so the
        token lists of the corpus are never in memory at once; the fitted model
        equals the one fitted on the same tokens in memory (tested).

        With a fitted ``vectorizer`` (from :meth:`count`), ``X`` is its count
        matrix instead, and ``ids`` and ``documents`` name its rows: many
        models (a sweep over K and seeds) then share one vocabulary and one
        count of the corpus.  Empty documents are not warned about then — the
        caller who counted knows them.
        """
        self._validate()
        if vectorizer is None:
            self.ids_ = _doc_ids(X)
            self.documents_ = _documents(X)
            self.vectorizer_, counts = self._vectorize(X)
            return self._fit_counts(counts)
        if not hasattr(vectorizer, "vocabulary_"):
            raise ParameterError("vectorizer= must be fitted: use TopicModel.count(tokens)")
        self.ids_ = list(ids) if ids is not None else [str(i) for i in range(X.shape[0])]
        self.documents_ = documents
        self.vectorizer_ = vectorizer
        return self._fit_counts(X, warn=False)

    def count(self, X):
        """``(vectorizer, counts)``: a vectorizer with this model's vocabulary limits fitted on ``X``, and its counts.

        What :meth:`fit` does first; give both to ``fit(counts, vectorizer=...)``
        of several models to count the corpus once.
        """
        self._validate()
        return self._vectorize(X)

    def _vectorize(self, X):
        """A vectorizer with this model's vocabulary limits, fitted on ``X``, and the counts of ``X``."""
        from .lexicon import load_stopwords

        tv = TermVectorizer(min_df=self.min_df, max_df=self.max_df, max_features=self.max_features,
                            stopwords=sorted(load_stopwords(self.stopwords)) or None,
                            weighting=BACKENDS[self.method].weighting)
        try:
            return tv, tv.fit_counts(X)
        except ParameterError as exc:
            n = len(X) if hasattr(X, "__len__") else None
            hint = (f"; with {n} document(s), a term may occur in at most max_df={self.max_df} of them — "
                    "topic models need several documents (or set max_df=1.0)") if n is not None and n < 5 else ""
            raise ParameterError(f"cannot build a vocabulary for the topic model: {exc}{hint}") from exc

    def _fit_counts(self, counts, *, warn=True):
        """Fit on the count matrix of ``self.vectorizer_`` (shared by the models of a sweep, which warns once)."""
        n_terms = len(self.vectorizer_.vocabulary_)
        if self.n_topics > n_terms:
            raise ParameterError(
                f"n_topics={self.n_topics} is larger than the vocabulary ({n_terms} terms after min_df={self.min_df!r}, "
                f"max_df={self.max_df!r}); use fewer topics or lower min_df"
            )
        empty = np.flatnonzero(np.asarray(counts.sum(axis=1)).ravel() == 0)
        if len(empty) == counts.shape[0]:
            raise ParameterError("every document is empty after stopwords and vocabulary limits; nothing to model")
        if warn:
            _warn_empty(counts, self.ids_, getattr(self, "documents_", None), stacklevel=4)
        self.seed_terms_ = _seed_terms(self.seed_topics)
        if len(self.seed_terms_) > self.n_topics:
            raise ParameterError(f"{len(self.seed_terms_)} seed topics but n_topics={self.n_topics}; raise n_topics")
        self.unit_lengths_ = np.asarray(counts.sum(axis=1)).ravel()
        self.passes_ = self.passes
        t0 = time.perf_counter()
        self.backend_ = BACKENDS[self.method]()
        self.components_ = self.backend_.fit(self, counts, self._eta() if self.backend_.takes_prior else None)
        self.model_ = self.backend_.model
        self.doc_topic_ = self._shares(self.backend_.doc_topic(self, counts, training=True))
        self.fit_seconds_ = time.perf_counter() - t0
        self.doc_topic_[empty] = np.nan
        self.labels_ = list(self.seed_terms_) + [f"topic {k + 1}" for k in range(len(self.seed_terms_), self.n_topics)]
        return self

    def _eta(self):
        if not self.seed_terms_:
            return self.eta
        vocab = self.vectorizer_.vocabulary_
        base = 1.0 / self.n_topics if self.eta is None else float(self.eta)
        eta = np.full((self.n_topics, len(vocab)), base)
        missing = []
        for k, (_label, terms) in enumerate(self.seed_terms_.items()):
            found = [vocab[t] for t in terms if t in vocab]
            missing.extend(t for t in terms if t not in vocab)
            if found:
                eta[:, found] = base * 0.01  # seed terms are unlikely elsewhere …
                eta[k, found] = self.seed_weight  # … and likely in their own topic
        if missing:
            log.info("%d seed term(s) are not in the vocabulary and were ignored (e.g. %s)", len(missing), missing[:5])
        return eta

    @staticmethod
    def _shares(raw):
        raw = np.asarray(raw, dtype=float)
        sums = raw.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            out = raw / sums
        out[~np.isfinite(out).all(axis=1)] = np.nan
        return out

    def transform(self, X: pd.DataFrame | Iterable[Sequence[str]]) -> np.ndarray:
        """Topic shares of new documents (rows sum to 1; NaN for documents with no known terms)."""
        self._check_fitted()
        counts = self.vectorizer_.count_matrix(X)
        shares = self._shares(self.backend_.doc_topic(self, counts))
        shares[np.asarray(counts.sum(axis=1)).ravel() == 0] = np.nan
        return shares

    def fit_transform(self, X, y=None):
        return self.fit(X).doc_topic_

    def _check_fitted(self):
        if not hasattr(self, "components_"):
            raise _NotFitted("this TopicModel is not fitted yet; call fit(tokens) first")

    # --- results --------------------------------------------------------------------------
    def set_labels(self, labels):
        """Name the topics: a list (one per topic) or a dict {topic number (0-based) or old label: new label}."""
        self._check_fitted()
        if isinstance(labels, dict):
            new = list(self.labels_)
            for k, v in labels.items():
                idx = k if isinstance(k, int) else self.labels_.index(k) if k in self.labels_ else None
                if idx is None or not 0 <= idx < self.n_topics:
                    raise ParameterError(f"no topic {k!r}; topics are 0..{self.n_topics - 1} or {self.labels_}")
                new[idx] = str(v)
            labels = new
        labels = [str(x) for x in labels]
        if len(labels) != self.n_topics:
            raise ParameterError(f"{len(labels)} labels given for {self.n_topics} topics")
        if len(set(labels)) != len(labels):
            raise ParameterError("topic labels must be distinct")
        self.labels_ = labels
        return self

    def top_terms(self, top_n=10, *, n=UNSET):
        """The ``top_n`` most probable terms of each topic: ``topic, label, rank, term, score``.

        ``score`` is the term's probability in the topic (a share of its
        weight for NMF), as ``score`` ranks the other term tables.  (Before:
        ``n=`` and a ``weight`` column; ``n=`` still works, with a FutureWarning.)
        """
        self._check_fitted()
        n = renamed("TopicModel.top_terms", "n", "top_n", n, top_n, 10)
        check_int("top_n", n, minimum=1)
        terms = self.vectorizer_.get_feature_names_out()
        rows = []
        for k in range(self.n_topics):
            w = self.components_[k]
            order = sorted(range(len(w)), key=lambda j: (-w[j], terms[j]))[:n]
            rows.extend({"topic": k, "label": self.labels_[k], "rank": r, "term": terms[j], "score": float(w[j])}
                        for r, j in enumerate(order, start=1))
        return attach(pd.DataFrame(rows, columns=["topic", "label", "rank", "term", "score"]),
                      provenance("topics.top_terms", {**self.get_params(), "top_n": n}))

    def topic_words(self, top_n=10):
        """Top terms as a list of lists (the form coherence measures take)."""
        tt = self.top_terms(top_n)
        return [tt.loc[tt.topic == k, "term"].tolist() for k in range(self.n_topics)]

    def doc_topics(self, X: pd.DataFrame | Iterable[Sequence[str]] | None = None) -> pd.DataFrame:
        """Topic shares per document, a DataFrame indexed by document id with one column per topic label.

        For a model fitted on units (paragraphs, clauses, sentences), a
        document's shares are the mean of its units' shares weighted by their
        numbers of modelled terms; a document none of whose units has a term
        gets NaN.  Given ``X`` (new documents or units), their own shares.
        """
        self._check_fitted()
        if X is None and getattr(self, "documents_", None) is not None:
            ids, shares = _aggregate(self.documents_, self.doc_topic_, self.unit_lengths_)
        elif X is None:
            shares, ids = self.doc_topic_, self.ids_
        else:
            shares = self.transform(X)
            ids = token_lists(X)[0] or [str(i) for i in range(len(shares))]
        df = pd.DataFrame(shares, index=pd.Index(ids, name="id"), columns=self.labels_)
        return attach(df, provenance("topics.doc_topics", self.get_params()))

    def unit_topics(self):
        """Topic shares of the training units: ``id, document`` and one column per topic label.

        For a model fitted on documents, ``document`` repeats ``id``.
        """
        self._check_fitted()
        docs = self.documents_ if getattr(self, "documents_", None) is not None else self.ids_
        df = pd.DataFrame(self.doc_topic_, columns=self.labels_)
        df.insert(0, "document", docs)
        df.insert(0, "id", self.ids_)
        return attach(df, provenance("topics.unit_topics", self.get_params()))

    def passages(
        self,
        units: pd.DataFrame | Corpus | None = None,
        *,
        meta: Corpus | pd.DataFrame | None = None,
        top_n: int = 5,
        min_terms: int = 15,
        min_share: float = 0.3,
        max_chars: int = 600,
    ) -> pd.DataFrame:
        """The most representative units of each topic: the passages to read behind it.

        Parameters
        ----------
        units : DataFrame, optional
            :func:`policynlp.text.units_frame` output (``id``, ``path``,
            ``text``…) for the same units, to add where each passage stands
            and what it says; or a Corpus, for a model fitted on documents.
        meta : Corpus or DataFrame, optional
            Adds the ``title`` of each passage's document.
        top_n : int, default 5
            Passages per topic.
        min_terms : int, default 15
            Units with fewer modelled terms are passed over (a short unit
            reaches a share of 1 on one or two words and says little).
        min_share : float, default 0.3
            A passage must give the topic at least this share; a topic with
            fewer such units lists fewer passages (never an unrelated one).
        max_chars : int, default 600
            Passages are cut to this many characters (a table to read, not the corpus).

        Returns
        -------
        DataFrame
            ``topic, label, rank, id, document, share, n_terms`` (plus
            ``title`` with ``meta`` and ``path, text`` with ``units``), best first: highest share, then
            longer units, then id.  A document appears at most once per topic.
        """
        self._check_fitted()
        check_int("top_n", top_n, minimum=1)
        check_int("min_terms", min_terms, minimum=0)
        docs = self.documents_ if getattr(self, "documents_", None) is not None else self.ids_
        base = pd.DataFrame({"id": self.ids_, "document": docs, "n_terms": self.unit_lengths_.astype(int)})
        ok = (base["n_terms"] >= min_terms) & np.isfinite(self.doc_topic_).all(axis=1)
        rows = []
        for k, lab in enumerate(self.labels_):
            part = base[ok].assign(share=self.doc_topic_[ok.to_numpy(), k])
            part = part[part["share"] >= min_share]
            part = part.sort_values(["share", "n_terms", "id"], ascending=[False, False, True], kind="mergesort")
            part = part.drop_duplicates("document").head(top_n)
            rows.extend({"topic": k, "label": lab, "rank": r, **rec}
                        for r, rec in enumerate(part.to_dict("records"), start=1))
        cols = ["topic", "label", "rank", "id", "document", "share", "n_terms"]
        out = pd.DataFrame(rows, columns=cols)
        if meta is not None:
            from .keywords import meta_frame

            frame = meta_frame(meta)
            titles = frame["title"] if "title" in frame.columns else pd.Series(dtype=str)
            out.insert(5, "title", out["document"].map(titles).fillna(""))
        if units is not None and hasattr(units, "texts") and not isinstance(units, pd.DataFrame):
            units = pd.DataFrame({"id": units.ids, "path": "", "text": units.texts})
        if units is not None:
            extra = units.drop_duplicates("id").set_index("id")
            for col in ("path", "text"):
                if col in extra.columns:
                    out[col] = out["id"].map(extra[col])
            if "text" in out.columns:
                out["text"] = out["text"].fillna("").str.slice(0, max_chars)
        return attach(out, provenance("topics.passages", {**self.get_params(), "top_n": top_n, "min_terms": min_terms,
                                                          "min_share": min_share}))

    def prevalence(self, meta: Corpus | pd.DataFrame, *, by: str = "year") -> pd.DataFrame:
        """Mean topic share per group of documents (``group, topic, label, share, n_docs``).

        Parameters
        ----------
        meta : Corpus or DataFrame
            Metadata indexed by document id (``corpus.meta``).
        by : str, default "year"
            Any metadata column: ``year``, ``lead_issuer``, ``level``, ``doc_type``,
            or a ``domain`` column added by the taxonomy classifier.
        """
        from .keywords import group_labels, group_order

        dt = self.doc_topics()
        labels = group_labels(list(dt.index), meta, by)
        dt = dt.assign(_group=labels)
        rows = []
        for g, part in sorted(dt.groupby("_group", sort=False), key=lambda kv: group_order(kv[0])):
            n = int(part.drop(columns="_group").notna().all(axis=1).sum())
            for k, lab in enumerate(self.labels_):
                rows.append({"group": g, "topic": k, "label": lab, "share": float(part[lab].mean()), "n_docs": n})
        return attach(pd.DataFrame(rows, columns=["group", "topic", "label", "share", "n_docs"]),
                      provenance("topics.prevalence", {**self.get_params(), "by": by}))

    def perplexity(self, X=None, *, counts=None):
        """Perplexity of ``X`` — or of a count matrix from :meth:`count` — (gensim and scikit-learn LDA; ``None`` for NMF, where it is undefined)."""
        self._check_fitted()
        return self.backend_.perplexity(self.vectorizer_.count_matrix(X) if counts is None else counts)

    def coherence(
        self,
        X: pd.DataFrame | Iterable[Sequence[str]],
        *,
        measure: CoherenceMeasure = "c_v",
        top_n: int = 10,
        processes: int = 1,
    ) -> tuple[float, list[float]]:
        """Topic coherence (gensim ``CoherenceModel``) on the same segmentation.

        Returns
        -------
        (float, list of float)
            The model's coherence and each topic's.

        References
        ----------
        Röder, M., Both, A., & Hinneburg, A. (2015). Exploring the space of topic
        coherence measures. Proceedings of WSDM 2015, 399–408.
        """
        self._check_fitted()
        check_choice("measure", measure, MEASURES)
        cm = _coherence_model([self.topic_words(top_n)], self.vectorizer_, X, measure, processes)
        per = cm.get_coherence_per_topic()
        return float(cm.aggregate_measures(per)), [float(x) for x in per]

    # --- persistence ------------------------------------------------------------------------
    def save(self, path: PathLike) -> Path:
        """Save to a folder: ``topic_model.json`` (parameters, labels, vocabulary, ids) and ``arrays.npz``.

        No pickles: the JSON is readable in any language and the arrays are
        plain NumPy.  :meth:`load` restores a model that gives the same
        ``top_terms``, ``doc_topics`` and ``transform`` results.
        """
        self._check_fitted()
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        params = {k: v for k, v in self.get_params().items()}
        params["seed_topics"] = self.seed_terms_ or None
        meta = {"format": _FORMAT, "params": params, "labels": self.labels_, "ids": self.ids_,
                "vectorizer": self.vectorizer_.to_state(), "fit_seconds": None, "passes": self.passes_}
        if self.documents_ is not None:
            meta["documents"] = self.documents_
        arrays = {"components": self.components_, "doc_topic": self.doc_topic_, "unit_lengths": self.unit_lengths_}
        arrays.update(self.backend_.state())
        (folder / "topic_model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        _write_npz(folder / "arrays.npz", arrays)
        return folder

    @classmethod
    def load(cls, path):
        """Load a model written by :meth:`save`."""
        folder = Path(path)
        try:
            meta = json.loads((folder / "topic_model.json").read_text(encoding="utf-8"))
            arrays = np.load(folder / "arrays.npz", allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise CorpusFormatError(f"not a saved TopicModel: {exc}", path=folder) from exc
        if meta.get("format") != _FORMAT:
            raise CorpusFormatError(f"unknown format {meta.get('format')!r}; expected {_FORMAT}", path=folder)
        tm = cls(**meta["params"])
        tm.vectorizer_ = TermVectorizer.from_state(meta["vectorizer"])
        tm.seed_terms_ = _seed_terms(meta["params"].get("seed_topics"))
        tm.labels_ = meta["labels"]
        tm.ids_ = meta["ids"]
        tm.documents_ = meta.get("documents")
        tm.passes_ = meta.get("passes", tm.passes)
        tm.unit_lengths_ = arrays["unit_lengths"] if "unit_lengths" in arrays else np.zeros(len(tm.ids_))
        tm.components_ = arrays["components"]
        tm.doc_topic_ = arrays["doc_topic"]
        tm.backend_ = BACKENDS[tm.method].from_state(tm, arrays)
        tm.model_ = tm.backend_.model
        return tm

    # --- interactive view -------------------------------------------------------------------------
    def to_ldavis_html(self, X, path):
        """Write a self-contained pyLDAvis page (Sievert & Shirley 2014) that works offline.

        Needs the optional extra: ``pip install "policynlp[topics]"``.
        """
        self._check_fitted()
        try:
            import pyLDAvis
        except ImportError as exc:
            raise MissingDependencyError('the interactive topic view needs pyLDAvis: pip install "policynlp[topics]"') from exc
        counts = self.vectorizer_.count_matrix(X)
        lengths = np.asarray(counts.sum(axis=1)).ravel()
        shares = self.transform(X)
        keep = (lengths > 0) & np.isfinite(shares).all(axis=1)
        data = pyLDAvis.prepare(topic_term_dists=self.components_, doc_topic_dists=shares[keep],
                                doc_lengths=lengths[keep], vocab=list(self.vectorizer_.get_feature_names_out()),
                                term_frequency=np.asarray(counts.sum(axis=0)).ravel(), sort_topics=False,
                                start_index=1)
        html = pyLDAvis.prepared_data_to_html(data, d3_url="D3_URL", ldavis_url="LDAVIS_URL",
                                              ldavis_css_url="LDAVIS_CSS", template_type="simple",
                                              visid="policynlp_ldavis")
        js = Path(pyLDAvis.__file__).parent / "js"
        d3 = (js / "d3.v5.min.js").read_text(encoding="utf-8")
        ldavis = (js / "ldavis.v3.0.0.js").read_text(encoding="utf-8")
        css = (js / "ldavis.v1.0.0.css").read_text(encoding="utf-8")
        html = (html.replace('<script type="text/javascript" src="D3_URL"></script>', f"<script>{d3}</script>")
                    .replace('<script type="text/javascript" src="LDAVIS_URL"></script>', f"<script>{ldavis}</script>")
                    .replace('<link rel="stylesheet" type="text/css" href="LDAVIS_CSS">', f"<style>{css}</style>"))
        # LDAvis draws its terms in SVG with the page's sans-serif font, which on a machine without
        # Chinese fonts shows boxes: embed the subset of the figures' CJK font the page needs.
        try:
            from .plots import font_face_css

            # the page's JSON escapes non-ASCII characters, so subset on the terms it can show
            font = font_face_css("".join(self.vectorizer_.get_feature_names_out()) + "".join(self.labels_))
        except ImportError:
            font = ""
        style = (f"<style>{font}#policynlp_ldavis,#policynlp_ldavis text,#policynlp_ldavis div{{font-family:"
                 "'policynlp CJK','Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif}</style>")
        page = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>policynlp topics</title>{style}</head>'
                f"<body>{html}</body></html>")
        Path(path).write_text(page, encoding="utf-8")
        return Path(path)


def _write_npz(path, arrays):
    """Like ``np.savez_compressed`` but with fixed entry timestamps, so equal arrays give equal bytes."""
    import io
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue())


def _coherence_model(topic_sets, vectorizer, X, measure, processes):
    from gensim.models.coherencemodel import CoherenceModel

    texts = vectorizer.term_streams(X)  # whole texts, not cut to the vocabulary: gensim's standard c_v
    dictionary = vectorizer.to_gensim_dictionary()
    kwargs = dict(dictionary=dictionary, coherence=measure, processes=processes)
    if measure == "u_mass":
        kwargs["corpus"] = matrix_to_bow(vectorizer.count_matrix(X))
    else:
        kwargs["texts"] = texts
    if len(topic_sets) == 1:
        return CoherenceModel(topics=topic_sets[0], **kwargs)
    return CoherenceModel.for_topics(topic_sets, **kwargs)


def topic_stability(topic_sets, top_n=10):
    """Mean best-match Jaccard similarity of top-term sets between runs (Greene et al. 2014).

    Topics of two runs are paired by the Hungarian algorithm on the Jaccard
    similarity of their top ``top_n`` terms; the stability of the pair of runs
    is the mean similarity of matched topics, and the result averages over all
    pairs of runs.  1 means the runs found the same topics.

    References
    ----------
    Greene, D., O'Callaghan, D., & Cunningham, P. (2014). How many topics?
    Stability analysis for topic models. ECML PKDD 2014, 498–513.

    Examples
    --------
    >>> topic_stability([[["a", "b"], ["c", "d"]], [["c", "d"], ["a", "b"]]])
    1.0
    """
    from itertools import combinations

    from scipy.optimize import linear_sum_assignment

    if len(topic_sets) < 2:
        return float("nan")
    scores = []
    for a, b in combinations(topic_sets, 2):
        sa = [set(t[:top_n]) for t in a]
        sb = [set(t[:top_n]) for t in b]
        sim = np.array([[len(x & y) / len(x | y) if x | y else 0.0 for y in sb] for x in sa])
        r, c = linear_sum_assignment(-sim)
        scores.append(float(sim[r, c].mean()))
    return float(np.mean(scores))


def sweep(X, k_values, *, seeds=(0, 1, 2), method="gensim-lda", measures=("c_v", "u_mass"), top_n=10,
          processes=1, client=None, **params):
    """Fit a model for every K and seed; report coherence, perplexity, stability and time.

    Coherence for all fitted models is computed from one accumulation of
    co-occurrence statistics per measure (gensim ``CoherenceModel.for_topics``),
    so the expensive pass over the texts happens once, not once per model.

    Parameters
    ----------
    X : DataFrame or list of token lists
    k_values : iterable of int
    seeds : iterable of int, default (0, 1, 2)
        Several seeds per K measure stability.
    method : str
    measures : iterable of str, default ("c_v", "u_mass")
    top_n : int, default 10
        Top terms per topic for coherence and stability.
    processes : int, default 1
        Processes for gensim's c_v / c_npmi accumulation (guarded for spawn platforms by gensim).
    client : distributed.Client, optional
        Fit the models on the workers of a Dask cluster, one model per task
        (the counts are sent to each worker once); coherence is then computed
        here from one accumulation.  The table equals the one without a
        cluster (tested): each model is fitted from its own seed.
    **params
        Further :class:`TopicModel` parameters.

    Returns
    -------
    DataFrame
        One row per (k, seed): ``k, seed, <measure>…, perplexity, fit_seconds``,
        plus ``stability`` (the same for every seed of a K) and ``coherence_top_n``.
        Coherence is gensim's ``CoherenceModel`` on the top ``top_n`` terms of each
        topic over the modelled texts, not cut to the vocabulary (the standard
        way, comparable with other tools and papers).

    Examples
    --------
    >>> from policynlp import Segmenter, load_demo
    >>> tokens = Segmenter().segment(load_demo())
    >>> table = sweep(tokens, [2, 3], seeds=(0, 1), measures=("u_mass",), min_df=1)
    >>> table.columns.tolist()
    ['k', 'seed', 'u_mass', 'perplexity', 'fit_seconds', 'stability', 'coherence_top_n']
    """
    return sweep_models(X, k_values, seeds=seeds, method=method, measures=measures, top_n=top_n, processes=processes,
                  client=client, **params)[0]


def sweep_models(X, k_values, *, seeds, method, measures, top_n, processes, client=None, progress=False, **params):
    """:func:`sweep`, also returning the fitted models as ``(k, seed, model, top words)``."""
    ks = [check_int("k", int(k), minimum=1) for k in k_values]
    seeds = list(seeds)
    if not ks or not seeds:
        raise ParameterError("k_values and seeds must not be empty")
    for m in measures:
        check_choice("measure", m, MEASURES)
    from .cluster import map_partitions, share

    # Every model of the sweep sees the same documents through the same
    # vocabulary: vectorise once, and count once for perplexity.
    first = TopicModel(n_topics=ks[0], method=method, random_state=seeds[0], **params)
    ids, documents = _doc_ids(X), _documents(X)
    vectorizer, counts = first.count(X)
    _warn_empty(counts, ids, documents, stacklevel=4)
    grid = [(k, s) for k in ks for s in seeds]
    shared = (ids, documents, vectorizer, counts)
    if client is not None:
        shared = share(client, shared)  # sent once to every worker, not once per model
    fitted, perplexity = [], []
    # one model per task: on the workers with a client, else here one after the other
    from ._progress import progress as _bar

    fits = map_partitions(_fit_one, grid, method, params, shared, client=client, window=len(grid))
    for (k, s), (tm, pp) in zip(grid, _bar(fits, progress=progress, total=len(grid), desc="topic sweep", unit="model")):
        fitted.append((k, s, tm, tm.topic_words(top_n)))
        perplexity.append(pp)
        log.info("fitted K=%d seed=%d in %.1fs", k, s, tm.fit_seconds_)
    rows = [{"k": k, "seed": s, "perplexity": pp, "fit_seconds": tm.fit_seconds_}
            for (k, s, tm, _), pp in zip(fitted, perplexity)]
    for m in measures:
        cm = _coherence_model([w for *_, w in fitted], vectorizer, X, m, processes)
        for row, (_, _, _, words) in zip(rows, fitted):
            cm.topics = words
            cm.topn = top_n
            row[m] = float(cm.aggregate_measures(cm.get_coherence_per_topic()))
    stability = {k: topic_stability([w for kk, _, _, w in fitted if kk == k], top_n) for k in ks}
    for row in rows:
        row["stability"] = stability[row["k"]]
        row["coherence_top_n"] = top_n  # coherence: gensim's CoherenceModel on the top_n terms of each topic
    out = pd.DataFrame(rows, columns=["k", "seed", *measures, "perplexity", "fit_seconds", "stability", "coherence_top_n"])
    out = attach(out, provenance("topics.sweep", {"k_values": ks, "seeds": seeds, "method": method,
                                                  "measures": list(measures), "top_n": top_n, **params}))
    return out, fitted


def _fit_one(grid_point, method, params, shared):
    """Fit the sweep's model for one (K, seed) on the shared counts; return it with its perplexity (a task)."""
    k, s = grid_point
    ids, documents, vectorizer, counts = shared
    tm = TopicModel(n_topics=k, method=method, random_state=s, **params)
    tm.fit(counts, vectorizer=vectorizer, ids=ids, documents=documents)  # the sweep warned once about empty ones
    return tm, tm.perplexity(counts=counts)


def _doc_ids(X):
    """Document ids of token lists, a tokens DataFrame or a tokens Parquet file."""
    if isinstance(X, (str, Path)):
        import pyarrow.parquet as pq

        return [str(i) for i in pq.read_table(str(X), columns=["id"]).column("id").to_pylist()]
    if isinstance(X, pd.DataFrame) and "id" in X.columns and "tokens" in X.columns:
        return X["id"].astype(str).tolist()  # without copying every token list
    ids, docs, _ = token_lists(X)
    return ids or [str(i) for i in range(len(docs))]


def _warn_empty(counts, ids, documents, stacklevel=3):
    """Warn once when some documents (or units) have no modelled term: their shares will be NaN."""
    empty = np.flatnonzero(np.asarray(counts.sum(axis=1)).ravel() == 0)
    if len(empty):
        what = "document(s)" if documents is None else "unit(s)"
        warnings.warn(f"{len(empty)} of {counts.shape[0]:,} {what} have no terms after stopwords and vocabulary limits "
                      f"(first: {ids[empty[0]]!r}); their topic shares are NaN", UserWarning, stacklevel=stacklevel)


def _documents(X):
    """The ``document`` column of unit tokens (a DataFrame or a Parquet file), or None for documents."""
    if isinstance(X, (str, Path)):
        import pyarrow.parquet as pq

        if "document" not in pq.read_schema(str(X)).names:
            return None
        return [str(i) for i in pq.read_table(str(X), columns=["document"]).column("document").to_pylist()]
    if isinstance(X, pd.DataFrame) and "document" in X.columns:
        return X["document"].astype(str).tolist()
    return None


def _aggregate(documents, shares, lengths):
    """Token-weighted mean shares per document, documents in order of first appearance."""
    from scipy import sparse

    order = list(dict.fromkeys(documents))
    index = {d: i for i, d in enumerate(order)}
    rows = np.fromiter((index[d] for d in documents), dtype=np.int64, count=len(documents))
    w = np.where(np.isfinite(shares).all(axis=1), lengths, 0.0).astype(float)
    member = sparse.csr_matrix((w, (rows, np.arange(len(documents)))), shape=(len(order), len(documents)))
    total = np.asarray(member.sum(axis=1)).ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (member @ np.nan_to_num(shares)) / total[:, None]
    out[total == 0] = np.nan
    return order, out
