"""Loading YAML that a user wrote (configuration, front matter) safely and strictly.

PyYAML's ``safe_load`` already refuses arbitrary Python objects, but it
accepts two things a scholar never means and an attacker can use:

- duplicate keys (the last one silently wins: ``seed: 1`` then ``seed: 2``);
- aliases that expand exponentially ("billion laughs": 600 bytes of ``&a``/``*a``
  that become gigabytes as soon as the data is walked, e.g. hashed or dumped).

:func:`safe_load` refuses both, and text over a size limit, with a
:class:`~policynlp.errors.CorpusFormatError` naming the source and line.
"""

import yaml

from .errors import CorpusFormatError

__all__ = ["safe_load", "MAX_YAML_BYTES", "MAX_YAML_NODES"]

MAX_YAML_BYTES = 1 << 20
"""Largest YAML text accepted (1 MiB: a configuration or front matter is a few hundred bytes)."""

MAX_YAML_NODES = 100_000
"""Most nodes the data may have once aliases are expanded."""


class _StrictLoader(yaml.SafeLoader):
    """A SafeLoader that refuses duplicate keys in a mapping."""

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                continue  # SafeLoader reports unhashable keys itself
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark,
                    f"found duplicate key {key!r} (first at line {seen[key] + 1})", key_node.start_mark)
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


def _expanded_size(node, memo, limit):
    """Nodes of the document with every alias expanded, stopping early past ``limit``."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = 1  # a recursive alias counts once (PyYAML builds it as a cycle, not an expansion)
    total = 1
    if isinstance(node, yaml.SequenceNode):
        children = node.value
    elif isinstance(node, yaml.MappingNode):
        children = [n for pair in node.value for n in pair]
    else:
        children = ()
    for child in children:
        total += _expanded_size(child, memo, limit)
        if total > limit:
            break
    memo[key] = total
    return total


def safe_load(text, *, source, what="YAML", line_offset=0, max_bytes=MAX_YAML_BYTES, max_nodes=MAX_YAML_NODES):
    """Parse YAML text, refusing duplicate keys, alias bombs and oversized text.

    Parameters
    ----------
    text : str
    source : str or Path
        Named in errors (the file).
    what : str
        Named in errors (``"configuration"``, ``"front matter"``).
    line_offset : int
        Added to line numbers in errors (front matter starts after its ``---`` line).
    max_bytes, max_nodes : int
        Limits on the text's size and on the number of nodes once aliases are expanded.

    Returns
    -------
    object
        What the YAML holds (``None`` for an empty text).

    Examples
    --------
    >>> safe_load("seed: 1\\nsweep: [5, 10]", source="config.yaml")
    {'seed': 1, 'sweep': [5, 10]}
    >>> safe_load("seed: 1\\nseed: 2", source="config.yaml")
    Traceback (most recent call last):
    ...
    policynlp.errors.CorpusFormatError: config.yaml:2 [YAML]: invalid YAML (line 2): found duplicate key 'seed' (first at line 1)
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise CorpusFormatError(f"{what} is {size:,} bytes, over the limit of {max_bytes:,}", path=source, field=what)
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        n = _expanded_size(node, {}, max_nodes)
        if n > max_nodes:
            raise CorpusFormatError(
                f"{what} expands to more than {max_nodes:,} values through aliases (&name / *name): refused "
                "(the shape of a YAML alias bomb); write the values out", path=source, field=what)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = None if mark is None else mark.line + 1 + line_offset
        problem = getattr(exc, "problem", None) or str(exc)
        where = "YAML" if what == "YAML" else f"YAML in the {what}"
        at = f" (line {line})" if line is not None else ""
        raise CorpusFormatError(f"invalid {where}{at}: {problem}", path=source, line=line, field=what) from exc
    finally:
        loader.dispose()
