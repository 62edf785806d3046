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

__all__ = ["BACKENDS", "GensimLDA", "SklearnLDA", "NMF"]

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


class SklearnLDA:
    """scikit-learn's LatentDirichletAllocation, batch learning."""

    weighting = "count"
    takes_prior = False

    def __init__(self, model=None):
        self.model = model

    def fit(self, tm, counts, eta):
        from sklearn.decomposition import LatentDirichletAllocation

        prior = tm.alpha if isinstance(tm.alpha, (int, float)) else None
        self.model = LatentDirichletAllocation(n_components=tm.n_topics, learning_method="batch",
                                               max_iter=2 * tm.passes, random_state=tm.random_state,
                                               doc_topic_prior=prior, topic_word_prior=tm.eta)
        self.model.fit(counts)
        comp = self.model.components_
        return comp / comp.sum(axis=1, keepdims=True)

    def doc_topic(self, tm, counts, *, training=False):
        return self.model.transform(counts)

    def perplexity(self, counts):
        return float(self.model.perplexity(counts))

    def state(self):
        return {"lda_components": self.model.components_, "lda_exp_dirichlet": self.model.exp_dirichlet_component_,
                "lda_doc_topic_prior": np.asarray(self.model.doc_topic_prior_)}

    @classmethod
    def from_state(cls, tm, arrays):
        from sklearn.decomposition import LatentDirichletAllocation

        # scikit-learn has no public way to build a fitted LDA from its arrays: these are the attributes its
        # transform() and perplexity() read (checked by the save/load round-trip tests on every release we pin)
        m = LatentDirichletAllocation(n_components=tm.n_topics, learning_method="batch", random_state=tm.random_state)
        m.components_ = arrays["lda_components"]
        m.exp_dirichlet_component_ = arrays["lda_exp_dirichlet"]
        m.doc_topic_prior_ = float(arrays["lda_doc_topic_prior"])
        m.topic_word_prior_ = 1.0 / tm.n_topics
        m.n_features_in_ = m.components_.shape[1]
        m.n_batch_iter_ = 1
        return cls(m)


class NMF:
    """scikit-learn's NMF on tf-idf weights (Frobenius loss, NNDSVDa start)."""

    weighting = "tfidf"
    takes_prior = False

    def __init__(self, model=None, training_weights=None):
        self.model = model
        self.training_weights = training_weights

    def fit(self, tm, counts, eta):
        from sklearn.decomposition import NMF as SklearnNMF

        self.model = SklearnNMF(n_components=tm.n_topics, init="nndsvda", random_state=tm.random_state, max_iter=400)
        self.training_weights = self.model.fit_transform(tm.vectorizer_.weigh(counts))
        comp = self.model.components_
        sums = comp.sum(axis=1, keepdims=True)
        sums[sums == 0] = 1
        return comp / sums

    def doc_topic(self, tm, counts, *, training=False):
        if training:
            return self.training_weights
        return self.model.transform(tm.vectorizer_.weigh(counts))

    def perplexity(self, counts):
        return None  # undefined for a factorisation

    def state(self):
        return {"nmf_components": self.model.components_}

    @classmethod
    def from_state(cls, tm, arrays):
        from sklearn.decomposition import NMF as SklearnNMF

        # as for LDA: the attributes scikit-learn's transform() reads, set on an unfitted estimator
        m = SklearnNMF(n_components=tm.n_topics, init="nndsvda", random_state=tm.random_state, max_iter=400)
        m.components_ = arrays["nmf_components"]
        m.n_components_ = tm.n_topics
        m.n_features_in_ = m.components_.shape[1]
        m._n_components = tm.n_topics
        m._beta_loss = 2
        return cls(m)


#: ``TopicModel(method=...)`` → backend class.
BACKENDS = {"gensim-lda": GensimLDA, "lda": SklearnLDA, "nmf": NMF}
