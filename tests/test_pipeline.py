"""The main job end to end on the bundled corpus: outputs, validity, determinism, config, resume, CLI."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from policynlp.config import DEMO_CONFIG
from policynlp.datasets import demo_path
from policynlp.errors import ParameterError
from policynlp.pipeline import DEFAULT_CONFIG, STAGES, analyze, default_config_text, load_config
from tests.conftest import GEXF_SCHEMAS

FAST = {"topics": {"sweep": [3, 4], "sweep_seeds": [0], "passes": 3, "min_df": 2, "max_df": 0.6},
        "extract": {"catalogue": "smart_city_2017"},
        "keywords": DEMO_CONFIG["keywords"],
        "graphs": {"kinds": ["co-issuing", "multimode", "cooccurrence"],
                   "cooccurrence": {"min_df": 3, "min_weight": 3, "top_n": 60, "measure": "association"}}}

EXPECTED = [
    "corpus/corpus.parquet", "corpus/ingest_report.csv", "tokens/tokens.parquet", "keywords/tfidf_by_year.csv",
    "keywords/textrank_by_year.csv", "keywords/keyness.csv", "keywords/term_trends_year.csv", "topics/sweep.csv",
    "topics/topic_terms.csv", "topics/doc_topics.csv", "topics/topic_passages.csv", "topics/topic_prevalence_year.csv", "topics/model/topic_model.json",
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


@pytest.mark.slow
def test_every_output_exists_and_is_readable(run_a):
    out = run_a["out"]
    missing = [f for f in EXPECTED if not (out / f).is_file()]
    assert not missing
    events = pd.read_csv(out / "extract" / "events.csv", encoding="utf-8-sig")
    assert {"id", "date", "issuers", "action", "documents", "domain", "sentence"} <= set(events.columns)
    assert (out / "keywords" / "tfidf_by_year.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # opens in Excel
    domains = pd.read_csv(out / "taxonomy" / "document_domains.csv", encoding="utf-8-sig")
    assert len(domains) == 25 and "domain" in domains.columns


@pytest.mark.slow
def test_report_is_self_contained(run_a, embedded_font_lacks):
    page = (run_a["out"] / "report.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") >= 5 and "@font-face" in page
    assert 'src="http' not in page and "href=\"http" not in page
    assert "政策文本分析报告" in page and "Methods" in page
    # every Chinese character the page shows has a glyph in the font it embeds (it reads without system fonts)
    import html as html_lib
    import re

    shown = html_lib.unescape(re.sub(r"<style>.*?</style>|<[^>]+>|data:[^\"')]+", " ", page, flags=re.S))
    assert embedded_font_lacks(page, shown) == set()
    ldavis = (run_a["out"] / "topics" / "topics_ldavis.html").read_text(encoding="utf-8")
    assert "@font-face" in ldavis


@pytest.mark.slow
def test_manifest_and_methods(run_a):
    m = json.loads((run_a["out"] / "manifest.json").read_text(encoding="utf-8"))
    assert m["segmentation_fingerprint"] and m["versions"]["jieba"] and m["config"]["topics"]["sweep"] == [3, 4]
    assert len(m["inputs"]["bundled demo corpus"]) == 25 and m["seeds"]["topics"] == 0
    assert "timestamp" not in json.dumps(m).lower()
    methods = (run_a["out"] / "methods.md").read_text(encoding="utf-8")
    assert "We analysed 25 policy documents (2012–2024)" in methods and "本研究使用" in methods and "K =" in methods


@pytest.mark.slow
def test_gexf_outputs_validate(run_a):
    from lxml import etree

    rng = GEXF_SCHEMAS / "1.3" / "gexf.rng"
    schema = etree.RelaxNG(etree.parse(str(rng)))
    for g in (run_a["out"] / "graphs").glob("*.gexf"):
        if not g.name.endswith(".gexf12.gexf"):
            assert schema.validate(etree.parse(str(g))), g.name


@pytest.mark.slow
def test_rerun_is_byte_identical_except_the_log(run_a, tmp_path):
    b = analyze(demo_path(), tmp_path, config=load_config(FAST), progress=False, demo=True)
    fa = {p.relative_to(run_a["out"]): p.read_bytes() for p in run_a["out"].rglob("*") if p.is_file()}
    fb = {p.relative_to(b["out"]): p.read_bytes() for p in b["out"].rglob("*") if p.is_file()}
    assert sorted(fa) == sorted(fb)
    differ = sorted(str(k) for k in fa if fa[k] != fb[k])
    assert set(differ) <= {"run.log"}
    assert b"stage topics" in fa[next(k for k in fa if str(k) == "run.log")]
    # Damage the finished folder: delete one output, truncate another, garble one stage marker.
    # The resume must notice each, rerun exactly those stages, and end byte-identical to the clean run.
    (tmp_path / "topics" / "topic_terms.csv").unlink()
    gexf = tmp_path / "graphs" / "multimode.gexf"
    gexf.write_bytes(gexf.read_bytes()[:200])
    marker = tmp_path / ".policynlp-stages" / "taxonomy.json"
    marker.write_bytes(marker.read_bytes()[:10])
    (tmp_path / "keywords" / "stale_from_an_old_run.csv").write_text("x\n", encoding="utf-8")
    c = analyze(demo_path(), tmp_path, config=load_config(FAST), progress=False, demo=True)
    assert c["reruns"] == {"topics": "topics/topic_terms.csv is missing",
                           "taxonomy": "its marker taxonomy.json is unreadable (JSONDecodeError)",
                           "graphs": "graphs/multimode.gexf was changed since the stage wrote it"}
    ran = {name for name, (secs, _) in c["stages"].items() if secs != "skipped"}
    assert ran == {"topics", "taxonomy", "graphs"}
    fc = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    fc.pop(Path("keywords/stale_from_an_old_run.csv"))  # not ours: never deleted
    assert sorted(fc) == sorted(fa)
    assert sorted(str(k) for k in fa if fa[k] != fc[k]) == ["run.log"]
    log = (tmp_path / "run.log").read_text(encoding="utf-8")
    assert "stage topics runs again: topics/topic_terms.csv is missing" in log
    # the manifest lists every file of every stage with its hash, whether the stage ran or resumed
    files = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert "topics/topic_terms.csv" in files["topics"] and "corpus/ingest_report.csv" in files["ingest"]
    assert "figures/graph_multimode.png" in files["graphs"] and "topics/model/arrays.npz" in files["topics"]
    assert all(len(v) == 64 for stage in files.values() for v in stage.values())
    # every file in the folder belongs to a stage (sidecars included), except the run's own records
    tracked = {f for stage in files.values() for f in stage}
    on_disk = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")
               if p.is_file() and ".policynlp-stages" not in p.parts}
    assert on_disk - tracked == {"run.log", "manifest.json", "config.yaml", "keywords/stale_from_an_old_run.csv"}
    assert "keywords/tfidf_by_year.provenance.json" in tracked


@pytest.mark.slow
def test_a_stage_that_stops_writing_a_file_removes_it(tmp_path):
    import shutil

    docs = tmp_path / "docs"
    shutil.copytree(demo_path(), docs)
    (docs / "empty.txt").write_bytes(b"")
    (docs / "~$lock.docx").write_bytes(b"\0")
    out = tmp_path / "out"
    cfg = load_config({**FAST, "graphs": {"kinds": ["co-issuing"]}, "topics": {"k": 3, "passes": 2}})
    with pytest.warns(Warning, match="empty file"):
        analyze(docs, out, config=cfg, progress=False)
    assert (out / "keywords" / "keyness.csv").is_file()
    assert "25 documents loaded, 2 inputs skipped" in (out / "report.html").read_text(encoding="utf-8")
    cfg["keywords"]["keyness"] = None
    res = analyze(docs, out, config=cfg, progress=False)
    assert res["stages"]["keywords"][0] != "skipped" and res["stages"]["topics"][0] == "skipped"
    assert not (out / "keywords" / "keyness.csv").exists() and not (out / "figures" / "keyness.png").exists()
    assert (out / "keywords" / "tfidf_by_year.csv").is_file()
    # the report was made again without the ingest stage, and counts the same skipped inputs
    assert res["stages"]["ingest"][0] == "skipped" and res["stages"]["report"][0] != "skipped"
    assert "25 documents loaded, 2 inputs skipped" in (out / "report.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_dask_run_is_byte_identical_to_one_process(run_a, tmp_path):
    pytest.importorskip("distributed")
    b = analyze(demo_path(), tmp_path, config=load_config(FAST), progress=False, demo=True, scheduler="local", n_workers=2)
    fa = {p.relative_to(run_a["out"]): p.read_bytes() for p in run_a["out"].rglob("*") if p.is_file()}
    fb = {p.relative_to(b["out"]): p.read_bytes() for p in b["out"].rglob("*") if p.is_file()}
    assert sorted(fa) == sorted(fb)
    assert {str(k) for k in fa if fa[k] != fb[k]} <= {"run.log"}
    assert b"local Dask cluster: 2 worker(s)" in (tmp_path / "run.log").read_bytes()


@pytest.mark.slow
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


@pytest.mark.slow
def test_two_runs_on_one_folder(tmp_path):
    """A second run refuses at once while the first holds the folder; the lock of a killed run is stale."""
    import os
    import signal
    import time

    from policynlp.runfolder import FolderLockedError, RunFolder

    out = tmp_path / "o"
    first = subprocess.Popen([sys.executable, "-m", "policynlp", "analyze", str(demo_path()), "--out", str(out),
                              "--no-progress"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        lock = out / ".policynlp.lock"
        deadline = time.monotonic() + 120
        while not lock.is_file() and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert lock.is_file(), first.stderr.read().decode() if first.poll() is not None else "no lock after 120 s"
        t0 = time.perf_counter()
        with pytest.raises(FolderLockedError, match=f"is in use by another policynlp run \\(pid {first.pid} on "):
            analyze(demo_path(), out, config=load_config(FAST), progress=False)
        assert time.perf_counter() - t0 < 10
        r = run("analyze", str(demo_path()), "--out", str(out), "--no-progress")
        assert r.returncode == 1 and "in use by another policynlp run" in r.stderr and "Traceback" not in r.stderr
    finally:
        os.kill(first.pid, signal.SIGKILL)  # a crash: the lock stays behind
        first.wait()
    assert lock.is_file()
    with RunFolder(out).locked():  # its owner is dead: stale, taken over
        assert json.loads(lock.read_text(encoding="utf-8"))["pid"] == os.getpid()
    assert not lock.exists()
    lock.write_text("{garbled", encoding="utf-8")
    with RunFolder(out).locked():
        pass


@pytest.mark.slow
def test_no_documents_stops_before_any_stage_and_leaves_no_folder(tmp_path):
    from policynlp.errors import NoDocumentsError

    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(NoDocumentsError, match="no documents found in .*empty"):
        analyze(empty, tmp_path / "o1", progress=False)
    assert not (tmp_path / "o1").exists()
    odd = tmp_path / "odd"
    odd.mkdir()
    (odd / ".DS_Store").write_bytes(b"\0\0")
    (odd / "~$通知.docx").write_bytes(b"lock")
    (odd / "旧版通知.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.warns(Warning), pytest.raises(NoDocumentsError, match="every input was skipped .*旧版通知.doc: unsupported"):
        analyze(odd, tmp_path / "o2", progress=False)
    assert not (tmp_path / "o2").exists()
    r = run("analyze", str(empty), "--out", str(tmp_path / "o3"))
    assert r.returncode == 1 and "no documents found in" in r.stderr and not (tmp_path / "o3").exists()


def test_config_validation():
    assert load_config() == DEFAULT_CONFIG
    assert yaml.safe_load(default_config_text()) == DEFAULT_CONFIG
    with pytest.raises(ParameterError, match="unknown configuration key 'topics.kk'; allowed here: .*k.*"):
        load_config({"topics": {"kk": 5}})
    with pytest.raises(ParameterError, match="unknown configuration key 'plots'"):
        load_config({"plots": {}})
    with pytest.raises(ParameterError, match="topics.method='bert' is not valid"):
        load_config({"topics": {"method": "bert"}})
    with pytest.raises(ParameterError, match="topics.k=0 is not valid; it must be null or a whole number ≥ 1"):
        load_config({"topics": {"k": 0}})
    with pytest.raises(ParameterError, match="graphs.kinds=.* is not valid; it must be a non-empty list of graph kinds"):
        load_config({"graphs": {"kinds": ["co-issuing", "bibliometric"]}})
    with pytest.raises(ParameterError, match="keywords.keyness=.* it must be null or"):
        load_config({"keywords": {"keyness": {"by": "year"}}})


@pytest.mark.parametrize("section, key, value, allowed", [
    ("segment", "hmm", "no", "true or false"),
    ("output", "figures", "yes", "true or false"),
    ("normalize", "simplified", 1, "true or false"),
    ("topics", "seed", "x", "a whole number ≥ 0"),
    ("topics", "seed", True, "a whole number ≥ 0"),
    ("topics", "sweep", [], "a non-empty list of whole numbers ≥ 1"),
    ("topics", "sweep", [True, 2], "a non-empty list of whole numbers ≥ 1"),
    ("topics", "sweep", [5, 5], "without repeats"),
    ("topics", "sweep", "5,10", "a non-empty list"),
    ("topics", "max_df", 5, "a fraction of documents, 0 < max_df ≤ 1"),
    ("topics", "max_df", 0.0, "a fraction of documents"),
    ("topics", "min_df", 0, "a whole number of documents ≥ 1, or a fraction"),
    ("topics", "passes", 2.5, "a whole number ≥ 1"),
    ("ingest", "max_bytes", "32MB", "a whole number ≥ 1"),
    ("ingest", "errors", "ignore", "one of 'warn', 'raise', 'skip'"),
    ("graphs", "kinds", [], "a non-empty list of graph kinds"),
    ("segment", "n_jobs", 0, "a whole number ≥ 1"),
    ("segment", "discover", "yes", "true or false"),
    ("topics", "unit", "page", "one of 'auto', 'document', 'paragraph', 'clause', 'sentence'"),
    ("topics", "alpha", -1, "'symmetric', 'asymmetric', 'auto' or a number above 0"),
    ("topics", "eta", "symmetric", "null (gensim's 1/K), 'auto' or a number above 0"),
    ("topics", "iterations", 0, "a whole number ≥ 1"),
    ("keywords", "admin_stopwords", "no", "true or false"),
])
def test_wrong_values_are_refused_with_key_value_and_what_is_allowed(section, key, value, allowed):
    with pytest.raises(ParameterError) as exc:
        load_config({section: {key: value}})
    message = str(exc.value)
    assert f"configuration {section}.{key}={value!r} is not valid" in message and allowed in message


def test_taxonomy_group_is_checked_against_the_taxonomy_when_loaded():
    import time

    t0 = time.perf_counter()
    with pytest.raises(ParameterError, match="taxonomy.group='al' is not a group of taxonomy 'smart_city_2017'; "
                                             "its groups are 'core', .*"):
        load_config({"taxonomy": {"name": "smart_city_2017", "group": "al"}})
    with pytest.raises(ParameterError, match="taxonomy.group='core' is not a group of taxonomy 'cn_policy_domains'; "
                                             "it has no groups"):
        load_config({"taxonomy": {"group": "core"}})
    assert time.perf_counter() - t0 < 5  # refused at load, not after the ingest and segment stages
    with pytest.raises(ParameterError, match="configuration taxonomy: .*no_such_taxonomy"):
        load_config({"taxonomy": {"name": "no_such_taxonomy"}})
    assert load_config({"taxonomy": {"group": None}})["taxonomy"]["group"] is None


def test_config_files_with_duplicate_keys_or_alias_bombs_are_refused(tmp_path):
    import time

    from policynlp.errors import CorpusFormatError

    dup = tmp_path / "dup.yaml"
    dup.write_text("topics:\n  seed: 1\n  seed: 2\n", encoding="utf-8")
    with pytest.raises(CorpusFormatError, match=r"dup.yaml:3 \[configuration\]: invalid YAML in the configuration \(line 3\): found duplicate key 'seed'"):
        load_config(dup)
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
              f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]" for i in range(8)]
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert bomb.stat().st_size < 700  # 9 ** 9 ≈ 387 million strings once expanded
    t0 = time.perf_counter()
    with pytest.raises(CorpusFormatError, match="alias bomb"):
        load_config(bomb)
    assert time.perf_counter() - t0 < 2


def test_a_dict_given_to_analyze_is_validated(tmp_path):
    cfg = load_config(FAST)
    cfg["segment"]["hmm"] = "no"
    with pytest.raises(ParameterError, match="segment.hmm='no' is not valid"):
        analyze(demo_path(), tmp_path / "o", config=cfg, progress=False)
    assert not (tmp_path / "o").exists()


def run(*args):
    return subprocess.run([sys.executable, "-m", "policynlp", *args], capture_output=True, text=True, timeout=600)


@pytest.mark.slow
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


@pytest.mark.slow
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


def test_input_files_named_in_another_encoding_do_not_break_the_stage_keys(tmp_path):
    """A file name that is not UTF-8 (common in archives from Windows) is hashed and written to the manifest."""
    import os

    from policynlp.pipeline import _input_files, _input_hashes
    from policynlp.provenance import stable_hash

    (tmp_path / os.fsdecode(b"notice-\xff\xfe.txt")).write_text("住房城乡建设部关于开展国家智慧城市试点工作的通知", encoding="utf-8")
    hashes = _input_hashes(_input_files([tmp_path], load_config()), [tmp_path], demo=False)
    assert list(hashes) == ["notice-\ufffd\ufffd.txt"]
    assert len(stable_hash(hashes)) == 16 and json.dumps(hashes, ensure_ascii=False).encode("utf-8")


@pytest.mark.slow
def test_topics_on_sentences_with_discovered_terms_keep_document_tables_and_list_what_was_added(tmp_path):
    cfg = load_config({**FAST, "graphs": {"kinds": ["co-issuing"]},
                       "segment": {"discover": True, "discover_top_n": 50},
                       "topics": {"k": 4, "unit": "sentence", "alpha": "asymmetric", "eta": 0.05, "iterations": 30}})
    res = analyze(demo_path(), tmp_path, config=cfg, progress=False, demo=True)
    out = res["out"]
    found = pd.read_csv(out / "tokens" / "discovered_terms.csv", encoding="utf-8-sig")
    # 25 short summaries hold few repeated new terms; the list is there, with its statistics, even when short
    assert len(found) <= 50 and {"term", "count", "pmi", "left_entropy", "right_entropy"} <= set(found.columns)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "tokens/discovered_terms.csv" in manifest["files"]["segment"]
    # the model read sentences, but every document table is still per document
    doc_topics = pd.read_csv(out / "topics" / "doc_topics.csv", encoding="utf-8-sig", index_col=0)
    assert len(doc_topics) == 25 and not doc_topics.index.str.contains("#").any()
    passages = pd.read_csv(out / "topics" / "topic_passages.csv", encoding="utf-8-sig", keep_default_na=False)
    assert passages["id"].str.contains("#").all() and (passages["title"] != "").all()
    assert (passages["share"] >= 0.3).all()
    assert res["summary"]["topics"]["unit"] == "sentence" and res["summary"]["topics"]["units"] > 25
    assert "on sentences" in (out / "methods.md").read_text(encoding="utf-8")
    assert "topic_passages.csv" in (out / "report.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_corpus_too_small_for_topics_says_so_in_one_line_and_the_run_goes_on(tmp_path, capsys):
    from policynlp.cli import main

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("关于做好有关工作的通知\n\n现将有关事项通知如下。\n", encoding="utf-8")
    (src / "b.txt").write_text("关于进一步做好工作的通知\n\n请认真贯彻执行。\n", encoding="utf-8")
    assert main(["analyze", str(src), "--out", str(tmp_path / "out"), "--no-progress"]) in (0, None)
    printed = capsys.readouterr().out
    line = next(x for x in printed.splitlines() if x.startswith("topics:"))
    assert line.startswith("topics: no topic model: cannot build a vocabulary")
    out = tmp_path / "out"
    assert (out / "topics" / "not_modelled.txt").read_text(encoding="utf-8").startswith("no topic model")
    assert not (out / "topics" / "topic_terms.csv").exists()
    assert "No topic model was fitted" in (out / "methods.md").read_text(encoding="utf-8")
    assert "no topic model: cannot build a vocabulary" in (out / "report.html").read_text(encoding="utf-8")
    assert (out / "graphs" / "multimode.gexf").is_file()  # the later stages ran


def _awkward(kind, folder):
    """Corpora that real folders produce: one long document, one year, no years, nothing left after stopwords."""
    from policynlp.datasets import load_demo

    docs = list(load_demo())
    folder.mkdir()
    if kind == "one document":
        (folder / "plan.txt").write_text("\n\n".join(d.text for d in docs[:12]), encoding="utf-8")
    elif kind == "one year":
        for d in docs[:8]:
            (folder / f"{d.id}.txt").write_text(f"{d.title}\n\n{d.text}\n\n国务院\n2016年5月{int(d.id[-2:]) % 27 + 1}日",
                                                encoding="utf-8")
    elif kind == "no years":
        for d in docs[:8]:
            (folder / f"{d.id}.txt").write_text(d.text.replace("年", "").replace("20", ""), encoding="utf-8")
    else:  # nothing but function words and boilerplate
        for i in range(6):
            (folder / f"n{i}.txt").write_text("特此通知。现将有关事项通知如下，请认真贯彻执行。", encoding="utf-8")
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["one document", "one year", "no years", "no terms"])
def test_awkward_corpora_run_to_the_end_and_say_what_is_missing(tmp_path, kind):
    src = _awkward(kind, tmp_path / "in")
    cfg = load_config({"topics": {"sweep": [3, 4], "sweep_seeds": [0], "passes": 2}, "graphs": {"kinds": ["co-issuing", "cooccurrence"]}})
    res = analyze(src, tmp_path / "out", config=cfg, progress=False)
    out = res["out"]
    assert (out / "report.html").is_file() and (out / "manifest.json").is_file()
    topics = res["summary"].get("topics", {})
    modelled = (out / "topics" / "topic_terms.csv").is_file()
    # either a model, or one line saying why — never both, never neither
    assert modelled != bool(topics.get("skipped"))
    if kind == "one document":
        assert modelled and topics["unit"] == "paragraph" and topics["units"] >= 5
    if kind == "no terms":
        assert not modelled and "\n" not in topics["skipped"]
    page = (out / "report.html").read_text(encoding="utf-8")
    if kind in ("no years", "no terms"):
        assert "no document has a date" in page
    if kind == "one year":
        assert (out / "keywords" / "tfidf_by_year.csv").is_file()


def test_each_stage_says_when_it_starts_and_how_long_it_took_unless_quiet(tmp_path, capsys):
    src = _awkward("no terms", tmp_path / "in")
    cfg = load_config({"graphs": {"kinds": ["co-issuing"]}, "output": {"figures": False}})
    analyze(src, tmp_path / "out", config=cfg, progress=True)
    err = capsys.readouterr().err
    stages = list(STAGES)
    assert [line[2:-2] for line in err.splitlines() if line.startswith("▶ ")] == stages
    assert all(f"  {s}: done in " in err for s in stages)
    analyze(src, tmp_path / "out", config=cfg, progress=False)  # resumed, and quiet
    assert "▶" not in capsys.readouterr().err
    assert "stage topics: up to date, skipped" in (tmp_path / "out" / "run.log").read_text(encoding="utf-8")


def _chromium():
    import shutil

    return next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)


@pytest.mark.slow
@pytest.mark.skipif(_chromium() is None, reason="no headless Chromium on this machine")
@pytest.mark.parametrize("page", ["report.html", "topics/topics_ldavis.html"])
def test_pages_load_in_a_real_browser_without_script_errors(run_a, tmp_path, page):
    from PIL import Image

    shot = tmp_path / "shot.png"
    done = subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
                           "--window-size=1200,1600", f"--screenshot={shot}", str(run_a["out"] / page)],
                          capture_output=True, text=True, timeout=120)
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    assert not [line for line in console if "Uncaught" in line or "Error" in line], console
    # something was drawn: not a blank page
    colours = Image.open(shot).convert("L").getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 20


def test_a_network_without_ties_is_explained_not_drawn(tmp_path):
    from types import SimpleNamespace

    from policynlp.report import _network_html

    (tmp_path / "graphs").mkdir()
    pd.DataFrame({"id": ["agency:生态环境部"], "label": ["生态环境部"], "kind": ["agency"], "degree": [0],
                  "weighted_degree": [0.0], "betweenness": [0.0], "community": [0]}).to_csv(
        tmp_path / "graphs" / "co_issuing_metrics.csv", index=False)
    page = _network_html(SimpleNamespace(out=tmp_path), "co-issuing")
    assert "every document has a single issuing body (1 body in all)" in page and "<table" not in page


@pytest.mark.slow
def test_keywords_and_topics_commands_give_the_pipelines_tables(run_a, tmp_path):
    """The sub-commands run the analyze stages: the same options give byte-identical tables."""
    from policynlp.cli import main

    out = run_a["out"]
    tokens, corpus = str(out / "tokens" / "tokens.parquet"), str(out / "corpus" / "corpus.parquet")
    assert main(["keywords", tokens, "--corpus", corpus, "--method", "tfidf", "--by", "year", "--top", "15",
                 "--excel", "--out", str(tmp_path), "--no-progress"]) == 0
    assert (tmp_path / "keywords" / "tfidf_by_year.csv").read_bytes() == (out / "keywords" / "tfidf_by_year.csv").read_bytes()
    k = run_a["summary"]["topics"]["k"]
    assert main(["topics", tokens, "--corpus", corpus, "--k", str(k), "--min-df", "2", "--max-df", "0.6", "--passes", "3",
                 "--excel", "--out", str(tmp_path), "--no-progress"]) == 0
    for name in ("topic_terms.csv", "doc_topics.csv", "topic_passages.csv", "topic_prevalence_year.csv"):
        assert (tmp_path / "topics" / name).read_bytes() == (out / "topics" / name).read_bytes(), name


def test_report_counts_cited_titles_when_none_was_resolved(tmp_path):
    # every resolved_title empty: pandas reads the column as float, and filling it with the cited strings warned
    # (and will raise) — the report must list the titles as cited
    import warnings

    from policynlp.report import _extraction_html

    pd.DataFrame({"id": ["a", "b", "c"], "cited": ["国家新型城镇化规划（2014—2020年）", "国家新型城镇化规划（2014—2020年）",
                                                  "关于促进智慧城市健康发展的指导意见"],
                  "resolved_title": ["", "", ""]}).to_csv(tmp_path / "citations.csv", index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        page = _extraction_html(tmp_path)
    assert "国家新型城镇化规划（2014—2020年）" in page and "关于促进智慧城市健康发展的指导意见" in page
