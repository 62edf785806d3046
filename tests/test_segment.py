import pickle

import pytest

from policynlp import Segmenter, load_agencies
from policynlp.errors import LexiconError, ParameterError
from policynlp.tokencache import TokenCache
from tests.conftest import GUIDANCE

ENGINES = ["rjieba", "jieba"]


@pytest.fixture(scope="module", params=ENGINES)
def seg(request):
    return Segmenter(engine=request.param)


def test_reference_sentence_keeps_every_policy_unit_whole(seg):
    toks = seg.cut(GUIDANCE)
    for unit in ["国务院", "国家发展改革委", "工业和信息化部", "科学技术部", "八部委",
                 "《关于促进智慧城市健康发展的指导意见》", "发改高技〔2014〕1770号"]:
        assert unit in toks, (unit, toks)
    assert "2014" not in toks and "，" not in toks  # numbers, dates and punctuation dropped by default


@pytest.mark.parametrize(
    "sentence, units",
    [
        ("住房城乡建设部和科技部联合印发《关于公布2013年度国家智慧城市试点名单的通知》（建办科〔2013〕22号）",
         ["住房城乡建设部", "科技部", "《关于公布2013年度国家智慧城市试点名单的通知》", "建办科〔2013〕22号"]),
        ("国务院办公厅转发国家发展改革委等10部门《推进“互联网+政务服务”开展信息惠民试点实施方案》（国办发〔2016〕23号）",
         ["国务院办公厅", "国家发展改革委", "10部门", "《推进“互联网+政务服务”开展信息惠民试点实施方案》", "国办发〔2016〕23号"]),
        ("国家测绘地理信息局印发《关于开展智慧城市时空信息云平台建设试点工作的通知》，在太原、广州等9个城市开展试点",
         ["国家测绘地理信息局", "《关于开展智慧城市时空信息云平台建设试点工作的通知》", "太原", "广州"]),
        ("国家标准委、中央网信办、国家发展改革委联合发布《关于开展智慧城市标准体系和评价指标体系建设及应用实施的指导意见》",
         ["国家标准委", "中央网信办", "国家发展改革委", "《关于开展智慧城市标准体系和评价指标体系建设及应用实施的指导意见》"]),
        ("根据《国务院关于印发〈“十四五”数字经济发展规划〉的通知》（国发[2021]29号）和国令第708号，推进数字政府建设",
         ["《国务院关于印发〈“十四五”数字经济发展规划〉的通知》", "国发[2021]29号", "国令第708号", "数字政府"]),
        ("经国务院批准，国家卫生计生委、国家中医药管理局和工信部推进健康医疗大数据与互联网+政务服务",
         ["国家卫生计生委", "国家中医药管理局", "工信部", "健康医疗大数据", "互联网+政务服务"]),
        ("《国务院办公厅关于转发〈关于加快实施信息惠民工程有关工作的通知〉的通知》明确了12部门分工",
         ["《国务院办公厅关于转发〈关于加快实施信息惠民工程有关工作的通知〉的通知》", "12部门"]),
    ],
)
def test_policy_sentences(seg, sentence, units):
    toks = seg.cut(sentence)
    for unit in units:
        assert unit in toks, (unit, toks)


def test_every_agency_name_and_alias_stays_whole_in_context():
    seg = Segmenter()
    broken = []
    for name in load_agencies().surfaces():
        for template in ("由{}负责组织实施", "{}印发通知", "会同{}、财政部等部门"):
            if name not in seg.cut(template.format(name)):
                broken.append((name, template))
    assert not broken, broken[:20]


def test_protected_spans_can_be_dropped_or_split():
    assert Segmenter(titles="drop", doc_numbers="drop").cut(GUIDANCE)[-1] == "联合"
    split = Segmenter(titles="split", doc_numbers="split", punctuation=True).cut(GUIDANCE)
    assert "《关于促进智慧城市健康发展的指导意见》" not in split and "智慧城市" in split


def test_keep_all_shows_numbers_dates_and_punctuation():
    toks = Segmenter(stopwords=None, punctuation=True, numbers=True, dates="keep").cut("2014年8月，增长12.5%。")
    assert toks == ["2014年8月", "，", "增长", "12.5%", "。"]


def test_boilerplate_removed_whole_with_stopwords():
    text = "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：现将《智慧社区建设指南（试行）》印发给你们，请认真贯彻执行。"
    assert Segmenter().cut(text) == ["《智慧社区建设指南（试行）》"]
    assert "自治区" in Segmenter(stopwords=None).cut(text)


def test_numbers_dropped_but_terms_with_digits_kept():
    toks = Segmenter().cut("建设5G网络基站3000个，覆盖率达到95%")
    assert "5G" in toks and "3000" not in toks and "95%" not in toks


def test_engines_agree_without_hmm(demo_corpus):
    a = Segmenter(engine="rjieba", hmm=False)
    b = Segmenter(engine="jieba", hmm=False)
    for d in demo_corpus:
        assert a.cut(d.text) == b.cut(d.text), d.id


def test_engines_nearly_agree_with_hmm(demo_corpus):
    a, b = Segmenter(engine="rjieba"), Segmenter(engine="jieba")
    same = total = 0
    for d in demo_corpus:
        x, y = a.cut(d.text), b.cut(d.text)
        same += len(set(x) & set(y))
        total += len(set(x) | set(y))
    assert same / total > 0.97


def test_global_jieba_state_untouched():
    import jieba
    import rjieba

    before = dict(jieba.dt.FREQ) if jieba.dt.initialized else None
    for engine in ENGINES:
        Segmenter(engine=engine, user_words=["独一无二的政策词"]).cut("独一无二的政策词和互联网+政务服务")
    after = dict(jieba.dt.FREQ) if jieba.dt.initialized else None
    assert before == after
    assert "互联网+政务服务" not in jieba.dt.FREQ and not rjieba.has_word("互联网+政务服务")
    assert jieba.lcut("互联网+政务服务", HMM=False) != ["互联网+政务服务"]


def test_user_lexicon_file_with_bom_low_frequency_and_brackets(tmp_path):
    f = tmp_path / "words.txt"
    f.write_bytes("\ufeff城市大脑 1 n\n# comment\n一网统管\n智慧城市（区、镇） 3\n".encode("utf-8"))
    seg = Segmenter(user_words=f)
    toks = seg.cut("杭州建设城市大脑，上海推进一网统管，开展智慧城市（区、镇）试点")
    assert {"城市大脑", "一网统管", "智慧城市（区、镇）"} <= set(toks)


def test_user_lexicon_errors_name_file_and_line(tmp_path):
    f = tmp_path / "words.txt"
    f.write_text("城市大脑 10 n\n智慧 城市 5\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"words\.txt:2.*cannot contain spaces"):
        Segmenter(user_words=f).cut("甲")
    g = tmp_path / "gbk.txt"
    g.write_bytes("城市大脑\n".encode("gbk"))
    with pytest.raises(LexiconError, match="UTF-8"):
        Segmenter(user_words=g).cut("甲")


def test_pos_tags_come_from_the_same_segmentation():
    plain = Segmenter().cut(GUIDANCE)
    tagged = Segmenter(pos=True).cut(GUIDANCE)
    assert [w for w, _ in tagged] == plain
    tags = dict(tagged)
    assert tags["国家发展改革委"] == "nt" and tags["八部委"] == "collective"
    assert tags["《关于促进智慧城市健康发展的指导意见》"] == "title" and tags["发改高技〔2014〕1770号"] == "docno"


def test_segment_frame_parallel_is_identical(demo_corpus):
    seg = Segmenter()
    one = seg.segment(demo_corpus)
    two = seg.segment(demo_corpus, n_jobs=2, chunk_size=2)
    assert one.equals(two)
    assert one["id"].tolist() == demo_corpus.ids
    with_pos = Segmenter(pos=True).segment(demo_corpus, n_jobs=2, chunk_size=3)
    assert with_pos["tokens"].tolist() == one["tokens"].tolist()
    assert all(len(t) == len(p) for t, p in zip(with_pos["tokens"], with_pos["pos"]))


def test_token_cache_segments_only_new_texts(tmp_path, demo_corpus):
    seg = Segmenter()
    cache = TokenCache(tmp_path)
    first = cache.segment(seg, demo_corpus.ids[:5], demo_corpus.texts[:5])
    assert (cache.hits, cache.misses) == (0, 5)
    full = cache.segment(seg, demo_corpus.ids, demo_corpus.texts)
    assert (cache.hits, cache.misses) == (5, len(demo_corpus) - 5)
    assert full.equals(seg.segment(demo_corpus)) and full.head(5).equals(first)
    # different settings never read another setting's tokens
    other = TokenCache(tmp_path)
    other.segment(Segmenter(stopwords=None), demo_corpus.ids, demo_corpus.texts)
    assert other.misses == len(demo_corpus)
    assert seg.segment(demo_corpus, cache=tmp_path).equals(full)


def test_a_damaged_token_cache_is_recomputed_never_used(tmp_path, demo_corpus):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from policynlp.tokencache import CacheWarning

    seg = Segmenter()
    expected = seg.segment(demo_corpus)
    cache = TokenCache(tmp_path)
    cache.segment(seg, demo_corpus.ids[:6], demo_corpus.texts[:6])
    cache.segment(seg, demo_corpus.ids, demo_corpus.texts)
    first, second = sorted((tmp_path / seg.fingerprint).glob("part-*.parquet"), key=lambda p: pq.read_metadata(p).num_rows)
    # one entry's tokens altered on disk (its checksum no longer matches) …
    table = pq.read_table(first)
    joined = table["joined"].to_pylist()
    joined[0] = "篡改\x1f的\x1f词语"
    pq.write_table(table.set_column(1, "joined", pa.array(joined, pa.large_string())), first)
    # … and the other part truncated half-way
    second.write_bytes(second.read_bytes()[: second.stat().st_size // 2])
    with pytest.warns(CacheWarning) as caught:
        again = cache.segment(seg, demo_corpus.ids, demo_corpus.texts)
    assert again.equals(expected)
    assert cache.misses == len(demo_corpus) - 5
    messages = " | ".join(str(w.message) for w in caught)
    assert "1 entry failed the checksum" in messages and "cannot be read" in messages
    # the damage is repaired: the next run reads everything from the cache, silently
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        assert cache.segment(seg, demo_corpus.ids, demo_corpus.texts).equals(expected)
    assert cache.misses == 0


def test_segmenter_pickles_without_its_tokenizer():
    seg = Segmenter(user_words=["城市大脑"])
    seg.cut("甲")
    clone = pickle.loads(pickle.dumps(seg))
    assert clone.cut("建设城市大脑") == seg.cut("建设城市大脑") and clone.fingerprint == seg.fingerprint


def test_bad_arguments_are_named():
    with pytest.raises(ParameterError, match="engine='ltp' is not valid; use one of 'rjieba', 'jieba'"):
        Segmenter(engine="ltp")
    with pytest.raises(ParameterError, match="min_length=0 must be at least 1"):
        Segmenter(min_length=0)
    with pytest.raises(ParameterError, match="single string"):
        Segmenter().segment("一段文字")
    with pytest.raises(ParameterError, match="titles='yes'"):
        Segmenter(titles="yes")


def test_urls_and_email_addresses_are_not_words():
    text = "联系邮箱：dqqhdc@mee.gov.cn，网址http://www.mee.gov.cn/xxgk/，你市应于月底前报送我部。"
    toks = Segmenter().cut(text)
    assert not any("@" in t or "mee" in t or "dqqhdc" in t or "http" in t for t in toks)
    assert "你市" not in toks and "我部" not in toks and "报送" in toks
    kept = Segmenter(urls="keep").cut(text)
    assert "dqqhdc@mee.gov.cn" in kept and "http://www.mee.gov.cn/xxgk/" in kept


def test_parallel_segmentation_without_fork(demo_corpus):
    seg = Segmenter(user_words=["城市全域数字化转型"])
    spawned = seg.segment(demo_corpus, n_jobs=2, chunk_size=5, mp_context="spawn")
    assert spawned.equals(seg.segment(demo_corpus))


def test_streaming_segmentation_equals_in_memory(tmp_path, demo_corpus):
    from policynlp.synthetic import write_synthetic
    from policynlp.tables import read_tokens, write_tokens

    seg = Segmenter()
    demo_corpus.to_parquet(tmp_path / "c.parquet")
    n = seg.segment_parquet(tmp_path / "c.parquet", tmp_path / "streamed.parquet", batch_size=7)
    write_tokens(seg.segment(demo_corpus), tmp_path / "memory.parquet")
    assert n == len(demo_corpus)
    a, b = read_tokens(tmp_path / "streamed.parquet"), read_tokens(tmp_path / "memory.parquet")
    assert a.equals(b) and a.attrs["provenance"]["fingerprint"] == seg.fingerprint
    # a synthetic manifest streams the same way, with its own column names
    write_synthetic(tmp_path / "syn.parquet", 30, seed=2, batch_size=8)
    assert seg.segment_parquet(tmp_path / "syn.parquet", tmp_path / "syn_tokens.parquet", batch_size=10) == 30
    with pytest.raises(ParameterError, match="no column 'body'"):
        seg.segment_parquet(tmp_path / "syn.parquet", tmp_path / "x.parquet", text_column="body")


def test_synthetic_corpus_is_deterministic_and_ingestible(tmp_path):
    from policynlp import read_corpus
    from policynlp.synthetic import iter_synthetic, write_synthetic

    assert list(iter_synthetic(5, seed=4)) == list(iter_synthetic(5, seed=4))
    assert list(iter_synthetic(5, seed=4)) != list(iter_synthetic(5, seed=5))
    a = write_synthetic(tmp_path / "a.parquet", 25, seed=1, batch_size=10).read_bytes()
    assert a == write_synthetic(tmp_path / "b.parquet", 25, seed=1, batch_size=10).read_bytes()
    corpus = read_corpus(tmp_path / "a.parquet", progress=False)
    assert len(corpus) == 25 and corpus.meta["doc_number"].notna().all() and corpus[0].issuers


def test_digital_economy_terms_stay_whole_and_dates_leave_no_fragment():
    tokens = Segmenter().cut("支持智能网联汽车和自动驾驶发展，推进车联网、大模型、数据要素和算力建设，实行揭榜挂帅、先行先试。"
                             "2022年度市场监督管理总局基于数据中心开展抽查，包括部分企业。")
    for term in ("智能网联汽车", "自动驾驶", "车联网", "大模型", "数据要素", "算力", "揭榜挂帅", "先行先试", "市场监督管理总局"):
        assert term in tokens, term
    assert "度" not in tokens and "年度" not in tokens  # 2022年度 is a date, dropped whole
    assert not {"包括", "基于", "部分"} & set(tokens)  # function words are stopwords
