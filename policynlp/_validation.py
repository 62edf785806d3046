"""Small argument checks shared by the public functions, and the rule for renamed parameters."""

import warnings

from .errors import ParameterError

#: The default of a deprecated parameter: "not given".
UNSET = object()


def renamed(owner, old, new, old_value, new_value, default):
    """The value of a parameter that was renamed: the old spelling still works, for one release, with a warning.

    Returns ``new_value`` unless ``old_value`` was given; then warns with a
    FutureWarning naming the new spelling and returns ``old_value``.  Giving
    both (with different values) is an error.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     renamed("co_citation", "normalize", "measure", "cosine", "count", "count"), str(w[0].message)
    ('cosine', 'co_citation(normalize=...) is renamed measure=...; the old name goes in the next release')
    """
    if old_value is UNSET:
        return new_value
    if new_value != default and new_value != old_value:
        raise ParameterError(f"{owner}: give {new}= only ({old}= is its old name), not both")
    warnings.warn(f"{owner}({old}=...) is renamed {new}=...; the old name goes in the next release", FutureWarning,
                  stacklevel=3)
    return old_value


def with_id_column(frame, owner):
    """A table whose document key is still called ``doc_id`` (written before it became ``id``), renamed, with a warning.

    Examples
    --------
    >>> import warnings, pandas as pd
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     list(with_id_column(pd.DataFrame({"doc_id": ["a"], "cited": ["《规划》"]}), "co_citation").columns)
    ['id', 'cited']
    """
    if "id" in frame.columns or "doc_id" not in frame.columns:
        return frame
    warnings.warn(f"{owner}: the table's doc_id column is now called id (as in every table of the package); "
                  "doc_id is read for one more release", FutureWarning, stacklevel=3)
    return frame.rename(columns={"doc_id": "id"})


def check_choice(name, value, allowed):
    """Return ``value`` if it is one of ``allowed``, else raise a ParameterError naming all three."""
    if value not in allowed:
        opts = ", ".join(repr(a) for a in allowed)
        raise ParameterError(f"{name}={value!r} is not valid; use one of {opts}")
    return value


def check_int(name, value, *, minimum=None):
    """Return ``value`` as an int if it is a whole number not below ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParameterError(f"{name}={value!r} must be a whole number")
    if minimum is not None and value < minimum:
        raise ParameterError(f"{name}={value!r} must be at least {minimum}")
    return value
