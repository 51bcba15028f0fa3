"""Framework agreements in the main table (the province's), and each site's 顺序轮候 turns.

pk shandong#AGREEMENT#{number}  sk AGREEMENT            the agreement; gsi1 shandong#AGREEMENTS by end date
pk {site}#AGREEMENT#{number}    sk ROTATION#{code}      turns taken of one catalog code in one site

The province holds tens of agreements at a time: listing them is one Query of the index.
"""

from __future__ import annotations

from chalicelib.domain.audit import AuditEvent
from chalicelib.domain.errors import Conflict
from chalicelib.domain.frameworks import Agreement, agreement_from_dict, agreement_to_dict
from chalicelib.store import keys
from chalicelib.store.models import AgreementItem, RotationItem
from chalicelib.store.nonces import remember_nonce
from chalicelib.store.tx import AuditedWrite

SK = "AGREEMENT"


def _item(a: Agreement) -> AgreementItem:
    return AgreementItem(
        pk=keys.agreement(a.number),
        sk=SK,
        gsi1pk=keys.agreements(),
        gsi1sk=keys.sorted_by(a.valid_to, a.number),
        status=a.status.value,
        version=a.version,
        data=agreement_to_dict(a),
    )


def rotation_sk(catalog_code: str) -> str:
    return f"ROTATION#{catalog_code}"


class DynamoAgreementStore:
    """Implements domain.frameworks.AgreementStore, and reads a site's rotation turns."""

    def get(self, number: str) -> Agreement | None:
        try:
            item = AgreementItem.get(keys.agreement(number), SK)
        except AgreementItem.DoesNotExist:
            return None
        return agreement_from_dict(item.data) if isinstance(item, AgreementItem) else None

    def all(self) -> list[Agreement]:
        found = AgreementItem.gsi1.query(keys.agreements(), scan_index_forward=False)
        return [agreement_from_dict(i.data) for i in found if isinstance(i, AgreementItem)]

    def create(self, agreement: Agreement, audit: AuditEvent, nonce: tuple[str, int] | None = None) -> None:
        write = AuditedWrite(audit)
        write.put(
            _item(agreement),
            AgreementItem.pk.does_not_exist(),
            Conflict(f"框架协议 {agreement.number} 已存在", code="AGREEMENT_EXISTS"),
        )
        remember_nonce(write, nonce)
        write.commit()

    def save(
        self, agreement: Agreement, expected_version: int, audit: AuditEvent, nonce: tuple[str, int] | None = None
    ) -> None:
        write = AuditedWrite(audit)
        write.put(
            _item(agreement),
            AgreementItem.version == expected_version,
            Conflict("框架协议已被他人修改，请刷新后重试", code="AGREEMENT_CHANGED"),
        )
        remember_nonce(write, nonce)
        write.commit()

    def turns(self, site_id: str, number: str) -> dict[str, int]:
        """Turns taken in the site, per catalog code: one Query of the site's rotation partition."""
        return {
            item.sk.removeprefix("ROTATION#"): int(item.turns)
            for item in RotationItem.query(keys.rotation(site_id, number))
            if isinstance(item, RotationItem)
        }
