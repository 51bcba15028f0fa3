"""scheduled/ keeps one job per file and no import circle (seed ↔ sample_orders had one); demo prices are fen."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "scheduled":
                found.update(f"scheduled.{a.name}" for a in node.names)
            elif node.module.startswith("scheduled."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("scheduled."))
    return found


def test_no_import_circle_in_scheduled() -> None:
    graph = {f"scheduled.{p.stem}": _imports(p) for p in (ROOT / "scheduled").glob("*.py")}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, set()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    circles = [m for m in graph if reaches(m, m, {m})]
    assert circles == []
    assert "scheduled.sample_orders" not in graph["scheduled.seed"] and "scheduled.demo" not in graph["scheduled.seed"]


def test_demo_prices_are_whole_fen_from_the_data_file() -> None:
    from scheduled.demo_catalog import DATA_FILE, PRODUCTS, SUPPLIERS

    assert DATA_FILE.suffix == ".toml" and len(SUPPLIERS) == 12
    prices = [p.price_fen for products in PRODUCTS.values() for p in products]
    assert len(prices) > 100 and all(isinstance(p, int) and p > 0 for p in prices)
