"""Topic models and vectorisation: policynlp against the libraries called directly, in one process.

- TermVectorizer.fit_transform vs scikit-learn CountVectorizer with a pre-tokenised analyzer;
- TopicModel(method=...) vs gensim LdaModel / scikit-learn LDA and NMF on the same matrix and settings;
- c_v and u_mass coherence and wall time for K = 10, 20, 30 (sweep with a shared accumulator),
  and the same coherence computed model by model, to show what sharing saves.
"""

from __future__ import annotations

import argparse
import json
import time


def best_of(fn, rounds):
    best = float("inf")
    out = None
    for _ in range(rounds):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", default="../shared/corpora/mee_2018_2023.jsonl")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--k", type=int, default=10)
    args = ap.parse_args(argv)

    from gensim.models import LdaModel
    from sklearn.decomposition import NMF, LatentDirichletAllocation
    from sklearn.feature_extraction.text import CountVectorizer

    from policynlp import Segmenter
    from policynlp.features import TermVectorizer, matrix_to_bow
    from policynlp.topics import TopicModel, sweep

    texts = [json.loads(line)["text"] for line in open(args.corpus, encoding="utf-8")]
    tokens = Segmenter().segment(texts, progress=False)
    n_tok = int(tokens["tokens"].map(len).sum())
    print(f"corpus: {args.corpus} — {len(texts)} documents, {n_tok:,} tokens; best of {args.rounds} rounds")

    from policynlp.features import is_content_token

    lists = [list(t) for t in tokens["tokens"]]
    memo = {}

    def keep(t):  # what a careful user writes: our term filter, memoised
        k = memo.get(t)
        if k is None:
            k = memo[t] = len(t) >= 2 and is_content_token(t)
        return k

    def sk_counts():
        return CountVectorizer(analyzer=lambda d: [t for t in d if keep(t)], min_df=2, max_df=0.5).fit_transform(lists)

    prefiltered = [[t for t in d if keep(t)] for d in lists]
    ours_t, _ = best_of(lambda: TermVectorizer(min_df=2, max_df=0.5).fit_transform(tokens), args.rounds)
    base_t, _ = best_of(sk_counts, args.rounds)
    pre_t, _ = best_of(lambda: CountVectorizer(analyzer=lambda d: d, min_df=2, max_df=0.5).fit_transform(prefiltered), args.rounds)
    rows = [("vectorise: TermVectorizer vs CountVectorizer with a filtering pre-tokenised analyzer", ours_t, base_t),
            ("vectorise: TermVectorizer vs CountVectorizer on lists filtered beforehand (filtering not timed)", ours_t, pre_t)]

    tv = TermVectorizer(min_df=2, max_df=0.5)
    tv.fit_counts(tokens)
    dictionary = tv.to_gensim_dictionary()
    k = args.k

    def gensim_direct():
        c = sk_counts()
        bow = matrix_to_bow(c)
        m = LdaModel(bow, id2word=dictionary, num_topics=k, passes=5, iterations=50, random_state=0,
                     chunksize=500, eval_every=None)
        return m.inference(bow)[0]  # the documents' topic shares, as TopicModel.fit gives them

    ours_t, _ = best_of(lambda: TopicModel(k, random_state=0).fit(tokens), args.rounds)
    base_t, _ = best_of(gensim_direct, args.rounds)
    rows.append((f"gensim LDA K={k}, passes=5: TopicModel.fit vs CountVectorizer + LdaModel + inference", ours_t, base_t))
    ours_t, _ = best_of(lambda: TopicModel(k, method="lda", random_state=0).fit(tokens), args.rounds)
    base_t, _ = best_of(lambda: LatentDirichletAllocation(k, learning_method="batch", max_iter=10, random_state=0).fit_transform(sk_counts()), args.rounds)
    rows.append((f"scikit-learn LDA K={k}: TopicModel.fit vs CountVectorizer + LatentDirichletAllocation", ours_t, base_t))
    from sklearn.feature_extraction.text import TfidfTransformer

    ours_t, _ = best_of(lambda: TopicModel(k, method="nmf", random_state=0).fit(tokens), args.rounds)
    base_t, _ = best_of(lambda: NMF(k, init="nndsvda", random_state=0, max_iter=400).fit_transform(
        TfidfTransformer().fit_transform(sk_counts())), args.rounds)
    rows.append((f"NMF K={k}: TopicModel.fit vs CountVectorizer + tf-idf + NMF", ours_t, base_t))

    print()
    print("| task | policynlp (s) | library directly (s) | ratio |")
    print("|---|---:|---:|---:|")
    for name, ours, base in rows:
        print(f"| {name} | {ours:.2f} | {base:.2f} | {ours / base:.2f}× |")
    print("(Both sides start from the same token lists and produce the model and the documents' topic shares.)")

    t0 = time.perf_counter()
    table = sweep(tokens, [10, 20, 30], seeds=(0,), measures=("c_v", "u_mass"))
    shared = time.perf_counter() - t0
    t0 = time.perf_counter()
    for kk in (10, 20, 30):
        tm = TopicModel(kk, random_state=0).fit(tokens)
        tm.coherence(tokens, measure="c_v")
        tm.coherence(tokens, measure="u_mass")
    separate = time.perf_counter() - t0
    print()
    print("| K | c_v | u_mass | perplexity | fit (s) |")
    print("|---:|---:|---:|---:|---:|")
    for r in table.itertuples():
        print(f"| {r.k} | {r.c_v:.3f} | {r.u_mass:.3f} | {r.perplexity:.0f} | {r.fit_seconds:.1f} |")
    print(f"\nsweep K=10,20,30 with coherence from one shared accumulator: {shared:.1f} s; "
          f"the same fits with coherence model by model: {separate:.1f} s ({separate / shared:.2f}×)")


if __name__ == "__main__":
    main()
