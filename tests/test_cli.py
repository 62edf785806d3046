import subprocess
import sys

import pandas as pd
import pytest

from policynlp import __version__
from policynlp.cli import main
from tests.conftest import GUIDANCE


def run(*args):
    return subprocess.run([sys.executable, "-m", "policynlp", *args], capture_output=True, text=True, timeout=300)


def test_version_help_and_python_dash_m():
    r = run("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"policynlp {__version__}"
    r = run("--help")
    assert r.returncode == 0 and all(c in r.stdout for c in ("ingest", "segment", "info", "demo"))


def test_segment_text_prints_tokens_separated_by_spaces(capsys):
    assert main(["segment", "--text", GUIDANCE]) == 0
    out = capsys.readouterr().out.strip()
    assert out.split(" ") == ["经", "国务院", "同意", "国家发展改革委", "工业和信息化部", "科学技术部", "八部委", "联合",
                              "《关于促进智慧城市健康发展的指导意见》", "发改高技〔2014〕1770号"]


def test_ingest_segment_info_round_trip(tmp_path, capsys):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(GUIDANCE + "\n国家发展改革委\n2014年8月27日", encoding="gbk")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    corpus = tmp_path / "corpus.parquet"
    assert main(["ingest", str(folder), "-o", str(corpus), "--no-progress", "--errors", "skip"]) == 0
    out = capsys.readouterr().out
    assert "loaded 1 document(s)" in out and "skipped 1 input(s)" in out and "empty.txt: empty file" in out
    report = pd.read_csv(tmp_path / "corpus_ingest_report.csv", encoding="utf-8-sig")
    assert report["status"].tolist() == ["loaded", "skipped"]
    tokens = tmp_path / "tokens.parquet"
    assert main(["segment", str(corpus), "-o", str(tokens), "--no-progress"]) == 0
    df = pd.read_parquet(tokens)
    assert list(df.columns) == ["id", "tokens"] and "八部委" in list(df["tokens"][0])
    assert main(["info", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "<Corpus: 1 document," in out and "by year: 2014: 1" in out


@pytest.mark.slow
def test_user_errors_exit_nonzero_with_one_line_and_no_traceback(tmp_path):
    r = run("info", str(tmp_path / "missing.parquet"))
    assert r.returncode == 1
    assert r.stderr.strip().count("\n") == 0 and "no such file or folder" in r.stderr and "Traceback" not in r.stderr
    (tmp_path / "bad.txt").write_bytes(b"")
    r = run("ingest", str(tmp_path / "bad.txt"), "-o", str(tmp_path / "c.parquet"), "--errors", "raise", "--no-progress")
    assert r.returncode == 1 and "empty file" in r.stderr and "Traceback" not in r.stderr
    r = run("--debug", "info", str(tmp_path / "missing.parquet"))
    assert r.returncode != 0 and "Traceback" in r.stderr


@pytest.mark.slow
def test_global_flags_work_after_the_sub_command(tmp_path):
    r = run("info", str(tmp_path / "missing.parquet"), "--debug")
    assert r.returncode != 0 and "Traceback" in r.stderr
    (tmp_path / "a.txt").write_text(GUIDANCE, encoding="utf-8")
    r = run("ingest", str(tmp_path / "a.txt"), "-o", str(tmp_path / "c.parquet"), "--no-progress", "-v")
    assert r.returncode == 0 and "INFO policynlp.corpus.readers: ingested 1 documents" in r.stderr
    r = run("-v", "ingest", str(tmp_path / "a.txt"), "-o", str(tmp_path / "c.parquet"), "--no-progress")
    assert r.returncode == 0 and "INFO policynlp" in r.stderr


def test_ingest_options_for_sheets_hidden_files_and_size_limits(tmp_path, capsys):
    folder = tmp_path / "docs"
    folder.mkdir()
    with pd.ExcelWriter(folder / "政策.xlsx") as xw:
        pd.DataFrame({"标题": ["甲"], "正文": [GUIDANCE]}).to_excel(xw, sheet_name="中央", index=False)
        pd.DataFrame({"标题": ["乙"], "正文": [GUIDANCE + "（地方转发）"]}).to_excel(xw, sheet_name="地方", index=False)
    (folder / ".draft.txt").write_text(GUIDANCE + "（草稿）", encoding="utf-8")
    out = tmp_path / "c.parquet"
    assert main(["ingest", str(folder), "-o", str(out), "--no-progress"]) == 0
    assert "loaded 2 document(s)" in capsys.readouterr().out
    assert main(["ingest", str(folder), "-o", str(out), "--no-progress", "--sheet", "地方", "--hidden"]) == 0
    assert "loaded 2 document(s)" in capsys.readouterr().out
    from policynlp import Corpus

    assert sorted(d.source for d in Corpus.read_parquet(out)) == [".draft.txt", "政策.xlsx[地方]:1"]
    assert main(["ingest", str(folder), "-o", str(out), "--no-progress", "--errors", "skip", "--max-bytes", "100"]) == 1
    captured = capsys.readouterr()
    assert "over the size limit" in captured.out and "no documents found in" in captured.err


def test_usage_errors_exit_2():
    r = run("segment", "--engine", "ltp", "--text", "甲")
    assert r.returncode == 2 and "invalid choice: 'ltp'" in r.stderr


@pytest.mark.slow
def test_demo_command(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path), "--no-progress"]) == 0
    for name in ("corpus/corpus.parquet", "corpus/ingest_report.csv", "tokens/tokens.parquet", "report.html", "manifest.json"):
        assert (tmp_path / name).is_file()
    out = capsys.readouterr().out
    assert "topics: K =" in out and "report.html" in out
    assert main(["demo", "--out", str(tmp_path), "--no-progress"]) == 0
    assert "skipped" in capsys.readouterr().out  # a second run resumes


def _small_demo(folder):
    """corpus.parquet and tokens.parquet of the demo corpus, made with ingest and segment."""
    from policynlp.datasets import demo_path

    assert main(["ingest", str(demo_path()), "-o", str(folder / "corpus.parquet"), "--no-progress"]) == 0
    assert main(["segment", str(folder / "corpus.parquet"), "-o", str(folder / "tokens.parquet"), "--no-progress"]) == 0


def _tree_bytes(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_keywords_and_topics_outputs_are_byte_identical_on_rerun(tmp_path, capsys):
    _small_demo(tmp_path / "d")
    tokens, corpus = str(tmp_path / "d" / "tokens.parquet"), str(tmp_path / "d" / "corpus.parquet")
    for run in ("a", "b"):
        assert main(["topics", tokens, "--corpus", corpus, "--k", "3", "--min-df", "1", "--seed", "3",
                     "--out", str(tmp_path / run)]) == 0
        assert main(["keywords", tokens, "--corpus", corpus, "--method", "keyness", "--groups",
                     "early=2012,2013,2014;late=2015,2016", "--out", str(tmp_path / run)]) == 0
    a, b = _tree_bytes(tmp_path / "a"), _tree_bytes(tmp_path / "b")
    assert sorted(a) == sorted(b)
    # the analyze stages' layout: the sub-commands run them
    expected = {"topics/topic_terms.csv", "topics/doc_topics.csv", "topics/topic_prevalence_year.csv",
                "figures/topic_terms.png", "figures/topic_terms.svg", "topics/topics_ldavis.html",
                "topics/model/topic_model.json", "topics/model/arrays.npz", "keywords/keyness.csv",
                "figures/keyness.png", "keywords/keyness.provenance.json"}
    assert expected <= set(a)
    different = [name for name in a if a[name] != b[name]]
    assert not different
    out = capsys.readouterr().out
    assert "c_v coherence" in out and "early" in out


def test_extract_and_reproduce_paper_commands(tmp_path, capsys):
    review = tmp_path / "review.txt"
    review.write_text("二、智慧交通\n2015年6月，交通运输部发布《关于进一步加快推进城市公共交通智能化应用示范工程建设有关工作的通知》，"
                      "要求37个示范城市在2017年6月前完成建设。\n", encoding="utf-8")
    assert main(["extract", str(review), "--catalogue", "smart_city_2017", "--out", str(tmp_path / "ex")]) == 0
    ev = pd.read_csv(tmp_path / "ex" / "extract" / "events.csv")  # the analyze stage's layout
    assert {"id", "date", "issuers", "action", "documents", "programme", "count", "domain", "sentence", "start", "end"} <= set(ev.columns)
    assert ev.loc[0, "domain"] == "transport" and ev.loc[0, "count"] == 37
    cit = pd.read_csv(tmp_path / "ex" / "extract" / "citations.csv")
    assert cit.loc[0, "catalogue_id"] == "sc-bus-2015"
    assert main(["reproduce-paper", "--out", str(tmp_path / "rp")]) == 0
    out = capsys.readouterr().out
    import json

    summary = json.loads((tmp_path / "rp" / "agreement.json").read_text(encoding="utf-8"))
    assert summary["documents_in_domain_sections"] == 15 and summary["agreeing"] >= 13  # the promise (test_taxonomy)
    assert f"{summary['agreeing']} of 15 agree" in out  # the CLI prints the same count the file records
    assert (tmp_path / "rp" / "taxonomy_by_year.png").is_file()


@pytest.mark.parametrize("kind", ["co-issuing", "multimode", "cooccurrence"])
def test_graph_command_writes_valid_gexf_and_figure(tmp_path, kind, capsys):
    from lxml import etree

    from tests.conftest import GEXF_SCHEMAS

    _small_demo(tmp_path / "d")
    src = tmp_path / "d" / ("tokens.parquet" if kind == "cooccurrence" else "corpus.parquet")
    extra = ["--corpus", str(tmp_path / "d" / "corpus.parquet"), "--min-df", "3", "--top", "60"] if kind == "cooccurrence" else []
    assert main(["graph", str(src), "--kind", kind, "--catalogue", "smart_city_2017", "--out", str(tmp_path / "g"), *extra]) == 0
    name = kind.replace("-", "_")
    for suffix in (".gexf", ".gexf12.gexf", ".graphml", ".net", "_nodes.csv", "_edges.csv", "_vosviewer.json", ".json",
                   ".png", "_metrics.csv"):
        where = tmp_path / "g" / ("figures" if suffix == ".png" else "graphs")  # the analyze stage's layout
        assert (where / (f"graph_{name}.png" if suffix == ".png" else f"{name}{suffix}")).is_file(), suffix
    rng_path = GEXF_SCHEMAS / "1.3" / "gexf.rng"
    assert etree.RelaxNG(etree.parse(str(rng_path))).validate(etree.parse(str(tmp_path / "g" / "graphs" / f"{name}.gexf")))
    assert "nodes" in capsys.readouterr().out


def test_import_does_no_work_and_the_api_is_curated():
    code = ("import sys, policynlp; heavy = [m for m in ('pandas', 'jieba', 'rjieba', 'gensim', 'sklearn', 'networkx', 'distributed') if m in sys.modules];"
            "print(heavy); print(sorted(policynlp.__all__))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    heavy, api = r.stdout.splitlines()
    assert heavy == "[]"
    import policynlp

    assert api == str(sorted(policynlp.__all__)) and {"read_corpus", "Corpus", "Segmenter"} <= set(policynlp.__all__)
    for name in policynlp.__all__:
        assert getattr(policynlp, name) is not None, name


def test_synth_and_streaming_segment_commands(tmp_path, capsys):
    assert main(["synth", "--docs", "40", "-o", str(tmp_path / "syn.parquet"), "--seed", "3"]) == 0
    assert main(["segment", str(tmp_path / "syn.parquet"), "-o", str(tmp_path / "tok.parquet"), "--batch-size", "15",
                 "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "wrote 40 synthetic" in out and "segmented 40 document(s) in batches of 15" in out
    tokens = pd.read_parquet(tmp_path / "tok.parquet")
    assert len(tokens) == 40 and tokens["id"].iloc[0] == "syn-0000000"


@pytest.mark.slow
def test_topics_on_units_from_the_command_line(tmp_path, capsys):
    _small_demo(tmp_path / "d")
    tokens, corpus = str(tmp_path / "d" / "tokens.parquet"), str(tmp_path / "d" / "corpus.parquet")
    # units need the texts: tokens alone are refused with what to give
    assert main(["topics", tokens, "--unit", "sentence", "--k", "3", "--out", str(tmp_path / "x")]) == 1
    assert "--unit sentence needs the texts" in capsys.readouterr().err
    assert main(["topics", tokens, "--corpus", corpus, "--unit", "sentence", "--k", "3", "--passes", "2",
                 "--iterations", "20", "--alpha", "asymmetric", "--eta", "0.05", "--out", str(tmp_path / "t")]) == 0
    out = capsys.readouterr().out
    assert "sentences: c_v coherence" in out
    passages = pd.read_csv(tmp_path / "t" / "topics" / "topic_passages.csv", encoding="utf-8-sig")
    assert passages["id"].str.contains("#").all()
    doc_topics = pd.read_csv(tmp_path / "t" / "topics" / "doc_topics.csv", encoding="utf-8-sig", index_col=0)
    assert not doc_topics.index.str.contains("#").any()  # document shares, aggregated from the sentences
