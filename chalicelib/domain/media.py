"""Product images (商品主图与详情图): what a supplier may upload, and what the mall keeps and shows of it.

An image goes up by presigned POST into the uploads bucket (type and size fixed by the policy), then:

1. the API confirms it: the object's first bytes must be the signature of the declared type (a PDF or a
   script renamed .jpg is refused and deleted), its size within the limit; it is recorded as pending;
2. a queued consumer decodes it (Pillow), re-encodes it as JPEG without its metadata (no EXIF, no GPS, no
   polyglot trailer) at most MAIN_EDGE px on its long edge, makes a THUMB_EDGE px thumbnail, writes both
   under media/ (served by the web distribution) and marks it ready, or rejected when it cannot be decoded.

A listing names its images by upload key; only ready images of its own supplier and site are accepted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from typing import NamedTuple, Protocol

from chalicelib.domain.errors import InvalidInput

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MIN_EDGE = 200  # px: smaller pictures show nothing a buyer can judge
MAIN_EDGE = 1200
THUMB_EDGE = 320
IMAGE_ID_PATTERN = re.compile(r"^[0-9a-f]{32}$")
UPLOAD_KEY_PATTERN = re.compile(r"^listing-images/(?P<site>[a-z]{2,20})/(?P<uscc>[0-9A-Z]{18})/(?P<id>[0-9a-f]{32})$")

# The first bytes of each accepted type (RFC 2083 PNG, JPEG SOI + marker, RIFF....WEBP).
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}
SNIFF_BYTES = 16


class ImageStatus(StrEnum):
    PENDING = "pending"
    READY = "ready"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return {"pending": "处理中", "ready": "可用", "rejected": "不可用"}[self.value]


class ListingImage(NamedTuple):
    site_id: str
    uscc: str
    image_id: str
    file_name: str
    content_type: str
    size: int
    status: ImageStatus
    reason: str = ""
    width: int = 0
    height: int = 0
    uploaded_at: str = ""

    @property
    def upload_key(self) -> str:
        return upload_key(self.site_id, self.uscc, self.image_id)

    @property
    def main_key(self) -> str:
        return main_key(self.upload_key)

    @property
    def thumb_key(self) -> str:
        return thumb_key(self.upload_key)


def upload_key(site_id: str, uscc: str, image_id: str) -> str:
    return f"listing-images/{site_id}/{uscc}/{image_id}"


def main_key(key: str) -> str:
    """The processed picture of an upload key, in the media bucket."""
    return f"media/{key}.jpg"


def thumb_key(key: str) -> str:
    return f"media/thumbs/{key.removeprefix('listing-images/')}.jpg"


def sniffed_type(head: bytes) -> str | None:
    """The image type the bytes are, by signature; None for anything else."""
    for content_type, signatures in _SIGNATURES.items():
        if any(head.startswith(s) for s in signatures):
            return content_type
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def check_upload(declared_type: str, size: int, head: bytes) -> None:
    """Refuse an upload that is not the image it claims to be, or too large."""
    actual = sniffed_type(head)
    if actual is None:
        raise InvalidInput(
            "上传的文件不是图片，请上传 JPG、PNG 或 WebP 格式的图片",
            code="IMAGE_NOT_IMAGE",
            details=[{"field": "file", "message": "不是 JPG、PNG 或 WebP 图片"}],
        )
    if actual != declared_type:
        raise InvalidInput(
            "图片内容与声明的类型不符，请重新选择图片上传",
            code="IMAGE_TYPE_MISMATCH",
            details=[{"field": "content_type", "message": "与文件内容不符"}],
        )
    if size > MAX_IMAGE_BYTES:
        raise InvalidInput(
            f"图片过大，单张不超过 {MAX_IMAGE_BYTES // 1024 // 1024} MB",
            code="IMAGE_TOO_LARGE",
            details=[{"field": "size", "message": f"不超过 {MAX_IMAGE_BYTES // 1024 // 1024} MB"}],
        )


def fitted(width: int, height: int, edge: int) -> tuple[int, int]:
    """The size within `edge` on the long side, keeping the proportions (never enlarged)."""
    longest = max(width, height)
    if longest <= edge:
        return width, height
    scale = edge / longest
    return max(1, round(width * scale)), max(1, round(height * scale))


def decode_problem(width: int, height: int) -> str:
    """Why a decoded picture is refused ("" when it is fine)."""
    if min(width, height) < MIN_EDGE:
        return f"图片尺寸过小（{width}×{height} 像素），短边至少 {MIN_EDGE} 像素"
    if max(width, height) > 12 * min(width, height):
        return "图片长宽比例过于悬殊"
    return ""


class ImageStore(Protocol):
    def get_many(self, site_id: str, uscc: str, image_ids: Iterable[str]) -> dict[str, ListingImage]: ...


def require_ready(store: ImageStore, site_id: str, uscc: str, keys: Iterable[str]) -> None:
    """A listing shows only its own supplier's processed images of its site."""
    keys = list(keys)
    problems: list[dict[str, str]] = []
    ids: dict[str, str] = {}
    for index, key in enumerate(keys):
        match = UPLOAD_KEY_PATTERN.match(key)
        if match is None or match["site"] != site_id or match["uscc"] != uscc:
            problems.append({"field": f"images.{index}", "message": "图片须先通过上传接口上传"})
        else:
            ids[match["id"]] = f"images.{index}"
    found = store.get_many(site_id, uscc, ids) if ids else {}
    for image_id, field in ids.items():
        image = found.get(image_id)
        if image is None:
            problems.append({"field": field, "message": "图片未上传完成，请重新上传"})
        elif image.status is ImageStatus.PENDING:
            problems.append({"field": field, "message": "图片仍在处理中，请稍候再提交"})
        elif image.status is ImageStatus.REJECTED:
            problems.append({"field": field, "message": f"图片不可用：{image.reason}"})
    if problems:
        raise InvalidInput(
            "商品图片有误：" + "；".join(dict.fromkeys(p["message"] for p in problems)),
            code="IMAGE_NOT_READY",
            details=problems,
        )
