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
        written = corpus[doc_id].extra.get("doc_number_raw", number)  # the corpus keeps the canonical form
        at = text.find(written)
        assert at >= 0, (doc_id, written)
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


def _without(records, columns, path):
    import json

    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps({k: v for k, v in r.items() if k not in columns}, ensure_ascii=False) + "\n")
    return path


def test_mee_issuers_and_dates_come_from_the_text_when_no_column_gives_them(mee_records, tmp_path):
    """The MEE notices without their metadata columns: issuers and dates from headers and signature blocks.

    Gold: the site's issuer (生态环境部) and year.  Documents signed by the National Nuclear Safety
    Administration (国家核安全局, administered by the ministry and published on its site) count as
    right when that body signs them; for joint documents the ministry must be among the issuers.
    """
    corpus = read_corpus(_without(mee_records, ("issuer_hint", "year", "url"), tmp_path / "mee.jsonl"), progress=False)
    gold = {r["id"]: r for r in mee_records}
    right = sum(1 for d in corpus if d.issuers and (d.issuers[0] in ("生态环境部", "国家核安全局")
                                                    or {"生态环境部", "环境保护部"} & set(d.issuers)))
    assert right / len(corpus) >= 0.95
    dated_right = sum(1 for d in corpus if d.date and int(d.date[:4]) == gold[d.id]["year"])
    assert dated_right / len(corpus) >= 0.95
    sources = {d.extra.get("issuer_source") for d in corpus}
    assert {"signature", "header"} <= sources and "column" not in sources


def test_regulation_headers_name_their_issuer_and_date(shared_corpora):
    """Each regulation's header line (…国务院令第N号公布 / …部令第N号发布) names its issuer and promulgation date."""
    import json
    import re

    corpus = read_corpus(shared_corpora / "state_council_regulations.jsonl", progress=False)
    decreed = [d for d in corpus if re.search(r"^\d{4}年\d{1,2}月\d{1,2}日 中华人民共和国国务院令第\d+号(?:公布|发布)",
                                              d.text.split("\n", 3)[2] if d.text.count("\n") >= 2 else "")]
    assert len(decreed) > 300
    assert all(d.issuers and d.issuers[0] == "国务院" for d in decreed)
    # and across the whole corpus: an issuer for ≥ 96 %, each with its source
    with_issuer = [d for d in corpus if d.issuers]
    assert len(with_issuer) / len(corpus) >= 0.96
    # right against the corpus's category (the rule of benchmarks/bench_metadata.py): an administrative regulation
    # names the State Council (or 政务院 before 1954), or its header says the State Council approved it and names the
    # body that published it; a ministry's rule names a body other than the State Council
    category = {r["id"]: r["category"] for r in map(json.loads, open(shared_corpora / "state_council_regulations.jsonl",
                                                                      encoding="utf-8"))}
    right = 0
    for d in corpus:
        if category[d.id] == "行政法规":
            right += bool({"国务院", "政务院"} & set(d.issuers)) or bool(
                d.issuers and re.search(r"(?:国务院|政务院)[^\n]{0,8}批准", d.text[:400]))
        else:
            right += bool(d.issuers) and d.issuers[0] not in ("国务院", "政务院")
    assert right / len(corpus) >= 0.95
    sources = {d.extra.get("issuer_source") for d in with_issuer}
    assert {"header", "doc_type"} <= sources
    assert all(d.issuers == ("国务院",) for d in with_issuer if d.extra.get("issuer_source") == "doc_type")


@pytest.mark.slow
def test_network_figures_of_a_real_corpus_never_overprint_labels(shared_corpora):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from policynlp import graphs
    from policynlp.plots import label_overlaps, plot_graph

    corpus = read_corpus(shared_corpora / "mee_2018_2023.jsonl", progress=False)
    G = graphs.multimode_graph(corpus)
    shown, pos, _ = graphs.drawable(G, seed=0)
    ax = plot_graph(shown, layout=pos, color_by="kind", labels=25)
    assert label_overlaps(ax) == 0 and "生态环境部" in [t.get_text() for t in ax.texts]
    plt.close(ax.figure)


@pytest.mark.slow
def test_regulations_do_not_reuse_each_other_through_their_promulgation_records(shared_corpora):
    import json

    from policynlp.meta.dates import record_spans
    from policynlp.reuse import find_reuse

    rows = [json.loads(line) for line in open(shared_corpora / "state_council_regulations.jsonl", encoding="utf-8")][:250]
    texts = [r["text"] for r in rows]
    assert sum(bool(record_spans(t)) for t in texts) > 200  # nearly every regulation opens with its record
    passages = find_reuse(texts).passages
    assert not passages["target_text"].str.contains("INFO END|第[一二三四五六]次修订").any()
