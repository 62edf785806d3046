"""Every reader on real Chinese inputs, including the bad inputs scholars meet."""

import json
import warnings

import pandas as pd
import pytest

from policynlp import read_corpus
from policynlp.corpus import IngestWarning
from policynlp.corpus.decoding import decode_bytes
from policynlp.errors import CorpusFormatError, ParameterError
from tests.conftest import GUIDANCE, TOURISM, TRADITIONAL

NOTICE = "关于开展国家智慧城市试点工作的通知\n各省、自治区住房城乡建设厅：\n为推进城镇化健康发展，决定开展国家智慧城市试点工作。\n住房城乡建设部办公厅\n2012年12月5日"


def _pdf(path, lines):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 12)
    for i, line in enumerate(lines):
        c.drawString(72, 750 - 20 * i, line)
    c.save()


def _scanned_pdf(path):
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=595, height=842)
    with open(path, "wb") as fh:
        w.write(fh)


def _docx(path, paragraphs, table=None, title=None):
    import docx

    d = docx.Document()
    if title:
        d.core_properties.title = title
    for p in paragraphs:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for i, row in enumerate(table):
            for j, cell in enumerate(row):
                t.cell(i, j).text = cell
    d.save(str(path))


HTML = """<!DOCTYPE html><html><head><meta charset="gb2312"><title>国务院关于推进物联网有序健康发展的指导意见_政府信息公开</title>
<script>var menu = "首页 新闻 政策";</script><style>.nav{color:red}</style></head><body>
<nav><a href="/">首页</a> <a href="/news">新闻中心</a> <a href="/zc">政策文件</a></nav>
<header>中华人民共和国中央人民政府门户网站</header>
<div class="content"><h1>国务院关于推进物联网有序健康发展的指导意见</h1>
<p>国发〔2013〕7号</p>
<p>各省、自治区、直辖市人民政府，国务院各部委、各直属机构：</p>
<p>物联网是新一代信息技术的高度集成和综合运用，对新一轮产业变革和经济社会绿色、智能、可持续发展具有重要意义。</p>
<p>一、指导思想。以加快转变经济发展方式为主线，以提高物联网应用水平为目标，推动物联网有序健康发展。</p>
<p>二、基本原则。坚持创新发展，坚持需求牵引，坚持有序推进，坚持安全可控。</p>
</div><footer>版权所有：中国政府网 网站地图 联系我们</footer></body></html>"""


@pytest.fixture()
def mixed_folder(tmp_path):
    """A folder with one of every supported format and every kind of bad input."""
    (tmp_path / "utf8.txt").write_text(NOTICE, encoding="utf-8")
    (tmp_path / "bom.txt").write_bytes(("\ufeff" + GUIDANCE).encode("utf-8"))
    (tmp_path / "gbk.txt").write_bytes((TOURISM + "\r\n第二段。\r\n").encode("gbk"))
    (tmp_path / "big5.txt").write_bytes(TRADITIONAL.encode("big5"))
    (tmp_path / "front.md").write_text(
        "---\ntitle: 智慧社区建设指南（试行）\n发文机关: 住房城乡建设部\ndate: 2014年5月\n---\n# 智慧社区建设指南\n\n智慧社区是智慧城市的重要组成部分。\u3000\u3000运用物联网、云计算等技术。",
        encoding="utf-8",
    )
    _docx(tmp_path / "word.docx", ["关于促进智慧旅游发展的指导意见", "各省、自治区、直辖市旅游委、局：", "推动智慧旅游发展。"],
          table=[["城市", "批次"], ["北京市", "第一批"]])
    _pdf(tmp_path / "text.pdf", ["国务院关于大力推进信息化发展和切实保障信息安全的若干意见", "国发〔2012〕23号", "推进信息化发展。"])
    _scanned_pdf(tmp_path / "scanned.pdf")
    (tmp_path / "corrupt.pdf").write_bytes(b"%PDF-1.4\n this is not really a pdf \x00\x01")
    (tmp_path / "corrupt.docx").write_bytes(b"PK\x03\x04 broken zip")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "page.html").write_bytes(HTML.encode("gb18030"))
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / ".DS_Store").write_bytes(b"\x00")
    return tmp_path


def test_every_input_is_loaded_or_reported(mixed_folder):
    with pytest.warns(IngestWarning):
        corpus = read_corpus(mixed_folder, progress=False)
    rep = corpus.report.set_index("source")
    loaded = set(rep.index[rep["status"] == "loaded"])
    assert loaded == {"utf8.txt", "bom.txt", "gbk.txt", "big5.txt", "front.md", "word.docx", "text.pdf", "page.html"}
    assert set(rep.index) == {p.name for p in mixed_folder.iterdir()}
    assert "no text layer" in rep.loc["scanned.pdf", "reason"] and "OCR" in rep.loc["scanned.pdf", "reason"]
    assert "not a readable PDF" in rep.loc["corrupt.pdf", "reason"]
    assert ".docx" in rep.loc["corrupt.docx", "reason"]
    assert "empty" in rep.loc["empty.txt", "reason"]
    assert "unsupported file type '.png'" in rep.loc["image.png", "reason"]
    assert "hidden" in rep.loc[".DS_Store", "reason"]
    assert len(corpus) == len(loaded)


def test_encodings_are_detected(mixed_folder):
    corpus = read_corpus(mixed_folder, errors="skip", progress=False)
    rep = corpus.report.set_index("source")
    assert rep.loc["gbk.txt", "encoding"] == "gb18030"
    assert rep.loc["big5.txt", "encoding"] == "big5"
    assert rep.loc["bom.txt", "encoding"] == "utf-8-sig"
    by_source = {d.source: d for d in corpus}
    assert by_source["gbk.txt"].text.startswith("国家旅游局确定北京市") and "\r" not in by_source["gbk.txt"].text
    assert by_source["big5.txt"].text.startswith("國務院關於推進物聯網")
    assert not by_source["bom.txt"].text.startswith("\ufeff")


def test_front_matter_and_chinese_keys(mixed_folder):
    corpus = read_corpus(mixed_folder, errors="skip", progress=False)
    d = next(d for d in corpus if d.source == "front.md")
    assert d.title == "智慧社区建设指南（试行）"
    assert d.issuers == ("住房和城乡建设部",) and d.date == "2014-05" and d.doc_type == "指南"


def test_docx_pdf_and_html_content(mixed_folder):
    corpus = read_corpus(mixed_folder, errors="skip", progress=False)
    by = {d.source: d for d in corpus}
    assert "北京市\t第一批" in by["word.docx"].text and by["word.docx"].title == "关于促进智慧旅游发展的指导意见"
    assert by["text.pdf"].doc_number == "国发〔2012〕23号" and "推进信息化发展" in by["text.pdf"].text
    html = by["page.html"]
    assert html.title == "国务院关于推进物联网有序健康发展的指导意见"
    assert "坚持安全可控" in html.text
    for junk in ("首页", "新闻中心", "var menu", "版权所有", "color:red"):
        assert junk not in html.text
    assert html.doc_number == "国发〔2013〕7号"


def test_errors_raise_names_the_file(mixed_folder):
    with pytest.raises(CorpusFormatError) as exc:
        read_corpus(mixed_folder, errors="raise", progress=False)
    assert exc.value.path is not None and exc.value.path.startswith(str(mixed_folder))


def test_errors_skip_is_quiet_but_reported(mixed_folder):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        corpus = read_corpus(mixed_folder, errors="skip", progress=False)
    assert (corpus.report["status"] == "skipped").sum() == 6


def test_bad_errors_argument():
    with pytest.raises(ValueError, match="errors='loud' is not valid; use one of 'warn', 'raise', 'skip'"):
        read_corpus(".", errors="loud")


def test_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusFormatError, match="no such file or folder"):
        read_corpus(tmp_path / "nope")


def test_invalid_front_matter_names_file_and_line(tmp_path):
    (tmp_path / "bad.md").write_text("---\ntitle: [unclosed\n---\n正文内容。", encoding="utf-8")
    with pytest.raises(CorpusFormatError, match=r"bad\.md.*front matter"):
        read_corpus(tmp_path, errors="raise", progress=False)


def test_ids_stable_across_reingest_and_duplicates_reported(tmp_path):
    (tmp_path / "a.txt").write_text(NOTICE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(NOTICE, encoding="utf-8")
    (tmp_path / "c.txt").write_text(GUIDANCE, encoding="utf-8")
    one = read_corpus(tmp_path, progress=False)
    two = read_corpus(tmp_path, progress=False)
    assert one.ids == two.ids and len(set(one.ids)) == 3
    rep = one.report.set_index("source")
    assert rep.loc["b.txt", "duplicate_of"] == rep.loc["a.txt", "id"]
    assert "same text as" in rep.loc["b.txt", "notes"]
    dropped = read_corpus(tmp_path, duplicates="drop", progress=False)
    assert len(dropped) == 2
    assert dropped.report.set_index("source").loc["b.txt", "reason"].startswith("duplicate of ")


# --- manifests ---------------------------------------------------------------------------

ROWS = [
    {"编号": "p1", "标题": "关于开展国家智慧城市试点工作的通知", "发文机关": "住房城乡建设部", "发文字号": "建办科〔2012〕42号",
     "成文日期": "2012年12月5日", "发布日期": "2013年1月29日", "正文": NOTICE, "栏目": "城市建设"},
    {"编号": "p2", "标题": "关于促进智慧城市健康发展的指导意见", "发文机关": "国家发展改革委、工业和信息化部等八部委",
     "发文字号": "发改高技[2014]1770号", "成文日期": "2014-08-27", "发布日期": "", "正文": GUIDANCE, "栏目": "信息化"},
    {"编号": "p3", "标题": "空白", "发文机关": "国务院", "发文字号": "", "成文日期": "", "发布日期": "", "正文": "  ", "栏目": ""},
]


def _check_manifest(corpus):
    assert corpus.ids == ["p1", "p2"]
    p1, p2 = corpus["p1"], corpus["p2"]
    assert p1.date == "2012-12-05" and p1.extra["发布日期"] == "2013年1月29日" and p1.extra["栏目"] == "城市建设"
    assert p1.issuers == ("住房和城乡建设部",) and p1.doc_number == "建办科〔2012〕42号"
    assert p2.issuers == ("国家发展和改革委员会", "工业和信息化部") and p2.extra["issuers_count"] == 8
    assert p2.doc_number_parts.serial == 1770
    rep = corpus.report
    assert rep["status"].tolist() == ["loaded", "loaded", "skipped"]
    assert rep["source"].iloc[2].endswith(":3") and "no text" in rep["reason"].iloc[2]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".jsonl", ".parquet", ".json"])
def test_manifest_with_chinese_columns(tmp_path, suffix):
    df = pd.DataFrame(ROWS)
    path = tmp_path / f"manifest{suffix}"
    if suffix == ".csv":
        df.to_csv(path, index=False, encoding="utf-8-sig")
    elif suffix == ".xlsx":
        df.to_excel(path, index=False)
    elif suffix == ".jsonl":
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in ROWS), encoding="utf-8")
    elif suffix == ".json":
        path.write_text(json.dumps(ROWS, ensure_ascii=False), encoding="utf-8")
    else:
        df.to_parquet(path)
    _check_manifest(read_corpus(path, errors="skip", progress=False))


def test_gbk_csv_manifest(tmp_path):
    path = tmp_path / "m.csv"
    pd.DataFrame(ROWS).to_csv(path, index=False, encoding="gbk")
    _check_manifest(read_corpus(path, errors="skip", progress=False))


def test_manifest_with_path_column(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(NOTICE, encoding="gb18030")
    pd.DataFrame([{"路径": "docs/a.txt", "发文机关": "住建部", "年份": "2012"},
                  {"路径": "docs/missing.txt", "发文机关": "国务院", "年份": "2013"}]).to_csv(tmp_path / "list.csv", index=False)
    corpus = read_corpus(tmp_path / "list.csv", errors="skip", progress=False)
    assert len(corpus) == 1
    d = corpus[0]
    assert d.title == "关于开展国家智慧城市试点工作的通知" and d.issuers == ("住房和城乡建设部",) and d.date == "2012-12-05"
    assert d.extra["date_source"] == "column+signature"  # the column said 2012; the signature block gives the day
    assert "missing.txt" in corpus.report["reason"].iloc[1]


def test_manifest_without_text_column_says_what_to_do(tmp_path):
    pd.DataFrame([{"标题": "甲", "备注": "乙"}]).to_csv(tmp_path / "m.csv", index=False)
    with pytest.raises(CorpusFormatError, match="text_column=") as exc:
        read_corpus(tmp_path / "m.csv", errors="raise", progress=False)
    assert exc.value.path.endswith("m.csv")
    with pytest.raises(CorpusFormatError, match="'正文' is not a column"):
        read_corpus(tmp_path / "m.csv", text_column="正文", errors="skip", progress=False)


def test_jsonl_bad_line_is_reported_with_its_line(tmp_path):
    good = json.dumps({"id": "a", "title": "甲", "text": GUIDANCE}, ensure_ascii=False)
    (tmp_path / "m.jsonl").write_text(good + "\n{broken json\n", encoding="utf-8")
    corpus = read_corpus(tmp_path / "m.jsonl", errors="skip", progress=False)
    assert len(corpus) == 1
    assert corpus.report["source"].iloc[1] == "m.jsonl:2" and "invalid JSON on line 2" in corpus.report["reason"].iloc[1]


def test_given_duplicate_ids_are_an_error_not_a_merge(tmp_path):
    rows = [{"id": "x", "text": GUIDANCE}, {"id": "x", "text": TOURISM}]
    (tmp_path / "m.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    corpus = read_corpus(tmp_path / "m.jsonl", errors="skip", progress=False)
    assert len(corpus) == 1 and "already used" in corpus.report["reason"].iloc[1]


def test_decode_bytes_errors_say_what_to_do():
    with pytest.raises(CorpusFormatError, match="encoding="):
        decode_bytes(bytes(range(128, 256)) * 3, path="x.txt")
    with pytest.raises(CorpusFormatError, match="cannot decode as ascii"):
        decode_bytes("中文".encode("utf-8"), path="x.txt", encoding="ascii")


def test_ingest_to_parquet_streams_the_same_corpus(mixed_folder, tmp_path):
    from policynlp import Corpus
    from policynlp.corpus import ingest_to_parquet

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IngestWarning)
        expected = read_corpus(mixed_folder, normalize=True)
        out = tmp_path.parent / f"{tmp_path.name}-out"
        out.mkdir()
        done = ingest_to_parquet(mixed_folder, out / "c.parquet", batch_size=2, normalize=True)
    assert Corpus.read_parquet(out / "c.parquet") == expected
    assert done["documents"] == len(expected) and done["skipped"] == int((expected.report["status"] == "skipped").sum())
    # the report streamed to disk is the file read_corpus's report makes
    assert done["report"] == out / "c_ingest_report.csv"
    expected.report.to_csv(out / "expected.csv", index=False, encoding="utf-8-sig")
    assert done["report"].read_bytes() == (out / "expected.csv").read_bytes()
    import pyarrow.parquet as pq

    assert pq.ParquetFile(out / "c.parquet").num_row_groups == -(-len(expected) // 2)  # written in batches
    assert not list(out.glob("*.partial"))
    with pytest.raises(ParameterError, match="unknown option"):
        ingest_to_parquet(mixed_folder, out / "d.parquet", normalise=True)


def test_jsonl_manifests_are_read_line_by_line_in_any_encoding(tmp_path, monkeypatch):
    rows = [{"标题": f"第{i}号通知", "正文": f"{TOURISM}（{i}）"} for i in range(2500)]
    body = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
    (tmp_path / "utf8.jsonl").write_text(body + "\n", encoding="utf-8")
    (tmp_path / "gbk.jsonl").write_bytes((body.replace("\n", "\r\n") + "\r\n{not json}\r\n").encode("gb18030"))
    a = read_corpus(tmp_path / "utf8.jsonl")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IngestWarning)
        b = read_corpus(tmp_path / "gbk.jsonl")
    assert len(a) == len(b) == 2500 and a.texts == b.texts and a[2499].title == "第2499号通知"
    assert b.report["reason"].iloc[-1] == "invalid JSON on line 2501: Expecting property name enclosed in double quotes (column 2)"
    # past the sample the encoding is detected on, a line in another encoding is reported, the others kept
    from policynlp.corpus import rows

    monkeypatch.setattr(rows, "_SAMPLE_BYTES", 4096)
    (tmp_path / "mixed.jsonl").write_bytes(body.encode("utf-8") + b"\n" + json.dumps({"正文": TOURISM}, ensure_ascii=False).encode("gbk") + b"\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IngestWarning)
        c = read_corpus(tmp_path / "mixed.jsonl")
    assert len(c) == 2500 and "line 2501 cannot be decoded as utf-8" in c.report["reason"].iloc[-1]
