"""Compiled reports in the reports bucket, and the signed links finance bureaus download them by.

Each compilation writes its files under its own prefix,
`reports/{scope}/{period}/{compile_id}/`, and only then is it entered in the
report index: a compilation that fails part-way leaves the previous one current.
"""

from __future__ import annotations

from chalicelib.config import get_settings
from chalicelib.store.aws import client


class S3ReportFiles:
    """Implements domain.report_compiler.ReportFiles."""

    def put(self, key: str, body: bytes, content_type: str) -> None:
        client("s3").put_object(Bucket=get_settings().reports_bucket, Key=key, Body=body, ContentType=content_type)

    def link(self, key: str, file_name: str, inline: bool = False) -> str:
        from chalicelib.store.uploads import signed_link

        return signed_link(get_settings().reports_bucket, key, file_name, inline=inline)
