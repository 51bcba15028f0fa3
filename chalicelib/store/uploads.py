"""Files uploaded straight from the browser to S3 by presigned POST.

The POST policy fixes the key, the content type and a size range; the kind
and file name travel as object metadata, so confirming an upload needs only
the object itself (HeadObject), not a record of the pending upload.
"""

from __future__ import annotations

import urllib.parse
from typing import Any, NamedTuple

from chalicelib.config import get_settings
from chalicelib.store.aws import client

UPLOAD_EXPIRES_SECONDS = 900
DOWNLOAD_EXPIRES_SECONDS = 300


class UploadedObject(NamedTuple):
    key: str
    size: int
    content_type: str
    metadata: dict[str, str]


def presigned_post(key: str, content_type: str, max_bytes: int, metadata: dict[str, str]) -> dict[str, Any]:
    bucket = get_settings().uploads_bucket
    # S3 user metadata is ASCII: Chinese file names travel percent-encoded.
    meta = {f"x-amz-meta-{k}": urllib.parse.quote(v, safe="") for k, v in metadata.items()}
    fields = {"Content-Type": content_type, **meta}
    conditions: list[Any] = [
        {"Content-Type": content_type},
        ["content-length-range", 1, max_bytes],
        *({k: v} for k, v in meta.items()),
    ]
    post = client("s3").generate_presigned_post(
        Bucket=bucket, Key=key, Fields=fields, Conditions=conditions, ExpiresIn=UPLOAD_EXPIRES_SECONDS
    )
    return {"url": post["url"], "fields": post["fields"]}


def uploaded(key: str) -> UploadedObject | None:
    """The uploaded object's size, type and metadata; None when nothing is there."""
    s3 = client("s3")
    try:
        head = s3.head_object(Bucket=get_settings().uploads_bucket, Key=key)
    except s3.exceptions.ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    metadata = {k: urllib.parse.unquote(v) for k, v in head.get("Metadata", {}).items()}
    return UploadedObject(
        key=key, size=int(head["ContentLength"]), content_type=head.get("ContentType", ""), metadata=metadata
    )


def download_url(key: str, file_name: str) -> str:
    return signed_link(get_settings().uploads_bucket, key, file_name, inline=False)


def signed_link(bucket: str, key: str, file_name: str, inline: bool, expires_s: int = DOWNLOAD_EXPIRES_SECONDS) -> str:
    """A short-lived GET link that names the file (Chinese names percent-encoded, RFC 6266)."""
    disposition = f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{urllib.parse.quote(file_name)}"
    url: str = client("s3").generate_presigned_url(
        "get_object",
        Params={"Bucket": bucket, "Key": key, "ResponseContentDisposition": disposition},
        ExpiresIn=expires_s,
    )
    return url
