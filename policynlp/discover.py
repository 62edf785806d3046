"""Term discovery (新词发现): the multi-character terms a corpus uses that the dictionary does not know.

Policy vocabulary moves faster than dictionaries: 揭榜挂帅, 智能网联汽车 and
数据要素 are split by jieba's dictionary into pieces that mean something
else.  The standard unsupervised method scores every character n-gram of the
corpus by three statistics and keeps those that behave like words:

- frequency: it occurs at least ``min_count`` times;
- cohesion: pointwise mutual information between its parts, taken at the
  weakest split (``min over i of log2 p(w) / (p(w[:i]) p(w[i:]))``) — the
  characters of a word stick together more than chance;
- freedom: left and right branching entropy, the entropy of the characters
  seen just before and just after it — a word appears in many contexts,
  while a fragment of a longer word (智能网联汽 → always 车) does not.

References: Sproat & Shih (1990) for mutual information between Chinese
characters; Huang & Powers (2003) and Jin & Tanaka-Ishii (2006) for
branching entropy as a word-boundary signal.

No maintained library does this (the PyPI packages for 新词发现 are
single-author projects last released between 2017 and 2021, without
tests), so it is written here on ``collections.Counter``, with Apriori
pruning: an n-gram is counted only when both of its (n-1)-grams are frequent.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

import pandas as pd

from ._documents import ids_texts
from ._types import Documents
from ._validation import check_int
from .provenance import attach, provenance

__all__ = ["discover_terms"]

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
# characters that rarely begin or end a term: particles, prepositions, conjunctions, measure words
_EDGE = set("的了和与及或在是为对等把被将从向以之其该各每于由并而且也又就都已还所者着过"
            "个日月年号倍第本请经见你我此应可未不如即则但按")


def _runs(texts):
    for t in texts:
        yield from _HAN_RUN.findall(t)


def _count(runs, max_len, min_count):
    """Counts of frequent n-grams, n = 1..max_len, with Apriori pruning."""
    counts = Counter()
    for r in runs:
        counts.update(r)
    frequent = {c for c, n in counts.items() if n >= min_count}
    total = sum(counts.values())
    out = {g: n for g, n in counts.items() if g in frequent}
    for n in range(2, max_len + 1):
        level = Counter()
        for r in runs:
            for i in range(len(r) - n + 1):
                g = r[i : i + n]
                if g[:-1] in frequent and g[1:] in frequent:
                    level[g] += 1
        frequent = {g for g, c in level.items() if c >= min_count}
        if not frequent:
            break
        out.update((g, level[g]) for g in frequent)
    return out, total


def _entropy(counter, boundaries):
    # A run boundary (punctuation, a Latin word, the end of the text) is one
    # more neighbour, the same one each time: a clause repeated between
    # commas in a template (加大工作力度，严格规范要求，) is not free to combine.
    values = list(counter.values()) + ([boundaries] if boundaries else [])
    n = sum(values)
    return -sum(c / n * math.log2(c / n) for c in values) if n else 0.0


def _neighbours(runs, candidates, max_len):
    left, right = defaultdict(Counter), defaultdict(Counter)
    lb, rb = Counter(), Counter()
    heads = {g[:2] for g in candidates}
    for r in runs:
        m = len(r)
        for i in range(m - 1):
            if r[i : i + 2] not in heads:
                continue
            for n in range(2, min(max_len, m - i) + 1):
                g = r[i : i + n]
                if g not in candidates:
                    continue
                if i > 0:
                    left[g][r[i - 1]] += 1
                else:
                    lb[g] += 1
                if i + n < m:
                    right[g][r[i + n]] += 1
                else:
                    rb[g] += 1
    return left, right, lb, rb


@lru_cache(maxsize=1)
def _known_words():
    """jieba's dictionary, the bundled policy lexicon and the agency registry's names (read once)."""
    import jieba

    from .lexicon import policy_lexicon

    with jieba.get_dict_file() as f:
        words = {(line.decode("utf-8") if isinstance(line, bytes) else line).split(" ", 1)[0] for line in f}
    words.update(e.word for e in policy_lexicon())
    return frozenset(words)


def discover_terms(
    docs: Documents,
    *,
    min_count: int = 5,
    max_len: int = 6,
    min_pmi: float = 5.0,
    min_entropy: float = 2.0,
    known: Iterable[str] | None = None,
    top_n: int | None = None,
) -> pd.DataFrame:
    """Find multi-character terms of a corpus that the dictionary does not have.

    Parameters
    ----------
    docs : Corpus, list of str, or a tokens DataFrame
        Texts (a tokens table is joined back into text, without its stopwords).
    min_count : int, default 5
        Occurrences a term needs.
    max_len : int, default 6
        Longest term, in characters (2 is the shortest).
    min_pmi : float, default 5.0
        Cohesion threshold (bits; 5 = the parts occur together 32 times more
        often than chance).
    min_entropy : float, default 2.0
        Threshold on the smaller of the left and right branching entropies (bits).
    known : iterable of str, optional
        Words that are not new (default: jieba's dictionary, the policy lexicon
        and the agency registry).
    top_n : int, optional
        Keep the best ``top_n`` by score.

    Returns
    -------
    DataFrame
        ``term, count, pmi, left_entropy, right_entropy, score`` for every
        accepted term, best first; ``score = log2(count) · min(pmi, 10) ·
        min(left_entropy, right_entropy)``.  Ties break on the term, so the
        table is the same on every run.

    Examples
    --------
    >>> texts = [f"{a}跨省通办{b}" for a in ("推行", "实行", "探索", "完善", "开展", "建立")
    ...          for b in ("机制。", "事项，", "试点；", "服务。", "清单，")]
    >>> discover_terms(texts, min_pmi=2.0).term.tolist()  # a toy corpus: every character is rare, so PMI is low
    ['跨省通办']
    """
    check_int("min_count", min_count, minimum=2)
    check_int("max_len", max_len, minimum=2)
    if top_n is not None:
        check_int("top_n", top_n, minimum=1)
    texts = _texts(docs)
    runs = list(_runs(texts))
    counts, total = _count(runs, max_len, min_count)
    known_words = set(known) if known is not None else _known_words()
    cands = {}
    for g, n in counts.items():
        if len(g) < 2 or g in known_words or g[0] in _EDGE or g[-1] in _EDGE:
            continue
        pmi = min(math.log2(n * total / (counts[g[:i]] * counts[g[i:]])) for i in range(1, len(g)))
        if pmi >= min_pmi:
            cands[g] = (n, pmi)
    left, right, lb, rb = _neighbours(runs, cands, max_len)
    rows = []
    for g, (n, pmi) in cands.items():
        hl, hr = _entropy(left[g], lb[g]), _entropy(right[g], rb[g])
        if min(hl, hr) >= min_entropy:
            rows.append((g, n, pmi, hl, hr, math.log2(n) * min(pmi, 10.0) * min(hl, hr)))
    out = pd.DataFrame(rows, columns=["term", "count", "pmi", "left_entropy", "right_entropy", "score"])
    out = _drop_fragments(out)
    out = out.sort_values(["score", "term"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    if top_n is not None:
        out = out.head(top_n)
    return attach(out, provenance("discover_terms", {"min_count": min_count, "max_len": max_len, "min_pmi": min_pmi,
                                                     "min_entropy": min_entropy, "top_n": top_n,
                                                     "known": "default" if known is None else len(known)}))


def _drop_fragments(table):
    """Drop a term inside a longer accepted term that accounts for nearly all of its occurrences."""
    if table.empty:
        return table
    counts = dict(zip(table["term"], table["count"]))
    longer = sorted(counts, key=len, reverse=True)
    drop = {t for t in counts for u in longer if len(u) > len(t) and t in u and counts[u] >= 0.8 * counts[t]}
    return table[~table["term"].isin(drop)]


def _texts(docs):
    if isinstance(docs, pd.DataFrame) and "tokens" in docs.columns:
        return ["".join(t) for t in docs["tokens"]]
    return ids_texts(docs, one_text_hint="pass a list of texts or a Corpus")[1]
