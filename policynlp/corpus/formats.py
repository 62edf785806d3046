"""Readers for single files: plain text and Markdown, Word, PDF and HTML.

Each reader takes a path and returns a list of raw records (dicts with at
least ``text``, possibly ``title`` and other metadata).  A file that holds no
usable text raises :class:`Skip` with the reason; a file that cannot be parsed
raises :class:`~policynlp.errors.CorpusFormatError`.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..errors import CorpusFormatError
from .decoding import decode_bytes

__all__ = ["Skip", "FILE_READERS", "read_text_file", "read_docx", "read_pdf", "read_html"]


class Skip(Exception):
    """A file is well-formed but holds nothing to ingest (reason in the message)."""


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


def read_text_file(path, *, encoding=None):
    """A .txt or .md file, with optional YAML front matter between ``---`` lines."""
    text, enc = decode_bytes(Path(path).read_bytes(), path=path, encoding=encoding)
    meta = {}
    m = _FRONT.match(text)
    if m:
        try:
            meta = yaml.safe_load(m.group(1)) or {}
        except yaml.YAMLError as exc:
            line = getattr(getattr(exc, "problem_mark", None), "line", None)
            raise CorpusFormatError(
                f"invalid YAML front matter: {exc}", path=path, line=None if line is None else line + 2,
                field="front matter",
            ) from exc
        if not isinstance(meta, dict):
            raise CorpusFormatError("front matter must be a mapping of key: value lines", path=path, field="front matter")
        text = text[m.end() :]
    if not text.strip():
        raise Skip("empty file (no text)")
    meta = {str(k): v for k, v in meta.items()}
    meta.setdefault("title", _guess_title(text, Path(path).stem))
    return [{**meta, "text": text, "_encoding": enc}]


def read_docx(path, **_):
    """A Word .docx file: paragraphs and table cells in document order."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
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


def read_pdf(path, **_):
    """A PDF's text layer (pypdf).  Scanned PDFs without one are skipped with the reason."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

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


def read_html(path, *, encoding=None):
    """An HTML page's main text: readability finds the article; menus, scripts and footers are dropped."""
    import lxml.html
    from lxml.etree import ParserError
    from readability import Document as Readable

    data = Path(path).read_bytes()
    if encoding is None:
        m = _META_CHARSET.search(data[:4096])
        if m:
            declared = m.group(1).decode("ascii").lower()
            encoding = "gb18030" if declared in ("gb2312", "gbk", "gb18030") else declared
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
    return [{"title": (h1 or title or Path(path).stem).strip(), "text": text, "_encoding": enc}]


FILE_READERS = {
    ".txt": read_text_file,
    ".md": read_text_file,
    ".markdown": read_text_file,
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".html": read_html,
    ".htm": read_html,
}
