"""The ingest accounting on hostile and odd inputs: every entry is loaded or reported, nothing crashes.

The fixture builds, at test time, about fifty small cases of what a folder
downloaded from government sites holds besides clean documents: damaged and
hostile Office files, manifests that are not manifests, broken JSONL lines,
wrong charsets, links, pipes and hidden files.  For each ``errors=`` mode the
tests assert that loaded + reported = every entry of every case, that each
problem has its reason, and that nothing but a ``CorpusFormatError`` naming
the file ever comes out.
"""

import io
import json
import os
import warnings
import zipfile
from dataclasses import dataclass

import pandas as pd
import pytest

from policynlp import read_corpus
from policynlp.corpus import IngestWarning
from policynlp.errors import CorpusFormatError
from tests.conftest import GUIDANCE, TOURISM

NOTICE = "住房城乡建设部关于开展国家智慧城市试点工作的通知\n各省、自治区住房城乡建设厅：\n为推进城镇化健康发展，决定开展国家智慧城市试点工作。"


@dataclass(frozen=True)
class Case:
    loaded: int  # documents expected from the case
    skipped: int = 0  # report rows with status "skipped" (problems and hidden entries)
    reason: str = ""  # a phrase every scholar-facing reason of the case must contain
    quiet: bool = False  # skipped by design (hidden files): never an error, even with errors="raise"


def _docx_bytes(paragraphs=(NOTICE,)):
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _with_part(data, name, content, *, compress=zipfile.ZIP_DEFLATED):
    """An Office file (bytes) with one part replaced or added."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compress) as z:
        for info in src.infolist():
            if info.filename != name:
                z.writestr(info.filename, src.read(info.filename))
        z.writestr(name, content)
    return out.getvalue()


def _document_xml(body_xml, prolog=""):
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}<w:document {ns}><w:body>{body_xml}</w:body></w:document>'


def _para(text):
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _xlsx(sheets):
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as xw:
        for name, frame in sheets.items():
            frame.to_excel(xw, sheet_name=name, index=False)
    return out.getvalue()


LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)) + "]>")


def build(root):
    """Write every case under ``root/<case>/`` and return ``{case: Case}``."""
    cases = {}
    docx_ok = _docx_bytes()

    def case(name, expect, files=None):
        folder = root / name
        folder.mkdir()
        for rel, data in (files or {}).items():
            p = folder / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        cases[name] = expect
        return folder

    # --- Word and Excel ------------------------------------------------------------------
    case("docx_ok", Case(1), {"通知.docx": docx_ok})
    case("docx_doctype", Case(0, 1, "declares a <!DOCTYPE>"),
         {"a.docx": _with_part(docx_ok, "word/document.xml", _document_xml(_para("智慧城市"), "<!DOCTYPE w:document>"))})
    case("docx_entity_bomb", Case(0, 1, "entity-expansion bomb"),
         {"a.docx": _with_part(docx_ok, "word/document.xml", _document_xml(_para("&lol9;"), LAUGHS))})
    case("docx_malformed_xml", Case(0, 1, "malformed XML inside the .docx"),
         {"a.docx": _with_part(docx_ok, "word/document.xml", _document_xml("<w:p><w:r><w:t>智慧城市</w:r></w:p>"))})
    case("docx_truncated", Case(0, 1, ".docx"), {"a.docx": docx_ok[: len(docx_ok) // 2]})
    case("docx_not_a_zip", Case(0, 1, "not a readable .docx file"), {"a.docx": NOTICE})
    case("docx_empty_file", Case(0, 1, ".docx"), {"a.docx": b""})
    case("docx_ratio_bomb", Case(0, 1, "over the size limit"),
         {"a.docx": _with_part(docx_ok, "word/document.xml", _document_xml(_para("智" * 10) + " " * (6 << 20)))})
    case("docx_no_document_part", Case(0, 1, ".docx"),
         {"a.docx": _with_part(_with_part(docx_ok, "word/document.xml", "x"), "[Content_Types].xml", "<Types/>")})
    case("docx_crc_damaged", Case(0, 1, "damaged Office file"),
         {"a.docx": _with_part(docx_ok, "word/document.xml", _document_xml(_para(NOTICE)), compress=zipfile.ZIP_STORED)
          .replace("智慧城市试点".encode(), "智慧城市实验".encode())})
    # one text node past lxml's 10 MB limit (random letters: it does not compress like a bomb)
    huge = _document_xml(_para(os.urandom(8 << 20).hex()[: 11 << 20]))
    case("docx_huge_text_node", Case(0, 1, ".docx"), {"a.docx": _with_part(docx_ok, "word/document.xml", huge)})
    case("docx_legacy_doc", Case(0, 1, "save legacy Word/WPS files as .docx"), {"a.doc": b"\xd0\xcf\x11\xe0\xa1\xb1"})
    sheets = {"2019年": pd.DataFrame({"标题": ["甲通知", "乙通知"], "正文": [NOTICE, GUIDANCE]}),
              "2020年": pd.DataFrame({"标题": ["丙通知", "丁通知"], "正文": [TOURISM, NOTICE + "（修订）"]})}
    case("xlsx_every_sheet", Case(4), {"政策.xlsx": _xlsx(sheets)})
    notes = {**sheets, "说明": pd.DataFrame({"字段": ["标题"], "含义": ["文件名称"]})}
    case("xlsx_notes_sheet", Case(4, 1, "not a manifest"), {"政策.xlsx": _xlsx(notes)})
    case("xlsx_not_a_zip", Case(0, 1, "not a readable .xlsx file"), {"a.xlsx": "标题,正文\n甲,乙\n"})
    case("xlsx_doctype", Case(0, 1, "declares a <!DOCTYPE>"),
         {"a.xlsx": _with_part(_xlsx(sheets), "xl/worksheets/sheet1.xml", f'<?xml version="1.0"?>{LAUGHS}<worksheet/>')})
    # --- manifests ----------------------------------------------------------------------
    case("csv_not_a_manifest", Case(1, 1, "not a manifest"),
         {"统计.csv": "年份,数量\n2019,3\n2020,5\n", "通知.txt": NOTICE})
    case("csv_ragged_row", Case(2, 1, "row 2 (line 3) has 4 fields"),
         {"m.csv": f"标题,正文\n甲,{GUIDANCE}\n乙,{TOURISM},多余,字段\n丙,{NOTICE.replace(chr(10), '')}\n"})
    case("csv_empty", Case(0, 1, "no rows"), {"m.csv": b""})
    case("csv_header_only", Case(0, 1, "no rows"), {"m.csv": "标题,正文\n"})
    case("csv_gbk", Case(1), {"m.csv": f"标题,正文\n甲,{GUIDANCE}\n".encode("gb18030")})
    case("csv_missing_file", Case(2, 1, "does not exist"),  # a.txt: as a file and as a row
         {"m.csv": "标题,路径\n甲,a.txt\n乙,gone.txt\n", "a.txt": NOTICE})
    good = json.dumps({"title": "甲", "text": GUIDANCE}, ensure_ascii=False)
    case("jsonl_bad_line", Case(2, 1, "line 2"), {"m.jsonl": f"{good}\n{{broken\n{good.replace('甲', '乙')}\n"})
    case("jsonl_null_text", Case(1, 1, "m.jsonl:1"), {"m.jsonl": '{"title": "甲", "text": null}\n' + good + "\n"})
    case("jsonl_number_text", Case(1, 1, "holds a number (12345), not text"), {"m.jsonl": good + '\n{"title": "乙", "text": 12345}\n'})
    case("jsonl_not_an_object", Case(1, 1, "m.jsonl:1"), {"m.jsonl": "[1, 2, 3]\n" + good + "\n"})
    case("jsonl_lone_surrogate", Case(1), {"m.jsonl": '{"title": "甲", "text": "智慧\\ud800城市建设' + TOURISM + '"}\n'})
    case("jsonl_50mb_line", Case(2, 1, "line 2 is over the size limit"),
         {"m.jsonl": (good + "\n").encode() + b'{"text": "' + b"x" * (50 << 20) + b'"}\n'
          + (good.replace("甲", "乙") + "\n").encode()})
    case("json_not_a_list", Case(0, 1, "m.json"), {"m.json": '"只是一个字符串"'})
    case("parquet_damaged", Case(0, 1, "m.parquet"), {"m.parquet": b"PAR1" + b"\x00" * 64})
    # --- encodings and text files ---------------------------------------------------------
    page = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
            f"<title>智慧城市试点通知</title></head><body><p>{NOTICE}</p><p>{GUIDANCE}</p></body></html>")
    case("html_declares_latin1_is_utf8", Case(1), {"page.html": page.encode("utf-8")})
    case("html_declares_utf8_is_gbk", Case(1), {"page.htm": page.replace("iso-8859-1", "utf-8").encode("gb18030")})
    case("txt_mojibake", Case(1), {"a.txt": NOTICE.encode("utf-8").decode("latin-1").encode("utf-8")})
    case("txt_empty", Case(0, 1, "empty"), {"a.txt": b""})
    case("txt_whitespace_only", Case(0, 1, "empty"), {"a.txt": "\u3000 \n\t\n"})
    case("txt_binary", Case(0, 1, "a.txt"), {"a.txt": bytes(range(256)) * 64})
    case("txt_utf16", Case(1), {"a.txt": NOTICE.encode("utf-16")})
    case("md_front_matter_bomb", Case(0, 1, "alias"),
         {"a.md": "---\na: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
             f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(6))
          + "---\n" + NOTICE})
    case("md_front_matter_duplicate_key", Case(0, 1, "duplicate key 'title'"),
         {"a.md": "---\ntitle: 甲\ntitle: 乙\n---\n" + NOTICE})
    case("pdf_damaged", Case(0, 1, "PDF"), {"a.pdf": b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EO"})
    case("unsupported_image", Case(0, 1, "unsupported file type '.png'"), {"a.png": b"\x89PNG\r\n\x1a\n"})
    case("name_not_utf8", Case(1), {os.fsdecode(b"notice-\xff.txt"): NOTICE})
    case("nested_folders", Case(2), {"a/b/c/d/1.txt": NOTICE, "a/2.txt": GUIDANCE})
    # --- hidden entries --------------------------------------------------------------------
    case("hidden_file", Case(1, 1, "hidden file", quiet=True), {".hidden.txt": GUIDANCE, "a.txt": NOTICE})
    case("git_folder", Case(1, 1, "hidden folder", quiet=True),
         {".git/HEAD": "ref: refs/heads/main\n", ".git/objects/ab/cdef": b"\x78\x9c", "a.txt": NOTICE})
    case("word_lock_file", Case(1, 1, "hidden file", quiet=True), {"~$通知.docx": b"\x00lock", "通知.docx": docx_ok})
    # --- links and special files -------------------------------------------------------------
    outside = root.parent / f"{root.name}-outside.txt"
    outside.write_text(GUIDANCE, encoding="utf-8")
    f = case("symlink_outside", Case(1, 1, "symlink outside the input folder"), {"a.txt": NOTICE})
    (f / "link.txt").symlink_to(outside)
    f = case("symlink_dangling", Case(1, 1, "dangling symlink"), {"a.txt": NOTICE})
    (f / "gone.txt").symlink_to(f / "does-not-exist.txt")
    f = case("symlink_loop", Case(1, 1, "symlink loop"), {"a.txt": NOTICE})
    (f / "self").symlink_to(f / "self")
    f = case("symlink_to_parent", Case(1, 1, "symlink loop"), {"sub/a.txt": NOTICE})
    (f / "sub" / "up").symlink_to(f / "sub")
    f = case("symlink_inside", Case(2), {"a.txt": NOTICE})
    (f / "b.txt").symlink_to(f / "a.txt")
    f = case("named_pipe", Case(1, 1, "named pipe"), {"a.txt": NOTICE})
    os.mkfifo(f / "pipe.txt")
    return cases


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    return root, build(root)


def _rows(report, name):
    return report[report["source"].str.startswith(f"{name}/")]


def _read(path, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IngestWarning)
        return read_corpus(path, progress=False, **kw)


def test_the_fixture_is_large_enough(hostile):
    _, cases = hostile
    assert len(cases) >= 50


@pytest.mark.parametrize("errors", ["warn", "skip"])
def test_every_entry_is_loaded_or_reported(hostile, errors):
    root, cases = hostile
    if errors == "warn":
        with pytest.warns(IngestWarning) as caught:
            corpus = read_corpus(root, errors=errors, progress=False)
        assert not any("hidden" in str(w.message) for w in caught)  # hidden entries are listed, never warned about
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("error", IngestWarning)
            corpus = read_corpus(root, errors=errors, progress=False)
    rep = corpus.report
    assert (rep["status"] == "loaded").sum() == len(corpus)
    problems = []
    for name, want in cases.items():
        rows = _rows(rep, name)
        got = ((rows["status"] == "loaded").sum(), (rows["status"] == "skipped").sum())
        if got != (want.loaded, want.skipped):
            problems.append(f"{name}: loaded/skipped {got}, expected {(want.loaded, want.skipped)}: {rows.reason.tolist()}")
        reasons = rows.loc[rows["status"] == "skipped", "reason"]
        if want.reason and not all(want.reason in r or want.reason in s
                                   for r, s in zip(reasons, rows.loc[reasons.index, "source"])):
            problems.append(f"{name}: reasons {reasons.tolist()} do not say {want.reason!r}")
    assert not problems, "\n".join(problems)
    assert len(rep) == sum(c.loaded + c.skipped for c in cases.values())
    # every report cell is writable (no lone surrogates from names or JSON escapes)
    rep.to_csv(io.BytesIO(), encoding="utf-8")


def test_notes_on_what_was_repaired(hostile):
    root, _ = hostile
    rep = _read(root, errors="skip").report.set_index("source")
    assert "surrogate" in rep.loc["jsonl_lone_surrogate/m.jsonl:1", "notes"]
    assert "garbled" in rep.loc["txt_mojibake/a.txt", "notes"]
    docs = {d.source: d for d in _read(root, errors="skip")}
    assert "智慧\ufffd城市建设" in docs["jsonl_lone_surrogate/m.jsonl:1"].text
    for page in ("html_declares_latin1_is_utf8/page.html", "html_declares_utf8_is_gbk/page.htm"):
        assert "决定开展国家智慧城市试点工作" in docs[page].text, page
    sheets = {d.extra.get("sheet") for d in docs.values() if d.source.startswith("xlsx_every_sheet/")}
    assert sheets == {"2019年", "2020年"}
    assert docs["name_not_utf8/notice-\ufffd.txt"].text.startswith("住房城乡建设部")


def test_errors_raise_stops_at_the_first_problem_with_its_file(hostile):
    root, cases = hostile
    for name, want in cases.items():
        if want.skipped and not want.quiet:
            with pytest.raises(CorpusFormatError) as exc:
                read_corpus(root / name, errors="raise", progress=False)
            assert name in exc.value.path and os.path.lexists(exc.value.path), (name, exc.value)  # the entry itself
            assert want.reason in str(exc.value) or want.reason in exc.value.path, (name, str(exc.value))
        else:
            corpus = read_corpus(root / name, errors="raise", progress=False)
            assert len(corpus) == want.loaded, name


def test_hidden_entries_are_read_on_request(hostile):
    root, _ = hostile
    for name, n in (("hidden_file", 2), ("git_folder", 1)):
        corpus = _read(root / name, hidden=True, errors="skip")
        assert len(corpus) == n, name
        assert not corpus.report["reason"].str.contains("hidden").any()


def test_unreadable_files_and_folders_are_reported(tmp_path, monkeypatch):
    """Permissions cannot be taken away from root (CI runs as root), so the OS refusals are simulated."""
    from pathlib import Path

    (tmp_path / "a.txt").write_text(NOTICE, encoding="utf-8")
    (tmp_path / "secret.txt").write_text(GUIDANCE, encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text(TOURISM, encoding="utf-8")
    real_read, real_scandir = Path.read_bytes, os.scandir

    def read_bytes(self):
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    def scandir(path="."):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(os, "scandir", scandir)
    corpus = _read(tmp_path, errors="warn")
    rep = corpus.report.set_index("source")
    assert len(corpus) == 1 and len(rep) == 3
    assert rep.loc["secret.txt", "reason"] == "cannot read file: Permission denied"
    assert rep.loc["locked", "reason"] == "cannot list folder: Permission denied"


def test_size_limits_are_options(tmp_path):
    (tmp_path / "a.txt").write_text(NOTICE * 40, encoding="utf-8")
    rep = _read(tmp_path, max_bytes=1000).report
    assert rep["reason"].iloc[0].startswith("over the size limit") and "max_bytes=1,000" in rep["reason"].iloc[0]
    assert len(_read(tmp_path)) == 1
