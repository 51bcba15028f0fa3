"""Suppliers in the main table (province-wide keys), and their Cognito accounts."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from chalicelib.config import get_settings
from chalicelib.domain.audit import AuditEvent
from chalicelib.domain.errors import Conflict, InvalidInput
from chalicelib.domain.principals import PROVINCE_SCOPE, Role
from chalicelib.domain.suppliers import Rating, Supplier, SupplierStatus, supplier_from_dict, supplier_to_dict
from chalicelib.store import keys
from chalicelib.store.aws import client
from chalicelib.store.documents import fields_of, stamped
from chalicelib.store.models import SupplierItem
from chalicelib.store.paging import decode_cursor, encode_cursor
from chalicelib.store.tx import AuditedWrite

_VERSION_CONFLICT = Conflict("供应商信息已被他人修改，请刷新后重试", code="VERSION_CONFLICT")


def supplier_pk(uscc: str) -> str:
    return keys.supplier(uscc)


def supplier_item(supplier: Supplier) -> SupplierItem:
    due = supplier.next_due
    return SupplierItem(
        pk=supplier_pk(supplier.uscc),
        sk="PROFILE",
        gsi1pk=keys.suppliers_by_status(supplier.status.value),
        gsi1sk=keys.sorted_by(supplier.updated_at, supplier.uscc),
        # Only suspensions with an end date (province-wide or in a site) sit on the due index, at the earliest.
        gsi2pk=keys.suspensions_due() if due else None,
        gsi2sk=keys.sorted_by(due, supplier.uscc) if due else None,
        # Only while a change awaits review: the review queue of changes.
        gsi3pk=keys.supplier_changes() if supplier.pending_change else None,
        gsi3sk=keys.sorted_by(supplier.pending_change.requested_at, supplier.uscc) if supplier.pending_change else None,
        uscc=supplier.uscc,
        status=supplier.status.value,
        version=supplier.version,
        data=stamped("supplier", supplier_to_dict(supplier)),
        rating_votes=supplier.rating.votes,
        rating_stars=supplier.rating.stars,
        # Orders check "not suspended in this site" in their transaction: a set, outside the JSON document.
        suspended_sites={x.site_id for x in supplier.site_suspensions} or None,
    )


def supplier_from_item(item: SupplierItem) -> Supplier:
    """The document, with the ratings orders have added taken as they stand."""
    return supplier_from_dict(fields_of("supplier", item.data))._replace(
        rating=Rating(int(item.rating_votes), int(item.rating_stars)), version=int(item.version)
    )


def supplier_from_image(image: dict[str, Any]) -> Supplier:
    """A supplier from a stream record's (deserialised) image."""
    supplier = supplier_from_dict(fields_of("supplier", json.loads(image["data"])))
    votes, stars = int(image.get("rating_votes", 0)), int(image.get("rating_stars", 0))
    return supplier._replace(rating=Rating(votes, stars), version=int(image.get("version", supplier.version)))


class DynamoSupplierStore:
    """Implements domain.suppliers.SupplierStore."""

    def get(self, uscc: str) -> Supplier | None:
        try:
            item = SupplierItem.get(supplier_pk(uscc), "PROFILE")
        except SupplierItem.DoesNotExist:
            return None
        return supplier_from_item(item)

    def get_many(self, codes: list[str]) -> dict[str, Supplier]:
        """One BatchGetItem for up to 100 suppliers."""
        keys = [(supplier_pk(c), "PROFILE") for c in dict.fromkeys(codes)]
        return {i.uscc: supplier_from_item(i) for i in SupplierItem.batch_get(keys) if isinstance(i, SupplierItem)}

    def create(self, supplier: Supplier, audit: AuditEvent, also: tuple[AuditEvent, ...] = ()) -> None:
        write = AuditedWrite(audit, also)
        write.put(
            supplier_item(supplier),
            SupplierItem.pk.does_not_exist(),
            Conflict(f"统一社会信用代码 {supplier.uscc} 的供应商已注册", code="SUPPLIER_EXISTS"),
        )
        write.commit()

    def with_changes(self, limit: int, cursor: str | None) -> tuple[list[Supplier], str | None]:
        """Registered suppliers whose changes await review, oldest request first."""
        start = decode_cursor(cursor, {"gsi3pk": keys.supplier_changes()})
        result = SupplierItem.gsi3.query(keys.supplier_changes(), limit=limit, last_evaluated_key=start)
        found = [supplier_from_item(i) for i in result if isinstance(i, SupplierItem)]
        return found, encode_cursor(result.last_evaluated_key)

    def save(
        self, supplier: Supplier, expected_version: int, audit: AuditEvent, also: tuple[AuditEvent, ...] = ()
    ) -> None:
        write = AuditedWrite(audit, also)
        write.put(supplier_item(supplier), SupplierItem.version == expected_version, _VERSION_CONFLICT)
        write.commit()

    def by_status(self, status: SupplierStatus, limit: int, cursor: str | None) -> tuple[list[Supplier], str | None]:
        partition = keys.suppliers_by_status(status.value)
        start = decode_cursor(cursor, {"gsi1pk": partition})
        result = SupplierItem.gsi1.query(partition, scan_index_forward=False, limit=limit, last_evaluated_key=start)
        found = [supplier_from_item(i) for i in result if isinstance(i, SupplierItem)]
        return found, encode_cursor(result.last_evaluated_key)

    def trading_sites(self, uscc: str) -> list[str]:
        from chalicelib.store.models import ListingItem

        partition = keys.supplier_listings(uscc)
        sites = {str(i.gsi1sk).split("#", 1)[0] for i in ListingItem.gsi1.query(partition) if i.gsi1sk}
        return sorted(sites)

    def home_site(self, district: str) -> str | None:
        from chalicelib.store.sites import DynamoSiteStore

        city = district[:4]
        return next((s.id for s in DynamoSiteStore().list_sites() if s.division_code[:4] == city), None)

    def due_reinstatements(self, now_iso: str) -> list[Supplier]:
        items = SupplierItem.gsi2.query(keys.suspensions_due(), SupplierItem.gsi2sk <= f"{now_iso}#~")
        return [supplier_from_item(i) for i in items if isinstance(i, SupplierItem)]


class CognitoSupplierAccounts:
    """Creates the login of a newly registered supplier (AllowAdminCreateUserOnly: the app does it)."""

    def create(self, username: str, password: str, name: str, uscc: str, org_name: str, district: str) -> None:
        idp = client("cognito-idp")
        pool = get_settings().user_pool_id
        try:
            idp.admin_create_user(
                UserPoolId=pool,
                Username=username,
                MessageAction="SUPPRESS",
                UserAttributes=[
                    {"Name": "name", "Value": name},
                    {"Name": "custom:tenant", "Value": PROVINCE_SCOPE},
                    {"Name": "custom:org_id", "Value": uscc},
                    {"Name": "custom:org_name", "Value": org_name},
                    {"Name": "custom:district", "Value": district},
                ],
            )
        except idp.exceptions.UsernameExistsException as exc:
            raise Conflict(f"用户名 {username} 已被使用", code="USERNAME_TAKEN") from exc
        except idp.exceptions.InvalidParameterException as exc:
            raise InvalidInput(
                "用户名格式不正确", code="VALIDATION_FAILED", details=[{"field": "username", "message": "格式不正确"}]
            ) from exc
        try:
            idp.admin_set_user_password(UserPoolId=pool, Username=username, Password=password, Permanent=True)
            idp.admin_add_user_to_group(UserPoolId=pool, Username=username, GroupName=Role.SUPPLIER.value)
        except idp.exceptions.InvalidPasswordException as exc:
            self.delete(username)
            raise InvalidInput(
                "密码强度不够：至少 10 位，须含大写字母、小写字母和数字",
                code="WEAK_PASSWORD",
                details=[{"field": "password", "message": "至少 10 位，须含大写字母、小写字母和数字"}],
            ) from exc
        except Exception:
            self.delete(username)
            raise

    def delete(self, username: str) -> None:
        idp = client("cognito-idp")
        with contextlib.suppress(idp.exceptions.UserNotFoundException):
            idp.admin_delete_user(UserPoolId=get_settings().user_pool_id, Username=username)
