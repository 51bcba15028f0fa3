"""Product images: their records in the main table, their bytes in the uploads and media buckets.

pk {site}#IMG#{uscc}  sk {image id}   one upload; status pending → ready | rejected (the stream carries the
                                      pending record to the image consumer)
"""

from __future__ import annotations

from collections.abc import Iterable

from pynamodb.exceptions import PutError

from chalicelib.config import get_settings
from chalicelib.domain.media import SNIFF_BYTES, ImageStatus, ListingImage, main_key, thumb_key
from chalicelib.store import keys
from chalicelib.store.aws import client
from chalicelib.store.models import ListingImageItem

# Processed images never change under their key: cached for a year by browsers and the distribution.
MEDIA_CACHE_CONTROL = "public, max-age=31536000, immutable"


def _pk(site_id: str, uscc: str) -> str:
    return keys.listing_images(site_id, uscc)


def _item(image: ListingImage) -> ListingImageItem:
    data = image._asdict()
    data["status"] = image.status.value
    return ListingImageItem(pk=_pk(image.site_id, image.uscc), sk=image.image_id, status=image.status.value, data=data)


def _image(item: ListingImageItem) -> ListingImage:
    data = dict(item.data)
    data["status"] = ImageStatus(data["status"])
    return ListingImage(**data)


class DynamoImageStore:
    """Implements domain.media's image records."""

    def record(self, image: ListingImage) -> ListingImage:
        """Records a confirmed upload once; confirming again returns what is recorded."""
        try:
            _item(image).save(condition=ListingImageItem.pk.does_not_exist())
        except PutError as exc:
            if exc.cause_response_code != "ConditionalCheckFailedException":
                raise
            found = self.get(image.site_id, image.uscc, image.image_id)
            assert found is not None
            return found
        return image

    def get(self, site_id: str, uscc: str, image_id: str) -> ListingImage | None:
        try:
            item = ListingImageItem.get(_pk(site_id, uscc), image_id)
        except ListingImageItem.DoesNotExist:
            return None
        return _image(item) if isinstance(item, ListingImageItem) else None

    def get_many(self, site_id: str, uscc: str, image_ids: Iterable[str]) -> dict[str, ListingImage]:
        keys = [(_pk(site_id, uscc), i) for i in dict.fromkeys(image_ids)]
        found = ListingImageItem.batch_get(keys) if keys else []
        return {i.sk: _image(i) for i in found if isinstance(i, ListingImageItem)}

    def save(self, image: ListingImage) -> None:
        _item(image).save()


# ---------------------------------------------------------------- bytes


def first_bytes(key: str) -> bytes:
    """The start of an upload, enough to tell its type (one ranged GET)."""
    found = client("s3").get_object(Bucket=get_settings().uploads_bucket, Key=key, Range=f"bytes=0-{SNIFF_BYTES - 1}")
    data: bytes = found["Body"].read()
    return data


def read_upload(key: str) -> bytes:
    data: bytes = client("s3").get_object(Bucket=get_settings().uploads_bucket, Key=key)["Body"].read()
    return data


def delete_upload(key: str) -> None:
    client("s3").delete_object(Bucket=get_settings().uploads_bucket, Key=key)


def put_media(key: str, body: bytes, content_type: str = "image/jpeg") -> None:
    client("s3").put_object(
        Bucket=get_settings().media_bucket,
        Key=key,
        Body=body,
        ContentType=content_type,
        CacheControl=MEDIA_CACHE_CONTROL,
    )


def media_url(key: str) -> str:
    """The address browsers fetch a media/ key at."""
    return f"{get_settings().media_base_url}/{key.removeprefix('media/')}"


def image_urls(upload_key: str) -> dict[str, str]:
    return {"key": upload_key, "url": media_url(main_key(upload_key)), "thumb_url": media_url(thumb_key(upload_key))}
