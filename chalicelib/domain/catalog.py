"""The national procurement catalog (政府采购品目分类目录, 2022 edition).

Codes are a root letter (A 货物, B 工程, C 服务) and 8 digits over 4 levels. The
2022 edition renumbered items: A02010105 is 台式计算机 here, A02010104 服务器.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

CATALOG_EDITION = "2022"
CATALOG_CODE_PATTERN = re.compile(r"^[ABC](\d{2}){4}$")

ROOT_NAMES = {"A": "货物", "B": "工程", "C": "服务"}


class CatalogEntry(NamedTuple):
    code: str
    name: str
    level: int
    parent_code: str
    is_leaf: bool

    @property
    def root(self) -> str:
        return self.code[0]

    @property
    def level2_code(self) -> str:
        """The 二级品目 this code belongs to: annual caps count per level-2 item."""
        if self.level < 2:
            raise ValueError(f"{self.code} is above level 2")
        return self.code[:5] + "0000"


class NationalCatalog:
    """Lookup over the catalog rows; built once from the packaged CSV."""

    def __init__(self, entries: Iterable[CatalogEntry]) -> None:
        self._by_code: dict[str, CatalogEntry] = {e.code: e for e in entries}

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> CatalogEntry | None:
        return self._by_code.get(code)

    def entries(self) -> Mapping[str, CatalogEntry]:
        return self._by_code
