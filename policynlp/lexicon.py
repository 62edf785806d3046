"""Lexicons and stopword lists: the bundled policy lists and users' own files.

jieba's user-dictionary format (``word [freq] [tag]`` per line) has traps that
cost scholars hours: a UTF-8 BOM glued to the first word, a frequency so low
that the word still gets split, words with spaces that the format cannot hold,
or brackets and digits that jieba cuts before it ever looks at the dictionary.
:func:`load_lexicon` reads the format strictly and says which line is wrong;
the Segmenter then keeps every entry whole (see its notes).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import NamedTuple

from .errors import LexiconError, ParameterError
from .resources import read_lines

__all__ = ["LexiconEntry", "load_lexicon", "load_stopwords", "policy_lexicon", "fingerprint"]


class LexiconEntry(NamedTuple):
    """One lexicon word with an optional frequency and POS tag."""

    word: str
    freq: int | None = None
    tag: str | None = None


_TAG = re.compile(r"^[A-Za-z_]{1,12}$")


def _parse_line(line, *, path, lineno):
    parts = line.split()
    word, rest = parts[0], parts[1:]
    freq = tag = None
    if rest and rest[0].isdigit():
        freq = int(rest.pop(0))
    if rest and _TAG.match(rest[0]):
        tag = rest.pop(0)
    if rest:
        raise LexiconError(
            f"cannot read {line!r}: expected 'word [frequency] [tag]'. A word cannot contain spaces "
            "(write it without them), the frequency must be a whole number and the tag letters only",
            path=path, line=lineno,
        )
    return LexiconEntry(word, freq, tag)


def load_lexicon(source):
    """Read lexicon entries from a file, a list of words, or a bundled name.

    Parameters
    ----------
    source : str, Path, or iterable of str / LexiconEntry / (word, freq, tag) tuples
        A path to a text file in jieba's user-dictionary format (``word [freq]
        [tag]``, one per line, ``#`` comments allowed), the name ``"policy"`` for
        the bundled policy lexicon, or words directly.

    Returns
    -------
    list of LexiconEntry

    Examples
    --------
    >>> load_lexicon(["智慧城市", ("信息惠民工程", 5, "n")])
    [LexiconEntry(word='智慧城市', freq=None, tag=None), LexiconEntry(word='信息惠民工程', freq=5, tag='n')]
    """
    if isinstance(source, str) and source == "policy":
        return policy_lexicon()
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise LexiconError(f"cannot read lexicon file: {exc.strerror or exc}", path=path) from exc
        try:
            text = raw.decode("utf-8-sig")  # strips the BOM jieba would glue to the first word
        except UnicodeDecodeError as exc:
            raise LexiconError("lexicon files must be UTF-8; re-save the file as UTF-8", path=path) from exc
        out = []
        for i, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if line and not line.startswith("#"):
                out.append(_parse_line(line, path=path, lineno=i))
        return out
    out = []
    for i, item in enumerate(source):
        if isinstance(item, str):
            if not item.strip() or any(c.isspace() for c in item.strip()):
                raise ParameterError(f"lexicon word {i} ({item!r}) is empty or contains spaces")
            out.append(LexiconEntry(item.strip()))
        elif isinstance(item, tuple) and 1 <= len(item) <= 3:
            out.append(LexiconEntry(*item))
        else:
            raise ParameterError(f"lexicon item {i} ({item!r}) must be a word or a (word, freq, tag) tuple")
    return out


def policy_lexicon():
    """The bundled policy terms plus every agency name and alias from the registry (tag ``nt``)."""
    from .meta.agencies import load_agencies

    entries = [_parse_line(line, path="policy_lexicon.txt", lineno=0) for line in read_lines("policy_lexicon.txt")]
    entries.extend(LexiconEntry(name, None, "nt") for name in load_agencies().surfaces())
    return entries


#: Stopword tiers: where each lives and what it holds (see the data files' headers).
STOPWORD_TIERS = {
    "function": "function words (的, 包括, 基于, 相关, 用于 …)",
    "boilerplate": "official-document boilerplate (印发, 特此, 抄送 …)",
    "address": "forms of address in replies and letters (你市, 我部 …)",
    "admin": "administrative verbs and generic work nouns (加强, 推进, 开展, 建设, 完善 …)",
}
_TIER_FILES = {"function": "stopwords.txt", "boilerplate": "stopwords.txt", "address": "stopwords.txt",
               "admin": "stopwords_admin.txt"}


def _tier(name):
    from .resources import read_text

    words, current = [], None
    for line in read_text(_TIER_FILES[name]).splitlines():
        line = line.strip()
        if line.startswith("# tier:"):
            current = line.split(":", 1)[1].strip()
        elif line and not line.startswith("#") and current == name:
            words.append(line)
    return words


def load_stopwords(source):
    """A frozenset of stopwords: ``"policy"``, a tier name, a file path, or an iterable of words.

    ``"policy"`` is what the Segmenter drops by default: the ``function``,
    ``boilerplate`` and ``address`` tiers.  ``"admin"`` (administrative verbs
    such as 加强, 推进, 开展) is dropped from topic and keyword terms, not from
    segmentation output.  Tier names may be joined with ``+``
    (``"policy+admin"``).  See :data:`STOPWORD_TIERS`.

    Examples
    --------
    >>> sw = load_stopwords("policy")
    >>> "的" in sw and "智慧城市" not in sw and "加强" not in sw
    True
    >>> "加强" in load_stopwords("policy+admin")
    True
    """
    if source is None:
        return frozenset()
    if isinstance(source, str) and all(p in STOPWORD_TIERS or p == "policy" for p in source.split("+")):
        out = set()
        for part in source.split("+"):
            for tier in ("function", "boilerplate", "address") if part == "policy" else (part,):
                out.update(_tier(tier))
        return frozenset(out)
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise LexiconError(f"cannot read stopword file as UTF-8: {exc}", path=path) from exc
        return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))
    return frozenset(str(w) for w in source)


def fingerprint(*parts):
    """A short stable hash of the given values (lexicons, stopwords, options) for caches and provenance."""
    h = hashlib.sha256()
    for part in parts:
        h.update(repr(part).encode("utf-8"))
        h.update(b"\x1e")
    return h.hexdigest()[:16]
