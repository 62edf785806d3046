"""Chinese word segmentation that keeps policy terms whole.

The :class:`Segmenter` owns a private tokenizer (never jieba's global one),
loads the bundled policy lexicon (every agency name and alias from the
registry, and policy terms such as 智慧城市 or 互联网+政务服务) plus the user's
words, and *protects* spans that jieba would cut before consulting any
dictionary: titles in 《》, document numbers (国发〔2013〕7号), collective
mentions (八部委, 12部门), dates, and user words containing brackets or
punctuation.  Protected spans come out as single tokens exactly as written
(or are dropped, by option).

Two engines give the same tokens on the same dictionary: jieba-rs through
``rjieba`` (default, about 30 times faster) and pure-Python jieba
(``engine="jieba"``), the reference.

Its length is the Segmenter's protected spans and engine set-up; where segmentation runs is in
:mod:`policynlp.segment_exec`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ._documents import ids_texts
from ._types import Documents, Engine, PathLike, SpanPolicy, choices
from ._validation import check_choice, check_int
from .errors import MissingDependencyError, ParameterError
from .lexicon import fingerprint, load_lexicon, load_stopwords
from .meta.dates import CN_DATE, NUM_DATE
from .meta.docnumbers import iter_doc_number_matches, match_span
from .provenance import attach, provenance
from .resources import read_lines

if TYPE_CHECKING:
    from distributed import Client

    from .tokencache import TokenCache

__all__ = ["Segmenter", "ENGINES"]

log = logging.getLogger(__name__)

ENGINES = choices(Engine)

# Characters jieba (and jieba-rs) keep inside one dictionary word; a lexicon
# word with any other character cannot come out whole from the engine and is
# protected as a literal span instead.
_ENGINE_WORD = re.compile(r"^[\u4e00-\u9fd5a-zA-Z0-9+#&._%\-]+$")
_TITLE = r"《[^《》\n]{0,150}(?:《[^《》\n]{0,150}》[^《》\n]{0,150})*》"
_COLLECTIVE = re.compile(r"(?<![\d一二三四五六七八九十两])[0-9一二三四五六七八九十两]{1,3}个?(?:部委|部门)")
_COLLECTIVE_ANCHOR = re.compile(r"部委|部门")
_NUMBER = re.compile(r"^[0-9]+(?:[.,][0-9]+)*%?$")
# Web addresses and e-mail addresses: never words; dropped by default (urls="drop").
_URL = re.compile(r"https?://[^\s，。；）)\u4e00-\u9fff]+|www\.[^\s，。；）)\u4e00-\u9fff]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_KIND_TAG = {"title": "title", "docno": "docno", "collective": "collective", "date": "date", "url": "url"}


def _build_engine(engine):
    if engine == "rjieba":
        try:
            import rjieba
        except ImportError as exc:  # pragma: no cover - a core dependency
            raise MissingDependencyError("engine='rjieba' needs rjieba: pip install rjieba") from exc
        return rjieba.Jieba()
    import jieba

    tk = jieba.Tokenizer()
    tk.initialize()
    return tk


class Segmenter:
    """Segment Chinese policy text with a policy lexicon and protected spans.

    Parameters
    ----------
    engine : {"rjieba", "jieba"}, default "rjieba"
        The tokenizer: jieba-rs (fast) or pure-Python jieba (the reference).
        Both use jieba's dictionary and give the same tokens with ``hmm=False``.
    hmm : bool, default True
        Let the HMM join unknown words (jieba's default).
    lexicon : "policy", None, path or list, default "policy"
        Words to keep whole.  ``"policy"`` is the bundled lexicon: policy
        terms plus all agency names and aliases from the registry.
    user_words : path, list, or list of them, optional
        Further words, as a jieba user dictionary file (``word [freq] [tag]``)
        or a list.  Each word is kept whole: its frequency is raised to what it
        needs to survive (jieba's ``suggest_freq``) when lower; words with
        brackets or punctuation are protected as literal spans.
    stopwords : "policy", None, path or list, default "policy"
        Words to drop.  ``"policy"`` is the bundled list (function words and
        official-document boilerplate); with it, boilerplate phrases such as
        各省、自治区、直辖市人民政府 are removed whole.
    extra_stopwords : list, optional
        Added to ``stopwords``.
    pos : bool, default False
        Also return part-of-speech tags, from the same segmentation pass.
        Protected spans are tagged ``title``, ``docno``, ``collective``, ``date``.
    titles, doc_numbers : {"keep", "drop", "split"}, default "keep"
        ``keep``: one token as written; ``drop``: removed; ``split``: not
        protected, segmented like any text.
    collective : {"keep", "drop", "split"}, default "keep"
        Collective mentions such as 八部委.
    dates : {"keep", "drop", "split"}, default "drop"
        Dates such as 2014年8月27日 (one token when kept).
    urls : {"keep", "drop", "split"}, default "drop"
        Web and e-mail addresses (one token when kept).
    punctuation : bool, default False
        Keep punctuation tokens.  Whitespace is always dropped.
    numbers : bool, default False
        Keep numbers (2014, 12.5%); terms such as 5G are kept either way.
    min_length : int, default 1
        Drop engine tokens shorter than this (protected spans are exempt).

    Examples
    --------
    >>> seg = Segmenter()
    >>> seg.cut("经国务院同意，国家发展改革委、工业和信息化部等八部委联合印发《关于促进智慧城市健康发展的指导意见》（发改高技〔2014〕1770号）")
    ['经', '国务院', '同意', '国家发展改革委', '工业和信息化部', '八部委', '联合', '《关于促进智慧城市健康发展的指导意见》', '发改高技〔2014〕1770号']

    Notes
    -----
    jieba cuts 〔〕《》 and digits before it looks up its dictionary, so
    ``add_word("国发〔2012〕28号")`` has no effect; the Segmenter finds such
    spans with regular expressions first and segments only the text between
    them.  The tokenizer and lexicon are built on first use and reused.
    """

    def __init__(
        self,
        *,
        engine: Engine = "rjieba",
        hmm: bool = True,
        lexicon: str | None = "policy",
        user_words: PathLike | Iterable[str] | None = None,
        stopwords: str | Iterable[str] | None = "policy",
        extra_stopwords: Iterable[str] | None = None,
        pos: bool = False,
        titles: SpanPolicy = "keep",
        doc_numbers: SpanPolicy = "keep",
        collective: SpanPolicy = "keep",
        dates: SpanPolicy = "drop",
        urls: SpanPolicy = "drop",
        punctuation: bool = False,
        numbers: bool = False,
        min_length: int = 1,
    ) -> None:
        self.engine = check_choice("engine", engine, ENGINES)
        self.hmm = bool(hmm)
        self.lexicon = lexicon
        self.user_words = user_words
        self.stopwords = stopwords
        self.extra_stopwords = extra_stopwords
        self.pos = bool(pos)
        for name, value in (("titles", titles), ("doc_numbers", doc_numbers), ("collective", collective), ("dates", dates),
                            ("urls", urls)):
            check_choice(name, value, choices(SpanPolicy))
        self.titles = titles
        self.doc_numbers = doc_numbers
        self.collective = collective
        self.dates = dates
        self.urls = urls
        self.punctuation = bool(punctuation)
        self.numbers = bool(numbers)
        self.min_length = check_int("min_length", min_length, minimum=1)
        self._state = None

    # --- parameters (picklable: workers rebuild the tokenizer from them) ---------------
    def get_params(self):
        """The constructor arguments, as a dict."""
        return {k: getattr(self, k) for k in (
            "engine", "hmm", "lexicon", "user_words", "stopwords", "extra_stopwords", "pos", "titles",
            "doc_numbers", "collective", "dates", "urls", "punctuation", "numbers", "min_length")}

    def __getstate__(self):
        return {"params": self.get_params()}

    def __setstate__(self, state):
        self.__init__(**state["params"])

    def __repr__(self):
        changed = {k: v for k, v in self.get_params().items() if v != Segmenter.__init__.__kwdefaults__[k]}
        return "Segmenter(" + ", ".join(f"{k}={v!r}" for k, v in changed.items()) + ")"

    # --- set-up -------------------------------------------------------------------------------
    def _entries(self):
        entries = list(load_lexicon(self.lexicon)) if self.lexicon is not None else []
        uw = self.user_words
        if uw is not None:
            # A path, a list of paths (every item an existing file), or a list of words.
            if isinstance(uw, (str, Path)):
                sources = [uw]
            elif uw and all(isinstance(x, Path) or (isinstance(x, str) and Path(x).is_file()) for x in uw):
                sources = list(uw)
            else:
                sources = [list(uw)]
            for src in sources:
                entries.extend(load_lexicon(src))
        return entries

    def prepare(self) -> dict:
        """Load the engine, lexicon and stopwords now rather than at the first :meth:`cut`, and return that state.

        Worker processes and Dask workers call it once before their first batch.

        Examples
        --------
        >>> Segmenter().prepare()["fingerprint"] == Segmenter().fingerprint
        True
        """
        if self._state is not None:
            return self._state
        entries = self._entries()
        stop = set(load_stopwords(self.stopwords))
        if self.extra_stopwords:
            stop |= set(load_stopwords(list(self.extra_stopwords)))
        boiler = read_lines("boilerplate.txt") if self.stopwords == "policy" else []
        tk = _build_engine(self.engine)
        literals = {}
        for e in entries:
            if _ENGINE_WORD.match(e.word):
                needed = tk.suggest_freq(e.word) if self.engine == "rjieba" else tk.suggest_freq(e.word, False)
                freq = max(e.freq or 0, needed)
                tk.add_word(e.word, freq, e.tag)
            else:
                literals[e.word] = e.tag or "x"
        spans = []  # (kind, function text -> matches, action)
        if boiler:
            spans.append(("boilerplate", _alternation(boiler).finditer, "drop"))
        if literals:
            spans.append(("literal", _alternation(literals).finditer, "keep"))
        if self.titles != "split":
            spans.append(("title", re.compile(_TITLE).finditer, self.titles))
        if self.doc_numbers != "split":
            spans.append(("docno", iter_doc_number_matches, self.doc_numbers))
        if self.collective != "split":
            spans.append(("collective", _collective_matches, self.collective))
        if self.urls != "split":
            spans.append(("url", _URL.finditer, self.urls))
        if self.dates != "split":
            spans.append(("date", NUM_DATE.finditer, self.dates))
            spans.append(("date", _cn_date_matches, self.dates))
        if self.pos:
            if self.engine == "rjieba":
                cut = lambda s, _tag=tk.tag, _h=self.hmm: _tag(s, _h)  # noqa: E731
            else:
                import jieba.posseg

                pt = jieba.posseg.POSTokenizer(tk)
                cut = lambda s, _pt=pt, _h=self.hmm: [tuple(p) for p in _pt.lcut(s, HMM=_h)]  # noqa: E731
        else:
            cut = (lambda s, _c=tk.cut, _h=self.hmm: _c(s, _h)) if self.engine == "rjieba" else (
                lambda s, _c=tk.lcut, _h=self.hmm: _c(s, HMM=_h))
        self._state = {
            "tk": tk, "cut": cut, "spans": spans, "literals": literals,
            "drop": frozenset(stop), "n_words": len(entries), "keep": set(), "seen": set(),
            "fingerprint": fingerprint(self.get_params(), sorted((e.word, e.freq or 0, e.tag or "") for e in entries),
                                       sorted(stop), boiler),
        }
        return self._state

    @property
    def fingerprint(self):
        """A hash of everything that decides the output: options, lexicon entries, stopwords."""
        return self.prepare()["fingerprint"]

    # --- segmentation -------------------------------------------------------------------------
    def _protected(self, text, spans):
        found = []
        for kind, matches, action in spans:
            for m in matches(text):
                if kind == "docno":
                    # Keep only the number itself, not a verb or name the code pattern swept in.
                    start, end, _ = match_span(m)
                else:
                    start, end = m.start(), m.end()
                if end > start:
                    found.append((start, -(end - start), kind, action))
        if not found:
            return found
        found.sort()
        out, last = [], 0
        for start, neg, kind, action in found:
            if start >= last:
                out.append((start, start - neg, kind, action))
                last = start - neg
        return out

    def _decide(self, t):
        """Whether an engine token is kept (memoised in the keep/drop sets)."""
        st = self._state
        c = t[0]
        if t in st["drop"] or len(t) < self.min_length or c.isspace():
            keep = False
        elif not c.isalnum():
            keep = self.punctuation and not t.isspace()
        else:
            keep = self.numbers or not (c.isdigit() and _NUMBER.match(t))
        if len(st["seen"]) < 2_000_000:  # bound the memo on endless vocabularies
            st["seen"].add(t)
            if keep:
                st["keep"].add(t)
        return keep

    def _filter(self, toks):
        # Tokens repeat (Zipf): after the first sighting each costs one set lookup.
        keep, seen, decide = self._state["keep"], self._state["seen"], self._decide
        return [t for t in toks if t in keep or (t not in seen and decide(t))]

    def _filter_pos(self, pairs):
        keep = set(self._filter([w for w, _ in pairs]))
        return [(w, f) for w, f in pairs if w in keep]

    def cut(self, text: str) -> list[str] | list[tuple[str, str]]:
        """Tokens of one text (a list of str; with ``pos=True``, a list of (word, tag) pairs).

        Parameters
        ----------
        text : str

        Returns
        -------
        list
        """
        st = self.prepare()
        if not isinstance(text, str):
            raise ParameterError(f"text must be a str, not {type(text).__name__}")
        cut = st["cut"]
        flt = self._filter_pos if self.pos else self._filter
        spans = self._protected(text, st["spans"]) if st["spans"] else ()
        if not spans:
            return flt(cut(text))
        out = []
        pos = 0
        for start, end, kind, action in spans:
            if start > pos:
                out.extend(flt(cut(text[pos:start])))
            if action == "keep":
                word = text[start:end]
                if self.pos:
                    out.append((word, _KIND_TAG.get(kind) or st["literals"].get(word, "x")))
                else:
                    out.append(word)
            pos = end
        if pos < len(text):
            out.extend(flt(cut(text[pos:])))
        return out

    def segment(
        self,
        docs: Documents,
        *,
        n_jobs: int = 1,
        chunk_size: int | None = None,
        cache: PathLike | TokenCache | None = None,
        progress: bool | None = None,
        mp_context: str | None = None,
        client: Client | None = None,
    ) -> pd.DataFrame:
        """Segment a corpus or a list of texts.

        Parameters
        ----------
        docs : Corpus, list of str, pandas.Series of str, or DataFrame
            A DataFrame needs ``id`` and ``text``; a ``document`` column (the
            units of :func:`policynlp.text.units_frame`) is carried into the
            result, so topic models can aggregate units back to documents.
        n_jobs : int, default 1
            Worker processes.  Workers build their tokenizer once and return
            tokens joined into one string per document, so that moving results
            between processes stays cheap; output is identical to ``n_jobs=1``.
            With the fast default engine one process is usually fastest on
            small corpora (see the README's benchmark).
        chunk_size : int, optional
            Documents per task: 200 for worker processes, 2000 on a Dask cluster.
        cache : str or Path, optional
            A folder for a token cache keyed by text and :attr:`fingerprint`:
            re-running segments only texts not seen before.
        progress : bool or None
            Progress bar; ``None`` shows it on a terminal only.
        mp_context : {"spawn", "forkserver", "fork"} or None
            Start method of the worker processes (default: the platform's).
            Workers rebuild the tokenizer from the Segmenter's parameters, so
            ``"spawn"`` (Windows, macOS) gives the same result as ``"fork"``.
        client : distributed.Client, optional
            Segment on the workers of a Dask cluster instead (see
            :func:`policynlp.cluster.connect`).  Each worker builds the
            tokenizer once, through a worker plugin; the result is identical to
            the single-process one.  ``n_jobs`` is then ignored.

        Returns
        -------
        pandas.DataFrame
            Columns ``id`` and ``tokens`` (list of str), plus ``pos`` (list of
            str) when ``pos=True`` and ``document`` for units; one row per
            document (or unit) in input order.

        Examples
        --------
        >>> from policynlp.datasets import load_demo
        >>> tokens = Segmenter().segment(load_demo())
        >>> tokens.set_index("id").loc["sc-pilot-2012", "tokens"][:5]
        ['住房和城乡建设部', '办公厅', '发出通知', '启动', '国家智慧城市试点']
        """
        check_int("n_jobs", n_jobs, minimum=1)
        from .segment_exec import chunk_size_for

        chunk_size = chunk_size_for(chunk_size, client)
        ids, texts = _ids_texts(docs)
        record = provenance("segment", self.get_params())
        record["fingerprint"] = self.fingerprint
        if cache is not None:
            from .tokencache import TokenCache

            frame = TokenCache(cache).segment(self, ids, texts, n_jobs=n_jobs, chunk_size=chunk_size, progress=progress,
                                              mp_context=mp_context, client=client)
        else:
            frame = self._segment_frame(ids, texts, n_jobs, chunk_size, progress, mp_context, client)
        if isinstance(docs, pd.DataFrame) and "document" in docs.columns:
            frame.insert(1, "document", docs["document"].astype(str).to_numpy())  # units keep their document
        return attach(frame, record)

    def _segment_frame(self, ids, texts, n_jobs, chunk_size, progress, mp_context=None, client=None):
        # segment_exec builds Segmenters in its worker processes, so it imports this module: it is imported here,
        # when a method runs, never at import time (the one import cycle of the package, and a lazy one)
        from .segment_exec import segment_frame

        return segment_frame(self, ids, texts, n_jobs=n_jobs, chunk_size=chunk_size, progress=progress,
                             mp_context=mp_context, client=client)

    def segment_parquet(self, source, dest, *, id_column="id", text_column="text", batch_size=5_000, n_jobs=1,
                        cache=None, progress=None, client=None):
        """Stream a Parquet file of documents into a tokens Parquet file, one batch at a time.

        Peak memory depends on ``batch_size``, not on the number of documents:
        only one batch of texts and its tokens are in memory at once.  The
        output is the same as ``segment`` followed by ``tables.write_tokens``
        (tested).

        Parameters
        ----------
        source : path
            A corpus Parquet file (``Corpus.to_parquet``) or any Parquet file with
            an id and a text column.
        dest : path
            The tokens Parquet file to write (``id``, ``tokens`` and ``pos`` with ``pos=True``).
        batch_size : int, default 5000
        n_jobs, cache, client
            As in :meth:`segment`, applied to each batch.  With a Dask
            ``client`` the workers need not see ``source``: this machine reads
            the batches and sends them, a few partitions at a time.

        Returns
        -------
        int
            The number of documents segmented.
        """
        from .segment_exec import segment_parquet

        return segment_parquet(self, source, dest, id_column=id_column, text_column=text_column, batch_size=batch_size,
                               n_jobs=n_jobs, cache=cache, progress=progress, client=client)

    def segment_joined(self, texts, *, n_jobs=1, chunk_size=None, progress=None, mp_context=None, client=None):
        """Segment texts and return each as one string of tokens joined by U+001F (``/`` tags with pos).

        The compact form used between processes and in caches; most users want :meth:`segment`.
        """
        from .segment_exec import segment_joined

        return segment_joined(self, texts, n_jobs=n_jobs, chunk_size=chunk_size, progress=progress,
                              mp_context=mp_context, client=client)


_YEAR_CHAR = re.compile("年")


def _cn_date_matches(text):
    # 二〇一四年八月…: anchor on 年 instead of trying the pattern at every numeral.
    for a in _YEAR_CHAR.finditer(text):
        if a.start() >= 4:
            m = CN_DATE.match(text, a.start() - 4)
            if m is not None:
                yield m


def _collective_matches(text):
    for a in _COLLECTIVE_ANCHOR.finditer(text):
        m = _COLLECTIVE.search(text, max(0, a.start() - 4), a.end())
        if m is not None and m.end() == a.end():
            yield m


def _alternation(words):
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))))


def _ids_texts(docs):
    return ids_texts(docs, one_text_hint="use Segmenter.cut(text) for one text, or pass a list")
