"""``analyze``: the whole run, from a folder of policies to a finished analysis in one output folder.

Stages: ingest → normalise → segment → keywords → topics → taxonomy and
policy-instrument coding → extraction → graphs → report.  Each finished stage
leaves a marker recording the hash of its inputs and parameters; a re-run
skips stages whose marker still matches, so an interrupted run resumes where
it stopped.  Every output file is byte-identical on re-running with the same
inputs and configuration, except ``run.log``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import time
from pathlib import Path

import yaml

from .errors import ParameterError

__all__ = ["DEFAULT_CONFIG", "load_config", "default_config_text", "analyze", "STAGES"]

log = logging.getLogger(__name__)

STAGES = ("ingest", "segment", "keywords", "topics", "taxonomy", "extract", "graphs", "report")

DEFAULT_CONFIG = {
    "ingest": {"errors": "warn", "encoding": None, "text_column": None, "path_column": None, "duplicates": "keep"},
    "normalize": {"halfwidth": True, "punctuation": True, "whitespace": True, "join_lines": True,
                  "citation_marks": True, "simplified": False},
    "segment": {"engine": "rjieba", "hmm": True, "user_words": None, "stopwords": "policy", "n_jobs": 1},
    "keywords": {"top_n": 15, "by": "year", "keyness": None, "trend_terms": None},
    "topics": {"k": None, "sweep": [5, 10, 15], "sweep_seeds": [0, 1], "method": "gensim-lda", "seed": 0,
               "min_df": 2, "max_df": 0.5, "passes": 5, "seed_topics": None},
    "taxonomy": {"name": "smart_city_2017", "group": "core", "instruments": "policy_instruments", "unit": "sentence"},
    "extract": {"catalogue": None},
    "graphs": {"kinds": ["co-issuing", "multimode", "cooccurrence"], "unit": "sentence",
               "cooccurrence": {"min_count": 5, "min_weight": 2, "top_n": 150, "measure": "count"}},
    "output": {"excel": True, "figures": True, "seed": 0},
}

_DOC = {
    "ingest": "read_corpus options: errors warn|raise|skip, encoding, text_column, path_column, duplicates keep|drop",
    "normalize": "text normalisation steps (policynlp.text.normalize)",
    "segment": "Segmenter options; n_jobs > 1 uses worker processes",
    "keywords": "top_n per group; by = metadata column; keyness = {by: year, groups: {label: [values], label: [values]}}; "
                "trend_terms = list of terms (default: the most frequent)",
    "topics": "k = number of topics (null: best mean c_v of the sweep); sweep = K values; method gensim-lda|lda|nmf; "
              "seed_topics = null | taxonomy name | {label: [terms]}",
    "taxonomy": "domain taxonomy (bundled name or YAML path), group of its domains, instrument taxonomy, coding unit",
    "extract": "catalogue = null | smart_city_2017 (resolve cited titles)",
    "graphs": "kinds among co-issuing, citation, co-citation, multimode, cooccurrence; unit of co-mention",
    "output": "excel = CSV with a UTF-8 BOM; figures = PNG and SVG; seed for layouts and communities",
}
_CHOICES = {
    ("ingest", "errors"): ("warn", "raise", "skip"), ("ingest", "duplicates"): ("keep", "drop"),
    ("segment", "engine"): ("rjieba", "jieba"), ("topics", "method"): ("gensim-lda", "lda", "nmf"),
    ("taxonomy", "unit"): ("clause", "sentence", "document"),
    ("graphs", "unit"): ("sentence", "clause", "paragraph", "document"),
}


def default_config_text():
    """The default configuration as commented YAML (what ``policynlp analyze --write-config`` prints)."""
    lines = ["# policynlp analyze configuration: every parameter with its default.",
             "# Copy, edit and pass with --config. Unknown keys are errors."]
    for section, values in DEFAULT_CONFIG.items():
        lines.append("")
        lines.append(f"# {_DOC[section]}")
        lines.append(yaml.safe_dump({section: values}, allow_unicode=True, sort_keys=False).rstrip())
    return "\n".join(lines) + "\n"


def _merge(base, over, path):
    out = copy.deepcopy(base)
    for key, value in (over or {}).items():
        where = ".".join([*path, str(key)])
        if key not in base:
            allowed = ", ".join(sorted(base))
            raise ParameterError(f"unknown configuration key {where!r}; allowed here: {allowed}")
        if isinstance(base[key], dict) and base[key] and key != "keyness":
            if not isinstance(value, dict):
                raise ParameterError(f"configuration key {where!r} must be a mapping")
            out[key] = _merge(base[key], value, [*path, str(key)])
        else:
            choices = _CHOICES.get(tuple([*path, str(key)]))
            if choices and value not in choices:
                raise ParameterError(f"configuration {where}={value!r} is not valid; use one of {', '.join(map(repr, choices))}")
            out[key] = value
    return out


def load_config(source=None, **overrides):
    """The effective configuration: defaults, then a YAML file (or dict), then keyword overrides.

    Raises
    ------
    ParameterError
        For an unknown key (named with its path) or a value outside its choices.
    """
    data = {}
    if isinstance(source, dict):
        data = source
    elif source is not None:
        p = Path(source)
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ParameterError(f"cannot read configuration {p}: {exc}") from exc
        if not isinstance(data, dict):
            raise ParameterError(f"configuration {p} must be a mapping of sections")
    cfg = _merge(DEFAULT_CONFIG, data, [])
    for dotted, value in overrides.items():
        section, _, key = dotted.partition("__")
        cfg = _merge(cfg, {section: {key: value}}, [])
    _check_types(cfg)
    return cfg


def _check_types(cfg):
    t = cfg["topics"]
    if t["k"] is not None and (not isinstance(t["k"], int) or t["k"] < 1):
        raise ParameterError(f"configuration topics.k={t['k']!r} must be a positive whole number or null")
    if not isinstance(t["sweep"], list) or not all(isinstance(k, int) and k > 0 for k in t["sweep"]):
        raise ParameterError(f"configuration topics.sweep={t['sweep']!r} must be a list of positive whole numbers")
    if not isinstance(cfg["keywords"]["top_n"], int) or cfg["keywords"]["top_n"] < 1:
        raise ParameterError(f"configuration keywords.top_n={cfg['keywords']['top_n']!r} must be a positive whole number")
    kinds = {"co-issuing", "citation", "co-citation", "multimode", "cooccurrence"}
    bad = [k for k in cfg["graphs"]["kinds"] if k not in kinds]
    if bad:
        raise ParameterError(f"configuration graphs.kinds has unknown kind(s) {bad}; use {sorted(kinds)}")
    ks = cfg["keywords"]["keyness"]
    if ks is not None and not (isinstance(ks, dict) and "by" in ks and isinstance(ks.get("groups"), dict) and len(ks["groups"]) == 2):
        raise ParameterError("configuration keywords.keyness must be null or {by: column, groups: {label: [values], label: [values]}}")


def _hash(obj):
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()[:16]


def _file_hashes(paths):
    out = {}
    for p in paths:
        p = Path(p)
        files = sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p]
        for f in files:
            h = hashlib.sha256()
            with open(f, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
            key = str(f.relative_to(p)) if p.is_dir() else f.name
            out[key] = h.hexdigest()
    return out


class _Run:
    def __init__(self, inputs, out, cfg, *, resume, progress, client=None):
        self.inputs = [Path(p) for p in inputs]
        self.client = client
        self.out = Path(out)
        self.cfg = cfg
        self.resume = resume
        self.progress = progress
        self.times = {}
        self.made = {}
        self.state = {}
        self.markers = self.out / ".policynlp-stages"

    def path(self, *parts):
        p = self.out.joinpath(*parts)
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def stage(self, name, key, fn):
        marker = self.markers / f"{name}.json"
        if self.resume and marker.is_file():
            saved = json.loads(marker.read_text(encoding="utf-8"))
            if saved.get("key") == key and all((self.out / f).is_file() for f in saved.get("files", [])):
                log.info("stage %s: up to date, skipped", name)
                self.made[name] = saved["files"]
                self.times[name] = ("skipped", None)
                return False
        import resource

        t0 = time.perf_counter()
        before = set(p for p in self.out.rglob("*") if p.is_file())
        log.info("stage %s …", name)
        fn()
        after = set(p for p in self.out.rglob("*") if p.is_file()) - before
        files = sorted(str(p.relative_to(self.out)) for p in after if self.markers not in p.parents and p.name != "run.log")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.times[name] = (time.perf_counter() - t0, rss)
        self.made[name] = files
        self.markers.mkdir(parents=True, exist_ok=True)
        marker.write_text(json.dumps({"key": key, "files": files}, ensure_ascii=False, indent=1), encoding="utf-8")
        log.info("stage %s: %.1f s, %d file(s)", name, self.times[name][0], len(files))
        return True


def analyze(inputs, out, *, config=None, resume=True, progress=None, scheduler=None, n_workers=None, demo=False):
    """Run the whole analysis and write everything to ``out``.

    Parameters
    ----------
    inputs : path or list of paths
        Anything :func:`policynlp.read_corpus` reads.
    out : path
        The output folder (created).  See the README for its layout.
    config : dict, path or None
        Configuration (see :data:`DEFAULT_CONFIG` and ``policynlp analyze --write-config``).
    resume : bool, default True
        Skip stages whose inputs and parameters have not changed since they finished.
    progress : bool or None
    scheduler : None, "local", address or distributed.Client
        Run ingest, segmentation, the topic sweep's model fits and
        co-occurrence counting on a Dask cluster
        (see :func:`policynlp.cluster.connect`): ``"local"`` starts one on this
        machine with ``n_workers`` processes (default: one per core); an address
        such as ``"tcp://10.0.0.5:8786"`` uses a running scheduler.  Outputs are
        byte-identical to a run without a cluster, so the choice does not
        invalidate finished stages.

    Returns
    -------
    dict
        ``out`` (Path), ``stages`` (seconds and peak RSS per stage), ``files`` (per stage) and
        ``summary`` (headline findings).
    """
    from . import __version__
    from .provenance import package_versions

    cfg = config if isinstance(config, dict) and set(config) == set(DEFAULT_CONFIG) else load_config(config)
    inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
    if not inputs:
        raise ParameterError("no input given: pass a folder, file or manifest")
    for p in inputs:
        if not Path(p).exists():
            from .errors import CorpusFormatError

            raise CorpusFormatError("no such file or folder; check the path", path=p)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(out / "run.log", mode="a", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    pkg_log = logging.getLogger("policynlp")
    level = pkg_log.level
    pkg_log.addHandler(handler)
    if pkg_log.getEffectiveLevel() > logging.INFO:
        pkg_log.setLevel(logging.INFO)  # the run log records every stage; the console keeps its own level
    try:
        from . import stages
        from .cluster import connect

        input_hash = _hash(_file_hashes(inputs))
        (out / "config.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=True), encoding="utf-8")
        with connect(scheduler, n_workers=n_workers) as client:
            run = _Run(inputs, out, cfg, resume=resume, progress=progress, client=client)
            keys = stages.run_all(run, input_hash)
        manifest = {
            "policynlp": __version__,
            "inputs": {str(p): _file_hashes([p]) for p in inputs} if not demo else {"bundled demo corpus": _file_hashes(inputs)},
            "versions": package_versions(),
            "segmentation_fingerprint": run.state.get("fingerprint"),
            "lexicon": run.state.get("lexicon"),
            "config": cfg,
            "seeds": {"topics": cfg["topics"]["seed"], "sweep": cfg["topics"]["sweep_seeds"], "layout_and_communities": cfg["output"]["seed"]},
            "stage_keys": keys,
            "files": {k: v for k, v in sorted(run.made.items())},
        }
        (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return {"out": out, "stages": run.times, "files": run.made, "summary": run.state.get("summary", {})}
    finally:
        pkg_log.removeHandler(handler)
        pkg_log.setLevel(level)
        handler.close()
