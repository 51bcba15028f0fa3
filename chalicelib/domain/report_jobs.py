"""A report someone asked to regenerate (重新生成): requested, run once, its progress visible, audited.

Requesting writes the job and its audit event; the job's INSERT reaches the
report_jobs consumer through the stream, which moves it from 排队中 to 生成中
under a condition (so a redelivered message does not compile twice) and
records progress as it goes. A failed compile leaves the previous report
current, and the job says so.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from chalicelib.domain.audit import AuditEvent, new_event
from chalicelib.domain.clock import to_iso
from chalicelib.domain.errors import Conflict
from chalicelib.domain.principals import SYSTEM_ACTOR, Principal
from chalicelib.domain.reports import Period

ENTITY_REPORT = "report"


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {"queued": "排队中", "running": "生成中", "done": "已完成", "failed": "生成失败"}[self.value]

    @property
    def finished(self) -> bool:
        return self in (JobStatus.DONE, JobStatus.FAILED)


class Job(NamedTuple):
    id: str
    scope: str  # a site id, or shandong for the province
    period: str
    status: JobStatus
    progress: int  # per cent
    step: str  # what it is doing, in Chinese
    requested_by: dict[str, str]
    requested_at: str
    finished_at: str = ""
    message: str = ""
    compile_id: str = ""
    version: int = 1


class JobStore(Protocol):
    def create(self, job: Job, audit: AuditEvent) -> None: ...

    def get(self, scope: str, job_id: str) -> Job | None: ...

    def latest(self, scope: str, period: str) -> Job | None: ...

    def save(self, job: Job, previous: Job, audit: AuditEvent | None = None) -> bool:
        """Conditional on the previous version; False when another run moved it first."""


def _event(job: Job, action: str, summary: str, actor: Mapping[str, str], at: datetime, after: Any) -> AuditEvent:
    return new_event(
        tenant=job.scope,
        entity_type=ENTITY_REPORT,
        entity_id=f"{job.period}",
        action=action,
        summary=summary,
        actor=actor,
        at=at,
        after=after,
        context={"job": job.id, "period": job.period},
    )


def request(store: JobStore, principal: Principal, scope: str, period: Period, now: datetime) -> Job:
    """Ask for a compilation; one at a time per report (a second while one runs is refused)."""
    running = store.latest(scope, period.text)
    if running is not None and not running.status.finished:
        raise Conflict(
            f"{period.label}报表正在生成（{running.status.label}，{running.progress}%），请稍后再试",
            code="REPORT_JOB_RUNNING",
            details={"job": job_to_dict(running)},
        )
    job = Job(
        id=f"{now.strftime('%Y%m%d%H%M%S')}{secrets.token_hex(3)}",
        scope=scope,
        period=period.text,
        status=JobStatus.QUEUED,
        progress=0,
        step="排队中",
        requested_by=principal.as_actor(),
        requested_at=to_iso(now),
    )
    store.create(
        job,
        _event(job, "report.requested", f"申请重新生成{period.label}报表", principal.as_actor(), now, job_to_dict(job)),
    )
    return job


def run(
    store: JobStore,
    job: Job,
    compile_report: Callable[[str, Period, Callable[[int, str], None]], Mapping[str, Any]],
    clock: Callable[[], datetime],
) -> Job:
    """Run a queued job once: running, progress, then done (or failed, the previous report kept)."""
    current = store.get(job.scope, job.id) or job
    if current.status is not JobStatus.QUEUED:
        return current
    running = current._replace(status=JobStatus.RUNNING, step="开始生成", progress=1, version=current.version + 1)
    if not store.save(running, current):
        return store.get(job.scope, job.id) or running
    state = {"job": running}

    def progress(percent: int, step: str) -> None:
        moved = state["job"]._replace(progress=percent, step=step, version=state["job"].version + 1)
        if store.save(moved, state["job"]):
            state["job"] = moved

    year, _, month = job.period.partition("-")
    period = Period(int(year), int(month or 0))
    try:
        entry = compile_report(job.scope, period, progress)
    except Exception as error:  # the job records any failure; the consumer does not retry a compile
        latest = state["job"]
        failed = latest._replace(
            status=JobStatus.FAILED,
            step="生成失败",
            finished_at=to_iso(clock()),
            message=f"报表生成失败（{type(error).__name__}），已保留上一版本报表，请稍后重试或联系运维人员",
            version=latest.version + 1,
        )
        store.save(
            failed,
            latest,
            _event(failed, "report.failed", f"{period.label}报表生成失败", SYSTEM_ACTOR, clock(), job_to_dict(failed)),
        )
        return failed
    latest = state["job"]
    done = latest._replace(
        status=JobStatus.DONE,
        progress=100,
        step="已完成",
        finished_at=to_iso(clock()),
        compile_id=str(entry.get("compile_id", "")),
        version=latest.version + 1,
    )
    store.save(
        done,
        latest,
        _event(done, "report.compiled", f"{period.label}报表已重新生成", SYSTEM_ACTOR, clock(), job_to_dict(done)),
    )
    return done


def job_to_dict(job: Job) -> dict[str, Any]:
    return {**job._asdict(), "status": job.status.value, "status_label": job.status.label}


def job_from_dict(raw: Mapping[str, Any]) -> Job:
    fields = {k: raw[k] for k in Job._fields if k in raw}
    return Job(
        **{
            **fields,
            "status": JobStatus(raw["status"]),
            "progress": int(raw.get("progress", 0)),
            "version": int(raw.get("version", 1)),
        }
    )
