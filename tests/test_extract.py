import pandas as pd
import pytest

from policynlp import Corpus, Document
from policynlp.extract import extract_citations, extract_events, find_titles, resolve_titles

REVIEW = """一、国家试点
2012年12月，住房城乡建设部办公厅印发《关于开展国家智慧城市试点工作的通知》（建办科〔2012〕42号）。2013年1月，住建部公布首批国家智慧城市试点名单，共90个城市（区、镇）。
二、智慧交通
2015年6月，交通运输部发布《关于进一步加快推进城市公共交通智能化应用示范工程建设有关工作的通知》，要求37个示范城市在2017年6月前完成建设。
三、其他领域
在智慧旅游领域，2012年5月，国家旅游局确定北京市、武汉市、成都市等18个城市为国家智慧旅游试点城市。
2016年4月，国务院办公厅转发国家发展改革委等10部门《推进"互联网+政务服务"开展信息惠民试点实施方案》。
2014年8月，经国务院同意，国家发展改革委、工业和信息化部、科学技术部等八部委联合印发《关于促进智慧城市健康发展的指导意见》。
各地应加快印发实施方案。"""


@pytest.fixture(scope="module")
def events():
    return extract_events(REVIEW, catalogue="smart_city_2017").set_index("date")


def test_dates_agencies_and_aliases(events):
    assert events.loc["2012-12", "issuers"] == "住房和城乡建设部" and events.loc["2012-12", "action"] == "印发"
    assert events.loc["2013-01", "issuers"] == "住房和城乡建设部"  # 住建部 alias


def test_programmes_with_counts_and_cities(events):
    row = events.loc["2013-01"]
    assert row["programme"] == "国家智慧城市试点" and row["count"] == 90
    row = events.loc["2012-05"]
    assert (row["programme"], row["count"], row["cities"]) == ("国家智慧旅游试点城市", 18, "北京市;武汉市;成都市")


def test_domain_from_heading_and_lead_phrase(events):
    assert events.loc["2015-06", "domain"] == "transport"  # under 二、智慧交通
    assert events.loc["2012-05", "domain"] == "tourism"  # 在智慧旅游领域，…
    assert events.loc["2012-12", "domain"] == ""  # 一、国家试点 names no domain
    assert events.loc["2016-04", "domain"] == ""  # 三、其他领域 ends the transport heading


def test_collective_approval_and_forwarding(events):
    g = events.loc["2014-08"]
    assert g["issuers"] == "国家发展和改革委员会;工业和信息化部;科学技术部"
    assert g["approved_by"] == "国务院" and g["collective_count"] == 8 and g["action"] == "联合印发"
    f = events.loc["2016-04"]
    assert f["issuers"] == "国务院办公厅" and f["drafted_by"] == "国家发展和改革委员会" and f["forwarded"]
    assert f["collective_count"] == 10


def test_obligations_are_not_events(events):
    assert not any("各地应加快" in s for s in events["sentence"])


def test_documents_resolved_and_offsets_point_to_sentences(events):
    assert events.loc["2015-06", "documents"] == "关于进一步加快推进城市公共交通智能化应用示范工程建设有关工作的通知"
    ev = extract_events(REVIEW)
    for r in ev.itertuples():
        assert REVIEW[r.start : r.end] == r.sentence


GARBLED = {
    "关于促进智慧城市健康发展指导意见": "sc-guidance-2014",            # dropped 的
    "关于促进智慧城市健康发展的的指导意见": "sc-guidance-2014",        # extra 的
    "关于促进我国智慧城市健康发展的指导意见": "sc-guidance-2014",      # inserted word
    "国务院关于推进物联网有序健康发展的指导意见": "sc-iot-2013",
    "关于推进物联网健康有序发展的指导意见": "sc-iot-2013",            # swapped words
    "推进“互联网+”便捷交通促进智能交通发展的实施方案": "sc-transport-2016",
    "推进\"互联网+\"便捷交通 促进智能交通发展实施方案": "sc-transport-2016",
    "关于加快推进\"互联网+政务服务\"工作的指导意见": "sc-egov-2016",
    "智慧社区建设指南": "sc-community-2014",
    "关于促进智慧旅游发展的指导意见（征求意见稿）": "sc-tourism-2015",
    "关于开展国家智慧城市试点工作通知": "sc-pilot-2012",
    "关于促进和规范健康医疗大数据应用发展的指导意见": "sc-health-2016",
}


def test_resolver_precision_on_garbled_titles():
    res = resolve_titles(list(GARBLED), "smart_city_2017")
    right = sum(r.catalogue_id == GARBLED[r.cited] for r in res.itertuples())
    assert right / len(GARBLED) >= 0.9, res
    # and it does not force a match on unrelated titles
    other = resolve_titles(["中华人民共和国环境保护法", "关于加强生态环境监测机构监督管理工作的通知"], "smart_city_2017")
    assert (other.catalogue_id == "").all()


def test_citations_nested_brackets_and_clusters():
    text = ("依据《国务院关于印发〈“十四五”数字经济发展规划〉的通知》，落实<<数据安全管理办法>>。"
            "《数据安全管理办法》和《数据安全管理 办法》是同一文件。")
    assert [t for *_, t in find_titles(text)][0] == "国务院关于印发〈“十四五”数字经济发展规划〉的通知"
    cits = extract_citations(text)
    assert cits.groupby("cluster").size().to_dict() == {"国务院关于印发〈“十四五”数字经济发展规划〉的通知": 1, "数据安全管理办法": 3}


def test_corpus_input_uses_document_ids(demo_corpus):
    ev = extract_events(demo_corpus, catalogue="smart_city_2017")
    assert set(ev.id) <= set(demo_corpus.ids) and len(ev) > 10
    g = ev[ev.id == "sc-guidance-2014"].iloc[0]
    assert g["approved_by"] == "国务院" and g["collective_count"] == 8


def test_my_ministry_resolves_to_the_documents_issuer():
    corpus = Corpus([Document("m", title="答复", text="2018年5月，我部印发《关于加强生态环境监测机构监督管理工作的通知》。",
                              issuers=("生态环境部",))])
    assert extract_events(corpus).iloc[0]["issuers"] == "生态环境部"


@pytest.mark.parametrize("sentence, action, issuers, date, count", [
    # a body and a title with no verb of issuing, then 提出 (made-up sentences with real patterns)
    ("2019年3月，工业和信息化部《关于推进工业互联网发展的指导意见》提出，到2025年建成一批平台。", "提出", "工业和信息化部",
     "2019-03", None),
    # a title inside 在《…》中 with the verb after it
    ("2020年，住房和城乡建设部又在《关于开展城市更新试点工作的通知》中，提出要在21个城市开展试点。", "提出", "住房和城乡建设部",
     "2020", 21),
    # an announced programme with its count, the name between the count and 试点
    ("2014年，科技部还将会同国家标准委共同推出50个智慧城市技术和标准试点。", "推出", "科学技术部;国家标准化管理委员会", "2014", 50),
])
def test_events_in_review_prose(sentence, action, issuers, date, count):
    ev = extract_events(sentence)
    assert len(ev) == 1
    row = ev.iloc[0]
    assert (row["action"], row["issuers"], row["date"]) == (action, issuers, date)
    assert (None if pd.isna(row["count"]) else int(row["count"])) == count


def test_several_events_in_one_sentence_each_get_their_own_row():
    # made-up review prose with the real pattern: one verb, three programmes joined by 以及 / 同时
    ev = extract_events("2013年8月，住房和城乡建设部确定103个城市为第二批国家智慧城市试点，以及9个县为扩大范围试点，"
                        "同时确定41个项目为专项试点。")
    assert ev[["programme", "count"]].astype(str).values.tolist() == [
        ["第二批国家智慧城市试点", "103"], ["扩大范围试点", "9"], ["专项试点", "41"]]
    assert set(ev["date"]) == {"2013-08"} and set(ev["issuers"]) == {"住房和城乡建设部"} and set(ev["action"]) == {"确定"}
    # a clause joined by 并 that names no programme and no count adds no event
    one = extract_events("2015年，国家旅游局印发《关于促进智慧旅游发展的指导意见》，并要求各地认真落实。")
    assert len(one) == 1


@pytest.mark.parametrize("sep", ["", "\n"])
def test_a_domain_announced_for_a_paragraph_holds_for_its_numbered_items(sep):
    # the items themselves name no domain: only the lead phrase does
    text = sep.join(["在智慧医疗方面：", "（1）2015年，国家卫生计生委启动20个远程医疗试点。",
                     "（2）2016年，国务院办公厅印发《关于加强有关工作的通知》。",
                     "（3）2017年，科技部确定10个城市为示范城市。"]) + "\n\n二、2018年，财政部印发《关于做好预算工作的通知》。"
    ev = extract_events(text)
    assert ev["domain"].tolist() == ["healthcare"] * 3 + [""]
    assert ev["date"].tolist() == ["2015", "2016", "2017", "2018"]
    assert ev["count"].astype("Int64").tolist()[::2] == [20, 10]


def test_programmes_are_names_not_fragments():
    ev = extract_events("2012年，住房和城乡建设部启动国家智慧城市的三个重点领域示范试点。")
    assert ev["programme"].tolist() == [""]  # a description, not a name: left empty rather than cut wrong


def test_citation_clusters_merge_a_law_with_its_full_name_but_not_editions():
    cits = extract_citations("依据《网络安全法》和《中华人民共和国网络安全法》，参照《智慧城市建设指南（2015年版）》、"
                             "《智慧城市建设指南（2021年版）》和《智慧城市建设指南(2021年版)》。")
    assert cits["cluster"].tolist() == ["网络安全法", "网络安全法", "智慧城市建设指南（2015年版）",
                                        "智慧城市建设指南（2021年版）", "智慧城市建设指南（2021年版）"]


def test_targets_and_deadlines_are_never_event_dates():
    ev = extract_events("2016年，国家发展改革委印发《关于推进新型智慧城市建设的通知》，到2025年建成一批示范城市。")
    assert ev["date"].tolist() == ["2016"]
    ev = extract_events("交通运输部确定37个示范城市，2017年6月前完成建设。")
    assert ev.empty or ev["date"].tolist() == [""]
