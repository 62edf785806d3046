"""Bytes to text for Chinese files: UTF-8 (with or without BOM), UTF-16/32 with BOM, GB18030/GBK, Big5."""

import codecs

from ..errors import CorpusFormatError

__all__ = ["decode_bytes", "garbled_note"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# Without a BOM, Chinese files are UTF-8 or one of the national encodings.
# charset-normalizer chooses between them well on real texts; letting it also
# consider UTF-16 without a BOM makes it misread short Big5 files, so the
# candidates are restricted to these.
_CANDIDATES = ["gb18030", "big5"]


def decode_bytes(data, *, path=None, encoding=None):
    """Decode the bytes of a text file.

    Parameters
    ----------
    data : bytes
    path : str, optional
        Named in the error message.
    encoding : str, optional
        Skip detection and use this codec (errors are still reported).

    Returns
    -------
    (text, encoding) : tuple of str
        Line endings are unified to ``\\n``.

    Examples
    --------
    >>> decode_bytes("智慧城市\\r\\n试点".encode("gbk"))
    ('智慧城市\\n试点', 'gb18030')
    """
    if encoding is None:
        for bom, enc in _BOMS:
            if data.startswith(bom):
                encoding = enc
                break
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise CorpusFormatError(
                f"cannot decode as {encoding}: {exc}; check the file's encoding", path=path
            ) from exc
        return _lines(text), encoding
    try:
        return _lines(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is None:
        raise CorpusFormatError(
            "cannot detect the text encoding (tried UTF-8, GB18030, Big5); "
            "pass encoding=... (e.g. encoding='gb18030')",
            path=path,
        )
    enc = "gb18030" if best.encoding in ("gb2312", "gbk", "gb18030") else best.encoding
    return _lines(data.decode(enc)), enc


def _lines(text):
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def garbled_note(text, encoding):
    """A report note when decoded text looks like mojibake, else an empty list.

    Chinese decoded with the wrong codec shows up as runs of Latin-1 letters
    (Ã¤Â¸Â­), C1 control characters, or replacement characters.  The note
    names the codec used so the user can pass the right ``encoding=``.

    Examples
    --------
    >>> garbled_note("国务院关于推进智慧城市建设的意见", "utf-8")
    []
    >>> garbled_note("国务院关于智慧城市".encode("utf-8").decode("latin-1"), "latin-1")
    ["text looks garbled (mojibake) after decoding as latin-1: 27 of 27 non-ASCII characters are Latin-1 letters, control characters or U+FFFD; pass encoding='utf-8' or 'gb18030' if this is Chinese"]
    """
    non_ascii = [c for c in text if ord(c) > 127]
    if len(non_ascii) < 8:
        return []
    odd = sum(1 for c in non_ascii if 0x80 <= ord(c) <= 0xFF or c == "\ufffd")
    if odd / len(non_ascii) < 0.3:
        return []
    found = (f"text looks garbled (mojibake) after decoding as {encoding}: {odd} of {len(non_ascii)} non-ASCII "
             "characters are Latin-1 letters, control characters or U+FFFD")
    if encoding.lower().replace("_", "-").startswith("utf-8"):
        # valid UTF-8 that spells mojibake: the garbling happened before the file was saved
        return [f"{found}; the file itself holds garbled text (saved after a wrong decoding), so fix it at its source"]
    return [f"{found}; pass encoding='utf-8' or 'gb18030' if this is Chinese"]
