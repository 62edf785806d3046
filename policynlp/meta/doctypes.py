"""Document type (文种) and administrative level inferred from metadata."""

__all__ = ["DOC_TYPES", "infer_doc_type", "infer_level"]

#: Types recognised at the end of a title, longest first when they overlap.
DOC_TYPES = (
    "实施细则", "实施方案", "实施意见", "指导意见", "若干意见", "管理办法", "暂行办法", "行动计划",
    "规划纲要", "工作要点", "指标体系", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告",
    "请示", "批复", "议案", "函", "纪要", "条例", "规定", "办法", "细则", "规则", "规划", "纲要",
    "方案", "计划", "指南", "标准", "目录", "要点", "规范", "清单", "指引", "决议", "法",
)
_GENERAL = {
    "实施细则": "细则", "实施方案": "方案", "实施意见": "意见", "指导意见": "意见", "若干意见": "意见",
    "管理办法": "办法", "暂行办法": "办法", "行动计划": "计划", "规划纲要": "纲要", "工作要点": "要点",
}


def infer_doc_type(title):
    """The document type named at the end of a title, or ``""``.

    Parenthesised qualifiers such as （试行） or （2014－2020年） are ignored; a
    notice that publishes another document (关于印发《…》的通知) is a 通知.

    Examples
    --------
    >>> [infer_doc_type(t) for t in ["关于促进智慧城市健康发展的指导意见", "智慧社区建设指南（试行）", "关于印发《国家智慧城市试点暂行管理办法》的通知", "国家新型城镇化规划（2014－2020年）", ""]]
    ['意见', '指南', '通知', '规划', '']
    """
    t = (title or "").strip()
    while t.endswith(("）", ")")):
        open_at = max(t.rfind("（"), t.rfind("("))
        if open_at <= 0:
            break
        t = t[:open_at].rstrip()
    for dt in DOC_TYPES:
        if t.endswith(dt):
            return _GENERAL.get(dt, dt)
    return ""


_LOCAL = (("自治区", "provincial"), ("省", "provincial"), ("直辖市", "provincial"), ("市", "municipal"),
          ("州", "municipal"), ("盟", "municipal"), ("区", "county"), ("县", "county"), ("旗", "county"))


def infer_level(issuers, unknown=()):
    """``"central"`` when every issuer is a known central body, else a local level or ``""``.

    Parameters
    ----------
    issuers : sequence of str
        Canonical names found in the registry (all central).
    unknown : sequence of str
        Names outside the registry, whose ending (省, 市, 县 …) hints at the level.

    Examples
    --------
    >>> infer_level(["国务院"]), infer_level([], ["浙江省人民政府"]), infer_level([], ["杭州市人民政府办公厅"]), infer_level([])
    ('central', 'provincial', 'municipal', '')
    """
    for name in unknown:
        head = name.split("人民政府")[0]
        for suffix, level in _LOCAL:
            if suffix in head:
                return level
    return "central" if issuers else ""
