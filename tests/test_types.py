"""The public API is typed: every parameter and return annotated, every annotation resolvable, and each
choice parameter's ``Literal`` the very tuple the code validates against."""

import inspect
import typing

import pytest

import policynlp
from policynlp import _types

API_FUNCTIONS = ["policynlp.keywords.tfidf_keywords", "policynlp.keywords.textrank_keywords", "policynlp.keywords.keyness",
                 "policynlp.keywords.term_trends", "policynlp.reuse.find_reuse"]
METHODS = {"Corpus": ["__init__", "filter", "structure"], "Segmenter": ["__init__", "cut", "segment"],
           "TopicModel": ["__init__", "fit", "transform", "doc_topics", "coherence", "passages", "prevalence", "save"],
           "TermVectorizer": ["__init__"], "TaxonomyClassifier": ["__init__"], "TokenCache": ["__init__"]}


def _callables():
    import importlib

    for name in policynlp.__all__:
        obj = getattr(policynlp, name) if name != "__version__" else None
        if inspect.isfunction(obj):
            yield name, obj
        elif inspect.isclass(obj):
            for m in METHODS.get(name, []):
                yield f"{name}.{m}", getattr(obj, m)
    for path in API_FUNCTIONS:
        module, _, attr = path.rpartition(".")
        yield path, getattr(importlib.import_module(module), attr)


def _namespace(func):
    """What the annotations name but a module imports for type checkers only."""
    import networkx as nx
    import numpy as np
    import pandas as pd
    from distributed import Client

    from policynlp.corpus import Corpus
    from policynlp.features import TermVectorizer
    from policynlp.tokencache import TokenCache

    return {**vars(_types), **vars(inspect.getmodule(func)), "pd": pd, "np": np, "nx": nx, "Client": Client,
            "Corpus": Corpus, "TermVectorizer": TermVectorizer, "TokenCache": TokenCache}


@pytest.mark.parametrize("name,func", list(_callables()), ids=[n for n, _ in _callables()])
def test_public_callables_are_fully_annotated_and_resolvable(name, func):
    pytest.importorskip("distributed")
    sig = inspect.signature(func)
    missing = [p for p in sig.parameters if p != "self" and sig.parameters[p].annotation is inspect.Parameter.empty]
    assert not missing, f"{name}: parameters without a type: {missing}"
    assert sig.return_annotation is not inspect.Signature.empty, f"{name}: no return type"
    hints = typing.get_type_hints(func, globalns=_namespace(func))
    for pname, hint in hints.items():
        default = sig.parameters[pname].default if pname in sig.parameters else inspect.Parameter.empty
        if typing.get_origin(hint) is typing.Literal and default is not inspect.Parameter.empty:
            assert default in typing.get_args(hint), f"{name}({pname}={default!r}) outside {hint}"


@pytest.mark.parametrize("make,alias", [
    (lambda v: policynlp.Segmenter(engine=v), _types.Engine),
    (lambda v: policynlp.Segmenter(dates=v), _types.SpanPolicy),
    (lambda v: policynlp.units_frame(["第一条 为了规范管理，制定本办法。"], unit=v), _types.UnitKind),
    (lambda v: policynlp.parse_structure("第一条 为了规范管理，制定本办法。", unit=v), _types.StructureUnit),
    (lambda v: policynlp.read_corpus(["x"], errors=v), _types.OnError),
])
def test_a_value_outside_the_literal_is_refused_with_the_literals_choices(make, alias):
    from policynlp.errors import ParameterError

    with pytest.raises(ParameterError) as info:
        make("not-a-choice")
    assert all(repr(c) in str(info.value) for c in typing.get_args(alias))


def test_the_package_says_it_is_typed():
    from pathlib import Path

    assert (Path(policynlp.__file__).parent / "py.typed").is_file()
