"""Stored documents carry a schema version; the API's views are built apart from them (handlers/views.py).

A stored document is the aggregate's fields as the codec writes them, plus
`schema_version`. Readers accept every version up to the code's own (older
ones read with defaults for what they lack: an order of version 1 is a 超市采购
/ 直购 from listings, a supplier of version 1 has no site suspensions) and refuse
a newer one loudly, rather than silently dropping fields it does not know:
that is what a rollback over newer data would otherwise do.
"""

from __future__ import annotations

from typing import Any

SCHEMA_VERSIONS = {
    "order": 3,  # 2: method, mechanism, source; lines say whether they track stock. 3: budget_fen, imported
    "supplier": 2,  # 2: site_suspensions
    "listing": 1,
    "plan": 1,
    "competition": 1,
}


class StoredDocumentTooNew(RuntimeError):
    """Data written by a newer release than this code: deploy that release again instead of reading on."""


def stamped(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {**fields, "schema_version": SCHEMA_VERSIONS[kind]}


def fields_of(kind: str, document: dict[str, Any]) -> dict[str, Any]:
    version = int(document.get("schema_version", 1))
    if version > SCHEMA_VERSIONS[kind]:
        raise StoredDocumentTooNew(
            f"{kind} document of schema {version}; this code reads up to {SCHEMA_VERSIONS[kind]}"
        )
    return {k: v for k, v in document.items() if k != "schema_version"}
