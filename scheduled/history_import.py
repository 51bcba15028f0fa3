"""`python -m scheduled import-history --site liaocheng FILE`: the old mall's purchases into the mall.

Every row is checked first, then every purchase against what is already
stored; only then is anything written. A file with problems imports nothing
unless --skip-bad is given (then the good purchases go in and the bad rows are
listed). Purchases already imported with the same content are left alone, so
running it twice changes nothing; one with the same order number but other
content is a problem of its row. Imported orders reach the statistics through
the main table's stream, like every order.
"""

from __future__ import annotations

import getpass
import hashlib
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from chalicelib.domain import history
from chalicelib.domain.audit import AuditEvent, new_event
from chalicelib.domain.clock import china_date, utc_now
from chalicelib.domain.orders import Order
from scheduled.progress import ProgressBar

CHUNK = 100


class ImportResult(NamedTuple):
    rows: int
    purchases: int
    imported: int
    unchanged: int
    problems: list[history.Problem]
    written: bool

    @property
    def ok(self) -> bool:
        return self.written or (not self.problems and self.purchases == self.unchanged)


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise SystemExit(f"文件 {path} 不是 UTF-8 编码（第 {error.start} 字节处）") from None
    except OSError as error:
        raise SystemExit(f"无法读取文件 {path}：{error.strerror}") from None


def run_import(
    path: Path,
    site_id: str,
    *,
    skip_bad: bool = False,
    year: int | None = None,
    now: datetime | None = None,
    out: TextIO | None = None,
    progress: Callable[[str, int], ProgressBar] | None = None,
) -> ImportResult:
    from chalicelib.store.orders import DynamoHistoryStore
    from chalicelib.store.reference import national_catalog
    from chalicelib.store.sites import DynamoSiteStore

    out = out or sys.stdout
    bar = progress or (lambda label, total: ProgressBar(label, total))
    now = now or utc_now()
    try:
        fmt = history.format_of(str(path))
    except ValueError as error:
        raise SystemExit(str(error)) from None
    site = DynamoSiteStore().get(site_id)
    if site is None:
        raise SystemExit(f"站点 {site_id} 不存在")
    text = _read(path)
    batch = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    checked = history.check(history.read_rows(text, fmt), fmt, site, national_catalog(), china_date(now), year)
    problems = list(checked.problems)
    orders = [(p, history.to_order(site, p, batch)) for p in checked.purchases]

    store = DynamoHistoryStore()
    fresh, unchanged, conflicts = _compare(store, site.id, orders, bar)
    problems.extend(conflicts)
    problems.sort(key=lambda p: p.line)
    for problem in problems:
        print(problem.text(), file=out)
    if problems and not skip_bad:
        print(
            f"文件共 {checked.rows} 行，发现 {len(problems)} 处错误，未导入任何数据；更正后重新导入，"
            "或加 --skip-bad 只导入无误的订单。",
            file=out,
        )
        return ImportResult(checked.rows, len(checked.purchases), 0, unchanged, problems, False)
    writing = bar("写入订单", len(fresh))
    for start in range(0, len(fresh), CHUNK):
        chunk = fresh[start : start + CHUNK]
        store.write(chunk)
        writing.advance(len(chunk))
    writing.close()
    if fresh:
        store.record(_audit(site.id, path.name, batch, len(fresh), unchanged, len(problems), fresh, now))
    print(
        f"共 {checked.rows} 行、{len(checked.purchases)} 个订单：新导入 {len(fresh)} 个，"
        f"已导入且相同 {unchanged} 个" + (f"，跳过有错误的 {len(problems)} 处" if problems else "") + "。",
        file=out,
    )
    return ImportResult(checked.rows, len(checked.purchases), len(fresh), unchanged, problems, True)


def _compare(
    store: Any,
    site_id: str,
    orders: list[tuple[history.ImportedPurchase, Order]],
    bar: Callable[[str, int], ProgressBar],
) -> tuple[list[Order], int, list[history.Problem]]:
    """Against what is stored: new orders, how many are already there unchanged, and numbers taken by other content."""
    fresh: list[Order] = []
    unchanged = 0
    problems: list[history.Problem] = []
    checking = bar("核对已导入的订单", len(orders))
    for start in range(0, len(orders), CHUNK):
        chunk = orders[start : start + CHUNK]
        stored = store.existing(site_id, [o.order_no for _p, o in chunk])
        for purchase, order in chunk:
            before = stored.get(order.order_no)
            if before is None:
                fresh.append(order)
            elif history.same_purchase(before, order):
                unchanged += 1
            else:
                reason = (
                    f"订单号 {purchase.old_order_no} 已导入且内容不同（{before.note or before.order_no}），请核对后更正"
                )
                problems.append(history.Problem(purchase.first_line, "order_no", reason))
        checking.advance(len(chunk))
    checking.close()
    return fresh, unchanged, problems


def _audit(
    site_id: str,
    file_name: str,
    batch: str,
    imported: int,
    unchanged: int,
    skipped: int,
    orders: list[Order],
    now: datetime,
) -> AuditEvent:
    total = sum(o.total_fen for o in orders)
    user = getpass.getuser()
    return new_event(
        tenant=site_id,
        entity_type="history_import",
        entity_id=batch,
        action="history.imported",
        summary=f"历史导入 {imported} 个订单，成交金额 {total / 100:.2f} 元（文件 {file_name}）",
        actor={
            "user_id": f"cli:{user}",
            "username": user,
            "name": "历史数据导入（命令行）",
            "role": "operator",
            "org_id": "",
            "org_name": "",
        },
        at=now,
        after={
            "file": file_name,
            "batch": batch,
            "imported": imported,
            "unchanged": unchanged,
            "skipped": skipped,
            "amount_fen": total,
            "first": min(o.created_at for o in orders),
            "last": max(o.created_at for o in orders),
        },
    )
