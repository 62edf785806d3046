"""Pure text normalisation steps for Chinese policy documents.

Each step is a function ``str -> str`` that can be used alone; :func:`normalize`
chains them with a switch for each.  None of them changes its input (strings
are immutable), so the original text is always kept by the caller.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..errors import MissingDependencyError

__all__ = [
    "normalize",
    "to_halfwidth",
    "unify_punctuation",
    "normalize_whitespace",
    "join_broken_lines",
    "remove_citation_marks",
    "to_simplified",
    "replace_surrogates",
]

_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_surrogates(text):
    r"""Replace lone UTF-16 surrogates (which JSON escapes such as ``"\ud800"`` produce) with U+FFFD.

    A lone surrogate is not a character: it cannot be written as UTF-8, so
    it would crash every writer, the segmenter and OpenCC downstream.  A
    correctly paired surrogate (an escaped character outside the BMP) is
    joined into that character.

    Returns
    -------
    (str, int)
        The text, and how many code points were replaced.

    Examples
    --------
    >>> replace_surrogates("智慧\ud800城市")
    ('智慧�城市', 1)
    >>> replace_surrogates("\ud840\udc0b")  # a valid pair: one CJK Extension B character
    ('\U0002000b', 0)
    """
    if not _SURROGATE.search(text):
        return text, 0
    fixed = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return fixed, fixed.count("\ufffd") - text.count("\ufffd")

# Full-width digits and Latin letters (U+FF10–FF19, U+FF21–FF3A, U+FF41–FF5A) and
# a few symbols that occur inside document numbers and figures.  Chinese
# punctuation (，。：；（）) stays full-width: it is the standard form.
_HALFWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}
_HALFWIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)})
_HALFWIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)})
_HALFWIDTH.update({ord("．"): ".", ord("％"): "%", ord("＋"): "+", ord("－"): "-", ord("／"): "/"})


def to_halfwidth(text):
    """Turn full-width digits, Latin letters and ``．％＋－／`` into their ASCII forms.

    Examples
    --------
    >>> to_halfwidth("国发〔２０１３〕７号，ＰＰＰ模式，增长１２．５％")
    '国发〔2013〕7号，PPP模式，增长12.5%'
    """
    return text.translate(_HALFWIDTH)


_QUOTES = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’", "〝": "“", "〞": "”", "＂": '"'})
_STRAIGHT_DOUBLE = re.compile(r'"([^"\n]{0,200})"')
_STRAIGHT_SINGLE = re.compile(r"(?<![A-Za-z])'([^'\n]{0,200})'(?![A-Za-z])")
_ASCII_PARENS = re.compile(r"\(([^()\n]{0,200})\)")
_CJK = re.compile(r"[\u3400-\u9fff]")
# 文号 brackets: [ ] 【】 ［］ ( ) （） around a four-digit year before a serial and 号.
_DOCNO_BRACKETS = re.compile(r"[\[【［(（〔]\s*((?:19|20)\d{2})\s*[\]】］)）〕](?=\s*第?\d+\s*号)")
_HALF_ANGLE_TITLE = re.compile(r"<<([^<>\n]{1,200})>>")


def unify_punctuation(text):
    """Unify punctuation variants that defeat matching.

    - brackets around the year of a document number become 〔〕
      (``国发[2013]7号``, ``国发【2013】7号``, ``国发(2013)7号`` → ``国发〔2013〕7号``);
    - ASCII parentheses around text containing Chinese become （）;
    - straight quotes ``"…"``, corner quotes 「…」 and 〝…〞 become curly “…”;
    - ``<<title>>`` becomes 《title》.

    Examples
    --------
    >>> unify_punctuation('国发[2013]7号（"互联网+"）(试行) <<智慧社区建设指南>>')
    '国发〔2013〕7号（“互联网+”）（试行） 《智慧社区建设指南》'
    """
    text = _DOCNO_BRACKETS.sub(r"〔\1〕", text)
    text = text.translate(_QUOTES)
    text = _STRAIGHT_DOUBLE.sub(r"“\1”", text)
    text = _STRAIGHT_SINGLE.sub(
        lambda m: f"‘{m.group(1)}’" if _CJK.search(m.group(1)) else m.group(0), text
    )
    text = _ASCII_PARENS.sub(
        lambda m: f"（{m.group(1)}）" if _CJK.search(m.group(1)) else m.group(0), text
    )
    return _HALF_ANGLE_TITLE.sub(r"《\1》", text)


_SPACES = re.compile(r"[ \t\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff]+")
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff，。；：、！？）》”])[ ]+(?=[\u3400-\u9fff，。；：、！？（《“])")
_MANY_NEWLINES = re.compile(r"\n{3,}")


def normalize_whitespace(text):
    """Unify line endings and spaces.

    ``\\r\\n`` and ``\\r`` become ``\\n``; runs of spaces, tabs, ideographic
    spaces (U+3000), no-break and zero-width spaces become one space, and a space
    between two Chinese characters is removed; spaces at line ends are dropped and
    more than one blank line becomes one.

    Examples
    --------
    >>> normalize_whitespace("　　一、总体要求\\r\\n智慧 城市\\t建设\\r\\r\\n\\n\\n完")
    '一、总体要求\\n智慧城市建设\\n\\n完'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    text = _CJK_GAP.sub("", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _MANY_NEWLINES.sub("\n\n", text).strip()


_LINE_END_OK = "。！？；：!?;:…”’）)】》"
_NUMBERED_START = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇\d]+[章节条款部分]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]|附件|[#*-])"
)


def join_broken_lines(text):
    """Join lines that were broken inside a sentence (typical of PDF extraction).

    A line is joined to the next one when it does not end a sentence, is at
    least 15 characters long (so that short title lines stay apart), the next
    line does not start a numbered heading, and it does not start one itself
    unless it ends on ， or 、 (mid-sentence); blank lines always separate paragraphs.

    Examples
    --------
    >>> join_broken_lines("为加快推进新型智慧城市和数字政府\\n建设，制定本意见。\\n一、总体要求\\n（一）指导思想")
    '为加快推进新型智慧城市和数字政府建设，制定本意见。\\n一、总体要求\\n（一）指导思想'
    """
    out = []
    for line in text.split("\n"):
        if out and out[-1] and line and continues_line(out[-1], line):
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


def continues_line(previous, line):
    """Whether ``line`` continues the sentence of ``previous`` (the rule of :func:`join_broken_lines`).

    Examples
    --------
    >>> continues_line("为加快推进新型智慧城市和数字政府", "建设，制定本意见。")
    True
    >>> continues_line("一、总体要求", "（一）指导思想")
    False
    >>> continues_line("（一）推进登记注册便利化。放宽住所登记条件，", "可以使用网络经营场所登记。")
    True
    """
    return (
        previous[-1] not in _LINE_END_OK
        and not _NUMBERED_START.match(line)
        # a numbered line ending mid-sentence (on ， or 、) goes on; one ending otherwise is a heading
        and (previous[-1] in "，,、" or not _NUMBERED_START.match(previous))
        and len(previous) >= 15
    )


_CITATION_MARKS = re.compile(
    r"\^\s*\[\s*\d{1,3}(?:\s*[-–,，]\s*\d{1,3})*\s*\]"
    r"|［\s*\d{1,3}(?:\s*[-–,，]\s*\d{1,3})*\s*］(?!\s*\d*\s*号)"
    r"|\[\s*\d{1,3}(?:\s*[-–,，]\s*\d{1,3})*\s*\](?!\s*\d*\s*号)"
    r"|[⁰¹²³⁴⁵⁶⁷⁸⁹]+"
)


def remove_citation_marks(text):
    """Remove reference marks such as ``^[3]``, ``[3]``, ``[1-4]`` and superscript digits.

    Years in document-number brackets (``国发[2013]7号``) are left alone.

    Examples
    --------
    >>> remove_citation_marks("智慧城市试点^[3]已达290个[4,5]，见国发[2013]7号。")
    '智慧城市试点已达290个，见国发[2013]7号。'
    """
    return _CITATION_MARKS.sub("", text)


@lru_cache(maxsize=4)
def _converter(config):
    try:
        import opencc
    except ImportError as exc:  # pragma: no cover - OpenCC is a core dependency
        raise MissingDependencyError(
            "traditional→simplified conversion needs OpenCC: pip install OpenCC"
        ) from exc
    return opencc.OpenCC(config)


def to_simplified(text):
    """Convert traditional characters to simplified (OpenCC ``t2s``).

    Examples
    --------
    >>> to_simplified("國家發展和改革委員會關於門戶網站")
    '国家发展和改革委员会关于门户网站'
    """
    return _converter("t2s").convert(text)


def normalize(
    text: str,
    *,
    halfwidth: bool = True,
    punctuation: bool = True,
    whitespace: bool = True,
    join_lines: bool = True,
    citation_marks: bool = True,
    simplified: bool = False,
) -> str:
    """Apply the normalisation steps in a fixed order, each switchable.

    Parameters
    ----------
    text : str
        The text as read.
    halfwidth : bool, default True
        :func:`to_halfwidth`.
    punctuation : bool, default True
        :func:`unify_punctuation`.
    whitespace : bool, default True
        :func:`normalize_whitespace`.
    join_lines : bool, default True
        :func:`join_broken_lines` (after whitespace).
    citation_marks : bool, default True
        :func:`remove_citation_marks`.
    simplified : bool, default False
        :func:`to_simplified`; off by default because it is slow and most
        mainland texts are simplified already.

    Returns
    -------
    str

    Examples
    --------
    >>> normalize("國發［２０１３］７號^[2]\\r\\n規定：加快推進新型智慧城市與數位政府\\r\\n建設。", simplified=True)
    '国发〔2013〕7号\\n规定：加快推进新型智慧城市与数位政府建设。'
    """
    text, _ = replace_surrogates(text)
    if simplified:
        text = to_simplified(text)
    if halfwidth:
        text = to_halfwidth(text)
    if citation_marks:
        text = remove_citation_marks(text)
    if punctuation:
        text = unify_punctuation(text)
    if whitespace:
        text = normalize_whitespace(text)
    if join_lines:
        joined = join_broken_lines(text)
        if punctuation and joined != text:
            # quotes are paired within a line: a quote whose partner was on the next line pairs only now
            joined = unify_punctuation(joined)
        text = joined
    return text
