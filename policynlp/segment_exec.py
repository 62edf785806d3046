"""Where segmentation runs, and how tokens travel: one process, a pool of worker processes, a Dask cluster, a Parquet stream.

:class:`policynlp.segment.Segmenter` decides what a token is; this module only
moves texts to a tokenizer and tokens back.  Between processes the tokens of a
document travel as one string joined by U+001F (and U+001E before the
part-of-speech tags), which pickles far faster than a list of strings; every
path gives the same tokens as one process (tested).
"""

from concurrent.futures import ProcessPoolExecutor

import pandas as pd

from ._progress import progress as _bar
from ._validation import check_choice, check_int
from .errors import ParameterError
from .provenance import provenance
from .segment import Segmenter

__all__ = ["segment_frame", "segment_joined", "segment_parquet", "tokens_frame", "chunk_size_for"]

_SEP = "\x1f"  # joins tokens between processes; never inside a token


def segment_frame(seg, ids, texts, *, n_jobs, chunk_size, progress, mp_context=None, client=None):
    """Tokens of ``texts`` as a frame (``id``, ``tokens``, ``pos``), in this process, in worker processes or on a cluster."""
    if client is None and (n_jobs == 1 or len(texts) <= chunk_size):
        seg.prepare()
        toks = [seg.cut(t) for t in _bar(texts, progress=progress, desc="segment", unit="doc")]
        if seg.pos:
            return pd.DataFrame({"id": ids, "tokens": [[w for w, _ in x] for x in toks],
                                 "pos": [[f for _, f in x] for x in toks]})
        return pd.DataFrame({"id": ids, "tokens": toks})
    joined = segment_joined(seg, texts, n_jobs=n_jobs, chunk_size=chunk_size, progress=progress,
                                 mp_context=mp_context, client=client)
    return tokens_frame(ids, joined, seg.pos)

def segment_parquet(seg, source, dest, *, id_column="id", text_column="text", batch_size=5_000, n_jobs=1,
                    cache=None, progress=None, client=None):
    """:meth:`Segmenter.segment_parquet`: one batch of the source at a time into the tokens file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .tables import open_parquet_stream, tokens_schema

    check_int("batch_size", batch_size, minimum=1)
    pf = open_parquet_stream(source)
    names = pf.schema_arrow.names
    for col in (id_column, text_column):
        if col not in names:
            raise ParameterError(f"{source}: no column {col!r} (columns: {names})")
    record = provenance("segment", seg.get_params())
    record["fingerprint"] = seg.fingerprint
    schema = tokens_schema(pos=seg.pos, provenance=record)
    def batches():
        for batch in pf.iter_batches(batch_size=batch_size, columns=[id_column, text_column]):
            yield [str(x) for x in batch.column(id_column).to_pylist()], [t or "" for t in batch.column(text_column).to_pylist()]

    if client is not None and cache is None:
        frames = _segment_batches_on(seg, client, batches())
    else:
        frames = (seg.segment(_Texts(ids, texts), n_jobs=n_jobs, cache=cache, progress=False, client=client)
                  for ids, texts in batches())
    n = 0
    bar = _bar(total=pf.metadata.num_rows, progress=progress, desc="segment", unit="doc")
    with pq.ParquetWriter(str(dest), schema, compression="zstd") as writer:
        for frame in frames:  # one row group per batch, whatever path produced it
            arrays = [pa.array(frame["id"].tolist(), pa.string()), pa.array(frame["tokens"].tolist(), pa.list_(pa.string()))]
            if seg.pos:
                arrays.append(pa.array(frame["pos"].tolist(), pa.list_(pa.string())))
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            n += len(frame)
            bar.update(len(frame))
    bar.close()
    return n

def _segment_batches_on(seg, client, batches):
    """Frames of streamed batches segmented on a cluster, partitions flowing across batch ends.

    Sending batch after batch would leave the workers idle while each
    batch's last partition finishes; here the next batch's partitions are
    already queued, and results are regrouped by batch on the way back.
    """
    from .cluster import map_partitions, register_segmenter

    name = register_segmenter(client, seg)
    step = chunk_size_for(None, client)

    def parts():
        for ids, texts in batches:
            for k in range(0, len(texts), step):
                yield ids[k : k + step], texts[k : k + step], k + step >= len(texts)

    got_ids, got = [], []
    for ids, joined, last in map_partitions(_dask_cut_tagged, parts(), name, client=client):
        got_ids.extend(ids)
        got.extend(joined)
        if last:
            yield tokens_frame(got_ids, got, seg.pos)
            got_ids, got = [], []

def segment_joined(seg, texts, *, n_jobs=1, chunk_size=None, progress=None, mp_context=None, client=None):
    """:meth:`Segmenter.segment_joined`: each text's tokens as one joined string, wherever they are cut."""
    chunk_size = chunk_size_for(chunk_size, client)
    if client is not None:
        from .cluster import map_partitions, partitions, register_segmenter

        name = register_segmenter(client, seg)
        out = []
        bar = _bar(total=len(texts), progress=progress, desc="segment", unit="doc")
        for part in map_partitions(_dask_cut, partitions(texts, chunk_size), name, client=client):
            out.extend(part)
            bar.update(len(part))
        bar.close()
        return out
    if n_jobs == 1 or len(texts) <= chunk_size:
        seg.prepare()
        return [_join(seg.cut(t), seg.pos) for t in _bar(texts, progress=progress, desc="segment", unit="doc")]
    chunks = [texts[i : i + chunk_size] for i in range(0, len(texts), chunk_size)]
    out = []
    import multiprocessing

    ctx = multiprocessing.get_context(check_choice("mp_context", mp_context, (None, "spawn", "forkserver", "fork")))
    with ProcessPoolExecutor(max_workers=n_jobs, mp_context=ctx, initializer=_worker_init,
                             initargs=(seg.get_params(),)) as ex:
        bar = _bar(total=len(texts), progress=progress, desc="segment", unit="doc")
        for part in ex.map(_worker_cut, chunks):
            out.extend(part)
            bar.update(len(part))
        bar.close()
    return out


def _join(tokens, pos):
    if pos:
        return _SEP.join(w for w, _ in tokens) + "\x1e" + _SEP.join(f for _, f in tokens)
    return _SEP.join(tokens)


def _split(joined, pos):
    if pos:
        words, _, tags = joined.partition("\x1e")
        return (words.split(_SEP) if words else []), (tags.split(_SEP) if tags else [])
    return joined.split(_SEP) if joined else []


def tokens_frame(ids, joined, pos):
    if pos:
        pairs = [_split(j, True) for j in joined]
        return pd.DataFrame({"id": ids, "tokens": [p[0] for p in pairs], "pos": [p[1] for p in pairs]})
    return pd.DataFrame({"id": ids, "tokens": [_split(j, False) for j in joined]})


class _Texts:
    """Ids and texts of one streamed batch."""

    def __init__(self, ids, texts):
        self.ids, self.texts = ids, texts




_WORKER = None


def _worker_init(params):
    global _WORKER
    _WORKER = Segmenter(**params)
    _WORKER.prepare()


def _worker_cut(texts):
    return [_join(_WORKER.cut(t), _WORKER.pos) for t in texts]


def _dask_cut(texts, plugin):
    """A Dask task: segment with the worker's own Segmenter (built once by its plugin)."""
    from .cluster import worker_segmenter

    seg = worker_segmenter(plugin)
    return [_join(seg.cut(t), seg.pos) for t in texts]


def _dask_cut_tagged(part, plugin):
    """A Dask task for streamed batches: the ids and the end-of-batch flag travel with the texts."""
    ids, texts, last = part
    return ids, _dask_cut(texts, plugin), last


def chunk_size_for(chunk_size, client):
    """Documents per task: the given number, else 200 for worker processes and 2,000 on a Dask cluster."""
    if chunk_size is None:
        return 200 if client is None else 2000
    return check_int("chunk_size", chunk_size, minimum=1)
