"""Readers for single files: plain text and Markdown, Word, PDF and HTML.

Each reader takes a path and returns a list of raw records (dicts with at
least ``text``, possibly ``title`` and other metadata).  A file that holds no
usable text raises :class:`Skip` with the reason; a file that cannot be parsed
raises :class:`~policynlp.errors.CorpusFormatError`.
"""

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from .._yaml import safe_load as _safe_yaml
from ..errors import CorpusFormatError
from .decoding import decode_bytes, garbled_note

__all__ = ["Skip", "ReadLimits", "FILE_READERS", "read_text_file", "read_docx", "read_pdf", "read_html", "check_ooxml"]


class Skip(Exception):
    """A file is well-formed but holds nothing to ingest (reason in the message)."""


@dataclass(frozen=True)
class ReadLimits:
    """Size limits that keep a hostile or broken input from exhausting memory.

    Parameters
    ----------
    max_bytes : int, default 32 MiB
        The largest piece of text read as one unit: a text or HTML file, one
        XML part unpacked from a .docx or .xlsx, one JSONL line.  Real policy
        documents are far smaller (the longest State Council regulations are
        under 1 MB); an input over the limit is reported "over the size limit".
    max_ratio : float, default 100
        The largest compression ratio of a part inside a .docx or .xlsx
        (unpacked size / packed size, checked for parts over 1 MiB).  Office
        files compress XML about 5-20 times; a decompression bomb thousands of
        times.
    """

    max_bytes: int = 32 << 20
    max_ratio: float = 100.0


DEFAULT_LIMITS = ReadLimits()
_RATIO_FLOOR = 1 << 20  # small parts may compress well without being a bomb


def megabytes(n):
    return f"{n / (1 << 20):.1f} MB"


def _read_capped(path, limits):
    """The bytes of a file, refusing one larger than ``limits.max_bytes`` before reading it."""
    size = Path(path).stat().st_size
    if size > limits.max_bytes:
        raise Skip(f"over the size limit ({megabytes(size)} > max_bytes={limits.max_bytes:,}); "
                   "raise max_bytes to read it")
    return Path(path).read_bytes()


def check_ooxml(path, limits=DEFAULT_LIMITS):
    """Check that a .docx/.xlsx is a sound zip of XML parts before a library opens it.

    Refuses, with a :class:`CorpusFormatError` naming the problem: a file that
    is not a zip or is truncated, a part whose unpacked size passes
    ``limits.max_bytes`` or whose compression ratio passes ``limits.max_ratio``
    (decompression bombs), and XML parts with a ``<!DOCTYPE>`` (Office files
    never have one; entity-expansion bombs need one).  The sizes are those in
    the zip's directory; :mod:`zipfile` never unpacks more than they say.

    Examples
    --------
    >>> import tempfile
    >>> bad = Path(tempfile.mkdtemp()) / "notice.docx"
    >>> _ = bad.write_text("这不是Word文件", encoding="utf-8")
    >>> check_ooxml(bad)
    Traceback (most recent call last):
    ...
    policynlp.errors.CorpusFormatError: ...notice.docx: not a readable .docx file: it is not a zip archive (corrupt, truncated, or another format renamed); re-save it from Word or Excel
    """
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise CorpusFormatError(f"not a readable {Path(path).suffix.lower() or 'Office'} file: it is not a zip archive "
                                "(corrupt, truncated, or another format renamed); re-save it from Word or Excel",
                                path=path) from exc
    with zf:
        total = 0
        for info in zf.infolist():
            total += info.file_size
            if info.file_size > limits.max_bytes or total > 4 * limits.max_bytes:
                raise CorpusFormatError(
                    f"over the size limit: part {info.filename!r} unpacks to {megabytes(info.file_size)} "
                    f"(max_bytes={limits.max_bytes:,}; all parts together at most 4 × max_bytes); "
                    "raise max_bytes if the file is genuine", path=path)
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > _RATIO_FLOOR and ratio > limits.max_ratio:
                raise CorpusFormatError(
                    f"over the size limit: part {info.filename!r} unpacks {ratio:,.0f} times its packed size "
                    f"(max_ratio={limits.max_ratio:g}), the mark of a decompression bomb", path=path)
            if info.filename.endswith((".xml", ".rels")):
                _scan_xml_part(zf, info, path)


def _scan_xml_part(zf, info, path):
    """Unpack one XML part in blocks (which also checks its CRC) and refuse DTDs and entity declarations.

    Escaped text can never contain ``<!DOCTYPE`` or ``<!ENTITY``, so either
    anywhere in a part is a declaration: Office never writes one, and
    entity-expansion bombs need one.
    """
    tail = b""
    try:
        with zf.open(info) as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                window = tail + block
                if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                    raise CorpusFormatError(
                        f"refused: part {info.filename!r} declares a <!DOCTYPE> or entities, which Office files "
                        "never do (the mark of an entity-expansion bomb)", path=path)
                tail = window[-16:]
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
        raise CorpusFormatError(f"damaged Office file: part {info.filename!r} cannot be unpacked ({exc}); "
                                "re-save it from Word or Excel", path=path) from exc


_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
_SENTENCE_END = tuple("。；：，;:,")


def _guess_title(text, fallback):
    """The first line if it looks like a title (short, not a sentence), else ``fallback``."""
    for line in text.split("\n"):
        line = line.strip().lstrip("#").strip()
        if line:
            if len(line) <= 60 and not line.endswith(_SENTENCE_END):
                return line
            break
    return fallback


def read_text_file(path, *, encoding=None, limits=DEFAULT_LIMITS):
    """A .txt or .md file, with optional YAML front matter between ``---`` lines."""
    text, enc = decode_bytes(_read_capped(path, limits), path=path, encoding=encoding)
    meta = {}
    m = _FRONT.match(text)
    if m:
        meta = _safe_yaml(m.group(1), source=path, what="front matter", line_offset=1) or {}
        if not isinstance(meta, dict):
            raise CorpusFormatError("front matter must be a mapping of key: value lines", path=path, field="front matter")
        text = text[m.end() :]
    if not text.strip():
        raise Skip("empty file (no text)")
    meta = {str(k): v for k, v in meta.items()}
    meta.setdefault("title", _guess_title(text, Path(path).stem))
    return [{**meta, "text": text, "_encoding": enc, "_notes": garbled_note(text, enc)}]


def read_docx(path, *, limits=DEFAULT_LIMITS, **_):
    """A Word .docx file: paragraphs and table cells in document order.

    The file is checked first (:func:`check_ooxml`): not a zip, truncated,
    over the size limits or carrying a ``<!DOCTYPE>`` is reported, not opened.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    check_ooxml(path, limits)
    try:
        document = docx.Document(str(path))
    except XMLSyntaxError as exc:
        raise CorpusFormatError(f"malformed XML inside the .docx ({exc}); re-save it from Word", path=path) from exc
    except (PackageNotFoundError, KeyError, ValueError, OSError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise CorpusFormatError(f"not a readable .docx file ({exc}); re-save it from Word", path=path) from exc
    parts = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            parts.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = []
                    for cell in row.iterchildren():
                        if cell.tag.endswith("}tc"):
                            cells.append("".join(t.text or "" for t in cell.iter() if t.tag.endswith("}t")))
                    parts.append("\t".join(cells))
    text = "\n".join(parts)
    if not text.strip():
        raise Skip("empty document (no text in paragraphs or tables)")
    title = (document.core_properties.title or "").strip() or _guess_title(text, Path(path).stem)
    return [{"title": title, "text": text}]


def read_pdf(path, *, limits=DEFAULT_LIMITS, **_):
    """A PDF's text layer (pypdf).  Scanned PDFs without one are skipped with the reason."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    size = Path(path).stat().st_size
    if size > 8 * limits.max_bytes:  # PDFs carry images and fonts: more room than for text
        raise Skip(f"over the size limit ({megabytes(size)} > 8 × max_bytes for a PDF); raise max_bytes to read it")
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise Skip("encrypted PDF: remove the password and ingest again")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except Skip:
        raise
    # pypdf reports malformed files through its own errors but also through
    # ValueError, KeyError, TypeError or struct errors from deep inside the
    # parser; each of them means "this file is not a readable PDF".
    except (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError, OSError) as exc:
        raise CorpusFormatError(f"not a readable PDF ({type(exc).__name__}: {exc})", path=path) from exc
    text = "\n".join(pages)
    if not text.strip():
        raise Skip(
            f"PDF has no text layer ({len(pages)} page(s), probably scanned): run OCR first "
            "(e.g. `ocrmypdf -l chi_sim in.pdf out.pdf`) and ingest the result"
        )
    title = ((info.title if info else None) or "").strip()
    if title.lower() in _PLACEHOLDER_TITLES or title.lower().startswith("microsoft word"):
        title = ""  # what PDF writers put when the author gave no title
    title = title or _guess_title(text, Path(path).stem)
    return [{"title": title, "text": text, "pages": len(pages)}]


_PLACEHOLDER_TITLES = {"untitled", "无标题", "document", "文档", "title"}


_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_-]+)", re.I)
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table", "td"}
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "template")


def _html_text(element):
    """Text of an lxml element with line breaks at block elements."""
    out = []

    def walk(el):
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _BLOCK_TAGS:
            out.append("\n")
        if el.text and tag not in _DROP_TAGS:
            out.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                out.append(child.tail)
        if tag in _BLOCK_TAGS:
            out.append("\n")

    walk(element)
    text = "".join(out)
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def _declared_charset(data):
    """The encoding to decode an HTML page with, given its ``<meta charset>``, or None to detect it.

    Old government pages often declare ``iso-8859-1`` (or no Chinese encoding
    at all) while the bytes are UTF-8 or GBK: a single-byte declaration never
    fails to decode and would turn every Chinese character into mojibake.  So
    a page that is valid UTF-8 is read as UTF-8 whatever it declares, and a
    single-byte declaration is ignored in favour of detection.
    """
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    declared = m.group(1).decode("ascii").lower().replace("_", "-")
    if declared in ("gb2312", "gbk", "gb18030", "x-gbk"):
        return "gb18030"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if declared in _SINGLE_BYTE:
        return None
    return declared


_SINGLE_BYTE = {"iso-8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "us-ascii", "ascii", "iso8859-1",
                "iso-8859-15", "windows-1250"}


def read_html(path, *, encoding=None, limits=DEFAULT_LIMITS):
    """An HTML page's main text: readability finds the article; menus, scripts and footers are dropped."""
    import lxml.html
    from lxml.etree import ParserError
    from readability import Document as Readable

    data = _read_capped(path, limits)
    if encoding is None:
        encoding = _declared_charset(data)
    try:
        html, enc = decode_bytes(data, path=path, encoding=encoding)
    except CorpusFormatError:
        html, enc = decode_bytes(data, path=path)  # a wrong <meta charset>: detect instead
    if not html.strip():
        raise Skip("empty file (no text)")
    try:
        page = lxml.html.fromstring(html)
    except (ParserError, ValueError) as exc:
        raise CorpusFormatError(f"not parseable as HTML ({exc})", path=path) from exc
    for bad in page.xpath("|".join(f"//{t}" for t in _DROP_TAGS)):
        bad.drop_tree()
    title = (page.findtext(".//title") or "").strip()
    h1 = page.findtext(".//h1")
    try:
        summary = Readable(lxml.html.tostring(page, encoding="unicode")).summary(html_partial=True)
        text = _html_text(lxml.html.fromstring(summary))
    except (ParserError, ValueError) as exc:  # readability gives up on some pages
        raise CorpusFormatError(f"no main text found in HTML ({exc})", path=path) from exc
    body = page.find(".//body")
    full = _html_text(body if body is not None else page)
    # Readability prefers the densest block; on short official pages that can be
    # a fragment.  Fall back to the whole (cleaned) body when it found little.
    if len(text) < 0.3 * len(full):
        text = full
    if not text.strip():
        raise Skip("HTML page has no text outside menus and scripts")
    return [{"title": (h1 or title or Path(path).stem).strip(), "text": text, "_encoding": enc,
             "_notes": garbled_note(text, enc)}]


FILE_READERS = {
    ".txt": read_text_file,
    ".md": read_text_file,
    ".markdown": read_text_file,
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".html": read_html,
    ".htm": read_html,
}
