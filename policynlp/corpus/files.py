"""Walking input folders: which files to read, and a reason for every entry that is not read.

A folder that a scholar downloads from government sites holds more than
documents: Word's ``~$`` lock files, ``.DS_Store``, a ``.git`` folder, links
that point elsewhere, sometimes a named pipe.  :func:`iter_inputs` yields every
entry below the input paths, in sorted order, either as a file to read or with
the reason it is passed over, so that the ingest report can account for each.
It never follows a link out of the input folder, never loops, and never opens
anything that is not a regular file (opening a named pipe would block).
"""

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorpusFormatError
from ..text.normalization import replace_surrogates

__all__ = ["Entry", "iter_inputs", "is_hidden", "display_path"]


@dataclass(frozen=True)
class Entry:
    """One entry below an input path.

    ``problem`` is ``None`` for a file to read; otherwise it says, in plain
    words, why the entry is not read.  ``quiet`` marks entries that are
    passed over by design (hidden files) rather than because something is
    wrong: they get a report row but no warning.
    """

    path: Path
    problem: str | None = None
    quiet: bool = False


def display_path(path):
    r"""A path as printable text: bytes that are not UTF-8 in a file name become U+FFFD.

    Linux file names are bytes; Python keeps undecodable ones as lone
    surrogates, which no UTF-8 writer (the report CSV, Parquet) accepts.

    Examples
    --------
    >>> import os
    >>> display_path(os.fsdecode(b"notice-\xff.txt"))  # a byte that is not UTF-8
    'notice-�.txt'
    """
    text = str(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that does not stand for a byte
        return replace_surrogates(text)[0]


def is_hidden(name):
    """Hidden or temporary by its name: ``.name`` (Unix hidden, ``.git``) or ``~$name`` (Word's lock files)."""
    return name.startswith((".", "~$"))


_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"))


def _special(mode):
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def iter_inputs(paths, *, recursive=True, hidden=False):
    """Every entry below ``paths``: files to read and entries passed over with their reason.

    Parameters
    ----------
    paths : list of str or Path
        Files or folders.  A named file is read even when hidden (the user
        asked for it); a missing one raises.
    recursive : bool, default True
        Descend into sub-folders.
    hidden : bool, default False
        Also read hidden files and folders (names starting with ``.`` or ``~$``).
        By default each is listed with the reason it was passed over; a hidden
        folder is one entry, however many files it holds.

    Yields
    ------
    Entry

    Raises
    ------
    CorpusFormatError
        When a named path does not exist.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> _ = (root / "a.txt").write_text("国务院关于推进智慧城市建设的意见", encoding="utf-8")
    >>> _ = (root / ".DS_Store").write_bytes(b"")
    >>> [(e.path.name, e.problem) for e in iter_inputs([root])]
    [('.DS_Store', 'hidden file (name starts with "." or "~$"); pass hidden=True to read it'), ('a.txt', None)]
    """
    for p in paths:
        p = Path(p)
        try:
            st = p.stat()
        except FileNotFoundError:
            if p.is_symlink():
                yield Entry(p, "dangling symlink: its target does not exist")
                continue
            raise CorpusFormatError("no such file or folder; check the path", path=p) from None
        except OSError as exc:
            yield Entry(p, f"cannot read: {exc.strerror or exc}")
            continue
        if stat.S_ISDIR(st.st_mode):
            root = p.resolve()
            yield from _walk(p, root, recursive=recursive, hidden=hidden, seen={(st.st_dev, st.st_ino)})
        elif stat.S_ISREG(st.st_mode):
            yield Entry(p)
        else:
            yield Entry(p, f"{_special(st.st_mode)}, not a file: not read")


def _walk(folder, root, *, recursive, hidden, seen):
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield Entry(folder, f"cannot list folder: {exc.strerror or exc}")
        return
    for entry in entries:
        path = Path(entry.path)
        if not hidden and is_hidden(entry.name):
            kind = "folder" if entry.is_dir(follow_symlinks=False) else "file"
            yield Entry(path, f'hidden {kind} (name starts with "." or "~$"); pass hidden=True to read it', quiet=True)
            continue
        if entry.is_symlink():
            try:
                target = path.resolve(strict=True)
            except FileNotFoundError:
                yield Entry(path, "dangling symlink: its target does not exist")
                continue
            except (RuntimeError, OSError) as exc:  # ELOOP is an OSError; Python < 3.13 raises RuntimeError
                yield Entry(path, f"symlink loop: not followed ({exc})")
                continue
            if root != target and root not in target.parents:
                yield Entry(path, f"symlink outside the input folder (to {target}): not followed")
                continue
        try:
            st = entry.stat(follow_symlinks=True)
        except OSError as exc:
            yield Entry(path, f"cannot read: {exc.strerror or exc}")
            continue
        if stat.S_ISDIR(st.st_mode):
            if not recursive:
                yield Entry(path, "sub-folder not read (recursive=False)", quiet=True)
                continue
            ident = (st.st_dev, st.st_ino)
            if ident in seen:
                yield Entry(path, "symlink loop: this folder was already read")
                continue
            yield from _walk(path, root, recursive=recursive, hidden=hidden, seen=seen | {ident})
        elif stat.S_ISREG(st.st_mode):
            yield Entry(path)
        else:
            yield Entry(path, f"{_special(st.st_mode)}, not a file: not read")
