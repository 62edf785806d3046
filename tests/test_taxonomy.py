import pytest
from sklearn.metrics import cohen_kappa_score

from policynlp import Corpus, Document
from policynlp.datasets import load_smart_city_2017
from policynlp.errors import CorpusFormatError, ParameterError, ResourceNotFoundError
from policynlp.reproduce import reproduce_paper
from policynlp.taxonomy import TaxonomyClassifier, agreement, instrument_domain_matrix, load_taxonomy

CORE = ["infrastructure", "services_egov", "community", "tourism", "transport", "healthcare"]


def test_bundled_taxonomies():
    tx = load_taxonomy("smart_city_2017")
    assert tx.keys(group="core") == CORE
    assert set(tx.keys(group="further")) == {"manufacturing", "education", "environment", "logistics", "grid", "buildings", "agriculture"}
    assert tx["services_egov"].zh == "惠民服务和智慧政务" and tx["tourism"].seed_terms
    inst = load_taxonomy("policy_instruments")
    assert {d.group for d in inst.domains} == {"supply", "environment", "demand"}
    assert {"talent", "funding", "technology", "public_services", "targets", "regulation", "finance", "tax", "standards",
            "strategic", "procurement", "outsourcing", "pilots", "international"} <= set(inst.keys())
    with pytest.raises(ResourceNotFoundError, match="bundled: cn_policy_domains, smart_city_2017, policy_instruments"):
        load_taxonomy("no_such")
    # the design card's "governance" is the paper's e-government domain
    assert tx["governance"] is tx["services_egov"]
    assert tx.select(keys=["governance"]).keys() == ["services_egov"]


def test_general_taxonomy_has_the_policy_library_categories_with_distinct_seeds():
    tx = load_taxonomy("cn_policy_domains")
    assert len(tx) == 22
    assert [tx[k].zh for k in ("finance", "urban_environment", "science_education", "defence")] == [
        "财政、金融、审计", "城乡建设、环境保护", "科技、教育", "国防"]
    seeds = [t for d in tx.domains for t in d.seed_terms]
    assert len(seeds) == len(set(seeds)), "a seed term in two domains cannot tell them apart"
    assert not set(seeds) & {"管理", "建设", "技术", "平台", "标准", "发展", "工作"}  # generic words are not seeds


REGULATIONS = [
    Document("tax", "增值税暂行条例", "在境内销售货物的单位和个人为增值税纳税人，应当依照本条例缴纳增值税。税率为百分之十七。"
             "纳税人应当建立管理制度，采用信息技术平台申报。"),
    Document("bank", "储蓄管理条例", "储蓄机构办理存款业务，应当遵守金融管理规定，保证存款安全。银行应当建立信息技术平台。"),
    Document("road", "公路安全保护条例", "公路管理机构负责公路保护，车辆超限运输应当经公路管理机构批准。建立信息技术平台和管理制度。"),
    Document("school", "学校体育工作条例", "学校应当开展体育课，保障学生每天锻炼，教师应当指导学生。建立管理制度和信息技术平台。"),
    Document("army", "征兵工作条例", "征兵工作由国防部领导，兵役机关负责征集公民服兵役，部队接收新兵。建立管理制度和技术平台。"),
    Document("mixed", "关于纳税和兵役工作的通知", "公民依法纳税，依法服兵役。"),
]


def test_specific_seeds_decide_and_close_calls_stay_unassigned():
    corpus = Corpus(REGULATIONS)
    dom = TaxonomyClassifier("cn_policy_domains", unit="document").fit().document_domains(corpus)["domain"]
    assert dom[["tax", "bank", "road", "army"]].tolist() == ["finance", "finance", "industry_transport", "defence"]
    # "mixed" names tax and military service; 兵役 is in two documents, 纳税 in one, so finance leads
    scores = TaxonomyClassifier("cn_policy_domains", unit="document").fit().document_domains(corpus)
    ratio = scores.loc["mixed", "finance"] / scores.loc["mixed", "defence"]
    assert 1.25 < ratio < 3 and dom["mixed"] == "finance"
    # a margin above that ratio leaves it unassigned rather than guessed; clear documents keep their domain
    strict = TaxonomyClassifier("cn_policy_domains", unit="document", margin=3.0).fit().document_domains(corpus)
    assert strict.loc["mixed", "domain"] == "" and strict.loc["army", "domain"] == "defence"
    with pytest.raises(ParameterError, match="margin"):
        TaxonomyClassifier("cn_policy_domains", margin=0.5).fit()


def test_a_seed_in_every_document_cannot_decide():
    generic = "建设信息平台和网络平台，制定技术标准和网络标准。"
    smart = [Document(f"d{i}", f"文件{i}", lead + generic) for i, lead in enumerate(
        ["发展智慧旅游，", "推进智慧交通，", "建设智慧社区，", "发展智慧医疗，", "推进一网通办，"])]
    flat = TaxonomyClassifier(group="core", unit="document", weighting="flat").fit().document_domains(Corpus(smart))
    idf = TaxonomyClassifier(group="core", unit="document").fit().document_domains(Corpus(smart))
    # 平台, 技术, 网络 and 标准 (infrastructure seeds) are in all five: flat scoring lets them win, idf does not
    assert flat["domain"].tolist() == ["infrastructure"] * 5
    assert idf["domain"].tolist() == ["tourism", "transport", "community", "healthcare", "services_egov"]


def test_user_taxonomy_file_and_errors(tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text("name: mine\ndomains:\n  - {key: water, zh: 水务, en: water, seed_terms: [供水, 排水, 污水]}\n", encoding="utf-8")
    clf = TaxonomyClassifier(f).fit()
    assert clf.predict(["完善城市供水和污水处理设施"]) == [["water"]]
    bad = tmp_path / "bad.yaml"
    bad.write_text("domains:\n  - {zh: 无键}\n", encoding="utf-8")
    with pytest.raises(CorpusFormatError, match="domain 0 has no 'key'"):
        load_taxonomy(bad)


@pytest.mark.parametrize("text, domain", [
    ("建设宽带网络和物联网感知设施，搭建城市时空信息云平台", "infrastructure"),
    ("推进互联网+政务服务，实现政务服务事项一网通办", "services_egov"),
    ("建设智慧社区，为社区居民提供物业管理和居家养老服务", "community"),
    ("建设智慧旅游景区，为游客提供在线旅游信息服务", "tourism"),
    ("推广交通一卡通，建设城市公共交通智能调度系统", "transport"),
    ("推动电子病历和电子健康档案共享，发展远程医疗", "healthcare"),
])
def test_lexicon_classifier_per_domain(text, domain):
    clf = TaxonomyClassifier(group="core").fit()
    assert clf.predict([text])[0][0] == domain or clf.predict([text]) == [[domain]]
    assert clf.scores([text]).iloc[0][CORE].idxmax() == domain


def test_explain_shows_the_deciding_terms():
    clf = TaxonomyClassifier(group="core").fit()
    ex = clf.explain("建设智慧旅游景区，完善旅游信息服务，提升游客体验")
    assert ex.iloc[0]["domain"] == "tourism"
    assert set(ex[ex.domain == "tourism"].term) >= {"智慧旅游", "游客"}
    assert list(ex.columns) == ["term", "domain", "count", "weight", "contribution"]


def test_clause_codes_aggregate_to_documents():
    text = "一、智慧交通\n推广交通一卡通，发展智能公交。\n二、智慧医疗\n推进电子病历共享。\n三、智慧交通（续）\n建设停车诱导系统，完善公共交通出行信息服务。"
    corpus = Corpus([Document("d", title="某市智慧城市建设方案", text=text)])
    clf = TaxonomyClassifier(group="core", unit="clause").fit()
    codes = clf.code(corpus)
    assert set(codes.domain) == {"transport", "healthcare"}
    assert clf.document_domains(corpus).loc["d", "domain"] == "transport"


def test_supervised_mode_with_cross_validation():
    verbs = ["推广", "建设", "完善", "发展", "推进"]
    transport = ["交通一卡通", "智能公交调度", "停车诱导系统", "公交出行信息服务", "车联网应用", "城市公共交通"]
    health = ["电子病历共享", "远程医疗服务", "电子健康档案", "医院信息平台", "预约诊疗服务", "分级诊疗制度"]
    texts = [v + o for o in transport for v in verbs] + [v + o for o in health for v in verbs]
    labels = ["transport"] * 30 + ["healthcare"] * 30
    clf = TaxonomyClassifier(group="core", mode="supervised").fit(texts, labels)
    assert len(clf.cv_scores_) == 5 and clf.cv_scores_.mean() > 0.8
    assert clf.classes_ == ["transport", "healthcare"]
    assert clf.predict(["推广公交一卡通互联互通", "推动医院电子病历共享"]) == [["transport"], ["healthcare"]]
    with pytest.raises(ParameterError, match="not domains"):
        TaxonomyClassifier(group="core", mode="supervised").fit(["甲"], ["weather"])
    with pytest.raises(ParameterError, match="needs labelled units"):
        TaxonomyClassifier(mode="supervised").fit()


def test_policy_instrument_coding():
    clf = TaxonomyClassifier("policy_instruments", unit="sentence").fit()
    examples = {
        "设立智慧城市建设专项资金，加大财政资金投入。": "funding",
        "对符合条件的企业落实税收优惠政策。": "tax",
        "加快制定智慧城市标准体系和评价指标体系。": "standards",
        "在全国遴选一批城市开展试点示范。": "pilots",
        "加强专业人才培养和引进人才。": "talent",
        "鼓励社会资本参与，探索政府和社会资本合作模式。": "finance",
    }
    for text, instrument in examples.items():
        assert instrument in clf.predict([text])[0], (text, clf.predict([text]))


def test_agreement_and_kappa_against_a_known_case():
    true = ["a", "a", "a", "b", "b", "c", "c", "c", "c", "a"]
    pred = ["a", "a", "b", "b", "b", "c", "c", "a", "c", "a"]
    res = agreement(true, pred)
    assert res["accuracy"] == pytest.approx(0.8)
    assert res["kappa"] == pytest.approx(cohen_kappa_score(true, pred))
    # by hand: p_o = 0.8; p_e = (4*4 + 2*3 + 4*3) / 100 = 0.34; kappa = (0.8 - 0.34) / 0.66
    assert res["kappa"] == pytest.approx((0.8 - 0.34) / 0.66)
    assert res["confusion"].loc["c", "a"] == 1 and res["per_class"].loc["b", "recall"] == 1.0


def test_instrument_domain_matrix(demo_corpus):
    counts, shares = instrument_domain_matrix(demo_corpus)
    assert list(counts.columns) == ["group", *CORE]
    assert counts.loc["pilots", "transport"] > 0 and counts.loc["pilots", "group"] == "demand"
    col = shares["tourism"]
    assert col.sum() == pytest.approx(1.0)
    assert counts.attrs["provenance"]["step"] == shares.attrs["provenance"]["step"] == "taxonomy.instrument_domain_matrix"
    assert counts.attrs["provenance"]["params"]["unit"] == "sentence"


def test_catalogue_and_programmes_from_the_installed_package():
    cat, progs, corpus = load_smart_city_2017()
    assert len(cat) == 22 and set(cat.section) == {"strategy", "pilots", "guidance", *CORE}
    assert (cat.section.isin(CORE)).sum() == 15
    row = cat.set_index("id").loc["sc-guidance-2014"]
    assert row["doc_number"] == "发改高技〔2014〕1770号" and row["issuers"].split(";")[0] == "国家发展和改革委员会"
    assert len(row["issuers"].split(";")) == 8
    tour = progs.set_index("id").loc["pg-tourism"]
    assert (tour["count"], tour["example_cities"]) == (18, "北京;武汉;成都")
    assert set(cat.id) <= set(corpus.ids)  # one demo document per catalogued policy
    for d in corpus:
        assert d.extra.get("summary") is True and "非官方原文" in d.extra.get("note", "")


def test_reproduction_meets_the_promise(tmp_path):
    res = reproduce_paper(tmp_path)
    dom = res["classification"][res["classification"]["correct"].notna()]
    assert len(dom) == 15 and int(dom["correct"].sum()) >= 13
    table = res["taxonomy"].set_index("section")
    assert table.loc["pilots", "n_documents"] == 3 and "90" in table.loc["pilots", "programmes"]
    for name in ("taxonomy_table.csv", "classification.csv", "confusion_matrix.csv", "agreement.json",
                 "taxonomy_by_year.png", "instrument_domain.png"):
        assert (tmp_path / name).is_file(), name


def test_a_taxonomy_that_fits_poorly_says_so():
    from policynlp import Corpus, Document
    from policynlp.taxonomy import TaxonomyClassifier, taxonomy_fit

    texts = ["加快人工智能技术研发和标准体系建设，建设算力网络平台。", "推进大模型技术创新平台建设，完善数据标准。",
             "建设工业互联网平台和新型网络基础设施，推进技术标准化。", "发展智能制造，建设数字化转型公共服务平台与标准。",
             "加强集成电路技术攻关，建设创新平台网络。", "推动数据要素市场建设，完善平台规则和技术标准。"]
    corpus = Corpus([Document(f"ai-{i}", f"人工智能政策{i}", t) for i, t in enumerate(texts)])
    domains = TaxonomyClassifier("smart_city_2017", group="core", unit="document").fit().document_domains(corpus)["domain"]
    message = taxonomy_fit(domains, taxonomy="smart_city_2017")
    assert message.startswith("taxonomy smart_city_2017 fits this corpus poorly")
    assert taxonomy_fit(["transport", "healthcare", "tourism", "community"]) == ""
