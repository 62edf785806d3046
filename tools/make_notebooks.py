"""Write the notebooks in notebooks/ from the cell sources below (outputs stripped).

The notebooks are committed without outputs: diffs stay readable and CI runs
each of them top to bottom (tests/test_notebooks.py).  Edit the cells here and
re-run ``python tools/make_notebooks.py``, or edit the .ipynb in Jupyter and
clear outputs before committing.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOKS = {}

NOTEBOOKS["01_quickstart.ipynb"] = [
    ("md", """# policynlp quickstart: from policy files to a corpus and tokens

This notebook reads the bundled demo corpus — central smart-city policies cited by Sheng (2017),
as summaries written for this project — and shows what a scholar gets: the ingest report, parsed
metadata, filters, a segmentation that keeps agency names, 《titles》 and 文号 whole, and the
document structure. Replace `pn.load_demo()` with `pn.read_corpus("your_folder/")` for your own files."""),
    ("code", """import policynlp as pn

corpus = pn.load_demo()
corpus"""),
    ("md", "Every input file is listed in the ingest report, loaded or skipped with the reason:"),
    ("code", """corpus.report[["source", "status", "reason", "id", "encoding"]]"""),
    ("md", "Metadata as a table indexed by document id — issuers are canonical names, dates keep their precision, 文号 are parsed:"),
    ("code", """corpus.meta[["title", "lead_issuer", "date", "doc_number", "doc_code", "doc_year", "doc_serial", "doc_type"]]"""),
    ("md", "Filters accept aliases (住建部 → 住房和城乡建设部) and year ranges:"),
    ("code", """corpus.filter(issuer="住建部", year=(2012, 2014)).meta[["title", "date"]]"""),
    ("md", "Issuer strings, dates and document numbers as they appear in policy prose:"),
    ("code", """print(pn.parse_issuers("经国务院同意，国家发展改革委、工业和信息化部等八部委联合印发"))
print(pn.parse_issuers("国务院办公厅转发国家发展改革委等10部门"))
print(pn.parse_date("二〇一四年八月二十七日"), pn.parse_doc_number("发改高技[2014]1770号").canonical)"""),
    ("md", "Segmentation: the policy lexicon (all agency names and aliases, policy terms) plus protected spans:"),
    ("code", """seg = pn.Segmenter()
seg.cut("2014年8月，经国务院同意，国家发展改革委、工业和信息化部、科学技术部等八部委联合印发"
        "《关于促进智慧城市健康发展的指导意见》（发改高技〔2014〕1770号）")"""),
    ("code", """tokens = seg.segment(corpus)
tokens.head()"""),
    ("md", "Structure: sentences with their place in the document's numbered hierarchy, with offsets back into the text:"),
    ("code", """sentences = corpus.structure(unit="sentence")
sentences.head()"""),
    ("md", "Save the corpus (Parquet is lossless; the CSV opens in Excel):"),
    ("code", """import tempfile, pathlib
out = pathlib.Path(tempfile.mkdtemp())
corpus.to_parquet(out / "corpus.parquet")
corpus.to_csv(out / "corpus.csv", excel=True)
pn.Corpus.read_parquet(out / "corpus.parquet") == corpus"""),
    ("md", """For corpora larger than memory, the same steps stream from disk in batches (peak memory set by the
batch, not the corpus), and give the same results. With `pn.connect("local")` or a scheduler address
they also run on a Dask cluster's workers: see the README's section on large corpora."""),
    ("code", """from policynlp.datasets import demo_path

done = pn.ingest_to_parquet(demo_path(), out / "streamed.parquet", batch_size=10, normalize=True)
pn.Segmenter().segment_parquet(out / "streamed.parquet", out / "streamed_tokens.parquet", batch_size=10)
counts = pn.TermVectorizer(min_df=2).fit_counts(out / "streamed_tokens.parquet")
done["documents"], done["skipped"], counts.shape"""),
]

NOTEBOOKS["02_topic_analysis.ipynb"] = [
    ("md", """# Keywords and topics of smart-city policy

Keywords by year, what distinguishes the early (2012–2014) from the later (2015–2016) policies,
term trends, a topic model steered by the founding paper's domains, how to choose K with evidence,
and topic prevalence over time. Everything rests on one segmentation, so counts, keywords and topics
agree, and every table carries its provenance in `.attrs["provenance"]`."""),
    ("code", """import matplotlib.pyplot as plt
import policynlp as pn
from policynlp import plots
from policynlp.keywords import keyness, kwic, term_trends, textrank_keywords, tfidf_keywords
from policynlp.topics import TopicModel, sweep

corpus = pn.load_demo()
tokens = pn.Segmenter().segment(corpus)"""),
    ("md", "## Keywords\ntf-idf with IDF fitted on this corpus, per year:"),
    ("code", """tfidf_keywords(tokens, corpus, by="year", top_n=5).pivot(index="rank", columns="group", values="term")"""),
    ("code", """textrank_keywords(tokens, top_n=5).pivot(index="rank", columns="group", values="term")"""),
    ("md", "## Keyness: early vs later policies\nLog-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), with chi-square and Log Ratio:"),
    ("code", """periods = {"2012–2014": [2012, 2013, 2014], "2015–2016": [2015, 2016]}
k = keyness(tokens, corpus, by="year", groups=periods, top_n=8)
plots.plot_keyness(k);
k.head()"""),
    ("md", "## Term trends (per 10,000 tokens) and keyword in context"),
    ("code", """tr = term_trends(tokens, corpus, ["智慧城市", "物联网", "大数据", "旅游"])
plots.plot_term_trends(tr);"""),
    ("code", """kwic(corpus, "信息惠民", window=15)"""),
    ("md", """## Choosing K with evidence
A small sweep: coherence (c_v, u_mass) from one shared accumulator, perplexity, and stability across seeds.
On a nine-document demo corpus the numbers are only illustrative; on a real corpus use K in 5–40."""),
    ("code", """table = sweep(tokens, [3, 4, 5], seeds=(0, 1), measures=("c_v", "u_mass"), min_df=1)
table.groupby("k")[["c_v", "u_mass", "stability"]].mean()"""),
    ("md", "## A topic model steered by the paper's domains\nSeed terms for three of the six domains pull their topics; the other topics stay free."),
    ("code", """seeds = {"tourism": ["旅游", "智慧旅游", "景区"],
         "healthcare": ["健康医疗大数据", "医疗", "健康"],
         "transport": ["交通", "交通运输", "智能交通"]}
tm = TopicModel(5, seed_topics=seeds, random_state=0, min_df=1, passes=20).fit(tokens)
tm.top_terms(6).pivot(index="rank", columns="label", values="term")"""),
    ("code", """tm.doc_topics().round(2)"""),
    ("code", """fig, axes = plt.subplots(1, 3, figsize=(12, 3.5), layout="constrained")
for i, ax in enumerate(axes):
    plots.plot_top_terms(tm, i, top_n=6, ax=ax)"""),
    ("code", """prev = tm.prevalence(corpus, by="year")
plots.plot_topic_trends(prev);"""),
    ("md", "Save the model (JSON + NumPy arrays, no pickles) and an interactive view that works offline:"),
    ("code", """import tempfile, pathlib
out = pathlib.Path(tempfile.mkdtemp())
tm.save(out / "model")
tm.to_ldavis_html(tokens, out / "topics.html")
TopicModel.load(out / "model").top_terms(3).equals(tm.top_terms(3))"""),
]


NOTEBOOKS["03_reproduce_paper_taxonomy.ipynb"] = [
    ("md", """# Reproducing the domain taxonomy of Sheng (2017)

The founding paper sorts China's central smart-city policies of 2012–2016 into strategy, pilots,
guidance/standards and six domains. This notebook rebuilds that taxonomy from the bundled data,
classifies every catalogued policy from its title and summary **without** the paper's labels, scores the
result against the paper, codes policy instruments, and runs the extractor on a review-style paragraph.
Source of the facts: 盛广耀, 智慧城市建设与城市转型发展研究, 东南学术 2017(6): 19–26."""),
    ("code", """import matplotlib.pyplot as plt
import policynlp as pn
from policynlp import plots
from policynlp.datasets import load_smart_city_2017
from policynlp.reproduce import classify_catalogue, taxonomy_table
from policynlp.taxonomy import TaxonomyClassifier, agreement, instrument_domain_matrix, load_taxonomy

catalogue, programmes, corpus = load_smart_city_2017()
load_taxonomy("smart_city_2017").to_frame()[["key", "zh", "en", "group"]]"""),
    ("md", "## The taxonomy table: domain → documents, agencies, years, programmes and counts"),
    ("code", """taxonomy_table(catalogue, programmes)[["section", "label", "n_documents", "years", "agencies", "programmes"]]"""),
    ("code", """plots.plot_taxonomy_by_year(catalogue);"""),
    ("md", """## Classifying the catalogue without the paper's labels
The lexicon classifier scores each document's title (counted twice) and summary against the seed terms
of the six domains; the paper's section is used only to score the result."""),
    ("code", """result = classify_catalogue(corpus, catalogue)
domain_docs = result[result["correct"].notna()]
scores = agreement(domain_docs["section"], domain_docs["predicted"], labels=load_taxonomy("smart_city_2017").keys(group="core"))
print(f"{int(domain_docs['correct'].sum())} of {len(domain_docs)} agree; accuracy {scores['accuracy']:.2f}, Cohen's kappa {scores['kappa']:.2f}")
scores["confusion"]"""),
    ("code", """domain_docs[["title", "section", "predicted", "share"]]"""),
    ("md", "What decided a classification:"),
    ("code", """clf = TaxonomyClassifier(group="core").fit()
clf.explain(corpus["sc-bus-2015"].text).head(8)"""),
    ("md", "## Policy instruments × domains\nSentences coded with Rothwell & Zegveld's instruments, documents with their main domain:"),
    ("code", """counts, shares = instrument_domain_matrix(corpus)
plots.plot_matrix(shares.drop(columns="group"), title="政策工具 × 领域 (share)");"""),
    ("md", "## The extractor on a review-style paragraph (written for this notebook)"),
    ("code", """review = \"\"\"二、智慧交通
2015年6月，交通运输部发布《关于进一步加快推进城市公共交通智能化应用示范工程建设有关工作的通知》，要求37个示范城市在2017年6月前完成建设。
在智慧旅游领域，2012年5月，国家旅游局确定北京市、武汉市、成都市等18个城市为国家智慧旅游试点城市。
2014年8月，经国务院同意，国家发展改革委、工业和信息化部、科学技术部等八部委联合印发《关于促进智慧城市健康发展的的指导意见》。\"\"\"
from policynlp.extract import extract_citations, extract_events
extract_events(review, catalogue="smart_city_2017")[["date", "issuers", "approved_by", "collective_count", "action",
                                                      "documents", "programme", "count", "cities", "domain"]]"""),
    ("code", """extract_citations(review, catalogue="smart_city_2017")[["cited", "resolved_title", "catalogue_id", "score"]]"""),
]


NOTEBOOKS["04_networks_to_gephi.ipynb"] = [
    ("md", """# Networks of ministries, initiatives and domains — to Gephi

Builds each network from the bundled corpus, shows metrics and a figure, writes the files, and explains
how to open them in Gephi. Node ids are `kind:name` (`agency:国务院`, `document:sc-iot-2013`,
`programme:国家智慧旅游试点城市`, `domain:transport`, `term:智慧城市`); every node and edge carries the
`years` it is active."""),
    ("code", """import tempfile, pathlib
import networkx as nx
import policynlp as pn
from policynlp import graphs, plots
from policynlp.export import export_all, write_gexf

corpus = pn.load_demo()
out = pathlib.Path(tempfile.mkdtemp())"""),
    ("md", "## Co-issuing network of agencies (部门联合发文)\nEdge weight = documents issued together; `n_lead` counts lead issuance."),
    ("code", """G = graphs.co_issuing(corpus)
graphs.node_table(G).sort_values("weighted_degree", ascending=False).head(8)[["label", "degree", "weighted_degree", "betweenness", "community"]]"""),
    ("code", """plots.plot_graph(G, color_by="community");"""),
    ("md", "## The multi-mode network the paper's taxonomy implies\nAgencies issue documents, documents fall into domains, programmes are run by agencies, and everything mentioned in the same sentence co-occurs."),
    ("code", """M = graphs.multimode_graph(corpus, catalogue="smart_city_2017", unit="sentence")
from collections import Counter
Counter(d["kind"] for _, d in M.nodes(data=True)), Counter(d["relation"] for *_, d in M.edges(data=True))"""),
    ("code", """metrics = graphs.node_table(M)
metrics.sort_values("pagerank", ascending=False).head(10)[["label", "kind", "degree", "pagerank", "community"]]"""),
    ("code", """plots.plot_graph(M, color_by="kind", labels=25);"""),
    ("md", "One-mode projection: agencies linked through the documents, programmes and domains they share:"),
    ("code", """A = graphs.project(M, "agency")
sorted(A.edges(data="weight"), key=lambda e: -e[2])[:8]"""),
    ("md", "## Keyword co-occurrence (sparse matrices) and its backbone"),
    ("code", """tokens = pn.Segmenter().segment(corpus)
K = graphs.cooccurrence_graph(tokens, corpus, min_df=3, min_weight=3, measure="association", top_n=80)
B = graphs.backbone(K, method="disparity", alpha=0.2)
print(K.number_of_nodes(), K.number_of_edges(), "→ backbone", B.number_of_edges())
graphs.node_table(B); plots.plot_graph(B, color_by="community", labels=30);"""),
    ("md", "## Time slices (CiteSpace-style)"),
    ("code", """slices = graphs.time_slices(M, {"2012–2013": (2012, 2013), "2014–2016": (2014, 2016), "2021–2024": (2021, 2024)})
{name: (g.number_of_nodes(), g.number_of_edges()) for name, g in slices.items()}"""),
    ("md", "## Write the files"),
    ("code", """pos = nx.spring_layout(nx.Graph(M), seed=0)
files = export_all(M, out, "multimode", positions=pos)
[f.name for f in files]"""),
    ("md", """## Opening them in Gephi

1. **File → Open…** and choose `multimode.gexf` (GEXF 1.3; use `multimode.gexf12.gexf` in Gephi 0.9 or
   older). In the import report keep *Graph type: Mixed/Undirected* and click OK. Parallel edges of
   different relations (issued, in_domain, run_by, co_occurs) are kept as edge *kinds*.
2. Nodes arrive coloured by `kind` and sized by weighted degree, at the positions computed here. To
   recolour: **Appearance → Nodes → Partition → kind** (or `community`) → Apply. To resize:
   **Appearance → Nodes → Ranking → weighted_degree**.
3. **Timeline**: the file is dynamic (each node and edge has spells from its `years`). Use
   **Window → Timeline**, enable it, and drag the window to play the network year by year.
4. **Layout → ForceAtlas 2** for a fresh layout; **Statistics → Modularity** recomputes communities
   inside Gephi if you prefer its own.
5. Labels: **Data Laboratory** shows `Id` (kind:name), `Label` and every attribute. Chinese labels
   need a CJK font in **Preview → Node Labels → Font**.

`multimode_nodes.csv`/`multimode_edges.csv` load through **Data Laboratory → Import Spreadsheet**;
`multimode_vosviewer.json` opens in VOSviewer (**Open → JSON**), `multimode.net` in Pajek."""),
    ("code", """print((out / "multimode.gexf").read_text(encoding="utf-8")[:600])"""),
]


NOTEBOOKS["05_policy_diffusion.ipynb"] = [
    ("md", """# Policy diffusion: who copied whom, how fast, how faithfully

A central opinion is re-issued by ministries and provinces as implementation plans that copy whole passages,
insert 我省 or 本市, change targets and drop or add measures. This notebook finds those reused passages,
directs each pair by date, measures adoption and fidelity, crosses reuse with citation, and writes the
diffusion network for Gephi's timeline.

The corpus here is **synthetic** (`policynlp.synthetic.reuse_corpus`): central sources and provincial
adopters with planted passages whose positions are known, so every step can be checked. It says
nothing true about any policy. For your own documents use `corpus = pn.read_corpus("your_folder/")`:
dates, issuers, levels and regions then come from the metadata columns or from the documents themselves."""),
    ("code", """import tempfile, pathlib
import pandas as pd
import policynlp as pn
from policynlp import reuse
from policynlp.synthetic import reuse_corpus

docs, truth = reuse_corpus(300, seed=0)
corpus = pn.Corpus.from_frame(docs.assign(issuers=docs["issuers"].str.replace("、", ";")))
out = pathlib.Path(tempfile.mkdtemp())
corpus"""),
    ("md", """## 1. Find the reused passages
Candidates come from winnowed character fingerprints (never all pairs); each candidate pair is aligned, and a passage
of 50+ characters is kept when the two sides agree (similarity ≥ 0.75), set phrases used by many documents aside."""),
    ("code", """r = reuse.find_reuse(corpus)
print(len(r.pairs), "pairs,", len(r.passages), "passages;", int(r.pairs["directed"].sum()), "directed by date")
r.pairs.head()"""),
    ("md", "Every passage has its offsets in both texts, the clause it starts in, and both texts — here the adopter's edits are visible:"),
    ("code", """p = r.passages.sort_values("chars", ascending=False).iloc[0]
print(p.source, p.source_start, p.source_end, repr(p.source_path))
print(p.source_text[:200])
print(p.target, p.target_start, p.target_end, repr(p.target_path))
print(p.target_text[:200])"""),
    ("md", "How well does it find what was planted? (`benchmarks/bench_reuse.py` does this at 1k–100k documents.)"),
    ("code", """import sys; sys.path.insert(0, str(pathlib.Path(pn.__file__).resolve().parents[1] / "benchmarks"))
try:
    from bench_reuse import evaluate
    print(evaluate(truth, r))
except ImportError:  # an installed package without the repository's benchmarks
    print("benchmarks/ not found next to the package")"""),
    ("md", """A corpus larger than memory stays on disk: give `find_reuse` the Parquet file that `policynlp ingest` (or
`Corpus.to_parquet`) writes, and the texts are read back only as the alignment needs them — same tables."""),
    ("code", """corpus.to_parquet(out / "corpus.parquet")
streamed = reuse.find_reuse(out / "corpus.parquet")
streamed.pairs.equals(r.pairs) and streamed.passages.equals(r.passages)"""),
    ("md", """## 2. Direction, lag and fidelity
A pair is directed only when the dates tell (the earlier document is the source); same-day or undated pairs stay
undirected. `target_share` is how much of the adopter is the source; `source_share` how much of the source reached it."""),
    ("code", """r.pairs["basis"].value_counts()"""),
    ("code", """table = reuse.adoption(r.pairs, corpus)
table.head(8)[["source", "adopters", "median_lag_days", "mean_target_share", "mean_source_share", "adopter_levels"]]"""),
    ("code", """from policynlp import plots
curves = reuse.adoption_curves(r.pairs, corpus, by="level")
plots.plot_adoption(curves);"""),
    ("md", """## 3. Reuse and citation
An adopter may cite its source in 《》 and copy it, copy without citing, or cite without copying."""),
    ("code", """from policynlp.extract import extract_citations
cross = reuse.citation_crosscheck(r.pairs, extract_citations(corpus), corpus)
cross["relation"].value_counts()"""),
    ("md", """## 4. The diffusion network, for Gephi
Documents (or their issuers, regions or levels) linked source → adopter, weighted by the characters reused, with the
adopters' years as spells."""),
    ("code", """from policynlp.export import export_all
D = reuse.diffusion_graph(r.pairs, corpus, by="document")
R = reuse.diffusion_graph(r.pairs, corpus, by="region")
print(D.number_of_nodes(), "documents,", D.number_of_edges(), "edges;", D.graph["undirected_pairs"], "undated pairs left out")
sorted(R.edges(data="weight"), key=lambda e: -e[2])[:5]"""),
    ("code", """files = export_all(D, out, "diffusion_document", dynamic=True)
[f.name for f in files]"""),
    ("md", """In Gephi: **File → Open** `diffusion_document.gexf`, keep *Directed*; **Window → Timeline** and enable it to play
adoption year by year; **Appearance → Nodes → Partition → level** (or `region`) to colour adopters;
**Layout → ForceAtlas 2**. The whole step also runs from the command line — `policynlp reuse CORPUS --out DIR` —
and inside `policynlp analyze` (`reuse.enabled`), where the report shows the top pairs side by side with the
differences marked."""),
]


def build(folder):
    folder = Path(folder)
    folder.mkdir(exist_ok=True)
    for name, cells in NOTEBOOKS.items():
        nb = new_notebook(cells=[new_markdown_cell(src) if kind == "md" else new_code_cell(src) for kind, src in cells])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.metadata["language_info"] = {"name": "python"}
        for i, cell in enumerate(nb.cells):
            cell["id"] = f"{Path(name).stem[:2]}-{i:02d}"
        nbformat.write(nb, folder / name)


if __name__ == "__main__":
    build(Path(__file__).resolve().parent.parent / "notebooks")
