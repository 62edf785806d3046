"""The exception tree of policynlp.

Every error the package raises on purpose derives from :class:`PolicyNLPError`
and also from the builtin that fits it, so ``except ValueError`` keeps working
for callers who do not know this package.  Messages say what was wrong and what
to do about it.
"""

__all__ = [
    "PolicyNLPError",
    "ParameterError",
    "CorpusFormatError",
    "NoDocumentsError",
    "LexiconError",
    "ResourceNotFoundError",
    "MissingDependencyError",
]


class PolicyNLPError(Exception):
    """Base class of every error raised by policynlp."""


class ParameterError(PolicyNLPError, ValueError):
    """An argument has a value outside what the function accepts."""


class CorpusFormatError(PolicyNLPError, ValueError):
    """An input file or record cannot be read as a policy document.

    Parameters
    ----------
    message : str
        What is wrong and what to do.
    path : str, optional
        The file concerned.
    line : int, optional
        1-based line or row number inside ``path``.
    field : str, optional
        The column or metadata key concerned.
    """

    def __init__(self, message, *, path=None, line=None, field=None):
        self.path = None if path is None else str(path)
        self.line = line
        self.field = field
        where = ""
        if self.path is not None:
            where = self.path if line is None else f"{self.path}:{line}"
        if field is not None:
            where = f"{where} [{field}]" if where else f"[{field}]"
        super().__init__(f"{where}: {message}" if where else message)
        self.reason = message


class NoDocumentsError(CorpusFormatError):
    """The inputs hold no document at all: an empty folder, or every input skipped.

    Raised before any analysis starts, so that no stage runs on nothing.
    """


class LexiconError(CorpusFormatError):
    """A user dictionary or stopword list is malformed."""


class ResourceNotFoundError(PolicyNLPError, LookupError):
    """A bundled resource (lexicon, taxonomy, dataset) does not exist."""


class MissingDependencyError(PolicyNLPError, ImportError):
    """An optional dependency is needed; the message gives the install command."""
