"""The main job end to end on the bundled corpus: outputs, validity, determinism, config, resume, CLI."""

import json
import subprocess
import sys

import pandas as pd
import pytest
import yaml

from policynlp.cli import DEMO_CONFIG
from policynlp.datasets import demo_path
from policynlp.errors import ParameterError
from policynlp.pipeline import DEFAULT_CONFIG, analyze, default_config_text, load_config
from tests.conftest import SHARED

FAST = {"topics": {"sweep": [3, 4], "sweep_seeds": [0], "passes": 3, "min_df": 2, "max_df": 0.6},
        "extract": {"catalogue": "smart_city_2017"},
        "keywords": DEMO_CONFIG["keywords"],
        "graphs": {"kinds": ["co-issuing", "multimode", "cooccurrence"],
                   "cooccurrence": {"min_count": 3, "min_weight": 3, "top_n": 60, "measure": "association"}}}

EXPECTED = [
    "corpus/corpus.parquet", "corpus/ingest_report.csv", "tokens/tokens.parquet", "keywords/tfidf_by_year.csv",
    "keywords/textrank_by_year.csv", "keywords/keyness.csv", "keywords/term_trends_year.csv", "topics/sweep.csv",
    "topics/topic_terms.csv", "topics/doc_topics.csv", "topics/topic_prevalence_year.csv", "topics/model/topic_model.json",
    "topics/model/arrays.npz", "topics/topics_ldavis.html", "taxonomy/document_domains.csv",
    "taxonomy/instrument_domain_counts.csv", "taxonomy/instrument_domain_shares.csv", "taxonomy/domains_by_year.csv",
    "extract/events.csv", "extract/citations.csv", "graphs/co_issuing.gexf", "graphs/multimode.gexf",
    "graphs/multimode.graphml", "graphs/multimode_nodes.csv", "graphs/cooccurrence.gexf", "figures/topic_terms.png",
    "figures/topic_terms.svg", "figures/keyness.png", "figures/instrument_domain.png", "figures/graph_multimode.png",
    "report.html", "manifest.json", "methods.md", "config.yaml", "run.log",
]


@pytest.fixture(scope="module")
def run_a(tmp_path_factory):
    out = tmp_path_factory.mktemp("a")
    return analyze(demo_path(), out, config=load_config(FAST), progress=False, demo=True)


def test_every_output_exists_and_is_readable(run_a):
    out = run_a["out"]
    missing = [f for f in EXPECTED if not (out / f).is_file()]
    assert not missing
    events = pd.read_csv(out / "extract" / "events.csv", encoding="utf-8-sig")
    assert {"doc_id", "date", "issuers", "action", "documents", "domain", "sentence"} <= set(events.columns)
    assert (out / "keywords" / "tfidf_by_year.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # opens in Excel
    domains = pd.read_csv(out / "taxonomy" / "document_domains.csv", encoding="utf-8-sig")
    assert len(domains) == 25 and "domain" in domains.columns


def test_report_is_self_contained(run_a):
    page = (run_a["out"] / "report.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") >= 5 and "@font-face" in page
    assert 'src="http' not in page and "href=\"http" not in page
    assert "政策文本分析报告" in page and "Methods" in page


def test_manifest_and_methods(run_a):
    m = json.loads((run_a["out"] / "manifest.json").read_text(encoding="utf-8"))
    assert m["segmentation_fingerprint"] and m["versions"]["jieba"] and m["config"]["topics"]["sweep"] == [3, 4]
    assert len(m["inputs"]["bundled demo corpus"]) == 25 and m["seeds"]["topics"] == 0
    assert "timestamp" not in json.dumps(m).lower()
    methods = (run_a["out"] / "methods.md").read_text(encoding="utf-8")
    assert "We analysed 25 policy documents (2012–2024)" in methods and "本研究使用" in methods and "K =" in methods


def test_gexf_outputs_validate(run_a):
    from lxml import etree

    rng = SHARED / "gexf-schema" / "1.3" / "gexf.rng"
    if not rng.is_file():
        pytest.skip("../shared/gexf-schema is not present")
    schema = etree.RelaxNG(etree.parse(str(rng)))
    for g in (run_a["out"] / "graphs").glob("*.gexf"):
        if not g.name.endswith(".gexf12.gexf"):
            assert schema.validate(etree.parse(str(g))), g.name


def test_rerun_is_byte_identical_except_the_log(run_a, tmp_path):
    b = analyze(demo_path(), tmp_path, config=load_config(FAST), progress=False, demo=True)
    fa = {p.relative_to(run_a["out"]): p.read_bytes() for p in run_a["out"].rglob("*") if p.is_file()}
    fb = {p.relative_to(b["out"]): p.read_bytes() for p in b["out"].rglob("*") if p.is_file()}
    assert sorted(fa) == sorted(fb)
    differ = sorted(str(k) for k in fa if fa[k] != fb[k])
    assert set(differ) <= {"run.log"}
    assert b"stage topics" in fa[next(k for k in fa if str(k) == "run.log")]


def test_a_dask_run_is_byte_identical_to_one_process(run_a, tmp_path):
    pytest.importorskip("distributed")
    b = analyze(demo_path(), tmp_path, config=load_config(FAST), progress=False, demo=True, scheduler="local", n_workers=2)
    fa = {p.relative_to(run_a["out"]): p.read_bytes() for p in run_a["out"].rglob("*") if p.is_file()}
    fb = {p.relative_to(b["out"]): p.read_bytes() for p in b["out"].rglob("*") if p.is_file()}
    assert sorted(fa) == sorted(fb)
    assert {str(k) for k in fa if fa[k] != fb[k]} <= {"run.log"}
    assert b"local Dask cluster: 2 worker(s)" in (tmp_path / "run.log").read_bytes()


def test_resume_after_interruption(tmp_path, monkeypatch):
    from policynlp import stages

    cfg = load_config({**FAST, "graphs": {"kinds": ["co-issuing"]}})
    calls = []
    real_topics = stages.topics

    def interrupted(run):
        raise KeyboardInterrupt

    monkeypatch.setattr(stages, "topics", interrupted)
    with pytest.raises(KeyboardInterrupt):
        analyze(demo_path(), tmp_path, config=cfg, progress=False)
    assert (tmp_path / "tokens" / "tokens.parquet").is_file() and not (tmp_path / "topics" / "topic_terms.csv").exists()
    monkeypatch.setattr(stages, "topics", lambda run: (calls.append("topics"), real_topics(run)))
    seg = stages.segment
    monkeypatch.setattr(stages, "segment", lambda run: (calls.append("segment"), seg(run)))
    res = analyze(demo_path(), tmp_path, config=cfg, progress=False)
    assert calls == ["topics"]  # segmentation was not redone
    assert res["stages"]["ingest"][0] == "skipped" and res["stages"]["topics"][0] != "skipped"
    # a changed parameter reruns the stages that depend on it, and only those
    calls.clear()
    res = analyze(demo_path(), tmp_path, config=load_config({**FAST, "graphs": {"kinds": ["co-issuing"]}, "topics": {"sweep": [3]}}),
                  progress=False)
    assert calls == ["topics"] and res["stages"]["keywords"][0] == "skipped"


def test_config_validation():
    assert load_config() == DEFAULT_CONFIG
    assert yaml.safe_load(default_config_text()) == DEFAULT_CONFIG
    with pytest.raises(ParameterError, match="unknown configuration key 'topics.kk'; allowed here: .*k.*"):
        load_config({"topics": {"kk": 5}})
    with pytest.raises(ParameterError, match="unknown configuration key 'plots'"):
        load_config({"plots": {}})
    with pytest.raises(ParameterError, match="topics.method='bert' is not valid"):
        load_config({"topics": {"method": "bert"}})
    with pytest.raises(ParameterError, match="topics.k=0 must be a positive whole number"):
        load_config({"topics": {"k": 0}})
    with pytest.raises(ParameterError, match="graphs.kinds has unknown kind"):
        load_config({"graphs": {"kinds": ["co-issuing", "bibliometric"]}})
    with pytest.raises(ParameterError, match="keywords.keyness must be null or"):
        load_config({"keywords": {"keyness": {"by": "year"}}})


def run(*args):
    return subprocess.run([sys.executable, "-m", "policynlp", *args], capture_output=True, text=True, timeout=600)


def test_cli_exit_codes(tmp_path):
    r = run("analyze", "--write-config")
    assert r.returncode == 0 and yaml.safe_load(r.stdout) == DEFAULT_CONFIG
    bad = tmp_path / "bad.yaml"
    bad.write_text("topics:\n  method: bert\n", encoding="utf-8")
    r = run("analyze", str(demo_path()), "--out", str(tmp_path / "o"), "--config", str(bad))
    assert r.returncode == 1 and "topics.method='bert' is not valid" in r.stderr and "Traceback" not in r.stderr
    r = run("analyze", str(tmp_path / "missing"), "--out", str(tmp_path / "o"))
    assert r.returncode == 1 and "no such file or folder" in r.stderr
    r = run("analyze", "--out", str(tmp_path / "o"))
    assert r.returncode != 0


def test_outputs_do_not_depend_on_the_hash_seed(tmp_path):
    """Two processes with different PYTHONHASHSEED give the same files (set order must never leak)."""
    import os

    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(yaml.safe_dump({**FAST, "topics": {"k": 3, "passes": 3}}, allow_unicode=True), encoding="utf-8")
    trees = []
    for seed in ("1", "2"):
        out = tmp_path / f"o{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        r = subprocess.run([sys.executable, "-m", "policynlp", "analyze", str(demo_path()), "--out", str(out), "--config", str(cfg),
                            "--no-progress"], capture_output=True, text=True, timeout=600, env=env)
        assert r.returncode == 0, r.stderr
        trees.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != "run.log"})
    assert sorted(trees[0]) == sorted(trees[1])
    assert sorted(str(k) for k in trees[0] if trees[0][k] != trees[1][k]) == []
