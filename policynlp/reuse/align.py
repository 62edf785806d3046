"""Local alignment of the passages two documents share.

Seeds are the fingerprints both texts hold (:mod:`.shingles`).  Seeds on
nearly the same diagonal and close to each other are chained into one passage,
so an adopting document's edits — an inserted 我省, a changed target, a
renumbered item, a dropped clause — stay inside one passage instead of
cutting it up (the seed-and-extend scheme of BLAST and of text-reuse tools
such as passim; Smith, Cordell & Mullen 2015, "Computational methods for
uncovering reprinted texts in antebellum newspapers", American Literary
History 27(3)).  The ends of a chain are extended character by character while
the two skeletons agree, then pulled back to the nearest sentence end inside
the extension, since a few coincidentally equal characters after a full stop
are context, not reuse — unless the extension reaches a line or sentence
boundary in both texts, where the whole unit was copied.  Last, the two
passages are compared character by character and a sentence at either end of
either side goes when the other side does not hold it — when fewer than 40 %
of its own characters (set phrases aside) lie in stretches of three or more
characters equal in both, unless it is 90 % equal as a whole: a neighbouring
sentence written from the same template (各地区各部门要推进X，确保各项任务落到
实处。) shares its set phrases but not its slots.  What one side drops, the
other drops too.  On planted copies the offsets are exact for every unedited
copy found at 1,000 and 10,000 documents (README).
"""

import re
from typing import NamedTuple

import numpy as np
from rapidfuzz.distance import Indel

from .shingles import shingle_hashes, skeleton

__all__ = ["Prepared", "align", "prepare"]

_ENDS = "。；！？!?;\n"  # what ends a sentence or a line
_BOUNDARY = re.compile(f"[{_ENDS}]")


class Prepared(NamedTuple):
    """One text made ready for :func:`align`: its skeleton and shingle hashes, sorted once for every pair it is in."""

    text: str
    codes: np.ndarray
    offsets: np.ndarray
    hashes: np.ndarray
    sorted_hashes: np.ndarray
    order: np.ndarray
    usable: np.ndarray  # shingles that may seed: not a formula, at most ``cap`` occurrences in this text
    content: np.ndarray  # skeleton characters outside every formula shingle: what the similarity compares


def prepare(text, k=7, *, skip=None, cap=4):
    """What :func:`align` needs of one text, computed once when the text is aligned with many others.

    ``skip`` holds formula hashes that seed nothing; a shingle occurring more
    than ``cap`` times in the text (a repeated phrase) seeds nothing either.
    """
    codes, offsets = skeleton(text)
    h = shingle_hashes(codes, k)
    order = np.argsort(h, kind="stable")
    hs = h[order]
    usable = (np.searchsorted(hs, h, side="right") - np.searchsorted(hs, h, side="left")) <= cap
    content = np.ones(len(codes), dtype=bool)
    if skip is not None and len(skip) and len(h):
        formula = np.isin(h, skip)
        usable &= ~formula
        content = np.convolve(formula.astype(np.int8), np.ones(k, dtype=np.int8))[: len(codes)] == 0
    return Prepared(text, codes, offsets, h, hs, order, usable, content)


def _segments(pa_, pb_, cap=4):
    """Runs of equal shingles on one diagonal: ``(a, b, n)`` = ``n`` consecutive shingles equal from ``a`` and ``b``."""
    pa = np.flatnonzero(pa_.usable)
    lo = np.searchsorted(pb_.sorted_hashes, pa_.hashes[pa], side="left")
    n = np.searchsorted(pb_.sorted_hashes, pa_.hashes[pa], side="right") - lo
    ok = (n > 0) & (n <= cap)
    pa, lo, n = pa[ok], lo[ok], n[ok]
    if len(pa) == 0:
        return np.empty((0, 3), dtype=np.int64)
    rep_a = np.repeat(pa, n)
    within = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    rep_b = pb_.order[np.repeat(lo, n) + within]
    keep = pb_.usable[rep_b]
    rep_a, rep_b = rep_a[keep], rep_b[keep]
    if len(rep_a) == 0:
        return np.empty((0, 3), dtype=np.int64)
    diag = rep_b - rep_a
    idx = np.lexsort((rep_a, diag))
    a, d = rep_a[idx], diag[idx]
    brk = np.flatnonzero(np.r_[True, (d[1:] != d[:-1]) | (a[1:] != a[:-1] + 1)])
    lengths = np.diff(np.r_[brk, len(a)])
    segs = np.column_stack([a[brk], a[brk] + d[brk], lengths])
    return segs[np.lexsort((segs[:, 1], segs[:, 0]))]


def _chains(segments, k, max_gap, max_drift, ca, cb, max_bridge=400):
    """Join segments into chains: ``[first_a, first_b, end_a, end_b]`` (skeleton offsets, ends exclusive).

    A segment joins a chain when it starts within ``max_gap`` characters on a
    diagonal at most ``max_drift`` away — or, further away (up to
    ``max_bridge``), when it lies on the same diagonal and the text in between
    is identical in both (a copied stretch of set phrases, which seeds nothing).
    """
    chains = []
    open_ = []
    for a, b, n in segments.tolist():
        ea, eb = a + n - 1 + k, b + n - 1 + k
        open_ = [c for c in open_ if a - c[-1][3] <= max_bridge]
        best = None
        for c in open_:
            la, lb, _, end_a, end_b = c[-1]
            da, db = a - end_a, b - end_b
            # the next segment starts after the chain's last one, close by, on a near diagonal
            if not (a > la and b > lb):
                continue
            near = da <= max_gap and db <= max_gap and abs(db - da) <= max_drift
            bridge = not near and da == db and 0 < da and np.array_equal(ca[end_a:a], cb[end_b:b])
            if (near or bridge) and (best is None or da < a - best[-1][3]):
                best = c
        seg = (a, b, n, max(ea, best[-1][3]) if best else ea, max(eb, best[-1][4]) if best else eb)
        if best is None:
            chains.append([seg])
            open_.append(chains[-1])
        else:
            best.append(seg)
    return [_trim(c, k) for c in chains]


def _trim(chain, k):
    """``[first_a, first_b, end_a, end_b]`` of a chain without the short segments at its ends that a gap sets apart.

    A coincidental match next to a passage (one shingle of a set phrase a few
    characters before it) joins the chain; a piece shorter than the gap that
    separates it from the rest is dropped, so the passage starts and ends where
    the copying does.
    """
    while len(chain) > 1:
        a, b, n, _, _ = chain[0]
        na, nb = chain[1][0], chain[1][1]
        if n + k - 1 < max(na - (a + n - 1 + k), nb - (b + n - 1 + k)):
            chain = chain[1:]
        else:
            break
    while len(chain) > 1:
        a, b, n, _, _ = chain[-1]
        pa, pb, pn = chain[-2][0], chain[-2][1], chain[-2][2]
        if n + k - 1 < max(a - (pa + pn - 1 + k), b - (pb + pn - 1 + k)):
            chain = chain[:-1]
        else:
            break
    return [chain[0][0], chain[0][1], max(s[3] for s in chain), max(s[4] for s in chain)]


def _snap_start(text, lo, hi):
    """Move a start at ``lo`` to just after the last sentence end in ``text[lo:hi]``, if any."""
    last = None
    for m in _BOUNDARY.finditer(text, lo, hi):
        last = m.end()
    return _skip_blank(text, lo if last is None else last, hi)


def _snap_end(text, lo, hi):
    """Move an end at ``hi`` back to just after the first sentence end in ``text[lo:hi]``, if any."""
    m = _BOUNDARY.search(text, lo, hi)
    end = hi if m is None else (m.end() if m.group() != "\n" else m.start())
    return end


def align(text_a, text_b, *, k=7, skip=None, min_chars=50, max_gap=40, max_drift=25, min_similarity=0.75,
          min_content_similarity=0.5):
    """Passages of ``text_a`` reused in ``text_b`` (or the reverse): offsets in both and their similarity.

    Parameters
    ----------
    text_a, text_b : str or Prepared
        The texts, or what :func:`prepare` made of them (to align one text with many).
    k : int, default 7
        Shingle length of the seeds (skeleton characters).
    skip : array of uint64, optional
        Shingle hashes that are not evidence of reuse (formulas found in many
        documents); they neither start nor extend a chain (for prepared texts,
        give it to :func:`prepare` instead).
    min_chars : int, default 50
        Shortest passage reported, in characters of the shorter side.
    max_gap, max_drift : int, default 40, 25
        Two seeds join one passage when they are at most ``max_gap`` skeleton
        characters apart in each text and their diagonals differ by at most
        ``max_drift`` (the net length of insertions minus deletions between them).
    min_similarity : float, default 0.75
        Smallest normalised Indel similarity of the two passages' skeletons
        (the similarity reported).
    min_content_similarity : float, default 0.5
        The same with the set phrases (``skip``) left out: a passage is reuse
        when what is specific to it agrees, not when two documents wrap
        different content in the same formulas.

    Returns
    -------
    list of tuple
        ``(a_start, a_end, b_start, b_end, similarity)``, offsets into the
        original strings, sorted by ``a_start``.

    Examples
    --------
    >>> src = "一、总体要求。到2025年，生态环境分区管控制度基本建立，全域覆盖、精准科学的生态环境分区管控体系初步形成，为生态环境高水平保护提供支撑。二、其他。"
    >>> dst = "我省方案如下。到2027年，我省生态环境分区管控制度全面建立，全省覆盖、精准科学的生态环境分区管控体系基本形成，为全省生态环境高水平保护提供支撑。附件略。"
    >>> [(a0, a1, b0, b1, sim)] = align(src, dst)
    >>> src[a0:a1]
    '生态环境分区管控制度基本建立，全域覆盖、精准科学的生态环境分区管控体系初步形成，为生态环境高水平保护提供支撑。'
    >>> dst[b0:b1], sim
    ('生态环境分区管控制度全面建立，全省覆盖、精准科学的生态环境分区管控体系基本形成，为全省生态环境高水平保护提供支撑。', 0.8846)
    """
    pa_ = text_a if isinstance(text_a, Prepared) else prepare(text_a, k, skip=skip)
    pb_ = text_b if isinstance(text_b, Prepared) else prepare(text_b, k, skip=skip)
    text_a, ca, oa = pa_.text, pa_.codes, pa_.offsets
    text_b, cb, ob = pb_.text, pb_.codes, pb_.offsets
    out = []
    for fa, fb, ea, eb in _chains(_segments(pa_, pb_), k, max_gap, max_drift, ca, cb):
        if min(ea - fa, eb - fb) < min_chars // 2:
            # too little seeded to make a passage: the exact extension adds at most a few characters
            # beyond the seeds (formula shingles aside), so short chains are not extended at all
            continue
        sa, sb = fa, fb
        la, lb = ea, eb  # ends of the seeded region
        back = _agree(ca[sa - 1 :: -1] if sa else ca[:0], cb[sb - 1 :: -1] if sb else cb[:0])
        sa, sb = sa - back, sb - back
        ahead = _agree(ca[ea:], cb[eb:])
        ea, eb = ea + ahead, eb + ahead
        # original offsets; an exact extension beyond the outer shingles that crosses a sentence end
        # stops there (a few equal characters next to a full stop are context, not reuse)
        a0, b0 = int(oa[sa]), int(ob[sb])
        if not (_unit_start(text_a, a0) and _unit_start(text_b, b0)):  # a whole copied line or sentence stays whole
            a0 = _snap_start(text_a, a0, int(oa[min(fa + k, len(oa)) - 1]))
            b0 = _snap_start(text_b, b0, int(ob[min(fb + k, len(ob)) - 1]))
        a1, b1 = int(oa[ea - 1]) + 1, int(ob[eb - 1]) + 1
        if not (_unit_end(text_a, a1) and _unit_end(text_b, b1)):
            a1 = _snap_end(text_a, int(oa[la - k]) + 1, a1)
            b1 = _snap_end(text_b, int(ob[lb - k]) + 1, b1)
        a0, b0 = _absorb_open(text_a, text_b, a0, b0)
        a1, b1 = _absorb_close(text_a, text_b, a1, b1)
        a0, a1, b0, b1 = _without_fragments(text_a, text_b, a0, a1, b0, b1)
        a0, a1, b0, b1 = _without_unmatched_units(pa_, pb_, a0, a1, b0, b1)
        a1, b1 = _same_ending(text_a, text_b, a1, b1)
        a0, a1, b0, b1 = _with_identical_neighbours(text_a, text_b, a0, a1, b0, b1)
        if min(a1 - a0, b1 - b0) < min_chars:
            continue
        sim = Indel.normalized_similarity(_plain(pa_, a0, a1), _plain(pb_, b0, b1))
        full = Indel.normalized_similarity(_plain(pa_, a0, a1, everything=True), _plain(pb_, b0, b1, everything=True))
        if full >= min_similarity and sim >= min_content_similarity:
            out.append((a0, a1, b0, b1, round(float(full), 4)))
    return _merge(sorted(out))


_BLANK = " \t\u3000"
_FRAGMENT = 12  # characters: a piece this short cut off by a sentence end at either end of a passage is coincidence


def _unit_start(text, pos):
    """True when ``pos`` starts a sentence or a line (only blanks between it and the previous end)."""
    before = text[:pos].rstrip(_BLANK)
    return not before or before[-1] in _ENDS


def _unit_end(text, pos):
    """True when ``pos`` ends a sentence or a line."""
    return pos >= len(text) or text[pos - 1] in _ENDS or text[pos:].lstrip(_BLANK)[:1] in ("", "\n")


def _without_fragments(text_a, text_b, a0, a1, b0, b1):
    """Offsets without a short piece of another sentence at either end, when both sides have one.

    Shared set phrases that open or close neighbouring sentences (各地区各部门要…)
    chain onto a copied passage; a piece under 12 characters cut off by a
    sentence end, running on into a sentence that continues in both texts, is
    that coincidence, not reuse.  A piece that ends a line in either text (a
    short heading copied with the passage) stays.
    """
    if not (_unit_end(text_a, a1) or _unit_end(text_b, b1)):
        ea, eb = _last_end(text_a, a0, a1), _last_end(text_b, b0, b1)
        if ea is not None and eb is not None and len(text_a[ea:a1].strip()) < _FRAGMENT > len(text_b[eb:b1].strip()):
            a1, b1 = ea, eb
    if not (_unit_start(text_a, a0) or _unit_start(text_b, b0)):
        sa, sb = _first_end(text_a, a0, a1), _first_end(text_b, b0, b1)
        if sa is not None and sb is not None and len(text_a[a0:sa].strip()) < _FRAGMENT > len(text_b[b0:sb].strip()):
            a0, b0 = _skip_blank(text_a, sa, a1), _skip_blank(text_b, sb, b1)
    return a0, a1, b0, b1


_BLOCK = 3  # characters: shorter equal stretches are what any two sentences on one subject have in common
_EVIDENCE = 0.4  # share of a sentence's own characters (set phrases aside) found verbatim in the other passage
_VERBATIM = 0.9  # … or share of all its characters: a sentence copied (nearly) whole stays, set phrases or not


def _without_unmatched_units(pa_, pb_, a0, a1, b0, b1):
    """Offsets without the sentences at either end of each side that the other side does not contain.

    The two passages are aligned character by character (Indel opcodes of
    their skeletons); a sentence or line at an end of one side stays when at
    least ``_EVIDENCE`` of its own characters — those outside set phrases
    (formulas) — lie in equal blocks of ``_BLOCK`` or more characters, or when
    ``_VERBATIM`` of all its characters do.  A neighbouring sentence written from the same
    template (the same formulas, other terms in the slots) shares its set
    phrases but little else, so it goes; an edited copy's sentence (an inserted
    我省, a changed number) keeps most of its characters and stays.  A sentence
    made of set phrases only carries no evidence and goes too.
    """
    la, ha = np.searchsorted(pa_.offsets, [a0, a1])
    lb, hb = np.searchsorted(pb_.offsets, [b0, b1])
    sa, sb = pa_.codes[la:ha], pb_.codes[lb:hb]
    if not len(sa) or not len(sb):
        return a0, a1, b0, b1
    ma, mb = np.zeros(len(sa), dtype=bool), np.zeros(len(sb), dtype=bool)
    pairs_a, pairs_b = [], []
    for op in Indel.opcodes(sa.tolist(), sb.tolist()):
        if op.tag == "equal" and op.src_end - op.src_start >= _BLOCK:
            ma[op.src_start : op.src_end] = True
            mb[op.dest_start : op.dest_end] = True
        if op.tag == "equal":
            pairs_a.append(np.arange(op.src_start, op.src_end))
            pairs_b.append(np.arange(op.dest_start, op.dest_end))
    a0, a1 = _kept_units(pa_, a0, a1, la, ma, sb)
    b0, b1 = _kept_units(pb_, b0, b1, lb, mb, sa)
    if not pairs_a:
        return a0, a1, b0, b1
    # what one side dropped, the other drops too: each side keeps the units holding characters matched inside the other's
    ia, ib = np.concatenate(pairs_a) + la, np.concatenate(pairs_b) + lb
    ra, rb = np.searchsorted(pa_.offsets, [a0, a1]), np.searchsorted(pb_.offsets, [b0, b1])
    inside = (ia >= ra[0]) & (ia < ra[1]) & (ib >= rb[0]) & (ib < rb[1])
    if not inside.any():
        return a0, a0, b0, b0
    first, last = np.flatnonzero(inside)[[0, -1]]
    a0, a1 = _within_units(pa_.text, a0, a1, int(pa_.offsets[ia[first]]), int(pa_.offsets[ia[last]]))
    b0, b1 = _within_units(pb_.text, b0, b1, int(pb_.offsets[ib[first]]), int(pb_.offsets[ib[last]]))
    return a0, a1, b0, b1


def _within_units(text, start, end, first, last):
    """``(start, end)`` narrowed to the sentences holding the characters at ``first`` and ``last``."""
    for m in _BOUNDARY.finditer(text, start, first):
        start = _skip_blank(text, m.end(), first + 1)
    m = _BOUNDARY.search(text, last, end)
    if m is not None and m.end() < end:
        end = m.start() if m.group() == "\n" else m.end()
        while end < len(text) and text[end] in _CLOSE:
            end += 1
    return start, end


def _kept_units(prepared, start, end, first, matched, other):
    """``(start, end)`` without the end units of ``prepared.text[start:end]`` whose evidence is under ``_EVIDENCE``.

    A unit whose whole skeleton occurs in ``other`` (the other passage's
    skeleton codes) is evidence however it was aligned: when a copied
    sentence follows one from the same template, the character alignment may
    pair its opener with the neighbour's and leave it looking half matched.
    """
    text = prepared.text
    other_text = None  # the other skeleton as a string, made when first needed

    def occurs(codes):
        nonlocal other_text
        if other_text is None:
            other_text = _as_text(other)
        return _as_text(codes) in other_text
    cuts = [m.end() for m in _BOUNDARY.finditer(text, start, end - 1)]
    units = list(zip([start] + cuts, cuts + [end]))
    if len(units) < 2:
        return start, end

    def evidence(u0, u1):
        lo, hi = np.searchsorted(prepared.offsets, [u0, u1]) - first
        if hi <= lo:
            return False
        own = prepared.content[first + lo : first + hi]
        if matched[lo:hi].mean() >= _VERBATIM:
            return True
        if own.sum() > 0 and (matched[lo:hi] & own).sum() >= _EVIDENCE * own.sum():
            return True
        return hi - lo >= _FRAGMENT and occurs(prepared.codes[first + lo : first + hi])

    def partial(u0, u1, at_start):  # part of a sentence that goes on beyond the passage
        return not (_unit_start(text, u0) if at_start else _unit_end(text, u1))

    def fragment(u0, u1, at_start):
        # a few characters of such a sentence: an opener or closer both texts happen to share
        return partial(u0, u1, at_start) and len(text[u0:u1].strip()) < _FRAGMENT

    def tail(u0, u1, at_start):
        # … or one made of set phrases (…体系，确保各项任务落到实处。): evidence only with the sentence next to it
        if not partial(u0, u1, at_start):
            return False
        lo, hi = np.searchsorted(prepared.offsets, [u0, u1])
        return int(prepared.content[lo:hi].sum()) < _FRAGMENT // 2

    i, j = 0, len(units)
    while i < j - 1 and (fragment(*units[i], True) or not evidence(*units[i])
                         or (tail(*units[i], True) and not evidence(*units[i + 1]))):
        i += 1
    while j - 1 > i and (fragment(*units[j - 1], False) or not evidence(*units[j - 1])
                         or (tail(*units[j - 1], False) and not evidence(*units[j - 2]))):
        j -= 1
    stop = units[j - 1][1]
    while j < len(units) and stop > start and text[stop - 1] in "\n" + _BLANK:
        stop -= 1  # a line break or blank after a kept sentence is not part of it
    return _skip_blank(text, units[i][0], end), stop


def _last_end(text, lo, hi):
    """Just after the last sentence end strictly inside ``text[lo:hi]`` (its closing marks included), or None."""
    last = None
    for m in _BOUNDARY.finditer(text, lo, hi - 1):
        last = m.start() if m.group() == "\n" else m.end()
    while last is not None and last < hi and text[last] in _CLOSE:  # 。” : the quote closes the sentence
        last += 1
    return last


def _first_end(text, lo, hi):
    m = _BOUNDARY.search(text, lo + 1, hi)
    return None if m is None else m.end()


def _skip_blank(text, pos, hi):
    while pos < hi and not text[pos].strip():
        pos += 1
    return pos


_OPEN = "（(《〈“‘「『【〔["
_CLOSE = "）)》〉”’」』】〕]"


def _absorb_open(text_a, text_b, a0, b0):
    """Take in opening brackets and quotes that both texts have right before the passage."""
    while a0 > 0 and b0 > 0 and text_a[a0 - 1] == text_b[b0 - 1] and text_a[a0 - 1] in _OPEN:
        a0, b0 = a0 - 1, b0 - 1
    return a0, b0


def _absorb_close(text_a, text_b, a1, b1):
    """Take in what both texts have right after the passage and the skeleton leaves out.

    Closing marks always; other symbols (the + of 互联网+) only when the run
    reaches a sentence end, which is taken in too.
    """
    run = closing = 0
    while a1 + run < len(text_a) and b1 + run < len(text_b) and text_a[a1 + run] == text_b[b1 + run]:
        ch = text_a[a1 + run]
        if ch == "\n":
            break
        if _BOUNDARY.match(ch):
            return a1 + run + 1, b1 + run + 1
        if ch not in _CLOSE and len(skeleton(ch)[0]):
            break  # a character the comparison sees: not for this step to take
        if ch in _CLOSE and closing == run:  # closing marks right after the passage, with nothing between
            closing += 1
        run += 1
    return a1 + closing, b1 + closing


_LONGEST_UNIT = 2000  # characters: a "sentence" beyond this is a text without sentence ends


def _unit_before(text, pos):
    """``(start, pos)`` of the sentence or line that ends right before ``pos`` (a unit start), or None."""
    end = pos
    while end > 0 and text[end - 1] in _BLANK + "\n":
        end -= 1
    if end == 0 or not _unit_start(text, pos):
        return None
    lo = max(0, end - _LONGEST_UNIT)
    ends = [m.end() for m in _BOUNDARY.finditer(text, lo, end - 1)]
    if not ends and lo > 0:
        return None  # longer than any sentence: not one to take in whole
    start = ends[-1] if ends else lo
    return _skip_blank(text, start, end), pos


def _unit_after(text, pos):
    """``(pos, end)`` of the sentence or line that starts right after ``pos`` (a unit end), or None."""
    start = _skip_blank(text, pos, len(text))
    while start < len(text) and text[start] == "\n":
        start = _skip_blank(text, start + 1, len(text))
    if start >= len(text) or not _unit_end(text, pos):
        return None
    m = _BOUNDARY.search(text, start)
    end = len(text) if m is None else (m.start() if m.group() == "\n" else m.end())
    while end < len(text) and text[end] in _CLOSE:
        end += 1
    return start, end


def _with_identical_neighbours(text_a, text_b, a0, a1, b0, b1):
    """The passage with the whole sentences next to it that are identical in both texts.

    The character alignment can start or end a passage one sentence short
    when a copied sentence and its neighbour share a template: the two texts
    then agree on a whole sentence beyond the passage, which is part of it.
    Units shorter than ``_FRAGMENT`` characters (a heading, 一、总体要求)
    are not taken in this way: two documents share those without copying.
    """
    def same(ua, ub):
        if ua is None or ub is None:
            return False
        x, y = text_a[ua[0] : ua[1]].strip(), text_b[ub[0] : ub[1]].strip()
        return x == y and len(skeleton(x)[0]) >= _FRAGMENT

    while same(ua := _unit_before(text_a, a0), ub := _unit_before(text_b, b0)):
        a0, b0 = ua[0], ub[0]
    while same(ua := _unit_after(text_a, a1), ub := _unit_after(text_b, b1)):
        a1, b1 = ua[1], ub[1]
    return a0, a1, b0, b1


def _end_marks(text, pos):
    """The sentence end and closing marks right before ``pos`` (``"。"``, ``"。”"``), without line breaks."""
    start = pos
    while start > 0 and text[start - 1] in _CLOSE + _ENDS.replace("\n", ""):
        start -= 1
    return text[start:pos]


def _same_ending(text_a, text_b, a1, b1):
    """Both passages end the same way: a sentence end one takes in and the other has right after it goes in both.

    Trimming a side back to a sentence can leave the other stopped just
    before that sentence's full stop (its alignment ended on the last
    character the comparison sees).
    """
    ea, eb = _end_marks(text_a, a1), _end_marks(text_b, b1)
    if eb and not ea and text_a.startswith(eb, a1):
        a1 += len(eb)
    elif ea and not eb and text_b.startswith(ea, b1):
        b1 += len(ea)
    return a1, b1


def _agree(x, y, step=64):
    """How many leading elements of ``x`` and ``y`` are equal (compared a block at a time)."""
    n = min(len(x), len(y))
    done = 0
    while done < n:
        m = min(step, n - done)
        diff = np.flatnonzero(x[done : done + m] != y[done : done + m])
        if len(diff):
            return done + int(diff[0])
        done += m
        step *= 2
    return n


def _plain(prepared, start, end, everything=False):
    lo, hi = np.searchsorted(prepared.offsets, [start, end])
    codes = prepared.codes[lo:hi] if everything else prepared.codes[lo:hi][prepared.content[lo:hi]]
    return _as_text(codes)


def _as_text(codes):
    """Skeleton codes as a string, for string comparison and search."""
    return "".join(map(chr, codes.tolist()))


def _merge(spans):
    """Drop passages contained in another one on both sides (a repeated phrase seeding a second chain)."""
    keep = []
    for s in spans:
        if any(k[0] <= s[0] and s[1] <= k[1] and k[2] <= s[2] and s[3] <= k[3] for k in keep):
            continue
        keep = [k for k in keep if not (s[0] <= k[0] and k[1] <= s[1] and s[2] <= k[2] and k[3] <= s[3])]
        keep.append(s)
    return sorted(keep)
