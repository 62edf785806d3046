"""Ingest accounting on hostile inputs: every entry loaded or reported, zero crashes, bounded memory.

Builds two folders in a temporary directory and reads each with every
``errors=`` mode, counting entries, loaded documents, report rows and crashes
(anything raised other than a ``CorpusFormatError`` under ``errors="raise"``):

1. the test suite's adversarial fixture (``tests/test_hostile_inputs.py``:
   about fifty cases of damaged Office files, broken manifests, links, pipes…);
2. a "download folder" made from real government texts (``--corpus``, a
   JSONL from ``../shared/corpora``): each document saved as GB18030 text,
   UTF-8 HTML that declares ``charset=iso-8859-1``, Word, or Markdown with
   front matter, every 7th file damaged in a way seen on real sites, plus
   Word lock files and a ``.git`` folder.

It also reads a decompression-bomb .docx (a small file whose XML unpacks to
hundreds of MB) and reports the peak traced memory of the attempt.

Run from the repository root::

    python benchmarks/bench_ingest_hostile.py --corpus ../shared/corpora/state_council_regulations.jsonl
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
import tracemalloc
import warnings
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from policynlp import read_corpus  # noqa: E402
from policynlp.errors import CorpusFormatError  # noqa: E402
from tests.test_hostile_inputs import _docx_bytes, _with_part, build  # noqa: E402


def download_folder(root, corpus, n):
    """``n`` real documents saved the ways government sites and colleagues save them; returns the damaged count."""
    import docx

    damaged = 0
    with open(corpus, encoding="utf-8") as fh:
        rows = [json.loads(line) for _, line in zip(range(n), fh)]
    for i, row in enumerate(rows):
        title, text = row["title"], row["text"]
        kind = i % 4
        broken = i % 7 == 6  # every 7th: each kind of file gets damaged in turn
        if kind == 0:
            data = text.encode("gb18030")
            (root / f"{i:04d}.txt").write_bytes(data[: len(data) // 3] + b"\x00\xff\xfe" if broken else data)
        elif kind == 1:
            page = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
                    f"<title>{title}</title></head><body><div class='content'>"
                    + "".join(f"<p>{p}</p>" for p in text.split("\n") if p.strip()) + "</div></body></html>")
            (root / f"{i:04d}.html").write_bytes(page.encode("utf-8") if not broken else b"")
        elif kind == 2:
            d = docx.Document()
            for p in text.split("\n"):
                d.add_paragraph(p)
            buf = io.BytesIO()
            d.save(buf)
            data = buf.getvalue()
            (root / f"{i:04d}.docx").write_bytes(data[: len(data) // 2] if broken else data)
            (root / f"~${i:04d}.docx").write_bytes(b"\x00lock")
        else:
            front = f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\ndate: {row.get('date') or ''}\n"
            if broken:
                front += "title: duplicate\n"
            (root / f"{i:04d}.md").write_text(front + "---\n" + text, encoding="utf-8")
        damaged += broken
    git = root / ".git"
    git.mkdir()
    (git / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    return damaged


def account(path, errors):
    entries = loaded = reported = crashes = 0
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            corpus = read_corpus(path, errors=errors, progress=False)
        except CorpusFormatError:
            if errors != "raise":
                crashes += 1
            return {"errors": errors, "stopped": True, "seconds": time.perf_counter() - t0, "crashes": crashes}
        except Exception as exc:  # noqa: BLE001 - counting crashes is the point of this benchmark
            print(f"CRASH ({errors}): {type(exc).__name__}: {exc}", file=sys.stderr)
            return {"errors": errors, "crashes": 1}
    rep = corpus.report
    entries = len(rep)
    loaded = int((rep["status"] == "loaded").sum())
    reported = int((rep["status"] == "skipped").sum())
    assert loaded == len(corpus)
    return {"errors": errors, "entries": entries, "loaded": loaded, "reported": reported, "crashes": crashes,
            "seconds": round(time.perf_counter() - t0, 2)}


def bomb_memory(folder):
    """Peak traced memory while ingesting a small .docx whose document.xml unpacks to 400 MB."""
    blank = _docx_bytes(["智慧城市"])
    body = ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body>' + " " * (400 << 20) + "</w:body></w:document>")
    data = _with_part(blank, "word/document.xml", body)
    del body
    path = folder / "bomb.docx"
    path.write_bytes(data)
    tracemalloc.start()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rep = read_corpus(path, progress=False).report
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    info = max(zipfile.ZipFile(path).infolist(), key=lambda i: i.file_size)
    return {"file_kb": path.stat().st_size // 1024, "unpacks_to_mb": info.file_size >> 20,
            "peak_traced_mb": round(peak / (1 << 20), 1), "reason": rep["reason"].iloc[0]}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default="../shared/corpora/state_council_regulations.jsonl")
    ap.add_argument("--docs", type=int, default=300)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        hostile = tmp / "hostile"
        hostile.mkdir()
        cases = build(hostile)
        print(f"adversarial fixture: {len(cases)} cases")
        for errors in ("warn", "skip", "raise"):
            print("  ", account(hostile, errors))
        per_case_raise = sum(1 for name in cases if account(hostile / name, "raise").get("crashes"))
        print(f"   errors='raise' case by case: {per_case_raise} crash(es) in {len(cases)} cases")
        if Path(args.corpus).is_file():
            folder = tmp / "download"
            folder.mkdir()
            damaged = download_folder(folder, args.corpus, args.docs)
            print(f"download folder from {Path(args.corpus).name}: {args.docs} documents, {damaged} damaged, "
                  f"{args.docs // 4 + (args.docs % 4 > 2)} Word lock files, one .git folder")
            for errors in ("warn", "skip", "raise"):
                print("  ", account(folder, errors))
        print("decompression bomb:", bomb_memory(tmp))


if __name__ == "__main__":
    main()
