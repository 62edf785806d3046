"""Text reuse on synthetic corpora with planted passages: recall, precision, exact offsets, time and memory by size.

Each size runs in its own process (peak memory = that process's maximum
resident set).  Planted passages are whole sentences of 50–400 characters
copied from central sources into provincial adopters, half unedited, half
with up to 20 % of their characters edited (:func:`policynlp.synthetic.reuse_corpus`).

- recall: planted passages of which the passages reported between the same two
  documents cover at least 50 % (and 80 %) of the adopter's copy;
- precision: reported passages whose both sides lie, for at least half their
  length, in planted material of the same origin (a source passage and its
  copies; two adopters of one source share text too);
- exact: unedited copies reported with exactly the planted offsets on both sides (exact_found: of those found);
- time and peak memory of ``find_reuse`` (candidates + alignment), and the
  exponent of time against corpus size (least squares on the log-log points).

The corpus is generated in a child process and written to Parquet; by default
``find_reuse`` streams it from there (texts on disk, read back as alignment
needs them), so the peak is the method's own.  ``--in-memory`` loads it as a
DataFrame first, as a notebook holding the corpus would.

Usage (from the repository root)::

    python benchmarks/bench_reuse.py --sizes 1000 10000 100000
    python benchmarks/bench_reuse.py --sizes 2000 --dask        # same result on a local Dask cluster
    python benchmarks/bench_reuse.py --sizes 10000 --in-memory  # the corpus held as a DataFrame
"""

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd


def _overlap(a0, a1, b0, b1):
    return max(0, min(a1, b1) - max(a0, b0))


def evaluate(truth, reuse):
    """recall@0.5, recall@0.8, precision and exact-offset rate of ``reuse`` against ``truth``."""
    ps = reuse.passages
    by_pair = {}
    for r in ps.itertuples(index=False):
        by_pair.setdefault((r.source, r.target), []).append(r)
    cov = []
    exact, found_unedited = [], []
    for t in truth.itertuples(index=False):
        found = by_pair.get((t.source, t.target), [])
        covered = np.zeros(t.target_end - t.target_start, dtype=bool)
        for r in found:
            covered[max(0, r.target_start - t.target_start) : max(0, r.target_end - t.target_start)] = True
        cov.append(covered.mean())
        if t.edits == 0:
            found_unedited.append(covered.mean() >= 0.5)
            exact.append(any((r.source_start, r.source_end, r.target_start, r.target_end)
                             == (t.source_start, t.source_end, t.target_start, t.target_end) for r in found))
    # planted material: doc -> [(start, end, origin)]
    material = {}
    for t in truth.itertuples(index=False):
        material.setdefault(t.source, []).append((t.source_start, t.source_end, t.source))
        material.setdefault(t.target, []).append((t.target_start, t.target_end, t.source))

    def origins(doc, s, e):
        return {o for a, b, o in material.get(doc, []) if _overlap(a, b, s, e) >= 0.5 * (e - s)}

    good = sum(bool(origins(r.source, r.source_start, r.source_end) & origins(r.target, r.target_start, r.target_end))
               for r in ps.itertuples(index=False))
    cov = np.array(cov)
    return {"planted": len(truth), "reported": len(ps), "recall_50": float((cov >= 0.5).mean()),
            "recall_80": float((cov >= 0.8).mean()), "precision": good / max(1, len(ps)),
            "exact_unedited": float(np.mean(exact)) if exact else float("nan"), "unedited": len(exact),
            # of the unedited copies found (recall aside): how often the offsets are exactly the planted ones
            "exact_found": float(np.mean(np.array(exact)[found_unedited])) if any(found_unedited) else float("nan")}


def _generate(n, folder):
    """Write the planted corpus (Parquet, like ``policynlp synth --plant-reuse``) and its truth in a child process."""
    code = ("import sys; from policynlp.synthetic import reuse_corpus; d, t = reuse_corpus(int(sys.argv[1]), seed=0); "
            "d.to_parquet(sys.argv[2], index=False); t.to_parquet(sys.argv[3], index=False)")
    corpus, truth = f"{folder}/corpus.parquet", f"{folder}/truth.parquet"
    subprocess.run([sys.executable, "-c", code, str(n), corpus, truth], check=True)
    return corpus, truth


def _chars(path):
    """Characters of the corpus's texts, read a batch at a time (the peak measured is find_reuse's, not this)."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    return sum(pc.sum(pc.utf8_length(b.column(0))).as_py() or 0
               for b in pq.ParquetFile(path).iter_batches(columns=["text"]))


def one(n, dask, in_memory, keep=None):
    import tempfile

    from policynlp.reuse import find_reuse

    with tempfile.TemporaryDirectory(prefix="bench-reuse-") as folder:
        corpus, truth_path = _generate(n, folder)
        truth = pd.read_parquet(truth_path)
        # streamed (default): find_reuse reads the Parquet file and keeps its texts on disk; --in-memory loads the
        # DataFrame first, as a notebook holding the corpus would
        docs = pd.read_parquet(corpus) if in_memory else corpus
        chars = _chars(corpus)
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        r = find_reuse(docs)
        seconds = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # this process, before any cluster
        same = dask_seconds = None
        if dask:
            from policynlp.cluster import connect

            t1 = time.perf_counter()
            with connect("local", n_workers=2) as client:
                on_cluster = find_reuse(docs, client=client)
            dask_seconds = round(time.perf_counter() - t1, 1)
            same = r.pairs.equals(on_cluster.pairs) and r.passages.equals(on_cluster.passages)
        if keep:  # the passages and the truth, to read the misses
            Path(keep).mkdir(parents=True, exist_ok=True)
            r.passages.to_parquet(f"{keep}/passages_{n}.parquet")
            truth.to_parquet(f"{keep}/truth_{n}.parquet")
            shutil.copy(corpus, f"{keep}/corpus_{n}.parquet")
    out = {"docs": n, "streamed": not in_memory, "chars": chars, "seconds": round(seconds, 1),
           "peak_mb": round(peak / 1024), "before_mb": round(base / 1024), "pairs": len(r.pairs)}
    out.update(evaluate(truth, r))
    if same is not None:
        out["dask_seconds"], out["dask_identical"] = dask_seconds, same
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--dask", action="store_true")
    ap.add_argument("--in-memory", action="store_true", help="load the corpus as a DataFrame instead of streaming it")
    ap.add_argument("--keep", help="write the passages, the truth and the corpus of each size to this folder")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one, args.dask, args.in_memory, args.keep)))
        return
    rows = []
    for n in args.sizes:
        cmd = ([sys.executable, __file__, "--one", str(n)] + (["--dask"] if args.dask else [])
               + (["--in-memory"] if args.in_memory else []) + (["--keep", args.keep] if args.keep else []))
        res = subprocess.run(cmd, capture_output=True, text=True, check=True)
        rows.append(json.loads(res.stdout.strip().splitlines()[-1]))
        print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    print(table.to_string(index=False))
    if len(table) > 1:
        slope = np.polyfit(np.log(table["docs"]), np.log(table["seconds"]), 1)[0]
        print(f"time ~ n^{slope:.2f}")


if __name__ == "__main__":
    main()
