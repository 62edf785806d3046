"""Synthetic policy-like corpora for benchmarks at any size (10k, 100k, 1M documents).

Documents are assembled from the project's own lexicon (agency names, policy
terms) and sentence templates written for policynlp, with a seeded NumPy
generator: the same ``seed`` and ``n_docs`` always give the same corpus.
They read like policy prose to a segmenter (titles in 《》, 文号, dates,
numbered clauses, collective mentions) but say nothing true; use them for
speed and memory measurements only.  Records are produced one at a time and
written in batches, so a million documents never sit in memory.
"""

from pathlib import Path

import numpy as np

from ._validation import check_int

__all__ = ["iter_synthetic", "write_synthetic"]

_VERBS = ["推进", "加快", "完善", "推动", "加强", "健全", "优化", "深化", "统筹", "规范"]
_OBJECTS = ["体制机制", "标准体系", "公共服务", "信息基础设施", "数据共享", "监督管理", "试点示范", "人才队伍",
            "资金保障", "评价指标体系", "应用场景", "安全保障", "协调机制", "重点任务", "政务服务"]
_TEMPLATES = [
    "{verb}{term}建设，{verb2}{obj}。",
    "到{year}年，基本建成{term}{obj}，{verb}{obj2}取得明显成效。",
    "{agency}会同{agency2}等{n}部门{verb}{term}{obj}，并于{year}年{month}月印发《关于{verb}{term}{obj}的指导意见》（{code}〔{year}〕{serial}号）。",
    "各地区各部门要{verb}{obj}，{verb2}{term}，确保各项任务落到实处。",
    "支持{city}等{n}个城市开展{term}试点，探索可复制可推广的经验。",
    "{verb}{term}与{term2}融合发展，提升{obj}水平。",
]
_CITIES = ["北京市", "上海市", "广州市", "深圳市", "杭州市", "南京市", "武汉市", "成都市", "西安市", "重庆市", "天津市", "苏州市"]
_CODES = ["国发", "国办发", "发改高技", "建办科", "工信部联", "环办", "财建", "交运发"]
_CN = "一二三四五六七八九十"


def _vocab():
    from .lexicon import policy_lexicon
    from .meta.agencies import load_agencies

    terms = sorted({e.word for e in policy_lexicon() if e.tag != "nt" and len(e.word) >= 2})
    reg = load_agencies()
    agencies = sorted(n for n in reg.surfaces() if not (reg.info(n) or {}).get("until"))
    return terms, agencies


def iter_synthetic(n_docs, *, seed=0, sentences=(6, 30)):
    """Yield ``n_docs`` synthetic documents as dicts (``id, title, issuers, date, doc_number, text``).

    Examples
    --------
    >>> docs = list(iter_synthetic(2, seed=1))
    >>> docs[0]["id"], len(docs) == len(list(iter_synthetic(2, seed=1)))
    ('syn-0000000', True)
    >>> docs == list(iter_synthetic(2, seed=1))
    True
    """
    check_int("n_docs", n_docs, minimum=0)
    rng = np.random.default_rng(seed)
    terms, agencies = _vocab()
    pick = lambda seq: seq[int(rng.integers(len(seq)))]  # noqa: E731
    for i in range(n_docs):
        year = int(rng.integers(2010, 2025))
        lead, other = pick(agencies), pick(agencies)
        term = pick(terms)
        code = pick(_CODES)
        serial = int(rng.integers(1, 200))
        parts = []
        n_sent = int(rng.integers(sentences[0], sentences[1] + 1))
        for s in range(n_sent):
            if s % 5 == 0:
                parts.append(f"\n{_CN[(s // 5) % 10]}、{pick(_VERBS)}{pick(terms)}\n")
            t = pick(_TEMPLATES)
            parts.append(t.format(verb=pick(_VERBS), verb2=pick(_VERBS), term=pick(terms), term2=pick(terms),
                                  obj=pick(_OBJECTS), obj2=pick(_OBJECTS), year=int(rng.integers(2010, 2030)),
                                  month=int(rng.integers(1, 13)), agency=pick(agencies), agency2=pick(agencies),
                                  n=int(rng.integers(2, 13)), city=pick(_CITIES), code=code, serial=serial))
        yield {
            "id": f"syn-{i:07d}",
            "title": f"关于{pick(_VERBS)}{term}{pick(_OBJECTS)}的通知",
            "issuers": f"{lead}、{other}" if rng.random() < 0.3 else lead,
            "date": f"{year}-{int(rng.integers(1, 13)):02d}",
            "doc_number": f"{code}〔{year}〕{serial}号",
            "text": "".join(parts).strip(),
        }


def write_synthetic(path, n_docs, *, seed=0, batch_size=10_000):
    """Write a synthetic corpus as a manifest (``.parquet`` or ``.jsonl``) in batches; returns the path.

    The Parquet file is a manifest with Chinese-free English columns that
    :func:`policynlp.read_corpus` ingests like any other.
    """
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    batch = []
    if path.suffix == ".jsonl":
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            for rec in iter_synthetic(n_docs, seed=seed):
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        return path
    writer = None
    try:
        for rec in iter_synthetic(n_docs, seed=seed):
            batch.append(rec)
            if len(batch) >= batch_size:
                table = pa.Table.from_pylist(batch)
                writer = writer or pq.ParquetWriter(str(path), table.schema, compression="zstd")
                writer.write_table(table)
                batch = []
        if batch or writer is None:
            table = pa.Table.from_pylist(batch) if batch else pa.table({k: pa.array([], pa.string()) for k in
                                                                       ("id", "title", "issuers", "date", "doc_number", "text")})
            writer = writer or pq.ParquetWriter(str(path), table.schema, compression="zstd")
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    return path
