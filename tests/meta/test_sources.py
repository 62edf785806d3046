"""Issuers, region, level and the signature date read from the document itself (title, header, signature, 文号)."""

import pytest

from policynlp import read_corpus
from policynlp.meta.codes import local_body, provinces, resolve_code
from policynlp.meta.sources import infer_issuers

# A made-up notice with the structure of a State Council page: title, 文号, salutation, body,
# the signature *before* the attached plan, and a plan that has dates of its own.
FORWARDING = """国务院关于印发城市数字化转型试点方案的通知
国发〔2021〕12号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
现将《城市数字化转型试点方案》印发给你们，请认真贯彻执行。
国务院
2021年3月8日
（此件公开发布）
城市数字化转型试点方案
一、总体要求
到2025年，建成一批数字化转型示范城市。执行期限为2021年1月1日至2023年12月31日。"""

JOINT_SIGNED = """关于加强应急通信保障的意见
各省、自治区、直辖市人民政府：
为提升应急通信保障能力，现提出如下意见。
国务院办公厅\u3000中央军委办公厅
2019年1月24日"""

PROVINCIAL = """广东省人民政府办公厅关于推进智慧城市建设的实施意见
粤府办〔2020〕15号
各地级以上市人民政府，省政府各部门、各直属机构：
经省人民政府同意，现提出如下实施意见。
广东省人民政府办公厅
2020年6月30日"""


def test_title_number_and_signature_agree_and_each_is_recorded():
    ev = infer_issuers("国务院关于印发城市数字化转型试点方案的通知", FORWARDING)
    assert ev.issuers == ("国务院",) and ev.source == "title"
    assert ev.by_source == {"title": ("国务院",), "signature": ("国务院",), "doc_number": ("国务院",)}
    assert ev.conflicts == () and ev.level == "central"
    # the signature stands before the attachment: its date, not the plan's deadlines or targets
    assert ev.signature_date == "2021-03-08"


def test_a_joint_signature_on_one_line():
    ev = infer_issuers("关于加强应急通信保障的意见", JOINT_SIGNED)
    assert ev.issuers == ("国务院办公厅", "中央军事委员会办公厅")
    assert ev.source == "signature" and ev.signature_date == "2019-01-24"


@pytest.mark.parametrize("title, lead, n", [
    ("国务院办公厅关于促进平台经济规范健康发展的指导意见", "国务院办公厅", 1),
    ("工业和信息化部 国家发展改革委关于推动工业互联网加快发展的通知", "工业和信息化部", 2),
    ("国务院办公厅、中央军委办公厅关于深化军民融合的意见", "国务院办公厅", 2),
    ("国家发展改革委等八部门关于促进智慧城市健康发展的指导意见", "国家发展和改革委员会", 1),
])
def test_issuers_from_the_title(title, lead, n):
    ev = infer_issuers(title, "正文。")
    assert ev.issuers[0] == lead and len(ev.issuers) == n and ev.source == "title"


def test_local_documents_get_their_body_region_and_level():
    ev = infer_issuers("广东省人民政府办公厅关于推进智慧城市建设的实施意见", PROVINCIAL)
    assert ev.issuers == ("广东省人民政府办公厅",)
    assert (ev.region, ev.level) == ("广东省", "provincial") and not ev.conflicts
    ev = infer_issuers("关于推进智慧城市建设的实施意见", PROVINCIAL.split("\n", 1)[1])
    assert ev.source == "signature" and ev.issuers == ("广东省人民政府办公厅",)


def test_decrees_and_promulgation_lines_name_the_issuer():
    ev = infer_issuers("优化营商环境条例", "优化营商环境条例\n2019年10月22日 中华人民共和国国务院令第722号公布\n第一条 为了……")
    assert ev.issuers == ("国务院",) and ev.source == "header"
    ev = infer_issuers("某办法", "某办法\n1999年5月12日 国务院批准\n1999年5月25日 民政部令第14号发布\n第一条")
    assert ev.issuers == ("民政部",)
    ev = infer_issuers("某规定", "某规定\n2005年6月23日 中华人民共和国国务院、中华人民共和国中央军事委员会令第438号公布")
    assert ev.issuers == ("国务院", "中央军事委员会")


def test_disagreeing_sources_are_flagged_not_resolved_silently():
    text = "国办发〔2019〕4号\n各省人民政府：\n……\n生态环境部\n2019年2月1日"
    ev = infer_issuers("国务院办公厅关于某事的通知", text)
    assert ev.issuers == ("国务院办公厅",) and ev.source == "title"
    assert ev.conflicts == ("title names 国务院办公厅, signature names 生态环境部",)


def test_a_printing_line_is_not_the_signature():
    text = "……特此通知。生态环境部2022年11月18日（此件社会公开）生态环境部办公厅2022年11月18日印发"
    assert infer_issuers("关于某事的通知", text).issuers == ("生态环境部",)


def test_no_evidence_gives_nothing_rather_than_a_guess():
    ev = infer_issuers("关于开展评选活动的通知", "各有关单位：现将有关事项通知如下。联系人：张三 电话：010-12345678")
    assert ev.issuers == () and ev.source == "" and ev.signature_date is None


def test_a_headerless_national_regulation_is_the_state_councils_and_says_so():
    body = "第一条 为了规范公平竞争审查工作，促进市场公平竞争，制定本条例。\n第二条 起草涉及经营者经济活动的政策措施，应当开展公平竞争审查。"
    ev = infer_issuers("公平竞争审查条例", body)
    assert (ev.issuers, ev.source) == (("国务院",), "doc_type")
    # Party regulations, local regulations and ministries' rules are not: no evidence, no issuer
    for title in ("中国共产党纪律处分条例", "北京市生活垃圾管理条例", "杭州市城市管理条例", "机动车登记规定"):
        assert infer_issuers(title, body).issuers == ()
    # any evidence in the text wins over the rule
    ev = infer_issuers("石油地震勘探损害补偿规定条例", "1989年10月17日 中华人民共和国能源部令第1号发布\n" + body)
    assert (ev.issuers, ev.source) == (("能源部",), "header")


def test_bodies_abolished_long_ago_are_known_by_their_old_names():
    for line, body in (("1989年10月17日 中华人民共和国能源部令第1号发布", "能源部"),
                       ("2004年7月8日 国家食品药品监督管理局令第9号公布", "国家食品药品监督管理局"),
                       ("1998年4月7日 国家工商行政管理局令第85号发布", "国家工商行政管理局"),
                       ("1985年7月6日 林业部公布", "林业部")):
        assert infer_issuers("某某办法", line + "\n第一条 为了……，制定本办法。").issuers == (body,)


@pytest.mark.parametrize("province", provinces())
def test_every_provincial_code_resolves(province):
    import yaml

    from policynlp.resources import read_text

    entry = next(p for p in yaml.safe_load(read_text("doc_codes.yaml"))["provinces"] if p["name"] == province)
    for abbr in entry["abbr"]:
        for code, issuer in ((f"{abbr}政发", entry["government"]), (f"{abbr}府办", entry["government"] + "办公厅"),
                             (f"{abbr}政办发", entry["government"] + "办公厅")):
            info = resolve_code(code)
            assert (info.issuer, info.region, info.level) == (issuer, province, "provincial"), code
        department = resolve_code(f"{abbr}环函")  # a provincial department: region and level, no invented issuer
        assert (department.issuer, department.region, department.level) == ("", province, "provincial")
    assert len(provinces()) == 31


@pytest.mark.parametrize("code, year, issuer", [
    ("国发", None, "国务院"), ("国办函", None, "国务院办公厅"), ("中发", None, "中共中央"), ("发改高技", 2014, "国家发展和改革委员会"),
    ("工信部联信软", 2016, "工业和信息化部"), ("财建", 2019, "财政部"), ("环大气", 2016, "环境保护部"),
    ("环大气", 2019, "生态环境部"), ("建科", 2012, "住房和城乡建设部"), ("国卫办", 2016, "国家卫生和计划生育委员会"),
    ("国卫办", 2020, "国家卫生健康委员会"), ("国务院令", None, "国务院"),
])
def test_central_codes_resolve_with_their_years(code, year, issuer):
    info = resolve_code(code, year)
    assert (info.issuer, info.level) == (issuer, "central")


def test_local_bodies_are_parsed_without_inventing():
    assert local_body("浙江省杭州市人民政府办公厅") == ("浙江省杭州市", "municipal")
    assert local_body("北京市海淀区人民政府") == ("北京市海淀区", "county")
    assert local_body("内蒙古自治区人民政府") == ("内蒙古自治区", "provincial")
    assert local_body("某某公司") == ("", "")


def test_pages_without_metadata_get_issuers_dates_and_sources(tmp_path):
    pages = {"forward.html": ("国务院关于印发城市数字化转型试点方案的通知", FORWARDING),
             "joint.html": ("关于加强应急通信保障的意见", JOINT_SIGNED),
             "gd.html": ("广东省人民政府办公厅关于推进智慧城市建设的实施意见", PROVINCIAL)}
    for name, (title, text) in pages.items():
        body = "".join(f"<p>{line}</p>" for line in text.split("\n")[1:])
        (tmp_path / name).write_text(f"<html><head><title>{title}_中国政府网</title></head><body><div class='content'>"
                                     f"<h1>{title}</h1>{body}</div></body></html>", encoding="utf-8")
    corpus = read_corpus(tmp_path, progress=False)
    by = {d.source: d for d in corpus}
    assert by["forward.html"].issuers == ("国务院",) and by["forward.html"].date == "2021-03-08"
    assert by["forward.html"].extra["issuer_source"] == "title" and by["forward.html"].extra["date_source"] == "signature"
    assert by["joint.html"].issuers[0] == "国务院办公厅" and by["joint.html"].date == "2019-01-24"
    gd = by["gd.html"]
    assert gd.issuers == ("广东省人民政府办公厅",) and (gd.region, gd.level) == ("广东省", "provincial")
    assert gd.doc_number == "粤府办〔2020〕15号"


def test_a_spreadsheet_with_english_headers_and_departments(tmp_path):
    import pandas as pd

    from policynlp.graphs import co_issuing

    body = "为加快发展数字经济，推动数字技术与实体经济深度融合，现提出如下意见。"
    pd.DataFrame({
        "Policy Title": ["关于推动工业互联网加快发展的通知", "关于促进数字经济发展的意见", "关于支持科技创新的若干政策",
                         "深圳市数字经济产业发展规划"],
        "Release Department": ["Ministry of Industry and Information Technology, National Development and Reform Commission",
                               "State Council", "Ministry of Finance and Ministry of Science and Technology",
                               "Shenzhen Municipal Government"],
        "Release Time": ["2020-03-06", "2021-12-12", "2019-05-20", "2020-07-01"],
        "Policy Content": [body + str(i) for i in range(4)],
    }).to_excel(tmp_path / "digital_economy.xlsx", index=False)
    corpus = read_corpus(tmp_path / "digital_economy.xlsx", progress=False)
    by_title = {d.title: d for d in corpus}
    assert by_title["关于推动工业互联网加快发展的通知"].issuers == ("工业和信息化部", "国家发展和改革委员会")
    assert by_title["关于促进数字经济发展的意见"].issuers == ("国务院",)
    assert by_title["关于支持科技创新的若干政策"].issuers == ("财政部", "科学技术部")
    assert by_title["深圳市数字经济产业发展规划"].issuers == ("Shenzhen Municipal Government",)  # kept, flagged
    assert by_title["关于促进数字经济发展的意见"].date == "2021-12-12"
    assert all(d.extra["issuer_source"] == "column" for d in corpus)
    G = co_issuing(corpus)
    assert G.has_edge("agency:工业和信息化部", "agency:国家发展和改革委员会")
    assert G.has_edge("agency:财政部", "agency:科学技术部")


@pytest.mark.parametrize("written, canonical, code, form", [
    ("国务院令第708号", "国务院令第708号", "国务院令", "decree"),
    ("省政府令 第219号", "省政府令第219号", "省政府令", "decree"),
    ("重庆市人民政府令第359号", "重庆市人民政府令第359号", "重庆市人民政府令", "decree"),
    ("国家税务总局公告2015年第41号", "国家税务总局公告2015年第41号", "国家税务总局公告", "announcement"),
    ("公告2018年第14号", "公告2018年第14号", "公告", "announcement"),
    ("发文字号：国办发〔2019〕4号", "国办发〔2019〕4号", "国办发", "bracket"),
    ("省人民政府辽政发〔1987〕17号", "辽政发〔1987〕17号", "辽政发", "bracket"),
    ("其他 〔 2022 〕 86 号", "其他〔2022〕86号", "其他", "bracket"),
    ("粤府办【２０２０】１５号", "粤府办〔2020〕15号", "粤府办", "bracket"),
])
def test_every_form_of_doc_number(written, canonical, code, form):
    from policynlp.meta.docnumbers import parse_doc_number

    d = parse_doc_number(written)
    assert (d.canonical, d.code, d.form) == (canonical, code, form)


def test_numbers_are_stored_canonical_and_garbled_or_inconsistent_ones_reported(tmp_path):
    (tmp_path / "a.txt").write_text("山西省人民政府文件\n晋政发〔2014〕号16\n山西省人民政府关于某事的通知\n各市人民政府：\n……\n"
                                    "山西省人民政府\n2014年3月5日", encoding="utf-8")
    (tmp_path / "b.txt").write_text("国办发（２０１６）４７号\n国务院办公厅关于某事的通知\n……\n国务院办公厅\n2018年2月1日",
                                    encoding="utf-8")
    corpus = read_corpus(tmp_path, progress=False)
    rep = corpus.report.set_index("source")
    by = {d.source: d for d in corpus}
    assert by["a.txt"].doc_number is None and by["a.txt"].extra["doc_number_raw"] == "晋政发〔2014〕号16"
    assert "garbled" in rep.loc["a.txt", "notes"]
    assert by["a.txt"].issuers == ("山西省人民政府",) and by["a.txt"].region == "山西省"
    assert by["b.txt"].doc_number == "国办发〔2016〕47号" and by["b.txt"].extra["doc_number_raw"] == "国办发（２０１６）４７号"
    assert "the 文号 year 2016 differs from the date 2018-02-01" in rep.loc["b.txt", "notes"]


def test_columns_can_be_named_when_not_recognised(tmp_path, capsys):
    import pandas as pd

    from policynlp import Corpus
    from policynlp.cli import main
    from policynlp.errors import ParameterError
    from policynlp.pipeline import load_config

    pd.DataFrame({"Name": ["关于推进城市数字化转型的意见"], "Title": ["（旧标题，勿用）"], "Lead": ["工业和信息化部"],
                  "Signed": ["2022-05-06"], "Body": ["为推进城市数字化转型，现提出如下意见。"]}).to_csv(tmp_path / "m.csv", index=False)
    corpus = read_corpus(tmp_path / "m.csv", text_column="Body",
                         columns={"title": "Name", "issuers": "Lead", "date": "Signed"}, progress=False)
    d = corpus[0]
    assert (d.title, d.issuers, d.date) == ("关于推进城市数字化转型的意见", ("工业和信息化部",), "2022-05-06")
    assert d.extra["Title"] == "（旧标题，勿用）"  # the column a recognised name would have taken is kept, not lost
    with pytest.raises(ParameterError, match="columns: 'issuer' is not a Document key"):
        read_corpus(tmp_path / "m.csv", columns={"issuer": "Lead"}, progress=False)
    with pytest.raises(Exception, match=r"columns\['title'\]='Policy Name' is not a column"):
        read_corpus(tmp_path / "m.csv", text_column="Body", columns={"title": "Policy Name"}, progress=False)
    out = tmp_path / "c.parquet"
    assert main(["ingest", str(tmp_path / "m.csv"), "-o", str(out), "--text-column", "Body", "--title-column", "Name",
                 "--issuer-column", "Lead", "--date-column", "Signed", "--no-progress"]) == 0
    assert Corpus.read_parquet(out)[0].issuers == ("工业和信息化部",)
    assert load_config({"ingest": {"columns": {"title": "Name"}}})["ingest"]["columns"] == {"title": "Name"}
    with pytest.raises(ParameterError, match="ingest.columns="):
        load_config({"ingest": {"columns": {"titel": "Name"}}})


def test_revisions_listed_in_a_regulations_header_are_recorded(tmp_path):
    from policynlp import read_corpus

    page = ("# 中华人民共和国水文条例\n\n2007年4月25日 中华人民共和国国务院令第496号公布\n\n"
            "2013年7月18日 《国务院关于废止和修改部分行政法规的决定》第一次修订\n\n"
            "2016年2月6日 《国务院关于修改部分行政法规的决定》第二次修订\n\n"
            "第一条 为了加强水文管理，规范水文工作，制定本条例。\n\n第二条 本条例自2007年6月1日起施行，2020年修订的规范另行制定。\n")
    (tmp_path / "hydrology.md").write_text(page, encoding="utf-8")
    d = next(iter(read_corpus(tmp_path, progress=False)))
    assert d.date == "2007-04-25" and d.extra["date_source"] == "header"  # the document's own date: promulgation
    assert d.extra["revision_dates"] == "2013-07-18;2016-02-06" and d.extra["latest_revision"] == "2016-02-06"
    assert d.issuers == ("国务院",)


@pytest.mark.parametrize("title, text, issuers, date", [
    # a rule adopted at a numbered meeting of the year, then signed by the minister: the signing is the date
    ("生态环境统计管理办法", "生态环境统计管理办法《生态环境统计管理办法》已于2022年12月30日由生态环境部2022年第六次部务会议审议通过，"
     "现予公布，自公布之日起施行。部长黄润秋2023年1月18日生态环境统计管理办法第一章 总 则第一条为加强和规范生态环境统计管理",
     ("生态环境部",), "2023-01-18"),
    # a record line with no 由/经 before the body
    ("互联网信息服务算法推荐管理规定", "# 互联网信息服务算法推荐管理规定\n\n2021年11月16日 国家互联网信息办公室2021年第20次室务会议审议通过"
     "\n\n2022年3月1日 施行\n\n第一条 为了规范互联网信息服务算法推荐活动", ("中央网络安全和信息化委员会办公室",), "2021-11-16"),
    # approved by the State Council and published by a body that no longer exists
    ("中华人民共和国计量法实施细则", "# 中华人民共和国计量法实施细则\n\n1987年1月19日 国务院批准\u3000\n\n1987年2月1日 国家计量局发布\u3000\n\n"
     "第一章 总则", ("国家计量局",), "1987-02-01"),
    # approved, and no publishing body named: the approving State Council
    ("对外使用国徽图案的办法", "# 对外使用国徽图案的办法\n\n1993年8月31日 国务院批准\u3000\n\n第一条 为了维护国徽的尊严", ("国务院",),
     "1993-08-31"),
    # a decree the text cites after a title is not the document's own; its 文号's code names the issuer
    ("关于职工全年月平均工作时间和工资折算问题的通知", "关于职工全年月平均工作时间和工资折算问题的通知\n劳社部发〔2008〕3号\n"
     "各省、自治区、直辖市劳动和社会保障厅（局）：\n根据《全国年节及纪念日放假办法》（国务院令第513号）的规定，全体公民的节日假期由原来的10天"
     "增设为11天。", ("劳动和社会保障部",), None),
    # a body's rule on something, named in the title before 对
    ("公安部对部分刀具实行管制的暂行规定", "第一条 为维护社会治安，保障人民生命安全，对部分刀具实行管制。", ("公安部",), None),
])
def test_regulation_and_rule_headers_in_their_older_and_rarer_forms(title, text, issuers, date):
    ev = infer_issuers(title, text)
    assert ev.issuers == issuers
    assert (ev.header_date or ev.signature_date) == date


def test_a_record_is_parsed_without_any_file():
    from policynlp.meta.agencies import load_agencies
    from policynlp.meta.records import parse_record

    options = {"columns": None, "parse_meta": True, "normalize": None}
    rec = parse_record({"Policy Title": "关于推进5G发展的通知", "Release Department":
                        "Ministry of Industry and Information Technology, National Development and Reform Commission",
                        "Release Time": "2021年3月2日", "Policy Content": FORWARDING}, load_agencies(), options)
    f = rec["fields"]
    assert f["issuers"] == ("工业和信息化部", "国家发展和改革委员会") and f["date"] == "2021-03-02"
    assert f["extra"]["issuer_source"] == "column" and f["doc_number"] == "国发〔2021〕12号"
    assert rec["notes"] == ["the issuer column names 工业和信息化部, the signature names 国务院"]  # flagged, not resolved
    assert parse_record({"title": "空白", "text": "  "}, None, {**options, "parse_meta": False}) == \
        {"problem": "no text (the text field is empty or null)"}
