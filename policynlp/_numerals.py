"""Chinese numerals (一 … 九百九十九, with 〇/零/两) to integers."""

_DIGIT = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUMERAL_CHARS = "〇○零一二两三四五六七八九十百"


def cn_to_int(s):
    """Value of an Arabic or Chinese numeral below 1000, or ``None``.

    >>> [cn_to_int(x) for x in ["8", "八", "十", "十二", "二十", "一百零三", "两百", "部"]]
    [8, 8, 10, 12, 20, 103, 200, None]
    """
    s = s.strip().translate({cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)})
    if s.isdigit():
        return int(s)
    if not s or any(c not in _DIGIT and c not in "十百" for c in s):
        return None
    total, current = 0, 0
    for c in s:
        if c in _DIGIT:
            current = _DIGIT[c]
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        else:  # 百
            total += (current or 1) * 100
            current = 0
    return total + current
