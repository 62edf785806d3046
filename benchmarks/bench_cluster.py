"""Throughput on 1 and 2 workers: processes and a 2-worker Dask LocalCluster, against raw jieba.lcut.

All variants run in this process on the same texts (the two shared real corpora,
repeated ``--repeat`` times, or synthetic documents), best of ``--rounds`` each:

- raw ``jieba.lcut`` in this process — the baseline every ratio refers to;
- ``Segmenter.segment`` in this process (1 worker) and with ``n_jobs=2`` processes;
- ``Segmenter.segment(client=...)`` on LocalClusters of 1 and 2 worker processes, and the
  streaming path ``segment_parquet`` (Parquet in, Parquet out) on the same cluster;
- ingest (``read_corpus`` of a JSONL manifest, normalised) and co-occurrence counting,
  in one process and on the cluster.

"Per worker" divides a ratio by the number of workers: the issue's target is ≥ 0.85×
raw jieba per worker.

    python benchmarks/bench_cluster.py
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "corpora"


def best(fn, rounds):
    times = []
    out = None
    for _ in range(rounds):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=2, help="copies of the real corpora (more text, steadier figures)")
    ap.add_argument("--synthetic", type=int, default=0, help="use this many synthetic documents instead")
    ap.add_argument("--engine", choices=["rjieba", "jieba"], default="rjieba", help="the Segmenter's engine")
    args = ap.parse_args(argv)

    import jieba

    from policynlp import Segmenter, read_corpus
    from policynlp.cluster import connect
    from policynlp.graphs import cooccurrence_graph

    tmp = Path(tempfile.mkdtemp())
    if args.synthetic:
        from policynlp.synthetic import iter_synthetic

        records = [{"id": d.id, "title": d.title, "text": d.text} for d in iter_synthetic(args.synthetic, seed=0)]
        source = f"{args.synthetic:,} synthetic documents"
    else:
        records = []
        for name in ("mee_2018_2023.jsonl", "state_council_regulations.jsonl"):
            with open(SHARED / name, encoding="utf-8") as fh:
                records.extend(json.loads(line) for line in fh)
        records = [dict(r, id=f"{k}-{r.get('id', i)}") for k in range(args.repeat) for i, r in enumerate(records)]
        source = f"the two shared corpora × {args.repeat} ({len(records):,} documents)"
    texts = [r["text"] for r in records]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    manifest = tmp / "corpus.jsonl"
    with open(manifest, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    corpus = read_corpus(manifest, progress=False)
    corpus.to_parquet(tmp / "corpus.parquet")

    jieba.setLogLevel(60)
    jieba.lcut("预热")
    raw, _ = best(lambda: [jieba.lcut(t) for t in texts], args.rounds)
    seg = Segmenter(engine=args.engine)
    rows = []

    def add(name, workers, seconds):
        rows.append((name, workers, seconds, mb / seconds, raw / seconds, raw / seconds / workers))

    add("raw jieba.lcut (baseline)", 1, raw)
    seg.segment(texts[:20])
    one, local_tokens = best(lambda: seg.segment(corpus, progress=False), args.rounds)
    add("Segmenter, 1 process", 1, one)
    two, _ = best(lambda: seg.segment(corpus, n_jobs=2, progress=False), args.rounds)
    add("Segmenter, n_jobs=2 processes", 2, two)
    ingest_one, _ = best(lambda: read_corpus(manifest, normalize=True, progress=False), args.rounds)
    tokens = local_tokens
    cooc_one, g1 = best(lambda: cooccurrence_graph(tokens, min_df=5, top_n=2000), args.rounds)
    with connect("local", n_workers=1) as client:
        seg.segment(texts[:50], client=client)  # the worker builds its tokenizer once, here
        dask1, _ = best(lambda: seg.segment(corpus, client=client, progress=False), args.rounds)
        add("Segmenter on a 1-worker LocalCluster", 1, dask1)
    with connect("local", n_workers=2) as client:
        seg.segment(texts[:50], client=client)
        dask_t, dask_tokens = best(lambda: seg.segment(corpus, client=client, progress=False), args.rounds)
        add("Segmenter on a 2-worker LocalCluster", 2, dask_t)
        stream_t, _ = best(lambda: seg.segment_parquet(tmp / "corpus.parquet", tmp / "tokens.parquet", client=client,
                                                       batch_size=5000, progress=False), args.rounds)
        add("segment_parquet (streaming) on the LocalCluster", 2, stream_t)
        ingest_dask, c2 = best(lambda: read_corpus(manifest, normalize=True, progress=False, client=client), args.rounds)
        cooc_dask, g2 = best(lambda: cooccurrence_graph(tokens, min_df=5, top_n=2000, client=client), args.rounds)
    assert dask_tokens.equals(local_tokens), "the cluster must give the same tokens"
    assert sorted(g1.edges(data=True)) == sorted(g2.edges(data=True))

    print(f"{source}: {mb:.1f} MB of text; best of {args.rounds}; this machine: {os.cpu_count()} cores")
    print()
    print("| segmentation | workers | seconds | MB/s | × raw jieba | × raw jieba per worker |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, w, s, rate, ratio, per in rows:
        print(f"| {name} | {w} | {s:.2f} | {rate:.1f} | {ratio:.2f} | {per:.2f} |")
    print()
    print(f"speed-up of 2 workers over 1: processes {one / two:.2f}×, LocalCluster {dask1 / dask_t:.2f}× "
          f"(engine {args.engine})")
    print()
    print("| step | 1 process (s) | 2-worker LocalCluster (s) | speed-up |")
    print("|---|---:|---:|---:|")
    print(f"| ingest (read_corpus + normalise) | {ingest_one:.2f} | {ingest_dask:.2f} | {ingest_one / ingest_dask:.2f}× |")
    print(f"| co-occurrence (distributed vocabulary + counting) | {cooc_one:.2f} | {cooc_dask:.2f} | {cooc_one / cooc_dask:.2f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
