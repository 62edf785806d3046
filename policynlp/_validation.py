"""Small argument checks shared by the public functions."""

from .errors import ParameterError


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
