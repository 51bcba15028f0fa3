"""Demo suppliers and products for `make run`, read from scheduled/demo_data/catalog.toml.

The data is data: names, brands, models, specs and prices (integer fen) live
in the TOML file; this module only gives them types.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from chalicelib.domain.sme import Scale
from chalicelib.domain.suppliers import Ownership

DATA_FILE = Path(__file__).resolve().parent / "demo_data" / "catalog.toml"


class DemoSupplier(NamedTuple):
    username: str
    name: str
    region: str  # 6-digit district, also in the code
    subject: str  # 9 characters of the code after the district
    scale: Scale
    ownership: Ownership
    industry: str
    employees: int
    revenue_wan: int
    assets_wan: int
    legal_rep: str
    address: str
    phone: str
    lines: tuple[str, ...]  # the mall categories it sells in


class Product(NamedTuple):
    brand: str
    model: str
    name: str
    price_fen: int
    specs: tuple[tuple[str, str], ...]
    energy: bool = False  # carries an energy-saving certificate


class DemoCatalog(NamedTuple):
    suppliers: tuple[DemoSupplier, ...]
    pending_suppliers: tuple[DemoSupplier, ...]
    products: dict[str, tuple[Product, ...]]  # mall category name -> products


def _supplier(raw: dict[str, Any]) -> DemoSupplier:
    return DemoSupplier(
        **{
            **raw,
            "scale": Scale(raw["scale"]),
            "ownership": Ownership(raw["ownership"]),
            "lines": tuple(raw["lines"]),
        }
    )


def _product(raw: dict[str, Any]) -> Product:
    price = raw["price_fen"]
    if not isinstance(price, int) or isinstance(price, bool) or price <= 0:
        raise ValueError(f"{raw['name']}: price_fen must be a positive integer (fen), not {price!r}")
    specs = tuple((str(name), str(value)) for name, value in raw.get("specs", []))
    return Product(raw["brand"], raw["model"], raw["name"], price, specs, bool(raw.get("energy", False)))


@lru_cache(maxsize=1)
def load(path: Path = DATA_FILE) -> DemoCatalog:
    with open(path, "rb") as f:
        raw = tomllib.load(f)
    products: dict[str, list[Product]] = {}
    for item in raw.get("products", []):
        products.setdefault(item["category"], []).append(_product(item))
    return DemoCatalog(
        tuple(_supplier(s) for s in raw.get("suppliers", [])),
        tuple(_supplier(s) for s in raw.get("pending_suppliers", [])),
        {category: tuple(items) for category, items in products.items()},
    )


_CATALOG = load()
SUPPLIERS = _CATALOG.suppliers
PENDING_SUPPLIERS = _CATALOG.pending_suppliers
PRODUCTS = _CATALOG.products
