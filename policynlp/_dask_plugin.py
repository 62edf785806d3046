"""The Dask worker plugin that builds one Segmenter per worker (imported only when Dask is used)."""

from distributed import WorkerPlugin


class SegmenterPlugin(WorkerPlugin):
    """Holds a ready Segmenter on each worker; built in :meth:`setup`, when the worker starts or joins.

    The name carries the Segmenter's fingerprint, so segmenters with different
    lexicons or options can live side by side on the same workers.
    """

    def __init__(self, params, fingerprint):
        self.params = dict(params)
        self.name = f"policynlp-segmenter-{fingerprint}"
        self.segmenter = None

    def setup(self, worker):
        from .segment import Segmenter

        self.segmenter = Segmenter(**self.params)
        self.segmenter.prepare()
