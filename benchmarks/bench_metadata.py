"""Metadata read from the text: issuers and dates of the shared corpora ingested without their metadata columns.

Writes each corpus of ``../shared/corpora`` again without its metadata columns
(MEE: issuer_hint, year, url; State Council regulations: date, category, path),
ingests it, and compares what the text gave with the removed columns.  Prints
coverage, the source of each issuer and date, and agreement.

Run from the repository root::

    python benchmarks/bench_metadata.py
"""

import argparse
import json
import re
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

from policynlp import read_corpus
from policynlp.meta import parse_doc_number


def without(src, columns, dst):
    rows = [json.loads(line) for line in open(src, encoding="utf-8")]
    with open(dst, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps({k: v for k, v in r.items() if k not in columns}, ensure_ascii=False) + "\n")
    return {r["id"]: r for r in rows}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", default="../shared/corpora")
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    tmp = Path(tempfile.mkdtemp())
    for name, drop in (("mee_2018_2023.jsonl", ("issuer_hint", "year", "url")),
                       ("state_council_regulations.jsonl", ("date", "category", "path"))):
        gold = without(Path(args.corpora) / name, drop, tmp / name)
        t0 = time.perf_counter()
        corpus = read_corpus(tmp / name, progress=False)
        seconds = time.perf_counter() - t0
        n = len(corpus)
        with_issuers = sum(1 for d in corpus if d.issuers)
        dated = [d for d in corpus if d.date]
        print(f"{name}: {n} documents ingested in {seconds:.1f} s")
        print(f"  issuers from the text: {with_issuers} ({with_issuers / n:.1%}); sources "
              f"{dict(Counter(d.extra.get('issuer_source', '') for d in corpus).most_common())}")
        print(f"  dates from the text: {len(dated)} ({len(dated) / n:.1%}); sources "
              f"{dict(Counter(d.extra.get('date_source', '') for d in corpus).most_common())}")
        numbered = [(d, parse_doc_number(d.doc_number)) for d in dated if d.doc_number]
        numbered = [(d, p) for d, p in numbered if p is not None and p.year]
        agree = sum(1 for d, p in numbered if int(d.date[:4]) == p.year)
        print(f"  date year = its own 文号's year: {agree} of {len(numbered)} with both "
              f"({agree / max(1, len(numbered)):.1%})")
        if name.startswith("mee"):
            right = sum(1 for d in corpus if d.issuers and (d.issuers[0] in ("生态环境部", "国家核安全局")
                                                            or {"生态环境部", "环境保护部"} & set(d.issuers)))
            same_year = sum(1 for d in dated if int(d.date[:4]) == gold[d.id]["year"])
            strict = sum(1 for d in corpus if d.issuers and d.issuers[0] == "生态环境部")
            print(f"  lead issuer = the site's issuer (strict): {strict} ({strict / n:.1%})")
            print(f"  issuers right against the site: {right} ({right / n:.1%}); "
                  f"date year = site year: {same_year} ({same_year / n:.1%} of all, {same_year / len(dated):.1%} of dated)")
        else:
            leads = Counter(d.issuers[0] for d in corpus if d.issuers)
            print(f"  lead issuers: {dict(leads.most_common(6))}")
            # gold: the corpus's category. An administrative regulation (行政法规) is the State Council's: right when
            # 国务院 (or 政务院, its predecessor to 1954) is among the issuers; a ministry's rule (部门规章) when
            # the lead issuer is a body other than the State Council.  Leniently, an older regulation whose header
            # says the State Council approved it and names the body that published it (1993年12月12日 国务院批准 /
            # 1993年12月23日 财政部令第6号发布) is right with that body (a rule set after reading the output).
            strict = lenient = 0
            for d in corpus:
                if gold[d.id]["category"] == "行政法规":
                    ok = bool({"国务院", "政务院"} & set(d.issuers))
                    approved = bool(re.search(r"(?:国务院|政务院)[^\n]{0,8}批准", d.text[:400])) and bool(d.issuers)
                    strict, lenient = strict + ok, lenient + (ok or approved)
                else:
                    ok = bool(d.issuers) and d.issuers[0] not in ("国务院", "政务院")
                    strict, lenient = strict + ok, lenient + ok
            print(f"  issuers right against the category: {strict} ({strict / n:.1%}) strictly, {lenient} "
                  f"({lenient / n:.1%}) with approved regulations published by a ministry")
            # the removed `date` is the date of the version (latest revision); the text's header gives the first
            # promulgation, so only documents never revised can agree
            same = sum(1 for d in dated if gold[d.id].get("date", "")[:4] == d.date[:4])
            print(f"  promulgation year = the version date's year: {same} of {len(dated)} dated")
            # the version in the corpus is the latest revision the header lists, else the promulgation
            versioned = [(d, d.extra.get("latest_revision") or d.date) for d in corpus if d.extra.get("latest_revision") or d.date]
            exact = sum(1 for d, v in versioned if gold[d.id].get("date", "") == v)
            year = sum(1 for d, v in versioned if gold[d.id].get("date", "")[:4] == v[:4])
            revised = sum(1 for d in corpus if d.extra.get("latest_revision"))
            print(f"  revisions read from the header: {revised} documents; version date (latest revision, else "
                  f"promulgation) = the corpus's date: {exact} of {len(versioned)} exactly ({exact / len(versioned):.1%}), "
                  f"{year} by year ({year / len(versioned):.1%}); {len(versioned) / n:.1%} of the documents have one")


if __name__ == "__main__":
    main()
