"""Segmentation throughput: policynlp's Segmenter against raw jieba.lcut on the same texts.

Runs every variant in this process, interleaved over several rounds, and
reports the best time of each as MB/s and as a ratio to raw jieba.  Peak
memory is the peak of traced Python allocations per variant (tracemalloc) and
the process's peak resident size at the end.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import tracemalloc


def load_texts(path, limit=None):
    texts = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            texts.append(json.loads(line)["text"])
            if limit and len(texts) >= limit:
                break
    return texts


def timed(fn, trace=False):
    if trace:
        tracemalloc.start()
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    peak = 0
    if trace:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return dt, peak, out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", default="../shared/corpora/mee_2018_2023.jsonl")
    ap.add_argument("--limit", type=int, default=None, help="use only the first N documents")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)

    import jieba

    from policynlp import Segmenter

    texts = load_texts(args.corpus, args.limit)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    jieba.setLogLevel(60)  # benchmark script only: silence jieba's dictionary-loading chatter
    jieba.lcut("预热")  # load the dictionary outside the timings
    ours = Segmenter()
    ours.cut("预热")
    ref = Segmenter(engine="jieba")
    ref.cut("预热")

    variants = {
        "raw jieba.lcut": lambda: [jieba.lcut(t) for t in texts],
        "Segmenter (rjieba), 1 process": lambda: ours.segment(texts, progress=False),
        "Segmenter (rjieba), 2 processes": lambda: ours.segment(texts, n_jobs=2, chunk_size=100, progress=False),
        "Segmenter (engine=jieba), 1 process": lambda: ref.segment(texts, progress=False),
        "Segmenter (engine=jieba), 2 processes": lambda: ref.segment(texts, n_jobs=2, chunk_size=100, progress=False),
    }
    best = {k: float("inf") for k in variants}
    peaks = {}
    for r in range(args.rounds):
        for name, fn in variants.items():
            dt, peak, _ = timed(fn, trace=(r == 0))
            best[name] = min(best[name], dt)
            if r == 0:
                peaks[name] = peak
    base = best["raw jieba.lcut"]
    print(f"corpus: {args.corpus} — {len(texts)} documents, {mb:.1f} MB UTF-8; best of {args.rounds} interleaved rounds")
    print(f"python {sys.version.split()[0]}")
    print()
    print("| variant | seconds | MB/s | × raw jieba | peak traced Python memory (MB) |")
    print("|---|---:|---:|---:|---:|")
    for name in variants:
        print(f"| {name} | {best[name]:.2f} | {mb / best[name]:.1f} | {base / best[name]:.2f} | {peaks[name] / 1e6:.0f} |")
    print()
    print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
