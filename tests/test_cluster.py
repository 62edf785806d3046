"""The same results from one process, from streamed batches and from a Dask cluster of worker processes.

A LocalCluster of two worker processes on 127.0.0.1 is started once for the module.
"""

import warnings

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from policynlp import Segmenter, TermVectorizer, read_corpus
from policynlp.cluster import connect, map_partitions, partitions
from policynlp.corpus import IngestWarning
from policynlp.datasets import demo_path
from policynlp.errors import ParameterError
from policynlp.graphs import cooccurrence_graph
from policynlp.tables import write_tokens
from tests.conftest import GUIDANCE, TOURISM
from tests.corpus.test_readers import mixed_folder  # noqa: F401  (fixture)

pytestmark = pytest.mark.slow  # a local Dask cluster: run in CI, not in the development loop

pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    with connect("local", n_workers=2) as c:
        yield c


@pytest.fixture(scope="module")
def mee_tokens(tmp_path_factory, mee_records):
    texts = [r["text"] for r in mee_records[:400]]
    frame = Segmenter(pos=True).segment(texts)
    path = tmp_path_factory.mktemp("tok") / "tokens.parquet"
    write_tokens(frame, path)
    return frame, path


def test_map_partitions_keeps_order_on_the_cluster(client):
    parts = partitions(range(103), 10)
    # a window smaller than the number of partitions: results still come back in order
    assert list(map_partitions(sum, parts, client=client, window=2)) == [sum(range(i, min(i + 10, 103)))
                                                                         for i in range(0, 103, 10)]


def test_segmentation_on_the_cluster_equals_one_process(client, demo_corpus):
    for seg in (Segmenter(), Segmenter(pos=True, engine="jieba")):
        local = seg.segment(demo_corpus)
        remote = seg.segment(demo_corpus, client=client, chunk_size=4)
        pd.testing.assert_frame_equal(local, remote)
        assert local.attrs == remote.attrs
    tokens = remote.set_index("id").loc["sc-guidance-2014", "tokens"]
    assert "国家发展和改革委员会" in tokens or "国家发展改革委" in tokens


def test_the_tokenizer_is_built_once_per_worker(client, demo_corpus):
    seg = Segmenter(user_words=["智慧城市群"])
    seg.segment(demo_corpus, client=client, chunk_size=3)
    name = f"policynlp-segmenter-{seg.fingerprint}"

    def ident(dask_worker):
        return id(dask_worker.plugins[name].segmenter)

    first = client.run(ident)
    assert len(first) == 2
    seg.segment(demo_corpus, client=client, chunk_size=2)  # more tasks, same tokenizers
    assert client.run(ident) == first


def test_streamed_segmentation_on_the_cluster(client, tmp_path, demo_corpus):
    demo_corpus.to_parquet(tmp_path / "corpus.parquet")
    seg = Segmenter()
    seg.segment_parquet(tmp_path / "corpus.parquet", tmp_path / "a.parquet", batch_size=7)
    seg.segment_parquet(tmp_path / "corpus.parquet", tmp_path / "b.parquet", batch_size=7, client=client)
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()


def test_ingest_on_the_cluster_equals_one_process(client, mixed_folder):  # noqa: F811
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IngestWarning)
        local = read_corpus(mixed_folder)
        remote = read_corpus(mixed_folder, client=client, partition_size=2)
    assert local == remote
    pd.testing.assert_frame_equal(local.report, remote.report)
    assert (remote.report["status"] == "skipped").sum() >= 5  # nothing lost on the way


def test_ingest_with_duplicates_and_normalisation_on_the_cluster(client, tmp_path):
    rows = [{"标题": "关于促进智慧城市健康发展的指导意见", "正文": GUIDANCE, "发文机关": "国家发展改革委、工业和信息化部"},
            {"标题": "智慧旅游", "正文": TOURISM.replace("18", "１８"), "成文日期": "2014年9月"},
            {"标题": "重复", "正文": GUIDANCE},
            {"标题": "空", "正文": ""}] * 3
    pd.DataFrame(rows).to_csv(tmp_path / "m.csv", index=False)
    for dup in ("keep", "drop"):
        local = read_corpus(tmp_path / "m.csv", duplicates=dup, errors="skip").normalize()
        remote = read_corpus(tmp_path / "m.csv", duplicates=dup, errors="skip", normalize=True, client=client,
                             partition_size=5)
        assert local == remote
        pd.testing.assert_frame_equal(local.report, remote.report)
    assert "等18个城市" in remote[1].text  # full-width digits normalised on the workers
    assert len(remote) == 2 and len(remote.report) == 12  # two texts; ten repeats or empty rows, each listed


def test_read_corpus_normalize_argument_is_checked(demo_corpus):
    with pytest.raises(ParameterError, match="normalize"):
        read_corpus(demo_path(), normalize={"halfwidht": True})
    assert read_corpus(demo_path(), normalize={"simplified": True}) == read_corpus(demo_path()).normalize(simplified=True)


def test_ingest_of_the_shared_corpus_on_the_cluster(client, shared_corpora):
    path = shared_corpora / "mee_2018_2023.jsonl"
    local = read_corpus(path, normalize=True)
    remote = read_corpus(path, normalize=True, client=client, partition_size=300)
    assert len(remote) == 1260 and local == remote
    pd.testing.assert_frame_equal(local.report, remote.report)


@pytest.mark.parametrize("params", [{}, {"min_df": 2, "max_df": 0.5}, {"min_df": 3, "max_features": 500},
                                    {"min_df": 0.01, "max_df": 40, "max_features": 80, "pos": ["n", "vn", "nz"]}])
def test_streamed_and_distributed_vectorisation_equal_in_memory(client, mee_tokens, params):
    frame, path = mee_tokens
    a = TermVectorizer(**params)
    A = a.fit_counts(frame)
    for source, kw in ((path, {"partition_size": 37}), (frame, {"client": client, "partition_size": 90})):
        b = TermVectorizer(**params)
        B = b.fit_counts(source, **kw)
        assert b.vocabulary_ == a.vocabulary_
        assert B.shape == A.shape and (A != B).nnz == 0
        np.testing.assert_allclose(b.idf_, a.idf_)
        np.testing.assert_array_equal(b.document_frequency_, a.document_frequency_)
    assert len(a.vocabulary_) >= 80  # a real vocabulary, not an empty match


def test_partitioned_vectorisation_refuses_phrases(tmp_path, mee_tokens):
    with pytest.raises(ParameterError, match="phrases"):
        TermVectorizer(phrases=True).fit_counts(mee_tokens[1])


@pytest.mark.parametrize("unit", ["document", "window"])
def test_cooccurrence_on_the_cluster_equals_one_process(client, demo_corpus, unit):
    tokens = Segmenter().segment(demo_corpus)
    kw = dict(unit=unit, min_df=3, min_weight=2, measure="association", top_n=80)
    local = cooccurrence_graph(tokens, demo_corpus, **kw)
    remote = cooccurrence_graph(tokens, demo_corpus, client=client, partition_size=6, **kw)
    assert local.number_of_edges() > 50
    assert nx.utils.graphs_equal(local, remote)
    assert sorted(local.edges(data=True)) == sorted(remote.edges(data=True))


def test_connect_arguments():
    with connect(None) as c:
        assert c is None
    with pytest.raises(ParameterError, match="tcp://HOST:PORT"):
        with connect("10.0.0.5:8786"):
            pass
    with pytest.raises(ParameterError, match="scheduler"):
        with connect(8786):
            pass


def test_a_client_passed_in_is_left_open(client):
    with connect(client) as c:
        assert c is client
    assert client.status == "running"


def test_cli_ingest_and_segment_on_a_local_cluster(tmp_path, capsys):
    from policynlp.cli import main

    for tag, extra in (("one", []), ("dask", ["--scheduler", "local", "--workers", "2"])):
        assert main(["ingest", str(demo_path()), "-o", str(tmp_path / f"{tag}.parquet"), "--batch-size", "10",
                     "--no-progress", *extra]) == 0
        assert main(["segment", str(tmp_path / f"{tag}.parquet"), "-o", str(tmp_path / f"{tag}_tok.parquet"),
                     "--batch-size", "7", "--no-progress", *extra]) == 0
    assert (tmp_path / "one.parquet").read_bytes() == (tmp_path / "dask.parquet").read_bytes()
    assert (tmp_path / "one_tok.parquet").read_bytes() == (tmp_path / "dask_tok.parquet").read_bytes()
    assert "loaded 25 document(s)" in capsys.readouterr().out


def test_topic_sweep_on_the_cluster_equals_one_process(client, demo_corpus):
    from policynlp.topics import sweep

    tokens = Segmenter().segment(demo_corpus)
    kw = dict(seeds=(0, 1), min_df=2, max_df=0.6, passes=3)
    local = sweep(tokens, [3, 4], **kw).drop(columns="fit_seconds")
    remote = sweep(tokens, [3, 4], client=client, **kw).drop(columns="fit_seconds")
    pd.testing.assert_frame_equal(local, remote)
    assert remote["c_v"].notna().all() and len(remote) == 4
