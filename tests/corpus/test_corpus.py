import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policynlp import Corpus, Document
from policynlp.errors import CorpusFormatError, ParameterError

cjk = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5) | st.sampled_from(list("，。《》〔〕、\n 0123456789abc")), max_size=80)
dates = st.one_of(st.none(), st.sampled_from(["2014", "2014-08", "2014-08-27", "2023-01-31"]))
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**9, 10**9), cjk),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(cjk, inner, max_size=3),
    max_leaves=6,
)


@st.composite
def documents(draw):
    n = draw(st.integers(0, 6))
    ids = draw(st.lists(st.text(min_size=1, max_size=10), min_size=n, max_size=n, unique=True))
    return [
        Document(
            id=i,
            title=draw(cjk),
            text=draw(cjk),
            issuers=tuple(draw(st.lists(cjk.filter(bool), max_size=3))),
            date=draw(dates),
            doc_number=draw(st.one_of(st.none(), st.just("国发〔2013〕7号"), cjk)),
            doc_type=draw(st.sampled_from(["", "通知", "意见"])),
            level=draw(st.sampled_from(["", "central", "provincial"])),
            region=draw(cjk),
            source=draw(cjk),
            extra=draw(st.dictionaries(st.text(min_size=1, max_size=8), json_values, max_size=4)),
        )
        for i in ids
    ]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents())
def test_parquet_round_trip_is_lossless(tmp_path, docs):
    corpus = Corpus(docs)
    path = tmp_path / "c.parquet"
    corpus.to_parquet(path)
    back = Corpus.read_parquet(path)
    assert back == corpus
    assert back.ids == corpus.ids


def test_parquet_bytes_are_deterministic(tmp_path, demo_corpus):
    demo_corpus.to_parquet(tmp_path / "a.parquet")
    demo_corpus.to_parquet(tmp_path / "b.parquet")
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()


def test_meta_is_indexed_by_id_with_parsed_numbers(demo_corpus):
    meta = demo_corpus.meta
    assert meta.index.name == "id" and list(meta.index) == demo_corpus.ids
    row = meta.loc["sc-health-2016"]
    assert (row["doc_code"], row["doc_year"], row["doc_serial"]) == ("国办发", 2016, 47)
    assert row["lead_issuer"] == "国务院办公厅" and row["year"] == 2016
    assert str(meta["year"].dtype) == "Int64"


def test_filters(demo_corpus):
    assert demo_corpus.filter(year=2014).ids == ["sc-huimin-2014", "sc-urban-2014", "sc-community-2014", "sc-guidance-2014"]
    assert len(demo_corpus.filter(year=(2015, 2016))) == 9
    # aliases resolve through the registry
    assert demo_corpus.filter(issuer="住建部").ids == ["sc-pilot-2012", "sc-pilotindex-2012", "sc-pilotrules-2012",
                                                     "sc-community-2014", "sc-guidance-2014"]
    assert demo_corpus.filter(issuer=["国家旅游局", "国务院办公厅"]).ids == [
        "sc-tourism-2015", "sc-tourismplus-2015", "sc-huiminpilot-2016", "sc-health-2016"]
    assert demo_corpus.filter(doc_type="指南", level="central").ids == ["sc-cloudguide-2013", "sc-community-2014"]
    assert len(demo_corpus.filter(year=1999)) == 0
    with pytest.raises(ParameterError, match="year"):
        demo_corpus.filter(year=(2014, 2015, 2016))


def test_repr_tells_size_years_and_agencies(demo_corpus):
    r = repr(demo_corpus)
    assert r.startswith("<Corpus: 25 documents, 2012–2024") and "国务院 7" in r


def test_duplicate_ids_rejected():
    with pytest.raises(ParameterError, match="'a' occurs twice"):
        Corpus([Document("a", text="甲"), Document("a", text="乙")])


def test_normalize_returns_a_new_corpus_and_keeps_the_original():
    c = Corpus([Document("a", title="国发［２０１３］７号", text="智慧\u3000城市\r\n建设")])
    n = c.normalize()
    assert n["a"].text == "智慧城市\n建设" and n["a"].title == "国发〔2013〕7号"
    assert c["a"].text == "智慧\u3000城市\r\n建设"


def test_csv_for_excel_has_bom_and_jsonl_round_trips(tmp_path, demo_corpus):
    demo_corpus.to_csv(tmp_path / "c.csv", excel=True)
    raw = (tmp_path / "c.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(tmp_path / "c.csv", encoding="utf-8-sig")
    assert df.loc[df["id"] == "sc-guidance-2014", "issuers"].iloc[0].split(";")[0] == "国家发展和改革委员会"
    demo_corpus.to_jsonl(tmp_path / "c.jsonl")
    lines = (tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["title"] == demo_corpus[0].title
    assert Corpus.from_frame(pd.DataFrame([json.loads(x) for x in lines])) == demo_corpus
    # the CSV's issuers are one ";"-joined cell: read back, they are the issuers again, not their characters
    back = Corpus.from_frame(df)
    assert back["sc-guidance-2014"].issuers == demo_corpus["sc-guidance-2014"].issuers
    assert len(back["sc-guidance-2014"].issuers) > 1 and Document(id="x", text="", issuers="住房城乡建设部").issuers == \
        ("住房城乡建设部",)


def test_structure_of_a_corpus(demo_corpus):
    df = demo_corpus.structure(unit="sentence")
    assert set(df["id"]) == set(demo_corpus.ids)
    first = df[df["id"] == "sc-pilot-2012"].iloc[0]
    assert demo_corpus["sc-pilot-2012"].text[first["start"] : first["end"]] == first["text"]


def test_read_parquet_of_a_foreign_table_says_what_to_do(tmp_path):
    pd.DataFrame({"标题": ["甲"]}).to_parquet(tmp_path / "x.parquet")
    with pytest.raises(CorpusFormatError, match="read_corpus"):
        Corpus.read_parquet(tmp_path / "x.parquet")
