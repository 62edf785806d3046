"""Where the heavy steps run: in this process, or on the workers of a Dask cluster.

policynlp's costly steps — parsing records at ingest, segmentation,
vectorisation and co-occurrence counting — all work on *partitions* of
documents that do not depend on each other, followed by a cheap merge on the
calling machine.  This module owns the one thing that differs between a
laptop and a cluster: how the partitions are mapped.

- :func:`connect` opens a ``dask.distributed`` client for ``"local"`` (a
  :class:`~distributed.LocalCluster` on the loopback interface), a scheduler
  address (``tcp://host:8786``) or an existing ``Client``; ``None`` means "no
  cluster".
- :func:`map_partitions` maps a function over partitions, in this process
  when ``client`` is ``None``, else on the workers, and returns the results in
  partition order whichever finishes first — so the merged result is the same
  as the single-process one.  At most a few partitions per worker are in
  flight, so the data sent to the cluster is streamed, not scattered at once.
- :func:`register_segmenter` installs a worker plugin that builds the
  Segmenter (jieba tokenizer, policy lexicon, protection patterns) once per
  worker, when the worker starts or joins, not per task.

Dask is optional: ``pip install "policynlp[dask]"``.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from itertools import islice
from typing import TYPE_CHECKING

from ._validation import check_int
from .errors import MissingDependencyError, ParameterError

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["connect", "map_partitions", "partitions", "share", "register_segmenter", "worker_segmenter"]

log = logging.getLogger(__name__)

_HINT = 'the Dask backend needs dask.distributed: pip install "policynlp[dask]"'


def _distributed():
    try:
        import distributed
    except ImportError as exc:  # optional dependency
        raise MissingDependencyError(_HINT) from exc
    return distributed


@contextlib.contextmanager
def connect(
    scheduler: str | Client | None = None,
    *,
    n_workers: int | None = None,
    threads_per_worker: int = 1,
    memory_limit: str | int = "auto",
) -> Iterator[Client | None]:
    """A Dask client for ``scheduler`` for the duration of a ``with`` block.

    Parameters
    ----------
    scheduler : None, "local", str or distributed.Client
        ``None``: no cluster (yields ``None``; everything runs in this process).
        ``"local"``: start a :class:`~distributed.LocalCluster` of worker
        *processes* listening on 127.0.0.1 only, closed when the block ends.
        An address such as ``"tcp://10.0.0.5:8786"``: connect to a running
        scheduler (its workers must have policynlp installed, and read the
        same paths).  A ``Client``: used as is and left open.
    n_workers, threads_per_worker, memory_limit
        For ``"local"`` only; ``n_workers`` defaults to one per core.  One
        thread per worker: segmentation is pure Python, so threads would share
        one interpreter lock.

    Yields
    ------
    distributed.Client or None

    Examples
    --------
    >>> with connect(None) as client:
    ...     print(client)
    None
    """
    if scheduler is None:
        yield None
        return
    distributed = _distributed()
    if isinstance(scheduler, distributed.Client):
        yield scheduler
        return
    if not isinstance(scheduler, str) or not scheduler:
        raise ParameterError(f"scheduler={scheduler!r} is not valid; use None, 'local', an address such as "
                             "'tcp://host:8786', or a distributed.Client")
    if scheduler == "local":
        n_workers = n_workers or os.cpu_count() or 1
        check_int("n_workers", n_workers, minimum=1)
        check_int("threads_per_worker", threads_per_worker, minimum=1)
        # No dashboard; the scheduler's small HTTP server still starts, on a free
        # port rather than 8787, which another cluster may hold.
        cluster = distributed.LocalCluster(n_workers=n_workers, threads_per_worker=threads_per_worker,
                                           processes=True, host="127.0.0.1", dashboard_address=None,
                                           scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                                           memory_limit=memory_limit)
        try:
            with distributed.Client(cluster) as client:
                log.info("local Dask cluster: %d worker(s) × %d thread(s)", n_workers, threads_per_worker)
                yield client
        finally:
            cluster.close()
        return
    if "://" not in scheduler:
        raise ParameterError(f"scheduler={scheduler!r} is not an address; write it as 'tcp://HOST:PORT' "
                             "(what `dask scheduler` prints), or use 'local'")
    try:
        client = distributed.Client(scheduler, timeout="30s")
    except OSError as exc:
        raise ParameterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}; is `dask scheduler` running "
                             "there and the port open?") from exc
    try:
        log.info("Dask scheduler %s: %d worker(s)", scheduler, len(client.scheduler_info().get("workers", {})))
        yield client
    finally:
        client.close()


def partitions(items, size):
    """Consecutive slices of ``items`` of at most ``size`` (an iterator; works on any iterable).

    Examples
    --------
    >>> [list(p) for p in partitions(range(5), 2)]
    [[0, 1], [2, 3], [4]]
    """
    check_int("partition_size", size, minimum=1)
    it = iter(items)
    while True:
        part = list(islice(it, size))
        if not part:
            return
        yield part


def share(client, obj):
    """Send ``obj`` once to every worker; pass the returned future to tasks instead of ``obj``.

    ``obj`` is wrapped in a list, as ``Client.scatter`` would otherwise scatter a
    dict item by item; ``hash=False`` gives each call its own key, as equal data
    scattered twice would otherwise share a key that the first caller's release
    can delete under the second.
    """
    return client.scatter([obj], broadcast=True, hash=False)[0]


def _n_workers(client):
    return max(1, len(client.scheduler_info().get("workers", {})))


def map_partitions(func, parts, *args, client=None, window=None, **kwargs):
    """``func(part, *args, **kwargs)`` for each partition, results in partition order.

    Parameters
    ----------
    func : callable
        A module-level function (it is pickled to the workers).
    parts : iterable
        Partitions, consumed lazily.
    client : distributed.Client or None
        ``None`` runs in this process, one partition at a time.
    window : int, optional
        Partitions in flight on the cluster (default: three per worker).  The
        next one is submitted as the oldest result is handed back, so memory
        on this machine stays bounded by the window, not the corpus.

    Yields
    ------
    The result of each partition, in order.

    Examples
    --------
    >>> list(map_partitions(sum, partitions(range(6), 2)))
    [1, 5, 9]
    """
    if client is None:
        for part in parts:
            yield func(part, *args, **kwargs)
        return
    from collections import deque

    window = window or 3 * _n_workers(client)
    check_int("window", window, minimum=1)

    def submit(part):
        # the partition travels as data, not inside the task graph (Dask's advice for large arguments)
        data = client.scatter([part], hash=False)[0]
        return data, client.submit(func, data, *args, pure=False, **kwargs)

    pending = deque()
    it = iter(parts)
    for part in it:
        pending.append(submit(part))
        if len(pending) >= window:
            break
    while pending:
        data, future = pending.popleft()
        result = future.result()
        future.release()
        data.release()
        for part in islice(it, 1):
            pending.append(submit(part))
        yield result


def register_segmenter(client, segmenter):
    """Make ``segmenter`` available on every worker (built once per worker); returns the plugin name."""
    _distributed()  # the install hint, before the plugin module needs distributed
    from ._dask_plugin import SegmenterPlugin

    plugin = SegmenterPlugin(segmenter.get_params(), segmenter.fingerprint)
    workers = client.scheduler_info().get("workers", {})
    # Registering again would rebuild the tokenizer on every worker; skip when all have it.
    have = client.run(_has_plugin, plugin.name) if workers else {}
    if not have or not all(have.values()):
        client.register_plugin(plugin, name=plugin.name)
    return plugin.name


def _has_plugin(name, dask_worker=None):
    return name in dask_worker.plugins


def worker_segmenter(name):
    """The Segmenter the plugin ``name`` built on the worker running this task."""
    worker = _distributed().get_worker()
    return worker.plugins[name].segmenter
