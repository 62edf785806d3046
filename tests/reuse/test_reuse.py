"""Text reuse and diffusion: fingerprints, alignment, direction, planted reuse, networks and the analyze stage."""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from lxml import etree

from policynlp import Corpus, Document
from policynlp.extract import extract_citations
from policynlp.reuse import (
    adoption,
    adoption_curves,
    align,
    candidate_pairs,
    citation_crosscheck,
    diffusion_graph,
    direction,
    find_reuse,
    fingerprints,
)
from policynlp.synthetic import reuse_corpus
from tests.conftest import GEXF_SCHEMAS

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

CENTRAL = ("一、总体要求\n（一）指导思想。以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，坚持生态优先、绿色发展，"
           "以改善生态环境质量为核心，以生态环境分区管控为抓手，推动高质量发展和高水平保护相协调。\n（二）工作目标。到2025年，"
           "生态环境分区管控制度基本建立，全域覆盖、精准科学的生态环境分区管控体系初步形成。到2035年，体系健全、机制顺畅、运行高效"
           "的生态环境分区管控制度全面建立，为生态环境根本好转、美丽中国目标基本实现提供有力支撑。\n二、重点任务\n（三）加强生态"
           "环境分区管控成果应用。各地要将生态环境分区管控作为资源开发、产业布局、城镇建设的重要依据。")
PROVINCE = ("为贯彻落实国家部署，结合我省实际，制定本实施方案。\n一、总体要求\n1.指导思想。以习近平新时代中国特色社会主义思想为指导，"
            "全面贯彻党的二十大精神，坚持生态优先、绿色发展，以改善全省生态环境质量为核心，以生态环境分区管控为抓手，推动高质量发展"
            "和高水平保护相协调。\n2.工作目标。到2025年，我省生态环境分区管控制度基本建立，全域覆盖、精准科学的生态环境分区管控体系"
            "全面形成。\n二、本省特色措施\n3.建设长江经济带绿色发展示范区，支持沿江城市开展化工园区整治提升。")
UNRELATED = ("为加强网络数据安全管理，规范数据处理活动，保护个人、组织的合法权益，维护国家安全和公共利益，根据有关法律，制定本条例。"
             "网络数据处理者应当依照法律、行政法规的规定和国家标准的强制性要求，在网络安全等级保护的基础上，加强网络数据安全防护。")


def test_a_common_stretch_of_ten_characters_always_shares_a_fingerprint():
    rng = np.random.default_rng(0)
    pool = list("推进生态环境分区管控制度建设加强数据共享完善标准体系提升治理能力")
    for _ in range(200):
        common = "".join(rng.choice(pool, 10))
        a = "".join(rng.choice(pool, 30)) + common + "".join(rng.choice(pool, 30))
        b = "".join(rng.choice(pool, 50)) + common
        assert set(fingerprints(a)[0]) & set(fingerprints(b)[0]), common


def test_fingerprints_ignore_punctuation_and_line_breaks():
    assert list(fingerprints("加强生态环境分区管控，推动高质量发展。")[0]) == \
        list(fingerprints("加强生态环境分区管控\n推动高质量发展")[0])


def test_alignment_is_exact_on_an_unedited_copy():
    passage = "到2035年，体系健全、机制顺畅、运行高效的生态环境分区管控制度全面建立，为美丽中国目标基本实现提供有力支撑。"
    a = "前言部分说明背景。" + passage + "其他内容另行规定。"
    b = "我省结合实际情况。" + passage + "附件：任务分工表"
    [(a0, a1, b0, b1, sim)] = align(a, b)
    assert (a[a0:a1], b[b0:b1], sim) == (passage, passage, 1.0)


def test_alignment_survives_the_edits_implementation_plans_make():
    [(a0, a1, b0, b1, sim)] = align(CENTRAL, PROVINCE)
    # both items, renumbered （二）→ 2., with 全省 and 我省 inserted, in one passage
    assert CENTRAL[a0:a1].startswith("以习近平新时代") and PROVINCE[b0:b1].startswith("以习近平新时代")
    assert "（二）工作目标" in CENTRAL[a0:a1] and "2.工作目标" in PROVINCE[b0:b1] and "我省" in PROVINCE[b0:b1]
    assert "本省特色措施" not in PROVINCE[b0:b1]  # the province's own measures are not reuse
    assert 0.8 < sim < 1


def test_unrelated_documents_share_nothing():
    assert align(CENTRAL, UNRELATED) == []


def test_direction_comes_from_dates_and_is_never_invented():
    assert direction("2024-03-06", "2024-08-01") == (1, "date", 148)
    assert direction("2024-08-01", "2024-03-06") == (-1, "date", 148)
    assert direction("2024-03-06", "2024-03-06") == (0, "same day", 0)
    assert direction("2024", "2024-03-06") == (0, "same year", None)
    assert direction("", "2024-03-06") == (0, "undated", None)


def _corpus(dates=("2024-03-06", "2024-08-01", "2023-01-01")):
    return Corpus([
        Document("central", "关于加强生态环境分区管控的意见", CENTRAL, issuers=("生态环境部",), date=dates[0]),
        Document("province", "江苏省加强生态环境分区管控实施方案", PROVINCE, issuers=("江苏省人民政府办公厅",), date=dates[1],
                 level="provincial", region="江苏省"),
        Document("other", "网络数据安全管理条例", UNRELATED, issuers=("国务院",), date=dates[2]),
    ])


def test_find_reuse_directs_pairs_and_keeps_offsets_and_clause_paths():
    r = find_reuse(_corpus())
    assert r.pairs[["source", "target", "directed", "basis", "lag_days"]].values.tolist() == \
        [["central", "province", True, "date", 148]]
    row = r.pairs.iloc[0]
    assert 0.3 < row.target_share < 1 and 0.3 < row.source_share < 1
    p = r.passages.iloc[0]
    assert CENTRAL[p.source_start:p.source_end] == p.source_text
    assert PROVINCE[p.target_start:p.target_end] == p.target_text
    assert p.source_path.startswith("一、") and p.target_path.startswith("一、")
    assert r.pairs.attrs["provenance"]["step"] == "reuse.find_reuse"


def test_pairs_on_the_same_day_stay_undirected():
    r = find_reuse(_corpus(dates=("2024-03-06", "2024-03-06", "2023-01-01")))
    assert r.pairs[["source", "target", "directed", "basis"]].values.tolist() == [["central", "province", False, "same day"]]
    G = diffusion_graph(r.pairs, _corpus())
    assert G.number_of_edges() == 0 and G.graph["undirected_pairs"] == 1


def test_set_phrases_in_many_documents_are_not_reuse():
    salutation = "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：现将有关事项通知如下，请结合实际认真贯彻执行。"
    rng = np.random.default_rng(1)
    words = ["数据", "安全", "环境", "交通", "医疗", "教育", "养老", "旅游", "能源", "水利", "农业", "金融"]
    texts = [salutation + "".join(rng.choice(words, 60)) + "。" for _ in range(12)]
    assert find_reuse(texts, max_df=5).pairs.empty
    assert len(find_reuse(texts, max_df=20).pairs) > 0  # the same phrase below the limit is reported


def test_candidate_pairs_count_shared_fingerprints_once_per_pair():
    h = np.array([5, 5, 5, 7, 7, 9], dtype=np.uint64)
    d = np.array([0, 1, 2, 0, 1, 2])
    out = candidate_pairs(h, d, min_shared=1, max_df=3)
    assert out.values.tolist() == [[0, 1, 2], [0, 2, 1], [1, 2, 1]]
    assert candidate_pairs(h, d, min_shared=1, max_df=2).values.tolist() == [[0, 1, 1]]


@pytest.mark.slow
def test_planted_reuse_is_found_with_high_recall_and_precision():
    from bench_reuse import evaluate

    docs, truth = reuse_corpus(300, seed=3)
    scores = evaluate(truth, find_reuse(docs))
    assert scores["recall_50"] >= 0.95 and scores["precision"] >= 0.95, scores
    assert scores["exact_unedited"] >= 0.99, scores


def test_results_are_reproducible_and_independent_of_partitioning():
    docs, _ = reuse_corpus(80, seed=4)
    a = find_reuse(docs)
    b = find_reuse(docs, partition_size=7)
    pd.testing.assert_frame_equal(a.pairs, b.pairs)
    pd.testing.assert_frame_equal(a.passages, b.passages)


@pytest.mark.slow
def test_dask_cluster_gives_identical_results():
    pytest.importorskip("distributed")
    from policynlp.cluster import connect

    docs, _ = reuse_corpus(60, seed=5)
    local = find_reuse(docs)
    with connect("local", n_workers=2) as client:
        remote = find_reuse(docs, client=client, partition_size=15)
    pd.testing.assert_frame_equal(local.pairs, remote.pairs)
    pd.testing.assert_frame_equal(local.passages, remote.passages)


def test_diffusion_network_aggregates_and_validates_as_gexf(tmp_path):
    from policynlp.export import export_all

    docs, _ = reuse_corpus(60, seed=6)
    docs["lead_issuer"] = docs["issuers"].str.split("、").str[0]
    r = find_reuse(docs)
    G = diffusion_graph(r.pairs, docs, by="region")
    assert G.number_of_edges() > 0
    assert all(n.startswith("region:") for n in G) and all(d["years"] for _, _, d in G.edges(data=True))
    assert all(u != v for u, v in G.edges())
    D = diffusion_graph(r.pairs, docs)
    assert sum(d["weight"] for _, _, d in D.edges(data=True)) == int(r.pairs.loc[r.pairs["directed"], "shared_chars"].sum())
    export_all(D, tmp_path, "diffusion", dynamic=True)
    schema = etree.RelaxNG(etree.parse(str(GEXF_SCHEMAS / "1.3" / "gexf.rng")))
    assert schema.validate(etree.parse(str(tmp_path / "diffusion.gexf"))), schema.error_log


def test_adoption_measures_and_curves():
    docs, _ = reuse_corpus(80, seed=7)
    r = find_reuse(docs)
    table = adoption(r.pairs, docs)
    top = table.iloc[0]
    assert top.adopters == r.pairs[r.pairs["directed"] & (r.pairs["source"] == top.source)]["target"].nunique()
    assert 0 < top.mean_target_share <= 1 and 0 < top.mean_source_share <= 1
    curves = adoption_curves(r.pairs, docs, by="level")
    for _, part in curves.groupby("group"):
        assert part["adopters"].is_monotonic_increasing and part["lag_days"].is_monotonic_increasing


def test_citation_crosscheck_separates_the_three_relations():
    meta = pd.DataFrame({"id": ["central", "province", "city"],
                         "title": ["关于加强生态环境分区管控的意见", "江苏省实施方案", "南京市实施方案"]})
    cits = pd.DataFrame({"id": ["province", "city"], "cluster": ["关于加强生态环境分区管控的意见"] * 2})
    pairs = pd.DataFrame({"source": ["central", "central"], "target": ["province", "other"], "directed": [True, True],
                          "shared_chars": [300, 120]})
    out = citation_crosscheck(pairs, cits, meta)
    assert out[["citing", "relation"]].values.tolist() == [
        ["city", "cites without reusing"], ["other", "reuses without citing"], ["province", "cites and reuses"]]


def test_cli_reuse_writes_the_stage_files(tmp_path, capsys):
    from policynlp.cli import main

    docs, _ = reuse_corpus(40, seed=8)
    docs.to_csv(tmp_path / "corpus.csv", index=False)
    assert main(["reuse", str(tmp_path / "corpus.csv"), "--out", str(tmp_path / "out"), "--no-progress"]) == 0
    said = capsys.readouterr().out
    assert "directed by date" in said and "→" in said
    for name in ("pairs.csv", "passages.csv", "adoption.csv", "citations_vs_reuse.csv", "diffusion_document.gexf"):
        assert (tmp_path / "out" / "reuse" / name).is_file(), name


def test_synth_plants_reuse_with_its_truth(tmp_path, capsys):
    from policynlp.cli import main

    assert main(["synth", "--docs", "50", "--plant-reuse", "-o", str(tmp_path / "s.jsonl")]) == 0
    docs = pd.read_json(tmp_path / "s.jsonl", lines=True).set_index("id")
    truth = pd.read_csv(tmp_path / "s_reuse_truth.csv")
    assert len(truth) > 0 and "planted passages" in capsys.readouterr().out
    for t in truth[truth["edits"] == 0].itertuples():
        assert docs.at[t.source, "text"][t.source_start:t.source_end] == docs.at[t.target, "text"][t.target_start:t.target_end]
        assert docs.at[t.source, "date"] < docs.at[t.target, "date"]


def test_regulations_revised_by_the_same_decision_are_not_reuse_of_each_other():
    # two different regulations whose headers list the same promulgation and revision decisions (and carry the
    # source site's markup): the shared record lines are apparatus; only a copied article is reuse
    header = ("\n\n2001年6月15日 中华人民共和国国务院令第306号公布\n\n2016年2月6日 《国务院关于修改部分行政法规的决定》第一次修订\n\n"
              "2019年3月2日 《国务院关于修改部分行政法规的决定》第二次修订\n\n2020年11月29日 《国务院关于修改和废止部分行政法规的决定》"
              "第三次修订\n\n<!-- INFO END -->\n\n")
    a = "# 农药管理条例" + header + "## 第一章 总则\n\n第一条 " + CENTRAL
    b = "# 网络数据安全管理条例" + header + "## 第一章 总则\n\n第一条 " + UNRELATED
    assert find_reuse([a, b]).pairs.empty
    shared = "第九条 县级以上地方人民政府应当加强对农药监督管理工作的组织领导，将农药监督管理经费列入本级政府预算，保障农药监督管理工作的开展。"
    r = find_reuse([a + "\n" + shared, b + "\n" + shared])
    assert r.passages["source_text"].tolist() == [shared]


def test_every_reuse_table_carries_its_provenance():
    corpus = _corpus()
    r = find_reuse(corpus)
    tables = {"reuse.adoption": adoption(r.pairs, corpus), "reuse.adoption_curves": adoption_curves(r.pairs, corpus),
              "reuse.citation_crosscheck": citation_crosscheck(r.pairs, extract_citations(corpus), corpus)}
    for step, table in tables.items():
        assert table.attrs["provenance"]["step"] == step and table.attrs["provenance"]["versions"]["policynlp"]


def test_a_copied_heading_stays_and_a_shared_sentence_opener_does_not():
    copied = ("二、重点任务\n各地要将生态环境分区管控作为资源开发、产业布局、城镇建设的重要依据，"
              "推动生态环境分区管控成果在政策制定、环境准入、园区管理、执法监管中的应用。")
    a = "以上为总体要求，请遵照执行。" + copied + "各地区各部门要加快推进数据共享工作，按季度报送进展。"
    b = "我省结合实际制定本方案如下。" + copied + "各地区各部门要加快推进本地化培训，年底前完成。"
    [(a0, a1, b0, b1, sim)] = align(a, b)
    # the heading line opens the copy in both; 各地区各部门要加快推进 opens the next sentence in both, by formula
    assert (a[a0:a1], b[b0:b1], sim) == (copied, copied, 1.0)


def test_cli_reuse_names_a_bad_option_as_typed_before_reading_anything(tmp_path, capsys):
    from policynlp.cli import main

    missing = tmp_path / "no_such_folder"  # never read: the options are checked first
    assert main(["reuse", str(missing), "--out", str(tmp_path / "out"), "--min-similarity", "2"]) == 1
    err = capsys.readouterr().err
    assert "--min-similarity 2.0 is not valid; it must be a number from 0 to 1" in err and "reuse.min" not in err
    assert main(["reuse", str(missing), "--out", str(tmp_path / "out"), "--max-df", "1"]) == 1
    assert "--max-df 1 is not valid; it must be left out or a whole number ≥ 2" in capsys.readouterr().err


def test_a_neighbouring_sentence_from_the_same_template_is_not_part_of_the_copy():
    from policynlp.reuse.align import _without_unmatched_units, prepare
    from policynlp.reuse.shingles import shingle_hashes, skeleton

    copied = ("各地要将生态环境分区管控作为资源开发、产业布局、城镇建设的重要依据。"
              "推动生态环境分区管控成果在政策制定、环境准入、园区管理、执法监管中的应用。")
    # the sentence before the copy is written from one template on both sides: the set phrases agree, the slots do not
    before_a = "各地区各部门要推进排污许可，确保各项任务落到实处。"
    before_b = "各地区各部门要推进固废管理，确保各项任务落到实处。"
    formulas = np.concatenate([shingle_hashes(skeleton(p)[0], 7) for p in ("各地区各部门要推进", "确保各项任务落到实处")])
    a, b = before_a + copied, before_b + copied
    pa, pb = prepare(a, skip=formulas), prepare(b, skip=formulas)
    assert _without_unmatched_units(pa, pb, 0, len(a), 0, len(b)) == (len(before_a), len(a), len(before_b), len(b))
    # an edited copy keeps every sentence: 我省 inserted and 城镇 changed leave most of the sentence in place
    edited = copied.replace("各地要将", "各地要将我省").replace("城镇建设", "城市建设")
    pe = prepare(before_b + edited, skip=formulas)
    assert _without_unmatched_units(pa, pe, len(before_a), len(a), len(before_b), len(before_b + edited)) == \
        (len(before_a), len(a), len(before_b), len(before_b + edited))


def test_a_copied_template_sentence_stays_whole_at_either_edge_of_the_copy():
    from policynlp.reuse.align import _same_ending, _with_identical_neighbours, _without_unmatched_units, prepare
    from policynlp.reuse.shingles import shingle_hashes, skeleton

    copied = ("各地区各部门要加快机器学习，确保各项任务落到实处。各地要将生态环境分区管控作为资源开发、产业布局、城镇建设的"
              "重要依据。推动生态环境分区管控成果在政策制定、环境准入、园区管理、执法监管中的应用。")
    neighbour = "各地区各部门要统筹示范工程，确保各项任务落到实处。"  # same template, before the copy in one text only
    formulas = np.concatenate([shingle_hashes(skeleton(p)[0], 7) for p in
                               ("各地区各部门要加快机器学习", "各地区各部门要统筹示范工程", "确保各项任务落到实处")])
    a, b = "围绕环境影响评价，推进数字经济。" + copied, neighbour + copied
    start_a = a.index(copied)
    # the character alignment pairs the copy's opener with the neighbour's: the copied sentence is still found whole
    kept = _without_unmatched_units(prepare(a, skip=formulas), prepare(b, skip=formulas), start_a, len(a), 0, len(b))
    assert kept == (start_a, len(a), len(neighbour), len(b))
    # a passage that chained on from the set-phrase tail of an earlier sentence (…体系，确保各项任务落到实处。) sheds it
    # and the different sentence between it and the copy
    x = "加快技术标准体系，确保各项任务落到实处。围绕温室气体和规划纲要，推动信息基础设施。" + copied
    y = "健全行业标准体系，确保各项任务落到实处。加快自动驾驶政务服务，优化城市管理。" + copied
    kept = _without_unmatched_units(prepare(x, skip=formulas), prepare(y, skip=formulas), x.index("标准"), len(x),
                                    y.index("标准"), len(y))
    assert kept == (x.index(copied), len(x), y.index(copied), len(y))
    # a passage that stopped one sentence short takes in the sentence both texts have next to it, whole
    first = copied.index("。") + 1
    assert _with_identical_neighbours(a, b, start_a + first, len(a), len(neighbour) + first, len(b)) == \
        (start_a, len(a), len(neighbour), len(b))
    # … but not a short heading both happen to have, nor a sentence that differs
    assert _with_identical_neighbours("一、总体要求\n" + copied, "一、总体要求\n" + copied, 7, 30, 7, 30)[0] == 7
    assert _with_identical_neighbours(a, b, start_a, len(a) - 5, len(neighbour), len(b) - 5) == \
        (start_a, len(a) - 5, len(neighbour), len(b) - 5)
    # one side stopped before the full stop the other took in: both end with it
    assert _same_ending(a, b, len(a) - 1, len(b)) == (len(a), len(b))
    assert _same_ending(a[:-1] + "”。", b[:-1] + "”。", len(a) + 1, len(b) - 1) == (len(a) + 1, len(b) + 1)


def test_fingerprints_kept_on_disk_give_the_candidates_of_the_whole_index(tmp_path):
    from policynlp.reuse.shingles import FingerprintStore, fingerprint_block

    docs, _ = reuse_corpus(120, seed=5)
    texts = docs["text"].tolist()
    hashes, owners = fingerprint_block(texts, 7, 4)
    store = FingerprintStore(tmp_path, len(texts), buckets=5)
    for lo in range(0, len(texts), 25):  # partitions of 25 documents, as find_reuse adds them
        sel = (owners >= lo) & (owners < lo + 25)
        store.add(hashes[sel], owners[sel])
    whole = candidate_pairs(hashes, owners, max_df=20, min_shared=3)
    assert len(whole) > 20 and store.candidate_pairs(max_df=20, min_shared=3).equals(whole)
    # counted in several ranges of first documents (cut at the first slice's quantiles), the pairs are the same
    for blocks in (2, 7, 500):
        assert store.candidate_pairs(max_df=20, min_shared=3, blocks=blocks).equals(whole), blocks
        assert candidate_pairs(hashes, owners, max_df=20, min_shared=3, blocks=blocks).equals(whole), blocks
    u, c = np.unique(hashes, return_counts=True)
    assert store.formulas(4).tolist() == u[c > 4].tolist() and len(u[c > 4])


def test_a_corpus_streamed_from_parquet_gives_the_tables_of_the_corpus_in_memory(tmp_path):
    # planted reuse plus a regulation's promulgation record (blanked before comparison) and a missing text
    docs, _ = reuse_corpus(120, seed=9)
    header = "# 农药管理条例\n\n2001年6月15日 中华人民共和国国务院令第306号公布\n\n<!-- INFO END -->\n\n"
    docs.loc[0, "text"] = header + docs.loc[0, "text"]
    docs.loc[len(docs)] = {**docs.iloc[1].to_dict(), "id": "empty", "text": ""}
    path = tmp_path / "corpus.parquet"  # the manifest `policynlp synth --plant-reuse` writes
    docs.to_parquet(path, index=False)
    in_memory, streamed = find_reuse(docs), find_reuse(path, partition_size=25)
    assert len(in_memory.pairs) > 50 and in_memory.pairs["directed"].any()
    pd.testing.assert_frame_equal(in_memory.pairs, streamed.pairs)
    pd.testing.assert_frame_equal(in_memory.passages, streamed.passages)
    assert find_reuse(str(path)).pairs.equals(in_memory.pairs)  # a path given as str


def test_a_streamed_file_without_the_needed_columns_is_named_with_what_to_do(tmp_path):
    from policynlp.errors import CorpusFormatError

    bad = tmp_path / "manifest.parquet"
    pd.DataFrame({"id": ["a", "b"], "content": [CENTRAL, PROVINCE]}).to_parquet(bad)
    with pytest.raises(CorpusFormatError, match=r"manifest\.parquet.*'text'.*'content'"):
        find_reuse(bad)
    with pytest.raises(CorpusFormatError, match="no such file"):
        find_reuse(tmp_path / "missing.parquet")
    with pytest.raises(CorpusFormatError, match="read_corpus"):
        find_reuse(tmp_path / "corpus.jsonl")
    # undated files stream too (the pairs stay undirected), and a missing text is an empty one
    plain = tmp_path / "plain.parquet"
    pd.DataFrame({"id": ["central", "province", "blank"], "text": [CENTRAL, PROVINCE, None]}).to_parquet(plain)
    pairs = find_reuse(plain).pairs
    assert pairs[["source", "target", "directed", "basis"]].values.tolist() == [["central", "province", False, "undated"]]
