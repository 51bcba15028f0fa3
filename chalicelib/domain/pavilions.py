"""特色场馆 (special pavilions): a site's curated collections, shown on its front page and browsable in the catalog.

Seed 002: "设立政府采购特色场馆，如鲁产精品、扶贫频道、防疫专区等，向采购人、企业等市场主体提供采购交易通道或供需对接
途径". The site's operator keeps its pavilions (name, introduction, order on the front page, shown or hidden) and
puts listings in them; the catalog projection gives each pavilion its own partition, sorted by sales, so a pavilion's
page (searched and filtered like any page) and its front-page shelf are one Query each.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from chalicelib.domain.audit import AuditEvent, new_event
from chalicelib.domain.clock import to_iso
from chalicelib.domain.errors import Conflict, InvalidInput, NotFound
from chalicelib.domain.principals import Principal

ENTITY_PAVILION = "pavilion"
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,19}$")
MAX_PAVILIONS = 12

# The three seed 002 names; every site starts with them and adds its own.
STANDARD = (
    ("lu-quality", "鲁产精品", "山东本省企业生产的优质产品，支持本省制造"),
    ("rural-revival", "乡村振兴（扶贫频道）", "脱贫地区、乡村振兴重点帮扶地区的农副产品与手工制品"),
    ("epidemic", "防疫专区", "消毒清洁、个人防护等防疫物资"),
)


class Pavilion(NamedTuple):
    site_id: str
    code: str
    name: str
    intro: str
    sort: int
    shown: bool
    version: int
    created_at: str
    updated_at: str


class PavilionStore(Protocol):
    def all(self, site_id: str) -> list[Pavilion]: ...

    def get(self, site_id: str, code: str) -> Pavilion | None: ...

    def create(self, pavilion: Pavilion, audit: AuditEvent) -> None: ...

    def save(self, pavilion: Pavilion, expected_version: int, audit: AuditEvent) -> None: ...


def _event(
    p: Pavilion, action: str, summary: str, actor: dict[str, str], now: datetime, before: Any = None
) -> AuditEvent:
    return new_event(
        tenant=p.site_id,
        entity_type=ENTITY_PAVILION,
        entity_id=p.code,
        action=action,
        summary=summary,
        actor=actor,
        at=now,
        before=before,
        after=p._asdict(),
    )


def create(
    store: PavilionStore,
    site_id: str,
    actor: dict[str, str],
    code: str,
    name: str,
    intro: str,
    sort: int,
    now: datetime,
) -> Pavilion:
    if not CODE_PATTERN.match(code):
        raise InvalidInput(
            "场馆代码须为 2 至 20 位小写字母、数字或连字符，以字母开头",
            code="VALIDATION_FAILED",
            details=[{"field": "code", "message": "如 lu-quality"}],
        )
    if len(store.all(site_id)) >= MAX_PAVILIONS:
        raise Conflict(f"每个站点最多 {MAX_PAVILIONS} 个特色场馆", code="TOO_MANY_PAVILIONS")
    pavilion = Pavilion(site_id, code, name.strip(), intro.strip(), sort, True, 1, to_iso(now), to_iso(now))
    store.create(pavilion, _event(pavilion, "pavilion.created", f"开设特色场馆“{pavilion.name}”", actor, now))
    return pavilion


def revise(
    store: PavilionStore,
    principal: Principal,
    pavilion: Pavilion | None,
    expected_version: int,
    name: str,
    intro: str,
    sort: int,
    shown: bool,
    now: datetime,
) -> Pavilion:
    if pavilion is None:
        raise NotFound("特色场馆不存在", code="PAVILION_NOT_FOUND")
    if expected_version != pavilion.version:
        raise Conflict("特色场馆已被他人修改，请刷新后重试", code="PAVILION_CHANGED")
    changed = pavilion._replace(
        name=name.strip(),
        intro=intro.strip(),
        sort=sort,
        shown=shown,
        version=pavilion.version + 1,
        updated_at=to_iso(now),
    )
    summary = f"修改特色场馆“{changed.name}”" + ("" if shown else "（首页不再展示）")
    store.save(
        changed,
        pavilion.version,
        _event(changed, "pavilion.revised", summary, principal.as_actor(), now, pavilion._asdict()),
    )
    return changed


def ordered(found: list[Pavilion], shown_only: bool) -> list[Pavilion]:
    return sorted((p for p in found if p.shown or not shown_only), key=lambda p: (p.sort, p.code))


def view(p: Pavilion) -> dict[str, Any]:
    return {**p._asdict(), "shown_label": "首页展示" if p.shown else "不展示"}
