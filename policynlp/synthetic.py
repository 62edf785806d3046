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

__all__ = ["iter_synthetic", "reuse_corpus", "write_synthetic"]

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


_PROVINCES = ["北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省",
              "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区",
              "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省",
              "宁夏回族自治区", "新疆维吾尔自治区"]
_LOCAL = ["我省", "本市", "全省", "各市县", "省级"]
_SWAPS = ["进一步", "大力", "切实", "着力", "全面", "扎实", "积极", "有序"]
REUSE_TRUTH_COLUMNS = ["source", "target", "source_start", "source_end", "target_start", "target_end", "edits",
                       "edit_share"]


def _sentence_starts(text):
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch in "。\n" and i + 1 < len(text)]
    return [s for s in starts if text[s] not in "\n"]


def _edit(passage, budget, rng):
    """Edit ``passage`` the way implementation plans do, changing at most ``budget`` characters."""
    chars = list(passage)
    changed = edits = 0
    while True:
        op = int(rng.integers(4))
        if op == 0:  # insert a local name
            new = _LOCAL[int(rng.integers(len(_LOCAL)))]
            cost = len(new)
        elif op == 1:  # change a number (a target, a year)
            digits = [i for i, ch in enumerate(chars) if ch.isdigit()]
            if not digits:
                continue
            cost = 1
        elif op == 2:  # swap a short phrase for an adverb
            new = _SWAPS[int(rng.integers(len(_SWAPS)))]
            cost = len(new) + 2
        else:  # drop a few characters
            cost = int(rng.integers(2, 6))
        if changed + cost > budget or cost >= len(chars) // 3:
            break
        at = int(rng.integers(1, max(2, len(chars) - 1)))
        if op == 0:
            chars[at:at] = list(new)
        elif op == 1:
            i = digits[int(rng.integers(len(digits)))]
            chars[i] = str((int(chars[i]) + 1 + int(rng.integers(8))) % 10)
        elif op == 2:
            chars[at : at + 2] = list(new)
        else:
            del chars[at : at + cost]
        changed += cost
        edits += 1
    return "".join(chars), edits, changed


_OPEN_PATTERNS = [
    "{verb}{term}{obj}，{verb2}{term2}与{term3}{obj2}。",
    "围绕{term}和{term2}，{verb}{obj}，{verb2}{term3}{obj2}。",
    "{city}要以{term}为重点，{verb}{term2}{obj}，{n}年内{verb2}{term3}。",
    "把{term}纳入{term2}{obj}，{verb}{term3}，{verb2}{obj2}。",
    "鼓励{agency}{verb}{term}{obj}，探索{term2}与{term3}协同。",
    "各地区各部门要{verb}{term}，确保各项任务落到实处。",
]


def _open_background(n_docs, rng):
    """Documents whose sentences have many open slots (two or three lexicon terms each) and a few set phrases.

    :func:`iter_synthetic`'s templates repeat whole clauses between documents
    far more than real policy prose does, so unrelated documents share
    near-identical 50-character stretches; a reuse benchmark on them would
    count that as error.  These sentences still share set phrases (the last
    pattern is in most documents), which a reuse finder must not mistake for reuse.
    """
    terms, agencies = _vocab()
    pick = lambda seq: seq[int(rng.integers(len(seq)))]  # noqa: E731
    texts = []
    for _ in range(n_docs):
        parts = []
        for s in range(int(rng.integers(10, 31))):
            if s % 6 == 0:
                parts.append(f"\n{_CN[(s // 6) % 10]}、{pick(_VERBS)}{pick(terms)}\n")
            parts.append(pick(_OPEN_PATTERNS).format(
                verb=pick(_VERBS), verb2=pick(_VERBS), term=pick(terms), term2=pick(terms), term3=pick(terms),
                obj=pick(_OBJECTS), obj2=pick(_OBJECTS), city=pick(_CITIES), agency=pick(agencies),
                n=int(rng.integers(2, 6))))
        texts.append("".join(parts).strip())
    return texts


def reuse_corpus(n_docs, *, seed=0, sources=0.05, adopters=0.3, min_chars=50, max_chars=400, max_edit=0.2):
    """A synthetic corpus with planted text reuse, and the truth about every planted passage.

    Central documents (a share ``sources`` of the corpus) are dated early;
    provincial adopters (a share ``adopters``) each copy one or two passages of
    ``min_chars``–``max_chars`` characters from a source — whole sentences —
    into their own text at a sentence end, dated after it, with edits the way
    implementation plans make them (an inserted 我省, a changed number, a
    swapped adverb, a dropped phrase) up to ``max_edit`` of the passage's
    characters (half of the copies are unedited).

    Returns
    -------
    docs : DataFrame
        ``id, title, issuers, date, level, region, text``.
    truth : DataFrame
        ``source, target, source_start, source_end, target_start, target_end,
        edits, edit_share``: offsets of each planted passage in both texts.

    Examples
    --------
    >>> docs, truth = reuse_corpus(60, seed=2)
    >>> r = truth.iloc[0]
    >>> src = docs.set_index("id").loc[r.source, "text"][r.source_start:r.source_end]
    >>> tgt = docs.set_index("id").loc[r.target, "text"][r.target_start:r.target_end]
    >>> bool(r.edits > 0 or src == tgt)
    True
    """
    import pandas as pd

    check_int("n_docs", n_docs, minimum=2)
    rng = np.random.default_rng([seed, 7])
    docs = pd.DataFrame(list(iter_synthetic(n_docs, seed=seed, sentences=(10, 30))))
    docs = docs.drop(columns=["doc_number"])
    docs["text"] = _open_background(n_docs, rng)
    n_src = max(1, int(round(sources * n_docs)))
    order = rng.permutation(n_docs)
    src_idx, rest = order[:n_src], order[n_src:]
    n_adopt = min(len(rest), int(round(adopters * n_docs)))
    adopt_idx = rest[:n_adopt]
    base = pd.Timestamp("2016-01-01")
    dates = [base + pd.Timedelta(days=int(d)) for d in rng.integers(0, 6 * 365, n_docs)]
    level = ["central"] * n_docs
    region = [""] * n_docs
    for i in rest:
        level[i] = "provincial"
        region[i] = _PROVINCES[int(rng.integers(len(_PROVINCES)))]
    texts = docs["text"].tolist()
    truth = []
    for i in adopt_idx:
        for _ in range(1 + int(rng.random() < 0.3)):
            s = int(src_idx[int(rng.integers(n_src))])
            source = texts[s]
            starts = _sentence_starts(source)
            a = starts[int(rng.integers(len(starts)))]
            want = int(rng.integers(min_chars, max_chars + 1))
            ends = [e for e in _sentence_starts(source) if e > a] + [len(source)]
            b = next((e for e in ends if e - a >= want), ends[-1])
            if b - a > max_chars:  # whole sentences only: the longest run within the limit, else one sentence
                b = max([e for e in ends if e - a <= max_chars] or [ends[0]])
            passage = source[a:b].rstrip("\n")
            if "\n" in passage and not passage.endswith("。"):  # whole sentences: not the heading that follows them
                passage = passage[: passage.rindex("\n")].rstrip("\n")
            if len(passage.strip()) < min_chars:
                continue
            b = a + len(passage)
            budget = 0 if rng.random() < 0.5 else int(rng.uniform(0, max_edit) * len(passage))
            copy, n_edits, changed = _edit(passage, budget, rng)
            target = texts[i]
            planted = [(t[4], t[5]) for t in truth if t[1] == i]
            cuts = [p for p in _sentence_starts(target) if p > 0 and target[p - 1] == "。"
                    and not any(s0 < p < s1 for s0, s1 in planted)] or [len(target)]
            at = cuts[int(rng.integers(len(cuts)))]
            # earlier planted offsets in this target move with the insertion
            for t in truth:
                if t[1] == i and t[4] >= at:
                    t[4] += len(copy)
                    t[5] += len(copy)
                if t[0] == i and t[2] >= at:
                    t[2] += len(copy)
                    t[3] += len(copy)
            texts[i] = target[:at] + copy + target[at:]
            truth.append([s, i, a, b, at, at + len(copy), n_edits, round(changed / len(passage), 4)])
            if dates[i] <= dates[s]:
                dates[i] = dates[s] + pd.Timedelta(days=int(rng.integers(5, 400)))
    docs["text"] = texts
    docs["date"] = [d.strftime("%Y-%m-%d") for d in dates]
    docs["level"], docs["region"] = level, region
    ids = docs["id"].tolist()
    truth = pd.DataFrame(truth, columns=REUSE_TRUTH_COLUMNS)
    truth["source"] = truth["source"].map(lambda k: ids[k])
    truth["target"] = truth["target"].map(lambda k: ids[k])
    return docs[["id", "title", "issuers", "date", "level", "region", "text"]], truth
