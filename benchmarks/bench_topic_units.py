"""Which unit of analysis should topic models use?  Documents, paragraphs, clauses and sentences compared.

For each corpus and unit: the units are segmented with the default Segmenter,
then gensim LDA is fitted with K topics for three seeds (TopicModel defaults)
and scored the standard way:

- c_v: gensim ``CoherenceModel`` (Röder et al. 2015) on the top 10 terms of each
  topic, with the paragraph term streams of the corpus as the common reference
  texts for every unit, so that the units are compared on the same texts;
- stability: mean best-match Jaccard of top-10 term sets between the seeds
  (Greene et al. 2014);
- junk: share of top-10 terms that are single characters, Latin letters or
  digits only, or in the bundled function-word or administrative-verb tiers.
  (Fixed before any output was read.)

With ``--tiers`` the paragraph models are also fitted without the
administrative-verb tier, to measure what the tier does.  With
``--tier-effects`` only document models are fitted, once per cumulative set
of stopword tiers (none; function words; + boilerplate and forms of address,
the Segmenter's default; + administrative verbs, the topic default), the
corpus and the reference paragraphs segmented anew for each.  A last section times
TopicModel against gensim ``LdaModel`` called directly on the same paragraph
counts (same K, passes, iterations, chunk size, seed): the ratio is the
overhead of our wrapper.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time

_LATIN = re.compile(r"^[0-9A-Za-z._\-]+$")


def junk_share(words, junk):
    flat = [w for topic in words for w in topic]
    return sum(len(w) < 2 or bool(_LATIN.match(w)) or w in junk for w in flat) / len(flat)


def evaluate(name, tokens, ref, k, seeds, junk, **params):
    from policynlp.topics import TopicModel, topic_stability

    models, cvs, secs = [], [], []
    for s in seeds:
        t0 = time.perf_counter()
        tm = TopicModel(k, random_state=s, **params).fit(tokens)
        secs.append(time.perf_counter() - t0)
        cvs.append(tm.coherence(ref, measure="c_v")[0])
        models.append(tm.topic_words(10))
    row = {"run": name, "units": len(tokens), "c_v": statistics.mean(cvs), "c_v_sd": statistics.pstdev(cvs),
           "stability": topic_stability(models), "junk": statistics.mean(junk_share(m, junk) for m in models),
           "fit_s": statistics.mean(secs), "example": " ".join(models[0][0][:6])}
    print(f"| {row['run']} | {row['units']:,} | {row['c_v']:.3f} ± {row['c_v_sd']:.3f} | {row['stability']:.2f} | "
          f"{row['junk']:.1%} | {row['fit_s']:.1f} | {row['example']} |", flush=True)
    return row


def bare_gensim_ratio(tokens, k, rounds=3):
    """TopicModel.fit against LdaModel on the same counts and settings (best of ``rounds``)."""
    from gensim.matutils import Sparse2Corpus
    from gensim.models import LdaModel

    from policynlp.topics import TopicModel

    tm = TopicModel(k, random_state=0)

    def ours():
        TopicModel(k, random_state=0).fit(tokens)

    def bare():
        # what a user writes by hand: vectorise (here: reuse ours), then LdaModel with the same settings
        tv2, c2 = TopicModel(k, random_state=0).count(tokens)
        c2 = c2.tocsr()
        c2.sort_indices()
        LdaModel(Sparse2Corpus(c2, documents_columns=False), id2word=tv2.to_gensim_dictionary(), num_topics=k,
                 passes=tm.passes, iterations=tm.iterations, chunksize=tm.chunksize, random_state=0, eval_every=None)

    best = {}
    for name, fn in (("ours", ours), ("bare", bare)):
        times = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        best[name] = min(times)
    return best["ours"], best["bare"]


def tier_effects(args):
    from policynlp import Segmenter, read_corpus
    from policynlp.lexicon import load_stopwords
    from policynlp.text.units import units_frame

    corpora = args.corpus or ["../shared/corpora/mee_2018_2023.jsonl", "../shared/corpora/state_council_regulations.jsonl"]
    seeds = [int(s) for s in args.seeds.split(",")]
    junk = load_stopwords("function") | load_stopwords("admin")
    steps = [("no stopwords", None, None), ("function words", sorted(load_stopwords("function")), None),
             ("+ boilerplate, address (segmenter default)", "policy", None), ("+ administrative verbs (topic default)", "policy", "admin")]
    for path in corpora:
        corpus = read_corpus(path, progress=False)
        paragraphs = units_frame(corpus, "paragraph")
        print(f"\n{path}: documents, K = {args.k}, seeds {seeds}; c_v reference: the paragraphs, segmented like the "
              "model's input (the model's own texts)\n")
        print("| stopwords | units | c_v (mean ± sd) | stability | junk in top 10 | fit s | topic 1 |")
        print("|---|---:|---:|---:|---:|---:|---|")
        for name, seg_stop, topic_stop in steps:
            seg = Segmenter(stopwords=seg_stop)
            evaluate(name, seg.segment(corpus, progress=False), seg.segment(paragraphs, progress=False), args.k, seeds,
                     junk, stopwords=topic_stop)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", action="append", help="a JSONL corpus (repeatable); default: both shared corpora")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--units", default="document,paragraph,clause,sentence")
    ap.add_argument("--tiers", action="store_true", help="also fit paragraphs without the administrative-verb tier")
    ap.add_argument("--rounds", type=int, default=3, help="rounds for the TopicModel-vs-gensim timing")
    ap.add_argument("--tier-effects", action="store_true", help="document models under each cumulative stopword tier")
    args = ap.parse_args(argv)
    if args.tier_effects:
        return tier_effects(args)

    from policynlp import Segmenter, read_corpus
    from policynlp.lexicon import load_stopwords
    from policynlp.text.units import units_frame

    corpora = args.corpus or ["../shared/corpora/mee_2018_2023.jsonl", "../shared/corpora/state_council_regulations.jsonl"]
    seeds = [int(s) for s in args.seeds.split(",")]
    junk = load_stopwords("function") | load_stopwords("admin")
    seg = Segmenter()
    for path in corpora:
        corpus = read_corpus(path, progress=False)
        para = seg.segment(units_frame(corpus, "paragraph"), progress=False)
        print(f"\n{path}: {len(corpus):,} documents; K = {args.k}; seeds {seeds}; c_v reference: "
              f"{len(para):,} paragraphs\n")
        print("| unit | units | c_v (mean ± sd) | stability | junk in top 10 | fit s | topic 1 |")
        print("|---|---:|---:|---:|---:|---:|---|")
        for unit in args.units.split(","):
            tokens = para if unit == "paragraph" else seg.segment(units_frame(corpus, unit), progress=False)
            evaluate(unit, tokens, para, args.k, seeds, junk)
            if unit == "paragraph" and args.tiers:
                evaluate("paragraph, no admin tier", tokens, para, args.k, seeds, junk, stopwords=None)
                evaluate("document, no admin tier", seg.segment(corpus, progress=False), para, args.k, seeds, junk,
                         stopwords=None)
        ours, bare = bare_gensim_ratio(para, args.k, args.rounds)
        print(f"\nTopicModel.fit vs gensim LdaModel on the same {len(para):,} paragraphs (best of {args.rounds}): "
              f"{ours:.1f} s vs {bare:.1f} s, ratio {ours / bare:.2f}×")


if __name__ == "__main__":
    main()
