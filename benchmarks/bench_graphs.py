"""Networks: sparse keyword co-occurrence vs a plain Python pair count; our GEXF writer vs networkx.write_gexf.

Both comparisons run in this process on the same input.  Peak memory is the
peak of traced Python allocations (tracemalloc) for each side.
"""

from __future__ import annotations

import argparse
import json
import time
import tracemalloc
from collections import Counter
from itertools import combinations


def timed(fn):
    """Wall time of one call (no tracing: tracemalloc slows allocation-heavy code unevenly)."""
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def peak(fn):
    """Peak traced Python memory of one call, in a separate run."""
    tracemalloc.start()
    fn()
    p = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return p


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", default="../shared/corpora/mee_2018_2023.jsonl")
    ap.add_argument("--nodes", type=int, default=50_000)
    ap.add_argument("--edges", type=int, default=500_000)
    ap.add_argument("--gexf-schema", default="../shared/gexf-schema/1.3/gexf.rng")
    args = ap.parse_args(argv)

    import networkx as nx
    import numpy as np
    import scipy.sparse as sp

    from policynlp import Segmenter
    from policynlp.export import write_gexf
    from policynlp.features import TermVectorizer
    from policynlp.graphs import cooccurrence_graph

    texts = [json.loads(line)["text"] for line in open(args.corpus, encoding="utf-8")]
    tokens = Segmenter().segment(texts, progress=False)
    vocab = TermVectorizer(min_df=5).fit(tokens).vocabulary_
    docs = [sorted({t for t in d if t in vocab}) for d in tokens["tokens"]]

    def python_pairs():  # the baseline: count every pair of distinct terms per document
        c = Counter()
        for d in docs:
            c.update(combinations(d, 2))
        return {k: v for k, v in c.items() if v >= 2}

    def python_graph():  # …and build the same graph from the counts
        G = nx.Graph()
        G.add_edges_from((f"term:{a}", f"term:{b}", {"weight": float(w)}) for (a, b), w in python_pairs().items())
        return G

    def sparse_counts():  # our counting step alone: Xᵀ·X on the binary document-term matrix
        X = TermVectorizer(min_df=5, weighting="binary").fit_transform(tokens).astype(np.float64)
        C = sp.triu(X.T @ X, k=1).tocoo()
        keep = C.data >= 2
        return C.row[keep], C.col[keep], C.data[keep]

    rows = []
    ours_t, _ = timed(sparse_counts)
    base_t, pairs = timed(python_pairs)
    ours_m, base_m = peak(sparse_counts), peak(python_pairs)
    rows.append(("count co-occurring term pairs: sparse Xᵀ·X vs Python pair counting", ours_t, base_t, ours_m, base_m))
    ours_t, G = timed(lambda: cooccurrence_graph(tokens, min_df=5, min_weight=2))
    base_t, _ = timed(python_graph)
    assert G.number_of_edges() == len(pairs), (G.number_of_edges(), len(pairs))
    ours_m, base_m = peak(lambda: cooccurrence_graph(tokens, min_df=5, min_weight=2)), peak(python_graph)
    rows.append(("count and build the networkx graph: cooccurrence_graph vs the same in plain Python", ours_t, base_t, ours_m, base_m))
    print(f"corpus: {args.corpus} — {len(texts)} documents, {len(vocab):,} terms (min_df 5), "
          f"{G.number_of_edges():,} co-occurrence edges (count ≥ 2)")

    rng = np.random.default_rng(0)
    R = nx.gnm_random_graph(args.nodes, args.edges, seed=0)
    R = nx.relabel_nodes(R, {i: f"term:词{i}" for i in R.nodes})
    for n in R.nodes:
        R.nodes[n].update(label=n[5:], kind="term", count=int(rng.integers(1, 100)))
    for u, v in R.edges:
        R.edges[u, v]["weight"] = float(rng.integers(1, 20))
    ours_t, _ = timed(lambda: write_gexf(R, "/tmp/bench_ours.gexf"))
    base_t, _ = timed(lambda: nx.write_gexf(R, "/tmp/bench_nx.gexf"))
    ours_m, base_m = peak(lambda: write_gexf(R, "/tmp/bench_ours.gexf")), peak(lambda: nx.write_gexf(R, "/tmp/bench_nx.gexf"))
    rows.append((f"write GEXF, {args.nodes:,} nodes / {args.edges:,} edges: write_gexf vs networkx.write_gexf",
                 ours_t, base_t, ours_m, base_m))
    print()
    print("| task | policynlp (s) | baseline (s) | speed-up | peak traced memory, ours / baseline (MB) |")
    print("|---|---:|---:|---:|---:|")
    for name, o, b, om, bm in rows:
        print(f"| {name} | {o:.2f} | {b:.2f} | {b / o:.1f}× | {om / 1e6:.0f} / {bm / 1e6:.0f} |")
    try:
        from lxml import etree

        rng_schema = etree.RelaxNG(etree.parse(args.gexf_schema))
        ok_ours = rng_schema.validate(etree.parse("/tmp/bench_ours.gexf"))
        nx13 = open("/tmp/bench_nx.gexf", encoding="utf-8").read()
        print(f"\nschema-valid (GEXF 1.3 RelaxNG): ours {ok_ours}; networkx's file (written as 1.2draft by "
              f"default, version {'1.3' if 'gexf.net/1.3' in nx13 else '1.2draft'}) is checked in tests/test_export.py")
    except (OSError, ImportError) as exc:
        print(f"(schema check skipped: {exc})")


if __name__ == "__main__":
    main()
