import numpy as np
import pytest
from sklearn.base import clone
from sklearn.utils.estimator_checks import (
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
)

from policynlp import Segmenter
from policynlp.errors import ParameterError
from policynlp.features import TermVectorizer

DOCS = [
    ["智慧城市", "试点", "住房和城乡建设部", "2014", "国发〔2013〕7号", "《指导意见》", "试点"],
    ["智慧旅游", "旅游", "景区", "智慧城市", "2014年8月"],
    ["健康医疗大数据", "医疗", "智慧城市", "12.5%", "化"],
]


@pytest.mark.parametrize("check", [check_no_attributes_set_in_init, check_parameters_default_constructible,
                                   check_get_params_invariance, check_set_params])
def test_sklearn_estimator_contract(check):
    check("TermVectorizer", TermVectorizer())


def test_numbers_dates_document_numbers_titles_and_single_characters_are_never_terms():
    tv = TermVectorizer().fit(DOCS)
    assert tv.get_feature_names_out().tolist() == ["住房和城乡建设部", "健康医疗大数据", "医疗", "旅游", "景区", "智慧城市", "智慧旅游", "试点"]


def test_weightings():
    counts = TermVectorizer().fit(DOCS).transform(DOCS).toarray()
    assert counts[0].max() == 2  # 试点 twice
    binary = TermVectorizer(weighting="binary").fit(DOCS).transform(DOCS).toarray()
    assert binary.max() == 1
    tfidf = TermVectorizer(weighting="tfidf").fit(DOCS).transform(DOCS).toarray()
    np.testing.assert_allclose(np.linalg.norm(tfidf, axis=1), 1.0)
    # 智慧城市 is in every document: lowest idf
    tv = TermVectorizer(weighting="tfidf").fit(DOCS)
    assert tv.idf_[tv.vocabulary_["智慧城市"]] == tv.idf_.min()


def test_min_max_df_and_stopwords():
    tv = TermVectorizer(min_df=2).fit(DOCS)
    assert tv.get_feature_names_out().tolist() == ["智慧城市"]
    tv = TermVectorizer(max_df=0.5, stopwords=["医疗"]).fit(DOCS)
    assert "智慧城市" not in tv.vocabulary_ and "医疗" not in tv.vocabulary_


def test_pos_filter_needs_tags_and_filters():
    seg = Segmenter(pos=True)
    tokens = seg.segment(["国家发展改革委推进智慧城市建设", "国家旅游局发展智慧旅游"])
    tv = TermVectorizer(pos={"nt"}).fit(tokens)
    assert set(tv.vocabulary_) == {"国家发展改革委", "国家旅游局"}
    with pytest.raises(ParameterError, match="Segmenter\\(pos=True\\)"):
        TermVectorizer(pos={"n"}).fit(DOCS)


def test_phrases_join_collocations():
    docs = [["智慧", "城市", "建设"]] * 6 + [["城市", "管理"], ["智慧", "旅游"]]
    tv = TermVectorizer(phrases=True, phrase_min_count=2, phrase_threshold=0.5).fit(docs)
    assert "智慧_城市" in tv.vocabulary_


def test_gensim_bridge_is_lossless(demo_corpus):
    tokens = Segmenter().segment(demo_corpus)
    tv = TermVectorizer().fit(tokens)
    d = tv.to_gensim_dictionary()
    assert d.token2id == tv.vocabulary_ and len(d) == len(tv.vocabulary_)
    bow = tv.to_bow(tokens)
    m = tv.transform(tokens).toarray()
    for i, row in enumerate(bow):
        dense = np.zeros(m.shape[1])
        for j, c in row:
            dense[j] = c
        np.testing.assert_array_equal(dense, m[i])
    assert d.doc2bow(tv.analyzed(tokens)[0]) == bow[0]


def test_state_round_trip():
    tv = TermVectorizer(weighting="tfidf", min_df=1).fit(DOCS)
    back = TermVectorizer.from_state(tv.to_state())
    assert (back.transform(DOCS) != tv.transform(DOCS)).nnz == 0
    assert clone(tv).get_params() == tv.get_params()


def test_empty_input_errors():
    with pytest.raises(ParameterError, match="no terms left"):
        TermVectorizer().fit([["2014", "的"], ["《标题》"]])
    with pytest.raises(ParameterError, match="list of tokens"):
        TermVectorizer().fit(["智慧城市 试点"])


@pytest.mark.parametrize("params", [dict(min_df=1), dict(min_df=2, max_df=0.5), dict(min_df=0.01, max_df=0.9, max_features=300),
                                    dict(min_df=3, max_features=50)])
def test_counts_equal_countvectorizer_on_prefiltered_lists(demo_corpus, params):
    from sklearn.feature_extraction.text import CountVectorizer

    from policynlp.features import is_content_token

    tokens = Segmenter(dates="keep", numbers=True).segment(list(demo_corpus.texts) * 3)
    tv = TermVectorizer(**params)
    ours = tv.fit_transform(tokens)
    filtered = [[t for t in d if len(t) >= 2 and is_content_token(t)] for d in tokens.tokens]
    cv = CountVectorizer(analyzer=lambda d: d, **params)
    ref = cv.fit_transform(filtered)
    assert tv.get_feature_names_out().tolist() == cv.get_feature_names_out().tolist()
    assert (ours != ref).nnz == 0
    # transform of new text ignores what is not a term without a filtering pass
    new = tv.transform([["智慧城市", "2014", "《标题》", "化"]]).toarray()
    assert new.sum() == (1 if "智慧城市" in tv.vocabulary_ else 0)
