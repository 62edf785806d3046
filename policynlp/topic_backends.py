"""The three topic-model algorithms behind :class:`policynlp.topics.TopicModel`, one small object each.

Each backend fits on the count matrix of the model's vectorizer, gives the
unnormalised document-topic weights, a perplexity where one is defined, and
its state as plain arrays for :meth:`TopicModel.save`, from which
:meth:`from_state` rebuilds it.  :class:`TopicModel` keeps what is common
(vocabulary, seed topics, shares, labels, tables) and asks its backend for the
rest, so adding an algorithm is adding a class here.

- :class:`GensimLDA`: online variational Bayes (Hoffman, Blei & Bach 2010) as
  gensim implements it, with seeded priors (Jagarlamudi, Daumé & Udupa 2012);
- :class:`SklearnLDA`: batch variational Bayes from scikit-learn;
- :class:`NMF`: non-negative matrix factorisation of tf-idf weights
  (Lee & Seung 1999) from scikit-learn.
"""

import logging

import numpy as np

from .features import matrix_to_bow

__all__ = ["BACKENDS", "GensimLDA", "SklearnLDA", "NMF", "lda_inference", "lda_perplexity", "nnls_weights"]

log = logging.getLogger(__name__)


class GensimLDA:
    """gensim's LdaModel (or LdaMulticore with ``workers`` > 1)."""

    weighting = "count"
    takes_prior = True  # the topic-word prior from seed topics (TopicModel._eta)

    def __init__(self, model=None):
        self.model = model

    def fit(self, tm, counts, eta):
        """Fit; returns the topic-word distributions (rows sum to 1) and sets ``tm.passes_``."""
        from gensim.matutils import Sparse2Corpus
        from gensim.models import LdaModel, LdaMulticore

        # rows streamed from the sparse matrix: no list of (id, count) pairs for the whole corpus
        counts = counts.tocsr()
        counts.sort_indices()  # term ids in order within each document, as gensim's own corpora have them
        bow = Sparse2Corpus(counts, documents_columns=False)
        dictionary = tm.vectorizer_.to_gensim_dictionary()
        # gensim asks for at least 10 online updates and warns "too few updates,
        # training might not converge" below that; a small corpus gets more passes
        updates_per_pass = -(-counts.shape[0] // tm.chunksize)
        tm.passes_ = max(tm.passes, -(-10 // updates_per_pass))
        if tm.passes_ > tm.passes:
            log.info("%d unit(s) make %d update(s) per pass: %d passes instead of %d, so that gensim makes the "
                     "10 updates it needs to converge", counts.shape[0], updates_per_pass, tm.passes_, tm.passes)
        common = dict(id2word=dictionary, num_topics=tm.n_topics, passes=tm.passes_, iterations=tm.iterations,
                      random_state=tm.random_state, chunksize=tm.chunksize, eval_every=None, eta=eta)
        if tm.workers > 1:
            alpha = "symmetric" if tm.alpha == "auto" else tm.alpha
            self.model = LdaMulticore(workers=tm.workers, alpha=alpha, **common)
        else:
            self.model = LdaModel(alpha=tm.alpha, **common)
        if eta is not None:
            # gensim's first E-step uses its random initial topic-word statistics,
            # not eta, so documents settle into topics before the prior can act.
            # Start the seed terms' statistics where the prior points (the
            # "seeded initialisation" of guided LDA, Jagarlamudi et al. 2012).
            boost = np.where(eta >= tm.seed_weight, tm.seed_weight * counts.sum() / max(counts.shape[1], 1), 0.0)
            self.model.state.sstats += boost
            self.model.sync_state()
        self.model.update(bow)
        return self.model.get_topics()

    def doc_topic(self, tm, counts, *, training=False):
        # gensim draws the starting point of inference from the model's random
        # state; reset it so transform() gives the same shares on every call.
        self.model.random_state = np.random.RandomState(tm.random_state)
        # in blocks, to bound memory; each block draws its starting values from the
        # same random stream in turn, so the result equals one call on all rows
        step = 5000
        blocks = [self.model.inference(matrix_to_bow(counts[i : i + step]))[0] for i in range(0, counts.shape[0], step)]
        return np.vstack(blocks) if blocks else np.zeros((0, tm.n_topics))

    def perplexity(self, counts):
        return float(np.exp2(-self.model.log_perplexity(matrix_to_bow(counts))))

    def state(self):
        return {"sstats": self.model.state.sstats, "alpha": np.asarray(self.model.alpha),
                "eta": np.asarray(self.model.eta)}

    @classmethod
    def from_state(cls, tm, arrays):
        from gensim.models import LdaModel

        model = LdaModel(num_topics=tm.n_topics, id2word=tm.vectorizer_.to_gensim_dictionary(), alpha=arrays["alpha"],
                         eta=arrays["eta"], random_state=tm.random_state, iterations=tm.iterations)
        model.state.sstats = arrays["sstats"]
        model.sync_state()
        return cls(model)


def _dirichlet_expectation(x):
    """E[log θ] of Dirichlet(x), row by row."""
    from scipy.special import digamma

    return digamma(x) - digamma(x.sum(axis=-1, keepdims=True))


def lda_inference(counts, components, alpha, *, max_iter=100, tol=1e-3):
    """Variational document-topic parameters (γ) of an LDA model for the rows of ``counts``.

    The E-step of batch variational Bayes (Blei, Ng & Jordan 2003, §5.2, in the
    form of Hoffman, Blei & Bach 2010, Algorithm 1): for each document, starting
    from γ = 1, alternate φ ∝ exp(E[log θ]) exp(E[log β]) and γ = α + Σ_w n_w φ_w
    until the mean change of γ falls below ``tol``.  With scikit-learn's defaults
    (``max_doc_update_iter=100``, ``mean_change_tol=1e-3``) it is the inference
    scikit-learn's ``transform`` runs, computed from the arrays a saved model keeps.

    Parameters
    ----------
    counts : scipy.sparse matrix, documents × terms
    components : ndarray, topics × terms
        The variational topic-word parameters (λ; scikit-learn's ``components_``).
    alpha : float
        The document-topic prior.

    Returns
    -------
    ndarray, documents × topics
        γ; rows of documents without terms are ``alpha``.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> lam = np.array([[9.0, 1.0], [1.0, 9.0]])
    >>> g = lda_inference(sp.csr_matrix([[4, 0], [0, 4]]), lam, 0.5)
    >>> g.argmax(axis=1).tolist()
    [0, 1]
    """
    counts = counts.tocsr()
    exp_beta = np.exp(_dirichlet_expectation(np.asarray(components, dtype=float)))
    eps = np.finfo(float).eps
    k = exp_beta.shape[0]
    gamma = np.full((counts.shape[0], k), float(alpha))
    start = np.exp(_dirichlet_expectation(np.ones(k)))
    for d in range(counts.shape[0]):
        lo, hi = counts.indptr[d], counts.indptr[d + 1]
        if lo == hi:
            continue
        beta_d, n_d = exp_beta[:, counts.indices[lo:hi]], counts.data[lo:hi].astype(float)
        g, theta = np.ones(k), start
        for _ in range(max_iter):
            last = g
            g = theta * ((n_d / (theta @ beta_d + eps)) @ beta_d.T) + alpha
            theta = np.exp(_dirichlet_expectation(g))
            if np.abs(g - last).mean() < tol:
                break
        gamma[d] = g
    return gamma


def lda_perplexity(counts, components, alpha, eta):
    """Perplexity of ``counts`` under an LDA model: exp(−ELBO / tokens), the variational bound as
    scikit-learn's ``perplexity`` computes it (Hoffman, Blei & Bach 2010, eq. 4).

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> lam = np.array([[9.0, 1.0], [1.0, 9.0]])
    >>> bool(lda_perplexity(sp.csr_matrix([[4, 0], [0, 4]]), lam, 0.5, 0.5) < 2.0)
    True
    """
    from scipy.special import gammaln, logsumexp

    counts = counts.tocsr()
    lam = np.asarray(components, dtype=float)
    gamma = lda_inference(counts, lam, alpha)
    e_theta, e_beta = _dirichlet_expectation(gamma), _dirichlet_expectation(lam)
    k, v = lam.shape
    score = 0.0
    for d in range(counts.shape[0]):
        lo, hi = counts.indptr[d], counts.indptr[d + 1]
        ids = counts.indices[lo:hi]
        score += counts.data[lo:hi] @ logsumexp(e_theta[d][:, None] + e_beta[:, ids], axis=0)
    score += ((alpha - gamma) * e_theta).sum() + (gammaln(gamma) - gammaln(alpha)).sum()
    score += (gammaln(alpha * k) - gammaln(gamma.sum(axis=1))).sum()
    score += ((eta - lam) * e_beta).sum() + (gammaln(lam) - gammaln(eta)).sum()
    score += (gammaln(eta * v) - gammaln(lam.sum(axis=1))).sum()
    return float(np.exp(-score / counts.sum()))


def nnls_weights(x, components):
    """Non-negative document weights W minimising ‖X − W H‖ for fixed topics H (the transform of a
    Frobenius NMF), solved per document as a K-variable non-negative least-squares problem.

    The objective ‖x − Hᵀw‖² equals ‖Lᵀw − L⁻¹Hx‖² up to a constant, with H Hᵀ = L Lᵀ,
    so each document is a K × K problem for Lawson & Hanson's (1974) NNLS.

    Examples
    --------
    >>> import numpy as np
    >>> h = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    >>> nnls_weights(np.array([[2.0, 3.0, 2.0]]), h).round(6).tolist()
    [[2.0, 3.0]]
    """
    from scipy.linalg import cho_factor, solve_triangular
    from scipy.optimize import nnls

    h = np.asarray(components, dtype=float)
    gram = h @ h.T
    gram[np.diag_indices_from(gram)] += 1e-12 * max(np.trace(gram), 1.0)  # topics may be linearly dependent
    chol, _ = cho_factor(gram, lower=True)
    chol = np.tril(chol)
    rhs = np.asarray(x @ h.T)  # documents × topics: H x for every document at once
    out = np.zeros((rhs.shape[0], h.shape[0]))
    for d in range(rhs.shape[0]):
        out[d] = nnls(chol.T, solve_triangular(chol, rhs[d], lower=True))[0]
    return out


class SklearnLDA:
    """scikit-learn's LatentDirichletAllocation, batch learning.

    scikit-learn fits the model; inference and perplexity are :func:`lda_inference` and
    :func:`lda_perplexity` on the arrays :meth:`state` keeps, so a loaded model needs no
    scikit-learn estimator rebuilt from private attributes.
    """

    weighting = "count"
    takes_prior = False

    def __init__(self, model=None, lam=None, alpha=None, eta=None):
        self.model, self.lam, self.alpha, self.eta = model, lam, alpha, eta

    def fit(self, tm, counts, eta):
        from sklearn.decomposition import LatentDirichletAllocation

        prior = tm.alpha if isinstance(tm.alpha, (int, float)) else None
        self.model = LatentDirichletAllocation(n_components=tm.n_topics, learning_method="batch",
                                               max_iter=2 * tm.passes, random_state=tm.random_state,
                                               doc_topic_prior=prior, topic_word_prior=tm.eta)
        self.model.fit(counts)
        self.lam = self.model.components_
        self.alpha, self.eta = float(self.model.doc_topic_prior_), float(self.model.topic_word_prior_)
        return self.lam / self.lam.sum(axis=1, keepdims=True)

    def doc_topic(self, tm, counts, *, training=False):
        return lda_inference(counts, self.lam, self.alpha)

    def perplexity(self, counts):
        return lda_perplexity(counts, self.lam, self.alpha, self.eta)

    def state(self):
        return {"lda_components": self.lam, "lda_doc_topic_prior": np.asarray(self.alpha),
                "lda_topic_word_prior": np.asarray(self.eta)}

    @classmethod
    def from_state(cls, tm, arrays):
        # models saved before the topic-word prior was kept had scikit-learn's default, 1/K
        eta = float(arrays["lda_topic_word_prior"]) if "lda_topic_word_prior" in arrays else 1.0 / tm.n_topics
        return cls(None, arrays["lda_components"], float(arrays["lda_doc_topic_prior"]), eta)


class NMF:
    """scikit-learn's NMF on tf-idf weights (Frobenius loss, NNDSVDa start).

    scikit-learn fits the factorisation; weights of new documents are :func:`nnls_weights`
    on the topics :meth:`state` keeps.
    """

    weighting = "tfidf"
    takes_prior = False

    def __init__(self, model=None, training_weights=None, components=None):
        self.model, self.training_weights, self.components = model, training_weights, components

    def fit(self, tm, counts, eta):
        from sklearn.decomposition import NMF as SklearnNMF

        self.model = SklearnNMF(n_components=tm.n_topics, init="nndsvda", random_state=tm.random_state, max_iter=400)
        self.training_weights = self.model.fit_transform(tm.vectorizer_.weigh(counts))
        self.components = self.model.components_
        sums = self.components.sum(axis=1, keepdims=True)
        sums[sums == 0] = 1
        return self.components / sums

    def doc_topic(self, tm, counts, *, training=False):
        if training:
            return self.training_weights
        return nnls_weights(tm.vectorizer_.weigh(counts), self.components)

    def perplexity(self, counts):
        return None  # undefined for a factorisation

    def state(self):
        return {"nmf_components": self.components}

    @classmethod
    def from_state(cls, tm, arrays):
        return cls(None, None, arrays["nmf_components"])


#: ``TopicModel(method=...)`` → backend class.
BACKENDS = {"gensim-lda": GensimLDA, "lda": SklearnLDA, "nmf": NMF}
