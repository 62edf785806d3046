"""The output folder of :func:`policynlp.pipeline.analyze`: its lock, and the record of what each stage wrote.

A stage writes its files through :meth:`RunFolder.path` (or names files a
library wrote with :meth:`RunFolder.register`); when it finishes, its marker
``.policynlp-stages/<stage>.json`` records the stage's key (a hash of its
inputs and parameters) and the SHA-256 of every file it wrote.  A resumed run
skips a stage only when the key matches *and* every recorded file is still
there with the same hash; otherwise the stage runs again, and the reason is
logged and returned.  Files a stage wrote last time but not this time are
deleted, so a resumed folder never keeps a stale output.

One run at a time: ``.policynlp.lock`` holds the pid and host of the run that
owns the folder.  A second run refuses at once; a lock left by a run that died
(its pid no longer exists on this host, or the file is unreadable) is stale
and taken over.
"""

import hashlib
import json
import logging
import os
import socket
from pathlib import Path

from .errors import PolicyNLPError

__all__ = ["RunFolder", "FolderLockedError", "file_sha256"]

log = logging.getLogger(__name__)

MARKERS = ".policynlp-stages"
LOCK = ".policynlp.lock"

class FolderLockedError(PolicyNLPError, RuntimeError):
    """Another run is writing to the same output folder."""


def file_sha256(path):
    """The SHA-256 of a file, read in blocks (hex)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by another user
        return True
    return True


class RunFolder:
    """The output folder of one run: lock, stage markers and the files each stage wrote.

    Parameters
    ----------
    out : path
        The output folder; created when missing (``created`` says whether
        this object created it).

    Examples
    --------
    >>> import tempfile
    >>> folder = RunFolder(Path(tempfile.mkdtemp()) / "out")
    >>> with folder.locked():
    ...     done = folder.run_stage("count", "key-1", lambda: folder.path("a", "n.csv").write_text("n\\n1\\n"))
    >>> done, sorted(folder.files["count"])
    (True, ['a/n.csv'])
    >>> with folder.locked():
    ...     folder.run_stage("count", "key-1", lambda: None)   # unchanged: skipped
    False
    >>> _ = (folder.out / "a" / "n.csv").write_text("tampered")
    >>> with folder.locked():
    ...     folder.run_stage("count", "key-1", lambda: folder.path("a", "n.csv").write_text("n\\n1\\n"))
    True
    >>> folder.reruns
    {'count': 'a/n.csv was changed since the stage wrote it'}
    """

    def __init__(self, out):
        self.out = Path(out)
        self.created = not self.out.exists()
        self.out.mkdir(parents=True, exist_ok=True)
        self.markers = self.out / MARKERS
        self.files = {}  # stage -> {relative path: sha256}
        self.reruns = {}  # stage -> why it ran again although its key matched
        self._writing = None

    # --- lock ------------------------------------------------------------------------------
    def locked(self):
        """A context manager holding the folder's lock; raises :class:`FolderLockedError` when a live run holds it."""
        return _Lock(self.out / LOCK)

    # --- files -----------------------------------------------------------------------------
    def path(self, *parts):
        """``out/parts…``, with its folder created, recorded as written by the running stage."""
        p = self.out.joinpath(*parts)
        p.parent.mkdir(parents=True, exist_ok=True)
        self.register(p)
        return p

    def register(self, *paths):
        """Record files (or every file under a folder) written by the running stage."""
        if self._writing is None:
            raise RuntimeError("files can be registered only while a stage runs")
        for p in paths:
            self._writing.add(Path(p))

    def _written(self):
        rel = set()
        for p in self._writing:
            if p.is_dir():
                rel.update(x.relative_to(self.out).as_posix() for x in p.rglob("*") if x.is_file())
            elif p.is_file():
                rel.add(p.relative_to(self.out).as_posix())
        return {r: file_sha256(self.out / r) for r in sorted(rel)}

    # --- stages ----------------------------------------------------------------------------
    def _marker(self, name):
        return self.markers / f"{name}.json"

    def _saved(self, name):
        """The stage's marker as ``(key, files, problem)``: ``(None, {}, None)`` without one, and
        ``(None, {}, reason)`` when it cannot be read."""
        path = self._marker(name)
        if not path.is_file():
            return None, {}, None
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
            key, files = saved["key"], saved["files"]
            if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
                raise TypeError("files is not a mapping of hashes")
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
            return None, {}, f"its marker {path.name} is unreadable ({type(exc).__name__})"
        return key, files, None

    def _stale(self, files):
        """Why recorded outputs can no longer be trusted, or None."""
        for rel, digest in sorted(files.items()):
            p = self.out / rel
            if not p.is_file():
                return f"{rel} is missing"
            if file_sha256(p) != digest:
                return f"{rel} was changed since the stage wrote it"
        return None

    def up_to_date(self, name, key):
        """True when stage ``name`` finished with ``key`` and its files are intact; records why not in ``reruns``."""
        return self._intact(name, key, self._saved(name))

    def _intact(self, name, key, saved):
        saved_key, files, problem = saved
        if problem is not None:
            self.reruns[name] = problem
        if saved_key is None or saved_key != key:
            return False
        why = self._stale(files)
        if why is not None:
            self.reruns[name] = why
            return False
        self.files[name] = files
        return True

    def run_stage(self, name, key, fn, *, resume=True):
        """Run ``fn`` as stage ``name`` unless (with ``resume``) it is up to date; returns whether it ran."""
        saved = self._saved(name)  # read once: to skip the stage, or to know what it wrote last time
        if resume and self._intact(name, key, saved):
            log.info("stage %s: up to date, skipped", name)
            return False
        if name in self.reruns:
            log.warning("stage %s runs again: %s", name, self.reruns[name])
        old = saved[1]
        marker = self._marker(name)
        if marker.exists():
            marker.unlink()  # an interrupted stage must not look finished
        self._writing = set()
        try:
            fn()
            files = self._written()
        finally:
            self._writing = None
        others = {f for s, fs in self.files.items() if s != name for f in fs}
        for rel in sorted(set(old) - set(files) - others):
            stale = self.out / rel
            if stale.is_file():
                log.info("stage %s: removing %s, which this run no longer writes", name, rel)
                stale.unlink()
        self.files[name] = files
        self.markers.mkdir(parents=True, exist_ok=True)
        tmp = marker.with_suffix(".tmp")
        tmp.write_text(json.dumps({"key": key, "files": files}, ensure_ascii=False, indent=1, sort_keys=True),
                       encoding="utf-8")
        os.replace(tmp, marker)
        return True


class _Lock:
    def __init__(self, path):
        self.path = Path(path)
        self.mine = json.dumps({"pid": os.getpid(), "host": socket.gethostname()})

    def _owner(self):
        """The live run holding the lock as ``(pid, host)``, or None when the lock is free or stale."""
        try:
            held = json.loads(self.path.read_text(encoding="utf-8"))
            pid, host = int(held["pid"]), str(held["host"])
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
            log.warning("lock %s is unreadable; treating it as stale", self.path)
            return None
        if host == socket.gethostname() and not _alive(pid):
            log.warning("lock %s was left by run %d, which is no longer running; taking it over", self.path, pid)
            return None
        return pid, host

    def __enter__(self):
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            owner = self._owner()
            if owner is not None:
                pid, host = owner
                raise FolderLockedError(
                    f"{self.path.parent} is in use by another policynlp run (pid {pid} on {host}); wait for it to "
                    f"finish or choose another output folder (if that run is gone, delete {self.path})") from None
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}")
            tmp.write_text(self.mine, encoding="utf-8")
            os.replace(tmp, self.path)
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(self.mine)
        return self

    def __exit__(self, *exc):
        try:
            if self.path.read_text(encoding="utf-8") == self.mine:
                self.path.unlink()
        except FileNotFoundError:
            pass
        return False
