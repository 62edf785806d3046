"""``analyze``: the whole run, from a folder of policies to a finished analysis in one output folder.

Stages: ingest → normalise → segment → keywords → topics → taxonomy and
policy-instrument coding → extraction → graphs → report.  Each finished stage
leaves a marker recording the hash of its inputs and parameters and the hash
of every file it wrote (:mod:`policynlp.runfolder`); a re-run skips a stage
only when its marker matches and its files are intact, so an interrupted run
resumes where it stopped and a deleted or altered output is made again.  Every
output file is byte-identical on re-running with the same inputs and
configuration, except ``run.log``.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ._types import PathLike
from .config import DEFAULT_CONFIG, default_config_text, load_config
from .errors import CorpusFormatError, NoDocumentsError, ParameterError
from .provenance import stable_hash
from .runfolder import RunFolder

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["DEFAULT_CONFIG", "load_config", "default_config_text", "analyze", "STAGES"]

log = logging.getLogger(__name__)

STAGES = ("ingest", "segment", "keywords", "topics", "taxonomy", "extract", "graphs", "reuse", "report")


def _input_files(inputs, cfg):
    """The entries of the inputs as ingest walks them (same order, same hidden-file rule)."""
    from .corpus.files import iter_inputs

    return list(iter_inputs(inputs, recursive=cfg["ingest"]["recursive"], hidden=cfg["ingest"]["hidden"]))


def _input_hashes(entries, inputs, demo):
    """SHA-256 of each input file read, by its path relative to the input it is under (stage keys, manifest)."""
    from .corpus.files import display_path
    from .runfolder import file_sha256

    bases = [Path(p) for p in inputs]
    out = {}
    for e in entries:
        if e.problem is not None:
            continue
        base = next((b for b in bases if b.is_dir() and e.path.is_relative_to(b)), None)
        name = e.path.relative_to(base).as_posix() if base is not None else e.path.name
        if base is not None and not demo and len(bases) > 1:
            name = f"{base.name}/{name}"
        name = display_path(name)  # a file name that is not UTF-8 must not break the hash or manifest.json
        try:
            out[name] = file_sha256(e.path)
        except OSError as exc:  # ingest reports the file; the key still changes when it becomes readable
            out[name] = f"unreadable: {exc.strerror or exc}"
    return out


class _Run:
    """What the stages share: inputs, configuration, the output folder and the state passed between stages."""

    def __init__(self, inputs, folder, cfg, *, resume, progress, client=None):
        self.inputs = [Path(p) for p in inputs]
        self.client = client
        self.folder = folder
        self.out = folder.out
        self.cfg = cfg
        self.resume = resume
        self.progress = progress
        self.times = {}
        self.state = {}

    def path(self, *parts):
        """``out/parts…`` (folder created), recorded as an output of the running stage."""
        return self.folder.path(*parts)

    def register(self, *paths):
        """Record files (or folders) a library call wrote for the running stage."""
        self.folder.register(*paths)

    def corpus(self):
        """The run's corpus: the ingest stage's, or read back from ``corpus/corpus.parquet`` after a resume."""
        if "corpus" not in self.state:
            from .corpus import Corpus

            self.state["corpus"] = Corpus.read_parquet(self.out / "corpus" / "corpus.parquet")
        return self.state["corpus"]

    def _say(self, text):
        """A stage line for the person waiting: on a terminal (or ``progress=True``), never in a pipe; run.log has it too."""
        import sys

        shown = self.progress if self.progress is not None else sys.stderr.isatty()
        if shown:
            print(text, file=sys.stderr, flush=True)

    def stage(self, name, key, fn):
        import resource

        t0 = time.perf_counter()
        self._say(f"▶ {name} …")
        if not self.folder.run_stage(name, key, fn, resume=self.resume):
            self.times[name] = ("skipped", None)
            self._say(f"  {name}: up to date, skipped")
            return False
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.times[name] = (time.perf_counter() - t0, rss)
        self._say(f"  {name}: done in {self.times[name][0]:.1f} s")
        log.info("stage %s: %.1f s, %d file(s)", name, self.times[name][0], len(self.folder.files[name]))
        return True


def analyze(
    inputs: PathLike | Sequence[PathLike],
    out: PathLike,
    *,
    config: Mapping[str, Any] | PathLike | None = None,
    resume: bool = True,
    progress: bool | None = None,
    scheduler: str | Client | None = None,
    n_workers: int | None = None,
    demo: bool = False,
) -> dict[str, Any]:
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

    cfg = load_config(config)  # a dict is checked like a file
    inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
    if not inputs:
        raise ParameterError("no input given: pass a folder, file or manifest")
    for p in inputs:
        if not Path(p).exists():
            raise CorpusFormatError("no such file or folder; check the path", path=p)
    entries = _input_files(inputs, cfg)
    readable = [e for e in entries if e.problem is None]
    if not readable:
        # before any output exists: an empty folder leaves nothing behind
        passed = "".join(f"; {e.path.name}: {e.problem}" for e in entries[:5])
        raise NoDocumentsError(f"no documents found in {', '.join(map(str, inputs))}{passed}; nothing was written")
    folder = RunFolder(out)
    remove = False
    try:
        with folder.locked():
            handler = logging.FileHandler(folder.out / "run.log", mode="a", encoding="utf-8")
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
            pkg_log = logging.getLogger("policynlp")
            level = pkg_log.level
            pkg_log.addHandler(handler)
            if pkg_log.getEffectiveLevel() > logging.INFO:
                pkg_log.setLevel(logging.INFO)  # the run log records every stage; the console keeps its own level
            try:
                return _analyze(inputs, folder, cfg, entries, resume=resume, progress=progress, scheduler=scheduler,
                                n_workers=n_workers, demo=demo, version=__version__, versions=package_versions)
            except NoDocumentsError:
                remove = folder.created  # every input was skipped: no half-made folder is left
                raise
            finally:
                pkg_log.removeHandler(handler)
                pkg_log.setLevel(level)
                handler.close()
    finally:
        if remove:
            shutil.rmtree(folder.out, ignore_errors=True)


def _analyze(inputs, folder, cfg, entries, *, resume, progress, scheduler, n_workers, demo, version, versions):
    from . import stages
    from .cluster import connect

    hashes = _input_hashes(entries, inputs, demo)
    out = folder.out
    (out / "config.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=True), encoding="utf-8")
    with connect(scheduler, n_workers=n_workers) as client:
        run = _Run(inputs, folder, cfg, resume=resume, progress=progress, client=client)
        keys = stages.run_all(run, stable_hash(hashes))
    manifest = {
        "policynlp": version,
        "inputs": {"bundled demo corpus": hashes} if demo else hashes,
        "versions": versions(),
        "segmentation_fingerprint": run.state.get("fingerprint"),
        "lexicon": run.state.get("lexicon"),
        "config": cfg,
        "seeds": {"topics": cfg["topics"]["seed"], "sweep": cfg["topics"]["sweep_seeds"],
                  "layout_and_communities": cfg["output"]["seed"]},
        "stage_keys": keys,
        "files": {k: v for k, v in sorted(folder.files.items())},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                       encoding="utf-8")
    if folder.reruns:
        log.warning("stages run again because their outputs had changed: %s",
                    "; ".join(f"{k} ({v})" for k, v in folder.reruns.items()))
    return {"out": out, "stages": run.times, "files": folder.files, "reruns": dict(folder.reruns),
            "summary": run.state.get("summary", {})}
