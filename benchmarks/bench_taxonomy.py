"""Domain coding of real full texts against labels fixed before the classifier ran.

- Accuracy and Cohen's κ of ``TaxonomyClassifier("cn_policy_domains")`` on State
  Council regulations hand-coded by subject category (benchmarks/labels/: a
  held-out set of 60, coded after the seed terms were written, and the 80 whose
  titles the coder saw while writing them), for seed weighting ``idf`` and
  ``flat`` and for the coding units ``document`` and ``clause``.  An unassigned
  document counts as wrong.
- The domain distribution on both shared corpora with the general taxonomy and
  with ``smart_city_2017``, and :func:`taxonomy_fit`'s verdict on each.

Run from the repository root with ../shared present.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent


def score(corpus, labels, **params):
    from policynlp.taxonomy import TaxonomyClassifier, agreement

    dom = TaxonomyClassifier("cn_policy_domains", **params).fit().document_domains(corpus)["domain"]
    pred = labels["id"].map(dom).fillna("").replace("", "(unassigned)")
    a = agreement(labels["label"], pred)
    return a, (pred == "(unassigned)").mean()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default="../shared/corpora")
    args = ap.parse_args(argv)

    from policynlp import read_corpus
    from policynlp.taxonomy import TaxonomyClassifier, taxonomy_fit

    shared = Path(args.shared)
    sc = read_corpus(shared / "state_council_regulations.jsonl", progress=False)
    sets = {"held-out (60)": pd.read_csv(HERE / "labels" / "sc_regulations_domains_heldout.csv"),
            "seen while writing seeds (80)": pd.read_csv(HERE / "labels" / "sc_regulations_domains.csv")}
    print("| labels | unit | weighting | accuracy | Cohen's κ | unassigned |")
    print("|---|---|---|---:|---:|---:|")
    for name, labels in sets.items():
        for unit in ("document", "clause"):
            for weighting in ("idf", "flat"):
                a, un = score(sc, labels, unit=unit, weighting=weighting)
                print(f"| {name} | {unit} | {weighting} | {a['accuracy']:.2f} | {a['kappa']:.2f} | {un:.0%} |", flush=True)

    print("\nDomain distribution (documents, unit = document):\n")
    for path in ("mee_2018_2023.jsonl", "state_council_regulations.jsonl"):
        corpus = sc if path.startswith("state") else read_corpus(shared / path, progress=False)
        for tx, group in (("cn_policy_domains", None), ("smart_city_2017", "core")):
            dom = TaxonomyClassifier(tx, group=group, unit="document").fit().document_domains(corpus)["domain"]
            counts = dom.replace("", "(unassigned)").value_counts()
            top = ", ".join(f"{k} {v}" for k, v in counts.head(6).items())
            verdict = taxonomy_fit(dom, taxonomy=tx) or "fits"
            print(f"- {path}, {tx}: {top} … — {verdict}")


if __name__ == "__main__":
    main()
