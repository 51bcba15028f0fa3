"""Reference data shipped with the code: the 2022 catalog and Shandong districts.

Read lazily and once per process: most requests never need the 4,304-row catalog.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from chalicelib.domain.catalog import CatalogEntry, NationalCatalog
from chalicelib.domain.workdays import WorkCalendar

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"


@lru_cache(maxsize=1)
def catalog_names() -> dict[str, str]:
    """Code → name of every catalog entry, built once per process (views name codes with it)."""
    return {code: entry.name for code, entry in national_catalog().entries().items()}


@lru_cache(maxsize=1)
def national_catalog() -> NationalCatalog:
    with open(REFERENCE_DIR / "gov_procurement_catalog_2022.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return NationalCatalog(
        CatalogEntry(
            code=r["code"],
            name=r["name"],
            level=int(r["level"]),
            parent_code=r["parent_code"],
            is_leaf=r["is_leaf"] == "1",
        )
        for r in rows
    )


@lru_cache(maxsize=1)
def official_districts() -> dict[str, str]:
    """GB/T 2260 (MCA 2024) and NBS statistical codes of Shandong, code -> name."""
    with open(REFERENCE_DIR / "shandong_divisions.csv", encoding="utf-8", newline="") as f:
        return {r["code"]: r["name"] for r in csv.DictReader(f)}


@lru_cache(maxsize=1)
def work_calendar() -> WorkCalendar:
    """China's working days (chalicelib/data/reference/china_workdays.toml)."""
    import tomllib

    from chalicelib.domain.workdays import calendar_from_dict

    with open(REFERENCE_DIR / "china_workdays.toml", "rb") as f:
        return calendar_from_dict(tomllib.load(f)["years"])


@lru_cache(maxsize=1)
def catalog_words() -> dict[str, tuple[str, ...]]:
    """Leaf code → the words that name its products: its name and the items its description lists
    (A02061908 室内照明灯具: 包括嵌入灯、吸顶灯、吊灯、壁灯、可移式灯等 → 室内照明灯具, 嵌入灯, 吸顶灯, …).
    The inspections' category check reads a listing's name against them."""
    import re
    from collections import Counter

    words: dict[str, tuple[str, ...]] = {}
    with open(REFERENCE_DIR / "gov_procurement_catalog_2022.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["is_leaf"] != "1" or r["name"].startswith("其他"):
                continue
            listed = re.search(r"包括([^。；;]*)", r["description"] or "")
            items = re.split(r"[、，,]", listed.group(1)) if listed else []
            named = [w.strip().removesuffix("等") for w in (r["name"], *items)]
            words[r["code"]] = tuple(w for w in dict.fromkeys(named) if 2 <= len(w) <= 12)
    # A word that names products of several codes (有害, 半固态) says nothing about which one is meant.
    uses = Counter(w for named in words.values() for w in named)
    return {code: tuple(w for w in named if uses[w] == 1) for code, named in words.items()}
