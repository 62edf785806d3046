"""Reproduce the domain taxonomy of the founding paper (Sheng 2017) from the bundled data.

:func:`reproduce_paper` builds the taxonomy table (domain → documents, issuing
agencies, years, programmes and counts) from the catalogue, classifies every
catalogued policy into the paper's six domains from its title and summary
alone — the paper's labels are used only to score the result — and reports
the agreement, the instrument × domain matrix and a figure of the taxonomy
by year.
"""

import json
from pathlib import Path

import pandas as pd

from .datasets import load_smart_city_2017
from .taxonomy import TaxonomyClassifier, agreement, instrument_domain_matrix, load_taxonomy

__all__ = ["taxonomy_table", "classify_catalogue", "reproduce_paper"]


def taxonomy_table(catalogue, programmes, taxonomy="smart_city_2017"):
    """The paper's taxonomy as a table: one row per section.

    Columns: ``section, label, n_documents, documents, agencies, years, programmes``
    (programmes with their counts, e.g. ``国家智慧旅游试点城市 (18 cities)``).

    Examples
    --------
    >>> from policynlp.datasets import load_catalogue, load_programmes
    >>> t = taxonomy_table(load_catalogue(), load_programmes())
    >>> row = t.set_index("section").loc["tourism"]
    >>> int(row["n_documents"]), row["programmes"]
    (2, '国家智慧旅游试点城市 (18 cities)')
    """
    tx = load_taxonomy(taxonomy)
    labels = {d.key: d.zh for d in tx.domains}
    labels.update({"strategy": "战略规划", "pilots": "国家试点", "guidance": "指导与标准"})
    order = ["strategy", "pilots", "guidance", *tx.keys(group="core")]
    rows = []
    for sec in order:
        docs = catalogue[catalogue["section"] == sec]
        progs = programmes[programmes["section"] == sec]
        agencies = list(dict.fromkeys(a for s in docs["issuers"] for a in s.split(";") if a))
        years = sorted({d[:4] for d in docs["date"] if d})
        prog_text = "; ".join(
            f"{p.programme}{(' ' + p.batch) if p.batch else ''} ({p.count} {p.unit})" if pd.notna(p.count) else p.programme
            for p in progs.itertuples())
        rows.append({"section": sec, "label": labels.get(sec, sec), "n_documents": len(docs),
                     "documents": "；".join(docs["title"]), "agencies": ";".join(agencies),
                     "years": f"{years[0]}–{years[-1]}" if len(years) > 1 else (years[0] if years else ""),
                     "programmes": prog_text})
    return pd.DataFrame(rows)


def classify_catalogue(corpus, catalogue, *, taxonomy="smart_city_2017"):
    """Classify each catalogued policy into the six core domains from its title and summary.

    Returns
    -------
    DataFrame
        Indexed by id: ``title, section`` (the paper's), ``predicted, share``
        (the lexicon classifier's main domain and its share of the scores) and
        ``correct`` (for documents of the six domain sections; NA otherwise).
    """
    clf = TaxonomyClassifier(taxonomy, group="core", unit="document").fit()
    dd = clf.document_domains(corpus)
    cat = catalogue.set_index("id")
    out = pd.DataFrame({"title": cat["title"], "section": cat["section"]})
    out["predicted"] = dd["domain"].reindex(out.index).fillna("")
    out["share"] = dd["share"].reindex(out.index).round(3)
    domain_rows = out["section"].isin(clf.classes_)
    out["correct"] = pd.array([p == s if d else pd.NA for p, s, d in zip(out["predicted"], out["section"], domain_rows)],
                              dtype="boolean")
    return out


def reproduce_paper(out=None, *, figures=True):
    """Run the whole reproduction; write its tables and figures to ``out`` when given.

    Returns
    -------
    dict
        ``taxonomy`` (table), ``classification``, ``agreement`` (accuracy, κ,
        per-class table, confusion matrix), ``instruments`` (instrument × domain
        counts) and ``instrument_shares``.
    """
    catalogue, programmes, corpus = load_smart_city_2017()
    table = taxonomy_table(catalogue, programmes)
    cls = classify_catalogue(corpus, catalogue)
    dom = cls[cls["correct"].notna()]
    core = load_taxonomy("smart_city_2017").keys(group="core")
    agr = agreement(dom["section"], dom["predicted"], labels=core)
    counts, shares = instrument_domain_matrix(corpus)
    result = {"taxonomy": table, "classification": cls, "agreement": agr, "instruments": counts, "instrument_shares": shares}
    if out is not None:
        from .tables import write_table

        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        write_table(table, out / "taxonomy_table.csv", excel=True)
        write_table(cls.reset_index(), out / "classification.csv", excel=True)
        write_table(agr["confusion"].reset_index(), out / "confusion_matrix.csv", excel=True)
        write_table(agr["per_class"].reset_index(), out / "agreement_per_class.csv", excel=True)
        write_table(counts.reset_index(), out / "instrument_domain_counts.csv", excel=True)
        write_table(shares.reset_index(), out / "instrument_domain_shares.csv", excel=True)
        summary = {"accuracy": agr["accuracy"], "kappa": agr["kappa"], "n": agr["n"],
                   "agreeing": int(dom["correct"].sum()), "documents_in_domain_sections": int(len(dom))}
        (out / "agreement.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        if figures:
            import matplotlib.pyplot as plt

            from .plots import plot_matrix, plot_taxonomy_by_year, save_figure

            ax = plot_taxonomy_by_year(catalogue)
            for suffix in (".png", ".svg"):
                save_figure(ax, out / f"taxonomy_by_year{suffix}")
            plt.close(ax.figure)
            ax = plot_matrix(shares.drop(columns="group"), title="policy instruments × domains 政策工具 × 领域 (share)")
            for suffix in (".png", ".svg"):
                save_figure(ax, out / f"instrument_domain{suffix}")
            plt.close(ax.figure)
    return result
