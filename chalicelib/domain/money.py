"""Money is integer fen (分). These helpers only format; they never compute in floats."""

from __future__ import annotations

FEN_PER_YUAN = 100
FEN_PER_WAN = 100 * 10_000
FEN_PER_YI = 100 * 100_000_000


def _scaled(fen: int, unit: int, places: int) -> str:
    # Round half up on integers so that no float ever touches an amount.
    scale = 10**places
    sign = "-" if fen < 0 else ""
    value = (abs(fen) * scale * 2 + unit) // (unit * 2)
    whole, frac = divmod(value, scale)
    return f"{sign}{whole:,}" + (f".{frac:0{places}d}" if places else "")


def format_yuan(fen: int) -> str:
    """12345 -> '123.45'."""
    return _scaled(fen, FEN_PER_YUAN, 2)


def format_wan(fen: int, places: int = 2) -> str:
    """Amount in 万元, as the reports print it: 1_000_000_00 -> '100.00'."""
    return _scaled(fen, FEN_PER_WAN, places)


def format_yi(fen: int, places: int = 2) -> str:
    """Amount in 亿元."""
    return _scaled(fen, FEN_PER_YI, places)


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿", "万亿")


def _four_digits(group: int) -> str:
    """0..9999 in capital numerals, with 零 for inner gaps (e.g. 1005 → 壹仟零伍)."""
    text, zero = "", False
    for place in range(3, -1, -1):
        digit = group // 10**place % 10
        if digit == 0:
            zero = bool(text)
        else:
            text += ("零" if zero else "") + _DIGITS[digit] + _SMALL_UNITS[place]
            zero = False
    return text


def amount_in_words(fen: int) -> str:
    """人民币大写 as written on Chinese vouchers: 123456 → 壹仟贰佰叁拾肆元伍角陆分; 100 → 壹元整."""
    if fen < 0:
        return "负" + amount_in_words(-fen)
    yuan, rest = divmod(fen, FEN_PER_YUAN)
    jiao, cents = divmod(rest, 10)
    groups: list[int] = []
    while yuan:
        yuan, group = divmod(yuan, 10_000)
        groups.append(group)
    words, need_zero = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            need_zero = bool(words)
            continue
        if words and (need_zero or group < 1000):
            words += "零"
        words += _four_digits(group) + _BIG_UNITS[index]
        need_zero = False
    words = (words + "元") if words else ""
    if not jiao and not cents:
        return (words or "零元") + "整"
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif words:
        words += "零"
    if cents:
        words += _DIGITS[cents] + "分"
    return words
