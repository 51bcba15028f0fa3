"""The site data files (chalicelib/data/tenants/*.toml) that seed each city site."""

from __future__ import annotations

import tomllib
from pathlib import Path

from chalicelib.domain.sites import SiteConfig, site_from_dict

SITE_FILES_DIR = Path(__file__).resolve().parent.parent / "data" / "tenants"


def site_files() -> list[Path]:
    return sorted(SITE_FILES_DIR.glob("*.toml"))


def read_site_file(path: Path) -> SiteConfig:
    with open(path, "rb") as f:
        return site_from_dict(tomllib.load(f))


def all_site_configs() -> list[SiteConfig]:
    return [read_site_file(p) for p in site_files()]
