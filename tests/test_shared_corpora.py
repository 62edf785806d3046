"""Integration on the real government corpora in ../shared (skipped when absent)."""

import pytest

from policynlp import Segmenter, read_corpus


@pytest.mark.parametrize("name, n", [("mee_2018_2023.jsonl", 1260), ("state_council_regulations.jsonl", 712)])
def test_ingesting_real_corpora_loses_nothing(shared_corpora, name, n):
    corpus = read_corpus(shared_corpora / name, progress=False)
    rep = corpus.report
    assert len(rep) == n
    assert len(corpus) + int((rep["status"] == "skipped").sum()) == n
    assert set(corpus.ids) == set(rep.loc[rep["status"] == "loaded", "id"])
    assert len(corpus) == n  # these files have no empty or broken records


def test_mee_metadata_is_parsed(shared_corpora):
    corpus = read_corpus(shared_corpora / "mee_2018_2023.jsonl", progress=False)
    meta = corpus.meta
    assert meta["year"].between(2018, 2023).all()
    assert (meta["lead_issuer"] == "生态环境部").mean() > 0.9
    # Most MEE texts carry no number of their own in the scraped text; the ones
    # found must be the document's own, not numbers of documents it cites.
    found = meta["doc_number"].dropna()
    assert len(found) >= 25
    for doc_id, number in found.items():
        text = corpus[doc_id].text
        at = text.find(number)
        assert "》（" not in text[max(0, at - 3) : at], (doc_id, number)
    first = corpus["mee-0000"]
    assert first.doc_number == "环督察〔2022〕58号" and first.source.startswith("https://www.mee.gov.cn/")


def test_regulations_structure_and_dates(shared_corpora):
    corpus = read_corpus(shared_corpora / "state_council_regulations.jsonl", progress=False)
    assert corpus.meta["date"].str.len().eq(10).mean() > 0.95
    d = corpus[0]
    clauses = corpus.filter(ids=[d.id]).structure()
    assert (clauses["kind"] == "article").sum() >= 5


def test_segmenting_real_text_keeps_agencies_whole(mee_records):
    seg = Segmenter()
    toks = seg.cut(mee_records[0]["text"][:400])
    assert {"生态环境部", "国家发展和改革委员会", "工业和信息化部", "环督察〔2022〕58号",
            "《关于推动职能部门做好生态环境保护工作的意见》"} <= set(toks)
