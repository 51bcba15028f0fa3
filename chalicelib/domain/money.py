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
