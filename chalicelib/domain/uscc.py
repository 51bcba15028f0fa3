"""统一社会信用代码 (unified social credit code), GB 32100-2015.

18 characters from a 31-character alphabet (no I, O, Z, S, V): registration
authority, organisation type, 6-digit district code, 9-character subject id,
and a check character computed with weights 3^i mod 31.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}


def check_char(first17: str) -> str:
    """The 18th character for the first 17; raises ValueError on a bad character."""
    if len(first17) != 17:
        raise ValueError("need 17 characters")
    if any(ch not in _VALUE for ch in first17):
        raise ValueError(f"characters outside the code alphabet in {first17!r}")
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Why `code` is not a valid 统一社会信用代码, in Chinese; None when it is valid."""
    if len(code) != 18:
        return "统一社会信用代码应为 18 位"
    bad = sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        return f"统一社会信用代码含有无效字符：{''.join(bad)}（不使用 I、O、Z、S、V 及小写字母）"
    if not code[2:8].isdigit():
        return "统一社会信用代码第 3–8 位应为行政区划代码"
    if check_char(code[:17]) != code[17]:
        return "统一社会信用代码校验位错误"
    return None


def is_valid_uscc(code: str) -> bool:
    return uscc_problem(code) is None


def make_uscc(authority_and_type: str, district: str, subject_id: str) -> str:
    """Build a code with its check character (used to make demo data that validates)."""
    body = f"{authority_and_type}{district}{subject_id}"
    return body + check_char(body)
