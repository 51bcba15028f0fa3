"""Inspection campaigns (巡检): pre-checks over the listings on sale, findings with evidence, correction or delisting.

Seed 000 §(四): the province's routine inspections of categories such as 吸顶灯, 喷墨打印机, 便签, 台式计算机, 试卷纸,
胶水 and 壁挂空调机 found 848 聊城 suppliers with listings in the wrong category (混淆品目分类上架), invalid
energy-saving certificates (节能证书不合格) and badly filled parameters (填写参数不规范); the listings were delisted
and the suppliers given 风险提醒 or 警示通报 under the credit rules. This module is that work:

1. An operator (a city's centre for its site, the province for any sites) opens a campaign for catalog codes and
   checks. The pre-check runs on the asynchronous side over every listing on sale in scope and queues what it flags,
   each flag with its reasons in words.
2. An inspector records a finding on a listing, with its evidence (required): the supplier is notified and has
   `correction_days` working days to correct (a timer watches the deadline).
3. The supplier answers with its correction; the inspector closes the finding, or sends it back. A finding not
   corrected by its deadline ends in delisting (by the timer); the inspector may delist at once, and may escalate
   a finding to the credit record (风险提醒, 警示通报, 扣分 … under a rule of the rule table).

The campaign's figures are what seed 000 reports: listings checked, suppliers with findings, delisted, corrected.
"""

from __future__ import annotations

import re
import statistics
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from chalicelib.domain.audit import AuditEvent, new_event
from chalicelib.domain.clock import china_date, parse_iso, to_iso
from chalicelib.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation, field_problem
from chalicelib.domain.listings import CertificateKind, Listing, ListingStatus, normalize
from chalicelib.domain.money import format_yuan
from chalicelib.domain.principals import PROVINCE_SCOPE, SYSTEM_ACTOR, Principal, Role
from chalicelib.domain.spec_templates import required_specs
from chalicelib.domain.workdays import WorkCalendar, after_working_days

ENTITY_CAMPAIGN = "inspection"
ENTITY_FINDING = "finding"
CAMPAIGN_ID_PATTERN = re.compile(r"^XJ\d{16}$")
FINDING_ID_PATTERN = re.compile(r"^F\d{12}$")
DEFAULT_CORRECTION_DAYS = 5  # anchors.md B5 [C, ZJ]: parameter and price changes within 5 working days
MAX_CORRECTION_DAYS = 20
_ONE_SECOND = timedelta(seconds=1)  # a deadline at 24:00 belongs to the day before
DEFAULT_PRICE_MARGIN_BP = 1000  # flagged when 10 % above the mall's median for the same product
PLACEHOLDER_VALUES = frozenset(
    {"", "-", "—", "/", "无", "暂无", "详见详情", "见详情", "详见说明", "其他", "待定", "xx", "..."}
)
# 节能产品政府采购品目清单 (财库〔2019〕19号): codes whose products are bought with a valid energy-saving certificate.
ENERGY_SAVING_CODES = (
    "A02010105",  # 台式计算机
    "A02010108",  # 便携式计算机
    "A020210",  # 打印机
    "A02021104",  # 液晶显示器
    "A02061804",  # 空调机
    "A02061908",  # 室内照明灯具
)


class Check(StrEnum):
    CATEGORY = "category"
    CERTIFICATE = "certificate"
    SPECS = "specs"
    PRICE = "price"

    @property
    def label(self) -> str:
        return CHECK_LABELS[self]


CHECK_LABELS: dict[Check, str] = {
    Check.CATEGORY: "品目归类",
    Check.CERTIFICATE: "节能环保证书",
    Check.SPECS: "规格参数",
    Check.PRICE: "价格",
}


class CampaignStatus(StrEnum):
    PRECHECKING = "prechecking"
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"prechecking": "预检中", "open": "巡检中", "closed": "已结束"}[self.value]


class FindingStatus(StrEnum):
    NOTIFIED = "notified"  # the supplier must correct by correct_by
    CORRECTED = "corrected"  # the supplier says it corrected: the inspector reviews
    CLOSED = "closed"  # correction accepted
    DELISTED = "delisted"  # not corrected in time, or delisted by the inspector

    @property
    def label(self) -> str:
        return {"notified": "待整改", "corrected": "已整改待复核", "closed": "整改完成", "delisted": "已下架"}[
            self.value
        ]


class Problem(NamedTuple):
    check: Check
    message: str


class PriceNotice(NamedTuple):
    """A manufacturer's new price for a product (厂商调价): listings above it must follow within 5 working days."""

    brand: str
    model: str
    official_price_fen: int
    source: str  # where the new price was published (the manufacturer's notice)


class Campaign(NamedTuple):
    id: str
    owner: str  # a site id, or shandong for the province's campaigns
    sites: tuple[str, ...]
    title: str
    catalog_codes: tuple[str, ...]  # 2022 catalog codes; a group code covers the codes below it
    checks: tuple[Check, ...]
    correction_days: int
    status: CampaignStatus
    checked: int  # listings on sale in scope when the pre-check ran
    flagged: int
    created_by: str
    created_at: str
    updated_at: str
    version: int
    price_notice: PriceNotice | None = None  # a 厂商调价 campaign: its product instead of catalog codes

    def covers(self, catalog_code: str) -> bool:
        return any(catalog_code.startswith(_stem(code)) for code in self.catalog_codes)

    def holds(self, listing: Listing) -> bool:
        """A listing in the campaign's scope: under its codes, or (厂商调价) the same brand and model."""
        if self.price_notice is not None:
            n = self.price_notice
            return product_key(listing.draft.brand, listing.draft.model) == product_key(n.brand, n.model)
        return self.covers(listing.catalog_code)


class Flag(NamedTuple):
    """A listing the pre-check queued for an inspector, with why."""

    campaign_id: str
    site_id: str
    listing_id: str
    listing_name: str
    supplier_uscc: str
    supplier_name: str
    price_fen: int
    problems: tuple[Problem, ...]


class Evidence(NamedTuple):
    text: str
    attachments: tuple[str, ...] = ()  # upload keys (screenshots, test reports)


class Correction(NamedTuple):
    text: str
    by: str
    at: str


class Finding(NamedTuple):
    id: str
    campaign_id: str
    site_id: str
    listing_id: str
    listing_name: str
    supplier_uscc: str
    supplier_name: str
    problems: tuple[Problem, ...]
    evidence: Evidence
    status: FindingStatus
    correct_by: str  # UTC instant: the end of the last working day to correct
    correction: Correction | None
    outcome: str  # in words: how it ended, or why it was sent back
    credit_entry: str  # the credit record entry it was escalated to, if any
    created_by: str
    created_at: str
    updated_at: str
    version: int
    price_ceiling_fen: int = 0  # 厂商调价: the price the listing must come down to (0: none)


class NewCampaign(NamedTuple):
    title: str
    catalog_codes: tuple[str, ...]
    checks: tuple[str, ...]
    sites: tuple[str, ...]
    correction_days: int = DEFAULT_CORRECTION_DAYS


class NewFinding(NamedTuple):
    site_id: str
    listing_id: str
    checks: tuple[str, ...]
    description: str
    evidence: Evidence


class Figures(NamedTuple):
    checked: int
    flagged: int
    findings: int
    suppliers_with_findings: int
    corrected: int
    delisted: int
    open: int


class InspectionStore(Protocol):
    def get(self, campaign_id: str) -> Campaign | None: ...

    def campaigns(self) -> list[Campaign]: ...

    def create(self, campaign: Campaign, audit: AuditEvent) -> None: ...

    def prechecked(self, campaign: Campaign, flags: list[Flag], expected_version: int, audit: AuditEvent) -> None:
        """The flags, then the campaign moved to open under its version (a second run writes nothing more)."""

    def contents(self, campaign_id: str, site_id: str | None) -> tuple[list[Flag], list[Finding]]: ...

    def finding(self, campaign_id: str, finding_id: str) -> Finding | None: ...

    def add_finding(self, finding: Finding, audit: AuditEvent) -> None:
        """Refused (FINDING_EXISTS) when the listing already has an open finding in the campaign."""

    def save_finding(self, finding: Finding, expected_version: int, audit: AuditEvent) -> None: ...

    def findings_of_supplier(self, uscc: str) -> list[Finding]: ...

    def findings_of_site(self, site_id: str) -> list[Finding]: ...


class ListingDelister(Protocol):
    def delist(self, site_id: str, listing_id: str, reason: str, actor: Mapping[str, str], now: datetime) -> bool:
        """Take the listing off sale (audited); False when it was not on sale."""


class DeadlineTimer(Protocol):
    def start(self, name: str, due_at: str, payload: dict[str, Any]) -> None: ...


# ---------------------------------------------------------------- opening a campaign


def _stem(code: str) -> str:
    """A1234 0000 → A1234: a group code covers every code that starts with its significant digits."""
    stem = code.rstrip("0")
    return stem if len(stem) >= 3 else code[:3]


def open_campaign(
    store: InspectionStore,
    actor: Principal,
    new: NewCampaign,
    known_sites: Sequence[str],
    catalog_codes: Mapping[str, str],
    now: datetime,
) -> Campaign:
    """A city's centre inspects its own site; the province any of its sites (all when it names none)."""
    if actor.role is Role.PROVINCE_ADMIN:
        owner, sites = PROVINCE_SCOPE, tuple(dict.fromkeys(new.sites)) or tuple(known_sites)
    elif actor.role is Role.CENTER_ADMIN:
        owner, sites = actor.tenant, (actor.tenant,)
        if new.sites and set(new.sites) != {actor.tenant}:
            raise Forbidden("采购中心只能巡检本站点", code="FORBIDDEN_TENANT")
    else:
        raise Forbidden("只有采购中心或省级管理员可以发起巡检", code="FORBIDDEN_ROLE")
    checks, found = _parse_checks(new.checks)
    unknown = [c for c in new.catalog_codes if c not in catalog_codes]
    found += _campaign_problems(new, unknown, sites, known_sites)
    if found:
        code = "CATEGORY_UNKNOWN" if unknown else "CAMPAIGN_INVALID"
        raise InvalidInput("巡检信息有误：" + "；".join(p["message"] for p in found), code=code, details=found)
    campaign = Campaign(
        id=f"XJ{china_date(now):%Y%m%d}{uuid.uuid4().int % 10**8:08d}",
        owner=owner,
        sites=sites,
        title=new.title.strip(),
        catalog_codes=tuple(dict.fromkeys(new.catalog_codes)),
        checks=tuple(dict.fromkeys(checks)),
        correction_days=new.correction_days,
        status=CampaignStatus.PRECHECKING,
        checked=0,
        flagged=0,
        created_by=actor.display_name,
        created_at=to_iso(now),
        updated_at=to_iso(now),
        version=1,
    )
    names = "、".join(catalog_codes[c] for c in campaign.catalog_codes)
    summary = f"发起巡检“{campaign.title}”：{names}；检查{'、'.join(c.label for c in campaign.checks)}"
    store.create(campaign, _campaign_event(campaign, "inspection.opened", summary, actor.as_actor(), now))
    return campaign


def _parse_checks(codes: Iterable[str]) -> tuple[list[Check], list[dict[str, str]]]:
    checks: list[Check] = []
    found: list[dict[str, str]] = []
    for c in codes:
        try:
            checks.append(Check(c))
        except ValueError:
            found.append(field_problem("checks", f"未知的检查项：{c}"))
    if not checks and not found:
        found.append(field_problem("checks", "至少选择一项"))
    return checks, found


def _campaign_problems(
    new: NewCampaign, unknown: list[str], sites: tuple[str, ...], known_sites: Sequence[str]
) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    if len(new.title.strip()) < 2:
        found.append(field_problem("title", "请填写巡检名称"))
    if not new.catalog_codes or unknown:
        missing = f"：{'、'.join(unknown)} 不在品目分类目录中" if unknown else ""
        found.append(field_problem("catalog_codes", "请选择巡检品目" + missing))
    if [s for s in sites if s not in known_sites] or not sites:
        found.append(field_problem("sites", "站点不存在"))
    if not 1 <= new.correction_days <= MAX_CORRECTION_DAYS:
        found.append(field_problem("correction_days", f"整改期限须在 1–{MAX_CORRECTION_DAYS} 个工作日之间"))
    return found


PRICE_UPDATE_WORKING_DAYS = 5  # anchors.md B5 [C, ZJ]: parameter and price changes within 5 working days


def open_price_notice(
    store: InspectionStore,
    actor: Principal,
    notice: PriceNotice,
    sites: Sequence[str],
    known_sites: Sequence[str],
    now: datetime,
) -> Campaign:
    """A manufacturer lowered its price (厂商调价): the listings of the product selling above it are found on the
    asynchronous side, and each supplier must follow within 5 working days or the listing is delisted."""
    if actor.role is Role.PROVINCE_ADMIN:
        owner, scope = PROVINCE_SCOPE, tuple(dict.fromkeys(sites)) or tuple(known_sites)
    elif actor.role is Role.CENTER_ADMIN:
        owner, scope = actor.tenant, (actor.tenant,)
        if sites and set(sites) != {actor.tenant}:
            raise Forbidden("采购中心只能通知本站点", code="FORBIDDEN_TENANT")
    else:
        raise Forbidden("只有采购中心或省级管理员可以登记厂商调价", code="FORBIDDEN_ROLE")
    found = []
    if not notice.brand.strip() or not notice.model.strip():
        found.append(field_problem("model", "请填写品牌和型号"))
    if notice.official_price_fen <= 0:
        found.append(field_problem("official_price_fen", "调整后价格须大于 0"))
    if len(notice.source.strip()) < 2:
        found.append(field_problem("basis", "请注明调价依据（厂商通知、官网公告等）"))
    if [x for x in scope if x not in known_sites]:
        found.append(field_problem("sites", "站点不存在"))
    if found:
        raise InvalidInput(
            "厂商调价信息有误：" + "；".join(p["message"] for p in found), code="PRICE_NOTICE_INVALID", details=found
        )
    clean = notice._replace(brand=notice.brand.strip(), model=notice.model.strip(), source=notice.source.strip())
    title = f"厂商调价：{clean.brand} {clean.model} 调至 {format_yuan(clean.official_price_fen)} 元"
    campaign = Campaign(
        id=f"XJ{china_date(now):%Y%m%d}{uuid.uuid4().int % 10**8:08d}",
        owner=owner,
        sites=scope,
        title=title,
        catalog_codes=(),
        checks=(Check.PRICE,),
        correction_days=PRICE_UPDATE_WORKING_DAYS,
        status=CampaignStatus.PRECHECKING,
        checked=0,
        flagged=0,
        created_by=actor.display_name,
        created_at=to_iso(now),
        updated_at=to_iso(now),
        version=1,
        price_notice=clean,
    )
    summary = f"登记{title}（{clean.source}）"
    store.create(campaign, _campaign_event(campaign, "inspection.opened", summary, actor.as_actor(), now))
    return campaign


def follow_price_notice(
    store: InspectionStore,
    timer: DeadlineTimer,
    calendar: WorkCalendar,
    campaign: Campaign,
    in_scope: list[Listing],
    now: datetime,
) -> str:
    """The listings of the product above the manufacturer's new price: each a finding the supplier must correct by
    repricing within 5 working days; then the campaign is open with its figures (runs once, on its version)."""
    notice = campaign.price_notice
    if notice is None or campaign.status is not CampaignStatus.PRECHECKING:
        return "skipped"
    above = [x for x in in_scope if x.draft.price_fen > notice.official_price_fen]
    deadline = after_working_days(calendar, now, campaign.correction_days)
    for listing in above:
        message = (
            f"厂商已将 {notice.brand} {notice.model} 价格调至 {format_yuan(notice.official_price_fen)} 元，"
            f"本商品售价 {format_yuan(listing.draft.price_fen)} 元，须在 {campaign.correction_days} 个工作日内调价"
        )
        finding = Finding(
            id=f"F{china_date(now):%y%m%d}{uuid.uuid4().int % 10**6:06d}",
            campaign_id=campaign.id,
            site_id=listing.site_id,
            listing_id=listing.id,
            listing_name=listing.draft.name,
            supplier_uscc=listing.supplier.uscc,
            supplier_name=listing.supplier.name,
            problems=(Problem(Check.PRICE, message),),
            evidence=Evidence(f"厂商调价依据：{notice.source}"),
            status=FindingStatus.NOTIFIED,
            correct_by=to_iso(deadline.ends_at),
            correction=None,
            outcome="",
            credit_entry="",
            created_by="系统（厂商调价）",
            created_at=to_iso(now),
            updated_at=to_iso(now),
            version=1,
            price_ceiling_fen=notice.official_price_fen,
        )
        try:
            store.add_finding(finding, _finding_event(finding, "finding.recorded", message, SYSTEM_ACTOR, now))
        except Conflict:
            continue  # recorded by an earlier run of this task
        timer.start(**deadline_timer(finding))
    done = _opened(campaign, len(in_scope), len(above), now)
    summary = f"{campaign.title}：在售 {done.checked} 件，高于调整后价格 {done.flagged} 件，已通知供应商限期调价"
    store.prechecked(
        done, [], campaign.version, _campaign_event(done, "inspection.prechecked", summary, SYSTEM_ACTOR, now)
    )
    return "applied"


def require_reader(campaign: Campaign, viewer: Principal) -> None:
    if viewer.role is Role.PROVINCE_ADMIN:
        return
    if viewer.role in (Role.CENTER_ADMIN, Role.FINANCE) and viewer.tenant in campaign.sites:
        return
    raise NotFound("巡检不存在", code="INSPECTION_NOT_FOUND")


def require_inspector(campaign: Campaign, actor: Principal, site_id: str) -> None:
    """The campaign's owner inspects; a city's centre also inspects its own site in a province campaign."""
    allowed = actor.role is Role.PROVINCE_ADMIN or (actor.role is Role.CENTER_ADMIN and actor.tenant == site_id)
    if allowed and site_id in campaign.sites:
        return
    if actor.role is Role.CENTER_ADMIN and site_id not in campaign.sites:
        raise NotFound("巡检不存在", code="INSPECTION_NOT_FOUND")
    raise Forbidden("只能处理本站点的巡检结果", code="FORBIDDEN_TENANT")


# ---------------------------------------------------------------- the pre-check


class CheckContext(NamedTuple):
    """What the pre-check knows beside a listing: the catalog's words, the mall's prices, the day."""

    today: date
    catalog_words: Mapping[str, Sequence[str]]  # leaf code → its name and the items its description names
    catalog_names: Mapping[str, str]
    median_price: Mapping[str, int]  # normalised brand|model → the median price on sale in scope
    price_margin_bp: int = DEFAULT_PRICE_MARGIN_BP


def product_key(brand: str, model: str) -> str:
    return f"{normalize(brand)}|{normalize(model)}"


def median_prices(listings: Iterable[Listing]) -> dict[str, int]:
    """The median price of each product (brand + model) among the listings given, where two or more list it."""
    by_product: dict[str, list[int]] = {}
    for x in listings:
        by_product.setdefault(product_key(x.draft.brand, x.draft.model), []).append(x.draft.price_fen)
    return {k: int(statistics.median(v)) for k, v in by_product.items() if len(v) >= 2}


def problems_of(listing: Listing, checks: Iterable[Check], ctx: CheckContext) -> tuple[Problem, ...]:
    found: list[Problem] = []
    for check in checks:
        found.extend(_RULES[check](listing, ctx))
    return tuple(found)


def _category_problems(listing: Listing, ctx: CheckContext) -> list[Problem]:
    """The name names another category's product and not its own: 混淆品目分类上架."""
    name = normalize(listing.draft.name)
    own = [w for w in ctx.catalog_words.get(listing.catalog_code, ()) if normalize(w) in name]
    if own:
        return []
    for code, words in ctx.catalog_words.items():
        hit = next((w for w in words if len(w) >= 2 and normalize(w) in name), None)
        if hit and code != listing.catalog_code and not code.startswith(_stem(listing.catalog_code)):
            message = (
                f"商品名称含“{hit}”，应归入“{ctx.catalog_names.get(code, code)}”（{code}），"
                f"现归入“{ctx.catalog_names.get(listing.catalog_code, listing.catalog_code)}”"
            )
            return [Problem(Check.CATEGORY, message)]
    return []


def _certificate_problems(listing: Listing, ctx: CheckContext) -> list[Problem]:
    found = [
        Problem(Check.CERTIFICATE, f"{c.kind.label}认证证书 {c.number} 已于 {c.expires_on} 失效")
        for c in listing.draft.certificates
        if c.expires_on < ctx.today.isoformat()
    ]
    needs = any(listing.catalog_code.startswith(code) for code in ENERGY_SAVING_CODES)
    has = any(c.kind is CertificateKind.ENERGY_SAVING for c in listing.draft.certificates)
    if needs and not has:
        found.append(Problem(Check.CERTIFICATE, "属节能产品政府采购品目清单，未提供节能产品认证证书"))
    return found


def _spec_problems(listing: Listing, ctx: CheckContext) -> list[Problem]:
    stated = {normalize(s.name): s.value.strip() for s in listing.draft.specs}
    missing = [p.name for p in required_specs(listing.catalog_code) if not stated.get(normalize(p.name))]
    vague = [s.name for s in listing.draft.specs if normalize(s.value) in PLACEHOLDER_VALUES]
    found = []
    if missing:
        found.append(Problem(Check.SPECS, f"未填写必填参数：{'、'.join(missing)}"))
    if vague:
        found.append(Problem(Check.SPECS, f"参数填写不规范（{'、'.join(vague)} 未写明具体值）"))
    return found


def _price_problems(listing: Listing, ctx: CheckContext) -> list[Problem]:
    median = ctx.median_price.get(product_key(listing.draft.brand, listing.draft.model))
    price = listing.draft.price_fen
    if median is None or price * 10_000 <= median * (10_000 + ctx.price_margin_bp):
        return []
    above = (price - median) * 100 / median
    return [
        Problem(
            Check.PRICE,
            f"售价 {format_yuan(price)} 元高于商城同型号在售中位价 {format_yuan(median)} 元 {above:.1f}%"
            f"（阈值 {ctx.price_margin_bp / 100:g}%）",
        )
    ]


_RULES = {
    Check.CATEGORY: _category_problems,
    Check.CERTIFICATE: _certificate_problems,
    Check.SPECS: _spec_problems,
    Check.PRICE: _price_problems,
}


def precheck(
    store: InspectionStore, campaign: Campaign, in_scope: list[Listing], ctx: CheckContext, now: datetime
) -> str:
    """Every listing on sale in scope, checked; the flagged queued. Runs once (the campaign moves on its version)."""
    if campaign.status is not CampaignStatus.PRECHECKING:
        return "skipped"
    flags = []
    for listing in in_scope:
        problems = problems_of(listing, campaign.checks, ctx)
        if problems:
            flags.append(
                Flag(
                    campaign.id,
                    listing.site_id,
                    listing.id,
                    listing.draft.name,
                    listing.supplier.uscc,
                    listing.supplier.name,
                    listing.draft.price_fen,
                    problems,
                )
            )
    done = _opened(campaign, len(in_scope), len(flags), now)
    summary = f"巡检“{campaign.title}”预检完成：检查在售商品 {done.checked} 件，疑似问题 {done.flagged} 件"
    store.prechecked(
        done, flags, campaign.version, _campaign_event(done, "inspection.prechecked", summary, SYSTEM_ACTOR, now)
    )
    return "applied"


def _opened(campaign: Campaign, checked: int, flagged: int, now: datetime) -> Campaign:
    """The pre-check done: the campaign is open with what it checked and flagged."""
    return campaign._replace(
        status=CampaignStatus.OPEN,
        checked=checked,
        flagged=flagged,
        updated_at=to_iso(now),
        version=campaign.version + 1,
    )


def in_scope(campaign: Campaign, listings: Iterable[Listing]) -> list[Listing]:
    return [x for x in listings if x.status is ListingStatus.ACTIVE and campaign.holds(x)]


# ---------------------------------------------------------------- findings


def record_finding(
    store: InspectionStore,
    timer: DeadlineTimer,
    calendar: WorkCalendar,
    campaign: Campaign,
    actor: Principal,
    listing: Listing | None,
    new: NewFinding,
    now: datetime,
) -> Finding:
    """An inspector's finding on a listing in scope, with evidence; the supplier must correct within the period."""
    require_inspector(campaign, actor, new.site_id)
    if campaign.status is not CampaignStatus.OPEN:
        raise Conflict(f"巡检{campaign.status.label}，不能登记问题", code="INSPECTION_NOT_OPEN")
    if listing is None or listing.site_id != new.site_id:
        raise NotFound("商品不存在", code="LISTING_NOT_FOUND")
    if not campaign.covers(listing.catalog_code):
        raise RuleViolation("该商品不在本次巡检的品目范围内", code="LISTING_OUT_OF_SCOPE")
    checks, found = _parse_checks(new.checks)
    if len(new.description.strip()) < 4:
        found.append(field_problem("description", "请说明问题（至少 4 个字）"))
    if len(new.evidence.text.strip()) < 4 and not new.evidence.attachments:
        found.append(field_problem("evidence", "须附证据：说明取证情况或上传截图、检测报告"))
    if found:
        code = "EVIDENCE_REQUIRED" if any(p["field"] == "evidence" for p in found) else "FINDING_INVALID"
        raise InvalidInput("问题登记有误：" + "；".join(p["message"] for p in found), code=code, details=found)
    deadline = after_working_days(calendar, now, campaign.correction_days)
    finding = Finding(
        id=f"F{china_date(now):%y%m%d}{uuid.uuid4().int % 10**6:06d}",
        campaign_id=campaign.id,
        site_id=listing.site_id,
        listing_id=listing.id,
        listing_name=listing.draft.name,
        supplier_uscc=listing.supplier.uscc,
        supplier_name=listing.supplier.name,
        problems=tuple(Problem(c, new.description.strip()) for c in dict.fromkeys(checks)),
        evidence=Evidence(new.evidence.text.strip(), new.evidence.attachments),
        status=FindingStatus.NOTIFIED,
        correct_by=to_iso(deadline.ends_at),
        correction=None,
        outcome="",
        credit_entry="",
        created_by=actor.display_name,
        created_at=to_iso(now),
        updated_at=to_iso(now),
        version=1,
    )
    summary = (
        f"巡检发现商品“{listing.draft.name}”（{listing.supplier.name}）存在问题：{new.description.strip()}；"
        f"限 {deadline.last_day.isoformat()} 前整改"
    )
    store.add_finding(finding, _finding_event(finding, "finding.recorded", summary, actor.as_actor(), now))
    timer.start(**deadline_timer(finding))
    return finding


def deadline_timer(finding: Finding) -> dict[str, Any]:
    return {
        "name": f"finding-{finding.id}-v{finding.version}",
        "due_at": finding.correct_by,
        "payload": {"kind": "finding_deadline", "campaign_id": finding.campaign_id, "finding_id": finding.id},
    }


def correct(store: InspectionStore, finding: Finding, supplier: Principal, text: str, now: datetime) -> Finding:
    """The supplier says what it corrected (it edits the listing itself, which goes back to review)."""
    if supplier.role is not Role.SUPPLIER or supplier.org_id != finding.supplier_uscc:
        raise NotFound("整改通知不存在", code="FINDING_NOT_FOUND")
    if finding.status is not FindingStatus.NOTIFIED:
        raise Conflict(f"该问题{finding.status.label}，不能再提交整改", code="FINDING_NOT_OPEN")
    if now > parse_iso(finding.correct_by):
        raise RuleViolation("整改期限已过，不能再提交整改", code="CORRECTION_LATE")
    if len(text.strip()) < 4:
        raise InvalidInput(
            "请说明整改情况（至少 4 个字）", code="VALIDATION_FAILED", details=[field_problem("text", "至少 4 个字")]
        )
    updated = finding._replace(
        status=FindingStatus.CORRECTED,
        correction=Correction(text.strip(), supplier.display_name, to_iso(now)),
        updated_at=to_iso(now),
        version=finding.version + 1,
    )
    summary = f"供应商 {finding.supplier_name} 提交整改：{text.strip()}"
    store.save_finding(
        updated,
        finding.version,
        _finding_event(updated, "finding.corrected", summary, supplier.as_actor(), now, finding),
    )
    return updated


def review(
    store: InspectionStore,
    delister: ListingDelister,
    timer: DeadlineTimer,
    calendar: WorkCalendar,
    campaign: Campaign,
    finding: Finding,
    actor: Principal,
    action: str,
    reason: str,
    now: datetime,
) -> Finding:
    """close (the correction holds) · return (not corrected: a new period) · delist (off sale now)."""
    require_inspector(campaign, actor, finding.site_id)
    if len(reason.strip()) < 2:
        raise InvalidInput("请填写处理意见", code="REASON_REQUIRED", details=[field_problem("reason", "必填")])
    if action == "close":
        if finding.status is not FindingStatus.CORRECTED:
            raise Conflict("供应商提交整改后方可确认整改完成", code="FINDING_NOT_CORRECTED")
        updated = finding._replace(status=FindingStatus.CLOSED, outcome=f"整改完成：{reason.strip()}")
        verb = "确认整改完成"
    elif action == "return":
        if finding.status is not FindingStatus.CORRECTED:
            raise Conflict("只能退回已提交的整改", code="FINDING_NOT_CORRECTED")
        deadline = after_working_days(calendar, now, campaign.correction_days)
        updated = finding._replace(
            status=FindingStatus.NOTIFIED, correct_by=to_iso(deadline.ends_at), outcome=f"整改未通过：{reason.strip()}"
        )
        verb = f"退回整改（限 {deadline.last_day.isoformat()} 前）"
    elif action == "delist":
        if finding.status not in (FindingStatus.NOTIFIED, FindingStatus.CORRECTED):
            raise Conflict(f"该问题{finding.status.label}", code="FINDING_NOT_OPEN")
        delister.delist(finding.site_id, finding.listing_id, f"巡检问题：{reason.strip()}", actor.as_actor(), now)
        updated = finding._replace(status=FindingStatus.DELISTED, outcome=f"下架：{reason.strip()}")
        verb = "下架违规商品"
    else:
        raise InvalidInput("处理方式无效", code="VALIDATION_FAILED", details=[field_problem("action", "无效")])
    updated = updated._replace(updated_at=to_iso(now), version=finding.version + 1)
    summary = f"巡检问题（{finding.listing_name}）{verb}：{reason.strip()}"
    store.save_finding(
        updated, finding.version, _finding_event(updated, f"finding.{action}", summary, actor.as_actor(), now, finding)
    )
    if updated.status is FindingStatus.NOTIFIED:
        timer.start(**deadline_timer(updated))
    return updated


def escalated(store: InspectionStore, finding: Finding, entry_id: str, actor: Principal, now: datetime) -> Finding:
    """The finding is linked to the credit record entry it led to."""
    updated = finding._replace(credit_entry=entry_id, updated_at=to_iso(now), version=finding.version + 1)
    summary = f"巡检问题（{finding.listing_name}）转信用处理：{entry_id}"
    store.save_finding(
        updated, finding.version, _finding_event(updated, "finding.escalated", summary, actor.as_actor(), now, finding)
    )
    return updated


def on_deadline(
    store: InspectionStore,
    delister: ListingDelister,
    finding: Finding | None,
    now: datetime,
    current_price_fen: int | None = None,
) -> str:
    """The correction period ended: a finding still waiting for its correction ends in delisting; a 厂商调价 finding
    whose listing now sells at or below the manufacturer's price is closed instead."""
    if finding is None or finding.status is not FindingStatus.NOTIFIED:
        return "skipped"
    if now < parse_iso(finding.correct_by):
        return "early"
    if finding.price_ceiling_fen and current_price_fen is not None and current_price_fen <= finding.price_ceiling_fen:
        outcome = f"已按厂商调价将售价调至 {format_yuan(current_price_fen)} 元"
        done = finding._replace(
            status=FindingStatus.CLOSED, outcome=outcome, updated_at=to_iso(now), version=finding.version + 1
        )
        audit = _finding_event(
            done, "finding.close", f"巡检问题（{finding.listing_name}）{outcome}", SYSTEM_ACTOR, now, finding
        )
        store.save_finding(done, finding.version, audit)
        return "applied"
    reason = f"巡检问题逾期未整改（整改期限 {china_date(parse_iso(finding.correct_by) - _ONE_SECOND).isoformat()}）"
    delister.delist(finding.site_id, finding.listing_id, reason, SYSTEM_ACTOR, now)
    updated = finding._replace(
        status=FindingStatus.DELISTED, outcome=reason, updated_at=to_iso(now), version=finding.version + 1
    )
    summary = f"巡检问题（{finding.listing_name}）{reason}，系统下架商品"
    store.save_finding(
        updated, finding.version, _finding_event(updated, "finding.overdue", summary, SYSTEM_ACTOR, now, finding)
    )
    return "applied"


def close_campaign(store: InspectionStore, campaign: Campaign, actor: Principal, now: datetime) -> Campaign:
    if actor.role is not Role.PROVINCE_ADMIN and campaign.owner != actor.tenant:
        raise Forbidden("只有发起单位可以结束巡检", code="FORBIDDEN_TENANT")
    if campaign.status is not CampaignStatus.OPEN:
        raise Conflict(f"巡检{campaign.status.label}", code="INSPECTION_NOT_OPEN")
    done = campaign._replace(status=CampaignStatus.CLOSED, updated_at=to_iso(now), version=campaign.version + 1)
    store.prechecked(
        done,
        [],
        campaign.version,
        _campaign_event(done, "inspection.closed", f"结束巡检“{campaign.title}”", actor.as_actor(), now),
    )
    return done


def figures(campaign: Campaign, findings: Sequence[Finding], flags: Sequence[Flag], site_id: str | None) -> Figures:
    """Seed 000's figures; for one site, the flags and findings of that site only."""
    return Figures(
        checked=campaign.checked if site_id is None else -1,
        # 厂商调价: every listing above the new price became a finding at once (no flags for an inspector)
        flagged=len(findings) if campaign.price_notice is not None else len(flags),
        findings=len(findings),
        suppliers_with_findings=len({f.supplier_uscc for f in findings}),
        corrected=sum(1 for f in findings if f.status is FindingStatus.CLOSED),
        delisted=sum(1 for f in findings if f.status is FindingStatus.DELISTED),
        open=sum(1 for f in findings if f.status in (FindingStatus.NOTIFIED, FindingStatus.CORRECTED)),
    )


# ---------------------------------------------------------------- views and events


def campaign_view(c: Campaign, catalog_names: Mapping[str, str]) -> dict[str, Any]:
    return campaign_to_dict(c) | {
        "status_label": c.status.label,
        "check_labels": [x.label for x in c.checks],
        "catalog": [{"code": code, "name": catalog_names.get(code, code)} for code in c.catalog_codes],
    }


def flag_view(f: Flag) -> dict[str, Any]:
    return flag_to_dict(f) | {"problems": [_problem_view(p) for p in f.problems]}


def finding_view(f: Finding, viewer: Principal, now: datetime) -> dict[str, Any]:
    operator = viewer.role in (Role.CENTER_ADMIN, Role.PROVINCE_ADMIN) and (
        viewer.role is Role.PROVINCE_ADMIN or viewer.tenant == f.site_id
    )
    actions: list[str] = []
    if operator and f.status is FindingStatus.CORRECTED:
        actions += ["close", "return"]
    if operator and f.status in (FindingStatus.NOTIFIED, FindingStatus.CORRECTED):
        actions.append("delist")
    if operator and not f.credit_entry:
        actions.append("escalate")
    if viewer.role is Role.SUPPLIER and f.status is FindingStatus.NOTIFIED and now <= parse_iso(f.correct_by):
        actions.append("correct")
    return finding_to_dict(f) | {
        "status_label": f.status.label,
        "problems": [_problem_view(p) for p in f.problems],
        "correct_by_day": china_date(parse_iso(f.correct_by) - _ONE_SECOND).isoformat(),
        "actions": actions,
    }


def _problem_view(p: Problem) -> dict[str, str]:
    return {"check": p.check.value, "check_label": p.check.label, "message": p.message}


def _campaign_event(c: Campaign, action: str, summary: str, actor: Mapping[str, str], now: datetime) -> AuditEvent:
    return new_event(
        tenant=c.owner,
        entity_type=ENTITY_CAMPAIGN,
        entity_id=c.id,
        action=action,
        summary=summary,
        actor=actor,
        at=now,
        after={k: v for k, v in campaign_to_dict(c).items() if k in ("status", "checked", "flagged", "sites")},
    )


def _finding_event(
    f: Finding, action: str, summary: str, actor: Mapping[str, str], now: datetime, before: Finding | None = None
) -> AuditEvent:
    def brief(x: Finding) -> dict[str, Any]:
        return {
            "status": x.status.value,
            "correct_by": x.correct_by,
            "outcome": x.outcome,
            "credit_entry": x.credit_entry,
        }

    return new_event(
        tenant=f.site_id,
        entity_type=ENTITY_FINDING,
        entity_id=f.id,
        action=action,
        summary=summary,
        actor=actor,
        at=now,
        before=brief(before) if before else None,
        after=brief(f) | {"listing_id": f.listing_id, "supplier_uscc": f.supplier_uscc, "campaign_id": f.campaign_id},
    )


# ---------------------------------------------------------------- (de)serialisation


def campaign_to_dict(c: Campaign) -> dict[str, Any]:
    return c._asdict() | {
        "status": c.status.value,
        "checks": [x.value for x in c.checks],
        "sites": list(c.sites),
        "catalog_codes": list(c.catalog_codes),
        "price_notice": c.price_notice._asdict() if c.price_notice else None,
    }


def campaign_from_dict(raw: Mapping[str, Any]) -> Campaign:
    notice = raw.get("price_notice")
    return Campaign(
        price_notice=PriceNotice(**notice) if notice else None,
        **{k: raw[k] for k in ("id", "owner", "title", "created_by", "created_at", "updated_at")},
        sites=tuple(raw["sites"]),
        catalog_codes=tuple(raw["catalog_codes"]),
        checks=tuple(Check(x) for x in raw["checks"]),
        correction_days=int(raw["correction_days"]),
        status=CampaignStatus(raw["status"]),
        checked=int(raw["checked"]),
        flagged=int(raw["flagged"]),
        version=int(raw["version"]),
    )


def _problems_to_list(problems: Iterable[Problem]) -> list[dict[str, str]]:
    return [{"check": p.check.value, "message": p.message} for p in problems]


def _problems_from_list(raw: Iterable[Mapping[str, str]]) -> tuple[Problem, ...]:
    return tuple(Problem(Check(p["check"]), str(p["message"])) for p in raw)


def flag_to_dict(f: Flag) -> dict[str, Any]:
    return f._asdict() | {"problems": _problems_to_list(f.problems)}


def flag_from_dict(raw: Mapping[str, Any]) -> Flag:
    plain = {k: raw[k] for k in Flag._fields if k not in ("problems", "price_fen")}
    return Flag(**plain, price_fen=int(raw["price_fen"]), problems=_problems_from_list(raw["problems"]))


def finding_to_dict(f: Finding) -> dict[str, Any]:
    return f._asdict() | {
        "problems": _problems_to_list(f.problems),
        "evidence": {"text": f.evidence.text, "attachments": list(f.evidence.attachments)},
        "status": f.status.value,
        "correction": f.correction._asdict() if f.correction else None,
    }


def finding_from_dict(raw: Mapping[str, Any]) -> Finding:
    plain = (
        "id",
        "campaign_id",
        "site_id",
        "listing_id",
        "listing_name",
        "supplier_uscc",
        "supplier_name",
        "correct_by",
        "outcome",
        "credit_entry",
        "created_by",
        "created_at",
        "updated_at",
    )
    correction = raw.get("correction")
    return Finding(
        price_ceiling_fen=int(raw.get("price_ceiling_fen", 0)),
        **{k: raw[k] for k in plain},
        problems=_problems_from_list(raw["problems"]),
        evidence=Evidence(str(raw["evidence"]["text"]), tuple(raw["evidence"].get("attachments", ()))),
        status=FindingStatus(raw["status"]),
        correction=Correction(**correction) if correction else None,
        version=int(raw["version"]),
    )
