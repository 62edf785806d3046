"""Streaming segmentation at scale: peak memory at 10k vs 100k synthetic documents, and throughput vs raw jieba.

Each size is segmented by `policynlp segment corpus.parquet -o tokens.parquet` in its own
process (so peak resident memory is that run's alone); raw `jieba.lcut` runs on the
10k texts in this process for the throughput ratio.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def child_peak_rss(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    dt = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return dt, max(after, before) / 1024  # MB (ru_maxrss of the largest child so far)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--batch-size", type=int, default=5000)
    args = ap.parse_args(argv)
    import pyarrow.parquet as pq

    from policynlp.synthetic import write_synthetic

    tmp = Path(tempfile.mkdtemp())
    rows = []
    for n in [int(x) for x in args.sizes.split(",")]:
        src = write_synthetic(tmp / f"syn{n}.parquet", n, seed=0)
        mb = sum(len(t.encode("utf-8")) for b in pq.ParquetFile(src).iter_batches(columns=["text"])
                 for t in b.column("text").to_pylist()) / 1e6
        dt, rss = child_peak_rss([sys.executable, "-m", "policynlp", "segment", str(src), "-o", str(tmp / f"tok{n}.parquet"),
                                  "--batch-size", str(args.batch_size), "--no-progress"])
        rows.append((n, mb, dt, rss))
    # raw jieba on the smallest set, in this process
    import jieba

    jieba.setLogLevel(60)
    texts = [t for b in pq.ParquetFile(tmp / f"syn{rows[0][0]}.parquet").iter_batches(columns=["text"]) for t in b.column("text").to_pylist()]
    jieba.lcut("预热")
    t0 = time.perf_counter()
    for t in texts:
        jieba.lcut(t)
    raw = time.perf_counter() - t0
    print(f"synthetic corpora (seed 0), streamed in batches of {args.batch_size}; each size in its own process")
    print()
    print("| documents | text (MB) | seconds (incl. start-up) | MB/s | peak RSS (MB) |")
    print("|---:|---:|---:|---:|---:|")
    for n, mb, dt, rss in rows:
        print(f"| {n:,} | {mb:.0f} | {dt:.1f} | {mb / dt:.1f} | {rss:.0f} |")
    n0, mb0, dt0, rss0 = rows[0]
    print(f"\nraw jieba.lcut on the {n0:,} texts in this process: {raw:.1f} s ({mb0 / raw:.1f} MB/s); "
          f"streaming segmentation is {raw / dt0:.1f}× raw jieba including process start-up")
    if len(rows) > 1:
        print(f"peak memory ratio {rows[-1][0]:,} vs {n0:,} documents: {rows[-1][3] / rss0:.2f}×")


if __name__ == "__main__":
    main()
