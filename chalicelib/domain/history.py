"""History import (历史导入): completed purchases exported from the old mall, checked row by row.

Seed 000 §(二): the new mall replaced the old one mid-year, so year-on-year
figures need the old platform's purchases. The file format is in
docs/history-import.md: CSV (one row per line of a purchase, the purchase's
fields repeated) or JSON Lines (one purchase per line, its lines in a list),
UTF-8. Every row is checked before anything is written; each problem names
its line number and field in Chinese. An imported purchase becomes an order
of the site marked 历史导入 (source `history`), settled, with an order
number derived from the old one (so a second import finds it), and counts in
the statistics exactly like an order placed in the mall.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any, NamedTuple

from chalicelib.domain.catalog import NationalCatalog
from chalicelib.domain.clock import china_midnight, to_iso
from chalicelib.domain.orders import Delivery, ImportedFacts, Order, OrderLine, OrderStatus, Termination
from chalicelib.domain.purchase import BuyingMode, Mechanism, OrderSource, SourceKind
from chalicelib.domain.reports import FIRST_YEAR
from chalicelib.domain.sites import SiteConfig
from chalicelib.domain.sme import Scale
from chalicelib.domain.uscc import uscc_problem

ORDER_FIELDS = (
    "order_no",
    "site",
    "district",
    "buyer_name",
    "buyer_uscc",
    "buyer_district",
    "supplier_name",
    "supplier_uscc",
    "supplier_scale",
    "supplier_district",
    "method",
    "mechanism",
    "budget_yuan",
    "deal_date",
)
LINE_FIELDS = ("category", "quantity", "amount_yuan")
CSV_LINE_FIELDS = tuple(f"line_{name}" for name in LINE_FIELDS)
OPTIONAL = frozenset({"buyer_district"})
_YUAN = re.compile(r"^-?\d{1,12}(\.\d{1,2})?$")
_OLD_NO = re.compile(r"^[0-9A-Za-z_-]{1,40}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DISTRICT_CODE = re.compile(r"^\d{6}$")
MAX_LINES = 200

_SCALES = {**{s.value: s for s in Scale}, **{s.label: s for s in Scale}, **{f"{s.label}企业": s for s in Scale}}
_METHODS = {**{m.value: m for m in BuyingMode}, **{m.label: m for m in BuyingMode}}
_MECHANISMS = {**{m.value: m for m in Mechanism}, **{m.label: m for m in Mechanism}}
# Which mechanisms belong to which method (seed 000's method table; 定点采购 prices by its agreed rates).
METHOD_MECHANISMS = {
    BuyingMode.SUPERMARKET: {Mechanism.DIRECT, Mechanism.BIDDING, Mechanism.REVERSE_AUCTION},
    BuyingMode.BATCH: {Mechanism.DISCOUNT_RATE},
    BuyingMode.FRAMEWORK: {Mechanism.FRAMEWORK_DIRECT, Mechanism.FRAMEWORK_BIDDING, Mechanism.FRAMEWORK_ROTATION},
    BuyingMode.DESIGNATED: {Mechanism.DIRECT},
}


class Problem(NamedTuple):
    line: int  # the file's line number (1 = the first line, the header of a CSV)
    field: str
    message: str

    def text(self) -> str:
        return f"第 {self.line} 行" + (f"（{self.field}）" if self.field else "") + f"：{self.message}"


class ImportedLine(NamedTuple):
    category_id: str  # the site's mall category, when the row named one
    catalog_code: str
    name: str
    quantity: int
    amount_fen: int


class ImportedPurchase(NamedTuple):
    old_order_no: str
    district: str
    buyer_name: str
    buyer_uscc: str
    supplier_name: str
    supplier_uscc: str
    supplier_scale: Scale
    supplier_district: str
    method: BuyingMode
    mechanism: Mechanism
    budget_fen: int
    deal_date: date
    lines: tuple[ImportedLine, ...]
    first_line: int  # where it starts in the file

    @property
    def amount_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)

    def fingerprint(self) -> str:
        """What 'the same content' means for a second import: every field but where it sat in the file."""
        fields = self._replace(first_line=0)._asdict()
        return hashlib.sha256(json.dumps(fields, default=str, ensure_ascii=False).encode()).hexdigest()[:32]


class Checked(NamedTuple):
    purchases: list[ImportedPurchase]
    problems: list[Problem]
    rows: int


# ---------------------------------------------------------------- reading


def read_rows(text: str, fmt: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, raw row) for CSV (one row per purchase line) or JSON Lines (one purchase per line)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(text))
        for row in reader:
            yield reader.line_num, {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
        return
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            value = json.loads(raw)
        except ValueError:
            yield number, {"__error__": "不是有效的 JSON"}
            continue
        yield number, value if isinstance(value, dict) else {"__error__": "每行应为一个 JSON 对象"}


def format_of(path: str) -> str:
    lower = path.lower()
    if lower.endswith(".csv"):
        return "csv"
    if lower.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    raise ValueError("文件扩展名应为 .csv 或 .jsonl")


# ---------------------------------------------------------------- checking


class _Context(NamedTuple):
    site: SiteConfig
    catalog: NationalCatalog
    today: date
    year: int | None
    districts: Mapping[str, str]  # code, name and short name -> code
    categories: Mapping[str, tuple[str, str]]  # mall category name -> (id, catalog code)


def _context(site: SiteConfig, catalog: NationalCatalog, today: date, year: int | None) -> _Context:
    districts: dict[str, str] = {}
    for d in site.districts:
        for name in (d.code, d.name, d.short_name):
            if name:
                districts[name] = d.code
    parents = {c.parent_id for c in site.categories}
    categories = {c.name: (c.id, c.catalog_code) for c in site.categories if c.id not in parents and c.parent_id}
    return _Context(site, catalog, today, year, districts, categories)


def _yuan(text: Any, field: str, problems: list[str]) -> int:
    raw = str(text).strip() if text is not None else ""
    if not _YUAN.fullmatch(raw):
        problems.append(f"{field}：金额应为元，最多两位小数（如 1234.50），实为“{raw}”")
        return 0
    if raw.startswith("-"):
        problems.append(f"{field}：金额不能为负数（{raw}）")
        return 0
    whole, _, cents = raw.partition(".")
    return int(whole) * 100 + int((cents + "00")[:2])


def _line(ctx: _Context, raw: Mapping[str, Any], prefix: str, problems: list[str]) -> ImportedLine | None:
    category = str(raw.get(f"{prefix}category", "") or "").strip()
    quantity_text = str(raw.get(f"{prefix}quantity", "") or "").strip()
    before = len(problems)
    amount = _yuan(raw.get(f"{prefix}amount_yuan"), f"{prefix}amount_yuan", problems)
    if not (quantity_text.isascii() and quantity_text.isdigit()) or int(quantity_text) <= 0:
        problems.append(f"{prefix}quantity：数量应为正整数，实为“{quantity_text}”")
    if amount == 0 and len(problems) == before:
        problems.append(f"{prefix}amount_yuan：金额须大于 0")
    if category in ctx.categories:
        category_id, code = ctx.categories[category]
        name = category
    elif (entry := ctx.catalog.get(category)) is not None:
        category_id, code, name = "", entry.code, entry.name
    else:
        problems.append(f"{prefix}category：未知品目“{category}”（应为 2022 版品目分类编码或本站商城品目名称）")
        return None
    if len(problems) > before:
        return None
    return ImportedLine(category_id, code, name, int(quantity_text), amount)


def _parties(ctx: _Context, value: Mapping[str, str], problems: list[str]) -> tuple[str | None, Scale | None]:
    """The order number, site, district and both parties' codes; the district's code and the supplier's scale."""
    if not _OLD_NO.fullmatch(value["order_no"]):
        problems.append(f"order_no：订单号应为 1–40 位字母、数字、下划线或连字符，实为“{value['order_no']}”")
    if value["site"] != ctx.site.id:
        problems.append(f"site：站点应为 {ctx.site.id}，实为“{value['site']}”")
    district = ctx.districts.get(value["district"])
    if district is None:
        problems.append(f"district：区划“{value['district']}”不属于{ctx.site.name}")
    for field in ("buyer_uscc", "supplier_uscc"):
        issue = uscc_problem(value[field])
        if issue:
            problems.append(f"{field}：{issue}")
    scale = _SCALES.get(value["supplier_scale"])
    if scale is None:
        problems.append(f"supplier_scale：企业规模应为 微型/小型/中型/大型，实为“{value['supplier_scale']}”")
    if not _DISTRICT_CODE.fullmatch(value["supplier_district"]):
        problems.append(f"supplier_district：供应商注册地应为 6 位行政区划代码，实为“{value['supplier_district']}”")
    return district, scale


def _method(value: Mapping[str, str], problems: list[str]) -> tuple[BuyingMode | None, Mechanism | None]:
    method, mechanism = _METHODS.get(value["method"]), _MECHANISMS.get(value["mechanism"])
    if method is None:
        problems.append(f"method：未知采购方式“{value['method']}”")
    if mechanism is None:
        problems.append(f"mechanism：未知价格形成机制“{value['mechanism']}”")
    if method and mechanism and mechanism not in METHOD_MECHANISMS[method]:
        problems.append(f"mechanism：{method.label}没有“{mechanism.label}”这种价格形成机制")
    return method, mechanism


def _purchase(
    ctx: _Context, raw: Mapping[str, Any], lines: list[tuple[Mapping[str, Any], str]], first: int
) -> tuple[ImportedPurchase | None, list[str]]:
    problems: list[str] = []
    missing = [f for f in ORDER_FIELDS if f not in OPTIONAL and not str(raw.get(f, "") or "").strip()]
    if missing:
        return None, [f"缺少字段：{'、'.join(missing)}"]
    value = {f: str(raw.get(f, "") or "").strip() for f in ORDER_FIELDS}
    district, scale = _parties(ctx, value, problems)
    method, mechanism = _method(value, problems)
    budget = _yuan(value["budget_yuan"], "budget_yuan", problems)
    deal = _deal_date(ctx, value["deal_date"], problems)
    parsed = [_line(ctx, line, prefix, problems) for line, prefix in lines]
    if not lines:
        problems.append("lines：至少应有一行采购明细")
    if len(lines) > MAX_LINES:
        problems.append(f"lines：一个订单最多 {MAX_LINES} 行明细")
    if problems or district is None or scale is None or method is None or mechanism is None or deal is None:
        return None, problems
    good = tuple(line for line in parsed if line is not None)
    amount = sum(line.amount_fen for line in good)
    if budget < amount:
        return None, [f"budget_yuan：预算金额 {budget / 100:.2f} 元小于成交金额 {amount / 100:.2f} 元"]
    return (
        ImportedPurchase(
            old_order_no=value["order_no"],
            district=district,
            buyer_name=value["buyer_name"],
            buyer_uscc=value["buyer_uscc"],
            supplier_name=value["supplier_name"],
            supplier_uscc=value["supplier_uscc"],
            supplier_scale=scale,
            supplier_district=value["supplier_district"],
            method=method,
            mechanism=mechanism,
            budget_fen=budget,
            deal_date=deal,
            lines=good,
            first_line=first,
        ),
        [],
    )


def _deal_date(ctx: _Context, text: str, problems: list[str]) -> date | None:
    try:
        if not _DATE.fullmatch(text):
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        problems.append(f"deal_date：成交日期应为 YYYY-MM-DD（如 2024-03-15），实为“{text}”")
        return None
    if day > ctx.today:
        problems.append(f"deal_date：成交日期 {text} 晚于今天")
    elif day.year < FIRST_YEAR:
        problems.append(f"deal_date：成交日期 {text} 早于 {FIRST_YEAR} 年")
    elif ctx.year is not None and day.year != ctx.year:
        problems.append(f"deal_date：成交日期 {text} 不在导入年度 {ctx.year} 年内")
    else:
        return day
    return None


def check(
    rows: Iterable[tuple[int, dict[str, Any]]],
    fmt: str,
    site: SiteConfig,
    catalog: NationalCatalog,
    today: date,
    year: int | None = None,
) -> Checked:
    """Every row checked; purchases that passed, and each problem with its line number."""
    ctx = _context(site, catalog, today, year)
    problems: list[Problem] = []
    grouped: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    count = 0
    for number, raw in rows:
        count += 1
        if "__error__" in raw:
            problems.append(Problem(number, "", raw["__error__"]))
            continue
        no = str(raw.get("order_no", "") or "").strip()
        grouped.setdefault(no or f"__row{number}", []).append((number, raw))
    purchases: list[ImportedPurchase] = []
    for no, group in grouped.items():
        first = group[0][0]
        if fmt == "csv":
            base = {f: (group[0][1].get(f) or "") for f in ORDER_FIELDS}
            differing = [n for n, r in group[1:] if any((r.get(f) or "") != base[f] for f in ORDER_FIELDS)]
            if differing:
                problems.append(
                    Problem(differing[0], "order_no", f"订单号 {no} 的各行订单信息不一致（与第 {first} 行不同）")
                )
                continue
            lines: list[tuple[Mapping[str, Any], str]] = [(r, "line_") for _n, r in group]
        else:
            if len(group) > 1:
                problems.append(Problem(group[1][0], "order_no", f"订单号 {no} 在文件中重复（第 {first} 行已有）"))
                continue
            raw_lines = group[0][1].get("lines")
            if not isinstance(raw_lines, list) or not all(isinstance(line, dict) for line in raw_lines):
                problems.append(Problem(first, "lines", "lines 应为明细对象的数组"))
                continue
            lines = [(line, "") for line in raw_lines]
        purchase, issues = _purchase(ctx, group[0][1], lines, first)
        for issue in issues:
            field, _, message = (
                issue.partition("：") if "：" in issue and issue.split("：", 1)[0].isascii() else ("", "", issue)
            )
            problems.append(Problem(first, field, message or issue))
        if purchase is not None:
            purchases.append(purchase)
    problems.sort(key=lambda p: p.line)
    return Checked(purchases, problems, count)


# ---------------------------------------------------------------- into orders


def order_no_for(site_id: str, old_order_no: str) -> str:
    """LS + 18 digits from the site and the old number: the same purchase always gets the same number."""
    digest = hashlib.sha256(f"{site_id}|{old_order_no}".encode()).digest()
    return "LS" + f"{int.from_bytes(digest[:8], 'big') % 10**18:018d}"


def to_order(site: SiteConfig, purchase: ImportedPurchase, batch: str) -> Order:
    deal = to_iso(china_midnight(purchase.deal_date))
    lines = tuple(
        OrderLine(
            listing_id="",
            name=line.name,
            brand="",
            model="",
            category_id=line.category_id,
            catalog_code=line.catalog_code,
            unit_price_fen=line.amount_fen // line.quantity,
            quantity=line.quantity,
            tracks_stock=False,
            recorded_amount_fen=line.amount_fen,
        )
        for line in purchase.lines
    )
    return Order(
        order_no=order_no_for(site.id, purchase.old_order_no),
        site_id=site.id,
        plan_no="",
        level2_code=purchase.lines[0].catalog_code[:5] + "0000",
        year=purchase.deal_date.year,
        buyer_uscc=purchase.buyer_uscc,
        buyer_name=purchase.buyer_name,
        buyer_district=purchase.district,
        buyer_user="",
        supplier_uscc=purchase.supplier_uscc,
        supplier_name=purchase.supplier_name,
        lines=lines,
        delivery=Delivery("", "", "", purchase.deal_date.isoformat()),
        note=f"历史导入：旧版商城订单 {purchase.old_order_no}",
        status=OrderStatus.SETTLED,
        status_reason="",
        termination=Termination(),
        acceptance_note="",
        payment_voucher="",
        created_at=deal,
        updated_at=deal,
        version=1,
        milestones={OrderStatus.CONFIRMED.value: deal, OrderStatus.SETTLED.value: deal},
        method=purchase.method,
        mechanism=purchase.mechanism,
        source=OrderSource(SourceKind.HISTORY, (purchase.old_order_no,)),
        budget_fen=purchase.budget_fen,
        imported=ImportedFacts(purchase.old_order_no, purchase.supplier_scale.value, purchase.supplier_district, batch),
    )


def same_purchase(stored: Order, incoming: Order) -> bool:
    """Whether an order already stored is this import's purchase (batch and times aside)."""

    def essence(order: Order) -> tuple[Any, ...]:
        imported = order.imported._replace(batch="") if order.imported else None
        return (order._replace(imported=imported, version=1, updated_at=order.created_at),)

    return essence(stored) == essence(incoming)
