"""Supervision in the main table: inspection campaigns with their flags and findings, and the credit record.

    shandong#INSPECTION#{id}   CAMPAIGN · FLAG#{site}#{listing} · FINDING#{id} · GUARD#{site}#{listing}
    shandong#CREDIT#{uscc}     ENTRY#{id}: a supplier's record, one Query for its standing
    shandong#CREDIT_RULES      TABLE

Campaigns are the province's items even when a city opens one: the province's inspections span sites, and the
findings carry their site (a site's queue is GSI2 {site}#FINDINGS, tenant-keyed).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from chalicelib.domain import credit, inspections
from chalicelib.domain.audit import AuditEvent
from chalicelib.domain.errors import Conflict
from chalicelib.domain.listings import delist_for_inspection
from chalicelib.domain.suppliers import Supplier
from chalicelib.store import keys
from chalicelib.store.models import (
    CreditEntryItem,
    CreditRulesItem,
    FindingGuardItem,
    FindingItem,
    FlagItem,
    InspectionItem,
    MainItem,
)
from chalicelib.store.reference import REFERENCE_DIR
from chalicelib.store.tx import AuditedWrite

_CAMPAIGN = "CAMPAIGN"
_FINDING_CHANGED = Conflict("该问题已被他人处理，请刷新后重试", code="FINDING_CHANGED")


def _campaign_item(c: inspections.Campaign) -> InspectionItem:
    return InspectionItem(
        pk=keys.inspection(c.id),
        sk=_CAMPAIGN,
        gsi1pk=keys.inspections(),
        gsi1sk=keys.sorted_by(c.created_at, c.id),
        status=c.status.value,
        version=c.version,
        data=inspections.campaign_to_dict(c),
    )


def _finding_item(f: inspections.Finding) -> FindingItem:
    return FindingItem(
        pk=keys.inspection(f.campaign_id),
        sk=f"FINDING#{f.id}",
        gsi1pk=keys.supplier_findings(f.supplier_uscc),
        gsi1sk=keys.sorted_by(f.created_at, f.id),
        gsi2pk=keys.site_findings(f.site_id),
        gsi2sk=keys.sorted_by(f.created_at, f.id),
        status=f.status.value,
        version=f.version,
        data=inspections.finding_to_dict(f),
    )


class DynamoInspectionStore:
    """Implements domain.inspections.InspectionStore."""

    def get(self, campaign_id: str) -> inspections.Campaign | None:
        try:
            item = InspectionItem.get(keys.inspection(campaign_id), _CAMPAIGN)
        except InspectionItem.DoesNotExist:
            return None
        return inspections.campaign_from_dict(item.data)

    def campaigns(self) -> list[inspections.Campaign]:
        found = InspectionItem.gsi1.query(keys.inspections(), scan_index_forward=False, limit=200)
        return [inspections.campaign_from_dict(i.data) for i in found if isinstance(i, InspectionItem)]

    def create(self, campaign: inspections.Campaign, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(
            _campaign_item(campaign),
            InspectionItem.pk.does_not_exist(),
            Conflict("巡检编号冲突，请重试", code="INSPECTION_EXISTS"),
        )
        write.commit()

    def prechecked(
        self, campaign: inspections.Campaign, flags: list[inspections.Flag], expected_version: int, audit: AuditEvent
    ) -> None:
        # Flags first (a repeat writes the same items again), then the campaign under its version: a second run
        # of the pre-check finds the campaign open and writes nothing.
        with MainItem.batch_write() as batch:
            for f in flags:
                batch.save(
                    FlagItem(
                        pk=keys.inspection(f.campaign_id),
                        sk=f"FLAG#{f.site_id}#{f.listing_id}",
                        data=inspections.flag_to_dict(f),
                    )
                )
        write = AuditedWrite(audit)
        write.put(
            _campaign_item(campaign),
            InspectionItem.version == expected_version,
            Conflict("巡检已被他人修改，请刷新后重试", code="INSPECTION_CHANGED"),
        )
        write.commit()

    def contents(
        self, campaign_id: str, site_id: str | None
    ) -> tuple[list[inspections.Flag], list[inspections.Finding]]:
        """One Query of the campaign's partition: its flags and findings (of one site, or all)."""
        flags: list[inspections.Flag] = []
        findings: list[inspections.Finding] = []
        for item in MainItem.query(keys.inspection(campaign_id)):
            if isinstance(item, FlagItem):
                flag = inspections.flag_from_dict(item.data)
                if site_id is None or flag.site_id == site_id:
                    flags.append(flag)
            elif isinstance(item, FindingItem):
                finding = inspections.finding_from_dict(item.data)
                if site_id is None or finding.site_id == site_id:
                    findings.append(finding)
        findings.sort(key=lambda f: f.created_at, reverse=True)
        return flags, findings

    def finding(self, campaign_id: str, finding_id: str) -> inspections.Finding | None:
        try:
            item = FindingItem.get(keys.inspection(campaign_id), f"FINDING#{finding_id}")
        except FindingItem.DoesNotExist:
            return None
        return inspections.finding_from_dict(item.data)

    def add_finding(self, finding: inspections.Finding, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        guard = FindingGuardItem(
            pk=keys.inspection(finding.campaign_id),
            sk=f"GUARD#{finding.site_id}#{finding.listing_id}",
            finding_id=finding.id,
        )
        write.put(
            guard,
            FindingGuardItem.pk.does_not_exist(),
            Conflict("本次巡检已登记过该商品的问题", code="FINDING_EXISTS"),
        )
        write.put(_finding_item(finding), FindingItem.pk.does_not_exist(), _FINDING_CHANGED)
        write.commit()

    def save_finding(self, finding: inspections.Finding, expected_version: int, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(_finding_item(finding), FindingItem.version == expected_version, _FINDING_CHANGED)
        write.commit()

    def findings_of_supplier(self, uscc: str) -> list[inspections.Finding]:
        found = FindingItem.gsi1.query(keys.supplier_findings(uscc), scan_index_forward=False, limit=200)
        return [inspections.finding_from_dict(i.data) for i in found if isinstance(i, FindingItem)]

    def findings_of_site(self, site_id: str) -> list[inspections.Finding]:
        found = FindingItem.gsi2.query(keys.site_findings(site_id), scan_index_forward=False, limit=200)
        return [inspections.finding_from_dict(i.data) for i in found if isinstance(i, FindingItem)]


class StoreDelister:
    """Implements domain.inspections.ListingDelister over the listing store (audited in the listing's site)."""

    def delist(self, site_id: str, listing_id: str, reason: str, actor: Mapping[str, str], now: datetime) -> bool:
        from chalicelib.wiring import stores

        listing = stores().listings.get(site_id, listing_id)
        if listing is None:
            return False
        return delist_for_inspection(stores().listings, listing, reason, dict(actor), now) is not None


# ---------------------------------------------------------------- the credit record


def credit_entry_item(e: credit.CreditEntry) -> CreditEntryItem:
    notice = e.published
    return CreditEntryItem(
        pk=keys.credit_record(e.supplier_uscc),
        sk=f"ENTRY#{e.id}",
        gsi1pk=keys.credit_entries(e.site_id),
        gsi1sk=keys.sorted_by(e.created_at, e.id),
        gsi2pk=keys.credit_notices(e.site_id) if notice else None,
        gsi2sk=keys.sorted_by(e.updated_at, e.id) if notice else None,
        status=e.status.value,
        version=e.version,
        data=credit.entry_to_dict(e),
    )


_ENTRY_CHANGED = Conflict("该信用记录已被他人修改，请刷新后重试", code="CREDIT_ENTRY_CHANGED")


def default_rules() -> credit.RuleTable:
    """The table a fresh province starts with (chalicelib/data/reference/credit_rules.toml)."""
    with open(REFERENCE_DIR / "credit_rules.toml", "rb") as f:
        raw: dict[str, Any] = tomllib.load(f)
    return credit.rules_from_dict(raw)


class DynamoCreditStore:
    """Implements domain.credit.CreditStore."""

    def rules(self) -> credit.RuleTable:
        try:
            item = CreditRulesItem.get(keys.credit_rules(), "TABLE")
        except CreditRulesItem.DoesNotExist:
            return default_rules()._replace(version=0)
        return credit.rules_from_dict(item.data)

    def save_rules(self, table: credit.RuleTable, expected_version: int, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        condition = CreditRulesItem.pk.does_not_exist() if expected_version == 0 else None
        item = CreditRulesItem(
            pk=keys.credit_rules(), sk="TABLE", version=table.version, data=credit.rules_to_dict(table)
        )
        write.put(
            item,
            condition if condition is not None else CreditRulesItem.version == expected_version,
            Conflict("信用规则已被他人修订，请刷新后重试", code="RULES_CHANGED"),
        )
        write.commit()

    def get(self, uscc: str, entry_id: str) -> credit.CreditEntry | None:
        try:
            item = CreditEntryItem.get(keys.credit_record(uscc), f"ENTRY#{entry_id}")
        except CreditEntryItem.DoesNotExist:
            return None
        return credit.entry_from_dict(item.data)

    def record_of(self, uscc: str) -> list[credit.CreditEntry]:
        found = CreditEntryItem.query(keys.credit_record(uscc), CreditEntryItem.sk.startswith("ENTRY#"))
        entries = [credit.entry_from_dict(i.data) for i in found if isinstance(i, CreditEntryItem)]
        return sorted(entries, key=lambda e: e.created_at, reverse=True)

    def of_scope(self, scope: str) -> list[credit.CreditEntry]:
        found = CreditEntryItem.gsi1.query(keys.credit_entries(scope), scan_index_forward=False, limit=200)
        return [credit.entry_from_dict(i.data) for i in found if isinstance(i, CreditEntryItem)]

    def notices(self, site_id: str) -> list[credit.CreditEntry]:
        found = CreditEntryItem.gsi2.query(keys.credit_notices(site_id), scan_index_forward=False, limit=100)
        return [credit.entry_from_dict(i.data) for i in found if isinstance(i, CreditEntryItem)]

    def create(self, entry: credit.CreditEntry, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(credit_entry_item(entry), CreditEntryItem.pk.does_not_exist(), _ENTRY_CHANGED)
        write.commit()

    def save(self, entry: credit.CreditEntry, expected_version: int, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(credit_entry_item(entry), CreditEntryItem.version == expected_version, _ENTRY_CHANGED)
        write.commit()

    def decide(
        self,
        entry: credit.CreditEntry,
        expected_version: int,
        audit: AuditEvent,
        supplier: tuple[Supplier, int] | None,
        also: tuple[AuditEvent, ...],
    ) -> None:
        from chalicelib.store.models import SupplierItem
        from chalicelib.store.suppliers import supplier_item

        write = AuditedWrite(audit, also)
        write.put(credit_entry_item(entry), CreditEntryItem.version == expected_version, _ENTRY_CHANGED)
        if supplier is not None:
            updated, version = supplier
            write.put(
                supplier_item(updated),
                SupplierItem.version == version,
                Conflict("供应商信息已被他人修改，请刷新后重试", code="VERSION_CONFLICT"),
            )
        write.commit()
