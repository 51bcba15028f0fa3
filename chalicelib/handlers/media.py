"""Product images after their upload: the API checks what arrived; a queued consumer makes what buyers see.

- POST /sites/{site}/listing-images/{id}/confirm: the upload must be the image it claims (first bytes), within
  the size limit; refused uploads are deleted; accepted ones are recorded as pending.
- GET  /sites/{site}/listing-images/{id}: its state (处理中 / 可用 / 不可用) and, once ready, its addresses.
- `process_listing_image`: the pending record, carried by the stream, decoded and re-encoded (Pillow, in the
  MediaLayer only) into media/ with its thumbnail; then ready, or rejected with the reason.
"""

from __future__ import annotations

import json
from typing import Any

from chalice.app import Blueprint

from chalicelib.domain.errors import DomainError, NotFound
from chalicelib.domain.media import IMAGE_ID_PATTERN, ImageStatus, ListingImage, check_upload, upload_key
from chalicelib.domain.principals import Role
from chalicelib.handlers.suppliers import principal_supplier
from chalicelib.http import RequestContext, api_route
from chalicelib.lambdas import Change, stream_consumer
from chalicelib.observability import logger

bp = Blueprint(__name__)

SUPPLIER = frozenset({Role.SUPPLIER})


def _image_id(value: str) -> str:
    if not IMAGE_ID_PATTERN.match(value):
        raise NotFound("图片不存在", code="IMAGE_NOT_FOUND")
    return value


def image_view(image: ListingImage) -> dict[str, Any]:
    from chalicelib.store.media import image_urls

    view: dict[str, Any] = {
        "image_id": image.image_id,
        "key": image.upload_key,
        "file_name": image.file_name,
        "status": image.status.value,
        "status_label": image.status.label,
        "reason": image.reason,
        "width": image.width,
        "height": image.height,
    }
    if image.status is ImageStatus.READY:
        view.update(image_urls(image.upload_key))
    return view


@api_route(
    bp,
    "/sites/{site_id}/listing-images/{image_id}/confirm",
    methods=("POST",),
    roles=SUPPLIER,
    response="catalog:ImageView",
)
def confirm_image(ctx: RequestContext, site_id: str, image_id: str) -> dict[str, Any]:
    from chalicelib.domain.clock import to_iso
    from chalicelib.store import media
    from chalicelib.store.uploads import uploaded

    supplier = principal_supplier(ctx.user)
    image_id = _image_id(image_id)
    found = media.DynamoImageStore().get(site_id, supplier.uscc, image_id)
    if found is not None:
        return image_view(found)  # confirming twice is harmless
    key = upload_key(site_id, supplier.uscc, image_id)
    arrived = uploaded(key)
    if arrived is None:
        raise NotFound("没有找到上传的图片，请重新上传", code="UPLOAD_NOT_FOUND")
    head = media.first_bytes(key)  # S3 failing here is passing (a 503): the upload stays for the retry
    try:
        check_upload(arrived.content_type, arrived.size, head)
    except DomainError:
        media.delete_upload(key)  # nothing of a refused upload stays
        raise
    image = ListingImage(
        site_id=site_id,
        uscc=supplier.uscc,
        image_id=image_id,
        file_name=arrived.metadata.get("file-name", "")[:120],
        content_type=arrived.content_type,
        size=arrived.size,
        status=ImageStatus.PENDING,
        uploaded_at=to_iso(ctx.now),
    )
    return image_view(media.DynamoImageStore().record(image))


@api_route(bp, "/sites/{site_id}/listing-images/{image_id}", roles=SUPPLIER, response="catalog:ImageView")
def image_state(ctx: RequestContext, site_id: str, image_id: str) -> dict[str, Any]:
    from chalicelib.store.media import DynamoImageStore

    supplier = principal_supplier(ctx.user)
    found = DynamoImageStore().get(site_id, supplier.uscc, _image_id(image_id))
    if found is None:
        raise NotFound("图片不存在", code="IMAGE_NOT_FOUND")
    return image_view(found)


@stream_consumer(
    "process_listing_image",
    table="MainTable",
    kinds=("listing_image",),
    needs=("MainTable:write", "UploadsBucket:read:listing-images/*", "MediaBucket:put:media/*"),
    queued=True,
    layers=("MediaLayer",),
    memory_mb=1024,
    timeout_s=120,
)
def process_listing_image(change: Change) -> None:
    """A pending upload becomes its main picture and thumbnail under media/; a replay redoes the same keys."""
    from chalicelib.store import media
    from chalicelib.store.pictures import Processed, process

    new = change.new or {}
    raw = new.get("data")
    data = json.loads(raw) if isinstance(raw, str) else dict(raw or {})
    if data.get("status") != ImageStatus.PENDING.value:
        return
    image = ListingImage(**{**data, "status": ImageStatus.PENDING})
    result = process(media.read_upload(image.upload_key))
    if isinstance(result, Processed):
        media.put_media(image.main_key, result.main)
        media.put_media(image.thumb_key, result.thumb)
        done = image._replace(status=ImageStatus.READY, width=result.width, height=result.height)
    else:
        logger.info("listing image refused", extra={"image": image.upload_key, "reason": result})
        done = image._replace(status=ImageStatus.REJECTED, reason=result)
    media.DynamoImageStore().save(done)
