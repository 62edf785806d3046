"""policynlp: quantitative analysis of Chinese policy documents (政策文本计量).

From a folder of policy texts to a clean corpus with parsed metadata, a
segmentation that keeps policy terms, agency names, titles and document
numbers whole, keywords, topic models, a domain taxonomy, and networks that
open in Gephi.  Importing the package loads nothing: dictionaries and
resources are read when first used.  Submodules: ``corpus``, ``text``,
``meta``, ``segment``, ``discover``, ``features``, ``keywords``, ``topics``, ``taxonomy``,
``extract``, ``graphs``, ``reuse``, ``export``, ``plots``, ``pipeline``, ``datasets``,
``cluster`` (where the heavy steps run: this process or a Dask cluster).

Examples
--------
>>> import policynlp as pn
>>> corpus = pn.load_demo()
>>> len(corpus) > 0
True
>>> pn.Segmenter().cut("住房城乡建设部发布《智慧社区建设指南（试行）》")
['住房城乡建设部', '发布', '《智慧社区建设指南（试行）》']
"""

__version__ = "0.1.0"

_API = {
    "Document": "policynlp.corpus.document",
    "Corpus": "policynlp.corpus.corpus",
    "read_corpus": "policynlp.corpus.readers",
    "ingest_to_parquet": "policynlp.corpus.readers",
    "Segmenter": "policynlp.segment",
    "TokenCache": "policynlp.tokencache",
    "normalize": "policynlp.text.normalization",
    "parse_structure": "policynlp.text.structure",
    "split_sentences": "policynlp.text.structure",
    "units_frame": "policynlp.text.units",
    "discover_terms": "policynlp.discover",
    "parse_date": "policynlp.meta.dates",
    "parse_doc_number": "policynlp.meta.docnumbers",
    "parse_issuers": "policynlp.meta.agencies",
    "load_agencies": "policynlp.meta.agencies",
    "load_demo": "policynlp.datasets",
    "load_smart_city_2017": "policynlp.datasets",
    "TermVectorizer": "policynlp.features",
    "TopicModel": "policynlp.topics",
    "load_taxonomy": "policynlp.taxonomy",
    "TaxonomyClassifier": "policynlp.taxonomy",
    "extract_citations": "policynlp.extract",
    "extract_events": "policynlp.extract",
    "write_gexf": "policynlp.export",
    "analyze": "policynlp.pipeline",
    "connect": "policynlp.cluster",
}

__all__ = sorted(_API) + ["__version__"]


def __getattr__(name):
    # Lazy attributes keep `import policynlp` free of pandas, jieba and friends.
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'policynlp' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_API))
