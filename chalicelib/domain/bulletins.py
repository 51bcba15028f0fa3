"""What a site's operator publishes on its front page (阳光采购: anyone may read it, without signing in).

Three kinds, as seed 000 §(五) describes them: 通知公告 (notices of the centre), 培训资料 (training material
such as the 政策小视频 on listing services) and 常见问题 (the FAQ knowledge base). Titles and bodies are
plain text: what an operator types is stored as typed and shown as text, never interpreted as markup, so a
``<script>`` in a notice is shown as those characters and runs nowhere.

A site publishes tens of these a year; the front page and its search read the newest ``READ_LIMIT``.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from chalicelib.domain.audit import AuditEvent, new_event
from chalicelib.domain.clock import CHINA_TZ, to_iso
from chalicelib.domain.errors import Conflict, InvalidInput, NotFound
from chalicelib.domain.principals import Principal
from chalicelib.domain.sites import SiteConfig

ENTITY_BULLETIN = "bulletin"
READ_LIMIT = 300
BULLETIN_ID_PATTERN = re.compile(r"^GG\d{14}[0-9a-f]{6}$")
# Links to training videos and documents leave the mall: only secure addresses, no javascript: or data:.
LINK_PATTERN = re.compile(r"^https://[A-Za-z0-9.-]+(:\d+)?(/[^\s<>\"']*)?$")


class BulletinKind(StrEnum):
    NOTICE = "notice"
    TRAINING = "training"
    FAQ = "faq"

    @property
    def label(self) -> str:
        return {"notice": "通知公告", "training": "培训资料", "faq": "常见问题"}[self.value]


class BulletinStatus(StrEnum):
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {"published": "已发布", "withdrawn": "已撤回"}[self.value]


MAX_FILES = 5
# What a bulletin may carry: the 政策小视频 (MP4), documents (PDF) and pictures; each checked by its first bytes.
FILE_TYPES: dict[str, int] = {
    "video/mp4": 200 * 1024 * 1024,
    "application/pdf": 20 * 1024 * 1024,
    "image/jpeg": 10 * 1024 * 1024,
    "image/png": 10 * 1024 * 1024,
}
FILE_ID_PATTERN = re.compile(r"^[0-9a-f]{32}$")


class BulletinFile(NamedTuple):
    file_id: str
    file_name: str
    content_type: str
    size: int
    key: str


def file_type_of(head: bytes) -> str | None:
    """The type a file's first bytes show: PDF, MP4 (an ISO media file: 'ftyp' at byte 4), JPEG or PNG."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "video/mp4"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


def check_file(declared_type: str, size: int, head: bytes) -> None:
    """An arrived attachment is what it claims to be, within its type's size."""
    actual = file_type_of(head)
    if actual is None or actual != declared_type:
        raise InvalidInput(
            "附件内容与类型不符：仅支持 MP4 视频、PDF 文件与 JPG/PNG 图片",
            code="FILE_TYPE_MISMATCH",
            details=[{"field": "files", "message": "文件内容与类型不符"}],
        )
    check_size(declared_type, size)


def check_size(declared_type: str, size: int) -> None:
    if size > FILE_TYPES[declared_type]:
        raise InvalidInput(
            f"附件过大：不超过 {FILE_TYPES[declared_type] // 1024 // 1024} MB",
            code="FILE_TOO_LARGE",
            details=[{"field": "files", "message": "文件过大"}],
        )


class BulletinDraft(NamedTuple):
    kind: BulletinKind
    title: str
    body: str
    pinned: bool = False
    link: str = ""
    files: tuple[BulletinFile, ...] = ()


class Bulletin(NamedTuple):
    site_id: str
    id: str
    kind: BulletinKind
    title: str
    body: str
    pinned: bool
    link: str
    status: BulletinStatus
    published_at: str
    updated_at: str
    author: str
    author_name: str
    version: int = 1
    files: tuple[BulletinFile, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "site_id": self.site_id,
            "id": self.id,
            "kind": self.kind.value,
            "kind_label": self.kind.label,
            "title": self.title,
            "body": self.body,
            "pinned": self.pinned,
            "link": self.link,
            "status": self.status.value,
            "status_label": self.status.label,
            "published_at": self.published_at,
            "updated_at": self.updated_at,
            "author": self.author,
            "author_name": self.author_name,
            "version": self.version,
            "files": [{k: v for k, v in f._asdict().items() if k != "key"} for f in self.files],
        }

    def summary_view(self, excerpt_chars: int = 80) -> dict[str, Any]:
        """For lists: the body cut to an excerpt."""
        view = self.to_dict()
        text = " ".join(self.body.split())
        view["excerpt"] = text if len(text) <= excerpt_chars else text[:excerpt_chars] + "…"
        del view["body"]
        return view


class BulletinStore(Protocol):
    def get(self, site_id: str, bulletin_id: str) -> Bulletin | None: ...

    def newest(self, site_id: str, limit: int) -> list[Bulletin]:
        """The site's bulletins, newest first, at most `limit`."""

    def create(self, bulletin: Bulletin, audit: AuditEvent) -> None: ...

    def save(self, bulletin: Bulletin, expected_version: int, audit: AuditEvent) -> None:
        """Raise Conflict(BULLETIN_CHANGED) when someone saved it in between."""


def _check_draft(draft: BulletinDraft) -> BulletinDraft:
    title = draft.title.strip()
    body = draft.body.strip()
    link = draft.link.strip()
    problems = []
    if len(title) < 4:
        problems.append({"field": "title", "message": "标题至少 4 个字"})
    if len(body) < 10:
        problems.append({"field": "body", "message": "正文至少 10 个字"})
    if link and not LINK_PATTERN.match(link):
        problems.append({"field": "link", "message": "链接须为 https:// 开头的网址"})
    if len(draft.files) > MAX_FILES:
        problems.append({"field": "files", "message": f"附件最多 {MAX_FILES} 个"})
    if problems:
        raise InvalidInput(
            "公告内容有误：" + "；".join(p["message"] for p in problems), code="VALIDATION_FAILED", details=problems
        )
    return draft._replace(title=title, body=body, link=link)


def new_bulletin_id(now: datetime) -> str:
    """Time-ordered (China time), so the store's sort key lists the newest first."""
    return f"GG{now.astimezone(CHINA_TZ):%Y%m%d%H%M%S}{uuid.uuid4().hex[:6]}"


def _event(bulletin: Bulletin, action: str, summary: str, actor: Principal, now: datetime, **kw: Any) -> AuditEvent:
    return new_event(
        tenant=bulletin.site_id,
        entity_type=ENTITY_BULLETIN,
        entity_id=bulletin.id,
        action=action,
        summary=summary,
        actor=actor.as_actor(),
        at=now,
        **kw,
    )


def publish(
    store: BulletinStore, site: SiteConfig, actor: Principal, draft: BulletinDraft, now: datetime, request_id: str = ""
) -> Bulletin:
    draft = _check_draft(draft)
    at = to_iso(now)
    bulletin = Bulletin(
        site_id=site.id,
        id=new_bulletin_id(now),
        kind=draft.kind,
        title=draft.title,
        body=draft.body,
        pinned=draft.pinned,
        link=draft.link,
        files=draft.files,
        status=BulletinStatus.PUBLISHED,
        published_at=at,
        updated_at=at,
        author=actor.username,
        author_name=actor.org_name or actor.display_name,
    )
    audit = _event(
        bulletin,
        "bulletin.published",
        f"发布{bulletin.kind.label}：{bulletin.title}",
        actor,
        now,
        after=_audited(bulletin),
        request_id=request_id,
    )
    store.create(bulletin, audit)
    return bulletin


def _audited(bulletin: Bulletin) -> dict[str, Any]:
    return {
        "kind": bulletin.kind.value,
        "title": bulletin.title,
        "body": bulletin.body,
        "pinned": bulletin.pinned,
        "link": bulletin.link,
        "status": bulletin.status.value,
        "files": [f.file_name for f in bulletin.files],
    }


def _require(store: BulletinStore, site_id: str, bulletin_id: str) -> Bulletin:
    found = store.get(site_id, bulletin_id) if BULLETIN_ID_PATTERN.match(bulletin_id) else None
    if found is None:
        raise NotFound("公告不存在", code="BULLETIN_NOT_FOUND")
    return found


def revise(
    store: BulletinStore,
    site_id: str,
    bulletin_id: str,
    actor: Principal,
    draft: BulletinDraft,
    expected_version: int,
    now: datetime,
    request_id: str = "",
) -> Bulletin:
    current = _require(store, site_id, bulletin_id)
    if current.status is BulletinStatus.WITHDRAWN:
        raise Conflict("公告已撤回，不能再修改", code="BULLETIN_WITHDRAWN")
    if current.version != expected_version:
        raise Conflict("公告已被他人修改，请刷新后重试", code="BULLETIN_CHANGED")
    draft = _check_draft(draft)
    updated = current._replace(
        kind=draft.kind,
        title=draft.title,
        body=draft.body,
        pinned=draft.pinned,
        link=draft.link,
        files=draft.files,
        updated_at=to_iso(now),
        version=current.version + 1,
    )
    audit = _event(
        updated,
        "bulletin.updated",
        f"修改{updated.kind.label}：{updated.title}",
        actor,
        now,
        before=_audited(current),
        after=_audited(updated),
        request_id=request_id,
    )
    store.save(updated, current.version, audit)
    return updated


def withdraw(
    store: BulletinStore, site_id: str, bulletin_id: str, actor: Principal, now: datetime, request_id: str = ""
) -> Bulletin:
    current = _require(store, site_id, bulletin_id)
    if current.status is BulletinStatus.WITHDRAWN:
        return current  # withdrawing twice changes nothing
    updated = current._replace(status=BulletinStatus.WITHDRAWN, updated_at=to_iso(now), version=current.version + 1)
    audit = _event(
        updated,
        "bulletin.withdrawn",
        f"撤回{updated.kind.label}：{updated.title}",
        actor,
        now,
        before={"status": current.status.value},
        after={"status": updated.status.value},
        request_id=request_id,
    )
    store.save(updated, current.version, audit)
    return updated


def public_one(store: BulletinStore, site_id: str, bulletin_id: str) -> Bulletin:
    found = _require(store, site_id, bulletin_id)
    if found.status is not BulletinStatus.PUBLISHED:
        raise NotFound("公告不存在或已撤回", code="BULLETIN_NOT_FOUND")
    return found


def matches(bulletin: Bulletin, words: list[str]) -> bool:
    text = f"{bulletin.title}\n{bulletin.body}".lower()
    return all(w in text for w in words)


def find(
    store: BulletinStore,
    site_id: str,
    kind: BulletinKind | None,
    q: str,
    include_withdrawn: bool,
    limit: int,
) -> tuple[list[Bulletin], int]:
    """Published (or all, for the operator) bulletins of a kind whose title and body hold every word of `q`;
    pinned ones first, then the newest. Returns a page and the number found."""
    words = [w for w in q.lower().split() if w]
    found = [
        b
        for b in store.newest(site_id, READ_LIMIT)
        if (include_withdrawn or b.status is BulletinStatus.PUBLISHED)
        and (kind is None or b.kind is kind)
        and matches(b, words)
    ]
    found.sort(key=lambda b: b.published_at, reverse=True)
    found.sort(key=lambda b: not b.pinned)  # stable: the pinned first, each group newest first
    return found[:limit], len(found)
