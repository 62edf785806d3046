import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policynlp.errors import CorpusFormatError
from policynlp.meta import find_dates, find_doc_numbers, load_agencies, parse_date, parse_doc_number, parse_issuers
from policynlp.meta.agencies import AgencyRegistry
from policynlp.meta.doctypes import infer_doc_type

# --- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, iso",
    [
        ("2014年8月27日", "2014-08-27"),
        ("2014年8月", "2014-08"),
        ("2014年", "2014"),
        ("二〇一四年八月二十七日", "2014-08-27"),
        ("二〇一六年十二月三十一日", "2016-12-31"),
        ("二○一五年一月", "2015-01"),
        ("2014-08-27", "2014-08-27"),
        ("2014.8.27", "2014-08-27"),
        ("2014/8", "2014-08"),
        ("2014", "2014"),
        (2014, "2014"),
        (datetime.date(2014, 8, 27), "2014-08-27"),
        ("2014 年 8 月 27 日", "2014-08-27"),
    ],
)
def test_parse_date_keeps_precision(raw, iso):
    assert parse_date(raw) == iso


@pytest.mark.parametrize("raw", ["2014年13月", "2015年2月30日", "无日期", "", None, "8月27日"])
def test_parse_date_rejects_invalid(raw):
    assert parse_date(raw) is None


def test_find_dates_in_a_signature_block():
    text = "生态环境部\n2022年10月27日\n（此件社会公开）抄送：……生态环境部办公厅2022年10月28日印发"
    assert [d for *_, d in find_dates(text)] == ["2022-10-27", "2022-10-28"]


@given(st.text(max_size=60))
def test_parse_date_never_crashes(s):
    out = parse_date(s)
    assert out is None or (len(out) in (4, 7, 10) and out[:2] in ("19", "20"))


@given(st.dates(min_value=datetime.date(1949, 1, 1), max_value=datetime.date(2099, 12, 31)))
def test_parse_date_round_trips_chinese_format(d):
    assert parse_date(f"{d.year}年{d.month}月{d.day}日") == d.isoformat()


# --- document numbers --------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, code, year, serial",
    [
        ("国发〔2013〕7号", "国发", 2013, 7),
        ("国办发〔2016〕47号", "国办发", 2016, 47),
        ("发改高技〔2014〕1770号", "发改高技", 2014, 1770),
        ("建办科〔2012〕42号", "建办科", 2012, 42),
        ("国发[2012]23号", "国发", 2012, 23),
        ("国发【2016】55号", "国发", 2016, 55),
        ("国办发(2016)23号", "国办发", 2016, 23),
        ("国发（２０１３）３２号", "国发", 2013, 32),
        ("工信部联信软〔2016〕12号", "工信部联信软", 2016, 12),
        ("国令第656号", "国令", None, 656),
    ],
)
def test_parse_doc_number(raw, code, year, serial):
    d = parse_doc_number(raw)
    assert (d.code, d.year, d.serial) == (code, year, serial)


def test_doc_number_found_in_a_header_without_the_words_before_it():
    text = "生态环境部文件环督察〔2022〕58号关于印发《意见》的通知"
    (start, end, d), = find_doc_numbers(text)
    assert text[start:end] == "环督察〔2022〕58号" and d.canonical == "环督察〔2022〕58号"


@given(st.text(alphabet=st.sampled_from(list("国发办〔〕[]【】()（）0123456789２０号第令字 ")), max_size=40))
def test_doc_number_parser_never_crashes(s):
    d = parse_doc_number(s)
    if d is not None:
        assert parse_doc_number(d.canonical)[1:] == d[1:]


@given(st.sampled_from(["国发", "国办发", "发改高技", "建办科", "环办"]), st.integers(1990, 2030), st.integers(1, 9999))
def test_doc_number_canonical_round_trip(code, year, serial):
    d = parse_doc_number(f"{code}〔{year}〕{serial}号")
    assert (d.code, d.year, d.serial) == (code, year, serial)
    assert parse_doc_number(d.canonical) == d


# --- agencies and issuers ---------------------------------------------------------------


@pytest.mark.parametrize(
    "alias, canonical",
    [
        ("住房城乡建设部", "住房和城乡建设部"),
        ("住建部", "住房和城乡建设部"),
        ("国家发展改革委", "国家发展和改革委员会"),
        ("国家发改委", "国家发展和改革委员会"),
        ("发改委", "国家发展和改革委员会"),
        ("工信部", "工业和信息化部"),
        ("科技部", "科学技术部"),
        ("国家标准委", "国家标准化管理委员会"),
        ("国家卫生计生委", "国家卫生和计划生育委员会"),
    ],
)
def test_aliases_from_the_reference(alias, canonical):
    assert load_agencies().canonical(alias) == canonical


@pytest.mark.parametrize(
    "old, new",
    [
        ("国家旅游局", "文化和旅游部"),
        ("国家测绘地理信息局", "自然资源部"),
        ("国家卫生计生委", "国家卫生健康委员会"),
        ("国土资源部", "自然资源部"),
        ("卫生部", "国家卫生健康委员会"),
        ("中国银监会", "国家金融监督管理总局"),
    ],
)
def test_succession_through_reorganisations(old, new):
    assert load_agencies().current(old) == new


def test_alias_shared_over_time_resolves_by_year():
    reg = load_agencies()
    assert reg.canonical("中央网信办", year=2015) == "中央网络安全和信息化领导小组办公室"
    assert reg.canonical("中央网信办", year=2020) == "中央网络安全和信息化委员会办公室"
    assert reg.canonical("中央网信办") == "中央网络安全和信息化委员会办公室"


def test_issuer_list_with_collective_count():
    p = parse_issuers("国家发展改革委、工业和信息化部等八部委")
    assert p.issuers == ("国家发展和改革委员会", "工业和信息化部")
    assert p.collective and p.collective_count == 8
    assert p.lead == "国家发展和改革委员会"


def test_issuers_joined_by_he():
    assert parse_issuers("住房城乡建设部和科技部").issuers == ("住房和城乡建设部", "科学技术部")


def test_forwarding_makes_the_general_office_the_issuer():
    p = parse_issuers("国务院办公厅转发国家发展改革委等10部门")
    assert p.forwarded and p.issuers == ("国务院办公厅",)
    assert p.drafted_by == ("国家发展和改革委员会",) and p.collective_count == 10


def test_approval_is_not_issuance():
    p = parse_issuers("经国务院同意，国家发展改革委、工业和信息化部、科学技术部等八部委联合印发")
    assert "国务院" not in p.issuers and p.approved_by == ("国务院",)
    assert p.issuers == ("国家发展和改革委员会", "工业和信息化部", "科学技术部")


def test_names_run_together_in_a_joint_header():
    header = "生态环境部国家发展和改革委员会工业和信息化部公安部司法部财政部自然资源部住房和城乡建设部交通运输部水利部"
    p = parse_issuers(header)
    assert len(p.issuers) == 10 and p.issuers[0] == "生态环境部" and not p.unknown


def test_unknown_agencies_are_kept_verbatim_never_dropped():
    p = parse_issuers("住房城乡建设部、浙江省智慧城市建设领导小组办公室、智慧城市部际协调工作组")
    assert p.issuers == ("住房和城乡建设部",)
    assert p.unknown == ("浙江省智慧城市建设领导小组办公室", "智慧城市部际协调工作组")


def test_collective_only_mentions_invent_no_members():
    p = parse_issuers("国家12部门")
    assert p.issuers == () and p.collective_count == 12


def test_registry_rejects_conflicting_aliases():
    with pytest.raises(CorpusFormatError, match="alias '发改委'"):
        AgencyRegistry([{"name": "甲委", "aliases": ["发改委"]}, {"name": "乙委", "aliases": ["发改委"]}])
    with pytest.raises(CorpusFormatError, match="successor"):
        AgencyRegistry([{"name": "甲委", "successors": ["不存在的部"]}])


@given(st.text(max_size=80))
def test_parse_issuers_never_crashes(s):
    p = parse_issuers(s)
    assert all(isinstance(n, str) and n for n in p.issuers + p.unknown)


def test_doc_types_from_titles():
    assert infer_doc_type("国务院关于推进物联网有序健康发展的指导意见") == "意见"
    assert infer_doc_type("智慧城市时空信息云平台建设试点技术指南") == "指南"
    assert infer_doc_type("推进“互联网+”便捷交通 促进智能交通发展的实施方案") == "方案"


def test_record_spans_find_the_promulgation_record_and_nothing_else():
    from policynlp.meta.dates import record_spans

    regulation = ("# 专利代理条例\n\n1991年3月4日 中华人民共和国国务院令第76号发布\u3000\n\n2018年9月6日 国务院第23次常务会议修订通过\n\n"
                  "2018年11月6日 中华人民共和国国务院令第706号公布\n\n2019年3月1日 施行\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n"
                  "第一条 为了规范专利代理行为，根据《中华人民共和国专利法》，制定本条例。\n\n"
                  "2018年11月6日 中华人民共和国国务院令第706号公布\n")
    found = [regulation[s:e].strip() for s, e in record_spans(regulation)]
    assert found == ["1991年3月4日 中华人民共和国国务院令第76号发布", "2018年9月6日 国务院第23次常务会议修订通过",
                     "2018年11月6日 中华人民共和国国务院令第706号公布", "2019年3月1日 施行"]  # not the one after 第一条
    # the form gov.cn pages print: one parenthesis under the title
    page = ("中华人民共和国专利法实施细则\n（2001年6月15日中华人民共和国国务院令第306号公布\u3000根据2002年12月28日《国务院关于修改"
            "〈中华人民共和国专利法实施细则〉的决定》第一次修订\u3000根据2010年1月9日《国务院关于修改〈中华人民共和国专利法实施细则〉"
            "的决定》第二次修订）\n第一章 总则\n")
    [(s, e)] = record_spans(page)
    assert page[s:e].startswith("（2001年6月15日") and page[s:e].endswith("第二次修订）")
    # a preamble that mentions a date and a 发布 is content, not the record
    assert record_spans("2018年6月16日，中共中央、国务院发布《关于全面加强生态环境保护坚决打好污染防治攻坚战的意见》。\n一、总体要求") == []


def test_a_hostile_header_line_is_read_entry_by_entry():
    from policynlp.meta.dates import record_spans

    # every prefix looks like a record, the end does not: a nested-quantifier pattern needed 0.7 s at 20 repeats
    # and would not finish this one; entry by entry it is one pass
    line = "2019年1月1日发布施行修订" * 100 + "然后是一段正文"
    assert record_spans(line) == []
    assert record_spans(line.replace("然后是一段正文", "")) == [(0, len(line) - 7)]
