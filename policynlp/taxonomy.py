"""Taxonomies of policy domains and instruments, and a classifier that codes text with them.

A :class:`Taxonomy` is plain YAML (``policynlp/data/taxonomies/*.yaml`` or a
user file): domains with a key, Chinese and English labels, a group, a
definition and seed terms.  :class:`TaxonomyClassifier` codes clauses (or
sentences, or whole documents) with it — by lexicon scoring, which needs no
training data, or supervised (tf-idf + logistic regression) from hand-coded
clauses — and aggregates clause codes to documents.  :func:`agreement`
compares any coding with a scholar's hand coding (accuracy, per-class
precision and recall, Cohen's κ).

Its length is the taxonomy data model, the classifier and its evaluation against hand coding,
which share the Taxonomy object; the instrument × domain table is here because it is the two codings crossed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from ._types import PathLike, TaxonomyMode, UnitKind, choices
from ._validation import check_choice
from ._yaml import safe_load
from .errors import CorpusFormatError, ParameterError, ResourceNotFoundError
from .provenance import attach, provenance
from .resources import load_yaml

__all__ = ["Domain", "Taxonomy", "load_taxonomy", "TaxonomyClassifier", "agreement", "instrument_domain_matrix",
           "taxonomy_fit"]


@dataclass(frozen=True)
class Domain:
    """One category of a taxonomy."""

    key: str
    zh: str
    en: str
    group: str = ""
    definition: str = ""
    seed_terms: tuple = field(default_factory=tuple)
    aliases: tuple = field(default_factory=tuple)


@dataclass(frozen=True)
class Taxonomy:
    """A named set of domains.

    Examples
    --------
    >>> tx = load_taxonomy("smart_city_2017")
    >>> tx.keys(group="core")
    ['infrastructure', 'services_egov', 'community', 'tourism', 'transport', 'healthcare']
    >>> tx["tourism"].zh
    '智慧旅游'
    """

    name: str
    domains: tuple
    title: str = ""
    source: str = ""

    def __getitem__(self, key):
        for d in self.domains:
            if d.key == key or key in d.aliases:
                return d
        raise KeyError(f"no domain {key!r} in taxonomy {self.name!r}; domains: {self.keys()}")

    def __len__(self):
        return len(self.domains)

    def keys(self, group=None):
        """Domain keys, optionally only of one group (``core``, ``further``, ``supply`` …)."""
        return [d.key for d in self.domains if group is None or d.group == group]

    def select(self, *, group=None, keys=None):
        """A taxonomy with only some domains (a group, or listed keys)."""
        doms = [d for d in self.domains if (group is None or d.group == group)
                and (keys is None or d.key in keys or set(d.aliases) & set(keys))]
        if not doms:
            raise ParameterError(f"no domains match group={group!r}, keys={keys!r}")
        return Taxonomy(self.name, tuple(doms), self.title, self.source)

    def to_frame(self):
        """One row per domain: ``key, zh, en, group, definition, seed_terms``."""
        return pd.DataFrame([{"key": d.key, "zh": d.zh, "en": d.en, "group": d.group, "definition": d.definition,
                              "seed_terms": "、".join(d.seed_terms)} for d in self.domains])

    def heading_domains(self, clauses):
        """``{unit: (level, domain)}``: the domain each numbered unit falls under, named by the nearest heading.

        ``clauses`` are :func:`policynlp.text.structure.structure_rows` rows of one
        document.  A heading that names a domain (二、智慧交通) holds for every unit
        below it until a heading of the same or a higher level.

        Examples
        --------
        >>> from policynlp.text.structure import structure_rows
        >>> t = "一、智慧交通\\n（一）推广交通一卡通。\\n二、保障措施\\n（一）加强组织领导。"
        >>> tx = load_taxonomy("smart_city_2017")
        >>> [d for _, d in tx.heading_domains(structure_rows(t)).values()]
        ['transport', 'transport', None, None]
        """
        out, current = {}, {}
        for c in clauses:
            current = {lv: dm for lv, dm in current.items() if lv < c.level}
            named = self.find_domain(c.heading) if c.heading else None
            if named:
                current[c.level] = named
            out[c.unit] = (c.level, current[max(current)] if current else None)
        return out

    def _nameable(self):
        """Domains a text can name: not one without seed terms (``other``), whose label 其他 is in every text."""
        return [d for d in self.domains if d.seed_terms]

    def named_in(self, text):
        """Keys of the domains whose Chinese label the text mentions (智慧交通, 财政、金融、审计 …), in taxonomy order.

        Examples
        --------
        >>> load_taxonomy("smart_city_2017").named_in("推进智慧交通和智慧旅游，其他领域另行部署")
        ['tourism', 'transport']
        """
        return [d.key for d in self._nameable() if d.zh and d.zh in text]

    def find_domain(self, phrase):
        """The domain a heading or lead phrase names (its Chinese label or a seed term), or None.

        A domain without seed terms (``other`` in ``cn_policy_domains``) is never
        named by text: 其他 in a heading (第七章 其他规定) says nothing about a domain.

        Examples
        --------
        >>> tx = load_taxonomy("cn_policy_domains")
        >>> tx.find_domain("第三章 税收优惠"), tx.find_domain("第七章 其他规定")
        ('finance', None)
        """
        best = None
        for d in self._nameable():
            for name in (d.zh, *d.seed_terms):
                if name and name in phrase and (best is None or len(name) > best[0]):
                    best = (len(name), d.key)
        return best[1] if best else None


def _from_mapping(data, where):
    if not isinstance(data, dict) or not isinstance(data.get("domains"), list):
        raise CorpusFormatError("a taxonomy is a mapping with a list under 'domains'", path=where)
    doms = []
    for i, d in enumerate(data["domains"]):
        if not isinstance(d, dict) or not d.get("key"):
            raise CorpusFormatError(f"domain {i} has no 'key'", path=where, field="domains")
        doms.append(Domain(key=str(d["key"]), zh=str(d.get("zh", "")), en=str(d.get("en", "")), group=str(d.get("group", "")),
                           definition=str(d.get("definition", "")), seed_terms=tuple(str(t) for t in d.get("seed_terms", [])),
                           aliases=tuple(str(a) for a in d.get("aliases", []))))
    keys = [d.key for d in doms]
    if len(set(keys)) != len(keys):
        raise CorpusFormatError("domain keys must be unique", path=where, field="key")
    return Taxonomy(name=str(data.get("name", Path(str(where)).stem)), domains=tuple(doms),
                    title=str(data.get("title", "")), source=str(data.get("source", "")))


@lru_cache(maxsize=8)
def _bundled(name):
    try:
        return _from_mapping(load_yaml(f"taxonomies/{name}.yaml"), f"taxonomies/{name}.yaml")
    except ResourceNotFoundError:
        raise ResourceNotFoundError(
            f"no bundled taxonomy {name!r}; bundled: cn_policy_domains, smart_city_2017, policy_instruments "
            "(or pass a YAML path)"
        ) from None


def load_taxonomy(name_or_path: str | PathLike | Taxonomy) -> Taxonomy:
    """A bundled taxonomy by name or one from a YAML file.

    Bundled: ``cn_policy_domains`` (the subject categories of the State Council
    policy library, for any corpus of Chinese policy), ``smart_city_2017`` (the
    founding paper's smart-city domains) and ``policy_instruments``
    (Rothwell & Zegveld's supply, environment and demand instruments).

    Examples
    --------
    >>> load_taxonomy("cn_policy_domains")["finance"].zh
    '财政、金融、审计'
    >>> load_taxonomy("smart_city_2017")["governance"].key  # an alias of the e-government domain
    'services_egov'
    """
    if isinstance(name_or_path, Taxonomy):
        return name_or_path
    p = Path(str(name_or_path))
    if p.suffix in (".yaml", ".yml"):
        try:
            text = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CorpusFormatError(f"cannot read taxonomy: {exc}", path=p) from exc
        data = safe_load(text, source=p, what="taxonomy")
        return _from_mapping(data, p)
    return _bundled(str(name_or_path))


def _units_of(X, unit):
    """(unit ids, doc ids, texts) from a Corpus, a list of texts or a Series."""
    from .corpus.corpus import Corpus

    if isinstance(X, Corpus):
        if unit == "document":
            return X.ids, X.ids, [f"{d.title}\n{d.text}" for d in X]
        from .text.structure import structure_rows

        level = "sentence" if unit == "sentence" else "clause"
        uids, dids, texts = [], [], []
        for d in X:
            for r in structure_rows(d.text, doc_id=d.id, unit=level):
                uids.append(f"{d.id}#{r.sentence if level == 'sentence' else r.unit}")
                dids.append(d.id)
                texts.append(r.text)
        return uids, dids, texts
    if isinstance(X, pd.Series):
        return [str(i) for i in X.index], [str(i) for i in X.index], X.astype(str).tolist()
    if isinstance(X, str):
        return ["0"], ["0"], [X]
    texts = [str(t) for t in X]
    ids = [str(i) for i in range(len(texts))]
    return ids, ids, texts


class TaxonomyClassifier(BaseEstimator):
    """Code text units with the domains of a taxonomy.

    Parameters
    ----------
    taxonomy : str, path or Taxonomy, default "smart_city_2017"
    group : str, optional
        Use only the domains of one group (e.g. ``"core"`` for the paper's six).
    mode : {"lexicon", "supervised"}, default "lexicon"
        ``lexicon``: each occurrence of a seed term adds to its domain's score,
        shared equally when a term belongs to several domains; no training data.
        ``supervised``: tf-idf over the Segmenter's tokens and one-vs-rest
        logistic regression, trained on labelled units with :meth:`fit`.
    unit : {"clause", "sentence", "document"}, default "clause"
        What is coded when a Corpus is given; clause and sentence codes are
        aggregated to documents by :meth:`document_domains`.
    title_weight : float, default 2.0
        In ``document`` units, the title counts this many times (titles name
        the policy's domain more directly than its body).
    weighting : {"idf", "flat"}, default "idf"
        ``idf``: each seed term counts by its specificity in the texts being
        coded, ``ln((1 + N) / (1 + df))`` with ``df`` the number of the N
        documents that contain it (Spärck Jones 1972): a seed found in every
        document counts nothing, so generic seeds (标准, 技术, 平台) cannot
        decide.  With fewer than 5 documents there is no specificity to
        measure and every seed counts 1.  ``flat``: every seed counts 1.
    min_score : float, default 1.0
        A unit gets the domains whose score is at least this and at least half
        the unit's best score (multi-label); others are uncoded.
    margin : float, default 1.25
        :meth:`document_domains` names a document's main domain only when its
        score is at least ``margin`` times the runner-up's; otherwise the
        document is left unassigned (``""``) rather than guessed.
    C : float, default 10.0
        Inverse regularisation of the logistic regression (supervised); hand-coded
        training sets are small, so the default regularises lightly.
    random_state : int, default 0

    Attributes
    ----------
    taxonomy_ : Taxonomy
    classes_ : list of str
    cv_scores_ : ndarray
        Cross-validated macro-F1 of the supervised model (5 folds or fewer).

    Examples
    --------
    >>> clf = TaxonomyClassifier(group="core").fit()
    >>> clf.predict(["推动景区和旅游饭店智能化改造，发展智慧旅游", "推广交通一卡通，发展智能公交"])
    [['tourism'], ['transport']]
    """

    def __init__(
        self,
        taxonomy: str | PathLike | Mapping[str, Any] = "smart_city_2017",
        *,
        group: str | None = None,
        mode: TaxonomyMode = "lexicon",
        unit: UnitKind = "clause",
        title_weight: float = 2.0,
        weighting: Literal['idf', 'count'] = "idf",
        min_score: float = 1.0,
        margin: float = 1.25,
        C: float = 10.0,
        random_state: int = 0,
    ) -> None:
        self.taxonomy = taxonomy
        self.group = group
        self.mode = mode
        self.unit = unit
        self.title_weight = title_weight
        self.weighting = weighting
        self.min_score = min_score
        self.margin = margin
        self.C = C
        self.random_state = random_state

    def _segmenter(self):
        from .segment import Segmenter

        seeds = sorted({t for d in self.taxonomy_.domains for t in d.seed_terms})
        return Segmenter(user_words=seeds, titles="split", doc_numbers="drop")

    def fit(self, X=None, y=None):
        """Lexicon mode: prepare the term weights (X, y unused).  Supervised: learn from units X and labels y.

        In supervised mode ``y`` holds one label or a list of labels per unit.
        """
        check_choice("mode", self.mode, choices(TaxonomyMode))
        check_choice("unit", self.unit, ("clause", "sentence", "document"))
        check_choice("weighting", self.weighting, ("idf", "flat"))
        if not (isinstance(self.margin, (int, float)) and self.margin >= 1):
            raise ParameterError(f"margin={self.margin!r} must be a number ≥ 1 (1 = no margin)")
        tx = load_taxonomy(self.taxonomy)
        self.taxonomy_ = tx.select(group=self.group) if self.group else tx
        self.classes_ = self.taxonomy_.keys()
        self._seg = self._segmenter()
        owners = {}
        for d in self.taxonomy_.domains:
            for t in d.seed_terms:
                owners.setdefault(t, []).append(d.key)
        self.term_weights_ = {t: {k: 1.0 / len(ks) for k in ks} for t, ks in owners.items()}
        if self.mode == "supervised":
            self._fit_supervised(X, y)
        return self

    def _fit_supervised(self, X, y):
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import KFold
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import MultiLabelBinarizer

        from .features import TermVectorizer

        if X is None or y is None:
            raise ParameterError("mode='supervised' needs labelled units: fit(texts, labels)")
        _, _, texts = _units_of(X, self.unit)
        labels = [[lab] if isinstance(lab, str) else list(lab) for lab in y]
        if len(labels) != len(texts):
            raise ParameterError(f"{len(texts)} units but {len(labels)} labels")
        unknown = sorted({lab for ls in labels for lab in ls} - set(self.classes_))
        if unknown:
            raise ParameterError(f"labels {unknown} are not domains of {self.taxonomy_.name!r}: {self.classes_}")
        tokens = [self._seg.cut(t) for t in texts]
        # learn the domains the scholar coded, in taxonomy order
        seen = {lab for ls in labels for lab in ls}
        self.classes_ = [k for k in self.classes_ if k in seen]
        self._mlb = MultiLabelBinarizer(classes=self.classes_)
        Y = self._mlb.fit_transform(labels)
        self._model = make_pipeline(TermVectorizer(weighting="tfidf", min_length=1),
                                    OneVsRestClassifier(LogisticRegression(C=self.C, max_iter=1000, random_state=self.random_state)))
        n_splits = min(5, len(texts))
        scores = []
        if n_splits >= 2:
            from sklearn.base import clone
            from sklearn.metrics import f1_score

            # Cross-validate the decision rule the classifier applies (≥ 0.5, else the most probable).
            for train, test in KFold(n_splits=n_splits, shuffle=True, random_state=self.random_state).split(tokens):
                if Y[train].sum(axis=0).min() == 0:
                    continue  # a class missing from this training fold cannot be learnt
                model = clone(self._model).fit([tokens[i] for i in train], Y[train])
                prob = np.asarray(model.predict_proba([tokens[i] for i in test]))
                pred = (prob >= 0.5).astype(int)
                pred[np.arange(len(test)), prob.argmax(axis=1)] = 1
                scores.append(f1_score(Y[test], pred, average="macro", zero_division=0))
        self.cv_scores_ = np.array(scores)
        self._model.fit(tokens, Y)

    def _check(self):
        if not hasattr(self, "taxonomy_"):
            self.fit()

    def scores(self, X):
        """Domain scores per unit: a DataFrame (unit id index, ``id`` column for the document, one column per domain)."""
        self._check()
        uids, dids, texts = _units_of(X, self.unit)
        if self.mode == "supervised":
            probs = self._model.predict_proba([self._seg.cut(t) for t in texts])
            mat = np.asarray(probs)
        else:
            index = {k: i for i, k in enumerate(self.classes_)}
            mat = np.zeros((len(texts), len(self.classes_)))
            title_of = {}
            from .corpus.corpus import Corpus

            if isinstance(X, Corpus) and self.unit == "document":
                title_of = {d.id: d.title for d in X}
            cuts = [[t for t in self._seg.cut(text) if t in self.term_weights_] for text in texts]
            spec = self._specificity(dids, cuts)
            for r, (did, toks) in enumerate(zip(dids, cuts)):
                self._add(mat[r], toks, index, 1.0, spec)
                if did in title_of and self.title_weight != 1.0:
                    # the title is in the unit's text once already; add the extra weight
                    self._add(mat[r], self._seg.cut(title_of[did]), index, self.title_weight - 1.0, spec)
        df = pd.DataFrame(mat, columns=self.classes_, index=pd.Index(uids, name="unit"))
        df.insert(0, "id", dids)
        return df

    def _specificity(self, dids, cuts):
        """Seed term → weight: its inverse document frequency over the documents coded, or 1 (``flat``)."""
        docs = {}
        for did, toks in zip(dids, cuts):
            docs.setdefault(did, set()).update(toks)
        if self.weighting == "flat" or len(docs) < 5:
            return None
        df = {}
        for terms in docs.values():
            for t in terms:
                df[t] = df.get(t, 0) + 1
        n = len(docs)
        return {t: float(np.log((1 + n) / (1 + c))) for t, c in df.items()}

    def _add(self, row, tokens, index, factor, spec=None):
        for t in tokens:
            w = self.term_weights_.get(t)
            if w:
                s = 1.0 if spec is None else spec.get(t, 0.0)
                for k, v in w.items():
                    row[index[k]] += factor * v * s

    def _labels(self, values):
        """Domains of one unit from its scores (a sequence in the order of ``classes_``)."""
        classes = self.classes_
        if self.mode == "supervised":
            # each unit gets the domains the model gives at least 0.5, else its most probable one
            return [k for k, v in zip(classes, values) if v >= 0.5] or [classes[int(np.argmax(values))]]
        best = max(values)
        if best < self.min_score:
            return []
        cut = max(self.min_score, 0.5 * best)
        return [k for k, v in zip(classes, values) if v >= cut]

    def predict(self, X):
        """A list of domain keys per unit (possibly empty, possibly several)."""
        s = self.scores(X)
        return [self._labels(v) for v in s[self.classes_].to_numpy().tolist()]

    def code(self, X):
        """Long table of codes: ``unit, id, domain, score`` (``id``: the document) (one row per unit and assigned domain)."""
        s = self.scores(X)
        rows = []
        col = {k: i for i, k in enumerate(self.classes_)}
        for uid, did, values in zip(s.index, s["id"], s[self.classes_].to_numpy().tolist()):
            for k in self._labels(values):
                rows.append({"unit": uid, "id": did, "domain": k, "score": float(values[col[k]])})
        return attach(pd.DataFrame(rows, columns=["unit", "id", "domain", "score"]), self._provenance("taxonomy.code"))

    def _provenance(self, step):
        params = {**self.get_params(), "taxonomy": self.taxonomy_.name}
        return provenance(step, params)

    def document_domains(self, X):
        """Domain scores aggregated to documents (sum over units), with the main domain.

        Returns
        -------
        DataFrame
            Indexed by document id: one column per domain (summed scores), ``domain``
            (the highest; ``""`` when no seed term occurs, or when the runner-up
            comes within ``margin`` of it) and ``share`` (its share of the total).
        """
        s = self.scores(X)
        agg = s.groupby("id", sort=False)[self.classes_].sum()
        totals = agg.sum(axis=1)
        values = agg.to_numpy()
        top2 = -np.sort(-values, axis=1)[:, :2] if values.shape[1] > 1 else np.hstack([values, np.zeros_like(values)])
        clear = (totals.to_numpy() > 0) & (top2[:, 0] >= self.margin * top2[:, 1]) & (top2[:, 0] > 0)
        best = agg.idxmax(axis=1).where(clear, "")
        out = agg.copy()
        out["domain"] = best
        out["share"] = (agg.max(axis=1) / totals.replace(0, np.nan)).fillna(0.0)
        out.index.name = "id"
        return attach(out, self._provenance("taxonomy.document_domains"))

    def explain(self, text):
        """Which terms decided: ``term, domain, count, weight, contribution`` for one text (lexicon mode)."""
        self._check()
        rows = {}
        for t in self._seg.cut(text):
            for k, v in self.term_weights_.get(t, {}).items():
                r = rows.setdefault((t, k), {"term": t, "domain": k, "count": 0, "weight": v})
                r["count"] += 1
        out = pd.DataFrame(list(rows.values()), columns=["term", "domain", "count", "weight"])
        out["contribution"] = out["count"] * out["weight"]
        return out.sort_values(["contribution", "term"], ascending=[False, True]).reset_index(drop=True)


def agreement(y_true, y_pred, *, labels=None):
    """Agreement between two codings (e.g. the package's and a scholar's hand coding).

    Parameters
    ----------
    y_true, y_pred : sequences of labels (one per unit)
    labels : list, optional
        The label order of the tables.

    Returns
    -------
    dict
        ``accuracy``, ``kappa`` (Cohen's κ), ``n``, ``per_class`` (DataFrame: precision,
        recall, f1, support) and ``confusion`` (DataFrame, rows true, columns predicted).

    References
    ----------
    Cohen, J. (1960). A coefficient of agreement for nominal scales.
    Educational and Psychological Measurement, 20(1), 37–46.

    Examples
    --------
    >>> a = agreement(["交通", "旅游", "旅游", "医疗"], ["交通", "旅游", "医疗", "医疗"])
    >>> round(a["accuracy"], 2), round(a["kappa"], 3)
    (0.75, 0.636)
    """
    from sklearn.metrics import accuracy_score, cohen_kappa_score, confusion_matrix, precision_recall_fscore_support

    y_true, y_pred = [str(x) for x in y_true], [str(x) for x in y_pred]
    if len(y_true) != len(y_pred):
        raise ParameterError(f"{len(y_true)} true labels but {len(y_pred)} predicted")
    labels = list(labels) if labels is not None else sorted(set(y_true) | set(y_pred))
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    per_class = pd.DataFrame({"precision": p, "recall": r, "f1": f, "support": s}, index=pd.Index(labels, name="label"))
    cm = pd.DataFrame(confusion_matrix(y_true, y_pred, labels=labels), index=pd.Index(labels, name="true"),
                      columns=pd.Index(labels, name="predicted"))
    return {"accuracy": float(accuracy_score(y_true, y_pred)), "kappa": float(cohen_kappa_score(y_true, y_pred, labels=labels)),
            "n": len(y_true), "per_class": per_class, "confusion": cm}


def taxonomy_fit(domains, *, taxonomy="the taxonomy", max_share=0.6, max_unassigned=0.5):
    """A warning when a taxonomy separates a corpus poorly, else ``""``.

    A taxonomy fits poorly when one domain takes most documents (generic seed
    terms decide, as when a smart-city taxonomy codes most AI policies
    "infrastructure") or when most documents match no domain at all.

    Parameters
    ----------
    domains : sequence of str
        Each document's domain, ``""`` for none (``document_domains(...)["domain"]``).
    taxonomy : str
        Named in the message.
    max_share, max_unassigned : float
        The shares of documents above which the fit is called poor.

    Examples
    --------
    >>> taxonomy_fit(["infrastructure"] * 8 + ["transport", ""], taxonomy="smart_city_2017")
    'taxonomy smart_city_2017 fits this corpus poorly: one domain, infrastructure, takes 80% of the documents'
    >>> taxonomy_fit(["transport", "healthcare", "tourism", ""])
    ''
    """
    values = ["" if d is None or (isinstance(d, float) and np.isnan(d)) else str(d) for d in domains]
    n = len(values)
    if n == 0:
        return ""
    counts = pd.Series(values).value_counts()
    unassigned = counts.get("", 0) / n
    if unassigned > max_unassigned:
        return (f"taxonomy {taxonomy} fits this corpus poorly: {unassigned:.0%} of the documents match none of its "
                "domains")
    assigned = counts.drop("", errors="ignore")
    if len(assigned) and assigned.iloc[0] / n > max_share:
        return (f"taxonomy {taxonomy} fits this corpus poorly: one domain, {assigned.index[0]}, takes "
                f"{assigned.iloc[0] / n:.0%} of the documents")
    return ""


def instrument_domain_matrix(corpus, *, domains="smart_city_2017", instruments="policy_instruments", group="core",
                             unit="sentence"):
    """The two-dimensional policy-instrument × domain table of Chinese policy-tool studies.

    Each sentence (or clause) is coded with policy instruments; each document with
    its main domain (:meth:`TaxonomyClassifier.document_domains`); the table counts
    coded units per instrument and domain.

    Returns
    -------
    (counts, shares) : tuple of DataFrame
        Rows instruments (with their Rothwell–Zegveld group), columns domains;
        ``shares`` divides by the column totals.
    """
    dom = TaxonomyClassifier(domains, group=group, unit="document").fit().document_domains(corpus)["domain"]
    inst = TaxonomyClassifier(instruments, unit=unit).fit()
    codes = inst.code(corpus).rename(columns={"domain": "instrument"})
    codes["domain"] = codes["id"].map(dom)
    codes = codes[codes["domain"] != ""]
    dkeys = load_taxonomy(domains).keys(group=group)
    counts = pd.crosstab(pd.Categorical(codes["instrument"], categories=inst.classes_),
                         pd.Categorical(codes["domain"], categories=dkeys), dropna=False)
    counts.index.name, counts.columns.name = "instrument", "domain"
    counts.columns = list(counts.columns)
    shares = (counts / counts.sum(axis=0).replace(0, np.nan)).fillna(0.0)
    groups = [inst.taxonomy_[k].group for k in counts.index]
    counts.insert(0, "group", groups)
    shares.insert(0, "group", groups)
    record = provenance("taxonomy.instrument_domain_matrix", {"domains": domains if isinstance(domains, str) else "custom",
                                                              "instruments": instruments if isinstance(instruments, str) else "custom",
                                                              "group": group, "unit": unit})
    return attach(counts, record), attach(shares, dict(record))
