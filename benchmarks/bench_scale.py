"""Streaming at scale: ingest and segmentation of 10k, 100k and 1M synthetic documents in flat memory.

For each size a synthetic JSONL manifest is written (deterministic, seed 0), then

1. ``policynlp ingest syn.jsonl -o corpus.parquet`` streams it into a corpus Parquet file, and
2. ``policynlp segment corpus.parquet -o tokens.parquet`` streams that into tokens,

each in its own process, whose peak resident memory is read from ``wait4`` (that
process alone).  Raw ``jieba.lcut`` runs on the smallest corpus's texts in this
process for the throughput ratio.

    python benchmarks/bench_scale.py --sizes 10000,100000,1000000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_child(cmd):
    """Seconds and peak RSS (MB) of one child process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    dt = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return dt, usage.ru_maxrss / 1024


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--batch-size", type=int, default=5000)
    ap.add_argument("--keep", help="folder to keep the corpora in (default: a temporary folder)")
    args = ap.parse_args(argv)

    from policynlp.synthetic import write_synthetic

    tmp = Path(args.keep or tempfile.mkdtemp())
    tmp.mkdir(parents=True, exist_ok=True)
    py = [sys.executable, "-m", "policynlp"]
    rows = []
    for n in [int(x) for x in args.sizes.split(",")]:
        src = write_synthetic(tmp / f"syn{n}.jsonl", n, seed=0)
        mb = src.stat().st_size / 1e6
        t_ing, m_ing = run_child(py + ["ingest", str(src), "-o", str(tmp / f"corpus{n}.parquet"),
                                       "--batch-size", str(args.batch_size), "--no-progress"])
        t_seg, m_seg = run_child(py + ["segment", str(tmp / f"corpus{n}.parquet"), "-o", str(tmp / f"tokens{n}.parquet"),
                                       "--batch-size", str(args.batch_size), "--no-progress"])
        rows.append((n, mb, t_ing, m_ing, t_seg, m_seg))
        print(f"{n:,}: ingest {t_ing:.1f} s {m_ing:.0f} MB; segment {t_seg:.1f} s {m_seg:.0f} MB", flush=True)

    import jieba

    jieba.setLogLevel(60)
    n0 = rows[0][0]
    with open(tmp / f"syn{n0}.jsonl", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh]
    text_mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    jieba.lcut("预热")
    t0 = time.perf_counter()
    for t in texts:
        jieba.lcut(t)
    raw = time.perf_counter() - t0

    print(f"\nsynthetic corpora (seed 0), batches of {args.batch_size}; each step in its own process\n")
    print("| documents | JSONL | ingest (s) | ingest peak RSS | segment (s) | segment MB/s of text | segment peak RSS |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n, mb, t_ing, m_ing, t_seg, m_seg in rows:
        seg_mb = text_mb * n / n0
        print(f"| {n:,} | {mb:,.0f} MB | {t_ing:.1f} | {m_ing:.0f} MB | {t_seg:.1f} | {seg_mb / t_seg:.1f} | {m_seg:.0f} MB |")
    print(f"\nraw jieba.lcut on the {n0:,} texts ({text_mb:.1f} MB) in this process: {raw:.1f} s "
          f"({text_mb / raw:.2f} MB/s); streaming segmentation of the same texts, start-up included: "
          f"{raw / rows[0][4]:.1f}× raw jieba")
    if len(rows) > 1:
        print(f"peak memory, {rows[-1][0]:,} vs {n0:,} documents: ingest {rows[-1][3] / rows[0][3]:.2f}×, "
              f"segment {rows[-1][5] / rows[0][5]:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
