import json

import numpy as np
import pytest

from policynlp import Corpus, Document, Segmenter
from policynlp.errors import ParameterError
from policynlp.topics import TopicModel, sweep, topic_stability

SEEDS = {"tourism": ["旅游", "智慧旅游", "景区"], "healthcare": ["健康医疗大数据", "医疗", "健康"],
         "transport": ["交通", "交通运输", "智能交通"]}


@pytest.fixture(scope="module")
def tokens(demo_corpus):
    return Segmenter().segment(demo_corpus)


@pytest.mark.parametrize("method", ["gensim-lda", "lda", "nmf"])
def test_fit_is_deterministic_and_shaped(tokens, method):
    a = TopicModel(3, method=method, random_state=7, min_df=1).fit(tokens)
    b = TopicModel(3, method=method, random_state=7, min_df=1).fit(tokens)
    np.testing.assert_array_equal(a.components_, b.components_)
    assert a.top_terms(5).equals(b.top_terms(5))
    dt = a.doc_topics()
    assert list(dt.index) == tokens.id.tolist() and dt.shape == (25, 3)
    np.testing.assert_allclose(dt.sum(axis=1), 1.0)
    np.testing.assert_allclose(a.components_.sum(axis=1), 1.0, rtol=1e-6)  # float32 rows


@pytest.mark.parametrize("method", ["gensim-lda", "lda", "nmf"])
def test_save_load_round_trip(tmp_path, tokens, method):
    tm = TopicModel(3, method=method, random_state=1, min_df=1).fit(tokens)
    tm.set_labels(["甲", "乙", "丙"])
    tm.save(tmp_path / "m")
    back = TopicModel.load(tmp_path / "m")
    assert back.labels_ == ["甲", "乙", "丙"] and back.top_terms(5).equals(tm.top_terms(5))
    assert back.doc_topics().equals(tm.doc_topics())
    np.testing.assert_allclose(back.transform(tokens), tm.transform(tokens), atol=1e-6)
    assert not list((tmp_path / "m").glob("*.pkl"))


def test_seeded_topics_pull_their_domain(tokens, demo_corpus):
    tm = TopicModel(4, seed_topics=SEEDS, seed_weight=5.0, random_state=0, min_df=1, passes=20).fit(tokens)
    assert tm.labels_[:3] == ["tourism", "healthcare", "transport"]
    top = tm.top_terms(8)
    for label, seeds in SEEDS.items():
        assert set(top[top.label == label].term) & set(seeds), label
    dt = tm.doc_topics()
    assert dt.loc["sc-tourism-2015"].idxmax() == "tourism"
    assert dt.loc["sc-health-2016"].idxmax() == "healthcare"
    assert dt.loc["sc-transport-2016"].idxmax() == "transport"


def test_prevalence_by_metadata(tokens, demo_corpus):
    tm = TopicModel(3, random_state=0, min_df=1).fit(tokens)
    prev = tm.prevalence(demo_corpus, by="year")
    assert sorted(prev.group.unique()) == [2012, 2013, 2014, 2015, 2016, 2021, 2022, 2024]
    np.testing.assert_allclose(prev.groupby("group").share.sum(), 1.0)
    assert prev[prev.group == 2014].n_docs.iloc[0] == 4
    by_issuer = tm.prevalence(demo_corpus.meta, by="lead_issuer")
    assert "国务院" in set(by_issuer.group)


def test_coherence_and_perplexity(tokens):
    tm = TopicModel(3, random_state=0, min_df=1).fit(tokens)
    cv, per_topic = tm.coherence(tokens, measure="c_v")
    assert 0 < cv < 1 and len(per_topic) == 3
    umass, _ = tm.coherence(tokens, measure="u_mass")
    assert umass < 0
    assert tm.perplexity(tokens) > 1
    assert TopicModel(3, method="nmf", min_df=1).fit(tokens).perplexity(tokens) is None


def test_sweep_shares_one_accumulator_and_reports_stability(tokens):
    table = sweep(tokens, [2, 4], seeds=(0, 1), measures=("c_v", "u_mass"), min_df=1)
    assert table[["k", "seed"]].values.tolist() == [[2, 0], [2, 1], [4, 0], [4, 1]]
    assert table.stability.between(0, 1).all() and table.c_v.between(0, 1).all()
    # the shared accumulator gives the same c_v as a model evaluated on its own
    tm = TopicModel(4, random_state=1, min_df=1).fit(tokens)
    assert table[(table.k == 4) & (table.seed == 1)].c_v.iloc[0] == pytest.approx(tm.coherence(tokens, measure="c_v")[0])


def test_stability_detects_identical_and_different_runs():
    a = [["旅游", "景区"], ["医疗", "健康"]]
    assert topic_stability([a, a[::-1]]) == 1.0
    assert topic_stability([a, [["交通", "公交"], ["教育", "学校"]]]) == 0.0


def test_bad_parameters_give_clear_errors(tokens):
    with pytest.raises(ParameterError, match="n_topics=5000 is larger than the vocabulary"):
        TopicModel(5000, min_df=1).fit(tokens)
    empty = Corpus([Document("a", text="的了和与"), Document("b", text="2014年8月27日")])
    with pytest.raises(ParameterError, match="no terms left|every document is empty"):
        TopicModel(2).fit(Segmenter().segment(empty))
    with pytest.raises(ParameterError, match="method='bert'"):
        TopicModel(3, method="bert").fit(tokens)
    with pytest.raises(ParameterError, match="seed_topics works with method='gensim-lda' only"):
        TopicModel(3, method="nmf", seed_topics=SEEDS).fit(tokens)
    with pytest.raises(ParameterError, match="not fitted"):
        TopicModel(3).top_terms()


def test_documents_empty_after_stopwords_warn_and_get_nan(tokens):
    extra = tokens.copy()
    extra.loc[len(extra)] = ["empty-doc", ["的", "和"]]
    with pytest.warns(UserWarning, match="1 of 26 document\\(s\\) have no terms.*empty-doc"):
        tm = TopicModel(3, random_state=0, min_df=1).fit(extra)
    assert tm.doc_topics().loc["empty-doc"].isna().all()


def test_ldavis_page_is_self_contained(tmp_path, tokens, embedded_font_lacks):
    tm = TopicModel(3, random_state=0, min_df=1).fit(tokens)
    page = tm.to_ldavis_html(tokens, tmp_path / "v.html").read_text(encoding="utf-8")
    assert "src=\"http" not in page and "href=\"http" not in page
    assert "d3" in page and "LDAvis" in page
    assert "旅游" in page or json.dumps("旅游")[1:-1] in page
    # every character of every term the page can show has a glyph in the font it embeds (no tofu without CJK fonts)
    assert embedded_font_lacks(page, "".join(tm.vectorizer_.get_feature_names_out())) == set()



def test_fit_from_a_tokens_parquet_file_equals_in_memory(tmp_path, demo_corpus):
    from policynlp import Segmenter
    from policynlp.tables import write_tokens

    tokens = Segmenter().segment(demo_corpus)
    write_tokens(tokens, tmp_path / "tokens.parquet")
    a = TopicModel(n_topics=4, min_df=2, max_df=0.6, passes=3, random_state=0).fit(tokens)
    b = TopicModel(n_topics=4, min_df=2, max_df=0.6, passes=3, random_state=0).fit(tmp_path / "tokens.parquet")
    assert a.ids_ == b.ids_ and a.ids_[0] == demo_corpus.ids[0]
    np.testing.assert_array_equal(a.components_, b.components_)
    np.testing.assert_array_equal(a.doc_topic_, b.doc_topic_)


def test_analyses_work_or_say_what_is_missing_on_awkward_corpora(demo_corpus):
    """Some documents without a year, none with one, one year only, documents with no tokens, one document."""
    from policynlp import Segmenter, TopicModel
    from policynlp import keywords as kw
    from policynlp.corpus import Corpus, Document
    from policynlp.errors import ParameterError
    from policynlp.plots import plot_term_trends, plot_topic_trends

    docs = list(demo_corpus)
    mixed = Corpus([Document(d.id, d.title, d.text, issuers=d.issuers, date=d.date if i % 2 else None)
                    for i, d in enumerate(docs)])
    tokens = Segmenter().segment(mixed)
    tm = TopicModel(2, random_state=0, passes=2).fit(tokens)
    prev = tm.prevalence(mixed, by="year")
    assert prev["group"].tolist()[-1] == "(none)" and prev["group"].iloc[0] == min(g for g in prev["group"] if g != "(none)")
    ax = plot_topic_trends(prev)  # the documents without a year are not on the line
    assert "(none)" not in [t.get_text() for t in ax.get_xticklabels()]
    plot_term_trends(kw.term_trends(tokens, mixed, None, by="year", top_n=3))
    undated = Corpus([Document(d.id, d.title, d.text) for d in docs])
    with pytest.raises(ParameterError, match="no group to draw"):
        plot_topic_trends(TopicModel(2, random_state=0, passes=2).fit(Segmenter().segment(undated)).prevalence(undated))
    blank = Corpus([*docs[:6], Document("x1", "的", "的了。"), Document("x2", "", "，。")])
    bt = Segmenter().segment(blank)
    assert len(TopicModel(2, random_state=0, passes=2).fit(bt).doc_topics()) == len(blank)
    assert len(kw.tfidf_keywords(bt, blank, top_n=3))
    with pytest.raises(ParameterError, match="topic models need several documents"):
        TopicModel(2, random_state=0).fit(Segmenter().segment(Corpus([docs[0]])))


def test_coherence_is_gensims_on_whole_texts_not_cut_to_the_vocabulary(demo_corpus):
    """c_v as gensim's CoherenceModel computes it on the model's term streams (Röder et al. 2015)."""
    from gensim.corpora import Dictionary
    from gensim.models.coherencemodel import CoherenceModel

    from policynlp import Segmenter, TopicModel

    # long documents (several windows of 110 tokens each), where cutting texts to the vocabulary changes c_v
    docs = list(demo_corpus)
    long_texts = ["\n".join(d.text for d in docs[i:i + 8]) for i in range(0, 24, 2)]
    tokens = Segmenter().segment(long_texts)
    tm = TopicModel(3, random_state=0, passes=3, min_df=2, max_df=0.7).fit(tokens)
    texts = tm.vectorizer_.term_streams(tokens)
    assert max(len(t) for t in texts) > 300
    for measure in ("c_v", "c_npmi", "u_mass"):
        ours, per_topic = tm.coherence(tokens, measure=measure)
        kwargs = {"texts": texts} if measure != "u_mass" else {"corpus": tm.vectorizer_.to_bow(tokens)}
        dictionary = Dictionary(texts) if measure != "u_mass" else tm.vectorizer_.to_gensim_dictionary()
        ref = CoherenceModel(topics=tm.topic_words(10), dictionary=dictionary, coherence=measure, **kwargs)
        assert ours == pytest.approx(ref.get_coherence(), abs=1e-9) and len(per_topic) == 3
    cut = CoherenceModel(topics=tm.topic_words(10), texts=tm.vectorizer_.analyzed(tokens),
                         dictionary=Dictionary(texts), coherence="c_v").get_coherence()
    assert tm.coherence(tokens)[0] != pytest.approx(cut, abs=1e-6)  # the inflated variant is not what we report


def test_small_corpora_get_the_passes_gensim_needs_and_priors_are_checked(tokens, caplog):
    # 25 documents in one chunk: one online update per pass, so 10 passes instead of 5
    with caplog.at_level("INFO", logger="policynlp.topic_backends"):
        tm = TopicModel(3, passes=5, min_df=1).fit(tokens)
    assert tm.passes_ == 10 and "10 updates it needs to converge" in caplog.text
    assert TopicModel(3, passes=5, min_df=1, chunksize=5).fit(tokens).passes_ == 5  # five updates a pass: enough
    assert TopicModel(3, min_df=1, alpha="asymmetric", eta=0.05).fit(tokens).model_.eta.max() == pytest.approx(0.05)
    for bad in (dict(alpha="flat"), dict(alpha=-1.0), dict(eta="symmetric"), dict(eta=0), dict(iterations=0),
                dict(eta="auto", method="nmf")):
        with pytest.raises(ParameterError):
            TopicModel(3, **bad).fit(tokens)


def test_an_unfitted_model_raises_scikit_learns_not_fitted_error():
    from sklearn.exceptions import NotFittedError

    from policynlp.errors import ParameterError

    tm = TopicModel(3)
    for call in (tm.top_terms, tm.doc_topics):
        with pytest.raises(NotFittedError, match="call fit"):
            call()
    with pytest.raises(ParameterError):  # what it raised before, still caught
        tm.top_terms()


def test_top_terms_score_like_the_other_term_tables_and_the_old_n_still_works(tokens):
    tm = TopicModel(3, random_state=0, min_df=1).fit(tokens)
    top = tm.top_terms(top_n=4)
    assert top.columns.tolist() == ["topic", "label", "rank", "term", "score"] and len(top) == 12
    assert (top.groupby("topic")["score"].diff().dropna() <= 0).all()  # ranked by score
    with pytest.warns(FutureWarning, match=r"TopicModel.top_terms\(n=\.\.\.\) is renamed top_n="):
        assert tm.top_terms(n=4).equals(top)


def test_lda_inference_and_perplexity_match_scikit_learn(tokens):
    """Our E-step and bound on the saved arrays are scikit-learn's transform and perplexity."""
    from policynlp.topic_backends import lda_inference, lda_perplexity

    tm = TopicModel(4, method="lda", random_state=2, min_df=1).fit(tokens)
    counts = tm.vectorizer_.count_matrix(tokens)
    sk = tm.model_
    ours = lda_inference(counts, sk.components_, sk.doc_topic_prior_)
    np.testing.assert_allclose(ours / ours.sum(axis=1, keepdims=True), sk.transform(counts), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(lda_perplexity(counts, sk.components_, sk.doc_topic_prior_, sk.topic_word_prior_),
                               sk.perplexity(counts), rtol=1e-9)
    assert tm.perplexity(tokens) == pytest.approx(sk.perplexity(counts), rel=1e-9)


def test_nmf_weights_of_new_documents_match_scikit_learn(tokens):
    """Non-negative least squares on the saved topics gives scikit-learn's NMF transform."""
    from policynlp.topic_backends import nnls_weights

    tm = TopicModel(4, method="nmf", random_state=2, min_df=1).fit(tokens)
    x = tm.vectorizer_.weigh(tm.vectorizer_.count_matrix(tokens))
    ours, theirs = nnls_weights(x, tm.model_.components_), tm.model_.transform(x)
    np.testing.assert_allclose(ours, theirs, atol=2e-3 * theirs.max())
    # and it is the least-squares optimum: no worse than scikit-learn's iterative solution
    err = lambda w: np.linalg.norm(x.toarray() - w @ tm.model_.components_)  # noqa: E731
    assert err(ours) <= err(theirs) + 1e-9
