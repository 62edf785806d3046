"""Shared fixtures: the bundled demo corpus, the shared real corpora, and a folder of mixed inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SHARED_CORPORA = SHARED / "corpora"
#: The official GEXF schemas, vendored (CC BY 4.0; see tests/data/gexf-schema/README.md).
GEXF_SCHEMAS = Path(__file__).resolve().parent / "data" / "gexf-schema"

# Real sentences in the style of central policy documents, used across tests.
GUIDANCE = (
    "2014年8月，经国务院同意，国家发展改革委、工业和信息化部、科学技术部等八部委联合印发"
    "《关于促进智慧城市健康发展的指导意见》（发改高技〔2014〕1770号）"
)
TOURISM = (
    "国家旅游局确定北京市、武汉市、成都市等18个城市为国家智慧旅游试点城市，推动智慧旅游景区建设，"
    "完善旅游公共信息服务平台，发展在线旅游和旅游电子商务，提升游客服务体验。"
)
TRADITIONAL = "國務院關於推進物聯網有序健康發展的指導意見。各省、自治區、直轄市人民政府，國務院各部委、各直屬機構。"


@pytest.fixture(scope="session")
def demo_corpus():
    from policynlp.datasets import load_demo

    return load_demo()


@pytest.fixture(scope="session")
def shared_corpora():
    if not SHARED_CORPORA.is_dir():
        pytest.skip("../shared/corpora is not present")
    return SHARED_CORPORA


@pytest.fixture(scope="session")
def mee_records(shared_corpora):
    path = shared_corpora / "mee_2018_2023.jsonl"
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _embedded_font_lacks(page, text):
    """Characters of ``text`` that the page's embedded @font-face font has no glyph for."""
    import base64
    import io
    import re

    from fontTools.ttLib import TTFont

    m = re.search(r"@font-face\{font-family:'policynlp CJK';src:url\(data:font/otf;base64,([A-Za-z0-9+/=]+)\)", page)
    assert m, "the page embeds no font"
    cmap = TTFont(io.BytesIO(base64.b64decode(m.group(1)))).getBestCmap()
    return {c for c in text if ord(c) > 127 and ord(c) not in cmap}


@pytest.fixture
def embedded_font_lacks():
    """A check that an HTML page reads without system fonts: the characters its embedded font lacks."""
    return _embedded_font_lacks
