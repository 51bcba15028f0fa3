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
